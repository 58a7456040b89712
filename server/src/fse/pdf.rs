//! A document of the record as a PDF, laid out like its page.

use app::domain::dates::italian_date;
use app::fse::model::{decimal_it, range_text, Document, DocumentBody, RangeFlag, Section};
use app::fse::texts::IT;

use crate::printing::PdfDocument;

fn sections(pdf: &mut PdfDocument, sections: &[Section]) {
    for section in sections {
        pdf.heading(IT.heading(section.heading));
        if section.lines.len() > 1 {
            for line in &section.lines {
                pdf.paragraph(&format!("- {line}"));
            }
        } else {
            pdf.paragraph(&section.lines.join(" "));
        }
    }
}

fn list(pdf: &mut PdfDocument, heading: &str, items: &[String]) {
    pdf.heading(heading);
    if items.is_empty() {
        pdf.paragraph(IT.none_recorded);
    }
    for item in items {
        pdf.paragraph(&format!("- {item}"));
    }
}

/// The document in Italian, the language of the regional record.
pub fn document_pdf(document: &Document, generated_on: &str) -> Vec<u8> {
    let t = &IT;
    let summary = &document.summary;
    let mut pdf = PdfDocument::new(&summary.title);
    pdf.field(
        t.patient,
        &format!("{} — codice fiscale {}", document.patient.full_name(), document.patient.fiscal_code),
    );
    pdf.field(t.kind_label, t.kind(summary.kind));
    pdf.field(t.issued_on, &italian_date(&summary.issued_on));
    pdf.field(t.facility, &summary.facility);
    pdf.field(t.author, &summary.author);
    match &document.body {
        DocumentBody::Lab { results } => {
            pdf.heading(t.result);
            let columns = [0.36, 0.13, 0.15, 0.18, 0.18];
            pdf.row(&columns, &[t.test, t.result, t.unit, "Riferimento", t.outcome], true);
            for result in results {
                let flag = result.flag();
                let value = decimal_it(result.value);
                let value = if flag == RangeFlag::Normal { value } else { format!("{value} *") };
                pdf.row(
                    &columns,
                    &[&result.test, &value, &result.unit, &range_text(result.low, result.high), t.flag(flag)],
                    false,
                );
            }
            pdf.note("* valore fuori dall'intervallo di riferimento.");
        }
        DocumentBody::Narrative { sections: parts } => sections(&mut pdf, parts),
        DocumentBody::EmergencyRoom { triage, sections: parts } => {
            if let Some(triage) = triage {
                pdf.field(t.triage_label, t.triage(*triage));
            }
            sections(&mut pdf, parts);
        }
        DocumentBody::Vaccinations { entries } => {
            pdf.heading(t.vaccinations);
            let columns = [0.62, 0.12, 0.26];
            pdf.row(&columns, &[t.vaccine, t.dose, t.date], true);
            for entry in entries {
                pdf.row(&columns, &[&entry.vaccine, &entry.dose.to_string(), &italian_date(&entry.date)], false);
            }
        }
        DocumentBody::Summary { allergies, conditions, therapies, vital_signs } => {
            list(&mut pdf, t.allergies, allergies);
            list(&mut pdf, t.conditions, conditions);
            list(&mut pdf, t.therapies, therapies);
            if let Some(signs) = vital_signs {
                pdf.heading(t.vital_signs);
                pdf.field(t.blood_pressure, &format!("{}/{} mmHg", signs.systolic, signs.diastolic));
                pdf.field(t.weight, &format!("{} kg", signs.weight_kg));
                pdf.field(t.height, &format!("{} cm", signs.height_cm));
                pdf.field(t.measured_on, &italian_date(&signs.measured_on));
            }
        }
    }
    pdf.heading("");
    pdf.note(&format!(
        "Copia del documento n. {} del Fascicolo Sanitario Elettronico, generata dal Portale Salute Liguria il {}.",
        summary.id,
        italian_date(generated_on)
    ));
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::triage::Triage;
    use app::fse::model::{DocumentKind, DocumentSummary, LabResult, SectionHeading};
    use app::identity::model::Person;

    fn document(kind: DocumentKind, body: DocumentBody) -> Document {
        Document {
            summary: DocumentSummary {
                id: 9,
                kind,
                title: "Referto".into(),
                facility: "Ospedale Galliera".into(),
                author: "Laboratorio analisi".into(),
                issued_on: "2026-03-02".into(),
                issued_at: "2026-03-02T11:30:00+01:00".into(),
                new: false,
                obscured: false,
            },
            patient: Person {
                fiscal_code: "RSSGLI18A41D969X".into(),
                given_name: "Giulia".into(),
                family_name: "Rossi".into(),
            },
            body,
            can_change: true,
        }
    }

    fn hex(value: &str) -> String {
        crate::printing::win_ansi(value).iter().map(|b| format!("{b:02X}")).collect()
    }

    #[test]
    fn a_lab_report_prints_values_italian_style_and_marks_the_out_of_range_ones() {
        let results = vec![LabResult {
            test: "Creatinina".into(),
            loinc: "2160-0".into(),
            value: 1.35,
            unit: "mg/dL".into(),
            low: 0.6,
            high: 1.2,
        }];
        let bytes = document_pdf(&document(DocumentKind::Lab, DocumentBody::Lab { results }), "2026-11-23");
        let text = String::from_utf8_lossy(&bytes);
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(text.contains("(Creatinina)"));
        assert!(text.contains("(1,35 *)"));
        assert!(text.contains(&hex("0,6–1,2")));
        assert!(text.contains("(Sopra la norma)"));
    }

    #[test]
    fn an_er_report_prints_its_triage_colour_in_words() {
        let body = DocumentBody::EmergencyRoom {
            triage: Some(Triage::Green),
            sections: vec![Section { heading: SectionHeading::Diagnosis, lines: vec!["Distorsione".into()] }],
        };
        let bytes = document_pdf(&document(DocumentKind::EmergencyRoom, body), "2026-11-23");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains(&hex("Verde (4) — urgenza minore")));
        assert!(text.contains("(Diagnosi)") && text.contains("(Distorsione)"));
    }
}
