//! Form posts of "Le mie ricette" (consent) and of the pharmacy counter
//! (look up a card — rate limited per pharmacist —, dispense, close).

use app::fse::notice::FseNotice;
use app::notice::Notice;
use app::pharmacy::notice::PharmacyNotice;
use std::sync::Arc;

use app::identity::model::RequestIdentity;
use app::identity::AccessError;
use app::pharmacy::forms::{Dispense, LookUpCard, SetCardConsent, CLOSE_COUNTER};
use app::pharmacy::model::CardLookup;
use app::pharmacy::port::{DispenseError, Prescriptions};
use axum::{
    body::Body,
    extract::State,
    http::{header, Request, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::post,
    Form, Router,
};
use tower_governor::{governor::GovernorConfigBuilder, key_extractor::KeyExtractor, GovernorError, GovernorLayer};
use tower_sessions::Session;

use crate::identity::extract::SignedIn;
use crate::{identity::session::redirect_with_notice, state::AppState};

pub fn router(lookups_per_minute: u32) -> Router<AppState> {
    Router::new()
        .route(SetCardConsent::ACTION, post(set_consent))
        .route(LookUpCard::ACTION, post(lookup).route_layer(lookup_limit(lookups_per_minute)))
        .route(Dispense::ACTION, post(dispense))
        .route(CLOSE_COUNTER, post(close))
}

/// Rate-limit key: the signed-in pharmacist (anonymous requests share one).
#[derive(Clone)]
struct PharmacistKey;

impl KeyExtractor for PharmacistKey {
    type Key = String;

    fn extract<T>(&self, request: &Request<T>) -> Result<Self::Key, GovernorError> {
        Ok(request
            .extensions()
            .get::<RequestIdentity>()
            .and_then(|identity| identity.principal.as_ref())
            .map(|principal| principal.actor.fiscal_code.clone())
            .unwrap_or_default())
    }
}

/// `per_minute` lookups in a burst, then one more every 60/`per_minute` s.
fn lookup_limit(per_minute: u32) -> GovernorLayer<PharmacistKey, governor::middleware::NoOpMiddleware, Body> {
    let per_minute = per_minute.max(1);
    let config = GovernorConfigBuilder::default()
        .key_extractor(PharmacistKey)
        .per_millisecond(u64::from(60_000 / per_minute))
        .burst_size(per_minute)
        .finish()
        .expect("a positive rate");
    GovernorLayer::new(config).error_handler(|error| {
        let wait = match &error {
            GovernorError::TooManyRequests { wait_time, .. } => *wait_time,
            _ => 60,
        };
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, wait.to_string()), (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_string())],
            format!(
                "Troppe ricerche di tessere in poco tempo: per proteggere i dati dei cittadini le ricerche sono limitate. \
                 Riprova tra {wait} secondi."
            ),
        )
            .into_response()
    })
}

async fn set_consent(
    State(port): State<Arc<dyn Prescriptions>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Form(form): Form<SetCardConsent>,
) -> Response {
    let given = form.given == "1";
    let notice = match port.set_consent(&principal, given).await {
        Ok(()) if given => Notice::Pharmacy(PharmacyNotice::CardConsentGiven),
        Ok(()) => Notice::Pharmacy(PharmacyNotice::CardConsentWithdrawn),
        Err(AccessError::NotAllowed) => Notice::Fse(FseNotice::FseOnlyOwner),
        Err(_) => Notice::ServiceUnavailable,
    };
    redirect_with_notice(&session, notice, "/ricette").await
}

async fn lookup(
    State(port): State<Arc<dyn Prescriptions>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Form(form): Form<LookUpCard>,
) -> Response {
    let notice = match port.lookup(&principal, &form.codice_fiscale, &form.tessera).await {
        Ok(CardLookup::BadFiscalCode) => Some(Notice::Pharmacy(PharmacyNotice::CardBadFiscalCode)),
        Ok(CardLookup::BadCardNumber) => Some(Notice::Pharmacy(PharmacyNotice::CardBadNumber)),
        Ok(CardLookup::CardMismatch) => Some(Notice::Pharmacy(PharmacyNotice::CardMismatch)),
        Ok(CardLookup::CardExpired(_)) => Some(Notice::Pharmacy(PharmacyNotice::CardExpired)),
        Ok(_) => None,
        Err(AccessError::NotAllowed) => Some(Notice::Pharmacy(PharmacyNotice::PharmacistsOnly)),
        Err(_) => Some(Notice::ServiceUnavailable),
    };
    match notice {
        Some(notice) => redirect_with_notice(&session, notice, "/farmacia").await,
        None => Redirect::to("/farmacia").into_response(),
    }
}

async fn dispense(
    State(port): State<Arc<dyn Prescriptions>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Form(form): Form<Dispense>,
) -> Response {
    let notice = match port.dispense(&principal, form.line_id, form.boxes).await {
        Ok(()) => Notice::Pharmacy(PharmacyNotice::Dispensed),
        // The page shows where and when it was dispensed.
        Err(DispenseError::AlreadyDispensed { .. }) => Notice::Pharmacy(PharmacyNotice::LineAlreadyDispensed),
        Err(DispenseError::Lookup(CardLookup::ConsentMissing)) => {
            Notice::Pharmacy(PharmacyNotice::CardConsentMissingNow)
        }
        Err(DispenseError::Lookup(_)) => Notice::Pharmacy(PharmacyNotice::CardLookupAgain),
        Err(DispenseError::Refused(notice)) => notice,
        Err(DispenseError::Access(AccessError::NotAllowed)) => Notice::Pharmacy(PharmacyNotice::PharmacistsOnly),
        Err(DispenseError::Access(_)) => Notice::ServiceUnavailable,
    };
    redirect_with_notice(&session, notice, "/farmacia").await
}

async fn close(State(port): State<Arc<dyn Prescriptions>>, SignedIn(principal): SignedIn) -> Response {
    if let Err(error) = port.close_counter(&principal).await {
        tracing::warn!(?error, "could not close the counter");
    }
    Redirect::to("/farmacia").into_response()
}
