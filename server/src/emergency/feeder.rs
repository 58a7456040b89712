//! The demo feeder (embedded default only, `PORTALE_DEMO_FEEDS`): plays the
//! regional ER data flow so that a person trying the portal sees the board
//! alive. It is an ordinary API client: it gets a machine token from the
//! identity provider with client credentials and posts reports to the
//! portal's own ingest API, first 12 hours of history, then one unit every
//! few seconds.

use std::time::Duration;

use app::emergency::model::{Triage, TREND_POINTS, TREND_STEP_MINUTES};
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::AnyPool;

use crate::demo::rng::Rng;
use crate::ingest::{client::IngestClient, EMERGENCY_WRITE};

/// The development identity provider's client for the regional ER flow
/// (end2end/idp/server.mjs).
pub const CLIENT_ID: &str = "flusso-regionale-ps";
pub const CLIENT_SECRET: &str = "sviluppo-flusso-regionale-ps";

/// Waits after a failure (the provider or the portal not up yet).
const RETRY: Duration = Duration::from_secs(10);

pub struct Feeder {
    pub pool: AnyPool,
    pub issuer: String,
    pub portal_url: String,
    pub every: Duration,
    /// Held while this instance feeds: one feeder of a kind in the cluster.
    pub lease: crate::jobs::Lease,
}

/// A unit's simulated counts, moving a little at each step.
struct Unit {
    code: String,
    waiting: [u32; 5],
    in_treatment: [u32; 5],
}

impl Unit {
    fn step(&mut self, rng: &mut Rng) {
        // Typical upper bounds per colour for a mid-size unit.
        const TYPICAL: [i64; 5] = [2, 4, 10, 18, 8];
        for (i, typical) in TYPICAL.iter().enumerate() {
            let move_by = |value: u32, rng: &mut Rng| (i64::from(value) + rng.between(-1, 1)).clamp(0, *typical) as u32;
            self.waiting[i] = move_by(self.waiting[i], rng);
            self.in_treatment[i] = move_by(self.in_treatment[i], rng);
        }
    }

    fn report(&self, at: DateTime<Utc>, sequence: u64) -> serde_json::Value {
        let counts = |values: &[u32; 5]| {
            let mut object = serde_json::Map::new();
            for (i, triage) in Triage::ALL.iter().enumerate() {
                object.insert(triage.key().to_string(), json!(values[i]));
            }
            object
        };
        // Mean waits grow with the queue, for the less urgent colours.
        let waits = json!({
            "light_blue": 20 + 8 * self.waiting[2],
            "green": 30 + 12 * self.waiting[3],
            "white": 40 + 15 * self.waiting[4],
        });
        json!({
            "event_id": format!("demo-{}-{}-{sequence}", self.code, at.timestamp()),
            "unit": self.code,
            "reported_at": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "waiting": counts(&self.waiting),
            "in_treatment": counts(&self.in_treatment),
            "mean_wait_minutes": waits,
        })
    }
}

impl Feeder {
    /// Runs for the life of the process; failures are logged and retried.
    pub async fn keep_feeding(self) {
        let mut rng = Rng::new(Utc::now().timestamp() as u64);
        loop {
            self.lease.acquire().await;
            if let Err(error) = self.feed(&mut rng).await {
                tracing::warn!(%error, "demo ER feed interrupted; retrying");
            }
            tokio::time::sleep(RETRY).await;
        }
    }

    async fn feed(&self, rng: &mut Rng) -> Result<(), String> {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().map_err(|e| e.to_string())?;
        let codes: Vec<String> =
            sqlx::query_scalar("SELECT f.code FROM er_units u JOIN facilities f ON f.id = u.facility_id ORDER BY u.id")
                .fetch_all(&self.pool)
                .await
                .map_err(|e| e.to_string())?;
        let mut units: Vec<Unit> = codes
            .into_iter()
            .map(|code| Unit { code, waiting: [0, 1, 4, 8, 3], in_treatment: [1, 2, 3, 5, 2] })
            .collect();
        if units.is_empty() {
            return Ok(());
        }
        let mut client = IngestClient::new(http, &self.issuer, CLIENT_ID, CLIENT_SECRET, EMERGENCY_WRITE).await?;
        let endpoint = format!("{}/ingest/v1/emergency/status", self.portal_url.trim_end_matches('/'));
        let mut sequence = 0u64;
        // History first, so the trends have something to show.
        let now = Utc::now();
        // The last history point is now: no unit starts out stale.
        for step in (0..TREND_POINTS as i64).rev() {
            self.lease.renew().await?;
            let at = now - chrono::Duration::minutes(step * TREND_STEP_MINUTES);
            for unit in &mut units {
                unit.step(rng);
                sequence += 1;
                client.post(&endpoint, &unit.report(at, sequence)).await?;
            }
        }
        tracing::info!(units = units.len(), "demo ER feed: history sent, now live");
        let mut ticker = tokio::time::interval(self.every);
        loop {
            ticker.tick().await;
            self.lease.renew().await?;
            let index = rng.below(units.len() as u64) as usize;
            let unit = &mut units[index];
            unit.step(rng);
            sequence += 1;
            client.post(&endpoint, &unit.report(Utc::now(), sequence)).await?;
        }
    }
}
