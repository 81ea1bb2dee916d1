//! Runs the assessment once at full benchmark scale and prints its time and the process's peak
//! resident memory: `cargo run --release --example assess_scale [FACTORIES ZONES RECEPTORS]`
//! (default 1,000,000 factories, 100,000 zoning polygons, 200,000 receptors).

#[path = "../benches/support/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

use std::time::Instant;

fn arg(n: usize, default: usize) -> usize {
    std::env::args().nth(n).and_then(|a| a.parse().ok()).unwrap_or(default)
}

fn main() {
    let (factories, zones, receptors) = (arg(1, 1_000_000), arg(2, 100_000), arg(3, 200_000));
    let start = Instant::now();
    let inputs = synthetic::inputs(factories, zones, receptors, 42);
    let settings = synthetic::settings();
    println!(
        "built {factories} factories, {zones} zones, {receptors} receptors in {:.2} s (peak RSS {:.0} MiB)",
        start.elapsed().as_secs_f64(),
        relocate::pipeline::peak_memory_mib()
    );
    let start = Instant::now();
    let assessment = relocate::criteria::assess(&inputs, &settings);
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "assessed in {seconds:.2} s on {} threads; peak RSS {:.0} MiB",
        rayon::current_num_threads(),
        relocate::pipeline::peak_memory_mib()
    );
    print!("{}", assessment.counts());
}
