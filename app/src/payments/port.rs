//! The payments port: positions and receipts of the subject, checkout at
//! the payment provider (pagoPA, or the sandbox), income exemptions.

use crate::notice::WriteError;
use async_trait::async_trait;

use super::model::{CheckoutView, IncomeExemptions, MyPayments, NoticeLookup};
use crate::domain::income_exemption::IncomeExemption;
use crate::identity::{model::Principal, AccessError};

/// A paid position's receipt, for the PDF.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub receipt_id: String,
    pub creditor: String,
    pub creditor_fiscal_code: String,
    /// Name and fiscal code of whom the ticket was for: only on the
    /// debtor's own receipt (the payer of someone else's notice gets the
    /// proof of their payment, not the debtor's identity).
    pub debtor: Option<(String, String)>,
    pub payer_name: String,
    pub payer_fiscal_code: String,
    pub reason: String,
    pub amount_cents: i64,
    pub notice_code: String,
    pub iuv: String,
    pub psp: String,
    pub paid_at_local: String,
}

#[async_trait]
pub trait Payments: Send + Sync {
    /// The subject's positions: to pay, waiting for an outcome, paid.
    async fn mine(&self, principal: &Principal) -> Result<MyPayments, AccessError>;

    /// A paper notice by notice code and creditor fiscal code: in full for
    /// its debtor, as a pagoPA point shows it for anyone else (a neutral
    /// reason, no booking); look-ups are limited per person and those that
    /// find a notice are on the debtor's access log.
    async fn find_notice(
        &self,
        principal: &Principal,
        notice_code: &str,
        creditor_fiscal_code: &str,
    ) -> Result<NoticeLookup, AccessError>;

    /// Opens a checkout for these positions; returns where to send the browser.
    async fn start_checkout(&self, principal: &Principal, position_ids: &[i64]) -> Result<String, WriteError>;

    /// Opens a checkout for a paper notice (anyone may pay a notice whose
    /// two codes they have, as at any pagoPA point).
    async fn start_notice_checkout(
        &self,
        principal: &Principal,
        notice_code: &str,
        creditor_fiscal_code: &str,
    ) -> Result<String, WriteError>;

    /// A checkout the actor started, settled with the provider if still open.
    async fn checkout(&self, principal: &Principal, checkout_id: &str) -> Result<CheckoutView, AccessError>;

    /// The receipt of a paid position of the subject (or paid by the actor).
    async fn receipt(&self, principal: &Principal, notice_code: &str) -> Result<Receipt, AccessError>;

    async fn income_exemptions(&self, principal: &Principal) -> Result<IncomeExemptions, AccessError>;

    async fn declare_income_exemption(
        &self,
        principal: &Principal,
        exemption: IncomeExemption,
    ) -> Result<(), WriteError>;

    async fn withdraw_income_exemption(&self, principal: &Principal, declaration_id: i64) -> Result<(), WriteError>;
}
