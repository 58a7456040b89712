//! Live updates across instances. An update applied on one instance is
//! published into that instance's hub at once (as with one process), and
//! announced through the database so that every other instance publishes
//! it into its own hub too.
//!
//! On PostgreSQL the announcement is a `NOTIFY portale_live` sent inside
//! the transaction that stores the update (delivered only if it commits),
//! carrying ids only — `<instance> <source> <id>`, far below the 8,000-byte
//! payload limit —; each instance LISTENs and asks the capability that
//! owns the source to read the update from its tables and publish it. After
//! the listener reconnects (announcements may have been missed meanwhile)
//! every source publishes the current state of its topics, so no browser
//! stays stale. On SQLite (one instance) announcing does nothing.

use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc, RwLock,
};
use std::time::Duration;

use async_trait::async_trait;
use sqlx::{postgres::PgListener, AnyConnection};

/// The channel every instance listens on.
const CHANNEL: &str = "portale_live";
/// How long to wait before connecting the listener again.
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// A capability whose live updates other instances replay.
#[async_trait]
pub trait LiveSource: Send + Sync {
    /// The source names this capability announces under.
    fn sources(&self) -> &'static [&'static str];
    /// Reads the update `id` of `source` from the tables and publishes it
    /// into this instance's hub.
    async fn replay(&self, source: &str, id: i64) -> Result<(), sqlx::Error>;
    /// Publishes the current state of the topics this instance's
    /// subscribers watch (announcements may have been missed).
    async fn refresh(&self) -> Result<(), sqlx::Error>;
}

/// Announces updates and, on PostgreSQL, replays the other instances'.
pub struct Relay {
    /// This process, so that it skips its own announcements.
    instance: String,
    on_postgres: bool,
    sources: RwLock<Vec<Arc<dyn LiveSource>>>,
    /// Whether the listener is connected (readiness, `/readyz`).
    listening: AtomicBool,
}

impl Relay {
    pub fn new(on_postgres: bool) -> Relay {
        Relay {
            instance: uuid::Uuid::new_v4().simple().to_string(),
            on_postgres,
            sources: RwLock::default(),
            listening: AtomicBool::new(!on_postgres),
        }
    }

    /// This process's id among the instances (also the holder of its
    /// leases, `jobs::Lease`).
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Adds a capability whose announced updates this instance replays.
    pub fn register(&self, source: Arc<dyn LiveSource>) {
        self.sources.write().unwrap_or_else(std::sync::PoisonError::into_inner).push(source);
    }

    /// Announces update `id` of `source` to the other instances, inside the
    /// transaction that stores it (sent only if it commits).
    pub async fn announce(&self, tx: &mut AnyConnection, source: &str, id: i64) -> Result<(), sqlx::Error> {
        if self.on_postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(format!("{} {source} {id}", self.instance))
                .execute(&mut *tx)
                .await?;
        }
        Ok(())
    }

    /// Whether announcements from other instances arrive (always on SQLite).
    pub fn listening(&self) -> bool {
        self.listening.load(Ordering::Acquire)
    }

    /// Starts listening for the other instances' announcements (at start:
    /// an instance that cannot listen does not start).
    pub async fn listen(&self, database_url: &str) -> Result<PgListener, sqlx::Error> {
        let mut listener = PgListener::connect(database_url).await?;
        listener.listen(CHANNEL).await?;
        self.listening.store(true, Ordering::Release);
        Ok(listener)
    }

    /// Replays the other instances' announcements for as long as the
    /// process runs, reconnecting when the connection drops; after each
    /// reconnection every source publishes its current state.
    pub async fn keep_listening(self: Arc<Self>, database_url: String, listener: PgListener) {
        let mut listener = Some(listener);
        loop {
            let mut connected = match listener.take() {
                Some(listener) => listener,
                None => match self.listen(&database_url).await {
                    Ok(listener) => {
                        self.refresh_all().await;
                        listener
                    }
                    Err(error) => {
                        tracing::warn!(%error, "live relay: cannot listen");
                        tokio::time::sleep(RECONNECT_AFTER).await;
                        continue;
                    }
                },
            };
            self.replay_until_dropped(&mut connected).await;
            self.listening.store(false, Ordering::Release);
            tokio::time::sleep(RECONNECT_AFTER).await;
        }
    }

    async fn replay_until_dropped(&self, listener: &mut PgListener) {
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => self.replay(notification.payload()).await,
                Ok(None) => {
                    tracing::warn!("live relay: connection lost");
                    return;
                }
                Err(error) => {
                    tracing::warn!(%error, "live relay: connection lost");
                    return;
                }
            }
        }
    }

    async fn replay(&self, payload: &str) {
        let mut parts = payload.split(' ');
        let (Some(instance), Some(source), Some(Ok(id))) =
            (parts.next(), parts.next(), parts.next().map(str::parse::<i64>))
        else {
            tracing::warn!(payload, "live relay: announcement not understood");
            return;
        };
        if instance == self.instance {
            return;
        }
        let owner = self.sources().into_iter().find(|owner| owner.sources().contains(&source));
        let Some(owner) = owner else {
            tracing::warn!(source, "live relay: announcement of an unknown source");
            return;
        };
        if let Err(error) = owner.replay(source, id).await {
            tracing::warn!(%error, source, id, "live relay: update not replayed");
        }
    }

    async fn refresh_all(&self) {
        for source in self.sources() {
            if let Err(error) = source.refresh().await {
                tracing::warn!(%error, "live relay: state not refreshed after reconnecting");
            }
        }
    }

    fn sources(&self) -> Vec<Arc<dyn LiveSource>> {
        self.sources.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}
