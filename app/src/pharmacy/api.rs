//! Server functions of "Le mie ricette" and of the pharmacy counter.
//! Changes are plain form posts (`server/src/pharmacy/routes.rs`).

use leptos::prelude::*;

use super::model::{CardLookup, MyPrescriptions};
use crate::identity::AccessError;

#[cfg(feature = "ssr")]
fn port() -> Result<(crate::identity::model::Principal, std::sync::Arc<dyn super::port::Prescriptions>), AccessError> {
    let principal = crate::identity::principal()?;
    let port = use_context::<std::sync::Arc<dyn super::port::Prescriptions>>()
        .ok_or_else(|| AccessError::Internal { request_id: principal.request_id.clone() })?;
    Ok((principal, port))
}

#[server(prefix = "/api", endpoint = "my_prescriptions")]
pub async fn load_my_prescriptions() -> Result<MyPrescriptions, AccessError> {
    let (principal, port) = port()?;
    port.mine(&principal).await
}

#[server(prefix = "/api", endpoint = "pharmacy_counter")]
pub async fn load_counter() -> Result<CardLookup, AccessError> {
    let (principal, port) = port()?;
    port.counter(&principal).await
}
