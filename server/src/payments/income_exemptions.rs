//! Self-certified income exemptions: the person's declarations next to the
//! registry's exemptions, and declaring or withdrawing one.

use app::access_log::model::AccessAction;
use app::domain::income_exemption::{self, IncomeExemption};
use app::fse::notice::FseNotice;
use app::identity::model::{Principal, Relation};
use app::identity::AccessError;
use app::notice::Notice;
use app::notice::WriteError;
use app::payments::model::{Declaration, IncomeExemptions};
use app::payments::notice::PaymentNotice;
use chrono::{Datelike, Utc};

use super::SqlPayments;
use crate::clock::{rome_today, stored_as_rome_minutes, stored_second};
use crate::db;

/// A declaration, with the full name of whoever declared it.
#[derive(sqlx::FromRow)]
struct DeclarationRow {
    id: i64,
    code: String,
    valid_from: String,
    valid_until: String,
    declared_by_name: Option<String>,
    declared_at: String,
    withdrawn_at: Option<String>,
}

impl SqlPayments {
    /// The body of `Payments::income_exemptions`.
    pub(super) async fn show_income_exemptions(&self, principal: &Principal) -> Result<IncomeExemptions, AccessError> {
        self.allowed(principal).await?;
        let internal = |e| self.trail.internal(principal, e);
        let subject = &principal.subject.fiscal_code;
        let today = rome_today();
        let age = self.age(subject).await.map_err(internal)?;
        let registry: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT code, valid_until FROM exemptions
              WHERE person = $1 AND valid_from <= $2 AND (valid_until IS NULL OR valid_until >= $2) ORDER BY code",
        )
        .bind(subject)
        .bind(today.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(internal)?;
        let rows: Vec<DeclarationRow> = sqlx::query_as(
            "SELECT d.id, d.code, d.valid_from, d.valid_until, p.given_name || ' ' || p.family_name AS declared_by_name,
                    d.declared_at, d.withdrawn_at
               FROM income_exemption_declarations d LEFT JOIN people p ON p.fiscal_code = d.declared_by
              WHERE d.person = $1 ORDER BY d.id DESC",
        )
        .bind(subject)
        .fetch_all(&self.pool)
        .await
        .map_err(internal)?;
        let today_text = today.to_string();
        let declarations = rows
            .into_iter()
            .map(|row| Declaration {
                id: row.id,
                current: row.withdrawn_at.is_none() && row.valid_from <= today_text && row.valid_until >= today_text,
                code: row.code,
                valid_from: row.valid_from,
                valid_until: row.valid_until,
                declared_by: row.declared_by_name.unwrap_or_default(),
                declared_at_local: stored_as_rome_minutes(&row.declared_at),
                withdrawn_at_local: row.withdrawn_at.as_deref().map(stored_as_rome_minutes),
            })
            .collect();
        self.trail.record(principal, AccessAction::Read, Some("esenzioni")).await?;
        Ok(IncomeExemptions {
            age,
            registry,
            declarations,
            allowed: IncomeExemption::ALL.into_iter().filter(|e| income_exemption::check(*e, age).is_ok()).collect(),
            can_change: matches!(principal.relation, Relation::Own | Relation::Parent),
            valid_until_if_declared: income_exemption::valid_until(today.year()),
        })
    }

    /// The body of `Payments::declare_income_exemption`.
    pub(super) async fn declare_exemption(
        &self,
        principal: &Principal,
        exemption: IncomeExemption,
    ) -> Result<(), WriteError> {
        if !matches!(principal.relation, Relation::Own | Relation::Parent) {
            self.trail.record(principal, AccessAction::Refused, Some("esenzione")).await?;
            return Err(WriteError::Refused(Notice::Fse(FseNotice::FseOnlyOwner)));
        }
        let internal = |e| WriteError::Access(self.trail.internal(principal, e));
        let subject = &principal.subject.fiscal_code;
        let age = self.age(subject).await.map_err(internal)?;
        if income_exemption::check(exemption, age).is_err() {
            return Err(WriteError::Refused(Notice::Payments(PaymentNotice::ExemptionNotForAge)));
        }
        let today = rome_today();
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        let current: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM income_exemption_declarations
              WHERE person = $1 AND withdrawn_at IS NULL AND valid_from <= $2 AND valid_until >= $2",
        )
        .bind(subject)
        .bind(today.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal)?;
        if current.is_some() {
            let _ = tx.rollback().await;
            return Err(WriteError::Refused(Notice::Payments(PaymentNotice::ExemptionAlreadyValid)));
        }
        sqlx::query(
            "INSERT INTO income_exemption_declarations (person, code, valid_from, valid_until, declared_by)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(subject)
        .bind(exemption.code())
        .bind(today.to_string())
        .bind(income_exemption::valid_until(today.year()))
        .bind(&principal.actor.fiscal_code)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        let record = format!("esenzione:{}", exemption.code());
        self.trail.record_in(&mut tx, principal, AccessAction::Write, Some(&record)).await?;
        tx.commit().await.map_err(internal)?;
        Ok(())
    }

    /// The body of `Payments::withdraw_income_exemption`.
    pub(super) async fn withdraw_exemption(
        &self,
        principal: &Principal,
        declaration_id: i64,
    ) -> Result<(), WriteError> {
        if !matches!(principal.relation, Relation::Own | Relation::Parent) {
            self.trail.record(principal, AccessAction::Refused, Some("esenzione")).await?;
            return Err(WriteError::Refused(Notice::Fse(FseNotice::FseOnlyOwner)));
        }
        let internal = |e| WriteError::Access(self.trail.internal(principal, e));
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        let withdrawn = sqlx::query(
            "UPDATE income_exemption_declarations SET withdrawn_at = $3, withdrawn_by = $4
              WHERE id = $1 AND person = $2 AND withdrawn_at IS NULL",
        )
        .bind(declaration_id)
        .bind(&principal.subject.fiscal_code)
        .bind(stored_second(Utc::now()))
        .bind(&principal.actor.fiscal_code)
        .execute(&mut *tx)
        .await
        .map_err(internal)?
        .rows_affected();
        if withdrawn == 0 {
            let _ = tx.rollback().await;
            return Err(WriteError::Refused(Notice::Payments(PaymentNotice::ExemptionNotFound)));
        }
        let record = format!("esenzione-ritirata:{declaration_id}");
        self.trail.record_in(&mut tx, principal, AccessAction::Write, Some(&record)).await?;
        tx.commit().await.map_err(internal)?;
        Ok(())
    }
}
