//! The form posts of the citizen's prescriptions and of the pharmacist's
//! counter, shared by the pages and the server's handlers.

use crate::form_post;

form_post! {
    /// Gives (`given=1`) or withdraws the consent to dispense from the card.
    pub struct SetCardConsent posted to "/ricette/consenso" {
        given: String,
    }
}

form_post! {
    /// The pharmacist reads a patient's prescriptions from the health card.
    pub struct LookUpCard posted to "/farmacia/cerca" {
        codice_fiscale: String,
        tessera: String,
    }
}

form_post! {
    /// Dispenses `boxes` of the prescription line `line_id`.
    pub struct Dispense posted to "/farmacia/dispensa" {
        line_id: i64,
        boxes: i64,
    }
}

/// Closes the patient at the counter.
pub const CLOSE_COUNTER: &str = "/farmacia/chiudi";
