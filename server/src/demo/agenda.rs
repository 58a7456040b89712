//! CUP agendas: slots for the next `AGENDA_DAYS` days at every hospital and
//! outpatient clinic, on working days, morning and afternoon. The demo
//! keeps agendas sparse so that waiting lists are real; regional scale
//! fills them densely enough to reach `REGIONAL_MIN_SLOTS`.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use sqlx::AnyConnection;

use super::insert::{insert_rows, row};
use super::reference::SERVICES;
use super::rng::Rng;
use super::territory::Territory;
use super::{Scale, AGENDA_DAYS, REGIONAL_MIN_SLOTS, REGIONAL_PEOPLE};
use crate::clock::rome_rfc3339;

/// Longest working day of an agenda: 8:00 to 18:00.
const SESSION_MINUTES: i64 = 10 * 60;

/// How many slots a facility opens for a service on a working day.
#[derive(Clone, Copy, Debug)]
pub struct SlotDensity {
    /// Chance (percent) that a service has a session on a given day.
    pub session_percent: u64,
    pub slots_per_session: i64,
}

impl SlotDensity {
    pub fn for_scale(scale: Scale, territory: &Territory) -> SlotDensity {
        match scale {
            Scale::Demo => SlotDensity { session_percent: 30, slots_per_session: 2 },
            // Agendas grow with the population: ≥ 2 M slots at 1.5 M people.
            Scale::Regional(people) => {
                let target = (REGIONAL_MIN_SLOTS * u64::from(people)).div_ceil(REGIONAL_PEOPLE);
                let pairs = offered_pairs(territory).len() as u64;
                let working_days = (AGENDA_DAYS as u64 * 5).div_ceil(7);
                let per_day = target.div_ceil(pairs * working_days) + 1;
                if per_day <= 2 {
                    SlotDensity::for_scale(Scale::Demo, territory)
                } else {
                    SlotDensity { session_percent: 100, slots_per_session: per_day as i64 }
                }
            }
        }
    }
}

/// (facility id, service index): which facility offers which service.
/// Hospitals offer everything but one service in five; clinics offer
/// visits, lab and basic procedures.
fn offered_pairs(territory: &Territory) -> Vec<(i64, usize)> {
    let mut pairs = Vec::new();
    for facility in territory.facilities.iter().filter(|f| f.runs_outpatient_agendas()) {
        for (index, service) in SERVICES.iter().enumerate() {
            let offered = match facility.kind {
                "outpatient" => matches!(service.kind, "visit" | "lab") || service.code == "89.52",
                _ => !(facility.id as usize + index).is_multiple_of(5),
            };
            if offered {
                pairs.push((facility.id, index));
            }
        }
    }
    pairs
}

pub async fn insert(
    connection: &mut AnyConnection,
    seed: u64,
    territory: &Territory,
    today: NaiveDate,
    density: SlotDensity,
) -> Result<u64, sqlx::Error> {
    let mut rng = Rng::new(seed ^ 0xA6E_4DA);
    let pairs = offered_pairs(territory);
    let rows = (1..=AGENDA_DAYS)
        .map(move |offset| today + Duration::days(offset))
        .filter(|day| !matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
        .flat_map(move |day| pairs.clone().into_iter().map(move |pair| (day, pair)))
        .flat_map(move |(day, (facility, service_index))| {
            let service = &SERVICES[service_index];
            let has_session = rng.chance(density.session_percent);
            let afternoon = rng.chance(40);
            let count = if has_session { density.slots_per_session } else { 0 };
            // Dense agendas stagger parallel rooms so a day still ends by 18:00.
            let step = service.minutes.min(SESSION_MINUTES / count.max(1)).max(1);
            (0..count).map(move |n| {
                // Sessions start at 8:00 or 14:00 (dense ones at 8:00).
                let session_start = if afternoon && count * step <= 4 * 60 { 14 * 60 } else { 8 * 60 };
                let start_minutes = session_start + n * step;
                let time = NaiveTime::from_hms_opt((start_minutes / 60 % 24) as u32, (start_minutes % 60) as u32, 0)
                    .unwrap_or_default();
                row![facility, service.code, rome_rfc3339(day.and_time(time)), service.minutes]
            })
        });
    insert_rows(connection, "slots", &["facility_id", "service_code", "starts_at", "duration_minutes"], rows).await
}

/// Vaccination and screening agendas (`prevention_appointments`): each
/// entry is (facility kinds, service, slots per working day).
const PREVENTION_AGENDAS: [(&[&str], &str, i64); 10] = [
    (&["vaccination_centre", "pharmacy"], "VAC-FLU", 6),
    (&["vaccination_centre", "pharmacy"], "VAC-COVID", 3),
    (&["vaccination_centre"], "VAC-PNEUMO", 3),
    (&["vaccination_centre"], "VAC-ZOSTER", 3),
    (&["vaccination_centre"], "VAC-HPV", 3),
    (&["hub_hospital", "hospital"], "SCR-MAMMO", 4),
    (&["hub_hospital", "hospital", "outpatient"], "SCR-CERVICE", 3),
    (&["hub_hospital"], "SCR-COLON", 2),
    (&["hub_hospital"], "SCR-APPRSENO", 2),
    (&["hub_hospital"], "SCR-COLPO", 2),
];

/// Minutes between two prevention slots.
const PREVENTION_STEP_MINUTES: i64 = 20;

/// The campaigns' and programmes' agendas for the next `AGENDA_DAYS` days:
/// every working day at 9:00, a little denser at regional scale.
pub async fn insert_prevention(
    connection: &mut AnyConnection,
    territory: &Territory,
    today: NaiveDate,
    scale: Scale,
) -> Result<u64, sqlx::Error> {
    let factor = match scale {
        Scale::Demo => 1,
        Scale::Regional(people) => u64::from(people).div_ceil(REGIONAL_PEOPLE / 4).max(1) as i64,
    };
    let mut rows = Vec::new();
    for day in (1..=AGENDA_DAYS).map(|offset| today + Duration::days(offset)) {
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        for (kinds, service, per_day) in PREVENTION_AGENDAS {
            for facility in territory.facilities.iter().filter(|f| kinds.contains(&f.kind)) {
                for n in 0..(per_day * factor).min(SESSION_MINUTES / PREVENTION_STEP_MINUTES) {
                    let minutes = 9 * 60 + n * PREVENTION_STEP_MINUTES;
                    let time =
                        NaiveTime::from_hms_opt((minutes / 60) as u32, (minutes % 60) as u32, 0).unwrap_or_default();
                    rows.push(row![facility.id, service, rome_rfc3339(day.and_time(time)), PREVENTION_STEP_MINUTES]);
                }
            }
        }
    }
    insert_rows(connection, "slots", &["facility_id", "service_code", "starts_at", "duration_minutes"], rows).await
}
