//! The appointments port: campaigns' and programmes' slots on the CUP
//! agendas. The adapter checks who may book what (eligibility, the
//! capability, a positive result for the second level).

use async_trait::async_trait;

use super::model::{Appointment, HealthAgenda, SlotQuery, SlotSearchOutcome};
use crate::identity::{model::Principal, AccessError};
use crate::notice::WriteError;

#[async_trait]
pub trait Appointments: Send + Sync {
    async fn search(&self, principal: &Principal, query: &SlotQuery) -> Result<SlotSearchOutcome, AccessError>;

    /// Books `slot_id` for `purpose` (moving `moving` in the same
    /// transaction). Returns the appointment code.
    async fn book(
        &self,
        principal: &Principal,
        purpose: &str,
        slot_id: i64,
        moving: Option<&str>,
    ) -> Result<String, WriteError>;

    async fn appointment(&self, principal: &Principal, code: &str) -> Result<Appointment, AccessError>;

    async fn cancel(&self, principal: &Principal, code: &str) -> Result<Appointment, WriteError>;

    /// Vaccinations and screening due for the subject (home page).
    async fn agenda(&self, principal: &Principal) -> Result<HealthAgenda, AccessError>;
}
