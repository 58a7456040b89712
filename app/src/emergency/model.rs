//! What the ER board shows, and the five triage codes (docs/DOMAIN.md).

use serde::{Deserialize, Serialize};

/// A unit's data are flagged as old after this many minutes without a report
/// (Liguria's units report every minute).
pub const STALE_AFTER_MINUTES: i64 = 15;
/// The trend covers the last 12 hours in half-hour steps.
pub const TREND_HOURS: i64 = 12;
pub const TREND_STEP_MINUTES: i64 = 30;
pub const TREND_POINTS: usize = (TREND_HOURS * 60 / TREND_STEP_MINUTES) as usize;

/// The national triage codes (2019 guidelines; Liguria since 1 March 2022).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Triage {
    Red,
    Orange,
    Azure,
    Green,
    White,
}

impl Triage {
    /// In code order, 1 to 5.
    pub const ALL: [Triage; 5] = [Triage::Red, Triage::Orange, Triage::Azure, Triage::Green, Triage::White];

    /// The key used by the ingest API and the live stream.
    pub fn key(self) -> &'static str {
        match self {
            Triage::Red => "red",
            Triage::Orange => "orange",
            Triage::Azure => "light_blue",
            Triage::Green => "green",
            Triage::White => "white",
        }
    }

    pub fn code(self) -> u8 {
        Triage::ALL.iter().position(|t| *t == self).map_or(0, |i| i as u8 + 1)
    }

    /// Target maximum time to be seen, in minutes (0 = immediate).
    pub fn target_minutes(self) -> u32 {
        match self {
            Triage::Red => 0,
            Triage::Orange => 15,
            Triage::Azure => 60,
            Triage::Green => 120,
            Triage::White => 240,
        }
    }
}

/// Counts per triage colour, in code order.
pub type PerColour<T> = [T; 5];

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErBoardQuery {
    /// ASL code (`ASL1` … `ASL5`).
    pub asl: Option<String>,
    /// A town of Liguria, to sort by distance.
    pub near: Option<String>,
    /// The device position, to sort by distance.
    pub position: Option<(f64, f64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AslOption {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NearBy {
    Town(String),
    Position,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErBoard {
    pub units: Vec<ErUnit>,
    pub asls: Vec<AslOption>,
    /// The ASL filter in force.
    pub asl: Option<String>,
    /// What the list is sorted by distance from.
    pub near: Option<NearBy>,
    /// A town was asked for that is not in Liguria's list.
    pub unknown_town: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErUnit {
    /// The facility code (`HUB-GASLINI`): the unit's id in the ingest API.
    pub code: String,
    pub name: String,
    pub town: String,
    pub asl_name: String,
    pub address: String,
    pub phone: String,
    pub paediatric: bool,
    /// "3,4 km" when sorted by distance.
    pub distance: Option<String>,
    pub status: Option<ErStatus>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErStatus {
    pub waiting: PerColour<u32>,
    pub in_treatment: PerColour<u32>,
    pub mean_wait_minutes: PerColour<Option<u32>>,
    /// Rome time of the report, dd/mm/yyyy hh:mm.
    pub reported_local: String,
    pub stale: bool,
    /// Patients waiting, one point per half hour over 12 hours (None: no report yet).
    pub trend: Vec<Option<u32>>,
}

/// One message of the live stream (`/pronto-soccorso/in-diretta`, event `unit`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErLiveUpdate {
    pub unit: String,
    pub waiting: PerColour<u32>,
    pub in_treatment: PerColour<u32>,
    pub mean_wait_minutes: PerColour<Option<u32>>,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub reported_at: String,
    pub reported_local: String,
}

/// "1 h 35 min", "25 min".
pub fn minutes_text(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The trend as SVG polyline points in a `width` × `height` box (y grows
/// down; the highest count touches the top). Missing points are skipped.
pub fn trend_points(trend: &[Option<u32>], width: f64, height: f64) -> String {
    let max = trend.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    let step = if trend.len() > 1 { width / (trend.len() - 1) as f64 } else { 0.0 };
    trend
        .iter()
        .enumerate()
        .filter_map(|(i, value)| {
            value.map(|v| format!("{:.1},{:.1}", i as f64 * step, height - (v as f64 / max) * height))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_codes_are_in_order_with_their_target_times() {
        let codes: Vec<u8> = Triage::ALL.iter().map(|t| t.code()).collect();
        assert_eq!(codes, [1, 2, 3, 4, 5]);
        let targets: Vec<u32> = Triage::ALL.iter().map(|t| t.target_minutes()).collect();
        assert_eq!(targets, [0, 15, 60, 120, 240]);
        assert_eq!(Triage::Azure.key(), "light_blue");
    }

    #[test]
    fn minutes_read_as_hours_and_minutes() {
        assert_eq!(minutes_text(25), "25 min");
        assert_eq!(minutes_text(120), "2 h");
        assert_eq!(minutes_text(95), "1 h 35 min");
    }

    #[test]
    fn the_trend_fills_its_box_and_skips_missing_points() {
        assert_eq!(trend_points(&[Some(0), None, Some(4)], 100.0, 20.0), "0.0,20.0 100.0,0.0");
        assert_eq!(trend_points(&[None, None], 100.0, 20.0), "");
    }
}
