//! Identifiers of the catalog tables, as created by `migrations/0001_catalog.sql`.

use sea_query::Iden;

#[derive(Iden, Clone, Copy)]
pub(crate) enum Organizations {
    Table,
    Id,
    Name,
    Kind,
    ParentId,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Datasets {
    Table,
    Id,
    Title,
    Description,
    OrganizationId,
    Theme,
    Industry,
    Keywords,
    AccessLevel,
    SensitivityLevel,
    UpdateFrequency,
    SpatialCoverage,
    TemporalStart,
    TemporalEnd,
    License,
    ContactName,
    ContactPhone,
    ContactEmail,
    FirstPublished,
    LastUpdated,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Resources {
    Table,
    Id,
    DatasetId,
    Name,
    Kind,
    Format,
    SizeBytes,
    ContentHash,
    Encoding,
    Sheet,
    SchemaJson,
    DatastoreTable,
    DatastoreVersion,
    RowCount,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum CatalogChanges {
    Table,
    Id,
    DatasetId,
    Kind,
    At,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum DatasetUsage {
    Table,
    DatasetId,
    Downloads,
    Calls,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum SearchQueries {
    Table,
    Query,
    Hits,
    LastAt,
}
