//! Server functions of the surgery tracker.

use leptos::prelude::*;

use super::model::{CaseView, SurgeryOverview};
#[cfg(feature = "ssr")]
use super::port::SurgeryTracker;
#[cfg(feature = "ssr")]
use crate::identity::signed_in_with;
use crate::identity::AccessError;

#[server(prefix = "/api", endpoint = "surgery_overview")]
pub async fn load_surgery_overview() -> Result<SurgeryOverview, AccessError> {
    let (principal, port) = signed_in_with::<dyn SurgeryTracker>()?;
    port.overview(&principal).await
}

#[server(prefix = "/api", endpoint = "surgery_case")]
pub async fn load_surgery_case(id: i64) -> Result<CaseView, AccessError> {
    let (principal, port) = signed_in_with::<dyn SurgeryTracker>()?;
    port.case(&principal, id).await
}
