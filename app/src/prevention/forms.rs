//! The form posts of vaccination and screening appointments, shared by
//! the pages and the server's handlers.

use crate::form_post;

form_post! {
    /// Books a slot for a campaign or programme (`scopo`); with `sposta`,
    /// moves that appointment.
    pub struct BookAppointment posted to "/appuntamenti/prenota" {
        scopo: String,
        slot_id: i64,
        /// The appointment being moved, if any.
        #[serde(default)]
        sposta: String,
    }
}

/// Cancels the appointment `{code}`.
pub const CANCEL_APPOINTMENT: &str = "/appuntamenti/{code}/disdici";
