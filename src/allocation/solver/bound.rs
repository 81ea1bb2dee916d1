//! The two bounds reported with the plan, and the solution put together.
//!
//! `lower_bound` takes only the factories the plan places (the contract's "same set of placed
//! factories"): tight, at the exact LP's prices where it is small enough. When land is short
//! `lower_bound_same_counts`, free to pick any factories up to the same counts per tier, can
//! be far below it: the LP may then place cheaper factories fractionally.

use super::dual::{ascend, evaluate, OptionsByPark, Priced};
use super::priority::{placed_bounds, CountLp, Known};
use super::state::{placeable_per_tier, State};
use super::transport::{lp_affordable, transport_lp};
use super::{AssignmentProblem, Budget, Solution};

/// What the phases before the last found: the plan's bound and prices from the dual rounds,
/// whether branch and bound proved it optimal, and the bound on must_relocate factories left
/// out that came with the rule-1 plan.
pub(super) struct Found {
    pub(super) placeable: [usize; 2],
    pub(super) priced: Priced,
    pub(super) exact: bool,
    pub(super) must_unplaced_bound: Option<(f64, Vec<f64>)>,
    pub(super) must_lp: Option<CountLp>,
}

/// The bounds reported and the priority proof for the final plan `best`, and the solution.
pub(super) fn conclude(
    p: &AssignmentProblem,
    by_park: &OptionsByPark,
    best: &State,
    found: Found,
    budget: &Budget,
) -> Solution {
    let Found {
        placeable,
        priced: Priced { mut bound, prices },
        exact,
        must_unplaced_bound,
        must_lp,
    } = found;
    let iterations = budget.iterations(p, budget.dual_iterations);
    let placed = best.placed();
    let objective = best.cost();
    // The bound for the plan's own set of factories and the priority proof are independent
    // computations: side by side.
    let (mut same_set, placed_bound) = rayon::join(
        || {
            // When every placeable factory is placed the two bounds are the same problem: the
            // exact LP is worth solving only when it is small.
            if placed == placeable && !exact && !lp_affordable(p, placed[0] + placed[1], budget) {
                bound
            } else {
                let exact_lp = fixed_set_bound(p, best, &prices, objective, budget);
                if placed == placeable {
                    exact_lp.max(bound)
                } else {
                    exact_lp
                }
            }
        },
        || {
            if exact {
                placed
            } else {
                let known = Known {
                    must_unplaced: must_unplaced_bound.as_ref().map(|(b, l)| (*b, l.as_slice())),
                    must_lp: must_lp.as_ref(),
                };
                placed_bounds(p, by_park, placed, placeable, iterations, known, budget)
            }
        },
    );
    if exact {
        // Exhaustive search proved no plan is better: the optimum bounds itself.
        bound = objective;
        same_set = objective;
    }
    let lower_bound = same_set.max(0.0).min(objective);
    let lower_bound_same_counts = bound.max(0.0).min(lower_bound);
    let gap = if objective > 0.0 { (objective - lower_bound) / objective } else { 0.0 };
    Solution {
        park_of: (0..p.items()).map(|i| best.at(i)).collect(),
        objective,
        lower_bound,
        lower_bound_same_counts,
        gap,
        placed,
        placeable,
        placed_bound,
        priority_proven: placed_bound == placed,
        time_limit_reached: false,
        exact,
        prices,
    }
}

/// The bound for plans placing exactly the items `best` places: the same Lagrangian on the
/// sub-problem of those items, every one of which must be placed, at the LP's own prices when
/// the problem is small enough to solve the LP exactly, else from `prices` by dual ascent.
fn fixed_set_bound(
    p: &AssignmentProblem,
    best: &State,
    prices: &[f64],
    target: f64,
    budget: &Budget,
) -> f64 {
    let mut sub = AssignmentProblem::new(p.capacity_ha.clone());
    for i in (0..p.items()).filter(|&i| best.at(i).is_some()) {
        sub.push(p.w(i), p.tier_of(i), p.rank_of(i), p.options(i));
    }
    let all = placeable_per_tier(&sub);
    let required: Vec<(usize, f64)> = (0..sub.items()).map(|i| (i, f64::INFINITY)).collect();
    if let Some(lp) = transport_lp(&sub, &required, budget) {
        return evaluate(&sub, &lp.prices, all, all).value;
    }
    let by_park = OptionsByPark::new(&sub);
    let mut lambda = prices.to_vec();
    ascend(&sub, &by_park, &mut lambda, all, all, target, budget).0
}
