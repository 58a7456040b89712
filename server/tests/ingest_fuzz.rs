//! HTTP fuzzing of the machine-facing write endpoints (security review,
//! issue 27): the three ingest APIs and the pagoPA outcome callback get a
//! few thousand bodies from a fixed seed (deep nesting, huge numbers,
//! Unicode edge cases, NUL, wrong types, repeated keys, wrong content
//! types, random mutations of valid bodies). Whatever arrives, the portal
//! answers below 500, and a refused body stores no row.
//!
//! `INGEST_FUZZ_SEED=<n>` replays another seed; `INGEST_FUZZ_CASES=<n>`
//! changes the number of cases per endpoint.

mod common;

use app::surgery::model::Phase;
use chrono::{SecondsFormat, Utc};
use common::{demo_citizens, spawn_app_with_idp, ADULT_WITHOUT_CHILDREN};
use serde_json::{json, Map, Value};
use server::config::SANDBOX_CALLBACK_SECRET;
use server::payments::provider::{sign, SIGNATURE_HEADER};

const DEFAULT_SEED: u64 = 0x2027_5EC0_11A5_0027;
const DEFAULT_CASES_PER_ENDPOINT: usize = 1_250;

/// Rows a write endpoint may add. The pagoPA journal keeps, by design,
/// every signed and well-formed outcome that reached the portal, also for a
/// checkout it does not know (for support and reconciliation): those
/// entries are not data from a refused body and are left out.
const WATCHED: [&str; 9] = [
    "er_status_reports",
    "surgery_cases",
    "surgery_events",
    "surgery_authorisations",
    "screening_events",
    "payment_outcome_events WHERE effect <> 'unknown_checkout'",
    "payment_receipts",
    "notifications",
    "audit_log",
];

/// SplitMix64: small, fast, and the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Endpoint {
    Emergency,
    Surgery,
    Screening,
    PagoPa,
}

impl Endpoint {
    fn path(self) -> &'static str {
        match self {
            Endpoint::Emergency => "/ingest/v1/emergency/status",
            Endpoint::Surgery => "/ingest/v1/surgery/events",
            Endpoint::Screening => "/ingest/v1/screening/events",
            Endpoint::PagoPa => "/pagopa/v1/esiti",
        }
    }
}

/// What the valid bodies need from the demo region.
struct Fixtures {
    patient: String,
    kit: String,
}

fn now_text(minutes_ago: i64) -> String {
    (Utc::now() - chrono::Duration::minutes(minutes_ago)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A body the endpoint accepts (or refuses only for what it refers to).
fn valid_body(endpoint: Endpoint, rng: &mut Rng, case: usize, fixtures: &Fixtures) -> Map<String, Value> {
    let event_id = format!("fuzz-{case}-{}", rng.next() % 1000);
    let body = match endpoint {
        Endpoint::Emergency => {
            let count = |rng: &mut Rng| rng.below(20);
            json!({
                "event_id": event_id,
                "unit": rng.pick(&["HUB-GASLINI", "HUB-SANMARTINO", "OSP-LAVAGNA", "OSP-SANREMO"]),
                "reported_at": now_text(rng.below(60) as i64),
                "waiting": {"red": count(rng), "orange": count(rng), "light_blue": count(rng), "green": count(rng), "white": count(rng)},
                "in_treatment": {"red": count(rng), "orange": count(rng), "light_blue": count(rng), "green": count(rng), "white": count(rng)},
                "mean_wait_minutes": {"green": rng.below(300), "white": rng.below(300)}
            })
        }
        Endpoint::Surgery => {
            let phase = rng.pick(&Phase::ALL).code();
            let mut event = json!({
                "event_id": event_id,
                "hospital": "HUB-SANMARTINO",
                "case_id": format!("FUZZ-{}", rng.below(50)),
                "phase": phase,
                "at": now_text(rng.below(60) as i64),
            });
            if rng.chance(70) {
                event["patient"] = json!(fixtures.patient);
                event["authorised"] = json!([fixtures.patient]);
            }
            event
        }
        Endpoint::Screening => {
            let kind = *rng.pick(&["kit_ready", "kit_collected", "sample_returned", "result"]);
            let mut event = json!({ "event_id": event_id, "kind": kind, "reference": fixtures.kit, "at": now_text(1) });
            if kind == "result" {
                event["result"] =
                    json!({"haemoglobin_ng_ml": rng.below(300), "report": "Esito del test.\nNessuna azione."});
            }
            event
        }
        Endpoint::PagoPa => json!({
            "event_id": event_id,
            "checkout_id": format!("chk-fuzz-{}", rng.below(100)),
            "outcome": rng.pick(&["pending", "paid", "failed", "cancelled", "expired"]),
            "receipts": [{
                "receipt_id": format!("rcp-{case}"),
                "notice_code": "302000000000000142",
                "creditor_fiscal_code": "03399650104",
                "amount_cents": 3615,
                "psp": "Banca di prova",
                "paid_at": now_text(1),
            }],
        }),
    };
    match body {
        Value::Object(object) => object,
        _ => unreachable!("bodies are objects"),
    }
}

/// Strings that have broken parsers, pages and logs before.
const NASTY_STRINGS: [&str; 24] = [
    "",
    " ",
    "\u{0}",
    "HUB-GASLINI\u{0}",
    "x\nFORGED log line",
    "x\r\nSet-Cookie: a=b",
    "Referto \u{202E}gnp.exe",
    "\u{2066}HUB-GASLINI\u{2069}",
    "HUB\u{200B}-GASLINI",
    "\u{FEFF}HUB-GASLINI",
    "\u{E000}\u{F8FF}",
    "\u{FFFF}\u{FDD0}\u{10FFFF}",
    "\u{E0041}\u{E0042}",
    "\u{1B}[31mrosso",
    "\u{85}\u{2028}\u{2029}",
    "e\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}",
    "🩺👨\u{200D}👩\u{200D}👧",
    "ǅǈǋ ﬀ ß İ",
    "<script>alert(1)</script>",
    "'; DROP TABLE er_status_reports; --",
    "../../etc/passwd",
    "%00%0A%E2%80%AE",
    "9999-12-31T23:59:59-23:59",
    "0000-01-01T00:00:00Z",
];

/// Number literals as raw JSON text (some are outside every type).
const NASTY_NUMBERS: [&str; 14] = [
    "-1",
    "1.5",
    "0.0000001",
    "-0",
    "1e308",
    "1e400",
    "-1e400",
    "18446744073709551616",
    "-9223372036854775809",
    "99999999999999999999999999999999999999999",
    "4294967296",
    "1000",
    "1E2",
    "123456789012345678901234567890e-30",
];

fn nasty_string(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => "x".repeat(1 + rng.below(20_000)),
        1 => {
            // Random code points, valid scalar values only (serde_json
            // would escape them anyway).
            (0..1 + rng.below(40)).filter_map(|_| char::from_u32((rng.next() % 0x11_0000) as u32)).collect()
        }
        _ => rng.pick(&NASTY_STRINGS).to_string(),
    }
}

/// A JSON value as raw text: any type, possibly nested deeply.
fn nasty_value_text(rng: &mut Rng) -> String {
    match rng.below(9) {
        0 => rng.pick(&NASTY_NUMBERS).to_string(),
        1 => serde_json::to_string(&nasty_string(rng)).unwrap_or_default(),
        2 => {
            let depth = 1 + rng.below(400);
            format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
        }
        3 => {
            let depth = 1 + rng.below(400);
            format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
        }
        4 => rng.pick(&["true", "false", "null", "[]", "{}", "[null]", "{\"\":null}"]).to_string(),
        5 => format!("\"{}\"", rng.pick(&["\\ud800", "\\udfff", "\\u0000", "\\u202e", "\\uFEFF", "\\uD83D\\uDE00"])),
        6 => format!("[{}]", (0..rng.below(50)).map(|i| i.to_string()).collect::<Vec<_>>().join(",")),
        7 => format!("{{\"red\":{},\"red\":0}}", rng.below(5)),
        _ => rng.pick(&NASTY_NUMBERS).to_string(),
    }
}

/// `object` as JSON text with one member's value replaced by raw `value`
/// (which may be invalid JSON on purpose).
fn with_raw_member(object: &Map<String, Value>, key: &str, value: &str) -> String {
    let mut members: Vec<String> = object
        .iter()
        .filter(|(k, _)| k.as_str() != key)
        .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), v))
        .collect();
    members.push(format!("{}:{value}", Value::String(key.to_string())));
    format!("{{{}}}", members.join(","))
}

struct Case {
    body: Vec<u8>,
    content_type: Option<&'static str>,
    kind: &'static str,
    /// Refused whatever else it holds (a repeated key, a body not declared
    /// as JSON): never a 2xx.
    must_refuse: bool,
}

fn json_case(body: String, kind: &'static str) -> Case {
    Case { body: body.into_bytes(), content_type: Some("application/json"), kind, must_refuse: false }
}

fn refused_case(body: String, kind: &'static str) -> Case {
    Case { must_refuse: true, ..json_case(body, kind) }
}

fn make_case(endpoint: Endpoint, rng: &mut Rng, case: usize, fixtures: &Fixtures) -> Case {
    let valid = valid_body(endpoint, rng, case, fixtures);
    let keys: Vec<String> = valid.keys().cloned().collect();
    let valid_text = Value::Object(valid.clone()).to_string();
    match rng.below(14) {
        0 => json_case(valid_text, "valid"),
        1 | 2 => {
            // One field gets a value of another type, size or depth.
            let key = rng.pick(&keys).clone();
            json_case(with_raw_member(&valid, &key, &nasty_value_text(rng)), "field replaced")
        }
        3 => {
            // A nested field (a count, a result, a receipt) replaced.
            let mut body = valid.clone();
            let nested: Vec<String> = body.iter().filter(|(_, v)| v.is_object()).map(|(k, _)| k.clone()).collect();
            match nested.first() {
                Some(key) => {
                    let inner = body.get(key).and_then(Value::as_object).cloned().unwrap_or_default();
                    let inner_key = inner.keys().next().cloned().unwrap_or_else(|| "red".into());
                    let inner_text = with_raw_member(&inner, &inner_key, &nasty_value_text(rng));
                    body.remove(key);
                    json_case(with_raw_member(&body, key, &inner_text), "nested field replaced")
                }
                None => json_case(with_raw_member(&valid, "receipts", &nasty_value_text(rng)), "list replaced"),
            }
        }
        4 => {
            // A repeated key: the first copy valid, the second another value.
            let key = rng.pick(&keys).clone();
            let first = valid.get(&key).cloned().unwrap_or(Value::Null);
            let text = valid_text.trim_start_matches('{');
            let repeated = format!("{{{}:{},{text}", Value::String(key.clone()), first);
            refused_case(repeated, "repeated key")
        }
        5 => {
            // A repeated key inside an object member.
            let text = valid_text.replacen(":{\"", ":{\"red\":1,\"red\":2,\"", 1);
            let repeated = text != valid_text;
            Case { must_refuse: repeated, ..json_case(text, "nested repeated key") }
        }
        6 => {
            // Missing fields, unknown fields (sometimes thousands).
            let mut body = valid.clone();
            for _ in 0..rng.below(3) {
                let key = rng.pick(&keys).clone();
                body.remove(&key);
            }
            let unknown = if rng.chance(20) { 5_000 + rng.below(20_000) } else { rng.below(5) };
            for i in 0..unknown {
                body.insert(format!("campo_{i}_{}", rng.next() % 97), Value::from(i));
            }
            json_case(Value::Object(body).to_string(), "missing and unknown fields")
        }
        7 => {
            // Every string field replaced with a nasty string.
            let mut body = valid.clone();
            for value in body.values_mut() {
                if value.is_string() && rng.chance(60) {
                    *value = Value::String(nasty_string(rng));
                }
            }
            json_case(Value::Object(body).to_string(), "nasty strings")
        }
        8 | 9 => {
            // Random byte mutations of a valid body (invalid UTF-8 included).
            let mut bytes = valid_text.into_bytes();
            for _ in 0..1 + rng.below(6) {
                let at = rng.below(bytes.len() + 1);
                match rng.below(4) {
                    0 if at < bytes.len() => bytes[at] = (rng.next() % 256) as u8,
                    1 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    2 => bytes.insert(at, *rng.pick(b"{}[]\",:\\0 \x00\xff\xc3\xe2")),
                    _ => bytes.truncate(at),
                }
            }
            Case { body: bytes, content_type: Some("application/json"), kind: "byte mutation", must_refuse: false }
        }
        10 => {
            // The right body, the wrong (or no) content type.
            let content_type = *rng.pick(&[
                None,
                Some("text/plain"),
                Some("application/x-www-form-urlencoded"),
                Some("multipart/form-data; boundary=x"),
                Some("application/jsonx"),
                Some("application/json; charset=utf-16"),
                Some("APPLICATION/JSON"),
                Some("text/json"),
            ]);
            // The pagoPA callback is told apart by its signature, not by
            // its content type.
            let json = content_type.is_some_and(|t| {
                t.to_ascii_lowercase().starts_with("application/json;") || t.eq_ignore_ascii_case("application/json")
            });
            let must_refuse = !json && endpoint != Endpoint::PagoPa;
            Case { body: valid_text.into_bytes(), content_type, kind: "content type", must_refuse }
        }
        11 => {
            // Not an object at all.
            let depth = 10_000 + rng.below(100_000);
            let text = match rng.below(8) {
                0 => String::new(),
                1 => "null".into(),
                2 => "[]".into(),
                3 => "\"testo\"".into(),
                4 => "[".repeat(depth),
                5 => format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
                6 => format!("\u{FEFF}{valid_text}"),
                _ => format!("{valid_text} {valid_text}"),
            };
            json_case(text, "not an object")
        }
        12 => {
            // Random bytes.
            let bytes = (0..rng.below(2_000)).map(|_| (rng.next() % 256) as u8).collect();
            Case { body: bytes, content_type: Some("application/json"), kind: "random bytes", must_refuse: false }
        }
        _ => {
            // Times and numbers at the edges of every type.
            let mut body = valid.clone();
            for key in &keys {
                if rng.chance(40) {
                    let edges = [
                        json!("2026-02-30T10:00:00Z"),
                        json!("+275760-09-13T00:00:00Z"),
                        json!("2026-11-23T14:05:00+25:00"),
                        json!(now_text(-120)),
                        json!(now_text(60 * 24 * 400)),
                        json!(u64::MAX),
                        json!(i64::MIN),
                        json!(f64::MAX),
                        json!(-0.0),
                    ];
                    body.insert(key.clone(), rng.pick(&edges).clone());
                }
            }
            json_case(Value::Object(body).to_string(), "edge values")
        }
    }
}

async fn counts(pool: &sqlx::AnyPool) -> Vec<i64> {
    let columns: Vec<String> = WATCHED.iter().map(|table| format!("(SELECT count(*) FROM {table})")).collect();
    let row: sqlx::any::AnyRow =
        sqlx::query(&format!("SELECT {}", columns.join(", "))).fetch_one(pool).await.expect("counts");
    use sqlx::Row;
    (0..WATCHED.len()).map(|i| row.get::<i64, _>(i)).collect()
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

#[tokio::test]
async fn fuzzed_bodies_never_cause_a_server_error_nor_store_a_refused_body() {
    let (app, idp) = spawn_app_with_idp(|settings| {
        settings.pagopa_reconcile_after = std::time::Duration::from_secs(3600);
    })
    .await;
    let pool = app.db().await;
    let patient = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 1).await.remove(0).fiscal_code;
    let kit: Option<String> =
        sqlx::query_scalar("SELECT code FROM fit_kits ORDER BY id LIMIT 1").fetch_optional(&pool).await.expect("kit");
    let fixtures = Fixtures { patient, kit: kit.unwrap_or_else(|| "KIT-FUZZ0001".into()) };
    let tokens = [
        (Endpoint::Emergency, idp.machine_token("flusso-regionale-ps", "emergency:write")),
        (Endpoint::Surgery, idp.machine_token("ospedale-san-martino", "emergency:write surgery:write")),
        (Endpoint::Screening, idp.machine_token("centro-screening-liguria", "screening:write")),
        (Endpoint::PagoPa, String::new()),
    ];
    let seed = env_number("INGEST_FUZZ_SEED", DEFAULT_SEED);
    let per_endpoint = env_number("INGEST_FUZZ_CASES", DEFAULT_CASES_PER_ENDPOINT as u64) as usize;
    let mut rng = Rng(seed);
    let client = reqwest::Client::new();
    let started = std::time::Instant::now();

    let mut cases = 0;
    let mut server_errors = Vec::new();
    let mut stored_when_refused = Vec::new();
    let mut accepted_but_invalid = Vec::new();
    let mut statuses = std::collections::BTreeMap::new();
    let mut before = counts(&pool).await;
    for case in 0..per_endpoint * tokens.len() {
        let (endpoint, token) = &tokens[case % tokens.len()];
        let made = make_case(*endpoint, &mut rng, case, &fixtures);
        let mut request = client.post(app.url(endpoint.path())).body(made.body.clone());
        if let Some(content_type) = made.content_type {
            request = request.header("content-type", content_type);
        }
        if *endpoint == Endpoint::PagoPa {
            // Mostly well signed, so that the body itself is what is tested.
            let signature = if rng.chance(85) {
                sign(SANDBOX_CALLBACK_SECRET.as_bytes(), &made.body)
            } else {
                rng.pick(&["sha256=00", "sha256=zz", "", "md5=1"]).to_string()
            };
            request = request.header(SIGNATURE_HEADER, signature);
        } else {
            request = request.bearer_auth(token);
        }
        let status = request.send().await.expect("the server answers").status().as_u16();
        cases += 1;
        *statuses.entry((endpoint.path(), status)).or_insert(0) += 1;
        let after = counts(&pool).await;
        let preview = String::from_utf8_lossy(&made.body).chars().take(200).collect::<String>();
        if status >= 500 {
            server_errors.push(format!("{} {status} [{}] {preview:?}", endpoint.path(), made.kind));
        }
        if made.must_refuse && (200..300).contains(&status) {
            accepted_but_invalid.push(format!("{} {status} [{}] {preview:?}", endpoint.path(), made.kind));
        }
        if !(200..300).contains(&status) && after != before {
            stored_when_refused.push(format!(
                "{} {status} [{}] {before:?} → {after:?} {preview:?}",
                endpoint.path(),
                made.kind
            ));
        }
        before = after;
    }

    println!("answers by endpoint and status: {statuses:?}");
    println!(
        "ingest fuzz: {cases} cases, {} server errors, {} rows from refused bodies (seed {seed:#x}, {:.1} s)",
        server_errors.len(),
        stored_when_refused.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(server_errors.is_empty(), "server errors:\n{}", server_errors.join("\n"));
    assert!(stored_when_refused.is_empty(), "rows stored from refused bodies:\n{}", stored_when_refused.join("\n"));
    assert!(accepted_but_invalid.is_empty(), "accepted:\n{}", accepted_but_invalid.join("\n"));
    // The fuzzer reached the validators, not only the guards.
    for endpoint in [Endpoint::Emergency, Endpoint::Surgery, Endpoint::Screening, Endpoint::PagoPa] {
        let refused_by_validation = statuses.get(&(endpoint.path(), 422)).copied().unwrap_or(0);
        assert!(refused_by_validation > 50, "{}: only {refused_by_validation} answers 422", endpoint.path());
    }
}
