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
//!
//! A job that keeps state between its ticks (the demo feeders: each unit's
//! counts, each operation's phase) is held by one instance at a time with a
//! [`Lease`] in the same table: the holder renews it at every tick, and
//! another instance takes it over only once it has not been renewed for
//! its time-to-live (the holder stopped or died).

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

/// One instance at a time runs the job `job`; `holder` names this one.
#[derive(Clone, Debug)]
pub struct Lease {
    pub pool: AnyPool,
    pub job: &'static str,
    pub holder: String,
    pub ttl: Duration,
}

impl Lease {
    /// Takes the lease if it is free or lapsed, or renews it if this
    /// instance holds it; `false` while another instance holds it.
    pub async fn hold(&self) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        let until = now + chrono::Duration::from_std(self.ttl).unwrap_or_default();
        let held: Option<String> = sqlx::query_scalar(
            "INSERT INTO job_claims (job, next_run_at, claimed_at, holder) VALUES ($1, $2, $3, $4)
             ON CONFLICT (job) DO UPDATE
                SET next_run_at = excluded.next_run_at, claimed_at = excluded.claimed_at, holder = excluded.holder
              WHERE job_claims.holder = excluded.holder OR job_claims.next_run_at <= excluded.claimed_at
             RETURNING job",
        )
        .bind(self.job)
        .bind(stored_instant(until))
        .bind(stored_instant(now))
        .bind(&self.holder)
        .fetch_optional(&self.pool)
        .await?;
        Ok(held.is_some())
    }

    /// Waits until this instance holds the lease.
    pub async fn acquire(&self) {
        loop {
            match self.hold().await {
                Ok(true) => return,
                Ok(false) => {}
                Err(error) => tracing::warn!(%error, job = self.job, "lease not taken: the database did not answer"),
            }
            tokio::time::sleep(self.ttl / 3).await;
        }
    }

    /// Renews the lease before a step of the job; an error when another
    /// instance holds it now (this one stalled past the time-to-live), so
    /// that the job stops here and waits for the lease again.
    pub async fn renew(&self) -> Result<(), String> {
        match self.hold().await {
            Ok(true) => Ok(()),
            Ok(false) => Err(format!("{} is run by another instance now", self.job)),
            Err(error) => Err(error.to_string()),
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

    #[tokio::test]
    async fn one_holder_at_a_time_and_a_lapsed_lease_is_taken_over() {
        let folder = tempfile::tempdir().expect("folder");
        let pool =
            crate::db::connect(&format!("sqlite:{}", folder.path().join("jobs.db").display())).await.expect("database");
        let lease = |holder: &str| Lease {
            pool: pool.clone(),
            job: "demo-feed",
            holder: holder.to_string(),
            ttl: Duration::from_millis(400),
        };
        let instances: Vec<Lease> = (0..10).map(|i| lease(&format!("instance-{i}"))).collect();
        let held = futures_util::future::join_all(instances.iter().map(Lease::hold)).await;
        let holders: Vec<usize> = (0..10).filter(|i| matches!(held[*i], Ok(true))).collect();
        assert_eq!(holders.len(), 1, "{held:?}");
        let (holder, other) = (&instances[holders[0]], &instances[(holders[0] + 1) % 10]);
        assert!(holder.renew().await.is_ok(), "the holder renews");
        assert!(other.renew().await.is_err(), "another instance may not run it meanwhile");
        tokio::time::sleep(Duration::from_millis(450)).await;
        assert!(other.hold().await.expect("hold"), "a lease not renewed within its time-to-live is taken over");
        assert!(holder.renew().await.is_err(), "the old holder learns it has lost it");
    }
}
