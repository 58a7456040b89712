//! "Medico di famiglia": my family doctor (MMG) or paediatrician (PLS) and
//! my minor children's, search in the territorial area, choose or change.

pub mod api;
pub mod forms;
pub mod model;
pub mod notice;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod texts;
