//! The Content-Security-Policy of a kept page. A rendered page allows its
//! scripts with a nonce made for that one response (`app::security`); a
//! kept page goes to many people, and a nonce everyone can read is no
//! secret. So the nonce is replaced by the SHA-256 hashes of the page's
//! inline scripts: exactly those scripts run, and nothing injected does.

use base64::Engine;
use sha2::{Digest, Sha256};

/// `policy` with its `'nonce-…'` source replaced by the hashes of the
/// inline scripts of `html` (unchanged when it has no nonce).
pub fn hashed(policy: &str, html: &str) -> String {
    let Some(start) = policy.find("'nonce-") else { return policy.to_string() };
    let Some(length) = policy[start + 1..].find('\'') else { return policy.to_string() };
    let end = start + length + 2;
    let hashes: Vec<String> = inline_scripts(html)
        .map(|script| {
            format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes())))
        })
        .collect();
    let before = policy[..start].trim_end();
    let after = policy[end..].trim_start();
    [before, &hashes.join(" "), after].into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The text of every `<script>` without a `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (tag, body) = rest.split_once('>')?;
        if tag.contains(" src=") || tag.contains("\tsrc=") || tag.contains("\nsrc=") {
            return None;
        }
        body.split_once("</script>").map(|(script, _)| script)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = "default-src 'self'; script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'; object-src 'none'";

    #[test]
    fn the_nonce_gives_way_to_the_hashes_of_the_inline_scripts() {
        let html = r#"<script nonce="abc123">alert(1)</script><script type="module" src="/pkg/a.js"></script>"#;
        let hashed = hashed(POLICY, html);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"alert(1)"));
        assert_eq!(
            hashed,
            format!("default-src 'self'; script-src 'self' 'sha256-{expected}' 'wasm-unsafe-eval'; object-src 'none'")
        );
        assert!(!hashed.contains("nonce"));
    }

    #[test]
    fn a_page_without_inline_scripts_allows_none_and_a_policy_without_nonce_is_kept() {
        assert_eq!(
            hashed(POLICY, "<p>niente</p>"),
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'"
        );
        assert_eq!(hashed("default-src 'self'", "<script>x</script>"), "default-src 'self'");
    }
}
