//! The inbox's form posts, shared by the page and the handlers.

/// Opens the notification `{id}` (marks it read and goes to its page).
pub const OPEN_NOTIFICATION: &str = "/notifiche/{id}/apri";
/// Marks the notification `{id}` read.
pub const MARK_READ: &str = "/notifiche/{id}/letta";
/// Marks every notification read.
pub const MARK_ALL_READ: &str = "/notifiche/lette";
