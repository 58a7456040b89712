//! "Pagamenti": health tickets paid through pagoPA (positions, checkout at
//! the payment provider, receipts, paper notices) and the self-certified
//! income exemption that zeroes later tickets.

pub mod api;
pub mod forms;
pub mod model;
pub mod notice;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod texts;
