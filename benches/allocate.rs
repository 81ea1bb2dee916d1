//! Candidates and allocation on seeded synthetic scenarios shaped like Binh Duong; inputs are
//! built outside the timed part. `cargo bench --bench allocate`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

use relocate::allocation::allocate;
use relocate::candidates::candidates;
use relocate::testkit;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("allocate");
    group.sample_size(10);
    for (factories, parks) in [(2_900, 20), (20_000, 100)] {
        let (inputs, assessment, settings) = crate::testkit::synthetic(factories, parks, 1.05, 42);
        let label = format!("{factories}x{parks}");
        group.bench_with_input(BenchmarkId::new("candidates", &label), &(), |b, _| {
            b.iter(|| candidates(&inputs, &assessment, &settings))
        });
        let Ok(found) = candidates(&inputs, &assessment, &settings) else { continue };
        group.bench_with_input(BenchmarkId::new("solve", &label), &(), |b, _| {
            b.iter(|| allocate(&inputs, &assessment, &found, &settings))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
