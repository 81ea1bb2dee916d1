//! Assessment benchmark: 1,000,000 synthetic factories against 100,000 zoning polygons and
//! 200,000 receptors (plus 200 line corridors, 40 parks, 5 districts), and a tenth of that for
//! quicker comparisons. Inputs are built outside the timed part; dropping the result is not
//! timed either. Run once at full scale with `cargo run --release --example assess_scale`.

use criterion::{criterion_group, criterion_main, Criterion};

#[path = "support/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

fn bench(c: &mut Criterion) {
    let settings = synthetic::settings();
    let mut group = c.benchmark_group("assess");
    group.sample_size(10);
    for (factories, zones, receptors) in [(100_000, 10_000, 20_000), (1_000_000, 100_000, 200_000)]
    {
        let inputs = synthetic::inputs(factories, zones, receptors, 42);
        group.bench_function(
            format!("{factories}_factories_{zones}_zones_{receptors}_receptors"),
            |b| b.iter_with_large_drop(|| relocate::criteria::assess(&inputs, &settings)),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
