//! Reading an ingest body: strictly ([`json_object`]: a key repeated at any
//! depth is refused, since JSON readers disagree on which copy wins), field
//! by field so that the answer names every problem, every string through the
//! free-text rules of [`app::domain::text`], and at most [`MAX_PROBLEMS`]
//! problems listed ([`capped`]), so that neither the 422 nor the log line
//! that records it grows with the body.

use std::{cell::RefCell, fmt};

use app::domain::text::{self, Lines};
use chrono::{DateTime, Duration, Utc};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::Value;

/// Times dated further ahead than this (clock skew) are refused.
pub const MAX_AHEAD: Duration = Duration::minutes(2);
/// Problems listed in one answer; the rest are counted.
pub const MAX_PROBLEMS: usize = 20;
/// Longest field path repeated in a problem (an unknown key is the
/// sender's text, of any length).
pub const MAX_FIELD_CHARS: usize = 80;

/// A JSON object read from a body.
pub type Object = serde_json::Map<String, Value>;

/// One problem of a body: the JSON path of the field and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

/// A problem of `field` (cut to [`MAX_FIELD_CHARS`] characters).
pub fn problem(field: &str, message: &str) -> Problem {
    let field = match field.char_indices().nth(MAX_FIELD_CHARS) {
        Some((end, _)) => format!("{}…", &field[..end]),
        None => field.to_string(),
    };
    Problem { field, message: message.to_string() }
}

/// The first [`MAX_PROBLEMS`] problems, and how many more there were.
pub fn capped(mut problems: Vec<Problem>) -> Vec<Problem> {
    if problems.len() > MAX_PROBLEMS {
        let more = problems.len() - MAX_PROBLEMS;
        problems.truncate(MAX_PROBLEMS);
        let message = if more == 1 { "e un altro problema".to_string() } else { format!("e altri {more} problemi") };
        problems.push(Problem { field: String::new(), message });
    }
    problems
}

/// The body as a JSON object, or why not. A key repeated in any object of
/// the body is refused (naming its path), never resolved.
pub fn json_object(body: &[u8]) -> Result<serde_json::Map<String, Value>, Vec<Problem>> {
    let repeated = RefCell::new(None);
    let mut reader = serde_json::Deserializer::from_slice(body);
    let parsed = Strict { path: String::new(), repeated: &repeated }.deserialize(&mut reader).and_then(|value| {
        reader.end()?;
        Ok(value)
    });
    match parsed {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(vec![problem("", "il corpo deve essere un oggetto JSON")]),
        Err(_) if repeated.borrow().is_some() => {
            let path = repeated.borrow().clone().unwrap_or_default();
            Err(vec![problem(&path, "campo ripetuto: ogni campo va indicato una sola volta")])
        }
        Err(error) => Err(vec![problem("", &format!("il corpo non è JSON valido: {error}"))]),
    }
}

/// Reads any JSON value like `serde_json::Value` does, but stops at the
/// first key that an object repeats (serde_json's map keeps the last copy
/// silently), and notes its path in `repeated`. serde_json's own nesting
/// limit (128 levels) still applies.
struct Strict<'a> {
    path: String,
    repeated: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(value)
            .map(Value::Number)
            .ok_or_else(|| <E as de::Error>::custom("number out of range"))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_string()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut values = Vec::new();
        loop {
            let seed = Strict { path: format!("{}[{}]", self.path, values.len()), repeated: self.repeated };
            match items.next_element_seed(seed)? {
                Some(value) => values.push(value),
                None => return Ok(Value::Array(values)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = entries.next_key::<String>()? {
            let path = if self.path.is_empty() { key.clone() } else { format!("{}.{key}", self.path) };
            if object.contains_key(&key) {
                *self.repeated.borrow_mut() = Some(path);
                return Err(<A::Error as de::Error>::custom("repeated key"));
            }
            let value = entries.next_value_seed(Strict { path, repeated: self.repeated })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// A required, non-empty, single-line text of at most `max` characters
/// (surrounding spaces dropped), within the free-text rules.
pub fn text_field(
    object: &serde_json::Map<String, Value>,
    name: &str,
    max: usize,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    checked_text(object, name, max, Lines::One, problems)
}

/// Like [`text_field`], for text that may span several lines (a report).
pub fn multiline_text_field(
    object: &serde_json::Map<String, Value>,
    name: &str,
    max: usize,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    checked_text(object, name, max, Lines::Many, problems)
}

/// The free-text rules for a string that is not a field of `object`
/// (an element of a list): the problem, if any, is recorded under `field`.
pub fn clean_text(value: &str, field: &str, problems: &mut Vec<Problem>) -> bool {
    match text::check(value, Lines::One) {
        Ok(_) => true,
        Err(refusal) => {
            problems.push(problem(field, &refusal.message_it(field)));
            false
        }
    }
}

fn checked_text(
    object: &serde_json::Map<String, Value>,
    name: &str,
    max: usize,
    lines: Lines,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    match object.get(name) {
        Some(Value::String(s)) => match text::check(s, lines) {
            Err(refusal) => {
                problems.push(problem(name, &refusal.message_it(name)));
                None
            }
            Ok(s) if s.trim().is_empty() || s.chars().count() > max => {
                problems.push(problem(name, &format!("deve essere un testo non vuoto di al massimo {max} caratteri")));
                None
            }
            Ok(s) => Some(s.trim().to_string()),
        },
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
