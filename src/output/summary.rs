//! `summary.json` (audit and scripts) and `timings.json` (tuning).
//!
//! 1. Counts by verdict and status, land and workforce moved, objective, bound and gap.
//! 2. Per-criterion figures (met, by basis, unknown) and per-park figures (the park rows).
//! 3. The audit trail: every input file with its SHA-256, CRS and feature count, the scenario
//!    (file, SHA-256 and text), tool version, working CRS and distance basis.
//! 4. Timings are the only output that differs between runs; they live in their own file.

use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use crate::allocation::{Allocation, Shortfall};
use crate::criteria::{Assessment, Basis, Criterion, Finding, Verdict};
use crate::error::{Error, Result};
use crate::model::{InputFile, WorkingCrs};
use crate::output::i18n;
use crate::output::rows::{FactoryRow, ParkRow};
use crate::pipeline::{Loaded, StageTiming, Timings};
use crate::scenario::ChainFile;
use crate::units::round_to;

#[derive(Debug, Serialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub title: String,
    pub file: String,
    pub sha256: String,
    pub text: String,
    /// Every scenario file behind the run with its SHA-256: the file given, then the base it
    /// is a variant of, and so on (one file for a scenario that is no variant).
    pub files: Vec<ChainFile>,
}

#[derive(Debug, Serialize)]
pub struct CriterionFigures {
    pub code: &'static str,
    pub field: &'static str,
    pub label: &'static str,
    /// Factories (in scope) for which the criterion holds.
    pub met: usize,
    /// … of which on an inspection record, on screening, on both.
    pub met_record: usize,
    pub met_screening: usize,
    pub met_record_and_screening: usize,
    /// Factories for which the criterion holds and no other does.
    pub met_alone: usize,
    pub not_met: usize,
    pub unknown: usize,
    pub off: usize,
}

/// Factories whose inspection record says they comply where the screening finds a criterion:
/// the scenario's rule decided them one way, an inspection should confirm it ("inspect first").
#[derive(Debug, Serialize)]
pub struct Disagreements {
    /// `[criteria] record_overrides_screening`: `true` when the record decided (not met),
    /// `false` when the screening did (met).
    pub record_overrides_screening: bool,
    /// Factories with at least one such criterion.
    pub factories: usize,
    /// By criterion code, `C1`..`C4` (a factory can count under several).
    pub by_criterion: std::collections::BTreeMap<&'static str, usize>,
}

#[derive(Debug, Serialize)]
pub struct LandFigures {
    /// Land needed by the factories that relocate (must_relocate + encouraged), ha.
    pub relocating_ha: f64,
    pub assigned_ha: f64,
    pub unassigned_ha: f64,
    /// Vacant land offered by every park, ha.
    pub available_ha: f64,
}

/// `summary.json`'s `roads`: the graph built, what was dropped, who could not be joined.
#[derive(Debug, Serialize)]
pub struct RoadFigures {
    pub network: crate::roads::NetworkReport,
    /// `km` or `minutes`.
    pub metric: crate::scenario::Metric,
    pub profile: crate::scenario::Profile,
    pub max_snap_m: f64,
    /// Relocating factories joined to the roads, and those farther than `max_snap_m` (they
    /// keep their straight-line distance, flagged), with their ids.
    pub factories_snapped: usize,
    pub factories_unsnapped: usize,
    pub unsnapped_factory_ids: Vec<String>,
    /// Destination parks farther than `max_snap_m` from every road (unreachable by road).
    pub parks_unsnapped: usize,
    pub unsnapped_park_ids: Vec<String>,
    /// Destination parks joined at their gates (`[inputs] gates`), and the gates that reach a
    /// road; left out without gates.
    #[serde(skip_serializing_if = "is_zero")]
    pub parks_at_gates: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub gates_joined: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The road figures of a plan with a road network.
pub fn road_figures(
    inputs: &crate::model::Inputs,
    candidates: &crate::candidates::Candidates,
) -> Option<RoadFigures> {
    let plan = candidates.roads.as_deref()?;
    let d = &plan.distances;
    let mut factory_ids: Vec<String> = d
        .unsnapped_factories
        .iter()
        .filter_map(|&f| inputs.factories.get(f).map(|x| x.id.clone()))
        .collect();
    factory_ids.sort();
    let mut park_ids: Vec<String> = d
        .unsnapped_parks
        .iter()
        .filter_map(|&p| inputs.parks.get(p).map(|x| x.id.clone()))
        .collect();
    park_ids.sort();
    let gated = inputs.gates_by_park();
    let at_gates: Vec<&Vec<crate::roads::snap::Snap>> = d
        .park_joins
        .iter()
        .zip(&inputs.parks)
        .filter(|(_, p)| gated.contains_key(p.id.trim()))
        .map(|(j, _)| j)
        .collect();
    let mut network = plan.network.graph.report.clone();
    network.dropped_km = round_to(network.dropped_km, 3);
    network.dropped_share = round_to(network.dropped_share, 6);
    Some(RoadFigures {
        network,
        metric: plan.network.settings.metric,
        profile: plan.network.settings.profile,
        max_snap_m: plan.network.settings.max_snap_m,
        factories_snapped: d.factory_snaps.iter().filter(|s| s.is_some()).count(),
        factories_unsnapped: factory_ids.len(),
        unsnapped_factory_ids: factory_ids,
        parks_unsnapped: park_ids.len(),
        unsnapped_park_ids: park_ids,
        parks_at_gates: at_gates.iter().filter(|j| !j.is_empty()).count(),
        gates_joined: at_gates.iter().map(|j| j.len()).sum(),
    })
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub tool: &'static str,
    pub version: &'static str,
    pub command: &'static str,
    pub scenario: ScenarioInfo,
    pub language: crate::model::Lang,
    pub working_crs: WorkingCrs,
    pub output_crs: &'static str,
    pub distance_basis: &'static str,
    /// The road network and how the plan's points joined it (only with `[inputs] roads`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roads: Option<RoadFigures>,
    pub factories_total: usize,
    pub must_relocate: usize,
    pub encouraged: usize,
    pub may_stay: usize,
    pub out_of_scope: usize,
    /// `None` for `relocate assess`, which allocates nothing.
    pub assigned: Option<usize>,
    pub unassigned: Option<usize>,
    /// Relocating factories that must move (must_relocate) and found no park.
    pub unassigned_must_relocate: Option<usize>,
    pub employees_relocating: u64,
    pub employees_assigned: Option<u64>,
    pub land: LandFigures,
    pub objective: Option<f64>,
    pub lower_bound: Option<f64>,
    pub gap: Option<f64>,
    /// Whether it is proven that no plan places more must_relocate factories (nor as many and
    /// more encouraged ones); false can happen only when some are left without a park.
    pub priority_proven: Option<bool>,
    /// must_relocate factories placed, and the most any plan places (proven; equal when
    /// `priority_proven`).
    pub placed_must_relocate: Option<usize>,
    pub placed_must_relocate_bound: Option<usize>,
    /// encouraged factories placed, and the most any plan placing as many must_relocate
    /// factories places (proven).
    pub placed_encouraged: Option<usize>,
    pub placed_encouraged_bound: Option<usize>,
    /// Whether `--time-limit` stopped the solver early (the plan is the best found by then).
    pub time_limit_reached: Option<bool>,
    pub criteria: Vec<CriterionFigures>,
    pub record_screening_disagreements: Disagreements,
    /// The cost weights in force (the scenario's after its variants are merged): the five
    /// `[scoring]` weights, and the AHP weights by term when a pairwise matrix replaces them.
    pub cost_weights: std::collections::BTreeMap<String, f64>,
    pub parks: Vec<ParkRow>,
    pub shortfalls: Vec<Shortfall>,
    pub inputs: Vec<InputFile>,
    /// Features left out with `--on-invalid skip`, as `file: feature: field: problem`.
    pub skipped: Vec<String>,
}

use crate::model::sha256_hex;

fn criterion_figures(loaded: &Loaded, assessment: &Assessment) -> Vec<CriterionFigures> {
    Criterion::ALL
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let mut f = CriterionFigures {
                code: c.code(),
                field: c.field(),
                label: i18n::criterion(loaded.settings.lang, c),
                met: 0,
                met_record: 0,
                met_screening: 0,
                met_record_and_screening: 0,
                met_alone: 0,
                not_met: 0,
                unknown: 0,
                off: 0,
            };
            for a in assessment.factories.iter().filter(|a| a.verdict != Verdict::OutOfScope) {
                let Some(r) =
                    a.results.iter().find(|r| r.criterion == c).or_else(|| a.results.get(i))
                else {
                    continue;
                };
                match r.finding {
                    Finding::Met => {
                        f.met += 1;
                        match r.basis {
                            Basis::Record => f.met_record += 1,
                            Basis::Screening => f.met_screening += 1,
                            Basis::RecordAndScreening => f.met_record_and_screening += 1,
                            Basis::None => {}
                        }
                        if a.results.iter().filter(|r| r.finding == Finding::Met).count() == 1 {
                            f.met_alone += 1;
                        }
                    }
                    Finding::NotMet => f.not_met += 1,
                    Finding::Unknown => f.unknown += 1,
                    Finding::Off => f.off += 1,
                }
            }
            f
        })
        .collect()
}

fn disagreements(loaded: &Loaded, assessment: &Assessment) -> Disagreements {
    let mut by_criterion: std::collections::BTreeMap<&'static str, usize> =
        Criterion::ALL.into_iter().map(|c| (c.code(), 0)).collect();
    let mut factories = 0;
    for a in &assessment.factories {
        let mut any = false;
        for c in a.disagreements() {
            *by_criterion.entry(c.code()).or_default() += 1;
            any = true;
        }
        factories += usize::from(any);
    }
    Disagreements {
        record_overrides_screening: loaded.settings.criteria.record_overrides_screening,
        factories,
        by_criterion,
    }
}

fn cost_weights(s: &crate::scenario::Scoring) -> std::collections::BTreeMap<String, f64> {
    let mut out: std::collections::BTreeMap<String, f64> = [
        ("distance_per_km", s.distance_per_km),
        ("workforce_per_1000_employee_km", s.workforce_per_1000_employee_km),
        ("cluster_mismatch", s.cluster_mismatch),
        ("class_mismatch", s.class_mismatch),
        ("waiting_per_year", s.waiting_per_year),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Some(ahp) = &s.ahp {
        for (term, w) in crate::scenario::ahp::TERMS.iter().zip(ahp.weights) {
            out.insert(format!("ahp.{term}"), round_to(w, 6));
        }
    }
    out
}

/// Builds the summary; `allocation` is `None` for `relocate assess`.
pub fn summary(
    loaded: &Loaded,
    assessment: &Assessment,
    allocation: Option<&Allocation>,
    factories: &[FactoryRow],
    parks: &[ParkRow],
) -> Summary {
    let settings = &loaded.settings;
    let count = |v: Verdict| factories.iter().filter(|r| r.verdict_kind == v).count();
    let relocating = || factories.iter().filter(|r| r.verdict_kind.relocates());
    let assigned = || relocating().filter(|r| r.park.is_some());
    let land = |it: &mut dyn Iterator<Item = &FactoryRow>| round_to(it.map(|r| r.land_ha).sum(), 3);
    let employees = |it: &mut dyn Iterator<Item = &FactoryRow>| {
        it.map(|r| u64::from(r.employees.unwrap_or(0))).sum::<u64>()
    };
    let planned = allocation.is_some();
    Summary {
        tool: env!("CARGO_PKG_NAME"),
        version: env!("CARGO_PKG_VERSION"),
        command: if planned { "plan" } else { "assess" },
        scenario: ScenarioInfo {
            name: settings.name.clone(),
            title: settings.title.clone(),
            file: settings.scenario_shown.clone(),
            sha256: sha256_hex(settings.scenario_text.as_bytes()),
            text: settings.scenario_text.clone(),
            files: settings.chain.files.clone(),
        },
        language: settings.lang,
        working_crs: loaded.inputs.working_crs.clone(),
        output_crs: "EPSG:4326",
        distance_basis: settings.roads.distance.as_str(),
        roads: None,
        factories_total: factories.len(),
        must_relocate: count(Verdict::MustRelocate),
        encouraged: count(Verdict::Encouraged),
        may_stay: count(Verdict::MayStay),
        out_of_scope: count(Verdict::OutOfScope),
        assigned: planned.then(|| assigned().count()),
        unassigned: planned.then(|| relocating().filter(|r| r.park.is_none()).count()),
        unassigned_must_relocate: planned.then(|| {
            relocating()
                .filter(|r| r.park.is_none() && r.verdict_kind == Verdict::MustRelocate)
                .count()
        }),
        employees_relocating: employees(&mut relocating()),
        employees_assigned: planned.then(|| employees(&mut assigned())),
        land: LandFigures {
            relocating_ha: land(&mut relocating()),
            assigned_ha: land(&mut assigned()),
            unassigned_ha: land(&mut relocating().filter(|r| r.park.is_none())),
            available_ha: round_to(loaded.inputs.parks.iter().map(|p| p.available_ha).sum(), 3),
        },
        objective: allocation.map(|a| round_to(a.objective, 3)),
        lower_bound: allocation.map(|a| round_to(a.lower_bound, 3)),
        gap: allocation.map(|a| round_to(a.gap, 6)),
        priority_proven: allocation.map(|a| a.priority_proven),
        placed_must_relocate: allocation.map(|a| a.must_placed),
        placed_must_relocate_bound: allocation.map(|a| a.must_placed_bound),
        placed_encouraged: allocation.map(|a| a.encouraged_placed),
        placed_encouraged_bound: allocation.map(|a| a.encouraged_placed_bound),
        time_limit_reached: allocation.map(|a| a.time_limit_reached),
        criteria: criterion_figures(loaded, assessment),
        record_screening_disagreements: disagreements(loaded, assessment),
        cost_weights: cost_weights(&settings.scoring),
        parks: if planned { parks.to_vec() } else { Vec::new() },
        shortfalls: allocation
            .map(|a| {
                let mut s = a.shortfalls.clone();
                for x in &mut s {
                    x.land_ha = round_to(x.land_ha, 3);
                }
                s
            })
            .unwrap_or_default(),
        inputs: {
            let mut files = loaded.inputs.files.clone();
            files.sort_by(|a, b| a.layer.cmp(&b.layer).then(a.path.cmp(&b.path)));
            files
        },
        skipped: loaded.skipped.iter().map(ToString::to_string).collect(),
    }
}

pub fn write_json<T: Serialize>(value: &T, path: &Path) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Output(format!("{}: {e}", path.display())))?;
    text.push('\n');
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}

/// `timings.json`: the pipeline's stages plus `write`, timed from `write_started`.
pub fn timings(loaded_timings: &Timings, write_started: Instant) -> Timings {
    let mut t = loaded_timings.clone();
    t.stages.push(StageTiming {
        stage: "write".to_string(),
        seconds: write_started.elapsed().as_secs_f64(),
        peak_memory_mib: crate::pipeline::peak_memory_mib(),
    });
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_empty_text_is_the_known_digest() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
