//! Whom a signed-in person may act for, from the registry: themselves,
//! their minor children (guardianships) and whoever delegated them with a
//! live delegation. Checked again on every request, so an expired or
//! revoked delegation stops working at once.

use std::sync::LazyLock;

use app::identity::model::{ActingKind, ActingOption, Capability, Person, Relation, Role};
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
/// One row of [`request_context`]'s query: a child, a delegator or the
/// unread count, told apart by `part`.
#[derive(sqlx::FromRow)]
struct ContextRow {
    part: i64,
    /// The delegation's id, or the unread count.
    number: i64,
    fiscal_code: String,
    given_name: String,
    family_name: String,
    scopes: String,
}

const CHILD_PART: i64 = 1;
const DELEGATOR_PART: i64 = 2;
const UNREAD_PART: i64 = 3;

/// What every signed-in request needs besides its session.
pub struct RequestContext {
    /// The actor first, then their minor children by age, then the people
    /// whose delegation is in force, by name.
    pub reachable: Vec<Reachable>,
    pub unread_notifications: i64,
}

/// Children, delegators and the unread count in one query: on SQLite every
/// query is a round trip to the connection's own thread, and these three
/// ran on every signed-in page (docs/MEASUREMENTS.md, issue 25).
static CONTEXT_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT CAST({CHILD_PART} AS BIGINT) AS part, CAST(0 AS BIGINT) AS number, p.fiscal_code, p.given_name,
                p.family_name, '' AS scopes, p.birth_date AS sort_key
           FROM guardianships g JOIN people p ON p.fiscal_code = g.child
          WHERE g.parent = $1 AND p.birth_date > $2
         UNION ALL
         SELECT CAST({DELEGATOR_PART} AS BIGINT), d.id, p.fiscal_code, p.given_name, p.family_name, d.scopes,
                p.family_name || ' ' || p.given_name
           FROM delegations d JOIN people p ON p.fiscal_code = d.delegator
          WHERE d.delegate = $1 AND d.revoked_at IS NULL AND d.valid_until >= $3
         UNION ALL
         SELECT CAST({UNREAD_PART} AS BIGINT), count(*), '', '', '', '', ''
           FROM notifications n WHERE {} AND n.read_at IS NULL
          ORDER BY part, sort_key",
        crate::notifications::READABLE_BY
    )
});

/// Whom `actor` may act for today, and their unread notifications. Only
/// citizens act for others; the other roles act for themselves.
pub async fn request_context(
    pool: &AnyPool,
    actor: &Person,
    role: Role,
    today: NaiveDate,
) -> Result<RequestContext, sqlx::Error> {
    let mut reachable = vec![Reachable { person: actor.clone(), relation: Relation::Own }];
    if role != Role::Citizen {
        let unread_notifications = crate::notifications::unread_count(pool, &actor.fiscal_code).await?;
        return Ok(RequestContext { reachable, unread_notifications });
    }
    let rows: Vec<ContextRow> = sqlx::query_as(&CONTEXT_SQL)
        .bind(&actor.fiscal_code)
        .bind(adult_born_on_or_before(today).to_string())
        .bind(today.to_string())
        .fetch_all(pool)
        .await?;
    let mut unread_notifications = 0;
    for row in rows {
        let person = Person { fiscal_code: row.fiscal_code, given_name: row.given_name, family_name: row.family_name };
        match row.part {
            CHILD_PART => reachable.push(Reachable { person, relation: Relation::Parent }),
            DELEGATOR_PART => reachable.push(Reachable {
                person,
                relation: Relation::Delegate { delegation_id: row.number, scopes: Capability::parse_list(&row.scopes) },
            }),
            _ => unread_notifications = row.number,
        }
    }
    Ok(RequestContext { reachable, unread_notifications })
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
