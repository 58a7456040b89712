//! Vaccinations and screening end to end on a real server: eligibility
//! explained, booking on the CUP agendas (book, refuse, move, cancel, race
//! for a slot, a parent for a child), the certificate, the FIT kit's
//! journey through the screening centre's API to a result in the FSE and
//! the second level, appointment results, reminders and the region's
//! adherence figures.

mod common;

use chrono::{SecondsFormat, Utc};
use common::fake_idp::{FakeAccount, FakeIdp};
use common::{demo_citizens, location, spawn_app_with_idp, TestApp};
use serde_json::{json, Value};

/// 66 to 80, so flu is offered (no flu dose this season in the demo registry).
const OLDER_ADULT: &str = "p.birth_date BETWEEN date('now', '-80 years') AND date('now', '-66 years')";
/// 30 to 40 and no risk condition: flu is not offered.
const YOUNG_ADULT_NOT_AT_RISK: &str =
    "p.birth_date BETWEEN date('now', '-40 years') AND date('now', '-30 years') AND p.risk_groups = ''";
/// Women of 50 or 51 without a mammography yet.
const WOMAN_OF_50: &str =
    "p.sex = 'F' AND p.birth_date BETWEEN date('now', '-52 years', '+1 day') AND date('now', '-50 years')
    AND NOT EXISTS (SELECT 1 FROM screening_tests t WHERE t.person = p.fiscal_code AND t.programme = 'breast')";
/// People of 50 to 51 never tested for colorectal cancer.
const NEVER_TESTED_AT_50: &str = "p.birth_date BETWEEN date('now', '-52 years', '+1 day') AND date('now', '-50 years')
    AND NOT EXISTS (SELECT 1 FROM screening_tests t WHERE t.person = p.fiscal_code AND t.programme = 'colorectal')";

/// The slot ids offered on a search page.
fn slot_ids(html: &str) -> Vec<String> {
    html.split(r#"name="slot_id" value=""#)
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_string))
        .collect()
}

async fn follow(app: &TestApp, browser: &reqwest::Client, response: reqwest::Response) -> (String, String) {
    assert_eq!(response.status(), 303, "form posts answer with a redirect");
    let to = location(&response);
    let (_, page) = app.page_text(browser, &to).await;
    (to, page)
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db().await).await.expect("query")
}

fn screening_centre(idp: &FakeIdp) -> String {
    idp.machine_token("centro-screening-liguria", "screening:write")
}

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

#[tokio::test]
async fn a_flu_vaccination_is_booked_moved_and_cancelled() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let person = &demo_citizens(&app.db().await, OLDER_ADULT, 1).await[0];
    let browser = app.sign_in(&idp, person).await;

    let (status, page) = app.page_text(&browser, "/vaccinazioni").await;
    assert_eq!(status, 200);
    assert!(page.contains("Puoi prenotare la dose 1."), "flu is due");
    assert!(page.contains("Storico delle vaccinazioni") && page.contains("Antinfluenzale quadrivalente"));
    let (_, home) = app.page_text(&browser, "/").await;
    assert!(home.contains("Da fare per la salute di"), "the home page lists what is due");

    let (_, search) = app.page_text(&browser, "/vaccinazioni/prenota?scopo=vaccino-influenza&luogo=farmacia").await;
    assert!(search.contains("Farmacia"), "pharmacies vaccinate for flu");
    assert!(slot_ids(&search).len() >= 2, "free places at several pharmacies");
    // Two places a few days ahead: appointments close to online changes a day before.
    let slots: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(s.id AS TEXT) FROM slots s JOIN facilities f ON f.id = s.facility_id
          WHERE s.service_code = 'VAC-FLU' AND f.kind = 'pharmacy' AND s.starts_at > date('now', '+3 days')
          ORDER BY s.starts_at LIMIT 2",
    )
    .fetch_all(&app.db().await)
    .await
    .expect("slots");
    let booked = app
        .post_form_as(&browser, "/appuntamenti/prenota", &[("scopo", "vaccino-influenza"), ("slot_id", &slots[0])])
        .await;
    let (to, page) = follow(&app, &browser, booked).await;
    assert!(to.starts_with("/vaccinazioni#appuntamento-VA-"), "{to}");
    let code = to.trim_start_matches("/vaccinazioni#appuntamento-").to_string();
    assert!(page.contains("Appuntamento prenotato") && page.contains(&code));

    // A second appointment for the same campaign is refused.
    let again = app
        .post_form_as(&browser, "/appuntamenti/prenota", &[("scopo", "vaccino-influenza"), ("slot_id", &slots[1])])
        .await;
    assert!(follow(&app, &browser, again).await.1.contains("Hai già un appuntamento"));

    // Moving frees the first slot in the same transaction.
    let (_, search) =
        app.page_text(&browser, &format!("/vaccinazioni/prenota?scopo=vaccino-influenza&sposta={code}")).await;
    assert!(search.contains("Stai spostando l'appuntamento"));
    let moved = app
        .post_form_as(
            &browser,
            "/appuntamenti/prenota",
            &[("scopo", "vaccino-influenza"), ("slot_id", &slots[1]), ("sposta", &code)],
        )
        .await;
    let (to, page) = follow(&app, &browser, moved).await;
    assert!(page.contains("Appuntamento spostato"));
    let new_code = to.trim_start_matches("/vaccinazioni#appuntamento-").to_string();
    let statuses: Vec<(String, String)> =
        sqlx::query_as("SELECT code, status FROM prevention_appointments ORDER BY id")
            .fetch_all(&app.db().await)
            .await
            .expect("rows");
    assert_eq!(statuses, vec![(code.clone(), "moved".into()), (new_code.clone(), "active".into())]);

    let cancelled = app.post_form_as(&browser, &format!("/appuntamenti/{new_code}/disdici"), &[]).await;
    let (to, page) = follow(&app, &browser, cancelled).await;
    assert_eq!(to, "/vaccinazioni");
    assert!(page.contains("Appuntamento disdetto") && page.contains("Puoi prenotare la dose 1."));
    assert_eq!(scalar(&app, "SELECT count(*) FROM prevention_appointments WHERE status = 'active'").await, 0);
    assert!(
        scalar(&app, "SELECT count(*) FROM audit_log WHERE capability = 'vaccinazioni' AND action = 'write'").await
            >= 3,
        "bookings, move and cancellation are in the access log"
    );
}

#[tokio::test]
async fn people_outside_the_campaign_are_told_why_and_cannot_book() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let person = &demo_citizens(&app.db().await, YOUNG_ADULT_NOT_AT_RISK, 1).await[0];
    let browser = app.sign_in(&idp, person).await;

    let (_, page) = app.page_text(&browser, "/vaccinazioni").await;
    assert!(page.contains("Non è offerta gratuitamente a te: hai"), "the reason is in plain words");
    assert!(page.contains("non risultano malattie croniche"));
    let (_, search) = app.page_text(&browser, "/vaccinazioni/prenota?scopo=vaccino-influenza").await;
    assert!(search.contains("non è disponibile per te ora"));
    assert!(slot_ids(&search).is_empty());

    let slot: i64 =
        scalar(&app, "SELECT id FROM slots WHERE service_code = 'VAC-FLU' ORDER BY starts_at LIMIT 1").await;
    let refused = app
        .post_form_as(
            &browser,
            "/appuntamenti/prenota",
            &[("scopo", "vaccino-influenza"), ("slot_id", &slot.to_string())],
        )
        .await;
    assert!(follow(&app, &browser, refused).await.1.contains("Questa prenotazione non è disponibile per te ora"));
    let (_, unknown) = app.page_text(&browser, "/vaccinazioni/prenota?scopo=vaccino-vaiolo").await;
    assert!(unknown.contains("Prenotazione non riconosciuta"));
    assert_eq!(scalar(&app, "SELECT count(*) FROM prevention_appointments").await, 0, "nothing stored");
}

#[tokio::test]
async fn a_slot_of_another_service_or_in_the_past_is_refused() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let person = &demo_citizens(&app.db().await, OLDER_ADULT, 1).await[0];
    let browser = app.sign_in(&idp, person).await;
    let mammography: i64 = scalar(&app, "SELECT id FROM slots WHERE service_code = 'SCR-MAMMO' LIMIT 1").await;
    let wrong = app
        .post_form_as(
            &browser,
            "/appuntamenti/prenota",
            &[("scopo", "vaccino-influenza"), ("slot_id", &mammography.to_string())],
        )
        .await;
    let (to, page) = follow(&app, &browser, wrong).await;
    assert!(page.contains("Quel posto è per un'altra prestazione"), "{to}: {page}");
    let missing = app
        .post_form_as(&browser, "/appuntamenti/prenota", &[("scopo", "vaccino-influenza"), ("slot_id", "999999999")])
        .await;
    assert_eq!(missing.status(), 303);
    assert_eq!(scalar(&app, "SELECT count(*) FROM prevention_appointments").await, 0);
}

#[tokio::test]
async fn ten_people_racing_for_one_vaccination_slot_get_it_once() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = demo_citizens(&app.db().await, OLDER_ADULT, 10).await;
    let slot: i64 =
        scalar(&app, "SELECT id FROM slots WHERE service_code = 'VAC-FLU' ORDER BY starts_at DESC LIMIT 1").await;
    let mut browsers = Vec::new();
    for person in &people {
        browsers.push(app.sign_in(&idp, person).await);
    }
    let slot = slot.to_string();
    let form = [("scopo", "vaccino-influenza"), ("slot_id", slot.as_str())];
    let attempts = browsers.iter().map(|browser| app.post_form_as(browser, "/appuntamenti/prenota", &form));
    let answers = futures_util::future::join_all(attempts).await;
    let booked = answers.iter().filter(|answer| location(answer).contains("#appuntamento-")).count();
    assert_eq!(booked, 1, "exactly one booking wins");
    assert_eq!(scalar(&app, "SELECT count(*) FROM prevention_appointments WHERE status = 'active'").await, 1);
    println!("race: 10 concurrent bookings of one vaccination slot, {booked} booked");
}

#[tokio::test]
async fn the_certificate_lists_the_registry_and_a_parent_books_for_a_child() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    // A parent of a child aged 1 to 6: flu is offered to the child.
    let parent = &demo_citizens(
        &pool,
        "EXISTS (SELECT 1 FROM guardianships g JOIN people c ON c.fiscal_code = g.child WHERE g.parent = p.fiscal_code
            AND c.birth_date BETWEEN date('now', '-6 years') AND date('now', '-1 years'))",
        1,
    )
    .await[0];
    let child: String = sqlx::query_scalar(
        "SELECT g.child FROM guardianships g JOIN people c ON c.fiscal_code = g.child WHERE g.parent = $1
            AND c.birth_date BETWEEN date('now', '-6 years') AND date('now', '-1 years') ORDER BY g.child LIMIT 1",
    )
    .bind(&parent.fiscal_code)
    .fetch_one(&pool)
    .await
    .expect("child");
    let browser = app.sign_in(&idp, parent).await;

    let certificate = browser.get(app.url("/vaccinazioni/certificato.pdf")).send().await.expect("pdf");
    assert_eq!(certificate.headers()["content-type"], "application/pdf");
    let bytes = certificate.bytes().await.expect("bytes");
    let lot: String = sqlx::query_scalar("SELECT lot FROM vaccinations WHERE person = $1 ORDER BY id LIMIT 1")
        .bind(&parent.fiscal_code)
        .fetch_one(&pool)
        .await
        .expect("a dose in the registry");
    assert!(String::from_utf8_lossy(&bytes).contains(&format!("({lot})")), "the certificate lists the lot");

    app.post_form_as(&browser, "/agisci-per", &[("per", &child), ("return_to", "/vaccinazioni")]).await;
    let (_, search) = app.page_text(&browser, "/vaccinazioni/prenota?scopo=vaccino-influenza").await;
    let slot = slot_ids(&search).into_iter().next().expect("a slot for the child");
    let booked = app
        .post_form_as(&browser, "/appuntamenti/prenota", &[("scopo", "vaccino-influenza"), ("slot_id", &slot)])
        .await;
    assert!(location(&booked).contains("#appuntamento-VA-"));
    let (person, booked_by): (String, String) =
        sqlx::query_as("SELECT person, booked_by FROM prevention_appointments").fetch_one(&pool).await.expect("row");
    assert_eq!((person, booked_by), (child, parent.fiscal_code.clone()));
}

#[tokio::test]
async fn a_fit_kit_goes_from_the_pharmacy_to_a_positive_result_and_a_colonoscopy() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let person = &demo_citizens(&app.db().await, NEVER_TESTED_AT_50, 1).await[0];
    let browser = app.sign_in(&idp, person).await;
    let (_, page) = app.page_text(&browser, "/screening").await;
    assert!(page.contains("È il momento del tuo test.") && page.contains("Richiedi il kit"));
    let pharmacy: i64 = scalar(&app, "SELECT id FROM facilities WHERE kind = 'pharmacy' ORDER BY id LIMIT 1").await;

    let bad = app.post_form_as(&browser, "/screening/kit", &[("farmacia", "boh")]).await;
    assert!(follow(&app, &browser, bad).await.1.contains("Farmacia non trovata"));
    let requested = app.post_form_as(&browser, "/screening/kit", &[("farmacia", &pharmacy.to_string())]).await;
    let (_, page) = follow(&app, &browser, requested).await;
    assert!(page.contains("Kit richiesto") && page.contains("Pronto in farmacia"));
    let again = app.post_form_as(&browser, "/screening/kit", &[("farmacia", &pharmacy.to_string())]).await;
    assert!(follow(&app, &browser, again).await.1.contains("Hai già un kit in corso"));
    let kit: String = sqlx::query_scalar("SELECT code FROM fit_kits").fetch_one(&app.db().await).await.expect("kit");

    // Only the screening centre's scope may report.
    let wrong = idp.machine_token("ospedale-galliera", "surgery:write");
    assert_eq!(event(&app, &wrong, &step("e0", "kit_ready", &kit)).await.0, 403);
    let token = screening_centre(&idp);
    let (status, answer) = event(&app, &token, &json!({ "kind": "kit_ready", "reference": "KIT X", "esito": 1 })).await;
    assert_eq!(status, 422);
    let fields: Vec<&str> =
        answer["problems"].as_array().expect("problems").iter().filter_map(|p| p["field"].as_str()).collect();
    assert_eq!(fields, vec!["event_id", "reference", "at", "esito"]);
    assert_eq!(event(&app, &token, &step("e1", "kit_ready", "KIT-NOSUCH")).await.0, 404);

    assert_eq!(event(&app, &token, &step("e2", "kit_ready", &kit)).await.1["result"], "applied");
    assert_eq!(event(&app, &token, &step("e2", "kit_ready", &kit)).await.1["result"], "duplicate");
    let (_, inbox) = app.page_text(&browser, "/notifiche").await;
    assert!(inbox.contains(&format!("({kit}) è pronto")), "the kit-ready notification");
    // A cancelled request is no longer possible once the kit is ready.
    let cancel = app.post_form_as(&browser, &format!("/screening/kit/{kit}/annulla"), &[]).await;
    assert!(follow(&app, &browser, cancel).await.1.contains("non si può più annullare"));
    assert_eq!(event(&app, &token, &step("e3", "kit_collected", &kit)).await.1["result"], "applied");
    assert_eq!(event(&app, &token, &step("e4", "kit_ready", &kit)).await.1["result"], "outdated");
    assert_eq!(event(&app, &token, &step("e5", "sample_returned", &kit)).await.1["result"], "applied");
    let (_, page) = app.page_text(&browser, "/screening").await;
    assert!(page.contains(r#"data-kit-step="returned" data-state="current""#), "the journey shows where the kit is");

    let mut result = step("e6", "result", &kit);
    result["result"] = json!({ "haemoglobin_ng_ml": 150 });
    assert_eq!(event(&app, &token, &result).await.1["result"], "applied");
    let document: i64 = scalar(&app, "SELECT document_id FROM screening_tests WHERE result = 'positive'").await;
    let (_, page) = app.page_text(&browser, "/screening").await;
    assert!(page.contains("<strong>positivo</strong>"), "{page}");
    assert!(page.contains("Prenota l'approfondimento"), "{page}");
    assert!(page.contains(&format!("/fascicolo/documenti/{document}")));
    let (_, report) = app.page_text(&browser, &format!("/fascicolo/documenti/{document}")).await;
    assert!(report.contains("Sangue occulto nelle feci (FIT), screening") && report.contains("150"));
    let (_, inbox) = app.page_text(&browser, "/notifiche").await;
    assert!(inbox.contains("È disponibile l'esito") && inbox.contains("una colonscopia di approfondimento"));

    let (_, search) = app.page_text(&browser, "/screening/prenota?scopo=approfondimento-colorectal").await;
    let slot = slot_ids(&search).into_iter().next().expect("a colonoscopy slot");
    let booked = app
        .post_form_as(&browser, "/appuntamenti/prenota", &[("scopo", "approfondimento-colorectal"), ("slot_id", &slot)])
        .await;
    assert!(location(&booked).starts_with("/screening#appuntamento-SC-"));
}

#[tokio::test]
async fn a_mammography_result_sets_the_next_invitation_two_years_on() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let person = &demo_citizens(&app.db().await, WOMAN_OF_50, 1).await[0];
    let browser = app.sign_in(&idp, person).await;
    let (_, search) = app.page_text(&browser, "/screening/prenota?scopo=screening-breast").await;
    let slot = slot_ids(&search).into_iter().next().expect("a mammography slot");
    let booked =
        app.post_form_as(&browser, "/appuntamenti/prenota", &[("scopo", "screening-breast"), ("slot_id", &slot)]).await;
    let code = location(&booked).trim_start_matches("/screening#appuntamento-").to_string();
    let token = screening_centre(&idp);
    // An appointment gets its result only, and the result needs its outcome.
    assert_eq!(event(&app, &token, &step("m1", "kit_ready", &code)).await.0, 422);
    let mut result = step("m2", "result", &code);
    result["result"] = json!({ "haemoglobin_ng_ml": 10 });
    assert_eq!(event(&app, &token, &result).await.0, 422);
    result["result"] = json!({ "outcome": "negative", "report": "Nessuna lesione sospetta." });
    assert_eq!(event(&app, &token, &result).await.1["result"], "applied");

    let (_, page) = app.page_text(&browser, "/screening").await;
    let next = (chrono::Utc::now().date_naive() + chrono::Months::new(24)).format("%d/%m/%Y").to_string();
    assert!(page.contains(&format!("Prossimo test dal {next}")), "{next}");
    assert!(page.contains("<strong>negativo</strong>"));
    assert_eq!(scalar(&app, "SELECT count(*) FROM prevention_appointments WHERE status = 'done'").await, 1);
}

#[tokio::test]
async fn reminders_are_sent_once_per_dose_or_due_date() {
    let (app, _idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let today = chrono::Utc::now().date_naive();
    let sent = server::prevention::reminders::sweep(&pool, today).await.expect("sweep");
    assert!(sent > 0, "the demo region has vaccinations and screening due");
    assert_eq!(server::prevention::reminders::sweep(&pool, today).await.expect("again"), 0, "nothing twice");
    let person = &demo_citizens(&pool, OLDER_ADULT, 1).await[0];
    let flu: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE person = $1 AND kind = 'promemoria-prevenzione'
            AND message LIKE '%campagna antinfluenzale%'",
    )
    .bind(&person.fiscal_code)
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(flu, 1);
}

#[tokio::test]
async fn adherence_figures_are_for_the_region_only_and_match_the_registry() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let citizen = &demo_citizens(&app.db().await, OLDER_ADULT, 1).await[0];
    let browser = app.sign_in(&idp, citizen).await;
    let (_, page) = app.page_text(&browser, "/regione/screening").await;
    assert!(!page.contains("Adesione</th>"), "a citizen sees no figures");

    let code = app::domain::fiscal_code::FiscalCode::compose("BNV", "MRC", (1975, 2, 9), false, "D969").expect("code");
    let operator = FakeAccount {
        fiscal_code: code.as_str().to_string(),
        given_name: "Marco".into(),
        family_name: "Benvenutelli".into(),
        role: "region_operator",
        pharmacy_id: None,
    };
    let browser = app.sign_in(&idp, &operator).await;
    let (status, page) = app.page_text(&browser, "/regione/screening").await;
    assert_eq!(status, 200);
    assert!(page.contains("Screening del colon-retto") && page.contains("50–54") && page.contains("Copertura"));
    let report =
        server::screening::adherence_report(&app.db().await, server::clock::rome_today()).await.expect("report");
    let colorectal = report.totals.iter().find(|total| total.programme.code() == "colorectal").expect("total");
    let invited = colorectal.invited;
    let expected = scalar(
        &app,
        "SELECT count(*) FROM people WHERE birth_date BETWEEN date('now', '-70 years', '+1 day') AND date('now', '-50 years')",
    )
    .await;
    assert_eq!(invited as i64, expected, "everyone aged 50 to 69 is invited");
    assert!(report.rows.iter().all(|row| row.covered <= row.invited));
    // Small cells never leave the server: every number shown is 0 or ≥ 5,
    // and the demo region's small bands are hidden ("meno di 5").
    let shown = report
        .rows
        .iter()
        .flat_map(|row| [row.invited, row.covered])
        .chain(report.campaigns.iter().flat_map(|row| [row.eligible, row.vaccinated]));
    let shown: Vec<u64> = shown.flatten().collect();
    assert!(shown.iter().all(|n| *n == 0 || *n >= app::screening::model::SMALL_CELL_MIN), "{shown:?}");
    assert!(report.rows.iter().any(|row| row.invited.is_none()), "the demo region has small bands");
    assert!(page.contains("meno di 5"));
}
