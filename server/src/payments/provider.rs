//! The payment provider port (pagoPA checkout, or the sandbox) and the
//! signed outcome message both speak: the provider sends it to the portal's
//! callback, signed with HMAC-SHA256 over the raw body, and answers the
//! same message when asked about a checkout (reconciliation, browser return).

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The header carrying `sha256=<hex HMAC of the body>`.
pub const SIGNATURE_HEADER: &str = "x-pagopa-signature";

/// One notice in a checkout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeToPay {
    pub notice_code: String,
    pub creditor_fiscal_code: String,
    pub amount_cents: i64,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutRequest {
    pub checkout_id: String,
    pub payer_fiscal_code: String,
    pub notices: Vec<NoticeToPay>,
    /// Where the provider sends the browser back.
    pub return_url: String,
    /// Where the provider posts the signed outcome.
    pub callback_url: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeKind {
    /// Not finished yet (the payer is still at checkout, or the outcome is late).
    Pending,
    Paid,
    Failed,
    Cancelled,
    /// The checkout lapsed without a payment.
    Expired,
}

/// The receipt (paSendRT): exists only for a successful payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderReceipt {
    pub receipt_id: String,
    pub notice_code: String,
    pub creditor_fiscal_code: String,
    pub amount_cents: i64,
    /// The payment service provider the payer chose.
    pub psp: String,
    /// RFC 3339, UTC.
    pub paid_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeMessage {
    /// Unique per message sent (a retry repeats it).
    pub event_id: String,
    pub checkout_id: String,
    pub outcome: OutcomeKind,
    #[serde(default)]
    pub receipts: Vec<ProviderReceipt>,
}

/// The largest outcome body the callback reads (a real one is a few KB).
pub const MAX_OUTCOME_BYTES: usize = 64 * 1024;
/// At most this many receipts in one outcome (one per notice of a checkout).
pub const MAX_RECEIPTS: usize = 50;
/// Longest event and receipt ids.
const MAX_ID_CHARS: usize = 64;
/// Longest PSP name (pagoPA's company names are at most 140 characters).
const MAX_PSP_CHARS: usize = 140;
/// Largest amount of one notice: 1,000,000.00 €.
const MAX_AMOUNT_CENTS: i64 = 100_000_000;

/// Why a signed outcome message was refused before anything is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidOutcome {
    #[error("event_id missing, longer than 64 characters or with control characters")]
    EventId,
    #[error("checkout_id missing, longer than 64 characters or not [A-Za-z0-9_-]")]
    CheckoutId,
    #[error("more than 50 receipts")]
    TooManyReceipts,
    #[error("a receipt's receipt_id missing, longer than 64 characters or with control characters")]
    ReceiptId,
    #[error("a receipt's notice_code is not a valid notice code")]
    NoticeCode,
    #[error("a receipt's creditor_fiscal_code is not a valid creditor fiscal code")]
    CreditorFiscalCode,
    #[error("a receipt's amount_cents is out of range")]
    Amount,
    #[error("a receipt's psp missing, longer than 140 characters or with control characters")]
    Psp,
    #[error("a receipt's paid_at is not an RFC 3339 time")]
    PaidAt,
}

/// Text the portal may store and print: not empty, at most `max`
/// characters, no control characters (NUL, newlines, escapes…).
fn clean(text: &str, max: usize) -> bool {
    !text.trim().is_empty() && text.chars().count() <= max && !text.chars().any(char::is_control)
}

impl OutcomeMessage {
    /// Checks every field the portal stores, prints on a receipt or logs:
    /// lengths, characters and formats. A message failing this changes and
    /// stores nothing.
    pub fn validate(&self) -> Result<(), InvalidOutcome> {
        if !clean(&self.event_id, MAX_ID_CHARS) {
            return Err(InvalidOutcome::EventId);
        }
        if self.checkout_id.is_empty()
            || self.checkout_id.len() > MAX_ID_CHARS
            || !self.checkout_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(InvalidOutcome::CheckoutId);
        }
        if self.receipts.len() > MAX_RECEIPTS {
            return Err(InvalidOutcome::TooManyReceipts);
        }
        for receipt in &self.receipts {
            if !clean(&receipt.receipt_id, MAX_ID_CHARS) {
                return Err(InvalidOutcome::ReceiptId);
            }
            if !app::domain::pagopa::notice_code_is_valid(&receipt.notice_code) {
                return Err(InvalidOutcome::NoticeCode);
            }
            if !app::domain::pagopa::creditor_fiscal_code_is_valid(&receipt.creditor_fiscal_code) {
                return Err(InvalidOutcome::CreditorFiscalCode);
            }
            if !(1..=MAX_AMOUNT_CENTS).contains(&receipt.amount_cents) {
                return Err(InvalidOutcome::Amount);
            }
            if !clean(&receipt.psp, MAX_PSP_CHARS) {
                return Err(InvalidOutcome::Psp);
            }
            if receipt.paid_at.len() > 40 || chrono::DateTime::parse_from_rfc3339(&receipt.paid_at).is_err() {
                return Err(InvalidOutcome::PaidAt);
            }
        }
        Ok(())
    }
}

/// Something a caller sent, fit for one log line: control characters
/// replaced, at most `max` characters.
pub fn sanitised(text: &str, max: usize) -> String {
    let mut shown: String = text.chars().take(max).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.chars().count() > max {
        shown.push('…');
    }
    shown
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("the payment provider is not available: {0}")]
    Unavailable(String),
    #[error("the payment provider does not know checkout {0}")]
    UnknownCheckout(String),
}

#[async_trait]
pub trait PaymentProvider: Send + Sync {
    /// Opens a checkout; returns the address to send the browser to.
    async fn open_checkout(&self, request: CheckoutRequest) -> Result<String, ProviderError>;

    /// What the provider knows of a checkout now.
    async fn outcome(&self, checkout_id: &str) -> Result<OutcomeMessage, ProviderError>;
}

/// With the sandbox off and no pagoPA adapter configured: payments answer
/// "service unavailable" and nothing is charged.
pub struct NoProvider;

#[async_trait]
impl PaymentProvider for NoProvider {
    async fn open_checkout(&self, _request: CheckoutRequest) -> Result<String, ProviderError> {
        Err(ProviderError::Unavailable("no payment provider configured".into()))
    }

    async fn outcome(&self, _checkout_id: &str) -> Result<OutcomeMessage, ProviderError> {
        Err(ProviderError::Unavailable("no payment provider configured".into()))
    }
}

type HmacSha256 = Hmac<Sha256>;

/// `sha256=<hex>` for `body`.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Whether `header` is a valid signature of `body` (constant-time compare).
pub fn signature_is_valid(secret: &[u8], body: &[u8], header: Option<&str>) -> bool {
    let Some(signature) = header.and_then(|h| h.trim().strip_prefix("sha256=")).and_then(|h| hex::decode(h).ok())
    else {
        return false;
    };
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(body);
    mac.verify_slice(&signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_for_the_same_secret_and_body() {
        let body = br#"{"event_id":"e1"}"#;
        let signature = sign(b"secret", body);
        assert!(signature.starts_with("sha256="));
        assert!(signature_is_valid(b"secret", body, Some(&signature)));
        assert!(!signature_is_valid(b"other", body, Some(&signature)));
        assert!(!signature_is_valid(b"secret", br#"{"event_id":"e2"}"#, Some(&signature)));
        assert!(!signature_is_valid(b"secret", body, None));
        assert!(!signature_is_valid(b"secret", body, Some("sha256=zz")));
        assert!(!signature_is_valid(b"secret", body, Some(&signature[7..])));
    }

    fn paid(psp: &str) -> OutcomeMessage {
        OutcomeMessage {
            event_id: "e1".into(),
            checkout_id: "0123456789abcdef0123456789abcdef".into(),
            outcome: OutcomeKind::Paid,
            receipts: vec![ProviderReceipt {
                receipt_id: "RT-1".into(),
                notice_code: app::domain::pagopa::notice_code(3, 42).expect("valid"),
                creditor_fiscal_code: "03399650104".into(),
                amount_cents: 2500,
                psp: psp.into(),
                paid_at: "2026-11-23T10:00:00Z".into(),
            }],
        }
    }

    #[test]
    fn outcome_fields_are_checked_before_anything_is_stored() {
        assert_eq!(paid("Banca di prova").validate(), Ok(()));
        assert_eq!(paid(&"x".repeat(140)).validate(), Ok(()));
        assert_eq!(paid(&"x".repeat(141)).validate(), Err(InvalidOutcome::Psp));
        assert_eq!(paid("Banca\0di prova").validate(), Err(InvalidOutcome::Psp));
        assert_eq!(paid("Banca\ndi prova").validate(), Err(InvalidOutcome::Psp));
        assert_eq!(paid(" ").validate(), Err(InvalidOutcome::Psp));
        let mut message = paid("Banca");
        message.event_id = "e".repeat(65);
        assert_eq!(message.validate(), Err(InvalidOutcome::EventId));
        let mut message = paid("Banca");
        message.checkout_id = "abc'; DROP".into();
        assert_eq!(message.validate(), Err(InvalidOutcome::CheckoutId));
        let mut message = paid("Banca");
        message.receipts[0].notice_code = "302000000000000000".into();
        assert_eq!(message.validate(), Err(InvalidOutcome::NoticeCode));
        let mut message = paid("Banca");
        message.receipts[0].creditor_fiscal_code = "03399650105".into();
        assert_eq!(message.validate(), Err(InvalidOutcome::CreditorFiscalCode));
        let mut message = paid("Banca");
        message.receipts[0].amount_cents = 0;
        assert_eq!(message.validate(), Err(InvalidOutcome::Amount));
        let mut message = paid("Banca");
        message.receipts[0].paid_at = "ieri".into();
        assert_eq!(message.validate(), Err(InvalidOutcome::PaidAt));
        let mut message = paid("Banca");
        message.receipts[0].receipt_id = "RT\u{1b}[31m".into();
        assert_eq!(message.validate(), Err(InvalidOutcome::ReceiptId));
        let mut message = paid("Banca");
        message.receipts = vec![message.receipts[0].clone(); MAX_RECEIPTS + 1];
        assert_eq!(message.validate(), Err(InvalidOutcome::TooManyReceipts));
    }

    #[test]
    fn logged_text_is_cut_and_has_no_control_characters() {
        assert_eq!(sanitised("a\nb\0c", 10), "a b c");
        assert_eq!(sanitised(&"x".repeat(500), 5), "xxxxx…");
    }

    #[test]
    fn outcome_messages_use_lowercase_outcomes() {
        let message: OutcomeMessage =
            serde_json::from_str(r#"{"event_id":"e","checkout_id":"c","outcome":"paid","receipts":[]}"#).unwrap();
        assert_eq!(message.outcome, OutcomeKind::Paid);
        assert!(
            serde_json::from_str::<OutcomeMessage>(r#"{"event_id":"e","checkout_id":"c","outcome":"maybe"}"#).is_err()
        );
    }
}
