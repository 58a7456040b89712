//! Findings of the outside security review (issue 27) that are about what
//! the portal writes to its log and what free text it keeps: a caller
//! cannot forge a log line, a client's mistake is not an ERROR, and a
//! notebook title cannot hide or reverse text. (Redirects: `doctors.rs`;
//! ingest hardening: `emergency.rs` and `ingest_fuzz.rs`.)
//!
//! The log tests install one global subscriber with the portal's own
//! human-format layer writing into a buffer; tests run in parallel, so each
//! looks only at the lines it can recognise.

mod common;

use std::sync::{Arc, Mutex, OnceLock};

use common::{demo_citizens, location, spawn_app_with_idp, ADULT_WITHOUT_CHILDREN, PARENT_OF_A_MINOR};
use tracing_subscriber::{prelude::*, EnvFilter};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

static LOGS: OnceLock<Captured> = OnceLock::new();

/// Starts capturing (once per test binary).
fn capture_logs() {
    LOGS.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::registry()
            .with(EnvFilter::new("info"))
            .with(server::telemetry::human_layer(move || writer.clone(), false));
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber of this binary");
        captured
    });
}

fn logs() -> String {
    let captured = LOGS.get().expect("capture_logs() first");
    String::from_utf8_lossy(&captured.0.lock().expect("lock")).into_owned()
}

#[tokio::test]
async fn an_anonymous_callback_error_cannot_forge_a_log_line() {
    capture_logs();
    let (app, _idp) = spawn_app_with_idp(|_| {}).await;
    let browser = common::browser();
    app.begin_sign_in(&browser, "/").await;
    let marker = "FORGED-c41b";
    let forged = format!("access_denied\n2026-11-23T10:00:00.000000Z ERROR {marker} admin signed in\u{202E}");

    let response = browser.get(app.url("/auth/callback")).query(&[("error", forged)]).send().await.expect("callback");

    assert_eq!(location(&response), "/accesso-non-riuscito?motivo=non-valido");
    let logs = logs();
    let lines: Vec<&str> = logs.lines().filter(|line| line.contains(marker)).collect();
    assert_eq!(lines.len(), 1, "one request, one line: {lines:#?}");
    assert!(lines[0].contains("the provider ended the sign-in with an error"), "{}", lines[0]);
    assert!(lines[0].contains("error=access_denied\\n2026-11-23"), "{}", lines[0]);
    assert!(lines[0].contains("\\u{202e}") && !lines[0].contains('\u{202E}'), "{}", lines[0]);
}

#[tokio::test]
async fn client_mistakes_are_not_logged_as_errors() {
    capture_logs();
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let parent = demo_citizens(&pool, PARENT_OF_A_MINOR, 1).await.remove(0);
    let stranger = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let browser = app.sign_in(&idp, &parent).await;

    // A doctor choice for someone else, for a doctor that does not exist.
    for (person, doctor) in [(stranger.fiscal_code.as_str(), "1"), (parent.fiscal_code.as_str(), "999999")] {
        let response = app.post_form_as(&browser, "/medico/scelta", &[("person", person), ("doctor_id", doctor)]).await;
        assert_eq!(response.status(), 303);
    }
    // A delegation with a fiscal code whose check letter is wrong.
    let mut wrong = stranger.fiscal_code.clone();
    wrong.replace_range(15.., if wrong.ends_with('A') { "B" } else { "A" });
    let response = app
        .post_form_as(
            &browser,
            "/deleghe",
            &[("delegate", &wrong), ("scopes", "accessi"), ("valid_until", "2099-01-01")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (_, page) = app.page_text(&browser, "/deleghe").await;
    assert!(page.contains("non è valido"), "the mistake is told to the person");

    let logs = logs();
    let errors: Vec<&str> = logs
        .lines()
        .filter(|line| line.contains("ERROR"))
        .filter(|line| line.contains("/medico/scelta") || line.contains("/deleghe"))
        .collect();
    assert!(errors.is_empty(), "client mistakes logged as errors: {errors:#?}");
    let refusals = logs.lines().filter(|line| line.contains("path=/medico/scelta") && line.contains("Refused")).count();
    assert!(refusals >= 2, "the refusals are still logged, below ERROR");
}

#[tokio::test]
async fn a_notebook_title_or_file_name_that_hides_or_reverses_text_is_refused() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let citizen = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let browser = app.sign_in(&idp, &citizen).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();

    for (title, file_name, message) in [
        ("Referto \u{202E}gnp.exe", "referto.png", "Il titolo contiene caratteri invisibili"),
        ("Referto\u{200B}", "referto.png", "Il titolo contiene caratteri invisibili"),
        ("Referto\u{0}", "referto.png", "Il titolo contiene caratteri invisibili"),
        ("Referto", "referto\u{202E}gnp.exe", "Il nome del file contiene caratteri invisibili"),
    ] {
        // Raw UTF-8 in the part headers, as browsers send a file's name.
        let form = reqwest::multipart::Form::new()
            .percent_encode_noop()
            .text("title", title.to_string())
            .part("file", reqwest::multipart::Part::bytes(png.clone()).file_name(file_name.to_string()));
        let response = browser
            .post(app.url("/fascicolo/taccuino"))
            .header("origin", &app.address)
            .header("sec-fetch-site", "same-origin")
            .multipart(form)
            .send()
            .await
            .expect("upload");
        assert_eq!(location(&response), "/fascicolo/taccuino", "{title:?}");
        let (_, page) = app.page_text(&browser, "/fascicolo/taccuino").await;
        assert!(page.contains(message), "{title:?} {file_name:?}");
        let stored: i64 =
            sqlx::query_scalar("SELECT count(*) FROM notebook_entries").fetch_one(&pool).await.expect("count");
        assert_eq!(stored, 0, "{title:?}: nothing stored");
    }
}
