//! The one-time messages of tickets, checkouts and income exemptions, in Italian and English:
//! shown on the next page after a form was sent (see [`crate::notice`]).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentNotice {
    PaymentNothingSelected,
    PaymentNotPayable,
    PaymentInProgress,
    PaymentProviderUnavailable,
    PaymentNotAllowed,
    ExemptionDeclared,
    ExemptionWithdrawn,
    ExemptionNotForAge,
    ExemptionAlreadyValid,
    ExemptionNotConfirmed,
    ExemptionUnknownCode,
    ExemptionNotFound,
    /// Too many notices looked up by code in a few minutes: try later.
    TooManyLookups,
}

impl PaymentNotice {
    /// Whether the message reports a failure (shown as an alert).
    pub fn is_error(self) -> bool {
        !matches!(self, PaymentNotice::ExemptionDeclared | PaymentNotice::ExemptionWithdrawn)
    }

    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PaymentNotice::PaymentNothingSelected, Lang::It) => "Seleziona almeno un ticket da pagare.",
            (PaymentNotice::PaymentNothingSelected, Lang::En) => "Select at least one ticket to pay.",
            (PaymentNotice::PaymentNotPayable, Lang::It) => "Uno dei ticket scelti non è più da pagare (già pagato o annullato): la pagina mostra lo stato aggiornato. Non è stato addebitato nulla.",
            (PaymentNotice::PaymentNotPayable, Lang::En) => "One of the chosen tickets is no longer to pay (already paid or cancelled): the page shows the current state. Nothing was charged.",
            (PaymentNotice::PaymentInProgress, Lang::It) => "Per uno dei ticket scelti c'è già un pagamento in corso: attendi l'esito prima di riprovare, per non pagare due volte.",
            (PaymentNotice::PaymentInProgress, Lang::En) => "A payment of one of the chosen tickets is already in progress: wait for its outcome before trying again, so you don't pay twice.",
            (PaymentNotice::PaymentProviderUnavailable, Lang::It) => "Il servizio di pagamento pagoPA non risponde in questo momento. Non è stato addebitato nulla: riprova tra qualche minuto.",
            (PaymentNotice::PaymentProviderUnavailable, Lang::En) => "The pagoPA payment service is not answering right now. Nothing was charged: please try again in a few minutes.",
            (PaymentNotice::PaymentNotAllowed, Lang::It) => "Non puoi pagare per conto di questa persona: la delega non comprende il servizio Pagamenti.",
            (PaymentNotice::PaymentNotAllowed, Lang::En) => "You cannot pay on this person's behalf: the delegation does not include the Payments service.",
            (PaymentNotice::ExemptionDeclared, Lang::It) => "Autocertificazione registrata: le prenotazioni fatte da ora non avranno ticket.",
            (PaymentNotice::ExemptionDeclared, Lang::En) => "Self-certification recorded: bookings made from now on carry no ticket.",
            (PaymentNotice::ExemptionWithdrawn, Lang::It) => "Autocertificazione ritirata: le prossime prenotazioni avranno il ticket.",
            (PaymentNotice::ExemptionWithdrawn, Lang::En) => "Self-certification withdrawn: the next bookings carry the ticket.",
            (PaymentNotice::ExemptionNotForAge, Lang::It) => "L'esenzione E01 vale solo sotto i 6 anni o dai 65 anni: scegli un altro codice, se ne ricorrono le condizioni. Non è stato registrato nulla.",
            (PaymentNotice::ExemptionNotForAge, Lang::En) => "Exemption E01 applies only under 6 or from 65: choose another code if its conditions apply. Nothing was recorded.",
            (PaymentNotice::ExemptionAlreadyValid, Lang::It) => "C'è già un'autocertificazione valida: ritirala prima di dichiararne un'altra. Non è stato registrato nulla.",
            (PaymentNotice::ExemptionAlreadyValid, Lang::En) => "A self-certification is already valid: withdraw it before declaring another. Nothing was recorded.",
            (PaymentNotice::ExemptionNotConfirmed, Lang::It) => "Per autocertificare devi confermare la dichiarazione (la casella in fondo). Non è stato registrato nulla.",
            (PaymentNotice::ExemptionNotConfirmed, Lang::En) => "To self-certify you must confirm the statement (the box at the bottom). Nothing was recorded.",
            (PaymentNotice::ExemptionUnknownCode, Lang::It) => "Scegli uno dei codici di esenzione per reddito E01, E02, E03 o E04. Non è stato registrato nulla.",
            (PaymentNotice::ExemptionUnknownCode, Lang::En) => "Choose one of the income exemption codes E01, E02, E03 or E04. Nothing was recorded.",
            (PaymentNotice::ExemptionNotFound, Lang::It) => "Autocertificazione non trovata o già ritirata: la pagina mostra lo stato aggiornato.",
            (PaymentNotice::ExemptionNotFound, Lang::En) => "Self-certification not found or already withdrawn: the page shows the current state.",
            (PaymentNotice::TooManyLookups, Lang::It) => "Hai cercato troppi avvisi di pagamento in pochi minuti. Riprova tra qualche minuto.",
            (PaymentNotice::TooManyLookups, Lang::En) => "You have looked up too many payment notices in a few minutes. Please try again in a few minutes.",
        }
    }
}
