//! Form posts of the inbox: open (mark read, then go), mark read, mark all.

use std::sync::Arc;

use app::notifications::forms::{MARK_ALL_READ, MARK_READ, OPEN_NOTIFICATION};
use app::notifications::port::Notifications;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
    routing::post,
    Router,
};

use crate::identity::extract::SignedIn;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(OPEN_NOTIFICATION, post(open))
        .route(MARK_READ, post(mark_read))
        .route(MARK_ALL_READ, post(mark_all_read))
}

async fn open(
    State(port): State<Arc<dyn Notifications>>,
    SignedIn(principal): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match port.mark_read(&principal, id).await {
        Ok(link) => Redirect::to(&link).into_response(),
        Err(_) => Redirect::to("/notifiche").into_response(),
    }
}

async fn mark_read(
    State(port): State<Arc<dyn Notifications>>,
    SignedIn(principal): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    if let Err(error) = port.mark_read(&principal, id).await {
        tracing::info!(?error, id, "notification not marked read");
    }
    Redirect::to("/notifiche").into_response()
}

async fn mark_all_read(State(port): State<Arc<dyn Notifications>>, SignedIn(principal): SignedIn) -> Response {
    if let Err(error) = port.mark_all_read(&principal).await {
        tracing::warn!(?error, "notifications not marked read");
    }
    Redirect::to("/notifiche").into_response()
}
