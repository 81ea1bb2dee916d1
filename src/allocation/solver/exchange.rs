//! Two-park exchanges: any set of one park's factories traded for any set of another's, the
//! best trade found by a knapsack over the net land moved.
//!
//! When land is short every park ends up full and shifts and swaps are stuck; a large factory
//! for two small ones, three for two, and so on, is what still lowers the cost there.

use super::state::State;
use super::{CAPACITY_TOLERANCE_HA, IMPROVE_EPS};

/// Land step of the two-park exchange's table, ha (100 m²).
const PAIR_UNIT_HA: f64 = 0.01;
/// Cells of the two-park exchange's table at most (net land moved, in steps).
const PAIR_CELLS: usize = 2001;
/// Steps added to a park's room (rounded down to steps) when bounding the table: each cell
/// keeps the trade's exact hectares and is checked on them, so a trade a step or two above the
/// rounded room may still fit.
const PAIR_ROOM_SLACK_STEPS: i64 = 2;
/// Cost units a trade must save over a cell's to replace it: equal sums reached in another
/// order differ in their last bits, and a tie keeps the cell's earlier trade rather than let
/// rounding choose.
const PAIR_TIE_EPS: f64 = 1e-12;

/// Two-park exchanges: for a pair of parks a and b, any set of a's factories that may go to
/// b trades places with any set of b's factories that may go to a, as long as both parks
/// stay within capacity — the best such trade, found by a knapsack over the net land moved
/// (in steps of `PAIR_UNIT_HA`; each cell keeps the exact hectares of its trade, so the
/// capacity check is exact). When every park is full this is what lowers the cost: a large
/// factory for two small ones, three for two, and so on. Pairs with a park in `changed` are
/// swept, then those with a park that a trade changed, until no trade gains. True when the
/// cost went down; `work` caps the table cells filled.
pub(super) fn pair_exchange(s: &mut State, work: u64, mut changed: Vec<bool>) -> bool {
    let p = s.p;
    let parks = p.parks();
    let mut table = PairTable::default();
    let mut spent = 0u64;
    let mut improved = false;
    loop {
        // The pairs of parks some factory could trade between, with a park that changed.
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for i in 0..p.items() {
            let Some(a) = s.at(i) else { continue };
            for (b, _) in p.options(i) {
                if b != a
                    && (changed.get(a).copied().unwrap_or(false)
                        || changed.get(b).copied().unwrap_or(false))
                {
                    pairs.push((a.min(b) as u32, a.max(b) as u32));
                }
            }
        }
        spent += pairs.len() as u64;
        pairs.sort_unstable();
        pairs.dedup();
        let mut next = vec![false; parks];
        let mut gained = false;
        for (a, b) in pairs {
            if spent > work {
                return improved;
            }
            let (a, b) = (a as usize, b as usize);
            let Some(flips) = table.best_trade(s, a, b, &mut spent) else { continue };
            for k in flips {
                let to = if s.at(k) == Some(a) { b } else { a };
                s.remove(k);
                s.place(k, to);
            }
            gained = true;
            improved = true;
            for j in [a, b] {
                if let Some(x) = next.get_mut(j) {
                    *x = true;
                }
            }
        }
        if !gained {
            return improved;
        }
        changed = next;
    }
}

/// Scratch space of the two-park exchange, reused across pairs.
#[derive(Default)]
struct PairTable {
    /// (item, steps it adds to park a's land, cost change, exact hectares it adds to a).
    moves: Vec<(usize, i64, f64, f64)>,
    cost: Vec<f64>,
    exact: Vec<f64>,
    prev_cost: Vec<f64>,
    prev_exact: Vec<f64>,
    took: Vec<bool>,
}

impl PairTable {
    /// The factories to flip between parks a and b for the cheapest trade that lowers the
    /// cost, if any.
    fn best_trade(&mut self, s: &State, a: usize, b: usize, spent: &mut u64) -> Option<Vec<usize>> {
        let p = s.p;
        self.moves.clear();
        let mut gain_possible = false;
        *spent +=
            (s.members.get(a).map_or(0, Vec::len) + s.members.get(b).map_or(0, Vec::len)) as u64;
        // Out of a first, then into a: a cell below −(what can come in) or above a's room
        // cannot lead back into the window, which bounds the table.
        let (mut out_steps, mut in_steps) = (0i64, 0i64);
        for (from, to, sign) in [(a, b, -1i64), (b, a, 1i64)] {
            for &k in s.members.get(from).map(Vec::as_slice).unwrap_or(&[]) {
                let k = k as usize;
                let Some(c_to) = p.cost(k, to) else { continue };
                let w = p.w(k);
                let steps = (w / PAIR_UNIT_HA).round() as i64;
                if steps as usize >= PAIR_CELLS {
                    continue;
                }
                let dc = c_to - p.cost(k, from).unwrap_or(0.0);
                gain_possible |= dc < -IMPROVE_EPS;
                if sign < 0 {
                    out_steps += steps;
                } else {
                    in_steps += steps;
                }
                self.moves.push((k, sign * steps, dc, sign as f64 * w));
            }
        }
        if !gain_possible {
            return None;
        }
        let (room_a, room_b) = (s.room(a), s.room(b));
        let steps_of =
            |ha: f64| (ha.max(0.0) / PAIR_UNIT_HA).floor() as i64 + PAIR_ROOM_SLACK_STEPS;
        let half = (PAIR_CELLS / 2) as i64;
        let hi = steps_of(room_a).min(in_steps).min(half);
        let lo = -(out_steps.min(in_steps + steps_of(room_b)).min(half));
        let width = (hi - lo + 1) as usize;
        let origin = (-lo) as usize;
        *spent += (self.moves.len() * width) as u64;
        self.cost.clear();
        self.cost.resize(width, f64::INFINITY);
        self.exact.clear();
        self.exact.resize(width, 0.0);
        if let Some(c) = self.cost.get_mut(origin) {
            *c = 0.0;
        }
        self.took.clear();
        self.took.resize(self.moves.len() * width, false);
        for (t, &(_, dw, dc, ew)) in self.moves.iter().enumerate() {
            let shift = dw.unsigned_abs() as usize;
            if shift >= width {
                continue;
            }
            self.prev_cost.clone_from(&self.cost);
            self.prev_exact.clone_from(&self.exact);
            let (dst, src) = if dw >= 0 {
                (shift..width, 0..width - shift)
            } else {
                (0..width - shift, shift..width)
            };
            let row = t * width;
            let (Some(cost), Some(exact), Some(took), Some(pc), Some(pe)) = (
                self.cost.get_mut(dst.clone()),
                self.exact.get_mut(dst.clone()),
                self.took.get_mut(row + dst.start..row + dst.end),
                self.prev_cost.get(src.clone()),
                self.prev_exact.get(src),
            ) else {
                continue;
            };
            for ((((c, e), tk), &from), &from_exact) in
                cost.iter_mut().zip(exact).zip(took).zip(pc).zip(pe)
            {
                let cand = from + dc;
                if cand < *c - PAIR_TIE_EPS {
                    *c = cand;
                    *e = from_exact + ew;
                    *tk = true;
                }
            }
        }
        // The cheapest trade that both parks can take, on exact hectares.
        let mut pick: Option<(usize, f64)> = None;
        for (d, (&c, &e)) in self.cost.iter().zip(&self.exact).enumerate() {
            if c < -IMPROVE_EPS * (1.0 + c.abs())
                && e <= room_a + CAPACITY_TOLERANCE_HA
                && -e <= room_b + CAPACITY_TOLERANCE_HA
                && pick.map_or(true, |x| c < x.1)
            {
                pick = Some((d, c));
            }
        }
        let (mut d, _) = pick?;
        let mut flips = Vec::new();
        for t in (0..self.moves.len()).rev() {
            if self.took.get(t * width + d).copied().unwrap_or(false) {
                let &(k, dw, _, _) = self.moves.get(t)?;
                flips.push(k);
                d = usize::try_from(d as i64 - dw).ok()?;
            }
        }
        Some(flips)
    }
}

#[cfg(test)]
mod tests {
    use super::pair_exchange;
    use crate::allocation::solver::local_search::{improve, Moves};
    use crate::allocation::solver::tests::{problem, state_with};
    use crate::allocation::solver::{Budget, Tier};

    #[test]
    fn two_full_parks_trade_one_large_factory_for_two_small_ones() {
        // Each factory sits in the other's cheap park; no shift or swap fits, the 2-for-1 does.
        let p = problem(
            &[2.0, 2.0],
            &[
                (2.0, Tier::Must, &[(0, 10.0), (1, 0.0)]),
                (1.0, Tier::Must, &[(0, 0.0), (1, 10.0)]),
                (1.0, Tier::Must, &[(0, 0.0), (1, 10.0)]),
            ],
        );
        let mut s = state_with(&p, &[(0, 0), (1, 1), (2, 1)]);
        improve(&mut s, &Budget::default(), Moves::All);
        assert_eq!(s.cost(), 30.0);
        assert!(pair_exchange(&mut s, u64::MAX, vec![true; 2]));
        assert_eq!((s.at(0), s.at(1), s.at(2)), (Some(1), Some(0), Some(0)));
        assert_eq!(s.cost(), 0.0);
    }
}
