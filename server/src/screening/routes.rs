//! HTTP of screening: the citizen's kit forms and the screening centre's
//! ingest endpoint.

use app::cup::notice::CupNotice;
use app::notice::Notice;
use app::screening::notice::KitNotice;
use std::sync::Arc;

use app::screening::forms::{RequestKit, CANCEL_KIT};
use app::screening::port::Screening;
use async_trait::async_trait;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
    routing::post,
    Form, Router,
};
use chrono::{DateTime, Utc};
use tower_sessions::Session;

use super::ingest::{granted, parse_event, ScreeningEvent};
use super::{ScreeningEventRefusal, SqlScreening};
use crate::identity::extract::SignedIn;
use crate::identity::session::redirect_with_notice;
use crate::ingest::answer::{invalid_field, receive, refused, unavailable, IngestTarget, Recorded};
use crate::ingest::body::{problem, Problem};
use crate::ingest::{IngestRoute, SCREENING_WRITE};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(RequestKit::ACTION, post(request_kit)).route(CANCEL_KIT, post(cancel_kit))
}

async fn request_kit(
    State(port): State<Arc<dyn Screening>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Form(form): Form<RequestKit>,
) -> Response {
    let notice = match form.farmacia.trim().parse() {
        Err(_) => Notice::Screening(KitNotice::KitPharmacyUnknown),
        Ok(pharmacy) => match port.request_kit(&principal, pharmacy).await {
            Ok(_) => Notice::Screening(KitNotice::KitRequested),
            Err(error) => error.notice(Notice::Cup(CupNotice::BookingNotAllowed)),
        },
    };
    redirect_with_notice(&session, notice, "/screening#colorectal").await
}

async fn cancel_kit(
    State(port): State<Arc<dyn Screening>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Path(code): Path<String>,
) -> Response {
    let notice = match port.cancel_kit(&principal, &code).await {
        Ok(()) => Notice::Screening(KitNotice::KitCancelled),
        Err(error) => error.notice(Notice::Cup(CupNotice::BookingNotAllowed)),
    };
    redirect_with_notice(&session, notice, "/screening#colorectal").await
}

/// `POST /ingest/v1/screening/events`: a FIT kit's step or a result.
pub fn ingest_route() -> IngestRoute {
    IngestRoute { path: "/ingest/v1/screening/events", scope: SCREENING_WRITE, handler: post(receive::<SqlScreening>) }
}

#[async_trait]
impl IngestTarget for SqlScreening {
    type Event = ScreeningEvent;
    type Refusal = ScreeningEventRefusal;

    const NAME: &'static str = "screening event";

    /// A client without a grant is refused before its body is even read:
    /// it learns nothing about the references it names, and nothing is stored.
    async fn admit(&self, client_id: &str) -> Result<(), Response> {
        match granted(&self.pool, client_id).await {
            Ok(true) => Ok(()),
            Ok(false) => {
                tracing::warn!(client = %client_id, "screening event from a client without a grant");
                Err(refused(
                    StatusCode::FORBIDDEN,
                    "client_not_granted",
                    "Questo client non è autorizzato a inviare eventi di screening.",
                    &[],
                ))
            }
            Err(error) => Err(unavailable("screening grant check", &error)),
        }
    }

    fn parse(body: &[u8], now: DateTime<Utc>) -> Result<ScreeningEvent, Vec<Problem>> {
        parse_event(body, now)
    }

    fn event_id(event: &ScreeningEvent) -> &str {
        &event.event_id
    }

    async fn record(&self, client_id: &str, event: &ScreeningEvent) -> Result<Recorded, ScreeningEventRefusal> {
        SqlScreening::record(self, client_id, event).await
    }

    fn refusal(refusal: ScreeningEventRefusal) -> Response {
        match refusal {
            ScreeningEventRefusal::UnknownReference => refused(
                StatusCode::NOT_FOUND,
                "unknown_reference",
                "Nessun kit o appuntamento di screening con questo codice.",
                &[problem("reference", "codice sconosciuto")],
            ),
            ScreeningEventRefusal::Closed => refused(
                StatusCode::CONFLICT,
                "closed",
                "Il kit è stato annullato o l'appuntamento disdetto o spostato: l'evento non si applica.",
                &[],
            ),
            ScreeningEventRefusal::StepOfAppointment => {
                invalid_field("kind", "per un appuntamento si invia solo l'esito (result)")
            }
            ScreeningEventRefusal::OutcomeRequired => invalid_field(
                "result.outcome",
                "l'esito di un appuntamento va indicato: negative, positive o inadequate",
            ),
            ScreeningEventRefusal::Database(error) => unavailable(Self::NAME, &error),
        }
    }
}
