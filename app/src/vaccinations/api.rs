//! Server functions of the vaccinations page.

use leptos::prelude::*;

use super::model::VaccinationsPage;
use crate::identity::AccessError;

#[server(prefix = "/api", endpoint = "vaccinations")]
pub async fn load_vaccinations() -> Result<VaccinationsPage, AccessError> {
    let principal = crate::identity::principal()?;
    let port = use_context::<std::sync::Arc<dyn super::port::Vaccinations>>()
        .ok_or_else(|| AccessError::Internal { request_id: principal.request_id.clone() })?;
    port.overview(&principal).await
}
