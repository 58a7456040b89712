//! Europe/Rome local time without a time-zone database: Italy follows the
//! EU rule (summer time from 01:00 UTC on the last Sunday of March to 01:00
//! UTC on the last Sunday of October).

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc, Weekday};

/// The UTC offset in force in Rome at a local wall-clock time.
pub fn rome_offset(local: NaiveDateTime) -> FixedOffset {
    let year = local.year();
    // Transition instants expressed in local standard time (UTC+1) + 1h = 02:00.
    let summer_starts = last_sunday(year, 3).and_hms_opt(2, 0, 0).unwrap_or_default();
    let summer_ends = last_sunday(year, 10).and_hms_opt(3, 0, 0).unwrap_or_default();
    let hours = if local >= summer_starts && local < summer_ends { 2 } else { 1 };
    FixedOffset::east_opt(hours * 3600).unwrap_or_else(|| Utc.fix())
}

/// A Rome wall-clock time as an RFC 3339 string with its offset.
pub fn rome_rfc3339(local: NaiveDateTime) -> String {
    let offset = rome_offset(local);
    match offset.from_local_datetime(&local).single() {
        Some(time) => time.to_rfc3339(),
        None => local.and_utc().to_rfc3339(),
    }
}

/// Today's date in Rome.
pub fn rome_today() -> NaiveDate {
    let now: DateTime<Utc> = Utc::now();
    let standard = now.naive_utc() + Duration::hours(1);
    (now.naive_utc() + Duration::seconds(i64::from(rome_offset(standard).local_minus_utc()))).date()
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) }
            .unwrap_or_default();
    let mut day = first_of_next - Duration::days(1);
    while day.weekday() != Weekday::Sun {
        day -= Duration::days(1);
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).and_then(|date| date.and_hms_opt(h, 0, 0)).expect("valid")
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
    }
}
