//! Appointments of the vaccination campaigns and screening programmes on
//! the CUP's agendas (no prescription, no ticket), as the pages show them.

use serde::{Deserialize, Serialize};

use crate::cup::model::{Choice, Place, SlotOption};
use crate::domain::screening::Programme;
use crate::domain::vaccination::Campaign;

/// What an appointment is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Purpose {
    Vaccination(Campaign),
    /// The programme's first-level test (mammography, cervical sample).
    Screening(Programme),
    /// The exam proposed after a positive result.
    SecondLevel(Programme),
}

impl Purpose {
    /// Stable code, used in forms and addresses: `vaccino-influenza`,
    /// `screening-breast`, `approfondimento-colorectal`.
    pub fn code(self) -> String {
        match self {
            Purpose::Vaccination(campaign) => format!("vaccino-{}", campaign.code()),
            Purpose::Screening(programme) => format!("screening-{}", programme.code()),
            Purpose::SecondLevel(programme) => format!("approfondimento-{}", programme.code()),
        }
    }

    pub fn from_code(code: &str) -> Option<Purpose> {
        if let Some(campaign) = code.strip_prefix("vaccino-") {
            return Campaign::from_code(campaign).map(Purpose::Vaccination);
        }
        if let Some(programme) = code.strip_prefix("screening-") {
            return Programme::from_code(programme)
                .filter(|p| p.first_level_service().is_some())
                .map(Purpose::Screening);
        }
        code.strip_prefix("approfondimento-").and_then(Programme::from_code).map(Purpose::SecondLevel)
    }

    /// `kind` and `topic` columns of `prevention_appointments`.
    pub fn kind(self) -> &'static str {
        match self {
            Purpose::Vaccination(_) => "vaccination",
            Purpose::Screening(_) => "screening",
            Purpose::SecondLevel(_) => "screening_second_level",
        }
    }

    pub fn topic(self) -> &'static str {
        match self {
            Purpose::Vaccination(campaign) => campaign.code(),
            Purpose::Screening(programme) | Purpose::SecondLevel(programme) => programme.code(),
        }
    }

    pub fn from_columns(kind: &str, topic: &str) -> Option<Purpose> {
        match kind {
            "vaccination" => Campaign::from_code(topic).map(Purpose::Vaccination),
            "screening" => Programme::from_code(topic).map(Purpose::Screening),
            "screening_second_level" => Programme::from_code(topic).map(Purpose::SecondLevel),
            _ => None,
        }
    }

    /// The agenda (outpatient service) booked.
    pub fn service_code(self) -> &'static str {
        match self {
            Purpose::Vaccination(campaign) => campaign.service_code(),
            Purpose::Screening(programme) => programme.first_level_service().unwrap_or_default(),
            Purpose::SecondLevel(programme) => programme.second_level_service(),
        }
    }

    /// Kinds of facility whose agendas offer it.
    pub fn facility_kinds(self) -> &'static [&'static str] {
        match self {
            Purpose::Vaccination(campaign) if campaign.at_pharmacies() => &["vaccination_centre", "pharmacy"],
            Purpose::Vaccination(_) => &["vaccination_centre"],
            Purpose::Screening(_) | Purpose::SecondLevel(_) => &["hub_hospital", "hospital", "outpatient"],
        }
    }

    /// The page the appointment belongs to.
    pub fn home(self) -> &'static str {
        match self {
            Purpose::Vaccination(_) => "/vaccinazioni",
            Purpose::Screening(_) | Purpose::SecondLevel(_) => "/screening",
        }
    }
}

/// A live appointment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    pub code: String,
    pub purpose: Purpose,
    pub service_name: String,
    pub place: Place,
    /// Local day `YYYY-MM-DD` and time `HH:MM`.
    pub day: String,
    pub time: String,
    pub preparation: String,
    /// Still movable and cancellable online.
    pub changeable: bool,
}

/// What the slot search was asked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotQuery {
    /// `Purpose::code()`.
    pub purpose: String,
    pub asl: Option<String>,
    /// Belfiore code of the town to measure distances from.
    pub town: Option<String>,
    /// `centro` or `farmacia` (vaccinations offered at both).
    pub place_kind: Option<String>,
    /// The appointment being moved.
    pub moving: Option<String>,
}

impl SlotQuery {
    /// The query string of the search page (without the leading `?`).
    pub fn query_string(&self) -> String {
        let mut parts = vec![format!("scopo={}", self.purpose)];
        for (name, value) in
            [("asl", &self.asl), ("comune", &self.town), ("luogo", &self.place_kind), ("sposta", &self.moving)]
        {
            if let Some(value) = value {
                parts.push(format!("{name}={value}"));
            }
        }
        parts.join("&")
    }
}

/// The earliest free slot of each facility for one purpose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotSearch {
    pub purpose: Purpose,
    /// The person the appointment is for.
    pub subject_name: String,
    pub service_name: String,
    pub preparation: String,
    pub slots: Vec<SlotOption>,
    pub asls: Vec<Choice>,
    pub towns: Vec<Choice>,
    pub moving: Option<Appointment>,
}

/// The search's answer: slots, or why this person cannot book this.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SlotSearchOutcome {
    Found(Box<SlotSearch>),
    /// Not offered to this person now; the page explains and links back.
    NotOffered(Purpose),
    UnknownPurpose,
}

/// Something to do for one's health, as the home page and the reminders
/// say it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DueItem {
    Vaccination {
        campaign: Campaign,
        dose: u32,
        late: bool,
    },
    /// A screening test is due (not booked, no kit under way).
    Screening {
        programme: Programme,
    },
    /// A positive result: the second-level exam is not booked yet.
    SecondLevel {
        programme: Programme,
    },
    /// The FIT kit waits at this pharmacy.
    KitReady {
        pharmacy: String,
    },
}

impl DueItem {
    /// The page where it is done.
    pub fn href(&self) -> String {
        match self {
            DueItem::Vaccination { campaign, .. } => format!("/vaccinazioni#{}", campaign.code()),
            DueItem::Screening { programme } | DueItem::SecondLevel { programme } => {
                format!("/screening#{}", programme.code())
            }
            DueItem::KitReady { .. } => "/screening#colorectal".to_string(),
        }
    }
}

/// The subject's to-do list for the home page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthAgenda {
    pub subject_name: String,
    pub items: Vec<DueItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_round_trip_through_their_codes() {
        let all = Campaign::ALL
            .into_iter()
            .map(Purpose::Vaccination)
            .chain([Programme::Breast, Programme::Cervical].map(Purpose::Screening))
            .chain(Programme::ALL.map(Purpose::SecondLevel));
        for purpose in all {
            assert_eq!(Purpose::from_code(&purpose.code()), Some(purpose));
            assert_eq!(Purpose::from_columns(purpose.kind(), purpose.topic()), Some(purpose));
            assert!(!purpose.service_code().is_empty());
        }
        // Colorectal screening is a kit, not an appointment.
        assert_eq!(Purpose::from_code("screening-colorectal"), None);
        assert_eq!(Purpose::from_code("vaccino-boh"), None);
    }

    #[test]
    fn flu_and_covid_are_also_at_pharmacies() {
        assert!(Purpose::Vaccination(Campaign::Flu).facility_kinds().contains(&"pharmacy"));
        assert!(!Purpose::Vaccination(Campaign::Shingles).facility_kinds().contains(&"pharmacy"));
    }

    #[test]
    fn the_query_string_keeps_every_filter() {
        let query = SlotQuery {
            purpose: "vaccino-influenza".into(),
            asl: Some("ASL3".into()),
            town: None,
            place_kind: Some("farmacia".into()),
            moving: Some("VA-1234".into()),
        };
        assert_eq!(query.query_string(), "scopo=vaccino-influenza&asl=ASL3&luogo=farmacia&sposta=VA-1234");
    }
}
