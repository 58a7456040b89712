//! Cross-site request forgery defence: a browser request that changes state
//! (anything but GET/HEAD/OPTIONS) is refused when the browser says it comes
//! from another site. Browsers send `Sec-Fetch-Site`; older ones `Origin`.
//! Requests with neither (curl, hospital systems with bearer tokens) are not
//! browser-driven and go on to their own authentication.

use axum::{
    extract::Request,
    http::{header, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

pub async fn reject_cross_site_writes(request: Request, next: Next) -> Response {
    if changes_state(request.method()) && is_cross_site(request.headers()) {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "cross-site write refused");
        return (
            StatusCode::FORBIDDEN,
            "Richiesta rifiutata: proviene da un altro sito. Riprova dalle pagine del Portale Salute.",
        )
            .into_response();
    }
    next.run(request).await
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// True when the browser tells us the request was started by another site.
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    let header_text = |name| headers.get(name).and_then(|value| value.to_str().ok());
    if let Some(site) = header_text(header::HeaderName::from_static("sec-fetch-site")) {
        // "none" is a navigation the person started (address bar, bookmark).
        return !matches!(site, "same-origin" | "none");
    }
    match (header_text(header::ORIGIN), header_text(header::HOST)) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin_host(origin) != Some(host),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// `https://host:port` → `host:port`.
fn origin_host(origin: &str) -> Option<&str> {
    origin.split_once("://").map(|(_, rest)| rest.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "same-origin")])));
    }

    #[test]
    fn origin_must_match_host_without_fetch_metadata() {
        assert!(!is_cross_site(&headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")])));
        assert!(is_cross_site(&headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")])));
        assert!(is_cross_site(&headers(&[("origin", "null"), ("host", "127.0.0.1:3000")])));
    }

    #[test]
    fn requests_without_browser_headers_are_left_to_their_own_authentication() {
        assert!(!is_cross_site(&headers(&[("host", "127.0.0.1:3000")])));
    }
}
