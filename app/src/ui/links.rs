//! Links the pages and the server build alike: the way to sign in and back,
//! and the page being rendered.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Where the sign-in link starts the flow, coming back to `return_to`.
pub fn sign_in_href(return_to: &str) -> String {
    format!("/auth/login?return_to={}", percent_encode(return_to))
}

/// Percent-encodes a query value: everything but RFC 3986's unreserved
/// characters and `/`.
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => (byte as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The path and query of the page being rendered.
pub fn current_path() -> impl Fn() -> String + Copy {
    let location = use_location();
    move || {
        let query = location.search.get();
        let path = location.pathname.get();
        if query.is_empty() {
            path
        } else {
            format!("{path}?{}", query.trim_start_matches('?'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_link_carries_the_page_encoded() {
        assert_eq!(sign_in_href("/accessi"), "/auth/login?return_to=/accessi");
        assert_eq!(sign_in_href("/accessi?chi=altri&da=x"), "/auth/login?return_to=/accessi%3Fchi%3Daltri%26da%3Dx");
        assert_eq!(sign_in_href("/è"), "/auth/login?return_to=/%C3%A8");
    }
}
