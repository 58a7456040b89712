//! The one-time messages of the health card consent and the pharmacist's dispensing, in Italian and English:
//! shown on the next page after a form was sent (see [`crate::notice`]).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PharmacyNotice {
    CardConsentGiven,
    CardConsentWithdrawn,
    CardBadFiscalCode,
    CardBadNumber,
    CardMismatch,
    CardExpired,
    PharmacistsOnly,
    Dispensed,
    LineAlreadyDispensed,
    CardConsentMissingNow,
    CardLookupAgain,
    DispenseBadBoxes,
    LineNotFound,
    PrescriptionExpired,
    DispenseTooManyBoxes,
}

impl PharmacyNotice {
    /// Whether the message reports a failure (shown as an alert).
    pub fn is_error(self) -> bool {
        !matches!(
            self,
            PharmacyNotice::CardConsentGiven | PharmacyNotice::CardConsentWithdrawn | PharmacyNotice::Dispensed
        )
    }

    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PharmacyNotice::CardConsentGiven, Lang::It) => "Consenso registrato: in farmacia le tue ricette si possono ritrovare con la sola tessera sanitaria.",
            (PharmacyNotice::CardConsentGiven, Lang::En) => "Consent recorded: pharmacies can retrieve your prescriptions with your health card alone.",
            (PharmacyNotice::CardConsentWithdrawn, Lang::It) => "Consenso revocato: le farmacie non possono più ritrovare le ricette con la tessera sanitaria. Serve il promemoria o il codice NRE.",
            (PharmacyNotice::CardConsentWithdrawn, Lang::En) => "Consent withdrawn: pharmacies can no longer retrieve prescriptions with the health card. The reminder or the NRE code is needed.",
            (PharmacyNotice::CardBadFiscalCode, Lang::It) => "Il codice fiscale non è valido: controlla i 16 caratteri sulla tessera.",
            (PharmacyNotice::CardBadFiscalCode, Lang::En) => "The fiscal code is not valid: check the 16 characters on the card.",
            (PharmacyNotice::CardBadNumber, Lang::It) => "Il numero di identificazione della tessera deve avere 20 cifre: lo trovi sul retro della tessera.",
            (PharmacyNotice::CardBadNumber, Lang::En) => "The card identification number must have 20 digits: it is on the back of the card.",
            (PharmacyNotice::CardMismatch, Lang::It) => "Il numero della tessera non corrisponde al codice fiscale: controlla entrambi sulla tessera.",
            (PharmacyNotice::CardMismatch, Lang::En) => "The card number does not match the fiscal code: check both on the card.",
            (PharmacyNotice::CardExpired, Lang::It) => "La tessera sanitaria è scaduta: chiedi al cittadino la tessera nuova o il promemoria della ricetta.",
            (PharmacyNotice::CardExpired, Lang::En) => "The health card has expired: ask the citizen for the new card or the prescription reminder.",
            (PharmacyNotice::PharmacistsOnly, Lang::It) => "Questa funzione è riservata ai farmacisti, con la farmacia indicata dal sistema di accesso.",
            (PharmacyNotice::PharmacistsOnly, Lang::En) => "This function is for pharmacists only, with the pharmacy given by the sign-in system.",
            (PharmacyNotice::Dispensed, Lang::It) => "Dispensazione registrata.",
            (PharmacyNotice::Dispensed, Lang::En) => "Dispensation recorded.",
            (PharmacyNotice::LineAlreadyDispensed, Lang::It) => "Questa riga della ricetta è già stata dispensata: sotto trovi dove e quando.",
            (PharmacyNotice::LineAlreadyDispensed, Lang::En) => "This prescription line has already been dispensed: see below where and when.",
            (PharmacyNotice::CardConsentMissingNow, Lang::It) => "Il cittadino ha revocato il consenso: le ricette non sono più visibili e nulla è stato dispensato.",
            (PharmacyNotice::CardConsentMissingNow, Lang::En) => "The citizen has withdrawn consent: the prescriptions are no longer visible and nothing was dispensed.",
            (PharmacyNotice::CardLookupAgain, Lang::It) => "Nessuna tessera in lettura: cerca di nuovo il cittadino. Nulla è stato dispensato.",
            (PharmacyNotice::CardLookupAgain, Lang::En) => "No card being served: look the citizen up again. Nothing was dispensed.",
            (PharmacyNotice::DispenseBadBoxes, Lang::It) => "Indica quante confezioni consegni (almeno una).",
            (PharmacyNotice::DispenseBadBoxes, Lang::En) => "Say how many boxes you hand over (at least one).",
            (PharmacyNotice::LineNotFound, Lang::It) => "Riga di ricetta non trovata tra quelle del cittadino in lettura.",
            (PharmacyNotice::LineNotFound, Lang::En) => "Prescription line not found among those of the citizen being served.",
            (PharmacyNotice::PrescriptionExpired, Lang::It) => "La ricetta è scaduta: non si può dispensare.",
            (PharmacyNotice::PrescriptionExpired, Lang::En) => "The prescription has expired: it cannot be dispensed.",
            (PharmacyNotice::DispenseTooManyBoxes, Lang::It) => "Le confezioni indicate superano quelle rimaste su questa riga.",
            (PharmacyNotice::DispenseTooManyBoxes, Lang::En) => "The boxes given exceed those left on this line.",
        }
    }
}
