//! Server functions of the screening pages.

use leptos::prelude::*;

use super::model::{AdherenceReport, ScreeningPage};
#[cfg(feature = "ssr")]
use super::port::Screening;
#[cfg(feature = "ssr")]
use crate::identity::signed_in_with;
use crate::identity::AccessError;

#[server(prefix = "/api", endpoint = "screening")]
pub async fn load_screening() -> Result<ScreeningPage, AccessError> {
    let (principal, port) = signed_in_with::<dyn Screening>()?;
    port.overview(&principal).await
}

#[server(prefix = "/api", endpoint = "screening_adherence")]
pub async fn load_adherence() -> Result<AdherenceReport, AccessError> {
    let (principal, port) = signed_in_with::<dyn Screening>()?;
    port.adherence(&principal).await
}
