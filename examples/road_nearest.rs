//! How many factories have a different nearest eligible park by road than in a straight line,
//! for a scenario with roads: `cargo run --release --example road_nearest -- SCENARIO.toml`
//! (e.g. `fixtures/variants/road-distance.toml`).

use std::process::ExitCode;

use relocate::candidates::candidates_with_roads;
use relocate::roads::Network;
use relocate::scenario::{DistanceBasis, Flags, Settings};

fn main() -> ExitCode {
    let Some(scenario) = std::env::args().nth(1) else {
        eprintln!("usage: road_nearest SCENARIO.toml");
        return ExitCode::FAILURE;
    };
    let args = Flags { scenario: Some(scenario.into()), quiet: true, ..Flags::default() };
    let run = || -> relocate::Result<(usize, usize, usize)> {
        let settings = Settings::from_flags(&args, None)?;
        let assessed = relocate::pipeline::assess(settings)?;
        let (inputs, mut settings) = (&assessed.loaded.inputs, assessed.loaded.settings.clone());
        let mut nearest = |basis| -> relocate::Result<Vec<Option<usize>>> {
            settings.roads.distance = basis;
            let network = Network::build(inputs, &settings.roads);
            let c = candidates_with_roads(inputs, &assessed.assessment, &settings, network)?;
            Ok(c.factories
                .iter()
                .map(|f| {
                    f.eligible
                        .iter()
                        .min_by(|a, b| a.distance_km.total_cmp(&b.distance_km))
                        .map(|e| e.park)
                })
                .collect())
        };
        let by_road = nearest(DistanceBasis::Road)?;
        let straight = nearest(DistanceBasis::StraightLine)?;
        let differ = by_road.iter().zip(&straight).filter(|(a, b)| a != b).count();
        Ok((by_road.len(), differ, by_road.iter().filter(|p| p.is_none()).count()))
    };
    match run() {
        Ok((n, differ, none)) => {
            println!("{n} relocating factories: {differ} have another nearest eligible park by road ({none} with none by road)");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
