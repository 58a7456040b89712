//! Payments in SQL: positions (debts towards an ASL, one per booking
//! ticket or paper notice), checkouts at the payment provider, receipts and
//! self-certified income exemptions (migration `20261123000006_payments.sql`).
//!
//! A position is paid at most once: the receipt table has one row per
//! position (UNIQUE), outcomes are applied in one `BEGIN IMMEDIATE`
//! transaction, and any repeated, late or reordered outcome changes nothing.
//! State machine: docs/PAYMENTS.md.

pub mod pdf;
pub mod provider;
pub mod qr;
pub mod routes;
pub mod sandbox;

use std::sync::Arc;
use std::time::Duration;

use app::access_log::model::AccessAction;
use app::domain::income_exemption::{self, IncomeExemption};
use app::domain::money::euro;
use app::domain::pagopa;
use app::identity::model::{Capability, Notice, Principal, Relation};
use app::identity::AccessError;
use app::payments::model::{
    CheckoutStatus, CheckoutView, Declaration, IncomeExemptions, MyPayments, NoticeLookup, Position, PositionStatus,
};
use app::payments::port::{PayError, Payments, Receipt};
use async_trait::async_trait;
use chrono::{DateTime, Datelike, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use crate::access_log::AuditTrail;
use crate::demo::rome_time::{rome_today, utc_to_rome};
use provider::{CheckoutRequest, NoticeToPay, OutcomeKind, OutcomeMessage, PaymentProvider};

const CAPABILITY: &str = "pagamenti";

/// Creates a payment position; the notice code embeds a new IUV with the
/// ASL's segregation code (ASL1…ASL5 → 01…05).
pub async fn create_position(
    connection: &mut SqliteConnection,
    person: &str,
    booking_id: Option<i64>,
    asl_code: &str,
    reason: &str,
    amount_cents: i64,
    due_on: &str,
) -> Result<String, sqlx::Error> {
    let next: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM payment_positions")
        .fetch_one(&mut *connection)
        .await?;
    let segregation: u8 = asl_code.trim_start_matches("ASL").parse().unwrap_or(9);
    let base = 2_026_000_000_000_u64 + u64::try_from(next).unwrap_or(0);
    let Some(notice) = pagopa::notice_code(segregation, base) else {
        return Err(sqlx::Error::Protocol("notice code out of range".into()));
    };
    let iuv = pagopa::iuv(&notice).unwrap_or_default().to_string();
    sqlx::query(
        "INSERT INTO payment_positions (person, asl_code, reason, amount_cents, due_on, notice_code, iuv, booking_id, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'payable')",
    )
    .bind(person)
    .bind(asl_code)
    .bind(reason)
    .bind(amount_cents)
    .bind(due_on)
    .bind(&notice)
    .bind(&iuv)
    .bind(booking_id)
    .execute(&mut *connection)
    .await?;
    Ok(notice)
}

/// Where an outcome came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutcomeSource {
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
pub enum OutcomeEffect {
    Applied,
    /// Already known (duplicate, replay, late after settlement, still pending).
    Unchanged,
    UnknownCheckout,
    /// Receipts that do not match the checkout's notices.
    BadBody,
}

impl OutcomeEffect {
    pub fn as_db(self) -> &'static str {
        match self {
            OutcomeEffect::Applied => "applied",
            OutcomeEffect::Unchanged => "unchanged",
            OutcomeEffect::UnknownCheckout => "unknown_checkout",
            OutcomeEffect::BadBody => "bad_body",
        }
    }
}

const SELECT_POSITION: &str =
    "SELECT pp.id, a.name, a.fiscal_code, pp.reason, pp.amount_cents, pp.due_on, pp.notice_code, pp.iuv,
        pp.status, pp.paid_at, CASE WHEN b.status = 'active' THEN b.code END
   FROM payment_positions pp JOIN asl a ON a.code = pp.asl_code LEFT JOIN bookings b ON b.id = pp.booking_id";

type PositionRow = (i64, String, String, String, i64, String, String, String, String, Option<String>, Option<String>);

fn position(row: PositionRow) -> Position {
    let (id, creditor, creditor_fiscal_code, reason, amount_cents, due_on, notice_code, iuv, status, paid_at, booking) =
        row;
    let status = PositionStatus::from_db(&status);
    let qr_svg = if status == PositionStatus::Payable {
        qr::svg(&pagopa::qr_payload(&notice_code, &creditor_fiscal_code, amount_cents))
    } else {
        String::new()
    };
    Position {
        id,
        creditor,
        creditor_fiscal_code,
        reason,
        amount_cents,
        due_on,
        notice_code,
        iuv,
        status,
        paid_at_local: paid_at.as_deref().map(rome_minutes),
        booking_code: booking,
        qr_svg,
    }
}

/// A stored UTC time as Rome's dd/mm/yyyy hh:mm.
fn rome_minutes(utc: &str) -> String {
    DateTime::parse_from_rfc3339(utc)
        .map(|instant| utc_to_rome(instant.with_timezone(&Utc)).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_else(|_| utc.to_string())
}

fn stored_now() -> String {
    Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

pub struct SqlPayments {
    pool: SqlitePool,
    trail: AuditTrail,
    provider: Arc<dyn PaymentProvider>,
    public_url: String,
}

impl SqlPayments {
    pub fn new(pool: SqlitePool, provider: Arc<dyn PaymentProvider>, public_url: &str) -> SqlPayments {
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

    async fn positions(&self, condition: &str, bind: &str) -> Result<Vec<Position>, sqlx::Error> {
        let rows: Vec<PositionRow> =
            sqlx::query_as(&format!("{SELECT_POSITION} WHERE {condition} ORDER BY pp.due_on, pp.id"))
                .bind(bind)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(position).collect())
    }

    /// Opens a checkout for positions already checked as the actor's to pay.
    async fn open_checkout(&self, principal: &Principal, ids: &[i64], own: bool) -> Result<String, PayError> {
        let internal = |e| PayError::Access(self.trail.internal(principal, e));
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(internal)?;
        let mut positions = Vec::new();
        for id in ids {
            let row: Option<(String, String, i64, String, String, String)> = sqlx::query_as(
                "SELECT pp.person, pp.status, pp.amount_cents, pp.notice_code, a.fiscal_code, pp.reason
                   FROM payment_positions pp JOIN asl a ON a.code = pp.asl_code WHERE pp.id = ?1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal)?;
            let refusal = match &row {
                None => Some(Notice::PaymentNotPayable),
                Some((person, ..)) if own && person != &principal.subject.fiscal_code => {
                    Some(Notice::PaymentNotPayable)
                }
                Some((_, status, ..)) if status == "pending" => Some(Notice::PaymentInProgress),
                Some((_, status, ..)) if status != "payable" => Some(Notice::PaymentNotPayable),
                Some(_) => None,
            };
            if let Some(notice) = refusal {
                let _ = tx.rollback().await;
                return Err(PayError::Refused(notice));
            }
            if let Some((_, _, amount_cents, notice_code, creditor_fiscal_code, description)) = row {
                positions.push((*id, NoticeToPay { notice_code, creditor_fiscal_code, amount_cents, description }));
            }
        }
        let checkout_id = uuid::Uuid::new_v4().simple().to_string();
        let total: i64 = positions.iter().map(|(_, notice)| notice.amount_cents).sum();
        sqlx::query("INSERT INTO payment_checkouts (id, payer, total_cents, status) VALUES (?1, ?2, ?3, 'pending')")
            .bind(&checkout_id)
            .bind(&principal.actor.fiscal_code)
            .bind(total)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        for (id, _) in &positions {
            sqlx::query("INSERT INTO payment_checkout_positions (checkout_id, position_id) VALUES (?1, ?2)")
                .bind(&checkout_id)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(internal)?;
            sqlx::query("UPDATE payment_positions SET status = 'pending' WHERE id = ?1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(internal)?;
        }
        tx.commit().await.map_err(internal)?;
        let request = CheckoutRequest {
            checkout_id: checkout_id.clone(),
            payer_fiscal_code: principal.actor.fiscal_code.clone(),
            notices: positions.into_iter().map(|(_, notice)| notice).collect(),
            return_url: format!("{}/pagamenti/esito/{checkout_id}", self.public_url),
            callback_url: format!("{}/pagopa/v1/esiti", self.public_url),
        };
        match self.provider.open_checkout(request).await {
            Ok(address) => {
                self.trail.record(principal, AccessAction::Write, Some(&format!("pagamento:{checkout_id}"))).await?;
                Ok(address)
            }
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
                Err(PayError::Refused(Notice::PaymentProviderUnavailable))
            }
        }
    }

    /// Applies an outcome from the provider, once: the first word on a
    /// checkout settles it, a payment always records its receipts (the
    /// money moved) and nothing is ever paid twice.
    pub async fn apply_outcome(
        &self,
        message: &OutcomeMessage,
        source: OutcomeSource,
    ) -> Result<OutcomeEffect, sqlx::Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let effect = match settle(&mut tx, message, source).await {
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
            "INSERT INTO payment_outcome_events (event_id, checkout_id, outcome, source, effect) VALUES (?1, ?2, ?3, ?4, ?5)",
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
    pub async fn reconcile(&self, after: Duration) -> Result<usize, sqlx::Error> {
        let cutoff = Utc::now() - chrono::Duration::from_std(after).unwrap_or_default();
        let pending: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM payment_checkouts WHERE status = 'pending' AND created_at <= ?1 ORDER BY created_at",
        )
        .bind(cutoff.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
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

    async fn age(&self, person: &str) -> Result<u32, sqlx::Error> {
        let birth: String = sqlx::query_scalar("SELECT birth_date FROM people WHERE fiscal_code = ?1")
            .bind(person)
            .fetch_one(&self.pool)
            .await?;
        let today = rome_today();
        let birth = chrono::NaiveDate::parse_from_str(&birth, "%Y-%m-%d").unwrap_or(today);
        Ok(today.years_since(birth).unwrap_or(0))
    }
}

/// Keeps settling checkouts whose outcome never arrived.
pub async fn keep_reconciling(payments: Arc<SqlPayments>, after: Duration, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    loop {
        ticker.tick().await;
        if let Err(error) = payments.reconcile(after).await {
            tracing::warn!(%error, "payment reconciliation failed");
        }
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
async fn tell_the_payer(tx: &mut SqliteConnection, checkout_id: &str) -> Result<(), sqlx::Error> {
    let (payer, status, total): (String, String, i64) =
        sqlx::query_as("SELECT payer, status, total_cents FROM payment_checkouts WHERE id = ?1")
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
    tx: &mut SqliteConnection,
    message: &OutcomeMessage,
    source: OutcomeSource,
) -> Result<OutcomeEffect, sqlx::Error> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM payment_checkouts WHERE id = ?1")
        .bind(&message.checkout_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(status) = status else { return Ok(OutcomeEffect::UnknownCheckout) };
    let now = stored_now();
    let ended = match message.outcome {
        OutcomeKind::Pending => return Ok(OutcomeEffect::Unchanged),
        OutcomeKind::Paid => return record_payment(tx, message, source, &now).await,
        OutcomeKind::Failed => CheckoutStatus::Failed,
        OutcomeKind::Cancelled => CheckoutStatus::Cancelled,
        OutcomeKind::Expired => CheckoutStatus::Expired,
    };
    if status != "pending" {
        return Ok(OutcomeEffect::Unchanged);
    }
    sqlx::query("UPDATE payment_checkouts SET status = ?2, settled_by = ?3, settled_at = ?4 WHERE id = ?1")
        .bind(&message.checkout_id)
        .bind(ended.as_db())
        .bind(source.as_db())
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    // Nothing was charged: the positions can be paid again.
    sqlx::query(
        "UPDATE payment_positions SET status = 'payable'
          WHERE status = 'pending' AND id IN (SELECT position_id FROM payment_checkout_positions WHERE checkout_id = ?1)",
    )
    .bind(&message.checkout_id)
    .execute(&mut *tx)
    .await?;
    Ok(OutcomeEffect::Applied)
}

async fn record_payment(
    tx: &mut SqliteConnection,
    message: &OutcomeMessage,
    source: OutcomeSource,
    now: &str,
) -> Result<OutcomeEffect, sqlx::Error> {
    let positions: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT pp.id, pp.notice_code, a.fiscal_code, pp.amount_cents
           FROM payment_checkout_positions cp JOIN payment_positions pp ON pp.id = cp.position_id
           JOIN asl a ON a.code = pp.asl_code WHERE cp.checkout_id = ?1",
    )
    .bind(&message.checkout_id)
    .fetch_all(&mut *tx)
    .await?;
    // Every notice of the checkout needs its receipt, with the right amount and creditor.
    let mut matched = Vec::new();
    for (id, notice, creditor, amount) in positions {
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
            sqlx::query_scalar("SELECT receipt_id FROM payment_receipts WHERE position_id = ?1")
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
            .map(|at| at.with_timezone(&Utc).format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_else(|_| now.to_string());
        let inserted = sqlx::query(
            "INSERT INTO payment_receipts (receipt_id, position_id, checkout_id, amount_cents, psp, paid_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
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
            sqlx::query("UPDATE payment_positions SET status = 'paid', paid_at = ?2 WHERE id = ?1")
                .bind(position_id)
                .bind(&paid_at)
                .execute(&mut *tx)
                .await?;
            changed = true;
        }
    }
    let checkout_changed = sqlx::query(
        "UPDATE payment_checkouts SET status = 'paid', settled_by = ?2, settled_at = ?3 WHERE id = ?1 AND status <> 'paid'",
    )
    .bind(&message.checkout_id)
    .bind(source.as_db())
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok(if changed || checkout_changed == 1 { OutcomeEffect::Applied } else { OutcomeEffect::Unchanged })
}

#[async_trait]
impl Payments for SqlPayments {
    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn mine(&self, principal: &Principal) -> Result<MyPayments, AccessError> {
        self.allowed(principal).await?;
        let all = self
            .positions("pp.person = ?1 AND pp.status <> 'cancelled'", &principal.subject.fiscal_code)
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
        let notice_code = pagopa::digits_only(notice_code);
        let creditor = pagopa::digits_only(creditor_fiscal_code);
        if !pagopa::notice_code_is_valid(&notice_code) {
            return Ok(NoticeLookup::BadNoticeCode);
        }
        if !pagopa::creditor_fiscal_code_is_valid(&creditor) {
            return Ok(NoticeLookup::BadCreditor);
        }
        let row: Option<PositionRow> =
            sqlx::query_as(&format!("{SELECT_POSITION} WHERE pp.notice_code = ?1 AND a.fiscal_code = ?2"))
                .bind(&notice_code)
                .bind(&creditor)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| self.trail.internal(principal, e))?;
        // Paying a notice needs only its two codes (as at any pagoPA point);
        // the booking it belongs to stays private.
        Ok(match row {
            Some(row) => {
                let mut found = position(row);
                if !self
                    .is_subjects(&found.notice_code, principal)
                    .await
                    .map_err(|e| self.trail.internal(principal, e))?
                {
                    found.booking_code = None;
                }
                NoticeLookup::Found(Box::new(found))
            }
            None => NoticeLookup::NotFound,
        })
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn start_checkout(&self, principal: &Principal, position_ids: &[i64]) -> Result<String, PayError> {
        if !principal.may(Capability::Pagamenti) {
            self.trail.record(principal, AccessAction::Refused, None).await?;
            return Err(PayError::Refused(Notice::PaymentNotAllowed));
        }
        if position_ids.is_empty() {
            return Err(PayError::Refused(Notice::PaymentNothingSelected));
        }
        self.open_checkout(principal, position_ids, true).await
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn start_notice_checkout(
        &self,
        principal: &Principal,
        notice_code: &str,
        creditor_fiscal_code: &str,
    ) -> Result<String, PayError> {
        match self.find_notice(principal, notice_code, creditor_fiscal_code).await? {
            NoticeLookup::Found(position) => self.open_checkout(principal, &[position.id], false).await,
            _ => Err(PayError::Refused(Notice::PaymentNotPayable)),
        }
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn checkout(&self, principal: &Principal, checkout_id: &str) -> Result<CheckoutView, AccessError> {
        let load = || async {
            sqlx::query_as::<_, (String, i64)>(
                "SELECT status, total_cents FROM payment_checkouts WHERE id = ?1 AND payer = ?2",
            )
            .bind(checkout_id)
            .bind(&principal.actor.fiscal_code)
            .fetch_optional(&self.pool)
            .await
        };
        let Some((mut status, total_cents)) = load().await.map_err(|e| self.trail.internal(principal, e))? else {
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
                "pp.id IN (SELECT position_id FROM payment_checkout_positions WHERE checkout_id = ?1)",
                checkout_id,
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

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn receipt(&self, principal: &Principal, notice_code: &str) -> Result<Receipt, AccessError> {
        type Row =
            (String, String, String, String, String, String, String, String, String, i64, String, String, String);
        let row: Option<Row> = sqlx::query_as(
            "SELECT r.receipt_id, a.name, a.fiscal_code, d.given_name || ' ' || d.family_name, d.fiscal_code,
                    v.given_name || ' ' || v.family_name, v.fiscal_code, pp.person, pp.reason, r.amount_cents,
                    pp.iuv, r.psp, r.paid_at
               FROM payment_receipts r JOIN payment_positions pp ON pp.id = r.position_id
               JOIN asl a ON a.code = pp.asl_code JOIN people d ON d.fiscal_code = pp.person
               JOIN payment_checkouts c ON c.id = r.checkout_id JOIN people v ON v.fiscal_code = c.payer
              WHERE pp.notice_code = ?1",
        )
        .bind(notice_code)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| self.trail.internal(principal, e))?;
        let Some(row) = row else { return Err(AccessError::NotAllowed) };
        let (
            receipt_id,
            creditor,
            creditor_cf,
            debtor,
            debtor_cf,
            payer,
            payer_cf,
            person,
            reason,
            amount,
            iuv,
            psp,
            paid_at,
        ) = row;
        // The debtor (or whoever acts for them with "Pagamenti"), or the payer.
        let owners = person == principal.subject.fiscal_code && principal.may(Capability::Pagamenti);
        if !owners && payer_cf != principal.actor.fiscal_code {
            self.trail.record(principal, AccessAction::Refused, Some(notice_code)).await?;
            return Err(AccessError::NotAllowed);
        }
        self.trail.record(principal, AccessAction::Read, Some(&format!("ricevuta:{notice_code}"))).await?;
        Ok(Receipt {
            receipt_id,
            creditor,
            creditor_fiscal_code: creditor_cf,
            debtor_name: debtor,
            debtor_fiscal_code: debtor_cf,
            payer_name: payer,
            payer_fiscal_code: payer_cf,
            reason,
            amount_cents: amount,
            notice_code: notice_code.to_string(),
            iuv,
            psp,
            paid_at_local: rome_minutes(&paid_at),
        })
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn income_exemptions(&self, principal: &Principal) -> Result<IncomeExemptions, AccessError> {
        self.allowed(principal).await?;
        let internal = |e| self.trail.internal(principal, e);
        let subject = &principal.subject.fiscal_code;
        let today = rome_today();
        let age = self.age(subject).await.map_err(internal)?;
        let registry: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT code, valid_until FROM exemptions
              WHERE person = ?1 AND valid_from <= ?2 AND (valid_until IS NULL OR valid_until >= ?2) ORDER BY code",
        )
        .bind(subject)
        .bind(today.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(internal)?;
        type Row = (i64, String, String, String, Option<String>, String, Option<String>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT d.id, d.code, d.valid_from, d.valid_until, p.given_name || ' ' || p.family_name, d.declared_at, d.withdrawn_at
               FROM income_exemption_declarations d LEFT JOIN people p ON p.fiscal_code = d.declared_by
              WHERE d.person = ?1 ORDER BY d.id DESC",
        )
        .bind(subject)
        .fetch_all(&self.pool)
        .await
        .map_err(internal)?;
        let today_text = today.to_string();
        let declarations = rows
            .into_iter()
            .map(|(id, code, valid_from, valid_until, declared_by, declared_at, withdrawn_at)| Declaration {
                id,
                current: withdrawn_at.is_none() && valid_from <= today_text && valid_until >= today_text,
                code,
                valid_from,
                valid_until,
                declared_by: declared_by.unwrap_or_default(),
                declared_at_local: rome_minutes(&declared_at),
                withdrawn_at_local: withdrawn_at.as_deref().map(rome_minutes),
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

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn declare_income_exemption(
        &self,
        principal: &Principal,
        exemption: IncomeExemption,
    ) -> Result<(), PayError> {
        if !matches!(principal.relation, Relation::Own | Relation::Parent) {
            self.trail.record(principal, AccessAction::Refused, Some("esenzione")).await?;
            return Err(PayError::Refused(Notice::FseOnlyOwner));
        }
        let internal = |e| PayError::Access(self.trail.internal(principal, e));
        let subject = &principal.subject.fiscal_code;
        let age = self.age(subject).await.map_err(internal)?;
        if income_exemption::check(exemption, age).is_err() {
            return Err(PayError::Refused(Notice::ExemptionNotForAge));
        }
        let today = rome_today();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(internal)?;
        let current: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM income_exemption_declarations
              WHERE person = ?1 AND withdrawn_at IS NULL AND valid_from <= ?2 AND valid_until >= ?2",
        )
        .bind(subject)
        .bind(today.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal)?;
        if current.is_some() {
            let _ = tx.rollback().await;
            return Err(PayError::Refused(Notice::ExemptionAlreadyValid));
        }
        sqlx::query(
            "INSERT INTO income_exemption_declarations (person, code, valid_from, valid_until, declared_by)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(subject)
        .bind(exemption.code())
        .bind(today.to_string())
        .bind(income_exemption::valid_until(today.year()))
        .bind(&principal.actor.fiscal_code)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        self.trail.record(principal, AccessAction::Write, Some(&format!("esenzione:{}", exemption.code()))).await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn withdraw_income_exemption(&self, principal: &Principal, declaration_id: i64) -> Result<(), PayError> {
        if !matches!(principal.relation, Relation::Own | Relation::Parent) {
            self.trail.record(principal, AccessAction::Refused, Some("esenzione")).await?;
            return Err(PayError::Refused(Notice::FseOnlyOwner));
        }
        let internal = |e| PayError::Access(self.trail.internal(principal, e));
        let withdrawn = sqlx::query(
            "UPDATE income_exemption_declarations SET withdrawn_at = ?3, withdrawn_by = ?4
              WHERE id = ?1 AND person = ?2 AND withdrawn_at IS NULL",
        )
        .bind(declaration_id)
        .bind(&principal.subject.fiscal_code)
        .bind(Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .bind(&principal.actor.fiscal_code)
        .execute(&self.pool)
        .await
        .map_err(internal)?
        .rows_affected();
        if withdrawn == 0 {
            return Err(PayError::Refused(Notice::ExemptionNotFound));
        }
        self.trail
            .record(principal, AccessAction::Write, Some(&format!("esenzione-ritirata:{declaration_id}")))
            .await?;
        Ok(())
    }
}

impl SqlPayments {
    /// Keeps a refused callback (bad signature or body) in the outcome log.
    pub async fn record_rejected(&self, effect: &str) {
        let stored = sqlx::query("INSERT INTO payment_outcome_events (source, effect) VALUES ('callback', ?1)")
            .bind(effect)
            .execute(&self.pool)
            .await;
        if let Err(error) = stored {
            tracing::error!(%error, "refused payment outcome not logged");
        }
    }

    /// Whether the notice is the subject's own (then its booking may show).
    async fn is_subjects(&self, notice_code: &str, principal: &Principal) -> Result<bool, sqlx::Error> {
        let person: Option<String> = sqlx::query_scalar("SELECT person FROM payment_positions WHERE notice_code = ?1")
            .bind(notice_code)
            .fetch_optional(&self.pool)
            .await?;
        Ok(person.as_deref() == Some(principal.subject.fiscal_code.as_str()))
    }
}
