//! Server functions of the appointment search (booking, moving and
//! cancelling are form posts: `server/src/prevention/routes.rs`).

use leptos::prelude::*;

use super::model::{HealthAgenda, SlotQuery, SlotSearchOutcome};
use crate::identity::AccessError;

#[cfg(feature = "ssr")]
fn port() -> Result<(crate::identity::model::Principal, std::sync::Arc<dyn super::port::Appointments>), AccessError> {
    let principal = crate::identity::principal()?;
    let port = use_context::<std::sync::Arc<dyn super::port::Appointments>>()
        .ok_or_else(|| AccessError::Internal { request_id: principal.request_id.clone() })?;
    Ok((principal, port))
}

#[server(prefix = "/api", endpoint = "prevention_slots")]
pub async fn search_prevention_slots(query: SlotQuery) -> Result<SlotSearchOutcome, AccessError> {
    let (principal, port) = port()?;
    port.search(&principal, &query).await
}

/// The home page's to-do list; signed out: nothing (an error the page hides).
#[server(prefix = "/api", endpoint = "health_agenda")]
pub async fn load_health_agenda() -> Result<HealthAgenda, AccessError> {
    let (principal, port) = port()?;
    port.agenda(&principal).await
}
