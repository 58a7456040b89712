//! The page frame every route shares: skip link, header with the service
//! navigation and the language switch, main landmark, footer.
pub mod forms;
pub mod menu;
pub mod pages;
