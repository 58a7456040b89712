//! `POST /ingest/v1/emergency/status`: a hospital system reports one ER
//! unit's occupancy. The body is checked field by field so the answer names
//! every problem (422); the write is idempotent by (client, `event_id`).

use app::emergency::model::{PerColour, Triage};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::Value;

/// Counts above this are certainly a mistake of the sending system.
pub const MAX_COUNT: u64 = 999;
/// Mean waits above two days are certainly a mistake.
pub const MAX_WAIT_MINUTES: u64 = 2880;
/// Reports dated further ahead than this (clock skew) are refused.
pub const MAX_AHEAD: Duration = Duration::minutes(2);
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

/// One problem of a body: the JSON path of the field and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

pub fn problem(field: &str, message: &str) -> Problem {
    Problem { field: field.to_string(), message: message.to_string() }
}

/// The body as a JSON object, or the one problem that it is not.
pub fn json_object(body: &[u8]) -> Result<serde_json::Map<String, Value>, Vec<Problem>> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(vec![problem("", "il corpo deve essere un oggetto JSON")]),
        Err(error) => Err(vec![problem("", &format!("il corpo non è JSON valido: {error}"))]),
    }
}

/// A required, non-empty text of at most `max` characters.
pub fn text_field(
    object: &serde_json::Map<String, Value>,
    name: &str,
    max: usize,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    match object.get(name) {
        Some(Value::String(s))
            if !s.trim().is_empty() && s.chars().count() <= max && !s.chars().any(char::is_control) =>
        {
            Some(s.trim().to_string())
        }
        Some(Value::String(s)) if s.chars().any(char::is_control) => {
            problems.push(problem(name, "non deve contenere caratteri di controllo"));
            None
        }
        Some(Value::String(_)) => {
            problems.push(problem(name, &format!("deve essere un testo non vuoto di al massimo {max} caratteri")));
            None
        }
        Some(_) => {
            problems.push(problem(name, "deve essere un testo"));
            None
        }
        None => {
            problems.push(problem(name, "campo obbligatorio mancante"));
            None
        }
    }
}

/// A required RFC 3339 time, not ahead of `now` (beyond clock skew) and not
/// older than `max_age`.
pub fn time_field(
    object: &serde_json::Map<String, Value>,
    name: &str,
    now: DateTime<Utc>,
    max_age: Duration,
    problems: &mut Vec<Problem>,
) -> Option<DateTime<Utc>> {
    let raw = text_field(object, name, 40, problems)?;
    match DateTime::parse_from_rfc3339(&raw) {
        Ok(time) => {
            let time = time.with_timezone(&Utc);
            if time > now + MAX_AHEAD {
                problems.push(problem(name, "è nel futuro: controlla l'orologio del sistema che invia"));
                None
            } else if time < now - max_age {
                problems.push(problem(name, &format!("è più vecchio di {} ore", max_age.num_hours())));
                None
            } else {
                Some(time)
            }
        }
        Err(_) => {
            problems.push(problem(name, "deve essere una data e ora RFC 3339, per esempio 2026-11-23T14:05:00Z"));
            None
        }
    }
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
        _ => Err(problems),
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
}
