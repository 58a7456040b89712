//! Server function of "Dove andare adesso".

use leptos::prelude::*;

use super::model::{CareNow, CareNowQuery};
use crate::identity::AccessError;

#[server(prefix = "/api", endpoint = "care-now")]
pub async fn load_care_now(query: CareNowQuery) -> Result<CareNow, AccessError> {
    let identity = crate::identity::request_identity();
    let request_id = identity.principal.as_ref().map(|p| p.request_id.clone()).unwrap_or_default();
    let port = use_context::<std::sync::Arc<dyn super::port::CareNowDirectory>>()
        .ok_or_else(|| AccessError::Internal { request_id: request_id.clone() })?;
    // A citizen's own town sorts the lists when they name no place.
    let resident = identity.principal.as_ref().map(|p| p.subject.fiscal_code.clone());
    port.care_now(&query, resident.as_deref()).await.map_err(|error| {
        tracing::error!(%error, "care-now page not loaded");
        AccessError::Internal { request_id }
    })
}
