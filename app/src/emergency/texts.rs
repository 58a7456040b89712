//! Texts of the ER board, in every language.

use super::model::Triage;
use crate::i18n::{current_lang, Lang};

pub struct ErTexts {
    pub title: &'static str,
    pub lead: &'static str,
    pub emergency_call: &'static str,
    pub filters: &'static str,
    pub asl: &'static str,
    pub all_asl: &'static str,
    pub near: &'static str,
    pub near_hint: &'static str,
    pub apply: &'static str,
    pub reset: &'static str,
    pub my_position: &'static str,
    pub position_unavailable: &'static str,
    pub unknown_town: &'static str,
    pub sorted_near_town: &'static str,
    pub sorted_near_position: &'static str,
    pub legend: &'static str,
    pub immediate: &'static str,
    pub within: &'static str,
    pub colour: &'static str,
    pub waiting: &'static str,
    pub in_treatment: &'static str,
    pub mean_wait: &'static str,
    pub not_given: &'static str,
    pub updated: &'static str,
    pub stale: &'static str,
    pub no_data: &'static str,
    pub paediatric: &'static str,
    pub distance: &'static str,
    pub trend: &'static str,
    pub trend_text: &'static str,
    pub live_on: &'static str,
    pub live_updated: &'static str,
    pub live_lost: &'static str,
    pub none: &'static str,
    pub count: &'static str,
    colours: [&'static str; 5],
    meanings: [&'static str; 5],
}

impl ErTexts {
    pub fn colour(&self, triage: Triage) -> &'static str {
        self.colours[triage.code() as usize - 1]
    }

    pub fn meaning(&self, triage: Triage) -> &'static str {
        self.meanings[triage.code() as usize - 1]
    }
}

pub static IT: ErTexts = ErTexts {
    title: "Pronto soccorso",
    lead: "Quante persone sono in attesa e in trattamento in ogni Pronto Soccorso della Liguria, per codice colore. La pagina si aggiorna da sola.",
    emergency_call: "In caso di emergenza chiama il 112. Il codice colore lo assegna il personale al triage: l'ordine di visita dipende dalla gravità, non dall'arrivo.",
    filters: "Filtra i Pronto Soccorso",
    asl: "ASL",
    all_asl: "Tutte le ASL",
    near: "Vicino a (comune)",
    near_hint: "Per esempio: Chiavari",
    apply: "Mostra",
    reset: "Tutti",
    my_position: "Usa la mia posizione",
    position_unavailable: "Posizione non disponibile: scrivi il nome del comune.",
    unknown_town: "Comune non trovato in Liguria: controlla il nome (per esempio «La Spezia»). Sono mostrati tutti i Pronto Soccorso.",
    sorted_near_town: "Dal più vicino a",
    sorted_near_position: "Dal più vicino alla tua posizione",
    legend: "I codici colore",
    immediate: "accesso immediato",
    within: "entro",
    colour: "Codice",
    waiting: "In attesa",
    in_treatment: "In trattamento",
    mean_wait: "Attesa media",
    not_given: "—",
    updated: "Aggiornato al",
    stale: "Dati non aggiornati da più di 15 minuti: i numeri potrebbero non essere attuali.",
    no_data: "Nessun dato ricevuto da questo Pronto Soccorso.",
    paediatric: "Pediatrico",
    distance: "Distanza",
    trend: "Persone in attesa nelle ultime 12 ore",
    trend_text: "Persone in attesa nelle ultime 12 ore: ora {now}, massimo {max}.",
    live_on: "Aggiornamento automatico attivo.",
    live_updated: "Aggiornato:",
    live_lost: "Aggiornamento automatico interrotto: ricarica la pagina.",
    none: "Nessun Pronto Soccorso per questa ASL.",
    count: "Pronto Soccorso mostrati:",
    colours: ["Rosso", "Arancione", "Azzurro", "Verde", "Bianco"],
    meanings: [
        "emergenza: funzioni vitali compromesse",
        "urgenza: rischio per le funzioni vitali",
        "urgenza differibile, condizioni stabili",
        "urgenza minore",
        "non urgenza",
    ],
};

pub static EN: ErTexts = ErTexts {
    title: "Emergency rooms",
    lead: "How many people are waiting and in treatment in every emergency room of Liguria, by triage colour. The page updates by itself.",
    emergency_call: "In an emergency call 112. The triage staff assign the colour code: people are seen by severity, not by arrival.",
    filters: "Filter the emergency rooms",
    asl: "Health authority (ASL)",
    all_asl: "All ASLs",
    near: "Near (town)",
    near_hint: "For example: Chiavari",
    apply: "Show",
    reset: "All",
    my_position: "Use my position",
    position_unavailable: "Position not available: type the name of the town.",
    unknown_town: "Town not found in Liguria: check the name (for example «La Spezia»). All emergency rooms are shown.",
    sorted_near_town: "Nearest first to",
    sorted_near_position: "Nearest first to your position",
    legend: "The colour codes",
    immediate: "seen immediately",
    within: "within",
    colour: "Code",
    waiting: "Waiting",
    in_treatment: "In treatment",
    mean_wait: "Mean wait",
    not_given: "—",
    updated: "Updated at",
    stale: "No update for more than 15 minutes: the numbers may not be current.",
    no_data: "No data received from this emergency room.",
    paediatric: "Children's",
    distance: "Distance",
    trend: "People waiting over the last 12 hours",
    trend_text: "People waiting over the last 12 hours: now {now}, highest {max}.",
    live_on: "Automatic updates on.",
    live_updated: "Updated:",
    live_lost: "Automatic updates stopped: reload the page.",
    none: "No emergency room for this ASL.",
    count: "Emergency rooms shown:",
    colours: ["Red", "Orange", "Light blue", "Green", "White"],
    meanings: [
        "emergency: vital functions compromised",
        "urgency: vital functions at risk",
        "deferrable urgency, stable",
        "minor urgency",
        "not urgent",
    ],
};

pub fn er_texts() -> &'static ErTexts {
    match current_lang() {
        Lang::It => &IT,
        Lang::En => &EN,
    }
}
