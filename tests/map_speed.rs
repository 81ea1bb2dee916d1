//! Time to draw the map of a Binh Duong-sized plan (about 2,900 factories). Run in release to
//! measure: `cargo test --release --test map_speed -- --nocapture`. With `MAP_PREVIEW_DIR` set,
//! the map and report are left there to look at.

// Tests may stop at the first surprise: panicking is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod map_fixture;

use std::time::Instant;

use relocate::cli::Lang;
use relocate::output::{map, report};

#[test]
fn binh_duong_sized_map_and_report_are_written_quickly() {
    let plan = map_fixture::plan_with(2_900, Lang::Vi, false);
    let dir = tempfile::tempdir().expect("temp dir");
    let keep = std::env::var_os("MAP_PREVIEW_DIR").map(std::path::PathBuf::from);
    let out = keep.clone().unwrap_or_else(|| dir.path().to_path_buf());
    std::fs::create_dir_all(&out).expect("output dir");
    let start = Instant::now();
    let svg = map::write_map(&plan, &out).expect("map written");
    let map_s = start.elapsed().as_secs_f64();
    report::write_report(&plan, &svg, &out).expect("report written");
    let total_s = start.elapsed().as_secs_f64();
    println!("map {map_s:.3} s, map + report {total_s:.3} s for 2,900 factories");
    // The budget (< 1.5 s for the whole output set) holds in release; debug builds of the
    // renderers are an order of magnitude slower, so only catch pathological slowness here.
    let budget_s = if cfg!(debug_assertions) { 60.0 } else { 1.5 };
    assert!(total_s < budget_s, "{total_s:.2} s");
}
