//! Typed settings: safe defaults for running on a laptop, overridden by
//! `PORTALE_*` environment variables (documented in README.md).

use secrecy::SecretString;
use std::{net::IpAddr, path::PathBuf, time::Duration};

/// Where the portal runs: development relaxes what needs HTTPS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// Log output: readable lines for people, JSON for log collectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub environment: Environment,
    pub host: IpAddr,
    /// 0 asks the OS for a free port (tests).
    pub port: u16,
    pub database_url: String,
    /// Fill an empty database with the demo region at start.
    pub demo_data: bool,
    pub log_format: LogFormat,
    /// `tracing` filter, e.g. `info,server=debug`.
    pub log_filter: String,
    /// Folder with the built site (`pkg/`, fonts, icons) made by `build_site` in scripts/setup.sh.
    pub site_root: PathBuf,
    /// Whether the built files carry content hashes (release builds).
    pub hash_files: bool,
    pub body_limit_bytes: usize,
    pub request_timeout: Duration,
    pub shutdown_grace: Duration,
    /// Whether the public address is HTTPS (cookies get `Secure`).
    pub https: bool,
    /// The portal's address as browsers see it (redirect URIs); by default
    /// `http://HOST:PORT` with the port actually bound.
    pub public_url: Option<String>,
    /// OpenID Connect provider (in production the SPID/CIE gateway).
    pub oidc_issuer: String,
    /// Addresses of the reverse proxies in front of the portal (nginx): from
    /// them, the client's address is read from `X-Forwarded-For`, for the
    /// audit log. Nobody else can set it.
    pub trusted_proxies: Vec<IpAddr>,
    pub oidc_client_id: String,
    pub oidc_client_secret: SecretString,
    /// A session with no request for this long ends.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, active or not.
    pub session_absolute: Duration,
    /// Bookings can be cancelled or moved until this long before the slot.
    pub cup_change_closes: Duration,
    /// A slot offered from the waiting list is held this long.
    pub cup_offer_hold: Duration,
    /// How often the waiting list looks for freed or new slots.
    pub waiting_list_every: Duration,
    /// Health-card look-ups a pharmacist may make per minute (and in a burst).
    pub pharmacy_lookups_per_minute: u32,
    /// The sandbox payment provider (labelled "ambiente di prova") instead
    /// of pagoPA; on by default in development.
    pub pagopa_sandbox: bool,
    /// Shared secret of the provider's signed outcome callbacks (HMAC-SHA256):
    /// the sandbox's (public) one only in development; production refuses to
    /// start without its own.
    pub pagopa_callback_secret: secrecy::SecretString,
    /// Checkouts without an outcome this long are asked to the provider…
    pub pagopa_reconcile_after: Duration,
    /// …by a job running this often.
    pub pagopa_reconcile_every: Duration,
    /// The sandbox's "delayed outcome" becomes known this long after payment.
    pub pagopa_sandbox_delay: Duration,
    /// The demo feeder keeps the ER board moving (development only).
    pub demo_feeds: bool,
    /// Seconds between two live demo reports.
    pub demo_feed_every: Duration,
    /// How often vaccination and screening reminders are looked for
    /// (`None`: never, `PORTALE_REMINDERS_EVERY_HOURS=0`).
    pub reminders_every: Option<Duration>,
}

/// The sandbox provider's callback secret: public, so only for development.
pub const SANDBOX_CALLBACK_SECRET: &str = "sandbox-pagopa-solo-per-prove";

/// Shortest callback secret production accepts (HMAC-SHA256 key).
pub const MIN_CALLBACK_SECRET_CHARS: usize = 32;

/// The development identity provider's secret for the `portale` client
/// (end2end/idp): only ever accepted in development.
pub const DEVELOPMENT_CLIENT_SECRET: &str = "sviluppo-solo-locale-portale";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name}: valore non valido {value:?} ({expected})")]
    Invalid { name: &'static str, value: String, expected: &'static str },
}

impl Settings {
    /// Defaults for local use, then the environment.
    pub fn from_env() -> Result<Settings, ConfigError> {
        Settings::from_lookup(|name| std::env::var(name).ok())
    }

    /// Same as [`Settings::from_env`] with an injectable lookup (tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let environment = match lookup("PORTALE_ENV").as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => return Err(invalid("PORTALE_ENV", other, "development | production")),
        };
        let development = environment == Environment::Development;
        let settings = Settings {
            environment,
            host: parse(&lookup, "PORTALE_HOST", "127.0.0.1".parse().expect("literal address"), "an IP address")?,
            port: parse(&lookup, "PORTALE_PORT", 3000, "a port number")?,
            database_url: lookup("PORTALE_DATABASE_URL").unwrap_or_else(|| "sqlite:data/portale.db".into()),
            demo_data: parse_bool(&lookup, "PORTALE_DEMO_DATA", development)?,
            log_format: match lookup("PORTALE_LOG_FORMAT").as_deref() {
                None | Some("human") => LogFormat::Human,
                Some("json") => LogFormat::Json,
                Some(other) => return Err(invalid("PORTALE_LOG_FORMAT", other, "human | json")),
            },
            log_filter: lookup("PORTALE_LOG").unwrap_or_else(|| "info,tower_http=info,sqlx=warn".into()),
            site_root: lookup("PORTALE_SITE_ROOT").map(PathBuf::from).unwrap_or_else(|| "target/site".into()),
            hash_files: parse_bool(&lookup, "PORTALE_HASH_FILES", true)?,
            body_limit_bytes: parse(&lookup, "PORTALE_BODY_LIMIT_BYTES", 1024 * 1024, "a size in bytes")?,
            request_timeout: Duration::from_secs(parse(&lookup, "PORTALE_REQUEST_TIMEOUT_SECONDS", 30, "seconds")?),
            shutdown_grace: Duration::from_secs(parse(&lookup, "PORTALE_SHUTDOWN_GRACE_SECONDS", 10, "seconds")?),
            https: parse_bool(&lookup, "PORTALE_HTTPS", !development)?,
            public_url: lookup("PORTALE_PUBLIC_URL").map(|url| url.trim_end_matches('/').to_string()),
            oidc_issuer: lookup("PORTALE_OIDC_ISSUER").unwrap_or_else(|| "http://127.0.0.1:3100".into()),
            trusted_proxies: match lookup("PORTALE_TRUSTED_PROXIES") {
                None => Vec::new(),
                Some(list) => list
                    .split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(|item| {
                        item.parse()
                            .map_err(|_| invalid("PORTALE_TRUSTED_PROXIES", item, "IP addresses, comma-separated"))
                    })
                    .collect::<Result<_, _>>()?,
            },
            oidc_client_id: lookup("PORTALE_OIDC_CLIENT_ID").unwrap_or_else(|| "portale".into()),
            oidc_client_secret: match lookup("PORTALE_OIDC_CLIENT_SECRET") {
                Some(secret) => SecretString::from(secret),
                None if development => SecretString::from(DEVELOPMENT_CLIENT_SECRET),
                None => return Err(invalid("PORTALE_OIDC_CLIENT_SECRET", "", "required outside development")),
            },
            session_idle: Duration::from_secs(parse(&lookup, "PORTALE_SESSION_IDLE_SECONDS", 15 * 60, "seconds")?),
            session_absolute: Duration::from_secs(parse(
                &lookup,
                "PORTALE_SESSION_ABSOLUTE_SECONDS",
                8 * 60 * 60,
                "seconds",
            )?),
            cup_change_closes: Duration::from_secs(
                3600 * parse(&lookup, "PORTALE_CUP_CHANGE_CLOSES_HOURS", 24, "hours")?,
            ),
            cup_offer_hold: Duration::from_secs(60 * parse(&lookup, "PORTALE_CUP_OFFER_MINUTES", 60, "minutes")?),
            waiting_list_every: Duration::from_secs(
                parse(&lookup, "PORTALE_WAITING_LIST_EVERY_SECONDS", 30, "seconds")?.max(1),
            ),
            pharmacy_lookups_per_minute: parse(&lookup, "PORTALE_PHARMACY_LOOKUPS_PER_MINUTE", 10, "a count")?,
            pagopa_sandbox: parse_bool(&lookup, "PORTALE_PAGOPA_SANDBOX", development)?,
            pagopa_callback_secret: callback_secret(&lookup, development)?,
            pagopa_reconcile_after: Duration::from_secs(parse(
                &lookup,
                "PORTALE_PAGOPA_RECONCILE_AFTER_SECONDS",
                300,
                "seconds",
            )?),
            pagopa_reconcile_every: Duration::from_secs(
                parse(&lookup, "PORTALE_PAGOPA_RECONCILE_EVERY_SECONDS", 30, "seconds")?.max(1),
            ),
            pagopa_sandbox_delay: Duration::from_secs(parse(
                &lookup,
                "PORTALE_PAGOPA_SANDBOX_DELAY_SECONDS",
                120,
                "seconds",
            )?),
            demo_feeds: parse_bool(&lookup, "PORTALE_DEMO_FEEDS", development)?,
            demo_feed_every: Duration::from_secs(
                parse(&lookup, "PORTALE_DEMO_FEED_EVERY_SECONDS", 3, "seconds")?.max(1),
            ),
            reminders_every: Some(parse(&lookup, "PORTALE_REMINDERS_EVERY_HOURS", 24, "hours")?)
                .filter(|hours| *hours > 0)
                .map(|hours| Duration::from_secs(hours * 3600)),
        };
        if settings.environment == Environment::Production && !settings.https {
            return Err(invalid("PORTALE_HTTPS", "false", "production must be served over HTTPS"));
        }
        // The sign-in form posts to the provider: over plain HTTP it would
        // also weaken the pages' Content-Security-Policy (form-action).
        if settings.environment == Environment::Production && !settings.oidc_issuer.starts_with("https://") {
            return Err(invalid("PORTALE_OIDC_ISSUER", &settings.oidc_issuer, "production needs an https:// provider"));
        }
        if settings.environment == Environment::Production && settings.demo_feeds {
            return Err(invalid("PORTALE_DEMO_FEEDS", "true", "the demo feeder is for development only"));
        }
        if settings.environment == Environment::Production && settings.pagopa_sandbox {
            return Err(invalid("PORTALE_PAGOPA_SANDBOX", "true", "the sandbox payment provider is for trials only"));
        }
        Ok(settings)
    }
}

/// The provider's callback secret: the sandbox's (public) one in
/// development; production needs its own, long enough, never the sandbox's.
/// The value is never echoed in an error: it is a secret.
fn callback_secret(lookup: &impl Fn(&str) -> Option<String>, development: bool) -> Result<SecretString, ConfigError> {
    const NAME: &str = "PORTALE_PAGOPA_CALLBACK_SECRET";
    match lookup(NAME) {
        None if development => Ok(SecretString::from(SANDBOX_CALLBACK_SECRET)),
        None => Err(invalid(
            NAME,
            "",
            "required in production: the portal's own secret shared with pagoPA, at least 32 characters",
        )),
        Some(secret) if !development && secret.trim() == SANDBOX_CALLBACK_SECRET => Err(invalid(
            NAME,
            "<il segreto pubblico dell'ambiente di prova>",
            "production needs the portal's own secret, not the sandbox's public one",
        )),
        Some(secret) if !development && secret.trim().chars().count() < MIN_CALLBACK_SECRET_CHARS => {
            Err(invalid(NAME, "<troppo corto>", "production needs a secret of at least 32 characters"))
        }
        Some(secret) => Ok(SecretString::from(secret)),
    }
}

fn invalid(name: &'static str, value: &str, expected: &'static str) -> ConfigError {
    ConfigError::Invalid { name, value: value.to_string(), expected }
}

fn parse<T: std::str::FromStr>(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
    expected: &'static str,
) -> Result<T, ConfigError> {
    match lookup(name) {
        None => Ok(default),
        Some(value) => value.trim().parse().map_err(|_| invalid(name, &value, expected)),
    }
}

fn parse_bool(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match lookup(name).as_deref().map(str::trim) {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(invalid(name, other, "true | false")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings_with(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let env: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|name| env.get(name).cloned())
    }

    #[test]
    fn defaults_are_safe_for_a_laptop() {
        let settings = settings_with(&[]).expect("defaults are valid");
        assert_eq!(settings.environment, Environment::Development);
        assert_eq!(settings.host.to_string(), "127.0.0.1");
        assert_eq!(settings.port, 3000);
        assert!(settings.demo_data);
        assert!(!settings.https);
        assert_eq!(settings.log_format, LogFormat::Human);
    }

    const CALLBACK_SECRET: (&str, &str) =
        ("PORTALE_PAGOPA_CALLBACK_SECRET", "un-segreto-di-produzione-lungo-abbastanza-42");
    const ISSUER: (&str, &str) = ("PORTALE_OIDC_ISSUER", "https://identita.regione.liguria.it");

    #[test]
    fn production_refuses_a_plain_http_identity_provider() {
        let production = [("PORTALE_ENV", "production"), ("PORTALE_OIDC_CLIENT_SECRET", "s3greto"), CALLBACK_SECRET];
        let error = settings_with(&production).unwrap_err().to_string();
        assert!(error.contains("PORTALE_OIDC_ISSUER") && error.contains("https://"), "{error}");
        assert!(settings_with(&[production[0], production[1], production[2], ISSUER]).is_ok());
    }

    #[test]
    fn trusted_proxies_are_a_list_of_addresses() {
        assert!(settings_with(&[]).expect("valid").trusted_proxies.is_empty());
        let settings = settings_with(&[("PORTALE_TRUSTED_PROXIES", "127.0.0.1, ::1")]).expect("valid");
        assert_eq!(settings.trusted_proxies, ["127.0.0.1".parse::<IpAddr>().unwrap(), "::1".parse().unwrap()]);
        let error = settings_with(&[("PORTALE_TRUSTED_PROXIES", "127.0.0.1,nginx")]).unwrap_err().to_string();
        assert!(error.contains("PORTALE_TRUSTED_PROXIES") && error.contains("nginx"), "{error}");
    }

    #[test]
    fn production_turns_demo_data_off_and_requires_https() {
        let production =
            [("PORTALE_ENV", "production"), ("PORTALE_OIDC_CLIENT_SECRET", "s3greto"), CALLBACK_SECRET, ISSUER];
        let settings = settings_with(&production).expect("valid");
        assert!(!settings.demo_data);
        assert!(settings.https);
        assert!(!settings.pagopa_sandbox);
        let plain = [production[0], production[1], production[2], production[3], ("PORTALE_HTTPS", "false")];
        assert!(settings_with(&plain).is_err());
    }

    #[test]
    fn production_refuses_to_start_without_its_own_pagopa_callback_secret() {
        use secrecy::ExposeSecret;
        let production = [("PORTALE_ENV", "production"), ("PORTALE_OIDC_CLIENT_SECRET", "s3greto")];
        let missing = settings_with(&production).unwrap_err().to_string();
        assert!(missing.contains("PORTALE_PAGOPA_CALLBACK_SECRET") && missing.contains("required in production"));
        let sandbox = [production[0], production[1], ("PORTALE_PAGOPA_CALLBACK_SECRET", SANDBOX_CALLBACK_SECRET)];
        let error = settings_with(&sandbox).unwrap_err().to_string();
        assert!(error.contains("not the sandbox's"), "{error}");
        assert!(!error.contains(SANDBOX_CALLBACK_SECRET), "the secret is never echoed: {error}");
        let short = [production[0], production[1], ("PORTALE_PAGOPA_CALLBACK_SECRET", "corto")];
        let error = settings_with(&short).unwrap_err().to_string();
        assert!(error.contains("at least 32") && !error.contains("\"corto\""), "{error}");
        let own = settings_with(&[production[0], production[1], CALLBACK_SECRET, ISSUER]).expect("valid");
        assert_eq!(own.pagopa_callback_secret.expose_secret(), CALLBACK_SECRET.1);
        // Development keeps the sandbox's.
        let development = settings_with(&[]).expect("valid");
        assert_eq!(development.pagopa_callback_secret.expose_secret(), SANDBOX_CALLBACK_SECRET);
    }

    #[test]
    fn production_refuses_to_start_without_the_client_secret() {
        let error = settings_with(&[("PORTALE_ENV", "production")]).unwrap_err().to_string();
        assert!(error.contains("PORTALE_OIDC_CLIENT_SECRET"), "{error}");
    }

    #[test]
    fn sessions_default_to_fifteen_minutes_idle_and_eight_hours_in_all() {
        let settings = settings_with(&[]).expect("defaults are valid");
        assert_eq!(settings.session_idle, Duration::from_secs(900));
        assert_eq!(settings.session_absolute, Duration::from_secs(8 * 3600));
    }

    #[test]
    fn a_bad_value_names_the_variable() {
        let error = settings_with(&[("PORTALE_PORT", "tremila")]).unwrap_err().to_string();
        assert!(error.contains("PORTALE_PORT"), "{error}");
        assert!(settings_with(&[("PORTALE_LOG_FORMAT", "xml")]).is_err());
    }
}
