//! The database: SQLite file by default (created and migrated at start, WAL,
//! foreign keys on). SQL lives in each capability's module; this module
//! opens the pool and says how writes begin and how the database's
//! refusals are recognised ([`write`]).

pub mod write;

pub use write::{begin, violates_rule, violates_unique, WriteTx};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::{str::FromStr, time::Duration};

/// The migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Opens (creating if needed) and migrates the database at `url`.
pub async fn connect(url: &str) -> Result<SqlitePool, sqlx::Error> {
    ensure_parent_folder(url);
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // WAL + NORMAL is durable across application crashes; an OS crash
        // may lose the last transactions but never corrupts the file.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// `sqlite:data/portale.db` needs `data/` to exist before SQLite opens it.
fn ensure_parent_folder(url: &str) {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return;
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            let _ = std::fs::create_dir_all(parent);
        }
    }
}
