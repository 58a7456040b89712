//! Booking a slot with a prescription: the steps of `Cup::book`, each
//! inside the booking's `BEGIN IMMEDIATE` transaction, and the ticket that
//! follows the booking.

use app::access_log::model::AccessAction;
use app::cup::notice::CupNotice;
use app::identity::model::Principal;
use app::identity::AccessError;
use app::notice::{Notice, WriteError};
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

use super::prescriptions::{exemption, prescription, problem, refused};
use super::{waiting_list, SqlCup};
use crate::clock::{rome_today, stored_instant};
use crate::db::{self, rules};
use crate::payments::positions;
use crate::slots::{local_day_time, reference_code, SlotToBook, AGENDA_KINDS};

/// The steps of `Cup::book`, each inside the booking's transaction.
impl SqlCup {
    /// Books `slot_id` for prescription `nre` (moving the booking `moving`
    /// aside if given) and writes its ticket and audit line; answers the
    /// new code and whether a slot became free for the waiting list.
    pub(super) async fn book_in(
        &self,
        tx: &mut AnyConnection,
        principal: &Principal,
        nre: &str,
        slot_id: i64,
        moving: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(String, bool), WriteError> {
        let subject = &principal.subject.fiscal_code;
        let today = rome_today();
        let internal = |e| WriteError::Access(self.trail.internal(principal, e));
        let found = prescription(tx, subject, nre, today).await.map_err(internal)?;
        if let Some(problem) = problem(found.as_ref(), today, moving) {
            return Err(WriteError::Refused(refused(problem)));
        }
        let Some(prescription) = found else { return Err(WriteError::Refused(Notice::Cup(CupNotice::NreNotUsable))) };
        let Some(slot) = SlotToBook::find(tx, slot_id).await.map_err(internal)? else {
            return Err(WriteError::Refused(Notice::Cup(CupNotice::SlotNotFound)));
        };
        if let Some(notice) = slot.refusal(&prescription.card.service_code, AGENDA_KINDS, now) {
            return Err(WriteError::Refused(Notice::Cup(notice)));
        }
        // An open waiting-list offer holds the slot for its prescription only.
        match &slot.offer {
            Some((offer, Some(holder))) if holder == nre => {
                waiting_list::decide(tx, *offer, "accepted", now).await.map_err(internal)?;
            }
            Some(_) => return Err(WriteError::Refused(Notice::Cup(CupNotice::SlotTaken))),
            None => {}
        }
        let old_booking = match moving {
            Some(code) => Some(self.move_aside(tx, principal, nre, code, now).await?),
            None => None,
        };
        let exemption = exemption(tx, subject, today).await.map_err(internal)?;
        let ticket = if exemption.is_some() { 0 } else { prescription.ticket_cents };
        let code = reference_code("PR");
        let inserted = sqlx::query_scalar::<_, i64>(
            "INSERT INTO bookings (code, nre, person, slot_id, status, ticket_cents, exemption, booked_by)
             VALUES ($1, $2, $3, $4, 'active', $5, $6, $7) RETURNING id",
        )
        .bind(&code)
        .bind(nre)
        .bind(subject)
        .bind(slot_id)
        .bind(ticket)
        .bind(&exemption)
        .bind(&principal.actor.fiscal_code)
        .fetch_one(&mut *tx)
        .await;
        let booking_id = match inserted {
            Ok(id) => id,
            Err(error) if db::refused_by(&error, rules::BOOKING_PER_SLOT) => {
                return Err(WriteError::Refused(Notice::Cup(CupNotice::SlotTaken)))
            }
            Err(error) if db::refused_by(&error, rules::BOOKING_PER_PRESCRIPTION) => {
                return Err(WriteError::Refused(Notice::Cup(CupNotice::PrescriptionAlreadyBooked)))
            }
            Err(error) => return Err(internal(error)),
        };
        let ticket = Ticket { booking_id, moved_from: old_booking, amount_cents: ticket, code: &code };
        charge_ticket(tx, subject, &ticket, &slot, &prescription.card.service_name).await.map_err(internal)?;
        let released = waiting_list::close_for_booking(tx, nre, booking_id, now).await.map_err(internal)?;
        // The audit line commits with the booking, or neither does.
        self.trail.record_in(tx, principal, AccessAction::Write, Some(&code)).await?;
        Ok((code, old_booking.is_some() || released))
    }

    /// Marks the subject's live booking `code` for `nre` as moved, if it
    /// can still be changed; answers its id.
    async fn move_aside(
        &self,
        tx: &mut AnyConnection,
        principal: &Principal,
        nre: &str,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, WriteError> {
        let internal = |e| WriteError::Access(self.trail.internal(principal, e));
        let old: Option<(i64, String)> = sqlx::query_as(
            "SELECT b.id, s.starts_at FROM bookings b JOIN slots s ON s.id = b.slot_id
              WHERE b.code = $1 AND b.person = $2 AND b.nre = $3 AND b.status = 'active'",
        )
        .bind(code)
        .bind(&principal.subject.fiscal_code)
        .bind(nre)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal)?;
        let Some((old_id, old_start)) = old else {
            return Err(WriteError::Refused(Notice::Cup(CupNotice::BookingNotFound)));
        };
        if !self.changeable(&old_start, now) {
            return Err(WriteError::Refused(Notice::Cup(CupNotice::ChangeClosed)));
        }
        sqlx::query("UPDATE bookings SET status = 'moved', ended_at = $2 WHERE id = $1")
            .bind(old_id)
            .bind(stored_instant(now))
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        Ok(old_id)
    }

    /// Logs a refused booking. Someone else's prescription, or someone
    /// else's booking to move: the attempt goes to its owner's log.
    pub(super) async fn log_booking_refusal(
        &self,
        principal: &Principal,
        error: &WriteError,
        nre: &str,
        moving: Option<&str>,
    ) -> Result<(), AccessError> {
        match error {
            WriteError::Refused(Notice::Cup(CupNotice::NreNotUsable)) => {
                let owner = self.nre_owner(principal, nre).await?;
                self.log_refusal(principal, owner, nre).await
            }
            WriteError::Refused(Notice::Cup(CupNotice::BookingNotFound)) => {
                let code = moving.unwrap_or_default();
                let owner = self.booking_owner(principal, code).await?;
                self.log_refusal(principal, owner, code).await
            }
            WriteError::Refused(_) => self.trail.record(principal, AccessAction::Refused, Some(nre)).await,
            WriteError::Access(_) => Ok(()),
        }
    }
}

/// A new booking's ticket.
struct Ticket<'a> {
    booking_id: i64,
    /// The booking it replaces, when moved.
    moved_from: Option<i64>,
    amount_cents: i64,
    code: &'a str,
}

/// The ticket follows a moved booking (paid or not; a payable one gets the
/// new due date); a new booking with a ticket gets its payment position,
/// owed to the slot's ASL by the day of the visit.
async fn charge_ticket(
    tx: &mut AnyConnection,
    subject: &str,
    ticket: &Ticket<'_>,
    slot: &SlotToBook,
    service_name: &str,
) -> Result<(), sqlx::Error> {
    let due_on = local_day_time(&slot.starts_at).0;
    let moved = match ticket.moved_from {
        Some(old) => positions::follow_moved_booking(tx, old, ticket.booking_id, &due_on).await?,
        None => 0,
    };
    if ticket.amount_cents > 0 && moved == 0 {
        let asl: String = sqlx::query_scalar("SELECT asl_code FROM facilities WHERE id = $1")
            .bind(slot.facility_id)
            .fetch_one(&mut *tx)
            .await?;
        let reason = format!("Ticket {service_name} — prenotazione {}", ticket.code);
        positions::create_position(tx, subject, Some(ticket.booking_id), &asl, &reason, ticket.amount_cents, &due_on)
            .await?;
    }
    Ok(())
}
