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
//! cannot forge another. The JSON format escapes by construction. Call sites
//! that log client input also pass it through [`sanitised_for_log`] or `?`
//! (Debug), so that the JSON lines stay short too.

use std::fmt::{self, Write as _};
use std::io::IsTerminal;

use app::domain::text::{classify, Lines};
use tracing::field::{Field, Visit};
use tracing::Subscriber;
use tracing_subscriber::{
    field::RecordFields,
    fmt::{self as log_fmt, format::Writer, FormatFields, MakeWriter},
    prelude::*,
    registry::LookupSpan,
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
        LogFormat::Json => registry
            .with(log_fmt::layer().json().with_writer(std::io::stderr).flatten_event(true).with_current_span(true))
            .try_init(),
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
}
