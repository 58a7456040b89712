//! The page a person gets while the database cannot be reached: what
//! happened, that nothing they had done is lost, and what to do next. It is
//! built without the database or the page renderer (both may be what
//! failed), so it is plain HTML with no script or inline style.

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

/// Seconds a client is asked to wait before retrying (`Retry-After`).
pub const RETRY_AFTER_SECONDS: u32 = 30;

/// `503 Service Unavailable` with the friendly page; `request_id` ties it
/// to the logs.
pub fn service_unavailable(request_id: &str) -> Response {
    let request_id = html_escape(request_id);
    let body = format!(
        r#"<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Servizio momentaneamente non disponibile – Portale Salute Liguria</title>
</head>
<body>
<main>
<h1>Servizio momentaneamente non disponibile</h1>
<p>Il Portale Salute non riesce a leggere i dati in questo momento. Quello che hai già fatto non è andato perso: le prenotazioni e i pagamenti confermati restano validi e resti collegato.</p>
<p>Riprova tra qualche minuto: <a href="">ricarica la pagina</a> oppure torna alla <a href="/">pagina iniziale</a>.</p>
<p>Per le emergenze chiama il <a href="tel:112">112</a>. Per cure non urgenti di notte e nei festivi chiama il <a href="tel:116117">116117</a>.</p>
<p><small>Codice della richiesta: {request_id}</small></p>
<section lang="en" aria-labelledby="english">
<h2 id="english">Service temporarily unavailable</h2>
<p>The portal cannot read its data right now. Nothing you have done is lost and you are still signed in. Please try again in a few minutes. In an emergency call 112.</p>
</section>
</main>
</body>
</html>
"#
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

fn html_escape(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_page_says_what_to_do_and_asks_to_retry_later() {
        let response = service_unavailable("req-1<script>");
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "30");
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body");
        let body = String::from_utf8(body.to_vec()).expect("utf-8");
        assert!(body.contains("Riprova tra qualche minuto"), "{body}");
        assert!(body.contains("non è andato perso"), "{body}");
        assert!(body.contains("req-1script"), "only the id's safe characters are shown: {body}");
        assert!(!body.contains("<script>"), "{body}");
    }
}
