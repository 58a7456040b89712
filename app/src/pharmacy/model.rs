//! Dematerialised drug prescriptions as the citizen and the pharmacist see them.

use serde::{Deserialize, Serialize};

use crate::identity::model::Person;

/// Where a prescription stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PrescriptionStatus {
    ToDispense,
    Partly,
    Dispensed,
    Expired,
}

impl PrescriptionStatus {
    /// From the boxes prescribed and dispensed and whether it is still valid.
    pub fn of(prescribed: i64, dispensed: i64, valid: bool) -> PrescriptionStatus {
        if dispensed >= prescribed {
            PrescriptionStatus::Dispensed
        } else if !valid {
            PrescriptionStatus::Expired
        } else if dispensed > 0 {
            PrescriptionStatus::Partly
        } else {
            PrescriptionStatus::ToDispense
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispensation {
    pub pharmacy: String,
    /// Local time `dd/mm/yyyy hh:mm`.
    pub at_local: String,
    pub boxes: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub id: i64,
    pub drug: String,
    pub dosage: String,
    pub boxes: i64,
    pub dispensed_boxes: i64,
    pub dispensations: Vec<Dispensation>,
}

impl Line {
    pub fn remaining(&self) -> i64 {
        (self.boxes - self.dispensed_boxes).max(0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrugPrescription {
    pub nre: String,
    /// Red (SSN, reimbursable) or white (non-reimbursable).
    pub red: bool,
    pub prescriber: String,
    pub issued_on: String,
    pub valid_until: String,
    pub status: PrescriptionStatus,
    pub lines: Vec<Line>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyPrescriptions {
    pub prescriptions: Vec<DrugPrescription>,
    pub consent_given: bool,
    /// Whether the reader may switch the consent (the person or a parent).
    pub can_change: bool,
}

/// What the pharmacist gets for a health card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CardLookup {
    /// No card looked up yet in this session.
    NoCard,
    /// The fiscal code is malformed or its check letter is wrong.
    BadFiscalCode,
    /// The card number is not 20 digits.
    BadCardNumber,
    /// Card number and fiscal code do not belong together.
    CardMismatch,
    /// The card expired on this day (`YYYY-MM-DD`).
    CardExpired(String),
    /// The citizen did not allow retrieval by card: nothing else is said.
    ConsentMissing,
    Prescriptions {
        patient: Person,
        prescriptions: Vec<DrugPrescription>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_boxes_and_validity() {
        assert_eq!(PrescriptionStatus::of(2, 0, true), PrescriptionStatus::ToDispense);
        assert_eq!(PrescriptionStatus::of(2, 1, true), PrescriptionStatus::Partly);
        assert_eq!(PrescriptionStatus::of(2, 2, true), PrescriptionStatus::Dispensed);
        assert_eq!(PrescriptionStatus::of(2, 2, false), PrescriptionStatus::Dispensed);
        assert_eq!(PrescriptionStatus::of(2, 1, false), PrescriptionStatus::Expired);
    }
}
