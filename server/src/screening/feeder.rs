//! The demo screening centre (embedded default only, `PORTALE_DEMO_FEEDS`):
//! through the real ingest API, with its machine token, it moves every FIT
//! kit requested on the portal one step at a time (ready at the pharmacy,
//! collected, sample returned, result) and reports a result for screening
//! appointments whose time has passed, so a person trying the portal sees
//! the whole journey.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::AnyPool;

use crate::ingest::client::IngestClient;
use crate::ingest::SCREENING_WRITE;

/// The development identity provider's client for the regional screening
/// centre (end2end/idp/server.mjs).
pub const CLIENT_ID: &str = "centro-screening-liguria";
pub const CLIENT_SECRET: &str = "sviluppo-centro-screening";

const RETRY: Duration = Duration::from_secs(10);
/// One kit in this many is positive in the demo (a colonoscopy is proposed).
const POSITIVE_ONE_IN: i64 = 5;

pub struct Feeder {
    pub pool: AnyPool,
    pub issuer: String,
    pub portal_url: String,
    /// Time between two steps of one kit.
    pub every: Duration,
    /// Held while this instance feeds: one feeder of a kind in the cluster.
    pub lease: crate::jobs::Lease,
}

/// The event that moves a kit on from `status`.
fn next_step(status: &str) -> Option<&'static str> {
    match status {
        "requested" => Some("kit_ready"),
        "ready" => Some("kit_collected"),
        "collected" => Some("sample_returned"),
        "returned" => Some("result"),
        _ => None,
    }
}

/// The demo haemoglobin of a kit: negative, one in five positive.
fn demo_haemoglobin(kit_id: i64) -> i64 {
    if kit_id % POSITIVE_ONE_IN == 0 {
        160 + kit_id % 40
    } else {
        12 + kit_id % 60
    }
}

impl Feeder {
    /// Runs for the life of the process; failures are logged and retried.
    pub async fn keep_feeding(self) {
        loop {
            self.lease.acquire().await;
            if let Err(error) = self.feed().await {
                tracing::warn!(%error, "demo screening feed interrupted; retrying");
            }
            tokio::time::sleep(RETRY).await;
        }
    }

    async fn feed(&self) -> Result<(), String> {
        // A demo database seeded before the grant table existed has no
        // grant for the demo centre: the feeder (development only) adds it.
        sqlx::query("INSERT INTO ingest_screening_grants (client_id) VALUES ($1) ON CONFLICT DO NOTHING")
            .bind(CLIENT_ID)
            .execute(&self.pool)
            .await
            .map_err(|e| e.to_string())?;
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().map_err(|e| e.to_string())?;
        let mut client = IngestClient::new(http, &self.issuer, CLIENT_ID, CLIENT_SECRET, SCREENING_WRITE).await?;
        let endpoint = format!("{}/ingest/v1/screening/events", self.portal_url.trim_end_matches('/'));
        let mut ticker = tokio::time::interval(self.every);
        loop {
            ticker.tick().await;
            self.lease.renew().await?;
            let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let kits: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT id, code, status FROM fit_kits WHERE status IN ('requested', 'ready', 'collected', 'returned')",
            )
            .fetch_all(&self.pool)
            .await
            .map_err(|e| e.to_string())?;
            for (id, code, status) in kits {
                let Some(kind) = next_step(&status) else { continue };
                let mut event =
                    json!({ "event_id": format!("demo-{code}-{kind}"), "kind": kind, "reference": code, "at": now });
                if kind == "result" {
                    event["result"] = json!({ "haemoglobin_ng_ml": demo_haemoglobin(id) });
                }
                client.post(&endpoint, &event).await?;
            }
            let active: Vec<(String, String)> = sqlx::query_as(
                "SELECT a.code, s.starts_at FROM prevention_appointments a JOIN slots s ON s.id = a.slot_id
                  WHERE a.status = 'active' AND a.kind IN ('screening', 'screening_second_level')",
            )
            .fetch_all(&self.pool)
            .await
            .map_err(|e| e.to_string())?;
            // Slot times carry the Rome offset: compared as instants, not as text.
            let started = |starts_at: &str| DateTime::parse_from_rfc3339(starts_at).is_ok_and(|at| at <= Utc::now());
            let due = active.into_iter().filter(|(_, starts_at)| started(starts_at)).map(|(code, _)| code);
            for code in due {
                let event = json!({
                    "event_id": format!("demo-{code}-result"), "kind": "result", "reference": code, "at": now,
                    "result": { "outcome": "negative", "report": "Nessuna alterazione sospetta." }
                });
                client.post(&endpoint, &event).await?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kits_move_one_step_at_a_time_to_the_result() {
        assert_eq!(next_step("requested"), Some("kit_ready"));
        assert_eq!(next_step("returned"), Some("result"));
        assert_eq!(next_step("resulted"), None);
        assert_eq!(next_step("cancelled"), None);
        let positives = (1..=100).filter(|id| demo_haemoglobin(*id) >= 100).count();
        assert_eq!(positives, 20);
    }
}
