//! Structured logs with `tracing`: human-readable by default, JSON when
//! `PORTALE_LOG_FORMAT=json`. Every request gets a span with its id. Logs go
//! to standard error: standard output is for what a command prints
//! (`server seed`'s report, `server idp-accounts`' JSON).
//!
//! Log lines never carry a client's text raw. In the human format every
//! field value (span fields such as the request path included) goes through
//! [`SafeFields`]: line breaks, control characters and the invisible or
//! reversing characters of [`app::domain::text`] are written as escapes
//! (`\n`, `\u{202e}`), and a value longer than [`MAX_LOG_FIELD_CHARS`] is
//! cut, saying how much was left out; so one request writes one line and
//! cannot forge another. The JSON format ([`json_layer`]) is one object per
//! line by construction, and its string values (event and span fields, the
//! message) go through the same [`LogText`]: escaped and capped alike, so a
//! JSON line stays short whatever a client sent. Call sites that log client
//! input may also pass it through [`sanitised_for_log`] or `?` (Debug).

use std::fmt::{self, Write as _};
use std::io::IsTerminal;

use app::domain::text::{classify, Lines};
use serde::ser::{SerializeMap, Serializer as _};
use serde_json::Value;
use tracing::field::{Field, Visit};
use tracing::{span, Event, Subscriber};
use tracing_subscriber::{
    field::RecordFields,
    fmt::{
        self as log_fmt,
        format::Writer,
        time::{FormatTime, SystemTime},
        FmtContext, FormatEvent, FormatFields, FormattedFields, MakeWriter,
    },
    prelude::*,
    registry::{LookupSpan, SpanRef},
    EnvFilter, Layer,
};

use crate::config::{LogFormat, Settings};

/// Longest value of one log field, in characters; the rest is counted.
pub const MAX_LOG_FIELD_CHARS: usize = 2_000;

/// Installs the global subscriber once; later calls (tests) are ignored.
pub fn init(settings: &Settings) {
    let filter = EnvFilter::try_new(&settings.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let _ = match settings.log_format {
        LogFormat::Human => registry.with(human_layer(std::io::stderr, std::io::stderr().is_terminal())).try_init(),
        LogFormat::Json => registry.with(json_layer(std::io::stderr)).try_init(),
    };
}

/// The human-format layer, writing to `make_writer` (tests capture it).
pub fn human_layer<S, W>(make_writer: W, ansi: bool) -> impl Layer<S> + Send + Sync + 'static
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    log_fmt::layer().with_writer(make_writer).with_target(false).with_ansi(ansi).fmt_fields(SafeFields)
}

/// The JSON-format layer, writing to `make_writer` (tests capture it): one
/// object per event, in the shape of tracing-subscriber's flattened JSON
/// (`timestamp`, `level`, the event's fields with `message`, `target`, the
/// current `span` and the `spans` from the root, each with its `name`), but
/// with every string value escaped and capped by [`LogText`].
pub fn json_layer<S, W>(make_writer: W) -> impl Layer<S> + Send + Sync + 'static
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    log_fmt::layer().with_writer(make_writer).with_ansi(false).fmt_fields(SafeJsonFields).event_format(SafeJson)
}

/// `text` fit for one log line: control, invisible and reversing characters
/// escaped, at most [`MAX_LOG_FIELD_CHARS`] characters kept.
pub fn sanitised_for_log(text: &str) -> String {
    let mut safe = LogText::default();
    let _ = safe.write_str(text);
    safe.finish()
}

/// Escapes and caps what is written into it.
#[derive(Default)]
struct LogText {
    text: String,
    kept: usize,
    omitted: usize,
}

impl fmt::Write for LogText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            if self.kept >= MAX_LOG_FIELD_CHARS {
                self.omitted += 1;
                continue;
            }
            self.kept += 1;
            match c {
                '\n' => self.text.push_str("\\n"),
                '\r' => self.text.push_str("\\r"),
                '\t' => self.text.push_str("\\t"),
                c if classify(c, Lines::One).is_some() => {
                    let _ = write!(self.text, "\\u{{{:04x}}}", u32::from(c));
                }
                c => self.text.push(c),
            }
        }
        Ok(())
    }
}

impl LogText {
    fn finish(self) -> String {
        if self.omitted == 0 {
            self.text
        } else {
            format!("{}… [{} caratteri omessi]", self.text, self.omitted)
        }
    }
}

/// Field formatter of the human format: like tracing-subscriber's default
/// (`message` bare, then `name=value`; strings other than the message in
/// quotes), with every value escaped and capped by [`LogText`].
pub struct SafeFields;

impl<'writer> FormatFields<'writer> for SafeFields {
    fn format_fields<R: RecordFields>(&self, mut writer: Writer<'writer>, fields: R) -> fmt::Result {
        let mut visitor = SafeVisitor { writer: &mut writer, result: Ok(()), first: true };
        fields.record(&mut visitor);
        visitor.result
    }
}

struct SafeVisitor<'a, 'w> {
    writer: &'a mut Writer<'w>,
    result: fmt::Result,
    first: bool,
}

impl SafeVisitor<'_, '_> {
    fn write(&mut self, field: &Field, value: fmt::Arguments<'_>) {
        let name = field.name();
        // Metadata of events bridged from the `log` crate, already shown.
        if self.result.is_err() || name.starts_with("log.") {
            return;
        }
        let mut safe = LogText::default();
        let _ = safe.write_fmt(value);
        let separator = if self.first { "" } else { " " };
        self.first = false;
        self.result = match name {
            "message" => write!(self.writer, "{separator}{}", safe.finish()),
            name => write!(self.writer, "{separator}{}={}", name.trim_start_matches("r#"), safe.finish()),
        };
    }
}

impl Visit for SafeVisitor<'_, '_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.write(field, format_args!("{value}"));
        } else {
            self.write(field, format_args!("{value:?}"));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.write(field, format_args!("{value:?}"));
    }
}

/// A field value of the JSON format: numbers and booleans as they are,
/// everything else as text through [`LogText`].
fn json_text(value: fmt::Arguments<'_>) -> Value {
    let mut safe = LogText::default();
    let _ = safe.write_fmt(value);
    Value::String(safe.finish())
}

/// Collects the fields of an event or a span as JSON values, in order.
/// Fields of events bridged from the `log` crate (`log.target`, …) are
/// left out, but `log.target` becomes the line's target.
#[derive(Default)]
struct JsonVisitor {
    fields: Vec<(String, Value)>,
    log_target: Option<String>,
}

impl JsonVisitor {
    fn insert(&mut self, field: &Field, value: Value) {
        let name = field.name();
        if name == "log.target" {
            self.log_target = value.as_str().map(str::to_string);
        } else if !name.starts_with("log.") {
            let name = name.trim_start_matches("r#");
            match self.fields.iter_mut().find(|(existing, _)| existing == name) {
                Some((_, existing)) => *existing = value,
                None => self.fields.push((name.to_string(), value)),
            }
        }
    }
}

impl Visit for JsonVisitor {
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.insert(field, Value::Bool(value));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.insert(field, Value::from(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.insert(field, Value::from(value));
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        let number = serde_json::Number::from_f64(value).map(Value::Number);
        self.insert(field, number.unwrap_or_else(|| json_text(format_args!("{value}"))));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.insert(field, json_text(format_args!("{value}")));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.insert(field, json_text(format_args!("{value:?}")));
    }
}

/// Span fields of the JSON format, stored as one JSON object (already
/// escaped and capped) in the span's extensions.
pub struct SafeJsonFields;

impl<'writer> FormatFields<'writer> for SafeJsonFields {
    fn format_fields<R: RecordFields>(&self, mut writer: Writer<'writer>, fields: R) -> fmt::Result {
        let mut visitor = JsonVisitor::default();
        fields.record(&mut visitor);
        let object: serde_json::Map<String, Value> = visitor.fields.into_iter().collect();
        writer.write_str(&Value::Object(object).to_string())
    }

    /// Fields recorded later (`span.record`) replace or join the stored
    /// ones: the stored text stays one JSON object without repeated keys.
    fn add_fields(&self, current: &'writer mut FormattedFields<Self>, fields: &span::Record<'_>) -> fmt::Result {
        let mut object = span_fields(&current.fields);
        let mut visitor = JsonVisitor::default();
        fields.record(&mut visitor);
        object.extend(visitor.fields);
        current.fields = Value::Object(object).to_string();
        Ok(())
    }
}

/// The fields [`SafeJsonFields`] stored for a span.
fn span_fields(stored: &str) -> serde_json::Map<String, Value> {
    match serde_json::from_str(stored) {
        Ok(Value::Object(object)) => object,
        _ => serde_json::Map::new(),
    }
}

/// Event format of the JSON format: see [`json_layer`].
pub struct SafeJson;

impl<S> FormatEvent<S, SafeJsonFields> for SafeJson
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, SafeJsonFields>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut timestamp = String::new();
        SystemTime.format_time(&mut Writer::new(&mut timestamp))?;
        let mut visitor = JsonVisitor::default();
        event.record(&mut visitor);
        let target = visitor.log_target.take().unwrap_or_else(|| event.metadata().target().to_string());
        let span_object = |span: &SpanRef<'_, S>| {
            let extensions = span.extensions();
            let mut object =
                extensions.get::<FormattedFields<SafeJsonFields>>().map(|f| span_fields(&f.fields)).unwrap_or_default();
            object.insert("name".to_string(), Value::from(span.metadata().name()));
            Value::Object(object)
        };
        let spans: Vec<Value> = ctx
            .event_scope()
            .map(|scope| scope.from_root().map(|span| span_object(&span)).collect())
            .unwrap_or_default();

        let mut line = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut line);
        let written = (|| {
            let mut map = serializer.serialize_map(None)?;
            map.serialize_entry("timestamp", &timestamp)?;
            map.serialize_entry("level", event.metadata().level().as_str())?;
            for (name, value) in &visitor.fields {
                map.serialize_entry(name, value)?;
            }
            map.serialize_entry("target", &target)?;
            if let Some(current) = spans.last() {
                map.serialize_entry("span", current)?;
                map.serialize_entry("spans", &spans)?;
            }
            map.end()
        })();
        written.map_err(|_| fmt::Error)?;
        writer.write_str(std::str::from_utf8(&line).map_err(|_| fmt::Error)?)?;
        writeln!(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn client_text_is_escaped_and_capped() {
        assert_eq!(sanitised_for_log("x\nFORGED\r\t"), "x\\nFORGED\\r\\t");
        assert_eq!(sanitised_for_log("a\u{202E}b\u{200B}\0\u{1b}[31m"), "a\\u{202e}b\\u{200b}\\u{0000}\\u{001b}[31m");
        assert_eq!(sanitised_for_log("Niccolò — ok"), "Niccolò — ok");
        let long = sanitised_for_log(&"x".repeat(MAX_LOG_FIELD_CHARS + 5));
        assert!(long.ends_with("… [5 caratteri omessi]"));
        assert_eq!(long.chars().filter(|c| *c == 'x').count(), MAX_LOG_FIELD_CHARS);
    }

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn one_event_is_one_line_whatever_its_fields_hold() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::registry().with(human_layer(move || writer.clone(), false));
        tracing::subscriber::with_default(subscriber, || {
            let span = tracing::info_span!("request", path = %"/a\nFORGED span");
            let _entered = span.enter();
            let error = "x\n2026-01-01T00:00:00Z ERROR FORGED event";
            tracing::info!(%error, detail = error, debug = ?error, huge = %"y".repeat(100_000), "refused\nFORGED message");
        });
        let output = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
        assert_eq!(output.lines().count(), 1, "{output}");
        assert!(output.contains("error=x\\n2026"), "{output}");
        assert!(output.contains("detail=\"x\\n2026"), "{output}");
        assert!(output.contains("refused\\nFORGED message"), "{output}");
        assert!(output.contains("path=/a\\nFORGED span"), "{output}");
        assert!(output.contains("caratteri omessi") && output.len() < 10_000, "{}", output.len());
    }

    #[test]
    fn json_lines_cap_every_value_like_the_human_format() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::registry().with(json_layer(move || writer.clone()));
        let huge = "y".repeat(100_000);
        tracing::subscriber::with_default(subscriber, || {
            let outer =
                tracing::info_span!("request", path = %format!("/a\nFORGED{huge}"), client = tracing::field::Empty);
            let _outer = outer.enter();
            outer.record("client", "centro\u{202E}screening");
            outer.record("client", huge.as_str());
            let inner = tracing::info_span!("record", unit = "HUB-GASLINI");
            let _inner = inner.enter();
            tracing::info!(detail = huge.as_str(), debug = ?huge, display = %huge, count = 3u64, ok = true,
                           short = "x\n2026-01-01T00:00:00Z ERROR FORGED", "refused {huge}");
        });
        let output = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
        assert_eq!(output.lines().count(), 1, "{output}");
        assert!(output.len() < 30_000, "{}", output.len());
        let line: Value = serde_json::from_str(output.trim_end()).expect("one JSON object");
        // Kept: MAX_LOG_FIELD_CHARS characters, then how many were left out.
        let cut = |value: &Value| {
            let text = value.as_str().unwrap_or_default();
            text.ends_with(" caratteri omessi]") && text.chars().count() <= MAX_LOG_FIELD_CHARS + 30
        };
        assert_eq!(line["level"], "INFO");
        assert!(line["timestamp"].is_string() && line["target"].is_string());
        for field in ["message", "detail", "debug", "display"] {
            assert!(cut(&line[field]), "{field}: {}", line[field]);
        }
        assert!(line["message"].as_str().unwrap_or_default().ends_with("… [98008 caratteri omessi]"));
        assert_eq!(line["count"], 3);
        assert_eq!(line["ok"], true);
        assert_eq!(line["short"], "x\\n2026-01-01T00:00:00Z ERROR FORGED", "escaped like the human format");
        assert_eq!(line["span"]["name"], "record");
        assert_eq!(line["span"]["unit"], "HUB-GASLINI");
        let request = &line["spans"][0];
        assert_eq!(request["name"], "request");
        assert!(request["path"].as_str().expect("path").starts_with("/a\\nFORGED"), "{}", request["path"]);
        assert!(request["path"].as_str().expect("path").ends_with("… [98009 caratteri omessi]"), "{}", request["path"]);
        assert!(cut(&request["client"]), "a value recorded later replaces the earlier one, capped too");
        assert_eq!(line["spans"].as_array().expect("spans").len(), 2);
    }
}
