//! The catalog: organizations, datasets, resources and their change records.

pub(crate) mod changes;
pub(crate) mod datasets;
pub(crate) mod list;
pub(crate) mod organizations;
pub(crate) mod resources;
pub(crate) mod tables;
pub(crate) mod usage;
