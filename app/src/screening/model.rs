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

/// Adherence of one programme in one ASL and age band: of the people the
/// programme invites, how many are covered (a test within the interval).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdherenceRow {
    pub programme: Programme,
    pub asl: String,
    /// "50–54".
    pub band: String,
    pub invited: u64,
    pub covered: u64,
}

/// Vaccination coverage of a campaign: eligible people and those with the
/// campaign's dose (flu: this season).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignCoverage {
    pub campaign: Campaign,
    pub asl: String,
    pub eligible: u64,
    pub vaccinated: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdherenceReport {
    /// `YYYY-MM-DD`.
    pub as_of: String,
    pub rows: Vec<AdherenceRow>,
    pub campaigns: Vec<CampaignCoverage>,
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
