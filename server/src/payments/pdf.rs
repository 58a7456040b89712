//! The pagoPA receipt of a paid position as a PDF: the proof of payment.
//! The debtor's copy names the debtor and what the ticket was for; the copy
//! of someone who paid another person's notice names only the payer.

use app::domain::money::euro;
use app::payments::port::Receipt;

use crate::printing::PdfDocument;

pub fn receipt_pdf(receipt: &Receipt) -> Vec<u8> {
    let mut pdf = PdfDocument::new("Ricevuta di pagamento pagoPA");
    pdf.field("Esito", "Pagamento eseguito");
    pdf.field("Importo", &euro(receipt.amount_cents));
    pdf.field("Data e ora del pagamento", &receipt.paid_at_local);
    pdf.field("Causale", &receipt.reason);
    pdf.heading("Ente creditore");
    pdf.field("Ente", &receipt.creditor);
    pdf.field("Codice fiscale ente", &receipt.creditor_fiscal_code);
    pdf.field("Codice avviso", &receipt.notice_code);
    pdf.field("Codice IUV", &receipt.iuv);
    match &receipt.debtor {
        Some((name, fiscal_code)) => {
            pdf.heading("Debitore e versante");
            pdf.field("Debitore", &format!("{name} ({fiscal_code})"));
        }
        None => pdf.heading("Versante"),
    }
    pdf.field("Pagato da", &format!("{} ({})", receipt.payer_name, receipt.payer_fiscal_code));
    pdf.field("Prestatore (PSP)", &receipt.psp);
    pdf.field("Identificativo ricevuta", &receipt.receipt_id);
    pdf.note("Documento generato dal Portale Salute Liguria dalla ricevuta telematica del circuito pagoPA. Conservalo: vale come prova del pagamento e per la detrazione delle spese sanitarie.");
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt() -> Receipt {
        Receipt {
            receipt_id: "RT-1".into(),
            creditor: "ASL3 Genovese".into(),
            creditor_fiscal_code: "03399650104".into(),
            debtor: Some(("Maria Rossi".into(), "RSSMRA80A41D969X".into())),
            payer_name: "Maria Rossi".into(),
            payer_fiscal_code: "RSSMRA80A41D969X".into(),
            reason: "Ticket Visita cardiologica".into(),
            amount_cents: 3615,
            notice_code: "302000000000000142".into(),
            iuv: "02000000000000142".into(),
            psp: "Banca di prova".into(),
            paid_at_local: "23/11/2026 10:15".into(),
        }
    }

    #[test]
    fn the_receipt_names_amount_notice_and_payer() {
        let bytes = receipt_pdf(&receipt());
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        for expected in ["(302000000000000142)", "(RT-1)", "(03399650104)", "(Pagamento eseguito)"] {
            assert!(text.contains(expected), "missing {expected}");
        }
        let amount: String = crate::printing::win_ansi("36,15 €").iter().map(|b| format!("{b:02X}")).collect();
        assert!(text.contains(&amount));
        assert!(text.contains("RSSMRA80A41D969X") && text.contains("Visita cardiologica"));
    }

    #[test]
    fn the_payers_copy_of_someone_elses_receipt_does_not_name_the_debtor() {
        let theirs = Receipt {
            debtor: None,
            payer_name: "Luca Bianchi".into(),
            payer_fiscal_code: "BNCLCU75C12D969Z".into(),
            reason: "Ticket sanitario".into(),
            ..receipt()
        };
        let text = String::from_utf8_lossy(&receipt_pdf(&theirs)).to_string();
        assert!(text.contains("BNCLCU75C12D969Z") && text.contains("(302000000000000142)"));
        for hidden in ["RSSMRA80A41D969X", "Maria", "Rossi", "cardiologica", "Debitore"] {
            assert!(!text.contains(hidden), "{hidden} on the payer's copy");
        }
    }
}
