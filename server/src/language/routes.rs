//! `POST /lingua`: remembers the chosen language in a cookie and goes back
//! to the page the person was on. A plain form post, so it works without
//! JavaScript; with the islands router the page text is swapped in place.

use app::i18n::{Lang, LANG_COOKIE};
use app::layout::forms::ChooseLanguage;
use axum::{
    extract::State,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::post,
    Form, Router,
};
use std::sync::Arc;

use crate::{config::Settings, state::AppState};

/// One year: the choice should survive until the person changes it.
const LANG_COOKIE_MAX_AGE_SECONDS: u32 = 365 * 24 * 60 * 60;

pub fn router() -> Router<AppState> {
    Router::new().route(ChooseLanguage::ACTION, post(set_language))
}

async fn set_language(State(settings): State<Arc<Settings>>, Form(form): Form<ChooseLanguage>) -> Response {
    let Some(lang) = Lang::parse(&form.lang) else {
        return (
            StatusCode::BAD_REQUEST,
            "Lingua non disponibile: scegli italiano (it) o inglese (en). / Language not available: choose it or en.",
        )
            .into_response();
    };
    let secure = if settings.https { "; Secure" } else { "" };
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age={LANG_COOKIE_MAX_AGE_SECONDS}; SameSite=Lax; HttpOnly{secure}",
        lang.code()
    );
    let mut response = Redirect::to(&safe_return_path(&form.return_to)).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Only a path on this site: anything else (another host, `//host`,
/// backslashes that browsers treat as slashes) goes to the home page.
pub fn safe_return_path(candidate: &str) -> String {
    let is_local_path = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.contains('\\')
        && !candidate.chars().any(char::is_control);
    if is_local_path {
        candidate.to_string()
    } else {
        "/".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::safe_return_path;

    #[test]
    fn local_paths_are_kept() {
        assert_eq!(safe_return_path("/prenotazioni"), "/prenotazioni");
        assert_eq!(safe_return_path("/fascicolo?tipo=referti"), "/fascicolo?tipo=referti");
    }

    #[test]
    fn anything_off_site_goes_home() {
        for candidate in
            ["https://evil.example/", "//evil.example", "/\\evil.example", "", "javascript:alert(1)", "/a\nb"]
        {
            assert_eq!(safe_return_path(candidate), "/", "{candidate:?}");
        }
    }
}
