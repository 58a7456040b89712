//! Batched multi-row INSERTs: one statement per few hundred rows keeps
//! regional-scale generation to minutes instead of hours.

use sqlx::AnyConnection;

use crate::db::SqlBuilder;

/// Parameters per statement. SQLite reads `$n` parameters as names and
/// looks each one up among those before it, so a statement's parse time
/// grows with the square of its parameters: a thousand keeps it negligible
/// (30 000 made seeding the demo region five times slower).
const MAX_PARAMETERS: usize = 1_000;

/// A value bound into a batch.
#[derive(Clone, Debug)]
pub enum Value {
    Int(i64),
    Real(f64),
    Text(String),
    Null,
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Value::Int(value)
    }
}
impl From<f64> for Value {
    fn from(value: f64) -> Self {
        Value::Real(value)
    }
}
impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::Text(value.to_string())
    }
}
impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::Text(value)
    }
}
impl From<Option<String>> for Value {
    fn from(value: Option<String>) -> Self {
        value.map_or(Value::Null, Value::Text)
    }
}
impl From<Option<&str>> for Value {
    fn from(value: Option<&str>) -> Self {
        value.map_or(Value::Null, Value::from)
    }
}

/// Inserts `rows` into `table(columns)` in as few statements as the
/// parameter limit allows. Returns the number of rows written.
pub async fn insert_rows(
    connection: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: impl IntoIterator<Item = Vec<Value>>,
) -> Result<u64, sqlx::Error> {
    let rows_per_statement = (MAX_PARAMETERS / columns.len()).max(1);
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(rows_per_statement);
    let mut written = 0;
    for row in rows {
        batch.push(row);
        if batch.len() == rows_per_statement {
            written += flush(connection, table, columns, &mut batch).await?;
        }
    }
    written += flush(connection, table, columns, &mut batch).await?;
    Ok(written)
}

async fn flush(
    connection: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    batch: &mut Vec<Vec<Value>>,
) -> Result<u64, sqlx::Error> {
    if batch.is_empty() {
        return Ok(0);
    }
    let mut builder = SqlBuilder::new(format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")));
    for (index, values) in batch.drain(..).enumerate() {
        builder.push(if index == 0 { "(" } else { ", (" });
        for (column, value) in values.into_iter().enumerate() {
            if column > 0 {
                builder.push(", ");
            }
            match value {
                Value::Int(v) => builder.push_bind(v),
                Value::Real(v) => builder.push_bind(v),
                Value::Text(v) => builder.push_bind(v),
                Value::Null => builder.push_bind(None::<String>),
            };
        }
        builder.push(")");
    }
    Ok(builder.build().execute(connection).await?.rows_affected())
}

/// Builds a row from heterogeneous values: `row![a, b, c]`.
macro_rules! row {
    ($($value:expr),* $(,)?) => { vec![$($crate::demo::insert::Value::from($value)),*] };
}
pub(crate) use row;
