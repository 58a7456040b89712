//! The screening form posts, shared by the page and the server's handlers.

use crate::form_post;

form_post! {
    /// Asks for a faecal occult blood test kit at a pharmacy.
    pub struct RequestKit posted to "/screening/kit" {
        /// The pharmacy's facility id (empty: none chosen).
        #[serde(default)]
        farmacia: String,
    }
}

/// Cancels the kit request `{code}` (before the kit is ready).
pub const CANCEL_KIT: &str = "/screening/kit/{code}/annulla";
