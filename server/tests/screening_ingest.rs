//! The screening ingest's grant (issue 27, security review): the scope
//! `screening:write` says what a token is for, `ingest_screening_grants`
//! which clients the region accepts screening events from. A client with
//! the scope but no grant is refused (403) before its body is read and
//! nothing is stored; the granted screening centre still works.

mod common;

use chrono::{SecondsFormat, Utc};
use common::{demo_citizens, spawn_app_with_idp, TestApp};
use serde_json::{json, Value};

/// People of 50 to 51 never tested for colorectal cancer.
const NEVER_TESTED_AT_50: &str = "p.birth_date BETWEEN date('now', '-52 years', '+1 day') AND date('now', '-50 years')
    AND NOT EXISTS (SELECT 1 FROM screening_tests t WHERE t.person = p.fiscal_code AND t.programme = 'colorectal')";

/// The demo region's screening centre (`screening::feeder::CLIENT_ID`).
const SCREENING_CENTRE: &str = "centro-screening-liguria";
/// A client the identity provider gives the scope to, but the region never granted.
const UNGRANTED: &str = "laboratorio-non-autorizzato";

async fn event(app: &TestApp, token: &str, body: &Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(app.url("/ingest/v1/screening/events"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("post");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn step(id: &str, kind: &str, reference: &str) -> Value {
    json!({ "event_id": id, "kind": kind, "reference": reference,
            "at": Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true) })
}

/// (screening events stored, the kit's status, the person's notifications).
async fn stored(app: &TestApp, kit: &str, person: &str) -> (i64, String, i64) {
    let pool = app.db().await;
    let events: i64 =
        sqlx::query_scalar("SELECT count(*) FROM screening_events").fetch_one(&pool).await.expect("events");
    let status: String = sqlx::query_scalar("SELECT status FROM fit_kits WHERE code = $1")
        .bind(kit)
        .fetch_one(&pool)
        .await
        .expect("kit");
    let notifications: i64 = sqlx::query_scalar("SELECT count(*) FROM notifications WHERE person = $1")
        .bind(person)
        .fetch_one(&pool)
        .await
        .expect("notifications");
    (events, status, notifications)
}

#[tokio::test]
async fn only_a_granted_client_may_send_screening_events() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let granted: Vec<String> =
        sqlx::query_scalar("SELECT client_id FROM ingest_screening_grants").fetch_all(&pool).await.expect("grants");
    assert_eq!(granted, vec![SCREENING_CENTRE.to_string()], "the demo region grants its screening centre only");

    // A kit requested on the portal, for the events to name.
    let person = &demo_citizens(&pool, NEVER_TESTED_AT_50, 1).await[0];
    let browser = app.sign_in(&idp, person).await;
    let pharmacy: i64 = sqlx::query_scalar("SELECT id FROM facilities WHERE kind = 'pharmacy' ORDER BY id LIMIT 1")
        .fetch_one(&pool)
        .await
        .expect("pharmacy");
    let requested = app.post_form_as(&browser, "/screening/kit", &[("farmacia", &pharmacy.to_string())]).await;
    assert_eq!(requested.status(), 303);
    let kit: String = sqlx::query_scalar("SELECT code FROM fit_kits").fetch_one(&pool).await.expect("kit");
    let before = stored(&app, &kit, &person.fiscal_code).await;
    assert_eq!((before.0, before.1.as_str()), (0, "requested"));

    // The scope without the grant: 403 with a JSON problem, nothing stored,
    // whatever the body (it is not even read: no 422, no 404).
    let ungranted = idp.machine_token(UNGRANTED, "screening:write");
    let mut result = step("u2", "result", &kit);
    result["result"] = json!({ "haemoglobin_ng_ml": 150 });
    for body in [
        step("u1", "kit_ready", &kit),
        result,
        step("u3", "kit_ready", "KIT-NOSUCH"),
        json!({ "kind": "kit_ready", "esito": 1 }),
    ] {
        let (status, answer) = event(&app, &ungranted, &body).await;
        assert_eq!(status, 403, "{body}: {answer}");
        assert_eq!(answer["error"], "client_not_granted", "{answer}");
        assert!(answer["message"].as_str().is_some_and(|m| m.contains("non è autorizzato")), "{answer}");
        assert_eq!(answer["problems"], json!([]));
    }
    assert_eq!(stored(&app, &kit, &person.fiscal_code).await, before, "nothing stored, nobody notified");

    // The granted screening centre still works.
    let centre = idp.machine_token(SCREENING_CENTRE, "screening:write");
    let (status, answer) = event(&app, &centre, &step("c1", "kit_ready", &kit)).await;
    assert_eq!((status, &answer["result"]), (200, &json!("applied")), "{answer}");
    let after = stored(&app, &kit, &person.fiscal_code).await;
    assert_eq!((after.0, after.1.as_str()), (1, "ready"));
    assert!(after.2 > before.2, "the kit-ready notification");

    // The grant is what counts: once the region grants the other client,
    // its events are applied too (idempotent by its own event ids).
    sqlx::query("INSERT INTO ingest_screening_grants (client_id) VALUES ($1)")
        .bind(UNGRANTED)
        .execute(&pool)
        .await
        .expect("grant");
    let (status, answer) = event(&app, &ungranted, &step("u1", "kit_collected", &kit)).await;
    assert_eq!((status, &answer["result"]), (200, &json!("applied")), "{answer}");
    let client: String = sqlx::query_scalar("SELECT client_id FROM screening_events WHERE event_id = 'u1'")
        .fetch_one(&pool)
        .await
        .expect("stored event");
    assert_eq!(client, UNGRANTED);

    // The scope is still required: a grant alone does not open the door.
    let no_scope = idp.machine_token(SCREENING_CENTRE, "surgery:write");
    let (status, answer) = event(&app, &no_scope, &step("c2", "sample_returned", &kit)).await;
    assert_eq!((status, &answer["error"]), (403, &json!("insufficient_scope")));
}
