//! CUP booking: from a prescription to a booking, moved and cancelled;
//! specific refusals for typed NREs and bad slots; 200 people racing for
//! one slot; the waiting list offering freed and new slots in order.

mod common;

use app::cup::model::{NreProblem, SearchFilter, SearchOutcome};
use app::cup::notice::CupNotice;
use app::cup::port::Cup;
use app::identity::model::{Person, Principal, Relation, Role};
use app::notice::Notice;
use app::notice::WriteError;
use common::fake_idp::FakeAccount;
use common::{demo_citizens, location, prescribe, spawn_app_with_idp, TestApp, ADULT_WITHOUT_CHILDREN};
use server::cup::SqlCup;
use sqlx::AnyPool;
use std::time::Duration;

const HOLD: Duration = Duration::from_secs(3600);

fn principal(account: &FakeAccount) -> Principal {
    let person = Person {
        fiscal_code: account.fiscal_code.clone(),
        given_name: account.given_name.clone(),
        family_name: account.family_name.clone(),
    };
    Principal {
        actor: person.clone(),
        role: Role::Citizen,
        pharmacy_id: None,
        subject: person,
        relation: Relation::Own,
        ip: "127.0.0.1".into(),
        request_id: "test".into(),
    }
}

fn port(pool: &AnyPool) -> SqlCup {
    SqlCup::new(pool.clone(), Duration::from_secs(24 * 3600), HOLD)
}

/// A service with a ticket and two free slots more than two days ahead.
async fn service_with_later_slots(pool: &AnyPool) -> (String, i64, i64) {
    let (service, first): (String, i64) = sqlx::query_as(
        "SELECT s.service_code, s.id FROM slots s JOIN outpatient_services sv ON sv.code = s.service_code
          WHERE sv.ticket_cents > 0 AND date(s.starts_at) > date('now', '+2 days') ORDER BY s.starts_at, s.id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("a slot");
    let second: i64 = sqlx::query_scalar(
        "SELECT id FROM slots WHERE service_code = $1 AND id <> $2 AND date(starts_at) > date('now', '+2 days')
          ORDER BY starts_at DESC LIMIT 1",
    )
    .bind(&service)
    .bind(first)
    .fetch_one(pool)
    .await
    .expect("another slot");
    (service, first, second)
}

async fn adults(app: &TestApp, count: u32) -> Vec<FakeAccount> {
    // No exemptions, so tickets are due.
    demo_citizens(
        &app.db().await,
        &format!("{ADULT_WITHOUT_CHILDREN} AND NOT EXISTS (SELECT 1 FROM exemptions e WHERE e.person = p.fiscal_code)"),
        count,
    )
    .await
}

async fn status_of(pool: &AnyPool, code: &str) -> String {
    sqlx::query_scalar("SELECT status FROM bookings WHERE code = $1").bind(code).fetch_one(pool).await.expect("booking")
}

#[tokio::test]
async fn a_citizen_books_moves_and_cancels_and_the_ticket_follows() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let citizen = adults(&app, 1).await.remove(0);
    let pool = app.db().await;
    let (service, first, second) = service_with_later_slots(&pool).await;
    let nre = prescribe(&pool, &citizen.fiscal_code, &service, "P", 1).await;
    let browser = app.sign_in(&idp, &citizen).await;

    let (status, overview) = app.page_text(&browser, "/prenotazioni").await;
    assert_eq!(status, 200);
    assert!(overview.contains(&nre));
    let (_, search) = app.page_text(&browser, &format!("/prenotazioni/cerca?nre={nre}")).await;
    assert!(search.contains("Strutture con posti liberi:") && search.contains("Priorità P (programmata)"), "{search}");

    let booked =
        app.post_form_as(&browser, "/prenotazioni/prenota", &[("nre", &nre), ("slot_id", &first.to_string())]).await;
    let target = location(&booked);
    assert!(target.starts_with("/prenotazioni/PR-"), "{target}");
    let code = target.trim_start_matches("/prenotazioni/").to_string();
    let (_, confirmation) = app.page_text(&browser, &target).await;
    assert!(confirmation.contains("Prenotazione confermata") && confirmation.contains(&code));
    assert!(confirmation.contains("Codice avviso pagoPA"), "a ticket creates a payment position");
    let reminder = browser.get(app.url(&format!("{target}/promemoria.pdf"))).send().await.expect("pdf");
    assert_eq!(reminder.headers()["content-type"], "application/pdf");
    assert!(reminder.bytes().await.expect("bytes").starts_with(b"%PDF-"));
    let position: (String, i64, String) = sqlx::query_as(
        "SELECT pp.status, pp.amount_cents, pp.notice_code FROM payment_positions pp JOIN bookings b ON b.id = pp.booking_id
          WHERE b.code = $1",
    )
    .bind(&code)
    .fetch_one(&pool)
    .await
    .expect("position");
    assert_eq!(position.0, "payable");
    assert!(position.1 > 0);
    assert!(app::domain::pagopa::notice_code_is_valid(&position.2));

    // Move: one transaction, the old booking is marked moved, the ticket follows.
    let moved = app
        .post_form_as(
            &browser,
            "/prenotazioni/prenota",
            &[("nre", &nre), ("slot_id", &second.to_string()), ("sposta", &code)],
        )
        .await;
    let new_target = location(&moved);
    let new_code = new_target.trim_start_matches("/prenotazioni/").to_string();
    assert_ne!(new_code, code);
    assert_eq!(status_of(&pool, &code).await, "moved");
    let positions: Vec<(String, String)> = sqlx::query_as(
        "SELECT b.code, pp.status FROM payment_positions pp JOIN bookings b ON b.id = pp.booking_id WHERE b.nre = $1",
    )
    .bind(&nre)
    .fetch_all(&pool)
    .await
    .expect("positions");
    assert_eq!(positions, [(new_code.clone(), "payable".to_string())]);

    // Cancel: the slot is free again at once.
    let cancelled = app.post_form_as(&browser, &format!("/prenotazioni/{new_code}/disdici"), &[]).await;
    assert_eq!(location(&cancelled), "/prenotazioni");
    assert_eq!(status_of(&pool, &new_code).await, "cancelled");
    let position_status: String = sqlx::query_scalar("SELECT status FROM payment_positions WHERE notice_code = $1")
        .bind(&position.2)
        .fetch_one(&pool)
        .await
        .expect("position");
    assert_eq!(position_status, "cancelled");
    let again =
        app.post_form_as(&browser, "/prenotazioni/prenota", &[("nre", &nre), ("slot_id", &second.to_string())]).await;
    assert!(location(&again).starts_with("/prenotazioni/PR-"), "the cancelled slot can be booked again");
}

#[tokio::test]
async fn typed_nres_and_bad_slots_get_specific_refusals() {
    let (app, _idp) = spawn_app_with_idp(|_| {}).await;
    let people = adults(&app, 2).await;
    let pool = app.db().await;
    let cup = port(&pool);
    let me = principal(&people[0]);
    let (service, first, second) = service_with_later_slots(&pool).await;
    let mine = prescribe(&pool, &people[0].fiscal_code, &service, "D", 10).await;
    let theirs = prescribe(&pool, &people[1].fiscal_code, &service, "D", 11).await;
    let expired = prescribe(&pool, &people[0].fiscal_code, &service, "D", 12).await;
    sqlx::query("UPDATE prescriptions SET valid_until = date('now', '-1 day') WHERE nre = $1")
        .bind(&expired)
        .execute(&pool)
        .await
        .expect("expire");
    let drug: String =
        sqlx::query_scalar("SELECT nre FROM prescriptions WHERE kind = 'pharmaceutical' AND person = $1 LIMIT 1")
            .bind(&people[0].fiscal_code)
            .fetch_one(&pool)
            .await
            .expect("a drug prescription");

    let search = |nre: &str| SearchFilter { nre: nre.to_string(), ..SearchFilter::default() };
    for (nre, problem) in [
        ("123", NreProblem::Malformed),
        ("A700A4000000101", NreProblem::Malformed),
        (theirs.as_str(), NreProblem::NotYours),
        (expired.as_str(), NreProblem::Expired),
        (drug.as_str(), NreProblem::NotBookable),
    ] {
        assert_eq!(cup.search(&me, &search(nre)).await, Ok(SearchOutcome::Refused(problem)), "{nre}");
    }

    // A slot of another service, a slot in the past, a second booking per prescription.
    let other_service: i64 = sqlx::query_scalar(
        "SELECT id FROM slots WHERE service_code <> $1 AND date(starts_at) > date('now', '+1 day') LIMIT 1",
    )
    .bind(&service)
    .fetch_one(&pool)
    .await
    .expect("other slot");
    assert_eq!(
        cup.book(&me, &mine, other_service, None).await,
        Err(WriteError::Refused(Notice::Cup(CupNotice::SlotWrongService)))
    );
    let past: i64 = sqlx::query_scalar(
        "INSERT INTO slots (facility_id, service_code, starts_at, duration_minutes)
         SELECT facility_id, service_code, '2020-01-10T09:00:00+01:00', duration_minutes FROM slots WHERE id = $1 RETURNING id",
    )
    .bind(first)
    .fetch_one(&pool)
    .await
    .expect("past slot");
    assert_eq!(cup.book(&me, &mine, past, None).await, Err(WriteError::Refused(Notice::Cup(CupNotice::SlotInPast))));
    assert!(cup.book(&me, &mine, first, None).await.is_ok());
    assert_eq!(
        cup.book(&me, &mine, second, None).await,
        Err(WriteError::Refused(Notice::Cup(CupNotice::PrescriptionAlreadyBooked)))
    );
    assert_eq!(cup.search(&me, &search(&mine)).await, Ok(SearchOutcome::Refused(NreProblem::AlreadyBooked)));
    assert_eq!(
        cup.book(&me, &theirs, second, None).await,
        Err(WriteError::Refused(Notice::Cup(CupNotice::NreNotUsable)))
    );
    let active: i64 =
        sqlx::query_scalar("SELECT count(*) FROM bookings WHERE status = 'active'").fetch_one(&pool).await.expect("n");
    assert_eq!(active, 1, "only the valid booking was made");
}

#[tokio::test]
async fn two_hundred_concurrent_bookings_of_one_slot_leave_exactly_one() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = adults(&app, 20).await;
    let pool = app.db().await;
    let (service, slot, _) = service_with_later_slots(&pool).await;
    let mut attempts = Vec::new();
    for number in 0..200u32 {
        let person = &people[number as usize % people.len()];
        let nre = prescribe(&pool, &person.fiscal_code, &service, "P", 100 + number).await;
        attempts.push((principal(person), nre));
    }
    let cup = std::sync::Arc::new(port(&pool));
    let tasks: Vec<_> = attempts
        .into_iter()
        .map(|(who, nre)| {
            let cup = cup.clone();
            tokio::spawn(async move { cup.book(&who, &nre, slot, None).await })
        })
        .collect();
    let mut won = 0;
    let mut taken = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(_) => won += 1,
            Err(WriteError::Refused(Notice::Cup(CupNotice::SlotTaken))) => taken += 1,
            Err(other) => panic!("unexpected answer: {other:?}"),
        }
    }
    println!("race: 200 bookings of one slot, {won} succeeded, {taken} told the slot was just taken");
    assert_eq!((won, taken), (1, 199));
    let live: i64 = sqlx::query_scalar("SELECT count(*) FROM bookings WHERE slot_id = $1 AND status = 'active'")
        .bind(slot)
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(live, 1);

    // Through the browser, the loser lands on the search with the next slots.
    let late = &people[0];
    let nre = prescribe(&pool, &late.fiscal_code, &service, "P", 999).await;
    let browser = app.sign_in(&idp, late).await;
    let response =
        app.post_form_as(&browser, "/prenotazioni/prenota", &[("nre", &nre), ("slot_id", &slot.to_string())]).await;
    assert_eq!(location(&response), format!("/prenotazioni/cerca?nre={nre}#risultati"));
    let (_, page) = app.page_text(&browser, &format!("/prenotazioni/cerca?nre={nre}")).await;
    assert!(page.contains("Il posto è appena stato prenotato da un'altra persona: ecco i prossimi disponibili."));
    assert!(page.contains("Strutture con posti liberi:"));
}

#[tokio::test]
async fn the_waiting_list_offers_freed_and_new_slots_in_order() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = adults(&app, 3).await;
    let pool = app.db().await;
    let cup = port(&pool);
    let (holder, first, second) = (&people[0], &people[1], &people[2]);
    // Priority U (72 hours): leave one free slot in that window, at one facility.
    let (service, facility): (String, i64) =
        sqlx::query_as("SELECT service_code, facility_id FROM slots LIMIT 1").fetch_one(&pool).await.expect("slot");
    sqlx::query("DELETE FROM slots WHERE service_code = $1 AND date(starts_at) <= date('now', '+5 days')")
        .bind(&service)
        .execute(&pool)
        .await
        .expect("clear the window");
    let insert_slot = |hours: i64| {
        let pool = pool.clone();
        let service = service.clone();
        async move {
            let starts = (chrono::Utc::now() + chrono::Duration::hours(hours))
                .with_timezone(&chrono::FixedOffset::east_opt(3600).expect("offset"));
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO slots (facility_id, service_code, starts_at, duration_minutes) VALUES ($1, $2, $3, 20) RETURNING id",
            )
            .bind(facility)
            .bind(&service)
            .bind(starts.format("%Y-%m-%dT%H:%M:00+01:00").to_string())
            .fetch_one(&pool)
            .await
            .expect("slot")
        }
    };
    let only = insert_slot(48).await;
    let holder_nre = prescribe(&pool, &holder.fiscal_code, &service, "U", 1).await;
    let holder_code = cup.book(&principal(holder), &holder_nre, only, None).await.expect("the only slot in time");

    let first_nre = prescribe(&pool, &first.fiscal_code, &service, "U", 2).await;
    let second_nre = prescribe(&pool, &second.fiscal_code, &service, "U", 3).await;
    let SearchOutcome::Found { any_in_time_regionwide, .. } = cup
        .search(&principal(first), &SearchFilter { nre: first_nre.clone(), ..SearchFilter::default() })
        .await
        .expect("search")
    else {
        panic!("bookable");
    };
    assert!(!any_in_time_regionwide, "nothing free within 72 hours");
    let reference = cup.join_waiting_list(&principal(first), &first_nre).await.expect("taken in charge");
    assert!(reference.starts_with("LA-"));
    cup.join_waiting_list(&principal(second), &second_nre).await.expect("second in line");
    assert_eq!(
        cup.join_waiting_list(&principal(second), &second_nre).await,
        Err(WriteError::Refused(Notice::Cup(CupNotice::WaitingListAlready)))
    );

    // The holder cancels: the first in line is offered the slot, and notified.
    cup.cancel(&principal(holder), &holder_code).await.expect("cancelled");
    let offers: Vec<(i64, String)> = sqlx::query_as(
        "SELECT o.id, w.nre FROM slot_offers o JOIN waiting_list w ON w.id = o.entry_id WHERE o.outcome IS NULL",
    )
    .fetch_all(&pool)
    .await
    .expect("offers");
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].1, first_nre);
    let notified: i64 = sqlx::query_scalar("SELECT count(*) FROM notifications WHERE person = $1")
        .bind(&first.fiscal_code)
        .fetch_one(&pool)
        .await
        .expect("notifications");
    assert_eq!(notified, 1);
    // While offered, nobody else can take it.
    assert_eq!(
        cup.book(&principal(holder), &holder_nre, only, None).await,
        Err(WriteError::Refused(Notice::Cup(CupNotice::SlotTaken)))
    );

    // The first declines: it goes to the second, who accepts in the browser.
    cup.decline_offer(&principal(first), offers[0].0).await.expect("declined");
    let second_offer: i64 = sqlx::query_scalar(
        "SELECT o.id FROM slot_offers o JOIN waiting_list w ON w.id = o.entry_id WHERE o.outcome IS NULL AND w.nre = $1",
    )
    .bind(&second_nre)
    .fetch_one(&pool)
    .await
    .expect("offered to the second");
    let browser = app.sign_in(&idp, second).await;
    let (_, page) = app.page_text(&browser, "/prenotazioni").await;
    assert!(page.contains("Si è liberato un posto per te") && page.contains("Accetta il posto"), "{page}");
    // The "presa in carico" receipt: mine as a PDF, someone else's not found.
    let second_reference: String = sqlx::query_scalar("SELECT reference FROM waiting_list WHERE nre = $1")
        .bind(&second_nre)
        .fetch_one(&pool)
        .await
        .expect("reference");
    let receipt = browser
        .get(app.url(&format!("/prenotazioni/lista-attesa/{second_reference}/ricevuta.pdf")))
        .send()
        .await
        .expect("receipt");
    assert_eq!(receipt.headers()["content-type"], "application/pdf");
    assert!(String::from_utf8_lossy(&receipt.bytes().await.expect("pdf")).contains(&second_reference));
    let not_mine = browser
        .get(app.url(&format!("/prenotazioni/lista-attesa/{reference}/ricevuta.pdf")))
        .send()
        .await
        .expect("receipt");
    assert_eq!(not_mine.status(), 404);
    let accepted = app.post_form_as(&browser, &format!("/prenotazioni/offerte/{second_offer}/accetta"), &[]).await;
    assert!(location(&accepted).starts_with("/prenotazioni/PR-"));

    // A new agenda slot goes to the first, still waiting.
    let new_slot = insert_slot(30).await;
    server::cup::waiting_list::match_offers(&pool, HOLD).await.expect("matching");
    let offered_slot: i64 = sqlx::query_scalar(
        "SELECT o.slot_id FROM slot_offers o JOIN waiting_list w ON w.id = o.entry_id WHERE o.outcome IS NULL AND w.nre = $1",
    )
    .bind(&first_nre)
    .fetch_one(&pool)
    .await
    .expect("offered");
    assert_eq!(offered_slot, new_slot);

    // Every entry's outcome is kept for the unmet-demand count.
    let outcomes: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT service_code, asl_code, priority, status FROM waiting_list ORDER BY id")
            .fetch_all(&pool)
            .await
            .expect("outcomes");
    assert_eq!(outcomes.iter().map(|o| o.3.as_str()).collect::<Vec<_>>(), ["offered", "booked"]);
    assert!(outcomes.iter().all(|o| o.0 == service && o.1.starts_with("ASL") && o.2 == "U"));
}

/// Makes every insert into the audit log fail, as a full disk or a crash
/// between two statements would (issue 27, point 1).
async fn break_the_audit_log(pool: &AnyPool) {
    common::break_audit_log(pool, "audit_log_broken", "1 = 1").await;
}

async fn mend_the_audit_log(pool: &AnyPool) {
    common::mend_audit_log(pool, "audit_log_broken").await;
}

async fn count(pool: &AnyPool, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql).bind(bind).fetch_one(pool).await.expect("count")
}

#[tokio::test]
async fn a_booking_without_its_audit_line_does_not_happen() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let citizen = adults(&app, 1).await.remove(0);
    let pool = app.db().await;
    let (service, first, _) = service_with_later_slots(&pool).await;
    let nre = prescribe(&pool, &citizen.fiscal_code, &service, "P", 1).await;
    let browser = app.sign_in(&idp, &citizen).await;
    let bookings = "SELECT count(*) FROM bookings WHERE person = $1";
    let positions = "SELECT count(*) FROM payment_positions WHERE person = $1";
    let writes = "SELECT count(*) FROM audit_log WHERE subject = $1 AND action = 'write'";

    break_the_audit_log(&pool).await;
    let refused =
        app.post_form_as(&browser, "/prenotazioni/prenota", &[("nre", &nre), ("slot_id", &first.to_string())]).await;

    // Back to the search with an error, never to a confirmation.
    assert_eq!(refused.status(), 303);
    let target = location(&refused);
    assert!(target.starts_with(&format!("/prenotazioni/cerca?nre={nre}")), "{target}");
    assert_eq!(count(&pool, bookings, &citizen.fiscal_code).await, 0, "no booking without its audit line");
    assert_eq!(count(&pool, positions, &citizen.fiscal_code).await, 0, "no ticket either");
    mend_the_audit_log(&pool).await;
    let (status, page) = app.page_text(&browser, &target).await;
    assert_eq!(status, 200);
    assert!(page.contains("Il servizio non è disponibile in questo momento"), "{page}");
    assert!(!page.contains("Prenotazione confermata"));

    // With the log working, the same booking goes through, logged.
    let booked =
        app.post_form_as(&browser, "/prenotazioni/prenota", &[("nre", &nre), ("slot_id", &first.to_string())]).await;
    assert!(location(&booked).starts_with("/prenotazioni/PR-"), "{}", location(&booked));
    assert_eq!(count(&pool, bookings, &citizen.fiscal_code).await, 1);
    assert_eq!(count(&pool, writes, &citizen.fiscal_code).await, 1);

    // Cancelling is atomic with its line too.
    let code = location(&booked).trim_start_matches("/prenotazioni/").to_string();
    break_the_audit_log(&pool).await;
    app.post_form_as(&browser, &format!("/prenotazioni/{code}/disdici"), &[]).await;
    assert_eq!(status_of(&pool, &code).await, "active", "no cancellation without its audit line");
    mend_the_audit_log(&pool).await;
}

#[tokio::test]
async fn tries_on_another_persons_booking_and_prescription_go_to_the_owners_log() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = adults(&app, 2).await;
    let (owner, prober) = (&people[0], &people[1]);
    let pool = app.db().await;
    let (service, first, second) = service_with_later_slots(&pool).await;
    let nre = prescribe(&pool, &owner.fiscal_code, &service, "P", 1).await;
    let code = port(&pool).book(&principal(owner), &nre, first, None).await.expect("booked");
    let browser = app.sign_in(&idp, prober).await;

    app.page_text(&browser, &format!("/prenotazioni/{code}")).await;
    app.post_form_as(&browser, &format!("/prenotazioni/{code}/disdici"), &[]).await;
    app.post_form_as(&browser, "/prenotazioni/prenota", &[("nre", &nre), ("slot_id", &second.to_string())]).await;
    app.page_text(&browser, &format!("/prenotazioni/cerca?nre={nre}")).await;

    assert_eq!(status_of(&pool, &code).await, "active");
    let tries: Vec<(String, String)> =
        sqlx::query_as("SELECT actor, record_id FROM audit_log WHERE subject = $1 AND action = 'refused' ORDER BY id")
            .bind(&owner.fiscal_code)
            .fetch_all(&pool)
            .await
            .expect("log");
    let entry = |record: &str| (prober.fiscal_code.clone(), record.to_string());
    assert_eq!(tries, [entry(&code), entry(&code), entry(&nre), entry(&nre)]);
    let in_mine = "SELECT count(*) FROM audit_log WHERE subject = $1 AND action = 'refused'";
    assert_eq!(count(&pool, in_mine, &prober.fiscal_code).await, 0);
}
