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

pub mod pdf;
pub mod provider;
pub mod qr;
pub mod routes;
pub mod sandbox;

use app::fse::notice::FseNotice;
use app::notice::Notice;
use app::payments::notice::PaymentNotice;
use std::sync::Arc;
use std::time::Duration;

use app::access_log::model::AccessAction;
use app::domain::income_exemption::{self, IncomeExemption};
use app::domain::money::euro;
use app::domain::pagopa;
use app::identity::model::{Capability, Principal, Relation};
use app::identity::AccessError;
use app::payments::model::{
    CheckoutStatus, CheckoutView, Declaration, IncomeExemptions, MyPayments, NoticeLookup, Position, PositionStatus,
};
use app::payments::port::{PayError, Payments, Receipt};
use async_trait::async_trait;
use chrono::{DateTime, Datelike, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use crate::access_log::{self, AuditTrail};
use crate::clock::{rome_today, stored_as_rome_minutes, stored_instant, stored_second};
use crate::db;
use provider::{CheckoutRequest, NoticeToPay, OutcomeKind, OutcomeMessage, PaymentProvider};

const CAPABILITY: &str = "pagamenti";

/// What a notice says to anyone but its debtor (and to the payment
/// provider): what a pagoPA point shows, no exam, no booking.
pub const NEUTRAL_REASON: &str = "Ticket sanitario";

/// Notice look-ups by code a person may make in [`NOTICE_LOOKUP_WINDOW`].
pub const NOTICE_LOOKUPS_PER_WINDOW: i64 = 10;
/// The sliding window of the look-up limit.
pub const NOTICE_LOOKUP_WINDOW: Duration = Duration::from_secs(10 * 60);

/// New IUVs tried before giving up (a collision among 10^13 is already rare).
const IUV_ATTEMPTS: usize = 8;

/// A random 13-digit IUV base from the operating system's CSPRNG (through
/// uuid v4, which reads `getrandom`): the low 62 bits of a v4 UUID are all
/// random, and 2^62 mod 10^13 leaves a bias of about 2·10^-6.
fn random_iuv_base() -> u64 {
    let random = uuid::Uuid::new_v4().as_u128() & ((1_u128 << 62) - 1);
    u64::try_from(random % 10_u128.pow(13)).unwrap_or_default()
}

/// Creates a payment position; the notice code embeds a new random IUV with
/// the ASL's segregation code (ASL1…ASL5 → 01…05), so that a notice code
/// tells nothing about any other.
pub async fn create_position(
    connection: &mut SqliteConnection,
    person: &str,
    booking_id: Option<i64>,
    asl_code: &str,
    reason: &str,
    amount_cents: i64,
    due_on: &str,
) -> Result<String, sqlx::Error> {
    let new = NewPosition { person, booking_id, asl_code, reason, amount_cents, due_on };
    insert_position(connection, &new, random_iuv_base).await
}

struct NewPosition<'a> {
    person: &'a str,
    booking_id: Option<i64>,
    asl_code: &'a str,
    reason: &'a str,
    amount_cents: i64,
    due_on: &'a str,
}

/// Inserts the position with an IUV base from `draw`, drawing again when
/// the notice code or IUV is taken (both are UNIQUE).
async fn insert_position(
    connection: &mut SqliteConnection,
    new: &NewPosition<'_>,
    mut draw: impl FnMut() -> u64,
) -> Result<String, sqlx::Error> {
    let segregation: u8 = new.asl_code.trim_start_matches("ASL").parse().unwrap_or(9);
    for _ in 0..IUV_ATTEMPTS {
        let Some(notice) = pagopa::notice_code(segregation, draw()) else {
            return Err(sqlx::Error::Protocol("notice code out of range".into()));
        };
        let iuv = pagopa::iuv(&notice).unwrap_or_default().to_string();
        let inserted = sqlx::query(
            "INSERT INTO payment_positions (person, asl_code, reason, amount_cents, due_on, notice_code, iuv, booking_id, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'payable')",
        )
        .bind(new.person)
        .bind(new.asl_code)
        .bind(new.reason)
        .bind(new.amount_cents)
        .bind(new.due_on)
        .bind(&notice)
        .bind(&iuv)
        .bind(new.booking_id)
        .execute(&mut *connection)
        .await;
        match inserted {
            Ok(_) => return Ok(notice),
            Err(error)
                if db::violates_unique(&error, "payment_positions.notice_code")
                    || db::violates_unique(&error, "payment_positions.iuv") =>
            {
                tracing::warn!("a random notice code was already taken: drawing another");
            }
            Err(error) => return Err(error),
        }
    }
    Err(sqlx::Error::Protocol("no free notice code found".into()))
}

/// Whether the principal sees a position of `debtor` in full (reason,
/// booking, identity): the debtor, or whoever acts for them with "Pagamenti".
fn is_debtor(debtor: &str, principal: &Principal) -> bool {
    debtor == principal.subject.fiscal_code && principal.may(Capability::Pagamenti)
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
    pub fn as_db(self) -> &'static str {
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

const SELECT_POSITION: &str =
    "SELECT pp.id, a.name, a.fiscal_code, pp.reason, pp.amount_cents, pp.due_on, pp.notice_code, pp.iuv,
        pp.status, pp.paid_at, CASE WHEN b.status = 'active' THEN b.code END, pp.person
   FROM payment_positions pp JOIN asl a ON a.code = pp.asl_code LEFT JOIN bookings b ON b.id = pp.booking_id";

type PositionRow =
    (i64, String, String, String, i64, String, String, String, String, Option<String>, Option<String>, String);

/// A position as `viewer` may see it: anyone but its debtor gets what a
/// pagoPA point shows (creditor, amount, due date, codes) with a neutral
/// reason and no booking.
fn position(row: PositionRow, viewer: &Principal) -> Position {
    let (
        id,
        creditor,
        creditor_fiscal_code,
        reason,
        amount_cents,
        due_on,
        notice_code,
        iuv,
        status,
        paid_at,
        booking,
        debtor,
    ) = row;
    let debtors_view = is_debtor(&debtor, viewer);
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
        reason: if debtors_view { reason } else { NEUTRAL_REASON.to_string() },
        amount_cents,
        due_on,
        notice_code,
        iuv,
        status,
        paid_at_local: paid_at.as_deref().map(stored_as_rome_minutes),
        booking_code: booking.filter(|_| debtors_view),
        qr_svg,
    }
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

    async fn positions(&self, condition: &str, bind: &str, viewer: &Principal) -> Result<Vec<Position>, sqlx::Error> {
        let rows: Vec<PositionRow> =
            sqlx::query_as(&format!("{SELECT_POSITION} WHERE {condition} ORDER BY pp.due_on, pp.id"))
                .bind(bind)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|row| position(row, viewer)).collect())
    }

    /// Opens a checkout for positions already checked as the actor's to pay.
    async fn open_checkout(&self, principal: &Principal, ids: &[i64], own: bool) -> Result<String, PayError> {
        let internal = |e| PayError::Access(self.trail.internal(principal, e));
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        let mut positions = Vec::new();
        for id in ids {
            let row: Option<(String, String, i64, String, String)> = sqlx::query_as(
                "SELECT pp.person, pp.status, pp.amount_cents, pp.notice_code, a.fiscal_code
                   FROM payment_positions pp JOIN asl a ON a.code = pp.asl_code WHERE pp.id = ?1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal)?;
            let refusal = match &row {
                None => Some(Notice::Payments(PaymentNotice::PaymentNotPayable)),
                Some((person, ..)) if own && person != &principal.subject.fiscal_code => {
                    // Someone else's ticket picked by id: their log shows the attempt.
                    let _ = tx.rollback().await;
                    self.trail.refused_on(principal, person, Some(&format!("posizione:{id}"))).await?;
                    return Err(PayError::Refused(Notice::Payments(PaymentNotice::PaymentNotPayable)));
                }
                Some((_, status, ..)) if status == "pending" => {
                    Some(Notice::Payments(PaymentNotice::PaymentInProgress))
                }
                Some((_, status, ..)) if status != "payable" => {
                    Some(Notice::Payments(PaymentNotice::PaymentNotPayable))
                }
                Some(_) => None,
            };
            if let Some(notice) = refusal {
                let _ = tx.rollback().await;
                return Err(PayError::Refused(notice));
            }
            if let Some((debtor, _, amount_cents, notice_code, creditor_fiscal_code)) = row {
                // The provider (and whoever sees its page) learns no exam or booking.
                let description = NEUTRAL_REASON.to_string();
                let notice = NoticeToPay { notice_code, creditor_fiscal_code, amount_cents, description };
                positions.push((*id, debtor, notice));
            }
        }
        let checkout_id = uuid::Uuid::new_v4().simple().to_string();
        let total: i64 = positions.iter().map(|(_, _, notice)| notice.amount_cents).sum();
        sqlx::query("INSERT INTO payment_checkouts (id, payer, total_cents, status) VALUES (?1, ?2, ?3, 'pending')")
            .bind(&checkout_id)
            .bind(&principal.actor.fiscal_code)
            .bind(total)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        for (id, _, _) in &positions {
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
                Err(PayError::Refused(Notice::Payments(PaymentNotice::PaymentProviderUnavailable)))
            }
        }
    }

    /// Applies an outcome from the provider, once: the first word on a
    /// checkout settles it, a payment always records its receipts (the
    /// money moved) and nothing is ever paid twice.
    ///
    /// A "paid" callback for a checkout that already ended without payment
    /// (failed, cancelled, expired) is applied only if the provider, asked
    /// now, confirms the payment: then its own message is applied.
    pub async fn apply_outcome(
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
    confirmed: bool,
) -> Result<OutcomeEffect, sqlx::Error> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM payment_checkouts WHERE id = ?1")
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
            .map(|at| stored_second(at.with_timezone(&Utc)))
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
            .positions("pp.person = ?1 AND pp.status <> 'cancelled'", &principal.subject.fiscal_code, principal)
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
        let internal = |e| self.trail.internal(principal, e);
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        if !count_notice_lookup(&mut tx, &principal.actor.fiscal_code).await.map_err(internal)? {
            let _ = tx.rollback().await;
            tracing::warn!(request_id = principal.request_id, "too many notice look-ups: refused");
            return Ok(NoticeLookup::TooManyLookups);
        }
        let row: Option<PositionRow> =
            sqlx::query_as(&format!("{SELECT_POSITION} WHERE pp.notice_code = ?1 AND a.fiscal_code = ?2"))
                .bind(&notice_code)
                .bind(&creditor)
                .fetch_optional(&mut *tx)
                .await
                .map_err(internal)?;
        // Paying a notice needs only its two codes (as at any pagoPA point);
        // what it is for and whose it is stay the debtor's. Every look-up
        // that finds it is on the debtor's access log.
        let lookup = match row {
            Some(row) => {
                let debtor = row.11.clone();
                let record = format!("avviso:{notice_code}");
                access_log::record_in(&mut *tx, principal, &debtor, CAPABILITY, AccessAction::Read, Some(&record))
                    .await
                    .map_err(internal)?;
                NoticeLookup::Found(Box::new(position(row, principal)))
            }
            None => NoticeLookup::NotFound,
        };
        tx.commit().await.map_err(internal)?;
        Ok(lookup)
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn start_checkout(&self, principal: &Principal, position_ids: &[i64]) -> Result<String, PayError> {
        if !principal.may(Capability::Pagamenti) {
            self.trail.record(principal, AccessAction::Refused, None).await?;
            return Err(PayError::Refused(Notice::Payments(PaymentNotice::PaymentNotAllowed)));
        }
        if position_ids.is_empty() {
            return Err(PayError::Refused(Notice::Payments(PaymentNotice::PaymentNothingSelected)));
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
        // Whoever holds both codes may pay (as at any pagoPA point); the
        // look-up is counted and logged like any other.
        match self.find_notice(principal, notice_code, creditor_fiscal_code).await? {
            NoticeLookup::Found(position) => self.open_checkout(principal, &[position.id], false).await,
            NoticeLookup::TooManyLookups => Err(PayError::TooManyLookups),
            _ => Err(PayError::Refused(Notice::Payments(PaymentNotice::PaymentNotPayable))),
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
            // Someone else's checkout: the payer's log shows the attempt.
            let payer: Option<String> = sqlx::query_scalar("SELECT payer FROM payment_checkouts WHERE id = ?1")
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
                "pp.id IN (SELECT position_id FROM payment_checkout_positions WHERE checkout_id = ?1)",
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
        let Some(row) = row else {
            // No receipt (yet): a stranger asking for another person's
            // notice still shows in that person's log.
            let debtor: Option<String> =
                sqlx::query_scalar("SELECT person FROM payment_positions WHERE notice_code = ?1")
                    .bind(notice_code)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(|e| self.trail.internal(principal, e))?;
            if let Some(debtor) = debtor.filter(|debtor| !is_debtor(debtor, principal)) {
                self.trail.refused_on(principal, &debtor, Some(&format!("ricevuta:{notice_code}"))).await?;
            }
            return Err(AccessError::NotAllowed);
        };
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
                declared_at_local: stored_as_rome_minutes(&declared_at),
                withdrawn_at_local: withdrawn_at.as_deref().map(stored_as_rome_minutes),
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
            return Err(PayError::Refused(Notice::Fse(FseNotice::FseOnlyOwner)));
        }
        let internal = |e| PayError::Access(self.trail.internal(principal, e));
        let subject = &principal.subject.fiscal_code;
        let age = self.age(subject).await.map_err(internal)?;
        if income_exemption::check(exemption, age).is_err() {
            return Err(PayError::Refused(Notice::Payments(PaymentNotice::ExemptionNotForAge)));
        }
        let today = rome_today();
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
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
            return Err(PayError::Refused(Notice::Payments(PaymentNotice::ExemptionAlreadyValid)));
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
        let record = format!("esenzione:{}", exemption.code());
        self.trail.record_in(&mut tx, principal, AccessAction::Write, Some(&record)).await?;
        tx.commit().await.map_err(internal)?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn withdraw_income_exemption(&self, principal: &Principal, declaration_id: i64) -> Result<(), PayError> {
        if !matches!(principal.relation, Relation::Own | Relation::Parent) {
            self.trail.record(principal, AccessAction::Refused, Some("esenzione")).await?;
            return Err(PayError::Refused(Notice::Fse(FseNotice::FseOnlyOwner)));
        }
        let internal = |e| PayError::Access(self.trail.internal(principal, e));
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        let withdrawn = sqlx::query(
            "UPDATE income_exemption_declarations SET withdrawn_at = ?3, withdrawn_by = ?4
              WHERE id = ?1 AND person = ?2 AND withdrawn_at IS NULL",
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
            return Err(PayError::Refused(Notice::Payments(PaymentNotice::ExemptionNotFound)));
        }
        let record = format!("esenzione-ritirata:{declaration_id}");
        self.trail.record_in(&mut tx, principal, AccessAction::Write, Some(&record)).await?;
        tx.commit().await.map_err(internal)?;
        Ok(())
    }
}

/// Counts a look-up by notice code of `actor`, unless they already made
/// [`NOTICE_LOOKUPS_PER_WINDOW`] in the last [`NOTICE_LOOKUP_WINDOW`]: then
/// nothing is counted and the answer is `false`. Inside the caller's
/// `BEGIN IMMEDIATE` transaction, so concurrent look-ups cannot overrun it.
async fn count_notice_lookup(tx: &mut SqliteConnection, actor: &str) -> Result<bool, sqlx::Error> {
    let now = Utc::now();
    let window = chrono::Duration::from_std(NOTICE_LOOKUP_WINDOW).unwrap_or_default();
    let since = stored_instant(now - window);
    sqlx::query("DELETE FROM payment_notice_lookups WHERE actor = ?1 AND at < ?2")
        .bind(actor)
        .bind(&since)
        .execute(&mut *tx)
        .await?;
    let recent: i64 = sqlx::query_scalar("SELECT count(*) FROM payment_notice_lookups WHERE actor = ?1 AND at >= ?2")
        .bind(actor)
        .bind(&since)
        .fetch_one(&mut *tx)
        .await?;
    if recent >= NOTICE_LOOKUPS_PER_WINDOW {
        return Ok(false);
    }
    sqlx::query("INSERT INTO payment_notice_lookups (actor, at) VALUES (?1, ?2)")
        .bind(actor)
        .bind(stored_instant(now))
        .execute(&mut *tx)
        .await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;

    /// A migrated database without foreign keys (no people or ASLs needed).
    async fn database() -> (tempfile::TempDir, SqliteConnection) {
        let folder = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite:{}", folder.path().join("payments.db").display());
        crate::db::connect(&url).await.expect("migrated database").close().await;
        let mut connection = SqliteConnection::connect(&url).await.expect("connection");
        sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut connection).await.expect("pragma");
        (folder, connection)
    }

    fn ticket(person: &str) -> NewPosition<'_> {
        NewPosition {
            person,
            booking_id: None,
            asl_code: "ASL3",
            reason: "Ticket di prova",
            amount_cents: 2500,
            due_on: "2026-12-31",
        }
    }

    #[tokio::test]
    async fn a_taken_notice_code_is_drawn_again() {
        let (_folder, mut connection) = database().await;
        let mut draws = [42_u64, 42, 43].into_iter();
        let first = insert_position(&mut connection, &ticket("A"), || draws.next().expect("a draw")).await.unwrap();
        let second = insert_position(&mut connection, &ticket("B"), || draws.next().expect("a draw")).await.unwrap();
        assert_eq!(first, pagopa::notice_code(3, 42).unwrap());
        assert_eq!(second, pagopa::notice_code(3, 43).unwrap(), "42 was taken: drawn again");
        // Always the same base: it gives up instead of looping.
        let stuck = insert_position(&mut connection, &ticket("C"), || 42).await;
        assert!(stuck.is_err());
    }

    #[tokio::test]
    async fn notice_codes_are_random_valid_and_carry_the_asls_segregation_code() {
        let (_folder, mut connection) = database().await;
        let mut codes = Vec::new();
        for n in 0..50 {
            let person = format!("P{n}");
            codes.push(
                create_position(&mut connection, &person, None, "ASL3", "Ticket", 2500, "2026-12-31").await.unwrap(),
            );
        }
        let mut bases: Vec<u64> = Vec::new();
        for code in &codes {
            assert!(pagopa::notice_code_is_valid(code), "{code}");
            assert!(code.starts_with("303"), "aux digit 3, segregation code 03: {code}");
            bases.push(code[3..16].parse().unwrap());
        }
        bases.sort_unstable();
        bases.dedup();
        assert_eq!(bases.len(), 50, "unique");
        // Sequential codes would sit next to each other; random ones spread over 10^13.
        let closest = bases.windows(2).map(|pair| pair[1] - pair[0]).min().unwrap();
        assert!(closest > 1_000, "codes are guessable from one another: {codes:?}");
        assert!(bases[bases.len() - 1] - bases[0] > 10_u64.pow(11), "{codes:?}");
    }

    #[test]
    fn random_iuv_bases_fit_thirteen_digits() {
        let draws: Vec<u64> = (0..1000).map(|_| random_iuv_base()).collect();
        assert!(draws.iter().all(|base| *base < 10_u64.pow(13)));
        let mut distinct = draws.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), draws.len());
    }
}
