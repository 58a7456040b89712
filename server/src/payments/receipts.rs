//! Receipts of paid notices: shown in full to the debtor, and as proof of
//! payment (without the debtor or the reason) to the payer.

use app::access_log::model::AccessAction;
use app::identity::model::Principal;
use app::identity::AccessError;
use app::payments::port::Receipt;

use super::positions::{is_debtor, NEUTRAL_REASON};
use super::{SqlPayments, CAPABILITY};
use crate::access_log;
use crate::clock::stored_as_rome_minutes;

/// A receipt, with its position, creditor ASL (`name`), debtor and payer.
#[derive(sqlx::FromRow)]
struct ReceiptRow {
    receipt_id: String,
    name: String,
    creditor_fiscal_code: String,
    debtor_name: String,
    debtor_fiscal_code: String,
    payer_name: String,
    payer_fiscal_code: String,
    person: String,
    reason: String,
    amount_cents: i64,
    iuv: String,
    psp: String,
    paid_at: String,
}

impl SqlPayments {
    /// The body of `Payments::receipt`.
    pub(super) async fn show_receipt(&self, principal: &Principal, notice_code: &str) -> Result<Receipt, AccessError> {
        let row: Option<ReceiptRow> = sqlx::query_as(
            "SELECT r.receipt_id, a.name, a.fiscal_code AS creditor_fiscal_code,
                    d.given_name || ' ' || d.family_name AS debtor_name, d.fiscal_code AS debtor_fiscal_code,
                    v.given_name || ' ' || v.family_name AS payer_name, v.fiscal_code AS payer_fiscal_code,
                    pp.person, pp.reason, r.amount_cents, pp.iuv, r.psp, r.paid_at
               FROM payment_receipts r JOIN payment_positions pp ON pp.id = r.position_id
               JOIN asl a ON a.code = pp.asl_code JOIN people d ON d.fiscal_code = pp.person
               JOIN payment_checkouts c ON c.id = r.checkout_id JOIN people v ON v.fiscal_code = c.payer
              WHERE pp.notice_code = $1",
        )
        .bind(notice_code)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| self.trail.internal(principal, e))?;
        let Some(row) = row else {
            // No receipt (yet): a stranger asking for another person's
            // notice still shows in that person's log.
            let debtor: Option<String> =
                sqlx::query_scalar("SELECT person FROM payment_positions WHERE notice_code = $1")
                    .bind(notice_code)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(|e| self.trail.internal(principal, e))?;
            if let Some(debtor) = debtor.filter(|debtor| !is_debtor(debtor, principal)) {
                self.trail.refused_on(principal, &debtor, Some(&format!("ricevuta:{notice_code}"))).await?;
            }
            return Err(AccessError::NotAllowed);
        };
        let ReceiptRow {
            receipt_id,
            name: creditor,
            creditor_fiscal_code: creditor_cf,
            debtor_name: debtor,
            debtor_fiscal_code: debtor_cf,
            payer_name: payer,
            payer_fiscal_code: payer_cf,
            person,
            reason,
            amount_cents: amount,
            iuv,
            psp,
            paid_at,
        } = row;
        // The debtor (or whoever acts for them with "Pagamenti"), or the
        // payer — who gets the proof of their payment, not the debtor's
        // identity or what the ticket was for. Both on the debtor's log.
        let owners = is_debtor(&person, principal);
        let record = format!("ricevuta:{notice_code}");
        if !owners && payer_cf != principal.actor.fiscal_code {
            self.trail.refused_on(principal, &person, Some(&record)).await?;
            return Err(AccessError::NotAllowed);
        }
        access_log::record_in(&self.pool, principal, &person, CAPABILITY, AccessAction::Read, Some(&record))
            .await
            .map_err(|e| self.trail.internal(principal, e))?;
        Ok(Receipt {
            receipt_id,
            creditor,
            creditor_fiscal_code: creditor_cf,
            debtor: owners.then_some((debtor, debtor_cf)),
            payer_name: payer,
            payer_fiscal_code: payer_cf,
            reason: if owners { reason } else { NEUTRAL_REASON.to_string() },
            amount_cents: amount,
            notice_code: notice_code.to_string(),
            iuv,
            psp,
            paid_at_local: stored_as_rome_minutes(&paid_at),
        })
    }
}
