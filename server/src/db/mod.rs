//! The database: an SQLite file by default (created and migrated at start,
//! WAL, foreign keys on) or PostgreSQL in production, chosen by the URL's
//! scheme (`sqlite:` or `postgres://`). SQL lives in each capability's
//! module and is the same text on both backends (`$1` parameters, standard
//! SQL, stored instants as text): sqlx's `Any` driver runs it on whichever
//! the URL names (docs/decisions/0007-one-sql-two-backends.md). This module
//! opens the pool, says how writes begin and how the database's refusals
//! are recognised ([`write`], [`rules`]), and holds the two small pieces the
//! `Any` driver lacks ([`sql`]).

pub mod failure;
pub mod rules;
pub mod sql;
pub mod window;
pub mod write;

pub use rules::Rule;
pub use sql::{Flag, SqlBuilder};
pub use write::{begin, refused_by, serialize_on, WriteTx};

use std::{str::FromStr, sync::Once, time::Duration};

use sqlx::{
    any::AnyPoolOptions,
    postgres::PgConnectOptions,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    ConnectOptions, Executor,
};

/// The portal's connection pool, on either backend.
pub type Pool = sqlx::AnyPool;

/// The SQLite schema's migrations, embedded in the binary.
pub static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// The PostgreSQL schema's migrations, embedded in the binary.
pub static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Which database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend of `url`, by its scheme.
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    /// The backend `pool` talks to.
    pub fn of(pool: &Pool) -> Backend {
        match pool.connect_options().database_url.scheme() {
            "sqlite" => Backend::Sqlite,
            _ => Backend::Postgres,
        }
    }
}

/// Why the database could not be opened: says which database without its
/// password.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("PORTALE_DATABASE_URL must start with sqlite: or postgres:// (it is {0})")]
    UnknownScheme(String),
    #[error("cannot open the database {url}: {source}")]
    Unreachable { url: String, source: sqlx::Error },
    #[error("the database {url} could not be migrated (nothing was changed by the failed migration): {source}")]
    Migration { url: String, source: sqlx::migrate::MigrateError },
}

/// Opens (creating an SQLite file if needed) and migrates the database at
/// `url`.
pub async fn connect(url: &str) -> Result<Pool, OpenError> {
    sqlx::any::install_default_drivers();
    let shown = without_password(url);
    let unreachable = |source| OpenError::Unreachable { url: shown.clone(), source };
    let backend = Backend::of_url(url).ok_or_else(|| OpenError::UnknownScheme(shown.clone()))?;
    // Each migration runs in its own transaction on both backends, so a
    // failing one leaves the schema as it was.
    match backend {
        Backend::Sqlite => {
            let native = open_sqlite_file(url).await.map_err(unreachable)?;
            SQLITE_MIGRATIONS
                .run(&native)
                .await
                .map_err(|source| OpenError::Migration { url: shown.clone(), source })?;
            native.close().await;
        }
        Backend::Postgres => {
            let options =
                PgConnectOptions::from_str(url).map_err(unreachable)?.log_statements(tracing::log::LevelFilter::Trace);
            let mut connection = options.connect().await.map_err(unreachable)?;
            POSTGRES_MIGRATIONS
                .run(&mut connection)
                .await
                .map_err(|source| OpenError::Migration { url: shown.clone(), source })?;
            let _ = sqlx::Connection::close(connection).await;
        }
    }
    let pool = AnyPoolOptions::new()
        .max_connections(match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        })
        .acquire_timeout(Duration::from_secs(5))
        .after_connect(move |connection, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // What `open_sqlite_file` sets, per connection (the
                    // journal mode stays in the file).
                    connection
                        .execute("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;")
                        .await?;
                }
                Ok(())
            })
        })
        .connect(url)
        .await
        .map_err(unreachable)?;
    Ok(pool)
}

/// Installs the `Any` driver's backends; `connect` does it too. For code
/// that opens an `AnyPool` itself (tests).
pub fn install_drivers() {
    static ONCE: Once = Once::new();
    ONCE.call_once(sqlx::any::install_default_drivers);
}

/// Opens the SQLite file natively, creating it and switching it to WAL
/// (which stays in the file for every later connection).
async fn open_sqlite_file(url: &str) -> Result<sqlx::SqlitePool, sqlx::Error> {
    ensure_parent_folder(url);
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // WAL + NORMAL is durable across application crashes; an OS crash
        // may lose the last transactions but never corrupts the file.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    SqlitePoolOptions::new().max_connections(1).connect_with(options).await
}

/// `url` with its password, if any, replaced by `***` (for messages).
pub fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_names_the_backend() {
        assert_eq!(Backend::of_url("sqlite:data/portale.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::of_url("postgres://portale@localhost/portale"), Some(Backend::Postgres));
        assert_eq!(Backend::of_url("postgresql://localhost/portale"), Some(Backend::Postgres));
        assert_eq!(Backend::of_url("mysql://localhost/portale"), None);
    }

    #[test]
    fn messages_never_show_the_password() {
        assert_eq!(
            without_password("postgres://portale:s3greta@db.example:5432/portale"),
            "postgres://portale:***@db.example:5432/portale"
        );
        assert_eq!(without_password("sqlite:data/portale.db"), "sqlite:data/portale.db");
    }

    #[tokio::test]
    async fn an_unreachable_postgresql_is_named_without_its_password() {
        // Nothing listens on port 1 of the loopback.
        let error = connect("postgres://portale:s3greta@127.0.0.1:1/portale").await.expect_err("unreachable");
        let message = error.to_string();
        assert!(
            message.starts_with("cannot open the database postgres://portale:***@127.0.0.1:1/portale: "),
            "{message}"
        );
        assert!(!message.contains("s3greta"));
    }

    #[tokio::test]
    async fn an_unknown_scheme_is_refused_by_name() {
        let error = connect("mysql://root:pw@localhost/x").await.expect_err("refused");
        assert_eq!(
            error.to_string(),
            "PORTALE_DATABASE_URL must start with sqlite: or postgres:// (it is mysql://root:***@localhost/x)"
        );
    }
}
