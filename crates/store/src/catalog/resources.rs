//! Resources: a dataset's files and APIs, with the schema and the name of the live
//! datastore table.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kaifang_domain::{NewResource, Resource, ResourceKind, Schema};
use sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};

use super::changes::{ChangeKind, record};
use super::tables::{Datasets, Resources};
use crate::StoreError;
use crate::db::{Db, Tx, insert_row};
use crate::stamp::{corrupt, format_time, new_id, now, parse_time};

#[derive(sqlx::FromRow)]
pub(crate) struct ResourceRow {
    id: String,
    dataset_id: String,
    name: String,
    kind: String,
    format: String,
    size_bytes: i64,
    content_hash: String,
    encoding: Option<String>,
    sheet: Option<String>,
    pub(crate) schema_json: String,
    pub(crate) datastore_table: Option<String>,
    pub(crate) row_count: Option<i64>,
    created_at: String,
    updated_at: String,
}

impl ResourceRow {
    pub(crate) fn into_model(self) -> Result<Resource, StoreError> {
        Ok(Resource {
            kind: ResourceKind::parse(&self.kind)
                .ok_or_else(|| corrupt(format!("resource kind {:?}", self.kind)))?,
            schema: parse_schema(&self.schema_json)?,
            created_at: parse_time(&self.created_at)?,
            updated_at: parse_time(&self.updated_at)?,
            id: self.id,
            dataset_id: self.dataset_id,
            name: self.name,
            format: self.format,
            size_bytes: self.size_bytes,
            content_hash: self.content_hash,
            encoding: self.encoding,
            sheet: self.sheet,
            rows: self.row_count,
        })
    }
}

pub(crate) fn parse_schema(json: &str) -> Result<Schema, StoreError> {
    serde_json::from_str(json).map_err(|e| corrupt(format!("resource schema: {e}")))
}

pub(crate) fn schema_json(schema: &Schema) -> Result<String, StoreError> {
    serde_json::to_string(schema).map_err(|e| StoreError::Database(sqlx::Error::Encode(e.into())))
}

pub(crate) fn select() -> SelectStatement {
    Query::select()
        .columns([
            Resources::Id,
            Resources::DatasetId,
            Resources::Name,
            Resources::Kind,
            Resources::Format,
            Resources::SizeBytes,
            Resources::ContentHash,
            Resources::Encoding,
            Resources::Sheet,
            Resources::SchemaJson,
            Resources::DatastoreTable,
            Resources::RowCount,
            Resources::CreatedAt,
            Resources::UpdatedAt,
        ])
        .from(Resources::Table)
        .to_owned()
}

pub(crate) async fn row(db: &Db, id: &str) -> Result<ResourceRow, StoreError> {
    let query = select()
        .and_where(Expr::col(Resources::Id).eq(id))
        .to_owned();
    db.fetch_optional::<ResourceRow>(&query)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            entity: "resource",
            id: id.to_owned(),
        })
}

pub(crate) async fn get(db: &Db, id: &str) -> Result<Resource, StoreError> {
    row(db, id).await?.into_model()
}

/// The resources of these datasets, each list oldest first.
pub(crate) async fn of_datasets(
    db: &Db,
    dataset_ids: &[String],
) -> Result<HashMap<String, Vec<Resource>>, StoreError> {
    let mut by_dataset: HashMap<String, Vec<Resource>> = HashMap::new();
    if dataset_ids.is_empty() {
        return Ok(by_dataset);
    }
    let query = select()
        .and_where(Expr::col(Resources::DatasetId).is_in(dataset_ids.iter().cloned()))
        .order_by(Resources::CreatedAt, Order::Asc)
        .order_by(Resources::Id, Order::Asc)
        .to_owned();
    for row in db.fetch_all::<ResourceRow>(&query).await? {
        let resource = row.into_model()?;
        by_dataset
            .entry(resource.dataset_id.clone())
            .or_default()
            .push(resource);
    }
    Ok(by_dataset)
}

pub(crate) async fn create(db: &Db, new: &NewResource) -> Result<Resource, StoreError> {
    let at = now();
    let id = new_id();
    let mut tx = db.begin().await?;
    touch_dataset(&mut tx, &new.dataset_id, &at).await?;
    let insert = insert_row(
        Resources::Table,
        vec![
            (Resources::Id, id.clone().into()),
            (Resources::DatasetId, new.dataset_id.clone().into()),
            (Resources::Name, new.name.clone().into()),
            (Resources::Kind, new.kind.id().into()),
            (Resources::Format, new.format.clone().into()),
            (Resources::SizeBytes, new.size_bytes.into()),
            (Resources::ContentHash, new.content_hash.clone().into()),
            (Resources::Encoding, new.encoding.clone().into()),
            (Resources::Sheet, new.sheet.clone().into()),
            (Resources::SchemaJson, schema_json(&new.schema)?.into()),
            (Resources::CreatedAt, format_time(&at).into()),
            (Resources::UpdatedAt, format_time(&at).into()),
        ],
    )?;
    tx.execute(&insert).await?;
    record(&mut tx, &new.dataset_id, ChangeKind::ResourceCreated, &at).await?;
    tx.commit().await?;
    Ok(Resource {
        id,
        dataset_id: new.dataset_id.clone(),
        name: new.name.clone(),
        kind: new.kind,
        format: new.format.clone(),
        size_bytes: new.size_bytes,
        content_hash: new.content_hash.clone(),
        encoding: new.encoding.clone(),
        sheet: new.sheet.clone(),
        rows: None,
        schema: new.schema.clone(),
        created_at: at,
        updated_at: at,
    })
}

/// Deletes the resource and drops its datastore table in one transaction.
pub(crate) async fn delete(db: &Db, id: &str) -> Result<(), StoreError> {
    let at = now();
    let mut tx = db.begin().await?;
    let query = select()
        .and_where(Expr::col(Resources::Id).eq(id))
        .to_owned();
    let row = tx
        .fetch_optional::<ResourceRow>(&query)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            entity: "resource",
            id: id.to_owned(),
        })?;
    let delete = Query::delete()
        .from_table(Resources::Table)
        .and_where(Expr::col(Resources::Id).eq(id))
        .to_owned();
    tx.execute(&delete).await?;
    drop_tables(&mut tx, row.datastore_table.iter()).await?;
    touch_dataset(&mut tx, &row.dataset_id, &at).await?;
    record(&mut tx, &row.dataset_id, ChangeKind::ResourceDeleted, &at).await?;
    tx.commit().await
}

pub(crate) async fn drop_tables<'a>(
    tx: &mut Tx,
    tables: impl Iterator<Item = &'a String>,
) -> Result<(), StoreError> {
    // The table's search terms go with it (an FTS5 table on SQLite).
    for table in tables {
        for statement in crate::datastore::ddl::drop_statements(tx.backend(), table) {
            tx.ddl(&statement).await?;
        }
    }
    Ok(())
}

/// Marks the dataset updated; `NotFound` when it does not exist.
pub(crate) async fn touch_dataset(
    tx: &mut Tx,
    dataset_id: &str,
    at: &DateTime<Utc>,
) -> Result<(), StoreError> {
    let update = Query::update()
        .table(Datasets::Table)
        .value(Datasets::LastUpdated, format_time(at))
        .and_where(Expr::col(Datasets::Id).eq(dataset_id))
        .to_owned();
    if tx.execute(&update).await? == 0 {
        return Err(StoreError::NotFound {
            entity: "dataset",
            id: dataset_id.to_owned(),
        });
    }
    Ok(())
}
