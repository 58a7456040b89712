//! The Content-Security-Policy of HTML pages. Scripts run only with the
//! per-response nonce Leptos generates, so an injected `<script>` never runs.

/// Origins, besides the portal's own, that a form may end up at. The
/// sign-out form's redirect goes on to the identity provider, and browsers
/// apply `form-action` to every redirect of a form submission.
#[derive(Clone, Debug, Default)]
pub struct FormActionOrigins(pub String);

/// The policy for a page whose hydration scripts carry `nonce`.
pub fn page_policy(nonce: &str, form_origins: &str) -> String {
    let form_action = if form_origins.is_empty() { String::new() } else { format!(" {form_origins}") };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'{form_action}; frame-ancestors 'none'"
    )
}

/// Puts the policy, with this response's nonce, on the page being rendered.
#[cfg(feature = "ssr")]
pub fn apply_page_policy() {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let form_origins = use_context::<FormActionOrigins>().unwrap_or_default();
    if let Ok(value) = http::HeaderValue::from_str(&page_policy(&nonce, &form_origins.0)) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The browser never renders the shell.
#[cfg(not(feature = "ssr"))]
pub fn apply_page_policy() {}

#[cfg(test)]
mod tests {
    use super::page_policy;

    #[test]
    fn scripts_need_the_nonce_and_nothing_inline_is_allowed() {
        let policy = page_policy("abc123", "");
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("form-action 'self';"));
    }

    #[test]
    fn forms_may_also_end_at_the_identity_provider() {
        let policy = page_policy("n", "https://login.example");
        assert!(policy.contains("form-action 'self' https://login.example;"));
    }
}
