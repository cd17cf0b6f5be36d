//! Small expression builders whose SQL differs by engine.

use sea_query::{Expr, ExprTrait, Func};

use crate::db::Backend;

/// `COUNT(*)` results, cast to BIGINT on both engines.
#[derive(sqlx::FromRow)]
pub(crate) struct Count {
    pub(crate) n: i64,
}

/// 1-based position of `needle` in `haystack`, 0 when absent: `instr` on SQLite,
/// `strpos` on PostgreSQL (same argument order, same result).
fn position(backend: Backend, haystack: Expr, needle: Expr) -> Expr {
    let name = match backend {
        Backend::Sqlite => "instr",
        Backend::Postgres => "strpos",
    };
    Func::cust(name).arg(haystack).arg(needle).into()
}

/// `haystack` contains `needle` exactly (case-sensitive). A position function rather than
/// LIKE, so `%` and `_` in the needle are plain characters.
pub(crate) fn contains(backend: Backend, haystack: Expr, needle: Expr) -> Expr {
    position(backend, haystack, needle).gt(0)
}

/// `haystack` starts with `needle` (case-sensitive).
pub(crate) fn starts_with(backend: Backend, haystack: Expr, needle: Expr) -> Expr {
    position(backend, haystack, needle).eq(1)
}

/// Case-insensitive substring match. SQLite's `lower` folds ASCII only, PostgreSQL's the
/// whole alphabet; Chinese has no case, so both agree on the text this portal holds.
pub(crate) fn contains_ci(backend: Backend, haystack: Expr, needle: &str) -> Expr {
    let haystack: Expr = Func::lower(haystack).into();
    let needle: Expr = Func::lower(Expr::val(needle.to_owned())).into();
    contains(backend, haystack, needle)
}
