//! Delegations in SQL. Only a citizen acting for themselves gives or
//! revokes them; one live delegation per pair (a partial unique index), a
//! new one replacing the old in the same transaction.

pub mod routes;

use app::delegations::model::{Delegation, DelegationStatus, DelegationsOverview, NewDelegationForm};
use app::delegations::notice::DelegationNotice;
use app::delegations::port::Delegations;
use app::domain::fiscal_code::FiscalCode;
use app::identity::model::{Capability, Principal, Role};
use app::identity::AccessError;
use app::notice::Notice;
use app::notice::WriteError;
use async_trait::async_trait;
use chrono::{Datelike, Duration, NaiveDate};
use sqlx::AnyPool;

use crate::access_log;
use crate::clock::rome_today;
use app::access_log::model::AccessAction;

/// The access log's service name for delegations given and revoked.
pub const DELEGATIONS_LOG: &str = "deleghe";
use crate::identity::acting::adult_born_on_or_before;

/// A delegation lasts at most this long (and at least until tomorrow).
pub const MAX_DELEGATION_DAYS: i64 = 365;
/// What the form proposes.
pub const DEFAULT_DELEGATION_DAYS: i64 = 180;

pub struct SqlDelegations {
    pool: AnyPool,
}

impl SqlDelegations {
    pub fn new(pool: AnyPool) -> SqlDelegations {
        SqlDelegations { pool }
    }
}

fn internal(principal: &Principal, error: sqlx::Error) -> AccessError {
    crate::db::failure::query_failed(principal, "delegations", error)
}

/// A valid new delegation.
#[derive(Debug, PartialEq, Eq)]
pub struct ValidDelegation {
    pub delegate: FiscalCode,
    pub scopes: Vec<Capability>,
    pub valid_until: NaiveDate,
}

/// Checks the form: a valid fiscal code of another adult, at least one
/// service, an end date from tomorrow to a year from today.
pub fn validate(delegator: &str, form: &NewDelegationForm, today: NaiveDate) -> Result<ValidDelegation, Notice> {
    let delegate = FiscalCode::parse(&form.delegate)
        .map_err(|_| Notice::Delegations(DelegationNotice::DelegationInvalidFiscalCode))?;
    if delegate.as_str() == delegator {
        return Err(Notice::Delegations(DelegationNotice::DelegationSelf));
    }
    if !is_adult(&delegate, today) {
        return Err(Notice::Delegations(DelegationNotice::DelegationMinor));
    }
    if comparable_name(&form.delegate_given_name).is_empty() || comparable_name(&form.delegate_family_name).is_empty() {
        return Err(Notice::Delegations(DelegationNotice::DelegationNameMissing));
    }
    let scopes: Vec<Capability> = form.scopes.iter().filter_map(|slug| Capability::from_slug(slug)).collect();
    if scopes.is_empty() {
        return Err(Notice::Delegations(DelegationNotice::DelegationNoScopes));
    }
    let valid_until = NaiveDate::parse_from_str(form.valid_until.trim(), "%Y-%m-%d")
        .map_err(|_| Notice::Delegations(DelegationNotice::DelegationBadDate))?;
    if valid_until <= today || valid_until > today + Duration::days(MAX_DELEGATION_DAYS) {
        return Err(Notice::Delegations(DelegationNotice::DelegationBadDate));
    }
    Ok(ValidDelegation { delegate, scopes, valid_until })
}

/// A name as compared with the registry: case and spacing do not matter.
pub fn comparable_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase()
}

/// Whether the registry's person has the typed first and last name.
fn same_person(registry: (&str, &str), typed: (&str, &str)) -> bool {
    comparable_name(registry.0) == comparable_name(typed.0) && comparable_name(registry.1) == comparable_name(typed.1)
}

/// Whether the holder of a fiscal code is an adult. The code gives the
/// year in two digits: a year after this one's means the last century.
fn is_adult(code: &FiscalCode, today: NaiveDate) -> bool {
    let two_digits = i32::try_from(code.birth_year_two_digits()).unwrap_or(0);
    let century = if two_digits > today.year() % 100 { 1900 } else { 2000 };
    match NaiveDate::from_ymd_opt(century + two_digits, code.birth_month(), code.birth_day()) {
        Some(birth) => birth <= adult_born_on_or_before(today),
        None => false,
    }
}

fn status(valid_until: &str, revoked: bool, today: NaiveDate) -> DelegationStatus {
    if revoked {
        DelegationStatus::Revoked
    } else if valid_until < today.to_string().as_str() {
        DelegationStatus::Expired
    } else {
        DelegationStatus::Active
    }
}

#[derive(sqlx::FromRow)]
struct DelegationRow {
    id: i64,
    delegator: String,
    delegator_name: String,
    delegate: String,
    delegate_name: Option<String>,
    scopes: String,
    valid_until: String,
    revoked_at: Option<String>,
}

fn delegation(row: DelegationRow, today: NaiveDate) -> Delegation {
    let DelegationRow { id, delegator, delegator_name, delegate, delegate_name, scopes, valid_until, revoked_at } = row;
    Delegation {
        id,
        delegator_fiscal_code: delegator,
        delegator_name,
        delegate_fiscal_code: delegate,
        delegate_name,
        scopes: Capability::parse_list(&scopes),
        status: status(&valid_until, revoked_at.is_some(), today),
        valid_until,
    }
}

const SELECT_DELEGATIONS: &str = "
    SELECT d.id, d.delegator, dr.given_name || ' ' || dr.family_name AS delegator_name,
           d.delegate, de.given_name || ' ' || de.family_name AS delegate_name,
           d.scopes, d.valid_until, d.revoked_at
      FROM delegations d
      JOIN people dr ON dr.fiscal_code = d.delegator
      LEFT JOIN people de ON de.fiscal_code = d.delegate";

#[async_trait]
impl Delegations for SqlDelegations {
    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn overview(&self, principal: &Principal) -> Result<DelegationsOverview, AccessError> {
        let today = rome_today();
        let me = &principal.actor.fiscal_code;
        let given: Vec<DelegationRow> =
            sqlx::query_as(&format!("{SELECT_DELEGATIONS} WHERE d.delegator = $1 ORDER BY d.id DESC"))
                .bind(me)
                .fetch_all(&self.pool)
                .await
                .map_err(|e| internal(principal, e))?;
        let received: Vec<DelegationRow> =
            sqlx::query_as(&format!("{SELECT_DELEGATIONS} WHERE d.delegate = $1 ORDER BY d.id DESC"))
                .bind(me)
                .fetch_all(&self.pool)
                .await
                .map_err(|e| internal(principal, e))?;
        Ok(DelegationsOverview {
            given: given.into_iter().map(|row| delegation(row, today)).collect(),
            received: received.into_iter().map(|row| delegation(row, today)).collect(),
            may_manage: principal.acts_for_self() && principal.role == Role::Citizen,
            default_until: (today + Duration::days(DEFAULT_DELEGATION_DAYS)).to_string(),
            min_until: (today + Duration::days(1)).to_string(),
            max_until: (today + Duration::days(MAX_DELEGATION_DAYS)).to_string(),
        })
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn create(&self, principal: &Principal, form: &NewDelegationForm) -> Result<i64, WriteError> {
        if !principal.acts_for_self() || principal.role != Role::Citizen {
            return Err(WriteError::Refused(Notice::Delegations(DelegationNotice::DelegationOnlyForSelf)));
        }
        let delegator = &principal.actor.fiscal_code;
        let valid = validate(delegator, form, rome_today()).map_err(WriteError::Refused)?;
        let registered: Option<i64> = sqlx::query_scalar("SELECT 1 FROM people WHERE fiscal_code = $1")
            .bind(delegator)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| internal(principal, e))?;
        if registered.is_none() {
            return Err(WriteError::Refused(Notice::Delegations(DelegationNotice::DelegationNotInRegistry)));
        }
        // The delegate must be the resident the delegator names: "no such
        // person" and "another name" get the same answer, so the form tells
        // nobody whose a fiscal code is.
        let delegate: Option<(String, String)> =
            sqlx::query_as("SELECT given_name, family_name FROM people WHERE fiscal_code = $1")
                .bind(valid.delegate.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| internal(principal, e))?;
        let typed = (form.delegate_given_name.as_str(), form.delegate_family_name.as_str());
        if !delegate.is_some_and(|(given, family)| same_person((&given, &family), typed)) {
            tracing::info!("delegation refused: no resident with that fiscal code and name");
            return Err(WriteError::Refused(Notice::Delegations(DelegationNotice::DelegationPersonNotMatched)));
        }
        let mut tx = self.pool.begin().await.map_err(|e| internal(principal, e))?;
        sqlx::query(
            "UPDATE delegations SET revoked_at = $3
              WHERE delegator = $1 AND delegate = $2 AND revoked_at IS NULL",
        )
        .bind(delegator)
        .bind(valid.delegate.as_str())
        .bind(crate::clock::stored_second(chrono::Utc::now()))
        .execute(&mut *tx)
        .await
        .map_err(|e| internal(principal, e))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO delegations (delegator, delegate, scopes, valid_until) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(delegator)
        .bind(valid.delegate.as_str())
        .bind(Capability::join(&valid.scopes))
        .bind(valid.valid_until.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| internal(principal, e))?;
        let record = format!("delega-{id}");
        access_log::record_in(&mut *tx, principal, delegator, DELEGATIONS_LOG, AccessAction::Write, Some(&record))
            .await
            .map_err(|e| internal(principal, e))?;
        tx.commit().await.map_err(|e| internal(principal, e))?;
        tracing::info!(delegation = id, "delegation given");
        Ok(id)
    }

    #[tracing::instrument(skip_all, fields(delegation = delegation_id), err(Debug, level = "info"))]
    async fn revoke(&self, principal: &Principal, delegation_id: i64) -> Result<(), WriteError> {
        if !principal.acts_for_self() || principal.role != Role::Citizen {
            return Err(WriteError::Refused(Notice::Delegations(DelegationNotice::DelegationOnlyForSelf)));
        }
        let record = format!("delega-{delegation_id}");
        let mut tx = self.pool.begin().await.map_err(|e| internal(principal, e))?;
        // The delegator in the WHERE clause: nobody revokes another's delegation.
        let done = sqlx::query(
            "UPDATE delegations SET revoked_at = $3
              WHERE id = $1 AND delegator = $2 AND revoked_at IS NULL",
        )
        .bind(delegation_id)
        .bind(&principal.actor.fiscal_code)
        .bind(crate::clock::stored_second(chrono::Utc::now()))
        .execute(&mut *tx)
        .await
        .map_err(|e| internal(principal, e))?;
        if done.rows_affected() == 0 {
            drop(tx);
            // Someone else's delegation: the attempt goes to the delegator's log.
            let delegator: Option<String> = sqlx::query_scalar("SELECT delegator FROM delegations WHERE id = $1")
                .bind(delegation_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| internal(principal, e))?;
            if let Some(delegator) = delegator.filter(|d| *d != principal.actor.fiscal_code) {
                access_log::refused_on_named_person(&self.pool, principal, &delegator, DELEGATIONS_LOG, Some(&record))
                    .await
                    .map_err(|e| internal(principal, e))?;
            }
            return Err(WriteError::Refused(Notice::Delegations(DelegationNotice::DelegationNotFound)));
        }
        access_log::record_in(
            &mut *tx,
            principal,
            &principal.actor.fiscal_code,
            DELEGATIONS_LOG,
            AccessAction::Write,
            Some(&record),
        )
        .await
        .map_err(|e| internal(principal, e))?;
        tx.commit().await.map_err(|e| internal(principal, e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
    }

    fn code(surname: &str, name: &str, birth: (i32, u32, u32)) -> String {
        use app::domain::fiscal_code::{name_part, surname_part};
        FiscalCode::compose(&surname_part(surname), &name_part(name), birth, false, "D969")
            .expect("valid")
            .as_str()
            .to_string()
    }

    fn form(delegate: &str, scopes: &[&str], until: &str) -> NewDelegationForm {
        NewDelegationForm {
            delegate: delegate.into(),
            delegate_given_name: "Paolo".into(),
            delegate_family_name: "Bianchi".into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            valid_until: until.into(),
        }
    }

    #[test]
    fn a_complete_form_for_another_adult_is_valid() {
        let delegate = code("Bianchi", "Paolo", (1970, 5, 4));
        let valid = validate("XXXXXX00X00X000X", &form(&delegate, &["fascicolo", "ricette"], "2027-01-31"), today())
            .expect("valid");
        assert_eq!(valid.scopes, vec![Capability::Fascicolo, Capability::Ricette]);
    }

    #[test]
    fn each_mistake_gets_its_own_message() {
        let adult = code("Bianchi", "Paolo", (1970, 5, 4));
        let minor = code("Bianchi", "Luca", (2010, 5, 4));
        let cases = [
            (
                form("NONVALIDO", &["fascicolo"], "2027-01-31"),
                Notice::Delegations(DelegationNotice::DelegationInvalidFiscalCode),
            ),
            (form(&adult, &["fascicolo"], "2027-01-31"), Notice::Delegations(DelegationNotice::DelegationSelf)),
            (form(&minor, &["fascicolo"], "2027-01-31"), Notice::Delegations(DelegationNotice::DelegationMinor)),
            (form(&adult, &[], "2027-01-31"), Notice::Delegations(DelegationNotice::DelegationNoScopes)),
            (
                NewDelegationForm { delegate_family_name: "  ".into(), ..form(&adult, &["fascicolo"], "2027-01-31") },
                Notice::Delegations(DelegationNotice::DelegationNameMissing),
            ),
        ];
        for (index, (form, expected)) in cases.into_iter().enumerate() {
            let delegator = if index == 1 { adult.as_str() } else { "XXXXXX00X00X000X" };
            assert_eq!(validate(delegator, &form, today()), Err(expected));
        }
    }

    #[test]
    fn the_end_date_must_be_from_tomorrow_to_a_year_ahead() {
        let adult = code("Bianchi", "Paolo", (1970, 5, 4));
        for bad in ["2026-11-23", "2027-11-24", "31/12/2026", ""] {
            assert_eq!(
                validate("X", &form(&adult, &["fascicolo"], bad), today()),
                Err(Notice::Delegations(DelegationNotice::DelegationBadDate)),
                "{bad}"
            );
        }
        for good in ["2026-11-24", "2027-11-23"] {
            assert!(validate("X", &form(&adult, &["fascicolo"], good), today()).is_ok(), "{good}");
        }
    }

    #[test]
    fn names_match_whatever_the_case_and_spacing() {
        assert!(same_person(("Maria Grazia", "De Santis"), (" maria  grazia", "DE SANTIS ")));
        assert!(!same_person(("Maria Grazia", "De Santis"), ("Maria", "De Santis")));
        assert!(!same_person(("Paolo", "Bianchi"), ("Bianchi", "Paolo")));
    }

    #[test]
    fn adulthood_comes_on_the_eighteenth_birthday() {
        let turns_18_today = FiscalCode::parse(&code("Rossi", "Anna", (2008, 11, 23))).expect("valid");
        let turns_18_tomorrow = FiscalCode::parse(&code("Rossi", "Anna", (2008, 11, 24))).expect("valid");
        let born_1950 = FiscalCode::parse(&code("Rossi", "Anna", (1950, 1, 1))).expect("valid");
        assert!(is_adult(&turns_18_today, today()));
        assert!(!is_adult(&turns_18_tomorrow, today()));
        assert!(is_adult(&born_1950, today()));
    }
}
