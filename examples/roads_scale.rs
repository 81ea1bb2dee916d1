//! Road distances at national scale, timed by hand (not a timed test): builds the graph of a
//! 1,000 × 1,000 lattice (1,000,000 nodes, 500 m apart: 500 × 500 km) and computes the road
//! distances from 1,000,000 factories to 2,000 parks within 80 km, keeping each factory's 10
//! nearest. Prints each step's time and the peak resident memory.
//! `cargo run --release --example roads_scale [SIDE FACTORIES PARKS]`

#[path = "../benches/support/road_world.rs"]
mod road_world;

use std::hash::{Hash, Hasher};
use std::time::Instant;

use relocate::roads::Network;
use relocate::scenario::RoadSettings;

fn arg(n: usize, default: usize) -> usize {
    std::env::args().nth(n).and_then(|a| a.parse().ok()).unwrap_or(default)
}

/// CPU seconds used so far by the whole process, all threads: (user, system).
fn cpu_s() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and
    // 13th, in clock ticks (100 a second on Linux).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let field = |i: usize| rest.split_whitespace().nth(i).and_then(|v| v.parse::<f64>().ok());
    (field(11).unwrap_or(0.0) / 100.0, field(12).unwrap_or(0.0) / 100.0)
}

/// CPU used since `before`, for a step's line.
fn cpu_since(before: (f64, f64)) -> String {
    let now = cpu_s();
    format!("{:.2} s user + {:.2} s sys", now.0 - before.0, now.1 - before.1)
}

fn main() {
    let (side, factories, parks) = (arg(1, 1_000), arg(2, 1_000_000), arg(3, 2_000));
    let start = Instant::now();
    let inputs = road_world::world(side, 500.0, factories, parks, 42);
    println!(
        "inputs: {} roads, {factories} factories, {parks} parks in {:.2} s (peak RSS {:.0} MiB)",
        inputs.roads.len(),
        start.elapsed().as_secs_f64(),
        relocate::pipeline::peak_memory_mib()
    );
    let start = Instant::now();
    let cpu = cpu_s();
    let Some(network) = Network::build(&inputs, &RoadSettings::default()) else {
        eprintln!("no roads");
        return;
    };
    let build_s = start.elapsed().as_secs_f64();
    let r = &network.graph.report;
    println!(
        "graph: {} nodes, {} links ({} nodes dropped) in {build_s:.2} s, {} (peak RSS {:.0} MiB)",
        r.nodes,
        r.links,
        r.dropped_nodes,
        cpu_since(cpu),
        relocate::pipeline::peak_memory_mib()
    );
    let all_f: Vec<usize> = (0..inputs.factories.len()).collect();
    let all_p: Vec<usize> = (0..inputs.parks.len()).collect();
    let start = Instant::now();
    let cpu = cpu_s();
    let d = network.distances(&inputs, &all_f, &all_p, |_, _| true, 10, 80_000.0);
    let dist_s = start.elapsed().as_secs_f64();
    let pairs: usize = d.by_factory.iter().map(Vec::len).sum();
    // A fingerprint of every list, so a faster build can be checked to give the same figures.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for list in &d.by_factory {
        list.len().hash(&mut h);
        for (park, leg) in list {
            park.hash(&mut h);
            for x in [leg.network_m, leg.entry_m, leg.exit_m, leg.minutes] {
                x.to_bits().hash(&mut h);
            }
        }
    }
    println!(
        "distances: {parks} searches, {pairs} nearest pairs kept, {} factories unsnapped, in {dist_s:.2} s, {} (peak RSS {:.0} MiB)",
        d.unsnapped_factories.len(),
        cpu_since(cpu),
        relocate::pipeline::peak_memory_mib()
    );
    println!("total graph + distances: {:.2} s", build_s + dist_s);
    println!("lists fingerprint: {:016x}", h.finish());
}
