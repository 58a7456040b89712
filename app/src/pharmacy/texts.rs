//! Texts of "Le mie ricette" and of the pharmacy counter, in every language.

use super::model::PrescriptionStatus;
use crate::i18n::{current_lang, Lang};

pub struct PharmacyTexts {
    pub title: &'static str,
    pub lead: &'static str,
    pub consent_heading: &'static str,
    pub consent_explained: &'static str,
    pub consent_on: &'static str,
    pub consent_off: &'static str,
    pub turn_on: &'static str,
    pub turn_off: &'static str,
    pub only_owner: &'static str,
    pub none: &'static str,
    pub red: &'static str,
    pub white: &'static str,
    pub prescribed_by: &'static str,
    pub issued_on: &'static str,
    pub valid_until: &'static str,
    pub statuses: [&'static str; 4],
    pub drug: &'static str,
    pub dosage: &'static str,
    pub boxes: &'static str,
    pub dispensed: &'static str,
    pub dispensed_at: &'static str,
    pub box_word: (&'static str, &'static str),
    // Counter
    pub counter_title: &'static str,
    pub counter_lead: &'static str,
    pub fiscal_code: &'static str,
    pub card_number: &'static str,
    pub card_hint: &'static str,
    pub find: &'static str,
    pub close: &'static str,
    pub serving: &'static str,
    pub consent_missing: &'static str,
    pub nothing_to_dispense: &'static str,
    pub remaining: &'static str,
    pub dispense: &'static str,
    pub how_many: &'static str,
    pub already: &'static str,
}

impl PharmacyTexts {
    pub fn status(&self, status: PrescriptionStatus) -> &'static str {
        self.statuses[status as usize]
    }

    pub fn boxes_text(&self, count: i64) -> String {
        format!("{count} {}", if count == 1 { self.box_word.0 } else { self.box_word.1 })
    }
}

pub static IT: PharmacyTexts = PharmacyTexts {
    title: "Le mie ricette",
    lead: "Le ricette di farmaci prescritte dal medico, rosse (a carico del servizio sanitario) e bianche, e dove sono state ritirate.",
    consent_heading: "Ritiro in farmacia con la tessera sanitaria",
    consent_explained: "Se dai il consenso, in qualsiasi farmacia il farmacista ritrova tutte le tue ricette con la sola tessera sanitaria, senza promemoria né codice NRE. Ogni consultazione compare nel registro degli accessi. Puoi revocarlo quando vuoi.",
    consent_on: "Consenso dato: le ricette si ritrovano con la tessera sanitaria.",
    consent_off: "Consenso non dato: in farmacia servono il promemoria o il codice NRE.",
    turn_on: "Dai il consenso",
    turn_off: "Revoca il consenso",
    only_owner: "Solo la persona interessata, o il genitore per un figlio minore, può cambiare il consenso.",
    none: "Nessuna ricetta di farmaci.",
    red: "Ricetta rossa (servizio sanitario)",
    white: "Ricetta bianca",
    prescribed_by: "Prescritta da",
    issued_on: "Emessa il",
    valid_until: "Valida fino al",
    statuses: ["Da ritirare", "Ritirata in parte", "Ritirata", "Scaduta"],
    drug: "Farmaco",
    dosage: "Posologia",
    boxes: "Confezioni",
    dispensed: "Consegnate",
    dispensed_at: "Consegnata da",
    box_word: ("confezione", "confezioni"),
    counter_title: "Banco della farmacia",
    counter_lead: "Ritrova le ricette dematerializzate di un cittadino con la tessera sanitaria. Senza il suo consenso vedrai solo che manca. Ogni ricerca e ogni dispensazione sono registrate e il cittadino le vede.",
    fiscal_code: "Codice fiscale",
    card_number: "Numero di identificazione della tessera",
    card_hint: "20 cifre, sul retro della tessera.",
    find: "Cerca le ricette",
    close: "Termina (nuovo cittadino)",
    serving: "Ricette di",
    consent_missing: "Il cittadino non ha dato il consenso al ritiro con la tessera sanitaria: servono il promemoria o il codice NRE.",
    nothing_to_dispense: "Nessuna ricetta valida da dispensare.",
    remaining: "Da consegnare",
    dispense: "Dispensa",
    how_many: "Confezioni da consegnare",
    already: "Già dispensata:",
};

pub static EN: PharmacyTexts = PharmacyTexts {
    title: "My prescriptions",
    lead: "The drug prescriptions written by your doctor, red (paid by the health service) and white, and where they were collected.",
    consent_heading: "Collection at the pharmacy with the health card",
    consent_explained: "If you consent, at any pharmacy the pharmacist finds all your prescriptions with your health card alone, without the reminder or the NRE code. Every look-up shows in the access log. You can withdraw it at any time.",
    consent_on: "Consent given: prescriptions can be found with the health card.",
    consent_off: "Consent not given: the pharmacy needs the reminder or the NRE code.",
    turn_on: "Give consent",
    turn_off: "Withdraw consent",
    only_owner: "Only the person concerned, or a parent for a minor child, can change the consent.",
    none: "No drug prescriptions.",
    red: "Red prescription (health service)",
    white: "White prescription",
    prescribed_by: "Prescribed by",
    issued_on: "Issued on",
    valid_until: "Valid until",
    statuses: ["To collect", "Partly collected", "Collected", "Expired"],
    drug: "Drug",
    dosage: "Dosage",
    boxes: "Boxes",
    dispensed: "Handed over",
    dispensed_at: "Handed over by",
    box_word: ("box", "boxes"),
    counter_title: "Pharmacy counter",
    counter_lead: "Find a citizen's dematerialised prescriptions with the health card. Without their consent you only see that it is missing. Every look-up and dispensation is logged and the citizen sees it.",
    fiscal_code: "Fiscal code",
    card_number: "Card identification number",
    card_hint: "20 digits, on the back of the card.",
    find: "Find prescriptions",
    close: "Finish (next citizen)",
    serving: "Prescriptions of",
    consent_missing: "The citizen has not consented to collection with the health card: the reminder or the NRE code is needed.",
    nothing_to_dispense: "No valid prescription to dispense.",
    remaining: "To hand over",
    dispense: "Dispense",
    how_many: "Boxes to hand over",
    already: "Already dispensed:",
};

pub fn pharmacy_texts() -> &'static PharmacyTexts {
    match current_lang() {
        Lang::It => &IT,
        Lang::En => &EN,
    }
}
