//! Clinical history of the demo households: FSE documents (lab series for
//! trends, specialist and radiology reports, discharge letters, ER reports,
//! vaccination certificates, patient summaries), prescriptions, the
//! vaccination registry, screening tests and exemptions. Regional-scale
//! residents get none: benchmarks of those capabilities bring their own.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::json;
use sqlx::AnyConnection;

use super::insert::{insert_rows, row, Value};
use super::people::{Person, Population};
use super::reference::{LAB_TESTS, SERVICES};
use super::rng::Rng;
use super::territory::Territory;
use super::Report;
use crate::clock::rome_rfc3339;

/// Region code that opens every NRE — docs/DOMAIN.md says Liguria is probably 070 (check).
pub const NRE_REGION_CODE: &str = "070";
/// Specialist prescriptions stay bookable this long (demo assumption).
const SPECIALIST_VALIDITY_DAYS: i64 = 180;
/// Drug prescriptions are valid 30 days (docs/DOMAIN.md).
const DRUG_VALIDITY_DAYS: i64 = 30;

pub mod loinc {
    pub const LAB_REPORT: &str = "11502-2";
    pub const RADIOLOGY_REPORT: &str = "68604-8";
    pub const DISCHARGE_LETTER: &str = "34105-7";
    pub const ER_REPORT: &str = "59258-4";
    pub const PATIENT_SUMMARY: &str = "60591-5";
    pub const VACCINATION_CERTIFICATE: &str = "82593-5";
    pub const SPECIALIST_REPORT: &str = "11488-4";
}

struct Rows {
    documents: Vec<Vec<Value>>,
    prescriptions: Vec<Vec<Value>>,
    lines: Vec<Vec<Value>>,
    vaccinations: Vec<Vec<Value>>,
    screenings: Vec<Vec<Value>>,
    exemptions: Vec<Vec<Value>>,
}

pub async fn insert(
    connection: &mut AnyConnection,
    seed: u64,
    population: &Population,
    territory: &Territory,
    today: NaiveDate,
    report: &mut Report,
) -> Result<(), sqlx::Error> {
    let mut rng = Rng::new(seed ^ 0x05EC_04D5);
    let mut rows = Rows {
        documents: vec![],
        prescriptions: vec![],
        lines: vec![],
        vaccinations: vec![],
        screenings: vec![],
        exemptions: vec![],
    };
    let mut nre_sequence = 0;
    for person in population.people.iter().filter(|p| p.demo) {
        let history = History { person, territory, today, age: person.age_on(today) };
        history.lab_series(&mut rng, &mut rows);
        history.reports(&mut rng, &mut rows);
        history.vaccinations(&mut rng, &mut rows);
        history.screenings(&mut rng, &mut rows);
        history.prescriptions(&mut rng, &mut rows, &mut nre_sequence);
        history.exemptions(&mut rows);
    }
    let document_columns = ["person", "loinc_code", "title", "facility_id", "author", "issued_at", "body"];
    report.documents = insert_rows(connection, "fse_documents", &document_columns, rows.documents).await?;
    report.prescriptions = insert_rows(
        connection,
        "prescriptions",
        &["nre", "person", "kind", "colour", "priority", "service_code", "prescriber", "issued_on", "valid_until"],
        rows.prescriptions,
    )
    .await?;
    insert_rows(connection, "prescription_lines", &["nre", "drug", "dosage", "boxes"], rows.lines).await?;
    report.vaccinations = insert_rows(
        connection,
        "vaccinations",
        &["person", "vaccine", "dose", "administered_on", "facility_id", "lot"],
        rows.vaccinations,
    )
    .await?;
    report.screening_tests = insert_rows(
        connection,
        "screening_tests",
        &["person", "programme", "test", "performed_on", "result"],
        rows.screenings,
    )
    .await?;
    insert_rows(connection, "exemptions", &["person", "code", "valid_from", "valid_until"], rows.exemptions).await?;
    Ok(())
}

/// Who issued a document, where and when.
struct Header {
    loinc: &'static str,
    title: &'static str,
    facility: i64,
    author: &'static str,
    day: NaiveDate,
    hour: u32,
}

struct History<'a> {
    person: &'a Person,
    territory: &'a Territory,
    today: NaiveDate,
    age: i32,
}

impl History<'_> {
    fn asl(&self) -> &'static str {
        self.territory.towns.iter().find(|t| t.belfiore == self.person.municipality).map_or("ASL3", |t| t.asl)
    }

    /// A facility of the person's ASL of one of `kinds`, picked at random.
    fn facility(&self, rng: &mut Rng, kinds: &[&str]) -> i64 {
        let candidates = self.territory.facilities_of(self.asl(), kinds);
        if candidates.is_empty() {
            return 1;
        }
        rng.pick(&candidates).id
    }

    /// Children's emergencies go to the Gaslini paediatric hub.
    fn paediatric_hub(&self) -> i64 {
        self.territory.facilities.iter().find(|f| f.code == "HUB-GASLINI").map_or(1, |f| f.id)
    }

    fn day_back(&self, rng: &mut Rng, from_days: i64, to_days: i64) -> NaiveDate {
        self.today - Duration::days(rng.between(from_days, to_days))
    }

    fn document(&self, rows: &mut Rows, header: Header, body: serde_json::Value) {
        let at = rome_rfc3339(header.day.and_hms_opt(header.hour, 30, 0).unwrap_or_default());
        rows.documents.push(row![
            self.person.fiscal_code.as_str(),
            header.loinc,
            header.title,
            header.facility,
            header.author,
            at,
            body.to_string()
        ]);
    }

    /// Three years of blood tests for adults, every four to eight months,
    /// with values drifting so trends are worth a chart.
    fn lab_series(&self, rng: &mut Rng, rows: &mut Rows) {
        if self.age < 18 {
            return;
        }
        let mut day = self.today - Duration::days(3 * 365);
        let drift: Vec<f64> = LAB_TESTS.iter().map(|_| (rng.between(-10, 25) as f64) / 100.0).collect();
        let mut step = 0.0;
        while day < self.today - Duration::days(7) {
            let facility = self.facility(rng, &["hospital", "hub_hospital", "outpatient"]);
            let results: Vec<serde_json::Value> = LAB_TESTS
                .iter()
                .zip(&drift)
                .map(|(&(name, loinc, unit, low, high, typical, spread), drift)| {
                    let noise = (rng.between(-100, 100) as f64) / 100.0 * spread * 0.5;
                    let value = (typical * (1.0 + drift * step) + noise).max(0.0);
                    let value = (value * 100.0).round() / 100.0;
                    let flag = if value < low { "L" } else if value > high { "H" } else { "N" };
                    json!({ "test": name, "loinc": loinc, "value": value, "unit": unit, "low": low, "high": high, "flag": flag })
                })
                .collect();
            self.document(
                rows,
                Header {
                    loinc: loinc::LAB_REPORT,
                    title: "Referto di laboratorio analisi",
                    facility,
                    author: "Laboratorio analisi",
                    day,
                    hour: 11,
                },
                json!({ "results": results }),
            );
            day += Duration::days(rng.between(120, 240));
            step += 0.2;
        }
    }

    fn reports(&self, rng: &mut Rng, rows: &mut Rows) {
        let hospital_kinds = ["hospital", "hub_hospital"];
        if self.age >= 18 {
            let day = self.day_back(rng, 30, 700);
            let facility = self.facility(rng, &["outpatient", "hospital"]);
            self.document(
                rows,
                Header {
                    loinc: loinc::SPECIALIST_REPORT,
                    title: "Referto di visita cardiologica",
                    facility,
                    author: "Dr.ssa Anna Ferrando, Cardiologia",
                    day,
                    hour: 10,
                },
                json!({
                    "visit": "Prima visita cardiologica",
                    "history": "Ipertensione arteriosa in terapia. Nessun dolore toracico riferito.",
                    "findings": "PA 135/85 mmHg, FC 72 bpm ritmica. Toni cardiaci validi, pause libere.",
                    "conclusion": "Quadro cardiologico stabile. Proseguire la terapia in corso.",
                    "follow_up": "Controllo tra 12 mesi con ECG."
                }),
            );
            let day = self.day_back(rng, 60, 900);
            let facility = self.facility(rng, &hospital_kinds);
            self.document(rows, Header { loinc: loinc::RADIOLOGY_REPORT, title: "Referto radiologico: RX torace", facility, author: "Dr. Marco Pittaluga, Radiologia", day, hour: 9 }, json!({
                "exam": "Radiografia del torace in due proiezioni",
                "findings": "Campi polmonari normoespansi e normotrasparenti. Seni costofrenici liberi. Ombra cardiaca nei limiti.",
                "conclusion": "Nessuna alterazione pleuroparenchimale in atto."
            }));
        }
        if self.age >= 65 || rng.chance(15) {
            let admitted = self.day_back(rng, 90, 1000);
            let discharged = admitted + Duration::days(rng.between(3, 12));
            let facility = self.facility(rng, &hospital_kinds);
            self.document(
                rows,
                Header {
                    loinc: loinc::ER_REPORT,
                    title: "Verbale di Pronto Soccorso",
                    facility,
                    author: "Pronto Soccorso",
                    day: admitted,
                    hour: 8,
                },
                json!({
                    "triage_code": 3, "triage_colour": "azzurro",
                    "complaint": "Dispnea ingravescente da due giorni.",
                    "assessment": "Saturazione 91% in aria ambiente. Rantoli basali bilaterali.",
                    "diagnosis": "Scompenso cardiaco acuto.",
                    "outcome": "Ricovero in Medicina Interna."
                }),
            );
            self.document(rows, Header { loinc: loinc::DISCHARGE_LETTER, title: "Lettera di dimissione ospedaliera", facility, author: "U.O. Medicina Interna", day: discharged, hour: 12 }, json!({
                "admitted_on": admitted.to_string(), "discharged_on": discharged.to_string(),
                "reason": "Scompenso cardiaco acuto.",
                "history": "Ipertensione arteriosa; fibrillazione atriale parossistica.",
                "course": "Terapia diuretica endovenosa con progressivo miglioramento della dispnea.",
                "therapy": ["Furosemide 25 mg 1 compressa al mattino", "Bisoprololo 2,5 mg 1 compressa al mattino", "Apixaban 5 mg 1 compressa due volte al giorno"],
                "follow_up": "Controllo dal medico di famiglia entro 7 giorni; visita cardiologica entro 30 giorni."
            }));
        } else if self.age < 18 && rng.chance(40) {
            let day = self.day_back(rng, 30, 600);
            self.document(
                rows,
                Header {
                    loinc: loinc::ER_REPORT,
                    title: "Verbale di Pronto Soccorso pediatrico",
                    facility: self.paediatric_hub(),
                    author: "Pronto Soccorso Pediatrico",
                    day,
                    hour: 17,
                },
                json!({
                    "triage_code": 4, "triage_colour": "verde",
                    "complaint": "Trauma distorsivo della caviglia destra giocando a calcio.",
                    "assessment": "Tumefazione malleolare, carico possibile. RX negativa per fratture.",
                    "diagnosis": "Distorsione di primo grado della caviglia destra.",
                    "outcome": "Dimesso a domicilio con ghiaccio, riposo e controllo dal pediatra."
                }),
            );
        }
        let allergies: Vec<&str> = if rng.chance(25) { vec!["Penicillina (orticaria)"] } else { vec![] };
        let conditions: Vec<&str> = self
            .person
            .risk_groups
            .iter()
            .map(|group| match *group {
                "diabetes" => "Diabete mellito di tipo 2",
                "cardiovascular" => "Cardiopatia ischemica cronica",
                "chronic_respiratory" => "Broncopneumopatia cronica ostruttiva",
                _ => "Immunodepressione",
            })
            .collect();
        let therapies: Vec<&str> = if self.person.risk_groups.contains(&"diabetes") {
            vec!["Metformina 1000 mg due volte al giorno"]
        } else {
            vec![]
        };
        let day = self.day_back(rng, 10, 200);
        let facility = self.facility(rng, &["outpatient"]);
        self.document(rows, Header { loinc: loinc::PATIENT_SUMMARY, title: "Profilo sanitario sintetico", facility, author: "Medico di medicina generale", day, hour: 16 }, json!({
            "allergies": allergies, "conditions": conditions, "therapies": therapies,
            "vital_signs": { "measured_on": day.to_string(), "systolic": 110 + rng.between(0, 40), "diastolic": 65 + rng.between(0, 25), "weight_kg": if self.age < 14 { 15 + self.age as i64 * 3 } else { 55 + rng.between(0, 35) }, "height_cm": if self.age < 14 { 80 + self.age as i64 * 6 } else { 155 + rng.between(0, 35) } }
        }));
    }

    fn vaccinations(&self, rng: &mut Rng, rows: &mut Rows) {
        let centre = self.facility(rng, &["vaccination_centre"]);
        let mut given: Vec<(&str, i64, NaiveDate)> = Vec::new();
        let birth = self.person.birth;
        // Childhood schedule: hexavalent at 3, 5, 11 months; MMRV at 13 months and 6 years.
        for (months, vaccine, dose) in [
            (3, "Esavalente (DTPa-IPV-Hib-HBV)", 1),
            (5, "Esavalente (DTPa-IPV-Hib-HBV)", 2),
            (11, "Esavalente (DTPa-IPV-Hib-HBV)", 3),
            (13, "MPRV (morbillo, parotite, rosolia, varicella)", 1),
            (72, "MPRV (morbillo, parotite, rosolia, varicella)", 2),
        ] {
            let day = birth + Duration::days(months * 30);
            if day < self.today && birth.year() >= 2000 {
                given.push((vaccine, dose, day));
            }
        }
        if self.age >= 12 {
            for dose in 1..=3 {
                let day = NaiveDate::from_ymd_opt(2021, 3 + dose as u32 * 2, 10).unwrap_or(self.today);
                given.push(("COVID-19 mRNA (Comirnaty)", dose, day));
            }
        }
        if self.age >= 65 || !self.person.risk_groups.is_empty() {
            for season in [self.today.year() - 3, self.today.year() - 2, self.today.year() - 1] {
                let day = NaiveDate::from_ymd_opt(season, 10, 20 + rng.between(0, 8) as u32).unwrap_or(self.today);
                given.push(("Antinfluenzale quadrivalente", 1, day));
            }
            given.push(("Antipneumococcico coniugato (PCV20)", 1, self.today - Duration::days(rng.between(400, 900))));
        }
        // Some older people started the shingles course (the second dose is
        // due). Chosen from the fiscal code, so the random draws of every
        // other record stay as they were.
        let code_sum: u32 = self.person.fiscal_code.bytes().map(u32::from).sum();
        if self.age >= 66 && code_sum % 10 < 3 {
            given.push((
                "Anti-Herpes zoster ricombinante (Shingrix)",
                1,
                self.today - Duration::days(70 + i64::from(code_sum % 200)),
            ));
        }
        // Teenagers had the first HPV dose at 12.
        if (13..=16).contains(&self.age) {
            given.push(("Anti-HPV 9-valente (Gardasil 9)", 1, birth + Duration::days(12 * 365 + 40)));
        }
        if given.is_empty() {
            return;
        }
        for (vaccine, dose, day) in &given {
            let lot = format!("{}{:05}", &vaccine[..2].to_uppercase(), rng.below(100_000));
            rows.vaccinations.push(row![
                self.person.fiscal_code.as_str(),
                *vaccine,
                *dose,
                day.to_string(),
                centre,
                lot
            ]);
        }
        let entries: Vec<serde_json::Value> = given
            .iter()
            .map(|(vaccine, dose, day)| json!({ "vaccine": vaccine, "dose": dose, "date": day.to_string() }))
            .collect();
        let last = given.iter().map(|(_, _, day)| *day).max().unwrap_or(self.today);
        self.document(
            rows,
            Header {
                loinc: loinc::VACCINATION_CERTIFICATE,
                title: "Certificato vaccinale",
                facility: centre,
                author: "Anagrafe vaccinale regionale",
                day: last,
                hour: 15,
            },
            json!({ "vaccinations": entries }),
        );
    }

    /// Past screening tests for people in the programmes' ages (docs/DOMAIN.md).
    fn screenings(&self, rng: &mut Rng, rows: &mut Rows) {
        let mut add = |programme: &str, test: &str, years_ago: i64, result: &str| {
            let day = self.today - Duration::days(years_ago * 365 + rng.between(0, 200));
            rows.screenings.push(row![self.person.fiscal_code.as_str(), programme, test, day.to_string(), result]);
        };
        if (52..=69).contains(&self.age) {
            add("colorectal", "fit", 2, "negative");
        }
        if self.person.female && (52..=69).contains(&self.age) {
            add("breast", "mammography", 2, "negative");
        }
        if self.person.female && (28..=64).contains(&self.age) {
            let (test, years) = if self.age >= 33 { ("hpv_dna", 5) } else { ("pap", 3) };
            add("cervical", test, years.min(i64::from(self.age - 25)), "negative");
        }
    }

    fn prescriptions(&self, rng: &mut Rng, rows: &mut Rows, sequence: &mut u64) {
        let person = self.person.fiscal_code.as_str();
        let prescriber = if self.age < 14 { "Pediatra di libera scelta" } else { "Medico di medicina generale" };
        let mut next_nre = || {
            *sequence += 1;
            // region (3) + SAC (2) + lot id (1) + lot (7) + progressive (2)
            format!("{NRE_REGION_CODE}0A4{:07}{:02}", *sequence / 100 + 1, *sequence % 100)
        };
        let specialist_count = if self.age >= 18 { 1 + rng.below(2) } else { rng.below(2) };
        for _ in 0..specialist_count {
            let service = rng.pick(SERVICES);
            let priority = *rng.pick(&["U", "B", "D", "D", "P", "P"]);
            let issued = self.day_back(rng, 0, 20);
            rows.prescriptions.push(row![
                next_nre(),
                person,
                "specialist",
                "red",
                priority,
                service.code,
                prescriber,
                issued.to_string(),
                (issued + Duration::days(SPECIALIST_VALIDITY_DAYS)).to_string()
            ]);
        }
        if self.age >= 18 {
            let nre = self.drug_prescription(rng, rows, "red", prescriber, next_nre());
            rows.lines.push(row![nre.as_str(), "Atorvastatina 20 mg compresse", "1 compressa la sera", 2]);
            if self.age >= 60 {
                rows.lines.push(row![nre.as_str(), "Ramipril 5 mg compresse", "1 compressa al mattino", 1]);
            }
            if rng.chance(50) {
                let nre = self.drug_prescription(rng, rows, "white", prescriber, next_nre());
                rows.lines.push(row![
                    nre.as_str(),
                    "Ibuprofene 400 mg compresse",
                    "1 compressa al bisogno, massimo 3 al giorno",
                    1
                ]);
            }
        }
    }

    /// A drug prescription issued in the last 25 days; returns its NRE.
    fn drug_prescription(&self, rng: &mut Rng, rows: &mut Rows, colour: &str, prescriber: &str, nre: String) -> String {
        let issued = self.day_back(rng, 0, 25);
        rows.prescriptions.push(row![
            nre.as_str(),
            self.person.fiscal_code.as_str(),
            "pharmaceutical",
            colour,
            None::<&str>,
            None::<&str>,
            prescriber,
            issued.to_string(),
            (issued + Duration::days(DRUG_VALIDITY_DAYS)).to_string()
        ]);
        nre
    }

    fn exemptions(&self, rows: &mut Rows) {
        let person = self.person.fiscal_code.as_str();
        if self.person.risk_groups.contains(&"diabetes") {
            rows.exemptions.push(row![person, "013", "2020-01-01", None::<&str>]);
        }
        if self.age >= 65 && self.person.family_name.len().is_multiple_of(2) {
            let year_end = NaiveDate::from_ymd_opt(self.today.year(), 12, 31).map(|d| d.to_string());
            rows.exemptions.push(row![person, "E01", format!("{}-01-01", self.today.year()), year_end]);
        }
    }
}
