//! The embedded demo region: a deterministic generator (fixed seed) that
//! fills an empty database with synthetic but realistic Liguria data, so a
//! person trying the portal, and every test, sees the same region.
//!
//! `Scale::Demo` makes the demo households (about 80 people with complete
//! clinical histories); `Scale::Regional(n)` adds synthetic residents up to
//! `n` people and enough agenda slots (≥ 2 M at 1.5 M people) for benchmarks.

mod agenda;
mod care_now;
mod insert;
mod notices;
mod people;
mod records;
pub mod reference;
pub mod rng;
mod territory;

use chrono::NaiveDate;
use sqlx::AnyPool;

use crate::db::Backend;
use std::{fmt, time::Instant};

/// Seed of the demo region: change it and every demo person changes.
pub const DEMO_SEED: u64 = 0x004C_4947_5552_4941; // "LIGURIA" in ASCII
/// Days of agenda generated from today.
pub const AGENDA_DAYS: i64 = 120;
/// Residents of Liguria (end 2024), the reference regional scale.
pub const REGIONAL_PEOPLE: u64 = 1_510_143;
/// Slots a database at `REGIONAL_PEOPLE` must hold at least (issue: ≥ 2 M).
pub const REGIONAL_MIN_SLOTS: u64 = 2_000_000;
/// `server seed` without `--scale`: the demo households only.
pub const DEMO_PEOPLE: u32 = 0;

/// How much to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Demo households only.
    Demo,
    /// Demo households plus synthetic residents up to this many people.
    Regional(u32),
}

impl Scale {
    pub fn people(total: u32) -> Scale {
        if total <= people::demo_household_count() {
            Scale::Demo
        } else {
            Scale::Regional(total)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the database already holds a region ({0} people): use an empty database")]
    NotEmpty(i64),
}

/// What was generated, for the log and the benchmark report.
#[derive(Debug, Default)]
pub struct Report {
    pub start_date: Option<NaiveDate>,
    pub asl: usize,
    pub facilities: usize,
    pub er_units: usize,
    pub services: usize,
    pub people: u64,
    pub doctors: u64,
    pub slots: u64,
    pub documents: u64,
    pub prescriptions: u64,
    pub vaccinations: u64,
    pub screening_tests: u64,
    pub seconds: f64,
    pub database_bytes: i64,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "demo region generated in {:.1} s (agenda from {})",
            self.seconds,
            self.start_date.map(|d| d.to_string()).unwrap_or_default()
        )?;
        writeln!(
            f,
            "  ASL {} · facilities {} · ER units {} · outpatient services {}",
            self.asl, self.facilities, self.er_units, self.services
        )?;
        writeln!(f, "  people {} · doctors {} · slots {}", self.people, self.doctors, self.slots)?;
        writeln!(
            f,
            "  FSE documents {} · prescriptions {} · vaccinations {} · screening tests {}",
            self.documents, self.prescriptions, self.vaccinations, self.screening_tests
        )?;
        write!(f, "  database size {:.1} MiB", self.database_bytes as f64 / (1024.0 * 1024.0))
    }
}

/// Fills the demo region when the database has no people yet (first start).
pub async fn seed_if_empty(pool: &AnyPool) -> Result<(), DemoError> {
    // Instances starting together on one PostgreSQL database: the first
    // generates the region, the others wait here and find it done.
    let mut turn = pool.acquire().await?;
    if Backend::of(pool) == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_lock(hashtextextended('demo region', 0))").execute(&mut *turn).await?;
    }
    let seeded = async {
        if people_count(pool).await? > 0 {
            return Ok(());
        }
        let report = seed(pool, Scale::Demo).await?;
        tracing::info!(people = report.people, slots = report.slots, seconds = report.seconds, "demo region generated");
        Ok(())
    }
    .await;
    if Backend::of(pool) == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_unlock(hashtextextended('demo region', 0))").execute(&mut *turn).await?;
    }
    seeded
}

/// Generates the region into an empty database, in one transaction per table
/// group so a failure leaves nothing half-written.
pub async fn seed(pool: &AnyPool, scale: Scale) -> Result<Report, DemoError> {
    let existing = people_count(pool).await?;
    if existing > 0 {
        return Err(DemoError::NotEmpty(existing));
    }
    let started = Instant::now();
    let today = crate::clock::rome_today();
    let mut report = Report { start_date: Some(today), ..Report::default() };

    let region = territory::Territory::build();
    let mut tx = pool.begin().await?;
    territory::insert(&mut tx, &region, &mut report).await?;
    care_now::insert(&mut tx, &region, today).await?;
    tx.commit().await?;

    let population = people::Population::generate(DEMO_SEED, scale, &region, today);
    let mut tx = pool.begin().await?;
    people::insert(&mut tx, &population, &mut report).await?;
    records::insert(&mut tx, DEMO_SEED, &population, &region, today, &mut report).await?;
    notices::insert(&mut tx, today).await?;
    tx.commit().await?;

    let slots_per_day = agenda::SlotDensity::for_scale(scale, &region);
    let mut tx = pool.begin().await?;
    report.slots = agenda::insert(&mut tx, DEMO_SEED, &region, today, slots_per_day).await?;
    report.slots += agenda::insert_prevention(&mut tx, &region, today, scale).await?;
    tx.commit().await?;

    report.seconds = started.elapsed().as_secs_f64();
    report.database_bytes = match Backend::of(pool) {
        Backend::Sqlite => {
            sqlx::query("PRAGMA optimize").execute(pool).await?;
            sqlx::query_scalar("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
                .fetch_one(pool)
                .await?
        }
        Backend::Postgres => {
            // The territory and the doctors keep the ids the generator gave
            // them: the identity sequences start after them.
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.columns
                  WHERE table_schema = 'public' AND column_name = 'id' AND is_identity = 'YES'",
            )
            .fetch_all(pool)
            .await?;
            for table in tables {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                ))
                .execute(pool)
                .await?;
            }
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
            )
            .fetch_all(pool)
            .await?;
            sqlx::query(&format!("ANALYZE {}", tables.join(", "))).execute(pool).await?;
            sqlx::query_scalar("SELECT pg_database_size(current_database())").fetch_one(pool).await?
        }
    };
    Ok(report)
}

async fn people_count(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM people").fetch_one(pool).await
}
