//! Server functions of the appointment search (booking, moving and
//! cancelling are form posts: `server/src/prevention/routes.rs`).

use leptos::prelude::*;

use super::model::{HealthAgenda, SlotQuery, SlotSearchOutcome};
#[cfg(feature = "ssr")]
use super::port::Appointments;
#[cfg(feature = "ssr")]
use crate::identity::signed_in_with;
use crate::identity::AccessError;

#[server(prefix = "/api", endpoint = "prevention_slots")]
pub async fn search_prevention_slots(query: SlotQuery) -> Result<SlotSearchOutcome, AccessError> {
    let (principal, port) = signed_in_with::<dyn Appointments>()?;
    port.search(&principal, &query).await
}

/// The home page's to-do list; signed out: nothing (an error the page hides).
#[server(prefix = "/api", endpoint = "health_agenda")]
pub async fn load_health_agenda() -> Result<HealthAgenda, AccessError> {
    let (principal, port) = signed_in_with::<dyn Appointments>()?;
    port.agenda(&principal).await
}
