//! Small problems: plans rounded from the exact LP of a plan's must_relocate factories, each
//! polished by the local search and the two-park exchanges.
//!
//! Rounding the LP starts from where land is worth least, which the greedy cannot see; on the
//! land-short 2,900-factory benchmark the polished plan comes to about 0.1 % above the LP
//! bound of its own set of factories.

use super::exchange::{chain_exchange, changed_parks, pair_exchange, ChainSweep};
use super::local_search::{improve, Moves};
use super::repair::{more_must_by_chain_trades, repair};
use super::state::{placeable_per_tier, State};
use super::transport::{lp_affordable, transport_lp, FLOW_EPS};
use super::{AssignmentProblem, Budget, Tier, TRADE_WORK_SHARE};

/// The three-park chains' member visits over a whole polish, in `Budget::member_work`s: a
/// sweep over 20,000 factories takes about one. Their gains come in a long tail, each sweep
/// about 0.3 s there; longer searches did not end better on the land-short benchmarks (20,000
/// factories at land ratio 1.5: 0.15 % after 8, 0.15 % after 30), and 8 keep the 100,000
/// plan at 6.4 s instead of 14 s.
const CHAIN_WORK_FACTOR: u64 = 8;
/// Factories per `CHAIN_WORK_FACTOR` of chain work: 100,000 factories get five times the
/// work, their gap going from 1.06 % to 0.82 % in 4.5 s more (14.9 s in all).
const CHAIN_SCALE_ITEMS: u64 = 20_000;
/// Factories beyond which the chain work is not scaled: a million-factory run has no time to
/// spare (25.7 s of its 30 s; scaled, 38 s).
const CHAIN_SCALE_MAX_ITEMS: u64 = 200_000;

/// LP-rounded plans tried in a row at most (each from the previous winner).
const LP_ROUNDS: usize = 3;

/// Chain trades at most on a rounded plan to bring its must_relocate count back
/// (`regain_must`): the roundings of the land-short benchmarks lose up to a handful.
const REGAIN_ROUNDS: usize = 8;

/// How much dearer than the polished LP plan the constructed plan may be (before its own
/// polish) and still be polished in turn, on problems of more than `POLISH_BOTH_ITEMS`.
const POLISH_MARGIN: f64 = 0.02;
/// Factories up to which the constructed plan is always polished as well: it then wins now and
/// again, and the polish is cheap.
const POLISH_BOTH_ITEMS: usize = 1_000;

/// The LP's penalty for leaving an encouraged factory out, as a multiple of the dearest option
/// of any factory: high enough that the LP places all it can, low enough that the costs are
/// not drowned in its rounding.
const OUT_PENALTY_FACTOR: f64 = 100.0;
/// Added to that penalty (cost units), so that it stays above 0 when every option is free.
const OUT_PENALTY_MIN: f64 = 1.0;

/// A plan rounded from the exact LP of `best`'s must_relocate factories (every one placed)
/// and every encouraged one (free to stay out at a penalty a hundred times any factory's
/// dearest option, so the LP places as many as it can, then saves cost; a penalty above any
/// total of costs would drown the costs in rounding). Tier by tier, largest first, each
/// factory goes to the park holding most of its land in the LP when it fits, else to the
/// fitting park with the least reduced cost c + λ·w at the LP's prices; the small factories
/// then fill what the rounding leaves, and the chain repair places those that did not fit.
/// `None` when the LP is not solved (too large).
fn lp_plan<'p>(p: &'p AssignmentProblem, best: &State<'p>, budget: &Budget) -> Option<State<'p>> {
    let must =
        (0..p.items()).filter(|&i| p.tier_of(i) == Tier::Must && best.at(i).is_some()).count();
    let encouraged =
        (0..p.items()).filter(|&i| p.tier_of(i) == Tier::Encouraged && p.placeable(i)).count();
    if !lp_affordable(p, must + encouraged, budget) {
        return None;
    }
    let dearest =
        (0..p.items()).map(|i| p.options(i).map(|x| x.1).fold(0.0, f64::max)).fold(0.0, f64::max);
    let penalty = OUT_PENALTY_FACTOR * dearest + OUT_PENALTY_MIN;
    let items: Vec<(usize, f64)> = (0..p.items())
        .filter(|&i| p.placeable(i))
        .filter_map(|i| match p.tier_of(i) {
            Tier::Must => best.at(i).is_some().then_some((i, f64::INFINITY)),
            Tier::Encouraged => Some((i, penalty)),
        })
        .collect();
    let lp = transport_lp(p, &items, budget)?;
    let parks = p.parks() as u32;
    let mut order: Vec<usize> = items.iter().map(|x| x.0).collect();
    order.sort_by(|&a, &b| p.w(b).total_cmp(&p.w(a)).then(p.rank_of(a).cmp(&p.rank_of(b))));
    let mut s = State::new(p);
    for tier in [Tier::Must, Tier::Encouraged] {
        for &i in order.iter().filter(|&&i| p.tier_of(i) == tier) {
            let w = p.w(i);
            let flows: &[(u32, f64)] = lp.flow.get(i).map(Vec::as_slice).unwrap_or(&[]);
            let in_parks = || flows.iter().filter(|x| x.0 < parks);
            if w > 0.0 && in_parks().map(|x| x.1).sum::<f64>() <= FLOW_EPS {
                // Left out by the LP: the repair may still find it a place.
                continue;
            }
            let share = in_parks()
                .filter(|x| s.fits(x.0 as usize, w))
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|x| x.0 as usize);
            let target = share.or_else(|| {
                p.options(i)
                    .filter(|(j, _)| s.fits(*j, w))
                    .map(|(j, c)| (j, c + lp.prices.get(j).copied().unwrap_or(0.0) * w))
                    .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
                    .map(|x| x.0)
            });
            if let Some(j) = target {
                s.place(i, j);
            }
        }
        repair(&mut s, tier, budget.member_work);
    }
    Some(s)
}

/// Small problems (the exact LP fits `Budget::lp_work`): plans rounded from the LP of a
/// plan's must_relocate factories (`lp_plan`), each with the local search — again from the
/// best of them while its must_relocate set changes, the LP depending on nothing else. The
/// best of them is then polished by two-park exchanges, and so is `best` (after the local
/// search) when it could still win; the better replaces `best`. False (and `best` untouched)
/// when the LP is too large.
pub(super) fn lp_polish<'p>(
    p: &'p AssignmentProblem,
    best: &mut State<'p>,
    budget: &Budget,
) -> bool {
    let must_set = |s: &State| -> Vec<bool> {
        (0..p.items()).map(|i| p.tier_of(i) == Tier::Must && s.at(i).is_some()).collect()
    };
    let mut solved: Option<Vec<bool>> = None;
    let mut rounded: Option<State<'p>> = None;
    for _ in 0..LP_ROUNDS {
        if budget.expired() {
            break;
        }
        let from = rounded.as_ref().unwrap_or(best);
        let set = must_set(from);
        if solved.as_ref() == Some(&set) {
            break;
        }
        let Some(mut trial) = lp_plan(p, from, budget) else { break };
        solved = Some(set);
        improve(&mut trial, budget, Moves::Cheap);
        improve(&mut trial, budget, Moves::All);
        regain_must(&mut trial, from.placed()[0], budget);
        if rounded.as_ref().is_some_and(|r| !trial.score().better_than(&r.score())) {
            break;
        }
        rounded = Some(trial);
    }
    let Some(mut rounded) = rounded else { return false };
    let (a, b) = (rounded.score(), best.score());
    if a.unplaced <= b.unplaced {
        polish_pairs(&mut rounded, budget);
    }
    // The constructed plan is polished too when it places more, or as many and either the
    // problem is small or its cost (after the cheap moves only) is within `POLISH_MARGIN` of
    // the polished LP plan's: on a few hundred factories it then wins now and again, on
    // thousands it is far behind and its polish would double the time.
    let r = rounded.score();
    let in_reach = p.items() <= POLISH_BOTH_ITEMS || b.cost <= r.cost * (1.0 + POLISH_MARGIN);
    if b.unplaced < r.unplaced || (b.unplaced == r.unplaced && in_reach) {
        improve(best, budget, Moves::All);
        polish_pairs(best, budget);
    }
    if r.better_than(&best.score()) {
        *best = rounded;
    }
    true
}

/// Chain trades on a rounded plan that places fewer must_relocate factories than the plan it
/// was rounded from (`want`), up to `REGAIN_ROUNDS`, each placing one more: the rounding
/// loses a few to the LP's split factories, and the plan rounded near the LP's costs is
/// worth keeping only with the count back (on the land-short 2,900-factory benchmark at
/// land ratio 0.5 this takes the gap from 0.39 % to 0.11 %).
fn regain_must(s: &mut State, want: usize, budget: &Budget) {
    for _ in 0..REGAIN_ROUNDS {
        if s.placed()[0] >= want
            || budget.expired()
            || !more_must_by_chain_trades(s, budget.member_work / TRADE_WORK_SHARE)
        {
            break;
        }
    }
}

/// Two-park exchanges and the local search in turn while they gain (after the first sweep,
/// only pairs with a park the local search touched); when land is short (some factory with
/// options left out), three-park chains as well: every park is then full, and a cycle over
/// three parks is what the two-park trades miss (on the land-short 20,000-factory benchmark
/// the gap goes from 0.64 % to 0.08 %). Where everything fits they are left out: the
/// bundled plan gains 0.0002 % from them, not worth changing its bytes.
pub(super) fn polish_pairs(s: &mut State, budget: &Budget) {
    let parks = s.p.parks();
    let mut changed = vec![true; parks];
    let land_short = s.placed() != placeable_per_tier(s.p);
    // A sweep's work grows with the factories: the budget too, past the 20,000 it was set on,
    // up to `CHAIN_SCALE_MAX_ITEMS`.
    let items = s.p.items() as u64;
    let scale =
        if items > CHAIN_SCALE_MAX_ITEMS { 1 } else { items.div_ceil(CHAIN_SCALE_ITEMS).max(1) };
    let mut sweep = ChainSweep::new(s, CHAIN_WORK_FACTOR * budget.member_work * scale);
    for _ in 0..budget.search_passes {
        if budget.expired() {
            break;
        }
        let paired = pair_exchange(s, budget.member_work, changed);
        let before = s.park_of.clone();
        let chained = land_short && chain_exchange(s, budget.member_work, &mut sweep);
        if !paired && !chained {
            break;
        }
        improve(s, budget, Moves::All);
        sweep.note_changes(s);
        changed = changed_parks(&before, s);
    }
}

#[cfg(test)]
mod tests {
    use super::regain_must;
    use crate::allocation::solver::tests::{one_trade_short, state_with, ONE_TRADE_PLACED};
    use crate::allocation::solver::Budget;

    #[test]
    fn a_rounded_plan_short_of_its_count_gets_it_back_and_one_that_has_it_is_left_alone() {
        let p = one_trade_short();
        let placed = ONE_TRADE_PLACED;
        let budget = Budget::default();
        // As many as the plan it came from: nothing is traded, rule 2 keeps its factory.
        let mut kept = state_with(&p, &placed);
        regain_must(&mut kept, 2, &budget);
        assert_eq!(kept.placed(), [2, 1]);
        // One short: the trade is made.
        let mut short = state_with(&p, &placed);
        regain_must(&mut short, 3, &budget);
        assert_eq!(short.placed(), [3, 0]);
        // Asked for more than any plan places: it stops when no trade is left.
        let mut most = state_with(&p, &placed);
        regain_must(&mut most, 4, &budget);
        assert_eq!(most.placed(), [3, 0]);
    }
}
