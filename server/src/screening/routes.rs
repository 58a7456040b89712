//! HTTP of screening: the citizen's kit forms and the screening centre's
//! ingest endpoint.

use std::sync::Arc;

use app::identity::model::{Notice, RequestIdentity};
use app::screening::port::Screening;
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::post,
    Extension, Form, Json, Router,
};
use serde::Deserialize;
use serde_json::json;
use sqlx::SqlitePool;
use tower_sessions::Session;

use super::ingest::{granted, parse_event};
use super::{RecordError, SqlScreening};
use crate::emergency::ingest::problem;
use crate::emergency::routes::{invalid_event, refused};
use crate::identity::machine::MachineClient;
use crate::identity::session::redirect_with_notice;
use crate::prevention::routes::failure;
use crate::startup::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/screening/kit", post(request_kit)).route("/screening/kit/{code}/annulla", post(cancel_kit))
}

fn sign_in() -> Response {
    Redirect::to("/auth/login?return_to=/screening").into_response()
}

#[derive(Deserialize)]
struct KitForm {
    #[serde(default)]
    farmacia: String,
}

async fn request_kit(
    State(port): State<Arc<dyn Screening>>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Form(form): Form<KitForm>,
) -> Response {
    let Some(principal) = identity.principal else { return sign_in() };
    let notice = match form.farmacia.trim().parse() {
        Err(_) => Notice::KitPharmacyUnknown,
        Ok(pharmacy) => match port.request_kit(&principal, pharmacy).await {
            Ok(_) => Notice::KitRequested,
            Err(error) => failure(&error),
        },
    };
    redirect_with_notice(&session, notice, "/screening#colorectal").await
}

async fn cancel_kit(
    State(port): State<Arc<dyn Screening>>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(code): Path<String>,
) -> Response {
    let Some(principal) = identity.principal else { return sign_in() };
    let notice = match port.cancel_kit(&principal, &code).await {
        Ok(()) => Notice::KitCancelled,
        Err(error) => failure(&error),
    };
    redirect_with_notice(&session, notice, "/screening#colorectal").await
}

/// `POST /ingest/v1/screening/events` (behind the `screening:write` guard).
/// A client without a grant is refused before its body is even read: it
/// learns nothing about the references it names, and nothing is stored.
pub async fn post_event(
    State(screening): State<Arc<SqlScreening>>,
    State(pool): State<SqlitePool>,
    Extension(client): Extension<MachineClient>,
    body: Bytes,
) -> Response {
    match granted(&pool, &client.client_id).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!(client = %client.client_id, "screening event from a client without a grant");
            return refused(
                StatusCode::FORBIDDEN,
                "client_not_granted",
                "Questo client non è autorizzato a inviare eventi di screening.",
                &[],
            );
        }
        Err(error) => {
            tracing::error!(%error, "screening grant not checked");
            return refused(StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable", "Riprova tra poco.", &[]);
        }
    }
    let event = match parse_event(&body, chrono::Utc::now()) {
        Ok(event) => event,
        Err(problems) => {
            tracing::info!(client = %client.client_id, ?problems, "screening event refused");
            return invalid_event(&problems);
        }
    };
    let invalid = |field: &str, message: &str| invalid_event(&[problem(field, message)]);
    match screening.record(&client.client_id, &event).await {
        Ok(recorded) => Json(json!({ "result": recorded.code(), "event_id": event.event_id })).into_response(),
        Err(RecordError::UnknownReference) => refused(
            StatusCode::NOT_FOUND,
            "unknown_reference",
            "Nessun kit o appuntamento di screening con questo codice.",
            &[problem("reference", "codice sconosciuto")],
        ),
        Err(RecordError::Closed) => refused(
            StatusCode::CONFLICT,
            "closed",
            "Il kit è stato annullato o l'appuntamento disdetto o spostato: l'evento non si applica.",
            &[],
        ),
        Err(RecordError::StepOfAppointment) => invalid("kind", "per un appuntamento si invia solo l'esito (result)"),
        Err(RecordError::OutcomeRequired) => {
            invalid("result.outcome", "l'esito di un appuntamento va indicato: negative, positive o inadequate")
        }
        Err(RecordError::Database(error)) => {
            tracing::error!(%error, "screening event not stored");
            refused(StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable", "Riprova tra poco.", &[])
        }
    }
}
