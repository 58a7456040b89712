//! The delegations' form posts, shared by the page and the handlers. The
//! new-delegation form repeats `scopes` (one per ticked service), so the
//! server reads it field by field into [`NewDelegationForm`].

use super::model::NewDelegationForm;

/// Gives a new delegation.
pub const GIVE_DELEGATION: &str = "/deleghe";
/// Revokes the delegation `{id}`.
pub const REVOKE_DELEGATION: &str = "/deleghe/{id}/revoca";

impl NewDelegationForm {
    pub const DELEGATE: &'static str = "delegate";
    pub const DELEGATE_GIVEN_NAME: &'static str = "delegate_given_name";
    pub const DELEGATE_FAMILY_NAME: &'static str = "delegate_family_name";
    /// Repeated, one per service.
    pub const SCOPES: &'static str = "scopes";
    pub const VALID_UNTIL: &'static str = "valid_until";
}
