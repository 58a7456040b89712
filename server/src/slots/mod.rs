//! The slot engine shared by the CUP's specialist bookings and the
//! vaccination and screening appointments: which slots are free, the
//! earliest free slot per facility, the rules a slot must meet to be booked,
//! and when a booking can still be changed. Each capability keeps its own
//! booking table (`bookings`, `prevention_appointments`) whose partial
//! unique indexes make double booking impossible; this module only reads.

pub mod places;

use std::time::Duration;

use app::cup::model::SlotOption;
use app::cup::notice::CupNotice;
use app::domain::geo::distance_tenths_km;
use chrono::{DateTime, Duration as Days, Utc};
use sqlx::{AnyConnection, AnyPool};

use crate::clock::utc_to_rome;
use places::{place, PlaceRow};

/// Kinds of facility that run the CUP's outpatient agendas.
pub(crate) const AGENDA_KINDS: &[&str] = &["hub_hospital", "hospital", "outpatient"];

/// An SQL list of facility kinds (constants only, never user input).
pub(crate) fn kinds_sql(kinds: &[&str]) -> String {
    format!("({})", kinds.iter().map(|kind| format!("'{kind}'")).collect::<Vec<_>>().join(", "))
}

/// "Free": no live booking, no open waiting-list offer and no live
/// vaccination or screening appointment holds it.
pub(crate) const FREE_SLOT: &str =
    "NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active')
       AND NOT EXISTS (SELECT 1 FROM slot_offers o WHERE o.slot_id = s.id AND o.outcome IS NULL)
       AND NOT EXISTS (SELECT 1 FROM prevention_appointments a WHERE a.slot_id = s.id AND a.status = 'active')";

/// The earliest free slot of `service` at each facility of `kinds` (an SQL
/// list from [`kinds_sql`]) after `from` (see [`local_now_prefix`]), as
/// `(facility, slot, starts_at)`.
pub(crate) async fn earliest_by_facility(
    pool: &AnyPool,
    service: &str,
    from: &str,
    kinds: &str,
) -> Result<Vec<(i64, i64, String)>, sqlx::Error> {
    let rows: Vec<(i64, Option<i64>, Option<String>)> = sqlx::query_as(&format!(
        "SELECT f.id, s.id, s.starts_at FROM facilities f
           JOIN slots s ON s.id = (SELECT s.id FROM slots s
                                   WHERE s.service_code = $1 AND s.facility_id = f.id AND s.starts_at > $2 AND {FREE_SLOT}
                                   ORDER BY s.starts_at LIMIT 1)
          WHERE f.kind IN {kinds}"
    ))
    .bind(service)
    .bind(from)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().filter_map(|(facility, slot, starts_at)| Some((facility, slot?, starts_at?))).collect())
}

/// The earliest slots as the search offers them, measured from `from` (a
/// town's position) and kept when `keep(place, distance)` says so. A slot
/// is "within the deadline" when its day is not after `deadline`.
pub(crate) fn slot_options(
    earliest: Vec<(i64, i64, String)>,
    places: &[PlaceRow],
    from: Option<(f64, f64)>,
    deadline: Option<&str>,
    keep: impl Fn(&PlaceRow, Option<i64>) -> bool,
) -> Vec<SlotOption> {
    earliest
        .into_iter()
        .filter_map(|(facility, slot_id, starts_at)| {
            let row = places.iter().find(|p| p.id == facility)?;
            let distance = from.map(|from| distance_tenths_km(from, (row.latitude, row.longitude)));
            if !keep(row, distance) {
                return None;
            }
            let (day, time) = local_day_time(&starts_at);
            Some(SlotOption {
                slot_id,
                place: place(row),
                within_deadline: deadline.is_none_or(|deadline| day.as_str() <= deadline),
                day,
                time,
                starts_at,
                distance_tenths_km: distance,
            })
        })
        .collect()
}

/// A slot someone asks to book, with the waiting-list offer holding it.
pub(crate) struct SlotToBook {
    pub facility_id: i64,
    pub facility_kind: String,
    pub service_code: String,
    pub starts_at: String,
    /// The open offer holding the slot and the prescription it is for.
    pub offer: Option<(i64, Option<String>)>,
}

/// A slot, with its facility's kind, and the open offer holding it (`id`)
/// and the prescription it is offered for (`nre`).
#[derive(sqlx::FromRow)]
struct SlotToBookRow {
    facility_id: i64,
    kind: String,
    service_code: String,
    starts_at: String,
    id: Option<i64>,
    nre: Option<String>,
}

impl SlotToBook {
    pub(crate) async fn find(connection: &mut AnyConnection, slot_id: i64) -> Result<Option<SlotToBook>, sqlx::Error> {
        let row: Option<SlotToBookRow> = sqlx::query_as(
            "SELECT s.facility_id, f.kind, s.service_code, s.starts_at, o.id, w.nre
               FROM slots s JOIN facilities f ON f.id = s.facility_id
               LEFT JOIN slot_offers o ON o.slot_id = s.id AND o.outcome IS NULL
               LEFT JOIN waiting_list w ON w.id = o.entry_id
              WHERE s.id = $1",
        )
        .bind(slot_id)
        .fetch_optional(&mut *connection)
        .await?;
        Ok(row.map(|row| SlotToBook {
            facility_id: row.facility_id,
            facility_kind: row.kind,
            service_code: row.service_code,
            starts_at: row.starts_at,
            offer: row.id.map(|offer| (offer, row.nre)),
        }))
    }

    /// Why this slot cannot be booked for `service` at a facility of
    /// `kinds` at `now`, if it cannot (whether it is free is the unique
    /// indexes' answer, at the insert).
    pub(crate) fn refusal(&self, service: &str, kinds: &[&str], now: DateTime<Utc>) -> Option<CupNotice> {
        if self.service_code != service || !kinds.contains(&self.facility_kind.as_str()) {
            return Some(CupNotice::SlotWrongService);
        }
        if instant(&self.starts_at).is_none_or(|start| start <= now) {
            return Some(CupNotice::SlotInPast);
        }
        None
    }
}

/// Whether a booking starting at `starts_at` can still be changed: until
/// `change_closes` before it (24 hours if the setting is out of range).
pub(crate) fn changeable(change_closes: Duration, starts_at: &str, now: DateTime<Utc>) -> bool {
    instant(starts_at)
        .is_some_and(|start| start - now >= Days::from_std(change_closes).unwrap_or_else(|_| Days::hours(24)))
}

/// An RFC 3339 instant as UTC.
pub(crate) fn instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

/// A slot's local start, as `(day, time)`. Slots are stored with the Rome
/// offset, so the text already is local time.
pub(crate) fn local_day_time(starts_at: &str) -> (String, String) {
    (starts_at.get(0..10).unwrap_or_default().to_string(), starts_at.get(11..16).unwrap_or_default().to_string())
}

/// The local "now" as a prefix that sorts against stored slot times.
pub(crate) fn local_now_prefix(now: DateTime<Utc>) -> String {
    utc_to_rome(now).format("%Y-%m-%dT%H:%M").to_string()
}

/// A short random reference for a booking, appointment, waiting-list entry
/// or kit: `PR-1A2B3C4D`.
pub(crate) fn reference_code(prefix: &str) -> String {
    let id = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
    format!("{prefix}-{}", &id[..8])
}

/// What of `value` can be a reference (letters, digits, dashes; at most
/// 40): what the booking forms put back into a redirect or a file name.
pub(crate) fn clean_reference(value: &str) -> String {
    value.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_stored_with_the_rome_offset_reads_as_local_day_and_time() {
        assert_eq!(local_day_time("2026-03-29T09:30:00+02:00"), ("2026-03-29".to_string(), "09:30".to_string()));
    }

    #[test]
    fn a_booking_changes_until_the_window_closes() {
        let now = instant("2026-12-02T08:00:00Z").unwrap();
        let day = Duration::from_secs(24 * 3600);
        assert!(changeable(day, "2026-12-03T09:00:00+01:00", now));
        assert!(!changeable(day, "2026-12-03T08:59:00+01:00", now));
        assert!(!changeable(day, "not a time", now));
    }

    #[test]
    fn only_a_references_characters_are_kept() {
        assert_eq!(clean_reference("PR-1A2B\r\nLocation: x&y=1"), "PR-1A2BLocationxy1");
    }

    #[test]
    fn kinds_become_an_sql_list() {
        assert_eq!(kinds_sql(AGENDA_KINDS), "('hub_hospital', 'hospital', 'outpatient')");
    }

    #[test]
    fn a_slot_of_another_service_or_kind_or_in_the_past_is_refused() {
        let now = instant("2026-12-02T08:00:00Z").unwrap();
        let slot = SlotToBook {
            facility_id: 1,
            facility_kind: "hospital".into(),
            service_code: "89.7".into(),
            starts_at: "2026-12-10T09:00:00+01:00".into(),
            offer: None,
        };
        assert_eq!(slot.refusal("89.7", AGENDA_KINDS, now), None);
        assert_eq!(slot.refusal("88.71", AGENDA_KINDS, now), Some(CupNotice::SlotWrongService));
        assert_eq!(slot.refusal("89.7", &["pharmacy"], now), Some(CupNotice::SlotWrongService));
        let later = instant("2026-12-11T08:00:00Z").unwrap();
        assert_eq!(slot.refusal("89.7", AGENDA_KINDS, later), Some(CupNotice::SlotInPast));
    }
}
