//! Probes for operators and load balancers, and the page a person gets
//! while the database cannot be reached.
pub mod routes;
pub mod unavailable;
