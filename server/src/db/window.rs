//! Limits counted in the database over a sliding window ("at most N
//! look-ups per person in M minutes"), so that they hold across instances:
//! every allowed attempt is a row of the limit's table; rows older than the
//! window are deleted when the same person tries again.

use std::time::Duration;

use chrono::Utc;
use sqlx::AnyConnection;

use crate::clock::{parse_stored, stored_instant};

/// A limit's table: `(id, <key column> TEXT, at TEXT)`.
#[derive(Clone, Copy, Debug)]
pub struct SlidingWindow {
    pub table: &'static str,
    pub key_column: &'static str,
    pub limit: i64,
    pub window: Duration,
}

impl SlidingWindow {
    /// Counts one attempt of `key`, or refuses it when the window is full:
    /// `Err(wait)` says how long until the oldest attempt leaves it. Runs
    /// in the caller's write transaction, in turn with the key's other
    /// attempts on every instance ([`super::serialize_on`]).
    pub async fn take(&self, tx: &mut AnyConnection, key: &str) -> Result<Result<(), Duration>, sqlx::Error> {
        let Self { table, key_column, limit, window } = *self;
        super::serialize_on(&mut *tx, &format!("{table} {key}")).await?;
        let now = Utc::now();
        let since = stored_instant(now - chrono::Duration::from_std(window).unwrap_or_default());
        sqlx::query(&format!("DELETE FROM {table} WHERE {key_column} = $1 AND at < $2"))
            .bind(key)
            .bind(&since)
            .execute(&mut *tx)
            .await?;
        let (recent, oldest): (i64, Option<String>) =
            sqlx::query_as(&format!("SELECT count(*), min(at) FROM {table} WHERE {key_column} = $1 AND at >= $2"))
                .bind(key)
                .bind(&since)
                .fetch_one(&mut *tx)
                .await?;
        if recent >= limit {
            let frees_at = oldest
                .as_deref()
                .and_then(parse_stored)
                .map(|at| at + chrono::Duration::from_std(window).unwrap_or_default());
            let wait = frees_at.and_then(|at| (at - now).to_std().ok()).unwrap_or(window);
            return Ok(Err(wait.max(Duration::from_secs(1))));
        }
        sqlx::query(&format!("INSERT INTO {table} ({key_column}, at) VALUES ($1, $2)"))
            .bind(key)
            .bind(stored_instant(now))
            .execute(&mut *tx)
            .await?;
        Ok(Ok(()))
    }
}
