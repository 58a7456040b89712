//! Italian texts (the default language).

use super::texts::{Section, ServiceText, Texts};

pub static TEXTS: Texts = Texts {
    site_name: "Portale Salute Liguria",
    site_description: "Il punto di accesso unico ai servizi sanitari pubblici della Regione Liguria: fascicolo sanitario, prenotazioni, pagamenti, vaccinazioni, screening e pronto soccorso.",
    region_name: "Regione Liguria",
    health_service: "Servizio Sanitario Regionale",
    skip_to_content: "Vai al contenuto principale",
    nav_label: "Servizi",
    menu: "Menu",
    language_label: "Lingua",
    current_language: "lingua attuale",
    home_link: "Pagina iniziale",
    footer_nav_label: "Informazioni sul portale",
    all_services_label: "Tutti i servizi",
    footer_about: "Portale Salute è il servizio online della Regione Liguria per i cittadini, le ASL e gli ospedali liguri.",
    accessibility_link: "Dichiarazione di accessibilità",
    privacy_link: "Informativa sulla privacy",

    home_title: "I servizi sanitari della Liguria, in un unico posto",
    home_intro: "Consulta il tuo fascicolo sanitario, prenota visite ed esami, paga il ticket, scegli il medico di famiglia e controlla l'attesa nei pronto soccorso.",
    home_services_heading: "Servizi",
    home_emergency_note: "In caso di emergenza sanitaria chiama il 112.",

    services: [
        ServiceText { name: "Fascicolo sanitario", summary: "Referti, lettere di dimissione, certificati vaccinali e il tuo profilo sanitario." },
        ServiceText { name: "Prenotazioni CUP", summary: "Prenota, sposta o disdici visite ed esami in tutte le ASL liguri." },
        ServiceText { name: "Pagamenti", summary: "Paga il ticket con pagoPA e scarica le ricevute." },
        ServiceText { name: "Vaccinazioni", summary: "Storico vaccinale, campagne in corso e prenotazione del vaccino." },
        ServiceText { name: "Screening oncologici", summary: "Programmi di prevenzione per mammella, cervice uterina e colon-retto." },
        ServiceText { name: "Medico di famiglia", summary: "Scegli o cambia il medico di famiglia o il pediatra dei tuoi figli." },
        ServiceText { name: "Ricette", summary: "Le tue ricette elettroniche e dove sono state ritirate." },
        ServiceText { name: "Interventi chirurgici", summary: "Segui in tempo reale le fasi dell'intervento di un tuo familiare." },
        ServiceText { name: "Pronto soccorso", summary: "Pazienti in attesa e in trattamento nei pronto soccorso, per codice di priorità." },
        ServiceText { name: "Dove andare adesso", summary: "Guardia medica, farmacie di turno e il 116117 quando non è un'emergenza." },
        ServiceText { name: "Area farmacista", summary: "Per i farmacisti: ricette dematerializzate dalla tessera sanitaria." },
    ],
    back_home: "Torna alla pagina iniziale",

    not_found_title: "Pagina non trovata",
    not_found_body: "La pagina che cerchi non esiste o è stata spostata. Controlla l'indirizzo oppure riparti dalla pagina iniziale.",
    error_title: "Si è verificato un problema",
    error_body: "Non è stato possibile mostrare questa pagina. Riprova tra qualche minuto; se il problema continua, contatta l'assistenza indicando l'ora in cui è successo.",

    accessibility_title: "Dichiarazione di accessibilità",
    accessibility_sections: &[
        Section {
            heading: "Impegno",
            paragraphs: &[
                "La Regione Liguria si impegna a rendere il Portale Salute accessibile, conformemente alla Legge 9 gennaio 2004, n. 4 e alle Linee guida AgID sull'accessibilità degli strumenti informatici, che recepiscono la norma UNI CEI EN 301549 e le WCAG 2.1 livello AA.",
            ],
        },
        Section {
            heading: "Come è fatto il portale",
            paragraphs: &[
                "Le pagine funzionano anche senza JavaScript, si usano da tastiera con il focus sempre visibile, hanno un collegamento per saltare al contenuto principale e sono leggibili dai lettori di schermo.",
                "I colori non sono mai l'unico modo per trasmettere un'informazione: i codici di priorità del pronto soccorso, ad esempio, sono sempre accompagnati dal loro nome.",
                "Ogni pagina è verificata automaticamente a ogni modifica con strumenti di controllo dell'accessibilità.",
            ],
        },
        Section {
            heading: "Segnalazioni",
            paragraphs: &[
                "Se incontri una barriera o un contenuto non accessibile, segnalalo all'Ufficio relazioni con il pubblico della tua ASL: ti risponderemo entro 30 giorni. In caso di risposta insoddisfacente puoi rivolgerti al Difensore civico per il digitale presso AgID.",
            ],
        },
    ],
    privacy_title: "Informativa sulla privacy",
    privacy_sections: &[
        Section {
            heading: "Titolare del trattamento",
            paragraphs: &[
                "Il titolare del trattamento dei dati è la Regione Liguria; le Aziende sanitarie liguri trattano i dati per le prestazioni di propria competenza, ai sensi del Regolamento (UE) 2016/679 (GDPR).",
            ],
        },
        Section {
            heading: "Quali dati e perché",
            paragraphs: &[
                "Il portale tratta i dati necessari a erogare i servizi che richiedi: dati anagrafici, dati sanitari del Fascicolo sanitario elettronico, prenotazioni e pagamenti.",
                "Ogni accesso ai tuoi dati sanitari viene registrato e puoi consultare chi li ha visti.",
            ],
        },
        Section {
            heading: "Cookie",
            paragraphs: &[
                "Il portale usa solo cookie tecnici: uno per ricordare la lingua scelta e, quando accedi, uno di sessione. Non usa cookie di profilazione né strumenti di terze parti.",
            ],
        },
        Section {
            heading: "I tuoi diritti",
            paragraphs: &[
                "Puoi chiedere l'accesso, la rettifica, la limitazione del trattamento e la portabilità dei tuoi dati rivolgendoti al Responsabile della protezione dei dati della Regione Liguria, e proporre reclamo al Garante per la protezione dei dati personali.",
            ],
        },
    ],
};
