//! Hospital systems call `/ingest/…` with OAuth2 bearer tokens obtained
//! from the identity provider with client credentials. The guard asks the
//! provider about each token (RFC 7662 introspection) and checks the scope
//! the route needs: no token or a dead one → 401, wrong scope → 403.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
    Extension, Json, Router,
};
use serde::Serialize;

use crate::startup::AppState;

/// Scope to push emergency-room occupancy.
pub const EMERGENCY_WRITE: &str = "emergency:write";
/// Scope to push operating-theatre events.
pub const SURGERY_WRITE: &str = "surgery:write";
/// Scope of the screening centre: FIT kit steps and screening results.
pub const SCREENING_WRITE: &str = "screening:write";

/// The machine client a request was authenticated as.
#[derive(Clone, Debug, Serialize)]
pub struct MachineClient {
    pub client_id: String,
    pub scopes: Vec<String>,
}

/// State of one guard: the app and the scope its routes need.
#[derive(Clone)]
pub struct ScopeGuard {
    state: AppState,
    scope: &'static str,
}

/// The guarded ingest routes: `/ingest/v1/{emergency,surgery}/whoami` to
/// check a token, the emergency-room reports and the operating-theatre
/// events.
pub fn router(state: &AppState) -> Router<AppState> {
    let guard = |scope| middleware::from_fn_with_state(ScopeGuard { state: state.clone(), scope }, require_scope);
    Router::new()
        .route("/ingest/v1/emergency/whoami", get(whoami).route_layer(guard(EMERGENCY_WRITE)))
        .route("/ingest/v1/surgery/whoami", get(whoami).route_layer(guard(SURGERY_WRITE)))
        .route(
            "/ingest/v1/emergency/status",
            post(crate::emergency::routes::post_status).route_layer(guard(EMERGENCY_WRITE)),
        )
        .route("/ingest/v1/surgery/events", post(crate::surgery::routes::post_event).route_layer(guard(SURGERY_WRITE)))
        .route(
            "/ingest/v1/screening/events",
            post(crate::screening::routes::post_event).route_layer(guard(SCREENING_WRITE)),
        )
}

async fn whoami(Extension(client): Extension<MachineClient>) -> Json<MachineClient> {
    Json(client)
}

#[derive(Serialize)]
struct ErrorBody {
    error: &'static str,
    message: &'static str,
}

fn refuse(status: StatusCode, challenge: String, error: &'static str, message: &'static str) -> Response {
    let mut response = (status, Json(ErrorBody { error, message })).into_response();
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
}

pub async fn require_scope(State(guard): State<ScopeGuard>, mut request: Request, next: Next) -> Response {
    let realm = "Bearer realm=\"portale-ingest\"";
    let Some(token) = bearer_token(request.headers()) else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            realm.to_string(),
            "invalid_request",
            "Token di accesso mancante: invia «Authorization: Bearer <token>» ottenuto con le credenziali del client.",
        );
    };
    let introspection = match guard.state.oidc.introspect(token).await {
        Ok(introspection) => introspection,
        Err(error) => {
            tracing::error!(%error, "token introspection failed");
            return refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                realm.to_string(),
                "temporarily_unavailable",
                "Impossibile verificare il token in questo momento: riprova tra poco.",
            );
        }
    };
    if !introspection.active {
        tracing::warn!("ingest call with an invalid or expired token");
        return refuse(
            StatusCode::UNAUTHORIZED,
            format!("{realm}, error=\"invalid_token\""),
            "invalid_token",
            "Token non valido o scaduto: richiedine uno nuovo.",
        );
    }
    if !introspection.scopes.iter().any(|scope| scope == guard.scope) {
        tracing::warn!(client = ?introspection.client_id, needed = guard.scope, "ingest call without the scope");
        return refuse(
            StatusCode::FORBIDDEN,
            format!("{realm}, error=\"insufficient_scope\", scope=\"{}\"", guard.scope),
            "insufficient_scope",
            "Il token non comprende l'autorizzazione (scope) richiesta da questo servizio.",
        );
    }
    request
        .extensions_mut()
        .insert(MachineClient { client_id: introspection.client_id.unwrap_or_default(), scopes: introspection.scopes });
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_well_formed_bearer_header_yields_a_token() {
        let headers = |value: &'static str| {
            let mut map = HeaderMap::new();
            map.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
            map
        };
        assert_eq!(bearer_token(&headers("Bearer abc")), Some("abc"));
        assert_eq!(bearer_token(&headers("bearer  abc ")), Some("abc"));
        assert_eq!(bearer_token(&headers("Basic abc")), None);
        assert_eq!(bearer_token(&headers("Bearer ")), None);
        assert_eq!(bearer_token(&HeaderMap::new()), None);
    }
}
