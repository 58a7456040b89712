//! Pharmacists and dematerialised prescriptions: consent (missing, given,
//! withdrawn mid-session), card checks, red and white prescriptions,
//! partial dispensing, 50 concurrent dispenses from two pharmacies, the
//! citizen's access log, and the per-pharmacist rate limit.

mod common;

use app::notice::Notice;
use app::pharmacy::notice::PharmacyNotice;
use std::sync::Arc;

use app::identity::model::{Person, Principal, Relation, Role};
use app::pharmacy::model::{CardLookup, PrescriptionStatus};
use app::pharmacy::port::{DispenseError, Prescriptions};
use common::fake_idp::FakeAccount;
use common::{demo_citizens, location, spawn_app_with_idp, TestApp, ADULT_WITHOUT_CHILDREN};
use server::pharmacy::SqlPrescriptions;
use sqlx::AnyPool;

fn person(account: &FakeAccount) -> Person {
    Person {
        fiscal_code: account.fiscal_code.clone(),
        given_name: account.given_name.clone(),
        family_name: account.family_name.clone(),
    }
}

fn citizen(account: &FakeAccount) -> Principal {
    Principal {
        actor: person(account),
        role: Role::Citizen,
        pharmacy_id: None,
        subject: person(account),
        relation: Relation::Own,
        ip: "127.0.0.1".into(),
        request_id: "test".into(),
    }
}

/// The demo pharmacies (the identity provider's pharmacists work there).
async fn pharmacies(pool: &AnyPool) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT id, name FROM facilities WHERE kind = 'pharmacy' ORDER BY id LIMIT 2")
        .fetch_all(pool)
        .await
        .expect("pharmacies")
}

fn pharmacist(fiscal_code: &str, pharmacy: i64) -> Principal {
    let person =
        Person { fiscal_code: fiscal_code.into(), given_name: "Farmacista".into(), family_name: "Di prova".into() };
    Principal {
        actor: person.clone(),
        role: Role::Pharmacist,
        pharmacy_id: Some(pharmacy.to_string()),
        subject: person,
        relation: Relation::Own,
        ip: "127.0.0.1".into(),
        request_id: "test".into(),
    }
}

/// An adult with a red and a white drug prescription, and their card.
async fn patient(app: &TestApp) -> (FakeAccount, String) {
    let pool = app.db().await;
    let account = demo_citizens(
        &pool,
        &format!(
            "{ADULT_WITHOUT_CHILDREN} AND EXISTS (SELECT 1 FROM prescriptions r WHERE r.person = p.fiscal_code AND r.colour = 'white')"
        ),
        1,
    )
    .await
    .remove(0);
    let card: String = sqlx::query_scalar("SELECT health_card_number FROM people WHERE fiscal_code = $1")
        .bind(&account.fiscal_code)
        .fetch_one(&pool)
        .await
        .expect("card");
    (account, card)
}

/// The patient's red line with the most boxes.
async fn red_line(pool: &AnyPool, person: &str) -> (i64, i64) {
    sqlx::query_as(
        "SELECT l.id, l.boxes FROM prescription_lines l JOIN prescriptions p ON p.nre = l.nre
          WHERE p.person = $1 AND p.colour = 'red' AND p.kind = 'pharmaceutical' ORDER BY l.boxes DESC, l.id LIMIT 1",
    )
    .bind(person)
    .fetch_one(pool)
    .await
    .expect("a red line")
}

async fn audit(pool: &AnyPool, subject: &str, action: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE subject = $1 AND capability = 'ricette' AND actor_role = 'pharmacist' AND action = $2",
    )
    .bind(subject)
    .bind(action)
    .fetch_one(pool)
    .await
    .expect("audit")
}

#[tokio::test]
async fn consent_decides_what_the_pharmacist_sees_even_mid_session() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let (account, card) = patient(&app).await;
    let pool = app.db().await;
    let port = SqlPrescriptions::new(pool.clone());
    let (pharmacy, _) = pharmacies(&pool).await[0].clone();
    let at_counter = pharmacist("FRMPRV80A01D969X", pharmacy);

    assert_eq!(port.lookup(&at_counter, &account.fiscal_code, &card).await, Ok(CardLookup::ConsentMissing));
    assert_eq!(
        audit(&pool, &account.fiscal_code, "refused").await,
        1,
        "a look-up without consent is logged as refused"
    );

    let browser = app.sign_in(&idp, &account).await;
    let given = app.post_form_as(&browser, "/ricette/consenso", &[("given", "1")]).await;
    assert_eq!(location(&given), "/ricette");
    let (_, page) = app.page_text(&browser, "/ricette").await;
    assert!(page.contains("Consenso registrato") && page.contains("Ricetta bianca") && page.contains("Ricetta rossa"));

    let Ok(CardLookup::Prescriptions { patient, prescriptions }) = port.counter(&at_counter).await else {
        panic!("the card at the counter now shows the prescriptions");
    };
    assert_eq!(patient.fiscal_code, account.fiscal_code);
    assert!(prescriptions.iter().any(|p| p.red) && prescriptions.iter().any(|p| !p.red), "red and white");

    // Withdrawn while the card is at the counter: nothing more is shown or dispensed.
    app.post_form_as(&browser, "/ricette/consenso", &[("given", "0")]).await;
    let (line, _) = red_line(&pool, &account.fiscal_code).await;
    assert_eq!(port.dispense(&at_counter, line, 1).await, Err(DispenseError::Lookup(CardLookup::ConsentMissing)));
    let dispensed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM dispensations").fetch_one(&pool).await.expect("count");
    assert_eq!(dispensed, 0);
    let (_, log) = app.page_text(&browser, "/accessi").await;
    assert!(log.contains("Farmacista"), "the citizen sees the pharmacist's look-ups");
}

#[tokio::test]
async fn wrong_malformed_and_expired_cards_are_refused() {
    let (app, _idp) = spawn_app_with_idp(|_| {}).await;
    let (account, card) = patient(&app).await;
    let pool = app.db().await;
    let port = SqlPrescriptions::new(pool.clone());
    let at_counter = pharmacist("FRMPRV80A01D969X", pharmacies(&pool).await[0].0);
    let mut wrong = card.clone().into_bytes();
    wrong[19] = if wrong[19] == b'0' { b'1' } else { b'0' };
    let wrong = String::from_utf8(wrong).expect("digits");

    assert_eq!(port.lookup(&at_counter, &account.fiscal_code, &wrong).await, Ok(CardLookup::CardMismatch));
    assert_eq!(port.lookup(&at_counter, &account.fiscal_code, "1234").await, Ok(CardLookup::BadCardNumber));
    assert_eq!(port.lookup(&at_counter, "RSSMRA80A01H501X", &card).await, Ok(CardLookup::BadFiscalCode));
    sqlx::query("UPDATE people SET health_card_expiry = '2025-01-31' WHERE fiscal_code = $1")
        .bind(&account.fiscal_code)
        .execute(&pool)
        .await
        .expect("expire");
    assert_eq!(
        port.lookup(&at_counter, &account.fiscal_code, &card).await,
        Ok(CardLookup::CardExpired("2025-01-31".into()))
    );
    assert_eq!(port.counter(&at_counter).await, Ok(CardLookup::NoCard), "a refused card is not kept at the counter");
    // A citizen is not a pharmacist.
    assert!(port.lookup(&citizen(&account), &account.fiscal_code, &card).await.is_err());
}

#[tokio::test]
async fn a_multi_box_line_is_dispensed_in_parts_and_never_beyond() {
    let (app, _idp) = spawn_app_with_idp(|_| {}).await;
    let (account, card) = patient(&app).await;
    let pool = app.db().await;
    let port = SqlPrescriptions::new(pool.clone());
    port.set_consent(&citizen(&account), true).await.expect("consent");
    let (pharmacy, name) = pharmacies(&pool).await[0].clone();
    let at_counter = pharmacist("FRMPRV80A01D969X", pharmacy);
    port.lookup(&at_counter, &account.fiscal_code, &card).await.expect("look-up");
    let (line, boxes) = red_line(&pool, &account.fiscal_code).await;
    assert!(boxes >= 2, "the demo prescribes two boxes of atorvastatin");

    port.dispense(&at_counter, line, 1).await.expect("one box");
    let mine = port.mine(&citizen(&account)).await.expect("mine");
    let prescription = mine.prescriptions.iter().find(|p| p.lines.iter().any(|l| l.id == line)).expect("prescription");
    assert_eq!(prescription.status, PrescriptionStatus::Partly);
    assert_eq!(
        port.dispense(&at_counter, line, boxes).await,
        Err(DispenseError::Refused(Notice::Pharmacy(PharmacyNotice::DispenseTooManyBoxes)))
    );
    assert_eq!(
        port.dispense(&at_counter, line, 0).await,
        Err(DispenseError::Refused(Notice::Pharmacy(PharmacyNotice::DispenseBadBoxes)))
    );
    port.dispense(&at_counter, line, boxes - 1).await.expect("the rest");
    let Err(DispenseError::AlreadyDispensed { pharmacy: where_, at_local }) = port.dispense(&at_counter, line, 1).await
    else {
        panic!("a dispensed line cannot be dispensed again");
    };
    assert_eq!(where_, name);
    assert_eq!(at_local.len(), 16, "dd/mm/yyyy hh:mm: {at_local}");
    // Someone else's line is not found from this card.
    let other: i64 = sqlx::query_scalar(
        "SELECT l.id FROM prescription_lines l JOIN prescriptions p ON p.nre = l.nre WHERE p.person <> $1 LIMIT 1",
    )
    .bind(&account.fiscal_code)
    .fetch_one(&pool)
    .await
    .expect("other line");
    assert_eq!(
        port.dispense(&at_counter, other, 1).await,
        Err(DispenseError::Refused(Notice::Pharmacy(PharmacyNotice::LineNotFound)))
    );
    let written = audit(&pool, &account.fiscal_code, "write").await;
    assert_eq!(written, 2, "each dispensation is in the citizen's log");
}

#[tokio::test]
async fn fifty_concurrent_dispenses_from_two_pharmacies_leave_exactly_one() {
    let (app, _idp) = spawn_app_with_idp(|_| {}).await;
    let (account, card) = patient(&app).await;
    let pool = app.db().await;
    let port = Arc::new(SqlPrescriptions::new(pool.clone()));
    port.set_consent(&citizen(&account), true).await.expect("consent");
    let places = pharmacies(&pool).await;
    let counters = [pharmacist("FRMPRV80A01D969X", places[0].0), pharmacist("FRMSCN85B42D969Y", places[1].0)];
    for counter in &counters {
        port.lookup(counter, &account.fiscal_code, &card).await.expect("look-up");
    }
    let (line, boxes) = red_line(&pool, &account.fiscal_code).await;

    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let port = port.clone();
            let counter = counters[i % 2].clone();
            tokio::spawn(async move { port.dispense(&counter, line, boxes).await })
        })
        .collect();
    let (mut won, mut refused, mut answer) = (0, 0, String::new());
    for task in tasks {
        match task.await.expect("task") {
            Ok(()) => won += 1,
            Err(DispenseError::AlreadyDispensed { pharmacy, at_local }) => {
                refused += 1;
                answer = format!("già dispensata presso {pharmacy}, {at_local}");
            }
            Err(other) => panic!("unexpected: {other:?}"),
        }
    }
    println!("race: 50 dispenses of one line from two pharmacies, {won} succeeded, {refused} answered \"{answer}\"");
    assert_eq!((won, refused), (1, 49));
    let total: i64 = sqlx::query_scalar("SELECT CAST(sum(boxes) AS BIGINT) FROM dispensations WHERE line_id = $1")
        .bind(line)
        .fetch_one(&pool)
        .await
        .expect("sum");
    assert_eq!(total, boxes);
}

#[tokio::test]
async fn a_burst_of_look_ups_beyond_the_limit_gets_429_and_a_message() {
    let (app, idp) = spawn_app_with_idp(|settings| settings.pharmacy_lookups_per_minute = 5).await;
    let (account, card) = patient(&app).await;
    let pool = app.db().await;
    let (pharmacy, _) = pharmacies(&pool).await[0].clone();
    // Another resident, signed in as a pharmacist of the first pharmacy.
    let colleague = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 2)
        .await
        .into_iter()
        .find(|other| other.fiscal_code != account.fiscal_code)
        .expect("another resident");
    let pharmacist_account = FakeAccount { role: "pharmacist", pharmacy_id: Some(pharmacy.to_string()), ..colleague };
    let browser = app.sign_in(&idp, &pharmacist_account).await;
    let form = [("codice_fiscale", account.fiscal_code.as_str()), ("tessera", card.as_str())];
    for attempt in 1..=5 {
        let response = app.post_form_as(&browser, "/farmacia/cerca", &form).await;
        assert_eq!(response.status(), 303, "look-up {attempt} is within the limit");
    }
    let limited = app.post_form_as(&browser, "/farmacia/cerca", &form).await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    assert!(limited.text().await.expect("body").contains("Troppe ricerche di tessere"));
    // Without consent, the counter page says only that.
    let (status, page) = app.page_text(&browser, "/farmacia").await;
    assert_eq!(status, 200);
    assert!(page.contains("non ha dato il consenso") && !page.contains("Atorvastatina"), "{page}");
}
