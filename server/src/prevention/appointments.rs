//! Vaccination and screening appointments on the CUP's agendas, in SQL.
//! The slot engine is shared with the CUP (`crate::slots`); a booking is
//! one `BEGIN IMMEDIATE` transaction and double booking is impossible by
//! the partial unique indexes of `prevention_appointments` (migration
//! `20261123000009_prevention.sql`).

use app::cup::notice::CupNotice;
use app::notice::Notice;
use app::prevention::notice::AppointmentNotice;
use std::time::Duration;

use app::access_log::model::AccessAction;
use app::cup::model::{Choice, SlotOption};
use app::identity::model::{Capability, Principal, Role};
use app::identity::AccessError;
use app::notice::WriteError;
use app::prevention::model::{Appointment, HealthAgenda, Purpose, SlotQuery, SlotSearch, SlotSearchOutcome};
use app::prevention::port::Appointments;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Any, AnyConnection, AnyPool, Transaction};

use super::facts;
use crate::access_log::AuditTrail;
use crate::clock::{rome_today, stored_instant};
use crate::db::{self, rules};
use crate::slots::places::{place_by_id, places_of_kinds, SearchPlaces};
use crate::slots::{
    earliest_by_facility, kinds_sql, local_day_time, local_now_prefix, reference_code, slot_options, SlotToBook,
};

/// The audit trails of the two capabilities.
#[derive(Clone)]
pub struct Trails {
    pub vaccinations: AuditTrail,
    pub screening: AuditTrail,
}

impl Trails {
    pub fn new(pool: &AnyPool) -> Trails {
        Trails {
            vaccinations: AuditTrail::new(pool.clone(), Capability::Vaccinazioni.slug()),
            screening: AuditTrail::new(pool.clone(), Capability::Screening.slug()),
        }
    }

    pub fn for_purpose(&self, purpose: Purpose) -> (&AuditTrail, Capability) {
        match purpose {
            Purpose::Vaccination(_) => (&self.vaccinations, Capability::Vaccinazioni),
            Purpose::Screening(_) | Purpose::SecondLevel(_) => (&self.screening, Capability::Screening),
        }
    }

    /// Citizens acting for themselves, a child, or a delegator who gave
    /// them `capability`; a refused delegate is logged.
    pub async fn check(&self, principal: &Principal, capability: Capability) -> Result<(), AccessError> {
        if principal.role != Role::Citizen {
            return Err(AccessError::NotAllowed);
        }
        if !principal.may(capability) {
            let trail = if capability == Capability::Vaccinazioni { &self.vaccinations } else { &self.screening };
            trail.record(principal, AccessAction::Refused, None).await?;
            return Err(AccessError::NotAllowed);
        }
        Ok(())
    }
}

pub struct SqlAppointments {
    pool: AnyPool,
    trails: Trails,
    change_closes: Duration,
}

/// A live appointment, with its service's name and preparation.
#[derive(sqlx::FromRow)]
struct AppointmentRow {
    code: String,
    kind: String,
    topic: String,
    name: String,
    preparation: String,
    starts_at: String,
    facility_id: i64,
}

/// A live appointment of `person`, by code.
pub async fn appointment_card(
    connection: &mut AnyConnection,
    person: &str,
    code: &str,
    change_closes: Duration,
) -> Result<Option<Appointment>, sqlx::Error> {
    let row: Option<AppointmentRow> = sqlx::query_as(
        "SELECT a.code, a.kind, a.topic, sv.name, sv.preparation, s.starts_at, s.facility_id
           FROM prevention_appointments a JOIN slots s ON s.id = a.slot_id
           JOIN outpatient_services sv ON sv.code = s.service_code
          WHERE a.code = $1 AND a.person = $2 AND a.status = 'active'",
    )
    .bind(code)
    .bind(person)
    .fetch_optional(&mut *connection)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let Some(purpose) = Purpose::from_columns(&row.kind, &row.topic) else { return Ok(None) };
    let place = place_by_id(connection, row.facility_id).await?;
    let (day, time) = local_day_time(&row.starts_at);
    Ok(Some(Appointment {
        code: row.code,
        purpose,
        service_name: row.name,
        place,
        day,
        time,
        preparation: row.preparation,
        changeable: crate::slots::changeable(change_closes, &row.starts_at, Utc::now()),
    }))
}

/// Every live appointment of `person`, soonest first.
pub async fn live_appointments(
    connection: &mut AnyConnection,
    person: &str,
    change_closes: Duration,
) -> Result<Vec<Appointment>, sqlx::Error> {
    let codes: Vec<String> = sqlx::query_scalar(
        "SELECT a.code FROM prevention_appointments a JOIN slots s ON s.id = a.slot_id
          WHERE a.person = $1 AND a.status = 'active' ORDER BY s.starts_at",
    )
    .bind(person)
    .fetch_all(&mut *connection)
    .await?;
    let mut cards = Vec::new();
    for code in codes {
        cards.extend(appointment_card(&mut *connection, person, &code, change_closes).await?);
    }
    Ok(cards)
}

/// Logs a change made in `tx` (`Write`, with the new code) in the same
/// transaction and commits both, or rolls it back and logs a refusal
/// against `refused_record`.
pub async fn settle(
    mut tx: Transaction<'static, Any>,
    outcome: Result<String, WriteError>,
    trail: &AuditTrail,
    principal: &Principal,
    refused_record: &str,
) -> Result<String, WriteError> {
    match outcome {
        Ok(code) => {
            if let Err(error) = trail.record_in(&mut tx, principal, AccessAction::Write, Some(&code)).await {
                let _ = tx.rollback().await;
                return Err(error.into());
            }
            tx.commit().await.map_err(|e| WriteError::Access(trail.internal(principal, e)))?;
            Ok(code)
        }
        Err(error) => {
            let _ = tx.rollback().await;
            if let WriteError::Refused(_) = error {
                trail.record(principal, AccessAction::Refused, Some(refused_record)).await?;
            }
            Err(error)
        }
    }
}

impl SqlAppointments {
    pub fn new(pool: AnyPool, change_closes: Duration) -> SqlAppointments {
        SqlAppointments { trails: Trails::new(&pool), pool, change_closes }
    }

    async fn slots(
        &self,
        purpose: Purpose,
        query: &SlotQuery,
        now: DateTime<Utc>,
    ) -> Result<(Vec<SlotOption>, Vec<Choice>, Vec<Choice>), sqlx::Error> {
        let kinds: Vec<&str> = purpose
            .facility_kinds()
            .iter()
            .copied()
            .filter(|kind| match query.place_kind.as_deref() {
                Some("centro") => *kind == "vaccination_centre",
                Some("farmacia") => *kind == "pharmacy",
                _ => true,
            })
            .collect();
        let kinds = kinds_sql(if kinds.is_empty() { purpose.facility_kinds() } else { &kinds });
        let earliest = earliest_by_facility(&self.pool, purpose.service_code(), &local_now_prefix(now), &kinds).await?;
        let mut connection = self.pool.acquire().await?;
        let places = places_of_kinds(&mut connection, &kinds).await?;
        let around = SearchPlaces::load(&mut connection).await?;
        drop(connection);
        let from = around.position_of(query.town.as_ref());
        let mut slots = slot_options(earliest, &places, from, None, |row, _| {
            query.asl.as_ref().is_none_or(|asl| &row.asl_code == asl)
        });
        // Near a town: nearest first; otherwise soonest first.
        slots.sort_by(|a, b| (a.distance_tenths_km, &a.starts_at).cmp(&(b.distance_tenths_km, &b.starts_at)));
        let towns = around.town_choices();
        Ok((slots, around.asls, towns))
    }
}

#[async_trait]
impl Appointments for SqlAppointments {
    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn search(&self, principal: &Principal, query: &SlotQuery) -> Result<SlotSearchOutcome, AccessError> {
        let Some(purpose) = Purpose::from_code(&query.purpose) else { return Ok(SlotSearchOutcome::UnknownPurpose) };
        let (trail, capability) = self.trails.for_purpose(purpose);
        self.trails.check(principal, capability).await?;
        let subject = &principal.subject.fiscal_code;
        let today = rome_today();
        let now = Utc::now();
        let mut connection = self.pool.acquire().await.map_err(|e| trail.internal(principal, e))?;
        let moving = match &query.moving {
            Some(code) => appointment_card(&mut connection, subject, code, self.change_closes)
                .await
                .map_err(|e| trail.internal(principal, e))?
                .filter(|appointment| appointment.purpose == purpose && appointment.changeable),
            None => None,
        };
        if moving.is_none()
            && !facts::offered(&mut connection, subject, purpose, today)
                .await
                .map_err(|e| trail.internal(principal, e))?
        {
            drop(connection);
            trail.record(principal, AccessAction::Refused, Some(&purpose.code())).await?;
            return Ok(SlotSearchOutcome::NotOffered(purpose));
        }
        let (service_name, preparation): (String, String) =
            sqlx::query_as("SELECT name, preparation FROM outpatient_services WHERE code = $1")
                .bind(purpose.service_code())
                .fetch_one(&mut *connection)
                .await
                .map_err(|e| trail.internal(principal, e))?;
        drop(connection);
        let (slots, asls, towns) = self.slots(purpose, query, now).await.map_err(|e| trail.internal(principal, e))?;
        trail.record(principal, AccessAction::Read, Some(&purpose.code())).await?;
        Ok(SlotSearchOutcome::Found(Box::new(SlotSearch {
            purpose,
            subject_name: principal.subject.full_name(),
            service_name,
            preparation,
            slots,
            asls,
            towns,
            moving,
        })))
    }

    #[tracing::instrument(skip_all, fields(slot_id), err(Debug, level = "info"))]
    async fn book(
        &self,
        principal: &Principal,
        purpose: &str,
        slot_id: i64,
        moving: Option<&str>,
    ) -> Result<String, WriteError> {
        let purpose = Purpose::from_code(purpose)
            .ok_or(WriteError::Refused(Notice::Prevention(AppointmentNotice::AppointmentNotOffered)))?;
        let (trail, capability) = self.trails.for_purpose(purpose);
        self.trails.check(principal, capability).await?;
        let subject = &principal.subject.fiscal_code;
        let today = rome_today();
        let now = Utc::now();
        let internal = |e| WriteError::Access(trail.internal(principal, e));
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        let outcome = async {
            let mut old = None;
            if let Some(code) = moving {
                let found = appointment_card(&mut tx, subject, code, self.change_closes).await.map_err(internal)?;
                let Some(found) = found.filter(|found| found.purpose == purpose) else {
                    return Err(WriteError::Refused(Notice::Cup(CupNotice::BookingNotFound)));
                };
                if !found.changeable {
                    return Err(WriteError::Refused(Notice::Cup(CupNotice::ChangeClosed)));
                }
                old = Some(found.code);
            } else if !facts::offered(&mut tx, subject, purpose, today).await.map_err(internal)? {
                return Err(WriteError::Refused(Notice::Prevention(AppointmentNotice::AppointmentNotOffered)));
            }
            let Some(slot) = SlotToBook::find(&mut tx, slot_id).await.map_err(internal)? else {
                return Err(WriteError::Refused(Notice::Cup(CupNotice::SlotNotFound)));
            };
            if let Some(notice) = slot.refusal(purpose.service_code(), purpose.facility_kinds(), now) {
                return Err(WriteError::Refused(Notice::Cup(notice)));
            }
            // A waiting-list offer holds a slot for its prescription only.
            if slot.offer.is_some() {
                return Err(WriteError::Refused(Notice::Cup(CupNotice::SlotTaken)));
            }
            if let Some(code) = &old {
                sqlx::query("UPDATE prevention_appointments SET status = 'moved', ended_at = $2 WHERE code = $1")
                    .bind(code)
                    .bind(stored_instant(now))
                    .execute(&mut *tx)
                    .await
                    .map_err(internal)?;
            }
            let code = reference_code(if matches!(purpose, Purpose::Vaccination(_)) { "VA" } else { "SC" });
            let inserted = sqlx::query(
                "INSERT INTO prevention_appointments (code, person, slot_id, kind, topic, status, booked_by)
                 VALUES ($1, $2, $3, $4, $5, 'active', $6)",
            )
            .bind(&code)
            .bind(subject)
            .bind(slot_id)
            .bind(purpose.kind())
            .bind(purpose.topic())
            .bind(&principal.actor.fiscal_code)
            .execute(&mut *tx)
            .await;
            match inserted {
                Ok(_) => Ok(code),
                Err(error) if db::refused_by(&error, rules::APPOINTMENT_PER_SLOT) => {
                    Err(WriteError::Refused(Notice::Cup(CupNotice::SlotTaken)))
                }
                Err(error) if db::refused_by(&error, rules::APPOINTMENT_PER_TOPIC) => {
                    Err(WriteError::Refused(Notice::Prevention(AppointmentNotice::AppointmentAlreadyBooked)))
                }
                Err(error) => Err(internal(error)),
            }
        }
        .await;
        settle(tx, outcome, trail, principal, &purpose.code()).await
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn appointment(&self, principal: &Principal, code: &str) -> Result<Appointment, AccessError> {
        let mut connection = self.pool.acquire().await.map_err(|e| self.trails.screening.internal(principal, e))?;
        let found = appointment_card(&mut connection, &principal.subject.fiscal_code, code, self.change_closes)
            .await
            .map_err(|e| self.trails.screening.internal(principal, e))?;
        drop(connection);
        let Some(found) = found else {
            // Another person's appointment: the attempt goes to their log.
            let owner: Option<(String, String)> =
                sqlx::query_as("SELECT person, kind FROM prevention_appointments WHERE code = $1")
                    .bind(code)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(|e| self.trails.screening.internal(principal, e))?;
            if let Some((owner, kind)) = owner.filter(|(owner, _)| *owner != principal.subject.fiscal_code) {
                let trail = if kind == "vaccination" { &self.trails.vaccinations } else { &self.trails.screening };
                trail.refused_on(principal, &owner, Some(code)).await?;
            }
            return Err(AccessError::NotAllowed);
        };
        let (trail, capability) = self.trails.for_purpose(found.purpose);
        self.trails.check(principal, capability).await?;
        trail.record(principal, AccessAction::Read, Some(&found.code)).await?;
        Ok(found)
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn cancel(&self, principal: &Principal, code: &str) -> Result<Appointment, WriteError> {
        let found = self.appointment(principal, code).await.map_err(|error| match error {
            AccessError::NotAllowed => WriteError::Refused(Notice::Cup(CupNotice::BookingNotFound)),
            other => WriteError::Access(other),
        })?;
        let (trail, _) = self.trails.for_purpose(found.purpose);
        if !found.changeable {
            return Err(WriteError::Refused(Notice::Cup(CupNotice::ChangeClosed)));
        }
        let internal = |e| WriteError::Access(trail.internal(principal, e));
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        let updated = sqlx::query(
            "UPDATE prevention_appointments SET status = 'cancelled', ended_at = $3
              WHERE code = $1 AND person = $2 AND status = 'active'",
        )
        .bind(&found.code)
        .bind(&principal.subject.fiscal_code)
        .bind(stored_instant(Utc::now()))
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        if updated.rows_affected() == 0 {
            let _ = tx.rollback().await;
            return Err(WriteError::Refused(Notice::Cup(CupNotice::BookingNotFound)));
        }
        // The audit line commits with the cancellation, or neither does.
        trail.record_in(&mut tx, principal, AccessAction::Write, Some(&found.code)).await?;
        tx.commit().await.map_err(internal)?;
        Ok(found)
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn agenda(&self, principal: &Principal) -> Result<HealthAgenda, AccessError> {
        // Only one's own: the home page is no place to read someone else's
        // health (their own pages are, and are logged).
        if principal.role != Role::Citizen || !principal.acts_for_self() {
            return Ok(HealthAgenda::default());
        }
        let mut connection = self.pool.acquire().await.map_err(|e| self.trails.vaccinations.internal(principal, e))?;
        let due = facts::due_items(&mut connection, &principal.subject.fiscal_code, rome_today())
            .await
            .map_err(|e| self.trails.vaccinations.internal(principal, e))?;
        let items = due.map(|(_, items)| items.into_iter().map(|(item, _)| item).collect()).unwrap_or_default();
        Ok(HealthAgenda { subject_name: principal.subject.full_name(), items })
    }
}
