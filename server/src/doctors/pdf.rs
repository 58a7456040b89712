//! The confirmation of a doctor choice as a one-page PDF (pdf-writer, the
//! standard Helvetica fonts with WinAnsi encoding, so no font is embedded).

use app::doctors::model::ChoiceConfirmation;
use app::domain::dates::italian_date;
use app::domain::family_doctor::DoctorKind;
use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str};

use crate::printing::win_ansi;

const A4: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 56.0;

/// The document, in Italian (the language of the regional record).
pub fn confirmation_pdf(confirmation: &ChoiceConfirmation, generated_on: &str) -> Vec<u8> {
    let kind = match confirmation.doctor.kind {
        DoctorKind::Mmg => "Medico di medicina generale (MMG)",
        DoctorKind::Pls => "Pediatra di libera scelta (PLS)",
    };
    let person = &confirmation.person;
    let mut rows: Vec<(&str, String)> = vec![
        ("Assistito/a", format!("{} — codice fiscale {}", person.full_name(), person.fiscal_code)),
        ("Medico scelto", confirmation.doctor.name.clone()),
        ("Tipo", kind.to_string()),
        ("Studio", format!("{}, {}", confirmation.doctor.address, confirmation.doctor.town)),
        ("Orari", confirmation.doctor.hours.clone()),
        ("Telefono", confirmation.doctor.phone.clone()),
        ("Ambito territoriale", confirmation.care_area.clone()),
        ("Azienda sanitaria", confirmation.asl.clone()),
        ("Valida dal", italian_date(&confirmation.since)),
        ("Numero della scelta", confirmation.choice_id.to_string()),
    ];
    if let Some(chooser) = &confirmation.chosen_by {
        rows.push(("Registrata da", format!("{} — codice fiscale {}", chooser.full_name(), chooser.fiscal_code)));
    }

    let mut content = Content::new();
    let mut y = A4.1 - MARGIN;
    let line = |content: &mut Content, font: &[u8], size: f32, x: f32, text: &str, y: f32| {
        content.begin_text();
        content.set_font(Name(font), size);
        content.next_line(x, y);
        content.show(Str(&win_ansi(text)));
        content.end_text();
    };
    line(&mut content, b"F2", 11.0, MARGIN, "Regione Liguria — Servizio Sanitario Regionale", y);
    y -= 30.0;
    line(&mut content, b"F2", 18.0, MARGIN, "Conferma di scelta del medico", y);
    y -= 34.0;
    for (label, value) in &rows {
        line(&mut content, b"F2", 11.0, MARGIN, label, y);
        line(&mut content, b"F1", 11.0, MARGIN + 140.0, value, y);
        y -= 20.0;
    }
    y -= 14.0;
    for text in [
        "La scelta precedente è revocata dalla stessa data.",
        "Il medico può essere cambiato in qualsiasi momento dal Portale Salute o agli sportelli della ASL.",
        &format!("Documento generato dal Portale Salute Liguria il {}.", italian_date(generated_on)),
    ] {
        line(&mut content, b"F1", 10.0, MARGIN, text, y);
        y -= 16.0;
    }

    let (catalog, pages, page, regular, bold, stream, info) =
        (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5), Ref::new(6), Ref::new(7));
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    let mut page_writer = pdf.page(page);
    page_writer.parent(pages).media_box(Rect::new(0.0, 0.0, A4.0, A4.1)).contents(stream);
    page_writer.resources().fonts().pair(Name(b"F1"), regular).pair(Name(b"F2"), bold);
    drop(page_writer);
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.stream(stream, &content.finish());
    pdf.document_info(info).title(pdf_writer::TextStr("Conferma di scelta del medico"));
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::doctors::model::DoctorCard;
    use app::domain::family_doctor::Availability;
    use app::identity::model::Person;

    fn confirmation() -> ChoiceConfirmation {
        ChoiceConfirmation {
            choice_id: 42,
            person: Person {
                fiscal_code: "RSSGLI18A41D969X".into(),
                given_name: "Giulia".into(),
                family_name: "Rossi".into(),
            },
            doctor: DoctorCard {
                id: 7,
                kind: DoctorKind::Pls,
                name: "Elena Pedemonte".into(),
                address: "Via XX Settembre 3".into(),
                town: "Genova".into(),
                phone: "010 123456".into(),
                hours: "Lun-Ven 9:00-12:00".into(),
                languages: vec!["it".into()],
                availability: Availability::Available,
                distance_tenths_km: 12,
            },
            care_area: "Genova Centro".into(),
            asl: "ASL3 Genovese".into(),
            since: "2026-11-23".into(),
            chosen_by: None,
        }
    }

    #[test]
    fn the_confirmation_is_a_pdf_with_its_text() {
        let bytes = confirmation_pdf(&confirmation(), "2026-11-23");
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.ends_with(b"%%EOF") || bytes.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&bytes);
        // Plain ASCII strings are written literally, others as hex.
        let hex = |value: &str| win_ansi(value).iter().map(|b| format!("{b:02X}")).collect::<String>();
        assert!(text.contains("(Elena Pedemonte)"));
        assert!(text.contains("(23/11/2026)"));
        assert!(text.contains(&hex("Giulia Rossi — codice fiscale RSSGLI18A41D969X")));
    }
}
