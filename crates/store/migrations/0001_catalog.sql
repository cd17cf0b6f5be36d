-- The catalog: organizations, datasets, their resources, and the change records a search
-- index consumes (DESIGN decision 3).

CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    parent_id TEXT REFERENCES organizations (id),
    created_at TEXT NOT NULL
);

CREATE TABLE datasets (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    theme TEXT NOT NULL,
    industry TEXT,
    -- JSON array of strings
    keywords TEXT NOT NULL,
    access_level TEXT NOT NULL,
    sensitivity_level BIGINT NOT NULL,
    update_frequency TEXT NOT NULL,
    spatial_coverage TEXT,
    temporal_start TEXT,
    temporal_end TEXT,
    license TEXT NOT NULL,
    contact_name TEXT,
    contact_phone TEXT,
    contact_email TEXT,
    first_published TEXT NOT NULL,
    last_updated TEXT NOT NULL
);

CREATE INDEX datasets_organization_id ON datasets (organization_id);
CREATE INDEX datasets_last_updated ON datasets (last_updated, id);

CREATE TABLE resources (
    id TEXT PRIMARY KEY,
    dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    format TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    encoding TEXT,
    sheet TEXT,
    -- Frictionless Table Schema of the live datastore table, JSON
    schema_json TEXT NOT NULL,
    -- physical name of the live datastore table; NULL until a load completes
    datastore_table TEXT,
    -- bumped at the start of each load; names the next table
    datastore_version BIGINT NOT NULL DEFAULT 0,
    row_count BIGINT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX resources_dataset_id ON resources (dataset_id);

CREATE TABLE catalog_changes (
    -- UUID v7: ordered by time of writing
    id TEXT PRIMARY KEY,
    -- no foreign key: the record of a deletion outlives the dataset
    dataset_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE INDEX catalog_changes_dataset_id ON catalog_changes (dataset_id);
