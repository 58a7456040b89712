//! The one-time messages of the relatives' authorisations of the surgery tracker, in Italian and English:
//! shown on the next page after a form was sent (see [`crate::notice`]).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SurgeryNotice {
    SurgeryAuthorised,
    SurgeryWithdrawn,
    SurgeryBadFiscalCode,
    SurgerySelf,
    SurgeryAlreadyAuthorised,
    SurgeryTooMany,
    SurgeryCaseNotFound,
    SurgeryCaseClosed,
}

impl SurgeryNotice {
    /// Whether the message reports a failure (shown as an alert).
    pub fn is_error(self) -> bool {
        !matches!(self, SurgeryNotice::SurgeryAuthorised | SurgeryNotice::SurgeryWithdrawn)
    }

    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (SurgeryNotice::SurgeryAuthorised, Lang::It) => "Fatto: la persona può seguire l'intervento dopo aver fatto l'accesso al portale.",
            (SurgeryNotice::SurgeryAuthorised, Lang::En) => "Done: the person can follow the operation after signing in to the portal.",
            (SurgeryNotice::SurgeryWithdrawn, Lang::It) => "Autorizzazione ritirata: da ora la persona non vede più l'intervento, nemmeno sulle pagine già aperte.",
            (SurgeryNotice::SurgeryWithdrawn, Lang::En) => "Authorisation withdrawn: from now on the person no longer sees the operation, not even on pages already open.",
            (SurgeryNotice::SurgeryBadFiscalCode, Lang::It) => "Il codice fiscale non è valido: controlla i 16 caratteri e riprova.",
            (SurgeryNotice::SurgeryBadFiscalCode, Lang::En) => "The fiscal code is not valid: check the 16 characters and try again.",
            (SurgeryNotice::SurgerySelf, Lang::It) => "Non serve autorizzare sé stessi: l'intervento è già nella tua pagina.",
            (SurgeryNotice::SurgerySelf, Lang::En) => "There is no need to authorise yourself: the operation is already on your page.",
            (SurgeryNotice::SurgeryAlreadyAuthorised, Lang::It) => "Questa persona è già autorizzata a seguire l'intervento.",
            (SurgeryNotice::SurgeryAlreadyAuthorised, Lang::En) => "This person is already authorised to follow the operation.",
            (SurgeryNotice::SurgeryTooMany, Lang::It) => "Puoi autorizzare al massimo 10 persone per intervento: ritira un'autorizzazione per aggiungerne un'altra.",
            (SurgeryNotice::SurgeryTooMany, Lang::En) => "You can authorise at most 10 people per operation: withdraw one authorisation to add another.",
            (SurgeryNotice::SurgeryCaseNotFound, Lang::It) => "Intervento non trovato: forse l'autorizzazione è stata ritirata o il periodo di consultazione è finito.",
            (SurgeryNotice::SurgeryCaseNotFound, Lang::En) => "Operation not found: the authorisation may have been withdrawn or the time to follow it has ended.",
            (SurgeryNotice::SurgeryCaseClosed, Lang::It) => "Il periodo in cui l'intervento si può seguire è finito: non si possono aggiungere persone.",
            (SurgeryNotice::SurgeryCaseClosed, Lang::En) => "The time during which the operation can be followed has ended: no one can be added.",
        }
    }
}
