//! Probes for operators and load balancers.
pub mod routes;
