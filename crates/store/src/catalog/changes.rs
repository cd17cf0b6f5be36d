//! Change records: written in the same transaction as every dataset or resource change,
//! read by whatever keeps a search index in step with the catalog (DESIGN decision 3).

use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;

use super::tables::CatalogChanges;
use crate::StoreError;
use crate::db::{Db, Tx, insert_row};
use crate::stamp::{corrupt, format_time, new_id, parse_time};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    DatasetCreated,
    DatasetUpdated,
    DatasetDeleted,
    ResourceCreated,
    /// A new datastore table version went live.
    ResourceLoaded,
    ResourceDeleted,
    /// Download or call counts grew (written in batches).
    UsageUpdated,
}

impl ChangeKind {
    pub const ALL: &'static [Self] = &[
        Self::DatasetCreated,
        Self::DatasetUpdated,
        Self::DatasetDeleted,
        Self::ResourceCreated,
        Self::ResourceLoaded,
        Self::ResourceDeleted,
        Self::UsageUpdated,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Self::DatasetCreated => "dataset_created",
            Self::DatasetUpdated => "dataset_updated",
            Self::DatasetDeleted => "dataset_deleted",
            Self::ResourceCreated => "resource_created",
            Self::ResourceLoaded => "resource_loaded",
            Self::ResourceDeleted => "resource_deleted",
            Self::UsageUpdated => "usage_updated",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.id() == value)
    }
}

/// One change of the catalog. `id` is a UUID v7, so ids sort by time of writing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogChange {
    pub id: String,
    pub dataset_id: String,
    pub kind: ChangeKind,
    pub at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    id: String,
    dataset_id: String,
    kind: String,
    at: String,
}

pub(crate) async fn record(
    tx: &mut Tx,
    dataset_id: &str,
    kind: ChangeKind,
    at: &DateTime<Utc>,
) -> Result<(), StoreError> {
    let insert = insert_row(
        CatalogChanges::Table,
        vec![
            (CatalogChanges::Id, new_id().into()),
            (CatalogChanges::DatasetId, dataset_id.into()),
            (CatalogChanges::Kind, kind.id().into()),
            (CatalogChanges::At, format_time(at).into()),
        ],
    )?;
    tx.execute(&insert).await?;
    Ok(())
}

/// Changes written after the change `after` (all when `None`), oldest first.
pub(crate) async fn since(
    db: &Db,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<CatalogChange>, StoreError> {
    let mut query = Query::select();
    query
        .columns([
            CatalogChanges::Id,
            CatalogChanges::DatasetId,
            CatalogChanges::Kind,
            CatalogChanges::At,
        ])
        .from(CatalogChanges::Table)
        .order_by(CatalogChanges::Id, Order::Asc)
        .limit(u64::from(limit.clamp(1, 10_000)));
    if let Some(after) = after {
        query.and_where(Expr::col(CatalogChanges::Id).gt(after));
    }
    db.fetch_all::<ChangeRow>(&query)
        .await?
        .into_iter()
        .map(|row| {
            Ok(CatalogChange {
                kind: ChangeKind::parse(&row.kind)
                    .ok_or_else(|| corrupt(format!("change kind {:?}", row.kind)))?,
                at: parse_time(&row.at)?,
                id: row.id,
                dataset_id: row.dataset_id,
            })
        })
        .collect()
}

/// The id of the newest change, if any.
pub(crate) async fn latest(db: &Db) -> Result<Option<String>, StoreError> {
    let query = Query::select()
        .column(CatalogChanges::Id)
        .from(CatalogChanges::Table)
        .order_by(CatalogChanges::Id, Order::Desc)
        .limit(1)
        .to_owned();
    Ok(db
        .fetch_optional::<(String,)>(&query)
        .await?
        .map(|(id,)| id))
}
