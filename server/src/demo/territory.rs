//! The region's fixed structure: ASL, districts, territorial areas, towns,
//! facilities and ER units, with stable ids so other generators can refer
//! to them.

use sqlx::AnyConnection;

use super::insert::{insert_rows, row};
use super::reference::{ASL, DISTRICTS, HOSPITALS, MUNICIPALITIES, SERVICES};
use super::Report;

#[derive(Clone, Debug)]
pub struct Facility {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub asl: &'static str,
    pub municipality: &'static str,
    pub address: String,
    pub latitude: f64,
    pub longitude: f64,
}

impl Facility {
    /// Hospitals and district outpatient clinics run CUP agendas.
    pub fn runs_outpatient_agendas(&self) -> bool {
        matches!(self.kind, "hub_hospital" | "hospital" | "outpatient")
    }
}

pub struct Town {
    pub belfiore: &'static str,
    pub care_area_id: i64,
    pub asl: &'static str,
    /// Relative weight of the resident population (regional scale).
    pub weight: u32,
}

pub struct Territory {
    pub towns: Vec<Town>,
    pub care_areas: Vec<(i64, i64, &'static str)>, // (id, district id, name)
    pub facilities: Vec<Facility>,
}

/// Residents by town (thousands, rounded), to spread regional-scale people.
const TOWN_WEIGHTS: [(&str, u32); 17] = [
    ("D969", 560),
    ("E463", 93),
    ("I480", 60),
    ("I138", 54),
    ("E290", 42),
    ("H183", 29),
    ("C621", 27),
    ("L741", 24),
    ("A145", 24),
    ("I449", 22),
    ("I693", 18),
    ("B369", 13),
    ("E488", 12),
    ("D600", 11),
    ("A984", 10),
    ("H212", 10),
    ("G605", 9),
];

impl Territory {
    pub fn build() -> Territory {
        let mut care_areas = Vec::new();
        let mut towns = Vec::new();
        for (district_index, district) in DISTRICTS.iter().enumerate() {
            for (area_name, municipalities) in district.care_areas {
                let area_id = care_areas.len() as i64 + 1;
                care_areas.push((area_id, district_index as i64 + 1, *area_name));
                for belfiore in *municipalities {
                    towns.push(Town {
                        belfiore,
                        care_area_id: area_id,
                        asl: district.asl,
                        weight: town_weight(belfiore),
                    });
                }
            }
        }
        // Recco (Tigullio) belongs to the Rapallo area.
        if let Some(&(rapallo_area, _, _)) = care_areas.iter().find(|(_, _, name)| *name == "Ambito Rapallo") {
            towns.push(Town { belfiore: "H212", care_area_id: rapallo_area, asl: "ASL4", weight: town_weight("H212") });
        }
        Territory { facilities: facilities(&towns), towns, care_areas }
    }

    pub fn town(&self, belfiore: &str) -> Option<&Town> {
        self.towns.iter().find(|town| town.belfiore == belfiore)
    }

    /// Facilities of a kind in an ASL, in id order.
    pub fn facilities_of(&self, asl: &str, kinds: &[&str]) -> Vec<&Facility> {
        self.facilities.iter().filter(|f| f.asl == asl && kinds.contains(&f.kind)).collect()
    }
}

fn town_weight(belfiore: &str) -> u32 {
    TOWN_WEIGHTS.iter().find(|(code, _)| *code == belfiore).map_or(5, |(_, weight)| *weight)
}

fn coordinates(belfiore: &str) -> (f64, f64) {
    MUNICIPALITIES.iter().find(|m| m.0 == belfiore).map_or((44.4, 8.9), |m| (m.3, m.4))
}

fn town_name(belfiore: &str) -> &'static str {
    MUNICIPALITIES.iter().find(|m| m.0 == belfiore).map_or("", |m| m.1)
}

/// Hospitals from docs/DOMAIN.md, one outpatient clinic per district, one
/// vaccination centre per ASL and two pharmacies per ASL.
fn facilities(towns: &[Town]) -> Vec<Facility> {
    let mut list: Vec<Facility> = Vec::new();
    let mut push = |code: String,
                    name: String,
                    kind: &'static str,
                    asl: &'static str,
                    municipality: &'static str,
                    address: String,
                    nudge: f64| {
        let (lat, lon) = coordinates(municipality);
        list.push(Facility {
            id: list.len() as i64 + 1,
            code,
            name,
            kind,
            asl,
            municipality,
            address,
            latitude: lat + nudge,
            longitude: lon - nudge,
        });
    };
    for (index, hospital) in HOSPITALS.iter().enumerate() {
        let kind = if hospital.hub { "hub_hospital" } else { "hospital" };
        push(
            hospital.code.into(),
            hospital.name.into(),
            kind,
            hospital.asl,
            hospital.municipality,
            hospital.address.into(),
            0.002 * (index % 5) as f64,
        );
    }
    for (index, district) in DISTRICTS.iter().enumerate() {
        let municipality = district.care_areas[0].1[0];
        let name = district.name.replace("Distretto", "Poliambulatorio");
        push(
            format!("POL-{:02}", index + 1),
            name,
            "outpatient",
            district.asl,
            municipality,
            format!("Via della Salute {}", index + 3),
            0.004,
        );
    }
    for (code, name, _) in ASL {
        let municipality = towns.iter().find(|t| t.asl == code).map_or("D969", |t| t.belfiore);
        push(
            format!("VAC-{code}"),
            format!("Centro vaccinale {name}"),
            "vaccination_centre",
            asl_static(code),
            municipality,
            "Piazza della Prevenzione 1".into(),
            -0.003,
        );
    }
    for (code, _, _) in ASL {
        for (number, town) in towns.iter().filter(|t| t.asl == code).take(2).enumerate() {
            let name = format!("Farmacia Comunale {} {}", number + 1, town_name(town.belfiore));
            push(
                format!("FAR-{code}-{}", number + 1),
                name,
                "pharmacy",
                asl_static(code),
                town.belfiore,
                format!("Via Roma {}", 10 + number),
                0.001,
            );
        }
    }
    list
}

fn asl_static(code: &str) -> &'static str {
    ASL.iter().find(|(c, _, _)| *c == code).map_or("ASL3", |(c, _, _)| c)
}

/// (machine client, facility code or `*` for all) of the demo region.
pub const DEMO_ER_GRANTS: [(&str, &str); 3] =
    [("flusso-regionale-ps", "*"), ("ospedale-gaslini", "HUB-GASLINI"), ("ospedale-san-martino", "HUB-SANMARTINO")];

/// Which development clients may send operating-theatre events, and where.
pub const DEMO_SURGERY_GRANTS: [(&str, &str); 2] =
    [("ospedale-san-martino", "HUB-SANMARTINO"), ("ospedale-galliera", "HUB-GALLIERA")];

/// Which development clients may send screening events: the regional
/// screening centre (`crate::screening::feeder::CLIENT_ID`).
pub const DEMO_SCREENING_GRANTS: [&str; 1] = [crate::screening::feeder::CLIENT_ID];

pub async fn insert(
    connection: &mut AnyConnection,
    territory: &Territory,
    report: &mut Report,
) -> Result<(), sqlx::Error> {
    report.asl =
        insert_rows(connection, "asl", &["code", "name", "fiscal_code"], ASL.iter().map(|(c, n, f)| row![*c, *n, *f]))
            .await? as usize;
    insert_rows(
        connection,
        "districts",
        &["id", "asl_code", "name"],
        DISTRICTS.iter().enumerate().map(|(i, d)| row![i as i64 + 1, d.asl, d.name]),
    )
    .await?;
    insert_rows(
        connection,
        "care_areas",
        &["id", "district_id", "name"],
        territory.care_areas.iter().map(|(id, district, name)| row![*id, *district, *name]),
    )
    .await?;
    insert_rows(
        connection,
        "municipalities",
        &["belfiore", "name", "province", "care_area_id", "latitude", "longitude"],
        territory.towns.iter().map(|town| {
            let (lat, lon) = coordinates(town.belfiore);
            let province = MUNICIPALITIES.iter().find(|m| m.0 == town.belfiore).map_or("GE", |m| m.2);
            row![town.belfiore, town_name(town.belfiore), province, town.care_area_id, lat, lon]
        }),
    )
    .await?;
    report.facilities = insert_rows(
        connection,
        "facilities",
        &["id", "code", "name", "kind", "asl_code", "municipality", "address", "latitude", "longitude", "phone"],
        territory.facilities.iter().map(|f| {
            row![
                f.id,
                f.code.as_str(),
                f.name.as_str(),
                f.kind,
                f.asl,
                f.municipality,
                f.address.as_str(),
                f.latitude,
                f.longitude,
                format!("010 {:07}", 5_550_000 + f.id)
            ]
        }),
    )
    .await? as usize;
    report.er_units = insert_rows(
        connection,
        "er_units",
        &["facility_id", "name", "paediatric"],
        HOSPITALS.iter().enumerate().map(|(i, h)| row![i as i64 + 1, h.er_name, i64::from(h.paediatric_er)]),
    )
    .await? as usize;
    // The development identity provider's machine clients (end2end/idp):
    // the regional ER flow reports for every unit, hospitals for their own,
    // the regional screening centre sends the screening events.
    for (client, facility) in DEMO_ER_GRANTS {
        sqlx::query("INSERT INTO ingest_er_grants (client_id, facility_code) VALUES ($1, $2)")
            .bind(client)
            .bind(facility)
            .execute(&mut *connection)
            .await?;
    }
    for (client, facility) in DEMO_SURGERY_GRANTS {
        sqlx::query("INSERT INTO ingest_surgery_grants (client_id, facility_code) VALUES ($1, $2)")
            .bind(client)
            .bind(facility)
            .execute(&mut *connection)
            .await?;
    }
    for client in DEMO_SCREENING_GRANTS {
        sqlx::query("INSERT INTO ingest_screening_grants (client_id) VALUES ($1)")
            .bind(client)
            .execute(&mut *connection)
            .await?;
    }
    report.services = insert_rows(
        connection,
        "outpatient_services",
        &["code", "name", "kind", "is_diagnostic", "ticket_cents", "duration_minutes", "preparation"],
        SERVICES
            .iter()
            .map(|s| row![s.code, s.name, s.kind, i64::from(s.diagnostic), s.ticket_cents, s.minutes, s.preparation]),
    )
    .await? as usize;
    Ok(())
}
