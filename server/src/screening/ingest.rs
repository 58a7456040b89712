//! `POST /ingest/v1/screening/events`: the regional screening centre
//! reports the steps of a FIT kit (ready at the pharmacy, collected, sample
//! returned) and the results of kits and appointments. Only a client with a
//! grant ([`granted`], `ingest_screening_grants`) may send, whatever its
//! token's scope; a body is checked field by field (422 names every
//! problem); idempotent by (client, `event_id`).

use app::domain::screening::ScreeningResult;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use sqlx::AnyPool;

use crate::ingest::body::{capped, json_object, multiline_text_field, problem, text_field, time_field, Problem};

/// Events older than this are refused.
pub const MAX_AGE: Duration = Duration::days(90);
/// Largest haemoglobin concentration a FIT analyser reports (ng/mL).
pub const MAX_HAEMOGLOBIN_NG_ML: u64 = 10_000;
/// Longest report text.
pub const MAX_REPORT_CHARS: usize = 2_000;

/// Whether `client_id` may send screening events: the scope
/// `screening:write` says what a token is for, the grant which client the
/// region accepts it from (operators grant; the demo region seeds its
/// screening centre). Like `ingest_er_grants` and `ingest_surgery_grants`,
/// but per client: screening has no facility to grant for.
pub async fn granted(pool: &AnyPool, client_id: &str) -> Result<bool, sqlx::Error> {
    let row: Option<i64> = sqlx::query_scalar("SELECT 1 FROM ingest_screening_grants WHERE client_id = $1")
        .bind(client_id)
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    KitReady,
    KitCollected,
    SampleReturned,
    Result,
}

impl EventKind {
    pub const ALL: [EventKind; 4] =
        [EventKind::KitReady, EventKind::KitCollected, EventKind::SampleReturned, EventKind::Result];

    pub fn code(self) -> &'static str {
        match self {
            EventKind::KitReady => "kit_ready",
            EventKind::KitCollected => "kit_collected",
            EventKind::SampleReturned => "sample_returned",
            EventKind::Result => "result",
        }
    }

    fn from_code(code: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// What a result says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultReport {
    /// Given for appointments; for kits computed from the haemoglobin.
    pub outcome: Option<ScreeningResult>,
    pub haemoglobin_ng_ml: Option<u32>,
    pub report: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScreeningEvent {
    pub event_id: String,
    pub kind: EventKind,
    /// A kit code (`KIT-…`) or an appointment code (`SC-…`).
    pub reference: String,
    pub at: DateTime<Utc>,
    pub result: Option<ResultReport>,
}

const FIELDS: [&str; 5] = ["event_id", "kind", "reference", "at", "result"];
const RESULT_FIELDS: [&str; 3] = ["outcome", "haemoglobin_ng_ml", "report"];

fn result_report(value: &Value, problems: &mut Vec<Problem>) -> Option<ResultReport> {
    let Value::Object(object) = value else {
        problems.push(problem("result", "deve essere un oggetto con outcome, haemoglobin_ng_ml e report"));
        return None;
    };
    for name in object.keys() {
        if !RESULT_FIELDS.contains(&name.as_str()) {
            problems.push(problem(&format!("result.{name}"), "campo sconosciuto"));
        }
    }
    let outcome = match object.get("outcome") {
        None | Some(Value::Null) => None,
        Some(Value::String(code)) => {
            let outcome = ScreeningResult::from_code(code);
            if outcome.is_none() {
                problems.push(problem("result.outcome", "esito sconosciuto: usa negative, positive o inadequate"));
            }
            outcome
        }
        Some(_) => {
            problems.push(problem("result.outcome", "deve essere un testo: negative, positive o inadequate"));
            None
        }
    };
    let haemoglobin_ng_ml = match object.get("haemoglobin_ng_ml") {
        None | Some(Value::Null) => None,
        Some(value) => match value.as_u64().filter(|v| *v <= MAX_HAEMOGLOBIN_NG_ML) {
            Some(v) => Some(v as u32),
            None => {
                problems.push(problem(
                    "result.haemoglobin_ng_ml",
                    &format!("deve essere un numero intero da 0 a {MAX_HAEMOGLOBIN_NG_ML}"),
                ));
                None
            }
        },
    };
    let report = match object.get("report") {
        None | Some(Value::Null) => None,
        Some(_) => multiline_text_field(object, "report", MAX_REPORT_CHARS, problems),
    };
    if outcome.is_none() && haemoglobin_ng_ml.is_none() && problems.is_empty() {
        problems.push(problem("result", "indica outcome, oppure haemoglobin_ng_ml per il test FIT"));
    }
    Some(ResultReport { outcome, haemoglobin_ng_ml, report })
}

/// Reads and checks an event; `now` bounds its time.
pub fn parse_event(body: &[u8], now: DateTime<Utc>) -> Result<ScreeningEvent, Vec<Problem>> {
    let object = json_object(body)?;
    let object = &object;
    let mut problems = Vec::new();
    let event_id = text_field(object, "event_id", 100, &mut problems);
    let kind = text_field(object, "kind", 40, &mut problems).and_then(|code| {
        let kind = EventKind::from_code(&code);
        if kind.is_none() {
            let known = EventKind::ALL.map(EventKind::code).join(", ");
            problems.push(problem("kind", &format!("evento sconosciuto: usa uno di {known}")));
        }
        kind
    });
    let reference = text_field(object, "reference", 40, &mut problems).filter(|code| {
        let fine = code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !fine {
            problems
                .push(problem("reference", "solo lettere, cifre e trattini: il codice del kit o dell'appuntamento"));
        }
        fine
    });
    let at = time_field(object, "at", now, MAX_AGE, &mut problems);
    let result = match (object.get("result"), kind) {
        (None | Some(Value::Null), Some(EventKind::Result)) => {
            problems.push(problem("result", "obbligatorio per un evento result"));
            None
        }
        (None | Some(Value::Null), _) => None,
        (Some(_), Some(kind)) if kind != EventKind::Result => {
            problems.push(problem("result", "solo per un evento result"));
            None
        }
        (Some(value), _) => result_report(value, &mut problems),
    };
    for name in object.keys() {
        if !FIELDS.contains(&name.as_str()) {
            problems.push(problem(name, "campo sconosciuto"));
        }
    }
    match (event_id, kind, reference, at) {
        (Some(event_id), Some(kind), Some(reference), Some(at)) if problems.is_empty() => {
            Ok(ScreeningEvent { event_id, kind, reference: reference.to_ascii_uppercase(), at, result })
        }
        _ => Err(capped(problems)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").expect("time").with_timezone(&Utc)
    }

    fn fields(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn a_kit_result_is_read() {
        let body = br#"{"event_id":"e1","kind":"result","reference":"kit-1a2b","at":"2026-11-23T09:00:00Z",
                        "result":{"haemoglobin_ng_ml":35}}"#;
        let event = parse_event(body, now()).expect("valid");
        assert_eq!(event.kind, EventKind::Result);
        assert_eq!(event.reference, "KIT-1A2B");
        assert_eq!(event.result.and_then(|r| r.haemoglobin_ng_ml), Some(35));
    }

    #[test]
    fn every_problem_is_named() {
        let body =
            br#"{"event_id":"","kind":"boh","reference":"KIT 1","at":"ieri","result":{"outcome":"forse"},"nome":"x"}"#;
        let problems = parse_event(body, now()).expect_err("invalid");
        for field in ["event_id", "kind", "reference", "at", "result.outcome", "nome"] {
            assert!(fields(&problems).contains(&field), "{field}: {problems:?}");
        }
    }

    #[test]
    fn results_belong_to_result_events_only() {
        let missing = br#"{"event_id":"e","kind":"result","reference":"KIT-1","at":"2026-11-23T09:00:00Z"}"#;
        assert_eq!(fields(&parse_event(missing, now()).expect_err("no result")), vec!["result"]);
        let extra = br#"{"event_id":"e","kind":"kit_ready","reference":"KIT-1","at":"2026-11-23T09:00:00Z","result":{"outcome":"negative"}}"#;
        assert_eq!(fields(&parse_event(extra, now()).expect_err("result on a step")), vec!["result"]);
        let empty = br#"{"event_id":"e","kind":"result","reference":"KIT-1","at":"2026-11-23T09:00:00Z","result":{}}"#;
        assert_eq!(fields(&parse_event(empty, now()).expect_err("empty result")), vec!["result"]);
        let huge = br#"{"event_id":"e","kind":"result","reference":"KIT-1","at":"2026-11-23T09:00:00Z","result":{"haemoglobin_ng_ml":-3}}"#;
        assert_eq!(fields(&parse_event(huge, now()).expect_err("negative")), vec!["result.haemoglobin_ng_ml"]);
    }

    #[test]
    fn a_report_may_span_lines_but_never_hides_or_reverses_text() {
        let event = |report: &str| {
            serde_json::json!({"event_id": "e", "kind": "result", "reference": "KIT-1", "at": "2026-11-23T09:00:00Z",
                               "result": {"haemoglobin_ng_ml": 35, "report": report}})
            .to_string()
        };
        let read = parse_event(event("Esito negativo.\r\nNessuna azione.").as_bytes(), now()).expect("valid");
        assert_eq!(read.result.and_then(|r| r.report).as_deref(), Some("Esito negativo.\r\nNessuna azione."));
        for bad in ["Esito \u{202E}ovitagen", "Esito\u{0}", "Esito\u{200D}negativo", "a\rb"] {
            let problems = parse_event(event(bad).as_bytes(), now()).expect_err(bad);
            assert_eq!(fields(&problems), vec!["report"], "{bad:?}");
        }
    }

    #[test]
    fn a_repeated_key_inside_the_result_is_refused() {
        let body = br#"{"event_id":"e","kind":"result","reference":"KIT-1","at":"2026-11-23T09:00:00Z",
                        "result":{"haemoglobin_ng_ml":35,"haemoglobin_ng_ml":350}}"#;
        assert_eq!(fields(&parse_event(body, now()).expect_err("repeated")), vec!["result.haemoglobin_ng_ml"]);
    }
}
