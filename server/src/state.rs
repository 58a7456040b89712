//! What every handler may reach: the settings, the sign-in client, the
//! session store and one adapter per capability, each built once.
//!
//! Handlers take what they need with `State<…>` (axum's `FromRef`): a
//! capability's port as `State<Arc<dyn Port>>`, or the adapter itself where
//! a handler needs more than the port offers (the ingest API, the payment
//! provider's callbacks). Pages and server functions get the same ports
//! from the Leptos context ([`AppState::provide_ports`]).

use std::sync::Arc;

use crate::identity::session_store::Sessions;
use app::{
    access_log::port::AccessLog, care_now::port::CareNowDirectory, cup::port::Cup, delegations::port::Delegations,
    doctors::port::Doctors, emergency::port::EmergencyBoard, fse::port::HealthRecord,
    notifications::port::Notifications, payments::port::Payments, pharmacy::port::Prescriptions,
    prevention::port::Appointments, screening::port::Screening, security::FormActionOrigins,
    surgery::port::SurgeryTracker, vaccinations::port::Vaccinations,
};
use axum::extract::FromRef;
use leptos::{config::LeptosOptions, prelude::provide_context};
use sqlx::AnyPool;

use crate::{
    access_log::SqlAccessLog,
    care_now::SqlCareNow,
    config::Settings,
    cup::SqlCup,
    db::Backend,
    delegations::SqlDelegations,
    doctors::SqlDoctors,
    emergency::SqlEmergency,
    fse::SqlHealthRecord,
    identity::oidc::OidcClient,
    ingest::live::{BroadcastHub, LiveHub},
    ingest::relay::Relay,
    notifications::SqlNotifications,
    page_cache::{self, PageCache},
    payments::{
        provider::{NoProvider, PaymentProvider},
        sandbox::SandboxProvider,
        SqlPayments,
    },
    pharmacy::SqlPrescriptions,
    prevention::appointments::SqlAppointments,
    screening::SqlScreening,
    surgery::SqlSurgery,
    vaccinations::SqlVaccinations,
};

/// Everything a handler may need. Cheap to clone.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: AnyPool,
    pub settings: Arc<Settings>,
    pub oidc: Arc<OidcClient>,
    pub sessions: Sessions,
    pub access_log: Arc<dyn AccessLog>,
    pub delegations: Arc<dyn Delegations>,
    pub doctors: Arc<dyn Doctors>,
    pub health_record: Arc<dyn HealthRecord>,
    pub cup: Arc<dyn Cup>,
    pub prescriptions: Arc<dyn Prescriptions>,
    pub notifications: Arc<dyn Notifications>,
    /// Vaccination and screening appointments on the CUP agendas.
    pub appointments: Arc<dyn Appointments>,
    pub vaccinations: Arc<dyn Vaccinations>,
    /// Tickets and checkouts; also the provider's callbacks and the
    /// reconciliation job (hence the adapter, not only its port).
    pub payments: Arc<SqlPayments>,
    /// The ER board: reports in, board and live stream out.
    pub emergency: Arc<SqlEmergency>,
    /// The surgery tracker: events in, timelines and live streams out.
    pub surgery: Arc<SqlSurgery>,
    /// Live updates between instances (PostgreSQL LISTEN/NOTIFY).
    pub relay: Arc<Relay>,
    /// The screening programmes; also the screening centre's events.
    pub screening: Arc<SqlScreening>,
    /// The sandbox payment provider, when configured.
    pub payment_sandbox: Option<Arc<SandboxProvider>>,
    /// "Dove andare adesso": 116117, guardia medica, pharmacies, ER waits.
    pub care_now: Arc<SqlCareNow>,
    /// Public pages kept rendered (`page_cache`).
    pub page_cache: Arc<PageCache>,
}

impl AppState {
    /// Builds every adapter over `pool`, once.
    pub fn new(
        pool: AnyPool,
        settings: Settings,
        leptos_options: LeptosOptions,
        oidc: Arc<OidcClient>,
        sessions: Sessions,
        public_url: &str,
    ) -> AppState {
        let payment_sandbox = settings.pagopa_sandbox.then(|| {
            Arc::new(SandboxProvider::new(
                pool.clone(),
                settings.pagopa_callback_secret.clone(),
                settings.pagopa_sandbox_delay,
            ))
        });
        let provider: Arc<dyn PaymentProvider> = match &payment_sandbox {
            Some(sandbox) => sandbox.clone(),
            None => Arc::new(NoProvider),
        };
        // One hub for every live page (ER board, each operation's topic);
        // the relay carries updates between instances.
        let live: Arc<dyn LiveHub> = Arc::new(BroadcastHub::default());
        let relay = Arc::new(Relay::new(Backend::of(&pool) == Backend::Postgres));
        let closes = settings.cup_change_closes;
        let emergency = Arc::new(SqlEmergency::new(pool.clone(), live.clone(), relay.clone()));
        let surgery = Arc::new(SqlSurgery::new(pool.clone(), live, relay.clone()));
        relay.register(emergency.clone());
        relay.register(surgery.clone());
        let page_cache = Arc::new(PageCache::new(page_cache::public_routes(emergency.board_version())));
        AppState {
            leptos_options,
            access_log: Arc::new(SqlAccessLog::new(pool.clone())),
            delegations: Arc::new(SqlDelegations::new(pool.clone())),
            doctors: Arc::new(SqlDoctors::new(pool.clone())),
            health_record: Arc::new(SqlHealthRecord::new(pool.clone())),
            cup: Arc::new(SqlCup::new(pool.clone(), closes, settings.cup_offer_hold)),
            prescriptions: Arc::new(SqlPrescriptions::new(pool.clone())),
            notifications: Arc::new(SqlNotifications::new(pool.clone())),
            appointments: Arc::new(SqlAppointments::new(pool.clone(), closes)),
            vaccinations: Arc::new(SqlVaccinations::new(pool.clone(), closes)),
            payments: Arc::new(SqlPayments::new(pool.clone(), provider, public_url)),
            care_now: Arc::new(SqlCareNow::new(pool.clone(), emergency.clone())),
            emergency: emergency.clone(),
            surgery,
            relay,
            screening: Arc::new(SqlScreening::new(pool.clone(), closes)),
            payment_sandbox,
            page_cache,
            pool,
            settings: Arc::new(settings),
            oidc,
            sessions,
        }
    }

    /// A closure that puts every port (and the page policy) in the Leptos
    /// context of a page render or a server function call.
    pub fn provide_ports(&self) -> impl Fn() + Clone + Send + Sync + 'static {
        let state = self.clone();
        let form_origins = FormActionOrigins(self.oidc.issuer_origin());
        move || {
            provide_context(state.access_log.clone());
            provide_context(state.delegations.clone());
            provide_context(state.doctors.clone());
            provide_context(state.health_record.clone());
            provide_context(state.cup.clone());
            provide_context(state.prescriptions.clone());
            provide_context(Arc::<dyn Payments>::from_ref(&state));
            provide_context(state.notifications.clone());
            provide_context(Arc::<dyn EmergencyBoard>::from_ref(&state));
            provide_context(Arc::<dyn CareNowDirectory>::from_ref(&state));
            provide_context(Arc::<dyn SurgeryTracker>::from_ref(&state));
            provide_context(state.appointments.clone());
            provide_context(state.vaccinations.clone());
            provide_context(Arc::<dyn Screening>::from_ref(&state));
            provide_context(form_origins.clone());
        }
    }
}

/// The ports of the capabilities whose adapter the state holds as such.
macro_rules! port_of_adapter {
    ($($port:ident => $field:ident),* $(,)?) => {$(
        impl FromRef<AppState> for Arc<dyn $port> {
            fn from_ref(state: &AppState) -> Self {
                state.$field.clone()
            }
        }
    )*};
}

port_of_adapter! {
    Payments => payments,
    EmergencyBoard => emergency,
    CareNowDirectory => care_now,
    SurgeryTracker => surgery,
    Screening => screening,
}
