//! Server-rendered pages: language, navigation, 404.

mod common;

use common::spawn_app;

#[tokio::test]
async fn the_home_page_is_rendered_in_italian_by_default() {
    let app = spawn_app().await;

    let response = app.get("/").await;

    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    assert!(html.contains(r#"<html lang="it""#), "{html}");
    assert!(html.contains("Portale Salute Liguria"));
    assert!(html.contains("Vai al contenuto principale"));
    for path in [
        "/fascicolo",
        "/prenotazioni",
        "/pagamenti",
        "/vaccinazioni",
        "/screening",
        "/medico",
        "/interventi",
        "/pronto-soccorso",
        "/farmacia",
    ] {
        assert!(html.contains(&format!(r#"href="{path}""#)), "navigation lacks {path}");
    }
}

#[tokio::test]
async fn the_language_cookie_switches_the_page_to_english() {
    let app = spawn_app().await;

    let response = app.client.get(app.url("/")).header("cookie", "lang=en").send().await.expect("sent");

    let html = response.text().await.expect("body");
    assert!(html.contains(r#"<html lang="en""#));
    assert!(html.contains("Liguria Health Portal"));
    assert!(html.contains("Skip to main content"));
}

#[tokio::test]
async fn choosing_a_language_sets_a_lasting_cookie_and_returns_to_the_same_page() {
    let app = spawn_app().await;

    let response = app.post_form("/lingua", &[("lang", "en"), ("return_to", "/privacy")]).await;

    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/privacy");
    let cookie = response.headers()["set-cookie"].to_str().expect("ascii");
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Max-Age=31536000"));
}

#[tokio::test]
async fn a_language_switch_never_redirects_off_site() {
    let app = spawn_app().await;

    let response = app.post_form("/lingua", &[("lang", "it"), ("return_to", "//evil.example/")]).await;

    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/");
}

#[tokio::test]
async fn an_unknown_language_is_refused_and_sets_nothing() {
    let app = spawn_app().await;

    let response = app.post_form("/lingua", &[("lang", "xx"), ("return_to", "/")]).await;

    assert_eq!(response.status(), 400);
    assert!(response.headers().get("set-cookie").is_none());
    assert!(response.text().await.expect("body").contains("Lingua non disponibile"));
}

#[tokio::test]
async fn an_unknown_address_gets_the_portal_404_page() {
    let app = spawn_app().await;

    for path in ["/non-esiste", "/privacy/qualcosa/di/strano"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let html = response.text().await.expect("body");
        assert!(html.contains("Pagina non trovata"), "{path}: {html}");
        assert!(html.contains("Torna alla pagina iniziale"));
    }
}

#[tokio::test]
async fn vaccinations_and_screening_are_personal_pages_behind_sign_in() {
    let app = spawn_app().await;

    for path in ["/vaccinazioni", "/screening", "/regione/screening"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        let to = response.headers()["location"].to_str().expect("location").to_string();
        assert!(to.starts_with("/auth/login?return_to="), "{path} → {to}");
    }
}

#[tokio::test]
async fn the_accessibility_statement_and_privacy_notice_exist() {
    let app = spawn_app().await;

    assert!(app.get("/accessibilita").await.text().await.expect("body").contains("Dichiarazione di accessibilità"));
    assert!(app.get("/privacy").await.text().await.expect("body").contains("Informativa sulla privacy"));
}
