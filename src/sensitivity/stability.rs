//! Each relocating factory's stability: how often the re-solved plans keep it where the
//! scenario's own plan sends it.
//!
//! 1. Share: the Monte Carlo samples giving the factory the same outcome as the plan (the same
//!    park, or, for a factory the plan leaves unassigned, unassigned again).
//! 2. Parks seen: the distinct parks the samples sent it to; runner-up: the park other than the
//!    plan's that they chose most often (ties by park id), with its share.
//! 3. Least change: the smallest one-at-a-time weight change that gave it another outcome, and
//!    which weight (ties: the weight listed first, then the decrease).
//! 4. Class: `stable` from a share of 0.9, `moderate` from 0.6, else `unstable`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::output::gpkg::Kind;
use crate::units::round_to;

/// Least share of samples keeping a factory's park for it to count as stable.
pub const STABLE_SHARE: f64 = 0.9;
/// Least share for moderate; below it a factory is unstable.
pub const MODERATE_SHARE: f64 = 0.6;

/// Decimals of the shares and weight changes written.
pub const DECIMALS: i32 = 4;

/// The columns of `stability.csv` (DESIGN.md, "Beyond one plan").
pub const STABILITY_FIELDS: &[&str] = &[
    "factory_id",
    "park_id",
    "share",
    "parks_seen",
    "runner_up_park_id",
    "runner_up_share",
    "min_weight_change",
    "weight",
    "class",
];

/// The fields of the `stability` layer of `plan.gpkg`, typed.
pub const STABILITY_SCHEMA: &[(&str, Kind)] = &[
    ("factory_id", Kind::Text),
    ("park_id", Kind::Text),
    ("share", Kind::Real),
    ("parks_seen", Kind::Integer),
    ("runner_up_park_id", Kind::Text),
    ("runner_up_share", Kind::Real),
    ("min_weight_change", Kind::Real),
    ("weight", Kind::Text),
    ("class", Kind::Text),
];

/// A factory's stability class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    Stable,
    Moderate,
    Unstable,
}

impl Class {
    pub const ALL: [Class; 3] = [Class::Stable, Class::Moderate, Class::Unstable];

    pub fn of_share(share: f64) -> Class {
        if share >= STABLE_SHARE {
            Class::Stable
        } else if share >= MODERATE_SHARE {
            Class::Moderate
        } else {
            Class::Unstable
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Class::Stable => "stable",
            Class::Moderate => "moderate",
            Class::Unstable => "unstable",
        }
    }
}

/// One relocating factory's row of `stability.csv` (fields in DESIGN.md order).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StabilityRow {
    /// Index into `Inputs::factories`.
    #[serde(skip)]
    pub factory: usize,
    pub factory_id: String,
    /// The park of the scenario's own plan; empty when it leaves the factory unassigned.
    pub park_id: String,
    pub share: f64,
    pub parks_seen: usize,
    pub runner_up_park_id: String,
    pub runner_up_share: f64,
    /// Relative change (−0.1: the weight 10 % lower) of the smallest one-at-a-time step that
    /// gave the factory another outcome; empty when none did.
    pub min_weight_change: Option<f64>,
    pub weight: String,
    pub class: Class,
}

/// The outcome of one one-at-a-time run: which weight, by how much, and every factory's park.
pub struct OatOutcome<'a> {
    pub weight: &'a str,
    pub change: f64,
    pub parks: &'a [Option<usize>],
}

/// Each factory's stability. `factories[i]` is the factory (index into `Inputs::factories`) of
/// the i-th entry of `base` and of every outcome; `samples` are the Monte Carlo outcomes;
/// `oat` the one-at-a-time ones in weight order. Rows come sorted by factory id.
pub fn stability(
    factories: &[usize],
    base: &[Option<usize>],
    samples: &[Vec<Option<usize>>],
    oat: &[OatOutcome],
    factory_id: impl Fn(usize) -> String,
    park_id: impl Fn(usize) -> String,
) -> Vec<StabilityRow> {
    let n = samples.len().max(1) as f64;
    let mut rows: Vec<StabilityRow> = factories
        .iter()
        .zip(base)
        .enumerate()
        .map(|(i, (&factory, &planned))| {
            let mut counts: BTreeMap<Option<usize>, usize> = BTreeMap::new();
            for s in samples {
                *counts.entry(s.get(i).copied().flatten()).or_default() += 1;
            }
            let same = counts.get(&planned).copied().unwrap_or(0);
            let share = if samples.is_empty() { 1.0 } else { same as f64 / n };
            let parks_seen = counts.keys().filter(|k| k.is_some()).count();
            let runner_up = counts
                .iter()
                .filter_map(|(k, c)| k.filter(|_| *k != planned).map(|p| (p, *c)))
                .map(|(p, c)| (c, park_id(p)))
                // Most samples first, then the lowest park id.
                .min_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            let mut least: Option<(f64, &str)> = None;
            for o in oat {
                let moved = o.parks.get(i).copied().flatten() != planned;
                let smaller = match least {
                    Some((c, _)) => o.change.abs() < c.abs(),
                    None => true,
                };
                if moved && smaller {
                    least = Some((o.change, o.weight));
                }
            }
            StabilityRow {
                factory,
                factory_id: factory_id(factory),
                park_id: planned.map(&park_id).unwrap_or_default(),
                share: round_to(share, DECIMALS),
                parks_seen,
                runner_up_park_id: runner_up.as_ref().map(|r| r.1.clone()).unwrap_or_default(),
                runner_up_share: runner_up.map_or(0.0, |r| round_to(r.0 as f64 / n, DECIMALS)),
                min_weight_change: least.map(|l| round_to(l.0, DECIMALS)),
                weight: least.map(|l| l.1.to_string()).unwrap_or_default(),
                class: Class::of_share(share),
            }
        })
        .collect();
    rows.sort_by(|a, b| a.factory_id.cmp(&b.factory_id).then(a.factory.cmp(&b.factory)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(i: usize) -> String {
        format!("X{i}")
    }

    #[test]
    fn the_layer_schema_follows_the_csv_columns() {
        let names: Vec<&str> = STABILITY_SCHEMA.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, STABILITY_FIELDS);
    }

    #[test]
    fn classes_follow_the_share_thresholds() {
        assert_eq!(Class::of_share(1.0), Class::Stable);
        assert_eq!(Class::of_share(0.9), Class::Stable);
        assert_eq!(Class::of_share(0.89), Class::Moderate);
        assert_eq!(Class::of_share(0.6), Class::Moderate);
        assert_eq!(Class::of_share(0.59), Class::Unstable);
    }

    #[test]
    fn share_runner_up_and_least_change_are_counted_per_factory() {
        // Factory 7 planned to park 1; factory 3 planned unassigned.
        let factories = [7, 3];
        let base = [Some(1), None];
        let samples = vec![
            vec![Some(1), None],
            vec![Some(2), None],
            vec![Some(4), Some(1)],
            vec![Some(2), None],
            vec![Some(1), None],
        ];
        let up_small = [Some(1), Some(5)];
        let down_big = [Some(2), None];
        let up_big = [Some(2), None];
        let oat = [
            OatOutcome { weight: "cluster_mismatch", change: -0.2, parks: &down_big },
            OatOutcome { weight: "cluster_mismatch", change: 0.2, parks: &up_big },
            OatOutcome { weight: "waiting_per_year", change: 0.1, parks: &up_small },
        ];
        let rows = stability(&factories, &base, &samples, &oat, ids, |p| format!("P{p}"));
        assert_eq!(rows[0].factory_id, "X3");
        assert_eq!(rows[0].park_id, "");
        assert_eq!((rows[0].share, rows[0].parks_seen), (0.8, 1));
        assert_eq!((rows[0].runner_up_park_id.as_str(), rows[0].runner_up_share), ("P1", 0.2));
        assert_eq!(
            (rows[0].min_weight_change, rows[0].weight.as_str()),
            (Some(0.1), "waiting_per_year")
        );
        assert_eq!(rows[0].class, Class::Moderate);

        let r = &rows[1];
        assert_eq!((r.factory_id.as_str(), r.park_id.as_str()), ("X7", "P1"));
        assert_eq!((r.share, r.parks_seen), (0.4, 3));
        assert_eq!((r.runner_up_park_id.as_str(), r.runner_up_share), ("P2", 0.4));
        // Both cluster steps moved it; the decrease is listed first and wins the tie.
        assert_eq!((r.min_weight_change, r.weight.as_str()), (Some(-0.2), "cluster_mismatch"));
        assert_eq!(r.class, Class::Unstable);
    }

    #[test]
    fn a_factory_no_sample_moves_is_stable_without_runner_up() {
        let rows =
            stability(&[0], &[Some(3)], &vec![vec![Some(3)]; 4], &[], ids, |p| format!("P{p}"));
        let r = &rows[0];
        assert_eq!((r.share, r.parks_seen, r.class), (1.0, 1, Class::Stable));
        assert_eq!((r.runner_up_park_id.as_str(), r.runner_up_share), ("", 0.0));
        assert_eq!((r.min_weight_change, r.weight.as_str()), (None, ""));
    }
}
