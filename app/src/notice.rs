//! One-time messages ("notices") shown on the next page after a form was
//! sent. Each capability owns its messages and their texts
//! (`<capability>/notice.rs`); [`Notice`] is only the envelope that the
//! session carries, plus the one message every capability may need.

use serde::{Deserialize, Serialize};

use crate::cup::notice::CupNotice;
use crate::delegations::notice::DelegationNotice;
use crate::doctors::notice::DoctorNotice;
use crate::fse::notice::FseNotice;
use crate::i18n::Lang;
use crate::identity::notice::IdentityNotice;
use crate::identity::AccessError;
use crate::payments::notice::PaymentNotice;
use crate::pharmacy::notice::PharmacyNotice;
use crate::prevention::notice::AppointmentNotice;
use crate::screening::notice::KitNotice;
use crate::surgery::notice::SurgeryNotice;

/// A one-time message, by the capability that says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notice {
    Identity(IdentityNotice),
    Delegations(DelegationNotice),
    Doctors(DoctorNotice),
    Fse(FseNotice),
    Cup(CupNotice),
    Pharmacy(PharmacyNotice),
    Payments(PaymentNotice),
    Surgery(SurgeryNotice),
    Prevention(AppointmentNotice),
    Screening(KitNotice),
    /// Our side failed: nothing was changed, try again later.
    ServiceUnavailable,
}

impl Notice {
    /// Whether the message reports a failure (shown as an alert).
    pub fn is_error(self) -> bool {
        match self {
            Notice::Identity(notice) => notice.is_error(),
            Notice::Delegations(notice) => notice.is_error(),
            Notice::Doctors(notice) => notice.is_error(),
            Notice::Fse(notice) => notice.is_error(),
            Notice::Cup(notice) => notice.is_error(),
            Notice::Pharmacy(notice) => notice.is_error(),
            Notice::Payments(notice) => notice.is_error(),
            Notice::Surgery(notice) => notice.is_error(),
            Notice::Prevention(notice) => notice.is_error(),
            Notice::Screening(notice) => notice.is_error(),
            Notice::ServiceUnavailable => true,
        }
    }

    /// The message in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            Notice::Identity(notice) => notice.text(lang),
            Notice::Delegations(notice) => notice.text(lang),
            Notice::Doctors(notice) => notice.text(lang),
            Notice::Fse(notice) => notice.text(lang),
            Notice::Cup(notice) => notice.text(lang),
            Notice::Pharmacy(notice) => notice.text(lang),
            Notice::Payments(notice) => notice.text(lang),
            Notice::Surgery(notice) => notice.text(lang),
            Notice::Prevention(notice) => notice.text(lang),
            Notice::Screening(notice) => notice.text(lang),
            Notice::ServiceUnavailable => match lang {
                Lang::It => "Il servizio non è disponibile in questo momento. Riprova tra qualche minuto.",
                Lang::En => "The service is not available right now. Please try again in a few minutes.",
            },
        }
    }
}

/// Why a write was not made: refused with a message the person can act on,
/// or not allowed / failed on our side.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    #[error("rifiutato: {0:?}")]
    Refused(Notice),
    #[error(transparent)]
    Access(#[from] AccessError),
}

impl WriteError {
    /// What the next page tells the person: the refusal; `not_allowed`
    /// when they may not make this change at all; "service unavailable"
    /// when our side failed (nothing was changed).
    pub fn notice(&self, not_allowed: Notice) -> Notice {
        match self {
            WriteError::Refused(notice) => *notice,
            WriteError::Access(AccessError::NotAllowed) => not_allowed,
            WriteError::Access(_) => Notice::ServiceUnavailable,
        }
    }
}

impl From<Notice> for WriteError {
    fn from(notice: Notice) -> Self {
        WriteError::Refused(notice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_has_a_text_in_both_languages() {
        // The envelope passes each message to its capability.
        for lang in Lang::ALL {
            assert!(!Notice::ServiceUnavailable.text(lang).is_empty());
        }
        assert!(Notice::ServiceUnavailable.is_error());
    }

    #[test]
    fn a_write_error_tells_what_to_do_next() {
        let not_allowed = Notice::Cup(CupNotice::BookingNotAllowed);
        let taken = WriteError::Refused(Notice::Cup(CupNotice::SlotTaken));
        assert_eq!(taken.notice(not_allowed), Notice::Cup(CupNotice::SlotTaken));
        assert_eq!(WriteError::Access(AccessError::NotAllowed).notice(not_allowed), not_allowed);
        let failed = WriteError::Access(AccessError::Internal { request_id: "r".into() });
        assert_eq!(failed.notice(not_allowed), Notice::ServiceUnavailable);
    }
}
