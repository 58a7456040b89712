//! Emergency rooms in SQL (migration `20261123000007_emergency.sql`): the
//! reports hospital systems push in, the public board built from them, and
//! the live stream of changes (`live.rs`, `routes.rs`).

pub mod feeder;
pub mod ingest;
pub mod openapi;
pub mod routes;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use app::cup::model::km_text;
use app::domain::geo::distance_tenths_km;
use app::emergency::model::{
    AslOption, ErBoard, ErBoardQuery, ErLiveUpdate, ErStatus, ErUnit, NearBy, PerColour, STALE_AFTER_MINUTES,
    TREND_POINTS, TREND_STEP_MINUTES,
};
use app::emergency::port::EmergencyBoard;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use sqlx::AnyPool;

use self::ingest::StatusReport;
use crate::clock::{parse_stored, rome_minutes, stored_second};
use crate::db;
use crate::ingest::{
    answer::Recorded,
    live::LiveHub,
    relay::{LiveSource, Relay},
};

/// The live topic of the ER board.
pub const BOARD_TOPIC: &str = "pronto-soccorso";

/// Reports are kept this long (the trend shows 12 hours; ingest accepts 24).
const KEEP_HOURS: i64 = 48;

#[derive(Debug, thiserror::Error)]
/// Why a well-formed ER report was not recorded.
pub enum ReportRefusal {
    #[error("unknown unit")]
    UnknownUnit,
    #[error("not granted")]
    NotGranted,
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// The name of an ER report in the live relay's announcements.
const RELAY_SOURCE: &str = "er";

pub struct SqlEmergency {
    pool: AnyPool,
    live: Arc<dyn LiveHub>,
    relay: Arc<Relay>,
    /// Moves after every applied report, once it is committed: the kept
    /// board pages (`page_cache`) are rendered again.
    board_version: Arc<AtomicU64>,
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    reported_at: String,
    waiting_red: i64,
    waiting_orange: i64,
    waiting_azure: i64,
    waiting_green: i64,
    waiting_white: i64,
    treating_red: i64,
    treating_orange: i64,
    treating_azure: i64,
    treating_green: i64,
    treating_white: i64,
    mean_wait_red: Option<i64>,
    mean_wait_orange: Option<i64>,
    mean_wait_azure: Option<i64>,
    mean_wait_green: Option<i64>,
    mean_wait_white: Option<i64>,
}

const REPORT_COLUMNS: &str =
    "r.reported_at, r.waiting_red, r.waiting_orange, r.waiting_azure, r.waiting_green, r.waiting_white,
    r.treating_red, r.treating_orange, r.treating_azure, r.treating_green, r.treating_white,
    r.mean_wait_red, r.mean_wait_orange, r.mean_wait_azure, r.mean_wait_green, r.mean_wait_white";

struct Latest {
    reported_at: DateTime<Utc>,
    waiting: PerColour<u32>,
    in_treatment: PerColour<u32>,
    mean_wait_minutes: PerColour<Option<u32>>,
}

fn count(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

fn parse_time(text: &str) -> DateTime<Utc> {
    parse_stored(text).unwrap_or_default()
}

impl From<ReportRow> for Latest {
    fn from(row: ReportRow) -> Self {
        let wait = |v: Option<i64>| v.map(count);
        Latest {
            reported_at: parse_time(&row.reported_at),
            waiting: [
                count(row.waiting_red),
                count(row.waiting_orange),
                count(row.waiting_azure),
                count(row.waiting_green),
                count(row.waiting_white),
            ],
            in_treatment: [
                count(row.treating_red),
                count(row.treating_orange),
                count(row.treating_azure),
                count(row.treating_green),
                count(row.treating_white),
            ],
            mean_wait_minutes: [
                wait(row.mean_wait_red),
                wait(row.mean_wait_orange),
                wait(row.mean_wait_azure),
                wait(row.mean_wait_green),
                wait(row.mean_wait_white),
            ],
        }
    }
}

impl SqlEmergency {
    pub fn new(pool: AnyPool, live: Arc<dyn LiveHub>, relay: Arc<Relay>) -> Self {
        SqlEmergency { pool, live, relay, board_version: Arc::default() }
    }

    /// The board's data version (see `page_cache`).
    pub fn board_version(&self) -> Arc<AtomicU64> {
        self.board_version.clone()
    }

    pub fn live(&self) -> Arc<dyn LiveHub> {
        self.live.clone()
    }

    /// Stores a report of `client`; publishes it when it is the unit's newest.
    #[tracing::instrument(skip_all, fields(client, unit = %report.unit, event = %report.event_id), err(Debug, level = "info"))]
    pub async fn record(&self, client: &str, report: &StatusReport) -> Result<Recorded, ReportRefusal> {
        let mut tx = db::begin(&self.pool).await?;
        let unit: Option<i64> = sqlx::query_scalar(
            "SELECT u.id FROM er_units u JOIN facilities f ON f.id = u.facility_id WHERE f.code = $1",
        )
        .bind(&report.unit)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(unit) = unit else { return Err(ReportRefusal::UnknownUnit) };
        let granted: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM ingest_er_grants WHERE client_id = $1 AND facility_code IN ($2, '*') LIMIT 1",
        )
        .bind(client)
        .bind(&report.unit)
        .fetch_optional(&mut *tx)
        .await?;
        if granted.is_none() {
            return Err(ReportRefusal::NotGranted);
        }
        // Reports of one unit become current one at a time, on every
        // instance (SQLite: the write lock; PostgreSQL: a lock on the unit).
        db::serialize_on(&mut tx, &format!("er unit {unit}")).await?;
        let [wr, wo, wa, wg, ww] = report.waiting.map(i64::from);
        let [tr, to, ta, tg, tw] = report.in_treatment.map(i64::from);
        let [mr, mo, ma, mg, mw] = report.mean_wait_minutes.map(|v| v.map(i64::from));
        let reported_at = stored_second(report.reported_at);
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO er_status_reports (unit_id, client_id, event_id, reported_at,
                waiting_red, waiting_orange, waiting_azure, waiting_green, waiting_white,
                treating_red, treating_orange, treating_azure, treating_green, treating_white,
                mean_wait_red, mean_wait_orange, mean_wait_azure, mean_wait_green, mean_wait_white)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
             ON CONFLICT (client_id, event_id) DO NOTHING
             RETURNING id",
        )
        .bind(unit)
        .bind(client)
        .bind(&report.event_id)
        .bind(&reported_at)
        .bind(wr)
        .bind(wo)
        .bind(wa)
        .bind(wg)
        .bind(ww)
        .bind(tr)
        .bind(to)
        .bind(ta)
        .bind(tg)
        .bind(tw)
        .bind(mr)
        .bind(mo)
        .bind(ma)
        .bind(mg)
        .bind(mw)
        .fetch_optional(&mut *tx)
        .await?;
        // A retried report (same client, same event id) is stored once.
        let Some(id) = id else { return Ok(Recorded::Duplicate) };
        // The newest report wins; among equal times the last received.
        let current: i64 = sqlx::query_scalar(
            "SELECT id FROM er_status_reports WHERE unit_id = $1 ORDER BY reported_at DESC, id DESC LIMIT 1",
        )
        .bind(unit)
        .fetch_one(&mut *tx)
        .await?;
        // Reports older than the trend needs (and then some) are dropped.
        sqlx::query("DELETE FROM er_status_reports WHERE unit_id = $1 AND reported_at < $2")
            .bind(unit)
            .bind(stored_second(report.reported_at - Duration::hours(KEEP_HOURS)))
            .execute(&mut *tx)
            .await?;
        if current != id {
            tx.commit().await?;
            return Ok(Recorded::Outdated);
        }
        // The other instances publish it once it commits.
        self.relay.announce(&mut tx, RELAY_SOURCE, id).await?;
        // Published while the unit's lock is held, so two reports for a unit
        // reach browsers in the order they became current.
        let latest = Latest {
            reported_at: report.reported_at,
            waiting: report.waiting,
            in_treatment: report.in_treatment,
            mean_wait_minutes: report.mean_wait_minutes,
        };
        self.publish(&report.unit, &latest);
        tx.commit().await?;
        // After the commit: a page rendered from now on sees the report.
        self.board_version.fetch_add(1, Ordering::Release);
        Ok(Recorded::Applied)
    }

    /// Sends a unit's new state to this instance's live board subscribers.
    fn publish(&self, unit: &str, latest: &Latest) {
        let update = ErLiveUpdate {
            unit: unit.to_string(),
            waiting: latest.waiting,
            in_treatment: latest.in_treatment,
            mean_wait_minutes: latest.mean_wait_minutes,
            reported_at: stored_second(latest.reported_at),
            reported_local: rome_minutes(latest.reported_at),
        };
        match serde_json::to_string(&update) {
            Ok(message) => self.live.publish(BOARD_TOPIC, message.into()),
            Err(error) => tracing::error!(%error, "live update not encoded"),
        }
    }

    /// Publishes report `id` here if it is its unit's current one.
    async fn replay_report(&self, id: i64, only_if_current: bool) -> Result<(), sqlx::Error> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT f.code, r.unit_id FROM er_status_reports r
               JOIN er_units u ON u.id = r.unit_id JOIN facilities f ON f.id = u.facility_id WHERE r.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some((unit, unit_id)) = row else { return Ok(()) };
        let current: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM er_status_reports WHERE unit_id = $1 ORDER BY reported_at DESC, id DESC LIMIT 1",
        )
        .bind(unit_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(current) = current.filter(|current| *current == id || !only_if_current) else { return Ok(()) };
        let row: ReportRow =
            sqlx::query_as(&format!("SELECT {REPORT_COLUMNS} FROM er_status_reports r WHERE r.id = $1"))
                .bind(current)
                .fetch_one(&self.pool)
                .await?;
        self.board_version.fetch_add(1, Ordering::Release);
        self.publish(&unit, &Latest::from(row));
        Ok(())
    }

    /// The place a board is sorted from: a town of Liguria or a position.
    async fn origin(
        &self,
        query: &ErBoardQuery,
    ) -> Result<(Option<(f64, f64)>, Option<NearBy>, Option<String>), sqlx::Error> {
        if let Some(town) = &query.near {
            let found: Option<(String, f64, f64)> = sqlx::query_as(
                "SELECT name, latitude, longitude FROM municipalities WHERE lower(name) = lower($1) LIMIT 1",
            )
            .bind(town)
            .fetch_optional(&self.pool)
            .await?;
            return Ok(match found {
                Some((name, lat, lon)) => (Some((lat, lon)), Some(NearBy::Town(name)), None),
                None => (None, None, Some(town.clone())),
            });
        }
        // Only positions in and around Liguria sort the board.
        Ok(match query.position {
            Some((lat, lon)) if (43.0..=45.5).contains(&lat) && (7.0..=10.5).contains(&lon) => {
                (Some((lat, lon)), Some(NearBy::Position), None)
            }
            _ => (None, None, None),
        })
    }

    /// Patients waiting per half hour over the trend window, per unit id;
    /// a unit's count holds until its next report.
    async fn trends(
        &self,
        now: DateTime<Utc>,
    ) -> Result<std::collections::HashMap<i64, Vec<Option<u32>>>, sqlx::Error> {
        let span = Duration::minutes(TREND_STEP_MINUTES * TREND_POINTS as i64);
        let start = now - span;
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT unit_id, reported_at,
                    waiting_red + waiting_orange + waiting_azure + waiting_green + waiting_white
               FROM er_status_reports WHERE reported_at >= $1 ORDER BY unit_id, reported_at, id",
        )
        .bind(stored_second(start))
        .fetch_all(&self.pool)
        .await?;
        let mut trends: std::collections::HashMap<i64, Vec<Option<u32>>> = std::collections::HashMap::new();
        for (unit, at, waiting) in rows {
            let offset = (parse_time(&at) - start).num_minutes() / TREND_STEP_MINUTES;
            let slot = usize::try_from(offset).unwrap_or(0).min(TREND_POINTS - 1);
            trends.entry(unit).or_insert_with(|| vec![None; TREND_POINTS])[slot] = Some(count(waiting));
        }
        for points in trends.values_mut() {
            let mut last = None;
            for point in points.iter_mut() {
                if point.is_some() {
                    last = *point;
                } else {
                    *point = last;
                }
            }
        }
        Ok(trends)
    }
}

#[async_trait]
impl EmergencyBoard for SqlEmergency {
    async fn board(&self, query: &ErBoardQuery) -> Result<ErBoard, String> {
        self.load_board(query, Utc::now()).await.map_err(|error| error.to_string())
    }
}

/// An ER unit, with its facility's code and position, town and ASL.
#[derive(sqlx::FromRow)]
struct UnitRow {
    id: i64,
    code: String,
    name: String,
    town: String,
    asl_code: String,
    asl_name: String,
    address: String,
    phone: String,
    paediatric: i64,
    latitude: f64,
    longitude: f64,
}

impl SqlEmergency {
    async fn load_board(&self, query: &ErBoardQuery, now: DateTime<Utc>) -> Result<ErBoard, sqlx::Error> {
        let asls: Vec<(String, String)> =
            sqlx::query_as("SELECT code, name FROM asl ORDER BY code").fetch_all(&self.pool).await?;
        let asl = query.asl.clone().filter(|code| asls.iter().any(|(c, _)| c == code));
        let (origin, near, unknown_town) = self.origin(query).await?;
        let rows: Vec<UnitRow> = sqlx::query_as(
            "SELECT u.id, f.code, u.name, m.name AS town, a.code AS asl_code, a.name AS asl_name, f.address, f.phone,
                    u.paediatric, f.latitude, f.longitude
               FROM er_units u JOIN facilities f ON f.id = u.facility_id
               JOIN municipalities m ON m.belfiore = f.municipality JOIN asl a ON a.code = f.asl_code
              WHERE $1 IS NULL OR a.code = $1
              ORDER BY a.code, u.name",
        )
        .bind(&asl)
        .fetch_all(&self.pool)
        .await?;
        let mut trends = self.trends(now).await?;
        let mut units = Vec::with_capacity(rows.len());
        for row in rows {
            let UnitRow {
                id,
                code,
                name,
                town,
                asl_code: _asl_code,
                asl_name,
                address,
                phone,
                paediatric,
                latitude: lat,
                longitude: lon,
            } = row;
            let latest: Option<ReportRow> = sqlx::query_as(&format!(
                "SELECT {REPORT_COLUMNS} FROM er_status_reports r WHERE r.unit_id = $1
                  ORDER BY r.reported_at DESC, r.id DESC LIMIT 1"
            ))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
            let status = latest.map(Latest::from).map(|latest| ErStatus {
                waiting: latest.waiting,
                in_treatment: latest.in_treatment,
                mean_wait_minutes: latest.mean_wait_minutes,
                reported_local: rome_minutes(latest.reported_at),
                stale: now - latest.reported_at > Duration::minutes(STALE_AFTER_MINUTES),
                trend: trends.remove(&id).unwrap_or_else(|| vec![None; TREND_POINTS]),
            });
            let tenths = origin.map(|from| distance_tenths_km(from, (lat, lon)));
            units.push((
                tenths,
                ErUnit {
                    code,
                    name,
                    town,
                    asl_name,
                    address,
                    phone,
                    paediatric: paediatric == 1,
                    distance: tenths.map(km_text),
                    status,
                },
            ));
        }
        if origin.is_some() {
            units.sort_by_key(|(tenths, _)| *tenths);
        }
        Ok(ErBoard {
            units: units.into_iter().map(|(_, unit)| unit).collect(),
            asls: asls.into_iter().map(|(code, name)| AslOption { code, name }).collect(),
            asl,
            near,
            unknown_town,
        })
    }
}

#[async_trait]
impl LiveSource for SqlEmergency {
    fn sources(&self) -> &'static [&'static str] {
        &[RELAY_SOURCE]
    }

    async fn replay(&self, _source: &str, id: i64) -> Result<(), sqlx::Error> {
        self.replay_report(id, true).await
    }

    async fn refresh(&self) -> Result<(), sqlx::Error> {
        let current: Vec<i64> = sqlx::query_scalar::<_, Option<i64>>(
            "SELECT (SELECT r.id FROM er_status_reports r WHERE r.unit_id = u.id
                      ORDER BY r.reported_at DESC, r.id DESC LIMIT 1) AS current
               FROM er_units u",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .flatten()
        .collect();
        self.board_version.fetch_add(1, Ordering::Release);
        for id in current {
            self.replay_report(id, false).await?;
        }
        Ok(())
    }
}
