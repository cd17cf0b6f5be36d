//! Usage counts per dataset and the searches people make. Both arrive in batches from a
//! counter in memory, so a busy row API costs one write every few seconds, not one a call.

use sea_query::{Alias, Expr, ExprTrait, OnConflict, Order, Query};

use super::changes::{ChangeKind, record};
use super::tables::{DatasetUsage, Datasets, SearchQueries};
use crate::StoreError;
use crate::db::{Db, insert_row};
use crate::stamp::{format_time, now};

/// Adds counts for datasets that still exist; each counted dataset gets a change record so
/// search indexes pick up the new order. Returns how many datasets were counted.
pub(crate) async fn add(db: &Db, counts: &[(String, u64, u64)]) -> Result<usize, StoreError> {
    if counts.is_empty() {
        return Ok(0);
    }
    let at = now();
    let mut tx = db.begin().await?;
    let ids: Vec<String> = counts.iter().map(|(id, _, _)| id.clone()).collect();
    let existing = Query::select()
        .column(Datasets::Id)
        .from(Datasets::Table)
        .and_where(Expr::col(Datasets::Id).is_in(ids))
        .to_owned();
    let existing: Vec<(String,)> = tx.fetch_all(&existing).await?;
    let existing: std::collections::HashSet<String> =
        existing.into_iter().map(|(id,)| id).collect();
    let excluded = |column: DatasetUsage| Expr::col((Alias::new("excluded"), column));
    let current = |column: DatasetUsage| Expr::col((DatasetUsage::Table, column));
    let mut counted = 0;
    for (id, downloads, calls) in counts.iter().filter(|(id, _, _)| existing.contains(id)) {
        let mut insert = insert_row(
            DatasetUsage::Table,
            vec![
                (DatasetUsage::DatasetId, id.clone().into()),
                (DatasetUsage::Downloads, saturate(*downloads).into()),
                (DatasetUsage::Calls, saturate(*calls).into()),
            ],
        )?;
        insert.on_conflict(
            OnConflict::column(DatasetUsage::DatasetId)
                .value(
                    DatasetUsage::Downloads,
                    current(DatasetUsage::Downloads).add(excluded(DatasetUsage::Downloads)),
                )
                .value(
                    DatasetUsage::Calls,
                    current(DatasetUsage::Calls).add(excluded(DatasetUsage::Calls)),
                )
                .to_owned(),
        );
        tx.execute(&insert).await?;
        record(&mut tx, id, ChangeKind::UsageUpdated, &at).await?;
        counted += 1;
    }
    tx.commit().await?;
    Ok(counted)
}

fn saturate(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Adds `hits` searches for each query.
pub(crate) async fn record_queries(db: &Db, queries: &[(String, u64)]) -> Result<(), StoreError> {
    if queries.is_empty() {
        return Ok(());
    }
    let at = format_time(&now());
    let mut tx = db.begin().await?;
    for (query, hits) in queries {
        let mut insert = insert_row(
            SearchQueries::Table,
            vec![
                (SearchQueries::Query, query.clone().into()),
                (SearchQueries::Hits, saturate(*hits).into()),
                (SearchQueries::LastAt, at.clone().into()),
            ],
        )?;
        insert.on_conflict(
            OnConflict::column(SearchQueries::Query)
                .value(
                    SearchQueries::Hits,
                    Expr::col((SearchQueries::Table, SearchQueries::Hits))
                        .add(Expr::col((Alias::new("excluded"), SearchQueries::Hits))),
                )
                .update_column(SearchQueries::LastAt)
                .to_owned(),
        );
        tx.execute(&insert).await?;
    }
    tx.commit().await
}

/// The most searched queries, most first.
pub(crate) async fn popular_queries(db: &Db, limit: u32) -> Result<Vec<(String, i64)>, StoreError> {
    let query = Query::select()
        .columns([SearchQueries::Query, SearchQueries::Hits])
        .from(SearchQueries::Table)
        .order_by(SearchQueries::Hits, Order::Desc)
        .order_by(SearchQueries::Query, Order::Asc)
        .limit(u64::from(limit))
        .to_owned();
    db.fetch_all::<(String, i64)>(&query).await
}
