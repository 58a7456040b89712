//! Informational pages required of a public service: accessibility
//! statement and privacy notice.
pub mod pages;
