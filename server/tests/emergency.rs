//! The ER board: hospital systems push reports through the ingest API
//! (token, scope, grant, validation, idempotency, ordering); the public
//! board and its live stream show them.

mod common;

use chrono::{SecondsFormat, Utc};
use common::{spawn_app_with_idp, TestApp};
use serde_json::{json, Value};

fn report(event_id: &str, unit: &str, minutes_ago: i64, green_waiting: u32) -> Value {
    let at = Utc::now() - chrono::Duration::minutes(minutes_ago);
    json!({
        "event_id": event_id,
        "unit": unit,
        "reported_at": at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "waiting": {"red": 0, "orange": 1, "light_blue": 2, "green": green_waiting, "white": 3},
        "in_treatment": {"red": 1, "orange": 1, "light_blue": 2, "green": 4, "white": 0},
        "mean_wait_minutes": {"green": 95}
    })
}

async fn post(app: &TestApp, token: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = reqwest::Client::new().post(app.url("/ingest/v1/emergency/status")).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("post");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn stored(app: &TestApp) -> i64 {
    let pool = app.db().await;
    sqlx::query_scalar("SELECT count(*) FROM er_status_reports").fetch_one(&pool).await.expect("count")
}

async fn board(app: &TestApp, query: &str) -> String {
    let response = reqwest::get(app.url(&format!("/pronto-soccorso{query}"))).await.expect("board");
    assert_eq!(response.status(), 200);
    response.text().await.expect("page")
}

#[tokio::test]
async fn ingest_needs_a_token_with_the_scope_and_a_grant_for_the_unit() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let body = report("ev-1", "HUB-GASLINI", 1, 7);

    assert_eq!(post(&app, None, &body).await.0, 401);
    assert_eq!(post(&app, Some("inventato"), &body).await.0, 401);
    let surgery_only = idp.machine_token("ospedale-galliera", "surgery:write");
    let (status, answer) = post(&app, Some(&surgery_only), &body).await;
    assert_eq!((status, answer["error"].as_str()), (403, Some("insufficient_scope")));
    // Gaslini may report for its own unit only.
    let gaslini = idp.machine_token("ospedale-gaslini", "emergency:write");
    let (status, answer) = post(&app, Some(&gaslini), &report("ev-2", "HUB-SANMARTINO", 1, 7)).await;
    assert_eq!((status, answer["error"].as_str()), (403, Some("unit_not_granted")));
    assert_eq!(stored(&app).await, 0, "nothing stored when refused");

    let (status, answer) = post(&app, Some(&gaslini), &body).await;
    assert_eq!((status, answer["result"].as_str()), (200, Some("applied")));
    assert_eq!(stored(&app).await, 1);
}

#[tokio::test]
async fn bad_reports_get_a_precise_422_and_store_nothing() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let token = idp.machine_token("flusso-regionale-ps", "emergency:write");
    let mut bad = report("ev-1", "HUB-GASLINI", 1, 7);
    bad["waiting"]["red"] = json!(-2);
    bad["in_treatment"] = json!({"red": 1});
    bad["reported_at"] = json!("ieri");
    let (status, answer) = post(&app, Some(&token), &bad).await;
    assert_eq!(status, 422);
    let fields: Vec<&str> =
        answer["problems"].as_array().expect("problems").iter().map(|p| p["field"].as_str().unwrap_or("")).collect();
    assert_eq!(
        fields,
        [
            "reported_at",
            "waiting.red",
            "in_treatment.orange",
            "in_treatment.light_blue",
            "in_treatment.green",
            "in_treatment.white"
        ]
    );
    assert!(answer["message"].as_str().unwrap_or_default().contains("correggi i campi indicati"));

    let (status, answer) = post(&app, Some(&token), &report("ev-2", "OSP-INVENTATO", 1, 7)).await;
    assert_eq!((status, answer["problems"][0]["field"].as_str()), (422, Some("unit")));
    let not_json = post_raw(&app, &token, Some("application/json"), "{non json").await;
    assert_eq!(not_json.0, 422);
    assert_eq!(stored(&app).await, 0);
}

async fn post_raw(app: &TestApp, token: &str, content_type: Option<&str>, body: &str) -> (u16, Value) {
    let mut request =
        reqwest::Client::new().post(app.url("/ingest/v1/emergency/status")).bearer_auth(token).body(body.to_string());
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.send().await.expect("post");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("body");
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn only_bodies_declared_as_json_are_read() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let token = idp.machine_token("flusso-regionale-ps", "emergency:write");
    let body = report("ev-1", "HUB-GASLINI", 1, 7).to_string();
    for content_type in [None, Some("text/plain"), Some("application/x-www-form-urlencoded"), Some("application/jsonx")]
    {
        let (status, answer) = post_raw(&app, &token, content_type, &body).await;
        assert_eq!((status, answer["error"].as_str()), (415, Some("unsupported_media_type")), "{content_type:?}");
        assert!(answer["message"].as_str().unwrap_or_default().contains("application/json"));
    }
    assert_eq!(stored(&app).await, 0, "nothing stored from a body not declared as JSON");
    let (status, _) = post_raw(&app, &token, Some("application/json; charset=utf-8"), &body).await;
    assert_eq!(status, 200);
    assert_eq!(stored(&app).await, 1);
}

#[tokio::test]
async fn a_repeated_key_is_refused_instead_of_the_last_copy_winning() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    // With the last copy winning, a body naming Gaslini then San Martino
    // was stored for San Martino.
    let token = idp.machine_token("flusso-regionale-ps", "emergency:write");
    let good = report("ev-1", "HUB-GASLINI", 1, 7).to_string();
    let repeated = good.replacen('{', r#"{"unit":"HUB-SANMARTINO","#, 1);
    assert!(repeated.contains("HUB-SANMARTINO") && repeated.contains("HUB-GASLINI"));
    let (status, answer) = post_raw(&app, &token, Some("application/json"), &repeated).await;
    assert_eq!((status, answer["problems"][0]["field"].as_str()), (422, Some("unit")), "{answer}");
    assert!(answer["problems"][0]["message"].as_str().unwrap_or_default().contains("ripetuto"));
    let nested = good.replacen(r#""waiting":{"#, r#""waiting":{"green":1,"#, 1);
    assert_ne!(nested, good);
    let (status, answer) = post_raw(&app, &token, Some("application/json"), &nested).await;
    assert_eq!((status, answer["problems"][0]["field"].as_str()), (422, Some("waiting.green")), "{answer}");
    assert_eq!(stored(&app).await, 0);
}

#[tokio::test]
async fn invisible_or_reversing_text_never_reaches_the_board() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let token = idp.machine_token("flusso-regionale-ps", "emergency:write");
    for (field, text) in [
        ("event_id", "ev-\u{202E}1"),
        ("event_id", "ev\u{200B}-2"),
        ("event_id", "\u{FEFF}ev-3"),
        ("event_id", "ev-4\u{0}"),
        ("event_id", "ev-5\nFORGED"),
        ("event_id", "ev-6\u{E000}"),
        ("unit", "\u{2066}HUB-GASLINI\u{2069}"),
    ] {
        let mut body = report("ev-ok", "HUB-GASLINI", 1, 7);
        body[field] = json!(text);
        let (status, answer) = post(&app, Some(&token), &body).await;
        assert_eq!(status, 422, "{text:?}");
        assert_eq!(answer["problems"][0]["field"].as_str(), Some(field), "{text:?}");
        assert!(answer["problems"][0]["message"].as_str().unwrap_or_default().contains(&format!("«{field}»")));
    }
    assert_eq!(stored(&app).await, 0);
}

#[tokio::test]
async fn a_body_of_thousands_of_unknown_keys_gets_a_short_answer() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let token = idp.machine_token("flusso-regionale-ps", "emergency:write");
    let mut body = report("ev-1", "HUB-GASLINI", 1, 7);
    for i in 0..80_000 {
        body[format!("k{i}")] = json!(0);
    }
    let text = body.to_string();
    assert!(text.len() < 1_048_576, "within the body limit: {}", text.len());
    let (status, answer) = post_raw(&app, &token, Some("application/json"), &text).await;
    assert_eq!(status, 422);
    assert!(answer.to_string().len() < 8_000, "the 422 was {} bytes", answer.to_string().len());
    let problems = answer["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 21);
    assert_eq!(problems[20]["message"], "e altri 79980 problemi");
    assert_eq!(stored(&app).await, 0);
}

#[tokio::test]
async fn deep_nesting_huge_numbers_and_wrong_types_are_client_errors() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let token = idp.machine_token("flusso-regionale-ps", "emergency:write");
    let good = report("ev-1", "HUB-GASLINI", 1, 7).to_string();
    assert!(good.contains(r#""red":0"#));
    let bodies = [
        "[".repeat(200_000),
        format!("{}{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000)),
        good.replacen(r#""red":0"#, r#""red":1e400"#, 1),
        good.replacen(r#""red":0"#, r#""red":184467440737095516160000"#, 1),
        good.replacen(r#""red":0"#, r#""red":"0""#, 1),
        good.replacen(r#""red":0"#, r#""red":[0]"#, 1),
        good.replacen(r#""red":0"#, r#""red":"\ud800""#, 1),
        good.replacen("HUB-GASLINI", r#"\u0000"#, 1),
        format!("\u{FEFF}{good}"),
        String::new(),
    ];
    for body in bodies {
        let (status, answer) = post_raw(&app, &token, Some("application/json"), &body).await;
        assert_eq!(status, 422, "{}: {answer}", body.chars().take(60).collect::<String>());
    }
    assert_eq!(stored(&app).await, 0);
}

#[tokio::test]
async fn retries_change_nothing_and_older_reports_never_move_the_board_back() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let token = idp.machine_token("flusso-regionale-ps", "emergency:write");

    let (_, first) = post(&app, Some(&token), &report("ev-new", "OSP-LAVAGNA", 2, 11)).await;
    let (_, retry) = post(&app, Some(&token), &report("ev-new", "OSP-LAVAGNA", 2, 99)).await;
    let (_, older) = post(&app, Some(&token), &report("ev-old", "OSP-LAVAGNA", 10, 42)).await;
    assert_eq!(first["result"], "applied");
    assert_eq!(retry["result"], "duplicate");
    assert_eq!(older["result"], "outdated");
    assert_eq!(stored(&app).await, 2, "the retry is stored once, the older report kept for the trend");

    let page = board(&app, "?asl=ASL4").await;
    let lavagna = page.split("data-er-unit=\"OSP-LAVAGNA\"").nth(1).expect("Lavagna on the board");
    let green = lavagna.split("data-er=\"waiting-green\">").nth(1).expect("green cell");
    assert!(green.starts_with("11<"), "the newest report stays current: {}", &green[..20]);
}

#[tokio::test]
async fn the_board_filters_by_asl_sorts_by_town_and_flags_old_data() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let token = idp.machine_token("flusso-regionale-ps", "emergency:write");
    post(&app, Some(&token), &report("ev-1", "HUB-GASLINI", 1, 7)).await;
    post(&app, Some(&token), &report("ev-2", "OSP-SANREMO", 20, 5)).await;

    let all = board(&app, "").await;
    assert!(all.contains("Pronto Soccorso Pediatrico Gaslini") && all.contains("Pronto Soccorso Sanremo"));
    assert!(all.contains("Nessun dato ricevuto da questo Pronto Soccorso."), "units without reports say so");
    let sanremo = all.split("data-er-unit=\"OSP-SANREMO\"").nth(1).expect("Sanremo");
    assert!(sanremo.contains("notice notice-warning"), "20 minutes old is stale");
    let gaslini =
        all.split("data-er-unit=\"HUB-GASLINI\"").nth(1).expect("Gaslini").split("data-er-unit=").next().unwrap_or("");
    assert!(gaslini.contains("data-er=\"stale\" class=\"hidden\""), "1 minute old is current: {gaslini}");
    assert!(gaslini.contains("Verde") && gaslini.contains("1 h 35 min") && gaslini.contains("<polyline"));

    let genoa = board(&app, "?asl=ASL3").await;
    assert!(genoa.contains("Gaslini") && !genoa.contains("Pronto Soccorso Sanremo"));

    let near = board(&app, "?vicino=chiavari").await;
    assert!(near.contains("Dal più vicino a Chiavari"));
    let lavagna = near.find("data-er-unit=\"OSP-LAVAGNA\"").expect("Lavagna");
    let sanremo = near.find("data-er-unit=\"OSP-SANREMO\"").expect("Sanremo");
    assert!(lavagna < sanremo, "Lavagna is nearer to Chiavari than Sanremo");

    let unknown = board(&app, "?vicino=Atlantide").await;
    assert!(unknown.contains("Comune non trovato in Liguria"));
}

/// Reads the live stream until an event for `unit` arrives.
async fn next_unit_event(stream: &mut reqwest::Response, unit: &str) -> Value {
    common::next_sse_event(stream, "unit", |value| value["unit"] == unit).await
}

#[tokio::test]
async fn the_live_stream_carries_current_reports_only() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let token = idp.machine_token("flusso-regionale-ps", "emergency:write");
    post(&app, Some(&token), &report("ev-1", "OSP-RAPALLO", 1, 4)).await;

    let mut stream = reqwest::get(app.url("/pronto-soccorso/in-diretta")).await.expect("stream");
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    // An older report is not news; the next current one is.
    post(&app, Some(&token), &report("ev-0", "OSP-RAPALLO", 30, 40)).await;
    post(&app, Some(&token), &report("ev-2", "OSP-RAPALLO", 0, 6)).await;
    let event = next_unit_event(&mut stream, "OSP-RAPALLO").await;
    assert_eq!(event["waiting"], json!([0, 1, 2, 6, 3]));
    assert_eq!(event["mean_wait_minutes"][3], 95);
}

#[tokio::test]
async fn the_ingest_api_is_described_at_a_stable_address() {
    let (app, _idp) = spawn_app_with_idp(|_| {}).await;
    let document: Value =
        reqwest::get(app.url("/ingest/v1/openapi.json")).await.expect("get").json().await.expect("json");
    assert_eq!(document["openapi"], "3.1.0");
    assert!(document["paths"]["/ingest/v1/emergency/status"]["post"].is_object());
    // The guard's 415 and the common body rules are documented for every
    // ingest endpoint, and the screening grant in its 403.
    for path in ["/ingest/v1/emergency/status", "/ingest/v1/surgery/events", "/ingest/v1/screening/events"] {
        let operation = &document["paths"][path]["post"];
        let unsupported = operation["responses"]["415"]["description"].as_str().unwrap_or_default();
        assert!(unsupported.contains("Content-Type: application/json"), "{path}: {unsupported}");
        let rules = operation["requestBody"]["description"].as_str().unwrap_or_default();
        assert!(rules.contains("repeated key") && rules.contains("U+202E") && rules.contains("At most 20"), "{path}");
    }
    let screening_forbidden =
        document["paths"]["/ingest/v1/screening/events"]["post"]["responses"]["403"]["description"].as_str();
    assert!(screening_forbidden.unwrap_or_default().contains("client_not_granted"));
}

/// An anonymous request for the board, as a browser accepting brotli sends it.
async fn board_response(app: &TestApp, if_none_match: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(app.url("/pronto-soccorso")).header("accept-encoding", "br");
    if let Some(tag) = if_none_match {
        request = request.header("if-none-match", tag);
    }
    request.send().await.expect("board")
}

#[tokio::test]
async fn the_public_board_is_kept_until_a_report_changes_it() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let first = board_response(&app, None).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["content-encoding"], "br", "compressed once, served as brotli");
    let cache_control = first.headers()["cache-control"].to_str().expect("header").to_string();
    assert!(cache_control.contains("public") && cache_control.contains("s-maxage=1"), "{cache_control}");
    let etag = first.headers()["etag"].to_str().expect("etag").to_string();

    let again = board_response(&app, Some(&etag)).await;
    assert_eq!(again.status(), 304, "unchanged: not modified");

    let gaslini = idp.machine_token("ospedale-gaslini", "emergency:write");
    assert_eq!(post(&app, Some(&gaslini), &report("ev-kept", "HUB-GASLINI", 0, 41)).await.0, 200);
    // At once, not after the page's freshness: the report moved the version.
    let after = board_response(&app, Some(&etag)).await;
    assert_eq!(after.status(), 200, "the report changed the board");
    assert_ne!(after.headers()["etag"].to_str().expect("etag"), etag);
    assert!(board(&app, "").await.contains("41"), "the new figure is on the page");
}

#[tokio::test]
async fn a_visitor_with_a_session_never_gets_a_kept_page() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = common::demo_citizens(&app.db().await, common::ADULT_WITHOUT_CHILDREN, 1).await;
    let browser = app.sign_in(&idp, &people[0]).await;
    // Kept for anonymous visitors first.
    assert!(board_response(&app, None).await.headers().contains_key("etag"));

    let signed_in = browser.get(app.url("/pronto-soccorso")).send().await.expect("board");
    assert_eq!(signed_in.status(), 200);
    assert!(!signed_in.headers().contains_key("etag"), "rendered for this person");
    assert_eq!(signed_in.headers()["cache-control"], "no-store");
    assert!(signed_in.text().await.expect("page").contains(&people[0].given_name), "their account bar");
}
