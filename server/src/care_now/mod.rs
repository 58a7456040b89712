//! "Dove andare adesso" in SQL: the 116117 number by ASL, guardia medica
//! points, pharmacies (regular hours and the on-duty rota), Case della
//! Comunità, and the ER units of the board, each with whether it is open at
//! the moment asked (now, or a day and time the person chooses), computed in
//! Europe/Rome time with the holidays of the place (`holidays`, `opening`).
//! The rota comes from the CSV an ASL publishes (`import`, `rota_csv`).

pub mod holidays;
pub mod import;
pub mod opening;
pub mod rota_csv;

use std::collections::HashMap;
use std::sync::Arc;

use app::care_now::model::{CareNow, CareNowQuery, CarePlace, Line116117, Opening};
use app::care_now::port::CareNowDirectory;
use app::cup::model::km_text;
use app::domain::dates::italian_date;
use app::domain::geo::distance_tenths_km;
use app::emergency::model::{AslOption, ErBoardQuery, NearBy};
use app::emergency::port::EmergencyBoard;
use async_trait::async_trait;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Utc};
use sqlx::AnyPool;

use self::holidays::PatronDay;
use self::opening::{OpenStatus, WeeklyHours};
use crate::clock::utc_to_rome;

/// How a rota time is stored (Rome wall clock, see the migration).
pub const LOCAL_MINUTES: &str = "%Y-%m-%d %H:%M";

/// Places of each kind shown when sorted from a place (a phone screen
/// each), and when not (the ASL's, by name).
const NEAREST_SHOWN: usize = 5;
const PLACES_SHOWN: usize = 12;
/// ER units shown beside the places (the board has them all).
const ER_UNITS_SHOWN: usize = 6;

pub struct SqlCareNow {
    pool: AnyPool,
    board: Arc<dyn EmergencyBoard>,
}

/// A place read from the database, before its opening is computed.
#[derive(sqlx::FromRow)]
struct PlaceRow {
    kind: String,
    name: String,
    municipality: String,
    town: String,
    asl_name: String,
    address: String,
    phone: String,
    latitude: f64,
    longitude: f64,
    hours: String,
    /// Pharmacies: the end of the rota turn that covers the moment.
    on_duty_until: Option<String>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    asl_code: String,
    asl_name: String,
    active_since: Option<String>,
    alternative_phone: String,
}

#[derive(sqlx::FromRow)]
struct PatronRow {
    municipality: String,
    month: i64,
    day: i64,
    saint: String,
}

/// Where the lists are sorted from.
struct Origin {
    point: Option<(f64, f64)>,
    near: Option<NearBy>,
    /// The town's name, for the ER board's own sorting.
    town_name: Option<String>,
    /// The town's Belfiore code and ASL, for its holidays and 116117.
    town: Option<String>,
    asl: Option<String>,
    unknown_town: Option<String>,
}

impl SqlCareNow {
    pub fn new(pool: AnyPool, board: Arc<dyn EmergencyBoard>) -> SqlCareNow {
        SqlCareNow { pool, board }
    }

    pub async fn load(
        &self,
        query: &CareNowQuery,
        resident: Option<&str>,
        now: NaiveDateTime,
    ) -> Result<CareNow, sqlx::Error> {
        let (moment, is_now, invalid_moment) = match chosen_moment(query, now) {
            Ok(Some(chosen)) => (chosen, false, false),
            Ok(None) => (now, true, false),
            Err(()) => (now, true, true),
        };
        let asls: Vec<(String, String)> =
            sqlx::query_as("SELECT code, name FROM asl ORDER BY code").fetch_all(&self.pool).await?;
        let asl = query.asl.clone().filter(|code| asls.iter().any(|(c, _)| c == code));
        let origin = self.origin(query, resident).await?;
        let patrons = self.patron_days().await?;
        let holiday = holidays::holiday(moment.date(), origin.town.as_ref().and_then(|town| patrons.get(town)));

        let stamp = moment.format(LOCAL_MINUTES).to_string();
        let rows: Vec<PlaceRow> = sqlx::query_as(
            "SELECT c.kind, c.name, c.municipality, m.name AS town, a.name AS asl_name,
                    c.address, c.phone, c.latitude, c.longitude, c.hours, CAST(NULL AS TEXT) AS on_duty_until
               FROM care_points c JOIN municipalities m ON m.belfiore = c.municipality
               JOIN asl a ON a.code = c.asl_code
              WHERE $1 IS NULL OR c.asl_code = $1
             UNION ALL
             SELECT 'farmacia', f.name, f.municipality, m.name, a.name, f.address, f.phone, f.latitude,
                    f.longitude, h.hours,
                    (SELECT max(r.ends_local) FROM pharmacy_rota r
                      WHERE r.pharmacy_id = f.id AND r.starts_local <= $2 AND r.ends_local > $2)
               FROM facilities f JOIN pharmacy_hours h ON h.facility_id = f.id
               JOIN municipalities m ON m.belfiore = f.municipality JOIN asl a ON a.code = f.asl_code
              WHERE f.kind = 'pharmacy' AND ($1 IS NULL OR f.asl_code = $1)
              ORDER BY 2",
        )
        .bind(&asl)
        .bind(&stamp)
        .fetch_all(&self.pool)
        .await?;

        let mut guardia_medica = Vec::new();
        let mut pharmacies_open = Vec::new();
        let mut pharmacies_closed = 0;
        let mut case_comunita = Vec::new();
        for row in rows {
            let tenths = origin.point.map(|from| distance_tenths_km(from, (row.latitude, row.longitude)));
            let place = place(patrons.get(&row.municipality), &row, moment);
            let Some(place) = place else { continue };
            let entry = (tenths, CarePlace { distance: tenths.map(km_text), ..place });
            match row.kind.as_str() {
                "continuita_assistenziale" => guardia_medica.push(entry),
                "casa_comunita" => case_comunita.push(entry),
                _ if entry.1.open.is_open() => pharmacies_open.push(entry),
                _ => pharmacies_closed += 1,
            }
        }

        let shown = if origin.point.is_some() { NEAREST_SHOWN } else { PLACES_SHOWN };
        let board = self
            .board
            .board(&ErBoardQuery {
                asl: asl.clone(),
                near: origin.town_name.clone(),
                position: origin.point.filter(|_| origin.town_name.is_none()),
            })
            .await
            .map_err(|error| sqlx::Error::Protocol(format!("ER board: {error}")))?;

        Ok(CareNow {
            day: moment.format("%Y-%m-%d").to_string(),
            time: moment.format("%H:%M").to_string(),
            moment_text: moment.format("%d/%m/%Y %H:%M").to_string(),
            is_now,
            invalid_moment,
            holiday,
            line_116117: self.lines(origin.asl.as_deref().or(asl.as_deref())).await?,
            asls: asls.into_iter().map(|(code, name)| AslOption { code, name }).collect(),
            asl,
            near: origin.near,
            unknown_town: origin.unknown_town,
            guardia_medica: nearest(guardia_medica, shown),
            pharmacies_open: nearest(pharmacies_open, shown),
            pharmacies_closed,
            case_comunita: nearest(case_comunita, shown),
            er_units: board.units.into_iter().take(ER_UNITS_SHOWN).collect(),
        })
    }

    /// A town asked for, the device position, or the resident's own town.
    async fn origin(&self, query: &CareNowQuery, resident: Option<&str>) -> Result<Origin, sqlx::Error> {
        let none = Origin { point: None, near: None, town_name: None, town: None, asl: None, unknown_town: None };
        if let Some(asked) = &query.near {
            let found: Option<(String, String, f64, f64, String)> = sqlx::query_as(
                "SELECT m.belfiore, m.name, m.latitude, m.longitude, d.asl_code
                   FROM municipalities m JOIN care_areas ca ON ca.id = m.care_area_id
                   JOIN districts d ON d.id = ca.district_id
                  WHERE lower(m.name) = lower($1) LIMIT 1",
            )
            .bind(asked)
            .fetch_optional(&self.pool)
            .await?;
            return Ok(match found {
                Some((belfiore, name, lat, lon, asl)) => Origin {
                    point: Some((lat, lon)),
                    near: Some(NearBy::Town(name.clone())),
                    town_name: Some(name),
                    town: Some(belfiore),
                    asl: Some(asl),
                    unknown_town: None,
                },
                None => Origin { unknown_town: Some(asked.clone()), ..none },
            });
        }
        // Only positions in and around Liguria sort the lists (as on the board).
        if let Some((lat, lon)) = query.position {
            if (43.0..=45.5).contains(&lat) && (7.0..=10.5).contains(&lon) {
                return Ok(Origin { point: Some((lat, lon)), near: Some(NearBy::Position), ..none });
            }
            return Ok(none);
        }
        let Some(person) = resident else { return Ok(none) };
        let home: Option<(String, String, f64, f64, String)> = sqlx::query_as(
            "SELECT m.belfiore, m.name, m.latitude, m.longitude, d.asl_code
               FROM people p JOIN municipalities m ON m.belfiore = p.municipality
               JOIN care_areas ca ON ca.id = m.care_area_id JOIN districts d ON d.id = ca.district_id
              WHERE p.fiscal_code = $1",
        )
        .bind(person)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match home {
            Some((belfiore, name, lat, lon, asl)) => Origin {
                point: Some((lat, lon)),
                near: Some(NearBy::Town(name.clone())),
                town_name: Some(name),
                town: Some(belfiore),
                asl: Some(asl),
                unknown_town: None,
            },
            None => none,
        })
    }

    async fn patron_days(&self) -> Result<HashMap<String, PatronDay>, sqlx::Error> {
        let rows: Vec<PatronRow> =
            sqlx::query_as("SELECT municipality, month, day, saint FROM patron_days").fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let day = PatronDay {
                    month: u32::try_from(row.month).unwrap_or(0),
                    day: u32::try_from(row.day).unwrap_or(0),
                    saint: row.saint,
                };
                (row.municipality, day)
            })
            .collect())
    }

    /// 116117 in each ASL, the one of `here` first.
    async fn lines(&self, here: Option<&str>) -> Result<Vec<Line116117>, sqlx::Error> {
        let rows: Vec<LineRow> = sqlx::query_as(
            "SELECT s.asl_code, a.name AS asl_name, s.active_since, s.alternative_phone
               FROM service_116117 s JOIN asl a ON a.code = s.asl_code ORDER BY s.asl_code",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut lines: Vec<Line116117> = rows
            .into_iter()
            .map(|row| Line116117 {
                here: here == Some(row.asl_code.as_str()),
                active_since: row.active_since.as_deref().map(italian_date),
                asl_code: row.asl_code,
                asl_name: row.asl_name,
                alternative_phone: row.alternative_phone,
            })
            .collect();
        lines.sort_by_key(|line| !line.here);
        Ok(lines)
    }
}

#[async_trait]
impl CareNowDirectory for SqlCareNow {
    async fn care_now(&self, query: &CareNowQuery, resident: Option<&str>) -> Result<CareNow, String> {
        self.load(query, resident, utc_to_rome(Utc::now())).await.map_err(|error| error.to_string())
    }
}

/// The day and time asked for (`Ok(None)`: none, so now). Either alone is
/// completed from now: a time alone is today, a day alone is this time.
fn chosen_moment(query: &CareNowQuery, now: NaiveDateTime) -> Result<Option<NaiveDateTime>, ()> {
    if query.day.is_none() && query.time.is_none() {
        return Ok(None);
    }
    let day = match &query.day {
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| ())?,
        None => now.date(),
    };
    let time = match &query.time {
        Some(text) => NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| ())?,
        None => now.time(),
    };
    // Far past or far future days are a typing mistake, not a question.
    if (day - now.date()).num_days().abs() > 366 {
        return Err(());
    }
    Ok(Some(day.and_time(time)))
}

/// A place with its opening at `moment`; None when its hours are not
/// readable (logged: the data need fixing, the page still shows the rest).
fn place(patron: Option<&PatronDay>, row: &PlaceRow, moment: NaiveDateTime) -> Option<CarePlace> {
    let hours = match WeeklyHours::parse(&row.hours) {
        Ok(hours) => hours,
        Err(error) => {
            tracing::warn!(place = %row.name, %error, "opening hours not readable");
            return None;
        }
    };
    let on_duty_until =
        row.on_duty_until.as_deref().and_then(|end| NaiveDateTime::parse_from_str(end, LOCAL_MINUTES).ok());
    let open = match (hours.status_at(moment, patron), on_duty_until) {
        (OpenStatus::Open { until }, _) => Opening::Open { until: until.map(|at| when(at, moment)) },
        (OpenStatus::Closed { .. }, Some(end)) => Opening::Open { until: Some(when(end, moment)) },
        (OpenStatus::Closed { opens }, None) => Opening::Closed { opens: opens.map(|at| when(at, moment)) },
    };
    Some(CarePlace {
        name: row.name.clone(),
        town: row.town.clone(),
        asl_name: row.asl_name.clone(),
        address: row.address.clone(),
        phone: row.phone.clone(),
        distance: None,
        hours: hours.text(),
        open,
        on_duty_until: on_duty_until.map(|end| when(end, moment)),
    })
}

/// "23:00" on the same day, "03/12 08:30" on another.
fn when(at: NaiveDateTime, moment: NaiveDateTime) -> String {
    if at.date() == moment.date() {
        at.format("%H:%M").to_string()
    } else {
        at.format("%d/%m %H:%M").to_string()
    }
}

/// Nearest first when there is a place to measure from (name order
/// otherwise, as read), at most `shown`.
fn nearest(mut places: Vec<(Option<i64>, CarePlace)>, shown: usize) -> Vec<CarePlace> {
    places.sort_by_key(|(tenths, _)| tenths.unwrap_or(0));
    places.into_iter().take(shown).map(|(_, place)| place).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, LOCAL_MINUTES).expect("time")
    }

    fn asked(day: Option<&str>, time: Option<&str>) -> CareNowQuery {
        CareNowQuery { day: day.map(Into::into), time: time.map(Into::into), ..CareNowQuery::default() }
    }

    #[test]
    fn a_chosen_moment_is_completed_from_now() {
        let now = at("2026-12-02 15:40");
        assert_eq!(chosen_moment(&asked(None, None), now), Ok(None));
        assert_eq!(chosen_moment(&asked(Some("2026-12-24"), Some("23:00")), now), Ok(Some(at("2026-12-24 23:00"))));
        assert_eq!(chosen_moment(&asked(None, Some("03:10")), now), Ok(Some(at("2026-12-02 03:10"))));
        assert_eq!(chosen_moment(&asked(Some("2026-12-25"), None), now), Ok(Some(at("2026-12-25 15:40"))));
    }

    #[test]
    fn an_unreadable_or_far_moment_is_refused() {
        let now = at("2026-12-02 15:40");
        assert_eq!(chosen_moment(&asked(Some("31/12/2026"), None), now), Err(()));
        assert_eq!(chosen_moment(&asked(None, Some("25:00")), now), Err(()));
        assert_eq!(chosen_moment(&asked(Some("2031-01-01"), Some("10:00")), now), Err(()));
    }

    #[test]
    fn times_on_another_day_say_the_day() {
        let moment = at("2026-12-02 23:00");
        assert_eq!(when(at("2026-12-02 23:30"), moment), "23:30");
        assert_eq!(when(at("2026-12-03 08:30"), moment), "03/12 08:30");
    }
}
