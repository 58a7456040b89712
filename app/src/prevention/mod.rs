//! What vaccinations and screening share: appointments on the CUP's
//! agendas without a prescription (search, book, move, cancel), and the
//! texts of both capabilities.

pub mod api;
pub mod forms;
pub mod model;
pub mod notice;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod texts;
