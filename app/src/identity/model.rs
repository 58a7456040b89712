//! Who is using the portal and on whose behalf: the types every service
//! port receives, shared by server and browser.

use serde::{Deserialize, Serialize};

/// What a signed-in person is, from the identity provider's role claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Citizen,
    Pharmacist,
    HospitalOperator,
    /// The region's prevention office: aggregate figures only.
    RegionOperator,
}

impl Role {
    /// Reads the provider's `role` claim; a missing claim means a citizen
    /// (SPID/CIE identities carry no role).
    pub fn from_claim(claim: Option<&str>) -> Option<Role> {
        match claim {
            None | Some("citizen") => Some(Role::Citizen),
            Some("pharmacist") => Some(Role::Pharmacist),
            Some("hospital_operator") => Some(Role::HospitalOperator),
            Some("region_operator") => Some(Role::RegionOperator),
            Some(_) => None,
        }
    }
}

/// The health services a person may delegate, one per capability that
/// holds personal health data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Capability {
    Fascicolo,
    Prenotazioni,
    Pagamenti,
    Vaccinazioni,
    Screening,
    Medico,
    Ricette,
    Interventi,
    Accessi,
}

impl Capability {
    pub const ALL: [Capability; 9] = [
        Capability::Fascicolo,
        Capability::Prenotazioni,
        Capability::Pagamenti,
        Capability::Vaccinazioni,
        Capability::Screening,
        Capability::Medico,
        Capability::Ricette,
        Capability::Interventi,
        Capability::Accessi,
    ];

    /// Stable code, stored in the database and used in forms.
    pub fn slug(self) -> &'static str {
        match self {
            Capability::Fascicolo => "fascicolo",
            Capability::Prenotazioni => "prenotazioni",
            Capability::Pagamenti => "pagamenti",
            Capability::Vaccinazioni => "vaccinazioni",
            Capability::Screening => "screening",
            Capability::Medico => "medico",
            Capability::Ricette => "ricette",
            Capability::Interventi => "interventi",
            Capability::Accessi => "accessi",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Capability> {
        Capability::ALL.into_iter().find(|capability| capability.slug() == slug)
    }

    /// `"fascicolo,ricette"` → capabilities; unknown codes are dropped.
    pub fn parse_list(list: &str) -> Vec<Capability> {
        list.split(',').filter_map(|slug| Capability::from_slug(slug.trim())).collect()
    }

    /// Capabilities → `"fascicolo,ricette"` (stable order, no repeats).
    pub fn join(capabilities: &[Capability]) -> String {
        Capability::ALL
            .into_iter()
            .filter(|capability| capabilities.contains(capability))
            .map(Capability::slug)
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// A person as the portal names them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub fiscal_code: String,
    pub given_name: String,
    pub family_name: String,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// Why the actor may see the subject's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Relation {
    /// The actor is the subject.
    Own,
    /// The actor is a parent of the subject, a minor.
    Parent,
    /// The subject delegated the actor, for these capabilities.
    Delegate { delegation_id: i64, scopes: Vec<Capability> },
}

/// Who acts, on whose behalf, from where: every port call carries one, and
/// the server adapters decide with it. Built by the server for each request
/// from the session and the registry, never from what the browser sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub actor: Person,
    pub role: Role,
    /// Pharmacists only: the pharmacy they work for.
    pub pharmacy_id: Option<String>,
    pub subject: Person,
    pub relation: Relation,
    /// Client address and request id, for the audit log.
    pub ip: String,
    pub request_id: String,
}

impl Principal {
    /// Whether the actor may use `capability` for the subject.
    pub fn may(&self, capability: Capability) -> bool {
        match &self.relation {
            Relation::Own | Relation::Parent => true,
            Relation::Delegate { scopes, .. } => scopes.contains(&capability),
        }
    }

    pub fn acts_for_self(&self) -> bool {
        self.relation == Relation::Own
    }
}

/// Someone the signed-in person may act for, as offered in the header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActingOption {
    pub person: Person,
    pub kind: ActingKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActingKind {
    Myself,
    Child,
    Delegator,
}

/// What the server learnt about the visitor of this request; the header
/// and the pages read it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestIdentity {
    /// Present when signed in.
    pub principal: Option<Principal>,
    /// Whom the signed-in person may act for (first: themselves).
    pub acting_options: Vec<ActingOption>,
    /// The request carried a session that timed out.
    pub session_expired: bool,
    pub notice: Option<crate::notice::Notice>,
    /// Unread notifications of the signed-in person and their minor children.
    pub unread_notifications: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(relation: Relation) -> Principal {
        let person =
            Person { fiscal_code: "RSSMRA80A01D969X".into(), given_name: "Mario".into(), family_name: "Rossi".into() };
        Principal {
            actor: person.clone(),
            role: Role::Citizen,
            pharmacy_id: None,
            subject: person,
            relation,
            ip: "127.0.0.1".into(),
            request_id: "r".into(),
        }
    }

    #[test]
    fn a_delegate_may_use_only_the_delegated_capabilities() {
        let delegate = principal(Relation::Delegate { delegation_id: 1, scopes: vec![Capability::Fascicolo] });
        assert!(delegate.may(Capability::Fascicolo));
        assert!(!delegate.may(Capability::Accessi));
        assert!(!delegate.acts_for_self());
    }

    #[test]
    fn a_person_and_a_parent_may_use_everything() {
        for relation in [Relation::Own, Relation::Parent] {
            let principal = principal(relation);
            assert!(Capability::ALL.into_iter().all(|capability| principal.may(capability)));
        }
    }

    #[test]
    fn capability_lists_round_trip_and_drop_unknown_codes() {
        let list = Capability::parse_list("ricette, fascicolo,nonesiste");
        assert_eq!(list, vec![Capability::Ricette, Capability::Fascicolo]);
        assert_eq!(Capability::join(&list), "fascicolo,ricette");
    }

    #[test]
    fn unknown_roles_are_refused_and_a_missing_one_is_a_citizen() {
        assert_eq!(Role::from_claim(None), Some(Role::Citizen));
        assert_eq!(Role::from_claim(Some("pharmacist")), Some(Role::Pharmacist));
        assert_eq!(Role::from_claim(Some("admin")), None);
    }
}
