//! The centralised waiting list (seed #36.4): entries taken in charge when
//! nothing is free within the priority's deadline, offers of freed or new
//! slots to the first eligible entry (held for a while, then to the next),
//! and every entry's outcome kept so unmet demand can be counted by
//! service, ASL and priority (`status = 'expired'`).

use app::cup::notice::CupNotice;
use app::notice::Notice;
use std::time::Duration;

use app::access_log::model::AccessAction;
use app::cup::model::{SlotOffer, WaitingEntry, WaitingStatus};
use app::domain::cup::{normalise_nre, Priority};
use app::identity::model::Principal;
use app::notice::WriteError;
use chrono::{DateTime, Duration as Days, Utc};
use sqlx::{AnyConnection, AnyPool};

use super::prescriptions::{prescription, problem, refused};
use crate::access_log::AuditTrail;
use crate::clock::{rome_minutes, rome_today, stored_instant, utc_to_rome};
use crate::db;
use crate::slots::places::place_by_id;
use crate::slots::{
    earliest_by_facility, instant, kinds_sql, local_day_time, local_now_prefix, reference_code, AGENDA_KINDS, FREE_SLOT,
};

/// An entry, with its service's name.
#[derive(sqlx::FromRow)]
struct WaitingEntryRow {
    id: i64,
    reference: String,
    nre: String,
    name: String,
    priority: String,
    requested_on: String,
    deadline: String,
    status: String,
}

/// An entry's open offer: the slot's facility and start, and until when it is held.
#[derive(sqlx::FromRow)]
struct OfferRow {
    id: i64,
    facility_id: i64,
    starts_at: String,
    expires_at: String,
}

/// The subject's entries, newest first, with any open offer.
pub async fn entries(connection: &mut AnyConnection, subject: &str) -> Result<Vec<WaitingEntry>, sqlx::Error> {
    let rows: Vec<WaitingEntryRow> = sqlx::query_as(
        "SELECT w.id, w.reference, w.nre, sv.name, w.priority, w.requested_on, w.deadline, w.status
           FROM waiting_list w JOIN outpatient_services sv ON sv.code = w.service_code
          WHERE w.person = $1 ORDER BY w.id DESC LIMIT 50",
    )
    .bind(subject)
    .fetch_all(&mut *connection)
    .await?;
    let mut entries = Vec::with_capacity(rows.len());
    for WaitingEntryRow { id, reference, nre, name: service_name, priority, requested_on, deadline, status } in rows {
        let offer: Option<OfferRow> = sqlx::query_as(
            "SELECT o.id, s.facility_id, s.starts_at, o.expires_at FROM slot_offers o JOIN slots s ON s.id = o.slot_id
              WHERE o.entry_id = $1 AND o.outcome IS NULL",
        )
        .bind(id)
        .fetch_optional(&mut *connection)
        .await?;
        let offer = match offer {
            Some(OfferRow { id: offer_id, facility_id: facility, starts_at, expires_at }) => {
                let place = place_by_id(connection, facility).await?;
                let (day, time) = local_day_time(&starts_at);
                let expires_local = instant(&expires_at).map(rome_minutes).unwrap_or(expires_at);
                Some(SlotOffer { id: offer_id, place, day, time, expires_local })
            }
            None => None,
        };
        entries.push(WaitingEntry {
            reference,
            nre,
            service_name,
            priority: Priority::from_code(&priority).unwrap_or(Priority::P),
            requested_on,
            deadline,
            status: WaitingStatus::from_code(&status).unwrap_or(WaitingStatus::Waiting),
            offer,
        });
    }
    Ok(entries)
}

/// Takes the prescription in charge. Refused when a slot is free in time
/// (book it instead) or the prescription cannot be booked.
/// The entry and its audit line commit together.
pub async fn join(pool: &AnyPool, trail: &AuditTrail, principal: &Principal, nre: &str) -> Result<String, WriteError> {
    let subject = &principal.subject.fiscal_code;
    let nre = normalise_nre(nre).map_err(|_| WriteError::Refused(Notice::Cup(CupNotice::NreNotUsable)))?;
    let today = rome_today();
    let now = Utc::now();
    let internal =
        |error: sqlx::Error| WriteError::Access(crate::db::failure::query_failed(principal, "waiting list", error));
    let mut tx = db::begin(pool).await.map_err(internal)?;
    let result = async {
        let found = prescription(&mut tx, subject, &nre, today).await.map_err(internal)?;
        if let Some(problem) = problem(found.as_ref(), today, None) {
            return Err(WriteError::Refused(refused(problem)));
        }
        let Some(found) = found else { return Err(WriteError::Refused(Notice::Cup(CupNotice::NreNotUsable))) };
        if found.card.waiting_reference.is_some() {
            return Err(WriteError::Refused(Notice::Cup(CupNotice::WaitingListAlready)));
        }
        let earliest =
            earliest_by_facility(pool, &found.card.service_code, &local_now_prefix(now), &kinds_sql(AGENDA_KINDS))
                .await
                .map_err(internal)?;
        if earliest.iter().any(|(_, _, starts)| local_day_time(starts).0 <= found.card.deadline) {
            return Err(WriteError::Refused(Notice::Cup(CupNotice::WaitingListNotNeeded)));
        }
        let asl: String = sqlx::query_scalar(
            "SELECT d.asl_code FROM people p JOIN municipalities m ON m.belfiore = p.municipality
               JOIN care_areas ca ON ca.id = m.care_area_id JOIN districts d ON d.id = ca.district_id
              WHERE p.fiscal_code = $1",
        )
        .bind(subject)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal)?;
        let reference = reference_code("LA");
        sqlx::query(
            "INSERT INTO waiting_list (reference, nre, person, service_code, priority, asl_code, requested_on, deadline, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'waiting')",
        )
        .bind(&reference)
        .bind(&nre)
        .bind(subject)
        .bind(&found.card.service_code)
        .bind(found.card.priority.code())
        .bind(asl)
        .bind(today.to_string())
        .bind(&found.card.deadline)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        trail.record_in(&mut tx, principal, AccessAction::Write, Some(&reference)).await?;
        Ok(reference)
    }
    .await;
    match result {
        Ok(reference) => {
            tx.commit().await.map_err(internal)?;
            Ok(reference)
        }
        Err(error) => {
            let _ = tx.rollback().await;
            Err(error)
        }
    }
}

/// An open, unexpired offer made to `subject`: its prescription and slot.
pub async fn open_offer(pool: &AnyPool, subject: &str, offer_id: i64) -> Result<Option<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT w.nre, o.slot_id FROM slot_offers o JOIN waiting_list w ON w.id = o.entry_id
          WHERE o.id = $1 AND w.person = $2 AND o.outcome IS NULL AND o.expires_at > $3",
    )
    .bind(offer_id)
    .bind(subject)
    .bind(stored_instant(Utc::now()))
    .fetch_optional(pool)
    .await
}

/// Closes an open offer; a declined one puts its entry back in line.
pub async fn decide(
    connection: &mut AnyConnection,
    offer_id: i64,
    outcome: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE slot_offers SET outcome = $2, decided_at = $3 WHERE id = $1 AND outcome IS NULL")
        .bind(offer_id)
        .bind(outcome)
        .bind(stored_instant(now))
        .execute(&mut *connection)
        .await?;
    sqlx::query(
        "UPDATE waiting_list SET status = 'waiting'
          WHERE id = (SELECT entry_id FROM slot_offers WHERE id = $1) AND status = 'offered'",
    )
    .bind(offer_id)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// A booking made with a prescription closes its waiting-list entry.
/// Returns whether an offer of another slot was released by it.
pub async fn close_for_booking(
    connection: &mut AnyConnection,
    nre: &str,
    booking_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let released = sqlx::query(
        "UPDATE slot_offers SET outcome = 'declined', decided_at = $2
          WHERE outcome IS NULL AND entry_id IN (SELECT id FROM waiting_list WHERE nre = $1 AND status IN ('waiting', 'offered'))",
    )
    .bind(nre)
    .bind(stored_instant(now))
    .execute(&mut *connection)
    .await?
    .rows_affected();
    sqlx::query(
        "UPDATE waiting_list SET status = 'booked', booking_id = $2, closed_at = $3
          WHERE nre = $1 AND status IN ('waiting', 'offered')",
    )
    .bind(nre)
    .bind(booking_id)
    .bind(stored_instant(now))
    .execute(&mut *connection)
    .await?;
    Ok(released > 0)
}

/// An entry still waiting, with its service's name.
#[derive(sqlx::FromRow)]
struct WaitingRow {
    id: i64,
    person: String,
    service_code: String,
    deadline: String,
    name: String,
}

/// Expires lapsed offers and entries past their deadline, then offers each
/// waiting entry, first come first served, the earliest free slot of its
/// service within its deadline that it was never offered. Runs after every
/// cancellation or move and periodically (new agendas, lapsed offers).
/// Returns how many offers were made.
pub async fn match_offers(pool: &AnyPool, hold: Duration) -> Result<u32, sqlx::Error> {
    let now = Utc::now();
    let today = rome_today();
    let mut tx = db::begin(pool).await?;
    sqlx::query(
        "UPDATE slot_offers SET outcome = 'expired', decided_at = $1 WHERE outcome IS NULL AND expires_at <= $1",
    )
    .bind(stored_instant(now))
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE waiting_list SET status = 'waiting' WHERE status = 'offered'
            AND NOT EXISTS (SELECT 1 FROM slot_offers o WHERE o.entry_id = waiting_list.id AND o.outcome IS NULL)",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE waiting_list SET status = 'expired', closed_at = $2 WHERE status = 'waiting' AND deadline < $1",
    )
    .bind(today.to_string())
    .bind(stored_instant(now))
    .execute(&mut *tx)
    .await?;
    let waiting: Vec<WaitingRow> = sqlx::query_as(
        "SELECT w.id, w.person, w.service_code, w.deadline, sv.name FROM waiting_list w
           JOIN outpatient_services sv ON sv.code = w.service_code
          WHERE w.status = 'waiting' ORDER BY w.id",
    )
    .fetch_all(&mut *tx)
    .await?;
    let expires = now + Days::from_std(hold).unwrap_or_else(|_| Days::hours(1));
    let mut offers = 0;
    for WaitingRow { id: entry_id, person, service_code: service, deadline, name: service_name } in waiting {
        let slot: Option<(i64, String, String)> = sqlx::query_as(&format!(
            "SELECT s.id, s.starts_at, f.name FROM slots s JOIN facilities f ON f.id = s.facility_id
              WHERE s.service_code = $1 AND s.starts_at > $2 AND substr(s.starts_at, 1, 10) <= $3 AND {FREE_SLOT}
                AND NOT EXISTS (SELECT 1 FROM slot_offers seen WHERE seen.entry_id = $4 AND seen.slot_id = s.id)
              ORDER BY s.starts_at LIMIT 1"
        ))
        .bind(&service)
        .bind(local_now_prefix(now))
        .bind(&deadline)
        .bind(entry_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((slot_id, starts_at, facility)) = slot else { continue };
        sqlx::query("INSERT INTO slot_offers (entry_id, slot_id, expires_at) VALUES ($1, $2, $3)")
            .bind(entry_id)
            .bind(slot_id)
            .bind(stored_instant(expires))
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE waiting_list SET status = 'offered' WHERE id = $1")
            .bind(entry_id)
            .execute(&mut *tx)
            .await?;
        let (day, time) = local_day_time(&starts_at);
        let message = format!(
            "Si è liberato un posto per {service_name}: {facility}, {} alle {time}. Accettalo entro le {}.",
            app::domain::dates::italian_date(&day),
            utc_to_rome(expires).format("%H:%M del %d/%m/%Y"),
        );
        crate::notifications::notify(&mut tx, &person, "offerta-lista-attesa", &message, "/prenotazioni").await?;
        offers += 1;
    }
    tx.commit().await?;
    if offers > 0 {
        tracing::info!(offers, "waiting list: slots offered");
    }
    Ok(offers)
}

/// One run of [`match_offers`] (the job `waiting-list`, see `jobs`).
pub async fn match_once(pool: AnyPool, hold: Duration) {
    if let Err(error) = match_offers(&pool, hold).await {
        tracing::warn!(%error, "waiting list matching failed");
    }
}
