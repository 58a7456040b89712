//! The audit log in SQL: append-only (the table refuses UPDATE and DELETE
//! with triggers), listed per subject with the page's filters.

use app::access_log::model::{AccessAction, AccessEntry, AccessFilter, ActorRole, WhoFilter, ACCESS_PAGE_SIZE};
use app::access_log::port::AccessLog;
use app::identity::model::{Capability, Principal};
use app::identity::AccessError;
use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::AnyPool;

use crate::db::SqlBuilder;

use crate::clock::{rome_midnight_utc, rome_minutes, stored_instant};

/// Format of `audit_log.at` (UTC, milliseconds), comparable as text.
pub struct SqlAccessLog {
    pool: AnyPool,
}

impl SqlAccessLog {
    pub fn new(pool: AnyPool) -> SqlAccessLog {
        SqlAccessLog { pool }
    }
}

fn internal(principal: &Principal, error: sqlx::Error) -> AccessError {
    crate::db::failure::query_failed(principal, "audit log", error)
}

/// What each capability's SQL adapter shares: its entries in the audit log
/// and the "internal error" answer that ties a failure to the logs.
#[derive(Clone)]
pub struct AuditTrail {
    pool: AnyPool,
    capability: &'static str,
}

impl AuditTrail {
    pub fn new(pool: AnyPool, capability: &'static str) -> AuditTrail {
        AuditTrail { pool, capability }
    }

    pub fn internal(&self, principal: &Principal, error: sqlx::Error) -> AccessError {
        crate::db::failure::query_failed(principal, self.capability, error)
    }

    /// Appends one entry for this capability.
    pub async fn record(
        &self,
        principal: &Principal,
        action: AccessAction,
        record_id: Option<&str>,
    ) -> Result<(), AccessError> {
        record(&self.pool, principal, self.capability, action, record_id).await.map_err(|e| self.internal(principal, e))
    }

    /// Appends one entry for this capability inside the caller's transaction.
    pub async fn record_in(
        &self,
        tx: &mut sqlx::AnyConnection,
        principal: &Principal,
        action: AccessAction,
        record_id: Option<&str>,
    ) -> Result<(), AccessError> {
        record_in(tx, principal, &principal.subject.fiscal_code, self.capability, action, record_id)
            .await
            .map_err(|e| self.internal(principal, e))
    }

    /// Appends a refused attempt to the log of the record's owner `subject`
    /// ("tentativo non autorizzato"), not to the prober's.
    pub async fn refused_on(
        &self,
        principal: &Principal,
        subject: &str,
        record_id: Option<&str>,
    ) -> Result<(), AccessError> {
        record_in(&self.pool, principal, subject, self.capability, AccessAction::Refused, record_id)
            .await
            .map_err(|e| self.internal(principal, e))
    }
}

/// A refused attempt that names a person by fiscal code (acting for them,
/// choosing their doctor, …) goes to that person's log when they are in the
/// registry; a code of nobody logs nothing (there is no log to show it in).
pub async fn refused_on_named_person(
    pool: &AnyPool,
    principal: &Principal,
    person: &str,
    capability: &str,
    record_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    let exists: crate::db::Flag = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM people WHERE fiscal_code = $1)")
        .bind(person)
        .fetch_one(pool)
        .await?;
    if exists.0 && person != principal.subject.fiscal_code {
        record_in(pool, principal, person, capability, AccessAction::Refused, record_id).await?;
    }
    Ok(())
}

/// Appends one entry about the principal's subject; used by every adapter
/// that touches health data.
pub async fn record(
    pool: &AnyPool,
    principal: &Principal,
    capability: &str,
    action: AccessAction,
    record_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    record_in(pool, principal, &principal.subject.fiscal_code, capability, action, record_id).await
}

/// Appends one entry about `subject` (whose log shows it) through any
/// executor: inside the transaction of the change or the read it audits, so
/// the two commit together, and about someone other than the principal's
/// subject (a refused attempt on another person's record goes to *that*
/// person's log).
pub async fn record_in<'e, E>(
    executor: E,
    principal: &Principal,
    subject: &str,
    capability: &str,
    action: AccessAction,
    record_id: Option<&str>,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (actor, actor_name, actor_role, subject, capability, action, record_id, ip, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&principal.actor.fiscal_code)
    .bind(principal.actor.full_name())
    .bind(ActorRole::of(principal).code())
    .bind(subject)
    .bind(capability)
    .bind(action.code())
    .bind(record_id)
    .bind(&principal.ip)
    .bind(&principal.request_id)
    .execute(executor)
    .await?;
    Ok(())
}

#[async_trait]
impl AccessLog for SqlAccessLog {
    #[tracing::instrument(skip_all, fields(capability, action = action.code()), err)]
    async fn record(
        &self,
        principal: &Principal,
        capability: &str,
        action: AccessAction,
        record_id: Option<&str>,
    ) -> Result<(), AccessError> {
        record(&self.pool, principal, capability, action, record_id).await.map_err(|e| internal(principal, e))
    }

    #[tracing::instrument(skip_all, err)]
    async fn list(&self, principal: &Principal, filter: &AccessFilter) -> Result<Vec<AccessEntry>, AccessError> {
        let capability = Capability::Accessi.slug();
        if !principal.may(Capability::Accessi) {
            record(&self.pool, principal, capability, AccessAction::Refused, None)
                .await
                .map_err(|e| internal(principal, e))?;
            return Err(AccessError::NotAllowed);
        }
        // Someone else reading my log is an access I want to see; my own
        // look at it is not recorded (it would fill the log with itself).
        if !principal.acts_for_self() {
            record(&self.pool, principal, capability, AccessAction::Read, None)
                .await
                .map_err(|e| internal(principal, e))?;
        }
        let mut query = SqlBuilder::new(
            "SELECT id, at, actor, actor_name, actor_role, capability, action, record_id, ip
               FROM audit_log WHERE subject = ",
        );
        query.push_bind(&principal.subject.fiscal_code);
        match filter.who {
            WhoFilter::Everyone => {}
            WhoFilter::Others => {
                query.push(" AND actor <> ").push_bind(&principal.subject.fiscal_code);
            }
            WhoFilter::Myself => {
                query.push(" AND actor = ").push_bind(&principal.subject.fiscal_code);
            }
        }
        if let Some(capability) = filter.capability.as_deref().and_then(Capability::from_slug) {
            query.push(" AND capability = ").push_bind(capability.slug());
        }
        if let Some(from) = filter.from.as_deref().and_then(parse_day) {
            query.push(" AND at >= ").push_bind(stored_instant(rome_midnight_utc(from)));
        }
        if let Some(to) = filter.to.as_deref().and_then(parse_day) {
            query.push(" AND at < ").push_bind(stored_instant(rome_midnight_utc(to + Duration::days(1))));
        }
        query.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(ACCESS_PAGE_SIZE));
        let rows: Vec<AuditRow> =
            query.build_query_as().fetch_all(&self.pool).await.map_err(|e| internal(principal, e))?;
        Ok(rows.into_iter().map(entry).collect())
    }
}

fn parse_day(day: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: String,
    actor: String,
    actor_name: String,
    actor_role: String,
    capability: String,
    action: String,
    record_id: Option<String>,
    ip: String,
}

fn entry(row: AuditRow) -> AccessEntry {
    let AuditRow { id, at, actor, actor_name, actor_role, capability, action, record_id, ip } = row;
    let instant = DateTime::parse_from_rfc3339(&at).map(|t| t.with_timezone(&Utc)).ok();
    AccessEntry {
        id,
        at_local: instant.map(rome_minutes).unwrap_or_else(|| at.clone()),
        at_utc: at,
        actor_name,
        actor_fiscal_code: actor,
        actor_role: ActorRole::from_code(&actor_role).unwrap_or(ActorRole::Myself),
        capability,
        action: AccessAction::from_code(&action).unwrap_or(AccessAction::Read),
        record_id,
        ip,
    }
}
