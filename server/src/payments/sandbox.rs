//! The sandbox payment provider ("ambiente di prova"): pagoPA cannot be
//! reached from here, so this module plays the provider with the same shape
//! — a checkout page the browser is redirected to, a signed server-to-server
//! outcome, a status the portal can ask for — and lets a tester succeed,
//! fail, cancel, delay the outcome or send it twice. Enabled only by
//! configuration (`PORTALE_PAGOPA_SANDBOX`), never in production.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Form, Router,
};
use chrono::Utc;

use crate::clock::stored_instant;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sqlx::AnyPool;

use super::provider::{
    sign, CheckoutRequest, NoticeToPay, OutcomeKind, OutcomeMessage, PaymentProvider, ProviderError, ProviderReceipt,
    SIGNATURE_HEADER,
};
use app::domain::money::euro;

/// An unfinished checkout lapses after this long.
const SESSION_MINUTES: i64 = 30;
const PSP: &str = "Banca di prova (ambiente di prova)";

pub struct SandboxProvider {
    pool: AnyPool,
    secret: SecretString,
    delay: Duration,
    client: reqwest::Client,
}

impl SandboxProvider {
    pub fn new(pool: AnyPool, secret: SecretString, delay: Duration) -> SandboxProvider {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        SandboxProvider { pool, secret, delay, client }
    }

    /// The checkout page and its buttons.
    pub fn router<S: Clone + Send + Sync + 'static>(self: Arc<Self>) -> Router<S> {
        Router::new()
            .route("/sandbox-pagopa/checkout/{session}", get(page).post(choose))
            .route("/sandbox-pagopa/stile.css", get(stylesheet))
            .with_state(self)
    }

    fn message(&self, session: &Session, now: chrono::DateTime<Utc>) -> OutcomeMessage {
        let outcome = match session.status.as_str() {
            "paid" if session.visible_after.as_deref().is_some_and(|at| at > stored_instant(now).as_str()) => {
                OutcomeKind::Pending
            }
            "paid" => OutcomeKind::Paid,
            "failed" => OutcomeKind::Failed,
            "cancelled" => OutcomeKind::Cancelled,
            _ if session.created_at.as_str()
                < stored_instant(now - chrono::Duration::minutes(SESSION_MINUTES)).as_str() =>
            {
                OutcomeKind::Expired
            }
            _ => OutcomeKind::Pending,
        };
        let receipts = match outcome {
            OutcomeKind::Paid => serde_json::from_str(session.receipts.as_deref().unwrap_or("[]")).unwrap_or_default(),
            _ => vec![],
        };
        OutcomeMessage {
            event_id: format!("{}-{}", session.id, session.status),
            checkout_id: session.checkout_id.clone(),
            outcome,
            receipts,
        }
    }

    async fn session(&self, condition: &str, value: &str) -> Result<Option<Session>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT id, checkout_id, notices, total_cents, return_url, callback_url, status, receipts, visible_after, created_at
               FROM sandbox_pagopa_sessions WHERE {condition} = $1"
        ))
        .bind(value)
        .fetch_optional(&self.pool)
        .await
    }

    /// Posts the signed outcome to the portal, as pagoPA would.
    async fn deliver(&self, callback_url: &str, message: &OutcomeMessage) {
        let body = serde_json::to_vec(message).expect("an outcome serialises");
        let signature = sign(self.secret.expose_secret().as_bytes(), &body);
        let sent = self
            .client
            .post(callback_url)
            .header(header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, signature)
            .body(body)
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => {}
            Ok(response) => tracing::warn!(status = %response.status(), "the portal refused the sandbox outcome"),
            Err(error) => tracing::warn!(%error, "the sandbox could not deliver the outcome"),
        }
    }
}

#[derive(sqlx::FromRow)]
struct Session {
    id: String,
    checkout_id: String,
    notices: String,
    total_cents: i64,
    return_url: String,
    callback_url: String,
    status: String,
    receipts: Option<String>,
    visible_after: Option<String>,
    created_at: String,
}

#[async_trait]
impl PaymentProvider for SandboxProvider {
    async fn open_checkout(&self, request: CheckoutRequest) -> Result<String, ProviderError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let total: i64 = request.notices.iter().map(|notice| notice.amount_cents).sum();
        sqlx::query(
            "INSERT INTO sandbox_pagopa_sessions (id, checkout_id, payer, notices, total_cents, return_url, callback_url, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)",
        )
        .bind(&id)
        .bind(&request.checkout_id)
        .bind(&request.payer_fiscal_code)
        .bind(serde_json::to_string(&request.notices).expect("notices serialise"))
        .bind(total)
        .bind(&request.return_url)
        .bind(&request.callback_url)
        .bind(stored_instant(Utc::now()))
        .execute(&self.pool)
        .await
        .map_err(|e| ProviderError::Unavailable(e.to_string()))?;
        Ok(format!("/sandbox-pagopa/checkout/{id}"))
    }

    async fn outcome(&self, checkout_id: &str) -> Result<OutcomeMessage, ProviderError> {
        match self.session("checkout_id", checkout_id).await {
            Ok(Some(session)) => Ok(self.message(&session, Utc::now())),
            Ok(None) => Err(ProviderError::UnknownCheckout(checkout_id.to_string())),
            Err(error) => Err(ProviderError::Unavailable(error.to_string())),
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html><html lang=\"it\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} — pagoPA (ambiente di prova)</title><link rel=\"stylesheet\" href=\"/sandbox-pagopa/stile.css\"></head>\
         <body><header><p class=\"prova\">Ambiente di prova: nessun pagamento reale, nessun addebito.</p></header>\
         <main><h1>{title}</h1>{body}</main></body></html>"
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        "body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;background:#f4f6f8;line-height:1.5}\
         header{background:#5c2d91;color:#fff;padding:.75rem 1rem}.prova{margin:0;font-weight:700}\
         main{max-width:40rem;margin:1.5rem auto;padding:0 1rem}h1{font-size:1.6rem}\
         ul{padding:0;list-style:none}li{background:#fff;border:1px solid #c9ced6;border-radius:.5rem;padding:.75rem;margin:.5rem 0}\
         .totale{font-size:1.25rem;font-weight:700}.scelte{display:flex;flex-direction:column;gap:.75rem;margin-top:1rem}\
         button{font:inherit;font-weight:700;padding:.75rem 1rem;border-radius:.4rem;border:2px solid #0b4f9c;background:#fff;color:#0b4f9c;text-align:left}\
         button.paga{background:#0b4f9c;color:#fff}button:focus-visible{outline:3px solid #f5a400;outline-offset:2px}\
         .codice{font-family:monospace;word-break:break-all}",
    )
        .into_response()
}

async fn page(State(sandbox): State<Arc<SandboxProvider>>, Path(id): Path<String>) -> Response {
    let session = match sandbox.session("id", &id).await {
        Ok(Some(session)) => session,
        Ok(None) => {
            return html(
                StatusCode::NOT_FOUND,
                "Pagamento non trovato",
                "<p>Questo pagamento non esiste o è scaduto. Torna al Portale Salute e riprova.</p>",
            )
        }
        Err(error) => {
            tracing::error!(%error, "sandbox session");
            return html(
                StatusCode::SERVICE_UNAVAILABLE,
                "Servizio non disponibile",
                "<p>Riprova tra qualche minuto.</p>",
            );
        }
    };
    let notices: Vec<NoticeToPay> = serde_json::from_str(&session.notices).unwrap_or_default();
    let items: String = notices
        .iter()
        .map(|notice| {
            format!(
                "<li><strong>{}</strong><br>{} · ente {} · avviso <span class=\"codice\">{}</span></li>",
                escape(&notice.description),
                euro(notice.amount_cents),
                notice.creditor_fiscal_code,
                notice.notice_code
            )
        })
        .collect();
    let choices = if session.status == "open" {
        format!(
            "<form method=\"post\" action=\"/sandbox-pagopa/checkout/{id}\"><fieldset class=\"scelte\"><legend>Scegli l'esito da simulare</legend>\
             <button class=\"paga\" name=\"scelta\" value=\"paga\">Paga {total}</button>\
             <button name=\"scelta\" value=\"rifiuta\">Simula un pagamento rifiutato</button>\
             <button name=\"scelta\" value=\"annulla\">Annulla e torna al portale</button>\
             <button name=\"scelta\" value=\"ritarda\">Paga, ma con esito in ritardo</button>\
             <button name=\"scelta\" value=\"duplica\">Paga e invia l'esito due volte</button>\
             </fieldset></form>",
            total = euro(session.total_cents)
        )
    } else {
        format!(
            "<p>Questo pagamento è già concluso.</p><p><a href=\"{}\">Torna al Portale Salute</a></p>",
            escape(&session.return_url)
        )
    };
    let body = format!(
        // Like pagoPA's own checkout, the page names no person: whoever
        // holds its random address sees only what is being paid.
        "<p>Pagamento richiesto dal Portale Salute Liguria.</p><ul>{items}</ul>\
         <p class=\"totale\">Totale {}</p>{choices}",
        euro(session.total_cents)
    );
    html(StatusCode::OK, "Pagamento pagoPA", &body)
}

#[derive(Deserialize)]
struct Choice {
    scelta: String,
}

async fn choose(
    State(sandbox): State<Arc<SandboxProvider>>,
    Path(id): Path<String>,
    Form(choice): Form<Choice>,
) -> Response {
    let Ok(Some(session)) = sandbox.session("id", &id).await else {
        return html(StatusCode::NOT_FOUND, "Pagamento non trovato", "<p>Torna al Portale Salute e riprova.</p>");
    };
    let now = Utc::now();
    // Past its time the checkout is gone (the portal has made the tickets payable again).
    if session.created_at.as_str() < stored_instant(now - chrono::Duration::minutes(SESSION_MINUTES)).as_str() {
        return html(
            StatusCode::GONE,
            "Pagamento scaduto",
            &format!(
                "<p>Il tempo per completare questo pagamento è scaduto e non è stato addebitato nulla.</p>\
                 <p><a href=\"{}\">Torna al Portale Salute</a> e riprova.</p>",
                escape(&session.return_url)
            ),
        );
    }
    let (status, visible_after, sends) = match choice.scelta.as_str() {
        "paga" => ("paid", None, 1),
        "duplica" => ("paid", None, 2),
        "ritarda" => {
            ("paid", Some(stored_instant(now + chrono::Duration::from_std(sandbox.delay).unwrap_or_default())), 0)
        }
        "rifiuta" => ("failed", None, 1),
        "annulla" => ("cancelled", None, 1),
        _ => {
            return html(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Scelta non valida",
                "<p>Torna indietro e scegli uno dei pulsanti.</p>",
            )
        }
    };
    let notices: Vec<NoticeToPay> = serde_json::from_str(&session.notices).unwrap_or_default();
    let receipts: Vec<ProviderReceipt> = notices
        .iter()
        .enumerate()
        .map(|(index, notice)| ProviderReceipt {
            receipt_id: format!("RT-{}-{}", &id[..12.min(id.len())], index + 1),
            notice_code: notice.notice_code.clone(),
            creditor_fiscal_code: notice.creditor_fiscal_code.clone(),
            amount_cents: notice.amount_cents,
            psp: PSP.to_string(),
            paid_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        })
        .collect();
    let updated = sqlx::query(
        "UPDATE sandbox_pagopa_sessions SET status = $2, receipts = $3, visible_after = $4, completed_at = $5
          WHERE id = $1 AND status = 'open'",
    )
    .bind(&id)
    .bind(status)
    .bind((status == "paid").then(|| serde_json::to_string(&receipts).expect("receipts serialise")))
    .bind(&visible_after)
    .bind(stored_instant(now))
    .execute(&sandbox.pool)
    .await;
    if matches!(updated, Ok(done) if done.rows_affected() == 1) {
        if let Ok(Some(session)) = sandbox.session("id", &id).await {
            let message = sandbox.message(&session, now);
            for _ in 0..sends {
                sandbox.deliver(&session.callback_url, &message).await;
            }
        }
    }
    Redirect::to(&session.return_url).into_response()
}
