//! Identity and access: sign-in with OpenID Connect, server-side sessions,
//! acting for children and delegators, and bearer tokens of hospital
//! systems. The audit log and delegations have their own folders.

pub mod accounts;
pub mod acting;
pub mod extract;
pub mod oidc;
pub mod routes;
pub mod session;
pub mod session_store;
