//! HTTP of the ER board: the ingest endpoint for hospital systems, the live
//! stream for browsers, and the OpenAPI description of the ingest API.

use std::{convert::Infallible, sync::Arc, time::Duration};

use async_trait::async_trait;
use axum::{
    extract::State,
    http::StatusCode,
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
    routing::{get, post},
    Json, Router,
};
use chrono::{DateTime, Utc};
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast::error::RecvError;

use super::ingest::{parse_report, StatusReport};
use super::{ReportRefusal, SqlEmergency, BOARD_TOPIC};
use crate::config::Settings;
use crate::ingest::answer::{receive, refused, unavailable, IngestTarget, Recorded};
use crate::ingest::body::{problem, Problem};
use crate::ingest::{IngestRoute, EMERGENCY_WRITE};
use crate::state::AppState;

/// Comment lines keep idle connections open through proxies.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Public routes: the live stream and the API description.
pub fn router() -> Router<AppState> {
    Router::new().route("/pronto-soccorso/in-diretta", get(live_board)).route("/ingest/v1/openapi.json", get(openapi))
}

/// `POST /ingest/v1/emergency/status`: one ER unit's occupancy.
pub fn ingest_route() -> IngestRoute {
    IngestRoute { path: "/ingest/v1/emergency/status", scope: EMERGENCY_WRITE, handler: post(receive::<SqlEmergency>) }
}

const INVALID_REPORT: &str = "Il rapporto non è valido: correggi i campi indicati e rinvialo.";

#[async_trait]
impl IngestTarget for SqlEmergency {
    type Event = StatusReport;
    type Refusal = ReportRefusal;

    const NAME: &'static str = "ER report";

    fn parse(body: &[u8], now: DateTime<Utc>) -> Result<StatusReport, Vec<Problem>> {
        parse_report(body, now)
    }

    fn event_id(report: &StatusReport) -> &str {
        &report.event_id
    }

    async fn record(&self, client_id: &str, report: &StatusReport) -> Result<Recorded, ReportRefusal> {
        SqlEmergency::record(self, client_id, report).await
    }

    fn invalid(problems: &[Problem]) -> Response {
        refused(StatusCode::UNPROCESSABLE_ENTITY, "invalid_report", INVALID_REPORT, problems)
    }

    fn refusal(refusal: ReportRefusal) -> Response {
        match refusal {
            ReportRefusal::UnknownUnit => Self::invalid(&[problem(
                "unit",
                "Pronto Soccorso sconosciuto: usa il codice della struttura (per esempio HUB-GASLINI)",
            )]),
            ReportRefusal::NotGranted => refused(
                StatusCode::FORBIDDEN,
                "unit_not_granted",
                "Questo client non è autorizzato a inviare dati per questo Pronto Soccorso.",
                &[],
            ),
            ReportRefusal::Database(error) => unavailable(Self::NAME, &error),
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
