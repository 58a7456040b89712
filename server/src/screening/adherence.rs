//! The region's adherence figures: per programme × ASL × age band, and
//! vaccination campaign coverage per ASL, with small cells suppressed.

use std::collections::HashMap;

use app::domain::screening::{Programme, ScreeningResult, ScreeningTest};
use app::domain::vaccination::Campaign;
use app::screening::model::{suppress_cells, AdherenceReport, AdherenceRow, CampaignCoverage, ProgrammeTotal};
use chrono::NaiveDate;
use sqlx::AnyPool;

use crate::db::Flag;

use crate::prevention::facts::{self, Dose, Facts};

use super::age_band;

/// One person's row for the figures: their ASL (`name`, `asl_code`), their
/// tests and doses packed as text, whether a kit is open and how many
/// screening appointments are live.
#[derive(sqlx::FromRow)]
struct PersonRow {
    birth_date: String,
    sex: String,
    risk_groups: String,
    name: String,
    asl_code: String,
    tests: Option<String>,
    doses: Option<String>,
    open_kit: Flag,
    appointments: i64,
}

/// Adherence per programme × ASL × age band and campaign coverage per
/// ASL, computed from the registry with the same rules as the pages.
pub async fn adherence_report(pool: &AnyPool, today: NaiveDate) -> Result<AdherenceReport, sqlx::Error> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query_as::<_, PersonRow>(
        "SELECT p.birth_date, p.sex, p.risk_groups, a.name, d.asl_code,
                (SELECT string_agg(t.test || '|' || t.performed_on || '|' || t.result, ';')
                   FROM screening_tests t WHERE t.person = p.fiscal_code) AS tests,
                (SELECT string_agg(v.vaccine || '|' || v.administered_on, ';')
                   FROM vaccinations v WHERE v.person = p.fiscal_code) AS doses,
                EXISTS (SELECT 1 FROM fit_kits k WHERE k.person = p.fiscal_code
                         AND k.status IN ('requested', 'ready', 'collected', 'returned')) AS open_kit,
                (SELECT count(*) FROM prevention_appointments x WHERE x.person = p.fiscal_code
                   AND x.status = 'active' AND x.kind = 'screening') AS appointments
           FROM people p JOIN municipalities m ON m.belfiore = p.municipality
           JOIN care_areas ca ON ca.id = m.care_area_id JOIN districts d ON d.id = ca.district_id
           JOIN asl a ON a.code = d.asl_code",
    )
    .fetch(pool);
    let mut adherence: HashMap<(Programme, String, String), (u64, u64)> = HashMap::new();
    let mut coverage: HashMap<(Campaign, String), (u64, u64)> = HashMap::new();
    while let Some(row) = rows.try_next().await? {
        let PersonRow {
            birth_date: birth,
            sex,
            risk_groups: risk,
            name: asl_name,
            asl_code,
            tests,
            doses,
            open_kit,
            appointments,
        } = row;
        let (Some(birth), Some(sex)) = (facts::parse_day(&birth), app::domain::screening::Sex::from_code(&sex)) else {
            continue;
        };
        let person = Facts {
            name: String::new(),
            birth,
            sex,
            at_risk: risk.split(',').any(|group| !group.trim().is_empty()),
            asl: asl_code,
        };
        let mut last: HashMap<Programme, facts::LastTest> = HashMap::new();
        for test in tests.as_deref().unwrap_or_default().split(';').filter(|t| !t.is_empty()) {
            let mut parts = test.split('|');
            let (Some(test), Some(day), Some(result)) = (
                parts.next().and_then(ScreeningTest::from_code),
                parts.next().and_then(facts::parse_day),
                parts.next().and_then(ScreeningResult::from_code),
            ) else {
                continue;
            };
            if last.get(&test.programme()).is_none_or(|known| known.day <= day) {
                last.insert(test.programme(), facts::LastTest { test, day, result, document_id: None });
            }
        }
        let age = person.age_years(today);
        for programme in Programme::ALL {
            let state = facts::programme_state(programme, &person, last.get(&programme), false, today);
            if state.invitation.is_err() {
                continue;
            }
            let under_way = match programme {
                Programme::Colorectal => open_kit.0,
                _ => appointments > 0,
            };
            let entry = adherence.entry((programme, asl_name.clone(), age_band(age))).or_default();
            entry.0 += 1;
            if !state.due_now || under_way {
                entry.1 += 1;
            }
        }
        let doses: Vec<Dose> = doses
            .as_deref()
            .unwrap_or_default()
            .split(';')
            .filter_map(|dose| {
                let (vaccine, day) = dose.split_once('|')?;
                Some(Dose { vaccine: vaccine.to_string(), day: facts::parse_day(day)? })
            })
            .collect();
        for campaign in Campaign::ALL {
            if !campaign.eligible(person.subject(today)) {
                continue;
            }
            let history = facts::history(campaign, &person, &doses, today);
            let status = facts::campaign_status(campaign, &person, &doses, today);
            let entry = coverage.entry((campaign, asl_name.clone())).or_default();
            entry.0 += 1;
            if history.doses > 0 && !status.bookable() {
                entry.1 += 1;
            }
        }
    }
    let mut adherence: Vec<_> = adherence.into_iter().collect();
    adherence.sort_by(|(a, _), (b, _)| (a.0 as u8, &a.1, &a.2).cmp(&(b.0 as u8, &b.1, &b.2)));
    let mut rows = Vec::new();
    let mut totals = Vec::new();
    for programme in Programme::ALL {
        // Small cells are hidden here, before the numbers leave the server.
        let mine: Vec<_> = adherence.iter().filter(|((p, _, _), _)| *p == programme).collect();
        let counts: Vec<(u64, u64)> = mine.iter().map(|(_, counts)| *counts).collect();
        let hidden = suppress_cells(&counts, true);
        totals.push(ProgrammeTotal {
            programme,
            invited: counts.iter().map(|c| c.0).sum(),
            covered: counts.iter().map(|c| c.1).sum(),
        });
        for (((_, asl, band), (invited, covered)), hide) in mine.into_iter().zip(hidden) {
            let shown = |n: &u64| (!hide).then_some(*n);
            rows.push(AdherenceRow {
                programme,
                asl: asl.clone(),
                band: band.clone(),
                invited: shown(invited),
                covered: shown(covered),
            });
        }
    }
    let mut coverage: Vec<_> = coverage.into_iter().collect();
    coverage.sort_by(|(a, _), (b, _)| (a.0 as u8, &a.1).cmp(&(b.0 as u8, &b.1)));
    let hidden = suppress_cells(&coverage.iter().map(|(_, counts)| *counts).collect::<Vec<_>>(), false);
    let campaigns = coverage
        .into_iter()
        .zip(hidden)
        .map(|(((campaign, asl), (eligible, vaccinated)), hide)| CampaignCoverage {
            campaign,
            asl,
            eligible: (!hide).then_some(eligible),
            vaccinated: (!hide).then_some(vaccinated),
        })
        .collect();
    Ok(AdherenceReport { as_of: today.to_string(), rows, totals, campaigns })
}
