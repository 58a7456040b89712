//! "Fascicolo sanitario elettronico": the citizen's documents, the patient
//! summary, lab trends, consents and obscuring, the personal notebook and
//! the FHIR export; and the consultation by professionals.

pub mod api;
pub mod forms;
pub mod model;
pub mod notice;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod texts;
