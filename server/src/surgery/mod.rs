//! The surgery tracker in SQL (migration `20261123000008_surgery.sql`):
//! phase events pushed by hospital systems, the authorisations patients
//! give, what followers see (audited), and the live stream per case.

pub mod feeder;
pub mod ingest;
pub mod routes;

use app::notice::{Notice, WriteError};
use app::surgery::notice::SurgeryNotice;
use std::sync::Arc;

use app::access_log::model::AccessAction;
use app::domain::fiscal_code::FiscalCode;
use app::identity::model::{Capability, Person, Principal, Relation};
use app::identity::AccessError;
use app::surgery::model::{
    timeline, CaseView, FollowedCase, Follower, MyCase, Phase, PhaseUpdate, SurgeryOverview, ACCESS_HOURS_AFTER_END,
    MAX_AUTHORISED,
};
use app::surgery::port::SurgeryTracker;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use sqlx::AnyPool;
use tokio::sync::Mutex;

use self::ingest::PhaseEvent;
use crate::access_log;
use crate::clock::{parse_stored, rome_minutes, stored_second};
use crate::db;
use crate::ingest::{
    answer::Recorded,
    live::LiveHub,
    relay::{LiveSource, Relay},
};

const CAPABILITY: &str = "interventi";
/// Where the hospital's authorisations come from in `granted_by`.
const BY_HOSPITAL: &str = "hospital";
/// Operations shown to their patient for this long after the last event.
const MINE_FOR_DAYS: i64 = 7;

/// The names of a phase event and of an authorisation change (by case) in
/// the live relay's announcements.
const EVENT_SOURCE: &str = "surgery";
const ACCESS_SOURCE: &str = "surgery-access";

/// The live topic of one case.
pub fn case_topic(case_id: i64) -> String {
    format!("intervento-{case_id}")
}

/// What the live topic of a case carries: a phase, or "authorisations
/// changed" (every open stream checks again whether it may go on).
pub fn access_changed_message() -> Arc<str> {
    r#"{"access_changed":true}"#.into()
}

#[derive(Debug, thiserror::Error)]
/// Why a well-formed operating-theatre event was not recorded.
pub enum PhaseEventRefusal {
    #[error("unknown hospital")]
    UnknownHospital,
    #[error("not granted")]
    NotGranted,
    #[error("the first event of a case needs the patient")]
    PatientRequired,
    #[error("patient not in the registry")]
    UnknownPatient,
    #[error("another patient for this case")]
    PatientMismatch,
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

pub struct SqlSurgery {
    pool: AnyPool,
    live: Arc<dyn LiveHub>,
    relay: Arc<Relay>,
    /// Events are stored and published one at a time, so that followers
    /// get them in the order they were applied.
    writing: Mutex<()>,
}

/// Where a case stands: the furthest phase, since when, and when following
/// ends (24 hours after the ending, once there is one).
struct CaseState {
    current: Phase,
    since: DateTime<Utc>,
    reached: Vec<(Phase, DateTime<Utc>)>,
    access_until: Option<DateTime<Utc>>,
}

impl CaseState {
    fn from_events(events: Vec<(String, String)>) -> Option<CaseState> {
        let mut reached: Vec<(Phase, DateTime<Utc>)> = Vec::new();
        for (code, at) in events {
            let (Some(phase), Some(at)) = (Phase::from_code(&code), parse_stored(&at)) else { continue };
            match reached.iter_mut().find(|(p, _)| *p == phase) {
                Some(entry) if at < entry.1 => entry.1 = at,
                Some(_) => {}
                None => reached.push((phase, at)),
            }
        }
        let (current, since) =
            reached.iter().copied().max_by_key(|(phase, at)| (phase.step(), std::cmp::Reverse(*at)))?;
        let access_until = current.is_end().then(|| since + Duration::hours(ACCESS_HOURS_AFTER_END));
        Some(CaseState { current, since, reached, access_until })
    }

    fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.access_until.is_none_or(|until| now < until)
    }
}

/// Someone the patient lets follow a case, with their full name.
#[derive(sqlx::FromRow)]
struct FollowerRow {
    person: String,
    name: Option<String>,
    granted_at: String,
    granted_by: String,
}

impl SqlSurgery {
    pub fn new(pool: AnyPool, live: Arc<dyn LiveHub>, relay: Arc<Relay>) -> Self {
        SqlSurgery { pool, live, relay, writing: Mutex::new(()) }
    }

    pub fn live(&self) -> &Arc<dyn LiveHub> {
        &self.live
    }

    async fn state(&self, case_id: i64) -> Result<Option<CaseState>, sqlx::Error> {
        let events: Vec<(String, String)> =
            sqlx::query_as("SELECT phase, at FROM surgery_events WHERE case_id = $1 ORDER BY at, id")
                .bind(case_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(CaseState::from_events(events))
    }

    /// Stores one event from `client_id`, then tells the case's followers.
    pub async fn record(&self, client_id: &str, event: &PhaseEvent) -> Result<Recorded, PhaseEventRefusal> {
        let facility: Option<i64> = sqlx::query_scalar("SELECT id FROM facilities WHERE code = $1")
            .bind(&event.hospital)
            .fetch_optional(&self.pool)
            .await?;
        let facility = facility.ok_or(PhaseEventRefusal::UnknownHospital)?;
        let granted: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM ingest_surgery_grants WHERE client_id = $1 AND facility_code IN ($2, '*') LIMIT 1",
        )
        .bind(client_id)
        .bind(&event.hospital)
        .fetch_optional(&self.pool)
        .await?;
        granted.ok_or(PhaseEventRefusal::NotGranted)?;

        let _writing = self.writing.lock().await;
        // The read-then-write below runs in turn with every other event of
        // the same operation, on every instance (SQLite: the write lock
        // taken at BEGIN; PostgreSQL: a lock on the case's key).
        let mut tx = db::begin(&self.pool).await?;
        db::serialize_on(&mut tx, &format!("surgery case {facility} {}", event.case_id)).await?;
        let duplicate: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM surgery_events WHERE client_id = $1 AND event_id = $2")
                .bind(client_id)
                .bind(&event.event_id)
                .fetch_optional(&mut *tx)
                .await?;
        if duplicate.is_some() {
            return Ok(Recorded::Duplicate);
        }
        let case: Option<(i64, String)> =
            sqlx::query_as("SELECT id, patient FROM surgery_cases WHERE facility_id = $1 AND case_ref = $2")
                .bind(facility)
                .bind(&event.case_id)
                .fetch_optional(&mut *tx)
                .await?;
        let (case_id, patient, before) = match case {
            Some((id, patient)) => {
                if event.patient.as_ref().is_some_and(|given| *given != patient) {
                    return Err(PhaseEventRefusal::PatientMismatch);
                }
                let phases: Vec<String> = sqlx::query_scalar("SELECT phase FROM surgery_events WHERE case_id = $1")
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await?;
                let before = phases.iter().filter_map(|code| Phase::from_code(code)).max_by_key(|phase| phase.step());
                (id, patient, before)
            }
            None => {
                let patient = event.patient.clone().ok_or(PhaseEventRefusal::PatientRequired)?;
                let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM people WHERE fiscal_code = $1")
                    .bind(&patient)
                    .fetch_optional(&mut *tx)
                    .await?;
                known.ok_or(PhaseEventRefusal::UnknownPatient)?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO surgery_cases (facility_id, case_ref, patient) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(facility)
                .bind(&event.case_id)
                .bind(&patient)
                .fetch_one(&mut *tx)
                .await?;
                (id, patient, None)
            }
        };
        let stored: i64 = sqlx::query_scalar(
            "INSERT INTO surgery_events (case_id, client_id, event_id, phase, at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(case_id)
        .bind(client_id)
        .bind(&event.event_id)
        .bind(event.phase.code())
        .bind(stored_second(event.at))
        .fetch_one(&mut *tx)
        .await?;
        // The other instances publish it once it commits.
        self.relay.announce(&mut tx, EVENT_SOURCE, stored).await?;
        // People named on admission; one the patient has withdrawn stays out.
        for person in event.authorised.iter().filter(|person| **person != patient) {
            grant_following(&mut tx, case_id, person, BY_HOSPITAL).await?;
        }
        tx.commit().await?;

        let applied = before.is_none_or(|before| before.advances_to(event.phase));
        let current = if applied { event.phase } else { before.unwrap_or(event.phase) };
        let update = PhaseUpdate {
            case_id,
            phase: event.phase.code().to_string(),
            at_local: rome_minutes(event.at),
            at_utc: stored_second(event.at),
            current: current.code().to_string(),
        };
        if let Ok(message) = serde_json::to_string(&update) {
            self.live.publish(&case_topic(case_id), message.into());
        }
        Ok(if applied { Recorded::Applied } else { Recorded::Outdated })
    }

    /// The patient of a case `person` may follow now, if any.
    pub async fn may_follow(&self, person: &str, case_id: i64) -> Result<Option<String>, sqlx::Error> {
        let patient: Option<String> = sqlx::query_scalar(
            "SELECT c.patient FROM surgery_cases c JOIN surgery_authorisations a ON a.case_id = c.id
              WHERE c.id = $1 AND a.person = $2 AND a.withdrawn_at IS NULL",
        )
        .bind(case_id)
        .bind(person)
        .fetch_optional(&self.pool)
        .await?;
        let Some(patient) = patient else { return Ok(None) };
        let open = self.state(case_id).await?.is_some_and(|state| state.is_open(Utc::now()));
        Ok(open.then_some(patient))
    }

    /// Records a view of `case_id` by `principal`'s actor in the patient's
    /// access log, under the role "authorised person" (a citizen on
    /// someone else's data with neither guardianship nor delegation is
    /// there by the patient's authorisation: `ActorRole::Family`).
    pub async fn audit_view(&self, principal: &Principal, patient: &str, case_id: i64) -> Result<(), sqlx::Error> {
        let follower = Principal {
            subject: Person { fiscal_code: patient.to_string(), given_name: String::new(), family_name: String::new() },
            relation: Relation::Own,
            ..principal.clone()
        };
        access_log::record_in(
            &self.pool,
            &follower,
            patient,
            CAPABILITY,
            AccessAction::Read,
            Some(&case_id.to_string()),
        )
        .await
    }

    /// A refused attempt on an existing case goes to its patient's log,
    /// under the prober's own name and standing.
    pub async fn audit_refusal(&self, principal: &Principal, case_id: i64) -> Result<(), sqlx::Error> {
        let patient: Option<String> = sqlx::query_scalar("SELECT patient FROM surgery_cases WHERE id = $1")
            .bind(case_id)
            .fetch_optional(&self.pool)
            .await?;
        if let Some(patient) = patient.filter(|patient| *patient != principal.subject.fiscal_code) {
            access_log::record_in(
                &self.pool,
                principal,
                &patient,
                CAPABILITY,
                AccessAction::Refused,
                Some(&case_id.to_string()),
            )
            .await?;
        }
        Ok(())
    }

    /// The patient of `case_id` if the principal's subject is that patient
    /// and may manage it.
    async fn own_case(&self, principal: &Principal, case_id: i64) -> Result<Option<CaseState>, WriteError> {
        if !principal.may(Capability::Interventi) {
            return Err(WriteError::Refused(Notice::Surgery(SurgeryNotice::SurgeryCaseNotFound)));
        }
        let patient: Option<String> = sqlx::query_scalar("SELECT patient FROM surgery_cases WHERE id = $1")
            .bind(case_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| failed(principal, e))?;
        if patient.as_deref() != Some(principal.subject.fiscal_code.as_str()) {
            self.audit_refusal(principal, case_id).await.map_err(|e| failed(principal, e))?;
            return Err(WriteError::Refused(Notice::Surgery(SurgeryNotice::SurgeryCaseNotFound)));
        }
        self.state(case_id).await.map_err(|e| failed(principal, e))
    }

    /// The patient (or a parent, or a delegate for "interventi") lets
    /// `person` follow the case.
    pub async fn authorise(&self, principal: &Principal, case_id: i64, person: &str) -> Result<(), WriteError> {
        // Whose case first: a stranger's attempt is refused (and logged on
        // the patient's record) whatever they typed.
        let state = self.own_case(principal, case_id).await?;
        let person = FiscalCode::parse(person)
            .map_err(|_| WriteError::Refused(Notice::Surgery(SurgeryNotice::SurgeryBadFiscalCode)))?
            .as_str()
            .to_string();
        if !state.is_some_and(|state| state.is_open(Utc::now())) {
            return Err(WriteError::Refused(Notice::Surgery(SurgeryNotice::SurgeryCaseClosed)));
        }
        if person == principal.subject.fiscal_code {
            return Err(WriteError::Refused(Notice::Surgery(SurgeryNotice::SurgerySelf)));
        }
        let _writing = self.writing.lock().await;
        let mut tx = db::begin(&self.pool).await.map_err(|e| failed(principal, e))?;
        let active: Vec<String> =
            sqlx::query_scalar("SELECT person FROM surgery_authorisations WHERE case_id = $1 AND withdrawn_at IS NULL")
                .bind(case_id)
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| failed(principal, e))?;
        if active.contains(&person) {
            return Err(WriteError::Refused(Notice::Surgery(SurgeryNotice::SurgeryAlreadyAuthorised)));
        }
        if active.len() >= MAX_AUTHORISED {
            return Err(WriteError::Refused(Notice::Surgery(SurgeryNotice::SurgeryTooMany)));
        }
        grant_following(&mut tx, case_id, &person, &principal.actor.fiscal_code)
            .await
            .map_err(|e| failed(principal, e))?;
        // The audit line commits with the authorisation, or neither does.
        audit_change(&mut tx, principal, case_id).await.map_err(|e| failed(principal, e))?;
        tx.commit().await.map_err(|e| failed(principal, e))?;
        Ok(())
    }

    /// Withdraws `person`'s authorisation at once: their open live pages
    /// are told and stop.
    pub async fn withdraw(&self, principal: &Principal, case_id: i64, person: &str) -> Result<(), WriteError> {
        self.own_case(principal, case_id).await?;
        let person = person.trim().to_uppercase();
        let _writing = self.writing.lock().await;
        let mut tx = db::begin(&self.pool).await.map_err(|e| failed(principal, e))?;
        let changed = sqlx::query(
            "UPDATE surgery_authorisations SET withdrawn_at = $3
              WHERE case_id = $1 AND person = $2 AND withdrawn_at IS NULL",
        )
        .bind(case_id)
        .bind(&person)
        .bind(crate::clock::stored_second(chrono::Utc::now()))
        .execute(&mut *tx)
        .await
        .map_err(|e| failed(principal, e))?
        .rows_affected();
        if changed == 0 {
            return Err(WriteError::Refused(Notice::Surgery(SurgeryNotice::SurgeryCaseNotFound)));
        }
        // The audit line commits with the withdrawal, or neither does.
        audit_change(&mut tx, principal, case_id).await.map_err(|e| failed(principal, e))?;
        // Streams open on other instances end too.
        self.relay.announce(&mut tx, ACCESS_SOURCE, case_id).await.map_err(|e| failed(principal, e))?;
        tx.commit().await.map_err(|e| failed(principal, e))?;
        self.live.publish(&case_topic(case_id), access_changed_message());
        Ok(())
    }

    async fn followed(&self, person: &str, now: DateTime<Utc>) -> Result<Vec<FollowedCase>, sqlx::Error> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT c.id, p.given_name || ' ' || p.family_name, f.name
               FROM surgery_authorisations a JOIN surgery_cases c ON c.id = a.case_id
               JOIN people p ON p.fiscal_code = c.patient JOIN facilities f ON f.id = c.facility_id
              WHERE a.person = $1 AND a.withdrawn_at IS NULL ORDER BY c.id DESC",
        )
        .bind(person)
        .fetch_all(&self.pool)
        .await?;
        let mut cases = Vec::new();
        for (id, patient_name, hospital) in rows {
            if let Some(state) = self.state(id).await?.filter(|state| state.is_open(now)) {
                cases.push(FollowedCase {
                    id,
                    patient_name,
                    hospital,
                    current: state.current,
                    since_local: rome_minutes(state.since),
                });
            }
        }
        Ok(cases)
    }

    async fn mine(&self, patient: &str, now: DateTime<Utc>) -> Result<Vec<MyCase>, sqlx::Error> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT c.id, f.name FROM surgery_cases c JOIN facilities f ON f.id = c.facility_id
              WHERE c.patient = $1 ORDER BY c.id DESC",
        )
        .bind(patient)
        .fetch_all(&self.pool)
        .await?;
        let mut cases = Vec::new();
        for (id, hospital) in rows {
            let Some(state) = self.state(id).await? else { continue };
            if state.reached.iter().all(|(_, at)| *at < now - Duration::days(MINE_FOR_DAYS)) {
                continue;
            }
            let followers: Vec<FollowerRow> = sqlx::query_as(
                "SELECT a.person, p.given_name || ' ' || p.family_name AS name, a.granted_at, a.granted_by
                   FROM surgery_authorisations a LEFT JOIN people p ON p.fiscal_code = a.person
                  WHERE a.case_id = $1 AND a.withdrawn_at IS NULL ORDER BY a.id",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
            cases.push(MyCase {
                id,
                hospital,
                current: state.current,
                since_local: rome_minutes(state.since),
                open: state.is_open(now),
                followers: followers
                    .into_iter()
                    .map(|FollowerRow { person: fiscal_code, name, granted_at, granted_by }| Follower {
                        fiscal_code,
                        name,
                        granted_local: parse_stored(&granted_at).map(rome_minutes).unwrap_or(granted_at),
                        by_hospital: granted_by == BY_HOSPITAL,
                    })
                    .collect(),
            });
        }
        Ok(cases)
    }
}

/// A failed write of the patient's choices, as the form's answer.
fn failed(principal: &Principal, error: sqlx::Error) -> WriteError {
    WriteError::Access(internal(principal, error))
}

fn internal(principal: &Principal, error: sqlx::Error) -> AccessError {
    crate::db::failure::query_failed(principal, "surgery tracker", error)
}

#[async_trait]
impl SurgeryTracker for SqlSurgery {
    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn overview(&self, principal: &Principal) -> Result<SurgeryOverview, AccessError> {
        let now = Utc::now();
        let following = self.followed(&principal.actor.fiscal_code, now).await.map_err(|e| internal(principal, e))?;
        let mine = if principal.may(Capability::Interventi) {
            self.mine(&principal.subject.fiscal_code, now).await.map_err(|e| internal(principal, e))?
        } else {
            Vec::new()
        };
        Ok(SurgeryOverview { following, mine })
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn case(&self, principal: &Principal, id: i64) -> Result<CaseView, AccessError> {
        let Some(patient) =
            self.may_follow(&principal.actor.fiscal_code, id).await.map_err(|e| internal(principal, e))?
        else {
            // A case that exists records the refused attempt in its
            // patient's log; another case id gets the same answer as none.
            self.audit_refusal(principal, id).await.map_err(|e| internal(principal, e))?;
            return Err(AccessError::NotAllowed);
        };
        let state = self.state(id).await.map_err(|e| internal(principal, e))?.ok_or(AccessError::NotAllowed)?;
        let (patient_name, hospital): (String, String) = sqlx::query_as(
            "SELECT p.given_name || ' ' || p.family_name, f.name FROM surgery_cases c
               JOIN people p ON p.fiscal_code = c.patient JOIN facilities f ON f.id = c.facility_id WHERE c.id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| internal(principal, e))?;
        self.audit_view(principal, &patient, id).await.map_err(|e| internal(principal, e))?;
        let reached: Vec<(Phase, String, String)> =
            state.reached.iter().map(|(phase, at)| (*phase, rome_minutes(*at), stored_second(*at))).collect();
        Ok(CaseView {
            id,
            patient_name,
            hospital,
            current: state.current,
            steps: timeline(&reached),
            access_until_local: state.access_until.map(rome_minutes),
        })
    }
}

/// Lets `person` follow case `case_id` live, granted by `granted_by` (the
/// patient's side, or [`BY_HOSPITAL`] on admission); the only writer of
/// `surgery_authorisations` besides withdrawal. The hospital's list never
/// brings back someone already named: one the patient has withdrawn stays
/// out.
async fn grant_following(
    tx: &mut sqlx::AnyConnection,
    case_id: i64,
    person: &str,
    granted_by: &str,
) -> Result<(), sqlx::Error> {
    let sql = if granted_by == BY_HOSPITAL {
        "INSERT INTO surgery_authorisations (case_id, person, granted_by)
         SELECT $1, $2, $3 WHERE NOT EXISTS
           (SELECT 1 FROM surgery_authorisations WHERE case_id = $1 AND person = $2)"
    } else {
        "INSERT INTO surgery_authorisations (case_id, person, granted_by) VALUES ($1, $2, $3)"
    };
    sqlx::query(sql).bind(case_id).bind(person).bind(granted_by).execute(&mut *tx).await?;
    Ok(())
}

/// The patient's audit line for a change of who may follow `case_id`,
/// written in the change's own transaction.
async fn audit_change(tx: &mut sqlx::AnyConnection, principal: &Principal, case_id: i64) -> Result<(), sqlx::Error> {
    let subject = &principal.subject.fiscal_code;
    access_log::record_in(tx, principal, subject, CAPABILITY, AccessAction::Write, Some(&case_id.to_string())).await
}

#[async_trait]
impl LiveSource for SqlSurgery {
    fn sources(&self) -> &'static [&'static str] {
        &[EVENT_SOURCE, ACCESS_SOURCE]
    }

    async fn replay(&self, source: &str, id: i64) -> Result<(), sqlx::Error> {
        if source == ACCESS_SOURCE {
            self.live.publish(&case_topic(id), access_changed_message());
            return Ok(());
        }
        let event: Option<(i64, String, String)> =
            sqlx::query_as("SELECT case_id, phase, at FROM surgery_events WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        let Some((case_id, phase, at)) = event else { return Ok(()) };
        let (Some(phase), Some(at), Some(state)) =
            (Phase::from_code(&phase), parse_stored(&at), self.state(case_id).await?)
        else {
            return Ok(());
        };
        let update = PhaseUpdate {
            case_id,
            phase: phase.code().to_string(),
            at_local: rome_minutes(at),
            at_utc: stored_second(at),
            current: state.current.code().to_string(),
        };
        if let Ok(message) = serde_json::to_string(&update) {
            self.live.publish(&case_topic(case_id), message.into());
        }
        Ok(())
    }

    async fn refresh(&self) -> Result<(), sqlx::Error> {
        let watched = self.live.watched_topics();
        let cases = watched.iter().filter_map(|topic| topic.strip_prefix("intervento-")?.parse::<i64>().ok());
        for case_id in cases {
            // Open streams check again whether they may go on, and get the
            // furthest phase reached.
            self.live.publish(&case_topic(case_id), access_changed_message());
            let latest: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM surgery_events WHERE case_id = $1 ORDER BY at DESC, id DESC LIMIT 1",
            )
            .bind(case_id)
            .fetch_optional(&self.pool)
            .await?;
            if let Some(event) = latest {
                self.replay(EVENT_SOURCE, event).await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> String {
        format!("2026-11-23T{text}:00Z")
    }

    #[test]
    fn the_state_is_the_furthest_phase_and_a_late_earlier_event_does_not_move_it() {
        let events = vec![
            ("admitted".to_string(), at("08:00")),
            ("in_theatre".to_string(), at("10:00")),
            ("in_block".to_string(), at("09:30")),
        ];
        let state = CaseState::from_events(events).expect("state");
        assert_eq!(state.current, Phase::InTheatre);
        assert_eq!(state.reached.len(), 3);
        assert_eq!(state.access_until, None);
    }

    #[test]
    fn following_ends_a_day_after_the_ending() {
        let events = vec![("admitted".to_string(), at("08:00")), ("back_to_ward".to_string(), at("12:00"))];
        let state = CaseState::from_events(events).expect("state");
        let ended = parse_stored(&at("12:00")).expect("time");
        assert_eq!(state.access_until, Some(ended + Duration::hours(24)));
        assert!(state.is_open(ended + Duration::hours(23)));
        assert!(!state.is_open(ended + Duration::hours(24)));
    }

    #[test]
    fn no_events_no_state() {
        assert!(CaseState::from_events(Vec::new()).is_none());
        assert!(CaseState::from_events(vec![("boh".into(), at("08:00"))]).is_none());
    }
}
