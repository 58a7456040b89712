//! Server function of the inbox; marking as read is a form post
//! (`server/src/notifications/routes.rs`).

use leptos::prelude::*;

use super::model::Inbox;
use crate::identity::AccessError;

#[server(prefix = "/api", endpoint = "inbox")]
pub async fn load_inbox() -> Result<Inbox, AccessError> {
    let principal = crate::identity::principal()?;
    let port = use_context::<std::sync::Arc<dyn super::port::Notifications>>()
        .ok_or_else(|| AccessError::Internal { request_id: principal.request_id.clone() })?;
    port.inbox(&principal).await
}
