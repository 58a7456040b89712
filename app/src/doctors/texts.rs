//! Texts of the family-doctor pages, in every language.

use crate::domain::family_doctor::{Availability, DoctorKind};
use crate::i18n::{current_lang, Lang};

pub struct DoctorTexts {
    pub title: &'static str,
    pub lead: &'static str,
    pub your_doctor: &'static str,
    pub doctor_of: &'static str,
    pub none_chosen: &'static str,
    pub since: &'static str,
    pub download_confirmation: &'static str,
    pub change: &'static str,
    pub search_heading: &'static str,
    pub area_note: &'static str,
    pub kinds_pls_only: &'static str,
    pub kinds_both: &'static str,
    pub kinds_mmg_only: &'static str,
    pub kind_label: &'static str,
    pub kind_names: [&'static str; 2],
    pub only_available: &'static str,
    pub language_label: &'static str,
    pub any_language: &'static str,
    pub search: &'static str,
    pub results_count: &'static str,
    pub no_results: &'static str,
    pub address: &'static str,
    pub distance: &'static str,
    pub hours: &'static str,
    pub phone: &'static str,
    pub languages: &'static str,
    pub places: &'static str,
    pub availability: [&'static str; 3],
    pub choose: &'static str,
    pub is_current: &'static str,
}

impl DoctorTexts {
    pub fn kind(&self, kind: DoctorKind) -> &'static str {
        self.kind_names[kind as usize]
    }

    pub fn availability(&self, availability: Availability) -> &'static str {
        self.availability[availability as usize]
    }

    /// Plain words for the kinds a person of this age may choose.
    pub fn kinds_rule(&self, kinds: &[DoctorKind]) -> &'static str {
        match kinds {
            [DoctorKind::Pls] => self.kinds_pls_only,
            [DoctorKind::Mmg] => self.kinds_mmg_only,
            _ => self.kinds_both,
        }
    }

    pub fn language(&self, code: &str) -> String {
        let names: &[(&str, &str)] = if std::ptr::eq(self, &IT) {
            &[("it", "italiano"), ("en", "inglese"), ("fr", "francese"), ("es", "spagnolo"), ("de", "tedesco")]
        } else {
            &[("it", "Italian"), ("en", "English"), ("fr", "French"), ("es", "Spanish"), ("de", "German")]
        };
        names.iter().find(|(c, _)| *c == code).map(|(_, name)| name.to_string()).unwrap_or_else(|| code.to_string())
    }
}

pub fn doctor_texts() -> &'static DoctorTexts {
    match current_lang() {
        Lang::It => &IT,
        Lang::En => &EN,
    }
}

pub static IT: DoctorTexts = DoctorTexts {
    title: "Medico di famiglia",
    lead: "Il medico di medicina generale (MMG) o il pediatra di libera scelta (PLS) tuo e dei tuoi figli minorenni. Puoi cambiarlo in qualsiasi momento, scegliendo tra i medici dell'ambito territoriale di residenza con posti disponibili.",
    your_doctor: "Il tuo medico",
    doctor_of: "Medico di",
    none_chosen: "Nessun medico scelto.",
    since: "Scelto dal",
    download_confirmation: "Scarica la conferma della scelta (PDF)",
    change: "Cambia medico di",
    search_heading: "Scegli un nuovo medico per",
    area_note: "Sono elencati i medici dell'ambito territoriale di residenza:",
    kinds_pls_only: "Fino a 6 anni è obbligatorio il pediatra di libera scelta.",
    kinds_both: "Dai 6 ai 16 anni si può scegliere il pediatra oppure il medico di medicina generale.",
    kinds_mmg_only: "Dai 16 anni si sceglie un medico di medicina generale.",
    kind_label: "Tipo di medico",
    kind_names: ["Medico di medicina generale", "Pediatra di libera scelta"],
    only_available: "Solo medici con posti disponibili",
    language_label: "Lingua parlata",
    any_language: "Qualsiasi lingua",
    search: "Cerca",
    results_count: "Medici trovati:",
    no_results: "Nessun medico corrisponde ai filtri: togli qualche filtro.",
    address: "Studio",
    distance: "Distanza dal comune di residenza",
    hours: "Orari",
    phone: "Telefono",
    languages: "Lingue",
    places: "Posti",
    availability: ["Disponibili", "Pochi posti", "Nessun posto disponibile"],
    choose: "Scegli",
    is_current: "È il medico attuale.",
};

pub static EN: DoctorTexts = DoctorTexts {
    title: "Family doctor",
    lead: "Your and your minor children's family doctor (MMG) or paediatrician (PLS). You can change at any time, choosing among the doctors of the area of residence with free places.",
    your_doctor: "Your doctor",
    doctor_of: "Doctor of",
    none_chosen: "No doctor chosen.",
    since: "Chosen on",
    download_confirmation: "Download the confirmation of the choice (PDF)",
    change: "Change the doctor of",
    search_heading: "Choose a new doctor for",
    area_note: "Listed are the doctors of the area of residence:",
    kinds_pls_only: "Up to age 6 a paediatrician is mandatory.",
    kinds_both: "From 6 to 16 either a paediatrician or a family doctor can be chosen.",
    kinds_mmg_only: "From age 16 a family doctor (MMG) is chosen.",
    kind_label: "Kind of doctor",
    kind_names: ["Family doctor (MMG)", "Paediatrician (PLS)"],
    only_available: "Only doctors with free places",
    language_label: "Language spoken",
    any_language: "Any language",
    search: "Search",
    results_count: "Doctors found:",
    no_results: "No doctor matches the filters: remove some filters.",
    address: "Surgery",
    distance: "Distance from the town of residence",
    hours: "Hours",
    phone: "Phone",
    languages: "Languages",
    places: "Places",
    availability: ["Available", "Few places", "No places left"],
    choose: "Choose",
    is_current: "This is the current doctor.",
};
