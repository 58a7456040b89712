//! Form posts of "Pagamenti" (pay selected positions, pay a paper notice,
//! declare or withdraw an income exemption), the receipt download, and the
//! provider's signed outcome callback (outside the session: server to server;
//! mounted only when a provider that calls back — today only the sandbox —
//! is on).

use app::notice::Notice;
use app::payments::notice::PaymentNotice;
use std::sync::Arc;

use app::domain::income_exemption::IncomeExemption;
use app::identity::AccessError;
use app::notice::WriteError;
use app::payments::forms::{DeclareExemption, PayNotice, WithdrawExemption, PAY_POSITIONS, POSITION_FIELD};
use app::payments::port::Payments;
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Form, Json, Router,
};
use secrecy::ExposeSecret;
use tower_sessions::Session;

use super::outcomes::{OutcomeEffect, OutcomeSource};
use super::pdf::receipt_pdf;
use super::provider::{sanitised, signature_is_valid, OutcomeMessage, MAX_OUTCOME_BYTES, SIGNATURE_HEADER};
use super::SqlPayments;
use crate::downloads::{attachment, refused};
use crate::identity::extract::SignedIn;
use crate::{identity::session::redirect_with_notice, state::AppState};

/// Pages' form posts and downloads (with the session).
pub fn router() -> Router<AppState> {
    Router::new()
        .route(PAY_POSITIONS, post(pay))
        .route(PayNotice::ACTION, post(pay_notice))
        .route(DeclareExemption::ACTION, post(declare))
        .route(WithdrawExemption::ACTION, post(withdraw))
        .route("/pagamenti/ricevute/{file}", get(receipt))
}

/// The provider's outcome callback (no session, signed body): only when a
/// provider that posts outcomes is on. Today that is the sandbox; without
/// it (production until the pagoPA adapter exists) the address does not
/// exist, so no forged outcome can reach the payments.
pub fn callback_router(state: &AppState) -> Router<AppState> {
    match state.payment_sandbox {
        Some(_) => Router::new().route("/pagopa/v1/esiti", post(outcome_callback)),
        None => Router::new(),
    }
}

/// What the next page says after a refused payment change.
fn failure(error: WriteError) -> Notice {
    error.notice(Notice::Payments(PaymentNotice::PaymentNotAllowed))
}

/// The checked positions (`posizione=<id>`, repeated).
async fn pay(
    State(port): State<Arc<dyn Payments>>,
    session: Session,
    SignedIn(principal): SignedIn,
    body: Bytes,
) -> Response {
    let ids: Vec<i64> = form_urlencoded::parse(&body)
        .filter(|(name, _)| name == POSITION_FIELD)
        .filter_map(|(_, value)| value.trim().parse().ok())
        .collect();
    match port.start_checkout(&principal, &ids).await {
        Ok(address) => Redirect::to(&address).into_response(),
        Err(error) => redirect_with_notice(&session, failure(error), "/pagamenti").await,
    }
}

async fn pay_notice(
    State(port): State<Arc<dyn Payments>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Form(form): Form<PayNotice>,
) -> Response {
    let digits = |text: &str| -> String { text.chars().filter(char::is_ascii_digit).take(18).collect() };
    let back = format!("/pagamenti/avviso?codice={}&ente={}", digits(&form.codice), digits(&form.ente));
    match port.start_notice_checkout(&principal, &form.codice, &form.ente).await {
        Ok(address) => Redirect::to(&address).into_response(),
        // The notice's page says to wait (with 429), nothing was locked.
        Err(WriteError::Refused(Notice::Payments(PaymentNotice::TooManyLookups))) => {
            Redirect::to(&back).into_response()
        }
        Err(error) => redirect_with_notice(&session, failure(error), &back).await,
    }
}

async fn declare(
    State(port): State<Arc<dyn Payments>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Form(form): Form<DeclareExemption>,
) -> Response {
    let notice = match (IncomeExemption::from_code(&form.codice), form.dichiaro == "1") {
        (None, _) => Notice::Payments(PaymentNotice::ExemptionUnknownCode),
        (Some(_), false) => Notice::Payments(PaymentNotice::ExemptionNotConfirmed),
        (Some(exemption), true) => match port.declare_income_exemption(&principal, exemption).await {
            Ok(()) => Notice::Payments(PaymentNotice::ExemptionDeclared),
            Err(error) => failure(error),
        },
    };
    redirect_with_notice(&session, notice, "/pagamenti/esenzioni").await
}

async fn withdraw(
    State(port): State<Arc<dyn Payments>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Form(form): Form<WithdrawExemption>,
) -> Response {
    let notice = match port.withdraw_income_exemption(&principal, form.id).await {
        Ok(()) => Notice::Payments(PaymentNotice::ExemptionWithdrawn),
        Err(error) => failure(error),
    };
    redirect_with_notice(&session, notice, "/pagamenti/esenzioni").await
}

async fn receipt(
    State(port): State<Arc<dyn Payments>>,
    SignedIn(principal): SignedIn,
    Path(file): Path<String>,
) -> Response {
    let notice_code = file.strip_suffix(".pdf").unwrap_or(&file);
    if notice_code.len() != 18 || !notice_code.bytes().all(|b| b.is_ascii_digit()) {
        return refused(AccessError::NotAllowed, "Ricevuta non trovata.", "/pagamenti");
    }
    match port.receipt(&principal, notice_code).await {
        Ok(receipt) => {
            attachment("application/pdf", &format!("ricevuta-pagopa-{notice_code}.pdf"), receipt_pdf(&receipt))
        }
        Err(error) => refused(error, "Ricevuta non trovata.", "/pagamenti"),
    }
}

fn answer(status: StatusCode, text: &str) -> Response {
    (status, Json(serde_json::json!({ "esito": text }))).into_response()
}

/// The provider's signed outcome: a bad signature (401), an oversized body
/// (413), an unreadable body or invalid fields (422) are refused with a
/// warning and store nothing; a good one is applied once, whatever its order
/// or repetition.
async fn outcome_callback(
    State(payments): State<Arc<SqlPayments>>,
    State(settings): State<Arc<crate::config::Settings>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if body.len() > MAX_OUTCOME_BYTES {
        tracing::warn!(bytes = body.len(), "payment outcome refused: body too large, nothing stored");
        return answer(StatusCode::PAYLOAD_TOO_LARGE, "corpo troppo grande");
    }
    let signature = headers.get(SIGNATURE_HEADER).and_then(|value| value.to_str().ok());
    if !signature_is_valid(settings.pagopa_callback_secret.expose_secret().as_bytes(), &body, signature) {
        let reason = if signature.is_some() { "signature does not match" } else { "no signature" };
        tracing::warn!(reason, bytes = body.len(), "payment outcome refused: bad signature, nothing stored");
        return answer(StatusCode::UNAUTHORIZED, "firma non valida");
    }
    let message: OutcomeMessage = match serde_json::from_slice(&body) {
        Ok(message) => message,
        Err(error) => {
            let reason = sanitised(&error.to_string(), 120);
            tracing::warn!(reason, "payment outcome refused: unreadable body, nothing stored");
            return answer(StatusCode::UNPROCESSABLE_ENTITY, "corpo non valido");
        }
    };
    if let Err(invalid) = message.validate() {
        tracing::warn!(reason = %invalid, "payment outcome refused: invalid fields, nothing stored");
        return answer(StatusCode::UNPROCESSABLE_ENTITY, &format!("corpo non valido: {invalid}"));
    }
    match payments.apply_outcome(&message, OutcomeSource::Callback).await {
        Ok(effect @ (OutcomeEffect::Applied | OutcomeEffect::Unchanged)) => answer(StatusCode::OK, effect.as_db()),
        Ok(OutcomeEffect::UnknownCheckout) => answer(StatusCode::NOT_FOUND, "pagamento sconosciuto"),
        Ok(OutcomeEffect::BadBody) => {
            answer(StatusCode::UNPROCESSABLE_ENTITY, "ricevute non corrispondenti agli avvisi")
        }
        Ok(OutcomeEffect::Invalid) => answer(StatusCode::UNPROCESSABLE_ENTITY, "corpo non valido"),
        Ok(OutcomeEffect::Unconfirmed) => answer(StatusCode::CONFLICT, "esito non confermato dal prestatore"),
        Ok(OutcomeEffect::ConfirmationUnavailable) => answer(StatusCode::SERVICE_UNAVAILABLE, "riprovare"),
        Err(error) => {
            tracing::error!(%error, "payment outcome not stored");
            answer(StatusCode::SERVICE_UNAVAILABLE, "riprovare")
        }
    }
}
