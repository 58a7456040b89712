//! Exemption from the ticket by income (docs/DOMAIN.md: codes E01–E04), which
//! the citizen self-certifies (DPR 445/2000). The portal can check only the
//! age of E01 against the registry; the income conditions are declared
//! under the citizen's responsibility and checked later by the ASL.
//! Thresholds as in DM 11/12/2009 *(check the current amounts)*.

use serde::{Deserialize, Serialize};

/// E01: household income at most 36.151,98 €.
pub const E01_MAX_INCOME_CENTS: i64 = 3_615_198;
/// E01: under 6 years of age…
pub const E01_UNDER_AGE: u32 = 6;
/// …or 65 and over.
pub const E01_FROM_AGE: u32 = 65;
/// E02/E04: household income below 8.263,31 €…
pub const E02_E04_MAX_INCOME_CENTS: i64 = 826_331;
/// …11.362,05 € with a spouse…
pub const E02_E04_MAX_INCOME_WITH_SPOUSE_CENTS: i64 = 1_136_205;
/// …plus 516,46 € for every dependent child.
pub const E02_E04_PER_CHILD_CENTS: i64 = 51_646;
/// E04: the minimum-pension holder is 60 or over.
pub const E04_PENSIONER_FROM_AGE: u32 = 60;
/// A self-certification is valid until 31 March of the following year.
pub const VALID_UNTIL_MONTH_DAY: (u32, u32) = (3, 31);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IncomeExemption {
    E01,
    E02,
    E03,
    E04,
}

impl IncomeExemption {
    pub const ALL: [IncomeExemption; 4] =
        [IncomeExemption::E01, IncomeExemption::E02, IncomeExemption::E03, IncomeExemption::E04];

    pub fn code(self) -> &'static str {
        match self {
            IncomeExemption::E01 => "E01",
            IncomeExemption::E02 => "E02",
            IncomeExemption::E03 => "E03",
            IncomeExemption::E04 => "E04",
        }
    }

    pub fn from_code(code: &str) -> Option<IncomeExemption> {
        IncomeExemption::ALL.into_iter().find(|exemption| exemption.code() == code.trim().to_ascii_uppercase())
    }
}

/// Why a self-certification cannot be accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeclarationRefusal {
    /// E01 is only for children under 6 and people 65 and over.
    E01Age,
}

/// Checks what the registry lets the portal check: the age for E01.
pub fn check(exemption: IncomeExemption, age: u32) -> Result<(), DeclarationRefusal> {
    match exemption {
        IncomeExemption::E01 if (E01_UNDER_AGE..E01_FROM_AGE).contains(&age) => Err(DeclarationRefusal::E01Age),
        _ => Ok(()),
    }
}

/// The last day of validity of a certification made on `year`-`month`-`day`:
/// 31 March of the following year.
pub fn valid_until(year: i32) -> String {
    let (month, day) = VALID_UNTIL_MONTH_DAY;
    format!("{}-{month:02}-{day:02}", year + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e01_is_for_under_6_and_65_and_over_only() {
        assert_eq!(check(IncomeExemption::E01, 0), Ok(()));
        assert_eq!(check(IncomeExemption::E01, 5), Ok(()));
        assert_eq!(check(IncomeExemption::E01, 6), Err(DeclarationRefusal::E01Age));
        assert_eq!(check(IncomeExemption::E01, 64), Err(DeclarationRefusal::E01Age));
        assert_eq!(check(IncomeExemption::E01, 65), Ok(()));
        assert_eq!(check(IncomeExemption::E01, 90), Ok(()));
    }

    #[test]
    fn the_other_codes_depend_on_declared_conditions_only() {
        for age in [0, 30, 59, 60, 80] {
            assert_eq!(check(IncomeExemption::E02, age), Ok(()));
            assert_eq!(check(IncomeExemption::E03, age), Ok(()));
            // E04's age is the pensioner's; a dependant of any age may declare it.
            assert_eq!(check(IncomeExemption::E04, age), Ok(()));
        }
    }

    #[test]
    fn codes_round_trip_and_validity_ends_on_31_march_next_year() {
        for exemption in IncomeExemption::ALL {
            assert_eq!(IncomeExemption::from_code(exemption.code()), Some(exemption));
        }
        assert_eq!(IncomeExemption::from_code(" e02 "), Some(IncomeExemption::E02));
        assert_eq!(IncomeExemption::from_code("E05"), None);
        assert_eq!(valid_until(2026), "2027-03-31");
        assert_eq!(E01_MAX_INCOME_CENTS, 3_615_198);
    }
}
