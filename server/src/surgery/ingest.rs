//! `POST /ingest/v1/surgery/events`: a hospital system reports that an
//! operation reached a phase. Checked field by field (422 names every
//! problem); idempotent by (client, `event_id`).

use app::domain::fiscal_code::FiscalCode;
use app::surgery::model::{Phase, MAX_AUTHORISED};
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::ingest::body::{capped, clean_text, json_object, problem, text_field, time_field, Problem};

/// Events older than this are refused (an operation's whole stay).
pub const MAX_AGE: Duration = Duration::days(7);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhaseEvent {
    pub event_id: String,
    /// The facility code of the hospital (`HUB-SANMARTINO`).
    pub hospital: String,
    /// The hospital's own case id (opaque: never a name or a diagnosis).
    pub case_id: String,
    pub phase: Phase,
    pub at: DateTime<Utc>,
    /// The patient's fiscal code: needed on the first event of a case.
    pub patient: Option<String>,
    /// People the patient named on admission, by fiscal code.
    pub authorised: Vec<String>,
}

const FIELDS: [&str; 7] = ["event_id", "hospital", "case_id", "phase", "at", "patient", "authorised"];

fn fiscal_code(value: &Value, field: &str, problems: &mut Vec<Problem>) -> Option<String> {
    // The free-text rules first: the code parser drops spaces, and an
    // invisible character must be refused, not dropped.
    if let Some(text) = value.as_str() {
        if !clean_text(text, field, problems) {
            return None;
        }
    }
    match value.as_str().map(FiscalCode::parse) {
        Some(Ok(code)) => Some(code.as_str().to_string()),
        Some(Err(_)) => {
            problems.push(problem(field, "codice fiscale non valido (16 caratteri con il carattere di controllo)"));
            None
        }
        None => {
            problems.push(problem(field, "deve essere un codice fiscale (testo)"));
            None
        }
    }
}

/// Reads and checks an event; `now` bounds its time.
pub fn parse_event(body: &[u8], now: DateTime<Utc>) -> Result<PhaseEvent, Vec<Problem>> {
    let object = json_object(body)?;
    let object = &object;
    let mut problems = Vec::new();
    let event_id = text_field(object, "event_id", 100, &mut problems);
    let hospital = text_field(object, "hospital", 40, &mut problems);
    let case_id = text_field(object, "case_id", 64, &mut problems).filter(|id| {
        let fine = id.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
        if !fine {
            problems.push(problem("case_id", "solo lettere, cifre e - _ . / (un codice, mai dati del paziente)"));
        }
        fine
    });
    let phase = text_field(object, "phase", 40, &mut problems).and_then(|code| {
        let phase = Phase::from_code(&code);
        if phase.is_none() {
            let known = Phase::ALL.map(Phase::code).join(", ");
            problems.push(problem("phase", &format!("fase sconosciuta: usa una di {known}")));
        }
        phase
    });
    let at = time_field(object, "at", now, MAX_AGE, &mut problems);
    let patient = match object.get("patient") {
        None | Some(Value::Null) => None,
        Some(value) => fiscal_code(value, "patient", &mut problems),
    };
    let mut authorised = Vec::new();
    match object.get("authorised") {
        None | Some(Value::Null) => {}
        Some(Value::Array(people)) if people.len() <= MAX_AUTHORISED => {
            for (i, person) in people.iter().enumerate() {
                if let Some(code) = fiscal_code(person, &format!("authorised[{i}]"), &mut problems) {
                    if !authorised.contains(&code) {
                        authorised.push(code);
                    }
                }
            }
        }
        Some(Value::Array(_)) => {
            problems.push(problem("authorised", &format!("al massimo {MAX_AUTHORISED} persone per intervento")))
        }
        Some(_) => problems.push(problem("authorised", "deve essere un elenco di codici fiscali")),
    }
    if !authorised.is_empty() && patient.is_none() {
        problems.push(problem("patient", "obbligatorio quando si indicano persone autorizzate"));
    }
    for name in object.keys() {
        if !FIELDS.contains(&name.as_str()) {
            problems.push(problem(name, "campo sconosciuto"));
        }
    }
    match (event_id, hospital, case_id, phase, at) {
        (Some(event_id), Some(hospital), Some(case_id), Some(phase), Some(at)) if problems.is_empty() => {
            Ok(PhaseEvent { event_id, hospital, case_id, phase, at, patient, authorised })
        }
        _ => Err(capped(problems)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATIENT: &str = "RSSMRA80A01D969Z";

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z").expect("time").with_timezone(&Utc)
    }

    fn fields(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn a_complete_event_is_read() {
        let body = serde_json::json!({
            "event_id": "e1", "hospital": "HUB-SANMARTINO", "case_id": "SM-2026/0001", "phase": "in_theatre",
            "at": "2026-11-23T11:30:00Z", "patient": PATIENT.to_lowercase(), "authorised": [PATIENT, PATIENT]
        });
        let event = parse_event(body.to_string().as_bytes(), now()).expect("valid");
        assert_eq!(event.phase, Phase::InTheatre);
        assert_eq!(event.patient.as_deref(), Some(PATIENT));
        assert_eq!(event.authorised, vec![PATIENT.to_string()], "upper-cased, once");
    }

    #[test]
    fn every_bad_field_is_named() {
        let body = serde_json::json!({
            "event_id": "", "hospital": 3, "case_id": "Mario Rossi", "phase": "operating",
            "at": "2026-11-23T13:00:00Z", "patient": "RSSMRA80A01D969A", "authorised": "tutti", "note": "x"
        });
        let problems = parse_event(body.to_string().as_bytes(), now()).expect_err("invalid");
        assert_eq!(
            fields(&problems),
            vec!["event_id", "hospital", "case_id", "phase", "at", "patient", "authorised", "note"]
        );
    }

    #[test]
    fn old_events_and_people_without_a_patient_are_refused() {
        let body = serde_json::json!({
            "event_id": "e1", "hospital": "H", "case_id": "C1", "phase": "admitted",
            "at": "2026-11-15T11:30:00Z", "authorised": [PATIENT]
        });
        let problems = parse_event(body.to_string().as_bytes(), now()).expect_err("invalid");
        assert_eq!(fields(&problems), vec!["at", "patient"]);
        assert!(parse_event(b"[1]", now()).is_err() && parse_event(b"{", now()).is_err());
    }

    #[test]
    fn invisible_characters_in_a_fiscal_code_are_refused_not_dropped() {
        for (patient, message) in
            [("RSSMRA80A01D969Z\u{2028}", "una sola riga"), ("RSSMRA80A01\u{200B}D969Z", "invisibile")]
        {
            let body = serde_json::json!({
                "event_id": "e1", "hospital": "H", "case_id": "C1", "phase": "admitted",
                "at": "2026-11-23T11:30:00Z", "patient": patient, "authorised": [patient]
            });
            let problems = parse_event(body.to_string().as_bytes(), now()).expect_err("invalid");
            assert_eq!(fields(&problems), vec!["patient", "authorised[0]"]);
            assert!(problems[0].message.contains(message), "{}", problems[0].message);
        }
    }

    #[test]
    fn a_repeated_key_is_refused() {
        let body = br#"{"event_id": "e1", "hospital": "HUB-GASLINI", "case_id": "C1", "phase": "admitted",
                        "at": "2026-11-23T11:30:00Z", "hospital": "HUB-SANMARTINO"}"#;
        assert_eq!(fields(&parse_event(body, now()).expect_err("repeated")), vec!["hospital"]);
    }
}
