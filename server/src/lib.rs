//! Portale Salute server: configuration, HTTP stack, security, database and
//! the embedded demo region. `main.rs` only parses the command line.

pub mod access_log;
pub mod care_now;
pub mod clock;
pub mod config;
pub mod consent;
pub mod cup;
pub mod db;
pub mod delegations;
pub mod demo;
pub mod doctors;
pub mod downloads;
pub mod emergency;
pub mod fse;
pub mod health;
pub mod identity;
pub mod ingest;
pub mod jobs;
pub mod language;
pub mod notifications;
pub mod page_cache;
pub mod payments;
pub mod pharmacy;
pub mod prevention;
pub mod printing;
pub mod screening;
pub mod security;
pub mod slots;
pub mod startup;
pub mod state;
pub mod surgery;
pub mod telemetry;
pub mod vaccinations;
