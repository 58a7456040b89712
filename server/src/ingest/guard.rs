//! Hospital systems call `/ingest/…` with OAuth2 bearer tokens obtained
//! from the identity provider with client credentials. The guard asks the
//! provider about each token (RFC 7662 introspection) and checks the scope
//! the route needs: no token or a dead one → 401, wrong scope → 403. A
//! body must be sent as `application/json` (415 otherwise), so that no
//! form or text post is ever read as an ingest body.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Extension, Json,
};
use serde::Serialize;
use serde_json::json;

use crate::state::AppState;

/// The machine client a request was authenticated as.
#[derive(Clone, Debug, Serialize)]
pub struct MachineClient {
    pub client_id: String,
    pub scopes: Vec<String>,
}

/// State of one guard: the app and the scope its routes need.
#[derive(Clone)]
pub struct ScopeGuard {
    pub(crate) state: AppState,
    pub(crate) scope: &'static str,
}

/// `GET …/whoami`: the client and scopes a token stands for.
pub async fn whoami(Extension(client): Extension<MachineClient>) -> Json<MachineClient> {
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

/// Whether the body is declared as JSON: exactly one `Content-Type`,
/// `application/json` with or without parameters (`; charset=utf-8`).
fn declares_json(headers: &HeaderMap) -> bool {
    let mut values = headers.get_all(header::CONTENT_TYPE).iter();
    match (values.next(), values.next()) {
        (Some(value), None) => value
            .to_str()
            .ok()
            .and_then(|value| value.split(';').next())
            .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json")),
        _ => false,
    }
}

/// 415 with a JSON problem, like every other refusal of the ingest API.
fn not_json() -> Response {
    let problems = [json!({
        "field": "Content-Type",
        "message": "deve essere application/json",
    })];
    let body = json!({
        "error": "unsupported_media_type",
        "message": "Il corpo deve essere JSON: invia l'intestazione «Content-Type: application/json».",
        "problems": problems,
    });
    (StatusCode::UNSUPPORTED_MEDIA_TYPE, Json(body)).into_response()
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
    if !matches!(*request.method(), Method::GET | Method::HEAD) && !declares_json(request.headers()) {
        tracing::info!(client = ?introspection.client_id, "ingest call with a body that is not declared as JSON");
        return not_json();
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

    #[test]
    fn only_one_json_content_type_declares_a_json_body() {
        let headers = |values: &[&'static str]| {
            let mut map = HeaderMap::new();
            for value in values {
                map.append(header::CONTENT_TYPE, HeaderValue::from_static(value));
            }
            map
        };
        assert!(declares_json(&headers(&["application/json"])));
        assert!(declares_json(&headers(&["Application/JSON; charset=utf-8"])));
        let refused: [&[&'static str]; 7] = [
            &[],
            &["text/plain"],
            &["application/x-www-form-urlencoded"],
            &["application/jsonx"],
            &["application/problem+json"],
            &["multipart/form-data; boundary=x"],
            &["application/json", "text/plain"],
        ];
        for refused in refused {
            assert!(!declares_json(&headers(refused)), "{refused:?}");
        }
    }
}
