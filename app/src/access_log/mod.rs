//! "Chi ha consultato i miei dati": the audit log of every read or write of
//! a person's health data, and the page that shows it to them.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
