//! The whole record as a FHIR R4 `Bundle` of type `collection`: the
//! patient, one `DocumentReference` per document, an `Observation` per lab
//! value, an `Immunization` per registry entry, and the patient summary's
//! allergies, conditions and therapies. Data portability the national
//! portals don't offer yet.

use app::fse::model::{DocumentBody, DocumentSummary, NotebookEntry, RangeFlag, VaccinationEntry};
use app::identity::model::Person;
use serde_json::{json, Value};

/// The Italian fiscal code's OID (docs/DOMAIN.md), as a FHIR identifier system.
pub const FISCAL_CODE_SYSTEM: &str = "urn:oid:2.16.840.1.113883.2.9.4.3.2";
const LOINC: &str = "http://loinc.org";
const INTERPRETATION: &str = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

pub struct RecordExport {
    pub patient: Person,
    pub birth_date: String,
    pub female: bool,
    pub documents: Vec<(DocumentSummary, DocumentBody)>,
    pub vaccinations: Vec<VaccinationEntry>,
    pub notebook: Vec<NotebookEntry>,
    /// RFC 3339 instant of the export.
    pub generated_at: String,
}

fn entry(full_url: String, resource: Value) -> Value {
    json!({ "fullUrl": full_url, "resource": resource })
}

fn urn() -> String {
    format!("urn:uuid:{}", uuid::Uuid::new_v4())
}

pub fn bundle(export: &RecordExport) -> Value {
    let patient_url = urn();
    let subject = json!({ "reference": patient_url });
    let mut entries = vec![entry(
        patient_url.clone(),
        json!({
            "resourceType": "Patient",
            "identifier": [{ "system": FISCAL_CODE_SYSTEM, "value": export.patient.fiscal_code }],
            "name": [{ "family": export.patient.family_name, "given": [export.patient.given_name] }],
            "gender": if export.female { "female" } else { "male" },
            "birthDate": export.birth_date,
        }),
    )];
    let mut latest_summary: Option<&DocumentBody> = None;
    for (summary, body) in &export.documents {
        let document_url = urn();
        entries.push(entry(
            document_url.clone(),
            json!({
                "resourceType": "DocumentReference",
                "status": "current",
                "identifier": [{ "system": "urn:portale-salute-liguria:fse-document", "value": summary.id.to_string() }],
                "type": { "coding": [{ "system": LOINC, "code": summary.kind.loinc() }], "text": summary.title },
                "subject": subject,
                "date": summary.issued_at,
                "author": [{ "display": summary.author }],
                "custodian": { "display": summary.facility },
                "description": summary.title,
                "content": [{ "attachment": {
                    "contentType": "application/pdf",
                    "url": format!("/fascicolo/documenti/{}/documento.pdf", summary.id),
                    "title": summary.title,
                } }],
            }),
        ));
        match body {
            DocumentBody::Lab { results } => {
                for result in results {
                    let code = match result.flag() {
                        RangeFlag::Low => "L",
                        RangeFlag::Normal => "N",
                        RangeFlag::High => "H",
                    };
                    entries.push(entry(
                        urn(),
                        json!({
                            "resourceType": "Observation",
                            "status": "final",
                            "category": [{ "coding": [{
                                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                "code": "laboratory",
                            }] }],
                            "code": { "coding": [{ "system": LOINC, "code": result.loinc }], "text": result.test },
                            "subject": subject,
                            "effectiveDateTime": summary.issued_at,
                            "valueQuantity": { "value": result.value, "unit": result.unit },
                            "referenceRange": [{
                                "low": { "value": result.low, "unit": result.unit },
                                "high": { "value": result.high, "unit": result.unit },
                            }],
                            "interpretation": [{ "coding": [{ "system": INTERPRETATION, "code": code }] }],
                            "derivedFrom": [{ "reference": document_url }],
                        }),
                    ));
                }
            }
            DocumentBody::Summary { .. } => {
                // Documents come newest first: the first summary is the current one.
                latest_summary.get_or_insert(body);
            }
            _ => {}
        }
    }
    if let Some(DocumentBody::Summary { allergies, conditions, therapies, .. }) = latest_summary {
        for allergy in allergies {
            entries.push(entry(
                urn(),
                json!({ "resourceType": "AllergyIntolerance", "patient": subject, "code": { "text": allergy } }),
            ));
        }
        for condition in conditions {
            entries.push(entry(
                urn(),
                json!({ "resourceType": "Condition", "subject": subject, "code": { "text": condition } }),
            ));
        }
        for therapy in therapies {
            entries.push(entry(
                urn(),
                json!({ "resourceType": "MedicationStatement", "status": "active", "subject": subject, "medicationCodeableConcept": { "text": therapy } }),
            ));
        }
    }
    for vaccination in &export.vaccinations {
        let mut immunization = json!({
            "resourceType": "Immunization",
            "status": "completed",
            "vaccineCode": { "text": vaccination.vaccine },
            "patient": subject,
            "occurrenceDateTime": vaccination.date,
            "protocolApplied": [{ "doseNumberPositiveInt": vaccination.dose }],
        });
        if let Some(lot) = &vaccination.lot {
            immunization["lotNumber"] = json!(lot);
        }
        if let Some(place) = &vaccination.place {
            immunization["location"] = json!({ "display": place });
        }
        entries.push(entry(urn(), immunization));
    }
    for note in &export.notebook {
        entries.push(entry(
            urn(),
            json!({
                "resourceType": "DocumentReference",
                "status": "current",
                "category": [{ "text": "Taccuino personale (caricato dal cittadino)" }],
                "subject": subject,
                "date": format!("{}T00:00:00Z", note.uploaded_on),
                "description": note.title,
                "content": [{ "attachment": {
                    "contentType": note.media_type,
                    "url": format!("/fascicolo/taccuino/{}/file", note.id),
                    "title": note.file_name,
                    "size": note.size_bytes,
                } }],
            }),
        ));
    }
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": export.generated_at,
        "total": entries.len(),
        "entry": entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::fse::model::{DocumentKind, LabResult};

    #[test]
    fn the_bundle_holds_the_patient_documents_and_observations() {
        let summary = DocumentSummary {
            id: 3,
            kind: DocumentKind::Lab,
            title: "Referto di laboratorio analisi".into(),
            facility: "Ospedale San Martino".into(),
            author: "Laboratorio".into(),
            issued_on: "2026-01-10".into(),
            issued_at: "2026-01-10T11:30:00+01:00".into(),
            new: false,
            obscured: false,
        };
        let results = vec![LabResult {
            test: "Glucosio".into(),
            loinc: "2345-7".into(),
            value: 130.0,
            unit: "mg/dL".into(),
            low: 70.0,
            high: 100.0,
        }];
        let export = RecordExport {
            patient: Person {
                fiscal_code: "RSSGLI18A41D969X".into(),
                given_name: "Giulia".into(),
                family_name: "Rossi".into(),
            },
            birth_date: "2018-01-01".into(),
            female: true,
            documents: vec![(summary, DocumentBody::Lab { results })],
            vaccinations: vec![],
            notebook: vec![],
            generated_at: "2026-11-23T08:00:00Z".into(),
        };
        let bundle = bundle(&export);
        assert_eq!(bundle["resourceType"], "Bundle");
        let entries = bundle["entry"].as_array().expect("entries");
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0]["resource"]["identifier"][0]["value"], "RSSGLI18A41D969X");
        assert_eq!(entries[1]["resource"]["type"]["coding"][0]["code"], "11502-2");
        let observation = &entries[2]["resource"];
        assert_eq!(observation["interpretation"][0]["coding"][0]["code"], "H");
        assert_eq!(observation["derivedFrom"][0]["reference"], entries[1]["fullUrl"]);
        assert_eq!(observation["subject"]["reference"], entries[0]["fullUrl"]);
    }
}
