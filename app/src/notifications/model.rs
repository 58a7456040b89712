//! What the inbox shows.

use serde::{Deserialize, Serialize};

/// The newest this many notifications are listed.
pub const INBOX_SIZE: i64 = 100;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub message: String,
    /// Where "Apri" leads (a path of the portal).
    pub link: String,
    /// Rome time, dd/mm/yyyy hh:mm.
    pub created_at_local: String,
    pub read: bool,
    /// Set when it is for a minor child: the child's name.
    pub for_child: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub notifications: Vec<Notification>,
    pub unread: i64,
}
