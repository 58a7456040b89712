//! Demo paper notices: about one adult in 25 owes the emergency-room ticket
//! for a white code not followed by admission (25 €, L. 296/2006), issued by
//! the ASL of residence, to be paid within 30 days of the visit. Their
//! notice codes come from the same random generator as every position's
//! ([`create_position`]), so the demo's codes are not guessable either.

use chrono::{Duration, NaiveDate};
use sqlx::SqliteConnection;

use crate::payments::create_position;

const ER_WHITE_CODE_TICKET_CENTS: i64 = 2500;
const DAYS_TO_PAY: i64 = 30;

pub async fn insert(connection: &mut SqliteConnection, today: NaiveDate) -> Result<usize, sqlx::Error> {
    let adult_before = (today - Duration::days(18 * 366)).to_string();
    let owed: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT p.fiscal_code, d.asl_code, p.rowid FROM people p
           JOIN municipalities m ON m.belfiore = p.municipality JOIN care_areas c ON c.id = m.care_area_id
           JOIN districts d ON d.id = c.district_id
          WHERE p.birth_date <= ?1 AND p.rowid % 25 = 7 ORDER BY p.rowid",
    )
    .bind(adult_before)
    .fetch_all(&mut *connection)
    .await?;
    for (person, asl, rowid) in &owed {
        let visited = today - Duration::days(3 + rowid % 20);
        let reason = format!(
            "Ticket pronto soccorso: codice bianco non seguito da ricovero, accesso del {}",
            visited.format("%d/%m/%Y")
        );
        let due = (visited + Duration::days(DAYS_TO_PAY)).to_string();
        create_position(connection, person, None, asl, &reason, ER_WHITE_CODE_TICKET_CENTS, &due).await?;
    }
    Ok(owed.len())
}
