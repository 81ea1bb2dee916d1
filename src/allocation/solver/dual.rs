//! The Lagrangian dual of the capacities: one price per hectare and park, under which the
//! problem splits per factory. Its value at any prices ≥ 0 is a proven lower bound; the prices
//! are improved by projected subgradient ascent, then by exact coordinate steps.
//!
//! The dual has one variable per park whatever the number of factories, which is what lets a
//! million factories be bounded in seconds; the per-factory work runs in parallel chunks whose
//! results are taken in factory order, so the bound does not depend on the number of cores.

use super::{AssignmentProblem, Budget, Tier, CAPACITY_TOLERANCE_HA, COST_SCALE_FLOOR, NONE};

/// Relative margin taken off every Lagrangian value for floating-point rounding (times the sum
/// of the magnitudes of its terms): a sum of n terms errs by at most about n·ε·Σ|terms|, with ε
/// about 1e-16, so this covers 10⁷ terms — a proven bound must not be rounded above the truth.
pub(super) const ROUNDING_MARGIN: f64 = 1e-9;

/// Relative change of a park's price (times 1 + |λ|) below which a coordinate step counts as
/// none: smaller ones only move the last bits, and would keep the passes going.
pub(super) const PRICE_STEP_REL: f64 = 1e-12;

/// Relative distance of the bound to the plan's cost at which the ascent stops: well below
/// `Budget::target_gap` (5e-4 by default), so stopping here never decides whether it is met.
const ASCENT_CLOSE_REL: f64 = 1e-6;

/// Least Polyak step numerator, relative to |target| (at least 1 cost unit): once the bound
/// meets the target the steps stay small but do not vanish, so the ascent can still gain.
const POLYAK_FLOOR_REL: f64 = 1e-9;

/// Step factor θ below which the cost bound's subgradient ascent stops: fourteen halvings from
/// `THETA_START`, so at least 140 steps without progress; the coordinate steps go on from there.
const COST_MIN_THETA: f64 = 1e-4;

/// Step factor θ of the first subgradient step (a full Polyak step).
const THETA_START: f64 = 1.0;

/// Subgradient steps without a new best after which θ halves.
const STALL_STEPS: u32 = 10;

/// Options per parallel chunk of a park's coordinate step; a park with at most two chunks'
/// worth is done in one thread, where rayon's overhead would outweigh the work.
const PARK_CHUNK: usize = 1 << 11;

/// Items per parallel chunk of a dual evaluation; at most one chunk is done in one thread.
const ITEM_CHUNK: usize = 1 << 14;

/// A bound for plans placing at least as many factories per tier as a plan, with the prices
/// per hectare and park that give it.
pub(super) struct Priced {
    pub(super) bound: f64,
    pub(super) prices: Vec<f64>,
}

/// Items per park with their cost, for the coordinate steps.
pub(super) struct OptionsByPark {
    start: Vec<usize>,
    item: Vec<u32>,
    cost: Vec<f64>,
}

impl OptionsByPark {
    pub(super) fn new(p: &AssignmentProblem) -> OptionsByPark {
        let mut count = vec![0usize; p.parks() + 1];
        for &j in &p.park {
            if let Some(c) = count.get_mut(j as usize + 1) {
                *c += 1;
            }
        }
        for j in 1..count.len() {
            let prev = count.get(j - 1).copied().unwrap_or(0);
            if let Some(c) = count.get_mut(j) {
                *c += prev;
            }
        }
        let mut fill = count.clone();
        let mut item = vec![0u32; p.park.len()];
        let mut cost = vec![0.0; p.park.len()];
        for i in 0..p.items() {
            for (j, c) in p.options(i) {
                if let Some(at) = fill.get_mut(j) {
                    if let (Some(it), Some(co)) = (item.get_mut(*at), cost.get_mut(*at)) {
                        *it = i as u32;
                        *co = c;
                    }
                    *at += 1;
                }
            }
        }
        OptionsByPark { start: count, item, cost }
    }

    /// What `f` keeps of park `j`'s (item, cost) pairs, in order; in parallel chunks when the
    /// park has many (a coordinate pass over a million factories visits ten million options,
    /// park after park, so the parks themselves cannot share the work).
    pub(super) fn keep_of<T: Send>(
        &self,
        j: usize,
        f: impl Fn(usize, f64) -> Option<T> + Sync + Send,
    ) -> Vec<T> {
        use rayon::prelude::*;
        debug_assert!(j + 1 < self.start.len(), "park {j} of {}", self.start.len() - 1);
        let a = self.start.get(j).copied().unwrap_or(0);
        let b = self.start.get(j + 1).copied().unwrap_or(a);
        let items = self.item.get(a..b).unwrap_or(&[]);
        let costs = self.cost.get(a..b).unwrap_or(&[]);
        if items.len() <= 2 * PARK_CHUNK {
            return items.iter().zip(costs).filter_map(|(i, c)| f(*i as usize, *c)).collect();
        }
        // rayon's collect keeps the order, so the result is the sequential one.
        items
            .par_iter()
            .zip(costs.par_iter())
            .with_min_len(PARK_CHUNK)
            .filter_map(|(i, c)| f(*i as usize, *c))
            .collect()
    }
}

/// The bound at prices λ for plans placing at least `counts` items per tier: its value (with
/// a rounding margin), a supergradient, and the per-tier thresholds μ_t (the n_t-th smallest
/// reduced cost; infinite when every placeable item of the tier is counted).
pub(super) struct Evaluation {
    pub(super) value: f64,
    gradient: Vec<f64>,
    mu: [f64; 2],
}

pub(super) fn evaluate(
    p: &AssignmentProblem,
    lambda: &[f64],
    counts: [usize; 2],
    placeable: [usize; 2],
) -> Evaluation {
    debug_assert_eq!(lambda.len(), p.parks(), "one price per park");
    let n = p.items();
    let best = per_item(n, |i| {
        let w = p.w(i);
        let mut slot = (f64::INFINITY, NONE);
        for (j, c) in p.options(i) {
            let rc = c + lambda.get(j).copied().unwrap_or(0.0) * w;
            if rc < slot.0 {
                slot = (rc, j as u32);
            }
        }
        slot
    });
    let mut mu = [f64::INFINITY; 2];
    for t in [Tier::Must, Tier::Encouraged] {
        let k = t.index();
        let want = counts.get(k).copied().unwrap_or(0);
        let have = placeable.get(k).copied().unwrap_or(0);
        if want < have {
            let mut values: Vec<f64> = (0..n)
                .filter(|&i| p.tier_of(i) == t)
                .filter_map(|i| best.get(i).map(|b| b.0))
                .filter(|v| v.is_finite())
                .collect();
            let threshold = if want == 0 {
                Some(0.0)
            } else if want <= values.len() {
                values.select_nth_unstable_by(want - 1, |a, b| a.total_cmp(b));
                values.get(want - 1).copied()
            } else {
                None
            };
            if let (Some(slot), Some(v)) = (mu.get_mut(k), threshold) {
                *slot = v;
            }
        }
    }
    // Selected: the `want` smallest per tier; ties at μ are taken in item order.
    let mut taken_at_mu = [0usize; 2];
    let mut below = [0usize; 2];
    for i in 0..n {
        let t = p.tier_of(i).index();
        if let (Some(b), Some(m)) = (best.get(i), mu.get(t)) {
            if b.0 < *m {
                if let Some(x) = below.get_mut(t) {
                    *x += 1;
                }
            }
        }
    }
    let mut value = 0.0;
    let mut magnitude = 0.0;
    let mut gradient: Vec<f64> = p.capacity_ha.iter().map(|c| -c).collect();
    for i in 0..n {
        let t = p.tier_of(i).index();
        let (rc, j) = best.get(i).copied().unwrap_or((f64::INFINITY, NONE));
        if !rc.is_finite() {
            continue;
        }
        let m = mu.get(t).copied().unwrap_or(f64::INFINITY);
        let selected = if rc < m {
            true
        } else if rc == m {
            let room = counts
                .get(t)
                .copied()
                .unwrap_or(0)
                .saturating_sub(below.get(t).copied().unwrap_or(0));
            let taken = taken_at_mu.get_mut(t);
            match taken {
                Some(x) if *x < room => {
                    *x += 1;
                    true
                }
                _ => false,
            }
        } else {
            false
        };
        if selected {
            value += rc;
            magnitude += rc.abs();
            if let Some(g) = gradient.get_mut(j as usize) {
                *g += p.w(i);
            }
        }
    }
    let priced: f64 = lambda.iter().zip(&p.capacity_ha).map(|(l, c)| l * c).sum();
    value -= priced;
    magnitude += priced.abs();
    value -= ROUNDING_MARGIN * magnitude;
    Evaluation { value, gradient, mu }
}

/// `f(i)` for every item `0..n`, in parallel chunks; the result does not depend on the number
/// of threads (each slot is computed alone, sums over it are left to the caller, in order).
pub(super) fn per_item<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    use rayon::prelude::*;
    if n <= ITEM_CHUNK {
        return (0..n).map(f).collect();
    }
    (0..n).into_par_iter().with_min_len(ITEM_CHUNK).map(f).collect()
}

/// Projected subgradient ascent of a Lagrangian dual from `lambda` (prices ≥ 0), with Polyak
/// steps θ·max(target − value, `floor`)/‖g‖² that halve θ after `STALL_STEPS` steps without a new
/// best;
/// stops when `done(best)`, when θ falls below `min_theta` or after `iterations`. Returns the
/// best value and its prices; `lambda` is left at the last iterate.
pub(super) fn subgradient(
    lambda: &mut [f64],
    iterations: usize,
    target: f64,
    min_theta: f64,
    floor: f64,
    done: impl Fn(f64) -> bool,
    evaluate: impl Fn(&[f64]) -> (f64, Vec<f64>),
) -> (f64, Vec<f64>) {
    let mut best = f64::NEG_INFINITY;
    let mut best_lambda = lambda.to_vec();
    let mut theta = THETA_START;
    let mut stall = 0;
    for _ in 0..iterations {
        let (value, gradient) = evaluate(lambda);
        if value > best {
            best = value;
            best_lambda.copy_from_slice(lambda);
            stall = 0;
        } else {
            stall += 1;
            if stall >= STALL_STEPS {
                theta /= 2.0;
                stall = 0;
            }
        }
        if done(best) || theta < min_theta {
            break;
        }
        let norm: f64 = gradient
            .iter()
            .zip(lambda.iter())
            .map(|(g, l)| if *l <= 0.0 && *g < 0.0 { 0.0 } else { g * g })
            .sum();
        if norm <= 0.0 {
            break;
        }
        let step = theta * (target - value).max(floor) / norm;
        for (l, g) in lambda.iter_mut().zip(&gradient) {
            *l = (*l + step * g).max(0.0);
        }
    }
    (best, best_lambda)
}

/// Best bound found from `lambda` for plans placing at least `counts` per tier, with its prices.
pub(super) fn ascend(
    p: &AssignmentProblem,
    by_park: &OptionsByPark,
    lambda: &mut Vec<f64>,
    counts: [usize; 2],
    placeable: [usize; 2],
    target: f64,
    budget: &Budget,
) -> (f64, Vec<f64>) {
    let arcs = p.park.len().max(1) as u64;
    let iterations = budget.iterations(p, budget.dual_iterations);
    // A coordinate pass looks at every option of every option's factory: about k times more.
    let per_pass = arcs.saturating_mul((arcs / p.items().max(1) as u64).max(1));
    let passes = budget.coordinate_passes.min((budget.arc_work / per_pass.max(1)) as usize);
    let close_enough = |v: f64| target - v <= ASCENT_CLOSE_REL * target.abs().max(COST_SCALE_FLOOR);
    // Projected subgradient with Polyak steps towards the plan's cost.
    let floor = POLYAK_FLOOR_REL * target.abs().max(1.0);
    let (mut best_value, mut best_lambda) =
        subgradient(lambda, iterations, target, COST_MIN_THETA, floor, close_enough, |l| {
            let e = evaluate(p, l, counts, placeable);
            (e.value, e.gradient)
        });
    lambda.clone_from(&best_lambda);
    // Coordinate ascent: each park's price to the maximiser of its concave piece.
    for _ in 0..passes {
        let e = evaluate(p, lambda, counts, placeable);
        if e.value > best_value {
            best_value = e.value;
            best_lambda.clone_from(lambda);
        }
        if close_enough(best_value) {
            break;
        }
        let mut changed = false;
        for j in 0..p.parks() {
            let new = coordinate_price(p, by_park, lambda, &e.mu, j);
            if let (Some(l), Some(new)) = (lambda.get_mut(j), new) {
                if (*l - new).abs() > PRICE_STEP_REL * (1.0 + l.abs()) {
                    *l = new;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let e = evaluate(p, lambda, counts, placeable);
    if e.value > best_value {
        best_value = e.value;
        best_lambda.clone_from(lambda);
    }
    (best_value, best_lambda)
}

/// The price of park `j` maximising the bound with the other prices and μ fixed.
fn coordinate_price(
    p: &AssignmentProblem,
    by_park: &OptionsByPark,
    lambda: &[f64],
    mu: &[f64; 2],
    j: usize,
) -> Option<f64> {
    let mut points = by_park.keep_of(j, |i, cij| {
        let w = p.w(i);
        let mut b = mu.get(p.tier_of(i).index()).copied().unwrap_or(f64::INFINITY);
        for (m, c) in p.options(i) {
            if m != j {
                b = b.min(c + lambda.get(m).copied().unwrap_or(0.0) * w);
            }
        }
        let beta = (b - cij) / w;
        (beta > 0.0).then_some((beta, w))
    });
    points.sort_by(|a, b| b.0.total_cmp(&a.0));
    let cap = p.cap(j);
    let mut cum = 0.0;
    for (beta, w) in points {
        cum += w;
        if cum > cap + CAPACITY_TOLERANCE_HA {
            return beta.is_finite().then_some(beta);
        }
    }
    Some(0.0)
}
