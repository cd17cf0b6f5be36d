//! The vocabularies and the metadata model of the catalog. Pure: no I/O.

pub mod model;
pub mod schema;
pub mod vocab;

pub use model::{Dataset, NewDataset, NewResource, Organization, Resource, ResourceKind};
pub use schema::{Field, FieldType, Schema};
pub use vocab::{
    AccessLevel, Industry, OrgKind, SensitivityLevel, Theme, UpdateFrequency, VocabError,
};
