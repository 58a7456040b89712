//! Doctors and choices as the page shows them.

use serde::{Deserialize, Serialize};

use crate::domain::family_doctor::{Availability, DoctorKind};
use crate::identity::model::Person;

/// A doctor as listed: contacts and a band of free places, never a count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorCard {
    pub id: i64,
    pub kind: DoctorKind,
    pub name: String,
    pub address: String,
    pub town: String,
    pub phone: String,
    pub hours: String,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    pub availability: Availability,
    /// From the person's town, in tenths of a kilometre.
    pub distance_tenths_km: i64,
}

/// How the signed-in person relates to someone on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ForWhom {
    /// The person being acted for (usually the signed-in person).
    Subject,
    /// A minor child of the signed-in person.
    Child,
}

/// A person whose doctor the page shows, with their current choice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDoctor {
    pub person: Person,
    pub for_whom: ForWhom,
    pub age: u32,
    pub care_area: String,
    pub current: Option<DoctorCard>,
    /// The current choice (for the confirmation document).
    pub choice_id: Option<i64>,
    /// Since when, `YYYY-MM-DD`.
    pub since: Option<String>,
    pub allowed_kinds: Vec<DoctorKind>,
}

/// Search filters (query string of a GET form).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorFilter {
    /// Fiscal code of whom the search is for (default: the subject).
    pub person: Option<String>,
    pub kind: Option<DoctorKind>,
    pub only_available: bool,
    /// ISO 639-1 language code.
    pub language: Option<String>,
}

/// The whole `/medico` page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorsPage {
    pub people: Vec<PersonDoctor>,
    /// Index in `people` of whom the search is for.
    pub searching_for: usize,
    /// Kind searched (one of the person's allowed kinds).
    pub kind: Option<DoctorKind>,
    pub results: Vec<DoctorCard>,
    /// Languages spoken by doctors of the area (for the filter).
    pub languages: Vec<String>,
}

/// What the confirmation document says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceConfirmation {
    pub choice_id: i64,
    pub person: Person,
    pub doctor: DoctorCard,
    pub care_area: String,
    pub asl: String,
    /// `YYYY-MM-DD`.
    pub since: String,
    /// Who registered the choice (a parent for a child), when known.
    pub chosen_by: Option<Person>,
}

/// `34` tenths → `"3,4 km"` (Italian decimal comma).
pub fn distance_text(tenths: i64) -> String {
    format!("{},{} km", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::distance_text;

    #[test]
    fn distances_use_the_decimal_comma() {
        assert_eq!(distance_text(0), "0,0 km");
        assert_eq!(distance_text(34), "3,4 km");
        assert_eq!(distance_text(1205), "120,5 km");
    }
}
