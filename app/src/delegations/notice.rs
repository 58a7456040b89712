//! The one-time messages of delegations, in Italian and English:
//! shown on the next page after a form was sent (see [`crate::notice`]).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DelegationNotice {
    DelegationCreated,
    DelegationRevoked,
    DelegationInvalidFiscalCode,
    DelegationSelf,
    DelegationMinor,
    DelegationNoScopes,
    DelegationBadDate,
    DelegationNotInRegistry,
    /// No resident with that fiscal code, first and last name: one answer
    /// for "no such person" and "the name does not match", so the form
    /// never tells who holds a fiscal code.
    DelegationPersonNotMatched,
    /// The delegate's first and last name are missing.
    DelegationNameMissing,
    DelegationNotFound,
    DelegationOnlyForSelf,
}

impl DelegationNotice {
    /// Whether the message reports a failure (shown as an alert).
    pub fn is_error(self) -> bool {
        !matches!(self, DelegationNotice::DelegationCreated | DelegationNotice::DelegationRevoked)
    }

    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DelegationNotice::DelegationCreated, Lang::It) => "Delega registrata. La persona delegata la troverà nella sua area.",
            (DelegationNotice::DelegationCreated, Lang::En) => "Delegation saved. The delegate will find it in their area.",
            (DelegationNotice::DelegationRevoked, Lang::It) => "Delega revocata: da ora la persona non può più agire per te.",
            (DelegationNotice::DelegationRevoked, Lang::En) => "Delegation revoked: from now on that person cannot act for you.",
            (DelegationNotice::DelegationInvalidFiscalCode, Lang::It) => "Il codice fiscale della persona da delegare non è valido: controlla i 16 caratteri.",
            (DelegationNotice::DelegationInvalidFiscalCode, Lang::En) => "The delegate's fiscal code is not valid: check the 16 characters.",
            (DelegationNotice::DelegationSelf, Lang::It) => "Non puoi delegare te stesso/a.",
            (DelegationNotice::DelegationSelf, Lang::En) => "You cannot delegate yourself.",
            (DelegationNotice::DelegationMinor, Lang::It) => "Puoi delegare solo una persona maggiorenne.",
            (DelegationNotice::DelegationMinor, Lang::En) => "You can only delegate an adult.",
            (DelegationNotice::DelegationNoScopes, Lang::It) => "Scegli almeno un servizio da delegare.",
            (DelegationNotice::DelegationNoScopes, Lang::En) => "Choose at least one service to delegate.",
            (DelegationNotice::DelegationBadDate, Lang::It) => "La data di scadenza deve essere tra domani e un anno da oggi.",
            (DelegationNotice::DelegationBadDate, Lang::En) => "The end date must be between tomorrow and one year from today.",
            (DelegationNotice::DelegationNotInRegistry, Lang::It) => "Non risulti tra gli assistiti del Servizio sanitario ligure: non puoi dare deleghe da questo portale.",
            (DelegationNotice::DelegationNotInRegistry, Lang::En) => "You are not registered with the Ligurian health service: you cannot give delegations on this portal.",
            (DelegationNotice::DelegationPersonNotMatched, Lang::It) => "Codice fiscale, nome e cognome non corrispondono a un assistito del Servizio sanitario ligure: controllali e riprova.",
            (DelegationNotice::DelegationPersonNotMatched, Lang::En) => "Fiscal code, first name and last name do not match a person registered with the Ligurian health service: check them and try again.",
            (DelegationNotice::DelegationNameMissing, Lang::It) => "Scrivi il nome e il cognome della persona da delegare, come sulla tessera sanitaria.",
            (DelegationNotice::DelegationNameMissing, Lang::En) => "Write the first and last name of the person to delegate, as on the health card.",
            (DelegationNotice::DelegationNotFound, Lang::It) => "Delega non trovata o già revocata.",
            (DelegationNotice::DelegationNotFound, Lang::En) => "Delegation not found or already revoked.",
            (DelegationNotice::DelegationOnlyForSelf, Lang::It) => "Le deleghe si danno solo per sé: torna ai tuoi dati dal selettore «Stai agendo per».",
            (DelegationNotice::DelegationOnlyForSelf, Lang::En) => "Delegations are given only for yourself: switch back with the «Acting for» selector.",
        }
    }
}
