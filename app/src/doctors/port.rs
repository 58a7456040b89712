//! The family-doctor port (in the region: the registry of assisted people,
//! ANA). Adapters decide who may see and choose for whom.

use crate::notice::WriteError;
use async_trait::async_trait;

use super::model::{ChoiceConfirmation, DoctorFilter, DoctorsPage};
use crate::identity::{model::Principal, AccessError};

#[async_trait]
pub trait Doctors: Send + Sync {
    /// Current doctors of the subject (and, acting for oneself, of one's
    /// minor children) and the doctors one of them may choose.
    async fn page(&self, principal: &Principal, filter: &DoctorFilter) -> Result<DoctorsPage, AccessError>;

    /// Registers `doctor_id` for `person`, ending the previous choice in the
    /// same transaction. Returns the new choice's id.
    async fn choose(&self, principal: &Principal, person: &str, doctor_id: i64) -> Result<i64, WriteError>;

    /// The data of a choice's confirmation document.
    async fn confirmation(&self, principal: &Principal, choice_id: i64) -> Result<ChoiceConfirmation, AccessError>;
}
