//! The datastore (DESIGN decision 2): each loaded version of a resource's rows is a real
//! typed table in the same database, swapped in whole; counts cached; filtered columns
//! indexed.

mod convert;
mod copy_text;
pub(crate) mod count_cache;
pub(crate) mod ddl;
mod filter;
pub(crate) mod indexer;
pub(crate) mod keyset;
pub(crate) mod load;
mod plan;
pub(crate) mod query;
mod terms;
