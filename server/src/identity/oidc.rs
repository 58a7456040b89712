//! The portal as an OpenID Connect relying party: authorization code flow
//! with PKCE (S256), state and nonce, discovery from the issuer URL, ID
//! token validation, claims from UserInfo (where SPID puts them),
//! RP-initiated logout, and introspection of hospital systems' tokens.
//!
//! Discovery is lazy and cached, so the portal starts (and serves public
//! pages) even while the identity provider is down.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use app::domain::fiscal_code::FiscalCode;
use app::identity::model::{Person, Role};
use openidconnect::{
    core::{
        CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClient, CoreClientAuthMethod, CoreGenderClaim,
        CoreGrantType, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm,
        CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
    },
    reqwest, AccessToken, AdditionalClaims, AdditionalProviderMetadata, AuthenticationFlow, AuthorizationCode,
    ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet, IntrospectionUrl, IssuerUrl,
    LogoutProviderMetadata, LogoutRequest, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    PostLogoutRedirectUrl, ProviderMetadata, RedirectUrl, Scope, TokenIntrospectionResponse, TokenResponse,
    UserInfoClaims,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

use crate::config::Settings;

/// Scopes asked at sign-in: `profile` carries the CIE/SPID person
/// attributes, `ruolo` the portal's role claims (pharmacists, operators).
const SIGN_IN_SCOPES: [&str; 2] = ["profile", "ruolo"];
/// How long discovered provider metadata (and its keys) is trusted.
const METADATA_TTL: Duration = Duration::from_secs(60 * 60);
/// Timeout of every call to the provider.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);
/// CIE/SPID carry the fiscal code as `TINIT-<code>` in this claim.
const FISCAL_NUMBER_PREFIX: &str = "TINIT-";

/// Discovery fields beyond OpenID Connect Core that the portal uses.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct IntrospectionMetadata {
    pub introspection_endpoint: Option<IntrospectionUrl>,
}
impl AdditionalProviderMetadata for IntrospectionMetadata {}

type Metadata = ProviderMetadata<
    LogoutProviderMetadata<IntrospectionMetadata>,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// A discovered client: authorization and token endpoints known, UserInfo
/// as the provider says.
type SignInClient =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// Claims of the Italian eID gateway and the portal's role claims.
#[derive(Clone, Debug, Deserialize, Serialize)]
struct PortalClaims {
    #[serde(rename = "https://attributes.eid.gov.it/fiscal_number")]
    fiscal_number: Option<String>,
    role: Option<String>,
    pharmacy_id: Option<String>,
}
impl AdditionalClaims for PortalClaims {}

/// What the login step keeps in the session until the provider calls back.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct PendingLogin {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub return_to: String,
}

/// The person the provider vouched for.
#[derive(Clone, Debug)]
pub struct VerifiedIdentity {
    pub person: Person,
    pub role: Role,
    pub pharmacy_id: Option<String>,
    /// Kept for RP-initiated logout (`id_token_hint`).
    pub id_token: String,
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("identity provider unreachable or misconfigured: {0}")]
    Unavailable(String),
    #[error("the provider's answer failed validation: {0}")]
    Invalid(String),
    #[error("no valid fiscal code among the claims")]
    NoFiscalCode,
}

/// The unlocalised value of a name claim (empty when missing).
fn localized<T: std::ops::Deref<Target = String>>(claim: Option<&openidconnect::LocalizedClaim<T>>) -> String {
    claim.and_then(|claim| claim.get(None)).map(|name| name.to_string()).unwrap_or_default()
}

/// A machine client's token, as the provider described it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Introspection {
    pub active: bool,
    pub client_id: Option<String>,
    pub scopes: Vec<String>,
}

pub struct OidcClient {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: ClientSecret,
    redirect_url: RedirectUrl,
    post_logout_url: PostLogoutRedirectUrl,
    http: reqwest::Client,
    metadata: RwLock<Option<(Arc<Metadata>, Instant)>>,
}

impl OidcClient {
    /// `public_url` is the portal's own address (redirect URIs hang off it).
    pub fn new(settings: &Settings, public_url: &str) -> Result<OidcClient, LoginError> {
        let bad = |what: &str, error: &dyn std::fmt::Display| LoginError::Unavailable(format!("{what}: {error}"));
        let http = reqwest::Client::builder()
            // Following redirects would open the client to SSRF.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .build()
            .map_err(|e| bad("http client", &e))?;
        Ok(OidcClient {
            issuer: IssuerUrl::new(settings.oidc_issuer.clone()).map_err(|e| bad("issuer", &e))?,
            client_id: ClientId::new(settings.oidc_client_id.clone()),
            client_secret: ClientSecret::new(settings.oidc_client_secret.expose_secret().to_string()),
            redirect_url: RedirectUrl::new(format!("{public_url}/auth/callback")).map_err(|e| bad("redirect", &e))?,
            post_logout_url: PostLogoutRedirectUrl::new(format!("{public_url}/"))
                .map_err(|e| bad("post-logout redirect", &e))?,
            http,
            metadata: RwLock::new(None),
        })
    }

    /// The provider's origin (`scheme://host:port`), for the page CSP's
    /// `form-action` (the sign-out form's redirect ends there).
    pub fn issuer_origin(&self) -> String {
        self.issuer.url().origin().ascii_serialization()
    }

    async fn metadata(&self) -> Result<Arc<Metadata>, LoginError> {
        if let Some((metadata, fetched)) = self.metadata.read().await.as_ref() {
            if fetched.elapsed() < METADATA_TTL {
                return Ok(metadata.clone());
            }
        }
        let metadata = Metadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|error| LoginError::Unavailable(format!("discovery: {error}")))?;
        let metadata = Arc::new(metadata);
        *self.metadata.write().await = Some((metadata.clone(), Instant::now()));
        Ok(metadata)
    }

    /// The client for the authorization code flow, from discovery.
    async fn sign_in_client(&self) -> Result<SignInClient, LoginError> {
        let metadata = self.metadata().await?;
        Ok(CoreClient::from_provider_metadata(
            (*metadata).clone(),
            self.client_id.clone(),
            Some(self.client_secret.clone()),
        )
        .set_redirect_uri(self.redirect_url.clone()))
    }

    /// Starts a sign-in: the provider URL to send the browser to, and what
    /// to keep in the session to check the answer.
    pub async fn begin(&self, return_to: String) -> Result<(String, PendingLogin), LoginError> {
        let client = self.sign_in_client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in SIGN_IN_SCOPES {
            request = request.add_scope(Scope::new(scope.to_string()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        let pending = PendingLogin {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            return_to,
        };
        Ok((url.to_string(), pending))
    }

    /// Completes a sign-in: code → tokens (with the PKCE verifier), ID token
    /// checked (signature, issuer, audience, expiry, nonce), then UserInfo.
    /// The caller has already matched `state`.
    pub async fn finish(&self, pending: &PendingLogin, code: String) -> Result<VerifiedIdentity, LoginError> {
        let client = self.sign_in_client().await?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| LoginError::Unavailable(format!("token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| LoginError::Invalid(format!("code exchange: {e}")))?;
        let id_token = tokens.id_token().ok_or_else(|| LoginError::Invalid("no ID token".into()))?;
        let claims = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(pending.nonce.clone()))
            .map_err(|e| LoginError::Invalid(format!("ID token: {e}")))?;
        let info: UserInfoClaims<PortalClaims, CoreGenderClaim> = client
            .user_info(tokens.access_token().clone(), Some(claims.subject().clone()))
            .map_err(|e| LoginError::Unavailable(format!("userinfo endpoint: {e}")))?
            .request_async(&self.http)
            .await
            .map_err(|e| LoginError::Invalid(format!("userinfo: {e}")))?;

        let extra = info.additional_claims();
        let fiscal_code = extra
            .fiscal_number
            .as_deref()
            .map(|value| value.strip_prefix(FISCAL_NUMBER_PREFIX).unwrap_or(value))
            .and_then(|value| FiscalCode::parse(value).ok())
            .ok_or(LoginError::NoFiscalCode)?;
        let given_name = localized(info.given_name());
        let family_name = localized(info.family_name());
        let role = Role::from_claim(extra.role.as_deref())
            .ok_or_else(|| LoginError::Invalid(format!("unknown role {:?}", extra.role)))?;
        Ok(VerifiedIdentity {
            person: Person { fiscal_code: fiscal_code.as_str().to_string(), given_name, family_name },
            role,
            pharmacy_id: extra.pharmacy_id.clone().filter(|_| role == Role::Pharmacist),
            id_token: id_token.to_string(),
        })
    }

    /// Where to send the browser to end the provider's session too, if the
    /// provider supports RP-initiated logout.
    pub async fn logout_url(&self, id_token: Option<&str>) -> Option<String> {
        let metadata = self.metadata().await.ok()?;
        let endpoint = metadata.additional_metadata().end_session_endpoint.clone()?;
        let mut request = LogoutRequest::from(endpoint)
            .set_client_id(self.client_id.clone())
            .set_post_logout_redirect_uri(self.post_logout_url.clone());
        if let Some(token) = id_token.and_then(|token| token.parse::<openidconnect::core::CoreIdToken>().ok()) {
            request = request.set_id_token_hint(&token);
        }
        Some(request.http_get_url().to_string())
    }

    /// Asks the provider what a bearer token is worth (RFC 7662).
    pub async fn introspect(&self, token: &str) -> Result<Introspection, LoginError> {
        let metadata = self.metadata().await?;
        let endpoint = metadata
            .additional_metadata()
            .additional_metadata
            .introspection_endpoint
            .clone()
            .ok_or_else(|| LoginError::Unavailable("the provider offers no introspection".into()))?;
        let client = CoreClient::new(self.client_id.clone(), metadata.issuer().clone(), metadata.jwks().clone())
            .set_client_secret(self.client_secret.clone())
            .set_introspection_url(endpoint);
        let access_token = AccessToken::new(token.to_string());
        let answer = client
            .introspect(&access_token)
            .request_async(&self.http)
            .await
            .map_err(|e| LoginError::Unavailable(format!("introspection: {e}")))?;
        Ok(Introspection {
            active: answer.active(),
            client_id: answer.client_id().map(|id| id.to_string()),
            scopes: answer.scopes().map(|scopes| scopes.iter().map(|s| s.to_string()).collect()).unwrap_or_default(),
        })
    }
}
