//! `/auth/login`, `/auth/callback`, `/auth/logout` (the OpenID Connect
//! flow) and `POST /agisci-per` (choose whom to act for). Plain routes with
//! redirects, so they work without JavaScript.

use app::identity::forms::{ActFor, SIGN_OUT};
use app::identity::model::RequestIdentity;
use app::identity::notice::IdentityNotice;
use app::notice::Notice;
use app::ui::links::sign_in_href;
use axum::{
    extract::{Query, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Extension, Form, Router,
};
use serde::Deserialize;
use tower_sessions::Session;

use super::oidc::{LoginError, PendingLogin};
use super::session::{marker_cookie, now_seconds, set_notice, SignedInUser, PENDING_LOGIN_KEY, USER_KEY};
use crate::{access_log, language::routes::safe_return_path, state::AppState, telemetry::sanitised_for_log};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", get(login))
        .route("/auth/callback", get(callback))
        .route(SIGN_OUT, post(logout))
        .route(ActFor::ACTION, post(act_for))
}

/// The page that explains a failed sign-in, by reason.
fn sign_in_failed(reason: &str) -> Response {
    Redirect::to(&format!("/accesso-non-riuscito?motivo={reason}")).into_response()
}

#[derive(Deserialize)]
struct LoginQuery {
    return_to: Option<String>,
}

/// Sends the browser to the identity provider, remembering state, nonce,
/// PKCE verifier and the page to come back to (same-site paths only).
async fn login(State(state): State<AppState>, session: Session, Query(query): Query<LoginQuery>) -> Response {
    let return_to = safe_return_path(query.return_to.as_deref().unwrap_or("/"));
    if matches!(session.get::<SignedInUser>(USER_KEY).await, Ok(Some(_))) {
        return Redirect::to(&return_to).into_response();
    }
    match state.oidc.begin(return_to).await {
        Ok((provider_url, pending)) => {
            if let Err(error) = session.insert(PENDING_LOGIN_KEY, pending).await {
                tracing::error!(%error, "could not store the pending sign-in");
                return sign_in_failed("non-disponibile");
            }
            Redirect::to(&provider_url).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "sign-in could not start");
            sign_in_failed("non-disponibile")
        }
    }
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// The provider's answer. The pending sign-in is taken out of the session
/// first, so every state (and with it every code) is good for one try.
async fn callback(State(state): State<AppState>, session: Session, Query(query): Query<CallbackQuery>) -> Response {
    let pending = session.remove::<PendingLogin>(PENDING_LOGIN_KEY).await.ok().flatten();
    let Some(pending) = pending else {
        tracing::warn!("sign-in callback without a pending sign-in (expired, replayed or forged)");
        return sign_in_failed("scaduto");
    };
    if let Some(error) = query.error {
        // Anyone can call this URL: what it says is the caller's text.
        tracing::info!(error = %sanitised_for_log(&error), "the provider ended the sign-in with an error");
        return sign_in_failed(if error == "access_denied" { "annullato" } else { "non-valido" });
    }
    let (Some(code), Some(returned_state)) = (query.code, query.state) else {
        return sign_in_failed("non-valido");
    };
    if !same_secret(&returned_state, &pending.state) {
        tracing::warn!("sign-in callback with a state that does not match");
        return sign_in_failed("non-valido");
    }
    let verified = match state.oidc.finish(&pending, code).await {
        Ok(verified) => verified,
        Err(error) => {
            // The provider's messages may quote what the browser sent.
            tracing::warn!(error = %sanitised_for_log(&error.to_string()), "sign-in refused");
            return sign_in_failed(match error {
                LoginError::Unavailable(_) => "non-disponibile",
                LoginError::NoFiscalCode => "codice-fiscale",
                LoginError::Invalid(_) => "non-valido",
            });
        }
    };
    // A new session id at sign-in: an id planted before cannot be reused.
    if let Err(error) = session.cycle_id().await {
        tracing::error!(%error, "could not renew the session id");
        return sign_in_failed("non-disponibile");
    }
    let user = SignedInUser {
        person: verified.person,
        role: verified.role,
        pharmacy_id: verified.pharmacy_id,
        signed_in_at: now_seconds(),
        acting_for: None,
        id_token: verified.id_token,
    };
    if let Err(error) = session.insert(USER_KEY, user).await {
        tracing::error!(%error, "could not store the signed-in person");
        return sign_in_failed("non-disponibile");
    }
    set_notice(&session, Notice::Identity(IdentityNotice::SignedIn)).await;
    tracing::info!("signed in");
    let mut response = Redirect::to(&pending.return_to).into_response();
    response.headers_mut().append(header::SET_COOKIE, marker_cookie(&state.settings, true));
    response
}

/// Compares two secrets in time independent of where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Ends the portal session, then the provider's (RP-initiated logout),
/// which sends the browser back to the home page.
async fn logout(State(state): State<AppState>, session: Session) -> Response {
    let user = session.get::<SignedInUser>(USER_KEY).await.ok().flatten();
    let _ = session.flush().await;
    // flush() keeps the old id for the next save: the "signed out" notice
    // must travel under a new one.
    let _ = session.cycle_id().await;
    set_notice(&session, Notice::Identity(IdentityNotice::SignedOut)).await;
    let target = match user {
        Some(user) => state.oidc.logout_url(Some(&user.id_token)).await.unwrap_or_else(|| "/".to_string()),
        None => "/".to_string(),
    };
    let mut response = Redirect::to(&target).into_response();
    response.headers_mut().append(header::SET_COOKIE, marker_cookie(&state.settings, false));
    response
}

/// Chooses whom to act for among those the registry allows right now.
async fn act_for(
    State(state): State<AppState>,
    session: Session,
    Extension(identity): Extension<RequestIdentity>,
    Form(form): Form<ActFor>,
) -> Response {
    let return_to = safe_return_path(&form.return_to);
    let Some(principal) = identity.principal else {
        return Redirect::to(&sign_in_href(&return_to)).into_response();
    };
    let allowed = identity.acting_options.iter().any(|option| option.person.fiscal_code == form.per);
    let user = session.get::<SignedInUser>(USER_KEY).await.ok().flatten();
    match (allowed, user) {
        (true, Some(mut user)) => {
            user.acting_for = (form.per != principal.actor.fiscal_code).then_some(form.per);
            if session.insert(USER_KEY, user).await.is_err() {
                set_notice(&session, Notice::ServiceUnavailable).await;
            } else {
                set_notice(&session, Notice::Identity(IdentityNotice::ActingChanged)).await;
            }
        }
        _ => {
            tracing::warn!("acting for a person without a guardianship or a live delegation refused");
            // The person named sees the attempt in their log.
            if let Err(error) = access_log::refused_on_named_person(
                &state.pool,
                &principal,
                &form.per,
                crate::delegations::DELEGATIONS_LOG,
                Some("agire-per-conto"),
            )
            .await
            {
                tracing::error!(%error, "refused acting-for attempt not audited");
            }
            set_notice(&session, Notice::Identity(IdentityNotice::ActingRefused)).await;
        }
    }
    Redirect::to(&return_to).into_response()
}

#[cfg(test)]
mod tests {
    use super::same_secret;

    #[test]
    fn secrets_match_only_when_identical() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
