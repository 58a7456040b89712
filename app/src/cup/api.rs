//! Server functions of the CUP pages (reads). Bookings, cancellations and
//! the waiting list are plain form posts (`server/src/cup/routes.rs`).

use leptos::prelude::*;

use super::model::{BookingCard, BookingsPage, SearchFilter, SearchOutcome};
use crate::identity::AccessError;

#[cfg(feature = "ssr")]
fn port() -> Result<(crate::identity::model::Principal, std::sync::Arc<dyn super::port::Cup>), AccessError> {
    let principal = crate::identity::principal()?;
    let port = use_context::<std::sync::Arc<dyn super::port::Cup>>()
        .ok_or_else(|| AccessError::Internal { request_id: principal.request_id.clone() })?;
    Ok((principal, port))
}

#[server(prefix = "/api", endpoint = "cup_overview")]
pub async fn load_bookings() -> Result<BookingsPage, AccessError> {
    let (principal, port) = port()?;
    port.overview(&principal).await
}

#[server(prefix = "/api", endpoint = "cup_search")]
pub async fn search_slots(filter: SearchFilter) -> Result<SearchOutcome, AccessError> {
    let (principal, port) = port()?;
    port.search(&principal, &filter).await
}

#[server(prefix = "/api", endpoint = "cup_booking")]
pub async fn load_booking(code: String) -> Result<BookingCard, AccessError> {
    let (principal, port) = port()?;
    port.booking(&principal, &code).await
}
