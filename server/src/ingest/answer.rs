//! What the ingest API answers, and the one handler every pushing
//! capability shares: guard passed → (capability's own admission) → body
//! read field by field → recorded idempotently → `{"result", "event_id"}`,
//! or a JSON refusal that says what to fix.

use std::{fmt, sync::Arc};

use async_trait::async_trait;
use axum::{
    body::Bytes,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    Extension, Json,
};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::body::{problem, Problem};
use super::guard::MachineClient;

/// What became of a pushed event (an ER report, an operation's phase, a
/// screening step).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// The unit's (the case's, the kit's) current state now.
    Applied,
    /// Same client and event id as one already stored: nothing changed.
    Duplicate,
    /// Older than the current state: kept for the history only.
    Outdated,
}

impl Recorded {
    /// The `result` of the ingest API's answer.
    pub fn code(self) -> &'static str {
        match self {
            Recorded::Applied => "applied",
            Recorded::Duplicate => "duplicate",
            Recorded::Outdated => "outdated",
        }
    }
}

/// A refusal: `{"error", "message", "problems"}` with `status`.
pub fn refused(status: StatusCode, error: &str, message: &str, problems: &[Problem]) -> Response {
    (status, Json(json!({ "error": error, "message": message, "problems": problems }))).into_response()
}

const INVALID_EVENT: &str = "L'evento non è valido: correggi i campi indicati e rinvialo.";

/// The 422 of an event with problems: every problem named.
pub fn invalid_event(problems: &[Problem]) -> Response {
    refused(StatusCode::UNPROCESSABLE_ENTITY, "invalid_event", INVALID_EVENT, problems)
}

/// The 422 of an event with one problem, at `field`.
pub fn invalid_field(field: &str, message: &str) -> Response {
    invalid_event(&[problem(field, message)])
}

/// The 503 when our side failed (logged here): the sender retries.
pub fn unavailable(what: &str, error: &dyn fmt::Display) -> Response {
    tracing::error!(%error, "{what} not stored");
    refused(StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable", "Riprova tra poco.", &[])
}

/// One kind of pushed event, as a capability defines it.
#[async_trait]
pub trait IngestTarget: Send + Sync + 'static {
    /// The event, read and checked.
    type Event: Send + Sync;
    /// Why the capability did not record a well-formed event.
    type Refusal: Send;

    /// What the log lines call one event ("ER report").
    const NAME: &'static str;

    /// Reads and checks a body; `now` bounds its times.
    fn parse(body: &[u8], now: DateTime<Utc>) -> Result<Self::Event, Vec<Problem>>;

    /// The sender's id of the event, repeated in the answer.
    fn event_id(event: &Self::Event) -> &str;

    /// Records the event (idempotently by client and event id).
    async fn record(&self, client_id: &str, event: &Self::Event) -> Result<Recorded, Self::Refusal>;

    /// The answer to a refusal.
    fn refusal(refusal: Self::Refusal) -> Response;

    /// Whether `client_id` may push here at all, asked before the body is
    /// read (so a client without a grant learns nothing from the answer).
    async fn admit(&self, _client_id: &str) -> Result<(), Response> {
        Ok(())
    }

    /// The 422 of a body with problems.
    fn invalid(problems: &[Problem]) -> Response {
        invalid_event(problems)
    }
}

/// The handler of every ingest endpoint (behind the scope guard).
pub async fn receive<T: IngestTarget>(
    State(target): State<Arc<T>>,
    Extension(client): Extension<MachineClient>,
    body: Bytes,
) -> Response {
    if let Err(refusal) = target.admit(&client.client_id).await {
        return refusal;
    }
    let event = match T::parse(&body, Utc::now()) {
        Ok(event) => event,
        Err(problems) => {
            tracing::info!(client = %client.client_id, ?problems, "{} refused", T::NAME);
            return T::invalid(&problems);
        }
    };
    match target.record(&client.client_id, &event).await {
        Ok(recorded) => Json(json!({ "result": recorded.code(), "event_id": T::event_id(&event) })).into_response(),
        Err(refusal) => T::refusal(refusal),
    }
}
