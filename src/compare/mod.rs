//! `relocate compare`: what changed between finished plans. It reads the folders `relocate plan`
//! wrote and never re-solves.
//!
//! 1. Read every run folder (`read`): `summary.json`, the factory and park rows, and positions
//!    from the GeoJSON layers; every folder that is not a finished plan is named, all at once.
//! 2. Label the runs by their folder names, made unique.
//! 3. Indicators: counts, land, objective, bound, gap, distances, workers and per-park fill,
//!    each run against the first (`Indicator`).
//! 4. Changed factories: every id whose verdict, park or move year differs between any runs, or
//!    that exists in some runs only, with the reason as far as the runs tell it (`Reason`).
//! 5. Write `comparison.csv`, `changed.csv`, `changes.geojson` and `compare.html` into a
//!    temporary folder moved into place when complete (`write`, `html`).

pub mod html;
pub mod read;
pub mod write;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::Lang;
use crate::output::i18n::{term, Term};

pub use read::{FactoryRec, ParkRec, Run};
pub use write::write;

/// What the user asked of `relocate compare`, checked.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The folder to write into (replaced as a whole when complete).
    pub out_dir: PathBuf,
    /// Language of `compare.html` and of the reasons in `changed.csv`.
    pub lang: Lang,
    pub quiet: bool,
    /// Shows the stages (`--progress`).
    pub progress: crate::progress::Reporter,
}

/// The comparison of two or more plans: what every writer shows.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// The runs in the order given; the first is the one the others are measured against.
    pub runs: Vec<Run>,
    pub indicators: Vec<Indicator>,
    /// Changed factories, by id.
    pub changed: Vec<Changed>,
    pub lang: Lang,
}

/// How an indicator's values are written: a count, or a measure with fixed decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimals(pub usize);

/// One row of `comparison.csv`: a figure of every run.
#[derive(Clone, Debug, PartialEq)]
pub struct Indicator {
    /// The name in `comparison.csv` (`assigned`, `fill_pct:KCN-VSIP-III`).
    pub key: String,
    /// Per run, in run order; `None` when the run does not have it (a park absent from it).
    pub values: Vec<Option<f64>>,
    pub decimals: Decimals,
}

impl Indicator {
    /// The value of run `k` less the first run's, when both exist.
    pub fn delta(&self, k: usize) -> Option<f64> {
        Some(self.values.get(k).copied()?? - self.values.first().copied()??)
    }

    /// The change of run `k` in per cent of the first run's value; 0 when both are 0, `None`
    /// when only the first is 0 (no finite share).
    pub fn delta_pct(&self, k: usize) -> Option<f64> {
        let base = self.values.first().copied()??;
        let delta = self.delta(k)?;
        if base == 0.0 {
            (delta == 0.0).then_some(0.0)
        } else {
            Some(100.0 * delta / base.abs())
        }
    }
}

/// Why a factory's plan differs from the first run's, as far as the run folders tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The id exists only in these runs (labels).
    OnlyIn(Vec<String>),
    /// Its verdict differs (different criteria met).
    VerdictChanged,
    /// The park it had offers no land in the later run (absent, or `available_ha` 0).
    ParkClosed,
    /// The park it has in the later run offered no land in the first.
    ParkOpened,
    /// The park it had is full in the later run and holds must_relocate factories it did not
    /// before, while this factory is only encouraged.
    CapacityPriority,
    /// The park it had is full in the later run with factories it did not hold before.
    CapacityOther,
    /// Same park, a later move year.
    LaterDeadline,
    /// Same park, an earlier move year.
    EarlierDeadline,
    /// Another park while the old one still had room, and the scenarios weigh costs differently.
    WeightChange,
    /// Another park while the old one still had room, with the same weights: the solver placed
    /// it differently around the other changes.
    Reoptimised,
}

impl Reason {
    /// The reason in words.
    pub fn text(&self, lang: Lang) -> String {
        let t = |t: Term| term(lang, t).to_string();
        match self {
            Reason::OnlyIn(runs) => term(lang, Term::ReasonOnlyIn).replace("{n}", &runs.join(", ")),
            Reason::VerdictChanged => t(Term::ReasonVerdictChanged),
            Reason::ParkClosed => t(Term::ReasonParkClosed),
            Reason::ParkOpened => t(Term::ReasonParkOpened),
            Reason::CapacityPriority => t(Term::ReasonCapacityPriority),
            Reason::CapacityOther => t(Term::ReasonCapacityOther),
            Reason::LaterDeadline => t(Term::ReasonLaterDeadline),
            Reason::EarlierDeadline => t(Term::ReasonEarlierDeadline),
            Reason::WeightChange => t(Term::ReasonWeightChange),
            Reason::Reoptimised => t(Term::ReasonReoptimised),
        }
    }
}

/// A factory whose plan differs between the runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Changed {
    pub id: String,
    /// Its name in the first run that has it.
    pub name: String,
    /// Its record per run, in run order (`None` where the run lacks the id).
    pub records: Vec<Option<FactoryRec>>,
    /// Per later run that differs from the first: (run index, reason). An id missing from the
    /// first run is compared with the first run that has it.
    pub reasons: Vec<(usize, Reason)>,
}

impl Changed {
    /// The reasons in words: one, or `run: reason` for each differing run when more than two
    /// runs are compared.
    pub fn reason_text(&self, runs: &[Run], lang: Lang) -> String {
        if let Some((_, r @ Reason::OnlyIn(_))) = self.reasons.first() {
            return r.text(lang);
        }
        if runs.len() <= 2 {
            return self.reasons.first().map(|(_, r)| r.text(lang)).unwrap_or_default();
        }
        self.reasons
            .iter()
            .map(|(k, r)| {
                let label = runs.get(*k).map_or("", |run| run.label.as_str());
                format!("{label}: {}", r.text(lang))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The ids of the runs that lack this factory.
    pub fn only_in(&self) -> Option<&[String]> {
        match self.reasons.first() {
            Some((_, Reason::OnlyIn(runs))) => Some(runs),
            _ => None,
        }
    }
}

/// Compares finished plan folders: reads them all, then measures every run against the first.
pub fn compare(runs: &[PathBuf], settings: &Settings) -> Result<Comparison> {
    if runs.len() < 2 {
        return Err(Error::Usage(format!(
            "compare: needs at least two plan folders, got {}; e.g. `relocate compare maps/base maps/variant --out maps/compare`",
            runs.len()
        )));
    }
    let mut problems = Vec::new();
    let mut read: Vec<Run> =
        runs.iter().filter_map(|dir| read::read_run(dir, &mut problems)).collect();
    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        // Listed one per line like input problems, but as a usage error: the remedy is to name
        // finished plan folders, not to skip features.
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(Error::Usage(lines.join("\n")));
    }
    check_out_dir(&settings.out_dir, &read)?;
    label_runs(&mut read);
    let indicators = indicators(&read);
    let changed = changed(&read);
    Ok(Comparison { runs: read, indicators, changed, lang: settings.lang })
}

/// The output folder must not be a run folder nor inside one: `compare` never writes there.
fn check_out_dir(out: &Path, runs: &[Run]) -> Result<()> {
    let resolve = |p: &Path| {
        p.canonicalize().unwrap_or_else(|_| {
            std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.to_path_buf())
        })
    };
    let out_abs = resolve(out);
    for run in runs {
        if out_abs.starts_with(resolve(&run.dir)) {
            return Err(Error::Usage(format!(
                "--out {}: is inside the plan folder {}; compare never writes into a plan it reads, so choose another folder",
                out.display(),
                run.dir.display()
            )));
        }
    }
    Ok(())
}

/// Each run's folder name; a name two folders share gets `_2`, `_3`… in the order given.
fn label_runs(runs: &mut [Run]) {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for run in runs.iter_mut() {
        let base = run
            .dir
            .canonicalize()
            .unwrap_or_else(|_| run.dir.clone())
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "run".to_string());
        let mut label = base.clone();
        let mut n = 2;
        while taken.contains(&label) {
            label = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(label.clone());
        run.label = label;
    }
}

/// The 95th percentile by the nearest-rank method: the smallest value at least 95 % of the
/// values do not exceed (an actual move's distance, never an interpolation).
pub fn percentile_95(values: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let rank = (0.95 * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.saturating_sub(1)).copied()
}

/// The factories a run places in a park.
fn moved(run: &Run) -> impl Iterator<Item = &FactoryRec> {
    run.factories.values().filter(|f| f.park_id.is_some())
}

/// The indicators of every run, in `comparison.csv` order.
fn indicators(runs: &[Run]) -> Vec<Indicator> {
    let per_run = |f: &dyn Fn(&Run) -> Option<f64>| runs.iter().map(f).collect::<Vec<_>>();
    let summary = |key: &str, decimals: usize| Indicator {
        key: key.to_string(),
        values: per_run(&|r| r.figure(key)),
        decimals: Decimals(decimals),
    };
    let mut out = vec![
        summary("must_relocate", 0),
        summary("encouraged", 0),
        summary("assigned", 0),
        summary("unassigned", 0),
        summary("unassigned_must_relocate", 0),
        Indicator {
            key: "land_allocated_ha".into(),
            values: per_run(&|r| {
                r.figure("land/assigned_ha")
                    .or_else(|| Some(r.parks.values().map(|p| p.allocated_ha).sum()))
            }),
            decimals: Decimals(3),
        },
        summary("objective", 3),
        summary("lower_bound", 3),
        summary("gap", 6),
        Indicator {
            key: "distance_total_km".into(),
            values: per_run(&|r| Some(moved(r).filter_map(|f| f.distance_km).sum())),
            decimals: Decimals(3),
        },
        Indicator {
            key: "distance_p95_km".into(),
            values: per_run(&|r| {
                let d: Vec<f64> = moved(r).filter_map(|f| f.distance_km).collect();
                percentile_95(&d)
            }),
            decimals: Decimals(3),
        },
        Indicator {
            key: "workers_moved".into(),
            values: per_run(&|r| Some(moved(r).filter_map(|f| f.employees).sum::<u64>() as f64)),
            decimals: Decimals(0),
        },
    ];
    let parks: BTreeSet<&String> = runs.iter().flat_map(|r| r.parks.keys()).collect();
    for park in parks {
        out.push(Indicator {
            key: format!("fill_pct:{park}"),
            values: per_run(&|r| r.parks.get(park).map(|p| p.fill_pct)),
            decimals: Decimals(1),
        });
    }
    out
}

/// Whether two records of one factory differ in what `changed.csv` is about.
fn differs(a: &FactoryRec, b: &FactoryRec) -> bool {
    a.verdict != b.verdict || a.park_id != b.park_id || a.move_year != b.move_year
}

/// Every factory whose verdict, park or move year differs between any runs, or that some runs
/// lack; sorted by id.
fn changed(runs: &[Run]) -> Vec<Changed> {
    let ids: BTreeSet<&String> = runs.iter().flat_map(|r| r.factories.keys()).collect();
    let weights_differ: Vec<bool> = {
        let base = runs.first().and_then(Run::scoring);
        runs.iter().map(|r| r.scoring() != base).collect()
    };
    let mut out = Vec::new();
    for id in ids {
        let records: Vec<Option<FactoryRec>> =
            runs.iter().map(|r| r.factories.get(id).cloned()).collect();
        let name = records.iter().flatten().next().map(|f| f.name.clone()).unwrap_or_default();
        let present: Vec<String> = runs
            .iter()
            .zip(&records)
            .filter(|(_, rec)| rec.is_some())
            .map(|(r, _)| r.label.clone())
            .collect();
        let reasons = if present.len() < runs.len() {
            vec![(0, Reason::OnlyIn(present))]
        } else {
            let Some(Some(first)) = records.first() else { continue };
            let Some(base_run) = runs.first() else { continue };
            records
                .iter()
                .enumerate()
                .skip(1)
                .filter_map(|(k, rec)| {
                    let later = rec.as_ref()?;
                    let run = runs.get(k)?;
                    differs(first, later).then(|| {
                        let weights = weights_differ.get(k).copied().unwrap_or(false);
                        (k, reason(first, later, base_run, run, weights))
                    })
                })
                .collect()
        };
        if !reasons.is_empty() {
            out.push(Changed { id: id.clone(), name, records, reasons });
        }
    }
    out
}

/// The ids of must_relocate factories placed in `park` in `run`.
fn must_relocate_in<'a>(run: &'a Run, park: &str) -> BTreeSet<&'a str> {
    run.factories
        .values()
        .filter(|f| f.verdict == "must_relocate" && f.park_id.as_deref() == Some(park))
        .map(|f| f.id.as_str())
        .collect()
}

/// Why `a` (in the first run `base`) became `b` (in `run`): the first rule that holds, from the
/// most direct cause to the least.
fn reason(a: &FactoryRec, b: &FactoryRec, base: &Run, run: &Run, weights_differ: bool) -> Reason {
    if a.verdict != b.verdict {
        return Reason::VerdictChanged;
    }
    if let Some(pa) = a.park_id.as_deref() {
        if run.park_closed(pa) && b.park_id.as_deref() != Some(pa) {
            return Reason::ParkClosed;
        }
    }
    if let Some(pb) = b.park_id.as_deref() {
        if base.park_closed(pb) && a.park_id.as_deref() != Some(pb) {
            return Reason::ParkOpened;
        }
    }
    if a.park_id == b.park_id {
        return match (a.move_year, b.move_year) {
            (Some(ya), Some(yb)) if yb < ya => Reason::EarlierDeadline,
            _ => Reason::LaterDeadline,
        };
    }
    if let Some(pa) = a.park_id.as_deref() {
        let full = run.parks.get(pa).is_some_and(|p| p.remaining_ha < a.land_ha);
        if full {
            let before = must_relocate_in(base, pa);
            let newcomers = must_relocate_in(run, pa).difference(&before).count();
            return if newcomers > 0 && b.verdict != "must_relocate" {
                Reason::CapacityPriority
            } else {
                Reason::CapacityOther
            };
        }
    }
    if weights_differ {
        Reason::WeightChange
    } else {
        Reason::Reoptimised
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factory(id: &str, verdict: &str, park: Option<&str>, year: Option<i64>) -> FactoryRec {
        FactoryRec {
            id: id.into(),
            name: format!("Factory {id}"),
            verdict: verdict.into(),
            status: if park.is_some() { "assigned" } else { "unassigned" }.into(),
            land_ha: 1.0,
            employees: Some(100),
            park_id: park.map(str::to_string),
            distance_km: park.map(|_| 10.0),
            cost: park.map(|_| 12.0),
            move_year: year,
            ..FactoryRec::default()
        }
    }

    fn park(id: &str, available_ha: f64, allocated_ha: f64) -> ParkRec {
        ParkRec {
            id: id.into(),
            name: format!("Park {id}"),
            available_ha,
            allocated_ha,
            remaining_ha: available_ha - allocated_ha,
            fill_pct: if available_ha > 0.0 { 100.0 * allocated_ha / available_ha } else { 0.0 },
        }
    }

    fn run(label: &str, factories: Vec<FactoryRec>, parks: Vec<ParkRec>) -> Run {
        Run {
            dir: PathBuf::from(label),
            label: label.into(),
            summary: serde_json::json!({"command": "plan", "assigned": 2, "objective": 10.0}),
            factories: factories.into_iter().map(|f| (f.id.clone(), f)).collect(),
            parks: parks.into_iter().map(|p| (p.id.clone(), p)).collect(),
            ..Run::default()
        }
    }

    #[test]
    fn identical_runs_have_zero_deltas_and_no_changes() {
        let a = run(
            "a",
            vec![factory("F1", "must_relocate", Some("P1"), Some(2028))],
            vec![park("P1", 10.0, 1.0)],
        );
        let mut b = a.clone();
        b.label = "b".into();
        let runs = vec![a, b];
        // Figures the summary lacks (here the bound and the gap) have no delta.
        for i in indicators(&runs).iter().filter(|i| i.values.iter().all(Option::is_some)) {
            assert_eq!(i.delta(1), Some(0.0), "{}", i.key);
            assert_eq!(i.delta_pct(1), Some(0.0), "{}", i.key);
        }
        assert!(changed(&runs).is_empty());
    }

    #[test]
    fn a_factory_of_a_closed_park_moves_because_the_park_closed() {
        let a = run(
            "base",
            vec![
                factory("F1", "must_relocate", Some("P1"), Some(2028)),
                factory("F2", "encouraged", Some("P2"), Some(2028)),
            ],
            vec![park("P1", 10.0, 1.0), park("P2", 1.5, 1.0)],
        );
        let b = run(
            "closed",
            vec![
                factory("F1", "must_relocate", Some("P2"), Some(2028)),
                factory("F2", "encouraged", None, None),
            ],
            vec![park("P1", 0.0, 0.0), park("P2", 1.5, 1.0)],
        );
        let changes = changed(&[a, b]);
        let reasons: Vec<(&str, &Reason)> =
            changes.iter().map(|c| (c.id.as_str(), &c.reasons.first().unwrap().1)).collect();
        assert_eq!(reasons, vec![("F1", &Reason::ParkClosed), ("F2", &Reason::CapacityPriority)]);
    }

    #[test]
    fn a_move_year_change_in_the_same_park_is_a_deadline_change() {
        let a = run("a", vec![factory("F1", "must_relocate", Some("P1"), Some(2029))], vec![]);
        let mut b = run("b", vec![factory("F1", "must_relocate", Some("P1"), Some(2028))], vec![]);
        b.parks.insert("P1".into(), park("P1", 10.0, 1.0));
        let mut a = a;
        a.parks.insert("P1".into(), park("P1", 10.0, 1.0));
        let c = changed(&[a, b]);
        assert_eq!(c.first().unwrap().reasons, vec![(1, Reason::EarlierDeadline)]);
    }

    #[test]
    fn an_id_in_one_run_only_says_where_it_is() {
        let a = run("a", vec![factory("F1", "may_stay", None, None)], vec![]);
        let b = run("b", vec![], vec![]);
        let c = changed(&[a.clone(), b.clone()]);
        assert_eq!(c.first().unwrap().reason_text(&[a, b], Lang::En), "only in a");
    }

    #[test]
    fn folders_sharing_a_name_get_unique_labels() {
        let mut runs = vec![
            Run { dir: PathBuf::from("x/plan"), ..Run::default() },
            Run { dir: PathBuf::from("y/plan"), ..Run::default() },
            Run { dir: PathBuf::from("z/plan"), ..Run::default() },
        ];
        label_runs(&mut runs);
        let labels: Vec<&str> = runs.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, vec!["plan", "plan_2", "plan_3"]);
    }

    #[test]
    fn the_95th_percentile_is_an_actual_value() {
        let values: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile_95(&values), Some(19.0));
        assert_eq!(percentile_95(&[3.0]), Some(3.0));
        assert_eq!(percentile_95(&[]), None);
    }

    #[test]
    fn a_share_of_nothing_is_left_empty() {
        let i = Indicator {
            key: "k".into(),
            values: vec![Some(0.0), Some(2.0), Some(0.0)],
            decimals: Decimals(0),
        };
        assert_eq!(i.delta_pct(1), None);
        assert_eq!(i.delta_pct(2), Some(0.0));
        let j = Indicator {
            key: "k".into(),
            values: vec![Some(4.0), Some(3.0)],
            decimals: Decimals(0),
        };
        assert_eq!(j.delta_pct(1), Some(-25.0));
    }
}
