//! Every store test, run on SQLite and on PostgreSQL (see `common`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod fixture;

mod bench;
mod blobs;
mod catalog;
mod fulltext;
mod hostile;
mod load;
mod paging;
mod query;
