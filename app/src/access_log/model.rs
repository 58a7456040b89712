//! Entries of the audit log and the filters of the page that lists them.

use serde::{Deserialize, Serialize};

use crate::identity::model::{Principal, Relation, Role};

/// What was done with the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessAction {
    Read,
    Write,
    /// Attempted and refused (no consent, no delegation for it, …).
    Refused,
}

impl AccessAction {
    pub fn code(self) -> &'static str {
        match self {
            AccessAction::Read => "read",
            AccessAction::Write => "write",
            AccessAction::Refused => "refused",
        }
    }

    pub fn from_code(code: &str) -> Option<AccessAction> {
        [AccessAction::Read, AccessAction::Write, AccessAction::Refused].into_iter().find(|a| a.code() == code)
    }
}

/// In which capacity the actor reached the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActorRole {
    /// The person themselves.
    Myself,
    Parent,
    Delegate,
    Pharmacist,
    Operator,
    /// A person the patient authorised to follow an operation.
    Family,
}

impl ActorRole {
    pub const ALL: [ActorRole; 6] = [
        ActorRole::Myself,
        ActorRole::Parent,
        ActorRole::Delegate,
        ActorRole::Pharmacist,
        ActorRole::Operator,
        ActorRole::Family,
    ];

    /// How `principal` reaches its subject's data. A citizen on someone
    /// else's data with neither guardianship nor delegation is there by
    /// that person's own authorisation (following their operation).
    pub fn of(principal: &Principal) -> ActorRole {
        match (principal.role, &principal.relation) {
            (Role::Pharmacist, _) => ActorRole::Pharmacist,
            (Role::HospitalOperator | Role::RegionOperator, _) => ActorRole::Operator,
            (Role::Citizen, Relation::Own) if principal.actor.fiscal_code != principal.subject.fiscal_code => {
                ActorRole::Family
            }
            (Role::Citizen, Relation::Own) => ActorRole::Myself,
            (Role::Citizen, Relation::Parent) => ActorRole::Parent,
            (Role::Citizen, Relation::Delegate { .. }) => ActorRole::Delegate,
        }
    }

    /// Stored code (see the `audit_log.actor_role` check constraint).
    pub fn code(self) -> &'static str {
        match self {
            ActorRole::Myself => "self",
            ActorRole::Parent => "parent",
            ActorRole::Delegate => "delegate",
            ActorRole::Pharmacist => "pharmacist",
            ActorRole::Operator => "operator",
            ActorRole::Family => "family",
        }
    }

    pub fn from_code(code: &str) -> Option<ActorRole> {
        ActorRole::ALL.into_iter().find(|role| role.code() == code)
    }
}

/// One line of the audit log, as shown to the person whose data it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    pub id: i64,
    /// Local time in Europe/Rome, `dd/mm/yyyy hh:mm`.
    pub at_local: String,
    /// Machine-readable instant (UTC, RFC 3339) for `<time datetime>`.
    pub at_utc: String,
    pub actor_name: String,
    pub actor_fiscal_code: String,
    pub actor_role: ActorRole,
    /// Capability slug (`fascicolo`, `ricette`, …).
    pub capability: String,
    pub action: AccessAction,
    pub record_id: Option<String>,
    pub ip: String,
}

/// Whose accesses to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum WhoFilter {
    #[default]
    Everyone,
    /// Everyone but the person themselves: delegates, parents, pharmacists.
    Others,
    Myself,
}

impl WhoFilter {
    pub const ALL: [WhoFilter; 3] = [WhoFilter::Everyone, WhoFilter::Others, WhoFilter::Myself];

    pub fn code(self) -> &'static str {
        match self {
            WhoFilter::Everyone => "tutti",
            WhoFilter::Others => "altri",
            WhoFilter::Myself => "io",
        }
    }

    pub fn from_code(code: &str) -> WhoFilter {
        WhoFilter::ALL.into_iter().find(|who| who.code() == code).unwrap_or_default()
    }
}

/// Filters of the access-log page (query string of a GET form).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessFilter {
    /// First day, `YYYY-MM-DD` (Europe/Rome), inclusive.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (Europe/Rome), inclusive.
    pub to: Option<String>,
    pub who: WhoFilter,
    /// Capability slug, or none for all.
    pub capability: Option<String>,
}

/// Most entries one page shows (newest first).
pub const ACCESS_PAGE_SIZE: u32 = 200;

/// A `YYYY-MM-DD` date as typed in a date field; anything else is ignored.
pub fn valid_day(value: &str) -> Option<String> {
    let bytes = value.trim().as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
    if !shape_ok {
        return None;
    }
    let text = value.trim();
    let month: u32 = text[5..7].parse().ok()?;
    let day: u32 = text[8..10].parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_days_pass() {
        assert_eq!(valid_day("2026-11-23"), Some("2026-11-23".into()));
        assert_eq!(valid_day(" 2026-01-01 "), Some("2026-01-01".into()));
        for bad in ["", "23/11/2026", "2026-13-01", "2026-00-10", "2026-1-1", "2026-11-32", "'; DROP"] {
            assert_eq!(valid_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for role in ActorRole::ALL {
            assert_eq!(ActorRole::from_code(role.code()), Some(role));
        }
        for who in WhoFilter::ALL {
            assert_eq!(WhoFilter::from_code(who.code()), who);
        }
        assert_eq!(WhoFilter::from_code("boh"), WhoFilter::Everyone);
    }
}
