//! The regional CUP port: prescriptions, agendas, bookings, the waiting
//! list. The adapter enforces the rules; the database makes double booking
//! impossible.

use crate::notice::WriteError;
use async_trait::async_trait;

use super::model::{BookingCard, BookingsPage, SearchFilter, SearchOutcome, WaitingEntry};
use crate::identity::{model::Principal, AccessError};

#[async_trait]
pub trait Cup: Send + Sync {
    /// The subject's bookable prescriptions, bookings and waiting-list entries.
    async fn overview(&self, principal: &Principal) -> Result<BookingsPage, AccessError>;

    /// The earliest free slot of each facility for a prescription's service.
    async fn search(&self, principal: &Principal, filter: &SearchFilter) -> Result<SearchOutcome, AccessError>;

    /// Books `slot_id` with the prescription (moving `moving` if given, in
    /// the same transaction). Returns the booking code.
    async fn book(
        &self,
        principal: &Principal,
        nre: &str,
        slot_id: i64,
        moving: Option<&str>,
    ) -> Result<String, WriteError>;

    async fn booking(&self, principal: &Principal, code: &str) -> Result<BookingCard, AccessError>;

    /// Cancels; the slot is free again at once (the waiting list first).
    async fn cancel(&self, principal: &Principal, code: &str) -> Result<(), WriteError>;

    /// Enters the waiting list when nothing is free in time. Returns the reference.
    async fn join_waiting_list(&self, principal: &Principal, nre: &str) -> Result<String, WriteError>;

    /// One of the subject's waiting-list entries, for its receipt.
    async fn waiting_entry(&self, principal: &Principal, reference: &str) -> Result<WaitingEntry, AccessError>;

    /// Takes the offered slot. Returns the booking code.
    async fn accept_offer(&self, principal: &Principal, offer_id: i64) -> Result<String, WriteError>;

    async fn decline_offer(&self, principal: &Principal, offer_id: i64) -> Result<(), WriteError>;
}
