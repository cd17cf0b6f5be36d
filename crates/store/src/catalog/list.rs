//! The dataset list (newest first, filtered) and the catalog's totals.

use kaifang_domain::{AccessLevel, Dataset};
use sea_query::{Asterisk, Condition, Expr, ExprTrait, Func, Order, Query};

use super::datasets::{self, DatasetRow};
use super::tables::{Datasets, Organizations, Resources};
use crate::db::Db;
use crate::sql::{Count, contains_ci};
use crate::{CatalogStats, DatasetQuery, StoreError};

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;

fn conditions(db: &Db, query: &DatasetQuery) -> Condition {
    use Datasets as D;
    let mut cond = Condition::all();
    if !query.include_closed {
        cond = cond.add(Expr::col((D::Table, D::AccessLevel)).ne(AccessLevel::Closed.id()));
    }
    if let Some(org) = query
        .organization
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        cond = cond.add(
            Condition::any()
                .add(Expr::col((D::Table, D::OrganizationId)).eq(org))
                .add(Expr::col((Organizations::Table, Organizations::Name)).eq(org)),
        );
    }
    if let Some(theme) = query.theme {
        cond = cond.add(Expr::col((D::Table, D::Theme)).eq(theme.id()));
    }
    if let Some(level) = query.access_level {
        cond = cond.add(Expr::col((D::Table, D::AccessLevel)).eq(level.id()));
    }
    if let Some(text) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        // Replaced by the Tantivy index later (DESIGN decision 3); a plain scan until then.
        let backend = db.backend();
        cond = cond.add(
            Condition::any()
                .add(contains_ci(backend, Expr::col((D::Table, D::Title)), text))
                .add(contains_ci(
                    backend,
                    Expr::col((D::Table, D::Description)),
                    text,
                ))
                .add(contains_ci(
                    backend,
                    Expr::col((D::Table, D::Keywords)),
                    text,
                ))
                .add(contains_ci(
                    backend,
                    Expr::col((Organizations::Table, Organizations::Name)),
                    text,
                )),
        );
    }
    cond
}

/// `page` is 1-based (0 counts as 1); `per_page` 0 means the default, at most 100.
pub(crate) async fn list(db: &Db, query: &DatasetQuery) -> Result<(u64, Vec<Dataset>), StoreError> {
    let cond = conditions(db, query);
    let per_page = match query.per_page {
        0 => DEFAULT_PER_PAGE,
        n => Ord::min(n, MAX_PER_PAGE),
    };
    let page = Ord::max(query.page, 1);

    let count = Query::select()
        .expr_as(Func::count(Expr::col(Asterisk)).cast_as("BIGINT"), "n")
        .from(Datasets::Table)
        .inner_join(
            Organizations::Table,
            Expr::col((Organizations::Table, Organizations::Id))
                .equals((Datasets::Table, Datasets::OrganizationId)),
        )
        .cond_where(cond.clone())
        .to_owned();
    let total = db.fetch_optional::<Count>(&count).await?.map_or(0, |c| c.n);

    let page_query = datasets::select()
        .cond_where(cond)
        .order_by((Datasets::Table, Datasets::LastUpdated), Order::Desc)
        .order_by((Datasets::Table, Datasets::Id), Order::Desc)
        .limit(u64::from(per_page))
        .offset(u64::from(page - 1) * u64::from(per_page))
        .to_owned();
    let rows = db.fetch_all::<DatasetRow>(&page_query).await?;
    let datasets = datasets::with_resources(db, rows).await?;
    Ok((u64::try_from(total).unwrap_or(0), datasets))
}

#[derive(sqlx::FromRow)]
struct ResourceTotals {
    n: i64,
    rows: i64,
}

/// Totals over what the public sees: closed datasets and their resources are left out.
pub(crate) async fn stats(db: &Db) -> Result<CatalogStats, StoreError> {
    let open = Expr::col((Datasets::Table, Datasets::AccessLevel)).ne(AccessLevel::Closed.id());
    let datasets = Query::select()
        .expr_as(Func::count(Expr::col(Asterisk)).cast_as("BIGINT"), "n")
        .from(Datasets::Table)
        .and_where(open.clone())
        .to_owned();
    let resources = Query::select()
        .expr_as(Func::count(Expr::col(Asterisk)).cast_as("BIGINT"), "n")
        .expr_as(
            Func::coalesce([
                Func::sum(Expr::col((Resources::Table, Resources::RowCount))).cast_as("BIGINT"),
                Expr::val(0i64),
            ]),
            "rows",
        )
        .from(Resources::Table)
        .inner_join(
            Datasets::Table,
            Expr::col((Datasets::Table, Datasets::Id))
                .equals((Resources::Table, Resources::DatasetId)),
        )
        .and_where(open)
        .to_owned();
    let organizations = Query::select()
        .expr_as(Func::count(Expr::col(Asterisk)).cast_as("BIGINT"), "n")
        .from(Organizations::Table)
        .to_owned();
    let datasets = db
        .fetch_optional::<Count>(&datasets)
        .await?
        .map_or(0, |c| c.n);
    let totals = db.fetch_optional::<ResourceTotals>(&resources).await?;
    let organizations = db
        .fetch_optional::<Count>(&organizations)
        .await?
        .map_or(0, |c| c.n);
    Ok(CatalogStats {
        datasets,
        resources: totals.as_ref().map_or(0, |t| t.n),
        organizations,
        rows: totals.map_or(0, |t| t.rows),
    })
}

/// Every dataset, closed ones included.
pub(crate) async fn count_all(db: &Db) -> Result<u64, StoreError> {
    let count = Query::select()
        .expr_as(Func::count(Expr::col(Asterisk)).cast_as("BIGINT"), "n")
        .from(Datasets::Table)
        .to_owned();
    let n = db.fetch_optional::<Count>(&count).await?.map_or(0, |c| c.n);
    Ok(u64::try_from(n).unwrap_or(0))
}
