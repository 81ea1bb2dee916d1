//! Weight sensitivity (`relocate sensitivity`): would a factory go elsewhere if the cost weights
//! were a little different?
//!
//! 1. Read, validate, assess, find candidates and allocate once (`pipeline::plan`): the
//!    scenario's own plan.
//! 2. One at a time: each non-zero weight of `[scoring]` (or each AHP weight) moved by
//!    ±spread/2 and ±spread, the others kept (`weights::OAT_STEPS`).
//! 3. Monte Carlo: `--samples` weight vectors, every weight times a factor uniform in
//!    [1 − spread, 1 + spread], from a ChaCha8 stream seeded with `--seed`.
//! 4. For every weight vector the candidates' costs are re-weighed (`weights::reweighed`: the
//!    weighted terms scaled, no new park search) and the full capacitated allocation is solved
//!    again (`allocation::allocate`): factories still compete for land.
//! 5. Per relocating factory: the share of samples keeping its park, the runner-up, the least
//!    one-at-a-time change that moved it (`stability`); per weight, the range of objective
//!    change and of moved factories over its steps (`tornado`).
//! 6. Write `stability.csv`, `stability.geojson`, the `stability` layer of `plan.gpkg` (styled
//!    for QGIS), `tornado.svg`, `tornado.png`, `sensitivity.html` and `summary.json` through the
//!    output-folder staging (`output::folder`).
//!
//! Runs are solved in parallel and gathered in order, and the solver has no clock and no
//! randomness: the same inputs and seed give the same bytes.

pub mod page;
pub mod stability;
pub mod tornado;
pub mod weights;

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::allocation;
use crate::error::{Error, Result};
use crate::output::{folder, geojson, gpkg, map, summary, tables};
use crate::pipeline::{self, Plan};
use crate::scenario::Settings;
use crate::units::round_to;

use stability::{Class, OatOutcome, StabilityRow, STABILITY_FIELDS, STABILITY_SCHEMA};
use tornado::Bar;
use weights::{Weights, OAT_STEPS};

/// Width of `tornado.png`, px.
pub const TORNADO_PNG_WIDTH_PX: u32 = 1600;

/// Decimals of the figures in `summary.json`.
const SUMMARY_DECIMALS: i32 = 6;

/// What the user asked for, validated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Monte Carlo weight vectors, at least 1.
    pub samples: usize,
    /// Largest relative change of a weight, in [0, 1] (0.2: ±20 %).
    pub spread: f64,
    pub seed: u64,
}

impl Options {
    pub fn new(samples: usize, spread: f64, seed: u64) -> Result<Options> {
        if samples == 0 {
            return Err(Error::Usage("--samples 0: give at least 1 sample (e.g. 50)".into()));
        }
        if !(spread.is_finite() && (0.0..=1.0).contains(&spread)) {
            return Err(Error::Usage(format!(
                "--spread {spread}: give a relative change between 0 and 1 (0.2 moves each weight \
                 by up to ±20 %)"
            )));
        }
        Ok(Options { samples, spread, seed })
    }
}

/// One plan solved again under other weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The factor each weight was multiplied by, indexed like `scenario::ahp::TERMS`.
    pub factors: [f64; 5],
    /// Each relocating factory's park (in the order of the plan's assignments).
    pub parks: Vec<Option<usize>>,
    pub objective: f64,
    pub gap: f64,
    /// Relocating factories given another outcome than in the scenario's plan.
    pub moved: usize,
}

/// A one-at-a-time run: one weight moved by `change`.
#[derive(Clone, Debug, PartialEq)]
pub struct OatRun {
    /// Index into `Weights::moved`.
    pub weight: usize,
    /// Relative change of the weight (−0.2: 20 % lower).
    pub change: f64,
    pub run: Run,
}

/// The sensitivity stage's output.
#[derive(Debug)]
pub struct Sensitivity {
    pub plan: Plan,
    pub options: Options,
    pub weights: Weights,
    /// The scenario's own plan, as a run with every factor 1.
    pub base: Run,
    pub oat: Vec<OatRun>,
    pub samples: Vec<Run>,
    /// One per relocating factory, sorted by factory id.
    pub rows: Vec<StabilityRow>,
    /// One per moved weight, widest first.
    pub tornado: Vec<Bar>,
}

impl Sensitivity {
    /// The largest proven gap among the plan and every run.
    pub fn worst_gap(&self) -> f64 {
        std::iter::once(&self.base)
            .chain(self.oat.iter().map(|o| &o.run))
            .chain(&self.samples)
            .map(|r| r.gap)
            .fold(0.0, f64::max)
    }

    /// Mean of the factories' shares (1 when no factory relocates).
    pub fn mean_share(&self) -> f64 {
        if self.rows.is_empty() {
            return 1.0;
        }
        self.rows.iter().map(|r| r.share).sum::<f64>() / self.rows.len() as f64
    }

    /// Least of the factories' shares (1 when no factory relocates).
    pub fn min_share(&self) -> f64 {
        self.rows.iter().map(|r| r.share).fold(1.0, f64::min)
    }

    /// Factories per class, in `Class::ALL` order.
    pub fn class_counts(&self) -> [usize; 3] {
        Class::ALL.map(|c| self.rows.iter().filter(|r| r.class == c).count())
    }
}

/// Plans, re-solves under moved weights and writes the outputs into `settings.out_dir`.
/// (Stage entry point.)
pub fn sensitivity(mut settings: Settings, options: Options) -> Result<Sensitivity> {
    // Only the eligible parks are re-weighed; the parks left out and why are not needed.
    settings.keep_exclusions = false;
    let plan = pipeline::plan(settings)?;
    let reporter = plan.assessed.loaded.settings.progress;
    let result = reporter.stage("sensitivity", || analyse(plan, options));
    reporter.try_stage("write", || write(&result))?;
    Ok(result)
}

/// Re-solves `plan` under the one-at-a-time and Monte Carlo weight vectors of `options`.
pub fn analyse(plan: Plan, options: Options) -> Sensitivity {
    let weights = Weights::new(&plan.assessed.loaded.settings.scoring);
    let base_parks: Vec<Option<usize>> =
        plan.allocation.assignments.iter().map(|a| a.park).collect();
    let base = Run {
        factors: [1.0; 5],
        parks: base_parks.clone(),
        objective: plan.allocation.objective,
        gap: plan.allocation.gap,
        moved: 0,
    };
    let oat_plan: Vec<(usize, f64)> = (0..weights.moved.len())
        .flat_map(|w| OAT_STEPS.iter().map(move |s| (w, s * options.spread)))
        .collect();
    let draws = weights::monte_carlo(options.samples, options.spread, options.seed);
    let mut vectors: Vec<[f64; 5]> = oat_plan
        .iter()
        .map(|&(w, change)| {
            weights::one_at_a_time(weights.moved.get(w).map_or(usize::MAX, |m| m.term), change)
        })
        .collect();
    vectors.extend(draws);

    let steps = plan.assessed.loaded.settings.progress.steps("sensitivity", vectors.len() as u64);
    // Each run is one allocation; they share nothing but the plan, and are collected in order.
    let mut runs: Vec<Run> = vectors
        .par_iter()
        .map(|factors| {
            let run = solve(&plan, &weights, factors, &base_parks);
            steps.step();
            run
        })
        .collect();
    steps.finish();
    let samples = runs.split_off(oat_plan.len().min(runs.len()));
    let oat: Vec<OatRun> = oat_plan
        .into_iter()
        .zip(runs)
        .map(|((weight, change), run)| OatRun { weight, change, run })
        .collect();

    let inputs = &plan.assessed.loaded.inputs;
    let factories: Vec<usize> = plan.allocation.assignments.iter().map(|a| a.factory).collect();
    let sample_parks: Vec<Vec<Option<usize>>> = samples.iter().map(|s| s.parks.clone()).collect();
    let oat_outcomes: Vec<OatOutcome> = oat
        .iter()
        .map(|o| OatOutcome {
            weight: weights.moved.get(o.weight).map_or("", |w| w.name.as_str()),
            change: o.change,
            parks: &o.run.parks,
        })
        .collect();
    let rows = stability::stability(
        &factories,
        &base_parks,
        &sample_parks,
        &oat_outcomes,
        |f| inputs.factories.get(f).map(|f| f.id.clone()).unwrap_or_default(),
        |p| inputs.parks.get(p).map(|p| p.id.clone()).unwrap_or_default(),
    );
    let tornado = tornado::bars(&weights, &base, &oat);
    Sensitivity { plan, options, weights, base, oat, samples, rows, tornado }
}

/// The plan's allocation solved again with every weight multiplied by `factors`.
fn solve(plan: &Plan, weights: &Weights, factors: &[f64; 5], base: &[Option<usize>]) -> Run {
    let inputs = &plan.assessed.loaded.inputs;
    let candidates = weights::reweighed(inputs, &plan.candidates, &weights.term_factors(factors));
    let a = allocation::allocate(
        inputs,
        &plan.assessed.assessment,
        &candidates,
        &plan.assessed.loaded.settings,
    );
    let parks: Vec<Option<usize>> = a.assignments.iter().map(|s| s.park).collect();
    let moved = parks.iter().zip(base).filter(|(a, b)| a != b).count();
    Run { factors: *factors, parks, objective: a.objective, gap: a.gap, moved }
}

/// File names `relocate sensitivity` writes (also listed in `output::folder::OUTPUT_FILES`).
pub const FILES: [&str; 7] = [
    "stability.csv",
    "plan.gpkg",
    "stability.geojson",
    "tornado.svg",
    "tornado.png",
    "sensitivity.html",
    "summary.json",
];

/// Writes every output file into `settings.out_dir`, replacing it only when all are written.
pub fn write(s: &Sensitivity) -> Result<()> {
    let loaded = &s.plan.assessed.loaded;
    let inputs = &loaded.inputs;
    folder::replace_dir(&loaded.settings.out_dir, &folder::input_paths(&loaded.settings), |dir| {
        tables::write_csv(&s.rows, STABILITY_FIELDS, &dir.join("stability.csv"))?;
        geojson::write_points(
            &s.rows,
            |r| inputs.factories.get(r.factory).map(|f| f.location_lonlat),
            &dir.join("stability.geojson"),
        )?;
        let svg = tornado::svg(&s.tornado, loaded.settings.lang, s.options.spread);
        write_file(dir, "tornado.svg", svg.as_bytes())?;
        write_file(dir, "tornado.png", &map::render_png(&svg, TORNADO_PNG_WIDTH_PX)?)?;
        write_file(dir, "sensitivity.html", page::html(s, &svg).as_bytes())?;
        gpkg::write_point_layer(
            &dir.join(gpkg::FILE),
            "stability",
            STABILITY_SCHEMA,
            &s.rows,
            |r| inputs.factories.get(r.factory).map(|f| f.location_lonlat),
            &loaded.settings,
        )?;
        summary::write_json(&run_summary(s), &dir.join("summary.json"))
    })
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| Error::io(path, e))
}

/// `summary.json` of a sensitivity run.
#[derive(Serialize)]
struct RunSummary<'a> {
    command: &'static str,
    scenario: &'a str,
    samples: usize,
    seed: u64,
    spread: f64,
    ahp: bool,
    weights: Vec<WeightSummary<'a>>,
    oat_steps: Vec<f64>,
    relocating_factories: usize,
    plan_objective: f64,
    plan_gap: f64,
    worst_gap: f64,
    mean_share: f64,
    min_share: f64,
    stable: usize,
    moderate: usize,
    unstable: usize,
    one_at_a_time: Vec<RunFigures<'a>>,
    monte_carlo: Vec<RunFigures<'a>>,
}

#[derive(Serialize)]
struct WeightSummary<'a> {
    name: &'a str,
    value: f64,
}

#[derive(Serialize)]
struct RunFigures<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<f64>,
    /// The factor of each moved weight, in `weights` order (Monte Carlo runs).
    #[serde(skip_serializing_if = "Option::is_none")]
    factors: Option<Vec<f64>>,
    objective: f64,
    gap: f64,
    moved: usize,
}

fn rounded(v: f64) -> f64 {
    round_to(v, SUMMARY_DECIMALS)
}

fn run_summary(s: &Sensitivity) -> RunSummary<'_> {
    let settings = &s.plan.assessed.loaded.settings;
    let [stable, moderate, unstable] = s.class_counts();
    let figures = |r: &Run| RunFigures {
        weight: None,
        change: None,
        factors: None,
        objective: rounded(r.objective),
        gap: rounded(r.gap),
        moved: r.moved,
    };
    RunSummary {
        command: "sensitivity",
        scenario: &settings.name,
        samples: s.options.samples,
        seed: s.options.seed,
        spread: s.options.spread,
        ahp: s.weights.ahp,
        weights: s
            .weights
            .moved
            .iter()
            .map(|w| WeightSummary { name: &w.name, value: w.value })
            .collect(),
        oat_steps: OAT_STEPS.iter().map(|k| rounded(k * s.options.spread)).collect(),
        relocating_factories: s.rows.len(),
        plan_objective: rounded(s.base.objective),
        plan_gap: rounded(s.base.gap),
        worst_gap: rounded(s.worst_gap()),
        mean_share: rounded(s.mean_share()),
        min_share: rounded(s.min_share()),
        stable,
        moderate,
        unstable,
        one_at_a_time: s
            .oat
            .iter()
            .map(|o| RunFigures {
                weight: s.weights.moved.get(o.weight).map(|w| w.name.as_str()),
                change: Some(rounded(o.change)),
                ..figures(&o.run)
            })
            .collect(),
        monte_carlo: s
            .samples
            .iter()
            .map(|r| RunFigures {
                factors: Some(
                    s.weights
                        .moved
                        .iter()
                        .map(|w| rounded(r.factors.get(w.term).copied().unwrap_or(1.0)))
                        .collect(),
                ),
                ..figures(r)
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::Verdict;
    use crate::pipeline::{Assessed, Loaded, Timings};
    use crate::testkit::{factory, park, settings};

    /// Two factories wanting the same small park; the second-nearest is in their cluster.
    fn small_plan(cluster_mismatch: f64) -> Plan {
        let mut parks = vec![park("P-near", 2_000.0, 0.0, 3.0), park("P-far", 9_000.0, 0.0, 10.0)];
        parks[1].sectors = vec!["food".into(), "textiles".into()];
        let inputs = crate::testkit::inputs(
            vec![factory("F1", 0.0, 0.0, 2.0, "food"), factory("F2", 0.0, 500.0, 2.0, "textiles")],
            parks,
        );
        let mut s = settings();
        s.scoring.cluster_mismatch = cluster_mismatch;
        s.scoring.workforce_per_1000_employee_km = 0.0;
        s.scoring.class_mismatch = 0.0;
        s.scoring.waiting_per_year = 0.0;
        let assessment = crate::testkit::assessment(&inputs, |_| (Verdict::MustRelocate, 2030));
        let loaded = Loaded {
            settings: s,
            inputs,
            skipped: Vec::new(),
            timings: Timings::new(crate::progress::Reporter::hidden()),
        };
        let assessed = Assessed { loaded, assessment };
        let candidates = crate::candidates::candidates(
            &assessed.loaded.inputs,
            &assessed.assessment,
            &assessed.loaded.settings,
        )
        .unwrap();
        let allocation = allocation::allocate(
            &assessed.loaded.inputs,
            &assessed.assessment,
            &candidates,
            &assessed.loaded.settings,
        );
        Plan { assessed, candidates, allocation }
    }

    #[test]
    fn options_refuse_no_samples_and_spreads_outside_zero_to_one() {
        assert!(Options::new(50, 0.2, 1).is_ok());
        assert_eq!(Options::new(0, 0.2, 1).unwrap_err().exit_code(), 2);
        assert!(Options::new(5, 1.5, 1).is_err());
        assert!(Options::new(5, -0.1, 1).is_err());
        assert!(Options::new(5, f64::NAN, 1).is_err());
    }

    #[test]
    fn without_spread_every_run_repeats_the_plan() {
        let plan = small_plan(2.0);
        let s = analyse(plan, Options::new(5, 0.0, 3).unwrap());
        assert!(s
            .samples
            .iter()
            .chain(s.oat.iter().map(|o| &o.run))
            .all(|r| r.parks == s.base.parks));
        assert!(s.rows.iter().all(|r| r.share == 1.0 && r.class == Class::Stable));
        assert!(s.tornado.iter().all(|b| b.moved_max == 0));
    }

    #[test]
    fn one_at_a_time_runs_cover_each_moved_weight_in_steps() {
        let s = analyse(small_plan(2.0), Options::new(3, 0.2, 3).unwrap());
        let names: Vec<&str> = s.weights.moved.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(names, ["distance_per_km", "cluster_mismatch"]);
        let steps: Vec<(usize, f64)> = s.oat.iter().map(|o| (o.weight, o.change)).collect();
        assert_eq!(
            steps,
            [(0, -0.2), (0, -0.1), (0, 0.1), (0, 0.2), (1, -0.2), (1, -0.1), (1, 0.1), (1, 0.2)]
        );
        assert_eq!(s.samples.len(), 3);
        assert_eq!(s.tornado.len(), 2);
        let again = analyse(small_plan(2.0), Options::new(3, 0.2, 3).unwrap());
        assert_eq!(s.samples, again.samples);
        assert_eq!(s.rows, again.rows);
    }
}
