//! Texts of vaccinations and screening, in every language. The rules'
//! numbers come from the constants of `domain::{vaccination, screening}`.

use crate::domain::screening::{
    NotInvited, Programme, ScreeningResult, ScreeningTest, BREAST_AGES, CERVICAL_AGES, COLORECTAL_AGES, PAP_UNTIL_AGE,
};
use crate::domain::vaccination::{
    Campaign, Status, COVID_FROM_AGE, FLU_FROM_AGE, HPV_AGES, HPV_WOMEN_UNTIL_AGE, PNEUMO_FROM_AGE, SHINGLES_FROM_AGE,
};
use crate::i18n::{current_lang, Lang};
use crate::screening::model::KitStep;

pub struct PreventionTexts {
    pub vaccinations_title: &'static str,
    pub vaccinations_lead: &'static str,
    pub due_heading: &'static str,
    pub nothing_due: &'static str,
    pub late: &'static str,
    pub dose: &'static str,
    pub book: &'static str,
    pub appointments_heading: &'static str,
    pub no_appointments: &'static str,
    pub campaigns_heading: &'static str,
    pub who_heading: &'static str,
    pub your_status: &'static str,
    pub history_heading: &'static str,
    pub history_empty: &'static str,
    pub history_caption: &'static str,
    pub vaccine: &'static str,
    pub day: &'static str,
    pub place: &'static str,
    pub lot: &'static str,
    pub certificate: &'static str,
    pub certificate_hint: &'static str,
    pub at: &'static str,
    pub code: &'static str,
    pub preparation: &'static str,
    pub move_it: &'static str,
    pub cancel_it: &'static str,
    pub not_changeable: &'static str,
    pub booked_for: &'static str,
    pub for_person: &'static str,
    pub search_title: &'static str,
    pub search_filters: &'static str,
    pub asl: &'static str,
    pub any_asl: &'static str,
    pub town: &'static str,
    pub any_town: &'static str,
    pub place_kind: &'static str,
    pub any_place: &'static str,
    pub centres: &'static str,
    pub pharmacies: &'static str,
    pub apply: &'static str,
    pub slots_heading: &'static str,
    pub no_slots: &'static str,
    pub book_slot: &'static str,
    pub moving: &'static str,
    pub not_offered: &'static str,
    pub unknown_purpose: &'static str,
    pub back_vaccinations: &'static str,
    pub back_screening: &'static str,
    pub free_of_charge: &'static str,
    pub screening_title: &'static str,
    pub screening_lead: &'static str,
    pub invited_to: &'static str,
    pub every: &'static str,
    pub years: &'static str,
    pub last_test: &'static str,
    pub no_last_test: &'static str,
    pub result: &'static str,
    pub read_report: &'static str,
    pub next_due: &'static str,
    pub due_now: &'static str,
    pub second_level: &'static str,
    pub book_second_level: &'static str,
    pub kit_heading: &'static str,
    pub kit_code: &'static str,
    pub kit_pharmacy: &'static str,
    pub kit_request: &'static str,
    pub kit_request_hint: &'static str,
    pub kit_choose_pharmacy: &'static str,
    pub kit_cancel: &'static str,
    pub step_done: &'static str,
    pub step_current: &'static str,
    pub step_waiting: &'static str,
    pub book_test: &'static str,
    pub home_due_heading: &'static str,
    pub home_due_for: &'static str,
    pub home_kit_ready: &'static str,
    pub adherence_title: &'static str,
    pub adherence_lead: &'static str,
    pub adherence_caption: &'static str,
    pub band: &'static str,
    pub invited: &'static str,
    pub covered: &'static str,
    pub adherence: &'static str,
    pub coverage_heading: &'static str,
    pub coverage_caption: &'static str,
    pub eligible: &'static str,
    pub vaccinated: &'static str,
    pub coverage: &'static str,
    pub as_of: &'static str,
    pub total: &'static str,
    /// A hidden small count.
    pub small_cell: &'static str,
    pub small_cell_note: &'static str,
    campaign_names: [&'static str; 5],
    programme_names: [&'static str; 3],
    test_names: [&'static str; 4],
    results: [&'static str; 3],
    kit_steps: [&'static str; 5],
}

impl PreventionTexts {
    pub fn campaign(&self, campaign: Campaign) -> &'static str {
        self.campaign_names[campaign as usize]
    }

    pub fn programme(&self, programme: Programme) -> &'static str {
        self.programme_names[programme as usize]
    }

    pub fn test(&self, test: ScreeningTest) -> &'static str {
        self.test_names[test as usize]
    }

    pub fn result_text(&self, result: ScreeningResult) -> &'static str {
        self.results[result as usize]
    }

    pub fn kit_step(&self, step: KitStep) -> &'static str {
        self.kit_steps[step as usize]
    }

    /// Who the campaign is offered to, free of charge.
    pub fn campaign_who(&self, campaign: Campaign) -> String {
        let it = std::ptr::eq(self, &IT);
        match (campaign, it) {
            (Campaign::Flu, true) => format!("Dai {FLU_FROM_AGE} anni, ai bambini da 6 mesi a 6 anni e, da 6 mesi, a chi ha una malattia cronica (diabete, malattie del cuore o dei polmoni, difese immunitarie ridotte). Una dose ogni stagione, da ottobre a febbraio, nei centri vaccinali e nelle farmacie."),
            (Campaign::Flu, false) => format!("From {FLU_FROM_AGE}, children from 6 months to 6 years and, from 6 months, people with a chronic illness (diabetes, heart or lung disease, weakened immunity). One dose each season, October to February, at vaccination centres and pharmacies."),
            (Campaign::Covid, true) => format!("Dai {COVID_FROM_AGE} anni e, da 6 mesi, a chi ha una malattia cronica. Una dose di richiamo 12 mesi dopo l'ultima (non prima di 3 mesi), nei centri vaccinali e nelle farmacie."),
            (Campaign::Covid, false) => format!("From {COVID_FROM_AGE} and, from 6 months, to people with a chronic illness. A booster 12 months after the last dose (not before 3 months), at vaccination centres and pharmacies."),
            (Campaign::Pneumococcal, true) => format!("Dai {PNEUMO_FROM_AGE} anni e agli adulti con una malattia cronica. Una sola dose per tutta la vita, nei centri vaccinali."),
            (Campaign::Pneumococcal, false) => format!("From {PNEUMO_FROM_AGE} and adults with a chronic illness. One dose for life, at vaccination centres."),
            (Campaign::Shingles, true) => format!("Dai {SHINGLES_FROM_AGE} anni e agli adulti con una malattia cronica. Due dosi a distanza di 2-6 mesi, nei centri vaccinali."),
            (Campaign::Shingles, false) => format!("From {SHINGLES_FROM_AGE} and adults with a chronic illness. Two doses 2 to 6 months apart, at vaccination centres."),
            (Campaign::Hpv, true) => format!("A ragazze e ragazzi dagli {} ai {} anni e alle donne fino a {HPV_WOMEN_UNTIL_AGE} anni. Due dosi se si inizia prima dei 15 anni, altrimenti tre, nei centri vaccinali.", HPV_AGES.0, HPV_AGES.1),
            (Campaign::Hpv, false) => format!("Girls and boys aged {} to {} and women up to {HPV_WOMEN_UNTIL_AGE}. Two doses if started before 15, otherwise three, at vaccination centres.", HPV_AGES.0, HPV_AGES.1),
        }
    }

    /// Where the campaign stands for the subject, in plain words.
    pub fn campaign_status(&self, status: Status, age_years: u32, at_risk: bool) -> String {
        let it = std::ptr::eq(self, &IT);
        match (status, it) {
            (Status::NotEligible, true) if at_risk => format!(
                "Non è offerta gratuitamente a te: hai {age_years} anni, fuori dalle età indicate. Se pensi di averne diritto, parlane con il tuo medico di famiglia."
            ),
            (Status::NotEligible, true) => format!(
                "Non è offerta gratuitamente a te: hai {age_years} anni e non risultano malattie croniche che la richiedano. Se pensi di averne diritto, parlane con il tuo medico di famiglia: può segnalarlo alla ASL."
            ),
            (Status::NotEligible, false) if at_risk => format!(
                "It is not offered free of charge to you: you are {age_years}, outside the ages above. If you think you qualify, talk to your family doctor."
            ),
            (Status::NotEligible, false) => format!(
                "It is not offered free of charge to you: you are {age_years} and no chronic illness requiring it is on record. If you think you qualify, talk to your family doctor, who can report it to the ASL."
            ),
            (Status::Closed, true) => "La campagna di questa stagione è chiusa: riapre il 1° ottobre.".into(),
            (Status::Closed, false) => "This season's campaign is closed: it reopens on 1 October.".into(),
            (Status::Complete, true) => "Sei in regola: non ci sono dosi da fare ora.".into(),
            (Status::Complete, false) => "You are up to date: no dose is due now.".into(),
            (Status::TooSoon { months }, true) => format!(
                "La prossima dose si potrà fare tra {months} {}.",
                if months == 1 { "mese" } else { "mesi" }
            ),
            (Status::TooSoon { months }, false) => format!(
                "The next dose can be given in {months} month{}.",
                if months == 1 { "" } else { "s" }
            ),
            (Status::Due { dose, late: false }, true) => format!("Puoi prenotare la dose {dose}."),
            (Status::Due { dose, late: true }, true) => format!("La dose {dose} è in ritardo: prenotala appena puoi."),
            (Status::Due { dose, late: false }, false) => format!("You can book dose {dose}."),
            (Status::Due { dose, late: true }, false) => format!("Dose {dose} is overdue: book it as soon as you can."),
        }
    }

    /// Who the programme invites.
    pub fn programme_who(&self, programme: Programme) -> String {
        let it = std::ptr::eq(self, &IT);
        match (programme, it) {
            (Programme::Colorectal, true) => format!("Donne e uomini dai {} ai {} anni: ogni 2 anni un test per la ricerca del sangue occulto nelle feci, con un kit da ritirare e riconsegnare in farmacia.", COLORECTAL_AGES.0, COLORECTAL_AGES.1),
            (Programme::Colorectal, false) => format!("Women and men aged {} to {}: every 2 years a faecal occult blood test, with a kit collected from and returned to a pharmacy.", COLORECTAL_AGES.0, COLORECTAL_AGES.1),
            (Programme::Breast, true) => format!("Donne dai {} ai {} anni: una mammografia ogni 2 anni.", BREAST_AGES.0, BREAST_AGES.1),
            (Programme::Breast, false) => format!("Women aged {} to {}: a mammography every 2 years.", BREAST_AGES.0, BREAST_AGES.1),
            (Programme::Cervical, true) => format!("Donne dai {} ai {} anni: il Pap test ogni 3 anni fino a {PAP_UNTIL_AGE} anni, poi il test HPV ogni 5 anni.", CERVICAL_AGES.0, CERVICAL_AGES.1),
            (Programme::Cervical, false) => format!("Women aged {} to {}: a Pap test every 3 years up to {PAP_UNTIL_AGE}, then an HPV test every 5 years.", CERVICAL_AGES.0, CERVICAL_AGES.1),
        }
    }

    /// Why the programme does not invite the subject.
    pub fn not_invited(&self, reason: NotInvited) -> String {
        let it = std::ptr::eq(self, &IT);
        match (reason, it) {
            (NotInvited::WomenOnly, true) => "Il programma è rivolto alle donne.".into(),
            (NotInvited::WomenOnly, false) => "The programme is for women.".into(),
            (NotInvited::TooYoung { from }, true) => format!("Riceverai l'invito quando compirai {from} anni."),
            (NotInvited::TooYoung { from }, false) => format!("You will be invited when you turn {from}."),
            (NotInvited::TooOld { until }, true) => format!(
                "Il programma invita fino a {until} anni: per i controlli parlane con il tuo medico di famiglia."
            ),
            (NotInvited::TooOld { until }, false) => {
                format!("The programme invites people up to {until}: talk to your family doctor about check-ups.")
            }
        }
    }

    /// The second-level exam proposed after a positive result.
    pub fn second_level_exam(&self, programme: Programme) -> &'static str {
        let it = std::ptr::eq(self, &IT);
        match (programme, it) {
            (Programme::Colorectal, true) => "una colonscopia",
            (Programme::Colorectal, false) => "a colonoscopy",
            (Programme::Breast, true) => "un approfondimento senologico",
            (Programme::Breast, false) => "a breast assessment",
            (Programme::Cervical, true) => "una colposcopia",
            (Programme::Cervical, false) => "a colposcopy",
        }
    }
}

pub static IT: PreventionTexts = PreventionTexts {
    vaccinations_title: "Vaccinazioni",
    vaccinations_lead: "Le vaccinazioni registrate nell'anagrafe vaccinale regionale, il certificato, le dosi da fare e le campagne a cui aderire.",
    due_heading: "Da fare",
    nothing_due: "Non ci sono vaccinazioni da fare in questo momento.",
    late: "in ritardo",
    dose: "dose",
    book: "Prenota",
    appointments_heading: "Appuntamenti prenotati",
    no_appointments: "Nessun appuntamento prenotato.",
    campaigns_heading: "Campagne vaccinali",
    who_heading: "A chi è offerta",
    your_status: "La tua situazione",
    history_heading: "Storico delle vaccinazioni",
    history_empty: "L'anagrafe vaccinale non ha vaccinazioni registrate.",
    history_caption: "Vaccinazioni registrate nell'anagrafe vaccinale regionale, dalla più recente",
    vaccine: "Vaccino",
    day: "Data",
    place: "Luogo",
    lot: "Lotto",
    certificate: "Scarica il certificato vaccinale (PDF)",
    certificate_hint: "Il certificato riporta tutte le vaccinazioni registrate, con data, luogo e lotto.",
    at: "alle",
    code: "Codice appuntamento",
    preparation: "Come prepararsi",
    move_it: "Sposta l'appuntamento",
    cancel_it: "Disdici l'appuntamento",
    booked_for: "Prenotata: appuntamento il",
    not_changeable: "Manca meno di un giorno: per spostarlo o disdirlo chiama la struttura al numero",
    for_person: "Per",
    search_title: "Scegli data e luogo",
    search_filters: "Filtra i luoghi",
    asl: "ASL",
    any_asl: "Tutte le ASL",
    town: "Vicino a",
    any_town: "Qualsiasi comune",
    place_kind: "Dove",
    any_place: "Centri vaccinali e farmacie",
    centres: "Solo centri vaccinali",
    pharmacies: "Solo farmacie",
    apply: "Mostra",
    slots_heading: "Primi posti liberi per luogo",
    no_slots: "Nessun posto libero con questi filtri nei prossimi mesi: prova con tutte le ASL o un altro comune.",
    book_slot: "Prenota",
    moving: "Stai spostando l'appuntamento del",
    not_offered: "Questa prenotazione non è disponibile per te ora: la pagina precedente spiega perché.",
    unknown_purpose: "Prenotazione non riconosciuta.",
    back_vaccinations: "Torna alle vaccinazioni",
    back_screening: "Torna agli screening",
    free_of_charge: "Gratuito: nessun ticket da pagare.",
    screening_title: "Screening oncologici",
    screening_lead: "I programmi di prevenzione dei tumori del colon-retto, della mammella e della cervice uterina: gratuiti, senza ricetta, su invito della ASL.",
    invited_to: "Il tuo test",
    every: "ogni",
    years: "anni",
    last_test: "Ultimo test",
    no_last_test: "Nessun test registrato.",
    result: "esito",
    read_report: "Leggi il referto",
    next_due: "Prossimo test dal",
    due_now: "È il momento del tuo test.",
    second_level: "L'esito richiede un esame di approfondimento, gratuito:",
    book_second_level: "Prenota l'approfondimento",
    kit_heading: "Il tuo kit",
    kit_code: "Codice del kit",
    kit_pharmacy: "Farmacia",
    kit_request: "Richiedi il kit",
    kit_request_hint: "Scegli la farmacia dove ritirarlo: ti avvisiamo quando è pronto. Riconsegna il campione nella stessa farmacia.",
    kit_choose_pharmacy: "Farmacia dove ritirare il kit",
    kit_cancel: "Annulla la richiesta del kit",
    step_done: "fatto",
    step_current: "a che punto è",
    step_waiting: "in attesa",
    book_test: "Prenota il test",
    home_due_heading: "Da fare per la salute di",
    home_due_for: "Apri",
    home_kit_ready: "Il kit per lo screening del colon-retto è pronto in farmacia",
    adherence_title: "Adesione agli screening",
    adherence_lead: "Per programma, ASL e fascia d'età: le persone invitate dal programma e quante hanno fatto il test nell'intervallo previsto (o lo hanno in corso). Solo numeri aggregati, nessun dato personale.",
    adherence_caption: "Adesione allo screening",
    band: "Età",
    invited: "Invitati",
    covered: "Con test valido",
    adherence: "Adesione",
    coverage_heading: "Copertura delle campagne vaccinali",
    coverage_caption: "Persone a cui la campagna è offerta e persone vaccinate (antinfluenzale: in questa stagione)",
    eligible: "Aventi diritto",
    vaccinated: "Vaccinati",
    coverage: "Copertura",
    as_of: "Dati al",
    total: "Totale",
    small_cell: "meno di 5",
    small_cell_note: "Per riservatezza i numeri che riguardano da una a quattro persone non sono mostrati (\"meno di 5\"); quando in una tabella ne resta nascosto uno solo, si nasconde anche il più piccolo degli altri, perché non si possa ricavarlo dal totale.",
    campaign_names: [
        "Antinfluenzale",
        "Anti COVID-19",
        "Antipneumococcica",
        "Anti Herpes zoster (fuoco di Sant'Antonio)",
        "Anti papillomavirus (HPV)",
    ],
    programme_names: ["Screening del colon-retto", "Screening mammografico", "Screening della cervice uterina"],
    test_names: ["Test del sangue occulto nelle feci (FIT)", "Mammografia", "Pap test", "Test HPV"],
    results: ["negativo", "positivo", "non valutabile: il test va ripetuto"],
    kit_steps: [
        "Richiesto",
        "Pronto in farmacia",
        "Ritirato",
        "Campione riconsegnato",
        "Esito disponibile",
    ],
};

pub static EN: PreventionTexts = PreventionTexts {
    vaccinations_title: "Vaccinations",
    vaccinations_lead: "The vaccinations in the regional vaccination registry, the certificate, the doses due and the campaigns you can join.",
    due_heading: "To do",
    nothing_due: "No vaccination is due right now.",
    late: "overdue",
    dose: "dose",
    book: "Book",
    appointments_heading: "Booked appointments",
    no_appointments: "No appointment booked.",
    campaigns_heading: "Vaccination campaigns",
    who_heading: "Who it is offered to",
    your_status: "Your situation",
    history_heading: "Vaccination history",
    history_empty: "The vaccination registry has no vaccinations on record.",
    history_caption: "Vaccinations in the regional registry, newest first",
    vaccine: "Vaccine",
    day: "Date",
    place: "Place",
    lot: "Batch",
    certificate: "Download the vaccination certificate (PDF)",
    certificate_hint: "The certificate lists every recorded vaccination with date, place and batch.",
    at: "at",
    code: "Appointment code",
    preparation: "How to prepare",
    move_it: "Move the appointment",
    cancel_it: "Cancel the appointment",
    booked_for: "Booked: appointment on",
    not_changeable: "Less than a day to go: to move or cancel it, call the facility on",
    for_person: "For",
    search_title: "Choose date and place",
    search_filters: "Filter places",
    asl: "ASL",
    any_asl: "All ASLs",
    town: "Near",
    any_town: "Any town",
    place_kind: "Where",
    any_place: "Vaccination centres and pharmacies",
    centres: "Vaccination centres only",
    pharmacies: "Pharmacies only",
    apply: "Show",
    slots_heading: "Earliest free places by facility",
    no_slots: "No free place with these filters in the coming months: try all ASLs or another town.",
    book_slot: "Book",
    moving: "You are moving the appointment of",
    not_offered: "This booking is not available to you now: the previous page explains why.",
    unknown_purpose: "Booking not recognised.",
    back_vaccinations: "Back to vaccinations",
    back_screening: "Back to screening",
    free_of_charge: "Free: no ticket to pay.",
    screening_title: "Cancer screening",
    screening_lead: "The prevention programmes for colorectal, breast and cervical cancer: free, no prescription, on the ASL's invitation.",
    invited_to: "Your test",
    every: "every",
    years: "years",
    last_test: "Last test",
    no_last_test: "No test on record.",
    result: "result",
    read_report: "Read the report",
    next_due: "Next test from",
    due_now: "It is time for your test.",
    second_level: "The result calls for a further exam, free of charge:",
    book_second_level: "Book the further exam",
    kit_heading: "Your kit",
    kit_code: "Kit code",
    kit_pharmacy: "Pharmacy",
    kit_request: "Request the kit",
    kit_request_hint: "Choose the pharmacy to collect it from: we tell you when it is ready. Return the sample to the same pharmacy.",
    kit_choose_pharmacy: "Pharmacy to collect the kit from",
    kit_cancel: "Cancel the kit request",
    step_done: "done",
    step_current: "where it is",
    step_waiting: "waiting",
    book_test: "Book the test",
    home_due_heading: "To do for the health of",
    home_due_for: "Open",
    home_kit_ready: "The colorectal screening kit is ready at the pharmacy",
    adherence_title: "Screening adherence",
    adherence_lead: "By programme, ASL and age band: the people the programme invites and how many had the test within the interval (or have it under way). Aggregate numbers only, no personal data.",
    adherence_caption: "Adherence to screening",
    band: "Age",
    invited: "Invited",
    covered: "With a valid test",
    adherence: "Adherence",
    coverage_heading: "Vaccination campaign coverage",
    coverage_caption: "People the campaign is offered to and people vaccinated (flu: this season)",
    eligible: "Eligible",
    vaccinated: "Vaccinated",
    coverage: "Coverage",
    as_of: "Data as of",
    total: "Total",
    small_cell: "fewer than 5",
    small_cell_note: "For confidentiality, numbers about one to four people are not shown (\"fewer than 5\"); when only one is hidden in a table, the smallest of the others is hidden too, so that it cannot be worked out from the total.",
    campaign_names: ["Flu", "COVID-19", "Pneumococcal", "Shingles (herpes zoster)", "Papillomavirus (HPV)"],
    programme_names: ["Colorectal screening", "Breast screening", "Cervical screening"],
    test_names: ["Faecal occult blood test (FIT)", "Mammography", "Pap test", "HPV test"],
    results: ["negative", "positive", "not readable: the test must be repeated"],
    kit_steps: ["Requested", "Ready at the pharmacy", "Collected", "Sample returned", "Result available"],
};

pub fn prevention_texts() -> &'static PreventionTexts {
    match current_lang() {
        Lang::It => &IT,
        Lang::En => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_in_the_texts_come_from_the_constants() {
        assert!(IT.campaign_who(Campaign::Flu).starts_with("Dai 60 anni"));
        assert!(IT.programme_who(Programme::Cervical).contains("dai 25 ai 64 anni"));
        assert!(EN.programme_who(Programme::Colorectal).contains("50 to 69"));
        assert_eq!(IT.not_invited(NotInvited::TooYoung { from: 50 }), "Riceverai l'invito quando compirai 50 anni.");
    }

    #[test]
    fn every_name_is_there_in_both_languages() {
        for texts in [&IT, &EN] {
            for campaign in Campaign::ALL {
                assert!(!texts.campaign(campaign).is_empty());
            }
            for programme in Programme::ALL {
                assert!(!texts.programme(programme).is_empty());
            }
            for step in KitStep::ALL {
                assert!(!texts.kit_step(step).is_empty());
            }
        }
        assert_eq!(IT.result_text(ScreeningResult::Positive), "positivo");
        assert_eq!(EN.test(ScreeningTest::HpvDna), "HPV test");
    }
}
