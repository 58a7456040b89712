//! Which kind of family doctor a person may have at a given age — docs/DOMAIN.md
//! "Family doctor (MMG) and paediatrician (PLS)". One constant per rule.

use serde::{Deserialize, Serialize};

/// Below this age a child must have a paediatrician (PLS).
pub const PLS_MANDATORY_UNTIL_AGE: u32 = 6;
/// From `PLS_MANDATORY_UNTIL_AGE` up to this age a parent may choose a
/// paediatrician or a family doctor; the PLS may be kept to 16 in some
/// cases (docs/DOMAIN.md, *check*), so both stay open until then.
pub const PLS_POSSIBLE_UNTIL_AGE: u32 = 16;
/// Parents choose for children younger than this.
pub const ADULT_AGE: u32 = 18;

/// Kind of family doctor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DoctorKind {
    /// Medico di medicina generale.
    Mmg,
    /// Pediatra di libera scelta.
    Pls,
}

impl DoctorKind {
    pub fn code(self) -> &'static str {
        match self {
            DoctorKind::Mmg => "MMG",
            DoctorKind::Pls => "PLS",
        }
    }

    pub fn from_code(code: &str) -> Option<DoctorKind> {
        match code {
            "MMG" => Some(DoctorKind::Mmg),
            "PLS" => Some(DoctorKind::Pls),
            _ => None,
        }
    }
}

/// The kinds of doctor that may be chosen for a person of `age` years.
pub fn kinds_for_age(age: u32) -> &'static [DoctorKind] {
    if age < PLS_MANDATORY_UNTIL_AGE {
        &[DoctorKind::Pls]
    } else if age < PLS_POSSIBLE_UNTIL_AGE {
        &[DoctorKind::Pls, DoctorKind::Mmg]
    } else {
        &[DoctorKind::Mmg]
    }
}

/// Why a kind of doctor cannot be chosen, in words the UI translates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KindRefusal {
    /// A child under 6 must have a paediatrician.
    TooYoungForMmg,
    /// From 16 only a family doctor (MMG).
    TooOldForPls,
}

/// Whether `kind` may be chosen at `age`, and why not.
pub fn check_kind(kind: DoctorKind, age: u32) -> Result<(), KindRefusal> {
    match kind {
        _ if kinds_for_age(age).contains(&kind) => Ok(()),
        DoctorKind::Mmg => Err(KindRefusal::TooYoungForMmg),
        DoctorKind::Pls => Err(KindRefusal::TooOldForPls),
    }
}

/// How full a doctor's list is: never the exact number of patients.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Availability {
    Available,
    Few,
    Full,
}

/// At or below this share of the massimale left free, places are "few".
pub const FEW_PLACES_PERCENT: i64 = 5;

pub fn availability(current_patients: i64, max_patients: i64) -> Availability {
    let free = max_patients - current_patients;
    if free <= 0 {
        Availability::Full
    } else if free * 100 <= max_patients * FEW_PLACES_PERCENT {
        Availability::Few
    } else {
        Availability::Available
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_six_only_a_paediatrician() {
        assert_eq!(kinds_for_age(0), &[DoctorKind::Pls]);
        assert_eq!(kinds_for_age(5), &[DoctorKind::Pls]);
        assert_eq!(check_kind(DoctorKind::Mmg, 5), Err(KindRefusal::TooYoungForMmg));
    }

    #[test]
    fn from_six_to_fifteen_either() {
        for age in [6, 13, 14, 15] {
            assert!(check_kind(DoctorKind::Pls, age).is_ok(), "{age}");
            assert!(check_kind(DoctorKind::Mmg, age).is_ok(), "{age}");
        }
    }

    #[test]
    fn from_sixteen_only_a_family_doctor() {
        assert_eq!(kinds_for_age(16), &[DoctorKind::Mmg]);
        assert_eq!(check_kind(DoctorKind::Pls, 16), Err(KindRefusal::TooOldForPls));
        assert!(check_kind(DoctorKind::Mmg, 90).is_ok());
    }

    #[test]
    fn availability_is_a_band_never_a_count() {
        assert_eq!(availability(0, 1500), Availability::Available);
        assert_eq!(availability(1424, 1500), Availability::Available);
        assert_eq!(availability(1425, 1500), Availability::Few);
        assert_eq!(availability(1499, 1500), Availability::Few);
        assert_eq!(availability(1500, 1500), Availability::Full);
        assert_eq!(availability(1501, 1500), Availability::Full);
    }
}
