//! Italian public holidays, for the opening hours of "Dove andare adesso".
//!
//! Pharmacies and guardia medica points keep other hours on public holidays
//! (festivi) and on the days before them (prefestivi), so the opening rules
//! (`opening.rs`) ask this module which days those are. The national
//! holidays are set by law (L. 260/1949 and later laws): the ones on a fixed
//! date are a table, [`NATIONAL`], so that a new law is one more line; Easter
//! and Easter Monday are computed. Each municipality also rests on its patron
//! saint's day, which is data (a database table) and comes in as a
//! [`PatronDay`].
//!
//! Sundays are not holidays here: opening hours have their own rule for
//! Sunday (`dom`). For the same reason Saturday is not automatically the day
//! before a holiday.

use chrono::{Datelike, NaiveDate};

/// A national holiday on the same date every year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedHoliday {
    pub month: u32,
    pub day: u32,
    /// The name shown to people, in Italian.
    pub name: &'static str,
    /// The first year it is a holiday; `None`: every year the portal deals with.
    pub from_year: Option<i32>,
}

impl FixedHoliday {
    /// Whether `day` is this holiday.
    pub fn falls_on(&self, day: NaiveDate) -> bool {
        day.month() == self.month && day.day() == self.day && self.from_year.is_none_or(|first| day.year() >= first)
    }
}

/// The national holidays on a fixed date, in calendar order. The dates are
/// today's calendar; the years before it (2 June moved to a Sunday from 1977
/// to 2000, say) are not modelled.
pub const NATIONAL: &[FixedHoliday] = &[
    FixedHoliday { month: 1, day: 1, name: "Capodanno", from_year: None },
    FixedHoliday { month: 1, day: 6, name: "Epifania", from_year: None },
    FixedHoliday { month: 4, day: 25, name: "Festa della Liberazione", from_year: None },
    FixedHoliday { month: 5, day: 1, name: "Festa del Lavoro", from_year: None },
    FixedHoliday { month: 6, day: 2, name: "Festa della Repubblica", from_year: None },
    FixedHoliday { month: 8, day: 15, name: "Ferragosto", from_year: None },
    // San Francesco d'Assisi, patron saint of Italy: a national holiday again
    // by L. 8 ottobre 2025 n. 151 (Gazzetta Ufficiale n. 236 of 10/10/2025),
    // in force from 1 January 2026.
    FixedHoliday { month: 10, day: 4, name: "San Francesco d'Assisi", from_year: Some(2026) },
    FixedHoliday { month: 11, day: 1, name: "Ognissanti", from_year: None },
    FixedHoliday { month: 12, day: 8, name: "Immacolata Concezione", from_year: None },
    FixedHoliday { month: 12, day: 25, name: "Natale", from_year: None },
    FixedHoliday { month: 12, day: 26, name: "Santo Stefano", from_year: None },
];

/// The name of Easter Sunday.
pub const EASTER: &str = "Pasqua";
/// The name of Easter Monday.
pub const EASTER_MONDAY: &str = "Lunedì dell'Angelo";

/// A municipality's patron saint's day (a holiday in that municipality only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatronDay {
    pub month: u32,
    pub day: u32,
    /// The saint, as people call it ("San Giovanni Battista").
    pub saint: String,
}

impl PatronDay {
    /// Whether `day` is the patron saint's day.
    pub fn falls_on(&self, day: NaiveDate) -> bool {
        day.month() == self.month && day.day() == self.day
    }
}

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous
/// Gregorian algorithm, also known as Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let golden = year.rem_euclid(19);
    let century = year.div_euclid(100);
    let year_of_century = year.rem_euclid(100);
    let leap_centuries = century / 4;
    let century_rest = century % 4;
    let moon_correction = (century + 8) / 25;
    let moon_shift = (century - moon_correction + 1) / 3;
    let epact = (19 * golden + century - leap_centuries - moon_shift + 15).rem_euclid(30);
    let leap_years = year_of_century / 4;
    let year_rest = year_of_century % 4;
    let to_sunday = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest).rem_euclid(7);
    let late = (golden + 11 * epact + 22 * to_sunday) / 451;
    let count = epact + to_sunday - 7 * late + 114;
    // Always 22 March to 25 April: `month` is 3 or 4 and the day valid, so
    // the fallback only covers years outside chrono's range.
    let (month, day) = ((count / 31).unsigned_abs(), (count % 31 + 1).unsigned_abs());
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// The Italian name of the holiday `day` is, or `None` on a working day (and
/// on an ordinary Sunday). `patron` is the municipality's patron saint's
/// day, if it has one.
pub fn holiday(day: NaiveDate, patron: Option<&PatronDay>) -> Option<String> {
    if let Some(fixed) = NATIONAL.iter().find(|fixed| fixed.falls_on(day)) {
        return Some(fixed.name.to_owned());
    }
    let easter = easter_sunday(day.year());
    if day == easter {
        return Some(EASTER.to_owned());
    }
    if easter.succ_opt() == Some(day) {
        return Some(EASTER_MONDAY.to_owned());
    }
    patron.filter(|patron| patron.falls_on(day)).map(|patron| format!("{} (santo patrono)", patron.saint))
}

/// Whether `day` is a holiday (see [`holiday`]).
pub fn is_holiday(day: NaiveDate, patron: Option<&PatronDay>) -> bool {
    holiday(day, patron).is_some()
}

/// Whether `day` is the day before a holiday (prefestivo) without being one
/// itself. A Saturday before an ordinary Sunday is not.
pub fn is_holiday_eve(day: NaiveDate, patron: Option<&PatronDay>) -> bool {
    !is_holiday(day, patron) && day.succ_opt().is_some_and(|next| is_holiday(next, patron))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("a valid test date")
    }

    fn genova() -> PatronDay {
        PatronDay { month: 6, day: 24, saint: "San Giovanni Battista".to_owned() }
    }

    #[test]
    fn easter_sunday_matches_the_calendar() {
        assert_eq!(easter_sunday(2024), date(2024, 3, 31));
        assert_eq!(easter_sunday(2025), date(2025, 4, 20));
        assert_eq!(easter_sunday(2026), date(2026, 4, 5));
        assert_eq!(easter_sunday(2027), date(2027, 3, 28));
        assert_eq!(easter_sunday(2000), date(2000, 4, 23));
        assert_eq!(easter_sunday(2019), date(2019, 4, 21));
    }

    #[test]
    fn easter_sunday_at_its_latest_and_earliest() {
        assert_eq!(easter_sunday(2038), date(2038, 4, 25));
        assert_eq!(easter_sunday(2285), date(2285, 3, 22));
    }

    #[test]
    fn easter_is_always_a_sunday_between_22_march_and_25_april() {
        for year in 1900..=2400 {
            let easter = easter_sunday(year);
            assert_eq!(easter.weekday(), chrono::Weekday::Sun, "{year}");
            assert!((date(year, 3, 22)..=date(year, 4, 25)).contains(&easter), "{year}");
        }
    }

    #[test]
    fn easter_and_easter_monday_are_holidays() {
        assert_eq!(holiday(date(2026, 4, 5), None).as_deref(), Some("Pasqua"));
        assert_eq!(holiday(date(2026, 4, 6), None).as_deref(), Some("Lunedì dell'Angelo"));
        assert_eq!(holiday(date(2026, 4, 7), None), None);
        assert_eq!(holiday(date(2026, 4, 4), None), None);
    }

    #[test]
    fn fixed_national_holidays() {
        assert_eq!(holiday(date(2026, 1, 1), None).as_deref(), Some("Capodanno"));
        assert_eq!(holiday(date(2026, 1, 6), None).as_deref(), Some("Epifania"));
        assert_eq!(holiday(date(2026, 4, 25), None).as_deref(), Some("Festa della Liberazione"));
        assert_eq!(holiday(date(2026, 5, 1), None).as_deref(), Some("Festa del Lavoro"));
        assert_eq!(holiday(date(2026, 6, 2), None).as_deref(), Some("Festa della Repubblica"));
        assert_eq!(holiday(date(2026, 8, 15), None).as_deref(), Some("Ferragosto"));
        assert_eq!(holiday(date(2026, 11, 1), None).as_deref(), Some("Ognissanti"));
        assert_eq!(holiday(date(2026, 12, 8), None).as_deref(), Some("Immacolata Concezione"));
        assert_eq!(holiday(date(2026, 12, 25), None).as_deref(), Some("Natale"));
        assert_eq!(holiday(date(2026, 12, 26), None).as_deref(), Some("Santo Stefano"));
    }

    #[test]
    fn the_days_around_2_june_are_not_holidays() {
        assert_eq!(holiday(date(2026, 6, 1), None), None);
        assert_eq!(holiday(date(2026, 6, 3), None), None);
    }

    #[test]
    fn san_francesco_only_from_2026() {
        assert_eq!(holiday(date(2025, 10, 4), None), None);
        assert_eq!(holiday(date(2026, 10, 4), None).as_deref(), Some("San Francesco d'Assisi"));
        assert_eq!(holiday(date(2030, 10, 4), None).as_deref(), Some("San Francesco d'Assisi"));
    }

    #[test]
    fn the_patron_day_only_where_it_is_given() {
        let patron = genova();
        assert_eq!(holiday(date(2026, 6, 24), Some(&patron)).as_deref(), Some("San Giovanni Battista (santo patrono)"));
        assert_eq!(holiday(date(2026, 6, 24), None), None);
        assert_eq!(holiday(date(2026, 6, 25), Some(&patron)), None);
        assert!(is_holiday_eve(date(2026, 6, 23), Some(&patron)));
        assert!(!is_holiday_eve(date(2026, 6, 23), None));
    }

    #[test]
    fn a_national_holiday_keeps_its_name_on_the_patron_day() {
        let patron = PatronDay { month: 12, day: 8, saint: "Immacolata".to_owned() };
        assert_eq!(holiday(date(2026, 12, 8), Some(&patron)).as_deref(), Some("Immacolata Concezione"));
    }

    #[test]
    fn sundays_are_not_holidays_and_saturdays_not_eves() {
        // 8 March 2026 is an ordinary Sunday, the 7th an ordinary Saturday.
        assert_eq!(holiday(date(2026, 3, 8), None), None);
        assert!(!is_holiday_eve(date(2026, 3, 7), None));
    }

    #[test]
    fn a_normal_tuesday_is_neither() {
        assert_eq!(holiday(date(2026, 3, 10), None), None);
        assert!(!is_holiday_eve(date(2026, 3, 10), None));
    }

    #[test]
    fn christmas_eve_and_new_years_eve_are_eves() {
        assert!(is_holiday_eve(date(2026, 12, 24), None));
        assert!(is_holiday_eve(date(2026, 12, 31), None));
        assert!(is_holiday_eve(date(2026, 4, 4), None), "Holy Saturday, before Easter");
    }

    #[test]
    fn a_holiday_before_a_holiday_is_not_an_eve() {
        assert!(!is_holiday_eve(date(2026, 12, 25), None), "Christmas, before Santo Stefano");
        assert!(!is_holiday_eve(date(2026, 4, 5), None), "Easter, before Easter Monday");
        assert!(!is_holiday_eve(date(2026, 12, 26), None));
    }
}
