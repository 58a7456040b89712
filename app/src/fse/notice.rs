//! The one-time messages of the health record (consent, obscuring, notebook), in Italian and English:
//! shown on the next page after a form was sent (see [`crate::notice`]).

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FseNotice {
    FseConsentGiven,
    FseConsentWithdrawn,
    FseDocumentObscured,
    FseDocumentShown,
    FseOnlyOwner,
    FseDocumentNotFound,
    NotebookAdded,
    NotebookDeleted,
    NotebookTooLarge,
    NotebookBadType,
    NotebookEmpty,
    NotebookNoTitle,
    NotebookBadTitle,
    NotebookBadFileName,
}

impl FseNotice {
    /// Whether the message reports a failure (shown as an alert).
    pub fn is_error(self) -> bool {
        !matches!(
            self,
            FseNotice::FseConsentGiven
                | FseNotice::FseConsentWithdrawn
                | FseNotice::FseDocumentObscured
                | FseNotice::FseDocumentShown
                | FseNotice::NotebookAdded
                | FseNotice::NotebookDeleted
        )
    }

    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (FseNotice::FseConsentGiven, Lang::It) => "Consenso registrato: i professionisti sanitari che ti hanno in cura possono consultare il fascicolo.",
            (FseNotice::FseConsentGiven, Lang::En) => "Consent recorded: the health professionals caring for you can consult the record.",
            (FseNotice::FseConsentWithdrawn, Lang::It) => "Consenso revocato: da ora i professionisti sanitari non possono consultare il fascicolo.",
            (FseNotice::FseConsentWithdrawn, Lang::En) => "Consent withdrawn: from now on health professionals cannot consult the record.",
            (FseNotice::FseDocumentObscured, Lang::It) => "Documento oscurato: i professionisti sanitari e i farmacisti non lo vedono più.",
            (FseNotice::FseDocumentObscured, Lang::En) => "Document hidden: health professionals and pharmacists no longer see it.",
            (FseNotice::FseDocumentShown, Lang::It) => "Il documento è di nuovo visibile ai professionisti sanitari che possono consultare il fascicolo.",
            (FseNotice::FseDocumentShown, Lang::En) => "The document is visible again to the health professionals who may consult the record.",
            (FseNotice::FseOnlyOwner, Lang::It) => "Solo la persona interessata, o il genitore per un figlio minore, può fare questa modifica.",
            (FseNotice::FseOnlyOwner, Lang::En) => "Only the person concerned, or a parent for a minor child, can make this change.",
            (FseNotice::FseDocumentNotFound, Lang::It) => "Documento non trovato nel fascicolo.",
            (FseNotice::FseDocumentNotFound, Lang::En) => "Document not found in the record.",
            (FseNotice::NotebookAdded, Lang::It) => "Documento aggiunto al taccuino.",
            (FseNotice::NotebookAdded, Lang::En) => "Document added to the notebook.",
            (FseNotice::NotebookDeleted, Lang::It) => "Documento eliminato dal taccuino.",
            (FseNotice::NotebookDeleted, Lang::En) => "Document deleted from the notebook.",
            (FseNotice::NotebookTooLarge, Lang::It) => "Il file supera 5 MB: riducilo (ad esempio scansionando a risoluzione più bassa) e riprova. Non è stato salvato nulla.",
            (FseNotice::NotebookTooLarge, Lang::En) => "The file is larger than 5 MB: reduce it (for example by scanning at a lower resolution) and try again. Nothing was saved.",
            (FseNotice::NotebookBadType, Lang::It) => "Il file non è un PDF, un JPEG o un PNG (conta il contenuto, non il nome): scegli un file di questi tipi. Non è stato salvato nulla.",
            (FseNotice::NotebookBadType, Lang::En) => "The file is not a PDF, JPEG or PNG (its content counts, not its name): choose a file of these types. Nothing was saved.",
            (FseNotice::NotebookEmpty, Lang::It) => "Scegli un file da caricare: non è stato salvato nulla.",
            (FseNotice::NotebookEmpty, Lang::En) => "Choose a file to upload: nothing was saved.",
            (FseNotice::NotebookNoTitle, Lang::It) => "Scrivi un titolo di al massimo 120 caratteri: non è stato salvato nulla.",
            (FseNotice::NotebookNoTitle, Lang::En) => "Write a title of at most 120 characters: nothing was saved.",
            (FseNotice::NotebookBadTitle, Lang::It) => "Il titolo contiene caratteri invisibili, di controllo o che cambiano il verso di lettura del testo (capita copiando da altri documenti): riscrivilo a mano. Non è stato salvato nulla.",
            (FseNotice::NotebookBadTitle, Lang::En) => "The title contains invisible or control characters, or characters that change the reading direction (this happens when copying from other documents): type it again. Nothing was saved.",
            (FseNotice::NotebookBadFileName, Lang::It) => "Il nome del file contiene caratteri invisibili, di controllo o che cambiano il verso di lettura del testo: rinomina il file e riprova. Non è stato salvato nulla.",
            (FseNotice::NotebookBadFileName, Lang::En) => "The file name contains invisible or control characters, or characters that change the reading direction: rename the file and try again. Nothing was saved.",
        }
    }
}
