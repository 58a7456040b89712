//! Identity and access: who is signed in, whom they act for, and the
//! errors every personal-data service shares when access is refused.
//! The sign-in flow itself (OpenID Connect) lives in the server.

pub mod model;
pub mod pages;
pub mod texts;

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

use model::RequestIdentity;

/// Why a personal-data request could not be served; each variant is
/// something the person can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AccessError {
    /// Not signed in, or the session ended.
    #[error("accesso richiesto")]
    SignInRequired,
    /// Signed in, but this person may not do this for the chosen subject.
    #[error("operazione non consentita")]
    NotAllowed,
    /// Something failed on our side; the id ties it to the logs.
    #[error("errore interno (richiesta {request_id})")]
    Internal { request_id: String },
    /// The request or its answer could not travel (network, encoding).
    #[error("comunicazione non riuscita: {0}")]
    Transport(String),
}

impl FromServerFnError for AccessError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AccessError::Transport(value.to_string())
    }
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
}

#[cfg(not(feature = "ssr"))]
mod current {
    use super::model::RequestIdentity;

    pub fn request_identity() -> RequestIdentity {
        RequestIdentity::default()
    }
}

#[cfg(feature = "ssr")]
pub use current::principal;
