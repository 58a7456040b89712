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
