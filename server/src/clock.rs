//! Time as the portal speaks it: Europe/Rome wall-clock times for people,
//! UTC instants in the database.
//!
//! Rome's offsets come from the IANA time-zone database bundled into the
//! binary by `jiff` (so a server without `/usr/share/zoneinfo`, or with an
//! old one, still agrees with the law in force); the rest of the code keeps
//! `chrono` types, so the conversion lives here only.
//!
//! Stored instants are UTC text that sorts like time: see
//! [`STORED_INSTANT`] and [`STORED_SECOND`], the two formats the schema's
//! `DEFAULT (strftime(…))` columns use.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Offset, Utc};
use jiff::tz;

/// Event instants (audit log, look-ups, payments): milliseconds, like the
/// schema's `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`.
pub const STORED_INSTANT: &str = "%Y-%m-%dT%H:%M:%S%.3fZ";
/// Record dates kept to the second (reports, revocations, declarations),
/// like the schema's `strftime('%Y-%m-%dT%H:%M:%SZ', 'now')`.
pub const STORED_SECOND: &str = "%Y-%m-%dT%H:%M:%SZ";

/// How a Rome time is shown to people: `23/11/2026 14:05`.
const DISPLAY_MINUTES: &str = "%d/%m/%Y %H:%M";

/// Europe/Rome from the bundled database. Its absence would be a build
/// mistake (the bundle is compiled in), so UTC+1 is only a last resort.
static ROME: LazyLock<tz::TimeZone> = LazyLock::new(|| {
    tz::TimeZone::get("Europe/Rome").unwrap_or_else(|error| {
        tracing::error!(%error, "no Europe/Rome in the bundled time-zone database");
        tz::TimeZone::fixed(tz::offset(1))
    })
});

/// `instant` as stored in an event column ([`STORED_INSTANT`]).
pub fn stored_instant(instant: DateTime<Utc>) -> String {
    instant.format(STORED_INSTANT).to_string()
}

/// `instant` as stored in a column kept to the second ([`STORED_SECOND`]).
pub fn stored_second(instant: DateTime<Utc>) -> String {
    instant.format(STORED_SECOND).to_string()
}

/// A stored instant read back: either stored format, or any RFC 3339 text.
pub fn parse_stored(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.fZ").map(|at| at.and_utc()))
        .ok()
}

/// A stored instant shown as a Rome time (`23/11/2026 15:05`); text that is
/// not an instant is shown as it is.
pub fn stored_as_rome_minutes(text: &str) -> String {
    parse_stored(text).map(rome_minutes).unwrap_or_else(|| text.to_string())
}

/// An instant shown as a Rome time to the minute (`23/11/2026 15:05`).
pub fn rome_minutes(instant: DateTime<Utc>) -> String {
    utc_to_rome(instant).format(DISPLAY_MINUTES).to_string()
}

/// The UTC offset in force in Rome at a local wall-clock time. A time in
/// the night's gap (02:30 on the last Sunday of March) takes the offset
/// after the change; a time that happens twice (02:30 on the last Sunday
/// of October) takes the first, summer one.
pub fn rome_offset(local: NaiveDateTime) -> FixedOffset {
    let seconds = match civil_of(local).and_then(|civil| ROME.to_ambiguous_zoned(civil).compatible()) {
        Ok(zoned) => zoned.offset().seconds(),
        Err(_) => 3600,
    };
    FixedOffset::east_opt(seconds).unwrap_or_else(|| Utc.fix())
}

/// A Rome wall-clock time as an RFC 3339 string with its offset.
pub fn rome_rfc3339(local: NaiveDateTime) -> String {
    let instant = rome_instant(local);
    instant.with_timezone(&rome_offset_at(instant)).to_rfc3339()
}

/// The instant of a Rome wall-clock time (see [`rome_offset`] for the two
/// nights a year where that is not one-to-one).
pub fn rome_instant(local: NaiveDateTime) -> DateTime<Utc> {
    match civil_of(local).and_then(|civil| ROME.to_ambiguous_zoned(civil).compatible()) {
        Ok(zoned) => from_timestamp(zoned.timestamp()),
        Err(_) => (local - chrono::Duration::hours(1)).and_utc(),
    }
}

/// Today's date in Rome.
pub fn rome_today() -> NaiveDate {
    utc_to_rome(Utc::now()).date()
}

/// The Rome wall-clock time of a UTC instant.
pub fn utc_to_rome(instant: DateTime<Utc>) -> NaiveDateTime {
    instant.naive_utc() + chrono::Duration::seconds(i64::from(rome_offset_at(instant).local_minus_utc()))
}

/// The UTC instant of midnight at the start of a Rome day.
pub fn rome_midnight_utc(day: NaiveDate) -> DateTime<Utc> {
    rome_instant(day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// Rome's offset at a UTC instant (never ambiguous).
fn rome_offset_at(instant: DateTime<Utc>) -> FixedOffset {
    let seconds = jiff::Timestamp::new(instant.timestamp(), 0)
        .map(|timestamp| ROME.to_offset(timestamp).seconds())
        .unwrap_or(3600);
    FixedOffset::east_opt(seconds).unwrap_or_else(|| Utc.fix())
}

fn civil_of(local: NaiveDateTime) -> Result<jiff::civil::DateTime, jiff::Error> {
    use chrono::{Datelike, Timelike};
    let narrow = |value: u32| i8::try_from(value).unwrap_or(i8::MAX);
    let year = i16::try_from(local.year()).unwrap_or(i16::MAX);
    let month = narrow(local.month());
    jiff::civil::DateTime::new(
        year,
        month,
        narrow(local.day()),
        narrow(local.hour()),
        narrow(local.minute()),
        narrow(local.second()),
        0,
    )
}

fn from_timestamp(timestamp: jiff::Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp(timestamp.as_second(), 0).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        at_minute(y, m, d, h, 0)
    }

    fn at_minute(y: i32, m: u32, d: u32, h: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).and_then(|date| date.and_hms_opt(h, minute, 0)).expect("valid")
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("time").with_timezone(&Utc)
    }

    #[test]
    fn winter_is_one_hour_ahead_and_summer_two() {
        assert_eq!(rome_rfc3339(at(2026, 1, 15, 9)), "2026-01-15T09:00:00+01:00");
        assert_eq!(rome_rfc3339(at(2026, 7, 15, 9)), "2026-07-15T09:00:00+02:00");
    }

    #[test]
    fn the_switch_happens_on_the_last_sundays() {
        // 2026: summer time from 29 March to 25 October.
        assert_eq!(rome_offset(at(2026, 3, 29, 1)).local_minus_utc(), 3600);
        assert_eq!(rome_offset(at(2026, 3, 29, 3)).local_minus_utc(), 7200);
        assert_eq!(rome_offset(at(2026, 10, 25, 1)).local_minus_utc(), 7200);
        assert_eq!(rome_offset(at(2026, 10, 25, 4)).local_minus_utc(), 3600);
        // 2027: from 28 March to 31 October.
        assert_eq!(rome_offset(at(2027, 3, 28, 3)).local_minus_utc(), 7200);
        assert_eq!(rome_offset(at(2027, 10, 31, 4)).local_minus_utc(), 3600);
    }

    #[test]
    fn the_spring_night_gap_moves_forward_and_the_autumn_repeat_takes_summer() {
        // 02:30 does not exist on 29 March 2026: it is read as 03:30 summer time.
        assert_eq!(rome_instant(at_minute(2026, 3, 29, 2, 30)), utc("2026-03-29T01:30:00Z"));
        // 02:30 happens twice on 25 October 2026: the first (summer) one.
        assert_eq!(rome_instant(at_minute(2026, 10, 25, 2, 30)), utc("2026-10-25T00:30:00Z"));
        assert_eq!(rome_rfc3339(at_minute(2026, 10, 25, 2, 30)), "2026-10-25T02:30:00+02:00");
    }

    #[test]
    fn utc_instants_become_rome_wall_clock_times() {
        assert_eq!(utc_to_rome(utc("2026-01-10T10:00:00Z")), at(2026, 1, 10, 11));
        assert_eq!(utc_to_rome(utc("2026-07-10T10:00:00Z")), at(2026, 7, 10, 12));
        // Both halves of the repeated autumn hour read as 02:xx.
        assert_eq!(utc_to_rome(utc("2026-10-25T00:30:00Z")), at_minute(2026, 10, 25, 2, 30));
        assert_eq!(utc_to_rome(utc("2026-10-25T01:30:00Z")), at_minute(2026, 10, 25, 2, 30));
        assert_eq!(utc_to_rome(utc("2026-03-29T01:00:00Z")), at(2026, 3, 29, 3));
    }

    #[test]
    fn a_rome_day_starts_an_hour_or_two_before_utc_midnight() {
        let winter = rome_midnight_utc(NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"));
        assert_eq!(winter.to_rfc3339(), "2026-11-22T23:00:00+00:00");
        let summer = rome_midnight_utc(NaiveDate::from_ymd_opt(2026, 7, 1).expect("date"));
        assert_eq!(summer.to_rfc3339(), "2026-06-30T22:00:00+00:00");
    }

    #[test]
    fn stored_instants_sort_as_text_like_the_database_defaults() {
        let instant = utc("2026-11-22T23:00:00Z");
        assert_eq!(stored_instant(instant), "2026-11-22T23:00:00.000Z");
        assert_eq!(stored_second(instant), "2026-11-22T23:00:00Z");
        assert_eq!(parse_stored("2026-11-22T23:00:00.000Z"), Some(instant));
        assert_eq!(parse_stored("2026-11-22T23:00:00Z"), Some(instant));
        assert_eq!(parse_stored("2026-11-23T00:00:00+01:00"), Some(instant));
        assert_eq!(parse_stored("ieri"), None);
    }

    #[test]
    fn stored_instants_are_shown_in_rome_to_the_minute() {
        assert_eq!(stored_as_rome_minutes("2026-11-23T14:05:00.123Z"), "23/11/2026 15:05");
        assert_eq!(stored_as_rome_minutes("2026-07-23T14:05:00Z"), "23/07/2026 16:05");
        assert_eq!(stored_as_rome_minutes("non una data"), "non una data");
    }
}
