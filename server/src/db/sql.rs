//! What sqlx's `Any` driver does not give for free: SQL built piece by
//! piece with `$n` parameters on both backends ([`SqlBuilder`]; sqlx's own
//! `QueryBuilder<Any>` writes `?`, which PostgreSQL refuses), and a yes/no
//! column read the same from SQLite's 0/1 and PostgreSQL's booleans
//! ([`Flag`]).

use std::fmt::Write;

use sqlx::{
    any::{AnyArguments, AnyRow, AnyTypeInfo, AnyTypeInfoKind, AnyValueRef},
    error::BoxDynError,
    query::{Query, QueryAs, QueryScalar},
    Any, Arguments, Decode, Encode, FromRow, Type,
};

/// SQL text with its bound values, numbered `$1`, `$2`, … as they are pushed.
pub struct SqlBuilder<'args> {
    sql: String,
    arguments: AnyArguments<'args>,
    bound: usize,
}

impl<'args> SqlBuilder<'args> {
    pub fn new(sql: impl Into<String>) -> Self {
        SqlBuilder { sql: sql.into(), arguments: AnyArguments::default(), bound: 0 }
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: impl std::fmt::Display) -> &mut Self {
        write!(self.sql, "{sql}").expect("writing to a String");
        self
    }

    /// Appends the next parameter and binds `value` to it.
    pub fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'args + Encode<'args, Any> + Type<Any>,
    {
        self.arguments.add(value).expect("every value the portal binds encodes");
        self.bound += 1;
        write!(self.sql, "${}", self.bound).expect("writing to a String");
        self
    }

    /// The SQL text so far.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    pub fn build<'q>(&'q mut self) -> Query<'q, Any, AnyArguments<'q>>
    where
        'args: 'q,
    {
        let arguments: AnyArguments<'q> = std::mem::take(&mut self.arguments);
        sqlx::query_with(&self.sql, arguments)
    }

    pub fn build_query_as<'q, T>(&'q mut self) -> QueryAs<'q, Any, T, AnyArguments<'q>>
    where
        'args: 'q,
        T: for<'r> FromRow<'r, AnyRow>,
    {
        let arguments: AnyArguments<'q> = std::mem::take(&mut self.arguments);
        sqlx::query_as_with(&self.sql, arguments)
    }

    pub fn build_query_scalar<'q, T>(&'q mut self) -> QueryScalar<'q, Any, T, AnyArguments<'q>>
    where
        'args: 'q,
        (T,): for<'r> FromRow<'r, AnyRow>,
    {
        let arguments: AnyArguments<'q> = std::mem::take(&mut self.arguments);
        sqlx::query_scalar_with(&self.sql, arguments)
    }
}

/// A yes/no column: SQLite's `INTEGER` 0/1 or an expression's integer,
/// PostgreSQL's `BOOLEAN` (the schemas keep flags as 0/1 integers on both,
/// but `EXISTS (…)` and comparisons are booleans on PostgreSQL).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <bool as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        matches!(
            ty.kind(),
            AnyTypeInfoKind::Bool | AnyTypeInfoKind::SmallInt | AnyTypeInfoKind::Integer | AnyTypeInfoKind::BigInt
        )
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        match <bool as Decode<Any>>::decode(value.clone()) {
            Ok(flag) => Ok(Flag(flag)),
            Err(_) => Ok(Flag(<i64 as Decode<Any>>::decode(value)? != 0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn parameters_are_numbered_and_flags_read_from_integers() {
        crate::db::install_drivers();
        let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect("sqlite::memory:").await.expect("db");
        let mut sql = SqlBuilder::new("SELECT ");
        sql.push_bind(2_i64).push(" + ").push_bind(3_i64).push(", ").push_bind("x").push(" = 'x', 0");
        assert_eq!(sql.sql(), "SELECT $1 + $2, $3 = 'x', 0");
        let (sum, yes, no): (i64, Flag, Flag) = sql.build_query_as().fetch_one(&pool).await.expect("row");
        assert_eq!((sum, yes, no), (5, Flag(true), Flag(false)));
    }
}
