//! Demo paper notices: about one adult in 25 owes the emergency-room ticket
//! for a white code not followed by admission (25 €, L. 296/2006), issued by
//! the ASL of residence, to be paid within 30 days of the visit. Their
//! notice codes come from the same random generator as every position's
//! ([`create_position`]), so the demo's codes are not guessable either.

use chrono::{Duration, NaiveDate};
use sqlx::AnyConnection;

use crate::payments::create_position;

const ER_WHITE_CODE_TICKET_CENTS: i64 = 2500;
const DAYS_TO_PAY: i64 = 30;

pub async fn insert(connection: &mut AnyConnection, today: NaiveDate) -> Result<usize, sqlx::Error> {
    let adult_before = (today - Duration::days(18 * 366)).to_string();
    let owed: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT fiscal_code, asl_code, number FROM (
             SELECT p.fiscal_code, d.asl_code, p.birth_date, row_number() OVER (ORDER BY p.fiscal_code) AS number
               FROM people p
               JOIN municipalities m ON m.belfiore = p.municipality JOIN care_areas c ON c.id = m.care_area_id
               JOIN districts d ON d.id = c.district_id) numbered
          WHERE birth_date <= $1 AND number % 25 = 7 ORDER BY number",
    )
    .bind(adult_before)
    .fetch_all(&mut *connection)
    .await?;
    for (person, asl, number) in &owed {
        let visited = today - Duration::days(3 + number % 20);
        let reason = format!(
            "Ticket pronto soccorso: codice bianco non seguito da ricovero, accesso del {}",
            visited.format("%d/%m/%Y")
        );
        let due = (visited + Duration::days(DAYS_TO_PAY)).to_string();
        create_position(connection, person, None, asl, &reason, ER_WHITE_CODE_TICKET_CENTS, &due).await?;
    }
    Ok(owed.len())
}
