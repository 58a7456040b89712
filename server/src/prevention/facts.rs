//! What the rules of `app::domain::{vaccination, screening}` need to know
//! of a person, read from the registry, and the rules applied with dates:
//! one place for the pages, the bookings, the reminders and the region's
//! figures.

use std::collections::{HashMap, HashSet};

use app::domain::screening::{years_to_next, NotInvited, Programme, ScreeningResult, ScreeningTest, Sex};
use app::domain::vaccination::{flu_season_open, flu_season_year, Campaign, History, Status, Subject};
use app::prevention::model::{DueItem, Purpose};
use chrono::{Datelike, Months, NaiveDate};
use sqlx::AnyConnection;

/// A person as the prevention rules see them.
#[derive(Clone, Debug)]
pub struct Facts {
    pub name: String,
    pub birth: NaiveDate,
    pub sex: Sex,
    pub at_risk: bool,
    /// ASL of residence.
    pub asl: String,
}

impl Facts {
    pub fn age_years(&self, today: NaiveDate) -> u32 {
        self.age_months(today) / 12
    }

    pub fn age_months(&self, today: NaiveDate) -> u32 {
        months_between(self.birth, today)
    }

    pub fn subject(&self, today: NaiveDate) -> Subject {
        Subject { age_months: self.age_months(today), sex: self.sex, at_risk: self.at_risk }
    }
}

/// Completed months from `from` to `to` (0 if `to` is earlier).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        months -= 1;
    }
    months.max(0) as u32
}

pub fn add_years(day: NaiveDate, years: u32) -> NaiveDate {
    day.checked_add_months(Months::new(years * 12)).unwrap_or(day)
}

pub fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.get(0..10).unwrap_or(text), "%Y-%m-%d").ok()
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    name: String,
    birth_date: String,
    sex: String,
    risk_groups: String,
    asl_code: String,
}

impl PersonRow {
    fn facts(self) -> Option<Facts> {
        Some(Facts {
            name: self.name,
            birth: parse_day(&self.birth_date)?,
            sex: Sex::from_code(&self.sex)?,
            at_risk: self.risk_groups.split(',').any(|group| !group.trim().is_empty()),
            asl: self.asl_code,
        })
    }
}

pub async fn facts(connection: &mut AnyConnection, person: &str) -> Result<Option<Facts>, sqlx::Error> {
    let row: Option<PersonRow> = sqlx::query_as(
        "SELECT p.given_name || ' ' || p.family_name AS name, p.birth_date, p.sex, p.risk_groups, d.asl_code
           FROM people p JOIN municipalities m ON m.belfiore = p.municipality
           JOIN care_areas ca ON ca.id = m.care_area_id JOIN districts d ON d.id = ca.district_id
          WHERE p.fiscal_code = $1",
    )
    .bind(person)
    .fetch_optional(connection)
    .await?;
    Ok(row.and_then(PersonRow::facts))
}

/// A dose in the registry.
#[derive(Clone, Debug)]
pub struct Dose {
    pub vaccine: String,
    pub day: NaiveDate,
}

pub async fn doses(connection: &mut AnyConnection, person: &str) -> Result<Vec<Dose>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT vaccine, administered_on FROM vaccinations WHERE person = $1 ORDER BY administered_on, id",
    )
    .bind(person)
    .fetch_all(connection)
    .await?;
    Ok(rows.into_iter().filter_map(|(vaccine, day)| Some(Dose { vaccine, day: parse_day(&day)? })).collect())
}

/// The registry's history of one campaign (flu: this season only).
pub fn history(campaign: Campaign, facts: &Facts, doses: &[Dose], today: NaiveDate) -> History {
    let season_start = NaiveDate::from_ymd_opt(flu_season_year(today.year(), today.month()), 10, 1);
    let mine: Vec<&Dose> = doses
        .iter()
        .filter(|dose| campaign.recognises(&dose.vaccine))
        .filter(|dose| campaign != Campaign::Flu || season_start.is_some_and(|start| dose.day >= start))
        .collect();
    History {
        doses: mine.len() as u32,
        months_since_last: mine.last().map(|dose| months_between(dose.day, today)),
        age_at_first_dose: mine.first().map(|dose| months_between(facts.birth, dose.day) / 12),
    }
}

pub fn campaign_status(campaign: Campaign, facts: &Facts, doses: &[Dose], today: NaiveDate) -> Status {
    let open = flu_season_open(today.month(), today.day());
    campaign.status(facts.subject(today), history(campaign, facts, doses, today), open)
}

/// The last test of a programme.
#[derive(Clone, Debug)]
pub struct LastTest {
    pub test: ScreeningTest,
    pub day: NaiveDate,
    pub result: ScreeningResult,
    pub document_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct TestRow {
    test: String,
    performed_on: String,
    result: String,
    document_id: Option<i64>,
}

/// The newest test of each programme.
pub async fn last_tests(
    connection: &mut AnyConnection,
    person: &str,
) -> Result<HashMap<Programme, LastTest>, sqlx::Error> {
    let rows: Vec<TestRow> = sqlx::query_as(
        "SELECT test, performed_on, result, document_id FROM screening_tests WHERE person = $1
          ORDER BY performed_on, id",
    )
    .bind(person)
    .fetch_all(connection)
    .await?;
    Ok(newest_of_each_programme(rows))
}

/// Rows in test order → the newest test of each programme.
fn newest_of_each_programme(rows: impl IntoIterator<Item = TestRow>) -> HashMap<Programme, LastTest> {
    let mut last = HashMap::new();
    for TestRow { test, performed_on: day, result, document_id } in rows {
        let (Some(test), Some(day), Some(result)) =
            (ScreeningTest::from_code(&test), parse_day(&day), ScreeningResult::from_code(&result))
        else {
            continue;
        };
        last.insert(test.programme(), LastTest { test, day, result, document_id });
    }
    last
}

/// Where a programme stands for a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgrammeState {
    pub invitation: Result<ScreeningTest, NotInvited>,
    /// When the next test is due (`None`: now, or not applicable).
    pub next_due: Option<NaiveDate>,
    pub due_now: bool,
    /// The last result was positive and the second-level exam is not done.
    pub second_level_proposed: bool,
}

/// `second_level_done`: a second-level exam was done after the last test.
pub fn programme_state(
    programme: Programme,
    facts: &Facts,
    last: Option<&LastTest>,
    second_level_done: bool,
    today: NaiveDate,
) -> ProgrammeState {
    let invitation = programme.invites(facts.sex, facts.age_years(today));
    let positive = last.is_some_and(|last| last.result == ScreeningResult::Positive);
    let second_level_proposed = positive && !second_level_done;
    let next_due = match last {
        // After the second level the programme starts again from the test's date.
        Some(last) if positive && second_level_done => Some(add_years(last.day, last.test.interval_years())),
        Some(last) => years_to_next(Some((last.test, last.result))).map(|years| add_years(last.day, years)),
        None => None,
    };
    let due_now = invitation.is_ok() && !second_level_proposed && next_due.is_none_or(|day| day <= today);
    ProgrammeState { invitation, next_due: next_due.filter(|_| !due_now), due_now, second_level_proposed }
}

/// Whether a second-level exam of `programme` was done on or after `day`.
pub async fn second_level_done(
    connection: &mut AnyConnection,
    person: &str,
    programme: Programme,
    day: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let done: crate::db::Flag = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM prevention_appointments a JOIN slots s ON s.id = a.slot_id
          WHERE a.person = $1 AND a.kind = 'screening_second_level' AND a.topic = $2 AND a.status = 'done'
            AND substr(s.starts_at, 1, 10) >= $3)",
    )
    .bind(person)
    .bind(programme.code())
    .bind(day.to_string())
    .fetch_one(connection)
    .await?;
    Ok(done.0)
}

/// Every programme's state for a person.
pub async fn programme_states(
    connection: &mut AnyConnection,
    person: &str,
    facts: &Facts,
    today: NaiveDate,
) -> Result<Vec<(Programme, ProgrammeState, Option<LastTest>)>, sqlx::Error> {
    let last = last_tests(&mut *connection, person).await?;
    programme_states_after(connection, person, facts, &last, today).await
}

/// Every programme's state, given each programme's last test.
async fn programme_states_after(
    connection: &mut AnyConnection,
    person: &str,
    facts: &Facts,
    last: &HashMap<Programme, LastTest>,
    today: NaiveDate,
) -> Result<Vec<(Programme, ProgrammeState, Option<LastTest>)>, sqlx::Error> {
    let mut states = Vec::new();
    for programme in Programme::ALL {
        let last = last.get(&programme).cloned();
        let done = match &last {
            Some(test) if test.result == ScreeningResult::Positive => {
                second_level_done(&mut *connection, person, programme, test.day).await?
            }
            _ => false,
        };
        states.push((programme, programme_state(programme, facts, last.as_ref(), done, today), last));
    }
    Ok(states)
}

/// The open FIT kit: (status, pharmacy name).
pub async fn open_kit(connection: &mut AnyConnection, person: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT k.status, f.name FROM fit_kits k JOIN facilities f ON f.id = k.pharmacy_id
          WHERE k.person = $1 AND k.status IN ('requested', 'ready', 'collected', 'returned')",
    )
    .bind(person)
    .fetch_optional(connection)
    .await
}

/// Whether `purpose` may be booked now by this person.
pub async fn offered(
    connection: &mut AnyConnection,
    person: &str,
    purpose: Purpose,
    today: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let Some(facts) = facts(&mut *connection, person).await? else { return Ok(false) };
    Ok(match purpose {
        Purpose::Vaccination(campaign) => {
            let doses = doses(&mut *connection, person).await?;
            campaign_status(campaign, &facts, &doses, today).bookable()
        }
        Purpose::Screening(programme) | Purpose::SecondLevel(programme) => {
            let states = programme_states(&mut *connection, person, &facts, today).await?;
            states.into_iter().any(|(p, state, _)| {
                p == programme
                    && match purpose {
                        Purpose::SecondLevel(_) => state.second_level_proposed,
                        _ => state.due_now,
                    }
            })
        }
    })
}

/// Everything [`due_items`] reads of a person.
struct Snapshot {
    facts: Facts,
    doses: Vec<Dose>,
    live: HashSet<Purpose>,
    kit: Option<(String, String)>,
    last_tests: HashMap<Programme, LastTest>,
}

/// One row of [`SNAPSHOT_SQL`]: `part` says which of the five reads it
/// belongs to, and the columns mean what that read's own query names.
#[derive(sqlx::FromRow)]
struct SnapshotRow {
    part: i64,
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
    number: Option<i64>,
}

/// The person, their doses, live appointments, open kit and tests in one
/// query: the home page reads them on every visit, and on SQLite each
/// query is a round trip to the connection's thread (issue 25). Each part
/// is the same query as its function above ([`facts`], [`doses`],
/// the live appointments, [`open_kit`], [`last_tests`]).
const SNAPSHOT_SQL: &str = "
    SELECT CAST(1 AS BIGINT) AS part, p.given_name || ' ' || p.family_name AS a, p.birth_date AS b, p.sex AS c,
           p.risk_groups AS d, di.asl_code AS e, CAST(NULL AS BIGINT) AS number, '' AS sort_key, CAST(0 AS BIGINT) AS id
      FROM people p JOIN municipalities m ON m.belfiore = p.municipality
      JOIN care_areas ca ON ca.id = m.care_area_id JOIN districts di ON di.id = ca.district_id
     WHERE p.fiscal_code = $1
    UNION ALL
    SELECT CAST(2 AS BIGINT), vaccine, administered_on, '', '', '', NULL, administered_on, id
      FROM vaccinations WHERE person = $1
    UNION ALL
    SELECT CAST(3 AS BIGINT), kind, topic, '', '', '', NULL, '', CAST(0 AS BIGINT)
      FROM prevention_appointments WHERE person = $1 AND status = 'active'
    UNION ALL
    SELECT CAST(4 AS BIGINT), k.status, f.name, '', '', '', NULL, '', CAST(0 AS BIGINT)
      FROM fit_kits k JOIN facilities f ON f.id = k.pharmacy_id
     WHERE k.person = $1 AND k.status IN ('requested', 'ready', 'collected', 'returned')
    UNION ALL
    SELECT CAST(5 AS BIGINT), test, performed_on, result, '', '', document_id, performed_on, id
      FROM screening_tests WHERE person = $1
     ORDER BY part, sort_key, id";

async fn snapshot(connection: &mut AnyConnection, person: &str) -> Result<Option<Snapshot>, sqlx::Error> {
    let rows: Vec<SnapshotRow> = sqlx::query_as(SNAPSHOT_SQL).bind(person).fetch_all(connection).await?;
    let mut facts = None;
    let (mut doses, mut live, mut kit, mut tests) = (Vec::new(), HashSet::new(), None, Vec::new());
    for SnapshotRow { part, a, b, c, d, e, number } in rows {
        match part {
            1 => {
                facts = PersonRow { name: a, birth_date: b, sex: c, risk_groups: d, asl_code: e }.facts();
            }
            2 => doses.extend(parse_day(&b).map(|day| Dose { vaccine: a, day })),
            3 => live.extend(Purpose::from_columns(&a, &b)),
            4 => kit = Some((a, b)),
            _ => tests.push(TestRow { test: a, performed_on: b, result: c, document_id: number }),
        }
    }
    Ok(facts.map(|facts| Snapshot { facts, doses, live, kit, last_tests: newest_of_each_programme(tests) }))
}

/// What is due for a person, each with the period a reminder covers (so a
/// reminder is sent once per season, dose or due date).
pub async fn due_items(
    connection: &mut AnyConnection,
    person: &str,
    today: NaiveDate,
) -> Result<Option<(Facts, Vec<(DueItem, String)>)>, sqlx::Error> {
    let Some(Snapshot { facts, doses, live, kit, last_tests }) = snapshot(&mut *connection, person).await? else {
        return Ok(None);
    };
    let mut items = Vec::new();
    for campaign in Campaign::ALL {
        if live.contains(&Purpose::Vaccination(campaign)) {
            continue;
        }
        if let Status::Due { dose, late } = campaign_status(campaign, &facts, &doses, today) {
            let period = match campaign {
                Campaign::Flu => format!("stagione-{}", flu_season_year(today.year(), today.month())),
                Campaign::Covid => format!("dose-{dose}-{}", today.year()),
                _ => format!("dose-{dose}"),
            };
            items.push((DueItem::Vaccination { campaign, dose, late }, period));
        }
    }
    for (programme, state, last) in programme_states_after(&mut *connection, person, &facts, &last_tests, today).await?
    {
        let tested = last.map(|test| test.day.to_string()).unwrap_or_else(|| "mai".into());
        if state.second_level_proposed && !live.contains(&Purpose::SecondLevel(programme)) {
            items.push((DueItem::SecondLevel { programme }, tested));
        } else if state.due_now
            && !live.contains(&Purpose::Screening(programme))
            && !(programme == Programme::Colorectal && kit.is_some())
        {
            items.push((DueItem::Screening { programme }, tested));
        }
    }
    if let Some((status, pharmacy)) = kit.filter(|(status, _)| status == "ready") {
        items.push((DueItem::KitReady { pharmacy }, status));
    }
    Ok(Some((facts, items)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn woman(birth: NaiveDate) -> Facts {
        Facts { name: "Anna".into(), birth, sex: Sex::F, at_risk: false, asl: "ASL3".into() }
    }

    #[test]
    fn months_are_completed_months() {
        assert_eq!(months_between(day(2026, 1, 31), day(2026, 2, 28)), 0);
        assert_eq!(months_between(day(2026, 1, 15), day(2026, 2, 15)), 1);
        assert_eq!(months_between(day(2026, 5, 1), day(2026, 1, 1)), 0);
        assert_eq!(woman(day(1976, 11, 24)).age_years(day(2026, 11, 23)), 49);
        assert_eq!(woman(day(1976, 11, 23)).age_years(day(2026, 11, 23)), 50);
    }

    #[test]
    fn a_negative_test_waits_its_interval_an_inadequate_one_does_not() {
        let today = day(2026, 11, 23);
        let facts = woman(day(1970, 1, 1));
        let negative = LastTest {
            test: ScreeningTest::Mammography,
            day: day(2025, 6, 1),
            result: ScreeningResult::Negative,
            document_id: None,
        };
        let state = programme_state(Programme::Breast, &facts, Some(&negative), false, today);
        assert!(!state.due_now);
        assert_eq!(state.next_due, Some(day(2027, 6, 1)));
        let old = LastTest { day: day(2024, 6, 1), ..negative.clone() };
        assert!(programme_state(Programme::Breast, &facts, Some(&old), false, today).due_now);
        let inadequate = LastTest { result: ScreeningResult::Inadequate, ..negative.clone() };
        assert!(programme_state(Programme::Breast, &facts, Some(&inadequate), false, today).due_now);
    }

    #[test]
    fn a_positive_result_proposes_the_second_level_until_it_is_done() {
        let today = day(2026, 11, 23);
        let facts = woman(day(1965, 1, 1));
        let positive = LastTest {
            test: ScreeningTest::Fit,
            day: day(2026, 10, 1),
            result: ScreeningResult::Positive,
            document_id: None,
        };
        let state = programme_state(Programme::Colorectal, &facts, Some(&positive), false, today);
        assert!(state.second_level_proposed && !state.due_now);
        let after = programme_state(Programme::Colorectal, &facts, Some(&positive), true, today);
        assert!(!after.second_level_proposed && !after.due_now);
        assert_eq!(after.next_due, Some(day(2028, 10, 1)));
    }

    #[test]
    fn never_tested_people_are_due_only_inside_the_ages() {
        let today = day(2026, 11, 23);
        assert!(programme_state(Programme::Cervical, &woman(day(2001, 11, 23)), None, false, today).due_now);
        let young = programme_state(Programme::Cervical, &woman(day(2001, 11, 24)), None, false, today);
        assert_eq!(young.invitation, Err(NotInvited::TooYoung { from: 25 }));
        assert!(!young.due_now);
    }

    #[test]
    fn flu_history_counts_this_season_only() {
        let facts = woman(day(1950, 1, 1));
        let doses = vec![
            Dose { vaccine: "Antinfluenzale quadrivalente".into(), day: day(2025, 10, 20) },
            Dose { vaccine: "Antinfluenzale quadrivalente".into(), day: day(2026, 10, 20) },
        ];
        assert_eq!(history(Campaign::Flu, &facts, &doses, day(2026, 11, 23)).doses, 1);
        assert_eq!(history(Campaign::Flu, &facts, &doses[..1], day(2026, 11, 23)).doses, 0);
        assert_eq!(
            campaign_status(Campaign::Flu, &facts, &doses[..1], day(2026, 11, 23)),
            Status::Due { dose: 1, late: false }
        );
    }
}
