//! "Pronto Soccorso": the public board of every emergency room of the
//! region — patients waiting and in treatment per triage colour, pushed in
//! by hospital systems (`server/src/emergency`) and updated live.

pub mod api;
pub mod live;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod texts;
