//! "Vaccinazioni": the regional vaccination registry (history and
//! certificate), the doses due, and the campaigns with their eligibility
//! and appointments at vaccination centres and pharmacies.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
