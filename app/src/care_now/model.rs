//! What "Dove andare adesso" shows.

use serde::{Deserialize, Serialize};

use crate::emergency::model::{AslOption, ErUnit, NearBy};

/// The page's query: `?vicino=Chiavari&asl=ASL4&giorno=2026-12-24&ora=23:00`,
/// or `?lat=…&lon=…` (the device position).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CareNowQuery {
    pub asl: Option<String>,
    /// A town of Liguria, to sort by distance.
    pub near: Option<String>,
    pub position: Option<(f64, f64)>,
    /// Another day (`YYYY-MM-DD`) and time (`HH:MM`) than now, Rome time.
    pub day: Option<String>,
    pub time: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CareNow {
    /// The moment the page is about, Rome time: `YYYY-MM-DD` and `HH:MM`
    /// (the form's values) and as people read it.
    pub day: String,
    pub time: String,
    pub moment_text: String,
    /// The page is about now (not a chosen day and time).
    pub is_now: bool,
    /// The chosen day and time could not be read: the page shows now.
    pub invalid_moment: bool,
    /// The holiday on that day in the place the list is sorted from.
    pub holiday: Option<String>,
    pub asls: Vec<AslOption>,
    pub asl: Option<String>,
    pub near: Option<NearBy>,
    pub unknown_town: Option<String>,
    /// The 116117 number in each ASL, the person's own first.
    pub line_116117: Vec<Line116117>,
    pub guardia_medica: Vec<CarePlace>,
    pub pharmacies_open: Vec<CarePlace>,
    /// Pharmacies of the list that are closed at that moment (not shown).
    pub pharmacies_closed: u32,
    pub case_comunita: Vec<CarePlace>,
    /// The nearest ER units (or the ASL's) with their live waits.
    pub er_units: Vec<ErUnit>,
}

/// Whether 116117 answers in an ASL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line116117 {
    pub asl_code: String,
    pub asl_name: String,
    /// `dd/mm/yyyy` since when it answers; None: not yet.
    pub active_since: Option<String>,
    /// The number to call where 116117 does not answer yet.
    pub alternative_phone: String,
    /// The ASL of the place the page is about.
    pub here: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarePlace {
    pub name: String,
    pub town: String,
    pub asl_name: String,
    pub address: String,
    pub phone: String,
    /// "3,4 km" when sorted by distance.
    pub distance: Option<String>,
    /// The hours as published ("lun-ven 08:30-12:30, 15:30-19:30; …").
    pub hours: String,
    pub open: Opening,
    /// On the pharmacies' duty rota at that moment, until (Rome time text).
    pub on_duty_until: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Opening {
    /// Open; closes at (text), or None when open around the clock.
    Open { until: Option<String> },
    /// Closed; opens at (text), or None when not within a week.
    Closed { opens: Option<String> },
}

impl Opening {
    pub fn is_open(&self) -> bool {
        matches!(self, Opening::Open { .. })
    }
}

/// `tel:` link of a phone number as written ("010 555 1234" → "tel:0105551234").
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    format!("tel:{digits}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_links_keep_only_digits() {
        assert_eq!(tel_href("010 555 1234"), "tel:0105551234");
        assert_eq!(tel_href("116117"), "tel:116117");
        assert_eq!(tel_href("+39 0185 1234"), "tel:+390185 1234".replace(' ', ""));
    }
}
