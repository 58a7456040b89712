//! The screening programmes in SQL: the subject's programmes (rules in
//! `app::domain::screening`, applied with dates in `prevention::facts`),
//! FIT kits, the screening centre's events (results become FSE documents
//! and notifications) and the region's adherence figures.

mod adherence;
pub mod feeder;
pub mod ingest;
mod results;
pub mod routes;

pub use adherence::adherence_report;
pub use results::ScreeningEventRefusal;

use app::cup::notice::CupNotice;
use app::notice::Notice;
use app::screening::notice::KitNotice;
use std::time::Duration;

use app::access_log::model::AccessAction;
use app::cup::model::Choice;
use app::domain::screening::Programme;
use app::identity::model::{Capability, Principal, Role};
use app::identity::AccessError;
use app::notice::WriteError;
use app::prevention::model::Purpose;
use app::screening::model::{AdherenceReport, Kit, KitStep, LastTest, ProgrammeCard, ScreeningPage};
use app::screening::port::Screening;
use async_trait::async_trait;
use chrono::Utc;
use sqlx::AnyPool;

use crate::clock::rome_today;
use crate::clock::stored_as_rome_minutes;
use crate::clock::stored_instant;
use crate::db::{self, rules};
use crate::prevention::appointments::{live_appointments, settle, Trails};
use crate::prevention::facts::{self};
use crate::slots::places::{pharmacies_near, place, place_row, PlaceRow};
use crate::slots::reference_code;

pub struct SqlScreening {
    pool: AnyPool,
    trails: Trails,
    change_closes: Duration,
}

/// A kit, with its stored timestamps in step order.
#[derive(sqlx::FromRow)]
struct KitRow {
    code: String,
    pharmacy_id: i64,
    status: String,
    requested_at: String,
    ready_at: Option<String>,
    collected_at: Option<String>,
    returned_at: Option<String>,
    resulted_at: Option<String>,
}

fn kit_view(row: KitRow, pharmacy: PlaceRow) -> Option<Kit> {
    let step = KitStep::from_code(&row.status)?;
    let reached = [Some(row.requested_at), row.ready_at, row.collected_at, row.returned_at, row.resulted_at]
        .into_iter()
        .map(|at| at.map(|at| stored_as_rome_minutes(&at)))
        .collect();
    Some(Kit { code: row.code, pharmacy: place(&pharmacy), step, reached })
}

/// Five-year band of an age inside a programme's ages: "50–54".
pub fn age_band(age: u32) -> String {
    let from = age / 5 * 5;
    format!("{from}–{}", from + 4)
}

impl SqlScreening {
    pub fn new(pool: AnyPool, change_closes: Duration) -> SqlScreening {
        SqlScreening { trails: Trails::new(&pool), pool, change_closes }
    }
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
               FROM fit_kits WHERE person = $1 AND status <> 'cancelled' AND requested_at >= $2
              ORDER BY id DESC LIMIT 1",
        )
        .bind(subject)
        .bind(today.checked_sub_months(chrono::Months::new(24)).unwrap_or(today).to_string())
        .fetch_optional(&mut *connection)
        .await
        .map_err(internal)?;
        let kit = match kit {
            Some(row) => {
                let pharmacy = place_row(&mut connection, row.pharmacy_id).await.map_err(internal)?;
                kit_view(row, pharmacy)
            }
            None => None,
        };
        let pharmacies = pharmacies_near(&mut connection, &facts.asl).await.map_err(internal)?;
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
                .map(|p| Choice {
                    value: p.id.to_string(),
                    label: format!("{}, {} — {} ({})", p.name, p.address, p.town, p.asl_name),
                })
                .collect(),
        })
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn request_kit(&self, principal: &Principal, pharmacy_id: i64) -> Result<String, WriteError> {
        self.trails.check(principal, Capability::Screening).await?;
        let trail = &self.trails.screening;
        let internal = |e| WriteError::Access(trail.internal(principal, e));
        let subject = &principal.subject.fiscal_code;
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        let outcome = async {
            let pharmacy: Option<i64> =
                sqlx::query_scalar("SELECT id FROM facilities WHERE id = $1 AND kind = 'pharmacy'")
                    .bind(pharmacy_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(internal)?;
            if pharmacy.is_none() {
                return Err(WriteError::Refused(Notice::Screening(KitNotice::KitPharmacyUnknown)));
            }
            if facts::open_kit(&mut tx, subject).await.map_err(internal)?.is_some() {
                return Err(WriteError::Refused(Notice::Screening(KitNotice::KitAlreadyOpen)));
            }
            let purpose = Purpose::Screening(Programme::Colorectal);
            if !facts::offered(&mut tx, subject, purpose, rome_today()).await.map_err(internal)? {
                return Err(WriteError::Refused(Notice::Screening(KitNotice::KitNotOffered)));
            }
            let code = reference_code("KIT");
            let inserted = sqlx::query(
                "INSERT INTO fit_kits (code, person, pharmacy_id, requested_by, status, requested_at)
                 VALUES ($1, $2, $3, $4, 'requested', $5)",
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
                Err(error) if db::refused_by(&error, rules::KIT_PER_PERSON) => {
                    Err(WriteError::Refused(Notice::Screening(KitNotice::KitAlreadyOpen)))
                }
                Err(error) => Err(internal(error)),
            }
        }
        .await;
        settle(tx, outcome, trail, principal, "kit").await
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn cancel_kit(&self, principal: &Principal, code: &str) -> Result<(), WriteError> {
        self.trails.check(principal, Capability::Screening).await?;
        let trail = &self.trails.screening;
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM fit_kits WHERE code = $1 AND person = $2")
            .bind(code)
            .bind(&principal.subject.fiscal_code)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| WriteError::Access(trail.internal(principal, e)))?;
        if status.is_none() {
            // Another person's kit: the attempt goes to their log.
            let owner: Option<String> = sqlx::query_scalar("SELECT person FROM fit_kits WHERE code = $1")
                .bind(code)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| WriteError::Access(trail.internal(principal, e)))?;
            if let Some(owner) = owner.filter(|owner| *owner != principal.subject.fiscal_code) {
                trail.refused_on(principal, &owner, Some(code)).await?;
            }
        }
        match status.as_deref() {
            None | Some("cancelled") => return Err(WriteError::Refused(Notice::Cup(CupNotice::BookingNotFound))),
            Some("requested") => {}
            Some(_) => return Err(WriteError::Refused(Notice::Screening(KitNotice::KitNotCancellable))),
        }
        let internal = |e| WriteError::Access(trail.internal(principal, e));
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        // The condition on the status makes a concurrent "ready" win.
        let updated = sqlx::query("UPDATE fit_kits SET status = 'cancelled' WHERE code = $1 AND status = 'requested'")
            .bind(code)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        if updated.rows_affected() == 0 {
            let _ = tx.rollback().await;
            return Err(WriteError::Refused(Notice::Screening(KitNotice::KitNotCancellable)));
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
        adherence_report(&self.pool, today)
            .await
            .map_err(|error| crate::db::failure::query_failed(principal, "adherence figures", error))
    }
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
