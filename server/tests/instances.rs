//! Several instances on one PostgreSQL database (issue 19): three real
//! server processes, requests spread over them, and every guarantee of one
//! process kept — one winner per race, live updates reaching a browser
//! connected to another instance, periodic jobs run once.
//!
//! PostgreSQL only (`PORTALE_TEST_POSTGRES`, the second step of
//! scripts/test.sh): every test's name starts with `several_instances`, so
//! that the SQLite step leaves them out.

mod common;

use std::time::{Duration, Instant};

use chrono::{SecondsFormat, Utc};
use common::cluster::Cluster;
use common::fake_idp::FakeAccount;
use common::{
    demo_citizens, leave_one_place, location, new_residents, next_sse_event, prescribe, TestApp, ADULT_WITHOUT_CHILDREN,
};
use futures_util::future::join_all;
use serde_json::json;
use sqlx::AnyPool;

async fn count(pool: &AnyPool, sql: &str, bind: i64) -> i64 {
    sqlx::query_scalar(sql).bind(bind).fetch_one(pool).await.expect("count")
}

#[tokio::test]
async fn several_instances_book_one_slot_once_out_of_300() {
    let cluster = Cluster::start(3, &[]).await;
    let pool = cluster.db().await;
    let people = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 30).await;
    let (service, slot): (String, i64) = sqlx::query_as(
        "SELECT s.service_code, s.id FROM slots s JOIN outpatient_services sv ON sv.code = s.service_code
          WHERE sv.ticket_cents > 0 AND date(s.starts_at) > date('now', '+2 days') ORDER BY s.starts_at, s.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a slot");
    // Each person signs in on one instance; their requests go to all three
    // (the session lives in the database).
    let mut browsers = Vec::new();
    for (number, person) in people.iter().enumerate() {
        browsers.push(cluster.instance(number).sign_in(&cluster.idp, person).await);
    }
    let mut attempts = Vec::new();
    for number in 0..300u32 {
        let who = number as usize % people.len();
        let nre = prescribe(&pool, &people[who].fiscal_code, &service, "P", number).await;
        attempts.push((who, nre));
    }
    let slot_id = slot.to_string();
    let posts = attempts.iter().enumerate().map(|(number, (who, nre))| {
        let app = cluster.instance(number);
        let form = [("nre", nre.as_str()), ("slot_id", slot_id.as_str())];
        let browser = &browsers[*who];
        async move { location(&app.post_form_as(browser, "/prenotazioni/prenota", &form).await) }
    });
    let answers = join_all(posts).await;
    let booked =
        answers.iter().filter(|to| to.starts_with("/prenotazioni/") && !to.starts_with("/prenotazioni/cerca")).count();
    let taken = answers.iter().filter(|to| to.starts_with("/prenotazioni/cerca?nre=")).count();
    println!(
        "several instances: 300 bookings of one slot over 3 instances, {booked} booked, {taken} told it was taken"
    );
    assert_eq!((booked, taken), (1, 299), "{:?}", answers.iter().take(5).collect::<Vec<_>>());
    let live = count(&pool, "SELECT count(*) FROM bookings WHERE slot_id = $1 AND status = 'active'", slot).await;
    assert_eq!(live, 1);
}

#[tokio::test]
async fn several_instances_give_a_doctors_last_place_to_one_of_100() {
    let cluster = Cluster::start(3, &[]).await;
    let pool = cluster.db().await;
    let (doctor, town): (i64, String) =
        sqlx::query_as("SELECT id, municipality FROM doctors WHERE kind = 'MMG' ORDER BY id LIMIT 1")
            .fetch_one(&pool)
            .await
            .expect("a doctor");
    // A hundred new residents of the doctor's town, each at their own address.
    let people = new_residents(&pool, &town, "RCI", 800_000, 100).await;
    leave_one_place(&pool, doctor).await;
    let mut browsers = Vec::new();
    for (number, person) in people.iter().enumerate() {
        browsers.push(cluster.instance(number).sign_in(&cluster.idp, person).await);
    }
    let doctor_id = doctor.to_string();
    let choices = people.iter().zip(&browsers).enumerate().map(|(number, (person, browser))| {
        let app = cluster.instance(number + 1);
        let form = [("person", person.fiscal_code.as_str()), ("doctor_id", doctor_id.as_str())];
        async move { location(&app.post_form_as(browser, "/medico/scelta", &form).await) }
    });
    let answers = join_all(choices).await;
    let chosen = count(
        &pool,
        "SELECT count(*) FROM doctor_choices WHERE doctor_id = $1 AND ended_on IS NULL AND person LIKE 'RCI%'",
        doctor,
    )
    .await;
    let over: i64 = sqlx::query_scalar(
        "SELECT count(*) - max(d.max_patients) FROM doctor_choices c JOIN doctors d ON d.id = c.doctor_id
          WHERE c.doctor_id = $1 AND c.ended_on IS NULL",
    )
    .bind(doctor)
    .fetch_one(&pool)
    .await
    .expect("count");
    println!(
        "several instances: {} people chose a doctor with one place over 3 instances, {chosen} got it",
        answers.len()
    );
    assert_eq!(chosen, 1);
    assert_eq!(over, 0, "the massimale holds");
}

fn er_report(event_id: &str, green_waiting: u32) -> serde_json::Value {
    json!({
        "event_id": event_id,
        "unit": "HUB-SANMARTINO",
        "reported_at": Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        "waiting": {"red": 0, "orange": 1, "light_blue": 2, "green": green_waiting, "white": 3},
        "in_treatment": {"red": 1, "orange": 1, "light_blue": 2, "green": 4, "white": 0},
    })
}

#[tokio::test]
async fn several_instances_carry_live_updates_to_every_browser() {
    let cluster = Cluster::start(3, &[]).await;
    let (a, b, c) = (cluster.instance(0), cluster.instance(1), cluster.instance(2));

    // An ER report posted to C reaches a board open on A within a second,
    // and A's board page shows it on reload.
    let mut board = reqwest::get(a.url("/pronto-soccorso/in-diretta")).await.expect("stream");
    assert_eq!(board.status(), 200);
    let token = cluster.idp.machine_token("flusso-regionale-ps", "emergency:write");
    let posted = Instant::now();
    let response = reqwest::Client::new()
        .post(c.url("/ingest/v1/emergency/status"))
        .bearer_auth(&token)
        .json(&er_report("cluster-1", 41))
        .send()
        .await
        .expect("report");
    assert_eq!(response.status(), 200);
    let update = next_sse_event(&mut board, "unit", |update| update["waiting"][3] == 41).await;
    let elapsed = posted.elapsed();
    println!("several instances: ER report posted to C reached a board on A in {} ms", elapsed.as_millis());
    assert!(elapsed < Duration::from_secs(1), "within a second: {elapsed:?}");
    assert_eq!(update["unit"], "HUB-SANMARTINO");
    let page = reqwest::get(a.url("/pronto-soccorso")).await.expect("page").text().await.expect("text");
    assert!(page.contains("41"), "the reloaded board on A shows the report");

    // A relative follows an operation on A; the patient withdraws on B:
    // the stream on A ends.
    let pool = cluster.db().await;
    let people = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 2).await;
    let (patient, relative) = (&people[0], &people[1]);
    let hospital = cluster.idp.machine_token("ospedale-san-martino", "surgery:write");
    let admission = json!({
        "event_id": "cluster-adm", "hospital": "HUB-SANMARTINO", "case_id": "CL-1", "phase": "admitted",
        "at": Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        "patient": patient.fiscal_code, "authorised": [relative.fiscal_code],
    });
    let response = reqwest::Client::new()
        .post(c.url("/ingest/v1/surgery/events"))
        .bearer_auth(&hospital)
        .json(&admission)
        .send()
        .await
        .expect("admission");
    assert_eq!(response.status(), 200);
    let case_id: i64 = sqlx::query_scalar("SELECT id FROM surgery_cases WHERE case_ref = 'CL-1'")
        .fetch_one(&pool)
        .await
        .expect("case");
    let follower = a.sign_in(&cluster.idp, relative).await;
    let mut stream = follower.get(a.url(&format!("/interventi/{case_id}/in-diretta"))).send().await.expect("stream");
    assert_eq!(stream.status(), 200);
    // A phase posted to C reaches the stream on A.
    let phase = json!({
        "event_id": "cluster-block", "hospital": "HUB-SANMARTINO", "case_id": "CL-1", "phase": "in_block",
        "at": Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
    });
    reqwest::Client::new()
        .post(c.url("/ingest/v1/surgery/events"))
        .bearer_auth(&hospital)
        .json(&phase)
        .send()
        .await
        .expect("phase");
    let update = next_sse_event(&mut stream, "phase", |_| true).await;
    assert_eq!(update["current"], "in_block");
    let owner = b.sign_in(&cluster.idp, patient).await;
    let withdrawn = Instant::now();
    b.post_form_as(&owner, &format!("/interventi/{case_id}/ritira"), &[("persona", &relative.fiscal_code)]).await;
    next_sse_event(&mut stream, "ended", |_| true).await;
    println!("several instances: withdrawal on B ended the stream on A in {} ms", withdrawn.elapsed().as_millis());
}

#[tokio::test]
async fn several_instances_run_each_periodic_job_once() {
    // Every instance ticks every second: the waiting list and the reminder
    // sweep still run once per period.
    let cluster =
        Cluster::start(3, &[("PORTALE_WAITING_LIST_EVERY_SECONDS", "1"), ("PORTALE_REMINDERS_EVERY_HOURS", "1")]).await;
    let pool = cluster.db().await;

    // The reminder sweep ran at start on one instance: one reminder per
    // person, topic and period, each in the inbox once.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (sent, inbox): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM prevention_reminders),
                (SELECT count(*) FROM notifications WHERE kind = 'promemoria-prevenzione')",
    )
    .fetch_one(&pool)
    .await
    .expect("reminders");
    println!("several instances: reminder sweep on 3 instances sent {sent} reminders, {inbox} in the inboxes");
    assert!(sent > 0, "the sweep ran");
    assert_eq!(inbox, sent, "each reminder once");
    let claims: i64 = sqlx::query_scalar("SELECT count(*) FROM job_claims WHERE job = 'prevention-reminders'")
        .fetch_one(&pool)
        .await
        .expect("claims");
    assert_eq!(claims, 1);

    // Ten people join the waiting list of a service with free slots: the
    // matcher (every second, on whichever instance claims the run) offers
    // each of them one slot, and no slot twice.
    let people = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 10).await;
    let service: String = sqlx::query_scalar(
        "SELECT s.service_code FROM slots s GROUP BY s.service_code HAVING count(*) > 20 ORDER BY s.service_code LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a service");
    for (number, person) in people.iter().enumerate() {
        let nre = prescribe(&pool, &person.fiscal_code, &service, "P", 5_000 + number as u32).await;
        sqlx::query(
            "INSERT INTO waiting_list (reference, nre, person, service_code, priority, asl_code, requested_on, deadline, status)
             VALUES ($1, $2, $3, $4, 'P', 'ASL3', date('now', '+0 days'), date('now', '+120 days'), 'waiting')",
        )
        .bind(format!("LA-CL-{number}"))
        .bind(&nre)
        .bind(&person.fiscal_code)
        .bind(&service)
        .execute(&pool)
        .await
        .expect("waiting");
    }
    tokio::time::sleep(Duration::from_secs(4)).await;
    let offers: Vec<(i64, i64)> = sqlx::query_as("SELECT slot_id, count(*) FROM slot_offers GROUP BY slot_id")
        .fetch_all(&pool)
        .await
        .expect("offers");
    let per_entry: Vec<i64> =
        sqlx::query_scalar("SELECT count(*) FROM slot_offers WHERE outcome IS NULL GROUP BY entry_id")
            .fetch_all(&pool)
            .await
            .expect("offers");
    println!("several instances: waiting-list matcher on 3 instances made {} offers", offers.len());
    assert_eq!(offers.len(), 10, "every waiting person got an offer");
    assert!(offers.iter().all(|(_, times)| *times == 1), "each slot offered once: {offers:?}");
    assert!(per_entry.iter().all(|open| *open == 1), "one open offer per person");
}

#[tokio::test]
async fn several_instances_lose_no_acknowledged_booking_when_one_is_killed() {
    let mut cluster = Cluster::start(3, &[]).await;
    let nginx = cluster.load_balancer().await;
    let pool = cluster.db().await;
    let people = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 20).await;
    let mut browsers = Vec::new();
    for person in &people {
        browsers.push(nginx.app.sign_in(&cluster.idp, person).await);
    }
    // 600 bookings of different free slots, each with its own prescription.
    let slots: Vec<(i64, String)> = sqlx::query_as(
        "SELECT s.id, s.service_code FROM slots s
          WHERE date(s.starts_at) > date('now', '+2 days')
            AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id)
            AND NOT EXISTS (SELECT 1 FROM prevention_appointments a WHERE a.slot_id = s.id)
            AND s.service_code NOT LIKE 'VAC-%' AND s.service_code NOT LIKE 'SCR-%'
          ORDER BY s.id LIMIT 600",
    )
    .fetch_all(&pool)
    .await
    .expect("free slots");
    assert_eq!(slots.len(), 600);
    let mut attempts = Vec::new();
    for (number, (slot, service)) in slots.iter().enumerate() {
        let who = number % people.len();
        let nre = prescribe(&pool, &people[who].fiscal_code, service, "P", 10_000 + number as u32).await;
        attempts.push((who, nre, slot.to_string()));
    }
    // Twenty people book one after another; instance 0 is killed once a
    // quarter of the bookings have been answered.
    let started = Instant::now();
    let attempts = std::sync::Arc::new(attempts);
    let answered = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut clients = Vec::new();
    for (lane, browser) in browsers.iter().enumerate() {
        let attempts = attempts.clone();
        let answered = answered.clone();
        let browser = browser.clone();
        let app = TestApp::at(nginx.app.address.clone(), nginx.app.database_url.clone());
        clients.push(tokio::spawn(async move {
            let mut answers = Vec::new();
            for (_, nre, slot) in attempts.iter().filter(|(who, _, _)| *who == lane) {
                let form = [("nre", nre.as_str()), ("slot_id", slot.as_str())];
                let response = app.post_form_as(&browser, "/prenotazioni/prenota", &form).await;
                answers.push((nre.clone(), response.status().as_u16(), location(&response), started.elapsed()));
                answered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            answers
        }));
    }
    while answered.load(std::sync::atomic::Ordering::Relaxed) < 150 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    cluster.instances[0].kill().await;
    let killed_at = started.elapsed();
    let mut answers = Vec::new();
    for client in clients {
        answers.extend(client.await.expect("client"));
    }
    let confirmed: Vec<_> = answers
        .iter()
        .filter(|(_, status, to, _)| {
            *status == 303 && to.starts_with("/prenotazioni/") && !to.starts_with("/prenotazioni/cerca")
        })
        .collect();
    let after_kill = confirmed.iter().filter(|(_, _, _, at)| *at > killed_at + Duration::from_millis(100)).count();
    let failed = answers.iter().filter(|(_, status, _, _)| *status >= 500).count();
    println!(
        "several instances: kill -9 of one of 3 instances after {} ms of a 600-booking load: {} confirmed ({after_kill} after the kill), {failed} failed at the gateway",
        killed_at.as_millis(),
        confirmed.len()
    );
    // Every confirmation the portal gave is a live booking, once.
    for (nre, _, to, _) in &confirmed {
        let code = to.trim_start_matches("/prenotazioni/").split(['#', '?']).next().unwrap_or_default();
        let stored: i64 =
            sqlx::query_scalar("SELECT count(*) FROM bookings WHERE code = $1 AND nre = $2 AND status = 'active'")
                .bind(code)
                .bind(nre)
                .fetch_one(&pool)
                .await
                .expect("count");
        assert_eq!(stored, 1, "confirmed booking {code} of {nre} is stored once");
    }
    let twice: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT slot_id FROM bookings WHERE status = 'active' GROUP BY slot_id HAVING count(*) > 1) t",
    )
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(twice, 0, "no slot booked twice");
    assert!(after_kill > 0, "the load went on through the other two instances");
    assert_eq!(confirmed.len() + failed, answers.len(), "every answer is a confirmation or a gateway error");
}

#[tokio::test]
async fn several_instances_dispense_a_line_once_out_of_50() {
    let cluster = Cluster::start(3, &[]).await;
    let pool = cluster.db().await;
    let residents = demo_citizens(
        &pool,
        &format!(
            "{ADULT_WITHOUT_CHILDREN} AND EXISTS (SELECT 1 FROM prescriptions r JOIN prescription_lines l ON l.nre = r.nre
              WHERE r.person = p.fiscal_code AND r.colour = 'red' AND r.kind = 'pharmaceutical')"
        ),
        3,
    )
    .await;
    let patient = &residents[0];
    let (card, line, boxes): (String, i64, i64) = sqlx::query_as(
        "SELECT p.health_card_number, l.id, l.boxes FROM people p JOIN prescriptions r ON r.person = p.fiscal_code
           JOIN prescription_lines l ON l.nre = r.nre
          WHERE p.fiscal_code = $1 AND r.colour = 'red' AND r.kind = 'pharmaceutical' ORDER BY l.boxes DESC, l.id LIMIT 1",
    )
    .bind(&patient.fiscal_code)
    .fetch_one(&pool)
    .await
    .expect("a red line");
    // The patient allows dispensing from the card (on instance A).
    let own = cluster.instance(0).sign_in(&cluster.idp, patient).await;
    cluster.instance(0).post_form_as(&own, "/ricette/consenso", &[("given", "1")]).await;
    // Two pharmacists of two pharmacies have the card at their counters.
    let pharmacies: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM facilities WHERE kind = 'pharmacy' ORDER BY id LIMIT 2")
            .fetch_all(&pool)
            .await
            .expect("pharmacies");
    let mut counters = Vec::new();
    for (number, (resident, pharmacy)) in residents[1..].iter().zip(&pharmacies).enumerate() {
        let account = FakeAccount { role: "pharmacist", pharmacy_id: Some(pharmacy.to_string()), ..resident.clone() };
        let app = cluster.instance(number + 1);
        let browser = app.sign_in(&cluster.idp, &account).await;
        let form = [("codice_fiscale", patient.fiscal_code.as_str()), ("tessera", card.as_str())];
        assert_eq!(app.post_form_as(&browser, "/farmacia/cerca", &form).await.status(), 303);
        counters.push(browser);
    }
    let (line_id, all_boxes) = (line.to_string(), boxes.to_string());
    let dispenses = (0..50).map(|number| {
        let app = cluster.instance(number);
        let browser = &counters[number % counters.len()];
        let form = [("line_id", line_id.as_str()), ("boxes", all_boxes.as_str())];
        async move { app.post_form_as(browser, "/farmacia/dispensa", &form).await.status().as_u16() }
    });
    let statuses = join_all(dispenses).await;
    assert!(statuses.iter().all(|status| *status == 303), "{statuses:?}");
    let (rows, total): (i64, i64) = sqlx::query_as(
        "SELECT count(*), CAST(coalesce(sum(boxes), 0) AS BIGINT) FROM dispensations WHERE line_id = $1",
    )
    .bind(line)
    .fetch_one(&pool)
    .await
    .expect("dispensations");
    println!("several instances: 50 dispenses of one line from 2 pharmacies over 3 instances, {rows} stored");
    assert_eq!((rows, total), (1, boxes));
}

#[tokio::test]
async fn several_instances_apply_one_of_20_paid_outcomes() {
    use server::config::SANDBOX_CALLBACK_SECRET;
    use server::payments::provider::{sign, OutcomeKind, OutcomeMessage, ProviderReceipt, SIGNATURE_HEADER};

    let cluster = Cluster::start(3, &[("PORTALE_PAGOPA_RECONCILE_AFTER_SECONDS", "3600")]).await;
    let pool = cluster.db().await;
    let citizen = demo_citizens(
        &pool,
        &format!("{ADULT_WITHOUT_CHILDREN} AND NOT EXISTS (SELECT 1 FROM exemptions e WHERE e.person = p.fiscal_code)"),
        1,
    )
    .await
    .remove(0);
    let mut connection = pool.acquire().await.expect("connection");
    let notice = server::payments::create_position(
        &mut connection,
        &citizen.fiscal_code,
        None,
        "ASL3",
        "Ticket di prova",
        2500,
        "2026-12-31",
    )
    .await
    .expect("position");
    drop(connection);
    let position: i64 = sqlx::query_scalar("SELECT id FROM payment_positions WHERE notice_code = $1")
        .bind(&notice)
        .fetch_one(&pool)
        .await
        .expect("position");
    let app = cluster.instance(0);
    let browser = app.sign_in(&cluster.idp, &citizen).await;
    let position = position.to_string();
    let opened = app.post_form_as(&browser, "/pagamenti/paga", &[("posizione", position.as_str())]).await;
    assert!(location(&opened).starts_with("/sandbox-pagopa/checkout/"), "{}", location(&opened));
    let checkout: String = sqlx::query_scalar(
        "SELECT cp.checkout_id FROM payment_checkout_positions cp JOIN payment_positions pp ON pp.id = cp.position_id
          WHERE pp.notice_code = $1",
    )
    .bind(&notice)
    .fetch_one(&pool)
    .await
    .expect("checkout");
    let deliveries = (0..20).map(|number| {
        let message = OutcomeMessage {
            event_id: format!("cluster-{number}"),
            checkout_id: checkout.clone(),
            outcome: OutcomeKind::Paid,
            receipts: vec![ProviderReceipt {
                receipt_id: format!("RT-{number}"),
                notice_code: notice.clone(),
                creditor_fiscal_code: "03399650104".into(),
                amount_cents: 2500,
                psp: "Banca di prova".into(),
                paid_at: "2026-11-23T10:00:00Z".into(),
            }],
        };
        let body = serde_json::to_vec(&message).expect("json");
        let request = reqwest::Client::new()
            .post(cluster.instance(number).url("/pagopa/v1/esiti"))
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, sign(SANDBOX_CALLBACK_SECRET.as_bytes(), &body))
            .body(body);
        async move { request.send().await.expect("callback").status().as_u16() }
    });
    let statuses = join_all(deliveries).await;
    assert!(statuses.iter().all(|status| *status == 200), "{statuses:?}");
    let (receipts, status, applied): (i64, String, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM payment_receipts WHERE position_id = pp.id), pp.status,
                (SELECT count(*) FROM payment_outcome_events WHERE checkout_id = $2 AND effect = 'applied')
           FROM payment_positions pp WHERE pp.notice_code = $1",
    )
    .bind(&notice)
    .bind(&checkout)
    .fetch_one(&pool)
    .await
    .expect("outcome");
    println!(
        "several instances: 20 paid outcomes of one notice over 3 instances, {applied} applied, {receipts} receipt"
    );
    assert_eq!((receipts, status.as_str(), applied), (1, "paid", 1));
}

#[tokio::test]
async fn several_instances_hold_a_demo_feeders_lease_one_at_a_time() {
    let folder = tempfile::tempdir().expect("folder");
    let url = common::fresh_database(folder.path(), "unused.db").await;
    assert!(url.starts_with("postgres"), "several instances share one PostgreSQL database");
    // Three pools stand for three instances; 30 holders ask at once.
    let mut pools = Vec::new();
    for _ in 0..3 {
        pools.push(server::db::connect(&url).await.expect("database"));
    }
    let lease = |number: usize| server::jobs::Lease {
        pool: pools[number % 3].clone(),
        job: "demo-er-feed",
        holder: format!("instance-{number}"),
        ttl: Duration::from_millis(1500),
    };
    let leases: Vec<_> = (0..30).map(lease).collect();
    let held = join_all(leases.iter().map(|lease| lease.hold())).await;
    let holders: Vec<usize> = (0..30).filter(|i| matches!(held[*i], Ok(true))).collect();
    println!("several instances: 30 feeders on 3 pools asked for one lease, {} got it", holders.len());
    assert_eq!(holders.len(), 1, "{held:?}");
    let holder = &leases[holders[0]];
    let others: Vec<_> = leases.iter().filter(|lease| lease.holder != holder.holder).collect();
    assert!(holder.renew().await.is_ok());
    let renewed = join_all(others.iter().map(|lease| lease.hold())).await;
    assert!(renewed.iter().all(|held| matches!(held, Ok(false))), "nobody else while it is renewed");
    // The holder stops (its instance died): one other takes over.
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let taken = join_all(others.iter().map(|lease| lease.hold())).await;
    assert_eq!(taken.iter().filter(|held| matches!(held, Ok(true))).count(), 1, "{taken:?}");
    assert!(holder.renew().await.is_err(), "the old holder stops feeding");
}
