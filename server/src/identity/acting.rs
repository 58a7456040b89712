//! Whom a signed-in person may act for, from the registry: themselves,
//! their minor children (guardianships) and whoever delegated them with a
//! live delegation. Checked again on every request, so an expired or
//! revoked delegation stops working at once.

use app::identity::model::{ActingKind, ActingOption, Capability, Person, Relation};
use chrono::{Datelike, Months, NaiveDate};
use sqlx::AnyPool;

/// Age of majority: parents act for children younger than this.
pub const ADULT_AGE_YEARS: u32 = 18;

/// One person reachable by the actor, and how.
#[derive(Clone, Debug)]
pub struct Reachable {
    pub person: Person,
    pub relation: Relation,
}

impl Reachable {
    pub fn option(&self) -> ActingOption {
        let kind = match self.relation {
            Relation::Own => ActingKind::Myself,
            Relation::Parent => ActingKind::Child,
            Relation::Delegate { .. } => ActingKind::Delegator,
        };
        ActingOption { person: self.person.clone(), kind }
    }
}

/// The latest birth date of an adult on `today`.
pub fn adult_born_on_or_before(today: NaiveDate) -> NaiveDate {
    today.checked_sub_months(Months::new(12 * ADULT_AGE_YEARS)).unwrap_or(today)
}

/// Completed years of age on `day`.
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// Someone who delegated `actor`, with the delegation's id and scopes.
#[derive(sqlx::FromRow)]
struct DelegatorRow {
    id: i64,
    fiscal_code: String,
    given_name: String,
    family_name: String,
    scopes: String,
}

/// Everyone `actor` may act for, themselves first.
pub async fn reachable(pool: &AnyPool, actor: &Person, today: NaiveDate) -> Result<Vec<Reachable>, sqlx::Error> {
    let mut reachable = vec![Reachable { person: actor.clone(), relation: Relation::Own }];
    let adult_limit = adult_born_on_or_before(today).to_string();
    let children: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT p.fiscal_code, p.given_name, p.family_name
           FROM guardianships g JOIN people p ON p.fiscal_code = g.child
          WHERE g.parent = $1 AND p.birth_date > $2
          ORDER BY p.birth_date",
    )
    .bind(&actor.fiscal_code)
    .bind(&adult_limit)
    .fetch_all(pool)
    .await?;
    reachable.extend(children.into_iter().map(|(fiscal_code, given_name, family_name)| Reachable {
        person: Person { fiscal_code, given_name, family_name },
        relation: Relation::Parent,
    }));
    let delegators: Vec<DelegatorRow> = sqlx::query_as(
        "SELECT d.id, p.fiscal_code, p.given_name, p.family_name, d.scopes
           FROM delegations d JOIN people p ON p.fiscal_code = d.delegator
          WHERE d.delegate = $1 AND d.revoked_at IS NULL AND d.valid_until >= $2
          ORDER BY p.family_name, p.given_name",
    )
    .bind(&actor.fiscal_code)
    .bind(today.to_string())
    .fetch_all(pool)
    .await?;
    reachable.extend(delegators.into_iter().map(|row| Reachable {
        person: Person { fiscal_code: row.fiscal_code, given_name: row.given_name, family_name: row.family_name },
        relation: Relation::Delegate { delegation_id: row.id, scopes: Capability::parse_list(&row.scopes) },
    }));
    Ok(reachable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majority_is_reached_on_the_eighteenth_birthday() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
        assert_eq!(adult_born_on_or_before(today), NaiveDate::from_ymd_opt(2008, 11, 23).expect("date"));
        // Born on 29 February: adult on 28 February of a common year.
        let leap = NaiveDate::from_ymd_opt(2027, 2, 28).expect("date");
        assert_eq!(adult_born_on_or_before(leap), NaiveDate::from_ymd_opt(2009, 2, 28).expect("date"));
    }
}
