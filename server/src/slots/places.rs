//! Facilities as the booking pages show them ("where"), the towns a search
//! measures distances from, and the ASLs a search filters by.

use app::cup::model::{Choice, Place};
use sqlx::AnyConnection;

/// A facility with its town, ASL and position.
#[derive(Clone, sqlx::FromRow)]
pub(crate) struct PlaceRow {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) address: String,
    pub(crate) town: String,
    pub(crate) asl_name: String,
    pub(crate) phone: String,
    pub(crate) asl_code: String,
    pub(crate) latitude: f64,
    pub(crate) longitude: f64,
}

const SELECT_PLACE: &str =
    "SELECT f.id, f.name, f.address, m.name AS town, a.name AS asl_name, f.phone, f.asl_code, m.latitude, m.longitude
      FROM facilities f JOIN municipalities m ON m.belfiore = f.municipality JOIN asl a ON a.code = f.asl_code";

pub(crate) fn place(row: &PlaceRow) -> Place {
    let PlaceRow { id: facility_id, name: facility, address, town, asl_name: asl, phone, .. } = row.clone();
    Place { facility_id, facility, address, town, asl, phone }
}

/// One facility, by id.
pub(crate) async fn place_row(connection: &mut AnyConnection, facility_id: i64) -> Result<PlaceRow, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT_PLACE} WHERE f.id = $1")).bind(facility_id).fetch_one(&mut *connection).await
}

/// One facility as a page shows it, by id.
pub(crate) async fn place_by_id(connection: &mut AnyConnection, facility_id: i64) -> Result<Place, sqlx::Error> {
    Ok(place(&place_row(connection, facility_id).await?))
}

/// Every facility of `kinds` (an SQL list from [`super::kinds_sql`]), by name.
pub(crate) async fn places_of_kinds(connection: &mut AnyConnection, kinds: &str) -> Result<Vec<PlaceRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT_PLACE} WHERE f.kind IN {kinds} ORDER BY f.name")).fetch_all(&mut *connection).await
}

/// The pharmacies, those of `asl` first, then by ASL, town and name.
pub(crate) async fn pharmacies_near(connection: &mut AnyConnection, asl: &str) -> Result<Vec<PlaceRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT_PLACE} WHERE f.kind = 'pharmacy' ORDER BY f.asl_code = $1 DESC, f.asl_code, m.name, f.name"
    ))
    .bind(asl)
    .fetch_all(&mut *connection)
    .await
}

/// A town a search can start from.
pub(crate) struct Town {
    /// Belfiore code.
    pub code: String,
    pub name: String,
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(sqlx::FromRow)]
struct TownRow {
    belfiore: String,
    name: String,
    latitude: f64,
    longitude: f64,
}

/// The towns and the ASLs, as a slot search offers them.
pub(crate) struct SearchPlaces {
    pub towns: Vec<Town>,
    pub asls: Vec<Choice>,
}

impl SearchPlaces {
    pub(crate) async fn load(connection: &mut AnyConnection) -> Result<SearchPlaces, sqlx::Error> {
        let towns: Vec<TownRow> =
            sqlx::query_as("SELECT belfiore, name, latitude, longitude FROM municipalities ORDER BY name")
                .fetch_all(&mut *connection)
                .await?;
        let asls: Vec<(String, String)> =
            sqlx::query_as("SELECT code, name FROM asl ORDER BY code").fetch_all(&mut *connection).await?;
        Ok(SearchPlaces {
            towns: towns
                .into_iter()
                .map(|TownRow { belfiore, name, latitude, longitude }| Town {
                    code: belfiore,
                    name,
                    latitude,
                    longitude,
                })
                .collect(),
            asls: asls.into_iter().map(|(value, label)| Choice { value, label }).collect(),
        })
    }

    /// Where the town with Belfiore code `code` is, if it is one.
    pub(crate) fn position_of(&self, code: Option<&String>) -> Option<(f64, f64)> {
        let code = code?;
        self.towns.iter().find(|town| &town.code == code).map(|town| (town.latitude, town.longitude))
    }

    /// The towns as the search form's choices.
    pub(crate) fn town_choices(&self) -> Vec<Choice> {
        self.towns.iter().map(|town| Choice { value: town.code.clone(), label: town.name.clone() }).collect()
    }
}
