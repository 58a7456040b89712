//! Structured logs with `tracing`: human-readable by default, JSON when
//! `PORTALE_LOG_FORMAT=json`. Every request gets a span with its id. Logs go
//! to standard error: standard output is for what a command prints
//! (`server seed`'s report, `server idp-accounts`' JSON).

use crate::config::{LogFormat, Settings};
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

/// Installs the global subscriber once; later calls (tests) are ignored.
pub fn init(settings: &Settings) {
    let filter = EnvFilter::try_new(&settings.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let _ = match settings.log_format {
        LogFormat::Human => registry.with(fmt::layer().with_writer(std::io::stderr).with_target(false)).try_init(),
        LogFormat::Json => registry
            .with(fmt::layer().json().with_writer(std::io::stderr).flatten_event(true).with_current_span(true))
            .try_init(),
    };
}
