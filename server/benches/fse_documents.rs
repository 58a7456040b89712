//! `cargo bench -p server --bench fse_documents`: the server-side time to
//! render the FSE document list for a person with 500 documents — the real
//! server on loopback with a fresh demo database, a signed-in session (the
//! test identity provider), sequential requests so each is measured alone.
//! Reports p50/p95/p99 for the whole page and for the adapter's query alone.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use app::fse::model::{DocumentFilter, DocumentKind};
use app::fse::port::HealthRecord;
use app::identity::model::{Person, Principal, Relation, Role};
use common::{demo_citizens, spawn_app_with_idp, ADULT_WITHOUT_CHILDREN};
use server::fse::SqlHealthRecord;

const DOCUMENTS: i64 = 500;
const WARM_UP: usize = 20;
const SAMPLES: usize = 300;

fn percentile(sorted: &[Duration], share: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * share).round() as usize]
}

fn report(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    println!(
        "{what:<58} n={:<4} mean {:>7.2} ms  p50 {:>7.2} ms  p95 {:>7.2} ms  p99 {:>7.2} ms",
        samples.len(),
        mean.as_secs_f64() * 1e3,
        percentile(&samples, 0.50).as_secs_f64() * 1e3,
        percentile(&samples, 0.95).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
    );
}

#[tokio::main]
async fn main() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let citizen = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    // Grow the record to 500 documents by copying its own, a week apart.
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM fse_documents WHERE person = $1")
        .bind(&citizen.fiscal_code)
        .fetch_one(&pool)
        .await
        .expect("count");
    for copy in 0..(DOCUMENTS - existing) {
        sqlx::query(
            "INSERT INTO fse_documents (person, loinc_code, title, facility_id, author, issued_at, body)
             SELECT person, loinc_code, title, facility_id, author,
                    strftime('%Y-%m-%dT%H:%M:%S+01:00', issued_at, $2), body
               FROM fse_documents WHERE person = $1 ORDER BY id LIMIT 1 OFFSET $3",
        )
        .bind(&citizen.fiscal_code)
        .bind(format!("-{} days", 7 * (copy + 1)))
        .bind(copy % existing)
        .execute(&pool)
        .await
        .expect("copy");
    }
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM fse_documents WHERE person = $1")
        .bind(&citizen.fiscal_code)
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(total, DOCUMENTS);
    let browser = app.sign_in(&idp, &citizen).await;
    println!("FSE document list, {total} documents for one person, release build, sequential requests on 127.0.0.1");

    for (what, path) in [
        ("GET /fascicolo (page 1 of 25, whole HTML page)", "/fascicolo"),
        ("GET /fascicolo?tipo=laboratorio&pagina=3", "/fascicolo?tipo=laboratorio&pagina=3"),
        ("GET /fascicolo?dal=2024-01-01&al=2024-12-31", "/fascicolo?dal=2024-01-01&al=2024-12-31"),
    ] {
        let mut samples = Vec::with_capacity(SAMPLES);
        for round in 0..WARM_UP + SAMPLES {
            let started = Instant::now();
            let response = browser.get(app.url(path)).send().await.expect("page");
            assert_eq!(response.status(), 200);
            let body = response.text().await.expect("body");
            assert!(body.contains("Documenti trovati:"));
            if round >= WARM_UP {
                samples.push(started.elapsed());
            }
        }
        report(what, samples);
    }

    let port = SqlHealthRecord::new(pool.clone());
    let person = Person {
        fiscal_code: citizen.fiscal_code.clone(),
        given_name: citizen.given_name,
        family_name: citizen.family_name,
    };
    let principal = Principal {
        actor: person.clone(),
        role: Role::Citizen,
        pharmacy_id: None,
        subject: person,
        relation: Relation::Own,
        ip: "127.0.0.1".into(),
        request_id: "bench".into(),
    };
    for (what, filter) in [
        ("adapter documents(), page 1", DocumentFilter { page: 1, ..DocumentFilter::default() }),
        (
            "adapter documents(), lab reports page 3",
            DocumentFilter { kind: Some(DocumentKind::Lab), page: 3, ..DocumentFilter::default() },
        ),
    ] {
        let mut samples = Vec::with_capacity(SAMPLES);
        for round in 0..WARM_UP + SAMPLES {
            let started = Instant::now();
            let page = port.documents(&principal, &filter).await.expect("documents");
            assert!(!page.documents.is_empty());
            if round >= WARM_UP {
                samples.push(started.elapsed());
            }
        }
        report(what, samples);
    }
}
