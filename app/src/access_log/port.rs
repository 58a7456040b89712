//! The audit-log port: every adapter that reads or writes health data
//! records through it; the citizen's page lists through it.

use async_trait::async_trait;

use super::model::{AccessAction, AccessEntry, AccessFilter};
use crate::identity::{model::Principal, AccessError};

#[async_trait]
pub trait AccessLog: Send + Sync {
    /// Appends one entry: `principal` did `action` on `capability` (slug)
    /// of its subject's data, optionally on one record.
    async fn record(
        &self,
        principal: &Principal,
        capability: &str,
        action: AccessAction,
        record_id: Option<&str>,
    ) -> Result<(), AccessError>;

    /// The accesses to the principal's subject, newest first. Refused (and
    /// recorded as such) when the principal may not see the access log.
    async fn list(&self, principal: &Principal, filter: &AccessFilter) -> Result<Vec<AccessEntry>, AccessError>;
}
