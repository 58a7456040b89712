//! Test harness: starts the real server on a random loopback port with a
//! fresh database and a throwaway site folder, per test. The database is an
//! SQLite file, or a new database on the PostgreSQL server that
//! `PORTALE_TEST_POSTGRES` names (scripts/test.sh runs the suite once on
//! each backend).

#![allow(dead_code)] // each test binary uses a different part of the harness

pub mod cluster;
pub mod fake_idp;

use fake_idp::{AuthorizationRequest, FakeAccount, FakeIdp};

use server::{config::Settings, startup::Application};
use sqlx::Connection;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database_url: String,
    _folder: TempDir,
}

/// Content of the fake hashed wasm file put in the test site folder.
pub const FAKE_WASM: &[u8] = b"\0asm fake module for cache-header tests";
pub const FAKE_WASM_PATH: &str = "/pkg/portale.0123abcd.wasm";

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the app after letting the test adjust the settings.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_until(adjust, std::future::pending()).await.0
}

/// Starts the app; it stops when `shutdown` resolves. Returns the server task.
pub async fn spawn_app_until(
    adjust: impl FnOnce(&mut Settings),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> (TestApp, tokio::task::JoinHandle<std::io::Result<()>>) {
    let folder = tempfile::tempdir().expect("temporary folder");
    let site_root = site_folder(&folder);
    let database_url = fresh_database(folder.path(), "portale.db").await;
    let mut settings = Settings::from_lookup(|_| None).expect("default settings");
    settings.port = 0;
    settings.database_url = database_url.clone();
    settings.site_root = site_root;
    settings.hash_files = false;
    settings.demo_data = false;
    settings.demo_feeds = false;
    settings.reminders_every = None;
    adjust(&mut settings);
    // TEST_LOG=1 logs at the default level; TEST_LOG=<filter> (e.g.
    // "info,sqlx=debug") picks what to log.
    if let Ok(filter) = std::env::var("TEST_LOG") {
        if filter != "1" {
            settings.log_filter = filter;
        }
        server::telemetry::init(&settings);
    }
    let application = Application::build(settings).await.expect("application builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    let server = tokio::spawn(application.run_until_stopped(shutdown));
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    (TestApp { address, client, database_url, _folder: folder }, server)
}

/// Which backend the suite runs on: PostgreSQL when `PORTALE_TEST_POSTGRES`
/// holds a server's URL (to its `postgres` database), SQLite otherwise.
pub fn on_postgres() -> Option<String> {
    std::env::var("PORTALE_TEST_POSTGRES").ok().filter(|url| !url.is_empty())
}

/// The URL of a fresh, empty database for one test: an SQLite file `name`
/// in `folder`, or a new database on the test PostgreSQL server.
pub async fn fresh_database(folder: &Path, name: &str) -> String {
    let Some(admin) = on_postgres() else {
        return format!("sqlite:{}", folder.join(name).display());
    };
    server::db::install_drivers();
    let database = format!("test_{}", uuid::Uuid::new_v4().simple());
    let mut connection = sqlx::AnyConnection::connect(&admin).await.expect("test PostgreSQL server");
    sqlx::query(&format!("CREATE DATABASE {database}")).execute(&mut connection).await.expect("test database");
    let _ = connection.close().await;
    let mut url = url::Url::parse(&admin).expect("PORTALE_TEST_POSTGRES is a URL");
    url.set_path(&database);
    url.to_string()
}

fn site_folder(folder: &TempDir) -> PathBuf {
    let root = folder.path().join("site");
    std::fs::create_dir_all(root.join("pkg")).expect("pkg folder");
    std::fs::create_dir_all(root.join("fonts")).expect("fonts folder");
    std::fs::write(root.join(FAKE_WASM_PATH.trim_start_matches('/')), FAKE_WASM).expect("fake wasm");
    std::fs::write(root.join("robots.txt"), "User-agent: *\n").expect("robots");
    root
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request sent")
    }

    /// A same-origin form post, as a browser sends it.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_form_as(&self.client, path, form).await
    }
}

/// The app with the demo region and a fake identity provider.
pub async fn spawn_app_with_idp(adjust: impl FnOnce(&mut Settings)) -> (TestApp, FakeIdp) {
    let idp = FakeIdp::start().await;
    let issuer = idp.issuer.clone();
    let app = spawn_app_with(move |settings| {
        settings.demo_data = true;
        settings.oidc_issuer = issuer;
        settings.oidc_client_secret = fake_idp::CLIENT_SECRET.to_string().into();
        adjust(settings);
    })
    .await;
    (app, idp)
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

/// The `Location` of a redirect.
pub fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

impl TestApp {
    /// A portal already running at `address` on the database at `database_url`.
    pub fn at(address: String, database_url: String) -> TestApp {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        TestApp { address, client, database_url, _folder: tempfile::tempdir().expect("folder") }
    }

    /// A pool on the test database, to arrange and inspect data.
    pub async fn db(&self) -> sqlx::AnyPool {
        sqlx::AnyPool::connect(&self.database_url).await.expect("test database")
    }

    /// Starts a sign-in in `browser`: returns what the portal asked the provider.
    pub async fn begin_sign_in(&self, browser: &reqwest::Client, return_to: &str) -> AuthorizationRequest {
        let response =
            browser.get(self.url(&format!("/auth/login?return_to={return_to}"))).send().await.expect("login");
        assert_eq!(response.status(), 303, "login should redirect to the provider");
        AuthorizationRequest::from_url(&location(&response))
    }

    /// The provider's redirect back to the portal.
    pub async fn callback(&self, browser: &reqwest::Client, code: &str, state: &str) -> reqwest::Response {
        browser
            .get(self.url("/auth/callback"))
            .query(&[("code", code), ("state", state)])
            .send()
            .await
            .expect("callback")
    }

    /// Signs `account` in and returns its browser.
    pub async fn sign_in(&self, idp: &FakeIdp, account: &FakeAccount) -> reqwest::Client {
        let browser = browser();
        let request = self.begin_sign_in(&browser, "/").await;
        let code = idp.issue_code(account, &request, None);
        let response = self.callback(&browser, &code, &request.state).await;
        assert_eq!(location(&response), "/", "sign-in should succeed");
        browser
    }

    /// A same-origin form post from `browser`.
    pub async fn post_form_as(
        &self,
        browser: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        browser
            .post(self.url(path))
            .header("origin", &self.address)
            .header("sec-fetch-site", "same-origin")
            .form(form)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn page_text(&self, browser: &reqwest::Client, path: &str) -> (u16, String) {
        let response = browser.get(self.url(path)).send().await.expect("page");
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }
}

/// A new specialist prescription (red, valid 180 days) for `person`;
/// returns its NRE, made from `number`.
pub async fn prescribe(pool: &sqlx::AnyPool, person: &str, service: &str, priority: &str, number: u32) -> String {
    let nre = format!("0709T{number:010}");
    sqlx::query(
        "INSERT INTO prescriptions (nre, person, kind, colour, priority, service_code, prescriber, issued_on, valid_until)
         VALUES ($1, $2, 'specialist', 'red', $3, $4, 'Medico di medicina generale', date('now'), date('now', '+180 days'))",
    )
    .bind(&nre)
    .bind(person)
    .bind(priority)
    .bind(service)
    .execute(pool)
    .await
    .expect("prescription");
    nre
}

/// Up to `count` new adult residents of `town` (its Belfiore code), whose
/// fiscal codes start with `surname` (three letters) and whose health-card
/// numbers start at `first_card`: the racers of the "last place" tests.
pub async fn new_residents(
    pool: &sqlx::AnyPool,
    town: &str,
    surname: &str,
    first_card: u32,
    count: u32,
) -> Vec<FakeAccount> {
    let mut people: Vec<FakeAccount> = Vec::new();
    for n in 0..count {
        let name = ["MRA", "LCU", "GNN", "PLA"][n as usize % 4];
        let birth = (1950 + (n % 45) as i32, 1 + n % 12, 1 + n % 28);
        let code = app::domain::fiscal_code::FiscalCode::compose(surname, name, birth, false, town).expect("code");
        let code = code.as_str().to_string();
        if people.iter().any(|p| p.fiscal_code == code) {
            continue;
        }
        sqlx::query(
            "INSERT INTO people (fiscal_code, given_name, family_name, birth_date, sex, municipality, address,
                                 health_card_number, health_card_expiry)
             VALUES ($1, 'Corsa', $2, $3, 'M', $4, $5, $6, '2030-01-01')",
        )
        .bind(&code)
        .bind(format!("Numero {n}"))
        .bind(format!("{:04}-{:02}-{:02}", birth.0, birth.1, birth.2))
        .bind(town)
        .bind(format!("Via della Gara {n}"))
        .bind(format!("80380{:015}", first_card + n))
        .execute(pool)
        .await
        .expect("resident");
        people.push(FakeAccount {
            fiscal_code: code,
            given_name: "Corsa".into(),
            family_name: format!("Numero {n}"),
            role: "citizen",
            pharmacy_id: None,
        });
    }
    assert!(people.len() as u32 >= count * 9 / 10, "enough new residents");
    people
}

/// Sets the doctor's massimale to their current patients plus one.
pub async fn leave_one_place(pool: &sqlx::AnyPool, doctor: i64) {
    sqlx::query(
        "UPDATE doctors SET max_patients = (SELECT count(*) FROM doctor_choices WHERE doctor_id = $1 AND ended_on IS NULL) + 1
          WHERE id = $1",
    )
    .bind(doctor)
    .execute(pool)
    .await
    .expect("one free place");
}

/// Demo citizens matching an SQL condition on `people p`, in a fixed order.
pub async fn demo_citizens(pool: &sqlx::AnyPool, condition: &str, count: u32) -> Vec<FakeAccount> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(&format!(
        "SELECT p.fiscal_code, p.given_name, p.family_name FROM people p WHERE {condition}
          ORDER BY p.fiscal_code LIMIT {count}"
    ))
    .fetch_all(pool)
    .await
    .expect("demo citizens");
    assert_eq!(rows.len(), count as usize, "not enough demo citizens for: {condition}");
    rows.into_iter()
        .map(|(fiscal_code, given_name, family_name)| FakeAccount {
            fiscal_code,
            given_name,
            family_name,
            role: "citizen",
            pharmacy_id: None,
        })
        .collect()
}

/// Adults with no minor children.
pub const ADULT_WITHOUT_CHILDREN: &str = "p.birth_date <= date('now', '-18 years')
    AND NOT EXISTS (SELECT 1 FROM guardianships g WHERE g.parent = p.fiscal_code)";
/// Parents of at least one minor.
pub const PARENT_OF_A_MINOR: &str = "EXISTS (SELECT 1 FROM guardianships g JOIN people c ON c.fiscal_code = g.child
    WHERE g.parent = p.fiscal_code AND c.birth_date > date('now', '-17 years'))";

/// Reads a server-sent-event stream until an event of `kind` arrives whose
/// JSON data `wanted` accepts; fails after 10 s without one.
pub async fn next_sse_event(
    stream: &mut reqwest::Response,
    kind: &str,
    wanted: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let mut buffer = String::new();
    loop {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk())
            .await
            .expect("an event within 10 s")
            .expect("stream")
            .expect("stream open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            if event.lines().any(|line| line == format!("event: {kind}")) {
                let data = event.lines().find_map(|line| line.strip_prefix("data: ")).expect("data");
                let value: serde_json::Value = serde_json::from_str(data).expect("json");
                if wanted(&value) {
                    return value;
                }
            }
        }
    }
}

/// Makes inserts into the audit log fail while `when` holds (an SQL
/// condition on `NEW`), as a full disk or a broken log would: a trigger
/// named `name`, on either backend. [`mend_audit_log`] removes it.
pub async fn break_audit_log(pool: &sqlx::AnyPool, name: &str, when: &str) {
    let statements = if on_postgres().is_some() {
        vec![
            format!(
                "CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN RAISE EXCEPTION 'audit log unavailable'; END $$"
            ),
            format!(
                "CREATE TRIGGER {name} BEFORE INSERT ON audit_log FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION {name}()"
            ),
        ]
    } else {
        vec![format!(
            "CREATE TRIGGER {name} BEFORE INSERT ON audit_log WHEN {when}
             BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END"
        )]
    };
    for statement in statements {
        sqlx::query(&statement).execute(pool).await.expect("trigger");
    }
}

/// Removes what [`break_audit_log`] added.
pub async fn mend_audit_log(pool: &sqlx::AnyPool, name: &str) {
    let statement = if on_postgres().is_some() {
        format!("DROP TRIGGER {name} ON audit_log")
    } else {
        format!("DROP TRIGGER {name}")
    };
    sqlx::query(&statement).execute(pool).await.expect("drop trigger");
}
