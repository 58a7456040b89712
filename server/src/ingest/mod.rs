//! The ingest API (`/ingest/v1/…`): how hospital systems push data in.
//!
//! The toolkit every pushing capability (emergency, surgery, screening)
//! uses as a peer:
//! - [`guard`]: the OAuth2 bearer-token check (introspection, scope, JSON
//!   body) in front of every route;
//! - [`body`]: the strict JSON reader, the field parsers and the 422
//!   [`body::Problem`] list;
//! - [`answer`]: what an event became ([`answer::Recorded`]), the refusal
//!   answers, and the one handler for "validate → record → answer"
//!   ([`answer::receive`]) over a capability's [`answer::IngestTarget`];
//! - [`client`]: the machine client the demo feeders post with;
//! - [`live`]: the live hub that carries what was recorded to the browsers.
//!
//! Each capability names its own route ([`IngestRoute`]); [`router`] puts
//! them behind the guard.

pub mod answer;
pub mod body;
pub mod client;
pub mod guard;
pub mod live;
pub mod relay;

use axum::{middleware, routing::get, routing::MethodRouter, Router};

use self::guard::{require_scope, whoami, ScopeGuard};
use crate::state::AppState;

/// Scope to push emergency-room occupancy.
pub const EMERGENCY_WRITE: &str = "emergency:write";
/// Scope to push operating-theatre events.
pub const SURGERY_WRITE: &str = "surgery:write";
/// Scope of the screening centre: FIT kit steps and screening results.
pub const SCREENING_WRITE: &str = "screening:write";

/// One pushing endpoint: its path, the scope it needs and its handler.
pub struct IngestRoute {
    pub path: &'static str,
    pub scope: &'static str,
    pub handler: MethodRouter<AppState>,
}

/// The guarded ingest routes: each capability's endpoint, and
/// `/ingest/v1/{emergency,surgery}/whoami` to check a token.
pub fn router(state: &AppState, routes: impl IntoIterator<Item = IngestRoute>) -> Router<AppState> {
    let guard = |scope| middleware::from_fn_with_state(ScopeGuard { state: state.clone(), scope }, require_scope);
    let checks = Router::new()
        .route("/ingest/v1/emergency/whoami", get(whoami).route_layer(guard(EMERGENCY_WRITE)))
        .route("/ingest/v1/surgery/whoami", get(whoami).route_layer(guard(SURGERY_WRITE)));
    routes
        .into_iter()
        .fold(checks, |router, route| router.route(route.path, route.handler.route_layer(guard(route.scope))))
}
