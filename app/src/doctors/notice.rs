//! The one-time messages of the choice of family doctor, in Italian and English:
//! shown on the next page after a form was sent (see [`crate::notice`]).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DoctorNotice {
    DoctorChosen,
    DoctorFull,
    DoctorSame,
    DoctorOutOfArea,
    DoctorTooYoungForMmg,
    DoctorTooOldForPls,
    DoctorNotAllowed,
    DoctorNotFound,
}

impl DoctorNotice {
    /// Whether the message reports a failure (shown as an alert).
    pub fn is_error(self) -> bool {
        !matches!(self, DoctorNotice::DoctorChosen)
    }

    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DoctorNotice::DoctorChosen, Lang::It) => "Scelta registrata: il nuovo medico è attivo da oggi e la scelta precedente è revocata. Puoi scaricare la conferma qui sotto.",
            (DoctorNotice::DoctorChosen, Lang::En) => "Choice saved: the new doctor is active from today and the previous choice is revoked. You can download the confirmation below.",
            (DoctorNotice::DoctorFull, Lang::It) => "Il medico scelto non ha più posti disponibili. Ecco i medici del tuo ambito con posti liberi, dal più vicino.",
            (DoctorNotice::DoctorFull, Lang::En) => "The chosen doctor has no places left. Here are the doctors of your area with free places, nearest first.",
            (DoctorNotice::DoctorSame, Lang::It) => "È già il medico attuale di questa persona: non è cambiato nulla.",
            (DoctorNotice::DoctorSame, Lang::En) => "This is already the person's current doctor: nothing changed.",
            (DoctorNotice::DoctorOutOfArea, Lang::It) => "Questo medico non opera nell'ambito territoriale di residenza: scegli tra i medici elencati.",
            (DoctorNotice::DoctorOutOfArea, Lang::En) => "This doctor does not work in the area of residence: choose among the doctors listed.",
            (DoctorNotice::DoctorTooYoungForMmg, Lang::It) => "Fino a 6 anni è obbligatorio il pediatra di libera scelta: scegli un pediatra.",
            (DoctorNotice::DoctorTooYoungForMmg, Lang::En) => "Up to age 6 a paediatrician is mandatory: choose a paediatrician.",
            (DoctorNotice::DoctorTooOldForPls, Lang::It) => "Dai 16 anni si sceglie un medico di medicina generale: il pediatra non è più possibile.",
            (DoctorNotice::DoctorTooOldForPls, Lang::En) => "From age 16 a family doctor (MMG) is chosen: a paediatrician is no longer possible.",
            (DoctorNotice::DoctorNotAllowed, Lang::It) => "Puoi scegliere il medico solo per te, per i tuoi figli minorenni o per chi ti ha delegato il servizio «Medico di famiglia».",
            (DoctorNotice::DoctorNotAllowed, Lang::En) => "You can choose the doctor only for yourself, your minor children or someone who delegated you the «Family doctor» service.",
            (DoctorNotice::DoctorNotFound, Lang::It) => "Medico non trovato: scegli tra quelli elencati.",
            (DoctorNotice::DoctorNotFound, Lang::En) => "Doctor not found: choose among those listed.",
        }
    }
}
