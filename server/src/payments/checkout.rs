//! Checkouts at the payment provider: opening one for the actor's own
//! tickets or for a notice found by its codes, and showing one when the
//! browser comes back.

use app::access_log::model::AccessAction;
use app::identity::model::{Capability, Principal};
use app::identity::AccessError;
use app::notice::Notice;
use app::notice::WriteError;
use app::payments::model::{CheckoutStatus, CheckoutView, NoticeLookup};
use app::payments::notice::PaymentNotice;
use app::payments::port::Payments;

use super::outcomes::OutcomeSource;
use super::positions::NEUTRAL_REASON;
use super::provider::{CheckoutRequest, NoticeToPay, OutcomeKind, OutcomeMessage};
use super::{SqlPayments, CAPABILITY};
use crate::access_log;
use crate::db;

/// A position picked for a checkout, with its creditor ASL's fiscal code.
#[derive(sqlx::FromRow)]
struct PositionToPayRow {
    person: String,
    status: String,
    amount_cents: i64,
    notice_code: String,
    fiscal_code: String,
}

impl SqlPayments {
    /// Opens a checkout for positions already checked as the actor's to pay.
    pub(super) async fn open_checkout(
        &self,
        principal: &Principal,
        ids: &[i64],
        own: bool,
    ) -> Result<String, WriteError> {
        let internal = |e| WriteError::Access(self.trail.internal(principal, e));
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        let mut positions = Vec::new();
        for id in ids {
            let row: Option<PositionToPayRow> = sqlx::query_as(
                "SELECT pp.person, pp.status, pp.amount_cents, pp.notice_code, a.fiscal_code
                   FROM payment_positions pp JOIN asl a ON a.code = pp.asl_code WHERE pp.id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal)?;
            let refusal = match &row {
                None => Some(Notice::Payments(PaymentNotice::PaymentNotPayable)),
                Some(PositionToPayRow { person, .. }) if own && person != &principal.subject.fiscal_code => {
                    // Someone else's ticket picked by id: their log shows the attempt.
                    let _ = tx.rollback().await;
                    self.trail.refused_on(principal, person, Some(&format!("posizione:{id}"))).await?;
                    return Err(WriteError::Refused(Notice::Payments(PaymentNotice::PaymentNotPayable)));
                }
                Some(PositionToPayRow { status, .. }) if status == "pending" => {
                    Some(Notice::Payments(PaymentNotice::PaymentInProgress))
                }
                Some(PositionToPayRow { status, .. }) if status != "payable" => {
                    Some(Notice::Payments(PaymentNotice::PaymentNotPayable))
                }
                Some(_) => None,
            };
            if let Some(notice) = refusal {
                let _ = tx.rollback().await;
                return Err(WriteError::Refused(notice));
            }
            if let Some(row) = row {
                // The provider (and whoever sees its page) learns no exam or booking.
                let description = NEUTRAL_REASON.to_string();
                let notice = NoticeToPay {
                    notice_code: row.notice_code,
                    creditor_fiscal_code: row.fiscal_code,
                    amount_cents: row.amount_cents,
                    description,
                };
                positions.push((*id, row.person, notice));
            }
        }
        let checkout_id = uuid::Uuid::new_v4().simple().to_string();
        let total: i64 = positions.iter().map(|(_, _, notice)| notice.amount_cents).sum();
        sqlx::query("INSERT INTO payment_checkouts (id, payer, total_cents, status) VALUES ($1, $2, $3, 'pending')")
            .bind(&checkout_id)
            .bind(&principal.actor.fiscal_code)
            .bind(total)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        for (id, _, _) in &positions {
            sqlx::query("INSERT INTO payment_checkout_positions (checkout_id, position_id) VALUES ($1, $2)")
                .bind(&checkout_id)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(internal)?;
            sqlx::query("UPDATE payment_positions SET status = 'pending' WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(internal)?;
        }
        // On each debtor's access log, in the same transaction as the change.
        let mut debtors: Vec<&str> = positions.iter().map(|(_, debtor, _)| debtor.as_str()).collect();
        debtors.sort_unstable();
        debtors.dedup();
        let record = format!("pagamento:{checkout_id}");
        for debtor in debtors {
            access_log::record_in(&mut *tx, principal, debtor, CAPABILITY, AccessAction::Write, Some(&record))
                .await
                .map_err(internal)?;
        }
        tx.commit().await.map_err(internal)?;
        let request = CheckoutRequest {
            checkout_id: checkout_id.clone(),
            payer_fiscal_code: principal.actor.fiscal_code.clone(),
            notices: positions.into_iter().map(|(_, _, notice)| notice).collect(),
            return_url: format!("{}/pagamenti/esito/{checkout_id}", self.public_url),
            callback_url: format!("{}/pagopa/v1/esiti", self.public_url),
        };
        match self.provider.open_checkout(request).await {
            Ok(address) => Ok(address),
            Err(error) => {
                tracing::warn!(%error, checkout_id, "the payment provider refused the checkout");
                // Nothing was charged: the positions are payable again.
                let failed = OutcomeMessage {
                    event_id: format!("apertura-non-riuscita-{checkout_id}"),
                    checkout_id,
                    outcome: OutcomeKind::Failed,
                    receipts: vec![],
                };
                self.apply_outcome(&failed, OutcomeSource::Return).await.map_err(internal)?;
                Err(WriteError::Refused(Notice::Payments(PaymentNotice::PaymentProviderUnavailable)))
            }
        }
    }

    /// The body of `Payments::start_checkout`.
    pub(super) async fn start_own_checkout(
        &self,
        principal: &Principal,
        position_ids: &[i64],
    ) -> Result<String, WriteError> {
        if !principal.may(Capability::Pagamenti) {
            self.trail.record(principal, AccessAction::Refused, None).await?;
            return Err(WriteError::Refused(Notice::Payments(PaymentNotice::PaymentNotAllowed)));
        }
        if position_ids.is_empty() {
            return Err(WriteError::Refused(Notice::Payments(PaymentNotice::PaymentNothingSelected)));
        }
        self.open_checkout(principal, position_ids, true).await
    }

    /// The body of `Payments::start_notice_checkout`.
    pub(super) async fn start_checkout_by_notice(
        &self,
        principal: &Principal,
        notice_code: &str,
        creditor_fiscal_code: &str,
    ) -> Result<String, WriteError> {
        // Whoever holds both codes may pay (as at any pagoPA point); the
        // look-up is counted and logged like any other.
        match self.find_notice(principal, notice_code, creditor_fiscal_code).await? {
            NoticeLookup::Found(position) => self.open_checkout(principal, &[position.id], false).await,
            NoticeLookup::TooManyLookups => Err(WriteError::Refused(Notice::Payments(PaymentNotice::TooManyLookups))),
            _ => Err(WriteError::Refused(Notice::Payments(PaymentNotice::PaymentNotPayable))),
        }
    }

    /// The body of `Payments::checkout`.
    pub(super) async fn checkout_view(
        &self,
        principal: &Principal,
        checkout_id: &str,
    ) -> Result<CheckoutView, AccessError> {
        let load = || async {
            sqlx::query_as::<_, (String, i64)>(
                "SELECT status, total_cents FROM payment_checkouts WHERE id = $1 AND payer = $2",
            )
            .bind(checkout_id)
            .bind(&principal.actor.fiscal_code)
            .fetch_optional(&self.pool)
            .await
        };
        let Some((mut status, total_cents)) = load().await.map_err(|e| self.trail.internal(principal, e))? else {
            // Someone else's checkout: the payer's log shows the attempt.
            let payer: Option<String> = sqlx::query_scalar("SELECT payer FROM payment_checkouts WHERE id = $1")
                .bind(checkout_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| self.trail.internal(principal, e))?;
            if let Some(payer) = payer.filter(|payer| *payer != principal.actor.fiscal_code) {
                self.trail.refused_on(principal, &payer, Some(&format!("pagamento:{checkout_id}"))).await?;
            }
            return Err(AccessError::NotAllowed);
        };
        if status == "pending" {
            // The browser is back: ask the provider rather than trust the address.
            match self.provider.outcome(checkout_id).await {
                Ok(message) if message.checkout_id == checkout_id => {
                    self.apply_outcome(&message, OutcomeSource::Return)
                        .await
                        .map_err(|e| self.trail.internal(principal, e))?;
                    if let Some((now, _)) = load().await.map_err(|e| self.trail.internal(principal, e))? {
                        status = now;
                    }
                }
                Ok(_) => tracing::error!(checkout_id, "the provider answered about another checkout"),
                Err(error) => tracing::warn!(%error, checkout_id, "the provider could not tell the outcome"),
            }
        }
        let positions = self
            .positions(
                "pp.id IN (SELECT position_id FROM payment_checkout_positions WHERE checkout_id = $1)",
                checkout_id,
                principal,
            )
            .await
            .map_err(|e| self.trail.internal(principal, e))?;
        Ok(CheckoutView {
            id: checkout_id.to_string(),
            status: CheckoutStatus::from_db(&status),
            total_cents,
            positions,
        })
    }
}
