//! `/healthz`: the process answers. `/readyz`: it can also reach the
//! database and, with several instances, hear the others' live updates.

use axum::{extract::State, http::StatusCode, routing::get, Router};
use sqlx::AnyPool;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if !state.relay.listening() {
        tracing::warn!("readiness check: live relay not listening");
        return (StatusCode::SERVICE_UNAVAILABLE, "live updates unavailable");
    }
    database_ready(&state.pool).await
}

async fn database_ready(pool: &AnyPool) -> (StatusCode, &'static str) {
    match sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(pool).await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::warn!(%error, "readiness check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn readiness_fails_with_503_when_the_database_is_unreachable() {
        let folder = tempfile::tempdir().expect("folder");
        let pool = crate::db::connect(&format!("sqlite:{}", folder.path().join("probe.db").display()))
            .await
            .expect("database");
        assert_eq!(database_ready(&pool).await.0, StatusCode::OK);

        pool.close().await;

        assert_eq!(database_ready(&pool).await, (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"));
    }
}
