//! The catalogue of the portal's services: their routes and icons, in the
//! order the navigation and the home page show them.
pub mod model;
