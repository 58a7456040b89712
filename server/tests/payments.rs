//! pagoPA payments through the sandbox provider: success, failure,
//! cancellation, duplicated and replayed outcomes, bad signatures and
//! fields, a forged "paid" for a cancelled checkout, an outcome that never
//! arrives (reconciliation, then a late callback), two concurrent outcomes
//! for one notice, paper notices (what others see of them, the look-up
//! limit, the debtor's access log), receipts, every change committed with
//! its audit line, no callback without the sandbox, and the self-certified
//! income exemption zeroing later tickets.

mod common;

use std::time::Duration;

use common::fake_idp::FakeAccount;
use common::{demo_citizens, location, spawn_app_with_idp, TestApp, ADULT_WITHOUT_CHILDREN, PARENT_OF_A_MINOR};
use server::config::{Settings, SANDBOX_CALLBACK_SECRET};
use server::payments::provider::{sign, OutcomeKind, OutcomeMessage, ProviderReceipt, SIGNATURE_HEADER};
use sqlx::AnyPool;

/// Reconciliation out of the way unless a test wants it.
fn quiet(settings: &mut Settings) {
    settings.pagopa_reconcile_after = Duration::from_secs(3600);
}

async fn adults(app: &TestApp, count: u32) -> Vec<FakeAccount> {
    demo_citizens(
        &app.db().await,
        &format!(
            "{ADULT_WITHOUT_CHILDREN} AND p.birth_date BETWEEN date('now', '-60 years') AND date('now', '-20 years')
             AND NOT EXISTS (SELECT 1 FROM exemptions e WHERE e.person = p.fiscal_code)"
        ),
        count,
    )
    .await
}

/// A payable position of `person` towards ASL3; returns (id, notice code).
async fn owe(pool: &AnyPool, person: &str, cents: i64) -> (i64, String) {
    let mut connection = pool.acquire().await.expect("connection");
    let notice = server::payments::create_position(
        &mut connection,
        person,
        None,
        "ASL3",
        "Ticket pronto soccorso di prova",
        cents,
        "2026-12-31",
    )
    .await
    .expect("position");
    let id = sqlx::query_scalar("SELECT id FROM payment_positions WHERE notice_code = $1")
        .bind(&notice)
        .fetch_one(pool)
        .await
        .expect("id");
    (id, notice)
}

async fn position_status(pool: &AnyPool, notice: &str) -> String {
    sqlx::query_scalar("SELECT status FROM payment_positions WHERE notice_code = $1")
        .bind(notice)
        .fetch_one(pool)
        .await
        .expect("position")
}

async fn receipts_of(pool: &AnyPool, notice: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM payment_receipts r JOIN payment_positions pp ON pp.id = r.position_id WHERE pp.notice_code = $1",
    )
    .bind(notice)
    .fetch_one(pool)
    .await
    .expect("receipts")
}

/// Pays the positions: returns the sandbox checkout page's path.
async fn start(app: &TestApp, browser: &reqwest::Client, ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    let form: Vec<(&str, &str)> = ids.iter().map(|id| ("posizione", id.as_str())).collect();
    let response = app.post_form_as(browser, "/pagamenti/paga", &form).await;
    assert_eq!(response.status(), 303);
    let to = location(&response);
    assert!(to.starts_with("/sandbox-pagopa/checkout/"), "went to {to}");
    to
}

/// Chooses an outcome on the sandbox page: returns the portal's return path.
async fn choose(app: &TestApp, browser: &reqwest::Client, checkout_page: &str, choice: &str) -> String {
    let (status, page) = app.page_text(browser, checkout_page).await;
    assert_eq!(status, 200);
    assert!(page.contains("Ambiente di prova"), "the sandbox says it is one");
    let response = app.post_form_as(browser, checkout_page, &[("scelta", choice)]).await;
    assert_eq!(response.status(), 303);
    location(&response).replace(&app.address, "")
}

fn checkout_id(return_path: &str) -> String {
    return_path.trim_start_matches("/pagamenti/esito/").to_string()
}

async fn post_outcome(app: &TestApp, body: &[u8], signature: Option<&str>) -> reqwest::Response {
    let mut request =
        app.client.post(app.url("/pagopa/v1/esiti")).header("content-type", "application/json").body(body.to_vec());
    if let Some(signature) = signature {
        request = request.header(SIGNATURE_HEADER, signature);
    }
    request.send().await.expect("callback")
}

async fn signed_outcome(app: &TestApp, message: &OutcomeMessage) -> reqwest::Response {
    let body = serde_json::to_vec(message).unwrap();
    post_outcome(app, &body, Some(&sign(SANDBOX_CALLBACK_SECRET.as_bytes(), &body))).await
}

fn paid_message(checkout: &str, notice: &str, cents: i64, receipt: &str, event: &str) -> OutcomeMessage {
    OutcomeMessage {
        event_id: event.into(),
        checkout_id: checkout.into(),
        outcome: OutcomeKind::Paid,
        receipts: vec![ProviderReceipt {
            receipt_id: receipt.into(),
            notice_code: notice.into(),
            creditor_fiscal_code: "03399650104".into(),
            amount_cents: cents,
            psp: "Banca di prova".into(),
            paid_at: "2026-11-23T10:00:00Z".into(),
        }],
    }
}

async fn checkout_of(pool: &AnyPool, notice: &str) -> String {
    sqlx::query_scalar(
        "SELECT cp.checkout_id FROM payment_checkout_positions cp JOIN payment_positions pp ON pp.id = cp.position_id
           JOIN payment_checkouts c ON c.id = cp.checkout_id
          WHERE pp.notice_code = $1 ORDER BY c.created_at DESC LIMIT 1",
    )
    .bind(notice)
    .fetch_one(pool)
    .await
    .expect("checkout")
}

#[tokio::test]
async fn a_ticket_is_paid_once_with_a_receipt_even_when_the_outcome_comes_twice() {
    let (app, idp) = spawn_app_with_idp(quiet).await;
    let pool = app.db().await;
    let [citizen, other]: [FakeAccount; 2] = adults(&app, 2).await.try_into().unwrap();
    let (first, first_notice) = owe(&pool, &citizen.fiscal_code, 2500).await;
    let (second, second_notice) = owe(&pool, &citizen.fiscal_code, 3615).await;
    let browser = app.sign_in(&idp, &citizen).await;

    let (status, list) = app.page_text(&browser, "/pagamenti").await;
    assert_eq!(status, 200);
    assert!(list.contains(&first_notice) && list.contains("25,00 €") && list.contains("36,15 €"));
    assert!(list.contains("<svg"), "payable notices carry their QR code");

    // Nothing selected: refused, nothing opened.
    let response = app.post_form_as(&browser, "/pagamenti/paga", &[]).await;
    assert_eq!(location(&response), "/pagamenti");
    assert!(app.page_text(&browser, "/pagamenti").await.1.contains("Seleziona almeno un ticket"));

    // Both at once, the provider sends the outcome twice.
    let page = start(&app, &browser, &[first, second]).await;
    assert_eq!(position_status(&pool, &first_notice).await, "pending");
    let back = choose(&app, &browser, &page, "duplica").await;
    assert!(back.starts_with("/pagamenti/esito/"));
    let (_, outcome) = app.page_text(&browser, &back).await;
    assert!(outcome.contains("Pagamento riuscito"), "{outcome}");
    for notice in [&first_notice, &second_notice] {
        assert_eq!(position_status(&pool, notice).await, "paid");
        assert_eq!(receipts_of(&pool, notice).await, 1);
    }
    let effects: Vec<String> = sqlx::query_scalar(
        "SELECT effect FROM payment_outcome_events WHERE checkout_id = $1 AND source = 'callback' ORDER BY id",
    )
    .bind(checkout_id(&back))
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(effects, ["applied", "unchanged"]);

    // A replay of the provider's message (with other receipt ids too) changes nothing.
    let mut replay = paid_message(&checkout_id(&back), &first_notice, 2500, "RT-ALTRO-1", "replay");
    replay.receipts.push(ProviderReceipt {
        receipt_id: "RT-ALTRO-2".into(),
        notice_code: second_notice.clone(),
        amount_cents: 3615,
        ..replay.receipts[0].clone()
    });
    let response = signed_outcome(&app, &replay).await;
    assert_eq!(response.status(), 200);
    assert_eq!(receipts_of(&pool, &first_notice).await, 1);

    // Paid positions can't be paid again.
    let response = app.post_form_as(&browser, "/pagamenti/paga", &[("posizione", &first.to_string())]).await;
    assert_eq!(location(&response), "/pagamenti");
    assert!(app.page_text(&browser, "/pagamenti").await.1.contains("non è più da pagare"));

    // The receipt: the debtor downloads it, nobody else.
    let receipt = browser.get(app.url(&format!("/pagamenti/ricevute/{first_notice}.pdf"))).send().await.unwrap();
    assert_eq!(receipt.status(), 200);
    assert!(receipt.bytes().await.unwrap().starts_with(b"%PDF-"));
    let stranger = app.sign_in(&idp, &other).await;
    let refused = stranger.get(app.url(&format!("/pagamenti/ricevute/{first_notice}.pdf"))).send().await.unwrap();
    assert_eq!(refused.status(), 404);
    let (_, not_theirs) = app.page_text(&stranger, &back).await;
    assert!(!not_theirs.contains("Pagamento riuscito"));
    let audited: Vec<(String, String)> = sqlx::query_as(
        "SELECT actor, action FROM audit_log
          WHERE subject = $1 AND capability = 'pagamenti' AND record_id LIKE 'pagamento:%' ORDER BY id",
    )
    .bind(&citizen.fiscal_code)
    .fetch_all(&pool)
    .await
    .unwrap();
    // The payment, then the stranger's look at its outcome page, refused.
    assert_eq!(
        audited,
        [(citizen.fiscal_code.clone(), "write".to_string()), (other.fiscal_code.clone(), "refused".to_string())]
    );
}

#[tokio::test]
async fn failed_and_cancelled_payments_leave_the_ticket_payable() {
    let (app, idp) = spawn_app_with_idp(quiet).await;
    let pool = app.db().await;
    let citizen = adults(&app, 1).await.remove(0);
    let (id, notice) = owe(&pool, &citizen.fiscal_code, 2500).await;
    let browser = app.sign_in(&idp, &citizen).await;

    for (choice, headline) in [("rifiuta", "Pagamento non riuscito"), ("annulla", "Pagamento annullato")] {
        let page = start(&app, &browser, &[id]).await;
        let back = choose(&app, &browser, &page, choice).await;
        let (_, outcome) = app.page_text(&browser, &back).await;
        assert!(outcome.contains(headline), "{choice}: {outcome}");
        assert!(outcome.contains("resta da pagare"));
        assert_eq!(position_status(&pool, &notice).await, "payable", "{choice}");
        assert_eq!(receipts_of(&pool, &notice).await, 0);
        // A late "paid" for a failed checkout never arrives from the sandbox;
        // the page of a finished checkout says it is finished.
        assert!(app.page_text(&browser, &page).await.1.contains("già concluso"));
    }
    // Payable again: a third try succeeds.
    let page = start(&app, &browser, &[id]).await;
    choose(&app, &browser, &page, "paga").await;
    assert_eq!(position_status(&pool, &notice).await, "paid");
}

async fn outcome_events(pool: &AnyPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM payment_outcome_events").fetch_one(pool).await.expect("events")
}

#[tokio::test]
async fn outcomes_with_bad_signatures_or_fields_are_refused_and_store_nothing() {
    let (app, idp) = spawn_app_with_idp(quiet).await;
    let pool = app.db().await;
    let citizen = adults(&app, 1).await.remove(0);
    let (id, notice) = owe(&pool, &citizen.fiscal_code, 2500).await;
    let browser = app.sign_in(&idp, &citizen).await;
    start(&app, &browser, &[id]).await;
    let checkout = checkout_of(&pool, &notice).await;
    let message = paid_message(&checkout, &notice, 2500, "RT-FALSO", "forged");
    let body = serde_json::to_vec(&message).unwrap();

    let unsigned = post_outcome(&app, &body, None).await;
    assert_eq!(unsigned.status(), 401);
    let forged = post_outcome(&app, &body, Some(&sign(b"not the secret", &body))).await;
    assert_eq!(forged.status(), 401);
    let mut tampered = body.clone();
    let signature = sign(SANDBOX_CALLBACK_SECRET.as_bytes(), &body);
    tampered.extend_from_slice(b" ");
    assert_eq!(post_outcome(&app, &tampered, Some(&signature)).await.status(), 401);
    assert_eq!(position_status(&pool, &notice).await, "pending");
    assert_eq!(receipts_of(&pool, &notice).await, 0);
    assert_eq!(outcome_events(&pool).await, 0, "an unsigned callback stores nothing");

    // Well signed but unreadable, or with fields the portal would store or print.
    let junk = b"{\"outcome\":\"paid\"}";
    assert_eq!(post_outcome(&app, junk, Some(&sign(SANDBOX_CALLBACK_SECRET.as_bytes(), junk))).await.status(), 422);
    let with_psp = |psp: String| {
        let mut message = paid_message(&checkout, &notice, 2500, "RT-PSP", "psp");
        message.receipts[0].psp = psp;
        message
    };
    for psp in ["Banca\0di prova".to_string(), "B".repeat(141), "Banca\ncon a capo".to_string()] {
        let response = signed_outcome(&app, &with_psp(psp)).await;
        assert_eq!(response.status(), 422);
    }
    let mut long_id = paid_message(&checkout, &notice, 2500, &"R".repeat(65), "long-id");
    assert_eq!(signed_outcome(&app, &long_id).await.status(), 422);
    long_id.receipts[0].receipt_id = "RT-OK".into();
    long_id.receipts[0].paid_at = "domani".into();
    assert_eq!(signed_outcome(&app, &long_id).await.status(), 422);
    // The reviewer's 900,000-character PSP with a NUL: refused before reading it.
    let huge = with_psp(format!("\0{}", "x".repeat(900_000)));
    let response = signed_outcome(&app, &huge).await;
    assert_eq!(response.status(), 413);
    assert_eq!(position_status(&pool, &notice).await, "pending");
    assert_eq!(receipts_of(&pool, &notice).await, 0);
    assert_eq!(outcome_events(&pool).await, 0, "a refused body stores nothing");

    // Signed and well formed, but about an unknown checkout or with a wrong amount.
    let unknown = paid_message("sconosciuto", &notice, 2500, "RT-X", "unknown");
    assert_eq!(signed_outcome(&app, &unknown).await.status(), 404);
    let wrong_amount = paid_message(&checkout, &notice, 100, "RT-Y", "cheap");
    assert_eq!(signed_outcome(&app, &wrong_amount).await.status(), 422);
    assert_eq!(position_status(&pool, &notice).await, "pending");
    assert_eq!(receipts_of(&pool, &notice).await, 0);

    // A good outcome still goes through, with a PSP name of the longest allowed.
    let good = with_psp("P".repeat(140));
    assert_eq!(signed_outcome(&app, &good).await.status(), 200);
    assert_eq!(position_status(&pool, &notice).await, "paid");
}

#[tokio::test]
async fn a_forged_paid_outcome_cannot_turn_a_cancelled_or_declined_checkout_paid() {
    let (app, idp) = spawn_app_with_idp(quiet).await;
    let pool = app.db().await;
    let citizen = adults(&app, 1).await.remove(0);
    let (id, notice) = owe(&pool, &citizen.fiscal_code, 2500).await;
    let browser = app.sign_in(&idp, &citizen).await;

    for choice in ["annulla", "rifiuta"] {
        let page = start(&app, &browser, &[id]).await;
        let back = choose(&app, &browser, &page, choice).await;
        let checkout = checkout_id(&back);
        assert_eq!(position_status(&pool, &notice).await, "payable");
        let events = outcome_events(&pool).await;
        // Signed with the secret, but the provider knows nothing was paid.
        let forged = paid_message(&checkout, &notice, 2500, &format!("RT-FALSO-{choice}"), "forged");
        let response = signed_outcome(&app, &forged).await;
        assert_eq!(response.status(), 409, "{choice}");
        assert_eq!(position_status(&pool, &notice).await, "payable", "{choice}");
        assert_eq!(receipts_of(&pool, &notice).await, 0);
        assert_eq!(outcome_events(&pool).await, events, "nothing stored");
        let status: String = sqlx::query_scalar("SELECT status FROM payment_checkouts WHERE id = $1")
            .bind(&checkout)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_ne!(status, "paid");
        assert!(app.page_text(&browser, &back).await.1.contains("resta da pagare"));
    }
    // The ticket is still to pay, for real.
    let page = start(&app, &browser, &[id]).await;
    choose(&app, &browser, &page, "paga").await;
    assert_eq!(position_status(&pool, &notice).await, "paid");
}

#[tokio::test]
async fn without_the_sandbox_there_is_no_callback_address_nor_checkout_page() {
    let app = common::spawn_app_with(|settings| settings.pagopa_sandbox = false).await;
    let message = paid_message("0123456789abcdef0123456789abcdef", "302000000000000142", 2500, "RT-1", "e1");
    let body = serde_json::to_vec(&message).unwrap();
    for signature in [None, Some(sign(SANDBOX_CALLBACK_SECRET.as_bytes(), &body))] {
        let response = post_outcome(&app, &body, signature.as_deref()).await;
        assert_eq!(response.status(), 404, "the callback does not exist without a provider");
    }
    assert_eq!(app.get("/sandbox-pagopa/checkout/0123456789abcdef").await.status(), 404);
    assert_eq!(outcome_events(&app.db().await).await, 0);
}

#[tokio::test]
async fn an_outcome_that_never_arrives_is_settled_by_reconciliation_and_a_late_one_changes_nothing() {
    let (app, idp) = spawn_app_with_idp(|settings| {
        settings.pagopa_reconcile_after = Duration::from_secs(1);
        settings.pagopa_reconcile_every = Duration::from_secs(1);
        settings.pagopa_sandbox_delay = Duration::from_secs(3);
    })
    .await;
    let pool = app.db().await;
    let citizen = adults(&app, 1).await.remove(0);
    let (id, notice) = owe(&pool, &citizen.fiscal_code, 2500).await;
    let browser = app.sign_in(&idp, &citizen).await;

    let page = start(&app, &browser, &[id]).await;
    let back = choose(&app, &browser, &page, "ritarda").await;
    let (_, outcome) = app.page_text(&browser, &back).await;
    assert!(outcome.contains("Esito in attesa"), "{outcome}");
    assert!(outcome.contains("Non pagare di nuovo"));
    assert_eq!(position_status(&pool, &notice).await, "pending");
    assert!(app.page_text(&browser, "/pagamenti").await.1.contains("Pagamenti in corso"));
    // No second payment while one is in progress.
    let response = app.post_form_as(&browser, "/pagamenti/paga", &[("posizione", &id.to_string())]).await;
    assert_eq!(location(&response), "/pagamenti");
    assert!(app.page_text(&browser, "/pagamenti").await.1.contains("già un pagamento in corso"));

    let checkout = checkout_id(&back);
    let mut settled_by = None;
    for _ in 0..60 {
        settled_by = sqlx::query_scalar::<_, Option<String>>("SELECT settled_by FROM payment_checkouts WHERE id = $1")
            .bind(&checkout)
            .fetch_one(&pool)
            .await
            .unwrap();
        if settled_by.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(settled_by.as_deref(), Some("reconciliation"));
    assert_eq!(position_status(&pool, &notice).await, "paid");
    // The payer learns it in the inbox.
    let told: String =
        sqlx::query_scalar("SELECT message FROM notifications WHERE person = $1 AND kind = 'esito-pagamento'")
            .bind(&citizen.fiscal_code)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(told.contains("25,00 €") && told.contains("registrato"), "{told}");
    assert_eq!(receipts_of(&pool, &notice).await, 1);

    // The provider's callback finally arrives: nothing changes.
    let receipt_id: String =
        sqlx::query_scalar("SELECT receipt_id FROM payment_receipts").fetch_one(&pool).await.unwrap();
    let late = paid_message(&checkout, &notice, 2500, &receipt_id, "late");
    let response = signed_outcome(&app, &late).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<serde_json::Value>().await.unwrap()["esito"], "unchanged");
    // Nor does a late "failed".
    let failed = OutcomeMessage { outcome: OutcomeKind::Failed, receipts: vec![], ..late };
    assert_eq!(signed_outcome(&app, &failed).await.status(), 200);
    assert_eq!(position_status(&pool, &notice).await, "paid");
    assert_eq!(receipts_of(&pool, &notice).await, 1);
    assert!(app.page_text(&browser, &back).await.1.contains("Pagamento riuscito"));
}

#[tokio::test]
async fn concurrent_outcomes_for_one_notice_make_one_payment() {
    let (app, idp) = spawn_app_with_idp(quiet).await;
    let pool = app.db().await;
    let citizen = adults(&app, 1).await.remove(0);
    let (id, notice) = owe(&pool, &citizen.fiscal_code, 2500).await;
    let browser = app.sign_in(&idp, &citizen).await;
    start(&app, &browser, &[id]).await;
    let checkout = checkout_of(&pool, &notice).await;

    let mut deliveries = Vec::new();
    for n in 0..20 {
        let body =
            serde_json::to_vec(&paid_message(&checkout, &notice, 2500, &format!("RT-{n}"), &format!("e{n}"))).unwrap();
        let request = app
            .client
            .post(app.url("/pagopa/v1/esiti"))
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, sign(SANDBOX_CALLBACK_SECRET.as_bytes(), &body))
            .body(body);
        deliveries.push(tokio::spawn(async move { request.send().await.expect("callback").status().as_u16() }));
    }
    let mut statuses = Vec::new();
    for delivery in deliveries {
        statuses.push(delivery.await.expect("delivered"));
    }
    assert!(statuses.iter().all(|status| *status == 200), "{statuses:?}");
    assert_eq!(receipts_of(&pool, &notice).await, 1);
    assert_eq!(position_status(&pool, &notice).await, "paid");
    let applied: i64 =
        sqlx::query_scalar("SELECT count(*) FROM payment_outcome_events WHERE checkout_id = $1 AND effect = 'applied'")
            .bind(&checkout)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(applied, 1);
    println!("race: 20 concurrent paid outcomes for one notice, 1 applied, 1 receipt");
}

#[tokio::test]
async fn a_paper_notice_is_found_by_its_codes_and_anyone_may_pay_it() {
    let (app, idp) = spawn_app_with_idp(quiet).await;
    let pool = app.db().await;
    let [debtor, payer]: [FakeAccount; 2] = adults(&app, 2).await.try_into().unwrap();
    let (_, notice) = owe(&pool, &debtor.fiscal_code, 4200).await;
    let browser = app.sign_in(&idp, &payer).await;

    let spaced = format!("{} {} {}", &notice[..6], &notice[6..12], &notice[12..]);
    for (code, creditor, expected) in [
        ("123", "03399650104", "Il codice avviso non è valido"),
        (&notice[..17], "03399650104", "Il codice avviso non è valido"),
        (notice.as_str(), "03399650105", "Il codice fiscale dell"),
        (notice.as_str(), "01083410082", "Nessun avviso con questi codici"),
    ] {
        let (status, page) = app.page_text(&browser, &format!("/pagamenti/avviso?codice={code}&ente={creditor}")).await;
        assert_eq!(status, 200);
        assert!(page.contains(expected), "{code}/{creditor}: expected {expected}");
    }
    let (_, found) = app.page_text(&browser, &format!("/pagamenti/avviso?codice={spaced}&ente=03399650104")).await;
    assert!(found.contains("42,00 €") && found.contains("Paga con pagoPA"));

    let response =
        app.post_form_as(&browser, "/pagamenti/paga-avviso", &[("codice", &spaced), ("ente", "03399650104")]).await;
    let page = location(&response);
    assert!(page.starts_with("/sandbox-pagopa/checkout/"), "{page}");
    let back = choose(&app, &browser, &page, "paga").await;
    assert!(app.page_text(&browser, &back).await.1.contains("Pagamento riuscito"));
    assert_eq!(position_status(&pool, &notice).await, "paid");

    // The payer and the debtor both get the receipt; the notice now says paid.
    let receipt = browser.get(app.url(&format!("/pagamenti/ricevute/{notice}.pdf"))).send().await.unwrap();
    assert_eq!(receipt.status(), 200);
    let debtor_browser = app.sign_in(&idp, &debtor).await;
    let theirs = debtor_browser.get(app.url(&format!("/pagamenti/ricevute/{notice}.pdf"))).send().await.unwrap();
    assert_eq!(theirs.status(), 200);
    let (_, again) = app.page_text(&browser, &format!("/pagamenti/avviso?codice={notice}&ente=03399650104")).await;
    assert!(again.contains("risulta già pagato"));
    let response =
        app.post_form_as(&browser, "/pagamenti/paga-avviso", &[("codice", &notice), ("ente", "03399650104")]).await;
    assert!(location(&response).starts_with("/pagamenti/avviso?"));
    assert_eq!(receipts_of(&pool, &notice).await, 1);
}

/// Whether the (uncompressed) PDF shows `text` (ASCII), as a literal or a hex string.
fn pdf_shows(pdf: &[u8], text: &str) -> bool {
    let raw = String::from_utf8_lossy(pdf);
    let hex: String = text.bytes().map(|b| format!("{b:02X}")).collect();
    raw.contains(text) || raw.contains(&hex) || raw.contains(&hex.to_lowercase())
}

async fn audit_count(pool: &AnyPool, subject: &str, actor: &str, action: &str, record_like: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM audit_log
          WHERE subject = $1 AND actor = $2 AND capability = 'pagamenti' AND action = $3 AND record_id LIKE $4",
    )
    .bind(subject)
    .bind(actor)
    .bind(action)
    .bind(record_like)
    .fetch_one(pool)
    .await
    .expect("audit")
}

#[tokio::test]
async fn a_paper_notice_shows_others_only_what_a_pagopa_point_shows_and_its_debtor_sees_who_looked() {
    let (app, idp) = spawn_app_with_idp(quiet).await;
    let pool = app.db().await;
    let [debtor, payer]: [FakeAccount; 2] = adults(&app, 2).await.try_into().unwrap();
    let debtor_browser = app.sign_in(&idp, &debtor).await;
    book_ticket(&app, &debtor_browser, &pool, &debtor.fiscal_code, 0).await;
    let (notice, creditor, reason, booking): (String, String, String, String) = sqlx::query_as(
        "SELECT pp.notice_code, a.fiscal_code, pp.reason, b.code FROM payment_positions pp
           JOIN asl a ON a.code = pp.asl_code JOIN bookings b ON b.id = pp.booking_id WHERE pp.person = $1",
    )
    .bind(&debtor.fiscal_code)
    .fetch_one(&pool)
    .await
    .expect("the booking's ticket");
    let exam = reason.trim_start_matches("Ticket ").split(" — ").next().unwrap_or_default().to_string();
    assert!(reason.contains(&booking) && !exam.is_empty(), "{reason}");
    let debtor_name = format!("{} {}", debtor.given_name, debtor.family_name);
    let private = [exam.as_str(), booking.as_str(), debtor.fiscal_code.as_str(), debtor_name.as_str()];
    let shows_nothing_private = |text: &str, what: &str| {
        for secret in private {
            assert!(!text.contains(secret), "{what} shows {secret:?}");
        }
    };

    // Someone else holding both codes: creditor, amount, due date, codes.
    let browser = app.sign_in(&idp, &payer).await;
    let notice_page = format!("/pagamenti/avviso?codice={notice}&ente={creditor}");
    let (status, page) = app.page_text(&browser, &notice_page).await;
    assert_eq!(status, 200);
    assert!(page.contains("Ticket sanitario") && page.contains("Paga con pagoPA"), "{page}");
    shows_nothing_private(&page, "the notice page");
    let api =
        app.post_form_as(&browser, "/api/payment_notice", &[("notice_code", &notice), ("creditor", &creditor)]).await;
    assert_eq!(api.status(), 200);
    let json = api.text().await.unwrap();
    assert!(json.contains(&notice) && json.contains("Ticket sanitario"), "{json}");
    shows_nothing_private(&json, "the server function");
    // The debtor sees it all, and who looked.
    let (_, own) = app.page_text(&debtor_browser, &notice_page).await;
    assert!(own.contains(&exam) && own.contains(&booking));
    let looked = audit_count(&pool, &debtor.fiscal_code, &payer.fiscal_code, "read", &format!("avviso:{notice}")).await;
    assert_eq!(looked, 2, "each look-up by someone else is on the debtor's access log");

    // Paying it: neither the provider's page nor the outcome shows more.
    let response =
        app.post_form_as(&browser, "/pagamenti/paga-avviso", &[("codice", &notice), ("ente", &creditor)]).await;
    let checkout_page = location(&response);
    assert!(checkout_page.starts_with("/sandbox-pagopa/checkout/"), "{checkout_page}");
    let (_, provider_page) = app.page_text(&browser, &checkout_page).await;
    shows_nothing_private(&provider_page, "the provider's page");
    let back = choose(&app, &browser, &checkout_page, "paga").await;
    let (_, outcome) = app.page_text(&browser, &back).await;
    assert!(outcome.contains("Pagamento riuscito"));
    shows_nothing_private(&outcome, "the outcome page");
    assert_eq!(audit_count(&pool, &debtor.fiscal_code, &payer.fiscal_code, "write", "pagamento:%").await, 1);

    // The payer's receipt names the payer, not the debtor nor the booking; the debtor's is complete.
    let receipt_path = format!("/pagamenti/ricevute/{notice}.pdf");
    let theirs = browser.get(app.url(&receipt_path)).send().await.unwrap();
    assert_eq!(theirs.status(), 200);
    let theirs = theirs.bytes().await.unwrap();
    assert!(pdf_shows(&theirs, &payer.fiscal_code) && pdf_shows(&theirs, &notice));
    assert!(pdf_shows(&theirs, "Ticket sanitario"));
    for secret in [&debtor.fiscal_code, &booking] {
        assert!(!pdf_shows(&theirs, secret), "the payer's receipt shows {secret}");
    }
    let own = debtor_browser.get(app.url(&receipt_path)).send().await.unwrap();
    assert_eq!(own.status(), 200);
    let own = own.bytes().await.unwrap();
    for shown in [&debtor.fiscal_code, &booking, &payer.fiscal_code] {
        assert!(pdf_shows(&own, shown), "the debtor's receipt lacks {shown}");
    }
    assert_eq!(audit_count(&pool, &debtor.fiscal_code, &payer.fiscal_code, "read", "ricevuta:%").await, 1);
}

async fn lookups_of(pool: &AnyPool, actor: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM payment_notice_lookups WHERE actor = $1")
        .bind(actor)
        .fetch_one(pool)
        .await
        .expect("look-ups")
}

#[tokio::test]
async fn notice_look_ups_are_limited_per_person_in_the_database() {
    let (app, idp) = spawn_app_with_idp(quiet).await;
    let pool = app.db().await;
    let [debtor, prober, other]: [FakeAccount; 3] = adults(&app, 3).await.try_into().unwrap();
    let (_, notice) = owe(&pool, &debtor.fiscal_code, 2500).await;
    let browser = app.sign_in(&idp, &prober).await;
    let page_of = |code: &str| format!("/pagamenti/avviso?codice={code}&ente=03399650104");

    // Malformed codes reveal nothing and are not counted.
    let (_, page) = app.page_text(&browser, &page_of("123")).await;
    assert!(page.contains("Il codice avviso non è valido"));
    assert_eq!(lookups_of(&pool, &prober.fiscal_code).await, 0);
    // Nine guesses (well-formed codes of the ASL) and the real one: all answered.
    for n in 1..=9_u64 {
        let guess = app::domain::pagopa::notice_code(3, 1_234_567_000 + n).unwrap();
        let (status, page) = app.page_text(&browser, &page_of(&guess)).await;
        assert_eq!(status, 200);
        assert!(page.contains("Nessun avviso con questi codici"));
        assert_eq!(lookups_of(&pool, &prober.fiscal_code).await, i64::try_from(n).unwrap(), "one per look-up");
    }
    let (status, page) = app.page_text(&browser, &page_of(&notice)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Paga con pagoPA"));

    // The eleventh in ten minutes: 429 with what to do, from the page and the server function.
    let message = "Hai cercato troppi avvisi di pagamento in pochi minuti. Riprova tra qualche minuto.";
    let (status, page) = app.page_text(&browser, &page_of(&notice)).await;
    assert_eq!(status, 429);
    assert!(page.contains(message) && !page.contains("Paga con pagoPA"), "{page}");
    let api = app
        .post_form_as(&browser, "/api/payment_notice", &[("notice_code", &notice), ("creditor", "03399650104")])
        .await;
    assert_eq!(api.status(), 429);
    assert!(api.headers().get("retry-after").is_some());
    assert!(!api.text().await.unwrap().contains(&notice));
    // Paying by the codes is a look-up too: refused, nothing locked.
    let response =
        app.post_form_as(&browser, "/pagamenti/paga-avviso", &[("codice", &notice), ("ente", "03399650104")]).await;
    assert!(location(&response).starts_with("/pagamenti/avviso?codice="), "{}", location(&response));
    assert_eq!(position_status(&pool, &notice).await, "payable");
    let checkouts: i64 = sqlx::query_scalar("SELECT count(*) FROM payment_checkouts").fetch_one(&pool).await.unwrap();
    assert_eq!(checkouts, 0);
    assert_eq!(lookups_of(&pool, &prober.fiscal_code).await, 10, "refused look-ups are not counted");
    let read = audit_count(&pool, &debtor.fiscal_code, &prober.fiscal_code, "read", "avviso:%").await;
    assert_eq!(read, 1, "only the look-up that found it is on the debtor's log");

    // Someone else is not affected.
    let others = app.sign_in(&idp, &other).await;
    let (status, page) = app.page_text(&others, &page_of(&notice)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Paga con pagoPA"));

    // Ten minutes later (the rows' time moved back): allowed again, old rows gone.
    sqlx::query("UPDATE payment_notice_lookups SET at = '2020-01-01T00:00:00.000Z' WHERE actor = $1")
        .bind(&prober.fiscal_code)
        .execute(&pool)
        .await
        .unwrap();
    let (status, _) = app.page_text(&browser, &page_of(&notice)).await;
    assert_eq!(status, 200);
    assert_eq!(lookups_of(&pool, &prober.fiscal_code).await, 1);
}

#[tokio::test]
async fn a_notice_holder_may_start_a_checkout_and_cancelling_it_frees_the_ticket_at_once() {
    let (app, idp) = spawn_app_with_idp(quiet).await;
    let pool = app.db().await;
    let [debtor, holder]: [FakeAccount; 2] = adults(&app, 2).await.try_into().unwrap();
    let (id, notice) = owe(&pool, &debtor.fiscal_code, 3000).await;
    let holder_browser = app.sign_in(&idp, &holder).await;
    let response = app
        .post_form_as(&holder_browser, "/pagamenti/paga-avviso", &[("codice", &notice), ("ente", "03399650104")])
        .await;
    let checkout_page = location(&response);
    assert!(checkout_page.starts_with("/sandbox-pagopa/checkout/"), "{checkout_page}");
    assert_eq!(position_status(&pool, &notice).await, "pending");
    // The debtor's log says who started paying their ticket.
    assert_eq!(audit_count(&pool, &debtor.fiscal_code, &holder.fiscal_code, "write", "pagamento:%").await, 1);

    // Meanwhile the debtor cannot pay twice…
    let debtor_browser = app.sign_in(&idp, &debtor).await;
    let response = app.post_form_as(&debtor_browser, "/pagamenti/paga", &[("posizione", &id.to_string())]).await;
    assert_eq!(location(&response), "/pagamenti");
    assert!(app.page_text(&debtor_browser, "/pagamenti").await.1.contains("già un pagamento in corso"));
    // …and once the holder cancels, the ticket is free at once.
    choose(&app, &holder_browser, &checkout_page, "annulla").await;
    assert_eq!(position_status(&pool, &notice).await, "payable");
    let page = start(&app, &debtor_browser, &[id]).await;
    choose(&app, &debtor_browser, &page, "paga").await;
    assert_eq!(position_status(&pool, &notice).await, "paid");
}

/// Makes every payments audit write fail (as a full or broken log would).
async fn audit_down(pool: &AnyPool, down: bool) {
    if down {
        common::break_audit_log(pool, "audit_down", "NEW.capability = 'pagamenti' AND NEW.action = 'write'").await;
    } else {
        common::mend_audit_log(pool, "audit_down").await;
    }
}

async fn declarations_in_force(pool: &AnyPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM income_exemption_declarations WHERE withdrawn_at IS NULL")
        .fetch_one(pool)
        .await
        .expect("declarations")
}

#[tokio::test]
async fn a_payment_change_and_its_audit_line_commit_together() {
    let (app, idp) = spawn_app_with_idp(quiet).await;
    let pool = app.db().await;
    let citizen = adults(&app, 1).await.remove(0);
    let (id, notice) = owe(&pool, &citizen.fiscal_code, 2500).await;
    let browser = app.sign_in(&idp, &citizen).await;

    // The audit line cannot be written: no checkout, no lock, no declaration.
    audit_down(&pool, true).await;
    let response = app.post_form_as(&browser, "/pagamenti/paga", &[("posizione", &id.to_string())]).await;
    assert_eq!(location(&response), "/pagamenti");
    assert_eq!(position_status(&pool, &notice).await, "payable");
    let checkouts: i64 = sqlx::query_scalar("SELECT count(*) FROM payment_checkouts").fetch_one(&pool).await.unwrap();
    let sessions: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sandbox_pagopa_sessions").fetch_one(&pool).await.unwrap();
    assert_eq!((checkouts, sessions), (0, 0));
    let response = app.post_form_as(&browser, "/pagamenti/esenzioni", &[("codice", "E02"), ("dichiaro", "1")]).await;
    assert_eq!(location(&response), "/pagamenti/esenzioni");
    assert_eq!(declarations_in_force(&pool).await, 0);

    // Declared with the log up; a withdrawal while it is down changes nothing.
    audit_down(&pool, false).await;
    app.post_form_as(&browser, "/pagamenti/esenzioni", &[("codice", "E02"), ("dichiaro", "1")]).await;
    assert_eq!(declarations_in_force(&pool).await, 1);
    let declaration: i64 =
        sqlx::query_scalar("SELECT id FROM income_exemption_declarations").fetch_one(&pool).await.unwrap();
    audit_down(&pool, true).await;
    app.post_form_as(&browser, "/pagamenti/esenzioni/ritira", &[("id", &declaration.to_string())]).await;
    assert_eq!(declarations_in_force(&pool).await, 1, "still valid: its withdrawal was not logged");
    audit_down(&pool, false).await;

    // With the log up again everything works and is logged.
    start(&app, &browser, &[id]).await;
    assert_eq!(position_status(&pool, &notice).await, "pending");
    assert_eq!(audit_count(&pool, &citizen.fiscal_code, &citizen.fiscal_code, "write", "pagamento:%").await, 1);
}

/// A free future slot of a service with a ticket and a prescription for it.
async fn bookable(pool: &AnyPool, person: &str, number: u32) -> (String, i64) {
    let (service, slot): (String, i64) = sqlx::query_as(
        "SELECT s.service_code, s.id FROM slots s JOIN outpatient_services sv ON sv.code = s.service_code
          WHERE sv.ticket_cents > 0 AND substr(s.starts_at, 1, 10) > $2
            AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id)
          ORDER BY s.starts_at, s.id LIMIT 1 OFFSET $1",
    )
    .bind(i64::from(number))
    .bind((server::clock::rome_today() + chrono::Duration::days(3)).to_string())
    .fetch_one(pool)
    .await
    .expect("a slot");
    let nre = format!("0709E{number:010}");
    sqlx::query(
        "INSERT INTO prescriptions (nre, person, kind, colour, priority, service_code, prescriber, issued_on, valid_until)
         VALUES ($1, $2, 'specialist', 'red', 'P', $3, 'Medico di medicina generale', date('now'), date('now', '+180 days'))",
    )
    .bind(&nre)
    .bind(person)
    .bind(&service)
    .execute(pool)
    .await
    .expect("prescription");
    (nre, slot)
}

async fn book_ticket(
    app: &TestApp,
    browser: &reqwest::Client,
    pool: &AnyPool,
    person: &str,
    number: u32,
) -> (i64, Option<String>) {
    let (nre, slot) = bookable(pool, person, number).await;
    let response =
        app.post_form_as(browser, "/prenotazioni/prenota", &[("nre", &nre), ("slot_id", &slot.to_string())]).await;
    assert_eq!(response.status(), 303);
    sqlx::query_as("SELECT ticket_cents, exemption FROM bookings WHERE nre = $1 AND status = 'active'")
        .bind(&nre)
        .fetch_one(pool)
        .await
        .expect("booked")
}

#[tokio::test]
async fn a_self_certified_income_exemption_zeroes_later_tickets_until_withdrawn() {
    let (app, idp) = spawn_app_with_idp(quiet).await;
    let pool = app.db().await;
    let citizen = adults(&app, 1).await.remove(0);
    let browser = app.sign_in(&idp, &citizen).await;

    let (ticket, exemption) = book_ticket(&app, &browser, &pool, &citizen.fiscal_code, 0).await;
    assert!(ticket > 0 && exemption.is_none());

    // Refusals: E01 at this age, no confirmation, unknown code — nothing stored.
    for (form, expected) in [
        (vec![("codice", "E01"), ("dichiaro", "1")], "vale solo sotto i 6 anni"),
        (vec![("codice", "E02")], "devi confermare"),
        (vec![("codice", "E09"), ("dichiaro", "1")], "Scegli uno dei codici"),
    ] {
        let response = app.post_form_as(&browser, "/pagamenti/esenzioni", &form).await;
        assert_eq!(location(&response), "/pagamenti/esenzioni");
        let (_, page) = app.page_text(&browser, "/pagamenti/esenzioni").await;
        assert!(page.contains(expected), "{expected}: {page}");
    }
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM income_exemption_declarations").fetch_one(&pool).await.unwrap();
    assert_eq!(stored, 0);

    app.post_form_as(&browser, "/pagamenti/esenzioni", &[("codice", "E02"), ("dichiaro", "1")]).await;
    let (_, page) = app.page_text(&browser, "/pagamenti/esenzioni").await;
    assert!(page.contains("Autocertificazione registrata") && page.contains("Ritira l"));
    let response = app.post_form_as(&browser, "/pagamenti/esenzioni", &[("codice", "E03"), ("dichiaro", "1")]).await;
    assert_eq!(location(&response), "/pagamenti/esenzioni");
    assert!(app.page_text(&browser, "/pagamenti/esenzioni").await.1.contains("autocertificazione valida: ritirala"));

    let (ticket, exemption) = book_ticket(&app, &browser, &pool, &citizen.fiscal_code, 1).await;
    assert_eq!((ticket, exemption.as_deref()), (0, Some("E02")));
    let positions: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM payment_positions pp JOIN bookings b ON b.id = pp.booking_id WHERE b.person = $1 AND b.exemption = 'E02'",
    )
    .bind(&citizen.fiscal_code)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(positions, 0, "an exempt booking owes nothing");

    let id: i64 = sqlx::query_scalar("SELECT id FROM income_exemption_declarations").fetch_one(&pool).await.unwrap();
    app.post_form_as(&browser, "/pagamenti/esenzioni/ritira", &[("id", &id.to_string())]).await;
    assert!(app.page_text(&browser, "/pagamenti/esenzioni").await.1.contains("Ritirata il"));
    let (ticket, exemption) = book_ticket(&app, &browser, &pool, &citizen.fiscal_code, 2).await;
    assert!(ticket > 0 && exemption.is_none());
    // The record keeps both the certification and its withdrawal.
    let (withdrawn_by, code): (Option<String>, String) =
        sqlx::query_as("SELECT withdrawn_by, code FROM income_exemption_declarations").fetch_one(&pool).await.unwrap();
    assert_eq!((withdrawn_by.as_deref(), code.as_str()), (Some(citizen.fiscal_code.as_str()), "E02"));
    let deleted = sqlx::query("DELETE FROM income_exemption_declarations").execute(&pool).await;
    assert!(deleted.is_err(), "declarations are kept");
    let audit: Vec<String> = sqlx::query_scalar(
        "SELECT record_id FROM audit_log WHERE subject = $1 AND capability = 'pagamenti' AND action = 'write' ORDER BY id",
    )
    .bind(&citizen.fiscal_code)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(audit, [String::from("esenzione:E02"), format!("esenzione-ritirata:{id}")]);
}

#[tokio::test]
async fn a_parent_pays_for_a_child_and_a_delegate_needs_the_payments_service() {
    let (app, idp) = spawn_app_with_idp(quiet).await;
    let pool = app.db().await;
    let parent = demo_citizens(&pool, PARENT_OF_A_MINOR, 1).await.remove(0);
    let child: String = sqlx::query_scalar(
        "SELECT g.child FROM guardianships g JOIN people c ON c.fiscal_code = g.child
          WHERE g.parent = $1 AND c.birth_date > date('now', '-17 years') ORDER BY g.child LIMIT 1",
    )
    .bind(&parent.fiscal_code)
    .fetch_one(&pool)
    .await
    .expect("a minor child");
    let (id, notice) = owe(&pool, &child, 1850).await;

    let browser = app.sign_in(&idp, &parent).await;
    app.post_form_as(&browser, "/agisci-per", &[("per", &child), ("return_to", "/pagamenti")]).await;
    let (_, list) = app.page_text(&browser, "/pagamenti").await;
    assert!(list.contains(&notice) && list.contains("18,50 €"));
    let page = start(&app, &browser, &[id]).await;
    let back = choose(&app, &browser, &page, "paga").await;
    assert!(app.page_text(&browser, &back).await.1.contains("Pagamento riuscito"));
    let payer: String = sqlx::query_scalar("SELECT payer FROM payment_checkouts").fetch_one(&pool).await.unwrap();
    assert_eq!(payer, parent.fiscal_code, "the parent paid");
    let receipt = browser.get(app.url(&format!("/pagamenti/ricevute/{notice}.pdf"))).send().await.unwrap();
    assert_eq!(receipt.status(), 200);
    let on_childs_record: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE subject = $1 AND actor = $2 AND capability = 'pagamenti' AND action = 'write'",
    )
    .bind(&child)
    .bind(&parent.fiscal_code)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(on_childs_record, 1);

    // A delegate sees and pays only with "Pagamenti", and never self-certifies.
    let [delegator, delegate]: [FakeAccount; 2] = adults(&app, 2).await.try_into().unwrap();
    let (owed, owed_notice) = owe(&pool, &delegator.fiscal_code, 2500).await;
    let delegator_browser = app.sign_in(&idp, &delegator).await;
    let until = (chrono::Utc::now().date_naive() + chrono::Duration::days(30)).to_string();
    let give = |scopes: &'static [&'static str]| {
        let mut form = vec![
            ("delegate", delegate.fiscal_code.clone()),
            ("delegate_given_name", delegate.given_name.clone()),
            ("delegate_family_name", delegate.family_name.clone()),
            ("valid_until", until.clone()),
        ];
        form.extend(scopes.iter().map(|scope| ("scopes", scope.to_string())));
        form
    };
    let form = give(&["fascicolo"]);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form_as(&delegator_browser, "/deleghe", &form).await;
    let delegate_browser = app.sign_in(&idp, &delegate).await;
    app.post_form_as(&delegate_browser, "/agisci-per", &[("per", &delegator.fiscal_code), ("return_to", "/")]).await;
    let (_, refused) = app.page_text(&delegate_browser, "/pagamenti").await;
    assert!(refused.contains("Operazione non consentita") && !refused.contains(&owed_notice));
    let response = app.post_form_as(&delegate_browser, "/pagamenti/paga", &[("posizione", &owed.to_string())]).await;
    assert_eq!(location(&response), "/pagamenti");
    assert!(app
        .page_text(&delegate_browser, "/pagamenti")
        .await
        .1
        .contains("la delega non comprende il servizio Pagamenti"));
    assert_eq!(position_status(&pool, &owed_notice).await, "payable");

    let form = give(&["pagamenti"]);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form_as(&delegator_browser, "/deleghe", &form).await;
    app.post_form_as(&delegate_browser, "/agisci-per", &[("per", &delegator.fiscal_code), ("return_to", "/")]).await;
    assert!(app.page_text(&delegate_browser, "/pagamenti").await.1.contains(&owed_notice));
    let response =
        app.post_form_as(&delegate_browser, "/pagamenti/esenzioni", &[("codice", "E02"), ("dichiaro", "1")]).await;
    assert_eq!(location(&response), "/pagamenti/esenzioni");
    assert!(app.page_text(&delegate_browser, "/pagamenti/esenzioni").await.1.contains("Solo la persona interessata"));
    let declared: i64 =
        sqlx::query_scalar("SELECT count(*) FROM income_exemption_declarations").fetch_one(&pool).await.unwrap();
    assert_eq!(declared, 0);
}
