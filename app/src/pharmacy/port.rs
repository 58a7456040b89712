//! The prescriptions port (in the region: the SAC/SAR dematerialised
//! prescription systems). Consent, card checks and "exactly once" are
//! enforced by the adapter and the database.

use crate::notice::Notice;
use async_trait::async_trait;

use super::model::{CardLookup, MyPrescriptions};
use crate::identity::{model::Principal, AccessError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DispenseError {
    Access(AccessError),
    /// The lookup no longer holds (consent withdrawn, card changed…).
    Lookup(CardLookup),
    /// Nothing left on this line: where and when it was dispensed.
    AlreadyDispensed {
        pharmacy: String,
        at_local: String,
    },
    Refused(Notice),
}

impl From<AccessError> for DispenseError {
    fn from(error: AccessError) -> Self {
        DispenseError::Access(error)
    }
}

#[async_trait]
pub trait Prescriptions: Send + Sync {
    /// The subject's drug prescriptions and dispensations, and the consent.
    async fn mine(&self, principal: &Principal) -> Result<MyPrescriptions, AccessError>;

    /// Switches "my prescriptions can be retrieved with my health card".
    async fn set_consent(&self, principal: &Principal, given: bool) -> Result<(), AccessError>;

    /// A pharmacist's lookup by health card, kept as the card being served
    /// at the counter (audited on the citizen's record).
    async fn lookup(
        &self,
        pharmacist: &Principal,
        fiscal_code: &str,
        card_number: &str,
    ) -> Result<CardLookup, AccessError>;

    /// The card being served, checked again (consent may have been withdrawn).
    async fn counter(&self, pharmacist: &Principal) -> Result<CardLookup, AccessError>;

    /// Ends serving the current card.
    async fn close_counter(&self, pharmacist: &Principal) -> Result<(), AccessError>;

    /// Dispenses `boxes` of a line of the card being served, once.
    async fn dispense(&self, pharmacist: &Principal, line_id: i64, boxes: i64) -> Result<(), DispenseError>;
}
