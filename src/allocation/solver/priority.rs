//! The priority proof: how many factories of each tier any plan can place at most.
//!
//! 1. `unplaced_bound`: the LP bound (same Lagrangian as `dual`, a penalty per factory left
//!    out, no cost) by subgradient and coordinate ascent, at any size.
//! 2. `count_lp`: the exact LP of "place as many as possible" where its work allows; its
//!    prices are the best ones, and the rule-1 plan is steered and rounded from it.
//! 3. `count_bound`: the Lagrangian at given prices taken apart into groups of parks that
//!    share no factory, each rounded down to a whole count.
//! 4. `placed_bounds`: the least of those per tier. When they match what the plan places, no
//!    plan places more must_relocate factories, nor as many and more encouraged ones: rules 1
//!    and 2 are proven, whatever the cost.

use super::dual::{per_item, subgradient, OptionsByPark, PRICE_STEP_REL, ROUNDING_MARGIN};
use super::transport::{transport_lp_with, Costs, FLOW_EPS};
use super::{AssignmentProblem, Budget, CAPACITY_TOLERANCE_HA, NONE};

/// How many times `Budget::lp_work` the exact LP of "place as many as possible" may cost, by
/// the estimate of `lp_affordable` (items × parks²), which overstates it many times there:
/// 100,000 factories × 500 parks (24·10⁹ by the estimate) solve it in about 4 s, and it
/// places 22 more must-relocate factories there and bounds the rest at 11 more instead of 144;
/// a million × 2,000 (4·10¹²) stays with the Lagrangian prices.
const COUNT_LP_WORK_FACTOR: u64 = 1_000;

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

/// Bounds found while the plans were built.
pub(super) struct Known<'a> {
    /// A lower bound on the must_relocate factories any plan leaves out, with its prices.
    pub(super) must_unplaced: Option<(f64, &'a [f64])>,
    /// The exact LP of "place as many must_relocate factories as possible".
    pub(super) must_lp: Option<&'a CountLp>,
}

/// Upper bounds on the factories of each tier that a plan can place: for must_relocate, over
/// every plan; for encouraged, over every plan placing at least `placed[0]` must_relocate
/// factories (as good as `placed` by rule 1). `known`: a lower bound on the must_relocate
/// factories left out that is already known (the scarce plan's prices came with one, from more
/// iterations than `iterations`), and the exact LP behind the rule-1 plan: they hold for every
/// plan, so they are not searched for again. Both equal `placed` when rules 1 and 2 are proven.
pub(super) fn placed_bounds(
    p: &AssignmentProblem,
    by_park: &OptionsByPark,
    placed: [usize; 2],
    placeable: [usize; 2],
    iterations: usize,
    known: Known,
    budget: &Budget,
) -> [usize; 2] {
    let short =
        [placeable[0] - placed[0].min(placeable[0]), placeable[1] - placed[1].min(placeable[1])];
    let whole = |bound: f64| (bound - COUNT_TOLERANCE).ceil().max(0.0) as usize;
    let must = if short[0] == 0 {
        placed[0]
    } else {
        let (bound, lambda) = match known.must_unplaced {
            Some((bound, lambda)) => (bound, lambda.to_vec()),
            None => unplaced_bound(p, by_park, [1.0, 0.0], short[0] as f64, iterations),
        };
        let mut most = placeable[0] - whole(bound).min(short[0]);
        let by_groups = count_bound(p, &lambda, [1.0, 0.0]);
        let exact_lp = match known.must_lp {
            Some(lp) => count_bound(p, &lp.prices, [1.0, 0.0]),
            None => count_lp(p, [1.0, 0.0], budget)
                .map_or(f64::INFINITY, |lp| count_bound(p, &lp.prices, [1.0, 0.0])),
        };
        most = most.min(by_groups.min(exact_lp).max(placed[0] as f64) as usize);
        most
    };
    let encouraged = if short[1] == 0 {
        placed[1]
    } else if must > placed[0] {
        // A plan placing more must_relocate factories may place fewer encouraged ones, and
        // one placing placed[0] may use the land of the must_relocate factories it leaves out:
        // no bound below every encouraged factory holds for both.
        placeable[1]
    } else {
        // One must_relocate factory outweighs every encouraged one.
        let big = placeable[1] as f64 + 1.0;
        let target = big * short[0] as f64 + short[1] as f64;
        let (bound, lambda) = unplaced_bound(p, by_park, [big, 1.0], target, iterations);
        let most = placeable[1] - whole(bound - big * short[0] as f64).min(short[1]);
        // The same weighted count from above, in groups, at the ascent's and the exact LP's
        // prices: a plan placing at least placed[0] must_relocate factories places at most
        // (weighted count − big·placed[0]) encouraged ones.
        let weighted = count_bound(p, &lambda, [big, 1.0]).min(
            count_lp(p, [big, 1.0], budget)
                .map_or(f64::INFINITY, |lp| count_bound(p, &lp.prices, [big, 1.0])),
        );
        let by_groups = (weighted - big * placed[0] as f64).max(placed[1] as f64);
        most.min(by_groups as usize)
    };
    [must, encouraged]
}

/// An upper bound on Σ_t penalty_t × (placed items of tier t) over all plans, at any prices per
/// hectare `lambda` ≥ 0; the penalties are whole numbers (1 counts factories).
///
/// The Lagrangian of the capacities, Σ_j λ_j·C_j + Σ_i max(0, pen_i − min_j λ_j·w_i), falls
/// apart into independent pieces: an item with a free option (a park priced 0) counts whole,
/// and the others join the priced parks they may go to into groups, connected through shared
/// items. The items of a group can only go to its parks, so the group's part bounds how many
/// of them any plan places — and a count is whole, so each part is rounded down on its own.
/// With several groups each holding a split factory, this is a few factories below the LP.
pub(super) fn count_bound(p: &AssignmentProblem, lambda: &[f64], penalty: [f64; 2]) -> f64 {
    let price = |j: usize| lambda.get(j).copied().unwrap_or(0.0).max(0.0);
    let mut group: Vec<usize> = (0..p.parks()).collect();
    fn root(group: &mut [usize], mut j: usize) -> usize {
        while let Some(&up) = group.get(j) {
            if up == j {
                break;
            }
            let grand = group.get(up).copied().unwrap_or(up);
            if let Some(g) = group.get_mut(j) {
                *g = grand;
            }
            j = grand;
        }
        j
    }
    let mut whole = 0.0;
    // (term, penalty, a park of its group) for the items whose options are all priced.
    let mut priced_items: Vec<(f64, f64, usize)> = Vec::new();
    for i in (0..p.items()).filter(|&i| p.placeable(i)) {
        let pen = penalty.get(p.tier_of(i).index()).copied().unwrap_or(0.0);
        if pen <= 0.0 {
            continue;
        }
        if p.options(i).any(|(j, _)| price(j) <= 0.0) {
            whole += pen;
            continue;
        }
        let w = p.w(i);
        let mut least = f64::INFINITY;
        let mut first = None;
        for (j, _) in p.options(i) {
            least = least.min(price(j) * w);
            match first {
                None => first = Some(j),
                Some(f) => {
                    let (a, b) = (root(&mut group, f), root(&mut group, j));
                    if a != b {
                        let (lo, hi) = (a.min(b), a.max(b));
                        if let Some(g) = group.get_mut(hi) {
                            *g = lo;
                        }
                    }
                }
            }
        }
        if let Some(f) = first {
            priced_items.push(((pen - least).max(0.0), pen, f));
        }
    }
    // Each group's part: its items' terms and its parks' priced land, with the rounding margin
    // added (a bound from above must not be rounded below the truth), then made whole.
    let mut part = vec![0.0; p.parks()];
    let mut magnitude = vec![0.0; p.parks()];
    let mut used = vec![false; p.parks()];
    // The most a group can count: every one of its items placed.
    let mut most = vec![0.0; p.parks()];
    for (term, pen, f) in priced_items {
        let g = root(&mut group, f);
        if let (Some(v), Some(m), Some(u), Some(n)) =
            (part.get_mut(g), magnitude.get_mut(g), used.get_mut(g), most.get_mut(g))
        {
            *v += term;
            *m += term.abs();
            *u = true;
            *n += pen;
        }
    }
    for j in 0..p.parks() {
        let g = root(&mut group, j);
        if used.get(g).copied().unwrap_or(false) {
            let land = price(j) * p.cap(j);
            if let (Some(v), Some(m)) = (part.get_mut(g), magnitude.get_mut(g)) {
                *v += land;
                *m += land;
            }
        }
    }
    let groups: f64 = part
        .iter()
        .zip(&magnitude)
        .zip(&most)
        .zip(&used)
        .filter(|(_, &u)| u)
        .map(|(((v, m), n), _)| (v + ROUNDING_MARGIN * m + COUNT_TOLERANCE).floor().min(*n))
        .sum();
    whole + groups
}

/// The exact LP of "place as many as possible" (weighted by `penalty`), when it is small
/// enough for `Budget::lp_work`: the transportation problem with every cost 0 and each item
/// free to stay out at its penalty. Its prices are the best ones for `count_bound`'s
/// Lagrangian, which the subgradient ascent only approaches.
pub(super) struct CountLp {
    pub(super) prices: Vec<f64>,
    /// Per item, the park holding all of its land in the LP (`None`: split, out, or not asked).
    pub(super) whole: Vec<Option<usize>>,
}

pub(super) fn count_lp(
    p: &AssignmentProblem,
    penalty: [f64; 2],
    budget: &Budget,
) -> Option<CountLp> {
    count_lp_breaking_ties(p, penalty, false, budget)
}

/// `count_lp` where a factory that may go straight into several parks equally well (the
/// costs are all 0 there) takes the cheapest: the same LP, solved along other ways, so its
/// rounding places other factories (on the land-short 2,900-factory benchmark of seed 2, one
/// more must_relocate factory, which proves that count).
pub(super) fn count_lp_cheapest_ties(p: &AssignmentProblem, budget: &Budget) -> Option<CountLp> {
    count_lp_breaking_ties(p, [1.0, 0.0], true, budget)
}

fn count_lp_breaking_ties(
    p: &AssignmentProblem,
    penalty: [f64; 2],
    by_cost: bool,
    budget: &Budget,
) -> Option<CountLp> {
    let items: Vec<(usize, f64)> = (0..p.items())
        .filter(|&i| p.placeable(i))
        .filter_map(|i| {
            let pen = penalty.get(p.tier_of(i).index()).copied().unwrap_or(0.0);
            (pen > 0.0).then_some((i, pen))
        })
        .collect();
    // Without costs most factories go straight in and the searches over the parks are short:
    // the LP is tried on problems `lp_work` would refuse, and given up past its work limit.
    let wider =
        Budget { lp_work: budget.lp_work.saturating_mul(COUNT_LP_WORK_FACTOR), ..budget.clone() };
    let costs = if by_cost { Costs::ZeroCheapestFirst } else { Costs::Zero };
    let lp = transport_lp_with(p, costs, &items, &wider)?;
    let mut whole = vec![None; p.items()];
    for &(i, _) in &items {
        let Some(flows) = lp.flow.get(i) else { continue };
        if let [(j, ha)] = flows.as_slice() {
            if (*j as usize) < p.parks() && *ha >= p.w(i) - FLOW_EPS {
                if let Some(x) = whole.get_mut(i) {
                    *x = Some(*j as usize);
                }
            }
        }
    }
    Some(CountLp { prices: lp.prices, whole })
}

#[cfg(test)]
mod tests {
    use super::{count_bound, count_lp, count_lp_cheapest_ties};
    use crate::allocation::solver::tests::problem;
    use crate::allocation::solver::{Budget, Tier};

    #[test]
    fn each_group_of_parks_is_rounded_to_a_whole_count_on_its_own() {
        // Two parks of 3 ha, each wanted by its own two 2 ha factories: the LP places one and a
        // half in each, 3 in all, but each park takes one whole factory: at most 2.
        let p = problem(
            &[3.0, 3.0],
            &[
                (2.0, Tier::Must, &[(0, 0.0)]),
                (2.0, Tier::Must, &[(0, 0.0)]),
                (2.0, Tier::Must, &[(1, 0.0)]),
                (2.0, Tier::Must, &[(1, 0.0)]),
            ],
        );
        let lp = count_lp(&p, [1.0, 0.0], &Budget::default()).unwrap();
        assert_eq!(lp.prices, vec![0.5, 0.5]);
        assert_eq!(count_bound(&p, &lp.prices, [1.0, 0.0]), 2.0);
        // A factory free to use either park joins them into one group: 1.5 + 1.5 + 1 fits
        // 3 + 3 ha as 3 whole factories at most, and the bound says so (not 2 + 1).
        let q = problem(
            &[3.0, 3.0],
            &[
                (2.0, Tier::Must, &[(0, 0.0)]),
                (2.0, Tier::Must, &[(0, 0.0)]),
                (2.0, Tier::Must, &[(1, 0.0)]),
                (2.0, Tier::Must, &[(1, 0.0)]),
                (1.0, Tier::Must, &[(0, 0.0), (1, 0.0)]),
            ],
        );
        let lp = count_lp(&q, [1.0, 0.0], &Budget::default()).unwrap();
        assert_eq!(count_bound(&q, &lp.prices, [1.0, 0.0]), 3.0);
    }

    #[test]
    fn the_count_lp_breaking_ties_by_cost_puts_a_factory_in_its_cheaper_park() {
        // Both parks have room: as far as the count goes either will do.
        let p = problem(&[2.0, 2.0], &[(1.0, Tier::Must, &[(0, 5.0), (1, 1.0)])]);
        let first = count_lp(&p, [1.0, 0.0], &Budget::default()).unwrap();
        assert_eq!(first.whole, vec![Some(0)]);
        let tied = count_lp_cheapest_ties(&p, &Budget::default()).unwrap();
        assert_eq!(tied.whole, vec![Some(1)]);
    }

    #[test]
    fn a_free_park_counts_every_factory_that_may_use_it() {
        let p = problem(&[3.0, 10.0], &[(2.0, Tier::Must, &[(0, 0.0), (1, 0.0)])]);
        assert_eq!(count_bound(&p, &[1.0, 0.0], [1.0, 0.0]), 1.0);
        // Encouraged factories count nothing when only must_relocate ones are counted.
        let q = problem(&[3.0], &[(2.0, Tier::Encouraged, &[(0, 0.0)])]);
        assert_eq!(count_bound(&q, &[0.0], [1.0, 0.0]), 0.0);
    }
}
