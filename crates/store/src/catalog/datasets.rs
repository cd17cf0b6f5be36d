//! Datasets: create, read, update, delete. Each change writes its change record in the
//! same transaction.

use chrono::{DateTime, Utc};
use kaifang_domain::{
    AccessLevel, Dataset, Industry, NewDataset, Resource, SensitivityLevel, Theme, UpdateFrequency,
};
use sea_query::{Expr, ExprTrait, Func, Query, SelectStatement};

use super::changes::{ChangeKind, record};
use super::resources::{self, ResourceRow, drop_tables};
use super::tables::{DatasetUsage, Datasets, Organizations, Resources};
use crate::StoreError;
use crate::db::{Db, Tx, insert_row};
use crate::stamp::{corrupt, format_date, format_time, new_id, now, parse_date, parse_time};

#[derive(sqlx::FromRow)]
pub(crate) struct DatasetRow {
    pub(crate) id: String,
    title: String,
    description: String,
    organization_id: String,
    organization_name: String,
    theme: String,
    industry: Option<String>,
    keywords: String,
    access_level: String,
    sensitivity_level: i64,
    update_frequency: String,
    spatial_coverage: Option<String>,
    temporal_start: Option<String>,
    temporal_end: Option<String>,
    license: String,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    contact_email: Option<String>,
    first_published: String,
    last_updated: String,
    downloads: i64,
    calls: i64,
}

impl DatasetRow {
    pub(crate) fn into_model(self, resources: Vec<Resource>) -> Result<Dataset, StoreError> {
        let vocab = |e: kaifang_domain::VocabError| corrupt(e.to_string());
        let level = u8::try_from(self.sensitivity_level)
            .map_err(|e| corrupt(format!("sensitivity_level: {e}")))?;
        Ok(Dataset {
            theme: Theme::parse(&self.theme).map_err(vocab)?,
            industry: self
                .industry
                .as_deref()
                .map(Industry::parse)
                .transpose()
                .map_err(vocab)?,
            keywords: serde_json::from_str(&self.keywords)
                .map_err(|e| corrupt(format!("keywords: {e}")))?,
            access_level: AccessLevel::parse(&self.access_level).map_err(vocab)?,
            sensitivity_level: SensitivityLevel::new(level).map_err(vocab)?,
            update_frequency: UpdateFrequency::parse(&self.update_frequency).map_err(vocab)?,
            temporal_start: self.temporal_start.as_deref().map(parse_date).transpose()?,
            temporal_end: self.temporal_end.as_deref().map(parse_date).transpose()?,
            first_published: parse_time(&self.first_published)?,
            last_updated: parse_time(&self.last_updated)?,
            data_volume: resources.iter().filter_map(|r| r.rows).sum(),
            downloads: self.downloads,
            calls: self.calls,
            id: self.id,
            title: self.title,
            description: self.description,
            organization_id: self.organization_id,
            organization_name: self.organization_name,
            spatial_coverage: self.spatial_coverage,
            license: self.license,
            contact_name: self.contact_name,
            contact_phone: self.contact_phone,
            contact_email: self.contact_email,
            resources,
        })
    }
}

/// Every dataset column with its organization's name.
pub(crate) fn select() -> SelectStatement {
    use Datasets as D;
    let columns = [
        D::Id,
        D::Title,
        D::Description,
        D::OrganizationId,
        D::Theme,
        D::Industry,
        D::Keywords,
        D::AccessLevel,
        D::SensitivityLevel,
        D::UpdateFrequency,
        D::SpatialCoverage,
        D::TemporalStart,
        D::TemporalEnd,
        D::License,
        D::ContactName,
        D::ContactPhone,
        D::ContactEmail,
        D::FirstPublished,
        D::LastUpdated,
    ];
    Query::select()
        .columns(columns.map(|c| (D::Table, c)))
        .expr_as(
            Expr::col((Organizations::Table, Organizations::Name)),
            "organization_name",
        )
        .expr_as(usage(DatasetUsage::Downloads), "downloads")
        .expr_as(usage(DatasetUsage::Calls), "calls")
        .from(D::Table)
        .inner_join(
            Organizations::Table,
            Expr::col((Organizations::Table, Organizations::Id))
                .equals((D::Table, D::OrganizationId)),
        )
        .left_join(
            DatasetUsage::Table,
            Expr::col((DatasetUsage::Table, DatasetUsage::DatasetId)).equals((D::Table, D::Id)),
        )
        .to_owned()
}

fn usage(column: DatasetUsage) -> Expr {
    Expr::from(Func::coalesce([
        Expr::col((DatasetUsage::Table, column)),
        Expr::val(0i64),
    ]))
}

/// The datasets with these ids that exist, with their resources, in no particular order.
pub(crate) async fn get_many(db: &Db, ids: &[String]) -> Result<Vec<Dataset>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let query = select()
        .and_where(Expr::col((Datasets::Table, Datasets::Id)).is_in(ids.iter().cloned()))
        .to_owned();
    with_resources(db, db.fetch_all::<DatasetRow>(&query).await?).await
}

/// The rows as datasets, each with its resources, in the rows' order.
pub(crate) async fn with_resources(
    db: &Db,
    rows: Vec<DatasetRow>,
) -> Result<Vec<Dataset>, StoreError> {
    let found: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut by_dataset = resources::of_datasets(db, &found).await?;
    rows.into_iter()
        .map(|row| {
            let own = by_dataset.remove(&row.id).unwrap_or_default();
            row.into_model(own)
        })
        .collect()
}

/// Dataset ids in id order after `after`, at most `limit`: for walking the whole catalog.
pub(crate) async fn ids_after(
    db: &Db,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<String>, StoreError> {
    let mut query = Query::select();
    query
        .column(Datasets::Id)
        .from(Datasets::Table)
        .order_by(Datasets::Id, sea_query::Order::Asc)
        .limit(u64::from(limit));
    if let Some(after) = after {
        query.and_where(Expr::col(Datasets::Id).gt(after));
    }
    let ids: Vec<(String,)> = db.fetch_all(&query).await?;
    Ok(ids.into_iter().map(|(id,)| id).collect())
}

/// The columns a publisher fills in, as stored.
fn editable_values(new: &NewDataset) -> Result<Vec<(Datasets, Expr)>, StoreError> {
    let keywords = serde_json::to_string(&new.keywords)
        .map_err(|e| StoreError::Database(sqlx::Error::Encode(e.into())))?;
    Ok(vec![
        (Datasets::Title, new.title.clone().into()),
        (Datasets::Description, new.description.clone().into()),
        (Datasets::OrganizationId, new.organization_id.clone().into()),
        (Datasets::Theme, new.theme.id().into()),
        (
            Datasets::Industry,
            new.industry.map(|i| i.id().to_owned()).into(),
        ),
        (Datasets::Keywords, keywords.into()),
        (Datasets::AccessLevel, new.access_level.id().into()),
        (
            Datasets::SensitivityLevel,
            i64::from(new.sensitivity_level.get()).into(),
        ),
        (Datasets::UpdateFrequency, new.update_frequency.id().into()),
        (
            Datasets::SpatialCoverage,
            new.spatial_coverage.clone().into(),
        ),
        (
            Datasets::TemporalStart,
            new.temporal_start.as_ref().map(format_date).into(),
        ),
        (
            Datasets::TemporalEnd,
            new.temporal_end.as_ref().map(format_date).into(),
        ),
        (Datasets::License, new.license.clone().into()),
        (Datasets::ContactName, new.contact_name.clone().into()),
        (Datasets::ContactPhone, new.contact_phone.clone().into()),
        (Datasets::ContactEmail, new.contact_email.clone().into()),
    ])
}

async fn organization_name(tx: &mut Tx, organization_id: &str) -> Result<String, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Name {
        name: String,
    }
    let query = Query::select()
        .column(Organizations::Name)
        .from(Organizations::Table)
        .and_where(Expr::col(Organizations::Id).eq(organization_id))
        .to_owned();
    tx.fetch_optional::<Name>(&query)
        .await?
        .map(|n| n.name)
        .ok_or_else(|| StoreError::NotFound {
            entity: "organization",
            id: organization_id.to_owned(),
        })
}

/// A dataset just created: no resources or usage yet.
fn model(
    id: String,
    new: &NewDataset,
    organization_name: String,
    first_published: DateTime<Utc>,
    last_updated: DateTime<Utc>,
    resources: Vec<Resource>,
) -> Dataset {
    Dataset {
        id,
        title: new.title.clone(),
        description: new.description.clone(),
        organization_id: new.organization_id.clone(),
        organization_name,
        theme: new.theme,
        industry: new.industry,
        keywords: new.keywords.clone(),
        access_level: new.access_level,
        sensitivity_level: new.sensitivity_level,
        update_frequency: new.update_frequency,
        spatial_coverage: new.spatial_coverage.clone(),
        temporal_start: new.temporal_start,
        temporal_end: new.temporal_end,
        license: new.license.clone(),
        contact_name: new.contact_name.clone(),
        contact_phone: new.contact_phone.clone(),
        contact_email: new.contact_email.clone(),
        first_published,
        last_updated,
        data_volume: resources.iter().filter_map(|r| r.rows).sum(),
        downloads: 0,
        calls: 0,
        resources,
    }
}

pub(crate) async fn create(db: &Db, new: &NewDataset) -> Result<Dataset, StoreError> {
    let at = now();
    let id = new_id();
    let mut tx = db.begin().await?;
    let organization = organization_name(&mut tx, &new.organization_id).await?;
    let mut row = vec![(Datasets::Id, id.clone().into())];
    row.extend(editable_values(new)?);
    row.push((Datasets::FirstPublished, format_time(&at).into()));
    row.push((Datasets::LastUpdated, format_time(&at).into()));
    tx.execute(&insert_row(Datasets::Table, row)?).await?;
    record(&mut tx, &id, ChangeKind::DatasetCreated, &at).await?;
    tx.commit().await?;
    Ok(model(id, new, organization, at, at, Vec::new()))
}

pub(crate) async fn get(db: &Db, id: &str) -> Result<Dataset, StoreError> {
    let query = select()
        .and_where(Expr::col((Datasets::Table, Datasets::Id)).eq(id))
        .to_owned();
    let row = db
        .fetch_optional::<DatasetRow>(&query)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            entity: "dataset",
            id: id.to_owned(),
        })?;
    let mut resources = resources::of_datasets(db, std::slice::from_ref(&row.id)).await?;
    let own = resources.remove(&row.id).unwrap_or_default();
    row.into_model(own)
}

/// Replaces what the publisher fills in; keeps the id, resources and first publication.
pub(crate) async fn update(db: &Db, id: &str, new: &NewDataset) -> Result<Dataset, StoreError> {
    let at = now();
    let mut tx = db.begin().await?;
    organization_name(&mut tx, &new.organization_id).await?;
    let mut values = editable_values(new)?;
    values.push((Datasets::LastUpdated, format_time(&at).into()));
    let update = Query::update()
        .table(Datasets::Table)
        .values(values)
        .and_where(Expr::col(Datasets::Id).eq(id))
        .to_owned();
    if tx.execute(&update).await? == 0 {
        return Err(StoreError::NotFound {
            entity: "dataset",
            id: id.to_owned(),
        });
    }
    record(&mut tx, id, ChangeKind::DatasetUpdated, &at).await?;
    tx.commit().await?;
    get(db, id).await
}

/// Deletes the dataset, its resources and their datastore tables in one transaction.
/// Blobs stay: they are shared by content hash.
pub(crate) async fn delete(db: &Db, id: &str) -> Result<(), StoreError> {
    let at = now();
    let mut tx = db.begin().await?;
    let query = resources::select()
        .and_where(Expr::col(Resources::DatasetId).eq(id))
        .to_owned();
    let rows = tx.fetch_all::<ResourceRow>(&query).await?;
    let delete = Query::delete()
        .from_table(Datasets::Table)
        .and_where(Expr::col(Datasets::Id).eq(id))
        .to_owned();
    if tx.execute(&delete).await? == 0 {
        return Err(StoreError::NotFound {
            entity: "dataset",
            id: id.to_owned(),
        });
    }
    drop_tables(
        &mut tx,
        rows.iter().filter_map(|r| r.datastore_table.as_ref()),
    )
    .await?;
    record(&mut tx, id, ChangeKind::DatasetDeleted, &at).await?;
    tx.commit().await
}
