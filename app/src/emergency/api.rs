//! Server function of the public ER board.

use leptos::prelude::*;

use super::model::{ErBoard, ErBoardQuery};
use crate::identity::AccessError;

#[server(prefix = "/api", endpoint = "er-board")]
pub async fn load_er_board(query: ErBoardQuery) -> Result<ErBoard, AccessError> {
    let request_id = use_context::<http::request::Parts>()
        .and_then(|parts| parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string))
        .unwrap_or_default();
    let port = use_context::<std::sync::Arc<dyn super::port::EmergencyBoard>>()
        .ok_or_else(|| AccessError::Internal { request_id: request_id.clone() })?;
    port.board(&query).await.map_err(|error| {
        tracing::error!(%error, "ER board not loaded");
        AccessError::Internal { request_id }
    })
}
