//! Opening hours written as text, the way ASL lists show them, and whether a
//! place is open now: for the page "Dove andare adesso" (on-duty pharmacies,
//! guardia medica points). The database keeps the text as it is; this
//! module parses it and answers "open until when" or "closed, opens when".
//!
//! The text is groups separated by `;`, each some days and one or more
//! intervals separated by `,`; spaces and capitals do not matter:
//!
//! ```text
//! lun-ven 08:30-12:30,15:30-19:30; sab 08:30-12:30
//! h24
//! lun-ven 20:00-08:00; sab 10:00-08:00; dom 08:00-08:00; festivi 08:00-08:00; prefestivi 10:00-08:00
//! ```
//!
//! - Days: `lun mar mer gio ven sab dom`, ranges (`lun-ven`), lists
//!   (`lun,mer,ven`), `festivi` (public holidays, the municipality's patron
//!   day included: `holidays.rs`) and `prefestivi` (the day before one).
//!   `h24` alone: always open, holidays included.
//! - Times `HH:MM`, `24:00` as an end. Intervals are `[start, end)`: open
//!   from the start minute, closed from the end minute. An end at or before
//!   the start is the next day (`20:00-08:00` is a night, `08:00-08:00` is
//!   24 hours), and the interval belongs to the day it starts on.
//!
//! The rule a day follows: on a holiday `festivi`, or closed without one;
//! on the day before a holiday `prefestivi` if there is one, except on a
//! Sunday, which keeps its own rule (a pharmacy closed on Sundays stays
//! closed on the Sunday before a holiday Monday); on any other day its
//! weekday's rule, or closed without one.
//!
//! Times are Europe/Rome wall-clock times, on purpose: that is how the ASL
//! writes them. The caller converts the current instant from UTC to Rome
//! time. So on the nights the clocks change an interval such as 20:00-08:00
//! lasts 11 or 13 real hours, and a local time that never occurs (02:30 on
//! the last Sunday of March) or occurs twice (02:30 on the last Sunday of
//! October) is simply evaluated as that wall-clock time.

use std::fmt;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::holidays::{self, PatronDay};

const MINUTES_PER_DAY: u32 = 24 * 60;
/// How far ahead `status_at` looks for the closing time or the next opening.
const HORIZON_DAYS: u32 = 7;
/// The day keys, Monday first (the index of a day in `WeeklyHours::weekdays`).
const WEEKDAYS: [(&str, Weekday); 7] = [
    ("lun", Weekday::Mon),
    ("mar", Weekday::Tue),
    ("mer", Weekday::Wed),
    ("gio", Weekday::Thu),
    ("ven", Weekday::Fri),
    ("sab", Weekday::Sat),
    ("dom", Weekday::Sun),
];
const HOLIDAYS_KEY: &str = "festivi";
const EVES_KEY: &str = "prefestivi";
const ALWAYS_OPEN_KEY: &str = "h24";

/// Why opening-hours text could not be read; the messages are for the
/// region's operators.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    #[error("nessun orario indicato")]
    Empty,
    #[error("giorno sconosciuto: «{0}»")]
    UnknownDay(String),
    #[error("giorno indicato due volte: «{0}»")]
    RepeatedDay(String),
    #[error("mancano i giorni: «{0}»")]
    MissingDays(String),
    #[error("mancano gli orari: «{0}»")]
    MissingIntervals(String),
    #[error("orario non valido: «{0}»")]
    InvalidTime(String),
    #[error("intervallo non valido: «{0}» (atteso HH:MM-HH:MM)")]
    InvalidInterval(String),
    #[error("intervalli sovrapposti: «{0}»")]
    OverlappingIntervals(String),
    #[error("«h24» va indicato da solo, senza altri orari")]
    AlwaysOpenWithOthers,
}

/// Whether a place is open at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenStatus {
    /// Open; `until` is when it closes (`None`: not within the next 7 days,
    /// as with `h24`).
    Open { until: Option<NaiveDateTime> },
    /// Closed; `opens` is when it opens next (`None`: not within the next 7 days).
    Closed { opens: Option<NaiveDateTime> },
}

/// One opening interval, in minutes from the start of the day it belongs
/// to; `end` is beyond 1440 when it closes the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Interval {
    start: u32,
    end: u32,
}

/// What the days part of a group names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DayKey {
    Weekday(Weekday),
    Holidays,
    Eves,
}

/// A week's opening hours, with the rules for holidays and the days before.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklyHours {
    always_open: bool,
    /// Monday first; `None`: no rule, closed that day.
    weekdays: [Option<Vec<Interval>>; 7],
    holidays: Option<Vec<Interval>>,
    eves: Option<Vec<Interval>>,
}

impl WeeklyHours {
    /// Reads opening hours as written in ASL lists (see the module's
    /// documentation).
    pub fn parse(text: &str) -> Result<WeeklyHours, HoursError> {
        let groups: Vec<&str> = text.split(';').map(str::trim).filter(|group| !group.is_empty()).collect();
        if groups.is_empty() {
            return Err(HoursError::Empty);
        }
        if groups.iter().any(|group| is_always_open(group)) {
            return match groups.len() {
                1 => Ok(WeeklyHours { always_open: true, ..WeeklyHours::default() }),
                _ => Err(HoursError::AlwaysOpenWithOthers),
            };
        }
        let mut hours = WeeklyHours::default();
        for group in groups {
            let (days, intervals) = split_group(group)?;
            let intervals = parse_intervals(intervals)?;
            for key in parse_days(days)? {
                let rule = hours.rule_mut(key);
                if rule.is_some() {
                    return Err(HoursError::RepeatedDay(key.name().to_owned()));
                }
                *rule = Some(intervals.clone());
            }
        }
        Ok(hours)
    }

    /// The text in its normal form: days in order, ranges for three days or
    /// more in a row, then `festivi` and `prefestivi` (what [`fmt::Display`] gives).
    pub fn text(&self) -> String {
        self.to_string()
    }

    /// Whether the place is open at `at` (Europe/Rome wall-clock time), and
    /// until when or from when. `patron` is the patron saint's day of the
    /// place's municipality.
    pub fn status_at(&self, at: NaiveDateTime, patron: Option<&PatronDay>) -> OpenStatus {
        if self.always_open {
            return OpenStatus::Open { until: None };
        }
        let horizon = Duration::days(i64::from(HORIZON_DAYS));
        match self.open_periods(at.date(), patron).into_iter().find(|&(_, end)| end > at) {
            Some((start, end)) if start <= at => OpenStatus::Open { until: (end - at <= horizon).then_some(end) },
            Some((start, _)) => OpenStatus::Closed { opens: (start - at <= horizon).then_some(start) },
            None => OpenStatus::Closed { opens: None },
        }
    }

    /// The periods it is open from the day before `day` (for the intervals
    /// that cross midnight into `day`) to 8 days after it, in order, with
    /// intervals that touch or overlap merged into one period: so the end
    /// of a period is a real closing time.
    fn open_periods(&self, day: NaiveDate, patron: Option<&PatronDay>) -> Vec<(NaiveDateTime, NaiveDateTime)> {
        let first = day.pred_opt().unwrap_or(day);
        let mut periods: Vec<(NaiveDateTime, NaiveDateTime)> = Vec::new();
        for date in first.iter_days().take(HORIZON_DAYS as usize + 3) {
            let midnight = date.and_time(NaiveTime::MIN);
            for interval in self.intervals_on(date, patron) {
                let start = midnight + Duration::minutes(i64::from(interval.start));
                let end = midnight + Duration::minutes(i64::from(interval.end));
                if let Some(last) = periods.last_mut().filter(|last| start <= last.1) {
                    last.1 = last.1.max(end);
                } else {
                    periods.push((start, end));
                }
            }
        }
        periods
    }

    /// The intervals that start on `day`, by the rule that day follows.
    fn intervals_on(&self, day: NaiveDate, patron: Option<&PatronDay>) -> &[Interval] {
        let weekday = day.weekday();
        let rule = if holidays::is_holiday(day, patron) {
            &self.holidays
        } else if weekday != Weekday::Sun && self.eves.is_some() && holidays::is_holiday_eve(day, patron) {
            &self.eves
        } else {
            &self.weekdays[weekday.num_days_from_monday() as usize]
        };
        rule.as_deref().unwrap_or(&[])
    }

    fn rule_mut(&mut self, key: DayKey) -> &mut Option<Vec<Interval>> {
        match key {
            DayKey::Weekday(weekday) => &mut self.weekdays[weekday.num_days_from_monday() as usize],
            DayKey::Holidays => &mut self.holidays,
            DayKey::Eves => &mut self.eves,
        }
    }
}

impl fmt::Display for WeeklyHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.always_open {
            return f.write_str(ALWAYS_OPEN_KEY);
        }
        let mut groups: Vec<String> = Vec::new();
        let mut written = [false; 7];
        for (index, rule) in self.weekdays.iter().enumerate() {
            let Some(intervals) = rule else { continue };
            if written[index] {
                continue;
            }
            let same: Vec<usize> =
                (index..WEEKDAYS.len()).filter(|&other| self.weekdays[other].as_ref() == Some(intervals)).collect();
            for &day in &same {
                written[day] = true;
            }
            groups.push(format!("{} {}", day_list(&same), interval_list(intervals)));
        }
        if let Some(intervals) = &self.holidays {
            groups.push(format!("{HOLIDAYS_KEY} {}", interval_list(intervals)));
        }
        if let Some(intervals) = &self.eves {
            groups.push(format!("{EVES_KEY} {}", interval_list(intervals)));
        }
        f.write_str(&groups.join("; "))
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let end = if self.end > MINUTES_PER_DAY { self.end - MINUTES_PER_DAY } else { self.end };
        write!(f, "{:02}:{:02}-{:02}:{:02}", self.start / 60, self.start % 60, end / 60, end % 60)
    }
}

impl DayKey {
    fn name(self) -> &'static str {
        match self {
            DayKey::Weekday(weekday) => WEEKDAYS[weekday.num_days_from_monday() as usize].0,
            DayKey::Holidays => HOLIDAYS_KEY,
            DayKey::Eves => EVES_KEY,
        }
    }
}

fn is_always_open(group: &str) -> bool {
    group.split_whitespace().collect::<String>().eq_ignore_ascii_case(ALWAYS_OPEN_KEY)
}

/// Splits a group where its times begin (the first digit): days, intervals.
fn split_group(group: &str) -> Result<(&str, &str), HoursError> {
    let Some(first_digit) = group.find(|c: char| c.is_ascii_digit()) else {
        return Err(HoursError::MissingIntervals(group.to_owned()));
    };
    let (days, intervals) = group.split_at(first_digit);
    if days.trim().is_empty() {
        return Err(HoursError::MissingDays(group.to_owned()));
    }
    Ok((days, intervals))
}

/// `lun-ven`, `lun,mer,ven`, `sab-lun`, `dom,festivi`…
fn parse_days(text: &str) -> Result<Vec<DayKey>, HoursError> {
    let compact = text.split_whitespace().collect::<String>().to_lowercase();
    let mut keys = Vec::new();
    for item in compact.split(',') {
        if item.is_empty() {
            return Err(HoursError::UnknownDay(compact.clone()));
        }
        if let Some((first, last)) = item.split_once('-') {
            let (Some(first), Some(last)) = (weekday_named(first), weekday_named(last)) else {
                return Err(HoursError::UnknownDay(item.to_owned()));
            };
            let mut weekday = first;
            keys.push(DayKey::Weekday(weekday));
            while weekday != last {
                weekday = weekday.succ();
                keys.push(DayKey::Weekday(weekday));
            }
            continue;
        }
        keys.push(match item {
            "festivi" | "festivo" => DayKey::Holidays,
            "prefestivi" | "prefestivo" => DayKey::Eves,
            _ => DayKey::Weekday(weekday_named(item).ok_or_else(|| HoursError::UnknownDay(item.to_owned()))?),
        });
    }
    Ok(keys)
}

fn weekday_named(key: &str) -> Option<Weekday> {
    WEEKDAYS.iter().find(|(name, _)| *name == key).map(|&(_, weekday)| weekday)
}

/// `08:30-12:30,15:30-19:30`, in order, checked not to overlap.
fn parse_intervals(text: &str) -> Result<Vec<Interval>, HoursError> {
    let mut intervals = text
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(parse_interval)
        .collect::<Result<Vec<Interval>, HoursError>>()?;
    intervals.sort();
    if intervals.windows(2).any(|pair| pair[1].start < pair[0].end) {
        return Err(HoursError::OverlappingIntervals(text.trim().to_owned()));
    }
    Ok(intervals)
}

fn parse_interval(item: &str) -> Result<Interval, HoursError> {
    let compact: String = item.split_whitespace().collect();
    let Some((start_text, end_text)) =
        compact.split_once('-').filter(|(start, end)| !start.is_empty() && !end.is_empty())
    else {
        return Err(HoursError::InvalidInterval(item.to_owned()));
    };
    let start = parse_clock(start_text, false).ok_or_else(|| HoursError::InvalidTime(start_text.to_owned()))?;
    let end = parse_clock(end_text, true).ok_or_else(|| HoursError::InvalidTime(end_text.to_owned()))?;
    Ok(Interval { start, end: if end <= start { end + MINUTES_PER_DAY } else { end } })
}

/// `HH:MM` (or `H:MM`, or with a dot) as minutes from midnight; `24:00` only
/// where `end_of_day_allowed`.
fn parse_clock(text: &str, end_of_day_allowed: bool) -> Option<u32> {
    let (hours, minutes) = text.split_once([':', '.'])?;
    let is_number = |part: &str, longest: usize| {
        !part.is_empty() && part.len() <= longest && part.bytes().all(|byte| byte.is_ascii_digit())
    };
    if !is_number(hours, 2) || !is_number(minutes, 2) || minutes.len() != 2 {
        return None;
    }
    let (hours, minutes): (u32, u32) = (hours.parse().ok()?, minutes.parse().ok()?);
    match (hours, minutes) {
        (24, 0) if end_of_day_allowed => Some(MINUTES_PER_DAY),
        (0..=23, 0..=59) => Some(hours * 60 + minutes),
        _ => None,
    }
}

/// Weekday indexes (Monday 0) as `lun-ven`, `sab,dom`, `lun,mer,ven`.
fn day_list(days: &[usize]) -> String {
    let name = |index: usize| WEEKDAYS[index].0;
    let mut parts: Vec<String> = Vec::new();
    let mut rest = days;
    while let Some(&first) = rest.first() {
        let run = rest.iter().enumerate().take_while(|&(offset, &day)| day == first + offset).count();
        let last = rest[run - 1];
        match run {
            1 => parts.push(name(first).to_owned()),
            2 => parts.extend([name(first).to_owned(), name(last).to_owned()]),
            _ => parts.push(format!("{}-{}", name(first), name(last))),
        }
        rest = &rest[run..];
    }
    parts.join(",")
}

fn interval_list(intervals: &[Interval]) -> String {
    intervals.iter().map(Interval::to_string).collect::<Vec<String>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHARMACY: &str = "lun-ven 08:30-12:30,15:30-19:30; sab 08:30-12:30";
    /// The guardia medica as ASL lists write it: weekday nights, from 10:00
    /// on Saturday and on the day before a holiday, 24 hours on Sundays and
    /// holidays, each up to 08:00 of the next day.
    const GUARDIA: &str =
        "lun-ven 20:00-08:00; sab 10:00-08:00; dom 08:00-08:00; festivi 08:00-08:00; prefestivi 10:00-08:00";
    /// The same written with whole days up to 24:00: Sunday night and the
    /// night after a holiday are then not covered.
    const GUARDIA_TO_MIDNIGHT: &str =
        "lun-ven 20:00-08:00; sab 10:00-24:00; dom 00:00-24:00; festivi 00:00-24:00; prefestivi 10:00-24:00";

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a valid test time")
    }

    fn hours(text: &str) -> WeeklyHours {
        WeeklyHours::parse(text).expect("valid test hours")
    }

    fn open_until(until: &str) -> OpenStatus {
        OpenStatus::Open { until: Some(at(until)) }
    }

    fn closed_until(opens: &str) -> OpenStatus {
        OpenStatus::Closed { opens: Some(at(opens)) }
    }

    fn genova() -> PatronDay {
        PatronDay { month: 6, day: 24, saint: "San Giovanni Battista".to_owned() }
    }

    #[test]
    fn open_from_the_opening_minute_closed_from_the_closing_minute() {
        let pharmacy = hours(PHARMACY);
        // Tuesday 10 March 2026.
        assert_eq!(pharmacy.status_at(at("2026-03-10 08:29"), None), closed_until("2026-03-10 08:30"));
        assert_eq!(pharmacy.status_at(at("2026-03-10 08:30"), None), open_until("2026-03-10 12:30"));
        assert_eq!(pharmacy.status_at(at("2026-03-10 12:29"), None), open_until("2026-03-10 12:30"));
        assert_eq!(pharmacy.status_at(at("2026-03-10 12:30"), None), closed_until("2026-03-10 15:30"));
        assert_eq!(pharmacy.status_at(at("2026-03-10 19:30"), None), closed_until("2026-03-11 08:30"));
    }

    #[test]
    fn closed_at_the_weekend_until_monday() {
        let pharmacy = hours(PHARMACY);
        assert_eq!(pharmacy.status_at(at("2026-03-14 12:30"), None), closed_until("2026-03-16 08:30"));
        assert_eq!(pharmacy.status_at(at("2026-03-15 10:00"), None), closed_until("2026-03-16 08:30"));
    }

    #[test]
    fn a_night_interval_across_midnight() {
        let guardia = hours(GUARDIA);
        assert_eq!(guardia.status_at(at("2026-03-10 19:59"), None), closed_until("2026-03-10 20:00"));
        assert_eq!(guardia.status_at(at("2026-03-10 20:00"), None), open_until("2026-03-11 08:00"));
        assert_eq!(guardia.status_at(at("2026-03-10 23:59"), None), open_until("2026-03-11 08:00"));
        assert_eq!(guardia.status_at(at("2026-03-11 00:00"), None), open_until("2026-03-11 08:00"));
        assert_eq!(guardia.status_at(at("2026-03-11 07:59"), None), open_until("2026-03-11 08:00"));
        assert_eq!(guardia.status_at(at("2026-03-11 08:00"), None), closed_until("2026-03-11 20:00"));
    }

    #[test]
    fn the_weekend_is_one_period_from_saturday_to_monday() {
        let guardia = hours(GUARDIA);
        // Friday night, the Saturday gap, then Saturday 10:00 to Monday 08:00.
        assert_eq!(guardia.status_at(at("2026-03-14 07:00"), None), open_until("2026-03-14 08:00"));
        assert_eq!(guardia.status_at(at("2026-03-14 09:00"), None), closed_until("2026-03-14 10:00"));
        assert_eq!(guardia.status_at(at("2026-03-14 15:00"), None), open_until("2026-03-16 08:00"));
        assert_eq!(guardia.status_at(at("2026-03-15 23:00"), None), open_until("2026-03-16 08:00"));
    }

    #[test]
    fn a_saturday_before_a_holiday_monday_stays_open_until_tuesday() {
        let guardia = hours(GUARDIA);
        // Monday 2 June 2025, Festa della Repubblica. Sunday 1 June is the
        // day before it but keeps the Sunday rule.
        assert_eq!(guardia.status_at(at("2025-05-31 15:00"), None), open_until("2025-06-03 08:00"));
        assert_eq!(guardia.status_at(at("2025-06-01 09:00"), None), open_until("2025-06-03 08:00"));
        assert_eq!(guardia.status_at(at("2025-06-02 20:00"), None), open_until("2025-06-03 08:00"));
        // Easter 2026: Holy Saturday is a prefestivo, then Easter and Easter Monday.
        assert_eq!(guardia.status_at(at("2026-04-04 15:00"), None), open_until("2026-04-07 08:00"));
    }

    #[test]
    fn whole_days_to_midnight_leave_the_night_after_uncovered() {
        let guardia = hours(GUARDIA_TO_MIDNIGHT);
        assert_eq!(guardia.status_at(at("2026-03-14 15:00"), None), open_until("2026-03-16 00:00"));
        assert_eq!(guardia.status_at(at("2026-03-16 03:00"), None), closed_until("2026-03-16 20:00"));
        assert_eq!(guardia.status_at(at("2026-12-24 10:00"), None), open_until("2026-12-28 00:00"));
    }

    #[test]
    fn christmas_eve_is_a_prefestivo() {
        let guardia = hours(GUARDIA);
        // Thursday 24 December 2026: the night from Wednesday ends at 08:00,
        // the prefestivo starts at 10:00 and runs through Christmas, Santo
        // Stefano (a Saturday) and Sunday, to Monday 08:00.
        assert_eq!(guardia.status_at(at("2026-12-24 07:59"), None), open_until("2026-12-24 08:00"));
        assert_eq!(guardia.status_at(at("2026-12-24 09:59"), None), closed_until("2026-12-24 10:00"));
        assert_eq!(guardia.status_at(at("2026-12-24 10:00"), None), open_until("2026-12-28 08:00"));
    }

    #[test]
    fn easter_monday_follows_the_holiday_rule() {
        let clinic = hours("lun-ven 08:00-20:00; festivi 09:00-12:00");
        assert_eq!(clinic.status_at(at("2026-04-06 08:30"), None), closed_until("2026-04-06 09:00"));
        assert_eq!(clinic.status_at(at("2026-04-06 09:00"), None), open_until("2026-04-06 12:00"));
        assert_eq!(clinic.status_at(at("2026-04-06 12:00"), None), closed_until("2026-04-07 08:00"));
    }

    #[test]
    fn a_holiday_without_a_holiday_rule_is_closed() {
        let pharmacy = hours(PHARMACY);
        // Tuesday 2 June 2026.
        assert_eq!(pharmacy.status_at(at("2026-06-02 10:00"), None), closed_until("2026-06-03 08:30"));
    }

    #[test]
    fn the_night_after_a_holiday_belongs_to_the_holiday() {
        // Thursday 1 January 2026. Without a holiday rule the night that
        // would start on the holiday does not exist; the night before it,
        // which starts on Wednesday, does.
        let nights = hours("lun-ven 20:00-08:00");
        assert_eq!(nights.status_at(at("2026-01-01 03:00"), None), open_until("2026-01-01 08:00"));
        assert_eq!(nights.status_at(at("2026-01-02 03:00"), None), closed_until("2026-01-02 20:00"));
        // With one, the holiday's 24 hours end on Friday at 08:00.
        let guardia = hours(GUARDIA);
        assert_eq!(guardia.status_at(at("2026-01-01 03:00"), None), open_until("2026-01-02 08:00"));
        assert_eq!(guardia.status_at(at("2026-01-02 07:59"), None), open_until("2026-01-02 08:00"));
        assert_eq!(guardia.status_at(at("2026-01-02 08:00"), None), closed_until("2026-01-02 20:00"));
    }

    #[test]
    fn a_sunday_before_a_holiday_keeps_the_sunday_rule() {
        let pharmacy = hours("lun-sab 08:30-12:30; prefestivi 08:30-12:00");
        // Sunday 1 June 2025, before the Monday holiday: still closed.
        assert_eq!(pharmacy.status_at(at("2025-06-01 10:00"), None), closed_until("2025-06-03 08:30"));
        // Wednesday 24 December 2025 closes at 12:00; Saturday 27th is not a prefestivo.
        assert_eq!(pharmacy.status_at(at("2025-12-24 12:00"), None), closed_until("2025-12-27 08:30"));
        assert_eq!(pharmacy.status_at(at("2025-12-27 12:15"), None), open_until("2025-12-27 12:30"));
    }

    #[test]
    fn the_patron_day_counts_only_with_the_patron() {
        let pharmacy = hours(PHARMACY);
        let patron = genova();
        // Wednesday 24 June 2026, San Giovanni Battista in Genova.
        assert_eq!(pharmacy.status_at(at("2026-06-24 10:00"), Some(&patron)), closed_until("2026-06-25 08:30"));
        assert_eq!(pharmacy.status_at(at("2026-06-24 10:00"), None), open_until("2026-06-24 12:30"));
        let guardia = hours(GUARDIA);
        assert_eq!(guardia.status_at(at("2026-06-23 10:00"), Some(&patron)), open_until("2026-06-25 08:00"));
        assert_eq!(guardia.status_at(at("2026-06-23 10:00"), None), closed_until("2026-06-23 20:00"));
    }

    #[test]
    fn the_night_the_clocks_go_forward() {
        // Sunday 28 March 2027 is also Easter. Local 02:00-02:59 never occurs.
        let nights = hours("lun-dom 20:00-08:00");
        assert_eq!(nights.status_at(at("2027-03-28 01:59"), None), open_until("2027-03-28 08:00"));
        assert_eq!(nights.status_at(at("2027-03-28 02:30"), None), open_until("2027-03-28 08:00"));
        assert_eq!(nights.status_at(at("2027-03-28 03:00"), None), open_until("2027-03-28 08:00"));
        // No holiday rule: closed on Easter and Easter Monday.
        assert_eq!(nights.status_at(at("2027-03-28 08:00"), None), closed_until("2027-03-30 20:00"));
        let guardia = hours(GUARDIA);
        assert_eq!(guardia.status_at(at("2027-03-28 01:59"), None), open_until("2027-03-30 08:00"));
        assert_eq!(guardia.status_at(at("2027-03-28 03:00"), None), open_until("2027-03-30 08:00"));
    }

    #[test]
    fn the_night_the_clocks_go_back() {
        // Sunday 25 October 2026: local 02:30 happens twice, and is evaluated
        // the same way both times.
        let nights = hours("lun-dom 20:00-08:00");
        let guardia = hours(GUARDIA);
        for _ in 0..2 {
            assert_eq!(nights.status_at(at("2026-10-25 02:30"), None), open_until("2026-10-25 08:00"));
            assert_eq!(guardia.status_at(at("2026-10-25 02:30"), None), open_until("2026-10-26 08:00"));
        }
    }

    #[test]
    fn always_open() {
        let always = hours("h24");
        assert_eq!(always.status_at(at("2026-12-25 03:00"), None), OpenStatus::Open { until: None });
        assert_eq!(always.status_at(at("2026-03-10 12:00"), None), OpenStatus::Open { until: None });
        let every_day = hours("lun-dom 00:00-24:00; festivi 00:00-24:00");
        assert_eq!(every_day.status_at(at("2026-03-10 12:00"), None), OpenStatus::Open { until: None });
    }

    #[test]
    fn nothing_within_seven_days() {
        let holidays_only = hours("festivi 09:00-12:00");
        assert_eq!(holidays_only.status_at(at("2026-03-10 10:00"), None), OpenStatus::Closed { opens: None });
        let sundays = hours("dom 09:00-12:00");
        assert_eq!(sundays.status_at(at("2026-03-15 12:00"), None), closed_until("2026-03-22 09:00"));
        // Easter Sunday, then Easter Monday.
        assert_eq!(holidays_only.status_at(at("2026-04-05 12:00"), None), closed_until("2026-04-06 09:00"));
    }

    #[test]
    fn adjacent_intervals_in_a_day_merge() {
        let split = hours("lun-ven 08:00-12:00,12:00-14:00");
        assert_eq!(split.status_at(at("2026-03-10 11:00"), None), open_until("2026-03-10 14:00"));
    }

    #[test]
    fn text_comes_back_normalised() {
        assert_eq!(hours(PHARMACY).text(), PHARMACY);
        assert_eq!(hours(GUARDIA).text(), GUARDIA);
        assert_eq!(hours(GUARDIA_TO_MIDNIGHT).text(), GUARDIA_TO_MIDNIGHT);
        assert_eq!(hours(" H24 ").text(), "h24");
        assert_eq!(
            hours(" LUN - VEN 15:30-19:30 , 8.30 - 12:30 ;sab 08:30-12:30 ;").text(),
            "lun-ven 08:30-12:30,15:30-19:30; sab 08:30-12:30"
        );
        assert_eq!(hours("ven,lun,mer 09:00-12:00").text(), "lun,mer,ven 09:00-12:00");
        assert_eq!(hours("sab-lun 09:00-12:00").text(), "lun,sab,dom 09:00-12:00");
        assert_eq!(hours("mar 09:00-12:00; lun 09:00-12:00").text(), "lun,mar 09:00-12:00");
        assert_eq!(hours("dom,festivi 00:00-00:00").text(), "dom 00:00-24:00; festivi 00:00-24:00");
        assert_eq!(hours("lun-ven 08:30-08:30").to_string(), "lun-ven 08:30-08:30");
    }

    #[test]
    fn the_normal_form_reads_back_the_same() {
        for text in [PHARMACY, GUARDIA, "h24", "sab-lun 09:00-12:00", "lun,mer 20:00-08:00; gio 10:00-24:00"] {
            let parsed = hours(text);
            assert_eq!(hours(&parsed.text()), parsed, "{text}");
        }
    }

    #[test]
    fn errors_name_the_bad_part() {
        let error = |text: &str| WeeklyHours::parse(text).expect_err(text);
        assert_eq!(error(""), HoursError::Empty);
        assert_eq!(error(" ; ;"), HoursError::Empty);
        assert_eq!(error("lunedi 08:00-12:00"), HoursError::UnknownDay("lunedi".to_owned()));
        assert_eq!(error("lun-venerdi 08:00-12:00"), HoursError::UnknownDay("lun-venerdi".to_owned()));
        assert_eq!(error("lun,,mar 08:00-12:00"), HoursError::UnknownDay("lun,,mar".to_owned()));
        assert_eq!(error("lun 25:00-26:00"), HoursError::InvalidTime("25:00".to_owned()));
        assert_eq!(error("lun 08:60-12:00"), HoursError::InvalidTime("08:60".to_owned()));
        assert_eq!(error("lun 24:00-08:00"), HoursError::InvalidTime("24:00".to_owned()));
        assert_eq!(error("lun 0800-1200"), HoursError::InvalidTime("0800".to_owned()));
        assert_eq!(error("lun 08:00"), HoursError::InvalidInterval("08:00".to_owned()));
        assert_eq!(error("lun 08:00-"), HoursError::InvalidInterval("08:00-".to_owned()));
        assert_eq!(error("lun; mar 08:00-12:00"), HoursError::MissingIntervals("lun".to_owned()));
        assert_eq!(error("08:00-12:00"), HoursError::MissingDays("08:00-12:00".to_owned()));
        assert_eq!(error("lun-ven 08:00-12:00; ven 15:00-18:00"), HoursError::RepeatedDay("ven".to_owned()));
        assert_eq!(
            error("lun 08:00-12:00,11:00-13:00"),
            HoursError::OverlappingIntervals("08:00-12:00,11:00-13:00".to_owned())
        );
        assert_eq!(error("h24; dom 08:00-12:00"), HoursError::AlwaysOpenWithOthers);
    }

    #[test]
    fn error_messages_are_in_italian() {
        let message = |text: &str| WeeklyHours::parse(text).expect_err(text).to_string();
        assert_eq!(message("lun 25:00-26:00"), "orario non valido: «25:00»");
        assert_eq!(message("lunedi 08:00-12:00"), "giorno sconosciuto: «lunedi»");
        assert_eq!(message("   "), "nessun orario indicato");
        assert_eq!(message("lun 08:00"), "intervallo non valido: «08:00» (atteso HH:MM-HH:MM)");
    }
}
