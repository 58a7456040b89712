//! What the payment pages show. Amounts are integer cents.

use serde::{Deserialize, Serialize};

use crate::domain::income_exemption::IncomeExemption;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PositionStatus {
    /// To pay.
    Payable,
    /// A checkout is open at the provider; its outcome has not arrived yet.
    Pending,
    Paid,
    /// The booking was cancelled before payment: nothing is due.
    Cancelled,
}

impl PositionStatus {
    pub fn from_db(status: &str) -> PositionStatus {
        match status {
            "pending" => PositionStatus::Pending,
            "paid" => PositionStatus::Paid,
            "cancelled" => PositionStatus::Cancelled,
            _ => PositionStatus::Payable,
        }
    }
}

/// A payment position (debt) towards an ASL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub id: i64,
    pub creditor: String,
    pub creditor_fiscal_code: String,
    pub reason: String,
    pub amount_cents: i64,
    /// YYYY-MM-DD.
    pub due_on: String,
    pub notice_code: String,
    pub iuv: String,
    pub status: PositionStatus,
    /// Rome time, dd/mm/yyyy hh:mm, when paid.
    pub paid_at_local: Option<String>,
    pub booking_code: Option<String>,
    /// The notice's QR code as SVG markup (made by the server).
    pub qr_svg: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyPayments {
    pub to_pay: Vec<Position>,
    pub pending: Vec<Position>,
    pub paid: Vec<Position>,
}

/// A paper notice typed by hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeLookup {
    /// Nothing typed yet.
    Empty,
    BadNoticeCode,
    BadCreditor,
    NotFound,
    /// Too many look-ups by this person in a few minutes (HTTP 429).
    TooManyLookups,
    /// For anyone but the debtor: a neutral reason and no booking.
    Found(Box<Position>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckoutStatus {
    Pending,
    Paid,
    Failed,
    Cancelled,
    /// The provider let the checkout lapse without a payment.
    Expired,
}

impl CheckoutStatus {
    pub fn from_db(status: &str) -> CheckoutStatus {
        match status {
            "paid" => CheckoutStatus::Paid,
            "failed" => CheckoutStatus::Failed,
            "cancelled" => CheckoutStatus::Cancelled,
            "expired" => CheckoutStatus::Expired,
            _ => CheckoutStatus::Pending,
        }
    }

    pub fn as_db(self) -> &'static str {
        match self {
            CheckoutStatus::Pending => "pending",
            CheckoutStatus::Paid => "paid",
            CheckoutStatus::Failed => "failed",
            CheckoutStatus::Cancelled => "cancelled",
            CheckoutStatus::Expired => "expired",
        }
    }
}

/// The page the provider sends the browser back to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutView {
    pub id: String,
    pub status: CheckoutStatus,
    pub total_cents: i64,
    pub positions: Vec<Position>,
}

/// A self-certification of an income exemption.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    pub id: i64,
    pub code: String,
    pub valid_from: String,
    pub valid_until: String,
    /// Name of who declared it (the person or a parent).
    pub declared_by: String,
    pub declared_at_local: String,
    pub withdrawn_at_local: Option<String>,
    /// Valid today and not withdrawn.
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomeExemptions {
    pub age: u32,
    /// Exemptions in the regional registry valid today (code, until).
    pub registry: Vec<(String, Option<String>)>,
    pub declarations: Vec<Declaration>,
    /// The codes the portal would accept today (E01 depends on age).
    pub allowed: Vec<IncomeExemption>,
    /// Only the person, or a parent for a child, may declare or withdraw.
    pub can_change: bool,
    /// Valid until this day if declared today.
    pub valid_until_if_declared: String,
}
