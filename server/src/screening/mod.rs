//! The screening programmes in SQL: the subject's programmes (rules in
//! `app::domain::screening`, applied with dates in `prevention::facts`),
//! FIT kits, the screening centre's events (results become FSE documents
//! and notifications) and the region's adherence figures.

pub mod feeder;
pub mod ingest;
pub mod routes;

use app::cup::notice::CupNotice;
use app::notice::Notice;
use app::screening::notice::KitNotice;
use std::collections::HashMap;
use std::time::Duration;

use app::access_log::model::AccessAction;
use app::cup::model::Choice;
use app::cup::port::BookingError;
use app::domain::screening::{fit_result, Programme, ScreeningResult, ScreeningTest};
use app::domain::vaccination::Campaign;
use app::identity::model::{Capability, Principal, Role};
use app::identity::AccessError;
use app::prevention::model::Purpose;
use app::screening::model::{
    suppress_cells, AdherenceReport, AdherenceRow, CampaignCoverage, Kit, KitStep, LastTest, ProgrammeCard,
    ProgrammeTotal, ScreeningPage,
};
use app::screening::port::Screening;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::{SqliteConnection, SqlitePool};

use self::ingest::{EventKind, ScreeningEvent};
use crate::clock::stored_as_rome_minutes;
use crate::clock::stored_instant;
use crate::clock::{rome_rfc3339, rome_today, utc_to_rome};
use crate::cup::{place, short_code, PlaceRow, SELECT_PLACE};
use crate::db;
use crate::ingest::answer::Recorded;
use crate::notifications::notify;
use crate::prevention::facts::{self, Dose, Facts};
use crate::prevention::{live_appointments, settle, Trails};

/// LOINC of the FIT test in the lab report.
const FIT_LOINC: &str = "29771-3";

pub struct SqlScreening {
    pool: SqlitePool,
    trails: Trails,
    change_closes: Duration,
}

/// Why an event was not applied.
#[derive(Debug)]
pub enum ScreeningEventRefusal {
    /// No kit or appointment with this code.
    UnknownReference,
    /// The kit was cancelled, the appointment cancelled or moved.
    Closed,
    /// An appointment only receives its result.
    StepOfAppointment,
    /// An appointment's result needs `outcome`.
    OutcomeRequired,
    Database(sqlx::Error),
}

impl From<sqlx::Error> for ScreeningEventRefusal {
    fn from(error: sqlx::Error) -> Self {
        ScreeningEventRefusal::Database(error)
    }
}

/// Stored kit timestamps, in step order.
type KitRow = (String, i64, String, String, Option<String>, Option<String>, Option<String>, Option<String>);

fn kit_view(row: KitRow, pharmacy: PlaceRow) -> Option<Kit> {
    let (code, _, status, requested, ready, collected, returned, resulted) = row;
    let step = KitStep::from_code(&status)?;
    let reached = [Some(requested), ready, collected, returned, resulted]
        .into_iter()
        .map(|at| at.map(|at| stored_as_rome_minutes(&at)))
        .collect();
    Some(Kit { code, pharmacy: place(&pharmacy), step, reached })
}

/// The test done at a first-level appointment.
fn appointment_test(programme: Programme, facts: &Facts, on: NaiveDate) -> ScreeningTest {
    programme.invites(facts.sex, facts.age_years(on)).unwrap_or(match programme {
        Programme::Colorectal => ScreeningTest::Fit,
        Programme::Breast => ScreeningTest::Mammography,
        Programme::Cervical => ScreeningTest::HpvDna,
    })
}

/// Five-year band of an age inside a programme's ages: "50–54".
pub fn age_band(age: u32) -> String {
    let from = age / 5 * 5;
    format!("{from}–{}", from + 4)
}

impl SqlScreening {
    pub fn new(pool: SqlitePool, change_closes: Duration) -> SqlScreening {
        SqlScreening { trails: Trails::new(&pool), pool, change_closes }
    }

    /// Applies one event of the screening centre (see `ingest`).
    #[tracing::instrument(skip_all, fields(client = client_id, event = %event.event_id), err(Debug, level = "info"))]
    pub async fn record(&self, client_id: &str, event: &ScreeningEvent) -> Result<Recorded, ScreeningEventRefusal> {
        let mut tx = db::begin(&self.pool).await?;
        let body = json!({
            "at": event.at.to_rfc3339(),
            "result": event.result.as_ref().map(|r| json!({
                "outcome": r.outcome.map(ScreeningResult::code),
                "haemoglobin_ng_ml": r.haemoglobin_ng_ml,
                "report": r.report,
            })),
        });
        let inserted = sqlx::query(
            "INSERT INTO screening_events (client_id, event_id, kind, reference, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(client_id)
        .bind(&event.event_id)
        .bind(event.kind.code())
        .bind(&event.reference)
        .bind(body.to_string())
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(error) if db::violates_unique(&error, "screening_events.client_id") => return Ok(Recorded::Duplicate),
            Err(error) => return Err(error.into()),
            Ok(_) => {}
        }
        let recorded = if event.reference.starts_with("KIT-") {
            kit_event(&mut tx, event).await?
        } else {
            appointment_result(&mut tx, event).await?
        };
        tx.commit().await?;
        Ok(recorded)
    }
}

/// Inserts an FSE document for `person`; returns its id.
async fn add_document(
    connection: &mut SqliteConnection,
    person: &str,
    (loinc, title, author): (&str, &str, &str),
    facility: i64,
    at: DateTime<Utc>,
    body: serde_json::Value,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO fse_documents (person, loinc_code, title, facility_id, author, issued_at, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
    )
    .bind(person)
    .bind(loinc)
    .bind(title)
    .bind(facility)
    .bind(author)
    .bind(rome_rfc3339(utc_to_rome(at)))
    .bind(body.to_string())
    .fetch_one(connection)
    .await
}

async fn add_test(
    connection: &mut SqliteConnection,
    person: &str,
    test: ScreeningTest,
    on: NaiveDate,
    result: ScreeningResult,
    document_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO screening_tests (person, programme, test, performed_on, result, document_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
    )
    .bind(person)
    .bind(test.programme().code())
    .bind(test.code())
    .bind(on.to_string())
    .bind(result.code())
    .bind(document_id)
    .fetch_one(connection)
    .await
}

/// The notifications a result sends: the report, and the second level.
async fn notify_result(
    connection: &mut SqliteConnection,
    person: &str,
    programme: Programme,
    result: ScreeningResult,
    document_id: i64,
) -> Result<(), sqlx::Error> {
    let name = app::prevention::texts::IT.programme(programme);
    notify(
        &mut *connection,
        person,
        "esito-screening",
        &format!("È disponibile l'esito del test dello {}: lo trovi nel Fascicolo sanitario.", name.to_lowercase()),
        &format!("/fascicolo/documenti/{document_id}"),
    )
    .await?;
    match result {
        ScreeningResult::Positive => {
            let exam = app::prevention::texts::IT.second_level_exam(programme);
            notify(
                &mut *connection,
                person,
                "screening-approfondimento",
                &format!(
                    "Il programma di screening ti propone {exam} di approfondimento, gratuita: prenotala dal portale."
                ),
                &format!("/screening#{}", programme.code()),
            )
            .await
        }
        ScreeningResult::Inadequate => {
            notify(
                &mut *connection,
                person,
                "screening-ripetere",
                "Il campione non è valutabile: il test va ripetuto. Puoi richiederlo di nuovo dal portale.",
                &format!("/screening#{}", programme.code()),
            )
            .await
        }
        ScreeningResult::Negative => Ok(()),
    }
}

async fn kit_event(
    connection: &mut SqliteConnection,
    event: &ScreeningEvent,
) -> Result<Recorded, ScreeningEventRefusal> {
    let kit: Option<(i64, String, i64, String)> =
        sqlx::query_as("SELECT id, person, pharmacy_id, status FROM fit_kits WHERE code = ?1")
            .bind(&event.reference)
            .fetch_optional(&mut *connection)
            .await?;
    let Some((id, person, pharmacy, status)) = kit else { return Err(ScreeningEventRefusal::UnknownReference) };
    let Some(current) = KitStep::from_code(&status) else { return Err(ScreeningEventRefusal::Closed) };
    let target = match event.kind {
        EventKind::KitReady => KitStep::Ready,
        EventKind::KitCollected => KitStep::Collected,
        EventKind::SampleReturned => KitStep::Returned,
        EventKind::Result => KitStep::Resulted,
    };
    if target <= current {
        return Ok(Recorded::Outdated);
    }
    let at = stored_instant(event.at);
    // Steps the centre did not report are dated with this one.
    sqlx::query(
        "UPDATE fit_kits SET status = ?2,
                ready_at = CASE WHEN ?3 >= 1 THEN coalesce(ready_at, ?4) ELSE ready_at END,
                collected_at = CASE WHEN ?3 >= 2 THEN coalesce(collected_at, ?4) ELSE collected_at END,
                returned_at = CASE WHEN ?3 >= 3 THEN coalesce(returned_at, ?4) ELSE returned_at END,
                resulted_at = CASE WHEN ?3 >= 4 THEN coalesce(resulted_at, ?4) ELSE resulted_at END
          WHERE id = ?1",
    )
    .bind(id)
    .bind(target.code())
    .bind(target as i64)
    .bind(&at)
    .execute(&mut *connection)
    .await?;
    let pharmacy: PlaceRow =
        sqlx::query_as(&format!("{SELECT_PLACE} WHERE f.id = ?1")).bind(pharmacy).fetch_one(&mut *connection).await?;
    match target {
        KitStep::Ready => {
            let where_ = format!("{}, {}, {}", pharmacy.1, pharmacy.2, pharmacy.3);
            notify(
                &mut *connection,
                &person,
                "kit-pronto",
                &format!("Il kit per lo screening del colon-retto ({}) è pronto: ritiralo alla {where_} con la tessera sanitaria.", event.reference),
                "/screening#colorectal",
            )
            .await?;
        }
        KitStep::Resulted => {
            let report = event.result.clone().unwrap_or(ingest::ResultReport {
                outcome: None,
                haemoglobin_ng_ml: None,
                report: None,
            });
            let result = match (report.haemoglobin_ng_ml, report.outcome) {
                (Some(value), _) => fit_result(value),
                (None, Some(outcome)) => outcome,
                (None, None) => ScreeningResult::Inadequate,
            };
            // The screening laboratory of the pharmacy's ASL (its hub or first hospital).
            let lab: i64 = sqlx::query_scalar(
                "SELECT id FROM facilities WHERE asl_code = ?1 AND kind IN ('hub_hospital', 'hospital')
                  ORDER BY kind = 'hub_hospital' DESC, id LIMIT 1",
            )
            .bind(&pharmacy.6)
            .fetch_one(&mut *connection)
            .await?;
            let body = match report.haemoglobin_ng_ml {
                Some(value) => json!({ "results": [{
                    "test": "Sangue occulto nelle feci (FIT), screening",
                    "loinc": FIT_LOINC, "value": value, "unit": "ng/mL",
                    "low": 0, "high": app::domain::screening::FIT_POSITIVE_FROM_NG_ML - 1
                }]}),
                None => json!({
                    "exam": "Test per la ricerca del sangue occulto nelle feci (FIT), screening del colon-retto",
                    "conclusion": report.report.clone().unwrap_or_else(|| "Campione non valutabile: il test va ripetuto.".into()),
                }),
            };
            let kind = if report.haemoglobin_ng_ml.is_some() {
                ("11502-2", "Referto di screening del colon-retto (FIT)", "Laboratorio di screening")
            } else {
                ("11488-4", "Esito di screening del colon-retto (FIT)", "Centro screening regionale")
            };
            let document = add_document(&mut *connection, &person, kind, lab, event.at, body).await?;
            let day = utc_to_rome(event.at).date();
            let test = add_test(&mut *connection, &person, ScreeningTest::Fit, day, result, document).await?;
            sqlx::query("UPDATE fit_kits SET test_id = ?2 WHERE id = ?1")
                .bind(id)
                .bind(test)
                .execute(&mut *connection)
                .await?;
            notify_result(&mut *connection, &person, Programme::Colorectal, result, document).await?;
        }
        _ => {}
    }
    Ok(Recorded::Applied)
}

async fn appointment_result(
    connection: &mut SqliteConnection,
    event: &ScreeningEvent,
) -> Result<Recorded, ScreeningEventRefusal> {
    let row: Option<(i64, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT a.id, a.person, a.kind, a.topic, a.status, s.facility_id
           FROM prevention_appointments a JOIN slots s ON s.id = a.slot_id
          WHERE a.code = ?1 AND a.kind IN ('screening', 'screening_second_level')",
    )
    .bind(&event.reference)
    .fetch_optional(&mut *connection)
    .await?;
    let Some((id, person, kind, topic, status, facility)) = row else {
        return Err(ScreeningEventRefusal::UnknownReference);
    };
    if event.kind != EventKind::Result {
        return Err(ScreeningEventRefusal::StepOfAppointment);
    }
    match status.as_str() {
        "done" => return Ok(Recorded::Outdated),
        "active" => {}
        _ => return Err(ScreeningEventRefusal::Closed),
    }
    let report = event.result.clone().ok_or(ScreeningEventRefusal::OutcomeRequired)?;
    let outcome = report.outcome.ok_or(ScreeningEventRefusal::OutcomeRequired)?;
    let programme = Programme::from_code(&topic).ok_or(ScreeningEventRefusal::UnknownReference)?;
    let facts = facts::facts(&mut *connection, &person).await?.ok_or(ScreeningEventRefusal::UnknownReference)?;
    let day = utc_to_rome(event.at).date();
    sqlx::query("UPDATE prevention_appointments SET status = 'done', ended_at = ?2 WHERE id = ?1")
        .bind(id)
        .bind(stored_instant(event.at))
        .execute(&mut *connection)
        .await?;
    let texts = &app::prevention::texts::IT;
    let second_level = kind == "screening_second_level";
    let (exam, loinc) = if second_level {
        (format!("Esame di approfondimento dello {}", texts.programme(programme).to_lowercase()), "11488-4")
    } else {
        let test = appointment_test(programme, &facts, day);
        let loinc = if test == ScreeningTest::Mammography { "68604-8" } else { "11488-4" };
        (format!("{} di screening", texts.test(test)), loinc)
    };
    let conclusion = format!("Esito: {}.", texts.result_text(outcome));
    let body = json!({
        "exam": exam,
        "findings": report.report.clone().unwrap_or_default(),
        "conclusion": conclusion,
    });
    let title = format!("Referto: {exam}");
    let document = add_document(
        &mut *connection,
        &person,
        (loinc, &title, "Centro screening regionale"),
        facility,
        event.at,
        body,
    )
    .await?;
    if second_level {
        notify(
            &mut *connection,
            &person,
            "esito-screening",
            "È disponibile il referto dell'esame di approfondimento: lo trovi nel Fascicolo sanitario.",
            &format!("/fascicolo/documenti/{document}"),
        )
        .await?;
    } else {
        add_test(&mut *connection, &person, appointment_test(programme, &facts, day), day, outcome, document).await?;
        notify_result(&mut *connection, &person, programme, outcome, document).await?;
    }
    Ok(Recorded::Applied)
}

#[async_trait]
impl Screening for SqlScreening {
    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn overview(&self, principal: &Principal) -> Result<ScreeningPage, AccessError> {
        self.trails.check(principal, Capability::Screening).await?;
        let trail = &self.trails.screening;
        let internal = |e| trail.internal(principal, e);
        let subject = &principal.subject.fiscal_code;
        let today = rome_today();
        let mut connection = self.pool.acquire().await.map_err(internal)?;
        let Some(facts) = facts::facts(&mut connection, subject).await.map_err(internal)? else {
            return Err(AccessError::NotAllowed);
        };
        let states = facts::programme_states(&mut connection, subject, &facts, today).await.map_err(internal)?;
        let appointments = live_appointments(&mut connection, subject, self.change_closes).await.map_err(internal)?;
        // The open kit, or the last one of the current interval.
        let kit: Option<KitRow> = sqlx::query_as(
            "SELECT code, pharmacy_id, status, requested_at, ready_at, collected_at, returned_at, resulted_at
               FROM fit_kits WHERE person = ?1 AND status <> 'cancelled' AND requested_at >= ?2
              ORDER BY id DESC LIMIT 1",
        )
        .bind(subject)
        .bind(today.checked_sub_months(chrono::Months::new(24)).unwrap_or(today).to_string())
        .fetch_optional(&mut *connection)
        .await
        .map_err(internal)?;
        let kit = match kit {
            Some(row) => {
                let pharmacy: PlaceRow = sqlx::query_as(&format!("{SELECT_PLACE} WHERE f.id = ?1"))
                    .bind(row.1)
                    .fetch_one(&mut *connection)
                    .await
                    .map_err(internal)?;
                kit_view(row, pharmacy)
            }
            None => None,
        };
        let pharmacies: Vec<PlaceRow> = sqlx::query_as(&format!(
            "{SELECT_PLACE} WHERE f.kind = 'pharmacy' ORDER BY f.asl_code = ?1 DESC, f.asl_code, m.name, f.name"
        ))
        .bind(&facts.asl)
        .fetch_all(&mut *connection)
        .await
        .map_err(internal)?;
        drop(connection);
        let find = |purpose: Purpose| appointments.iter().find(|a| a.purpose == purpose).cloned();
        let programmes = states
            .into_iter()
            .map(|(programme, state, last)| ProgrammeCard {
                programme,
                invitation: state.invitation,
                last: last.map(|last| LastTest {
                    test: last.test,
                    day: last.day.to_string(),
                    result: last.result,
                    document_id: last.document_id,
                }),
                next_due: state.next_due.map(|day| day.to_string()),
                due_now: state.due_now,
                second_level_proposed: state.second_level_proposed,
                appointment: find(Purpose::Screening(programme)),
                second_level_appointment: find(Purpose::SecondLevel(programme)),
                kit: (programme == Programme::Colorectal).then(|| kit.clone()).flatten(),
            })
            .collect();
        trail.record(principal, AccessAction::Read, None).await?;
        Ok(ScreeningPage {
            subject_name: facts.name.clone(),
            age_years: facts.age_years(today),
            programmes,
            pharmacies: pharmacies
                .into_iter()
                .map(|p| Choice { value: p.0.to_string(), label: format!("{}, {} — {} ({})", p.1, p.2, p.3, p.4) })
                .collect(),
        })
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn request_kit(&self, principal: &Principal, pharmacy_id: i64) -> Result<String, BookingError> {
        self.trails.check(principal, Capability::Screening).await?;
        let trail = &self.trails.screening;
        let internal = |e| BookingError::Access(trail.internal(principal, e));
        let subject = &principal.subject.fiscal_code;
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        let outcome = async {
            let pharmacy: Option<i64> =
                sqlx::query_scalar("SELECT id FROM facilities WHERE id = ?1 AND kind = 'pharmacy'")
                    .bind(pharmacy_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(internal)?;
            if pharmacy.is_none() {
                return Err(BookingError::Refused(Notice::Screening(KitNotice::KitPharmacyUnknown)));
            }
            if facts::open_kit(&mut tx, subject).await.map_err(internal)?.is_some() {
                return Err(BookingError::Refused(Notice::Screening(KitNotice::KitAlreadyOpen)));
            }
            let purpose = Purpose::Screening(Programme::Colorectal);
            if !facts::offered(&mut tx, subject, purpose, rome_today()).await.map_err(internal)? {
                return Err(BookingError::Refused(Notice::Screening(KitNotice::KitNotOffered)));
            }
            let code = short_code("KIT");
            let inserted = sqlx::query(
                "INSERT INTO fit_kits (code, person, pharmacy_id, requested_by, status, requested_at)
                 VALUES (?1, ?2, ?3, ?4, 'requested', ?5)",
            )
            .bind(&code)
            .bind(subject)
            .bind(pharmacy_id)
            .bind(&principal.actor.fiscal_code)
            .bind(stored_instant(Utc::now()))
            .execute(&mut *tx)
            .await;
            match inserted {
                Ok(_) => Ok(code),
                Err(error) if db::violates_unique(&error, "fit_kits.person") => {
                    Err(BookingError::Refused(Notice::Screening(KitNotice::KitAlreadyOpen)))
                }
                Err(error) => Err(internal(error)),
            }
        }
        .await;
        settle(tx, outcome, trail, principal, "kit").await
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn cancel_kit(&self, principal: &Principal, code: &str) -> Result<(), BookingError> {
        self.trails.check(principal, Capability::Screening).await?;
        let trail = &self.trails.screening;
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM fit_kits WHERE code = ?1 AND person = ?2")
            .bind(code)
            .bind(&principal.subject.fiscal_code)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| BookingError::Access(trail.internal(principal, e)))?;
        if status.is_none() {
            // Another person's kit: the attempt goes to their log.
            let owner: Option<String> = sqlx::query_scalar("SELECT person FROM fit_kits WHERE code = ?1")
                .bind(code)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| BookingError::Access(trail.internal(principal, e)))?;
            if let Some(owner) = owner.filter(|owner| *owner != principal.subject.fiscal_code) {
                trail.refused_on(principal, &owner, Some(code)).await?;
            }
        }
        match status.as_deref() {
            None | Some("cancelled") => return Err(BookingError::Refused(Notice::Cup(CupNotice::BookingNotFound))),
            Some("requested") => {}
            Some(_) => return Err(BookingError::Refused(Notice::Screening(KitNotice::KitNotCancellable))),
        }
        let internal = |e| BookingError::Access(trail.internal(principal, e));
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        // The condition on the status makes a concurrent "ready" win.
        let updated = sqlx::query("UPDATE fit_kits SET status = 'cancelled' WHERE code = ?1 AND status = 'requested'")
            .bind(code)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        if updated.rows_affected() == 0 {
            let _ = tx.rollback().await;
            return Err(BookingError::Refused(Notice::Screening(KitNotice::KitNotCancellable)));
        }
        // The audit line commits with the cancellation, or neither does.
        trail.record_in(&mut tx, principal, AccessAction::Write, Some(code)).await?;
        tx.commit().await.map_err(internal)?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn adherence(&self, principal: &Principal) -> Result<AdherenceReport, AccessError> {
        if principal.role != Role::RegionOperator {
            return Err(AccessError::NotAllowed);
        }
        let today = rome_today();
        adherence_report(&self.pool, today).await.map_err(|error| {
            tracing::error!(%error, "adherence figures failed");
            AccessError::Internal { request_id: principal.request_id.clone() }
        })
    }
}

/// One person's row for the figures.
type PersonRow = (String, String, String, String, String, Option<String>, Option<String>, i64, i64);

/// Adherence per programme × ASL × age band and campaign coverage per
/// ASL, computed from the registry with the same rules as the pages.
pub async fn adherence_report(pool: &SqlitePool, today: NaiveDate) -> Result<AdherenceReport, sqlx::Error> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query_as::<_, PersonRow>(
        "SELECT p.birth_date, p.sex, p.risk_groups, a.name, d.asl_code,
                (SELECT group_concat(t.test || '|' || t.performed_on || '|' || t.result, ';')
                   FROM screening_tests t WHERE t.person = p.fiscal_code),
                (SELECT group_concat(v.vaccine || '|' || v.administered_on, ';')
                   FROM vaccinations v WHERE v.person = p.fiscal_code),
                EXISTS (SELECT 1 FROM fit_kits k WHERE k.person = p.fiscal_code
                         AND k.status IN ('requested', 'ready', 'collected', 'returned')),
                (SELECT count(*) FROM prevention_appointments x WHERE x.person = p.fiscal_code
                   AND x.status = 'active' AND x.kind = 'screening')
           FROM people p JOIN municipalities m ON m.belfiore = p.municipality
           JOIN care_areas ca ON ca.id = m.care_area_id JOIN districts d ON d.id = ca.district_id
           JOIN asl a ON a.code = d.asl_code",
    )
    .fetch(pool);
    let mut adherence: HashMap<(Programme, String, String), (u64, u64)> = HashMap::new();
    let mut coverage: HashMap<(Campaign, String), (u64, u64)> = HashMap::new();
    while let Some((birth, sex, risk, asl_name, asl_code, tests, doses, open_kit, appointments)) =
        rows.try_next().await?
    {
        let (Some(birth), Some(sex)) = (facts::parse_day(&birth), app::domain::screening::Sex::from_code(&sex)) else {
            continue;
        };
        let person = Facts {
            name: String::new(),
            birth,
            sex,
            at_risk: risk.split(',').any(|group| !group.trim().is_empty()),
            asl: asl_code,
        };
        let mut last: HashMap<Programme, facts::LastTest> = HashMap::new();
        for test in tests.as_deref().unwrap_or_default().split(';').filter(|t| !t.is_empty()) {
            let mut parts = test.split('|');
            let (Some(test), Some(day), Some(result)) = (
                parts.next().and_then(ScreeningTest::from_code),
                parts.next().and_then(facts::parse_day),
                parts.next().and_then(ScreeningResult::from_code),
            ) else {
                continue;
            };
            if last.get(&test.programme()).is_none_or(|known| known.day <= day) {
                last.insert(test.programme(), facts::LastTest { test, day, result, document_id: None });
            }
        }
        let age = person.age_years(today);
        for programme in Programme::ALL {
            let state = facts::programme_state(programme, &person, last.get(&programme), false, today);
            if state.invitation.is_err() {
                continue;
            }
            let under_way = match programme {
                Programme::Colorectal => open_kit == 1,
                _ => appointments > 0,
            };
            let entry = adherence.entry((programme, asl_name.clone(), age_band(age))).or_default();
            entry.0 += 1;
            if !state.due_now || under_way {
                entry.1 += 1;
            }
        }
        let doses: Vec<Dose> = doses
            .as_deref()
            .unwrap_or_default()
            .split(';')
            .filter_map(|dose| {
                let (vaccine, day) = dose.split_once('|')?;
                Some(Dose { vaccine: vaccine.to_string(), day: facts::parse_day(day)? })
            })
            .collect();
        for campaign in Campaign::ALL {
            if !campaign.eligible(person.subject(today)) {
                continue;
            }
            let history = facts::history(campaign, &person, &doses, today);
            let status = facts::campaign_status(campaign, &person, &doses, today);
            let entry = coverage.entry((campaign, asl_name.clone())).or_default();
            entry.0 += 1;
            if history.doses > 0 && !status.bookable() {
                entry.1 += 1;
            }
        }
    }
    let mut adherence: Vec<_> = adherence.into_iter().collect();
    adherence.sort_by(|(a, _), (b, _)| (a.0 as u8, &a.1, &a.2).cmp(&(b.0 as u8, &b.1, &b.2)));
    let mut rows = Vec::new();
    let mut totals = Vec::new();
    for programme in Programme::ALL {
        // Small cells are hidden here, before the numbers leave the server.
        let mine: Vec<_> = adherence.iter().filter(|((p, _, _), _)| *p == programme).collect();
        let counts: Vec<(u64, u64)> = mine.iter().map(|(_, counts)| *counts).collect();
        let hidden = suppress_cells(&counts, true);
        totals.push(ProgrammeTotal {
            programme,
            invited: counts.iter().map(|c| c.0).sum(),
            covered: counts.iter().map(|c| c.1).sum(),
        });
        for (((_, asl, band), (invited, covered)), hide) in mine.into_iter().zip(hidden) {
            let shown = |n: &u64| (!hide).then_some(*n);
            rows.push(AdherenceRow {
                programme,
                asl: asl.clone(),
                band: band.clone(),
                invited: shown(invited),
                covered: shown(covered),
            });
        }
    }
    let mut coverage: Vec<_> = coverage.into_iter().collect();
    coverage.sort_by(|(a, _), (b, _)| (a.0 as u8, &a.1).cmp(&(b.0 as u8, &b.1)));
    let hidden = suppress_cells(&coverage.iter().map(|(_, counts)| *counts).collect::<Vec<_>>(), false);
    let campaigns = coverage
        .into_iter()
        .zip(hidden)
        .map(|(((campaign, asl), (eligible, vaccinated)), hide)| CampaignCoverage {
            campaign,
            asl,
            eligible: (!hide).then_some(eligible),
            vaccinated: (!hide).then_some(vaccinated),
        })
        .collect();
    Ok(AdherenceReport { as_of: today.to_string(), rows, totals, campaigns })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_fall_in_five_year_bands() {
        assert_eq!(age_band(50), "50–54");
        assert_eq!(age_band(54), "50–54");
        assert_eq!(age_band(69), "65–69");
        assert_eq!(age_band(25), "25–29");
    }
}
