//! Payments in SQL: positions (debts towards an ASL, one per booking
//! ticket or paper notice), checkouts at the payment provider, receipts and
//! self-certified income exemptions (migration `20261123000006_payments.sql`).
//!
//! A position is paid at most once: the receipt table has one row per
//! position (UNIQUE), outcomes are applied in one `BEGIN IMMEDIATE`
//! transaction, and any repeated, late or reordered outcome changes nothing.
//! A notice shows its exam, booking and debtor only to its debtor; notice
//! codes are random; look-ups by code are rate-limited and logged on the
//! debtor's access log. State machine: docs/PAYMENTS.md.
//!
//! `positions` creates, moves, cancels and reads positions (other
//! capabilities write `payment_positions` only through it); `checkout` opens
//! checkouts at the provider and shows them; `outcomes` applies the
//! provider's outcomes and reconciles the missing ones; `lookups` finds a
//! notice by its codes under a rate limit; `receipts` shows receipts;
//! `income_exemptions` the self-certified exemptions. `provider` is the port
//! to the payment provider (`sandbox` its demo), `routes` the HTTP handlers,
//! `pdf` and `qr` the printable receipt and the notice's QR code.

mod checkout;
mod income_exemptions;
mod lookups;
mod outcomes;
pub mod pdf;
pub(crate) mod positions;
pub mod provider;
pub mod qr;
mod receipts;
pub mod routes;
pub mod sandbox;

pub use outcomes::reconcile_once;
pub use positions::create_position;

use std::sync::Arc;

use app::access_log::model::AccessAction;
use app::domain::income_exemption::IncomeExemption;
use app::identity::model::{Capability, Principal};
use app::identity::AccessError;
use app::notice::WriteError;
use app::payments::model::{CheckoutView, IncomeExemptions, MyPayments, NoticeLookup, Position, PositionStatus};
use app::payments::port::{Payments, Receipt};
use async_trait::async_trait;
use sqlx::AnyPool;

use crate::access_log::AuditTrail;
use crate::clock::rome_today;
use positions::{position, PositionRow, SELECT_POSITION};
use provider::PaymentProvider;

const CAPABILITY: &str = "pagamenti";

pub struct SqlPayments {
    pool: AnyPool,
    trail: AuditTrail,
    provider: Arc<dyn PaymentProvider>,
    public_url: String,
}

impl SqlPayments {
    pub fn new(pool: AnyPool, provider: Arc<dyn PaymentProvider>, public_url: &str) -> SqlPayments {
        SqlPayments {
            trail: AuditTrail::new(pool.clone(), CAPABILITY),
            pool,
            provider,
            public_url: public_url.trim_end_matches('/').to_string(),
        }
    }

    /// Refuses (and logs the refusal) a delegate without "Pagamenti".
    async fn allowed(&self, principal: &Principal) -> Result<(), AccessError> {
        if principal.may(Capability::Pagamenti) {
            return Ok(());
        }
        self.trail.record(principal, AccessAction::Refused, None).await?;
        Err(AccessError::NotAllowed)
    }

    async fn positions(&self, condition: &str, bind: &str, viewer: &Principal) -> Result<Vec<Position>, sqlx::Error> {
        let rows: Vec<PositionRow> =
            sqlx::query_as(&format!("{SELECT_POSITION} WHERE {condition} ORDER BY pp.due_on, pp.id"))
                .bind(bind)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|row| position(row, viewer)).collect())
    }

    async fn age(&self, person: &str) -> Result<u32, sqlx::Error> {
        let birth: String = sqlx::query_scalar("SELECT birth_date FROM people WHERE fiscal_code = $1")
            .bind(person)
            .fetch_one(&self.pool)
            .await?;
        let today = rome_today();
        let birth = chrono::NaiveDate::parse_from_str(&birth, "%Y-%m-%d").unwrap_or(today);
        Ok(today.years_since(birth).unwrap_or(0))
    }
}

#[async_trait]
impl Payments for SqlPayments {
    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn mine(&self, principal: &Principal) -> Result<MyPayments, AccessError> {
        self.allowed(principal).await?;
        let all = self
            .positions("pp.person = $1 AND pp.status <> 'cancelled'", &principal.subject.fiscal_code, principal)
            .await
            .map_err(|e| self.trail.internal(principal, e))?;
        self.trail.record(principal, AccessAction::Read, None).await?;
        let (mut to_pay, mut pending, mut paid) = (vec![], vec![], vec![]);
        for position in all {
            match position.status {
                PositionStatus::Payable => to_pay.push(position),
                PositionStatus::Pending => pending.push(position),
                PositionStatus::Paid => paid.push(position),
                PositionStatus::Cancelled => {}
            }
        }
        // Newest payments first.
        paid.sort_by(|a, b| b.paid_at_local.cmp(&a.paid_at_local).then(b.id.cmp(&a.id)));
        Ok(MyPayments { to_pay, pending, paid })
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn find_notice(
        &self,
        principal: &Principal,
        notice_code: &str,
        creditor_fiscal_code: &str,
    ) -> Result<NoticeLookup, AccessError> {
        self.look_up_notice(principal, notice_code, creditor_fiscal_code).await
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn start_checkout(&self, principal: &Principal, position_ids: &[i64]) -> Result<String, WriteError> {
        self.start_own_checkout(principal, position_ids).await
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn start_notice_checkout(
        &self,
        principal: &Principal,
        notice_code: &str,
        creditor_fiscal_code: &str,
    ) -> Result<String, WriteError> {
        self.start_checkout_by_notice(principal, notice_code, creditor_fiscal_code).await
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn checkout(&self, principal: &Principal, checkout_id: &str) -> Result<CheckoutView, AccessError> {
        self.checkout_view(principal, checkout_id).await
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn receipt(&self, principal: &Principal, notice_code: &str) -> Result<Receipt, AccessError> {
        self.show_receipt(principal, notice_code).await
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn income_exemptions(&self, principal: &Principal) -> Result<IncomeExemptions, AccessError> {
        self.show_income_exemptions(principal).await
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn declare_income_exemption(
        &self,
        principal: &Principal,
        exemption: IncomeExemption,
    ) -> Result<(), WriteError> {
        self.declare_exemption(principal, exemption).await
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn withdraw_income_exemption(&self, principal: &Principal, declaration_id: i64) -> Result<(), WriteError> {
        self.withdraw_exemption(principal, declaration_id).await
    }
}
