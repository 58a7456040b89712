//! The delegations port. Adapters enforce who may give, revoke and see.

use crate::notice::WriteError;
use async_trait::async_trait;

use super::model::{DelegationsOverview, NewDelegationForm};
use crate::identity::{model::Principal, AccessError};

#[async_trait]
pub trait Delegations: Send + Sync {
    /// Delegations given and received by the signed-in person (the actor).
    async fn overview(&self, principal: &Principal) -> Result<DelegationsOverview, AccessError>;

    /// Validates and stores a delegation from the actor, replacing a live
    /// one to the same person. Returns its id.
    async fn create(&self, principal: &Principal, form: &NewDelegationForm) -> Result<i64, WriteError>;

    /// Ends one of the actor's delegations at once.
    async fn revoke(&self, principal: &Principal, delegation_id: i64) -> Result<(), WriteError>;
}
