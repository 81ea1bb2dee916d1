//! The weights a sensitivity run moves, the weight vectors it tries, and the candidates' costs
//! re-weighed for each of them.
//!
//! A cost is a weighted sum of five terms (`candidates::cost`), and the candidates stage keeps
//! each term already weighted (`CostTerms`). Multiplying a weight by a factor multiplies its
//! term by the same factor, so a new weight vector needs no new search for parks: the terms are
//! scaled and the options re-sorted. Which parks are candidates depends on distance and
//! eligibility only, never on weights, so the lists stay the same.
//!
//! With `[scoring] ahp` the AHP weights are moved instead, and then scaled back to a sum of 1
//! (the scenario's AHP weights sum to 1): one weight's change shifts every term's share, as an
//! analyst re-judging one comparison would, and costs stay in kilometre-equivalents.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::candidates::{Candidates, CostTerms};
use crate::model::Inputs;
use crate::scenario::ahp::TERMS;
use crate::scenario::Scoring;

/// The `[scoring]` key of each cost term, indexed like `scenario::ahp::TERMS`.
pub const SCORING_KEYS: [&str; 5] = [
    "distance_per_km",
    "workforce_per_1000_employee_km",
    "cluster_mismatch",
    "class_mismatch",
    "waiting_per_year",
];

/// Steps of the one-at-a-time runs, as fractions of `--spread`: each weight is moved down and
/// up by half the spread and by the whole of it.
pub const OAT_STEPS: [f64; 4] = [-1.0, -0.5, 0.5, 1.0];

/// One weight a run can move.
#[derive(Clone, Debug, PartialEq)]
pub struct Weight {
    /// Index of its cost term (`scenario::ahp::TERMS`).
    pub term: usize,
    /// Its name in outputs: the `[scoring]` key, or `ahp.<term>` with AHP weights.
    pub name: String,
    /// Its value in the scenario.
    pub value: f64,
}

/// The scenario's weights, as a sensitivity run moves them.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    /// Every term's weight, zero ones included (indexed like `TERMS`).
    pub base: [f64; 5],
    /// Whether they are AHP weights (scaled back to a sum of 1 after each change).
    pub ahp: bool,
    /// The non-zero weights: only these are moved (a zero weight stays zero whatever its
    /// factor).
    pub moved: Vec<Weight>,
}

impl Weights {
    pub fn new(scoring: &Scoring) -> Weights {
        let (base, ahp) = match &scoring.ahp {
            Some(a) => (a.weights, true),
            None => (
                [
                    scoring.distance_per_km,
                    scoring.workforce_per_1000_employee_km,
                    scoring.cluster_mismatch,
                    scoring.class_mismatch,
                    scoring.waiting_per_year,
                ],
                false,
            ),
        };
        let moved = base
            .iter()
            .enumerate()
            .filter(|(_, w)| **w != 0.0)
            .map(|(term, &value)| Weight {
                term,
                name: if ahp {
                    format!("ahp.{}", TERMS.get(term).copied().unwrap_or("?"))
                } else {
                    SCORING_KEYS.get(term).copied().unwrap_or("?").to_string()
                },
                value,
            })
            .collect();
        Weights { base, ahp, moved }
    }

    /// The factor each weighted term is multiplied by when the weights are multiplied by
    /// `factors` (indexed like `TERMS`). Plain weights: the factors themselves. AHP weights:
    /// divided by the new sum of the weights, which puts them back to a sum of 1.
    pub fn term_factors(&self, factors: &[f64; 5]) -> [f64; 5] {
        if !self.ahp {
            return *factors;
        }
        let sum: f64 = self.base.iter().zip(factors).map(|(w, f)| w * f).sum();
        if sum > 0.0 {
            factors.map(|f| f / sum)
        } else {
            *factors
        }
    }
}

/// The weight factors of one one-at-a-time run: `term` moved by `change` (relative), the others
/// kept.
pub fn one_at_a_time(term: usize, change: f64) -> [f64; 5] {
    let mut factors = [1.0; 5];
    if let Some(f) = factors.get_mut(term) {
        *f = 1.0 + change;
    }
    factors
}

/// `samples` weight-factor vectors, each factor uniform in [1 − spread, 1 + spread], from a
/// ChaCha8 stream seeded with `seed`: the same seed gives the same vectors on any machine. Five
/// factors are drawn per sample whichever weights are zero, so a scenario that sets one more
/// weight keeps the others' draws.
pub fn monte_carlo(samples: usize, spread: f64, seed: u64) -> Vec<[f64; 5]> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..samples)
        .map(|_| {
            let mut factors = [1.0; 5];
            for f in &mut factors {
                let u: f64 = rng.gen();
                *f = 1.0 + spread * (2.0 * u - 1.0);
            }
            factors
        })
        .collect()
}

/// The candidates with every cost re-weighed by `term_factors` (see `Weights::term_factors`),
/// each factory's options re-sorted cheapest first, ties by park id, as the candidates stage
/// sorts them.
pub fn reweighed(inputs: &Inputs, base: &Candidates, term_factors: &[f64; 5]) -> Candidates {
    let [fd, fw, fc, fk, fy] = *term_factors;
    let park_id = |p: usize| inputs.parks.get(p).map(|p| p.id.as_str()).unwrap_or("");
    let mut out = base.clone();
    for fc_list in &mut out.factories {
        for c in &mut fc_list.eligible {
            let t = c.terms;
            c.terms = CostTerms {
                distance: t.distance * fd,
                workforce: t.workforce * fw,
                cluster: t.cluster * fc,
                class: t.class * fk,
                waiting: t.waiting * fy,
            };
            c.cost = c.terms.total();
        }
        fc_list.eligible.sort_by(|a, b| {
            a.cost.total_cmp(&b.cost).then_with(|| park_id(a.park).cmp(park_id(b.park)))
        });
    }
    for (p, f) in out.per_unit.iter_mut().zip(term_factors) {
        *p *= f;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidates::{Candidate, FactoryCandidates};
    use crate::scenario::AhpWeights;
    use crate::testkit::{factory, park};

    fn scoring() -> Scoring {
        Scoring {
            distance_per_km: 1.0,
            workforce_per_1000_employee_km: 0.0,
            cluster_mismatch: 2.0,
            class_mismatch: 0.0,
            waiting_per_year: 1.0,
            ahp: None,
        }
    }

    #[test]
    fn only_non_zero_weights_are_moved_and_they_keep_their_scoring_names() {
        let w = Weights::new(&scoring());
        let names: Vec<&str> = w.moved.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["distance_per_km", "cluster_mismatch", "waiting_per_year"]);
        assert_eq!(w.term_factors(&[1.2, 1.0, 0.9, 1.0, 1.0]), [1.2, 1.0, 0.9, 1.0, 1.0]);
    }

    #[test]
    fn ahp_weights_are_scaled_back_to_a_sum_of_one() {
        let mut s = scoring();
        s.ahp = Some(AhpWeights {
            weights: [0.5, 0.0, 0.5, 0.0, 0.0],
            consistency_ratio: 0.0,
            lambda_max: 2.0,
        });
        let w = Weights::new(&s);
        let names: Vec<&str> = w.moved.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["ahp.distance", "ahp.cluster"]);
        // Cluster up 50 %: weights 0.5 and 0.75, sum 1.25, back to 0.4 and 0.6.
        let f = w.term_factors(&one_at_a_time(2, 0.5));
        assert!((0.5 * f[0] - 0.4).abs() < 1e-12 && (0.5 * f[2] - 0.6).abs() < 1e-12, "{f:?}");
    }

    #[test]
    fn monte_carlo_draws_repeat_with_the_seed_and_stay_within_the_spread() {
        let a = monte_carlo(100, 0.2, 7);
        assert_eq!(a, monte_carlo(100, 0.2, 7));
        assert_ne!(a, monte_carlo(100, 0.2, 8));
        assert!(a.iter().flatten().all(|f| (0.8..=1.2).contains(f)));
        assert!(a.iter().flatten().any(|f| *f < 0.9) && a.iter().flatten().any(|f| *f > 1.1));
        assert!(monte_carlo(10, 0.0, 7).iter().flatten().all(|f| *f == 1.0));
    }

    #[test]
    fn one_at_a_time_moves_one_factor() {
        assert_eq!(one_at_a_time(3, -0.1), [1.0, 1.0, 1.0, 0.9, 1.0]);
    }

    #[test]
    fn reweighing_scales_each_term_and_re_sorts_the_options() {
        let inputs = crate::testkit::inputs(
            vec![factory("F1", 0.0, 0.0, 1.0, "food")],
            vec![park("P1", 0.0, 0.0, 10.0), park("P2", 0.0, 0.0, 10.0)],
        );
        let option = |park, distance, cluster| {
            let terms = CostTerms { distance, cluster, ..CostTerms::default() };
            Candidate {
                park,
                distance_km: distance,
                cost: terms.total(),
                terms,
                earliest_year: 2025,
                road: None,
            }
        };
        let base = Candidates {
            factories: vec![FactoryCandidates {
                factory: 0,
                // P1: near but off-cluster (cost 3); P2: farther, in cluster (cost 4).
                eligible: vec![option(0, 1.0, 2.0), option(1, 4.0, 0.0)],
                excluded: Vec::new(),
            }],
            destinations: vec![0, 1],
            per_unit: [1.0, 0.0, 2.0, 0.0, 0.0],
            ahp_consistency_ratio: None,
            roads: None,
        };
        assert_eq!(
            reweighed(&inputs, &base, &[1.0; 5]).factories[0].eligible,
            base.factories[0].eligible
        );
        let heavier_cluster = reweighed(&inputs, &base, &one_at_a_time(2, 1.0));
        let list = &heavier_cluster.factories[0].eligible;
        assert_eq!(list.iter().map(|c| c.park).collect::<Vec<_>>(), [1, 0]);
        assert_eq!((list[0].cost, list[1].cost), (4.0, 5.0));
        assert_eq!(heavier_cluster.per_unit[2], 4.0);
    }
}
