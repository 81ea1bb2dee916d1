//! Calls the stages in order — read, validate, assess, (roads,) candidates, allocate, write —
//! and times them. No logic of its own.

use std::time::Instant;

use serde::Serialize;

use crate::allocation::{self, Allocation};
use crate::candidates::{self, Candidates};
use crate::criteria::{self, Assessment};
use crate::error::{Problem, Result};
use crate::model::Inputs;
use crate::scenario::Settings;
use crate::{input, roads, validate};

/// Time and peak memory of one stage.
#[derive(Clone, Debug, Serialize)]
pub struct StageTiming {
    pub stage: String,
    pub seconds: f64,
    /// Peak resident memory of the process so far, MiB (VmHWM).
    pub peak_memory_mib: f64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Timings {
    pub stages: Vec<StageTiming>,
    /// Show a spinner per stage (on a terminal only, and not with `--quiet`).
    #[serde(skip)]
    pub progress: bool,
}

impl Timings {
    pub fn new(quiet: bool) -> Self {
        Timings { stages: Vec::new(), progress: !quiet }
    }

    /// Runs `f` as the named stage and records its time and the peak memory after it.
    pub fn stage<T>(&mut self, stage: &str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        // indicatif draws nothing when stderr is not a terminal.
        let spinner = self.progress.then(|| {
            let bar = indicatif::ProgressBar::new_spinner().with_message(stage.to_string());
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        let out = f();
        if let Some(bar) = spinner {
            bar.finish_and_clear();
        }
        self.stages.push(StageTiming {
            stage: stage.to_string(),
            seconds: start.elapsed().as_secs_f64(),
            peak_memory_mib: peak_memory_mib(),
        });
        out
    }
}

/// Peak resident set size of this process in MiB, from /proc (0 where unavailable).
pub fn peak_memory_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Validated inputs.
#[derive(Debug)]
pub struct Loaded {
    pub settings: Settings,
    pub inputs: Inputs,
    /// Features left out with `--on-invalid skip`.
    pub skipped: Vec<Problem>,
    pub timings: Timings,
}

/// Inputs and the four-criteria verdicts.
#[derive(Debug)]
pub struct Assessed {
    pub loaded: Loaded,
    pub assessment: Assessment,
}

/// A full plan: verdicts, candidates and the allocation.
#[derive(Debug)]
pub struct Plan {
    pub assessed: Assessed,
    pub candidates: Candidates,
    pub allocation: Allocation,
}

impl Plan {
    /// Frees the per-factory candidate lists (runner-up parks and why the others were left
    /// out). Only the report and `explain` read them; at national scale they hold a gigabyte.
    pub fn drop_candidate_lists(&mut self) {
        self.candidates.factories = Vec::new();
    }
}

/// Read and validate.
pub fn load(settings: Settings) -> Result<Loaded> {
    let mut timings = Timings::new(settings.quiet);
    let raw = timings.stage("read", || input::read(&settings))?;
    let validated = timings.stage("validate", || validate::validate(raw, &settings))?;
    Ok(Loaded { settings, inputs: validated.inputs, skipped: validated.skipped, timings })
}

/// Read, validate, assess.
pub fn assess(settings: Settings) -> Result<Assessed> {
    let mut loaded = load(settings)?;
    let assessment =
        loaded.timings.stage("assess", || criteria::assess(&loaded.inputs, &loaded.settings));
    Ok(Assessed { loaded, assessment })
}

/// Read, validate, assess, find candidates, allocate.
pub fn plan(settings: Settings) -> Result<Plan> {
    let mut assessed = assess(settings)?;
    let loaded = &mut assessed.loaded;
    // The road graph is a stage of its own when the scenario gives roads.
    let network = if loaded.inputs.roads.is_empty() {
        None
    } else {
        loaded
            .timings
            .stage("roads", || roads::Network::build(&loaded.inputs, &loaded.settings.roads))
    };
    let candidates = loaded.timings.stage("candidates", || {
        candidates::candidates_with_roads(
            &loaded.inputs,
            &assessed.assessment,
            &loaded.settings,
            network,
        )
    })?;
    let allocation = loaded.timings.stage("allocate", || {
        allocation::allocate(&loaded.inputs, &assessed.assessment, &candidates, &loaded.settings)
    });
    Ok(Plan { assessed, candidates, allocation })
}
