//! The family-doctor choice form, shared by the page and the handler.

use crate::form_post;

form_post! {
    /// Chooses `doctor_id` as the family doctor (or paediatrician) of `person`.
    pub struct ChooseDoctor posted to "/medico/scelta" {
        person: String,
        doctor_id: i64,
    }
}
