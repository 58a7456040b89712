//! Identity and access: who is signed in, whom they act for, and the
//! errors every personal-data service shares when access is refused.
//! The sign-in flow itself (OpenID Connect) lives in the server.

pub mod forms;
pub mod model;
pub mod notice;
pub mod pages;
pub mod texts;

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

use model::RequestIdentity;

/// Why a personal-data request could not be served; each variant is
/// something the person can act on. A server function answers each with
/// its own HTTP status ([`AccessError::status`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AccessError {
    /// Not signed in, or the session ended.
    #[error("accesso richiesto")]
    SignInRequired,
    /// Signed in, but this person may not do this for the chosen subject.
    #[error("operazione non consentita")]
    NotAllowed,
    /// Nothing of the kind exists for this person.
    #[error("non trovato")]
    NotFound,
    /// The request's arguments are missing or malformed: a short Italian
    /// message, never the decoder's own text.
    #[error("richiesta non valida: {0}")]
    BadInput(String),
    /// Too many requests in a short time: wait, then try again.
    #[error("troppe richieste")]
    TooManyRequests,
    /// The data cannot be reached right now (the database is down or
    /// restarting): nothing is lost, try again in a few minutes.
    #[error("servizio momentaneamente non disponibile (richiesta {request_id})")]
    Unavailable { request_id: String },
    /// Something failed on our side; the id ties it to the logs.
    #[error("errore interno (richiesta {request_id})")]
    Internal { request_id: String },
    /// The request or its answer could not travel (network, encoding).
    #[error("comunicazione non riuscita: {0}")]
    Transport(String),
}

/// What a server function answers when its arguments cannot be decoded.
pub const BAD_ARGUMENTS: &str = "dati della richiesta mancanti o non validi";

impl AccessError {
    /// The HTTP status a server function answers with: a refusal is the
    /// client's business (4xx), only our own failures are 5xx.
    pub fn status(&self) -> u16 {
        match self {
            AccessError::SignInRequired => 401,
            AccessError::NotAllowed => 403,
            AccessError::NotFound => 404,
            AccessError::BadInput(_) => 422,
            AccessError::TooManyRequests => 429,
            AccessError::Internal { .. } => 500,
            AccessError::Unavailable { .. } => 503,
            AccessError::Transport(_) => 502,
        }
    }
}

impl FromServerFnError for AccessError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Undecodable arguments are the caller's mistake: a short
            // message, not the decoder's text (it would echo internals).
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AccessError::BadInput(BAD_ARGUMENTS.to_string())
            }
            other => transport(other),
        }
    }
}

/// On the server the cause goes to the logs only; in the browser it stays
/// (it is the browser's own network or decoding error).
#[cfg(feature = "ssr")]
fn transport(error: ServerFnErrorErr) -> AccessError {
    tracing::error!(%error, "server function failed outside its body");
    AccessError::Transport("errore del server".to_string())
}

#[cfg(not(feature = "ssr"))]
fn transport(error: ServerFnErrorErr) -> AccessError {
    AccessError::Transport(error.to_string())
}

/// The identity of the current request, as resolved by the server's
/// session middleware (empty in the browser: pages are server-rendered).
pub fn request_identity() -> RequestIdentity {
    current::request_identity()
}

#[cfg(feature = "ssr")]
mod current {
    use super::model::{Principal, RequestIdentity};
    use super::AccessError;
    use leptos::prelude::use_context;

    pub fn request_identity() -> RequestIdentity {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<RequestIdentity>().cloned())
            .unwrap_or_default()
    }

    /// The signed-in principal, or the error a server function returns.
    pub fn principal() -> Result<Principal, AccessError> {
        request_identity().principal.ok_or(AccessError::SignInRequired)
    }

    /// What a server function starts with: the signed-in principal and
    /// the capability's port `P` from the context the server provides
    /// (`server/src/state.rs`), e.g. `signed_in_with::<dyn Cup>()`.
    pub fn signed_in_with<P: ?Sized + Send + Sync + 'static>() -> Result<(Principal, std::sync::Arc<P>), AccessError> {
        let principal = principal()?;
        let port = use_context::<std::sync::Arc<P>>()
            .ok_or_else(|| AccessError::Internal { request_id: principal.request_id.clone() })?;
        Ok((principal, port))
    }
}

#[cfg(not(feature = "ssr"))]
mod current {
    use super::model::RequestIdentity;

    pub fn request_identity() -> RequestIdentity {
        RequestIdentity::default()
    }
}

#[cfg(feature = "ssr")]
pub use current::{principal, signed_in_with};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undecodable_arguments_are_bad_input_without_the_decoders_text() {
        let error = AccessError::from_server_fn_error(ServerFnErrorErr::Args("invalid digit found in string".into()));
        assert_eq!(error, AccessError::BadInput(BAD_ARGUMENTS.to_string()));
        assert_eq!(error.status(), 422);
        assert!(!error.to_string().contains("digit"));
    }

    #[test]
    fn each_refusal_has_its_own_status_and_only_our_failures_are_5xx() {
        let statuses = [
            (AccessError::SignInRequired, 401),
            (AccessError::NotAllowed, 403),
            (AccessError::NotFound, 404),
            (AccessError::BadInput(String::new()), 422),
            (AccessError::TooManyRequests, 429),
            (AccessError::Internal { request_id: "x".into() }, 500),
            (AccessError::Unavailable { request_id: "x".into() }, 503),
        ];
        for (error, status) in statuses {
            assert_eq!(error.status(), status, "{error:?}");
        }
    }
}
