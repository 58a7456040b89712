//! The one-time messages of the colorectal screening kit, in Italian and English:
//! shown on the next page after a form was sent (see [`crate::notice`]).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KitNotice {
    KitRequested,
    KitCancelled,
    KitAlreadyOpen,
    KitNotOffered,
    KitPharmacyUnknown,
    KitNotCancellable,
}

impl KitNotice {
    /// Whether the message reports a failure (shown as an alert).
    pub fn is_error(self) -> bool {
        !matches!(self, KitNotice::KitRequested | KitNotice::KitCancelled)
    }

    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (KitNotice::KitRequested, Lang::It) => "Kit richiesto: ti avvisiamo quando è pronto in farmacia.",
            (KitNotice::KitRequested, Lang::En) => "Kit requested: we will tell you when it is ready at the pharmacy.",
            (KitNotice::KitCancelled, Lang::It) => "Richiesta del kit annullata.",
            (KitNotice::KitCancelled, Lang::En) => "Kit request cancelled.",
            (KitNotice::KitAlreadyOpen, Lang::It) => "Hai già un kit in corso: segui il suo percorso qui sotto.",
            (KitNotice::KitAlreadyOpen, Lang::En) => "You already have a kit under way: follow it below.",
            (KitNotice::KitNotOffered, Lang::It) => "Il kit non è disponibile per te ora: la pagina spiega chi è invitato e quando.",
            (KitNotice::KitNotOffered, Lang::En) => "The kit is not available to you now: the page explains who is invited and when.",
            (KitNotice::KitPharmacyUnknown, Lang::It) => "Farmacia non trovata: scegline una dall'elenco.",
            (KitNotice::KitPharmacyUnknown, Lang::En) => "Pharmacy not found: choose one from the list.",
            (KitNotice::KitNotCancellable, Lang::It) => "Il kit è già pronto o ritirato: la richiesta non si può più annullare. Se non ti serve, avvisa la farmacia.",
            (KitNotice::KitNotCancellable, Lang::En) => "The kit is already ready or collected: the request can no longer be cancelled. If you do not need it, tell the pharmacy.",
        }
    }
}
