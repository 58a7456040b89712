//! The demo operations (embedded default only, `PORTALE_DEMO_FEEDS`): San
//! Martino's theatre system, played through the real ingest API with its
//! machine token, moves three demo patients' operations one phase at a
//! time; each patient named one demo relative on admission, so a person
//! trying the portal signs in as that relative (marked in the provider's
//! account list) and follows it live. After
//! "back to ward" the same patient starts a new operation.

use std::time::Duration;

use app::surgery::model::Phase;
use chrono::Utc;
use serde_json::json;
use sqlx::AnyPool;

use crate::clock::rome_today;
use crate::identity::accounts::demo_accounts;
use crate::ingest::client::IngestClient;
use crate::ingest::SURGERY_WRITE;

/// The development identity provider's client for San Martino's systems
/// (end2end/idp/server.mjs).
pub const CLIENT_ID: &str = "ospedale-san-martino";
pub const CLIENT_SECRET: &str = "sviluppo-san-martino";
pub const HOSPITAL: &str = "HUB-SANMARTINO";
/// Demo operations running at once.
pub const OPERATIONS: usize = 3;

const RETRY: Duration = Duration::from_secs(10);
/// Ticks a patient rests after "back to ward" before the next operation,
/// so a person trying the portal for a while does not see dozens of them.
const REST_TICKS: u32 = 40;

/// The path every demo operation takes: every phase up to "back to ward".
const PATH: &[Phase] = Phase::ALL.split_at(7).0;

struct Operation {
    /// Index into `PATH` of the next phase.
    step: usize,
    round: u32,
    resting: u32,
}

pub struct Feeder {
    pub pool: AnyPool,
    pub issuer: String,
    pub portal_url: String,
    /// Time between two phases of one operation.
    pub every: Duration,
    /// Held while this instance feeds: one feeder of a kind in the cluster.
    pub lease: crate::jobs::Lease,
}

/// The demo patients and the relative each one named: the first adults
/// without minor children in the development provider's account list, in
/// pairs (the 2nd follows the 1st's operation, the 4th the 3rd's, …), so the
/// relatives are accounts a visitor can choose.
pub async fn demo_pairs(pool: &AnyPool) -> Result<Vec<(String, String)>, sqlx::Error> {
    let adults: Vec<String> = demo_accounts(pool, rome_today())
        .await?
        .into_iter()
        .filter(|account| account.role == "citizen" && !account.description.contains("genitore"))
        .take(OPERATIONS * 2)
        .map(|account| account.fiscal_code)
        .collect();
    Ok(adults.chunks(2).filter(|pair| pair.len() == 2).map(|pair| (pair[0].clone(), pair[1].clone())).collect())
}

/// The account-list note of a relative who follows a demo operation.
pub const FOLLOWER_NOTE: &str = " · segue un intervento (demo)";

impl Feeder {
    /// Runs for the life of the process; failures are logged and retried.
    pub async fn keep_feeding(self) {
        loop {
            self.lease.acquire().await;
            if let Err(error) = self.feed().await {
                tracing::warn!(%error, "demo surgery feed interrupted; retrying");
            }
            tokio::time::sleep(RETRY).await;
        }
    }

    async fn feed(&self) -> Result<(), String> {
        let pairs = demo_pairs(&self.pool).await.map_err(|e| e.to_string())?;
        if pairs.is_empty() {
            return Ok(());
        }
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().map_err(|e| e.to_string())?;
        let mut client = IngestClient::new(http, &self.issuer, CLIENT_ID, CLIENT_SECRET, SURGERY_WRITE).await?;
        let endpoint = format!("{}/ingest/v1/surgery/events", self.portal_url.trim_end_matches('/'));
        let started = Utc::now().timestamp();
        // Each operation starts at a different phase, so the three are
        // never in step.
        let mut operations: Vec<Operation> =
            (0..pairs.len()).map(|i| Operation { step: i * 2, round: 0, resting: 0 }).collect();
        let mut ticker = tokio::time::interval(self.every);
        loop {
            ticker.tick().await;
            self.lease.renew().await?;
            for (i, Operation { step, round, resting }) in operations.iter_mut().enumerate() {
                if *resting > 0 {
                    *resting -= 1;
                    continue;
                }
                let (patient, relative) = &pairs[i];
                let case_id = format!("DEMO-{started}-{i}-{round}");
                let phase = PATH[*step];
                let mut event = json!({
                    "event_id": format!("{case_id}-{}", phase.code()),
                    "hospital": HOSPITAL,
                    "case_id": case_id,
                    "phase": phase.code(),
                    "at": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    "patient": patient,
                });
                if phase == Phase::Admitted {
                    event["authorised"] = json!([relative]);
                }
                client.post(&endpoint, &event).await?;
                *step += 1;
                if *step == PATH.len() {
                    *step = 0;
                    *round += 1;
                    *resting = REST_TICKS;
                }
            }
        }
    }
}
