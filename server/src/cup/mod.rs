//! The regional CUP in SQL. A booking is one `BEGIN IMMEDIATE`
//! transaction; double booking is impossible because of the partial unique
//! indexes of `bookings` (migration `20261123000004_cup.sql`): the insert
//! itself fails, there is no check-then-insert. Freed slots go to the
//! waiting list first (`waiting_list::match_offers`).

mod booking;
pub mod pdf;
mod prescriptions;
pub mod routes;
pub mod waiting_list;

use app::cup::notice::CupNotice;
use app::notice::Notice;
use std::time::Duration;

use app::access_log::model::AccessAction;
use app::cup::model::{
    BookingCard, BookingsPage, Choice, NreProblem, SearchFilter, SearchOutcome, SearchResults, WaitingEntry,
};
use app::cup::port::Cup;
use app::domain::cup::{normalise_nre, Priority};
use app::identity::model::{Capability, Principal, Role};
use app::identity::AccessError;
use app::notice::WriteError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AnyPool};

use crate::access_log::AuditTrail;
use crate::clock::{rome_today, stored_instant};
use crate::db;
use crate::payments::positions;
use crate::slots::places::{place_by_id, places_of_kinds, SearchPlaces};
use crate::slots::{
    self, earliest_by_facility, kinds_sql, local_day_time, local_now_prefix, slot_options, AGENDA_KINDS,
};
use prescriptions::{exemption, prescription, problem};

const CAPABILITY: &str = "prenotazioni";

pub struct SqlCup {
    pool: AnyPool,
    trail: AuditTrail,
    change_closes: Duration,
    offer_hold: Duration,
}

impl SqlCup {
    pub fn new(pool: AnyPool, change_closes: Duration, offer_hold: Duration) -> SqlCup {
        SqlCup { trail: AuditTrail::new(pool.clone(), CAPABILITY), pool, change_closes, offer_hold }
    }

    async fn check(&self, principal: &Principal) -> Result<(), AccessError> {
        if principal.role != Role::Citizen {
            return Err(AccessError::NotAllowed);
        }
        if !principal.may(Capability::Prenotazioni) {
            self.trail.record(principal, AccessAction::Refused, None).await?;
            return Err(AccessError::NotAllowed);
        }
        Ok(())
    }

    /// Logs a refused attempt. When the record exists and is another
    /// person's, the entry goes to that person's log ("tentativo non
    /// autorizzato"), so the owner sees who tried; otherwise to the subject's.
    async fn log_refusal(&self, principal: &Principal, owner: Option<String>, record: &str) -> Result<(), AccessError> {
        match owner.filter(|owner| *owner != principal.subject.fiscal_code) {
            Some(owner) => self.trail.refused_on(principal, &owner, Some(record)).await,
            None => self.trail.record(principal, AccessAction::Refused, Some(record)).await,
        }
    }

    /// An offer that is not the subject's open offer: if it is another
    /// person's, their log shows the attempt.
    async fn refuse_offer(&self, principal: &Principal, offer_id: i64) -> Result<(), AccessError> {
        // Bound as a number: PostgreSQL compares no text with an id.
        let owner = sqlx::query_scalar::<_, String>(
            "SELECT w.person FROM slot_offers o JOIN waiting_list w ON w.id = o.entry_id WHERE o.id = $1",
        )
        .bind(offer_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| self.trail.internal(principal, e))?
        .filter(|owner| *owner != principal.subject.fiscal_code);
        match owner {
            Some(owner) => self.trail.refused_on(principal, &owner, Some(&format!("offerta:{offer_id}"))).await,
            None => Ok(()),
        }
    }

    /// Whose record `sql` (one `$1` parameter, one column) finds, if any.
    async fn owner_of(&self, principal: &Principal, sql: &str, key: &str) -> Result<Option<String>, AccessError> {
        sqlx::query_scalar::<_, String>(sql)
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.trail.internal(principal, e))
    }

    async fn nre_owner(&self, principal: &Principal, nre: &str) -> Result<Option<String>, AccessError> {
        self.owner_of(principal, "SELECT person FROM prescriptions WHERE nre = $1", nre).await
    }

    async fn booking_owner(&self, principal: &Principal, code: &str) -> Result<Option<String>, AccessError> {
        self.owner_of(principal, "SELECT person FROM bookings WHERE code = $1", code).await
    }

    /// Whether a booking starting at `starts_at` can still be changed.
    fn changeable(&self, starts_at: &str, now: DateTime<Utc>) -> bool {
        slots::changeable(self.change_closes, starts_at, now)
    }
}

/// An active booking, with the notice and status of its ticket's payment
/// position, if any.
#[derive(sqlx::FromRow)]
struct BookingRow {
    code: String,
    nre: String,
    name: String,
    priority: Option<String>,
    starts_at: String,
    ticket_cents: i64,
    exemption: Option<String>,
    preparation: String,
    facility_id: i64,
    notice_code: Option<String>,
    payment_status: Option<String>,
}

async fn booking_card(
    connection: &mut AnyConnection,
    subject: &str,
    code: &str,
    change: impl Fn(&str) -> bool,
) -> Result<Option<BookingCard>, sqlx::Error> {
    let row: Option<BookingRow> = sqlx::query_as(
        "SELECT b.code, b.nre, sv.name, p.priority, s.starts_at, b.ticket_cents, b.exemption, sv.preparation, s.facility_id,
                (SELECT pp.notice_code FROM payment_positions pp WHERE pp.booking_id = b.id AND pp.status <> 'cancelled')
                  AS notice_code,
                (SELECT pp.status FROM payment_positions pp WHERE pp.booking_id = b.id AND pp.status <> 'cancelled')
                  AS payment_status
           FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN outpatient_services sv ON sv.code = s.service_code
           JOIN prescriptions p ON p.nre = b.nre
          WHERE b.code = $1 AND b.person = $2 AND b.status = 'active'",
    )
    .bind(code)
    .bind(subject)
    .fetch_optional(&mut *connection)
    .await?;
    let Some(BookingRow {
        code,
        nre,
        name: service_name,
        priority,
        starts_at,
        ticket_cents,
        exemption,
        preparation,
        facility_id: facility,
        notice_code,
        payment_status,
    }) = row
    else {
        return Ok(None);
    };
    let place = place_by_id(connection, facility).await?;
    let (day, time) = local_day_time(&starts_at);
    Ok(Some(BookingCard {
        code,
        nre,
        service_name,
        priority: priority.as_deref().and_then(Priority::from_code).unwrap_or(Priority::P),
        place,
        day,
        time,
        changeable: change(&starts_at),
        starts_at,
        ticket_cents,
        exemption,
        preparation,
        notice_code,
        ticket_paid: payment_status.as_deref() == Some("paid"),
    }))
}

#[async_trait]
impl Cup for SqlCup {
    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn overview(&self, principal: &Principal) -> Result<BookingsPage, AccessError> {
        self.check(principal).await?;
        let subject = &principal.subject.fiscal_code;
        let today = rome_today();
        let now = Utc::now();
        let mut connection = self.pool.acquire().await.map_err(|e| self.trail.internal(principal, e))?;
        let nres: Vec<String> = sqlx::query_scalar(
            "SELECT nre FROM prescriptions WHERE person = $1 AND kind = 'specialist' AND valid_until >= $2
              ORDER BY issued_on DESC, nre",
        )
        .bind(subject)
        .bind(today.to_string())
        .fetch_all(&mut *connection)
        .await
        .map_err(|e| self.trail.internal(principal, e))?;
        let mut prescriptions = Vec::new();
        for nre in nres {
            if let Some(found) = prescription(&mut connection, subject, &nre, today)
                .await
                .map_err(|e| self.trail.internal(principal, e))?
            {
                prescriptions.push(found.card);
            }
        }
        let codes: Vec<String> = sqlx::query_scalar(
            "SELECT b.code FROM bookings b JOIN slots s ON s.id = b.slot_id
              WHERE b.person = $1 AND b.status = 'active' AND s.starts_at >= $2 ORDER BY s.starts_at",
        )
        .bind(subject)
        .bind(today.to_string())
        .fetch_all(&mut *connection)
        .await
        .map_err(|e| self.trail.internal(principal, e))?;
        let mut bookings = Vec::new();
        for code in codes {
            let card = booking_card(&mut connection, subject, &code, |starts| self.changeable(starts, now))
                .await
                .map_err(|e| self.trail.internal(principal, e))?;
            bookings.extend(card);
        }
        let waiting =
            waiting_list::entries(&mut connection, subject).await.map_err(|e| self.trail.internal(principal, e))?;
        drop(connection);
        self.trail.record(principal, AccessAction::Read, None).await?;
        Ok(BookingsPage { prescriptions, bookings, waiting })
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn search(&self, principal: &Principal, filter: &SearchFilter) -> Result<SearchOutcome, AccessError> {
        self.check(principal).await?;
        let subject = &principal.subject.fiscal_code;
        let Ok(nre) = normalise_nre(&filter.nre) else {
            return Ok(SearchOutcome::Refused(NreProblem::Malformed));
        };
        let today = rome_today();
        let now = Utc::now();
        let mut connection = self.pool.acquire().await.map_err(|e| self.trail.internal(principal, e))?;
        let found =
            prescription(&mut connection, subject, &nre, today).await.map_err(|e| self.trail.internal(principal, e))?;
        if let Some(problem) = problem(found.as_ref(), today, filter.moving.as_deref()) {
            drop(connection);
            let owner = if found.is_none() { self.nre_owner(principal, &nre).await? } else { None };
            self.log_refusal(principal, owner, &nre).await?;
            return Ok(SearchOutcome::Refused(problem));
        }
        let Some(prescription) = found else { return Ok(SearchOutcome::Refused(NreProblem::NotYours)) };
        let moving = match &filter.moving {
            Some(code) => booking_card(&mut connection, subject, code, |starts| self.changeable(starts, now))
                .await
                .map_err(|e| self.trail.internal(principal, e))?
                .filter(|booking| booking.nre == nre),
            None => None,
        };
        let exemption =
            exemption(&mut connection, subject, today).await.map_err(|e| self.trail.internal(principal, e))?;
        let agendas = kinds_sql(AGENDA_KINDS);
        let places = places_of_kinds(&mut connection, &agendas).await.map_err(|e| self.trail.internal(principal, e))?;
        let around = SearchPlaces::load(&mut connection).await.map_err(|e| self.trail.internal(principal, e))?;
        drop(connection);
        let earliest =
            earliest_by_facility(&self.pool, &prescription.card.service_code, &local_now_prefix(now), &agendas)
                .await
                .map_err(|e| self.trail.internal(principal, e))?;
        let deadline = prescription.card.deadline.clone();
        let any_in_time_regionwide = earliest.iter().any(|(_, _, starts)| local_day_time(starts).0 <= deadline);
        let from = around.position_of(filter.town.as_ref());
        let mut slots = slot_options(earliest, &places, from, Some(&deadline), |row, distance| {
            filter.asl.as_ref().is_none_or(|asl| &row.asl_code == asl)
                && filter.facility.is_none_or(|id| id == row.id)
                && filter.max_km.zip(distance).is_none_or(|(km, tenths)| tenths <= i64::from(km) * 10)
        });
        slots.sort_by(|a, b| (&a.starts_at, a.distance_tenths_km).cmp(&(&b.starts_at, b.distance_tenths_km)));
        self.trail.record(principal, AccessAction::Read, Some(&nre)).await?;
        Ok(SearchOutcome::Found {
            results: Box::new(SearchResults {
                ticket_cents: if exemption.is_some() { 0 } else { prescription.ticket_cents },
                exemption,
                preparation: prescription.preparation.clone(),
                prescription: prescription.card,
                slots,
                towns: around.town_choices(),
                asls: around.asls,
                facilities: places
                    .iter()
                    .map(|p| Choice { value: p.id.to_string(), label: format!("{} ({})", p.name, p.town) })
                    .collect(),
                moving,
            }),
            any_in_time_regionwide,
        })
    }

    #[tracing::instrument(skip_all, fields(slot_id), err(Debug, level = "info"))]
    async fn book(
        &self,
        principal: &Principal,
        nre: &str,
        slot_id: i64,
        moving: Option<&str>,
    ) -> Result<String, WriteError> {
        self.check(principal).await?;
        let nre = normalise_nre(nre).map_err(|_| WriteError::Refused(Notice::Cup(CupNotice::NreNotUsable)))?;
        let now = Utc::now();
        let internal = |e| WriteError::Access(self.trail.internal(principal, e));
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        let outcome = self.book_in(&mut tx, principal, &nre, slot_id, moving, now).await;
        let (code, freed_a_slot) = match outcome {
            Ok(done) => done,
            Err(error) => {
                let _ = tx.rollback().await;
                self.log_booking_refusal(principal, &error, &nre, moving).await?;
                return Err(error);
            }
        };
        tx.commit().await.map_err(internal)?;
        if freed_a_slot {
            // A moved booking's old slot, or a slot offered to this person
            // for the same prescription, is free again: the waiting list first.
            if let Err(error) = waiting_list::match_offers(&self.pool, self.offer_hold).await {
                tracing::warn!(%error, "waiting list matching after a move failed");
            }
        }
        Ok(code)
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn booking(&self, principal: &Principal, code: &str) -> Result<BookingCard, AccessError> {
        self.check(principal).await?;
        let now = Utc::now();
        let mut connection = self.pool.acquire().await.map_err(|e| self.trail.internal(principal, e))?;
        let card =
            booking_card(&mut connection, &principal.subject.fiscal_code, code, |starts| self.changeable(starts, now))
                .await
                .map_err(|e| self.trail.internal(principal, e))?;
        drop(connection);
        match card {
            Some(card) => {
                self.trail.record(principal, AccessAction::Read, Some(code)).await?;
                Ok(card)
            }
            None => {
                let owner = self.booking_owner(principal, code).await?;
                self.log_refusal(principal, owner, code).await?;
                Err(AccessError::NotAllowed)
            }
        }
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn cancel(&self, principal: &Principal, code: &str) -> Result<(), WriteError> {
        self.check(principal).await?;
        let now = Utc::now();
        let internal = |e| WriteError::Access(self.trail.internal(principal, e));
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        let booking: Option<(i64, String)> = sqlx::query_as(
            "SELECT b.id, s.starts_at FROM bookings b JOIN slots s ON s.id = b.slot_id
              WHERE b.code = $1 AND b.person = $2 AND b.status = 'active'",
        )
        .bind(code)
        .bind(&principal.subject.fiscal_code)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal)?;
        let refusal = match &booking {
            None => Some(Notice::Cup(CupNotice::BookingNotFound)),
            Some((_, starts_at)) if !self.changeable(starts_at, now) => Some(Notice::Cup(CupNotice::ChangeClosed)),
            Some(_) => None,
        };
        if let Some(notice) = refusal {
            let _ = tx.rollback().await;
            let owner = if booking.is_none() { self.booking_owner(principal, code).await? } else { None };
            self.log_refusal(principal, owner, code).await?;
            return Err(WriteError::Refused(notice));
        }
        let Some((id, _)) = booking else { return Err(WriteError::Refused(Notice::Cup(CupNotice::BookingNotFound))) };
        sqlx::query("UPDATE bookings SET status = 'cancelled', ended_at = $2 WHERE id = $1")
            .bind(id)
            .bind(stored_instant(now))
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        positions::cancel_for_booking(&mut tx, id).await.map_err(internal)?;
        if let Err(error) = self.trail.record_in(&mut tx, principal, AccessAction::Write, Some(code)).await {
            let _ = tx.rollback().await;
            return Err(error.into());
        }
        tx.commit().await.map_err(internal)?;
        if let Err(error) = waiting_list::match_offers(&self.pool, self.offer_hold).await {
            tracing::warn!(%error, "waiting list matching after a cancellation failed");
        }
        Ok(())
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn join_waiting_list(&self, principal: &Principal, nre: &str) -> Result<String, WriteError> {
        self.check(principal).await?;
        let nre = normalise_nre(nre).map_err(|_| WriteError::Refused(Notice::Cup(CupNotice::NreNotUsable)))?;
        match waiting_list::join(&self.pool, &self.trail, principal, &nre).await {
            Ok(reference) => Ok(reference),
            Err(WriteError::Refused(Notice::Cup(CupNotice::NreNotUsable))) => {
                let owner = self.nre_owner(principal, &nre).await?;
                self.log_refusal(principal, owner, &nre).await?;
                Err(WriteError::Refused(Notice::Cup(CupNotice::NreNotUsable)))
            }
            Err(error) => Err(error),
        }
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn waiting_entry(&self, principal: &Principal, reference: &str) -> Result<WaitingEntry, AccessError> {
        self.check(principal).await?;
        let mut connection = self.pool.acquire().await.map_err(|e| self.trail.internal(principal, e))?;
        let entries = waiting_list::entries(&mut connection, &principal.subject.fiscal_code)
            .await
            .map_err(|e| self.trail.internal(principal, e))?;
        drop(connection);
        match entries.into_iter().find(|entry| entry.reference == reference) {
            Some(entry) => {
                self.trail.record(principal, AccessAction::Read, Some(reference)).await?;
                Ok(entry)
            }
            None => {
                let owner =
                    self.owner_of(principal, "SELECT person FROM waiting_list WHERE reference = $1", reference).await?;
                self.log_refusal(principal, owner, reference).await?;
                Err(AccessError::NotAllowed)
            }
        }
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn accept_offer(&self, principal: &Principal, offer_id: i64) -> Result<String, WriteError> {
        self.check(principal).await?;
        let open = waiting_list::open_offer(&self.pool, &principal.subject.fiscal_code, offer_id)
            .await
            .map_err(|e| WriteError::Access(self.trail.internal(principal, e)))?;
        let Some((nre, slot_id)) = open else {
            self.refuse_offer(principal, offer_id).await?;
            return Err(WriteError::Refused(Notice::Cup(CupNotice::OfferExpired)));
        };
        // Booking the held slot closes the offer in the same transaction.
        self.book(principal, &nre, slot_id, None).await
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn decline_offer(&self, principal: &Principal, offer_id: i64) -> Result<(), WriteError> {
        self.check(principal).await?;
        let internal = |e| WriteError::Access(self.trail.internal(principal, e));
        if waiting_list::open_offer(&self.pool, &principal.subject.fiscal_code, offer_id)
            .await
            .map_err(internal)?
            .is_none()
        {
            self.refuse_offer(principal, offer_id).await?;
            return Err(WriteError::Refused(Notice::Cup(CupNotice::OfferExpired)));
        }
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        waiting_list::decide(&mut tx, offer_id, "declined", Utc::now()).await.map_err(internal)?;
        self.trail
            .record_in(&mut tx, principal, AccessAction::Write, Some(&format!("offerta:{offer_id}:rifiutata")))
            .await?;
        tx.commit().await.map_err(internal)?;
        waiting_list::match_offers(&self.pool, self.offer_hold).await.map_err(internal)?;
        Ok(())
    }
}
