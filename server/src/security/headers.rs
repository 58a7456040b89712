//! Security headers added to every response. HTML pages already carry a
//! nonce-based CSP set while rendering (app::security); everything else
//! gets a policy that allows nothing to run.

use axum::{
    extract::Request,
    http::{header, HeaderName, HeaderValue},
    middleware::Next,
    response::Response,
};

/// CSP for responses that are not pages (files, JSON, plain text).
const NON_PAGE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

const FIXED_HEADERS: [(HeaderName, &str); 6] = [
    // Two years, as recommended for HSTS preload; browsers ignore it on http://localhost.
    (header::STRICT_TRANSPORT_SECURITY, "max-age=63072000; includeSubDomains"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    // Health pages: never leak paths or query strings to other sites.
    (header::REFERRER_POLICY, "same-origin"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
    // Geolocation is used by "nearest emergency room"; nothing else is needed.
    (HeaderName::from_static("permissions-policy"), "geolocation=(self), camera=(), microphone=(), payment=()"),
];

pub async fn add_security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in FIXED_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(NON_PAGE_POLICY));
    }
    response
}
