//! Periodic jobs that must run once per period across every instance (the
//! waiting-list matcher, payment reconciliation, reminders, session
//! clean-up, the demo feeders), however many instances tick.
//!
//! Each run is claimed in the `job_claims` table: one atomic upsert moves
//! the job's `next_run_at` a period ahead only if it is due, and only the
//! instance whose statement moved it runs the job. On SQLite the single
//! writer orders the upserts; on PostgreSQL the second upsert waits for the
//! first one's row lock, re-reads the row, finds it no longer due and
//! changes nothing.

use std::{future::Future, time::Duration};

use chrono::Utc;
use sqlx::AnyPool;

use crate::clock::stored_instant;

/// Claims this period's run of `job`: `true` for exactly one caller per
/// period. The next run is due a little before a full period from now, so
/// that instances ticking a few milliseconds apart never skip a period.
pub async fn claim(pool: &AnyPool, job: &str, period: Duration) -> Result<bool, sqlx::Error> {
    let now = Utc::now();
    let lead = chrono::Duration::from_std(period.mul_f64(0.9)).unwrap_or_default();
    let claimed: Option<String> = sqlx::query_scalar(
        "INSERT INTO job_claims (job, next_run_at, claimed_at) VALUES ($1, $2, $3)
         ON CONFLICT (job) DO UPDATE SET next_run_at = excluded.next_run_at, claimed_at = excluded.claimed_at
          WHERE job_claims.next_run_at <= excluded.claimed_at
         RETURNING job",
    )
    .bind(job)
    .bind(stored_instant(now + lead))
    .bind(stored_instant(now))
    .fetch_optional(pool)
    .await?;
    Ok(claimed.is_some())
}

/// Runs `run` every `period`, on whichever instance claims each period.
pub async fn every<F, Fut>(pool: AnyPool, job: &'static str, period: Duration, mut run: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let mut ticker = tokio::time::interval(period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match claim(&pool, job, period).await {
            Ok(true) => run().await,
            Ok(false) => {}
            Err(error) => tracing::warn!(%error, job, "job not claimed: the database did not answer"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_claim_per_period_however_many_ask() {
        let folder = tempfile::tempdir().expect("folder");
        let pool =
            crate::db::connect(&format!("sqlite:{}", folder.path().join("jobs.db").display())).await.expect("database");
        let period = Duration::from_millis(400);
        let asks = (0..20).map(|_| claim(&pool, "sweep", period));
        let claimed = futures_util::future::join_all(asks).await;
        assert_eq!(claimed.iter().filter(|c| matches!(c, Ok(true))).count(), 1);
        assert!(!claim(&pool, "other", period).await.is_ok_and(|c| !c), "another job has its own period");
        tokio::time::sleep(period).await;
        assert!(claim(&pool, "sweep", period).await.expect("claim"), "due again after a period");
    }
}
