//! HTTP of the surgery tracker: the ingest endpoint for hospital systems,
//! the patient's forms (authorise, withdraw) and the live stream of a case.

use app::identity::model::RequestIdentity;
use app::notice::{Notice, WriteError};
use app::surgery::notice::SurgeryNotice;
use std::{convert::Infallible, sync::Arc, time::Duration};

use crate::identity::session_store::Sessions;
use app::surgery::forms::{AuthoriseFollower, WithdrawFollower};
use async_trait::async_trait;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
    routing::{get, post},
    Extension, Form, Router,
};
use chrono::{DateTime, Utc};
use futures_util::stream;
use tokio::sync::broadcast::{error::RecvError, Receiver};
use tower_sessions::{session::Id, Session};

use super::ingest::{parse_event, PhaseEvent};
use super::{case_topic, PhaseEventRefusal, SqlSurgery};
use crate::config::Settings;
use crate::identity::extract::SignedIn;
use crate::identity::session::{redirect_with_notice, still_signed_in};
use crate::ingest::answer::{invalid_field, receive, refused, unavailable, IngestTarget, Recorded};
use crate::ingest::body::Problem;
use crate::ingest::{IngestRoute, SURGERY_WRITE};
use crate::state::AppState;

/// Comment lines keep idle connections open through proxies.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// An open stream checks this often that its reader may still follow (the
/// access ends a day after the operation).
const RECHECK: Duration = Duration::from_secs(60);
/// An open stream checks this often that its reader's session is still
/// alive (signed out, idle or past the absolute limit: the stream ends).
pub const SESSION_CHECK: Duration = Duration::from_secs(1);

/// The patient's forms and the live stream (they need the session).
pub fn router() -> Router<AppState> {
    Router::new()
        .route(AuthoriseFollower::ACTION, post(authorise))
        .route(WithdrawFollower::ACTION, post(withdraw))
        .route("/interventi/{id}/in-diretta", get(live_case))
}

/// `POST /ingest/v1/surgery/events`: an operation's phase.
pub fn ingest_route() -> IngestRoute {
    IngestRoute { path: "/ingest/v1/surgery/events", scope: SURGERY_WRITE, handler: post(receive::<SqlSurgery>) }
}

#[async_trait]
impl IngestTarget for SqlSurgery {
    type Event = PhaseEvent;
    type Refusal = PhaseEventRefusal;

    const NAME: &'static str = "surgery event";

    fn parse(body: &[u8], now: DateTime<Utc>) -> Result<PhaseEvent, Vec<Problem>> {
        parse_event(body, now)
    }

    fn event_id(event: &PhaseEvent) -> &str {
        &event.event_id
    }

    async fn record(&self, client_id: &str, event: &PhaseEvent) -> Result<Recorded, PhaseEventRefusal> {
        SqlSurgery::record(self, client_id, event).await
    }

    fn refusal(refusal: PhaseEventRefusal) -> Response {
        match refusal {
            PhaseEventRefusal::UnknownHospital => invalid_field(
                "hospital",
                "ospedale sconosciuto: usa il codice della struttura (per esempio HUB-SANMARTINO)",
            ),
            PhaseEventRefusal::PatientRequired => invalid_field(
                "patient",
                "il primo evento di un intervento deve indicare il codice fiscale del paziente",
            ),
            PhaseEventRefusal::UnknownPatient => {
                invalid_field("patient", "il paziente non è iscritto al Servizio sanitario ligure")
            }
            PhaseEventRefusal::PatientMismatch => {
                invalid_field("patient", "questo intervento è già registrato per un altro paziente: controlla case_id")
            }
            PhaseEventRefusal::NotGranted => refused(
                StatusCode::FORBIDDEN,
                "hospital_not_granted",
                "Questo client non è autorizzato a inviare eventi per questo ospedale.",
                &[],
            ),
            PhaseEventRefusal::Database(error) => unavailable(Self::NAME, &error),
        }
    }
}

async fn answer(session: &Session, outcome: Result<(), WriteError>, done: Notice) -> Response {
    let notice = match outcome {
        Ok(()) => done,
        Err(error) => error.notice(Notice::Surgery(SurgeryNotice::SurgeryCaseNotFound)),
    };
    redirect_with_notice(session, notice, "/interventi").await
}

async fn authorise(
    State(surgery): State<Arc<SqlSurgery>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<AuthoriseFollower>,
) -> Response {
    answer(
        &session,
        surgery.authorise(&principal, id, &form.persona).await,
        Notice::Surgery(SurgeryNotice::SurgeryAuthorised),
    )
    .await
}

async fn withdraw(
    State(surgery): State<Arc<SqlSurgery>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<WithdrawFollower>,
) -> Response {
    answer(
        &session,
        surgery.withdraw(&principal, id, &form.persona).await,
        Notice::Surgery(SurgeryNotice::SurgeryWithdrawn),
    )
    .await
}

/// What a stream does next.
enum Next {
    Forward(Arc<str>),
    /// The reader may no longer follow: one `ended` event, then close.
    End,
    Closed,
}

struct Watch {
    surgery: Arc<SqlSurgery>,
    person: String,
    case_id: i64,
    receiver: Receiver<Arc<str>>,
    recheck: tokio::time::Interval,
    ended: bool,
    /// The reader's session, checked every [`SESSION_CHECK`].
    sessions: Sessions,
    session_id: Option<Id>,
    session_absolute: Duration,
    session_check: tokio::time::Interval,
}

impl Watch {
    async fn may_go_on(&self) -> bool {
        matches!(self.surgery.may_follow(&self.person, self.case_id).await, Ok(Some(_)))
    }

    async fn next(&mut self) -> Next {
        loop {
            tokio::select! {
                message = self.receiver.recv() => match message {
                    Ok(message) if message.contains("\"access_changed\"") => {
                        if !self.may_go_on().await {
                            return Next::End;
                        }
                    }
                    Ok(message) => return Next::Forward(message),
                    // Missed messages may include a withdrawal: check.
                    Err(RecvError::Lagged(_)) => {
                        if !self.may_go_on().await {
                            return Next::End;
                        }
                    }
                    Err(RecvError::Closed) => return Next::Closed,
                },
                _ = self.recheck.tick() => {
                    if !self.may_go_on().await {
                        return Next::End;
                    }
                }
                // Signed out, idle or too old: the stream closes without
                // a word (the browser's retry then gets 401).
                _ = self.session_check.tick() => {
                    if !still_signed_in(&self.sessions, self.session_id, &self.person, self.session_absolute).await {
                        tracing::info!(case = self.case_id, "session ended: live stream closed");
                        return Next::Closed;
                    }
                }
            }
        }
    }
}

/// `GET /interventi/{id}/in-diretta`: server-sent events for a person
/// authorised to follow the case: `phase` (a `PhaseUpdate` as JSON) at each
/// event, and `ended` once the authorisation is withdrawn or expires, after
/// which the stream closes. Anyone else gets 404 and no event.
async fn live_case(
    State(surgery): State<Arc<SqlSurgery>>,
    State(sessions): State<Sessions>,
    State(settings): State<Arc<Settings>>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<i64>,
) -> Response {
    // A stream is not a page: no redirect to sign-in, a plain 401.
    let Some(principal) = identity.principal else {
        return (StatusCode::UNAUTHORIZED, "Accesso richiesto").into_response();
    };
    let person = principal.actor.fiscal_code.clone();
    let patient = match surgery.may_follow(&person, id).await {
        Ok(Some(patient)) => patient,
        Ok(None) => {
            // Someone else's case: the patient's log shows the attempt.
            if let Err(error) = surgery.audit_refusal(&principal, id).await {
                tracing::error!(%error, "refused surgery live view not audited");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
            return (StatusCode::NOT_FOUND, "Intervento non trovato").into_response();
        }
        Err(error) => {
            tracing::error!(%error, "surgery live stream not opened");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    // Subscribed before the view is recorded: nothing applied after this
    // point is missed.
    let receiver = surgery.live().subscribe(&case_topic(id));
    if let Err(error) = surgery.audit_view(&principal, &patient, id).await {
        tracing::error!(%error, "surgery live view not audited");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let mut recheck = tokio::time::interval(RECHECK);
    recheck.reset();
    let mut session_check = tokio::time::interval(SESSION_CHECK);
    session_check.reset();
    let watch = Watch {
        surgery,
        person,
        case_id: id,
        receiver,
        recheck,
        ended: false,
        sessions,
        session_id: session.id(),
        session_absolute: settings.session_absolute,
        session_check,
    };
    let events = stream::unfold(watch, |mut watch| async move {
        if watch.ended {
            return None;
        }
        match watch.next().await {
            Next::Forward(message) => {
                Some((Ok::<_, Infallible>(Event::default().event("phase").data(&*message)), watch))
            }
            Next::End => {
                watch.ended = true;
                Some((Ok(Event::default().event("ended").data("{}")), watch))
            }
            Next::Closed => None,
        }
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response()
}
