//! "Interventi": the surgery tracker. Hospital systems push the phases of
//! an operation (`server/src/surgery`); the people the patient authorised
//! follow them live, timing only, never clinical details.

pub mod api;
pub mod forms;
pub mod live;
pub mod model;
pub mod notice;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod texts;
