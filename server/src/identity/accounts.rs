//! The demo accounts of the development identity provider
//! (`end2end/idp/`), exported from the registry: `server idp-accounts`
//! prints them as JSON. Citizens are the adult demo residents (their
//! fiscal codes depend on the day the region was generated, so they are
//! read from the database, not committed); pharmacists and a hospital
//! operator are invented people bound to demo facilities.

use app::domain::fiscal_code::{name_part, surname_part, FiscalCode};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::AnyPool;

use super::acting::{adult_born_on_or_before, age_on};

/// Most citizens listed on the provider's login page.
const MAX_CITIZENS: i64 = 200;

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Account {
    pub sub: String,
    pub fiscal_code: String,
    pub given_name: String,
    pub family_name: String,
    pub birthdate: String,
    pub role: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pharmacy_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facility_id: Option<String>,
    pub description: String,
}

/// An invented member of staff: given name, family name, birth date
/// (year, month, day), female.
type Staff = (&'static str, &'static str, (i32, u32, u32), bool);

const PHARMACISTS: [Staff; 2] =
    [("Chiara", "Marchesani", (1979, 3, 14), true), ("Davide", "Ferrandino", (1985, 9, 2), false)];
const OPERATOR: Staff = ("Silvia", "Parodini", (1982, 6, 21), true);
const REGION_OPERATOR: Staff = ("Marco", "Benvenutelli", (1975, 2, 9), false);
/// Staff fiscal codes use Genova's Belfiore code.
const STAFF_MUNICIPALITY: &str = "D969";

fn staff_code(given: &str, family: &str, birth: (i32, u32, u32), female: bool) -> Option<String> {
    FiscalCode::compose(&surname_part(family), &name_part(given), birth, female, STAFF_MUNICIPALITY)
        .ok()
        .map(|code| code.as_str().to_string())
}

fn staff_account((given, family, birth, female): Staff, role: &'static str, description: String) -> Option<Account> {
    let code = staff_code(given, family, birth, female)?;
    Some(Account {
        sub: code.clone(),
        fiscal_code: code,
        given_name: given.into(),
        family_name: family.into(),
        birthdate: birth_text(birth),
        role,
        pharmacy_id: None,
        facility_id: None,
        description,
    })
}

fn birth_text((year, month, day): (i32, u32, u32)) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

/// An adult citizen offered as a demo account, with how many minors they
/// are the parent of.
#[derive(sqlx::FromRow)]
struct CitizenRow {
    fiscal_code: String,
    given_name: String,
    family_name: String,
    birth_date: String,
    town: String,
    asl: String,
    minors: i64,
}

/// Every demo account: adult citizens (parents first), two pharmacists,
/// one hospital operator, one operator of the region's prevention office.
pub async fn demo_accounts(pool: &AnyPool, today: NaiveDate) -> Result<Vec<Account>, sqlx::Error> {
    let adult_limit = adult_born_on_or_before(today).to_string();
    let citizens: Vec<CitizenRow> = sqlx::query_as(
        "SELECT p.fiscal_code, p.given_name, p.family_name, p.birth_date, m.name AS town, a.name AS asl,
                (SELECT count(*) FROM guardianships g JOIN people c ON c.fiscal_code = g.child
                  WHERE g.parent = p.fiscal_code AND c.birth_date > $1) AS minors
           FROM people p
           JOIN municipalities m ON m.belfiore = p.municipality
           JOIN care_areas ca ON ca.id = m.care_area_id
           JOIN districts d ON d.id = ca.district_id
           JOIN asl a ON a.code = d.asl_code
          WHERE p.birth_date <= $1
          ORDER BY minors DESC, p.family_name, p.given_name
          LIMIT $2",
    )
    .bind(&adult_limit)
    .bind(MAX_CITIZENS)
    .fetch_all(pool)
    .await?;
    let mut accounts: Vec<Account> = citizens
        .into_iter()
        .map(|CitizenRow { fiscal_code, given_name, family_name, birth_date: birthdate, town, asl, minors }| {
            let age =
                NaiveDate::parse_from_str(&birthdate, "%Y-%m-%d").map(|birth| age_on(birth, today)).unwrap_or_default();
            let mut description = format!("{age} anni · {town} · {asl}");
            match minors {
                0 => {}
                1 => description.push_str(" · genitore di 1 figlio/a minore"),
                n => description.push_str(&format!(" · genitore di {n} figli minori")),
            }
            Account {
                sub: fiscal_code.clone(),
                fiscal_code,
                given_name,
                family_name,
                birthdate,
                role: "citizen",
                pharmacy_id: None,
                facility_id: None,
                description,
            }
        })
        .collect();

    let pharmacies: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT f.id, f.name, m.name FROM facilities f JOIN municipalities m ON m.belfiore = f.municipality
          WHERE f.kind = 'pharmacy' ORDER BY f.id LIMIT 2",
    )
    .fetch_all(pool)
    .await?;
    for (staff, (id, name, town)) in PHARMACISTS.into_iter().zip(pharmacies) {
        if let Some(mut account) = staff_account(staff, "pharmacist", format!("Farmacista · {name}, {town}")) {
            account.pharmacy_id = Some(id.to_string());
            accounts.push(account);
        }
    }

    let hospital: Option<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM facilities WHERE kind = 'hub_hospital' ORDER BY id LIMIT 1")
            .fetch_optional(pool)
            .await?;
    if let Some((id, name)) = hospital {
        if let Some(mut account) =
            staff_account(OPERATOR, "hospital_operator", format!("Operatrice sanitaria · {name}"))
        {
            account.facility_id = Some(id.to_string());
            accounts.push(account);
        }
    }
    accounts.extend(staff_account(
        REGION_OPERATOR,
        "region_operator",
        "Operatore regionale · Settore prevenzione (adesione agli screening)".to_string(),
    ));
    Ok(accounts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invented_staff_have_valid_fiscal_codes() {
        for (given, family, birth, female) in PHARMACISTS.into_iter().chain([OPERATOR, REGION_OPERATOR]) {
            let code = staff_code(given, family, birth, female).expect("composes");
            assert!(FiscalCode::parse(&code).is_ok(), "{code}");
        }
    }

    #[test]
    fn age_counts_completed_years() {
        let birth = NaiveDate::from_ymd_opt(1980, 11, 24).expect("date");
        assert_eq!(age_on(birth, NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")), 45);
        assert_eq!(age_on(birth, NaiveDate::from_ymd_opt(2026, 11, 24).expect("date")), 46);
    }
}
