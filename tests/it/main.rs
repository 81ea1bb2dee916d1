//! The integration tests, one binary: each module was once its own test binary, and each of
//! those linked GDAL, resvg and geo statically. `support` holds what they share.
//!
//! Run one module with `cargo test --test it <module>::`, e.g. `cargo test --test it synth::`.

// Test code throughout: clippy.toml allows unwrap, expect, panic and indexing in it.
#![cfg(test)]

mod support;

mod allocation_scale;
mod allocation_solver;
mod bundled_vn2000;
mod compare;
mod end_to_end;
mod hostile_inputs;
mod hostile_outputs;
mod input_formats;
mod land_short;
mod map_render;
mod output_files;
mod output_gpkg;
mod progress_json;
mod qgis;
mod qgis_provider;
mod report_browser;
mod report_html;
mod roads;
mod sensitivity;
mod synth;
mod validate_problems;
mod variants;
