//! Writing: how a write transaction starts, and what a refusal by the
//! database means. Each invariant lives in the schema (a unique index, a
//! trigger that raises a named rule); the adapters ask here which one
//! refused a write instead of reading error texts themselves.

use sqlx::{Sqlite, SqlitePool, Transaction};

/// A write transaction on the portal's database.
pub type WriteTx = Transaction<'static, Sqlite>;

/// Starts a write transaction that takes SQLite's write lock at once
/// (`BEGIN IMMEDIATE`): a transaction that reads and then writes never
/// fails half-way because another writer slipped in between, and
/// concurrent writers queue on the busy timeout instead.
pub async fn begin(pool: &SqlitePool) -> Result<WriteTx, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Whether `error` is a unique index refusing a second row with the same
/// `table.column` (as SQLite names it: `bookings.slot_id`).
pub fn violates_unique(error: &sqlx::Error, column: &str) -> bool {
    match error {
        sqlx::Error::Database(db) => db.is_unique_violation() && db.message().contains(column),
        _ => false,
    }
}

/// Whether `error` is a trigger's `RAISE(ABORT, '<rule>')` refusing a
/// write (`doctor_full`, `line_already_dispensed`).
pub fn violates_rule(error: &sqlx::Error, rule: &str) -> bool {
    match error {
        sqlx::Error::Database(db) => db.message() == rule,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pool() -> SqlitePool {
        let pool = SqlitePool::connect("sqlite::memory:").await.expect("in-memory database");
        sqlx::query(
            "CREATE TABLE slot (id INTEGER PRIMARY KEY, taken_by TEXT UNIQUE);
             CREATE TRIGGER full BEFORE INSERT ON slot WHEN NEW.id > 2
               BEGIN SELECT RAISE(ABORT, 'slot_full'); END;",
        )
        .execute(&pool)
        .await
        .expect("schema");
        pool
    }

    #[tokio::test]
    async fn refusals_are_told_apart_by_column_and_by_rule() {
        let pool = pool().await;
        let mut tx = begin(&pool).await.expect("begin");
        sqlx::query("INSERT INTO slot (id, taken_by) VALUES (1, 'a')").execute(&mut *tx).await.expect("first");
        tx.commit().await.expect("commit");
        let twice = sqlx::query("INSERT INTO slot (id, taken_by) VALUES (2, 'a')").execute(&pool).await;
        let twice = twice.expect_err("unique");
        assert!(violates_unique(&twice, "slot.taken_by"));
        assert!(!violates_unique(&twice, "slot.id"));
        assert!(!violates_rule(&twice, "slot_full"));
        let full = sqlx::query("INSERT INTO slot (id, taken_by) VALUES (3, 'b')").execute(&pool).await;
        let full = full.expect_err("trigger");
        assert!(violates_rule(&full, "slot_full"));
        assert!(!violates_unique(&full, "slot.taken_by"));
    }
}
