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
    utc_to_rome(Utc::now()).date()
}

/// The Rome wall-clock time of a UTC instant.
pub fn utc_to_rome(instant: DateTime<Utc>) -> NaiveDateTime {
    let standard = instant.naive_utc() + Duration::hours(1);
    instant.naive_utc() + Duration::seconds(i64::from(rome_offset(standard).local_minus_utc()))
}

/// The UTC instant of midnight at the start of a Rome day.
pub fn rome_midnight_utc(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    (local - Duration::seconds(i64::from(rome_offset(local).local_minus_utc()))).and_utc()
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

    #[test]
    fn utc_instants_become_rome_wall_clock_times() {
        let winter = NaiveDate::from_ymd_opt(2026, 1, 10).expect("date").and_hms_opt(10, 0, 0).expect("time").and_utc();
        assert_eq!(utc_to_rome(winter), at(2026, 1, 10, 11));
        let summer = NaiveDate::from_ymd_opt(2026, 7, 10).expect("date").and_hms_opt(10, 0, 0).expect("time").and_utc();
        assert_eq!(utc_to_rome(summer), at(2026, 7, 10, 12));
    }

    #[test]
    fn a_rome_day_starts_an_hour_or_two_before_utc_midnight() {
        let winter = rome_midnight_utc(NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"));
        assert_eq!(winter.to_rfc3339(), "2026-11-22T23:00:00+00:00");
        let summer = rome_midnight_utc(NaiveDate::from_ymd_opt(2026, 7, 1).expect("date"));
        assert_eq!(summer.to_rfc3339(), "2026-06-30T22:00:00+00:00");
    }
}
