//! "Screening": the three national cancer-screening programmes for the
//! subject (who is invited, when the next test is due, the last result),
//! appointments, the colorectal FIT kit collected at a pharmacy, the
//! second-level exam after a positive result, and the region's adherence
//! figures for its operators.

pub mod api;
pub mod forms;
pub mod model;
pub mod notice;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
