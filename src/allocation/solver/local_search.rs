//! Local search keeping the tier counts (shift, swap, replace an unplaced factory of the same
//! tier), and the rounds that alternate it with a new bound while the gap is above target.
//!
//! The neighbourhoods that scan park members are costly on large problems, so they run only
//! within `Budget::member_work`; the cheap ones (place what fits, shift) always run.

use super::construct::{construct, Order};
use super::dual::{ascend, OptionsByPark, Priced};
use super::exchange::pair_exchange;
use super::rounding::polish_pairs;
use super::state::State;
use super::{AssignmentProblem, Budget, CAPACITY_TOLERANCE_HA, COST_SCALE_FLOOR, IMPROVE_EPS};

/// Options (factory–park pairs) above which `refine` makes one round at most: a round gains
/// little once thousands of factories share each park, and costs seconds.
const ONE_ROUND_OPTIONS: usize = 5_000_000;

/// Bound first; then, while the gap is above target, alternately a price-guided rebuild
/// and the costlier neighbourhoods on the best plan (the local search, then two-park
/// exchanges), each followed by a new bound. When land is short the rebuild is left out:
/// greedy on reduced costs places fewer factories than the count-first plan and never won
/// on the benchmark scenarios (2,900 to 1M factories), so one round of local search is all
/// that pays. On very large problems one step at most: a step gains little once thousands
/// of factories share each park. After the LP polish (`polished`) the local search is at a
/// standstill (a rebuild still gets the polish before it is compared). Returns the last bound
/// for plans placing as many factories per tier as `best`, with its prices.
pub(super) fn refine<'p>(
    p: &'p AssignmentProblem,
    by_park: &OptionsByPark,
    best: &mut State<'p>,
    placeable: [usize; 2],
    polished: bool,
    budget: &Budget,
) -> Priced {
    let zero = vec![0.0; p.parks()];
    let mut lambda = zero.clone();
    let close = |cost: f64, bound: f64| {
        cost - bound <= budget.target_gap * cost.abs().max(COST_SCALE_FLOOR)
    };
    let land_short = best.placed() != placeable;
    let rounds =
        if land_short || p.park.len() > ONE_ROUND_OPTIONS { 1 } else { budget.rounds.max(1) };
    let mut round = 0;
    loop {
        let score = best.score();
        let counts = best.placed();
        let (bound, prices) =
            ascend(p, by_park, &mut lambda, counts, placeable, score.cost, budget);
        if close(score.cost, bound) || round == rounds || budget.expired() {
            return Priced { bound, prices };
        }
        if round % 2 == 0 && !land_short {
            // Lagrangian heuristic: greedy on reduced costs (prices make it see the capacity
            // that the plain greedy runs into), then the cheap moves on true costs.
            let mut trial = construct(p, &prices, Order::Regret, budget);
            improve(&mut trial, budget, Moves::Cheap);
            if polished {
                improve(&mut trial, budget, Moves::All);
                polish_pairs(&mut trial, budget);
            }
            if trial.score().better_than(&best.score()) {
                if trial.placed() != counts {
                    lambda.clone_from(&zero);
                }
                *best = trial;
            }
        } else if !polished {
            improve(best, budget, Moves::All);
            if land_short {
                // Every park is full: the two-park exchanges and the three-park chains until
                // they stop gaining (on the land-short 20,000-factory benchmark, its gap from
                // 1.04 % to 0.07 %).
                polish_pairs(best, budget);
            } else {
                // One sweep: cheap where parks are many (each pair's table is small), 0.3 %
                // off the cost on 100,000 factories in a twentieth of a second.
                pair_exchange(best, budget.member_work, vec![true; p.parks()]);
            }
        }
        round += 1;
    }
}

/// Which local-search neighbourhoods to run.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Moves {
    /// Place what fits, shift to a cheaper park with room: linear in the options per pass.
    Cheap,
    /// Also replace (an unplaced factory of the same tier takes a placed one's place) and swap,
    /// which scan park members.
    All,
}

pub(super) fn improve(s: &mut State, budget: &Budget, moves: Moves) {
    let p = s.p;
    let n = p.items();
    let per_park = n as f64 / p.parks().max(1) as f64;
    let swap_pairs = (p.park.len() as f64 * per_park) as u64;
    let mut swaps = moves == Moves::All && swap_pairs <= budget.swap_work;
    let mut spent = 0u64;
    for _ in 0..budget.search_passes {
        let scans = moves == Moves::All && spent <= budget.member_work;
        swaps &= scans;
        let mut improved = false;
        // Room may appear as items move: place what now fits (rules 1–2 gain).
        for i in 0..n {
            if s.at(i).is_none() {
                let w = p.w(i);
                if let Some((j, _)) =
                    p.options(i).filter(|(j, _)| s.fits(*j, w)).min_by(|a, b| a.1.total_cmp(&b.1))
                {
                    s.place(i, j);
                    improved = true;
                }
            }
        }
        // Shift: move to a cheaper park with room.
        for i in 0..n {
            let Some(a) = s.at(i) else { continue };
            let w = p.w(i);
            let ca = p.cost(i, a).unwrap_or(0.0);
            let mut best: Option<(usize, f64)> = None;
            for (b, cb) in p.options(i) {
                if b != a
                    && cb < ca - IMPROVE_EPS
                    && s.fits(b, w)
                    && best.map_or(true, |x| cb < x.1)
                {
                    best = Some((b, cb));
                }
            }
            if let Some((b, _)) = best {
                s.remove(i);
                s.place(i, b);
                improved = true;
            }
        }
        // Replace: an unplaced item of the same tier takes a placed one's place more cheaply.
        for i in 0..n {
            if !scans || spent > budget.member_work {
                break;
            }
            if s.at(i).is_some() || !p.placeable(i) {
                continue;
            }
            let w = p.w(i);
            let mut best: Option<(f64, usize, usize)> = None;
            for (j, cij) in p.options(i) {
                let room = s.room(j);
                let members = s.members.get(j).map(Vec::as_slice).unwrap_or(&[]);
                spent += members.len() as u64;
                for &k in members {
                    let k = k as usize;
                    if p.tier_of(k) != p.tier_of(i) || w > room + p.w(k) + CAPACITY_TOLERANCE_HA {
                        continue;
                    }
                    let delta = cij - p.cost(k, j).unwrap_or(0.0);
                    if delta < -IMPROVE_EPS && best.map_or(true, |b| delta < b.0) {
                        best = Some((delta, j, k));
                    }
                }
            }
            if let Some((_, j, k)) = best {
                s.remove(k);
                s.place(i, j);
                improved = true;
            }
        }
        // Swap: two placed items exchange parks.
        if swaps {
            for i in 0..n {
                if spent > budget.member_work {
                    break;
                }
                let Some(a) = s.at(i) else { continue };
                let wi = p.w(i);
                let cia = p.cost(i, a).unwrap_or(0.0);
                let mut best: Option<(f64, usize)> = None;
                for (b, cib) in p.options(i) {
                    // An improving swap has one side that gains on its own; looking from that
                    // side only (every item is looked at) skips most pairs.
                    if b == a || cib >= cia {
                        continue;
                    }
                    let (room_a, room_b) = (s.room(a), s.room(b));
                    let members = s.members.get(b).map(Vec::as_slice).unwrap_or(&[]);
                    spent += members.len() as u64;
                    for &k in members {
                        let k = k as usize;
                        let wk = p.w(k);
                        if wi > room_b + wk + CAPACITY_TOLERANCE_HA
                            || wk > room_a + wi + CAPACITY_TOLERANCE_HA
                        {
                            continue;
                        }
                        let Some(cka) = p.cost(k, a) else { continue };
                        let delta = cib + cka - cia - p.cost(k, b).unwrap_or(0.0);
                        if delta < -IMPROVE_EPS && best.map_or(true, |x| delta < x.0) {
                            best = Some((delta, k));
                        }
                    }
                }
                if let Some((_, k)) = best {
                    let b = s.at(k).unwrap_or(a);
                    s.remove(i);
                    s.remove(k);
                    s.place(i, b);
                    s.place(k, a);
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}
