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

/// CPU seconds (user + system) this process has used, from /proc (0 where unavailable): on a
/// busy machine wall time says more about the neighbours than about the code.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at ")"; utime and stime are
    // fields 14 and 15, i.e. the 12th and 13th after it.
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let ticks: f64 =
        after.split_whitespace().skip(11).take(2).filter_map(|t| t.parse::<f64>().ok()).sum();
    ticks / 100.0
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
    let (start, cpu_start) = (Instant::now(), cpu_seconds());
    let assessment = relocate::criteria::assess(&inputs, &settings);
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "assessed in {seconds:.2} s wall, {:.2} s CPU, on {} threads; peak RSS {:.0} MiB",
        cpu_seconds() - cpu_start,
        rayon::current_num_threads(),
        relocate::pipeline::peak_memory_mib()
    );
    print!("{}", assessment.counts());
}
