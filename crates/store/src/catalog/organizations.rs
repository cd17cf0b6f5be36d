//! Organizations (数据提供方): found by exact name, created on first use.

use kaifang_domain::{OrgKind, Organization};
use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};

use super::tables::Organizations;
use crate::StoreError;
use crate::db::{Db, insert_row};
use crate::stamp::{corrupt, format_time, new_id, now, parse_time};

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: String,
    name: String,
    kind: String,
    parent_id: Option<String>,
    created_at: String,
}

impl OrgRow {
    fn into_model(self) -> Result<Organization, StoreError> {
        Ok(Organization {
            kind: OrgKind::parse(&self.kind).map_err(|e| corrupt(e.to_string()))?,
            created_at: parse_time(&self.created_at)?,
            id: self.id,
            name: self.name,
            parent_id: self.parent_id,
        })
    }
}

fn select() -> sea_query::SelectStatement {
    Query::select()
        .columns([
            Organizations::Id,
            Organizations::Name,
            Organizations::Kind,
            Organizations::ParentId,
            Organizations::CreatedAt,
        ])
        .from(Organizations::Table)
        .to_owned()
}

/// Inserting with `ON CONFLICT DO NOTHING` first makes two concurrent callers agree on
/// one row instead of one of them failing on the unique name.
pub(crate) async fn ensure(
    db: &Db,
    name: &str,
    kind: OrgKind,
    parent_id: Option<&str>,
) -> Result<Organization, StoreError> {
    let mut insert = insert_row(
        Organizations::Table,
        vec![
            (Organizations::Id, new_id().into()),
            (Organizations::Name, name.into()),
            (Organizations::Kind, kind.id().into()),
            (Organizations::ParentId, parent_id.map(str::to_owned).into()),
            (Organizations::CreatedAt, format_time(&now()).into()),
        ],
    )?;
    insert.on_conflict(
        OnConflict::column(Organizations::Name)
            .do_nothing()
            .to_owned(),
    );
    db.execute(&insert).await?;
    let query = select()
        .and_where(Expr::col(Organizations::Name).eq(name))
        .to_owned();
    db.fetch_optional::<OrgRow>(&query)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            entity: "organization",
            id: name.to_owned(),
        })?
        .into_model()
}

pub(crate) async fn list(db: &Db) -> Result<Vec<Organization>, StoreError> {
    let query = select()
        .order_by(Organizations::Name, Order::Asc)
        .to_owned();
    db.fetch_all::<OrgRow>(&query)
        .await?
        .into_iter()
        .map(OrgRow::into_model)
        .collect()
}
