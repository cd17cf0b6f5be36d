//! The catalog's records: organizations, datasets and their resources.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::schema::Schema;
use crate::vocab::{AccessLevel, Industry, OrgKind, SensitivityLevel, Theme, UpdateFrequency};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub kind: OrgKind,
    pub parent_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    File,
    Api,
}

impl ResourceKind {
    pub fn id(self) -> &'static str {
        match self {
            Self::File => "file",
            Self::Api => "api",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "file" => Some(Self::File),
            "api" => Some(Self::Api),
            _ => None,
        }
    }
}

/// What an agency fills in when it publishes a dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDataset {
    pub title: String,
    pub description: String,
    pub organization_id: String,
    pub theme: Theme,
    pub industry: Option<Industry>,
    pub keywords: Vec<String>,
    pub access_level: AccessLevel,
    pub sensitivity_level: SensitivityLevel,
    pub update_frequency: UpdateFrequency,
    pub spatial_coverage: Option<String>,
    pub temporal_start: Option<NaiveDate>,
    pub temporal_end: Option<NaiveDate>,
    pub license: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
}

impl NewDataset {
    /// A dataset with the defaults a bare `kaifang import` uses.
    pub fn minimal(title: impl Into<String>, organization_id: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            description: String::new(),
            organization_id: organization_id.into(),
            theme: Theme::Other,
            industry: None,
            keywords: Vec::new(),
            access_level: AccessLevel::Unconditional,
            sensitivity_level: SensitivityLevel::default(),
            update_frequency: UpdateFrequency::Irregular,
            spatial_coverage: None,
            temporal_start: None,
            temporal_end: None,
            license: DEFAULT_LICENSE.to_owned(),
            contact_name: None,
            contact_phone: None,
            contact_email: None,
        }
    }
}

pub const DEFAULT_LICENSE: &str = "CC-BY-4.0";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub id: String,
    pub title: String,
    pub description: String,
    pub organization_id: String,
    pub organization_name: String,
    pub theme: Theme,
    pub industry: Option<Industry>,
    pub keywords: Vec<String>,
    pub access_level: AccessLevel,
    pub sensitivity_level: SensitivityLevel,
    pub update_frequency: UpdateFrequency,
    pub spatial_coverage: Option<String>,
    pub temporal_start: Option<NaiveDate>,
    pub temporal_end: Option<NaiveDate>,
    pub license: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub first_published: DateTime<Utc>,
    pub last_updated: DateTime<Utc>,
    /// Total data rows over the dataset's tabular resources.
    pub data_volume: i64,
    /// Downloads of its files and calls of its row API, counted in batches.
    pub downloads: i64,
    pub calls: i64,
    pub resources: Vec<Resource>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewResource {
    pub dataset_id: String,
    pub name: String,
    pub kind: ResourceKind,
    /// Lower-case format name: csv, xlsx, xls, ods, json.
    pub format: String,
    pub size_bytes: i64,
    /// SHA-256 of the original file, hex; also the blob's key.
    pub content_hash: String,
    pub encoding: Option<String>,
    pub sheet: Option<String>,
    pub schema: Schema,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    pub id: String,
    pub dataset_id: String,
    pub name: String,
    pub kind: ResourceKind,
    pub format: String,
    pub size_bytes: i64,
    pub content_hash: String,
    pub encoding: Option<String>,
    pub sheet: Option<String>,
    /// Rows in the live datastore table; `None` until a load has completed.
    pub rows: Option<i64>,
    pub schema: Schema,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
