//! Server functions of the screening pages.

use leptos::prelude::*;

use super::model::{AdherenceReport, ScreeningPage};
use crate::identity::AccessError;

#[cfg(feature = "ssr")]
fn port() -> Result<(crate::identity::model::Principal, std::sync::Arc<dyn super::port::Screening>), AccessError> {
    let principal = crate::identity::principal()?;
    let port = use_context::<std::sync::Arc<dyn super::port::Screening>>()
        .ok_or_else(|| AccessError::Internal { request_id: principal.request_id.clone() })?;
    Ok((principal, port))
}

#[server(prefix = "/api", endpoint = "screening")]
pub async fn load_screening() -> Result<ScreeningPage, AccessError> {
    let (principal, port) = port()?;
    port.overview(&principal).await
}

#[server(prefix = "/api", endpoint = "screening_adherence")]
pub async fn load_adherence() -> Result<AdherenceReport, AccessError> {
    let (principal, port) = port()?;
    port.adherence(&principal).await
}
