//! Server-side sessions (tower-sessions, stored in the database) and the
//! middleware that turns a session into the request's identity: who is
//! signed in, whom they act for (checked against the registry on every
//! request), one-time notices, timeouts, and the sign-in guard of the
//! personal pages.

use app::identity::notice::IdentityNotice;
use app::notice::Notice;
use std::{net::SocketAddr, time::Duration};

use super::session_store::Sessions;
use app::identity::model::{Person, Principal, RequestIdentity, Role};
use app::ui::links::percent_encode;
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use serde::{Deserialize, Serialize};
use tower_http::request_id::RequestId;
use tower_sessions::{cookie::SameSite, session::Id, Expiry, Session, SessionManagerLayer, SessionStore};

use super::acting::{self, Reachable};
use crate::{clock::rome_today, config::Settings, state::AppState};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "portale_sessione";
/// Over HTTPS the cookies carry the `__Host-` prefix: the browser then keeps
/// them only if they are `Secure`, for this host alone (no `Domain`) and for
/// the whole site (`Path=/`), so a sibling subdomain cannot plant or shadow
/// them. Plain-http development cannot use the prefix.
pub fn cookie_name(name: &'static str, https: bool) -> String {
    if https {
        format!("__Host-{name}")
    } else {
        name.to_string()
    }
}
/// "This browser was signed in": outlives the idle session cookie (which
/// the browser drops when it times out) so that the portal can say "your
/// session expired" instead of silently asking to sign in.
pub const SIGNED_IN_MARKER: &str = "portale_accesso";
/// The signed-in person ([`SignedInUser`]).
pub const USER_KEY: &str = "utente";
/// A sign-in under way ([`super::oidc::PendingLogin`]).
pub const PENDING_LOGIN_KEY: &str = "accesso_in_corso";
/// A message for the next page ([`Notice`]).
pub const NOTICE_KEY: &str = "avviso";
/// Unix seconds of the last renewal of the idle expiry.
const RENEWED_KEY: &str = "rinnovata";
/// How often, at most, the idle expiry is renewed (one write): a fifteenth
/// of the idle timeout, at most a minute. Reading pages then does not write,
/// and the 15-minute idle rule holds to the minute.
pub fn renewal_interval(idle: std::time::Duration) -> i64 {
    i64::try_from((idle / 15).as_secs()).unwrap_or(i64::MAX).min(60)
}

/// Pages with personal data: a signed-out visit goes to sign-in and back.
pub const PROTECTED_PREFIXES: [&str; 15] = [
    "/accessi",
    "/deleghe",
    "/medico",
    "/fascicolo",
    "/professionisti",
    "/prenotazioni",
    "/ricette",
    "/farmacia",
    "/pagamenti",
    "/notifiche",
    "/interventi",
    "/vaccinazioni",
    "/screening",
    "/appuntamenti",
    "/regione",
];

/// What the session remembers of the signed-in person.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct SignedInUser {
    pub person: Person,
    pub role: Role,
    pub pharmacy_id: Option<String>,
    /// Unix seconds of sign-in, for the absolute timeout.
    pub signed_in_at: i64,
    /// Fiscal code of the person acted for; `None` = themselves.
    pub acting_for: Option<String>,
    pub id_token: String,
}

/// The session layer: cookie `HttpOnly`, `SameSite=Lax` (the provider's
/// redirect back is a cross-site top-level GET that must carry it),
/// `Secure` unless the portal runs on plain-http localhost, and an idle
/// expiry renewed by [`renew_idle_expiry`] at most once a minute (the
/// session is written only when it changes).
pub fn layer(store: Sessions, settings: &Settings) -> SessionManagerLayer<Sessions> {
    let idle = time::Duration::seconds(i64::try_from(settings.session_idle.as_secs()).unwrap_or(i64::MAX));
    SessionManagerLayer::new(store)
        .with_name(cookie_name(SESSION_COOKIE, settings.https))
        .with_http_only(true)
        .with_secure(settings.https)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle))
}

/// Marks the session changed when its idle expiry was last renewed `every`
/// seconds ago or more: the session layer then saves it with a new expiry.
/// Between renewals nothing is written, so a signed-in read costs no write.
pub async fn renew_idle_expiry(session: &Session, now: i64, every: i64) {
    let renewed: Option<i64> = session.get(RENEWED_KEY).await.ok().flatten();
    if renewed.is_none_or(|renewed| now - renewed >= every) {
        if let Err(error) = session.insert(RENEWED_KEY, now).await {
            tracing::warn!(%error, "session expiry not renewed");
        }
    }
}

/// The marker cookie: set at sign-in for the absolute session length,
/// cleared at sign-out or once the expiry has been reported.
pub fn marker_cookie(settings: &Settings, signed_in: bool) -> HeaderValue {
    let max_age = if signed_in { settings.session_absolute.as_secs() } else { 0 };
    let secure = if settings.https { "; Secure" } else { "" };
    let name = cookie_name(SIGNED_IN_MARKER, settings.https);
    let value = format!("{name}=1; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}");
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn now_seconds() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Whether a path is a personal page that needs a signed-in person.
pub fn is_protected(path: &str) -> bool {
    // A live stream answers 401 itself: a browser's EventSource cannot
    // follow a sign-in page.
    if path.ends_with("/in-diretta") {
        return false;
    }
    PROTECTED_PREFIXES.iter().any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")))
}

/// Leaves a one-time message for the next page.
pub async fn set_notice(session: &Session, notice: Notice) {
    if let Err(error) = session.insert(NOTICE_KEY, notice).await {
        tracing::warn!(%error, "could not store a notice in the session");
    }
}

/// Leaves `notice` for the next page and redirects there (the answer of
/// every form post). `target` is a same-site path, best built with
/// [`redirect_target`] whenever it carries what the browser sent; it goes
/// through [`same_site_location`] anyway, so no target can break the
/// `Location` header (a 500) or leave the site.
pub async fn redirect_with_notice(session: &Session, notice: Notice, target: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    set_notice(session, notice).await;
    axum::response::Redirect::to(&same_site_location(target)).into_response()
}

/// `path?key=value&…#fragment` with every key, value and the fragment
/// percent-encoded: a value can neither add parameters (`&`, `=`), nor a
/// fragment (`#`), nor break the header (CR, LF).
pub fn redirect_target(path: &str, query: &[(&str, &str)], fragment: Option<&str>) -> String {
    let mut target = path.to_string();
    for (index, (key, value)) in query.iter().enumerate() {
        target.push(if index == 0 { '?' } else { '&' });
        target.extend(form_urlencoded::byte_serialize(key.as_bytes()));
        target.push('=');
        target.extend(form_urlencoded::byte_serialize(value.as_bytes()));
    }
    if let Some(fragment) = fragment {
        target.push('#');
        target.extend(form_urlencoded::byte_serialize(fragment.as_bytes()));
    }
    target
}

/// `target` fit for a `Location` header of a same-site redirect: anything
/// but a path of this site (`//host`, `/\host`, `https://…`) becomes `/`,
/// and every byte that is not allowed in a URI (controls, spaces, quotes,
/// non-ASCII) is percent-encoded. What is already valid is left alone.
pub fn same_site_location(target: &str) -> String {
    let same_site = target.starts_with('/') && !target.starts_with("//") && !target.starts_with("/\\");
    if !same_site {
        return "/".to_string();
    }
    let mut location = String::with_capacity(target.len());
    for byte in target.bytes() {
        let allowed = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?#%[]".contains(&byte);
        if allowed {
            location.push(char::from(byte));
        } else {
            location.push_str(&format!("%{byte:02X}"));
        }
    }
    location
}

/// Resolves the request's identity and puts it in the request extensions
/// (read by pages through `app::identity::request_identity`, and by form
/// handlers through [`super::extract::SignedIn`]).
pub async fn resolve_identity(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let carried_marker =
        request.headers().get_all(header::COOKIE).iter().filter_map(|value| value.to_str().ok()).any(|cookies| {
            let marker = format!("{}=", cookie_name(SIGNED_IN_MARKER, state.settings.https));
            cookies.split(';').any(|pair| pair.trim().starts_with(&marker))
        });
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    let ip = crate::security::forwarded::client_address(peer, request.headers(), &state.settings.trusted_proxies)
        .map(|address| address.to_string())
        .unwrap_or_else(|| "sconosciuto".into());
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-")
        .to_string();

    let mut identity = RequestIdentity::default();
    match session.get::<SignedInUser>(USER_KEY).await {
        Ok(Some(user)) if session_too_old(&user, state.settings.session_absolute) => {
            let _ = session.flush().await;
            identity.session_expired = true;
        }
        Ok(Some(mut user)) => match resolve_principal(&state, &session, &mut user, ip, request_id.clone()).await {
            Ok((principal, context)) => {
                renew_idle_expiry(&session, now_seconds(), renewal_interval(state.settings.session_idle)).await;
                identity.acting_options = context.reachable.iter().map(Reachable::option).collect();
                identity.unread_notifications = context.unread_notifications;
                identity.principal = Some(principal);
            }
            Err(error) => {
                tracing::error!(%error, "could not resolve whom the person acts for");
                return crate::health::unavailable::service_unavailable(&request_id);
            }
        },
        Ok(None) => identity.session_expired = carried_marker,
        Err(tower_sessions::session::Error::Store(error)) => {
            // The database is unreachable: the session is kept (the person
            // stays signed in when it returns) and the page says so.
            tracing::error!(%error, "session store unreachable");
            return crate::health::unavailable::service_unavailable(&request_id);
        }
        Err(error) => {
            // An undecodable session is treated as none (and replaced).
            tracing::warn!(%error, "unreadable session");
            let _ = session.flush().await;
        }
    }
    // Taken (and the session written) only when there is one to show.
    if request.method() == Method::GET && session.get::<Notice>(NOTICE_KEY).await.ok().flatten().is_some() {
        identity.notice = session.remove::<Notice>(NOTICE_KEY).await.ok().flatten();
    }

    let expired = identity.session_expired;
    let path = request.uri().path();
    let mut response = if identity.principal.is_none() && request.method() == Method::GET && is_protected(path) {
        let here = request.uri().path_and_query().map(|pq| pq.as_str()).unwrap_or(path);
        let target = if expired { "/sessione-scaduta" } else { "/auth/login" };
        Redirect::to(&format!("{target}?return_to={}", percent_encode(here))).into_response()
    } else {
        let signed_in = identity.principal.is_some();
        request.extensions_mut().insert(identity);
        let mut response = next.run(request).await;
        if signed_in {
            // Personal data must never be stored by browsers or proxies.
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        response
    };
    if expired {
        // Said once: the next page is simply signed out.
        response.headers_mut().append(header::SET_COOKIE, marker_cookie(&state.settings, false));
    }
    response
}

/// Whether the stored session `id` still holds the sign-in of
/// `fiscal_code`: not signed out, not idle past its expiry (the store
/// drops expired rows from its answers), not past the absolute limit.
/// Long-lived answers (live streams) ask this on every tick, because the
/// session middleware only runs when a request starts. A store that
/// cannot answer counts as "no": the stream ends, the browser reconnects.
pub async fn still_signed_in(store: &Sessions, id: Option<Id>, fiscal_code: &str, absolute: Duration) -> bool {
    let Some(id) = id else { return false };
    match store.load(&id).await {
        Ok(Some(record)) => record
            .data
            .get(USER_KEY)
            .and_then(|value| serde_json::from_value::<SignedInUser>(value.clone()).ok())
            .is_some_and(|user| user.person.fiscal_code == fiscal_code && !session_too_old(&user, absolute)),
        Ok(None) => false,
        Err(error) => {
            tracing::warn!(%error, "session not checked: the stream ends");
            false
        }
    }
}

fn session_too_old(user: &SignedInUser, absolute: Duration) -> bool {
    now_seconds().saturating_sub(user.signed_in_at) > i64::try_from(absolute.as_secs()).unwrap_or(i64::MAX)
}

/// Builds the principal for the person the user acts for. An "acting for"
/// that is no longer allowed (delegation expired or revoked, child came
/// of age) falls back to the person themselves, with a notice.
async fn resolve_principal(
    state: &AppState,
    session: &Session,
    user: &mut SignedInUser,
    ip: String,
    request_id: String,
) -> Result<(Principal, acting::RequestContext), sqlx::Error> {
    let context = acting::request_context(&state.pool, &user.person, user.role, rome_today()).await?;
    let reachable = &context.reachable;
    let wanted = user.acting_for.clone().unwrap_or_else(|| user.person.fiscal_code.clone());
    let chosen = match reachable.iter().find(|r| r.person.fiscal_code == wanted) {
        Some(chosen) => chosen.clone(),
        None => {
            user.acting_for = None;
            let _ = session.insert(USER_KEY, user.clone()).await;
            set_notice(session, Notice::Identity(IdentityNotice::ActingEnded)).await;
            reachable[0].clone()
        }
    };
    let principal = Principal {
        actor: user.person.clone(),
        role: user.role,
        pharmacy_id: user.pharmacy_id.clone(),
        subject: chosen.person,
        relation: chosen.relation,
        ip,
        request_id,
    };
    Ok((principal, context))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_expiry_is_renewed_at_most_every_minute() {
        use std::time::Duration;
        assert_eq!(renewal_interval(Duration::from_secs(15 * 60)), 60);
        assert_eq!(renewal_interval(Duration::from_secs(8 * 3600)), 60);
        assert_eq!(renewal_interval(Duration::from_secs(15)), 1);
        assert_eq!(renewal_interval(Duration::from_secs(2)), 0, "a short timeout renews on every request");
    }

    #[test]
    fn personal_pages_are_protected_and_public_ones_are_not() {
        assert!(is_protected("/accessi"));
        assert!(is_protected("/deleghe/3"));
        assert!(!is_protected("/"));
        assert!(!is_protected("/accessibilita"));
        assert!(!is_protected("/pronto-soccorso"));
    }

    #[test]
    fn redirect_targets_encode_what_the_browser_sent() {
        assert_eq!(
            redirect_target("/medico", &[("per", "RSSMRA80A01H501U"), ("disponibili", "1")], Some("ricerca")),
            "/medico?per=RSSMRA80A01H501U&disponibili=1#ricerca"
        );
        assert_eq!(
            redirect_target("/medico", &[("per", "X&admin=1#x\r\nSet-Cookie: a=b")], None),
            "/medico?per=X%26admin%3D1%23x%0D%0ASet-Cookie%3A+a%3Db"
        );
        assert_eq!(redirect_target("/p", &[], None), "/p");
    }

    #[test]
    fn locations_stay_on_site_and_are_valid_header_values() {
        assert_eq!(same_site_location("/medico?per=A#ricerca"), "/medico?per=A#ricerca");
        assert_eq!(same_site_location("/a\r\nSet-Cookie: x"), "/a%0D%0ASet-Cookie:%20x");
        assert_eq!(same_site_location("/è"), "/%C3%A8");
        for off_site in ["//evil.example", "/\\evil.example", "https://evil.example", "", "medico"] {
            assert_eq!(same_site_location(off_site), "/", "{off_site}");
        }
        for target in ["/x\0y", "/\u{202E}", "/a b\"c<d>"] {
            assert!(HeaderValue::from_str(&same_site_location(target)).is_ok(), "{target:?}");
        }
    }

    #[test]
    fn a_session_older_than_the_absolute_limit_is_too_old() {
        let user = |age: i64| SignedInUser {
            person: Person { fiscal_code: "X".into(), given_name: "A".into(), family_name: "B".into() },
            role: Role::Citizen,
            pharmacy_id: None,
            signed_in_at: now_seconds() - age,
            acting_for: None,
            id_token: String::new(),
        };
        let eight_hours = Duration::from_secs(8 * 3600);
        assert!(!session_too_old(&user(3600), eight_hours));
        assert!(session_too_old(&user(8 * 3600 + 5), eight_hours));
    }
}
