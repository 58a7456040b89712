//! "Prenotazioni": book, move and cancel visits and exams on the regional
//! CUP from a prescription, with the priority's deadline, and the
//! centralised waiting list when nothing is free in time.

pub mod api;
pub mod forms;
pub mod model;
pub mod notice;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod texts;
