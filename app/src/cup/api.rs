//! Server functions of the CUP pages (reads). Bookings, cancellations and
//! the waiting list are plain form posts (`server/src/cup/routes.rs`).

use leptos::prelude::*;

use super::model::{BookingCard, BookingsPage, SearchFilter, SearchOutcome};
#[cfg(feature = "ssr")]
use super::port::Cup;
#[cfg(feature = "ssr")]
use crate::identity::signed_in_with;
use crate::identity::AccessError;

#[server(prefix = "/api", endpoint = "cup_overview")]
pub async fn load_bookings() -> Result<BookingsPage, AccessError> {
    let (principal, port) = signed_in_with::<dyn Cup>()?;
    port.overview(&principal).await
}

#[server(prefix = "/api", endpoint = "cup_search")]
pub async fn search_slots(filter: SearchFilter) -> Result<SearchOutcome, AccessError> {
    let (principal, port) = signed_in_with::<dyn Cup>()?;
    port.search(&principal, &filter).await
}

#[server(prefix = "/api", endpoint = "cup_booking")]
pub async fn load_booking(code: String) -> Result<BookingCard, AccessError> {
    let (principal, port) = signed_in_with::<dyn Cup>()?;
    port.booking(&principal, &code).await
}
