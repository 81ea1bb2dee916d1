//! Plans a scenario up to the allocation and prints what the solver did, for tuning it:
//! `cargo run --release --example alloc_probe -- SCENARIO.toml`.

use std::time::Instant;

use relocate::pipeline;
use relocate::scenario::{Flags, Settings};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let scenario = std::env::args().nth(1).ok_or("usage: alloc_probe SCENARIO.toml")?;
    let args = Flags { scenario: Some(scenario.into()), quiet: true, ..Flags::default() };
    let settings = Settings::from_flags(&args, None)?;
    let started = Instant::now();
    let plan = pipeline::plan(settings)?;
    for t in &plan.assessed.loaded.timings.stages {
        println!("{:<11} {:>8.3} s", t.stage, t.seconds);
    }
    let a = &plan.allocation;
    println!(
        "must {}/{} (at most {})  encouraged {}/{} (at most {})  objective {:.1}  lower bound {:.1}  same counts {:.1}  gap {:.4} %  priority proven {}  exact {}",
        a.must_placed,
        a.must_placeable,
        a.must_placed_bound,
        a.encouraged_placed,
        a.encouraged_placeable,
        a.encouraged_placed_bound,
        a.objective,
        a.lower_bound,
        a.lower_bound_same_counts,
        a.gap * 100.0,
        a.priority_proven,
        a.exact
    );
    println!("total {:.2} s", started.elapsed().as_secs_f64());
    Ok(())
}
