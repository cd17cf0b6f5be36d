//! A row query resolved against the live table, and the statements that read it.
//!
//! Order: by the sort field when there is one, ties broken by `_id` (row number) in the
//! same direction, and rows without a value LAST in both directions (people sorting want
//! values first), themselves by `_id` in the sort's direction; by `_id` alone otherwise.
//! Descending is thus the exact reverse of ascending, nulls aside.
//!
//! A sorted page is read in two steps — rows with a value, then, if the page is not full,
//! rows without — so that each step walks the `(column, _id)` index forwards or backwards
//! on both engines (a single `NULLS LAST` order cannot use it in one of the directions).
//! Keyset paging continues after the last row's (value, `_id`).

use kaifang_domain::FieldType;
use kaifang_tabular::Value;
use sea_query::{Asterisk, Expr, ExprTrait, Func, NullOrdering, Order, Query, SelectStatement};

use super::convert::to_sql;
use super::ddl::{ID, Name};
use super::filter::{self, Column, Search};
use super::keyset;
use super::query::LiveTable;
use crate::StoreError;
use crate::db::Backend;
use crate::rows::{RowQuery, SortOrder};

/// A row query resolved against the live table.
pub(crate) struct Plan {
    pub(crate) backend: Backend,
    pub(crate) table: String,
    pub(crate) outputs: Vec<Column>,
    pub(crate) sort: Option<(Column, SortOrder)>,
    pub(crate) filter: filter::Where,
    pub(crate) has_filters: bool,
}

impl Plan {
    /// `search` is the query's `_q` as this table answers it (`query::search`).
    pub(crate) fn new(
        backend: Backend,
        live: &LiveTable,
        query: &RowQuery,
        search: &Search,
    ) -> Result<Self, StoreError> {
        let outputs = match &query.fields {
            Some(fields) => fields
                .iter()
                .map(|f| Column::resolve(&live.schema, f, "_fields"))
                .collect::<Result<Vec<_>, _>>()?,
            None => live
                .schema
                .fields
                .iter()
                .enumerate()
                .map(|(position, f)| Column {
                    name: f.name.clone(),
                    position,
                    field_type: f.field_type,
                })
                .collect(),
        };
        let sort = match &query.sort {
            Some((name, order)) => {
                let parameter = match order {
                    SortOrder::Asc => "_sort",
                    SortOrder::Desc => "_sort_desc",
                };
                Some((Column::resolve(&live.schema, name, parameter)?, *order))
            }
            None => None,
        };
        let filter = filter::build(backend, &live.schema, &live.table, &query.filters, search)?;
        Ok(Self {
            backend,
            table: live.table.clone(),
            outputs,
            sort,
            has_filters: !query.filters.is_empty() || !search.is_nothing(),
            filter,
        })
    }

    pub(crate) fn sort_key(&self) -> keyset::SortKey<'_> {
        self.sort
            .as_ref()
            .map(|(c, order)| (c.name.as_str(), c.field_type, *order))
    }

    /// Columns worth an index: those filtered on and the sort column.
    pub(crate) fn indexed(&self) -> impl Iterator<Item = usize> + '_ {
        self.filter
            .filtered
            .iter()
            .copied()
            .chain(self.sort.iter().map(|(c, _)| c.position))
    }

    fn base(&self) -> SelectStatement {
        Query::select()
            .from(Name(self.table.clone()))
            .cond_where(self.filter.condition.clone())
            .to_owned()
    }

    pub(crate) fn count_statement(&self) -> SelectStatement {
        self.base()
            .expr_as(Func::count(Expr::col(Asterisk)).cast_as("BIGINT"), "n")
            .to_owned()
    }

    fn direction(&self) -> Order {
        match &self.sort {
            Some((_, SortOrder::Desc)) => Order::Desc,
            _ => Order::Asc,
        }
    }

    /// The whole order in one clause, for streams (which read every row anyway).
    pub(crate) fn ordered(&self, mut stmt: SelectStatement) -> SelectStatement {
        if let Some((column, _)) = &self.sort {
            stmt.order_by_expr_with_nulls(column.expr(), self.direction(), NullOrdering::Last);
        }
        stmt.order_by(Name(ID.to_owned()), self.direction());
        stmt
    }

    /// `_id`, the sort column (when sorted), then the output columns.
    fn page_columns(&self) -> SelectStatement {
        let mut stmt = self.base();
        stmt.column(Name(ID.to_owned()));
        if let Some((column, _)) = &self.sort {
            stmt.expr(column.expr());
        }
        for column in &self.outputs {
            stmt.expr(column.expr());
        }
        stmt
    }

    pub(crate) fn page_types(&self) -> Vec<FieldType> {
        let mut types = vec![FieldType::Integer];
        types.extend(self.sort.iter().map(|(c, _)| c.field_type));
        types.extend(self.outputs.iter().map(|c| c.field_type));
        types
    }

    fn id_after(&self, id: i64) -> Expr {
        let column = Expr::col(Name(ID.to_owned()));
        match self.direction() {
            Order::Desc => column.lt(id),
            _ => column.gt(id),
        }
    }

    /// Unsorted pages, or the rows of a sorted page that have no value (`column`), after
    /// `after_id`.
    pub(crate) fn by_id_statement(
        &self,
        column: Option<&Column>,
        after_id: Option<i64>,
        limit: u32,
    ) -> SelectStatement {
        let mut stmt = self.page_columns();
        if let Some(column) = column {
            stmt.and_where(column.expr().is_null());
        }
        if let Some(id) = after_id {
            stmt.and_where(self.id_after(id));
        }
        stmt.order_by(Name(ID.to_owned()), self.direction())
            .limit(u64::from(limit));
        stmt
    }

    /// The rows of a sorted page that have a value, after `(value, id)`.
    pub(crate) fn values_statement(
        &self,
        column: &Column,
        after: Option<(&Value, i64)>,
        limit: u32,
    ) -> SelectStatement {
        let mut stmt = self.page_columns();
        stmt.and_where(column.expr().is_not_null());
        if let Some((value, id)) = after {
            let here = Expr::tuple([column.expr(), Expr::col(Name(ID.to_owned()))]);
            let there = Expr::tuple([Expr::val(to_sql(self.backend, value)), Expr::val(id)]);
            stmt.and_where(match self.direction() {
                Order::Desc => here.lt(there),
                _ => here.gt(there),
            });
        }
        stmt.order_by_expr(column.expr(), self.direction())
            .order_by(Name(ID.to_owned()), self.direction())
            .limit(u64::from(limit));
        stmt
    }

    pub(crate) fn stream_statement(&self) -> SelectStatement {
        let mut stmt = self.base();
        for column in &self.outputs {
            stmt.expr(column.expr());
        }
        self.ordered(stmt)
    }
}
