#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The crate's integration tests, one binary: real agency files, the cases that broke
//! other portals, other tools' edge files, broken input and the download writers.

mod broken;
mod cases;
mod common;
mod edge_corpus;
mod export;
mod formats;
mod real_corpus;
