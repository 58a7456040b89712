//! The demo region's places for "Dove andare adesso": 116117 by ASL, the
//! patron saints' days of the four provincial capitals, a guardia medica
//! point and a Casa della Comunità per district, the pharmacies' opening
//! hours and a year of on-duty rota. Shapes and hours follow what the ASLs
//! publish; names, addresses and phone numbers are made up.

use chrono::{Duration, NaiveDate};
use sqlx::AnyConnection;

use super::insert::{insert_rows, row};
use super::reference::{ASL, DISTRICTS, MUNICIPALITIES};
use super::territory::Territory;

/// Guardia medica: weekday nights, from 10:00 on Saturdays and on the day
/// before a holiday, all day on Sundays and holidays (DPR 484/1996 hours).
pub const GUARDIA_MEDICA_HOURS: &str =
    "lun-ven 20:00-08:00; sab 10:00-08:00; dom 08:00-08:00; festivi 08:00-08:00; prefestivi 10:00-08:00";
/// A Casa della Comunità hub is open around the clock; a spoke 12 hours
/// six days a week (DM 77/2022).
const HUB_HOURS: &str = "h24";
const SPOKE_HOURS: &str = "lun-sab 08:00-20:00";
/// The two kinds of pharmacy hours seen most in Liguria.
const PHARMACY_HOURS: [&str; 2] = ["lun-ven 08:30-12:30,15:30-19:30; sab 08:30-12:30", "lun-sab 08:30-19:30"];
/// Rota turns change at 8:30, as most ASL rotas do.
const TURN_STARTS: &str = "08:30";

/// (ASL, since when 116117 answers, the guardia medica number meanwhile).
/// Liguria started 116117 in the Tigullio (ASL4) in December 2025.
const LINES_116117: [(&str, Option<&str>, &str); 5] = [
    ("ASL1", None, "800 555 101"),
    ("ASL2", None, "800 555 102"),
    ("ASL3", None, "800 555 103"),
    ("ASL4", Some("2025-12-01"), "800 555 104"),
    ("ASL5", None, "800 555 105"),
];

/// (town, month, day, saint, where to check it). Check each against the
/// municipality's own calendar before use in production.
const PATRON_DAYS: [(&str, i64, i64, &str, &str); 4] = [
    ("D969", 6, 24, "San Giovanni Battista", "Comune di Genova, calendario delle festività"),
    ("E463", 3, 19, "San Giuseppe", "Comune della Spezia, calendario delle festività"),
    ("I480", 3, 18, "Nostra Signora della Misericordia", "Comune di Savona, calendario delle festività"),
    ("E290", 11, 26, "San Leonardo da Porto Maurizio", "Comune di Imperia, calendario delle festività"),
];

fn coordinates(belfiore: &str) -> (f64, f64) {
    MUNICIPALITIES.iter().find(|m| m.0 == belfiore).map_or((44.4, 8.9), |m| (m.3, m.4))
}

pub async fn insert(
    connection: &mut AnyConnection,
    territory: &Territory,
    today: NaiveDate,
) -> Result<(), sqlx::Error> {
    insert_rows(
        connection,
        "service_116117",
        &["asl_code", "active_since", "alternative_phone"],
        LINES_116117.iter().map(|(asl, since, phone)| row![*asl, *since, *phone]),
    )
    .await?;
    let towns: Vec<&str> = territory.towns.iter().map(|town| town.belfiore).collect();
    insert_rows(
        connection,
        "patron_days",
        &["municipality", "month", "day", "saint", "source"],
        PATRON_DAYS
            .iter()
            .filter(|(town, ..)| towns.contains(town))
            .map(|(town, month, day, saint, source)| row![*town, *month, *day, *saint, *source]),
    )
    .await?;

    let mut points = Vec::new();
    for (index, district) in DISTRICTS.iter().enumerate() {
        let town = district.care_areas[0].1[0];
        let (lat, lon) = coordinates(town);
        let place = district.name.replace("Distretto ", "");
        let first_of_asl = DISTRICTS.iter().position(|d| d.asl == district.asl) == Some(index);
        let number = index as i64 + 1;
        points.push(row![
            "continuita_assistenziale",
            format!("Guardia medica {place}"),
            district.asl,
            town,
            format!("Via dell'Ospedale {}", 2 + index),
            lat + 0.003,
            lon + 0.002,
            format!("800 555 {:03}", 200 + number),
            GUARDIA_MEDICA_HOURS
        ]);
        points.push(row![
            "casa_comunita",
            format!("Casa della Comunità {place}"),
            district.asl,
            town,
            format!("Piazza della Salute {}", 1 + index),
            lat - 0.002,
            lon + 0.003,
            format!("010 556 {:04}", 100 + number),
            if first_of_asl { HUB_HOURS } else { SPOKE_HOURS }
        ]);
    }
    insert_rows(
        connection,
        "care_points",
        &["kind", "name", "asl_code", "municipality", "address", "latitude", "longitude", "phone", "hours"],
        points,
    )
    .await?;

    let pharmacies: Vec<_> = territory.facilities.iter().filter(|f| f.kind == "pharmacy").collect();
    insert_rows(
        connection,
        "pharmacy_hours",
        &["facility_id", "hours"],
        pharmacies.iter().enumerate().map(|(i, f)| row![f.id, PHARMACY_HOURS[i % PHARMACY_HOURS.len()]]),
    )
    .await?;
    // Each ASL's pharmacies take 24-hour turns in order, from a week ago to
    // a year ahead.
    let mut turns = Vec::new();
    for (asl, _, _) in ASL {
        let mine: Vec<_> = pharmacies.iter().filter(|f| f.asl == asl).collect();
        if mine.is_empty() {
            continue;
        }
        for offset in -7..=365_i64 {
            let day = today + Duration::days(offset);
            let next = day + Duration::days(1);
            let pharmacy = mine[usize::try_from(offset + 7).unwrap_or(0) % mine.len()];
            turns.push(row![pharmacy.id, format!("{day} {TURN_STARTS}"), format!("{next} {TURN_STARTS}"), "demo"]);
        }
    }
    insert_rows(connection, "pharmacy_rota", &["pharmacy_id", "starts_local", "ends_local", "source"], turns).await?;
    Ok(())
}
