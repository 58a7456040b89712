//! The access table (issue 27): every route of the portal with who may call
//! it, checked against the running server.
//!
//! The routes are read from where they are declared, so a new one without an
//! entry here fails the test: axum routes from the router's source
//! (`.route("…")`, `.route_service("…")`, `.nest_service("…")` under
//! `server/src/`), Leptos pages from the app's route list, server functions
//! from their registry. For each entry the test checks that a signed-out
//! visitor and a person of the wrong role are refused; for each identifier
//! the route takes (in its path or its form), that citizen B giving citizen
//! A's identifier is refused, that nothing of A's shows in the answer,
//! that nothing changed in the database, and — where the record exists —
//! that the attempt is in A's access log with B as the one who tried.

mod common;

use common::fake_idp::FakeAccount;
use common::{browser, demo_citizens, location, spawn_app_with_idp, TestApp, ADULT_WITHOUT_CHILDREN};
use sqlx::AnyPool;
use std::collections::{BTreeMap, BTreeSet};

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    /// Anyone, signed in or not.
    Anyone,
    /// A signed-in person (citizen, or any other role acting as a citizen).
    SignedIn,
    /// A signed-in pharmacist only.
    Pharmacist,
    /// A signed-in hospital operator only.
    Operator,
    /// A signed-in operator of the region's prevention office only.
    Region,
    /// A hospital system with a client-credentials token of the right scope.
    Machine,
    /// The payment provider, with a signed message.
    Provider,
    /// The sandbox payment provider's own pages (development only).
    Sandbox,
}

/// An identifier a route takes, and where.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Owned {
    None,
    /// In the path, in place of `{…}`.
    Path(Record),
    /// In the form field of this name.
    Field(&'static str, Record),
    /// In the query parameter of this name.
    Query(&'static str, Record),
}

/// Records of citizen A that citizen B must never reach.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Record {
    Booking,
    WaitingListEntry,
    Offer,
    Prescription,
    PreventionAppointment,
    DoctorChoice,
    Kit,
    Delegation,
    SurgeryCase,
    Notification,
    ReceiptFile,
    Checkout,
    SandboxSession,
    Document,
    NotebookEntry,
    Person,
    Position,
}

/// How a route answers, which says what a refusal looks like.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// A server-rendered page (GET).
    Page,
    /// A form post answered with a redirect (and a notice on the next page).
    Form,
    /// A file or a JSON document (GET).
    File,
    /// A server function (POST, form-encoded arguments).
    Api,
    /// Server-sent events.
    Stream,
    /// A machine endpoint (JSON body, bearer token).
    Ingest,
}

struct Route {
    method: &'static str,
    path: &'static str,
    kind: Kind,
    who: Who,
    owned: Owned,
}

const fn r(method: &'static str, path: &'static str, kind: Kind, who: Who, owned: Owned) -> Route {
    Route { method, path, kind, who, owned }
}

use Kind::*;
use Owned::{Field, Path, Query};
use Record::*;
use Who::*;

/// The table. Pages and server functions first, then the axum routes.
const TABLE: &[Route] = &[
    // Pages
    r("GET", "/", Page, Anyone, Owned::None),
    r("GET", "/accessibilita", Page, Anyone, Owned::None),
    r("GET", "/privacy", Page, Anyone, Owned::None),
    r("GET", "/pronto-soccorso", Page, Anyone, Owned::None),
    r("GET", "/dove-andare", Page, Anyone, Owned::None),
    r("GET", "/sessione-scaduta", Page, Anyone, Owned::None),
    r("GET", "/accesso-non-riuscito", Page, Anyone, Owned::None),
    r("GET", "/accessi", Page, SignedIn, Owned::None),
    r("GET", "/deleghe", Page, SignedIn, Owned::None),
    r("GET", "/medico", Page, SignedIn, Owned::None),
    r("GET", "/fascicolo", Page, SignedIn, Owned::None),
    r("GET", "/fascicolo/andamenti", Page, SignedIn, Owned::None),
    r("GET", "/fascicolo/consensi", Page, SignedIn, Owned::None),
    r("GET", "/fascicolo/documenti/{id}", Page, SignedIn, Path(Document)),
    r("GET", "/fascicolo/profilo", Page, SignedIn, Owned::None),
    r("GET", "/fascicolo/taccuino", Page, SignedIn, Owned::None),
    r("GET", "/interventi", Page, SignedIn, Owned::None),
    r("GET", "/interventi/{id}", Page, SignedIn, Path(SurgeryCase)),
    r("GET", "/notifiche", Page, SignedIn, Owned::None),
    r("GET", "/pagamenti", Page, SignedIn, Owned::None),
    r("GET", "/pagamenti/avviso", Page, SignedIn, Owned::None),
    r("GET", "/pagamenti/esenzioni", Page, SignedIn, Owned::None),
    r("GET", "/pagamenti/esito/{id}", Page, SignedIn, Path(Checkout)),
    r("GET", "/prenotazioni", Page, SignedIn, Owned::None),
    r("GET", "/prenotazioni/{code}", Page, SignedIn, Path(Booking)),
    r("GET", "/prenotazioni/cerca", Page, SignedIn, Owned::None),
    r("GET", "/ricette", Page, SignedIn, Owned::None),
    r("GET", "/screening", Page, SignedIn, Owned::None),
    r("GET", "/screening/prenota", Page, SignedIn, Owned::None),
    r("GET", "/vaccinazioni", Page, SignedIn, Owned::None),
    r("GET", "/vaccinazioni/prenota", Page, SignedIn, Owned::None),
    r("GET", "/farmacia", Page, Pharmacist, Owned::None),
    r("GET", "/professionisti/fascicolo", Page, Operator, Query("cf", Person)),
    r("GET", "/regione/screening", Page, Region, Owned::None),
    // Server functions
    r("POST", "/api/er-board", Api, Anyone, Owned::None),
    r("POST", "/api/care-now", Api, Anyone, Owned::None),
    r("POST", "/api/accesses", Api, SignedIn, Owned::None),
    r("POST", "/api/delegations", Api, SignedIn, Owned::None),
    r("POST", "/api/doctors", Api, SignedIn, Field("filter[person]", Person)),
    r("POST", "/api/cup_booking", Api, SignedIn, Field("code", Booking)),
    r("POST", "/api/cup_overview", Api, SignedIn, Owned::None),
    r("POST", "/api/cup_search", Api, SignedIn, Owned::None),
    r("POST", "/api/fse_consents", Api, SignedIn, Owned::None),
    r("POST", "/api/fse_consult", Api, Operator, Owned::None),
    r("POST", "/api/fse_document", Api, SignedIn, Field("id", Document)),
    r("POST", "/api/fse_documents", Api, SignedIn, Owned::None),
    r("POST", "/api/fse_notebook", Api, SignedIn, Owned::None),
    r("POST", "/api/fse_summary", Api, SignedIn, Owned::None),
    r("POST", "/api/fse_trend", Api, SignedIn, Owned::None),
    r("POST", "/api/health_agenda", Api, SignedIn, Owned::None),
    r("POST", "/api/inbox", Api, SignedIn, Owned::None),
    r("POST", "/api/income_exemptions", Api, SignedIn, Owned::None),
    r("POST", "/api/my_payments", Api, SignedIn, Owned::None),
    r("POST", "/api/my_prescriptions", Api, SignedIn, Owned::None),
    r("POST", "/api/payment_checkout", Api, SignedIn, Field("checkout_id", Checkout)),
    r("POST", "/api/payment_notice", Api, SignedIn, Owned::None),
    r("POST", "/api/pharmacy_counter", Api, Pharmacist, Owned::None),
    r("POST", "/api/prevention_slots", Api, SignedIn, Owned::None),
    r("POST", "/api/screening", Api, SignedIn, Owned::None),
    r("POST", "/api/screening_adherence", Api, Region, Owned::None),
    r("POST", "/api/surgery_case", Api, SignedIn, Field("id", SurgeryCase)),
    r("POST", "/api/surgery_overview", Api, SignedIn, Owned::None),
    r("POST", "/api/vaccinations", Api, SignedIn, Owned::None),
    // Sign-in, language, health
    r("GET", "/auth/login", Page, Anyone, Owned::None),
    r("GET", "/auth/callback", Page, Anyone, Owned::None),
    r("POST", "/auth/logout", Form, Anyone, Owned::None),
    r("POST", "/agisci-per", Form, SignedIn, Field("per", Person)),
    r("POST", "/lingua", Form, Anyone, Owned::None),
    r("GET", "/healthz", File, Anyone, Owned::None),
    r("GET", "/readyz", File, Anyone, Owned::None),
    // Static files
    r("GET", "/pkg", File, Anyone, Owned::None),
    r("GET", "/fonts", File, Anyone, Owned::None),
    r("GET", "/favicon.svg", File, Anyone, Owned::None),
    r("GET", "/robots.txt", File, Anyone, Owned::None),
    r("GET", "/manifest.webmanifest", File, Anyone, Owned::None),
    // Delegations, family doctor
    r("POST", "/deleghe", Form, SignedIn, Owned::None),
    r("POST", "/deleghe/{id}/revoca", Form, SignedIn, Path(Delegation)),
    r("POST", "/medico/scelta", Form, SignedIn, Field("person", Person)),
    r("GET", "/medico/scelte/{id}/conferma.pdf", File, SignedIn, Path(DoctorChoice)),
    // FSE
    r("POST", "/fascicolo/consenso", Form, SignedIn, Owned::None),
    r("POST", "/fascicolo/documenti/{id}/oscuramento", Form, SignedIn, Path(Document)),
    r("GET", "/fascicolo/documenti/{id}/documento.pdf", File, SignedIn, Path(Document)),
    r("GET", "/fascicolo/esporta/fhir.json", File, SignedIn, Owned::None),
    r("GET", "/fascicolo/taccuino/{id}/file", File, SignedIn, Path(NotebookEntry)),
    r("POST", "/fascicolo/taccuino/{id}/elimina", Form, SignedIn, Path(NotebookEntry)),
    r("POST", "/fascicolo/taccuino", Form, SignedIn, Owned::None),
    // CUP
    r("POST", "/prenotazioni/prenota", Form, SignedIn, Field("nre", Prescription)),
    r("POST", "/prenotazioni/lista-attesa", Form, SignedIn, Field("nre", Prescription)),
    r("POST", "/prenotazioni/offerte/{id}/accetta", Form, SignedIn, Path(Offer)),
    r("POST", "/prenotazioni/offerte/{id}/rifiuta", Form, SignedIn, Path(Offer)),
    r("POST", "/prenotazioni/{code}/disdici", Form, SignedIn, Path(Booking)),
    r("GET", "/prenotazioni/{code}/promemoria.pdf", File, SignedIn, Path(Booking)),
    r("GET", "/prenotazioni/lista-attesa/{reference}/ricevuta.pdf", File, SignedIn, Path(WaitingListEntry)),
    // Vaccinations and screening
    r("GET", "/vaccinazioni/certificato.pdf", File, SignedIn, Owned::None),
    r("POST", "/appuntamenti/prenota", Form, SignedIn, Owned::None),
    r("POST", "/appuntamenti/{code}/disdici", Form, SignedIn, Path(PreventionAppointment)),
    r("POST", "/screening/kit", Form, SignedIn, Owned::None),
    r("POST", "/screening/kit/{code}/annulla", Form, SignedIn, Path(Kit)),
    // Pharmacy
    r("POST", "/ricette/consenso", Form, SignedIn, Owned::None),
    r("POST", "/farmacia/cerca", Form, Pharmacist, Owned::None),
    r("POST", "/farmacia/dispensa", Form, Pharmacist, Owned::None),
    r("POST", "/farmacia/chiudi", Form, Pharmacist, Owned::None),
    // Payments
    r("POST", "/pagamenti/paga", Form, SignedIn, Field("posizione", Position)),
    r("POST", "/pagamenti/paga-avviso", Form, SignedIn, Owned::None),
    r("POST", "/pagamenti/esenzioni", Form, SignedIn, Owned::None),
    r("POST", "/pagamenti/esenzioni/ritira", Form, SignedIn, Owned::None),
    r("GET", "/pagamenti/ricevute/{file}", File, SignedIn, Path(ReceiptFile)),
    r("POST", "/pagopa/v1/esiti", Ingest, Provider, Owned::None),
    r("GET", "/sandbox-pagopa/checkout/{session}", Page, Sandbox, Path(SandboxSession)),
    r("POST", "/sandbox-pagopa/checkout/{session}", Form, Sandbox, Path(SandboxSession)),
    r("GET", "/sandbox-pagopa/stile.css", File, Anyone, Owned::None),
    // Notifications
    r("POST", "/notifiche/{id}/apri", Form, SignedIn, Path(Notification)),
    r("POST", "/notifiche/{id}/letta", Form, SignedIn, Path(Notification)),
    r("POST", "/notifiche/lette", Form, SignedIn, Owned::None),
    // Surgery
    r("POST", "/interventi/{id}/autorizza", Form, SignedIn, Path(SurgeryCase)),
    r("POST", "/interventi/{id}/ritira", Form, SignedIn, Path(SurgeryCase)),
    r("GET", "/interventi/{id}/in-diretta", Stream, SignedIn, Path(SurgeryCase)),
    // Emergency rooms (public board) and the ingest API
    r("GET", "/pronto-soccorso/in-diretta", Stream, Anyone, Owned::None),
    r("GET", "/ingest/v1/openapi.json", File, Anyone, Owned::None),
    r("GET", "/ingest/v1/emergency/whoami", Ingest, Machine, Owned::None),
    r("GET", "/ingest/v1/surgery/whoami", Ingest, Machine, Owned::None),
    r("POST", "/ingest/v1/emergency/status", Ingest, Machine, Owned::None),
    r("POST", "/ingest/v1/surgery/events", Ingest, Machine, Owned::None),
    r("POST", "/ingest/v1/screening/events", Ingest, Machine, Owned::None),
];

/// Paths declared in the router's source: `.route("…")`, `.route_service("…")`
/// and `.nest_service("…")` calls under `server/src/`, and the ingest
/// endpoints' `IngestRoute { path: "…" }`.
fn declared_axum_paths() -> BTreeSet<String> {
    let shared = shared_form_paths();
    let mut found = BTreeSet::new();
    for (file, source) in rust_sources(concat!(env!("CARGO_MANIFEST_DIR"), "/src")) {
        for call in [".route(", ".route_service(", ".nest_service(", "IngestRoute { path:"] {
            for (at, _) in source.match_indices(call) {
                let rest = source[at + call.len()..].trim_start();
                if let Some(literal) = rest.strip_prefix('"') {
                    found.insert(literal[..literal.find('"').expect("closing quote")].to_string());
                } else if rest.starts_with(|c: char| c.is_ascii_uppercase()) {
                    // A path shared with the pages (`BookSlot::ACTION`,
                    // `CANCEL_BOOKING`): every one must be known. (A
                    // lowercase name is the ingest table's fold, whose
                    // paths are the `IngestRoute` literals.)
                    let name: String =
                        rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':').collect();
                    let path = shared.get(&name).unwrap_or_else(|| panic!("{file}: route `{name}` not found"));
                    found.insert(path.clone());
                }
            }
        }
    }
    found
}

/// Every `.rs` file under `folder`, with its text.
fn rust_sources(folder: &str) -> Vec<(String, String)> {
    let mut sources = Vec::new();
    let mut folders = vec![std::path::PathBuf::from(folder)];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push((path.display().to_string(), std::fs::read_to_string(&path).expect("source")));
            }
        }
    }
    sources
}

/// The form paths the app declares (`app/src/<capability>/forms.rs`), by
/// the name the server's router uses: `BookSlot::ACTION` for a
/// `form_post!` struct, `CANCEL_BOOKING` for a constant.
fn shared_form_paths() -> BTreeMap<String, String> {
    let literal_after = |text: &str| -> String {
        let text = &text[text.find('"').expect("opening quote") + 1..];
        text[..text.find('"').expect("closing quote")].to_string()
    };
    let mut paths = BTreeMap::new();
    for (file, source) in rust_sources(concat!(env!("CARGO_MANIFEST_DIR"), "/../app/src")) {
        if !file.ends_with("forms.rs") {
            continue;
        }
        for line in source.lines().map(str::trim) {
            if let Some((head, _)) = line.split_once(" posted to ") {
                let name = head.rsplit(' ').next().expect("struct name");
                paths.insert(format!("{name}::ACTION"), literal_after(line));
            } else if let Some(rest) = line.strip_prefix("pub const ") {
                let name = rest.split(':').next().expect("constant name");
                paths.insert(name.to_string(), literal_after(line));
            }
        }
    }
    paths
}

/// Every route the portal answers: (method, path) with `{name}` parameters.
fn declared_routes() -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for listing in leptos_axum::generate_route_list(app::App) {
        let path = listing
            .path()
            .split('/')
            .map(|segment| match segment.strip_prefix(':') {
                Some(name) => format!("{{{name}}}"),
                None => segment.to_string(),
            })
            .collect::<Vec<_>>()
            .join("/");
        // The catch-all (the 404 page) is not a route of its own.
        if path.contains('*') {
            continue;
        }
        routes.insert(("GET".to_string(), if path.is_empty() { "/".into() } else { path }));
    }
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        routes.insert((method.to_string(), path.to_string()));
    }
    let axum_paths = declared_axum_paths();
    for path in &axum_paths {
        // The method of an axum route is in the table (a path may have two).
        let methods: BTreeSet<&str> = TABLE.iter().filter(|route| route.path == path).map(|r| r.method).collect();
        if methods.is_empty() {
            routes.insert(("?".into(), path.clone()));
        }
        for method in methods {
            routes.insert((method.to_string(), path.clone()));
        }
    }
    routes
}

#[test]
fn every_declared_route_has_exactly_one_entry_and_every_entry_is_declared() {
    let declared = declared_routes();
    let listed: Vec<(String, String)> =
        TABLE.iter().map(|route| (route.method.to_string(), route.path.to_string())).collect();
    let missing: Vec<_> = declared.iter().filter(|route| !listed.contains(route)).collect();
    assert!(missing.is_empty(), "routes without an entry in the access table: {missing:?}");
    let stale: Vec<_> = listed.iter().filter(|route| !declared.contains(route)).collect();
    assert!(stale.is_empty(), "entries for routes that no longer exist: {stale:?}");
    let unique: BTreeSet<_> = listed.iter().collect();
    assert_eq!(unique.len(), listed.len(), "an entry is listed twice");
}

/// Citizen A's records, made for the test, with their identifiers.
struct Fixtures {
    booking: String,
    waiting_list_entry: String,
    offer: i64,
    prescription: String,
    prevention_appointment: String,
    doctor_choice: i64,
    kit: String,
    delegation: i64,
    surgery_case: i64,
    notification: i64,
    position: i64,
    receipt_file: String,
    checkout: String,
    sandbox_session: String,
    document: i64,
    notebook_entry: i64,
}

impl Fixtures {
    fn identifier(&self, record: Record, owner: &FakeAccount) -> String {
        match record {
            Booking => self.booking.clone(),
            WaitingListEntry => self.waiting_list_entry.clone(),
            Offer => self.offer.to_string(),
            Prescription => self.prescription.clone(),
            PreventionAppointment => self.prevention_appointment.clone(),
            DoctorChoice => self.doctor_choice.to_string(),
            Kit => self.kit.clone(),
            Delegation => self.delegation.to_string(),
            SurgeryCase => self.surgery_case.to_string(),
            Notification => self.notification.to_string(),
            ReceiptFile => self.receipt_file.clone(),
            Checkout => self.checkout.clone(),
            SandboxSession => self.sandbox_session.clone(),
            Document => self.document.to_string(),
            NotebookEntry => self.notebook_entry.to_string(),
            Person => owner.fiscal_code.clone(),
            Position => self.position.to_string(),
        }
    }
}

async fn one<T: Send + Unpin + for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>>(
    pool: &AnyPool,
    sql: &str,
) -> T {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn run(pool: &AnyPool, sql: &str) {
    sqlx::query(sql).execute(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// A's records, written straight into the database as the capabilities
/// would have left them (each capability's own tests make them through its
/// pages and APIs).
async fn arrange(pool: &AnyPool, a: &str, c: &str) -> Fixtures {
    let slots: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM slots WHERE date(starts_at) > date('now', '+3 days') ORDER BY starts_at, id LIMIT 4",
    )
    .fetch_all(pool)
    .await
    .expect("slots");
    let service: String = one(pool, &format!("SELECT service_code FROM slots WHERE id = {}", slots[0])).await;
    for nre in ["0709TACCESS0001", "0709TACCESS0002"] {
        run(
            pool,
            &format!(
                "INSERT INTO prescriptions (nre, person, kind, colour, priority, service_code, prescriber, issued_on, valid_until)
                 VALUES ('{nre}', '{a}', 'specialist', 'red', 'P', '{service}', 'Medico di prova', date('now'), date('now', '+180 days'))"
            ),
        )
        .await;
    }
    let booking_id: i64 = one(
        pool,
        &format!(
            "INSERT INTO bookings (code, nre, person, slot_id, status, ticket_cents, booked_by)
             VALUES ('ACC-BOOK-1', '0709TACCESS0001', '{a}', {}, 'active', 0, '{a}') RETURNING id",
            slots[0]
        ),
    )
    .await;
    let _ = booking_id;
    let asl: String = one(pool, "SELECT code FROM asl ORDER BY code LIMIT 1").await;
    let entry: i64 = one(
        pool,
        &format!(
            "INSERT INTO waiting_list (reference, nre, person, service_code, priority, asl_code, requested_on, deadline, status)
             VALUES ('ACC-WL-1', '0709TACCESS0002', '{a}', '{service}', 'P', '{asl}', date('now'), date('now', '+120 days'), 'offered')
             RETURNING id"
        ),
    )
    .await;
    let offer: i64 = one(
        pool,
        &format!(
            "INSERT INTO slot_offers (entry_id, slot_id, expires_at)
             VALUES ({entry}, {}, '{}') RETURNING id",
            slots[1],
            server::clock::stored_instant(chrono::Utc::now() + chrono::Duration::hours(1))
        ),
    )
    .await;
    run(
        pool,
        &format!(
            "INSERT INTO prevention_appointments (code, person, slot_id, kind, topic, status, booked_by)
             VALUES ('ACC-PREV-1', '{a}', {}, 'vaccination', 'flu', 'active', '{a}')",
            slots[2]
        ),
    )
    .await;
    let doctor_choice: i64 =
        one(pool, &format!("SELECT id FROM doctor_choices WHERE person = '{a}' AND ended_on IS NULL")).await;
    let pharmacy: i64 = one(pool, "SELECT id FROM facilities WHERE kind = 'pharmacy' ORDER BY id LIMIT 1").await;
    run(
        pool,
        &format!(
            "INSERT INTO fit_kits (code, person, pharmacy_id, requested_by, status)
             VALUES ('ACC-KIT-1', '{a}', {pharmacy}, '{a}', 'requested')"
        ),
    )
    .await;
    let delegation: i64 = one(
        pool,
        &format!(
            "INSERT INTO delegations (delegator, delegate, scopes, valid_until)
             VALUES ('{a}', '{c}', 'fascicolo', date('now', '+30 days')) RETURNING id"
        ),
    )
    .await;
    let hospital: i64 = one(pool, "SELECT id FROM facilities WHERE name LIKE '%San Martino%' LIMIT 1").await;
    let surgery_case: i64 = one(
        pool,
        &format!("INSERT INTO surgery_cases (facility_id, case_ref, patient) VALUES ({hospital}, 'ACC-1', '{a}') RETURNING id"),
    )
    .await;
    run(
        pool,
        &format!(
            "INSERT INTO surgery_events (case_id, client_id, event_id, phase, at)
             VALUES ({surgery_case}, 'ospedale-san-martino', 'acc-ev-1', 'admitted', '{}')",
            server::clock::stored_second(chrono::Utc::now() - chrono::Duration::minutes(10))
        ),
    )
    .await;
    run(
        pool,
        &format!(
            "INSERT INTO surgery_authorisations (case_id, person, granted_by) VALUES ({surgery_case}, '{c}', '{a}')"
        ),
    )
    .await;
    let notification: i64 = one(
        pool,
        &format!(
            "INSERT INTO notifications (person, kind, message, link)
             VALUES ('{a}', 'waiting_list_offer', 'Messaggio privato di prova', '/prenotazioni') RETURNING id"
        ),
    )
    .await;
    let (position, notice): (i64, String) = sqlx::query_as(&format!(
        "SELECT id, notice_code FROM payment_positions WHERE person = '{a}' AND status = 'payable' ORDER BY id LIMIT 1"
    ))
    .fetch_optional(pool)
    .await
    .expect("position")
    .unwrap_or((0, String::new()));
    let position = if position > 0 {
        position
    } else {
        one(
            pool,
            &format!(
                "INSERT INTO payment_positions (person, asl_code, reason, amount_cents, due_on, notice_code, iuv, status)
                 VALUES ('{a}', '{asl}', 'Ticket di prova', 3615, date('now', '+30 days'), '301000000000009999', '01000000000009999', 'payable')
                 RETURNING id"
            ),
        )
        .await
    };
    let notice = if notice.is_empty() { "301000000000009999".to_string() } else { notice };
    run(pool, &format!("INSERT INTO payment_checkouts (id, payer, total_cents, status) VALUES ('ACC-CHK-1', '{a}', 3615, 'pending')")).await;
    run(
        pool,
        &format!(
            "INSERT INTO sandbox_pagopa_sessions (id, checkout_id, payer, notices, total_cents, return_url, callback_url, status)
             VALUES ('ACC-SBX-1', 'ACC-CHK-1', '{a}', '[]', 3615, '/pagamenti/esito/ACC-CHK-1', '/pagopa/v1/esiti', 'open')"
        ),
    )
    .await;
    let document: i64 =
        one(pool, &format!("SELECT id FROM fse_documents WHERE person = '{a}' ORDER BY id LIMIT 1")).await;
    let notebook_entry: i64 = sqlx::query_scalar(
        "INSERT INTO notebook_entries (person, title, file_name, media_type, size_bytes, content, uploaded_by)
         VALUES ($1, 'Referto privato', 'r.pdf', 'application/pdf', 9, $2, $1) RETURNING id",
    )
    .bind(a)
    .bind(b"%PDF-1.7\n".to_vec())
    .fetch_one(pool)
    .await
    .expect("a notebook entry");
    Fixtures {
        booking: "ACC-BOOK-1".into(),
        waiting_list_entry: "ACC-WL-1".into(),
        offer,
        prescription: "0709TACCESS0001".into(),
        prevention_appointment: "ACC-PREV-1".into(),
        doctor_choice,
        kit: "ACC-KIT-1".into(),
        delegation,
        surgery_case,
        notification,
        position,
        receipt_file: format!("{notice}.pdf"),
        checkout: "ACC-CHK-1".into(),
        sandbox_session: "ACC-SBX-1".into(),
        document,
        notebook_entry,
    }
}

/// Everything a refused request must leave as it was (all but the audit
/// log, which records the refusal).
async fn state_of(pool: &AnyPool) -> String {
    let mut state = String::new();
    for sql in [
        "SELECT string_agg(id || status, ',' ORDER BY id) FROM bookings",
        "SELECT string_agg(id || status, ',' ORDER BY id) FROM waiting_list",
        "SELECT string_agg(id || coalesce(outcome, '-'), ',' ORDER BY id) FROM slot_offers",
        "SELECT string_agg(id || status, ',' ORDER BY id) FROM prevention_appointments",
        "SELECT string_agg(id || coalesce(ended_on, '-'), ',' ORDER BY id) FROM doctor_choices",
        "SELECT string_agg(id || status, ',' ORDER BY id) FROM fit_kits",
        "SELECT string_agg(id || coalesce(revoked_at, '-'), ',' ORDER BY id) FROM delegations",
        "SELECT string_agg(id || coalesce(withdrawn_at, '-'), ',' ORDER BY id) FROM surgery_authorisations",
        "SELECT string_agg(id || coalesce(read_at, '-'), ',' ORDER BY id) FROM notifications",
        "SELECT string_agg(id || status, ',' ORDER BY id) FROM payment_positions",
        "SELECT string_agg(id || status, ',' ORDER BY id) FROM payment_checkouts",
        "SELECT string_agg(id || status, ',' ORDER BY id) FROM sandbox_pagopa_sessions",
        "SELECT string_agg(id || '-' || obscured, ',' ORDER BY id) FROM fse_documents",
        "SELECT string_agg(CAST(id AS TEXT), ',' ORDER BY id) FROM notebook_entries",
        "SELECT count(*) FROM fse_consent_events",
        "SELECT count(*) FROM prescription_consent_events",
        "SELECT count(*) FROM income_exemption_declarations",
        "SELECT count(*) FROM dispensations",
    ] {
        let value: Option<String> = sqlx::query_scalar(&format!("SELECT CAST(({sql}) AS TEXT)"))
            .fetch_one(pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        state.push_str(&value.unwrap_or_default());
        state.push('|');
    }
    state
}

async fn refusals_in_log(pool: &AnyPool, owner: &str, actor: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE subject = $1 AND actor = $2 AND action = 'refused'")
        .bind(owner)
        .bind(actor)
        .fetch_one(pool)
        .await
        .expect("audit log")
}

/// The request of `route` with `{…}` replaced by `identifier` (or a
/// harmless value) and its form field, if any, carrying it.
async fn call(
    app: &TestApp,
    client: &reqwest::Client,
    route: &Route,
    identifier: Option<&str>,
) -> (u16, String, String) {
    let value = identifier.unwrap_or("1");
    let mut path = String::new();
    for segment in route.path.split('/').skip(1) {
        path.push('/');
        if segment.starts_with('{') {
            path.push_str(value);
        } else {
            path.push_str(segment);
        }
    }
    let mut path = if path.is_empty() { "/".to_string() } else { path };
    if let Query(name, _) = route.owned {
        path = format!("{path}?{name}={value}");
    }
    let mut form: Vec<(&str, &str)> = match route.owned {
        Field(name, _) => vec![(name, value)],
        _ => Vec::new(),
    };
    // The other fields a form needs, so that what is checked is the
    // identifier and not a missing field.
    form.extend_from_slice(match route.path {
        "/api/doctors" => &[("filter[only_available]", "false")],
        "/medico/scelta" => &[("doctor_id", "1")],
        "/agisci-per" => &[("return_to", "/")],
        "/prenotazioni/prenota" => &[("slot_id", "1")],
        "/fascicolo/documenti/{id}/oscuramento" => &[("obscured", "1")],
        "/interventi/{id}/autorizza" | "/interventi/{id}/ritira" => &[("persona", "RSSMRA80A01H501U")],
        _ => &[],
    });
    let request = match route.method {
        "GET" => client.get(app.url(&path)),
        _ => client
            .post(app.url(&path))
            .header("origin", &app.address)
            .header("sec-fetch-site", "same-origin")
            .form(&form),
    };
    let response = request.send().await.unwrap_or_else(|e| panic!("{} {path}: {e}", route.method));
    let status = response.status().as_u16();
    let target = location(&response);
    // A stream is not read to its end: its status and first bytes say enough.
    let body = if route.kind == Stream && status == 200 {
        String::new()
    } else {
        tokio::time::timeout(std::time::Duration::from_secs(5), response.text())
            .await
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default()
    };
    (status, target, body)
}

/// The page's main heading, to say what a failing answer was.
fn gist(body: &str) -> String {
    if std::env::var("ACCESS_TABLE_DUMP").is_ok() {
        let at = body.find("<main").unwrap_or(0);
        eprintln!("---\n{}\n---", &body[at..body.len().min(at + 3000)]);
    }
    let heading = body.split("<h1").nth(1).and_then(|rest| rest.split_once('>')).map(|(_, rest)| rest);
    heading.and_then(|rest| rest.split("</h1>").next()).unwrap_or_default().chars().take(80).collect()
}

/// Whether an answer refuses a caller who is not allowed.
fn refused(route: &Route, status: u16, target: &str, body: &str) -> bool {
    match route.kind {
        // A page refuses with the sign-in redirect, or with 403/404 and its
        // content replaced by the refusal.
        Page => {
            (status == 303 && target.starts_with("/auth/login"))
                || (matches!(status, 403 | 404) && body.contains(r#"role="alert""#))
        }
        // A form answers with a redirect that carries the notice, or with
        // 400/422 when the request cannot even be read (nothing runs).
        Form => matches!(status, 303 | 400 | 401 | 403 | 404 | 422),
        File | Stream => matches!(status, 303 | 401 | 403 | 404),
        // 422: arguments the decoder refuses before the function runs.
        Api => matches!(status, 401 | 403 | 404 | 422),
        Ingest => matches!(status, 401 | 403),
    }
}

#[tokio::test]
async fn every_route_refuses_who_may_not_call_it_and_another_persons_identifiers() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let people = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 3).await;
    let (a, b, c) = (&people[0], &people[1], &people[2]);
    let fixtures = arrange(&pool, &a.fiscal_code, &c.fiscal_code).await;
    let anonymous = browser();
    let citizen_b = app.sign_in(&idp, b).await;
    let a_full_name = format!("{} {}", a.given_name, a.family_name);

    let mut table = Vec::new();
    let mut failures = Vec::new();
    for route in TABLE {
        let mut checks = Vec::new();
        // Signed out.
        let (status, target, body) = call(&app, &anonymous, route, None).await;
        if status >= 500 {
            failures.push(format!("{} {} signed out: {status}", route.method, route.path));
        }
        match route.who {
            Anyone | Sandbox => checks.push(format!("signed out {status}")),
            Provider | Machine => {
                if !matches!(status, 401 | 403 | 415 | 422) {
                    failures.push(format!("{} {} without a token or signature: {status}", route.method, route.path));
                }
                checks.push(format!("no token {status}"));
            }
            _ => {
                if !refused(route, status, &target, &body) {
                    failures.push(format!("{} {} signed out: {status} {target}", route.method, route.path));
                }
                checks.push(format!("signed out {status}"));
            }
        }
        // A citizen where another role is needed (and a session cookie is
        // no token on the machine API).
        let record = match route.owned {
            Path(record) | Field(_, record) | Query(_, record) => Some(record),
            Owned::None => None,
        };
        if matches!(route.who, Pharmacist | Operator | Region | Machine) {
            // With the route's identifier, if it takes one: the role is
            // checked before anything is looked up.
            let identifier = record.map(|record| fixtures.identifier(record, a));
            let (status, target, body) = call(&app, &citizen_b, route, identifier.as_deref()).await;
            if status >= 500 || !refused(route, status, &target, &body) {
                failures.push(format!(
                    "{} {} as a citizen: {status} {target} {}",
                    route.method,
                    route.path,
                    gist(&body)
                ));
            }
            checks.push(format!("citizen {status}"));
        }
        // Another person's identifier.
        if let Some(record) = record {
            let identifier = fixtures.identifier(record, a);
            let before = state_of(&pool).await;
            let logged_before = refusals_in_log(&pool, &a.fiscal_code, &b.fiscal_code).await;
            let (status, target, body) = call(&app, &citizen_b, route, Some(&identifier)).await;
            let after = state_of(&pool).await;
            let logged = refusals_in_log(&pool, &a.fiscal_code, &b.fiscal_code).await - logged_before;
            if status >= 500 || !refused(route, status, &target, &body) && route.who != Sandbox {
                failures.push(format!(
                    "{} {} with A's {record:?}: {status} {target} {}",
                    route.method,
                    route.path,
                    gist(&body)
                ));
            }
            // A form may echo the fiscal code B typed; A's name is what must not show.
            let echoed = record == Person;
            if (!echoed && body.contains(&a.fiscal_code)) || body.contains(&a_full_name) {
                failures.push(format!("{} {} with A's {record:?} shows A's identity", route.method, route.path));
            }
            if before != after {
                failures.push(format!("{} {} with A's {record:?} changed the database", route.method, route.path));
            }
            // The sandbox stands for the provider's own site: not the portal's log.
            if route.who != Sandbox && logged < 1 {
                failures.push(format!("{} {} with A's {record:?}: not in A's access log", route.method, route.path));
            }
            checks.push(format!("A's {record:?} → {status}, nothing changed, A's log +{logged}"));
        }
        table.push(format!(
            "{:<5} {:<52} {:<10} {}",
            route.method,
            route.path,
            format!("{:?}", route.who),
            checks.join("; ")
        ));
    }
    println!("access table ({} routes):", TABLE.len());
    for line in &table {
        println!("{line}");
    }
    assert!(failures.is_empty(), "access table failures:\n{}", failures.join("\n"));
}
