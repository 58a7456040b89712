//! Server functions of the surgery tracker.

use leptos::prelude::*;

use super::model::{CaseView, SurgeryOverview};
use crate::identity::AccessError;

#[cfg(feature = "ssr")]
fn port() -> Result<(crate::identity::model::Principal, std::sync::Arc<dyn super::port::SurgeryTracker>), AccessError> {
    let principal = crate::identity::principal()?;
    let port = use_context::<std::sync::Arc<dyn super::port::SurgeryTracker>>()
        .ok_or_else(|| AccessError::Internal { request_id: principal.request_id.clone() })?;
    Ok((principal, port))
}

#[server(prefix = "/api", endpoint = "surgery_overview")]
pub async fn load_surgery_overview() -> Result<SurgeryOverview, AccessError> {
    let (principal, port) = port()?;
    port.overview(&principal).await
}

#[server(prefix = "/api", endpoint = "surgery_case")]
pub async fn load_surgery_case(id: i64) -> Result<CaseView, AccessError> {
    let (principal, port) = port()?;
    port.case(&principal, id).await
}
