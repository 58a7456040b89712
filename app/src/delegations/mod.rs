//! Delegations: an adult lets another adult act for them on chosen
//! services until a date, and can revoke it; both see it here.

pub mod api;
pub mod forms;
pub mod model;
pub mod notice;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
