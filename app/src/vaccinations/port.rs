//! The vaccinations port: the registry and the campaigns of the subject.

use async_trait::async_trait;

use super::model::VaccinationsPage;
use crate::identity::{model::Principal, AccessError};

#[async_trait]
pub trait Vaccinations: Send + Sync {
    /// History, campaigns with their status and live appointments (audited).
    async fn overview(&self, principal: &Principal) -> Result<VaccinationsPage, AccessError>;
}
