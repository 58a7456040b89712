//! HTTP of the ER board: the ingest endpoint for hospital systems, the live
//! stream for browsers, and the OpenAPI description of the ingest API.

use std::{convert::Infallible, sync::Arc, time::Duration};

use axum::{
    body::Bytes,
    extract::State,
    http::StatusCode,
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
    routing::get,
    Extension, Json, Router,
};
use futures_util::stream::{self, Stream};
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;

use super::ingest::{parse_report, Problem};
use super::{RecordError, SqlEmergency, BOARD_TOPIC};
use crate::config::Settings;
use crate::identity::machine::MachineClient;
use crate::startup::AppState;

/// Comment lines keep idle connections open through proxies.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Public routes: the live stream and the API description.
pub fn router() -> Router<AppState> {
    Router::new().route("/pronto-soccorso/in-diretta", get(live_board)).route("/ingest/v1/openapi.json", get(openapi))
}

pub fn refused(status: StatusCode, error: &str, message: &str, problems: &[Problem]) -> Response {
    (status, Json(json!({ "error": error, "message": message, "problems": problems }))).into_response()
}

const INVALID_EVENT: &str = "L'evento non è valido: correggi i campi indicati e rinvialo.";

/// The 422 of an operating-theatre or screening event: every problem named.
pub fn invalid_event(problems: &[Problem]) -> Response {
    refused(StatusCode::UNPROCESSABLE_ENTITY, "invalid_event", INVALID_EVENT, problems)
}

/// `POST /ingest/v1/emergency/status` (behind the `emergency:write` guard).
pub async fn post_status(
    State(emergency): State<Arc<SqlEmergency>>,
    Extension(client): Extension<MachineClient>,
    body: Bytes,
) -> Response {
    let report = match parse_report(&body, chrono::Utc::now()) {
        Ok(report) => report,
        Err(problems) => {
            tracing::info!(client = %client.client_id, ?problems, "ER report refused");
            return refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_report",
                "Il rapporto non è valido: correggi i campi indicati e rinvialo.",
                &problems,
            );
        }
    };
    match emergency.record(&client.client_id, &report).await {
        Ok(recorded) => Json(json!({ "result": recorded.code(), "event_id": report.event_id })).into_response(),
        Err(RecordError::UnknownUnit) => refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_report",
            "Il rapporto non è valido: correggi i campi indicati e rinvialo.",
            &[Problem {
                field: "unit".into(),
                message: "Pronto Soccorso sconosciuto: usa il codice della struttura (per esempio HUB-GASLINI)".into(),
            }],
        ),
        Err(RecordError::NotGranted) => refused(
            StatusCode::FORBIDDEN,
            "unit_not_granted",
            "Questo client non è autorizzato a inviare dati per questo Pronto Soccorso.",
            &[],
        ),
        Err(RecordError::Database(error)) => {
            tracing::error!(%error, "ER report not stored");
            refused(StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable", "Riprova tra poco.", &[])
        }
    }
}

/// `GET /pronto-soccorso/in-diretta`: server-sent events, one `unit` event
/// per applied report (an `ErLiveUpdate` as JSON). A browser that falls
/// behind skips what it missed: the next report carries the whole state.
async fn live_board(State(emergency): State<Arc<SqlEmergency>>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = emergency.live().subscribe(BOARD_TOPIC);
    let events = stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(message) => return Some((Ok(Event::default().event("unit").data(&*message)), receiver)),
                Err(RecvError::Lagged(missed)) => tracing::debug!(missed, "live client fell behind"),
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}

async fn openapi(State(settings): State<Arc<Settings>>) -> Response {
    let token_url = format!("{}/token", settings.oidc_issuer.trim_end_matches('/'));
    let mut response = Json(super::openapi::document(&token_url)).into_response();
    response
        .headers_mut()
        .insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("public, max-age=300"));
    response
}
