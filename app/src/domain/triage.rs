//! The five triage codes of the national guidelines (2019), used by the
//! emergency-room reports of the FSE and by the ER board.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Triage {
    /// 1 — emergency: vital functions compromised, immediate access.
    Red,
    /// 2 — urgency: risk to vital functions, within 15 minutes.
    Orange,
    /// 3 — deferrable urgency, stable, within 60 minutes.
    LightBlue,
    /// 4 — minor urgency, within 120 minutes.
    Green,
    /// 5 — non-urgent, within 240 minutes.
    White,
}

impl Triage {
    pub const ALL: [Triage; 5] = [Triage::Red, Triage::Orange, Triage::LightBlue, Triage::Green, Triage::White];

    /// The national numeric code, 1 (red) to 5 (white).
    pub fn code(self) -> u8 {
        self as u8 + 1
    }

    pub fn from_code(code: i64) -> Option<Triage> {
        usize::try_from(code)
            .ok()
            .and_then(|code| code.checked_sub(1))
            .and_then(|index| Triage::ALL.get(index))
            .copied()
    }

    /// Target maximum time before being seen, in minutes.
    pub fn target_minutes(self) -> u32 {
        [0, 15, 60, 120, 240][self as usize]
    }

    /// CSS class of the colour swatch (always shown next to the colour's name).
    pub fn swatch_class(self) -> &'static str {
        ["triage-red", "triage-orange", "triage-lightblue", "triage-green", "triage-white"][self as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_national_guidelines() {
        assert_eq!(Triage::from_code(1), Some(Triage::Red));
        assert_eq!(Triage::from_code(3), Some(Triage::LightBlue));
        assert_eq!(Triage::from_code(5), Some(Triage::White));
        for bad in [0, 6, -1] {
            assert_eq!(Triage::from_code(bad), None);
        }
        for triage in Triage::ALL {
            assert_eq!(Triage::from_code(i64::from(triage.code())), Some(triage));
        }
        assert_eq!(Triage::Orange.target_minutes(), 15);
        assert_eq!(Triage::White.target_minutes(), 240);
    }
}
