//! Writing: how a write transaction starts, how a transaction waits its
//! turn for one key, and which of the schema's rules refused a write.
//! Each invariant lives in the schema (a unique index, a trigger that
//! raises a named rule, a row lock taken by a trigger); the adapters ask
//! here by the rule's name ([`super::rules`]) instead of reading error
//! texts themselves. docs/DATABASE.md says which mechanism holds each
//! invariant on each backend.

use sqlx::{Any, AnyConnection, Transaction};

use super::{Backend, Pool, Rule};

/// A write transaction on the portal's database.
pub type WriteTx = Transaction<'static, Any>;

/// Starts a write transaction.
///
/// SQLite: `BEGIN IMMEDIATE` takes the single write lock at once, so a
/// transaction that reads and then writes never fails half-way because
/// another writer slipped in between; concurrent writers queue on the busy
/// timeout. PostgreSQL: READ COMMITTED, its default; what two transactions
/// must not both do is held by a constraint, a trigger's row lock or
/// [`serialize_on`].
pub async fn begin(pool: &Pool) -> Result<WriteTx, sqlx::Error> {
    match Backend::of(pool) {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => pool.begin().await,
    }
}

/// Makes every transaction that calls this with the same `key` wait for
/// the others to finish first (a count-then-insert limit, a read-then-write
/// of one person's row that no constraint covers). SQLite's single writer
/// already does that for every write transaction; PostgreSQL takes a
/// transaction-scoped advisory lock on the key's hash.
pub async fn serialize_on(tx: &mut AnyConnection, key: &str) -> Result<(), sqlx::Error> {
    if tx.backend_name().to_ascii_lowercase().contains("postgres") {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))").bind(key).execute(&mut *tx).await?;
    }
    Ok(())
}

/// Whether `error` is the schema refusing a write by `rule`.
///
/// PostgreSQL names the violated constraint (a unique index, or a trigger
/// raising with `CONSTRAINT = '<name>'`). SQLite names a unique index's
/// columns (`UNIQUE constraint failed: bookings.slot_id`) and a trigger's
/// `RAISE(ABORT, '<name>')` by its message.
pub fn refused_by(error: &sqlx::Error, rule: Rule) -> bool {
    let sqlx::Error::Database(db) = error else {
        return false;
    };
    if let Some(constraint) = db.constraint() {
        return constraint == rule.name;
    }
    match rule.sqlite_unique {
        Some(columns) => {
            db.is_unique_violation() && db.message().strip_prefix("UNIQUE constraint failed: ") == Some(columns)
        }
        None => db.message() == rule.name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAKEN: Rule = Rule::unique("slot_taken_by_once", "slot.taken_by");
    const FULL: Rule = Rule::raised("slot_full");

    async fn pool() -> Pool {
        crate::db::install_drivers();
        let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect("sqlite::memory:").await.expect("db");
        sqlx::raw_sql(
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
    async fn refusals_are_told_apart_by_rule() {
        let pool = pool().await;
        let mut tx = begin(&pool).await.expect("begin");
        sqlx::query("INSERT INTO slot (id, taken_by) VALUES (1, 'a')").execute(&mut *tx).await.expect("first");
        serialize_on(&mut tx, "slot 1").await.expect("no-op on SQLite");
        tx.commit().await.expect("commit");
        let twice = sqlx::query("INSERT INTO slot (id, taken_by) VALUES (2, 'a')").execute(&pool).await;
        let twice = twice.expect_err("unique");
        assert!(refused_by(&twice, TAKEN));
        assert!(!refused_by(&twice, Rule::unique("slot_id", "slot.id")));
        assert!(!refused_by(&twice, FULL));
        let full = sqlx::query("INSERT INTO slot (id, taken_by) VALUES (3, 'b')").execute(&pool).await;
        let full = full.expect_err("trigger");
        assert!(refused_by(&full, FULL));
        assert!(!refused_by(&full, TAKEN));
    }
}
