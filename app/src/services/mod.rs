//! The catalogue of the portal's services: their routes, icons and the page
//! shown for a service that is not online yet.
pub mod model;
pub mod pages;
