//! The FSE's form posts, shared by its pages and the server's handlers.

use crate::form_post;

form_post! {
    /// Gives (`given=1`) or withdraws the consent to consultation.
    pub struct SetFseConsent posted to "/fascicolo/consenso" {
        given: String,
    }
}

form_post! {
    /// Hides (`obscured=1`) or shows again the document `{id}`.
    pub struct SetObscured posted to "/fascicolo/documenti/{id}/oscuramento" {
        obscured: String,
    }
}

/// Adds a document to the personal notebook (multipart: `title`, `file`).
pub const ADD_TO_NOTEBOOK: &str = "/fascicolo/taccuino";
/// The notebook form's title field.
pub const NOTEBOOK_TITLE: &str = "title";
/// The notebook form's file field.
pub const NOTEBOOK_FILE: &str = "file";
/// Deletes the notebook entry `{id}`.
pub const DELETE_FROM_NOTEBOOK: &str = "/fascicolo/taccuino/{id}/elimina";
