//! The signed-in person as a handler argument: `SignedIn(principal)`.
//!
//! A form post or a download without a signed-in person is answered with
//! the redirect to sign-in, which brings the person back afterwards: to the
//! page the form was on (the same-site `Referer`), to the download itself,
//! or else to the capability's first page. (A session that timed out never
//! reaches here: `session::resolve_identity` sends it to
//! `/sessione-scaduta` first.)

use app::identity::model::{Principal, RequestIdentity};
use app::ui::links::sign_in_href;
use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts, Method, Uri},
    response::{IntoResponse, Redirect, Response},
};

/// The person signed in for this request (and whom they act for).
pub struct SignedIn(pub Principal);

/// The rejection of [`SignedIn`]: the redirect to sign-in.
#[derive(Debug)]
pub struct SignInFirst {
    return_to: String,
}

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        Redirect::to(&sign_in_href(&self.return_to)).into_response()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = SignInFirst;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<RequestIdentity>().and_then(|identity| identity.principal.clone()) {
            Some(principal) => Ok(SignedIn(principal)),
            None => Err(SignInFirst { return_to: page_to_return_to(parts) }),
        }
    }
}

/// Where sign-in should bring the person back.
fn page_to_return_to(parts: &Parts) -> String {
    if matches!(parts.method, Method::GET | Method::HEAD) {
        return parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_string(), ToString::to_string);
    }
    same_site_referer(parts).unwrap_or_else(|| first_page(parts.uri.path()))
}

/// The path of the `Referer` when it is a page of this same site.
fn same_site_referer(parts: &Parts) -> Option<String> {
    let referer: Uri = parts.headers.get(header::REFERER)?.to_str().ok()?.parse().ok()?;
    let host = parts.headers.get(header::HOST)?.to_str().ok()?;
    let path = referer.path_and_query()?.as_str();
    (referer.authority()?.as_str() == host && path.starts_with('/') && !path.starts_with("//"))
        .then(|| path.to_string())
}

/// `/fascicolo/consenso` → `/fascicolo`.
fn first_page(path: &str) -> String {
    match path.trim_start_matches('/').split('/').next() {
        Some(segment) if !segment.is_empty() => format!("/{segment}"),
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(method: Method, uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).expect("request").into_parts().0
    }

    #[test]
    fn a_download_returns_to_itself() {
        let download = parts(Method::GET, "/medico/scelte/7/conferma.pdf?x=1", &[]);
        assert_eq!(page_to_return_to(&download), "/medico/scelte/7/conferma.pdf?x=1");
    }

    #[test]
    fn a_form_returns_to_its_page_on_this_site_only() {
        let same = [("host", "portale.example"), ("referer", "https://portale.example/fascicolo/consensi")];
        assert_eq!(page_to_return_to(&parts(Method::POST, "/fascicolo/consenso", &same)), "/fascicolo/consensi");
        let other = [("host", "portale.example"), ("referer", "https://evil.example/fascicolo/consensi")];
        assert_eq!(page_to_return_to(&parts(Method::POST, "/fascicolo/consenso", &other)), "/fascicolo");
        assert_eq!(page_to_return_to(&parts(Method::POST, "/deleghe", &[])), "/deleghe");
    }

    #[tokio::test]
    async fn no_principal_is_a_redirect_to_sign_in() {
        let mut request = parts(Method::POST, "/prenotazioni/prenota", &[]);
        request.extensions.insert(RequestIdentity::default());
        let rejection = SignedIn::from_request_parts(&mut request, &()).await.err().expect("refused");
        let response = rejection.into_response();
        assert_eq!(response.headers()[header::LOCATION], "/auth/login?return_to=/prenotazioni");
    }
}
