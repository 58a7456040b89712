//! The CUP's form posts, shared by its pages and the server's handlers.

use crate::form_post;

form_post! {
    /// Books a slot for a prescription; with `sposta`, moves that booking.
    pub struct BookSlot posted to "/prenotazioni/prenota" {
        nre: String,
        slot_id: i64,
        /// The booking being moved, if any.
        #[serde(default)]
        sposta: String,
    }
}

form_post! {
    /// Asks to be taken in charge by the waiting list for a prescription.
    pub struct JoinWaitingList posted to "/prenotazioni/lista-attesa" {
        nre: String,
    }
}

/// Accepts the waiting-list offer `{id}`.
pub const ACCEPT_OFFER: &str = "/prenotazioni/offerte/{id}/accetta";
/// Declines the waiting-list offer `{id}`.
pub const DECLINE_OFFER: &str = "/prenotazioni/offerte/{id}/rifiuta";
/// Cancels the booking `{code}`.
pub const CANCEL_BOOKING: &str = "/prenotazioni/{code}/disdici";
