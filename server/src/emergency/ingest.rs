//! `POST /ingest/v1/emergency/status`: a hospital system reports one ER
//! unit's occupancy. The body is read with the ingest toolkit
//! ([`crate::ingest::body`]) so the answer names every problem (422); the
//! write is idempotent by (client, `event_id`).

use app::emergency::model::{PerColour, Triage};
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::ingest::body::{capped, json_object, problem, text_field, time_field, Problem};

/// Counts above this are certainly a mistake of the sending system.
pub const MAX_COUNT: u64 = 999;
/// Mean waits above two days are certainly a mistake.
pub const MAX_WAIT_MINUTES: u64 = 2880;
/// Reports older than this are refused: the board keeps 12 hours.
pub const MAX_AGE: Duration = Duration::hours(24);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusReport {
    pub event_id: String,
    /// The facility code of the unit (`HUB-GASLINI`).
    pub unit: String,
    pub reported_at: DateTime<Utc>,
    pub waiting: PerColour<u32>,
    pub in_treatment: PerColour<u32>,
    pub mean_wait_minutes: PerColour<Option<u32>>,
}

/// Reads and checks a report; `now` bounds its time.
pub fn parse_report(body: &[u8], now: DateTime<Utc>) -> Result<StatusReport, Vec<Problem>> {
    let object = json_object(body)?;
    let object = &object;
    let mut problems = Vec::new();
    let event_id = text_field(object, "event_id", 100, &mut problems);
    let unit = text_field(object, "unit", 40, &mut problems);
    let reported_at = time_field(object, "reported_at", now, MAX_AGE, &mut problems);
    let waiting = counts(object.get("waiting"), "waiting", true, MAX_COUNT, &mut problems);
    let in_treatment = counts(object.get("in_treatment"), "in_treatment", true, MAX_COUNT, &mut problems);
    let mean_wait = match object.get("mean_wait_minutes") {
        None | Some(Value::Null) => Some([None; 5]),
        present => counts(present, "mean_wait_minutes", false, MAX_WAIT_MINUTES, &mut problems),
    };
    for name in object.keys() {
        if !["event_id", "unit", "reported_at", "waiting", "in_treatment", "mean_wait_minutes"].contains(&name.as_str())
        {
            problems.push(problem(name, "campo sconosciuto"));
        }
    }
    match (event_id, unit, reported_at, waiting, in_treatment, mean_wait) {
        (Some(event_id), Some(unit), Some(reported_at), Some(waiting), Some(in_treatment), Some(mean_wait))
            if problems.is_empty() =>
        {
            Ok(StatusReport {
                event_id,
                unit,
                reported_at,
                waiting: waiting.map(|v| v.unwrap_or(0)),
                in_treatment: in_treatment.map(|v| v.unwrap_or(0)),
                mean_wait_minutes: mean_wait,
            })
        }
        _ => Err(capped(problems)),
    }
}

/// `{"red": 0, "orange": 1, "light_blue": 3, "green": 7, "white": 2}`;
/// every colour required when `required`, otherwise each may be left out.
fn counts(
    value: Option<&Value>,
    name: &str,
    required: bool,
    max: u64,
    problems: &mut Vec<Problem>,
) -> Option<PerColour<Option<u32>>> {
    let Some(value) = value else {
        problems.push(problem(name, "campo obbligatorio mancante"));
        return None;
    };
    let Some(object) = value.as_object() else {
        problems.push(problem(name, "deve essere un oggetto con un numero per codice colore"));
        return None;
    };
    let before = problems.len();
    let mut result = [None; 5];
    for (i, triage) in Triage::ALL.iter().enumerate() {
        let field = format!("{name}.{}", triage.key());
        match object.get(triage.key()) {
            Some(Value::Number(n)) => match n.as_u64() {
                Some(n) if n <= max => result[i] = Some(n as u32),
                _ => problems.push(problem(&field, &format!("deve essere un numero intero da 0 a {max}"))),
            },
            None | Some(Value::Null) if !required => {}
            None => problems.push(problem(&field, "campo obbligatorio mancante")),
            Some(_) => problems.push(problem(&field, &format!("deve essere un numero intero da 0 a {max}"))),
        }
    }
    for key in object.keys() {
        if !Triage::ALL.iter().any(|t| t.key() == key) {
            problems.push(problem(
                &format!("{name}.{key}"),
                "codice colore sconosciuto: usa red, orange, light_blue, green, white",
            ));
        }
    }
    (problems.len() == before).then_some(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::body::{MAX_FIELD_CHARS, MAX_PROBLEMS};

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T14:10:00Z").expect("time").with_timezone(&Utc)
    }

    fn body(overrides: &[(&str, Value)]) -> Vec<u8> {
        let mut value = serde_json::json!({
            "event_id": "ev-1",
            "unit": "HUB-GASLINI",
            "reported_at": "2026-11-23T15:05:00+01:00",
            "waiting": {"red": 0, "orange": 1, "light_blue": 3, "green": 7, "white": 2},
            "in_treatment": {"red": 1, "orange": 2, "light_blue": 2, "green": 4, "white": 1},
            "mean_wait_minutes": {"green": 95, "white": 130}
        });
        for (key, replacement) in overrides {
            if replacement.is_null() {
                value.as_object_mut().expect("object").remove(*key);
            } else {
                value[*key] = replacement.clone();
            }
        }
        serde_json::to_vec(&value).expect("json")
    }

    fn fields(result: Result<StatusReport, Vec<Problem>>) -> Vec<String> {
        result.expect_err("refused").into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_good_report_is_read_with_its_time_in_utc() {
        let report = parse_report(&body(&[]), now()).expect("valid");
        assert_eq!(report.unit, "HUB-GASLINI");
        assert_eq!(report.reported_at.to_rfc3339(), "2026-11-23T14:05:00+00:00");
        assert_eq!(report.waiting, [0, 1, 3, 7, 2]);
        assert_eq!(report.mean_wait_minutes, [None, None, None, Some(95), Some(130)]);
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let bad = body(&[
            ("event_id", Value::String(" ".into())),
            ("unit", Value::Null),
            ("waiting", serde_json::json!({"red": -1, "orange": 1.5, "light_blue": 3, "green": 7, "blu": 1})),
            ("extra", Value::Bool(true)),
        ]);
        assert_eq!(
            fields(parse_report(&bad, now())),
            ["event_id", "unit", "waiting.red", "waiting.orange", "waiting.white", "waiting.blu", "extra"]
        );
    }

    #[test]
    fn counts_are_bounded() {
        let bad = body(&[(
            "in_treatment",
            serde_json::json!({"red": 1000, "orange": 0, "light_blue": 0, "green": 0, "white": 0}),
        )]);
        assert_eq!(fields(parse_report(&bad, now())), ["in_treatment.red"]);
    }

    #[test]
    fn times_in_the_future_too_old_or_unreadable_are_refused() {
        for time in ["2026-11-23T14:12:01Z", "2026-11-22T14:09:59Z", "23/11/2026 14:05"] {
            let bad = body(&[("reported_at", Value::String(time.into()))]);
            assert_eq!(fields(parse_report(&bad, now())), ["reported_at"], "{time}");
        }
        let edge = body(&[("reported_at", Value::String("2026-11-23T14:12:00Z".into()))]);
        assert!(parse_report(&edge, now()).is_ok());
    }

    #[test]
    fn not_json_or_not_an_object_is_one_problem() {
        assert_eq!(fields(parse_report(b"{", now())), [""]);
        assert_eq!(fields(parse_report(b"[1]", now())), [""]);
    }

    #[test]
    fn a_repeated_key_is_refused_at_any_depth_and_named() {
        let top = br#"{"unit": "HUB-GASLINI", "event_id": "e", "unit": "HUB-SANMARTINO"}"#;
        assert_eq!(fields(parse_report(top, now())), ["unit"]);
        let nested = br#"{"waiting": {"red": 1, "green": 2, "red": 0}}"#;
        let problems = parse_report(nested, now()).expect_err("repeated");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "waiting.red");
        assert!(problems[0].message.contains("ripetuto"));
        let in_a_list = br#"{"a": [{"b": {"c": 1, "c": 1}}]}"#;
        assert_eq!(json_object(in_a_list).expect_err("repeated")[0].field, "a[0].b.c");
        // The same key in two different objects is fine.
        assert!(json_object(br#"{"a": {"k": 1}, "b": {"k": 1}}"#).is_ok());
    }

    #[test]
    fn deep_nesting_huge_numbers_and_nul_are_problems_not_panics() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(fields(parse_report(deep.as_bytes(), now())), [""]);
        let deep_objects = format!("{}1{}", r#"{"a":"#.repeat(5_000), "}".repeat(5_000));
        assert_eq!(fields(parse_report(deep_objects.as_bytes(), now())), [""]);
        assert_eq!(fields(parse_report(br#"{"waiting": 1e400}"#, now())), [""]);
        let huge = body(&[(
            "waiting",
            serde_json::json!({"red": 1e300, "orange": 1.8446744073709552e19, "light_blue": i64::MIN, "green": "7",
                               "white": [0]}),
        )]);
        assert_eq!(
            fields(parse_report(&huge, now())),
            ["waiting.red", "waiting.orange", "waiting.light_blue", "waiting.green", "waiting.white"]
        );
        let nul = body(&[("event_id", Value::String("ev\u{0}1".into()))]);
        assert_eq!(fields(parse_report(&nul, now())), ["event_id"]);
    }

    #[test]
    fn invisible_and_reversing_text_is_refused_naming_the_field() {
        for text in ["HUB-\u{202E}INILSAG", "HUB-GASLINI\u{200B}", "\u{FEFF}HUB-GASLINI", "HUB\u{E000}", "HUB\nX"] {
            let bad = body(&[("unit", Value::String(text.into()))]);
            let problems = parse_report(&bad, now()).expect_err(text);
            assert_eq!(problems.len(), 1, "{text:?}");
            assert_eq!(problems[0].field, "unit");
            assert!(problems[0].message.contains("«unit»"), "{}", problems[0].message);
        }
    }

    #[test]
    fn thousands_of_unknown_keys_give_twenty_problems_and_a_count() {
        let mut value: serde_json::Map<String, Value> =
            serde_json::from_slice(&body(&[])).expect("the good body is an object");
        for i in 0..80_000 {
            value.insert(format!("k{i}"), Value::from(0));
        }
        value.insert("x".repeat(100_000), Value::from(0));
        let bytes = serde_json::to_vec(&value).expect("json");
        let problems = parse_report(&bytes, now()).expect_err("unknown keys");
        assert_eq!(problems.len(), MAX_PROBLEMS + 1);
        assert_eq!(problems[MAX_PROBLEMS].message, "e altri 79981 problemi");
        assert!(problems.iter().all(|p| p.field.chars().count() <= MAX_FIELD_CHARS + 1));
        assert!(serde_json::to_vec(&problems).expect("json").len() < 4_000);
    }
}
