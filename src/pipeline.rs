//! Calls the stages in order — read, validate, assess, (roads,) candidates, allocate, write —
//! and times them. No logic of its own.

use std::time::Instant;

use serde::Serialize;

use crate::allocation::{self, Allocation};
use crate::candidates::{self, Candidates};
use crate::criteria::{self, Assessment};
use crate::error::{Problem, Result};
use crate::model::Inputs;
use crate::progress::Reporter;
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
    /// Shows each stage: a spinner on a terminal, or JSON lines (`--progress json`).
    #[serde(skip)]
    pub reporter: Reporter,
}

impl Timings {
    pub fn new(reporter: Reporter) -> Self {
        Timings { stages: Vec::new(), reporter }
    }

    /// Runs `f` as the named stage, shown by the reporter, and records its time and the peak
    /// memory after it.
    pub fn stage<T>(&mut self, stage: &str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = self.reporter.stage(stage, f);
        self.record(stage, start);
        out
    }

    /// Runs `f` as the named stage like [`Timings::stage`]; an `Err` is shown as the stage's
    /// failure.
    pub fn try_stage<T, E>(
        &mut self,
        stage: &str,
        f: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let start = Instant::now();
        let out = self.reporter.try_stage(stage, f);
        self.record(stage, start);
        out
    }

    fn record(&mut self, stage: &str, start: Instant) {
        self.stages.push(StageTiming {
            stage: stage.to_string(),
            seconds: start.elapsed().as_secs_f64(),
            peak_memory_mib: peak_memory_mib(),
        });
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
    let mut timings = Timings::new(settings.progress);
    let raw = timings.try_stage("read", || input::read(&settings))?;
    let validated = timings.try_stage("validate", || validate::validate(raw, &settings))?;
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
    let candidates = loaded.timings.try_stage("candidates", || {
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
