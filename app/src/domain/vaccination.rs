//! Vaccination campaigns (docs/DOMAIN.md, seed #36.2): who is offered each
//! vaccine free of charge, how many doses, how far apart, and whether a
//! dose is due. One constant per rule, from the national prevention plan
//! and the ministry's circulars *(check the current season's circular)*.
//! The server turns registry dates into the ages and months used here.

use serde::{Deserialize, Serialize};

pub use super::screening::Sex;

/// Flu: everyone from 60…
pub const FLU_FROM_AGE: u32 = 60;
/// …children from 6 months up to their 7th birthday (83 months)…
pub const FLU_CHILDREN_MONTHS: (u32, u32) = (6, 83);
/// …and anyone from 6 months with a risk condition.
pub const FLU_RISK_FROM_MONTHS: u32 = 6;
/// Flu: the season opens on 1 October…
pub const FLU_SEASON_OPENS: (u32, u32) = (10, 1);
/// …and closes at the end of February (one dose per season).
pub const FLU_SEASON_CLOSES_MONTH: u32 = 2;
/// COVID-19: everyone from 60…
pub const COVID_FROM_AGE: u32 = 60;
/// …and anyone from 6 months with a risk condition.
pub const COVID_RISK_FROM_MONTHS: u32 = 6;
/// COVID-19: a new dose at least 3 months after the last one…
pub const COVID_MIN_MONTHS_AFTER_LAST: u32 = 3;
/// …and due again 12 months after it.
pub const COVID_DUE_AFTER_MONTHS: u32 = 12;
/// Pneumococcal (PCV20, one dose for life): from 65…
pub const PNEUMO_FROM_AGE: u32 = 65;
/// …or adults from 18 with a risk condition.
pub const PNEUMO_RISK_FROM_AGE: u32 = 18;
/// Shingles (recombinant vaccine, two doses): from 65…
pub const SHINGLES_FROM_AGE: u32 = 65;
/// …or adults from 18 with a risk condition.
pub const SHINGLES_RISK_FROM_AGE: u32 = 18;
/// Shingles: the second dose 2 to 6 months after the first.
pub const SHINGLES_SECOND_DOSE_MONTHS: (u32, u32) = (2, 6);
/// HPV: girls and boys from 11 up to 18…
pub const HPV_AGES: (u32, u32) = (11, 18);
/// …and women (catch-up) up to 26.
pub const HPV_WOMEN_UNTIL_AGE: u32 = 26;
/// HPV: two doses if the first is given before 15, otherwise three.
pub const HPV_TWO_DOSES_BEFORE_AGE: u32 = 15;
/// HPV, two doses: the second 6 months after the first.
pub const HPV_TWO_DOSE_GAP_MONTHS: u32 = 6;
/// HPV, three doses: 2 months, then 4 more months.
pub const HPV_THREE_DOSE_GAPS_MONTHS: [u32; 2] = [2, 4];
/// A next dose is late this many months after it fell due.
pub const LATE_AFTER_MONTHS: u32 = 6;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Campaign {
    Flu,
    Covid,
    Pneumococcal,
    Shingles,
    Hpv,
}

/// What the registry says about one person for one campaign.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// Doses of this vaccine received (for flu: in the current season).
    pub doses: u32,
    /// Whole months since the last dose.
    pub months_since_last: Option<u32>,
    /// Age (years) at the first dose.
    pub age_at_first_dose: Option<u32>,
}

/// The person the campaign is judged for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub age_months: u32,
    pub sex: Sex,
    /// Any risk condition on record (diabetes, heart or lung disease,
    /// immunodeficiency).
    pub at_risk: bool,
}

impl Subject {
    pub fn age_years(self) -> u32 {
        self.age_months / 12
    }
}

/// Where a campaign stands for one person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Not offered to this person (the page explains who is).
    NotEligible,
    /// Flu outside the season.
    Closed,
    /// All doses received (for flu and COVID-19: for now).
    Complete,
    /// The next dose cannot be given yet: wait this many months.
    TooSoon { months: u32 },
    /// This dose number is due (late: overdue).
    Due { dose: u32, late: bool },
}

impl Status {
    pub fn bookable(self) -> bool {
        matches!(self, Status::Due { .. })
    }
}

impl Campaign {
    pub const ALL: [Campaign; 5] =
        [Campaign::Flu, Campaign::Covid, Campaign::Pneumococcal, Campaign::Shingles, Campaign::Hpv];

    pub fn code(self) -> &'static str {
        match self {
            Campaign::Flu => "influenza",
            Campaign::Covid => "covid-19",
            Campaign::Pneumococcal => "pneumococco",
            Campaign::Shingles => "herpes-zoster",
            Campaign::Hpv => "hpv",
        }
    }

    pub fn from_code(code: &str) -> Option<Campaign> {
        Campaign::ALL.into_iter().find(|campaign| campaign.code() == code)
    }

    /// The vaccination agenda (outpatient service) booked for it.
    pub fn service_code(self) -> &'static str {
        match self {
            Campaign::Flu => "VAC-FLU",
            Campaign::Covid => "VAC-COVID",
            Campaign::Pneumococcal => "VAC-PNEUMO",
            Campaign::Shingles => "VAC-ZOSTER",
            Campaign::Hpv => "VAC-HPV",
        }
    }

    /// Pharmacies vaccinate for flu and COVID-19; the rest only at the
    /// ASL's vaccination centres.
    pub fn at_pharmacies(self) -> bool {
        matches!(self, Campaign::Flu | Campaign::Covid)
    }

    /// Whether a registry entry (vaccine name) belongs to this campaign.
    pub fn recognises(self, vaccine: &str) -> bool {
        let vaccine = vaccine.to_lowercase();
        match self {
            Campaign::Flu => vaccine.starts_with("antinfluenzale"),
            Campaign::Covid => vaccine.starts_with("covid-19"),
            Campaign::Pneumococcal => vaccine.starts_with("antipneumococcico"),
            Campaign::Shingles => vaccine.starts_with("anti-herpes zoster"),
            Campaign::Hpv => vaccine.starts_with("anti-hpv"),
        }
    }

    /// Whether the person is in an offered group (age, risk).
    pub fn eligible(self, subject: Subject) -> bool {
        let months = subject.age_months;
        let years = subject.age_years();
        match self {
            Campaign::Flu => {
                years >= FLU_FROM_AGE
                    || (FLU_CHILDREN_MONTHS.0..=FLU_CHILDREN_MONTHS.1).contains(&months)
                    || (subject.at_risk && months >= FLU_RISK_FROM_MONTHS)
            }
            Campaign::Covid => years >= COVID_FROM_AGE || (subject.at_risk && months >= COVID_RISK_FROM_MONTHS),
            Campaign::Pneumococcal => years >= PNEUMO_FROM_AGE || (subject.at_risk && years >= PNEUMO_RISK_FROM_AGE),
            Campaign::Shingles => years >= SHINGLES_FROM_AGE || (subject.at_risk && years >= SHINGLES_RISK_FROM_AGE),
            Campaign::Hpv => {
                (HPV_AGES.0..=HPV_AGES.1).contains(&years)
                    || (subject.sex == Sex::F && (HPV_AGES.0..=HPV_WOMEN_UNTIL_AGE).contains(&years))
            }
        }
    }

    /// Months to wait after each dose before the next one, for a course
    /// started at `age_at_first_dose` (empty: a single dose).
    pub fn gaps_months(self, age_at_first_dose: u32) -> Vec<u32> {
        match self {
            Campaign::Shingles => vec![SHINGLES_SECOND_DOSE_MONTHS.0],
            Campaign::Hpv if age_at_first_dose < HPV_TWO_DOSES_BEFORE_AGE => vec![HPV_TWO_DOSE_GAP_MONTHS],
            Campaign::Hpv => HPV_THREE_DOSE_GAPS_MONTHS.to_vec(),
            _ => Vec::new(),
        }
    }

    /// Where the campaign stands for `subject`, given the registry's
    /// `history` and whether the flu season is open.
    pub fn status(self, subject: Subject, history: History, flu_season_open: bool) -> Status {
        if !self.eligible(subject) && history.doses == 0 {
            return Status::NotEligible;
        }
        match self {
            Campaign::Flu if !flu_season_open => Status::Closed,
            Campaign::Flu if history.doses > 0 => Status::Complete,
            Campaign::Flu => Status::Due { dose: 1, late: false },
            Campaign::Covid => match history.months_since_last {
                _ if !self.eligible(subject) => Status::Complete,
                Some(months) if months < COVID_MIN_MONTHS_AFTER_LAST => {
                    Status::TooSoon { months: COVID_MIN_MONTHS_AFTER_LAST - months }
                }
                Some(months) if months < COVID_DUE_AFTER_MONTHS => Status::Complete,
                _ => Status::Due { dose: history.doses + 1, late: false },
            },
            Campaign::Pneumococcal if history.doses > 0 => Status::Complete,
            Campaign::Pneumococcal => {
                let late = !subject.at_risk && subject.age_years() > PNEUMO_FROM_AGE;
                Status::Due { dose: 1, late }
            }
            Campaign::Shingles | Campaign::Hpv => {
                let gaps = self.gaps_months(history.age_at_first_dose.unwrap_or(subject.age_years()));
                let needed = gaps.len() as u32 + 1;
                if history.doses >= needed {
                    return Status::Complete;
                }
                let Some(since) = history.months_since_last.filter(|_| history.doses > 0) else {
                    return Status::Due { dose: 1, late: false };
                };
                let gap = gaps.get(history.doses as usize - 1).copied().unwrap_or_default();
                if since < gap {
                    Status::TooSoon { months: gap - since }
                } else {
                    Status::Due { dose: history.doses + 1, late: since >= gap + LATE_AFTER_MONTHS }
                }
            }
        }
    }
}

/// Whether the flu season is open on a (month, day).
pub fn flu_season_open(month: u32, day: u32) -> bool {
    (month, day) >= FLU_SEASON_OPENS || month <= FLU_SEASON_CLOSES_MONTH
}

/// The year the current (or last) flu season started: October to February
/// belong to the season opened that October.
pub fn flu_season_year(year: i32, month: u32) -> i32 {
    if month <= FLU_SEASON_CLOSES_MONTH {
        year - 1
    } else {
        year
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adult(years: u32, at_risk: bool) -> Subject {
        Subject { age_months: years * 12 + 3, sex: Sex::F, at_risk }
    }

    const NONE: History = History { doses: 0, months_since_last: None, age_at_first_dose: None };

    #[test]
    fn flu_is_offered_from_60_to_young_children_and_at_risk() {
        assert!(!Campaign::Flu.eligible(adult(59, false)));
        assert!(Campaign::Flu.eligible(adult(60, false)));
        assert!(Campaign::Flu.eligible(adult(30, true)));
        let child = |months| Subject { age_months: months, sex: Sex::M, at_risk: false };
        assert!(!Campaign::Flu.eligible(child(5)));
        assert!(Campaign::Flu.eligible(child(6)));
        assert!(Campaign::Flu.eligible(child(83)));
        assert!(!Campaign::Flu.eligible(child(84)));
    }

    #[test]
    fn flu_is_one_dose_per_season_and_closed_outside_it() {
        assert_eq!(Campaign::Flu.status(adult(70, false), NONE, true), Status::Due { dose: 1, late: false });
        let given = History { doses: 1, months_since_last: Some(1), age_at_first_dose: Some(69) };
        assert_eq!(Campaign::Flu.status(adult(70, false), given, true), Status::Complete);
        assert_eq!(Campaign::Flu.status(adult(70, false), NONE, false), Status::Closed);
        assert_eq!(Campaign::Flu.status(adult(40, false), NONE, true), Status::NotEligible);
        assert!(flu_season_open(10, 1) && flu_season_open(2, 28) && flu_season_open(12, 31));
        assert!(!flu_season_open(9, 30) && !flu_season_open(3, 1));
        assert_eq!(flu_season_year(2027, 1), 2026);
        assert_eq!(flu_season_year(2026, 11), 2026);
    }

    #[test]
    fn covid_waits_3_months_and_is_due_again_after_12() {
        assert!(!Campaign::Covid.eligible(adult(59, false)));
        assert!(Campaign::Covid.eligible(adult(60, false)));
        let after = |months| History { doses: 3, months_since_last: Some(months), age_at_first_dose: Some(55) };
        assert_eq!(Campaign::Covid.status(adult(62, false), after(1), true), Status::TooSoon { months: 2 });
        assert_eq!(Campaign::Covid.status(adult(62, false), after(5), true), Status::Complete);
        assert_eq!(Campaign::Covid.status(adult(62, false), after(12), true), Status::Due { dose: 4, late: false });
        // People who had doses when they were eligible are simply done.
        assert_eq!(Campaign::Covid.status(adult(40, false), after(30), true), Status::Complete);
    }

    #[test]
    fn pneumococcal_once_from_65_or_adults_at_risk() {
        assert!(!Campaign::Pneumococcal.eligible(adult(64, false)));
        assert!(Campaign::Pneumococcal.eligible(adult(65, false)));
        assert!(!Campaign::Pneumococcal.eligible(adult(17, true)));
        assert!(Campaign::Pneumococcal.eligible(adult(18, true)));
        assert_eq!(Campaign::Pneumococcal.status(adult(65, false), NONE, true), Status::Due { dose: 1, late: false });
        assert_eq!(Campaign::Pneumococcal.status(adult(66, false), NONE, true), Status::Due { dose: 1, late: true });
        let given = History { doses: 1, months_since_last: Some(20), age_at_first_dose: Some(65) };
        assert_eq!(Campaign::Pneumococcal.status(adult(67, false), given, true), Status::Complete);
    }

    #[test]
    fn shingles_two_doses_2_months_apart_from_65() {
        assert!(!Campaign::Shingles.eligible(adult(64, false)));
        assert!(Campaign::Shingles.eligible(adult(65, false)));
        let one = |months| History { doses: 1, months_since_last: Some(months), age_at_first_dose: Some(65) };
        assert_eq!(Campaign::Shingles.status(adult(65, false), one(1), true), Status::TooSoon { months: 1 });
        assert_eq!(Campaign::Shingles.status(adult(65, false), one(2), true), Status::Due { dose: 2, late: false });
        assert_eq!(Campaign::Shingles.status(adult(66, false), one(8), true), Status::Due { dose: 2, late: true });
        let two = History { doses: 2, months_since_last: Some(1), age_at_first_dose: Some(65) };
        assert_eq!(Campaign::Shingles.status(adult(66, false), two, true), Status::Complete);
    }

    #[test]
    fn hpv_from_11_to_18_and_women_to_26_two_or_three_doses() {
        assert!(!Campaign::Hpv.eligible(adult(10, false)));
        assert!(Campaign::Hpv.eligible(adult(11, false)));
        assert!(Campaign::Hpv.eligible(adult(26, false)));
        assert!(!Campaign::Hpv.eligible(adult(27, false)));
        let man = |years: u32| Subject { age_months: years * 12, sex: Sex::M, at_risk: false };
        assert!(Campaign::Hpv.eligible(man(18)));
        assert!(!Campaign::Hpv.eligible(man(19)));
        assert_eq!(Campaign::Hpv.gaps_months(14), vec![6]);
        assert_eq!(Campaign::Hpv.gaps_months(15), vec![2, 4]);
        let young = History { doses: 1, months_since_last: Some(6), age_at_first_dose: Some(12) };
        assert_eq!(Campaign::Hpv.status(adult(12, false), young, true), Status::Due { dose: 2, late: false });
        let done = History { doses: 2, months_since_last: Some(1), age_at_first_dose: Some(12) };
        assert_eq!(Campaign::Hpv.status(adult(13, false), done, true), Status::Complete);
        let older = History { doses: 2, months_since_last: Some(1), age_at_first_dose: Some(20) };
        assert_eq!(Campaign::Hpv.status(adult(20, false), older, true), Status::TooSoon { months: 3 });
    }

    #[test]
    fn registry_names_map_to_campaigns() {
        assert!(Campaign::Flu.recognises("Antinfluenzale quadrivalente"));
        assert!(Campaign::Covid.recognises("COVID-19 mRNA (Comirnaty)"));
        assert!(Campaign::Pneumococcal.recognises("Antipneumococcico coniugato (PCV20)"));
        assert!(Campaign::Shingles.recognises("Anti-Herpes zoster ricombinante"));
        assert!(Campaign::Hpv.recognises("Anti-HPV 9-valente"));
        assert!(!Campaign::Flu.recognises("Esavalente (DTPa-IPV-Hib-HBV)"));
        for campaign in Campaign::ALL {
            assert_eq!(Campaign::from_code(campaign.code()), Some(campaign));
        }
    }
}
