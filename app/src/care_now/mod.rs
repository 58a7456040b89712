//! "Dove andare adesso" (`/dove-andare`): care that is not an emergency —
//! the 116117 number, guardia medica points, pharmacies open now or on duty,
//! Case della Comunità — beside the ER waits, so a person with a white or
//! green problem sees where not to queue. Opening hours, the pharmacies'
//! rota and the holidays are computed on the server (`server/src/care_now`).

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod texts;
