//! The priority proof: an LP bound (same Lagrangian as `dual`, a penalty per factory left out,
//! no cost) on how many factories of each tier every plan leaves out.
//!
//! When it matches what the plan leaves out, no plan places more must_relocate factories, nor
//! as many and more encouraged ones: rules 1 and 2 are proven, whatever the cost. Its prices
//! are also the land values the rule-1 plan is built on.

use super::dual::{per_item, subgradient, OptionsByPark, PRICE_STEP_REL, ROUNDING_MARGIN};
use super::{AssignmentProblem, CAPACITY_TOLERANCE_HA, NONE};

/// Factories: a bound on the count left out within this of an integer is taken as that
/// integer. The bound carries its rounding margin, and a true count is whole; far below one,
/// so no factory is ever claimed on rounding alone.
const COUNT_TOLERANCE: f64 = 1e-6;

/// Least Polyak step numerator of the count bound, in factories (see `subgradient`).
const COUNT_STEP_FLOOR: f64 = 1e-6;

/// Step factor θ below which the count bound's subgradient ascent stops: seventeen halvings,
/// longer than the cost bound's, since a proof needs the bound within one factory of the count.
const COUNT_MIN_THETA: f64 = 1e-5;

/// Coordinate passes over the parks of the count bound at most (fewer when `iterations` allow
/// fewer option visits).
const COUNT_COORDINATE_PASSES: usize = 30;

/// A lower bound on Σ_t penalty_t × (unplaced items of tier t) over all plans (LP relaxation,
/// Lagrangian form: projected subgradient ascent towards `target`, then exact coordinate
/// steps), with the prices per hectare and park that give it.
pub(super) fn unplaced_bound(
    p: &AssignmentProblem,
    by_park: &OptionsByPark,
    penalty: [f64; 2],
    target: f64,
    iterations: usize,
) -> (f64, Vec<f64>) {
    let pen = |i: usize| penalty.get(p.tier_of(i).index()).copied().unwrap_or(0.0);
    let mut lambda = vec![0.0; p.parks()];
    let evaluate = |lambda: &[f64]| {
        let mut value = 0.0;
        let mut gradient: Vec<f64> = p.capacity_ha.iter().map(|c| -c).collect();
        let cheapest = per_item(p.items(), |i| {
            let w = p.w(i);
            let mut r = (pen(i), NONE);
            for (j, _) in p.options(i) {
                let v = lambda.get(j).copied().unwrap_or(0.0) * w;
                if v < r.0 {
                    r = (v, j as u32);
                }
            }
            r
        });
        // Items without options are out of every plan and not counted in the target.
        for (i, r) in cheapest.into_iter().enumerate().filter(|&(i, _)| p.placeable(i)) {
            value += r.0;
            if let Some(g) = gradient.get_mut(r.1 as usize) {
                *g += p.w(i);
            }
        }
        let priced: f64 = lambda.iter().zip(&p.capacity_ha).map(|(l, c)| l * c).sum();
        value -= priced;
        value -= ROUNDING_MARGIN * (value.abs() + 2.0 * priced);
        (value, gradient)
    };
    let done = |best: f64| best > target - 1.0 + COUNT_TOLERANCE;
    let (mut best, mut best_lambda) = subgradient(
        &mut lambda,
        iterations,
        target,
        COUNT_MIN_THETA,
        COUNT_STEP_FLOOR,
        done,
        evaluate,
    );
    // Coordinate steps: each park's price to the maximiser of its concave piece, the item's
    // penalty capping what its land can be worth.
    lambda.clone_from(&best_lambda);
    // A pass visits every option of every option's factory: cap passes like the iterations.
    let arcs = p.park.len().max(1);
    let per_pass = arcs.saturating_mul((arcs / p.items().max(1)).max(1));
    let passes = COUNT_COORDINATE_PASSES.min(iterations.saturating_mul(arcs) / per_pass.max(1));
    for _ in 0..passes {
        if done(best) {
            break;
        }
        let mut changed = false;
        for j in 0..p.parks() {
            let mut points = by_park.keep_of(j, |i, _| {
                let w = p.w(i);
                let mut b = pen(i);
                for (m, _) in p.options(i) {
                    if m != j {
                        b = b.min(lambda.get(m).copied().unwrap_or(0.0) * w);
                    }
                }
                (b > 0.0 && w > 0.0).then_some((b / w, w))
            });
            points.sort_by(|a, b| b.0.total_cmp(&a.0));
            let mut cum = 0.0;
            let mut new = 0.0;
            for (beta, w) in points {
                cum += w;
                if cum > p.cap(j) + CAPACITY_TOLERANCE_HA {
                    new = beta;
                    break;
                }
            }
            if let Some(l) = lambda.get_mut(j) {
                if (*l - new).abs() > PRICE_STEP_REL * (1.0 + l.abs()) {
                    *l = new;
                    changed = true;
                }
            }
        }
        let (value, _) = evaluate(&lambda);
        if value > best {
            best = value;
            best_lambda.clone_from(&lambda);
        }
        if !changed {
            break;
        }
    }
    (best, best_lambda)
}

/// True when no plan places more must_relocate factories, nor (at as many) more encouraged
/// ones. `must_bound`: a lower bound on the must_relocate factories left out that is already
/// known (the scarce plan's prices came with one, from more iterations than `iterations`):
/// the bound holds for every plan, so it is not searched for again.
pub(super) fn priority_proven(
    p: &AssignmentProblem,
    by_park: &OptionsByPark,
    placed: [usize; 2],
    placeable: [usize; 2],
    iterations: usize,
    must_bound: Option<f64>,
) -> bool {
    let short =
        [placeable[0] - placed[0].min(placeable[0]), placeable[1] - placed[1].min(placeable[1])];
    if short == [0, 0] {
        return true;
    }
    let tier1 = short[0] == 0 || {
        let bound = must_bound.unwrap_or_else(|| {
            unplaced_bound(p, by_park, [1.0, 0.0], short[0] as f64, iterations).0
        });
        (bound - COUNT_TOLERANCE).ceil() >= short[0] as f64
    };
    if !tier1 {
        return false;
    }
    if short[1] == 0 {
        return true;
    }
    // One must_relocate factory outweighs every encouraged one.
    let big = placeable[1] as f64 + 1.0;
    let target = big * short[0] as f64 + short[1] as f64;
    let bound = unplaced_bound(p, by_park, [big, 1.0], target, iterations).0;
    (bound - big * short[0] as f64 - COUNT_TOLERANCE).ceil() >= short[1] as f64
}
