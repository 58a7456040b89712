//! The account bar's form posts, shared by the page and the handlers.

use crate::form_post;

form_post! {
    /// Acts for `per` (a fiscal code, empty for oneself), back to `return_to`.
    pub struct ActFor posted to "/agisci-per" {
        per: String,
        #[serde(default)]
        return_to: String,
    }
}

/// Signs out (and out of the identity provider).
pub const SIGN_OUT: &str = "/auth/logout";
