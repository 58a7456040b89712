//! The language switch's form post, shared by the page frame and the handler.

use crate::form_post;

form_post! {
    /// Chooses the language `lang`, back to `return_to`.
    pub struct ChooseLanguage posted to "/lingua" {
        lang: String,
        #[serde(default)]
        return_to: String,
    }
}
