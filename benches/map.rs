//! Time to draw the map and write the report of a Binh Duong-sized plan (about 2,900
//! factories, Vietnamese labels), built by hand outside the timed part. `cargo bench --bench map`.
//! The budget a planning officer expects: the whole map set and report in well under 1.5 s.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

// The integration tests' hand-built plan; the bench draws only the large one.
#[allow(dead_code)]
#[path = "../tests/it/support/map_fixture.rs"]
mod map_fixture;

use criterion::{criterion_group, criterion_main, Criterion};

use relocate::model::Lang;
use relocate::output::{map, report};

fn bench(c: &mut Criterion) {
    let plan = map_fixture::plan_with(2_900, Lang::Vi, false);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("map");
    group.sample_size(10);
    group.bench_function("map 2900", |b| {
        b.iter(|| map::write_map(&plan, dir.path()).expect("map written"))
    });
    group.bench_function("report 2900", |b| {
        b.iter(|| report::write_report(&plan, dir.path()).expect("report written"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
