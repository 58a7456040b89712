//! The three national cancer-screening programmes (docs/DOMAIN.md): who is
//! invited, with which test, how often. One constant per rule; the server
//! computes dates with them, the pages explain them.

use serde::{Deserialize, Serialize};

/// Colorectal: women and men aged 50–69, a faecal occult blood (FIT) kit.
pub const COLORECTAL_AGES: (u32, u32) = (50, 69);
/// Colorectal: every 2 years.
pub const COLORECTAL_INTERVAL_YEARS: u32 = 2;
/// Breast: women aged 50–69, a mammography (the 45–49 and 70–74
/// extensions are not offered in this region's programme).
pub const BREAST_AGES: (u32, u32) = (50, 69);
/// Breast: every 2 years.
pub const BREAST_INTERVAL_YEARS: u32 = 2;
/// Cervical: women aged 25–64.
pub const CERVICAL_AGES: (u32, u32) = (25, 64);
/// Cervical: the Pap test up to 29…
pub const PAP_UNTIL_AGE: u32 = 29;
/// …every 3 years;
pub const PAP_INTERVAL_YEARS: u32 = 3;
/// the HPV-DNA test from 30, every 5 years.
pub const HPV_DNA_INTERVAL_YEARS: u32 = 5;
/// FIT: haemoglobin in the sample (ng/mL of buffer) from which the test is
/// positive and a colonoscopy is proposed.
pub const FIT_POSITIVE_FROM_NG_ML: u32 = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Programme {
    Colorectal,
    Breast,
    Cervical,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScreeningTest {
    Fit,
    Mammography,
    Pap,
    HpvDna,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    F,
    M,
}

impl Sex {
    pub fn from_code(code: &str) -> Option<Sex> {
        match code {
            "F" => Some(Sex::F),
            "M" => Some(Sex::M),
            _ => None,
        }
    }
}

/// Why a programme does not invite this person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotInvited {
    /// The programme is for women only.
    WomenOnly,
    /// Invited from this age.
    TooYoung { from: u32 },
    /// Invited up to this age.
    TooOld { until: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScreeningResult {
    Negative,
    Positive,
    /// The sample could not be read: repeat the test.
    Inadequate,
}

impl ScreeningResult {
    pub fn code(self) -> &'static str {
        match self {
            ScreeningResult::Negative => "negative",
            ScreeningResult::Positive => "positive",
            ScreeningResult::Inadequate => "inadequate",
        }
    }

    pub fn from_code(code: &str) -> Option<ScreeningResult> {
        [ScreeningResult::Negative, ScreeningResult::Positive, ScreeningResult::Inadequate]
            .into_iter()
            .find(|result| result.code() == code)
    }
}

impl Programme {
    pub const ALL: [Programme; 3] = [Programme::Colorectal, Programme::Breast, Programme::Cervical];

    pub fn code(self) -> &'static str {
        match self {
            Programme::Colorectal => "colorectal",
            Programme::Breast => "breast",
            Programme::Cervical => "cervical",
        }
    }

    pub fn from_code(code: &str) -> Option<Programme> {
        Programme::ALL.into_iter().find(|programme| programme.code() == code)
    }

    /// The ages invited, inclusive.
    pub fn ages(self) -> (u32, u32) {
        match self {
            Programme::Colorectal => COLORECTAL_AGES,
            Programme::Breast => BREAST_AGES,
            Programme::Cervical => CERVICAL_AGES,
        }
    }

    pub fn women_only(self) -> bool {
        !matches!(self, Programme::Colorectal)
    }

    /// The test this person is invited to, or why they are not invited.
    pub fn invites(self, sex: Sex, age: u32) -> Result<ScreeningTest, NotInvited> {
        if self.women_only() && sex != Sex::F {
            return Err(NotInvited::WomenOnly);
        }
        let (from, until) = self.ages();
        if age < from {
            return Err(NotInvited::TooYoung { from });
        }
        if age > until {
            return Err(NotInvited::TooOld { until });
        }
        Ok(match self {
            Programme::Colorectal => ScreeningTest::Fit,
            Programme::Breast => ScreeningTest::Mammography,
            Programme::Cervical if age <= PAP_UNTIL_AGE => ScreeningTest::Pap,
            Programme::Cervical => ScreeningTest::HpvDna,
        })
    }

    /// The service booked for the first-level test (at a hospital), or
    /// `None` when the test is a kit collected at a pharmacy.
    pub fn first_level_service(self) -> Option<&'static str> {
        match self {
            Programme::Colorectal => None,
            Programme::Breast => Some(SERVICE_MAMMOGRAPHY),
            Programme::Cervical => Some(SERVICE_CERVICAL_SAMPLE),
        }
    }

    /// The second-level exam proposed after a positive result.
    pub fn second_level_service(self) -> &'static str {
        match self {
            Programme::Colorectal => SERVICE_COLONOSCOPY,
            Programme::Breast => SERVICE_BREAST_ASSESSMENT,
            Programme::Cervical => SERVICE_COLPOSCOPY,
        }
    }
}

/// The screening agendas (outpatient services reserved to the programmes,
/// free of charge, booked by invitation without a prescription).
pub const SERVICE_MAMMOGRAPHY: &str = "SCR-MAMMO";
pub const SERVICE_CERVICAL_SAMPLE: &str = "SCR-CERVICE";
pub const SERVICE_COLONOSCOPY: &str = "SCR-COLON";
pub const SERVICE_BREAST_ASSESSMENT: &str = "SCR-APPRSENO";
pub const SERVICE_COLPOSCOPY: &str = "SCR-COLPO";

impl ScreeningTest {
    pub fn code(self) -> &'static str {
        match self {
            ScreeningTest::Fit => "fit",
            ScreeningTest::Mammography => "mammography",
            ScreeningTest::Pap => "pap",
            ScreeningTest::HpvDna => "hpv_dna",
        }
    }

    pub fn from_code(code: &str) -> Option<ScreeningTest> {
        [ScreeningTest::Fit, ScreeningTest::Mammography, ScreeningTest::Pap, ScreeningTest::HpvDna]
            .into_iter()
            .find(|test| test.code() == code)
    }

    /// Years until the next invitation after a negative result.
    pub fn interval_years(self) -> u32 {
        match self {
            ScreeningTest::Fit => COLORECTAL_INTERVAL_YEARS,
            ScreeningTest::Mammography => BREAST_INTERVAL_YEARS,
            ScreeningTest::Pap => PAP_INTERVAL_YEARS,
            ScreeningTest::HpvDna => HPV_DNA_INTERVAL_YEARS,
        }
    }

    pub fn programme(self) -> Programme {
        match self {
            ScreeningTest::Fit => Programme::Colorectal,
            ScreeningTest::Mammography => Programme::Breast,
            ScreeningTest::Pap | ScreeningTest::HpvDna => Programme::Cervical,
        }
    }
}

/// The FIT outcome for a measured haemoglobin concentration.
pub fn fit_result(haemoglobin_ng_ml: u32) -> ScreeningResult {
    if haemoglobin_ng_ml >= FIT_POSITIVE_FROM_NG_ML {
        ScreeningResult::Positive
    } else {
        ScreeningResult::Negative
    }
}

/// When the next test is due, in years after the last one (`None`: at once).
/// A negative result waits the last test's interval; an inadequate one is
/// repeated at once; a positive one leads to the second level instead.
pub fn years_to_next(last: Option<(ScreeningTest, ScreeningResult)>) -> Option<u32> {
    match last {
        Some((test, ScreeningResult::Negative)) => Some(test.interval_years()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colorectal_invites_both_sexes_from_50_to_69() {
        for sex in [Sex::F, Sex::M] {
            assert_eq!(Programme::Colorectal.invites(sex, 49), Err(NotInvited::TooYoung { from: 50 }));
            assert_eq!(Programme::Colorectal.invites(sex, 50), Ok(ScreeningTest::Fit));
            assert_eq!(Programme::Colorectal.invites(sex, 69), Ok(ScreeningTest::Fit));
            assert_eq!(Programme::Colorectal.invites(sex, 70), Err(NotInvited::TooOld { until: 69 }));
        }
    }

    #[test]
    fn breast_invites_women_from_50_to_69() {
        assert_eq!(Programme::Breast.invites(Sex::F, 49), Err(NotInvited::TooYoung { from: 50 }));
        assert_eq!(Programme::Breast.invites(Sex::F, 50), Ok(ScreeningTest::Mammography));
        assert_eq!(Programme::Breast.invites(Sex::F, 69), Ok(ScreeningTest::Mammography));
        assert_eq!(Programme::Breast.invites(Sex::F, 70), Err(NotInvited::TooOld { until: 69 }));
        assert_eq!(Programme::Breast.invites(Sex::M, 55), Err(NotInvited::WomenOnly));
    }

    #[test]
    fn cervical_invites_women_from_25_to_64_pap_then_hpv() {
        assert_eq!(Programme::Cervical.invites(Sex::F, 24), Err(NotInvited::TooYoung { from: 25 }));
        assert_eq!(Programme::Cervical.invites(Sex::F, 25), Ok(ScreeningTest::Pap));
        assert_eq!(Programme::Cervical.invites(Sex::F, 29), Ok(ScreeningTest::Pap));
        assert_eq!(Programme::Cervical.invites(Sex::F, 30), Ok(ScreeningTest::HpvDna));
        assert_eq!(Programme::Cervical.invites(Sex::F, 64), Ok(ScreeningTest::HpvDna));
        assert_eq!(Programme::Cervical.invites(Sex::F, 65), Err(NotInvited::TooOld { until: 64 }));
        assert_eq!(Programme::Cervical.invites(Sex::M, 40), Err(NotInvited::WomenOnly));
    }

    #[test]
    fn intervals_follow_the_last_test() {
        assert_eq!(years_to_next(Some((ScreeningTest::Fit, ScreeningResult::Negative))), Some(2));
        assert_eq!(years_to_next(Some((ScreeningTest::Mammography, ScreeningResult::Negative))), Some(2));
        assert_eq!(years_to_next(Some((ScreeningTest::Pap, ScreeningResult::Negative))), Some(3));
        assert_eq!(years_to_next(Some((ScreeningTest::HpvDna, ScreeningResult::Negative))), Some(5));
        assert_eq!(years_to_next(Some((ScreeningTest::Fit, ScreeningResult::Inadequate))), None);
        assert_eq!(years_to_next(None), None);
    }

    #[test]
    fn fit_is_positive_from_100_ng_ml() {
        assert_eq!(fit_result(99), ScreeningResult::Negative);
        assert_eq!(fit_result(100), ScreeningResult::Positive);
    }

    #[test]
    fn codes_round_trip() {
        for programme in Programme::ALL {
            assert_eq!(Programme::from_code(programme.code()), Some(programme));
        }
        for test in [ScreeningTest::Fit, ScreeningTest::Mammography, ScreeningTest::Pap, ScreeningTest::HpvDna] {
            assert_eq!(ScreeningTest::from_code(test.code()), Some(test));
            let age = if test == ScreeningTest::Pap { 27 } else { 55 };
            assert_eq!(test.programme().invites(Sex::F, age), Ok(test));
        }
        assert_eq!(ScreeningResult::from_code("positive"), Some(ScreeningResult::Positive));
        assert_eq!(ScreeningResult::from_code("boh"), None);
    }
}
