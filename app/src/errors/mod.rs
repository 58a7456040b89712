//! The 404 page and the friendly page shown when a page fails to render.
pub mod pages;
pub mod status;
