//! The screening programmes, the FIT kit's journey and the region's
//! adherence figures as the pages show them.

use serde::{Deserialize, Serialize};

use crate::cup::model::{Choice, Place};
use crate::domain::screening::{NotInvited, Programme, ScreeningResult, ScreeningTest};
use crate::domain::vaccination::Campaign;
use crate::prevention::model::Appointment;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastTest {
    pub test: ScreeningTest,
    /// `YYYY-MM-DD`.
    pub day: String,
    pub result: ScreeningResult,
    /// The FSE document reporting it, when it came through the portal.
    pub document_id: Option<i64>,
}

/// The steps of a FIT kit, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum KitStep {
    Requested,
    Ready,
    Collected,
    Returned,
    Resulted,
}

impl KitStep {
    pub const ALL: [KitStep; 5] =
        [KitStep::Requested, KitStep::Ready, KitStep::Collected, KitStep::Returned, KitStep::Resulted];

    pub fn code(self) -> &'static str {
        match self {
            KitStep::Requested => "requested",
            KitStep::Ready => "ready",
            KitStep::Collected => "collected",
            KitStep::Returned => "returned",
            KitStep::Resulted => "resulted",
        }
    }

    pub fn from_code(code: &str) -> Option<KitStep> {
        KitStep::ALL.into_iter().find(|step| step.code() == code)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kit {
    pub code: String,
    pub pharmacy: Place,
    pub step: KitStep,
    /// Rome time (dd/mm/yyyy hh:mm) each step was reached, in step order.
    pub reached: Vec<Option<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeCard {
    pub programme: Programme,
    /// The test the subject is invited to, or why not.
    pub invitation: Result<ScreeningTest, NotInvited>,
    pub last: Option<LastTest>,
    /// When the next test is due (`YYYY-MM-DD`); `None` with `due_now`.
    pub next_due: Option<String>,
    pub due_now: bool,
    /// The last result was positive: the second-level exam is proposed.
    pub second_level_proposed: bool,
    pub appointment: Option<Appointment>,
    pub second_level_appointment: Option<Appointment>,
    /// Colorectal: the open kit, or the last one.
    pub kit: Option<Kit>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreeningPage {
    pub subject_name: String,
    pub age_years: u32,
    pub programmes: Vec<ProgrammeCard>,
    /// Pharmacies handing out FIT kits, those of the subject's ASL first.
    pub pharmacies: Vec<Choice>,
}

/// Counts of fewer people than this are not published (statistical
/// confidentiality of health data: a cell of one to four people could point
/// at a person). Zero is shown: it reveals nobody.
pub const SMALL_CELL_MIN: u64 = 5;

/// A count that is published only when it is zero or describes at least
/// [`SMALL_CELL_MIN`] people; `None` = not shown. The server hides the
/// numbers before they leave it.
pub type Shown = Option<u64>;

/// Adherence of one programme in one ASL and age band: of the people the
/// programme invites, how many are covered (a test within the interval).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdherenceRow {
    pub programme: Programme,
    pub asl: String,
    /// "50–54".
    pub band: String,
    pub invited: Shown,
    pub covered: Shown,
}

/// A programme's totals over every ASL and band (true counts: totals are
/// large; the cells hidden beside them are protected by [`suppress_cells`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeTotal {
    pub programme: Programme,
    pub invited: u64,
    pub covered: u64,
}

/// Vaccination coverage of a campaign: eligible people and those with the
/// campaign's dose (flu: this season).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignCoverage {
    pub campaign: Campaign,
    pub asl: String,
    pub eligible: Shown,
    pub vaccinated: Shown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdherenceReport {
    /// `YYYY-MM-DD`.
    pub as_of: String,
    pub rows: Vec<AdherenceRow>,
    pub totals: Vec<ProgrammeTotal>,
    pub campaigns: Vec<CampaignCoverage>,
}

/// Whether a count is too small to publish.
pub fn is_small_cell(count: u64) -> bool {
    (1..SMALL_CELL_MIN).contains(&count)
}

/// Which of a table's rows `(whole, part)` are hidden. Primary: a row whose
/// whole, part or remainder (whole − part) counts one to four people.
/// Secondary, for a table whose totals are published: when exactly one row
/// is hidden, the smallest other row is hidden too, so that the total minus
/// the shown rows cannot give the hidden one back.
pub fn suppress_cells(rows: &[(u64, u64)], totals_published: bool) -> Vec<bool> {
    let mut hidden: Vec<bool> = rows
        .iter()
        .map(|&(whole, part)| is_small_cell(whole) || is_small_cell(part) || is_small_cell(whole.saturating_sub(part)))
        .collect();
    if totals_published && hidden.iter().filter(|h| **h).count() == 1 {
        if let Some((index, _)) =
            rows.iter().enumerate().filter(|(i, _)| !hidden[*i]).min_by_key(|(_, (whole, _))| *whole)
        {
            hidden[index] = true;
        }
    }
    hidden
}

/// Percentage with one decimal, "—" when nobody is invited.
pub fn percent_text(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "—".to_string();
    }
    let tenths = (part * 1000 + whole / 2) / whole;
    format!("{},{} %", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_of_one_to_four_people_are_hidden_and_zero_is_shown() {
        assert!(!is_small_cell(0));
        assert!(is_small_cell(1) && is_small_cell(4));
        assert!(!is_small_cell(SMALL_CELL_MIN));
        // whole, part, remainder: any of them small hides the row.
        assert_eq!(
            suppress_cells(&[(40, 20), (3, 0), (40, 38), (40, 2), (0, 0)], false),
            [false, true, true, true, false]
        );
    }

    #[test]
    fn a_lone_hidden_row_beside_a_published_total_takes_the_smallest_other_with_it() {
        let rows = [(120, 60), (4, 1), (30, 15), (90, 45)];
        assert_eq!(suppress_cells(&rows, true), [false, true, true, false]);
        assert_eq!(suppress_cells(&rows, false), [false, true, false, false]);
        // Two hidden rows already protect each other.
        assert_eq!(suppress_cells(&[(120, 60), (4, 1), (3, 1)], true), [false, true, true]);
        assert_eq!(suppress_cells(&[(120, 60), (90, 45)], true), [false, false]);
    }

    #[test]
    fn percentages_are_rounded_to_one_decimal() {
        assert_eq!(percent_text(1, 3), "33,3 %");
        assert_eq!(percent_text(2, 3), "66,7 %");
        assert_eq!(percent_text(0, 0), "—");
        assert_eq!(percent_text(5, 5), "100,0 %");
    }

    #[test]
    fn kit_steps_round_trip() {
        for step in KitStep::ALL {
            assert_eq!(KitStep::from_code(step.code()), Some(step));
        }
        assert!(KitStep::Requested < KitStep::Resulted);
    }
}
