//! The one-time messages of signing in and choosing whom to act for, in Italian and English:
//! shown on the next page after a form was sent (see [`crate::notice`]).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentityNotice {
    SignedIn,
    SignedOut,
    ActingChanged,
    ActingRefused,
    ActingEnded,
}

impl IdentityNotice {
    /// Whether the message reports a failure (shown as an alert).
    pub fn is_error(self) -> bool {
        !matches!(self, IdentityNotice::SignedIn | IdentityNotice::SignedOut | IdentityNotice::ActingChanged)
    }

    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (IdentityNotice::SignedIn, Lang::It) => "Accesso effettuato.",
            (IdentityNotice::SignedIn, Lang::En) => "You are signed in.",
            (IdentityNotice::SignedOut, Lang::It) => "Sei uscito dal Portale Salute.",
            (IdentityNotice::SignedOut, Lang::En) => "You signed out of Portale Salute.",
            (IdentityNotice::ActingChanged, Lang::It) => "Ora stai agendo per la persona scelta.",
            (IdentityNotice::ActingChanged, Lang::En) => "You are now acting for the chosen person.",
            (IdentityNotice::ActingRefused, Lang::It) => {
                "Non puoi agire per questa persona: la delega è scaduta, revocata o non esiste."
            }
            (IdentityNotice::ActingRefused, Lang::En) => {
                "You cannot act for this person: the delegation expired, was revoked or does not exist."
            }
            (IdentityNotice::ActingEnded, Lang::It) => {
                "La delega con cui agivi non è più valida: ora stai agendo per te stesso/a."
            }
            (IdentityNotice::ActingEnded, Lang::En) => {
                "The delegation you were acting with is no longer valid: you are now acting for yourself."
            }
        }
    }
}
