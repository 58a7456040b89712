//! Server functions of the delegations page. Giving and revoking are plain
//! form posts handled by the server (`server/src/delegations/routes.rs`),
//! so they work before the wasm loads.

use leptos::prelude::*;

use super::model::DelegationsOverview;
use crate::identity::AccessError;

/// Delegations given and received by the signed-in person.
#[server(prefix = "/api", endpoint = "delegations")]
pub async fn my_delegations() -> Result<DelegationsOverview, AccessError> {
    use super::port::Delegations;
    use std::sync::Arc;

    let principal = crate::identity::principal()?;
    let port = use_context::<Arc<dyn Delegations>>()
        .ok_or_else(|| AccessError::Internal { request_id: principal.request_id.clone() })?;
    port.overview(&principal).await
}
