//! A seeded synthetic road world for the road benchmarks: a jittered lattice of roads (one road
//! per row and per column, every fifth a faster class, one row in ten one-way), factories at
//! random points and square parks, all in metres.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use relocate::model::{Inputs, Oneway};
use relocate::testkit;

/// `side × side` lattice points `spacing_m` apart, `factories` factories, `parks` parks.
pub fn world(side: usize, spacing_m: f64, factories: usize, parks: usize, seed: u64) -> Inputs {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let jitter: Vec<(f64, f64)> = (0..side * side)
        .map(|_| (rng.gen_range(-0.2..0.2) * spacing_m, rng.gen_range(-0.2..0.2) * spacing_m))
        .collect();
    let at = |i: usize, j: usize| {
        let (dx, dy) = jitter.get(j * side + i).copied().unwrap_or((0.0, 0.0));
        (i as f64 * spacing_m + dx, j as f64 * spacing_m + dy)
    };
    let mut roads = Vec::with_capacity(2 * side);
    for j in 0..side {
        let points: Vec<(f64, f64)> = (0..side).map(|i| at(i, j)).collect();
        let oneway = if j % 10 == 5 { Oneway::Forward } else { Oneway::Both };
        let mut r = testkit::road(&format!("row{j}"), &points, oneway);
        r.class = if j % 5 == 0 { "secondary" } else { "residential" }.into();
        roads.push(r);
    }
    for i in 0..side {
        let points: Vec<(f64, f64)> = (0..side).map(|j| at(i, j)).collect();
        let mut r = testkit::road(&format!("col{i}"), &points, Oneway::Both);
        r.class = if i % 5 == 0 { "primary" } else { "residential" }.into();
        roads.push(r);
    }
    let extent = (side - 1) as f64 * spacing_m;
    let factories = (0..factories)
        .map(|k| {
            let (x, y) = (rng.gen_range(0.0..extent), rng.gen_range(0.0..extent));
            testkit::factory(&format!("F{k:07}"), x, y, 1.0, "food")
        })
        .collect();
    let parks = (0..parks)
        .map(|k| {
            let (x, y) = (rng.gen_range(0.0..extent), rng.gen_range(0.0..extent));
            testkit::park_sized(&format!("P{k:05}"), x, y, 1_000.0, 500.0)
        })
        .collect();
    let mut inputs = testkit::inputs(factories, parks);
    inputs.roads = roads;
    inputs
}
