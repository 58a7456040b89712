//! Server functions of "Le mie ricette" and of the pharmacy counter.
//! Changes are plain form posts (`server/src/pharmacy/routes.rs`).

use leptos::prelude::*;

use super::model::{CardLookup, MyPrescriptions};
#[cfg(feature = "ssr")]
use super::port::Prescriptions;
#[cfg(feature = "ssr")]
use crate::identity::signed_in_with;
use crate::identity::AccessError;

#[server(prefix = "/api", endpoint = "my_prescriptions")]
pub async fn load_my_prescriptions() -> Result<MyPrescriptions, AccessError> {
    let (principal, port) = signed_in_with::<dyn Prescriptions>()?;
    port.mine(&principal).await
}

#[server(prefix = "/api", endpoint = "pharmacy_counter")]
pub async fn load_counter() -> Result<CardLookup, AccessError> {
    let (principal, port) = signed_in_with::<dyn Prescriptions>()?;
    port.counter(&principal).await
}
