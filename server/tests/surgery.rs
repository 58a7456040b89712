//! The surgery tracker: hospital systems push operating-theatre events
//! (token, scope, grant, validation, idempotency, ordering); only people
//! the patient authorised see a case, also through the live stream; the
//! patient withdraws at once; access ends a day after the operation; every
//! view is in the patient's access log.

mod common;

use chrono::{SecondsFormat, Utc};
use common::fake_idp::{FakeAccount, FakeIdp};
use common::{demo_citizens, spawn_app_with_idp, TestApp, ADULT_WITHOUT_CHILDREN};
use serde_json::{json, Value};

const HOSPITAL: &str = "HUB-SANMARTINO";

fn event(event_id: &str, case_id: &str, phase: &str, minutes_ago: i64) -> Value {
    let at = Utc::now() - chrono::Duration::minutes(minutes_ago);
    json!({
        "event_id": event_id,
        "hospital": HOSPITAL,
        "case_id": case_id,
        "phase": phase,
        "at": at.to_rfc3339_opts(SecondsFormat::Secs, true),
    })
}

async fn post(app: &TestApp, token: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = reqwest::Client::new().post(app.url("/ingest/v1/surgery/events")).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("post");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let pool = app.db().await;
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(&pool).await.expect("count")
}

fn san_martino(idp: &FakeIdp) -> String {
    idp.machine_token("ospedale-san-martino", "emergency:write surgery:write")
}

/// A case admitted with `follower` authorised by the hospital; its id.
async fn admitted(app: &TestApp, token: &str, patient: &FakeAccount, follower: &FakeAccount) -> i64 {
    let mut admission = event("adm-1", "SM-1", "admitted", 30);
    admission["patient"] = json!(patient.fiscal_code);
    admission["authorised"] = json!([follower.fiscal_code]);
    let (status, answer) = post(app, Some(token), &admission).await;
    assert_eq!((status, answer["result"].as_str()), (200, Some("applied")), "{answer}");
    sqlx::query_scalar("SELECT id FROM surgery_cases WHERE case_ref = 'SM-1'")
        .fetch_one(&app.db().await)
        .await
        .expect("case")
}

#[tokio::test]
async fn ingest_needs_the_surgery_scope_and_a_grant_for_the_hospital() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 1).await;
    let mut body = event("ev-1", "SM-1", "admitted", 1);
    body["patient"] = json!(people[0].fiscal_code);

    assert_eq!(post(&app, None, &body).await.0, 401);
    let er_only = idp.machine_token("flusso-regionale-ps", "emergency:write");
    let (status, answer) = post(&app, Some(&er_only), &body).await;
    assert_eq!((status, answer["error"].as_str()), (403, Some("insufficient_scope")));
    // Galliera may send events for its own hospital only.
    let galliera = idp.machine_token("ospedale-galliera", "surgery:write");
    let (status, answer) = post(&app, Some(&galliera), &body).await;
    assert_eq!((status, answer["error"].as_str()), (403, Some("hospital_not_granted")));
    assert_eq!(count(&app, "surgery_events").await, 0, "nothing stored when refused");

    let (status, answer) = post(&app, Some(&san_martino(&idp)), &body).await;
    assert_eq!((status, answer["result"].as_str()), (200, Some("applied")));
    assert_eq!(count(&app, "surgery_events").await, 1);
}

#[tokio::test]
async fn bad_events_get_a_precise_422_and_store_nothing() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let token = san_martino(&idp);
    let mut bad = event("ev-1", "Mario Rossi", "operating", 1);
    bad["patient"] = json!("RSSMRA80A01D969A");
    bad["diagnosis"] = json!("appendicite");
    let (status, answer) = post(&app, Some(&token), &bad).await;
    assert_eq!(status, 422);
    let fields: Vec<&str> =
        answer["problems"].as_array().expect("problems").iter().map(|p| p["field"].as_str().unwrap_or("")).collect();
    assert_eq!(fields, vec!["case_id", "phase", "patient", "diagnosis"]);

    // A new case needs its patient, who must be in the registry.
    let (status, answer) = post(&app, Some(&token), &event("ev-2", "SM-9", "admitted", 1)).await;
    assert_eq!((status, answer["problems"][0]["field"].as_str()), (422, Some("patient")));
    let mut stranger = event("ev-3", "SM-9", "admitted", 1);
    stranger["patient"] = json!("RSSMRA80A01D969Z");
    let (status, answer) = post(&app, Some(&token), &stranger).await;
    assert_eq!((status, answer["problems"][0]["field"].as_str()), (422, Some("patient")));
    let (status, _) = post(&app, Some(&token), &{
        let mut unknown = event("ev-4", "SM-9", "admitted", 1);
        unknown["hospital"] = json!("HUB-ATLANTIDE");
        unknown
    })
    .await;
    assert_eq!(status, 422);
    assert_eq!(count(&app, "surgery_events").await + count(&app, "surgery_cases").await, 0);
}

#[tokio::test]
async fn retries_change_nothing_and_a_case_never_moves_backwards() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 2).await;
    let token = san_martino(&idp);
    let case_id = admitted(&app, &token, &people[0], &people[1]).await;

    let theatre = event("ev-theatre", "SM-1", "in_theatre", 10);
    assert_eq!(post(&app, Some(&token), &theatre).await.1["result"], "applied");
    assert_eq!(post(&app, Some(&token), &theatre).await.1["result"], "duplicate");
    // The block event was delayed: it fills in the timeline only.
    assert_eq!(post(&app, Some(&token), &event("ev-block", "SM-1", "in_block", 20)).await.1["result"], "outdated");
    assert_eq!(count(&app, "surgery_events").await, 3);

    let follower = app.sign_in(&idp, &people[1]).await;
    let (status, page) = app.page_text(&follower, &format!("/interventi/{case_id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"data-current="in_theatre""#), "still in theatre");
    assert!(page.contains(r#"data-phase="in_block" data-state="done""#), "the late phase is in the timeline");
    // Another patient's case id is refused.
    let mut other = event("ev-other", "SM-1", "recovery", 1);
    other["patient"] = json!(people[1].fiscal_code);
    assert_eq!(post(&app, Some(&token), &other).await.0, 422);
}

/// Reads the live stream until an event of `kind` arrives.
async fn next_event(stream: &mut reqwest::Response, kind: &str) -> Value {
    common::next_sse_event(stream, kind, |_| true).await
}

#[tokio::test]
async fn only_authorised_people_see_a_case_live_and_withdrawal_stops_them() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 4).await;
    let (patient, relative, stranger, friend) = (&people[0], &people[1], &people[2], &people[3]);
    let token = san_martino(&idp);
    let case_id = admitted(&app, &token, patient, relative).await;
    let case_page = format!("/interventi/{case_id}");
    let live = format!("/interventi/{case_id}/in-diretta");

    // A stranger: the same answer as for no case, nothing on the stream.
    let outsider = app.sign_in(&idp, stranger).await;
    let (_, page) = app.page_text(&outsider, &case_page).await;
    assert!(page.contains("Intervento non trovato") && !page.contains(&patient.family_name));
    assert_eq!(outsider.get(app.url(&live)).send().await.expect("stream").status(), 404);
    assert_eq!(reqwest::get(app.url(&live)).await.expect("stream").status(), 401);

    // The relative named on admission follows it live.
    let follower = app.sign_in(&idp, relative).await;
    let (_, overview) = app.page_text(&follower, "/interventi").await;
    assert!(overview.contains(&patient.family_name) && overview.contains(&case_page));
    let (_, page) = app.page_text(&follower, &case_page).await;
    assert!(page.contains(&patient.family_name) && page.contains("Ricoverato in reparto"));
    let mut stream = follower.get(app.url(&live)).send().await.expect("stream");
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    post(&app, Some(&token), &event("ev-block", "SM-1", "in_block", 0)).await;
    let update = next_event(&mut stream, "phase").await;
    assert_eq!((update["phase"].as_str(), update["current"].as_str()), (Some("in_block"), Some("in_block")));

    // The patient adds a friend and withdraws the relative: the open
    // stream ends at once, the page no longer shows the case.
    let owner = app.sign_in(&idp, patient).await;
    let (_, mine) = app.page_text(&owner, "/interventi").await;
    assert!(mine.contains(&relative.fiscal_code) && mine.contains("autorizzata al ricovero"));
    let added = app
        .post_form_as(&owner, &format!("/interventi/{case_id}/autorizza"), &[("persona", &friend.fiscal_code)])
        .await;
    assert_eq!(common::location(&added), "/interventi");
    let (_, mine) = app.page_text(&owner, "/interventi").await;
    assert!(mine.contains("Fatto: la persona può seguire"));
    assert!(mine.contains(&friend.fiscal_code));
    app.post_form_as(&owner, &format!("/interventi/{case_id}/ritira"), &[("persona", &relative.fiscal_code)]).await;
    next_event(&mut stream, "ended").await;
    let (_, page) = app.page_text(&follower, &case_page).await;
    assert!(page.contains("Intervento non trovato"));
    // A later hospital event does not bring the relative back.
    let mut again = event("ev-theatre", "SM-1", "in_theatre", 0);
    again["patient"] = json!(patient.fiscal_code);
    again["authorised"] = json!([relative.fiscal_code]);
    post(&app, Some(&token), &again).await;
    let (_, page) = app.page_text(&follower, &case_page).await;
    assert!(page.contains("Intervento non trovato"));

    // Every view and refusal is in the patient's access log.
    let log: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT actor, actor_role, action FROM audit_log WHERE subject = $1 AND capability = 'interventi' ORDER BY id",
    )
    .bind(&patient.fiscal_code)
    .fetch_all(&app.db().await)
    .await
    .expect("log");
    let entry = |who: &FakeAccount, role: &str, action: &str| (who.fiscal_code.clone(), role.into(), action.into());
    // The stranger tried as themselves (shown as "Nessuna autorizzazione").
    assert!(log.contains(&entry(stranger, "self", "refused")));
    assert!(log.contains(&entry(relative, "family", "read")));
    assert!(log.contains(&entry(patient, "self", "write")));
    let (_, accesses) = app.page_text(&owner, "/accessi").await;
    assert!(accesses.contains("Persona autorizzata (intervento)"));
}

/// Waits for the end of a live stream; fails if it is still open (or
/// sends anything but comments) after `within`.
async fn stream_ends_within(stream: &mut reqwest::Response, within: std::time::Duration) {
    let started = std::time::Instant::now();
    loop {
        let left = within.checked_sub(started.elapsed()).expect("the stream should have ended by now");
        match tokio::time::timeout(left, stream.chunk()).await {
            Ok(Ok(None)) | Ok(Err(_)) => return,
            Ok(Ok(Some(chunk))) => {
                let text = String::from_utf8_lossy(&chunk);
                assert!(text.trim().is_empty() || text.starts_with(':'), "no event after the session ended: {text}");
            }
            Err(_) => panic!("the live stream is still open {within:?} after the session ended"),
        }
    }
}

#[tokio::test]
async fn signing_out_ends_the_live_stream_at_once() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 2).await;
    let token = san_martino(&idp);
    let case_id = admitted(&app, &token, &people[0], &people[1]).await;
    let live = app.url(&format!("/interventi/{case_id}/in-diretta"));
    let follower = app.sign_in(&idp, &people[1]).await;
    let mut stream = follower.get(&live).send().await.expect("stream");
    assert_eq!(stream.status(), 200);
    post(&app, Some(&token), &event("ev-block", "SM-1", "in_block", 0)).await;
    next_event(&mut stream, "phase").await;

    let signed_out = app.post_form_as(&follower, "/auth/logout", &[]).await;
    assert_eq!(signed_out.status(), 303);

    stream_ends_within(&mut stream, std::time::Duration::from_millis(2500)).await;
    // And it cannot be opened again without a session.
    assert_eq!(follower.get(&live).send().await.expect("stream").status(), 401);
}

#[tokio::test]
async fn an_idle_or_too_old_session_ends_the_live_stream() {
    for idle in [true, false] {
        let (app, idp) = spawn_app_with_idp(move |settings| {
            if idle {
                settings.session_idle = std::time::Duration::from_secs(2);
            } else {
                settings.session_absolute = std::time::Duration::from_secs(2);
            }
        })
        .await;
        let people = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 2).await;
        let token = san_martino(&idp);
        let case_id = admitted(&app, &token, &people[0], &people[1]).await;
        let follower = app.sign_in(&idp, &people[1]).await;
        let mut stream =
            follower.get(app.url(&format!("/interventi/{case_id}/in-diretta"))).send().await.expect("stream");
        assert_eq!(stream.status(), 200, "idle: {idle}");
        // No request renews the session while the stream is open: it ends
        // about 2 s in, and is closed within ~1 s of that.
        stream_ends_within(&mut stream, std::time::Duration::from_millis(4500)).await;
    }
}

#[tokio::test]
async fn bad_authorisations_are_refused_with_a_clear_message() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 3).await;
    let token = san_martino(&idp);
    let case_id = admitted(&app, &token, &people[0], &people[1]).await;
    let owner = app.sign_in(&idp, &people[0]).await;
    let path = format!("/interventi/{case_id}/autorizza");
    for code in ["NONVALIDO", ""] {
        app.post_form_as(&owner, &path, &[("persona", code)]).await;
        assert!(app.page_text(&owner, "/interventi").await.1.contains("Il codice fiscale non è valido"), "{code:?}");
    }
    app.post_form_as(&owner, &path, &[("persona", &people[0].fiscal_code)]).await;
    assert!(app.page_text(&owner, "/interventi").await.1.contains("Non serve autorizzare sé stessi"));
    app.post_form_as(&owner, &path, &[("persona", &people[1].fiscal_code)]).await;
    assert!(app.page_text(&owner, "/interventi").await.1.contains("è già autorizzata"));
    // Someone else cannot add people to this case.
    let other = app.sign_in(&idp, &people[2]).await;
    app.post_form_as(&other, &path, &[("persona", &people[2].fiscal_code)]).await;
    assert!(app.page_text(&other, "/interventi").await.1.contains("Intervento non trovato"));
    assert_eq!(count(&app, "surgery_authorisations").await, 1, "only the admission's");
}

#[tokio::test]
async fn following_ends_a_day_after_back_to_ward() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 2).await;
    let token = san_martino(&idp);
    let mut admission = event("adm-1", "SM-1", "admitted", 60 * 30);
    admission["patient"] = json!(people[0].fiscal_code);
    admission["authorised"] = json!([people[1].fiscal_code]);
    post(&app, Some(&token), &admission).await;
    post(&app, Some(&token), &event("ev-ward", "SM-1", "back_to_ward", 60 * 25)).await;
    let follower = app.sign_in(&idp, &people[1]).await;

    let (_, overview) = app.page_text(&follower, "/interventi").await;
    assert!(!overview.contains(&people[0].family_name), "no longer listed");
    let (_, page) = app.page_text(&follower, "/interventi/1").await;
    assert!(page.contains("Intervento non trovato"));
    let owner = app.sign_in(&idp, &people[0]).await;
    let (_, mine) = app.page_text(&owner, "/interventi").await;
    assert!(mine.contains("si può seguire è finito"), "the patient sees the case closed");
}
