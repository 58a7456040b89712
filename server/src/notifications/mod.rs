//! The inbox in SQL (`notifications`, migration `20261123000004_cup.sql`):
//! a person's own notifications and their minor children's. `emailed_at`
//! is left for an e-mail outbox (send where it is NULL, then set it).

pub mod routes;

use app::identity::model::{Principal, Role};
use app::identity::AccessError;
use app::notifications::model::{Inbox, Notification, INBOX_SIZE};
use app::notifications::port::Notifications;
use async_trait::async_trait;
use sqlx::{AnyConnection, AnyPool};

use crate::access_log;
use crate::clock::stored_as_rome_minutes;

/// The access log's service name for the inbox.
pub const NOTIFICATIONS_LOG: &str = "notifiche";

/// Whose notifications the actor reads: their own and their minor children's.
pub(crate) const READABLE_BY: &str = "(n.person = $1 OR n.person IN (
    SELECT g.child FROM guardianships g JOIN people c ON c.fiscal_code = g.child
     WHERE g.parent = $1 AND c.birth_date > date('now', '-18 years')))";

/// Unread notifications for the header.
pub async fn unread_count(pool: &AnyPool, actor: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!("SELECT count(*) FROM notifications n WHERE {READABLE_BY} AND n.read_at IS NULL"))
        .bind(actor)
        .fetch_one(pool)
        .await
}

/// Adds a notification (inside the caller's transaction).
pub async fn notify(
    connection: &mut AnyConnection,
    person: &str,
    kind: &str,
    message: &str,
    link: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO notifications (person, kind, message, link) VALUES ($1, $2, $3, $4)")
        .bind(person)
        .bind(kind)
        .bind(message)
        .bind(link)
        .execute(connection)
        .await?;
    Ok(())
}

/// Only paths of the portal are followed after "Apri".
fn safe_link(link: &str) -> String {
    if link.starts_with('/') && !link.starts_with("//") && !link.contains('\\') {
        link.to_string()
    } else {
        "/notifiche".to_string()
    }
}

pub struct SqlNotifications {
    pool: AnyPool,
}

impl SqlNotifications {
    pub fn new(pool: AnyPool) -> SqlNotifications {
        SqlNotifications { pool }
    }

    fn internal(&self, principal: &Principal, error: sqlx::Error) -> AccessError {
        crate::db::failure::query_failed(principal, "notifications", error)
    }

    fn citizen(principal: &Principal) -> Result<&str, AccessError> {
        match principal.role {
            Role::Citizen => Ok(&principal.actor.fiscal_code),
            _ => Err(AccessError::NotAllowed),
        }
    }
}

/// A notification, with the full name of the person it is about.
#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: i64,
    message: String,
    link: String,
    created_at: String,
    read_at: Option<String>,
    person: String,
    given_name: String,
    family_name: String,
}

#[async_trait]
impl Notifications for SqlNotifications {
    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn inbox(&self, principal: &Principal) -> Result<Inbox, AccessError> {
        let actor = Self::citizen(principal)?;
        let rows: Vec<NotificationRow> = sqlx::query_as(&format!(
            "SELECT n.id, n.message, n.link, n.created_at, n.read_at, n.person, p.given_name, p.family_name
               FROM notifications n JOIN people p ON p.fiscal_code = n.person
              WHERE {READABLE_BY} ORDER BY n.id DESC LIMIT {INBOX_SIZE}"
        ))
        .bind(actor)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.internal(principal, e))?;
        let unread = unread_count(&self.pool, actor).await.map_err(|e| self.internal(principal, e))?;
        let notifications = rows
            .into_iter()
            .map(|row| Notification {
                id: row.id,
                message: row.message,
                link: safe_link(&row.link),
                created_at_local: stored_as_rome_minutes(&row.created_at),
                read: row.read_at.is_some(),
                for_child: (row.person != actor).then(|| format!("{} {}", row.given_name, row.family_name)),
            })
            .collect();
        Ok(Inbox { notifications, unread })
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn mark_read(&self, principal: &Principal, id: i64) -> Result<String, AccessError> {
        let actor = Self::citizen(principal)?;
        let link: Option<String> =
            sqlx::query_scalar(&format!("SELECT n.link FROM notifications n WHERE n.id = $2 AND {READABLE_BY}"))
                .bind(actor)
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| self.internal(principal, e))?;
        let Some(link) = link else {
            // Another person's notification: their log shows the attempt.
            let owner: Option<String> = sqlx::query_scalar("SELECT person FROM notifications WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| self.internal(principal, e))?;
            if let Some(owner) = owner {
                let record = format!("notifica-{id}");
                access_log::refused_on_named_person(&self.pool, principal, &owner, NOTIFICATIONS_LOG, Some(&record))
                    .await
                    .map_err(|e| self.internal(principal, e))?;
            }
            return Err(AccessError::NotAllowed);
        };
        sqlx::query("UPDATE notifications SET read_at = $2 WHERE id = $1 AND read_at IS NULL")
            .bind(id)
            .bind(crate::clock::stored_instant(chrono::Utc::now()))
            .execute(&self.pool)
            .await
            .map_err(|e| self.internal(principal, e))?;
        Ok(safe_link(&link))
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn mark_all_read(&self, principal: &Principal) -> Result<(), AccessError> {
        let actor = Self::citizen(principal)?;
        sqlx::query(&format!("UPDATE notifications AS n SET read_at = $2 WHERE n.read_at IS NULL AND {READABLE_BY}"))
            .bind(actor)
            .bind(crate::clock::stored_instant(chrono::Utc::now()))
            .execute(&self.pool)
            .await
            .map_err(|e| self.internal(principal, e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_portal_paths_are_followed() {
        assert_eq!(safe_link("/prenotazioni"), "/prenotazioni");
        assert_eq!(safe_link("//evil.example/x"), "/notifiche");
        assert_eq!(safe_link("https://evil.example"), "/notifiche");
        assert_eq!(safe_link("/\\evil.example"), "/notifiche");
    }
}
