//! The vaccination certificate: every dose in the registry, as a PDF.

use app::domain::dates::italian_date;
use app::identity::model::Principal;
use app::vaccinations::model::VaccinationsPage;

use crate::printing::PdfDocument;

pub fn certificate_pdf(page: &VaccinationsPage, principal: &Principal, generated_on: &str) -> Vec<u8> {
    let mut pdf = PdfDocument::new("Certificato vaccinale");
    pdf.field("Assistito/a", &page.subject_name);
    pdf.field("Codice fiscale", &principal.subject.fiscal_code);
    pdf.paragraph(
        "Si certifica che all'anagrafe vaccinale della Regione Liguria risultano registrate le vaccinazioni seguenti.",
    );
    pdf.heading("Vaccinazioni");
    if page.records.is_empty() {
        pdf.paragraph("Nessuna vaccinazione registrata.");
    } else {
        let columns = [0.42, 0.08, 0.14, 0.24, 0.12];
        pdf.row(&columns, &["Vaccino", "Dose", "Data", "Luogo", "Lotto"], true);
        for record in &page.records {
            let day = italian_date(&record.day);
            let dose = record.dose.to_string();
            pdf.row(&columns, &[&record.vaccine, &dose, &day, &record.place, &record.lot], false);
        }
    }
    pdf.note(&format!(
        "Generato dal Portale Salute Liguria il {} dai dati dell'anagrafe vaccinale regionale.",
        italian_date(generated_on)
    ));
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::identity::model::{Person, Relation, Role};
    use app::vaccinations::model::VaccinationRecord;

    #[test]
    fn the_certificate_is_a_pdf_listing_every_dose() {
        let person =
            Person { fiscal_code: "RSSMRA80A01D969X".into(), given_name: "Mario".into(), family_name: "Rossi".into() };
        let principal = Principal {
            actor: person.clone(),
            role: Role::Citizen,
            pharmacy_id: None,
            subject: person,
            relation: Relation::Own,
            ip: "127.0.0.1".into(),
            request_id: "r".into(),
        };
        let page = VaccinationsPage {
            subject_name: "Mario Rossi".into(),
            age_years: 46,
            at_risk: false,
            records: vec![VaccinationRecord {
                vaccine: "Antinfluenzale quadrivalente".into(),
                dose: 1,
                day: "2025-10-20".into(),
                place: "Centro vaccinale ASL3, Genova".into(),
                lot: "AN12345".into(),
            }],
            campaigns: vec![],
        };
        let bytes = certificate_pdf(&page, &principal, "2026-11-23");
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("AN12345") && text.contains("20/10/2025"), "the dose is listed");
    }
}
