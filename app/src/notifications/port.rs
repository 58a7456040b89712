//! The notifications port: the inbox of the signed-in person (and of their
//! minor children) and marking as read. The `notifications` table keeps
//! `emailed_at` so that an e-mail outbox can send what is not sent yet.

use async_trait::async_trait;

use super::model::Inbox;
use crate::identity::{model::Principal, AccessError};

#[async_trait]
pub trait Notifications: Send + Sync {
    async fn inbox(&self, principal: &Principal) -> Result<Inbox, AccessError>;

    /// Marks one notification as read; returns its link.
    async fn mark_read(&self, principal: &Principal, id: i64) -> Result<String, AccessError>;

    async fn mark_all_read(&self, principal: &Principal) -> Result<(), AccessError>;
}
