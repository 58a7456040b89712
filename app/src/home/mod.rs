//! The home page: what the portal is and a tile per service.
pub mod pages;
