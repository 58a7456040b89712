//! "Le mie ricette" for citizens and the pharmacy counter for pharmacists:
//! dematerialised prescriptions retrieved by health card with the
//! citizen's consent, dispensed exactly once.

pub mod api;
pub mod forms;
pub mod model;
pub mod notice;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod texts;
