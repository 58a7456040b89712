//! Server functions of the access-log page.

use leptos::prelude::*;

use super::model::{AccessEntry, AccessFilter};
use crate::identity::AccessError;

/// The accesses to the data of the person the caller acts for.
#[server(prefix = "/api", endpoint = "accesses")]
pub async fn list_accesses(filter: AccessFilter) -> Result<Vec<AccessEntry>, AccessError> {
    use super::port::AccessLog;
    use std::sync::Arc;

    let principal = crate::identity::principal()?;
    let log = use_context::<Arc<dyn AccessLog>>()
        .ok_or_else(|| AccessError::Internal { request_id: principal.request_id.clone() })?;
    log.list(&principal, &filter).await
}
