//! What the two prevention capabilities, vaccinations
//! (`crate::vaccinations`) and cancer screening (`crate::screening`), share:
//!
//! - `appointments`: their appointments on the CUP's agendas (search, book,
//!   move, cancel), with the audit trails of both;
//! - `facts`: what the campaign and programme rules
//!   (`app::domain::{vaccination, screening}`) need to know of a person;
//! - `reminders`: the sweep that reminds what is due;
//! - `routes`: the appointment form posts.

pub mod appointments;
pub mod facts;
pub mod reminders;
pub mod routes;
