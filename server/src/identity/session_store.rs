//! Where sessions are kept: in the portal's database, whichever backend it
//! is, so that a person stays signed in whichever instance answers. The
//! stores are tower-sessions' own (`tower_sessions_sqlx_store`), each on a
//! native pool of its backend; this type picks one by the database URL.

use async_trait::async_trait;
use tower_sessions::{
    session::{Id, Record},
    session_store, ExpiredDeletion, SessionStore,
};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::db::{self, Backend};

/// The session store of the portal's database.
#[derive(Clone, Debug)]
pub enum Sessions {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Sessions {
    /// Opens the store in the database at `url` (already migrated by
    /// [`db::connect`]: on PostgreSQL the session table is one of the
    /// portal's migrations, so that instances starting together never
    /// race to create it).
    pub async fn open(url: &str) -> Result<Sessions, db::OpenError> {
        let unreachable = |source| db::OpenError::Unreachable { url: db::without_password(url), source };
        match Backend::of_url(url) {
            Some(Backend::Postgres) => {
                let pool = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(std::time::Duration::from_secs(5))
                    .connect(url)
                    .await
                    .map_err(unreachable)?;
                Ok(Sessions::Postgres(PostgresStore::new(pool)))
            }
            Some(Backend::Sqlite) => {
                let options = url
                    .parse::<sqlx::sqlite::SqliteConnectOptions>()
                    .map_err(unreachable)?
                    .busy_timeout(std::time::Duration::from_secs(5));
                let pool = sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(4)
                    .connect_with(options)
                    .await
                    .map_err(unreachable)?;
                let store = SqliteStore::new(pool);
                store.migrate().await.map_err(unreachable)?;
                Ok(Sessions::Sqlite(store))
            }
            None => Err(db::OpenError::UnknownScheme(db::without_password(url))),
        }
    }
}

#[async_trait]
impl SessionStore for Sessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(store) => store.create(record).await,
            Sessions::Postgres(store) => store.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(store) => store.save(record).await,
            Sessions::Postgres(store) => store.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Sessions::Sqlite(store) => store.load(id).await,
            Sessions::Postgres(store) => store.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(store) => store.delete(id).await,
            Sessions::Postgres(store) => store.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for Sessions {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(store) => store.delete_expired().await,
            Sessions::Postgres(store) => store.delete_expired().await,
        }
    }
}
