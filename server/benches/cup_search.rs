//! `cargo bench -p server --bench cup_search`: the region-wide earliest-slot
//! search and booking under contention, on the demo region at regional
//! scale (≥ 2 M slots). The database is generated once per day under
//! `~/.cache/portale-salute/` (about two minutes) or taken from
//! `PORTALE_BENCH_DATABASE`; the bench's own prescriptions and bookings are
//! removed at the end.

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::cup::model::{SearchFilter, SearchOutcome};
use app::cup::notice::CupNotice;
use app::cup::port::Cup;
use app::identity::model::{Person, Principal, Relation, Role};
use app::notice::{Notice, WriteError};
use server::cup::SqlCup;
use server::demo::{self, Scale, REGIONAL_PEOPLE};

const SEARCHES: usize = 600;
const BOOKERS: usize = 16;
const BOOKINGS_PER_BOOKER: usize = 40;
const NRE_PREFIX: &str = "0709B";

fn percentile(sorted: &[Duration], share: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * share).round() as usize]
}

fn report(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{what:<52} n={:<4} p50 {:>6.2} ms  p95 {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms",
        samples.len(),
        percentile(&samples, 0.50).as_secs_f64() * 1e3,
        percentile(&samples, 0.95).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

fn principal(fiscal_code: &str) -> Principal {
    let person = Person { fiscal_code: fiscal_code.into(), given_name: "Bench".into(), family_name: "Mark".into() };
    Principal {
        actor: person.clone(),
        role: Role::Citizen,
        pharmacy_id: None,
        subject: person,
        relation: Relation::Own,
        ip: "127.0.0.1".into(),
        request_id: "bench".into(),
    }
}

#[tokio::main]
async fn main() {
    let url = std::env::var("PORTALE_BENCH_DATABASE").unwrap_or_else(|_| {
        let home = std::env::var("HOME").unwrap_or_else(|_| "/tmp".into());
        let day = chrono::Utc::now().format("%Y%m%d");
        format!("sqlite:{home}/.cache/portale-salute/bench-region-{day}.db")
    });
    let pool = server::db::connect(&url).await.expect("database");
    let people: i64 = sqlx::query_scalar("SELECT count(*) FROM people").fetch_one(&pool).await.expect("count");
    if people == 0 {
        println!("generating the region at scale {REGIONAL_PEOPLE} in {url} (once per day)…");
        let started = Instant::now();
        demo::seed(&pool, Scale::people(u32::try_from(REGIONAL_PEOPLE).unwrap_or(u32::MAX))).await.expect("seed");
        println!("generated in {:.0} s", started.elapsed().as_secs_f64());
    }
    let slots: i64 = sqlx::query_scalar("SELECT count(*) FROM slots").fetch_one(&pool).await.expect("slots");
    let services: Vec<String> = sqlx::query_scalar("SELECT DISTINCT service_code FROM slots ORDER BY service_code")
        .fetch_all(&pool)
        .await
        .expect("services");
    let patients: Vec<String> = sqlx::query_scalar(
        "SELECT fiscal_code FROM people WHERE birth_date <= date('now', '-18 years') ORDER BY fiscal_code LIMIT 200",
    )
    .fetch_all(&pool)
    .await
    .expect("people");
    println!("CUP benchmark on {url}: {slots} slots, {} services, release build, 2 cores", services.len());

    // One programmed prescription per service for searching, and one per
    // booking for the contention run (a prescription books once).
    let mut number = 0u64;
    let mut prescribe = |person: &str, service: &str| {
        number += 1;
        (format!("{NRE_PREFIX}{number:010}"), person.to_string(), service.to_string())
    };
    let search_nres: Vec<(String, String, String)> =
        services.iter().enumerate().map(|(i, service)| prescribe(&patients[i % patients.len()], service)).collect();
    let contention_service = services[0].clone();
    let booking_nres: Vec<(String, String, String)> = (0..BOOKERS * BOOKINGS_PER_BOOKER)
        .map(|i| prescribe(&patients[i % patients.len()], &contention_service))
        .collect();
    let mut tx = pool.begin().await.expect("tx");
    for (nre, person, service) in search_nres.iter().chain(&booking_nres) {
        sqlx::query(
            "INSERT INTO prescriptions (nre, person, kind, colour, priority, service_code, prescriber, issued_on, valid_until)
             VALUES ($1, $2, 'specialist', 'red', 'P', $3, 'Benchmark', date('now'), date('now', '+180 days'))",
        )
        .bind(nre)
        .bind(person)
        .bind(service)
        .execute(&mut *tx)
        .await
        .expect("prescription");
    }
    tx.commit().await.expect("commit");

    let cup = Arc::new(SqlCup::new(pool.clone(), Duration::from_secs(24 * 3600), Duration::from_secs(3600)));
    let towns: Vec<String> = sqlx::query_scalar("SELECT belfiore FROM municipalities ORDER BY belfiore")
        .fetch_all(&pool)
        .await
        .expect("towns");
    let filters = |i: usize, nre: &str| match i % 3 {
        0 => SearchFilter { nre: nre.into(), ..SearchFilter::default() },
        1 => SearchFilter { nre: nre.into(), asl: Some(format!("ASL{}", 1 + i % 5)), ..SearchFilter::default() },
        _ => SearchFilter {
            nre: nre.into(),
            town: Some(towns[i % towns.len()].clone()),
            max_km: Some(25),
            ..SearchFilter::default()
        },
    };
    for i in 0..30 {
        let (nre, person, _) = &search_nres[i % search_nres.len()];
        cup.search(&principal(person), &filters(i, nre)).await.expect("warm-up");
    }
    let mut samples = Vec::with_capacity(SEARCHES);
    let mut found = 0;
    for i in 0..SEARCHES {
        let (nre, person, _) = &search_nres[i % search_nres.len()];
        let started = Instant::now();
        let outcome = cup.search(&principal(person), &filters(i, nre)).await.expect("search");
        samples.push(started.elapsed());
        if let SearchOutcome::Found { results, .. } = outcome {
            found += results.slots.len();
        }
    }
    report("search: earliest free slot per facility, region-wide", samples);
    println!(
        "  (each search also writes its audit-log row; {:.1} facilities with slots per search on average)",
        found as f64 / SEARCHES as f64
    );

    // Contention: every booker searches and books the earliest slot of the
    // same service; a lost race is answered "slot taken" and searched again.
    let started = Instant::now();
    let tasks: Vec<_> = booking_nres
        .chunks(BOOKINGS_PER_BOOKER)
        .map(|chunk| {
            let cup = cup.clone();
            let chunk = chunk.to_vec();
            tokio::spawn(async move {
                let (mut booked, mut taken, mut latencies) = (0, 0, Vec::new());
                for (nre, person, _) in chunk {
                    let who = principal(&person);
                    loop {
                        let attempt = Instant::now();
                        let Ok(SearchOutcome::Found { results, .. }) =
                            cup.search(&who, &SearchFilter { nre: nre.clone(), ..SearchFilter::default() }).await
                        else {
                            panic!("search failed")
                        };
                        let Some(slot) = results.slots.first() else { break };
                        match cup.book(&who, &nre, slot.slot_id, None).await {
                            Ok(_) => {
                                booked += 1;
                                latencies.push(attempt.elapsed());
                                break;
                            }
                            Err(WriteError::Refused(Notice::Cup(CupNotice::SlotTaken))) => taken += 1,
                            Err(other) => panic!("booking failed: {other:?}"),
                        }
                    }
                }
                (booked, taken, latencies)
            })
        })
        .collect();
    let (mut booked, mut taken, mut latencies) = (0, 0, Vec::new());
    for task in tasks {
        let (b, t, l) = task.await.expect("booker");
        booked += b;
        taken += t;
        latencies.extend(l);
    }
    let elapsed = started.elapsed();
    println!(
        "booking under contention: {BOOKERS} concurrent bookers, one service, earliest slot each time: \
         {booked} bookings in {:.2} s = {:.0} bookings/s, {taken} lost races answered \"slot taken\"",
        elapsed.as_secs_f64(),
        booked as f64 / elapsed.as_secs_f64()
    );
    report("  search + book, per successful booking", latencies);
    let double: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT slot_id FROM bookings WHERE status = 'active' GROUP BY slot_id HAVING count(*) > 1)",
    )
    .fetch_one(&pool)
    .await
    .expect("double");
    println!("  slots booked twice: {double}");

    // Leave the cached region as it was.
    for statement in [
        "DELETE FROM payment_positions WHERE booking_id IN (SELECT id FROM bookings WHERE nre LIKE '0709B%')",
        "DELETE FROM waiting_list WHERE nre LIKE '0709B%'",
        "DELETE FROM bookings WHERE nre LIKE '0709B%'",
        "DELETE FROM prescriptions WHERE nre LIKE '0709B%'",
    ] {
        sqlx::query(statement).execute(&pool).await.expect("clean-up");
    }
}
