//! Prescriptions, slots, bookings and the waiting list as the CUP pages
//! show them.

use serde::{Deserialize, Serialize};

use crate::domain::cup::Priority;

/// A specialist prescription the subject can book with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrescriptionCard {
    pub nre: String,
    pub service_code: String,
    pub service_name: String,
    pub priority: Priority,
    pub prescriber: String,
    pub issued_on: String,
    pub valid_until: String,
    /// Last day within the priority's maximum wait, counted from today.
    pub deadline: String,
    /// The active booking made with it, if any.
    pub booking_code: Option<String>,
    /// The open waiting-list entry made with it, if any.
    pub waiting_reference: Option<String>,
}

/// Why a typed NRE cannot be booked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NreProblem {
    /// Not 15 letters and digits starting with the region code.
    Malformed,
    /// No prescription with this NRE belongs to the person.
    NotYours,
    /// A drug prescription: nothing to book.
    NotBookable,
    Expired,
    /// Already used for an active booking.
    AlreadyBooked,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub facility_id: i64,
    pub facility: String,
    pub address: String,
    pub town: String,
    pub asl: String,
    pub phone: String,
}

/// One bookable slot as offered in the search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotOption {
    pub slot_id: i64,
    pub place: Place,
    /// Local day `YYYY-MM-DD` and time `HH:MM` (Europe/Rome).
    pub day: String,
    pub time: String,
    pub starts_at: String,
    pub within_deadline: bool,
    /// From the chosen town, in tenths of a kilometre.
    pub distance_tenths_km: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchFilter {
    pub nre: String,
    pub asl: Option<String>,
    pub facility: Option<i64>,
    /// Belfiore code of the town distances are measured from.
    pub town: Option<String>,
    pub max_km: Option<u32>,
    /// Code of the booking being moved.
    pub moving: Option<String>,
}

impl SearchFilter {
    pub fn query(&self) -> String {
        let mut parts = vec![format!("nre={}", self.nre)];
        if let Some(asl) = &self.asl {
            parts.push(format!("asl={asl}"));
        }
        if let Some(facility) = self.facility {
            parts.push(format!("struttura={facility}"));
        }
        if let Some(town) = &self.town {
            parts.push(format!("comune={town}"));
        }
        if let Some(km) = self.max_km {
            parts.push(format!("km={km}"));
        }
        if let Some(moving) = &self.moving {
            parts.push(format!("sposta={moving}"));
        }
        parts.join("&")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub prescription: PrescriptionCard,
    pub preparation: String,
    /// Ticket due for this service by this person (0 with an exemption).
    pub ticket_cents: i64,
    pub exemption: Option<String>,
    /// Earliest free slot of each facility, soonest first.
    pub slots: Vec<SlotOption>,
    pub asls: Vec<Choice>,
    pub facilities: Vec<Choice>,
    pub towns: Vec<Choice>,
    /// The booking being moved.
    pub moving: Option<BookingCard>,
}

impl SearchResults {
    /// Nothing free in time anywhere (filters aside): the waiting list is open.
    pub fn may_join_waiting_list(&self, any_in_time_regionwide: bool) -> bool {
        !any_in_time_regionwide && self.prescription.waiting_reference.is_none() && self.moving.is_none()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchOutcome {
    Found { results: Box<SearchResults>, any_in_time_regionwide: bool },
    Refused(NreProblem),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingCard {
    pub code: String,
    pub nre: String,
    pub service_name: String,
    pub priority: Priority,
    pub place: Place,
    pub day: String,
    pub time: String,
    pub starts_at: String,
    pub ticket_cents: i64,
    pub exemption: Option<String>,
    pub preparation: String,
    /// Whether cancelling and moving are still open (closed near the date).
    pub changeable: bool,
    /// Notice code of the ticket's payment position.
    pub notice_code: Option<String>,
    /// The ticket's position is paid (the receipt can be downloaded).
    pub ticket_paid: bool,
}

/// Where a waiting-list entry stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WaitingStatus {
    Waiting,
    /// A slot is held for the person until the offer expires.
    Offered,
    Booked,
    /// The deadline passed without a slot: unmet demand.
    Expired,
    Withdrawn,
}

impl WaitingStatus {
    pub const ALL: [WaitingStatus; 5] = [
        WaitingStatus::Waiting,
        WaitingStatus::Offered,
        WaitingStatus::Booked,
        WaitingStatus::Expired,
        WaitingStatus::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            WaitingStatus::Waiting => "waiting",
            WaitingStatus::Offered => "offered",
            WaitingStatus::Booked => "booked",
            WaitingStatus::Expired => "expired",
            WaitingStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Option<WaitingStatus> {
        WaitingStatus::ALL.into_iter().find(|status| status.code() == code)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotOffer {
    pub id: i64,
    pub place: Place,
    pub day: String,
    pub time: String,
    /// Local time the offer lapses, `dd/mm/yyyy hh:mm`.
    pub expires_local: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingEntry {
    pub reference: String,
    pub nre: String,
    pub service_name: String,
    pub priority: Priority,
    pub requested_on: String,
    pub deadline: String,
    pub status: WaitingStatus,
    pub offer: Option<SlotOffer>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingsPage {
    pub prescriptions: Vec<PrescriptionCard>,
    pub bookings: Vec<BookingCard>,
    pub waiting: Vec<WaitingEntry>,
}

/// `1234` tenths of a km → `"123,4 km"`.
pub fn km_text(tenths: i64) -> String {
    format!("{},{} km", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_filters_make_their_query_string() {
        let filter = SearchFilter {
            nre: "0700A4000000101".into(),
            asl: Some("ASL3".into()),
            facility: None,
            town: Some("D969".into()),
            max_km: Some(25),
            moving: Some("PR-ABC".into()),
        };
        assert_eq!(filter.query(), "nre=0700A4000000101&asl=ASL3&comune=D969&km=25&sposta=PR-ABC");
    }

    #[test]
    fn statuses_round_trip() {
        for status in WaitingStatus::ALL {
            assert_eq!(WaitingStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(km_text(1234), "123,4 km");
    }
}
