//! From the stored JSON of a document to its structured body. The sender's
//! own out-of-range flags are ignored: the page computes them from the value
//! and the range (`app::fse::model::LabResult::flag`).

use app::domain::triage::Triage;
use app::fse::model::{DocumentBody, DocumentKind, LabResult, Section, SectionHeading, VaccinationEntry, VitalSigns};
use serde_json::Value;

/// Which stored field fills which section, in reading order.
const NARRATIVE_FIELDS: [(&str, SectionHeading); 13] = [
    ("visit", SectionHeading::Visit),
    ("exam", SectionHeading::Exam),
    ("reason", SectionHeading::Reason),
    ("complaint", SectionHeading::Complaint),
    ("history", SectionHeading::History),
    ("assessment", SectionHeading::Assessment),
    ("findings", SectionHeading::Findings),
    ("course", SectionHeading::Course),
    ("diagnosis", SectionHeading::Diagnosis),
    ("conclusion", SectionHeading::Conclusion),
    ("therapy", SectionHeading::Therapy),
    ("outcome", SectionHeading::Outcome),
    ("follow_up", SectionHeading::FollowUp),
];

fn text(value: &Value, key: &str) -> String {
    value.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}

fn number(value: &Value, key: &str) -> f64 {
    value.get(key).and_then(Value::as_f64).unwrap_or_default()
}

fn integer(value: &Value, key: &str) -> i64 {
    value.get(key).and_then(Value::as_i64).unwrap_or_default()
}

fn strings(value: &Value, key: &str) -> Vec<String> {
    match value.get(key) {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        Some(Value::String(text)) if !text.is_empty() => vec![text.clone()],
        _ => vec![],
    }
}

fn sections(value: &Value) -> Vec<Section> {
    NARRATIVE_FIELDS
        .iter()
        .filter_map(|(key, heading)| {
            let lines = strings(value, key);
            (!lines.is_empty()).then_some(Section { heading: *heading, lines })
        })
        .collect()
}

pub fn lab_results(value: &Value) -> Vec<LabResult> {
    value
        .get("results")
        .and_then(Value::as_array)
        .map(|results| {
            results
                .iter()
                .map(|result| LabResult {
                    test: text(result, "test"),
                    loinc: text(result, "loinc"),
                    value: number(result, "value"),
                    unit: text(result, "unit"),
                    low: number(result, "low"),
                    high: number(result, "high"),
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn vital_signs(value: &Value) -> Option<VitalSigns> {
    let signs = value.get("vital_signs")?;
    Some(VitalSigns {
        measured_on: text(signs, "measured_on"),
        systolic: integer(signs, "systolic"),
        diastolic: integer(signs, "diastolic"),
        weight_kg: integer(signs, "weight_kg"),
        height_cm: integer(signs, "height_cm"),
    })
}

pub fn parse(kind: DocumentKind, value: &Value) -> DocumentBody {
    match kind {
        DocumentKind::Lab => DocumentBody::Lab { results: lab_results(value) },
        DocumentKind::Radiology | DocumentKind::Specialist | DocumentKind::Discharge => {
            let mut sections = sections(value);
            // The stay's dates open a discharge letter.
            let (admitted, discharged) = (text(value, "admitted_on"), text(value, "discharged_on"));
            if !admitted.is_empty() {
                if let Some(reason) = sections.iter_mut().find(|s| s.heading == SectionHeading::Reason) {
                    reason.lines.push(format!(
                        "Ricovero dal {} al {}.",
                        app::domain::dates::italian_date(&admitted),
                        app::domain::dates::italian_date(&discharged)
                    ));
                }
            }
            DocumentBody::Narrative { sections }
        }
        DocumentKind::EmergencyRoom => DocumentBody::EmergencyRoom {
            triage: Triage::from_code(integer(value, "triage_code")),
            sections: sections(value),
        },
        DocumentKind::VaccinationCertificate => DocumentBody::Vaccinations {
            entries: value
                .get("vaccinations")
                .and_then(Value::as_array)
                .map(|entries| {
                    entries
                        .iter()
                        .map(|entry| VaccinationEntry {
                            vaccine: text(entry, "vaccine"),
                            dose: integer(entry, "dose"),
                            date: text(entry, "date"),
                            place: None,
                            lot: None,
                        })
                        .collect()
                })
                .unwrap_or_default(),
        },
        DocumentKind::PatientSummary => DocumentBody::Summary {
            allergies: strings(value, "allergies"),
            conditions: strings(value, "conditions"),
            therapies: strings(value, "therapies"),
            vital_signs: vital_signs(value),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_er_report_keeps_its_triage_and_sections_in_reading_order() {
        let body = parse(
            DocumentKind::EmergencyRoom,
            &json!({"triage_code": 3, "diagnosis": "D", "complaint": "C", "outcome": "O", "unknown": "x"}),
        );
        let DocumentBody::EmergencyRoom { triage, sections } = body else { panic!("not an ER report") };
        assert_eq!(triage, Some(Triage::LightBlue));
        let headings: Vec<SectionHeading> = sections.iter().map(|s| s.heading).collect();
        assert_eq!(headings, [SectionHeading::Complaint, SectionHeading::Diagnosis, SectionHeading::Outcome]);
    }

    #[test]
    fn a_discharge_letter_lists_its_therapy_and_states_the_stay() {
        let body = parse(
            DocumentKind::Discharge,
            &json!({"admitted_on": "2025-02-01", "discharged_on": "2025-02-07", "reason": "R", "therapy": ["A", "B"]}),
        );
        let DocumentBody::Narrative { sections } = body else { panic!("not narrative") };
        assert_eq!(sections[0].lines, ["R", "Ricovero dal 01/02/2025 al 07/02/2025."]);
        assert_eq!(sections[1].heading, SectionHeading::Therapy);
        assert_eq!(sections[1].lines, ["A", "B"]);
    }

    #[test]
    fn lab_flags_are_not_taken_from_the_sender() {
        let results = lab_results(&json!({"results": [
            {"test": "Glucosio", "loinc": "2345-7", "value": 130.0, "unit": "mg/dL", "low": 70.0, "high": 100.0, "flag": "N"}
        ]}));
        assert_eq!(results[0].flag(), app::fse::model::RangeFlag::High);
    }

    #[test]
    fn missing_fields_give_empty_content_not_errors() {
        assert_eq!(parse(DocumentKind::Lab, &json!({})), DocumentBody::Lab { results: vec![] });
        assert_eq!(
            parse(DocumentKind::EmergencyRoom, &json!({"triage_code": 9})),
            DocumentBody::EmergencyRoom { triage: None, sections: vec![] }
        );
    }
}
