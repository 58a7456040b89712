//! What the screening centre reports through the ingest API, applied in
//! SQL: kit steps, first-level results and second-level outcomes; results
//! become FSE documents and notifications, in the event's transaction.

use app::domain::screening::{fit_result, Programme, ScreeningResult, ScreeningTest};
use app::screening::model::KitStep;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::AnyConnection;

use super::ingest::{EventKind, ScreeningEvent};
use super::SqlScreening;
use crate::clock::stored_instant;
use crate::clock::{rome_rfc3339, utc_to_rome};
use crate::db::{self, rules};
use crate::ingest::answer::Recorded;
use crate::notifications::notify;
use crate::prevention::facts::{self, Facts};
use crate::slots::places::place_row;

/// LOINC of the FIT test in the lab report.
const FIT_LOINC: &str = "29771-3";

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

/// The test done at a first-level appointment.
fn appointment_test(programme: Programme, facts: &Facts, on: NaiveDate) -> ScreeningTest {
    programme.invites(facts.sex, facts.age_years(on)).unwrap_or(match programme {
        Programme::Colorectal => ScreeningTest::Fit,
        Programme::Breast => ScreeningTest::Mammography,
        Programme::Cervical => ScreeningTest::HpvDna,
    })
}

impl SqlScreening {
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
            "INSERT INTO screening_events (client_id, event_id, kind, reference, body) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(client_id)
        .bind(&event.event_id)
        .bind(event.kind.code())
        .bind(&event.reference)
        .bind(body.to_string())
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(error) if db::refused_by(&error, rules::SCREENING_EVENT_ONCE) => return Ok(Recorded::Duplicate),
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
    connection: &mut AnyConnection,
    person: &str,
    (loinc, title, author): (&str, &str, &str),
    facility: i64,
    at: DateTime<Utc>,
    body: serde_json::Value,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO fse_documents (person, loinc_code, title, facility_id, author, issued_at, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
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
    connection: &mut AnyConnection,
    person: &str,
    test: ScreeningTest,
    on: NaiveDate,
    result: ScreeningResult,
    document_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO screening_tests (person, programme, test, performed_on, result, document_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
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
    connection: &mut AnyConnection,
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

#[derive(sqlx::FromRow)]
struct KitRow {
    id: i64,
    person: String,
    pharmacy_id: i64,
    status: String,
}

async fn kit_event(connection: &mut AnyConnection, event: &ScreeningEvent) -> Result<Recorded, ScreeningEventRefusal> {
    let kit: Option<KitRow> = sqlx::query_as("SELECT id, person, pharmacy_id, status FROM fit_kits WHERE code = $1")
        .bind(&event.reference)
        .fetch_optional(&mut *connection)
        .await?;
    let Some(KitRow { id, person, pharmacy_id: pharmacy, status }) = kit else {
        return Err(ScreeningEventRefusal::UnknownReference);
    };
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
        "UPDATE fit_kits SET status = $2,
                ready_at = CASE WHEN $3 >= 1 THEN coalesce(ready_at, $4) ELSE ready_at END,
                collected_at = CASE WHEN $3 >= 2 THEN coalesce(collected_at, $4) ELSE collected_at END,
                returned_at = CASE WHEN $3 >= 3 THEN coalesce(returned_at, $4) ELSE returned_at END,
                resulted_at = CASE WHEN $3 >= 4 THEN coalesce(resulted_at, $4) ELSE resulted_at END
          WHERE id = $1",
    )
    .bind(id)
    .bind(target.code())
    .bind(target as i64)
    .bind(&at)
    .execute(&mut *connection)
    .await?;
    let pharmacy = place_row(connection, pharmacy).await?;
    match target {
        KitStep::Ready => {
            let where_ = format!("{}, {}, {}", pharmacy.name, pharmacy.address, pharmacy.town);
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
            let report = event.result.clone().unwrap_or(super::ingest::ResultReport {
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
                "SELECT id FROM facilities WHERE asl_code = $1 AND kind IN ('hub_hospital', 'hospital')
                  ORDER BY kind = 'hub_hospital' DESC, id LIMIT 1",
            )
            .bind(&pharmacy.asl_code)
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
            sqlx::query("UPDATE fit_kits SET test_id = $2 WHERE id = $1")
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

#[derive(sqlx::FromRow)]
struct AppointmentRow {
    id: i64,
    person: String,
    kind: String,
    topic: String,
    status: String,
    facility_id: i64,
}

async fn appointment_result(
    connection: &mut AnyConnection,
    event: &ScreeningEvent,
) -> Result<Recorded, ScreeningEventRefusal> {
    let row: Option<AppointmentRow> = sqlx::query_as(
        "SELECT a.id, a.person, a.kind, a.topic, a.status, s.facility_id
           FROM prevention_appointments a JOIN slots s ON s.id = a.slot_id
          WHERE a.code = $1 AND a.kind IN ('screening', 'screening_second_level')",
    )
    .bind(&event.reference)
    .fetch_optional(&mut *connection)
    .await?;
    let Some(AppointmentRow { id, person, kind, topic, status, facility_id: facility }) = row else {
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
    sqlx::query("UPDATE prevention_appointments SET status = 'done', ended_at = $2 WHERE id = $1")
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
