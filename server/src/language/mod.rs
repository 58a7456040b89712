//! The language switch endpoint.
pub mod routes;
