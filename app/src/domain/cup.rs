//! Booking rules of the regional CUP (docs/DOMAIN.md): priority classes and
//! their maximum waits (PNGLA 2019–2021), and the shape of an NRE.

use serde::{Deserialize, Serialize};

/// Priority class written by the prescribing doctor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Priority {
    /// Urgente: within 72 hours.
    U,
    /// Breve: within 10 days.
    B,
    /// Differibile: within 30 days (visits) or 60 (diagnostic exams).
    D,
    /// Programmata: within 120 days.
    P,
}

/// Maximum waits in days.
pub const URGENT_DAYS: u32 = 3;
pub const SHORT_DAYS: u32 = 10;
pub const DEFERRABLE_VISIT_DAYS: u32 = 30;
pub const DEFERRABLE_EXAM_DAYS: u32 = 60;
pub const PROGRAMMED_DAYS: u32 = 120;

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::U, Priority::B, Priority::D, Priority::P];

    pub fn code(self) -> &'static str {
        match self {
            Priority::U => "U",
            Priority::B => "B",
            Priority::D => "D",
            Priority::P => "P",
        }
    }

    pub fn from_code(code: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|priority| priority.code() == code)
    }

    /// Days from the booking request within which the service is due.
    pub fn max_wait_days(self, diagnostic: bool) -> u32 {
        match self {
            Priority::U => URGENT_DAYS,
            Priority::B => SHORT_DAYS,
            Priority::D if diagnostic => DEFERRABLE_EXAM_DAYS,
            Priority::D => DEFERRABLE_VISIT_DAYS,
            Priority::P => PROGRAMMED_DAYS,
        }
    }
}

/// Why a typed NRE is not even worth looking up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NreShape {
    WrongLength,
    WrongCharacters,
}

/// `" 070 0a4 0000001 01 "` → `"0700A4000000101"`: spaces dropped,
/// letters upper-cased; 15 letters and digits, the first 3 (region) digits.
pub fn normalise_nre(typed: &str) -> Result<String, NreShape> {
    let nre: String = typed.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if nre.chars().count() != 15 {
        return Err(NreShape::WrongLength);
    }
    let region_digits = nre.chars().take(3).all(|c| c.is_ascii_digit());
    if !region_digits || !nre.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(NreShape::WrongCharacters);
    }
    Ok(nre)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maximum_waits_follow_the_national_plan() {
        assert_eq!(Priority::U.max_wait_days(false), 3);
        assert_eq!(Priority::B.max_wait_days(true), 10);
        assert_eq!(Priority::D.max_wait_days(false), 30);
        assert_eq!(Priority::D.max_wait_days(true), 60);
        assert_eq!(Priority::P.max_wait_days(true), 120);
        for priority in Priority::ALL {
            assert_eq!(Priority::from_code(priority.code()), Some(priority));
        }
        assert_eq!(Priority::from_code("X"), None);
    }

    #[test]
    fn nres_are_normalised_and_checked() {
        assert_eq!(normalise_nre(" 070 0a4 0000001 01 "), Ok("0700A4000000101".into()));
        assert_eq!(normalise_nre("0700A400000010"), Err(NreShape::WrongLength));
        assert_eq!(normalise_nre("0700A40000001011"), Err(NreShape::WrongLength));
        assert_eq!(normalise_nre("A700A4000000101"), Err(NreShape::WrongCharacters));
        assert_eq!(normalise_nre("0700A4-00000101"), Err(NreShape::WrongCharacters));
    }

    mod properties {
        use super::super::normalise_nre;
        use proptest::prelude::*;

        proptest! {
            /// Any input: no panic; an accepted NRE is 15 capital letters
            /// and digits (region digits first) and reads back as itself.
            #[test]
            fn accepted_nres_are_well_formed_and_stable(typed in any::<String>()) {
                if let Ok(nre) = normalise_nre(&typed) {
                    prop_assert_eq!(nre.len(), 15);
                    prop_assert!(nre.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
                    prop_assert!(nre.bytes().take(3).all(|b| b.is_ascii_digit()));
                    prop_assert_eq!(normalise_nre(&nre), Ok(nre.clone()));
                }
            }

            #[test]
            fn typed_nres_are_read(nre in "[0-9]{3}[0-9A-Z]{12}") {
                prop_assert_eq!(normalise_nre(&format!(" {} ", nre.to_lowercase())), Ok(nre.clone()));
            }
        }
    }
}
