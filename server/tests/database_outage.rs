//! The database out of reach while the portal runs (issue 19, faults): the
//! person gets the friendly 503 page, `/readyz` says not ready, nothing is
//! lost, and everything works again when the database returns — without a
//! restart. The outage is a real cut of the TCP connections between the
//! portal and PostgreSQL (a link the test opens and closes), so the
//! portal's pools, sessions and live relay meet it as they would a network
//! failure or a database restart.
//!
//! PostgreSQL only (`PORTALE_TEST_POSTGRES`, the second step of
//! scripts/test.sh): the test names start with `postgres_outage`, which the
//! SQLite step leaves out (an embedded file has no connection to lose).

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{demo_citizens, spawn_app_with_idp, TestApp, ADULT_WITHOUT_CHILDREN};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A TCP link to PostgreSQL that the test can cut (every open connection
/// dropped, new ones refused) and mend.
struct CuttableLink {
    port: u16,
    down: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl CuttableLink {
    async fn to(target: SocketAddr) -> CuttableLink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("link port");
        let port = listener.local_addr().expect("link address").port();
        let down = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(Mutex::new(Vec::new()));
        let (accepting_down, accepting_connections) = (down.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if accepting_down.load(Ordering::Acquire) {
                    continue; // dropped: the connection is refused
                }
                let forward = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                accepting_connections.lock().expect("connections").push(forward);
            }
        });
        CuttableLink { port, down, connections }
    }

    fn cut(&self) {
        self.down.store(true, Ordering::Release);
        for connection in self.connections.lock().expect("connections").drain(..) {
            connection.abort();
        }
    }

    fn mend(&self) {
        self.down.store(false, Ordering::Release);
    }
}

async fn readiness(app: &TestApp) -> u16 {
    app.get("/readyz").await.status().as_u16()
}

#[tokio::test]
async fn postgres_outage_answers_the_friendly_503_and_recovers_without_a_restart() {
    let Some(admin) = common::on_postgres() else {
        panic!("the outage is a lost PostgreSQL connection: set PORTALE_TEST_POSTGRES (scripts/test.sh does)");
    };
    let admin = url::Url::parse(&admin).expect("admin URL");
    let target: SocketAddr = format!("{}:{}", admin.host_str().expect("host"), admin.port().unwrap_or(5432))
        .parse()
        .expect("PostgreSQL on a loopback address");
    let link = CuttableLink::to(target).await;
    let link_port = link.port;
    let (app, idp) = spawn_app_with_idp(move |settings| {
        let mut through_link = url::Url::parse(&settings.database_url).expect("database URL");
        through_link.set_port(Some(link_port)).expect("port");
        settings.database_url = through_link.to_string();
    })
    .await;
    let direct = app.db().await;
    let citizen = demo_citizens(&direct, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let browser = app.sign_in(&idp, &citizen).await;
    let (status, before) = app.page_text(&browser, "/prenotazioni").await;
    assert_eq!(status, 200, "{before}");
    assert!(before.contains(&citizen.family_name), "signed in as the citizen: {before}");
    assert_eq!(readiness(&app).await, 200);
    let bookings_before: i64 =
        sqlx::query_scalar("SELECT count(*) FROM bookings").fetch_one(&direct).await.expect("count");

    link.cut();
    let during = browser.get(app.url("/prenotazioni")).send().await.expect("page");
    assert_eq!(during.status(), 503);
    assert_eq!(during.headers()["retry-after"], "30");
    let during = during.text().await.expect("body");
    assert!(during.contains("Servizio momentaneamente non disponibile"), "{during}");
    assert!(during.contains("non è andato perso"), "{during}");
    assert!(!during.contains("127.0.0.1") && !during.contains("postgres"), "no internals on the page: {during}");
    assert_eq!(readiness(&app).await, 503, "not ready while the database is out of reach");
    // A change tried during the outage is refused with the same page and
    // leaves nothing behind.
    let refused = app.post_form_as(&browser, "/prenotazioni/prenota", &[("slot_id", "1"), ("nre", "x")]).await;
    assert_eq!(refused.status(), 503);

    link.mend();
    let deadline = Instant::now() + Duration::from_secs(20);
    while readiness(&app).await != 200 {
        assert!(Instant::now() < deadline, "still not ready 20 s after the database returned");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (status, after) = app.page_text(&browser, "/prenotazioni").await;
    assert_eq!(status, 200, "{after}");
    assert!(after.contains(&citizen.family_name), "still signed in after the outage: {after}");
    let bookings_after: i64 =
        sqlx::query_scalar("SELECT count(*) FROM bookings").fetch_one(&direct).await.expect("count");
    assert_eq!(bookings_after, bookings_before, "nothing written during the outage");
}
