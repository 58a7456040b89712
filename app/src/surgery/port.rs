//! The surgery tracker port.

use async_trait::async_trait;

use super::model::{CaseView, SurgeryOverview};
use crate::identity::model::Principal;
use crate::identity::AccessError;

#[async_trait]
pub trait SurgeryTracker: Send + Sync {
    /// Operations the signed-in person may follow, and the subject's own
    /// operations with the people authorised to follow them.
    async fn overview(&self, principal: &Principal) -> Result<SurgeryOverview, AccessError>;
    /// One operation, for a person authorised to follow it (audited); any
    /// other case id gets `NotAllowed`, the same answer as a missing one.
    async fn case(&self, principal: &Principal, id: i64) -> Result<CaseView, AccessError>;
}
