//! The HTTP stack: probes, security headers, CSRF, caching, limits.

mod common;

use common::{spawn_app, spawn_app_until, spawn_app_with, FAKE_WASM, FAKE_WASM_PATH};
use std::time::Duration;

#[tokio::test]
async fn health_and_readiness_probes_answer_ok() {
    let app = spawn_app().await;

    let health = app.get("/healthz").await;
    let ready = app.get("/readyz").await;

    assert_eq!(health.status(), 200);
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.expect("body"), "ok");
}

#[tokio::test]
async fn pages_carry_a_nonce_csp_that_matches_their_scripts() {
    let app = spawn_app().await;

    // A page rendered for this response (public pages kept for many are
    // below).
    let response = app.get(RENDERED_PAGE).await;

    let csp = response.headers()["content-security-policy"].to_str().expect("ascii").to_string();
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("nonce in CSP").to_string();
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
    let html = response.text().await.expect("body");
    assert!(html.contains(&format!(r#"nonce="{nonce}""#)), "the hydration script carries the nonce");
    for tag in html.split("<script").skip(1).map(|rest| rest.split('>').next().unwrap_or_default()) {
        assert!(tag.contains(&format!(r#"nonce="{nonce}""#)), "a script without the nonce: <script{tag}>");
    }
}

#[tokio::test]
async fn every_page_gets_a_fresh_nonce() {
    let app = spawn_app().await;

    let first = app.get(RENDERED_PAGE).await.headers()["content-security-policy"].clone();
    let second = app.get(RENDERED_PAGE).await.headers()["content-security-policy"].clone();

    assert_ne!(first, second);
}

/// A public page that is rendered for every request (not kept).
const RENDERED_PAGE: &str = "/accesso-non-riuscito?motivo=annullato";

#[tokio::test]
async fn kept_public_pages_allow_exactly_their_inline_scripts_by_hash() {
    use base64::Engine;
    use sha2::Digest;
    let app = spawn_app().await;
    for _ in 0..2 {
        let response = app.get("/").await;
        let csp = response.headers()["content-security-policy"].to_str().expect("ascii").to_string();
        assert!(!csp.contains("'nonce-"), "a nonce served to many is no secret: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        let html = response.text().await.expect("body");
        let inline: Vec<&str> = html
            .split("<script")
            .skip(1)
            .filter_map(|rest| rest.split_once('>'))
            .filter(|(tag, _)| !tag.contains(" src="))
            .filter_map(|(_, body)| body.split_once("</script>").map(|(script, _)| script))
            .collect();
        assert!(!inline.is_empty(), "the home page has inline hydration scripts");
        for script in inline {
            let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()));
            assert!(csp.contains(&format!("'sha256-{hash}'")), "script not allowed: {script}");
        }
    }
}

#[tokio::test]
async fn every_response_has_the_security_headers_and_a_request_id() {
    let app = spawn_app().await;

    for path in ["/", "/healthz", "/robots.txt", "/non-esiste"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["strict-transport-security"], "max-age=63072000; includeSubDomains", "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert!(headers.contains_key("content-security-policy"), "{path}");
        assert_eq!(headers["x-request-id"].len(), 36, "{path}: a UUID request id");
    }
}

#[tokio::test]
async fn non_page_responses_allow_nothing_to_run() {
    let app = spawn_app().await;

    let response = app.get("/healthz").await;

    assert_eq!(
        response.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
    );
}

#[tokio::test]
async fn a_cross_site_form_post_is_refused_and_changes_nothing() {
    let app = spawn_app().await;

    let response = app
        .client
        .post(app.url("/lingua"))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .form(&[("lang", "en"), ("return_to", "/")])
        .send()
        .await
        .expect("sent");

    assert_eq!(response.status(), 403);
    assert!(response.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn a_post_whose_origin_is_another_host_is_refused_without_fetch_metadata() {
    let app = spawn_app().await;

    let response = app
        .client
        .post(app.url("/lingua"))
        .header("origin", "https://evil.example")
        .form(&[("lang", "en")])
        .send()
        .await
        .expect("sent");

    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year() {
    let app = spawn_app_with(|settings| settings.hash_files = true).await;

    let response = app.get(FAKE_WASM_PATH).await;

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(response.bytes().await.expect("body").as_ref(), FAKE_WASM);
}

#[tokio::test]
async fn html_is_compressed_for_browsers_that_accept_it() {
    let app = spawn_app().await;

    let response = app.client.get(app.url("/")).header("accept-encoding", "br").send().await.expect("sent");

    assert_eq!(response.headers()["content-encoding"], "br");
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused() {
    let app = spawn_app_with(|settings| settings.body_limit_bytes = 1024).await;

    let big = "x".repeat(4096);
    let response = app.post_form("/lingua", &[("lang", "it"), ("return_to", &big)]).await;

    assert_eq!(response.status(), 413);
}

#[tokio::test]
async fn a_shutdown_signal_stops_the_server_cleanly() {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (app, server) = spawn_app_until(|settings| settings.shutdown_grace = Duration::from_secs(2), async move {
        let _ = stopped.await;
    })
    .await;
    assert_eq!(app.get("/healthz").await.status(), 200);

    stop.send(()).expect("server is listening for the signal");

    let outcome =
        tokio::time::timeout(Duration::from_secs(5), server).await.expect("server stops within the grace period");
    assert!(outcome.expect("server task").is_ok());
    assert!(reqwest::get(app.url("/healthz")).await.is_err(), "no longer accepting connections");
}

/// The real server with a short header-read timeout; its port.
async fn spawn_with_header_timeout(timeout: Duration) -> (u16, tempfile::TempDir) {
    let folder = tempfile::tempdir().expect("temporary folder");
    let site = folder.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).expect("site");
    let mut settings = server::config::Settings::from_lookup(|_| None).expect("default settings");
    settings.port = 0;
    settings.database_url = common::fresh_database(folder.path(), "portale.db").await;
    settings.site_root = site;
    settings.demo_data = false;
    settings.demo_feeds = false;
    settings.reminders_every = None;
    let application = server::startup::Application::build(settings)
        .await
        .expect("application builds")
        .with_header_read_timeout(timeout);
    let port = application.port();
    tokio::spawn(application.run_until_stopped(std::future::pending()));
    (port, folder)
}

/// Reads until the server closes the connection; how long that took.
async fn closed_after(stream: &mut tokio::net::TcpStream, at_most: Duration) -> Duration {
    use tokio::io::AsyncReadExt;
    let started = std::time::Instant::now();
    let mut buffer = [0u8; 1024];
    loop {
        match tokio::time::timeout(at_most, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return started.elapsed(),
            Ok(Ok(_)) => {} // a 408 or similar before closing is fine
            Err(_) => panic!("the connection is still open after {at_most:?}"),
        }
    }
}

#[tokio::test]
async fn a_client_that_never_finishes_its_request_head_is_disconnected() {
    use tokio::io::AsyncWriteExt;
    let (port, _folder) = spawn_with_header_timeout(Duration::from_secs(1)).await;

    // Slowloris: a request head sent in part, then nothing.
    let mut slow = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lento: ").await.expect("partial head");
    let waited = closed_after(&mut slow, Duration::from_secs(5)).await;
    assert!(waited >= Duration::from_millis(900), "not before the timeout: {waited:?}");

    // A connection that sends nothing at all is closed too.
    let mut silent = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
    closed_after(&mut silent, Duration::from_secs(5)).await;

    // A whole request is answered as usual.
    let healthy = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await.expect("request");
    assert_eq!(healthy.status(), 200);
}

#[tokio::test]
async fn by_default_a_request_head_has_ten_seconds() {
    assert_eq!(server::startup::HEADER_READ_TIMEOUT, Duration::from_secs(10));
}
