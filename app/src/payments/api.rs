//! Server functions of the payment pages. Changes are plain form posts
//! (`server/src/payments/routes.rs`).

use leptos::prelude::*;

use super::model::{CheckoutView, IncomeExemptions, MyPayments, NoticeLookup};
#[cfg(feature = "ssr")]
use super::port::Payments;
#[cfg(feature = "ssr")]
use crate::identity::signed_in_with;
use crate::identity::AccessError;

#[server(prefix = "/api", endpoint = "my_payments")]
pub async fn load_my_payments() -> Result<MyPayments, AccessError> {
    let (principal, port) = signed_in_with::<dyn Payments>()?;
    port.mine(&principal).await
}

/// Answers 429 Too Many Requests (the page says why and what to do).
#[cfg(feature = "ssr")]
fn too_many_requests() {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::TOO_MANY_REQUESTS);
        response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from_static("600"));
    }
}

#[server(prefix = "/api", endpoint = "payment_notice")]
pub async fn load_notice(notice_code: String, creditor: String) -> Result<NoticeLookup, AccessError> {
    let (principal, port) = signed_in_with::<dyn Payments>()?;
    if notice_code.trim().is_empty() && creditor.trim().is_empty() {
        // Still signed-in only: the page is personal.
        return Ok(NoticeLookup::Empty);
    }
    let lookup = port.find_notice(&principal, &notice_code, &creditor).await?;
    if lookup == NoticeLookup::TooManyLookups {
        too_many_requests();
    }
    Ok(lookup)
}

#[server(prefix = "/api", endpoint = "payment_checkout")]
pub async fn load_checkout(checkout_id: String) -> Result<CheckoutView, AccessError> {
    let (principal, port) = signed_in_with::<dyn Payments>()?;
    port.checkout(&principal, &checkout_id).await
}

#[server(prefix = "/api", endpoint = "income_exemptions")]
pub async fn load_income_exemptions() -> Result<IncomeExemptions, AccessError> {
    let (principal, port) = signed_in_with::<dyn Payments>()?;
    port.income_exemptions(&principal).await
}
