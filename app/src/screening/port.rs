//! The screening port: the subject's programmes and FIT kits, and the
//! region's adherence figures.

use async_trait::async_trait;

use super::model::{AdherenceReport, ScreeningPage};
use crate::identity::{model::Principal, AccessError};
use crate::notice::WriteError;

#[async_trait]
pub trait Screening: Send + Sync {
    /// The three programmes for the subject (audited).
    async fn overview(&self, principal: &Principal) -> Result<ScreeningPage, AccessError>;

    /// Requests a FIT kit to collect at `pharmacy_id`. Returns the kit code.
    async fn request_kit(&self, principal: &Principal, pharmacy_id: i64) -> Result<String, WriteError>;

    /// Cancels a kit not collected yet.
    async fn cancel_kit(&self, principal: &Principal, code: &str) -> Result<(), WriteError>;

    /// Adherence per programme, ASL and age band (the region's operators only).
    async fn adherence(&self, principal: &Principal) -> Result<AdherenceReport, AccessError>;
}
