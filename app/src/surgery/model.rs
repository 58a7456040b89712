//! The surgery tracker's data: the phases of an operation (docs/DOMAIN.md) and
//! what a follower and a patient see. Timing only, never clinical details.

use serde::{Deserialize, Serialize};

/// The phases of an operation, in order. The last step is either "back to
/// ward" or "intensive care".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Phase {
    Admitted,
    InBlock,
    InTheatre,
    SurgeryStarted,
    SurgeryEnded,
    Recovery,
    BackToWard,
    IntensiveCare,
}

/// Followers keep access this long after the last phase (back to ward or
/// intensive care); the precedent (San Martino) shows 24 hours after.
pub const ACCESS_HOURS_AFTER_END: i64 = 24;
/// People one patient may authorise per operation.
pub const MAX_AUTHORISED: usize = 10;

impl Phase {
    pub const ALL: [Phase; 8] = [
        Phase::Admitted,
        Phase::InBlock,
        Phase::InTheatre,
        Phase::SurgeryStarted,
        Phase::SurgeryEnded,
        Phase::Recovery,
        Phase::BackToWard,
        Phase::IntensiveCare,
    ];

    /// The code used by the ingest API and stored.
    pub fn code(self) -> &'static str {
        match self {
            Phase::Admitted => "admitted",
            Phase::InBlock => "in_block",
            Phase::InTheatre => "in_theatre",
            Phase::SurgeryStarted => "surgery_started",
            Phase::SurgeryEnded => "surgery_ended",
            Phase::Recovery => "recovery",
            Phase::BackToWard => "back_to_ward",
            Phase::IntensiveCare => "intensive_care",
        }
    }

    pub fn from_code(code: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|phase| phase.code() == code)
    }

    /// How far along the operation is: the two endings are equally far.
    pub fn step(self) -> u8 {
        match self {
            Phase::IntensiveCare => Phase::BackToWard as u8,
            phase => phase as u8,
        }
    }

    /// After this phase the case is over (access ends some hours later).
    pub fn is_end(self) -> bool {
        matches!(self, Phase::BackToWard | Phase::IntensiveCare)
    }

    /// Whether an event for `next` moves a case that reached `self`:
    /// only forward (a late event for an earlier phase fills the timeline).
    pub fn advances_to(self, next: Phase) -> bool {
        next.step() > self.step()
    }
}

/// One step of the timeline; `at_*` is empty until the phase is reached.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub phase: Phase,
    /// Local time in Europe/Rome, `dd/mm/yyyy hh:mm`.
    pub at_local: Option<String>,
    /// UTC, RFC 3339, for `<time datetime>`.
    pub at_utc: Option<String>,
}

/// The timeline of one case from its phase times: the six common phases,
/// then whichever ending happened (back to ward until one did).
pub fn timeline(reached: &[(Phase, String, String)]) -> Vec<Step> {
    let time_of =
        |phase: Phase| reached.iter().find(|(p, _, _)| *p == phase).map(|(_, local, utc)| (local.clone(), utc.clone()));
    let ending = if time_of(Phase::IntensiveCare).is_some() { Phase::IntensiveCare } else { Phase::BackToWard };
    Phase::ALL[..6]
        .iter()
        .copied()
        .chain(std::iter::once(ending))
        .map(|phase| {
            let at = time_of(phase);
            Step { phase, at_local: at.as_ref().map(|a| a.0.clone()), at_utc: at.map(|a| a.1) }
        })
        .collect()
}

/// A case as an authorised person sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: i64,
    pub patient_name: String,
    pub hospital: String,
    pub current: Phase,
    pub steps: Vec<Step>,
    /// When following ends (set once the case is over), local time.
    pub access_until_local: Option<String>,
}

/// A line of "operations you may follow".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowedCase {
    pub id: i64,
    pub patient_name: String,
    pub hospital: String,
    pub current: Phase,
    pub since_local: String,
}

/// A person authorised to follow one of my operations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Follower {
    pub fiscal_code: String,
    /// Their name when they are in the regional registry.
    pub name: Option<String>,
    pub granted_local: String,
    /// Authorised by the hospital at admission (on the patient's word).
    pub by_hospital: bool,
}

/// One of my operations (as the patient, or for my child).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCase {
    pub id: i64,
    pub hospital: String,
    pub current: Phase,
    pub since_local: String,
    pub followers: Vec<Follower>,
    /// Followers can still be added (the case is not over).
    pub open: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurgeryOverview {
    pub following: Vec<FollowedCase>,
    pub mine: Vec<MyCase>,
}

/// What the live stream of a case sends: the phase reached and its time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseUpdate {
    pub case_id: i64,
    pub phase: String,
    pub at_local: String,
    pub at_utc: String,
    /// The case's phase after this event (never backwards).
    pub current: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for phase in Phase::ALL {
            assert_eq!(Phase::from_code(phase.code()), Some(phase));
        }
        assert_eq!(Phase::from_code("SURGERY_STARTED"), None);
        assert_eq!(Phase::from_code(""), None);
    }

    #[test]
    fn a_case_only_moves_forward_and_the_two_endings_are_equal() {
        assert!(Phase::Admitted.advances_to(Phase::InBlock));
        assert!(Phase::Admitted.advances_to(Phase::Recovery));
        assert!(!Phase::SurgeryEnded.advances_to(Phase::InTheatre));
        assert!(!Phase::Recovery.advances_to(Phase::Recovery));
        assert!(!Phase::BackToWard.advances_to(Phase::IntensiveCare));
        assert!(!Phase::IntensiveCare.advances_to(Phase::BackToWard));
        assert!(Phase::BackToWard.is_end() && Phase::IntensiveCare.is_end() && !Phase::Recovery.is_end());
    }

    #[test]
    fn the_timeline_ends_with_the_ending_that_happened() {
        let at = |phase| (phase, "23/11/2026 10:00".to_string(), "2026-11-23T09:00:00Z".to_string());
        let open = timeline(&[at(Phase::Admitted), at(Phase::InTheatre)]);
        assert_eq!(open.len(), 7);
        assert_eq!(open[6].phase, Phase::BackToWard);
        assert!(open[0].at_local.is_some() && open[1].at_local.is_none() && open[2].at_local.is_some());
        let icu = timeline(&[at(Phase::Admitted), at(Phase::IntensiveCare)]);
        assert_eq!(icu[6].phase, Phase::IntensiveCare);
        assert!(icu[6].at_utc.is_some());
    }
}
