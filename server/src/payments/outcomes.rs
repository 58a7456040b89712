//! Outcomes from the payment provider, each applied once, and the
//! reconciliation of checkouts whose outcome never arrived.

use std::sync::Arc;
use std::time::Duration;

use app::domain::money::euro;
use app::payments::model::CheckoutStatus;
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

use super::provider::{OutcomeKind, OutcomeMessage};
use super::SqlPayments;
use crate::clock::{stored_instant, stored_second};
use crate::db;

/// Where an outcome came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum OutcomeSource {
    Callback,
    Return,
    Reconciliation,
}

impl OutcomeSource {
    fn as_db(self) -> &'static str {
        match self {
            OutcomeSource::Callback => "callback",
            OutcomeSource::Return => "return",
            OutcomeSource::Reconciliation => "reconciliation",
        }
    }
}

/// What an outcome did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum OutcomeEffect {
    Applied,
    /// Already known (duplicate, replay, late after settlement, still pending).
    Unchanged,
    UnknownCheckout,
    /// Receipts that do not match the checkout's notices.
    BadBody,
    /// A "paid" for a checkout that ended without payment (failed,
    /// cancelled, expired) which the provider, asked, does not confirm:
    /// nothing changes and nothing is stored.
    Unconfirmed,
    /// Such a "paid" while the provider cannot be asked: retry later.
    ConfirmationUnavailable,
    /// Fields too long, with control characters or malformed: nothing
    /// changes and nothing is stored.
    Invalid,
}

impl OutcomeEffect {
    pub(super) fn as_db(self) -> &'static str {
        match self {
            OutcomeEffect::Applied => "applied",
            OutcomeEffect::Unchanged => "unchanged",
            OutcomeEffect::UnknownCheckout => "unknown_checkout",
            OutcomeEffect::BadBody => "bad_body",
            OutcomeEffect::Unconfirmed => "unconfirmed",
            OutcomeEffect::ConfirmationUnavailable => "unavailable",
            OutcomeEffect::Invalid => "invalid",
        }
    }
}

impl SqlPayments {
    /// Applies an outcome from the provider, once: the first word on a
    /// checkout settles it, a payment always records its receipts (the
    /// money moved) and nothing is ever paid twice.
    ///
    /// A "paid" callback for a checkout that already ended without payment
    /// (failed, cancelled, expired) is applied only if the provider, asked
    /// now, confirms the payment: then its own message is applied.
    pub(super) async fn apply_outcome(
        &self,
        message: &OutcomeMessage,
        source: OutcomeSource,
    ) -> Result<OutcomeEffect, sqlx::Error> {
        if let Err(invalid) = message.validate() {
            tracing::warn!(%invalid, ?source, "a payment outcome with invalid fields: nothing stored");
            return Ok(OutcomeEffect::Invalid);
        }
        // Returns and reconciliation carry the provider's own answer.
        let confirmed = source != OutcomeSource::Callback;
        let effect = self.apply_once(message, source, confirmed).await?;
        if effect != OutcomeEffect::Unconfirmed {
            return Ok(effect);
        }
        let checkout_id = message.checkout_id.as_str();
        match self.provider.outcome(checkout_id).await {
            Ok(answer)
                if answer.checkout_id == checkout_id
                    && answer.outcome == OutcomeKind::Paid
                    && answer.validate().is_ok() =>
            {
                self.apply_once(&answer, source, true).await
            }
            Ok(answer) => {
                tracing::warn!(
                    checkout_id,
                    provider_says = ?answer.outcome,
                    "a paid outcome for a checkout that ended without payment, not confirmed by the provider: refused"
                );
                Ok(OutcomeEffect::Unconfirmed)
            }
            Err(error) => {
                tracing::warn!(%error, checkout_id, "a late paid outcome could not be confirmed with the provider");
                Ok(OutcomeEffect::ConfirmationUnavailable)
            }
        }
    }

    /// One try at applying `message` in one transaction; `confirmed` when
    /// it is the provider's own answer.
    async fn apply_once(
        &self,
        message: &OutcomeMessage,
        source: OutcomeSource,
        confirmed: bool,
    ) -> Result<OutcomeEffect, sqlx::Error> {
        let mut tx = db::begin(&self.pool).await?;
        let effect = match settle(&mut tx, message, source, confirmed).await {
            Ok(OutcomeEffect::Unconfirmed) => {
                let _ = tx.rollback().await;
                return Ok(OutcomeEffect::Unconfirmed);
            }
            Ok(effect) => effect,
            Err(error) => {
                let _ = tx.rollback().await;
                return Err(error);
            }
        };
        // The payer may have left long ago: tell them in the inbox.
        if effect == OutcomeEffect::Applied && source == OutcomeSource::Reconciliation {
            tell_the_payer(&mut tx, &message.checkout_id).await?;
        }
        sqlx::query(
            "INSERT INTO payment_outcome_events (event_id, checkout_id, outcome, source, effect) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&message.event_id)
        .bind(&message.checkout_id)
        .bind(outcome_name(message.outcome))
        .bind(source.as_db())
        .bind(effect.as_db())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(checkout_id = message.checkout_id, outcome = ?message.outcome, ?source, ?effect, "payment outcome");
        Ok(effect)
    }

    /// Asks the provider about checkouts left pending for longer than
    /// `after` (their outcome never arrived) and settles them.
    async fn reconcile(&self, after: Duration) -> Result<usize, sqlx::Error> {
        let cutoff = Utc::now() - chrono::Duration::from_std(after).unwrap_or_default();
        let pending: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM payment_checkouts WHERE status = 'pending' AND created_at <= $1 ORDER BY created_at",
        )
        .bind(stored_instant(cutoff))
        .fetch_all(&self.pool)
        .await?;
        let mut settled = 0;
        for checkout_id in pending {
            match self.provider.outcome(&checkout_id).await {
                Ok(message) => {
                    if self.apply_outcome(&message, OutcomeSource::Reconciliation).await? == OutcomeEffect::Applied {
                        settled += 1;
                    }
                }
                Err(error) => tracing::warn!(%error, checkout_id, "reconciliation could not reach the provider"),
            }
        }
        Ok(settled)
    }
}

/// Settles checkouts whose outcome never arrived, once (the job
/// `payment-reconciliation`, see `jobs`).
pub async fn reconcile_once(payments: Arc<SqlPayments>, after: Duration) {
    if let Err(error) = payments.reconcile(after).await {
        tracing::warn!(%error, "payment reconciliation failed");
    }
}

fn outcome_name(outcome: OutcomeKind) -> &'static str {
    match outcome {
        OutcomeKind::Pending => "pending",
        OutcomeKind::Paid => "paid",
        OutcomeKind::Failed => "failed",
        OutcomeKind::Cancelled => "cancelled",
        OutcomeKind::Expired => "expired",
    }
}

/// A notification of a checkout settled by reconciliation.
async fn tell_the_payer(tx: &mut AnyConnection, checkout_id: &str) -> Result<(), sqlx::Error> {
    let (payer, status, total): (String, String, i64) =
        sqlx::query_as("SELECT payer, status, total_cents FROM payment_checkouts WHERE id = $1")
            .bind(checkout_id)
            .fetch_one(&mut *tx)
            .await?;
    let message = match status.as_str() {
        "paid" => format!("Il pagamento di {} è stato registrato: la ricevuta è nella pagina Pagamenti.", euro(total)),
        _ => format!(
            "Il pagamento di {} non è stato completato e non ti è stato addebitato nulla: il ticket resta da pagare.",
            euro(total)
        ),
    };
    crate::notifications::notify(tx, &payer, "esito-pagamento", &message, "/pagamenti").await
}

/// The body of [`SqlPayments::apply_outcome`], inside its transaction.
async fn settle(
    tx: &mut AnyConnection,
    message: &OutcomeMessage,
    source: OutcomeSource,
    confirmed: bool,
) -> Result<OutcomeEffect, sqlx::Error> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM payment_checkouts WHERE id = $1")
        .bind(&message.checkout_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(status) = status else { return Ok(OutcomeEffect::UnknownCheckout) };
    let now = stored_instant(Utc::now());
    let ended = match message.outcome {
        OutcomeKind::Pending => return Ok(OutcomeEffect::Unchanged),
        // Nothing was charged, the tickets were released: only the provider's
        // own word turns such a checkout paid.
        OutcomeKind::Paid if !confirmed && matches!(status.as_str(), "failed" | "cancelled" | "expired") => {
            return Ok(OutcomeEffect::Unconfirmed)
        }
        OutcomeKind::Paid => return record_payment(tx, message, source, &now).await,
        OutcomeKind::Failed => CheckoutStatus::Failed,
        OutcomeKind::Cancelled => CheckoutStatus::Cancelled,
        OutcomeKind::Expired => CheckoutStatus::Expired,
    };
    if status != "pending" {
        return Ok(OutcomeEffect::Unchanged);
    }
    sqlx::query("UPDATE payment_checkouts SET status = $2, settled_by = $3, settled_at = $4 WHERE id = $1")
        .bind(&message.checkout_id)
        .bind(ended.as_db())
        .bind(source.as_db())
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    // Nothing was charged: the positions can be paid again.
    sqlx::query(
        "UPDATE payment_positions SET status = 'payable'
          WHERE status = 'pending' AND id IN (SELECT position_id FROM payment_checkout_positions WHERE checkout_id = $1)",
    )
    .bind(&message.checkout_id)
    .execute(&mut *tx)
    .await?;
    Ok(OutcomeEffect::Applied)
}

/// A position of the checkout, with its creditor ASL's fiscal code.
#[derive(sqlx::FromRow)]
struct CheckoutPositionRow {
    id: i64,
    notice_code: String,
    fiscal_code: String,
    amount_cents: i64,
}

async fn record_payment(
    tx: &mut AnyConnection,
    message: &OutcomeMessage,
    source: OutcomeSource,
    now: &str,
) -> Result<OutcomeEffect, sqlx::Error> {
    let positions: Vec<CheckoutPositionRow> = sqlx::query_as(
        "SELECT pp.id, pp.notice_code, a.fiscal_code, pp.amount_cents
           FROM payment_checkout_positions cp JOIN payment_positions pp ON pp.id = cp.position_id
           JOIN asl a ON a.code = pp.asl_code WHERE cp.checkout_id = $1",
    )
    .bind(&message.checkout_id)
    .fetch_all(&mut *tx)
    .await?;
    // Every notice of the checkout needs its receipt, with the right amount and creditor.
    let mut matched = Vec::new();
    for CheckoutPositionRow { id, notice_code: notice, fiscal_code: creditor, amount_cents: amount } in positions {
        match message.receipts.iter().find(|r| r.notice_code == notice) {
            Some(receipt) if receipt.creditor_fiscal_code == creditor && receipt.amount_cents == amount => {
                matched.push((id, receipt))
            }
            _ => {
                tracing::error!(
                    checkout_id = message.checkout_id,
                    notice,
                    "a payment outcome without a matching receipt"
                );
                return Ok(OutcomeEffect::BadBody);
            }
        }
    }
    let mut changed = false;
    for (position_id, receipt) in matched {
        let existing: Option<String> =
            sqlx::query_scalar("SELECT receipt_id FROM payment_receipts WHERE position_id = $1")
                .bind(position_id)
                .fetch_optional(&mut *tx)
                .await?;
        match existing {
            Some(known) if known == receipt.receipt_id => continue,
            Some(known) => {
                tracing::error!(
                    notice = receipt.notice_code,
                    known,
                    second = receipt.receipt_id,
                    "a second payment of a paid notice: it must be refunded"
                );
                continue;
            }
            None => {}
        }
        let paid_at = DateTime::parse_from_rfc3339(&receipt.paid_at)
            .map(|at| stored_second(at.with_timezone(&Utc)))
            .unwrap_or_else(|_| now.to_string());
        let inserted = sqlx::query(
            "INSERT INTO payment_receipts (receipt_id, position_id, checkout_id, amount_cents, psp, paid_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(&receipt.receipt_id)
        .bind(position_id)
        .bind(&message.checkout_id)
        .bind(receipt.amount_cents)
        .bind(&receipt.psp)
        .bind(&paid_at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 1 {
            sqlx::query("UPDATE payment_positions SET status = 'paid', paid_at = $2 WHERE id = $1")
                .bind(position_id)
                .bind(&paid_at)
                .execute(&mut *tx)
                .await?;
            changed = true;
        }
    }
    let checkout_changed = sqlx::query(
        "UPDATE payment_checkouts SET status = 'paid', settled_by = $2, settled_at = $3 WHERE id = $1 AND status <> 'paid'",
    )
    .bind(&message.checkout_id)
    .bind(source.as_db())
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok(if changed || checkout_changed == 1 { OutcomeEffect::Applied } else { OutcomeEffect::Unchanged })
}
