//! Times the assess and candidates stages alone on a scenario, in CPU seconds as well as wall
//! time (the benchmark machine is shared): `stage_probe SCENARIO.toml [REPEATS]`.

use std::time::Instant;

use relocate::scenario::{Flags, Settings};
use relocate::{candidates, criteria, pipeline};

/// CPU seconds (user + system) this process has used, from /proc (0 where unavailable).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let ticks: f64 =
        after.split_whitespace().skip(11).take(2).filter_map(|t| t.parse::<f64>().ok()).sum();
    ticks / 100.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let scenario = std::env::args().nth(1).ok_or("usage: stage_probe SCENARIO.toml [REPEATS]")?;
    let repeats: usize = std::env::args().nth(2).and_then(|r| r.parse().ok()).unwrap_or(2);
    let args = Flags { scenario: Some(scenario.into()), quiet: true, ..Flags::default() };
    let mut settings = Settings::from_flags(&args, None)?;
    settings.keep_exclusions = std::env::var_os("KEEP_EXCLUSIONS").is_some();
    let loaded = pipeline::load(settings)?;
    for _ in 0..repeats {
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        let assessment = criteria::assess(&loaded.inputs, &loaded.settings);
        println!(
            "assess      {:>6.2} s wall {:>6.2} s CPU",
            wall.elapsed().as_secs_f64(),
            cpu_seconds() - cpu
        );
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        let found = candidates::candidates(&loaded.inputs, &assessment, &loaded.settings)?;
        println!(
            "candidates  {:>6.2} s wall {:>6.2} s CPU  ({} factories, peak RSS {:.0} MiB)",
            wall.elapsed().as_secs_f64(),
            cpu_seconds() - cpu,
            found.factories.len(),
            pipeline::peak_memory_mib()
        );
    }
    Ok(())
}
