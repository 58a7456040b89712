//! The vaccination registry and the campaigns as the pages show them.

use serde::{Deserialize, Serialize};

use crate::domain::vaccination::{Campaign, Status};
use crate::prevention::model::Appointment;

/// One dose in the regional vaccination registry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaccinationRecord {
    pub vaccine: String,
    pub dose: i64,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Facility and town.
    pub place: String,
    pub lot: String,
}

/// A campaign for the subject: where it stands and the live appointment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignCard {
    pub campaign: Campaign,
    pub status: Status,
    pub appointment: Option<Appointment>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaccinationsPage {
    pub subject_name: String,
    pub age_years: u32,
    pub at_risk: bool,
    /// Newest first.
    pub records: Vec<VaccinationRecord>,
    pub campaigns: Vec<CampaignCard>,
}

impl VaccinationsPage {
    /// Doses due now (late ones first), without a live appointment.
    pub fn due(&self) -> Vec<&CampaignCard> {
        let mut due: Vec<&CampaignCard> =
            self.campaigns.iter().filter(|card| card.status.bookable() && card.appointment.is_none()).collect();
        due.sort_by_key(|card| !matches!(card.status, Status::Due { late: true, .. }));
        due
    }
}
