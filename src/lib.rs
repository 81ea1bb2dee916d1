//! # relocate
//!
//! A land-allocation and relocation planner: it decides which factories must leave crowded city
//! districts under the four legal relocation criteria, allocates them to destination industrial
//! parks under land capacity with a proven optimality gap, and writes maps and reports of the
//! proposed moves for planning officers (map, report, tables) and GIS analysts (GeoPackage and
//! QGIS project).
//!
//! The pipeline runs one way — read → validate → assess → candidates → allocate → write — each
//! stage a module with one entry function returning a named type (see `pipeline`).

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod allocation;
pub mod candidates;
pub mod cli;
pub mod criteria;
pub mod error;
pub mod explain;
pub mod input;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod scenario;
pub mod spatial;
pub mod synth;
pub mod units;
pub mod validate;

pub use error::{Error, Problem, Result};

/// The pipeline allocates millions of small strings and vectors at national scale; glibc's
/// malloc took about 15 % of a 1M-factory run, mimalloc a few. Set here so that the command,
/// the tests and the benchmarks all measure the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
