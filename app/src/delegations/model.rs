//! Delegations as shown to the person who gave or received them.

use serde::{Deserialize, Serialize};

use crate::identity::model::Capability;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DelegationStatus {
    Active,
    Expired,
    Revoked,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegation {
    pub id: i64,
    pub delegator_fiscal_code: String,
    pub delegator_name: String,
    pub delegate_fiscal_code: String,
    /// The registry's name of the delegate (the delegator typed it, and it
    /// matched, when giving the delegation).
    pub delegate_name: Option<String>,
    pub scopes: Vec<Capability>,
    /// Last valid day, `YYYY-MM-DD`.
    pub valid_until: String,
    pub status: DelegationStatus,
}

/// Both sides of the signed-in person's delegations.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegationsOverview {
    pub given: Vec<Delegation>,
    pub received: Vec<Delegation>,
    /// Only a person acting for themselves gives or revokes delegations.
    pub may_manage: bool,
    /// Default and bounds of the "valid until" field, `YYYY-MM-DD`.
    pub default_until: String,
    pub min_until: String,
    pub max_until: String,
}

/// What the "new delegation" form sends. The delegate's first and last
/// name are typed by the delegator and checked against the registry: the
/// portal never shows whose a fiscal code is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDelegationForm {
    pub delegate: String,
    pub delegate_given_name: String,
    pub delegate_family_name: String,
    pub scopes: Vec<String>,
    pub valid_until: String,
}
