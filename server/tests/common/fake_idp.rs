//! A controllable OpenID Connect provider for integration tests: discovery,
//! JWKS, token endpoint (one-time codes, PKCE S256, client secret), UserInfo,
//! introspection and end-session, on a random loopback port. Unlike the real
//! development provider it can misbehave on purpose (wrong nonce).
//!
//! The authorization step is skipped: a test reads state, nonce and PKCE
//! challenge from the portal's redirect and asks for a code directly.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{
    extract::{Form, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use base64::Engine;
use openidconnect::{
    core::{CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey},
    AccessToken, Audience, EmptyAdditionalClaims, IssuerUrl, JsonWebKeyId, Nonce, PrivateSigningKey, StandardClaims,
    SubjectIdentifier,
};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::Digest;

pub const CLIENT_ID: &str = "portale";
pub const CLIENT_SECRET: &str = "segreto-di-prova";
const KEY_PEM: &str = include_str!("fake_idp_key.pem");

/// A person the provider vouches for.
#[derive(Clone, Debug)]
pub struct FakeAccount {
    pub fiscal_code: String,
    pub given_name: String,
    pub family_name: String,
    pub role: &'static str,
    /// Pharmacists only: the facility id of their pharmacy.
    pub pharmacy_id: Option<String>,
}

#[derive(Clone)]
struct Grant {
    account: FakeAccount,
    nonce: String,
    challenge: String,
    used: bool,
}

#[derive(Default)]
struct Store {
    codes: HashMap<String, Grant>,
    access_tokens: HashMap<String, FakeAccount>,
    /// Machine tokens: token → (client id, scopes).
    machine_tokens: HashMap<String, (String, String)>,
    next: u64,
}

#[derive(Clone)]
pub struct FakeIdp {
    pub issuer: String,
    store: Arc<Mutex<Store>>,
}

/// What the portal's redirect to the provider asked for.
#[derive(Debug)]
pub struct AuthorizationRequest {
    pub state: String,
    pub nonce: String,
    pub code_challenge: String,
    pub code_challenge_method: String,
    pub redirect_uri: String,
    pub scope: String,
}

impl AuthorizationRequest {
    /// Parses the `Location` the portal's `/auth/login` answered with.
    pub fn from_url(url: &str) -> AuthorizationRequest {
        let url = reqwest::Url::parse(url).expect("provider URL");
        let param = |name: &str| {
            url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned()).unwrap_or_default()
        };
        AuthorizationRequest {
            state: param("state"),
            nonce: param("nonce"),
            code_challenge: param("code_challenge"),
            code_challenge_method: param("code_challenge_method"),
            redirect_uri: param("redirect_uri"),
            scope: param("scope"),
        }
    }
}

impl FakeIdp {
    pub async fn start() -> FakeIdp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let issuer = format!("http://127.0.0.1:{}", listener.local_addr().expect("address").port());
        let idp = FakeIdp { issuer, store: Arc::default() };
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/token", post(token))
            .route("/me", get(userinfo))
            .route("/introspect", post(introspect))
            .with_state(idp.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        idp
    }

    /// A code as if `account` had signed in for `request`; `nonce` lets a
    /// test put another nonce in the ID token.
    pub fn issue_code(&self, account: &FakeAccount, request: &AuthorizationRequest, nonce: Option<&str>) -> String {
        let mut store = self.store.lock().expect("store");
        store.next += 1;
        let code = format!("code-{}", store.next);
        store.codes.insert(
            code.clone(),
            Grant {
                account: account.clone(),
                nonce: nonce.unwrap_or(&request.nonce).to_string(),
                challenge: request.code_challenge.clone(),
                used: false,
            },
        );
        code
    }

    /// A machine token for `client_id` with `scopes` (space-separated).
    pub fn machine_token(&self, client_id: &str, scopes: &str) -> String {
        let mut store = self.store.lock().expect("store");
        store.next += 1;
        let token = format!("machine-{}", store.next);
        store.machine_tokens.insert(token.clone(), (client_id.to_string(), scopes.to_string()));
        token
    }
}

async fn discovery(State(idp): State<FakeIdp>) -> Json<Value> {
    let issuer = &idp.issuer;
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "userinfo_endpoint": format!("{issuer}/me"),
        "jwks_uri": format!("{issuer}/jwks"),
        "introspection_endpoint": format!("{issuer}/introspect"),
        "end_session_endpoint": format!("{issuer}/session/end"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": ["openid", "profile", "ruolo"],
    }))
}

fn signing_key() -> CoreRsaPrivateSigningKey {
    CoreRsaPrivateSigningKey::from_pem(KEY_PEM, Some(JsonWebKeyId::new("chiave-di-prova".into()))).expect("test key")
}

async fn jwks() -> Json<CoreJsonWebKeySet> {
    Json(CoreJsonWebKeySet::new(vec![signing_key().as_verification_key()]))
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
    code: String,
    code_verifier: Option<String>,
}

fn oauth_error(status: StatusCode, error: &str) -> Response {
    (status, Json(json!({ "error": error }))).into_response()
}

fn client_authenticated(headers: &HeaderMap) -> bool {
    let expected = base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Basic {expected}"))
}

async fn token(State(idp): State<FakeIdp>, headers: HeaderMap, Form(form): Form<TokenForm>) -> Response {
    if !client_authenticated(&headers) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    if form.grant_type != "authorization_code" {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    let grant = {
        let mut store = idp.store.lock().expect("store");
        match store.codes.get_mut(&form.code) {
            Some(grant) if !grant.used => {
                grant.used = true;
                grant.clone()
            }
            _ => return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant"),
        }
    };
    let verifier = form.code_verifier.unwrap_or_default();
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    if challenge != grant.challenge {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
    }
    let access_token = format!("at-{}", form.code);
    idp.store.lock().expect("store").access_tokens.insert(access_token.clone(), grant.account.clone());
    let now = chrono::Utc::now();
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(idp.issuer.clone()).expect("issuer"),
        vec![Audience::new(CLIENT_ID.into())],
        now + chrono::Duration::minutes(10),
        now,
        StandardClaims::new(SubjectIdentifier::new(grant.account.fiscal_code.clone())),
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(grant.nonce.clone())));
    let id_token = CoreIdToken::new(
        claims,
        &signing_key(),
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        Some(&AccessToken::new(access_token.clone())),
        None,
    )
    .expect("signed ID token");
    Json(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": 600,
        "id_token": id_token.to_string(),
    }))
    .into_response()
}

async fn userinfo(State(idp): State<FakeIdp>, headers: HeaderMap) -> Response {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let Some(account) = idp.store.lock().expect("store").access_tokens.get(token).cloned() else {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_token");
    };
    Json(json!({
        "sub": account.fiscal_code,
        "given_name": account.given_name,
        "family_name": account.family_name,
        "https://attributes.eid.gov.it/fiscal_number": format!("TINIT-{}", account.fiscal_code),
        "role": account.role,
        "pharmacy_id": account.pharmacy_id,
    }))
    .into_response()
}

#[derive(Deserialize)]
struct IntrospectForm {
    token: String,
}

async fn introspect(State(idp): State<FakeIdp>, headers: HeaderMap, Form(form): Form<IntrospectForm>) -> Response {
    if !client_authenticated(&headers) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    match idp.store.lock().expect("store").machine_tokens.get(&form.token) {
        Some((client_id, scope)) => {
            Json(json!({ "active": true, "client_id": client_id, "scope": scope, "token_type": "Bearer" }))
                .into_response()
        }
        None => Json(json!({ "active": false })).into_response(),
    }
}
