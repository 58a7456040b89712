//! HTTP security: response headers on everything, and refusal of
//! state-changing requests that a browser says come from another site.
pub mod csrf;
pub mod forwarded;
pub mod headers;
