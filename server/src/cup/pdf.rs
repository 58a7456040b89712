//! The booking reminder as a PDF: what, where, when, what to bring.

use app::cup::model::{BookingCard, WaitingEntry};
use app::cup::texts::IT;
use app::domain::dates::italian_date;
use app::domain::money::euro;

use crate::printing::PdfDocument;

pub fn reminder_pdf(booking: &BookingCard, patient: &str, generated_on: &str) -> Vec<u8> {
    let mut pdf = PdfDocument::new(&format!("Promemoria di prenotazione {}", booking.code));
    pdf.field("Codice prenotazione", &booking.code);
    pdf.field("Assistito/a", patient);
    pdf.field("Prestazione", &booking.service_name);
    pdf.field("Quando", &format!("{} alle {}", italian_date(&booking.day), booking.time));
    pdf.field("Dove", &format!("{}, {}, {}", booking.place.facility, booking.place.address, booking.place.town));
    pdf.field("Azienda sanitaria", &booking.place.asl);
    pdf.field("Telefono", &booking.place.phone);
    pdf.field("Ricetta (NRE)", &booking.nre);
    let ticket = match &booking.exemption {
        Some(code) => format!("{} (esenzione {code})", euro(0)),
        None => euro(booking.ticket_cents),
    };
    pdf.field("Ticket", &ticket);
    if let Some(notice) = &booking.notice_code {
        pdf.field("Codice avviso pagoPA", notice);
    }
    pdf.heading("Cosa portare");
    pdf.paragraph("- la tessera sanitaria e un documento d'identità;");
    pdf.paragraph("- il promemoria della ricetta (o il suo NRE);");
    pdf.paragraph("- referti e esami precedenti che riguardano la prestazione.");
    if !booking.preparation.is_empty() {
        pdf.heading("Preparazione");
        pdf.paragraph(&booking.preparation);
    }
    pdf.heading("Disdetta");
    pdf.paragraph(
        "Se non puoi presentarti, disdici dal Portale Salute o al CUP: il posto torna subito disponibile per chi è in lista d'attesa. \
         Un appuntamento non disdetto almeno due giorni lavorativi prima può comportare il pagamento del ticket anche per chi è esente.",
    );
    pdf.note(&format!("Generato dal Portale Salute Liguria il {}.", italian_date(generated_on)));
    pdf.finish()
}

/// The "presa in carico" receipt of a waiting-list entry.
pub fn waiting_receipt_pdf(entry: &WaitingEntry, patient: &str, generated_on: &str) -> Vec<u8> {
    let mut pdf = PdfDocument::new(&format!("Presa in carico in lista d'attesa {}", entry.reference));
    pdf.field("Riferimento", &entry.reference);
    pdf.field("Assistito/a", patient);
    pdf.field("Prestazione", &entry.service_name);
    pdf.field("Priorità", IT.priority(entry.priority));
    pdf.field("Ricetta (NRE)", &entry.nre);
    pdf.field("Richiesta il", &italian_date(&entry.requested_on));
    pdf.field("Da erogare entro il", &italian_date(&entry.deadline));
    pdf.field("Stato", IT.status(entry.status));
    pdf.heading("Che cosa succede ora");
    pdf.paragraph(
        "Nessuna struttura della regione aveva posti liberi entro i tempi della priorità. La richiesta è presa in carico: \
         appena si libera o si apre un posto entro la scadenza, ti viene offerto nel Portale Salute (Prenotazioni) \
         e hai un tempo limitato per accettarlo; poi passa alla persona successiva.",
    );
    pdf.note(&format!("Generato dal Portale Salute Liguria il {}.", italian_date(generated_on)));
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::cup::model::Place;
    use app::domain::cup::Priority;

    #[test]
    fn the_reminder_names_the_booking_place_and_ticket() {
        let booking = BookingCard {
            code: "PR-1A2B3C4D".into(),
            nre: "0700A4000000101".into(),
            service_name: "Visita cardiologica".into(),
            priority: Priority::D,
            place: Place {
                facility_id: 1,
                facility: "Ospedale San Martino".into(),
                address: "Largo Rosanna Benzi 10".into(),
                town: "Genova".into(),
                asl: "ASL3 Genovese".into(),
                phone: "010 5551".into(),
            },
            day: "2026-12-03".into(),
            time: "08:30".into(),
            starts_at: "2026-12-03T08:30:00+01:00".into(),
            ticket_cents: 2950,
            exemption: None,
            preparation: "Portare gli esami precedenti.".into(),
            changeable: true,
            notice_code: Some("302202600000000145".into()),
            ticket_paid: false,
        };
        let bytes = reminder_pdf(&booking, "Giulia Rossi", "2026-11-23");
        let text = String::from_utf8_lossy(&bytes);
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(text.contains("(PR-1A2B3C4D)") && text.contains("(03/12/2026 alle 08:30)"));
        let hex: String = crate::printing::win_ansi("29,50 €").iter().map(|b| format!("{b:02X}")).collect();
        assert!(text.contains(&hex));
    }
}
