//! A prescription as booking needs it: its service, priority, deadline and
//! ticket, why it cannot be booked now, and the subject's exemption.

use app::cup::model::{NreProblem, PrescriptionCard};
use app::cup::notice::CupNotice;
use app::domain::cup::Priority;
use app::notice::Notice;
use chrono::{Duration as Days, NaiveDate};
use sqlx::AnyConnection;

/// A prescription with what booking needs of its service.
pub(super) struct Prescription {
    pub(super) card: PrescriptionCard,
    pub(super) kind: String,
    pub(super) valid_until: NaiveDate,
    pub(super) ticket_cents: i64,
    pub(super) preparation: String,
}

/// A prescription, its service (if known) and any active booking or
/// waiting-list entry.
#[derive(sqlx::FromRow)]
struct PrescriptionRow {
    nre: String,
    kind: String,
    service_code: Option<String>,
    name: Option<String>,
    priority: Option<String>,
    prescriber: String,
    issued_on: String,
    valid_until: String,
    is_diagnostic: Option<i64>,
    ticket_cents: Option<i64>,
    preparation: Option<String>,
    booking_code: Option<String>,
    waiting_reference: Option<String>,
}

pub(super) async fn prescription(
    connection: &mut AnyConnection,
    subject: &str,
    nre: &str,
    today: NaiveDate,
) -> Result<Option<Prescription>, sqlx::Error> {
    let row: Option<PrescriptionRow> = sqlx::query_as(
        "SELECT p.nre, p.kind, p.service_code, s.name, p.priority, p.prescriber, p.issued_on, p.valid_until,
                s.is_diagnostic, s.ticket_cents, s.preparation,
                (SELECT b.code FROM bookings b WHERE b.nre = p.nre AND b.status = 'active') AS booking_code,
                (SELECT w.reference FROM waiting_list w WHERE w.nre = p.nre AND w.status IN ('waiting', 'offered'))
                  AS waiting_reference
           FROM prescriptions p LEFT JOIN outpatient_services s ON s.code = p.service_code
          WHERE p.nre = $1 AND p.person = $2",
    )
    .bind(nre)
    .bind(subject)
    .fetch_optional(&mut *connection)
    .await?;
    Ok(row.map(|row| {
        let priority = row.priority.as_deref().and_then(Priority::from_code).unwrap_or(Priority::P);
        let diagnostic = row.is_diagnostic == Some(1);
        let deadline = today + Days::days(i64::from(priority.max_wait_days(diagnostic)));
        Prescription {
            card: PrescriptionCard {
                nre: row.nre,
                service_code: row.service_code.unwrap_or_default(),
                service_name: row.name.unwrap_or_default(),
                priority,
                prescriber: row.prescriber,
                issued_on: row.issued_on,
                valid_until: row.valid_until.clone(),
                deadline: deadline.to_string(),
                booking_code: row.booking_code,
                waiting_reference: row.waiting_reference,
            },
            kind: row.kind,
            valid_until: NaiveDate::parse_from_str(&row.valid_until, "%Y-%m-%d").unwrap_or(today),
            ticket_cents: row.ticket_cents.unwrap_or_default(),
            preparation: row.preparation.unwrap_or_default(),
        }
    }))
}

/// Why a prescription cannot be booked now (moving its own booking aside).
pub(super) fn problem(
    prescription: Option<&Prescription>,
    today: NaiveDate,
    moving: Option<&str>,
) -> Option<NreProblem> {
    let Some(prescription) = prescription else { return Some(NreProblem::NotYours) };
    if prescription.kind != "specialist" {
        return Some(NreProblem::NotBookable);
    }
    if prescription.valid_until < today {
        return Some(NreProblem::Expired);
    }
    match (&prescription.card.booking_code, moving) {
        (Some(code), Some(moving)) if code == moving => None,
        (Some(_), _) => Some(NreProblem::AlreadyBooked),
        (None, _) => None,
    }
}

pub(super) fn refused(problem: NreProblem) -> Notice {
    match problem {
        NreProblem::AlreadyBooked => Notice::Cup(CupNotice::PrescriptionAlreadyBooked),
        _ => Notice::Cup(CupNotice::NreNotUsable),
    }
}

/// The subject's exemption valid today, if any (it zeroes the ticket):
/// registered by the ASL or self-certified by income (not withdrawn).
pub(super) async fn exemption(
    connection: &mut AnyConnection,
    subject: &str,
    today: NaiveDate,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT code FROM exemptions WHERE person = $1 AND valid_from <= $2 AND (valid_until IS NULL OR valid_until >= $2)
         UNION ALL
         SELECT code FROM income_exemption_declarations
          WHERE person = $1 AND withdrawn_at IS NULL AND valid_from <= $2 AND valid_until >= $2
          ORDER BY code LIMIT 1",
    )
    .bind(subject)
    .bind(today.to_string())
    .fetch_optional(&mut *connection)
    .await
}
