//! What a failed query means for the person asking: the database out of
//! reach (503 — try again in a few minutes, nothing is lost) or a fault of
//! ours (500 with the request id). The cause goes to the logs only.

use app::identity::{model::Principal, AccessError};

/// Whether `error` means the database cannot be reached right now (down,
/// restarting, network cut, every connection busy) rather than a fault in
/// a query.
pub fn is_unreachable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        // PostgreSQL: class 08 (connection exception), administrator
        // shutdown, crash shutdown, cannot connect now; SQLite: still busy
        // after the busy timeout.
        sqlx::Error::Database(database) => database
            .code()
            .is_some_and(|code| code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03" | "5")),
        _ => false,
    }
}

/// The refusal a port answers with when a query about `what` failed.
pub fn query_failed(principal: &Principal, what: &str, error: sqlx::Error) -> AccessError {
    let request_id = principal.request_id.clone();
    if is_unreachable(&error) {
        tracing::warn!(%error, what, "database unreachable");
        AccessError::Unavailable { request_id }
    } else {
        tracing::error!(%error, what, "query failed");
        AccessError::Internal { request_id }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_connection_is_unavailable_and_a_bad_query_is_internal() {
        assert!(is_unreachable(&sqlx::Error::PoolTimedOut));
        assert!(is_unreachable(&sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionReset))));
        assert!(!is_unreachable(&sqlx::Error::RowNotFound));
        assert!(!is_unreachable(&sqlx::Error::ColumnNotFound("x".into())));
    }
}
