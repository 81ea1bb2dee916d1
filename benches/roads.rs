//! Road distances on seeded synthetic lattices: building the graph, and every factory's nearest
//! parks by road (one search per park). Inputs are built outside the timed part.
//! `cargo bench --bench roads`; the full-scale run is `cargo run --release --example roads_scale`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "support/road_world.rs"]
mod road_world;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use relocate::roads::Network;
use relocate::scenario::RoadSettings;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("roads");
    group.sample_size(10);
    for (side, factories, parks) in [(100, 10_000, 20), (300, 50_000, 100)] {
        let inputs = road_world::world(side, 500.0, factories, parks, 42);
        let settings = RoadSettings::default();
        let label = format!("{}nodes-{factories}x{parks}", side * side);
        group.bench_with_input(BenchmarkId::new("build", &label), &(), |b, _| {
            b.iter(|| Network::build(&inputs, &settings))
        });
        let network = Network::build(&inputs, &settings).unwrap();
        let all_f: Vec<usize> = (0..inputs.factories.len()).collect();
        let all_p: Vec<usize> = (0..inputs.parks.len()).collect();
        group.bench_with_input(BenchmarkId::new("distances", &label), &(), |b, _| {
            b.iter(|| network.distances(&inputs, &all_f, &all_p, |_, _| true, 10, 80_000.0))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
