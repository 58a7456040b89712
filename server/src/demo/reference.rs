//! Reference data of the demo region: the real Ligurian health authorities,
//! hospitals and towns (docs/DOMAIN.md), and an outpatient catalogue. Fiscal
//! codes of the ASL, addresses and phone numbers are demo values.

/// (code, name, demo creditor fiscal code)
pub const ASL: [(&str, &str, &str); 5] = [
    ("ASL1", "ASL1 Imperiese", "01083410082"),
    ("ASL2", "ASL2 Savonese", "01062990096"),
    ("ASL3", "ASL3 Genovese", "03399650104"),
    ("ASL4", "ASL4 Chiavarese", "01038700991"),
    ("ASL5", "ASL5 Spezzino", "00962520110"),
];

/// (ASL, district name, care areas: [(area name, [municipalities])])
pub struct District {
    pub asl: &'static str,
    pub name: &'static str,
    pub care_areas: &'static [(&'static str, &'static [&'static str])],
}

pub const DISTRICTS: &[District] = &[
    District {
        asl: "ASL1",
        name: "Distretto Ventimigliese",
        care_areas: &[("Ambito Ventimiglia-Bordighera", &["L741", "A984"])],
    },
    District { asl: "ASL1", name: "Distretto Sanremese", care_areas: &[("Ambito Sanremo", &["I138"])] },
    District { asl: "ASL1", name: "Distretto Imperiese", care_areas: &[("Ambito Imperia", &["E290"])] },
    District { asl: "ASL2", name: "Distretto Albenganese", care_areas: &[("Ambito Albenga", &["A145"])] },
    District { asl: "ASL2", name: "Distretto Finalese", care_areas: &[("Ambito Finale-Pietra", &["D600", "G605"])] },
    District { asl: "ASL2", name: "Distretto Savonese", care_areas: &[("Ambito Savona", &["I480"])] },
    District { asl: "ASL2", name: "Distretto delle Bormide", care_areas: &[("Ambito Cairo Montenotte", &["B369"])] },
    District { asl: "ASL3", name: "Distretto Genova Centro", care_areas: &[("Ambito Genova Centro", &["D969"])] },
    District {
        asl: "ASL4",
        name: "Distretto Tigullio",
        care_areas: &[("Ambito Rapallo", &["H183"]), ("Ambito Chiavari-Lavagna", &["C621", "E488"])],
    },
    District { asl: "ASL4", name: "Distretto Sestri Levante", care_areas: &[("Ambito Sestri Levante", &["I693"])] },
    District { asl: "ASL5", name: "Distretto Spezzino", care_areas: &[("Ambito La Spezia", &["E463"])] },
    District { asl: "ASL5", name: "Distretto Val di Magra", care_areas: &[("Ambito Sarzana", &["I449"])] },
];

/// (Belfiore code, name, province, latitude, longitude)
pub const MUNICIPALITIES: [(&str, &str, &str, f64, f64); 17] = [
    ("L741", "Ventimiglia", "IM", 43.7903, 7.6081),
    ("A984", "Bordighera", "IM", 43.7806, 7.6647),
    ("I138", "Sanremo", "IM", 43.8159, 7.7761),
    ("E290", "Imperia", "IM", 43.8897, 8.0390),
    ("A145", "Albenga", "SV", 44.0496, 8.2132),
    ("D600", "Finale Ligure", "SV", 44.1690, 8.3430),
    ("G605", "Pietra Ligure", "SV", 44.1490, 8.2820),
    ("I480", "Savona", "SV", 44.3091, 8.4772),
    ("B369", "Cairo Montenotte", "SV", 44.3990, 8.2760),
    ("D969", "Genova", "GE", 44.4056, 8.9463),
    ("H183", "Rapallo", "GE", 44.3497, 9.2310),
    ("C621", "Chiavari", "GE", 44.3168, 9.3223),
    ("E488", "Lavagna", "GE", 44.3070, 9.3440),
    ("I693", "Sestri Levante", "GE", 44.2730, 9.3960),
    ("E463", "La Spezia", "SP", 44.1025, 9.8241),
    ("I449", "Sarzana", "SP", 44.1106, 9.9620),
    ("H212", "Recco", "GE", 44.3620, 9.1430),
];

/// A hospital of the region and whether its ER is paediatric.
pub struct Hospital {
    pub code: &'static str,
    pub name: &'static str,
    pub hub: bool,
    pub asl: &'static str,
    pub municipality: &'static str,
    pub address: &'static str,
    pub er_name: &'static str,
    pub paediatric_er: bool,
}

pub const HOSPITALS: &[Hospital] = &[
    Hospital {
        code: "OSP-SANREMO",
        name: "Ospedale di Sanremo",
        hub: false,
        asl: "ASL1",
        municipality: "I138",
        address: "Via Giovanni Borea 56",
        er_name: "Pronto Soccorso Sanremo",
        paediatric_er: false,
    },
    Hospital {
        code: "OSP-IMPERIA",
        name: "Ospedale di Imperia",
        hub: false,
        asl: "ASL1",
        municipality: "E290",
        address: "Via Sant'Agata 57",
        er_name: "Pronto Soccorso Imperia",
        paediatric_er: false,
    },
    Hospital {
        code: "OSP-BORDIGHERA",
        name: "Ospedale di Bordighera",
        hub: false,
        asl: "ASL1",
        municipality: "A984",
        address: "Via Aurelia 122",
        er_name: "Pronto Soccorso Bordighera",
        paediatric_er: false,
    },
    Hospital {
        code: "OSP-SAVONA",
        name: "Ospedale San Paolo di Savona",
        hub: false,
        asl: "ASL2",
        municipality: "I480",
        address: "Via Genova 30",
        er_name: "Pronto Soccorso Savona San Paolo",
        paediatric_er: false,
    },
    Hospital {
        code: "OSP-PIETRA",
        name: "Ospedale Santa Corona di Pietra Ligure",
        hub: false,
        asl: "ASL2",
        municipality: "G605",
        address: "Via XXV Aprile 38",
        er_name: "Pronto Soccorso Pietra Ligure Santa Corona",
        paediatric_er: false,
    },
    Hospital {
        code: "OSP-ALBENGA",
        name: "Ospedale di Albenga",
        hub: false,
        asl: "ASL2",
        municipality: "A145",
        address: "Viale Martiri della Foce 40",
        er_name: "Pronto Soccorso Albenga",
        paediatric_er: false,
    },
    Hospital {
        code: "OSP-CAIRO",
        name: "Ospedale di Cairo Montenotte",
        hub: false,
        asl: "ASL2",
        municipality: "B369",
        address: "Via Martiri della Libertà 30",
        er_name: "Pronto Soccorso Cairo Montenotte",
        paediatric_er: false,
    },
    Hospital {
        code: "OSP-VILLASCASSI",
        name: "Ospedale Villa Scassi",
        hub: false,
        asl: "ASL3",
        municipality: "D969",
        address: "Corso Onofrio Scassi 1",
        er_name: "Pronto Soccorso Villa Scassi",
        paediatric_er: false,
    },
    Hospital {
        code: "OSP-MICONE",
        name: "Ospedale Micone",
        hub: false,
        asl: "ASL3",
        municipality: "D969",
        address: "Largo Nevio Rosso 2",
        er_name: "Pronto Soccorso Micone",
        paediatric_er: false,
    },
    Hospital {
        code: "OSP-PADREANTERO",
        name: "Ospedale Padre Antero Micone",
        hub: false,
        asl: "ASL3",
        municipality: "D969",
        address: "Via Bertani 4",
        er_name: "Punto di Primo Intervento Padre Antero",
        paediatric_er: false,
    },
    Hospital {
        code: "OSP-GALLINO",
        name: "Ospedale Gallino",
        hub: false,
        asl: "ASL3",
        municipality: "D969",
        address: "Via Gallino 5",
        er_name: "Pronto Soccorso Gallino",
        paediatric_er: false,
    },
    Hospital {
        code: "OSP-LAVAGNA",
        name: "Ospedale di Lavagna",
        hub: false,
        asl: "ASL4",
        municipality: "E488",
        address: "Via Don Bobbio 25",
        er_name: "Pronto Soccorso Lavagna",
        paediatric_er: false,
    },
    Hospital {
        code: "OSP-SESTRI",
        name: "Ospedale di Sestri Levante",
        hub: false,
        asl: "ASL4",
        municipality: "I693",
        address: "Via Terzi 43",
        er_name: "Pronto Soccorso Sestri Levante",
        paediatric_er: false,
    },
    Hospital {
        code: "OSP-RAPALLO",
        name: "Ospedale di Rapallo",
        hub: false,
        asl: "ASL4",
        municipality: "H183",
        address: "Piazza Molfino 10",
        er_name: "Pronto Soccorso Rapallo",
        paediatric_er: false,
    },
    Hospital {
        code: "OSP-SPEZIA",
        name: "Ospedale Sant'Andrea della Spezia",
        hub: false,
        asl: "ASL5",
        municipality: "E463",
        address: "Via Vittorio Veneto 197",
        er_name: "Pronto Soccorso La Spezia Sant'Andrea",
        paediatric_er: false,
    },
    Hospital {
        code: "OSP-SARZANA",
        name: "Ospedale San Bartolomeo di Sarzana",
        hub: false,
        asl: "ASL5",
        municipality: "I449",
        address: "Via Cisa 1",
        er_name: "Pronto Soccorso Sarzana San Bartolomeo",
        paediatric_er: false,
    },
    Hospital {
        code: "HUB-SANMARTINO",
        name: "IRCCS Ospedale Policlinico San Martino",
        hub: true,
        asl: "ASL3",
        municipality: "D969",
        address: "Largo Rosanna Benzi 10",
        er_name: "Pronto Soccorso San Martino",
        paediatric_er: false,
    },
    Hospital {
        code: "HUB-GALLIERA",
        name: "E.O. Ospedali Galliera",
        hub: true,
        asl: "ASL3",
        municipality: "D969",
        address: "Mura delle Cappuccine 14",
        er_name: "Pronto Soccorso Galliera",
        paediatric_er: false,
    },
    Hospital {
        code: "HUB-GASLINI",
        name: "IRCCS Istituto Giannina Gaslini",
        hub: true,
        asl: "ASL3",
        municipality: "D969",
        address: "Via Gerolamo Gaslini 5",
        er_name: "Pronto Soccorso Pediatrico Gaslini",
        paediatric_er: true,
    },
    Hospital {
        code: "HUB-EVANGELICO",
        name: "Ospedale Evangelico Internazionale",
        hub: true,
        asl: "ASL3",
        municipality: "D969",
        address: "Piazzale Gianasso 4",
        er_name: "Pronto Soccorso Evangelico Voltri",
        paediatric_er: false,
    },
];

/// An outpatient service of the catalogue.
pub struct OutpatientService {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    pub diagnostic: bool,
    pub ticket_cents: i64,
    pub minutes: i64,
    pub preparation: &'static str,
}

const NO_PREPARATION: &str = "Nessuna preparazione. Porta la tessera sanitaria, l'impegnativa e i referti precedenti.";
const FASTING: &str =
    "Presentati a digiuno da almeno 8 ore; puoi bere acqua. Porta la tessera sanitaria e l'impegnativa.";
const FULL_BLADDER: &str =
    "Bevi un litro d'acqua un'ora prima e non urinare fino all'esame. Porta la tessera sanitaria e l'impegnativa.";
const BOWEL_PREP: &str = "Segui la dieta senza scorie nei 3 giorni precedenti e assumi il preparato intestinale prescritto. Porta un accompagnatore.";
const CONTRAST: &str = "Digiuno da 6 ore; porta la creatinina recente (non più di 3 mesi) e la tessera sanitaria. Segnala allergie al mezzo di contrasto.";

macro_rules! service {
    ($code:literal, $name:literal, $kind:literal, $diag:literal, $cents:literal, $min:literal, $prep:expr) => {
        OutpatientService {
            code: $code,
            name: $name,
            kind: $kind,
            diagnostic: $diag,
            ticket_cents: $cents,
            minutes: $min,
            preparation: $prep,
        }
    };
}

pub const SERVICES: &[OutpatientService] = &[
    service!("89.7A.3", "Prima visita cardiologica", "visit", false, 2066, 30, NO_PREPARATION),
    service!("89.13", "Prima visita neurologica", "visit", false, 2066, 30, NO_PREPARATION),
    service!("89.26.1", "Prima visita ginecologica", "visit", false, 2066, 30, NO_PREPARATION),
    service!(
        "95.02",
        "Prima visita oculistica",
        "visit",
        false,
        2066,
        30,
        "Non guidare dopo la visita: potrebbero essere usate gocce che dilatano la pupilla."
    ),
    service!("89.7B.8", "Prima visita dermatologica", "visit", false, 2066, 20, NO_PREPARATION),
    service!("89.7B.2", "Prima visita endocrinologica", "visit", false, 2066, 30, NO_PREPARATION),
    service!("89.7A.7", "Prima visita chirurgica vascolare", "visit", false, 2066, 30, NO_PREPARATION),
    service!("89.7B.6", "Prima visita ortopedica", "visit", false, 2066, 20, NO_PREPARATION),
    service!("89.7B.9", "Prima visita otorinolaringoiatrica", "visit", false, 2066, 20, NO_PREPARATION),
    service!("89.7C.2", "Prima visita urologica", "visit", false, 2066, 20, NO_PREPARATION),
    service!("89.7A.9", "Prima visita gastroenterologica", "visit", false, 2066, 30, NO_PREPARATION),
    service!("89.7B.1", "Prima visita pneumologica", "visit", false, 2066, 30, NO_PREPARATION),
    service!(
        "89.7A.6",
        "Prima visita diabetologica",
        "visit",
        false,
        2066,
        30,
        "Porta il diario glicemico e gli ultimi esami del sangue."
    ),
    service!("89.7C.1", "Prima visita reumatologica", "visit", false, 2066, 30, NO_PREPARATION),
    service!("89.7B.4", "Prima visita oncologica", "visit", false, 2066, 40, NO_PREPARATION),
    service!("94.12.1", "Prima visita psichiatrica", "visit", false, 2066, 45, NO_PREPARATION),
    service!(
        "89.7A.8",
        "Prima visita pediatrica specialistica",
        "visit",
        false,
        2066,
        30,
        "Porta il libretto pediatrico del bambino."
    ),
    service!("89.01", "Visita di controllo", "visit", false, 1291, 20, NO_PREPARATION),
    service!("89.52", "Elettrocardiogramma", "procedure", true, 1162, 15, NO_PREPARATION),
    service!(
        "89.50",
        "Elettrocardiogramma dinamico (Holter)",
        "procedure",
        true,
        4800,
        30,
        "Fai la doccia prima: il registratore non va bagnato per 24 ore."
    ),
    service!(
        "89.41",
        "Test da sforzo al cicloergometro",
        "procedure",
        true,
        4650,
        45,
        "Indossa abiti comodi e scarpe da ginnastica; pasto leggero 3 ore prima."
    ),
    service!("88.72.3", "Ecocolordoppler cardiaco", "imaging", true, 5600, 30, NO_PREPARATION),
    service!("88.73.5", "Ecocolordoppler dei tronchi sovraortici", "imaging", true, 4380, 30, NO_PREPARATION),
    service!("88.74.1", "Ecografia dell'addome superiore", "imaging", true, 3600, 20, FASTING),
    service!("88.76.1", "Ecografia dell'addome completo", "imaging", true, 5300, 30, FULL_BLADDER),
    service!("88.73.1", "Ecografia della mammella bilaterale", "imaging", true, 3600, 20, NO_PREPARATION),
    service!("88.71.4", "Ecografia del collo (tiroide)", "imaging", true, 3100, 20, NO_PREPARATION),
    service!(
        "87.37.1",
        "Mammografia bilaterale",
        "imaging",
        true,
        3600,
        20,
        "Non usare deodoranti, creme o talco il giorno dell'esame. Porta le mammografie precedenti."
    ),
    service!("87.44.1", "Radiografia del torace", "imaging", true, 1550, 15, NO_PREPARATION),
    service!("88.23", "Radiografia della mano e del polso", "imaging", true, 1400, 15, NO_PREPARATION),
    service!("88.26", "Radiografia del bacino", "imaging", true, 1500, 15, NO_PREPARATION),
    service!("87.03", "TC del capo", "imaging", true, 7000, 20, NO_PREPARATION),
    service!("87.41.1", "TC del torace con contrasto", "imaging", true, 10300, 30, CONTRAST),
    service!("88.01.6", "TC dell'addome completo con contrasto", "imaging", true, 13500, 30, CONTRAST),
    service!("88.91.2", "Risonanza magnetica del cervello con contrasto", "imaging", true, 17000, 45, CONTRAST),
    service!(
        "88.93",
        "Risonanza magnetica della colonna",
        "imaging",
        true,
        11500,
        40,
        "Togli ogni oggetto metallico; segnala pacemaker, protesi o clip."
    ),
    service!(
        "88.94.1",
        "Risonanza magnetica del ginocchio",
        "imaging",
        true,
        11500,
        40,
        "Togli ogni oggetto metallico; segnala pacemaker, protesi o clip."
    ),
    service!("45.23", "Colonscopia totale", "procedure", true, 8700, 45, BOWEL_PREP),
    service!(
        "45.13",
        "Esofagogastroduodenoscopia",
        "procedure",
        true,
        6300,
        30,
        "Digiuno da almeno 8 ore; porta un accompagnatore se è prevista la sedazione."
    ),
    service!(
        "89.37.1",
        "Spirometria semplice",
        "procedure",
        true,
        1900,
        20,
        "Non fumare nelle 4 ore precedenti; non usare broncodilatatori se non prescritto."
    ),
    service!(
        "93.08.1",
        "Elettromiografia",
        "procedure",
        true,
        4200,
        40,
        "Non applicare creme sulla pelle il giorno dell'esame."
    ),
    service!("95.41.1", "Esame audiometrico tonale", "procedure", true, 1300, 20, NO_PREPARATION),
    service!("90.27.1", "Prelievo: glucosio", "lab", true, 117, 5, FASTING),
    service!("90.28.1", "Prelievo: emoglobina glicata (HbA1c)", "lab", true, 1000, 5, NO_PREPARATION),
    service!("90.14.3", "Prelievo: colesterolo totale", "lab", true, 130, 5, FASTING),
    service!("90.16.3", "Prelievo: creatinina", "lab", true, 113, 5, FASTING),
    service!("90.62.2", "Prelievo: emocromo completo", "lab", true, 319, 5, NO_PREPARATION),
    service!("90.42.1", "Prelievo: TSH reflex", "lab", true, 1051, 5, NO_PREPARATION),
];

/// Lab tests used in lab reports: (name, LOINC, unit, low, high, typical, spread)
pub const LAB_TESTS: [(&str, &str, &str, f64, f64, f64, f64); 6] = [
    ("Glucosio", "2345-7", "mg/dL", 70.0, 100.0, 95.0, 18.0),
    ("Emoglobina glicata (HbA1c)", "4548-4", "mmol/mol", 20.0, 42.0, 40.0, 9.0),
    ("Colesterolo totale", "2093-3", "mg/dL", 0.0, 200.0, 195.0, 35.0),
    ("Creatinina", "2160-0", "mg/dL", 0.6, 1.2, 0.95, 0.25),
    ("Emoglobina", "718-7", "g/dL", 12.0, 17.0, 14.2, 1.4),
    ("TSH", "3016-3", "mUI/L", 0.4, 4.0, 2.1, 1.2),
];

/// Invented surnames and given names: real-sounding Ligurian names whose
/// combinations with random dates and towns are synthetic people.
pub const SURNAMES: [&str; 24] = [
    "Bavastro",
    "Canevello",
    "Dellepiane",
    "Ferrando",
    "Gazzolo",
    "Lagomarsino",
    "Marcenaro",
    "Noceti",
    "Oddone",
    "Pittaluga",
    "Queirolo",
    "Risso",
    "Sciaccaluga",
    "Traverso",
    "Vaccarezza",
    "Zunino",
    "Benvenuto",
    "Castagnola",
    "Degregori",
    "Figari",
    "Ghiglino",
    "Maggiolo",
    "Pedemonte",
    "Solari",
];
pub const FEMALE_NAMES: [&str; 20] = [
    "Giulia",
    "Chiara",
    "Francesca",
    "Elena",
    "Marta",
    "Silvia",
    "Anna",
    "Paola",
    "Laura",
    "Sara",
    "Ilaria",
    "Valeria",
    "Federica",
    "Caterina",
    "Beatrice",
    "Ginevra",
    "Lucia",
    "Rosa",
    "Teresa",
    "Carla",
];
pub const MALE_NAMES: [&str; 20] = [
    "Luca", "Marco", "Andrea", "Matteo", "Stefano", "Paolo", "Giorgio", "Davide", "Simone", "Riccardo", "Tommaso",
    "Lorenzo", "Edoardo", "Alberto", "Franco", "Giovanni", "Emilio", "Bruno", "Aldo", "Pietro",
];
pub const STREETS: [&str; 10] = [
    "Via Roma",
    "Via Garibaldi",
    "Corso Italia",
    "Via Mazzini",
    "Via XX Settembre",
    "Via Aurelia",
    "Piazza Matteotti",
    "Via Cavour",
    "Via dei Mille",
    "Salita San Francesco",
];
