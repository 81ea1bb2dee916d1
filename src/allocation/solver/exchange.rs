//! Two-park exchanges: any set of one park's factories traded for any set of another's, the
//! best trade found by a knapsack over the net land moved.
//!
//! When land is short every park ends up full and shifts and swaps are stuck; a large factory
//! for two small ones, three for two, and so on, is what still lowers the cost there.

use super::state::State;
use super::{CAPACITY_TOLERANCE_HA, IMPROVE_EPS, NONE};

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

/// A chain of moves over three parks: `i` from its park a to b, `k` out of b to c, and,
/// when c has no room for `k`, `m` out of c into the room `i` left in a.
#[derive(Clone, Copy)]
struct Chain {
    i: usize,
    b: usize,
    k: usize,
    c: usize,
    m: Option<usize>,
}

/// Where the three-park chains are in their sweep over the factories, and which parks
/// changed: a factory is looked at only when its park or one of its options changed since
/// the sweep before (the first sweep looks at all).
pub(super) struct ChainSweep {
    cursor: usize,
    /// Member visits left for all the sweeps.
    pub(super) work_left: u64,
    /// Parks changed since the previous sweep began.
    look: Vec<bool>,
    /// Parks changed since this sweep began.
    next: Vec<bool>,
    seen: Vec<u32>,
}

impl ChainSweep {
    pub(super) fn new(s: &State, work: u64) -> ChainSweep {
        let parks = s.p.parks();
        ChainSweep {
            cursor: 0,
            work_left: work,
            look: vec![true; parks],
            next: vec![false; parks],
            seen: s.park_of.clone(),
        }
    }

    /// Notes the parks whose factories changed since the last call.
    pub(super) fn note_changes(&mut self, s: &State) {
        let fresh = changed_parks(&self.seen, s);
        for flags in [&mut self.look, &mut self.next] {
            for (x, &f) in flags.iter_mut().zip(&fresh) {
                *x |= f;
            }
        }
        self.seen.clone_from(&s.park_of);
    }
}

/// The parks that lost or gained a factory between `before` (a plan's `park_of`) and `s`.
pub(super) fn changed_parks(before: &[u32], s: &State) -> Vec<bool> {
    let mut changed = vec![false; s.p.parks()];
    for (&was, &now) in before.iter().zip(&s.park_of) {
        if was != now {
            for j in [was, now].into_iter().filter(|&j| j != NONE) {
                if let Some(x) = changed.get_mut(j as usize) {
                    *x = true;
                }
            }
        }
    }
    changed
}

/// The placed factories that may move from park c to park a, a row per (c, a) in compressed
/// rows, each row by land (the one closing a cycle must fit a window of land): (land, cost of
/// the move, factory).
struct Closing {
    parks: usize,
    /// Row c * parks + a is `moves[start[row]..start[row + 1]]`.
    start: Vec<u32>,
    moves: Vec<(f64, f64, u32)>,
}

impl Closing {
    fn new(s: &State) -> Closing {
        let p = s.p;
        let parks = p.parks();
        let row = |c: usize, a: usize| c * parks + a;
        let mut start = vec![0u32; parks * parks + 1];
        for m in 0..p.items() {
            let Some(c) = s.at(m) else { continue };
            for (a, _) in p.options(m).filter(|&(a, _)| a != c) {
                if let Some(n) = start.get_mut(row(c, a) + 1) {
                    *n += 1;
                }
            }
        }
        for r in 1..start.len() {
            let before = start.get(r - 1).copied().unwrap_or(0);
            if let Some(n) = start.get_mut(r) {
                *n += before;
            }
        }
        let mut fill = start.clone();
        let mut moves = vec![(0.0, 0.0, 0u32); start.last().copied().unwrap_or(0) as usize];
        for m in 0..p.items() {
            let Some(c) = s.at(m) else { continue };
            let cmc = p.cost(m, c).unwrap_or(0.0);
            for (a, cma) in p.options(m).filter(|&(a, _)| a != c) {
                if let Some(at) = fill.get_mut(row(c, a)) {
                    if let Some(slot) = moves.get_mut(*at as usize) {
                        *slot = (p.w(m), cma - cmc, m as u32);
                    }
                    *at += 1;
                }
            }
        }
        for r in start.windows(2) {
            let &[from, to] = r else { continue };
            if let Some(list) = moves.get_mut(from as usize..to as usize) {
                list.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.2.cmp(&y.2)));
            }
        }
        Closing { parks, start, moves }
    }

    fn row(&self, c: usize, a: usize) -> &[(f64, f64, u32)] {
        let r = c * self.parks + a;
        let from = self.start.get(r).copied().unwrap_or(0) as usize;
        let to = self.start.get(r + 1).copied().unwrap_or(0) as usize;
        self.moves.get(from..to).unwrap_or(&[])
    }
}

/// Three-park chains, which the two-park exchanges cannot see when every park is full: a
/// factory moves to a cheaper park, one of that park's factories makes room by moving on to a
/// third park, and that one either had room or sends one of its own into the room left
/// behind (a cycle a → b → c → a). Each step but the last must gain on its own (an improving
/// cycle always has a first move from which every partial sum gains, so no cycle is missed);
/// the factories leaving b are scanned largest first and those that may close a cycle from c
/// into a are kept by land, so only those of the right size are looked at. For each factory
/// the best chain is taken. One sweep over the factories per call, from where the last call
/// stopped, within `work` member visits (a sweep larger than that goes on in the next call).
/// True when the cost went down.
pub(super) fn chain_exchange(s: &mut State, work: u64, sweep: &mut ChainSweep) -> bool {
    let p = s.p;
    let work = work.min(sweep.work_left);
    if work == 0 {
        return false;
    }
    let parks = p.parks();
    let closing = Closing::new(s);
    // Each park's members by land, largest first (the one leaving b must free enough), with
    // the cost of each where it is: looked up once, not on every visit.
    let by_land: Vec<Vec<(f64, u32, f64)>> = s
        .members
        .iter()
        .enumerate()
        .map(|(b, list)| {
            let mut l: Vec<(f64, u32, f64)> = list
                .iter()
                .map(|&k| (p.w(k as usize), k, p.cost(k as usize, b).unwrap_or(0.0)))
                .collect();
            l.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            l
        })
        .collect();
    let mut spent = p.items() as u64 * 10;
    let mut gained = false;
    let look = std::mem::take(&mut sweep.look);
    let changed = |j: usize| look.get(j).copied().unwrap_or(false);
    for i in sweep.cursor..p.items() {
        if spent > work {
            sweep.cursor = i;
            sweep.look = look;
            sweep.work_left = sweep.work_left.saturating_sub(spent);
            return gained;
        }
        let Some(a) = s.at(i) else { continue };
        if !changed(a) && !p.options(i).any(|(b, _)| changed(b)) {
            continue;
        }
        let (wi, cia) = (p.w(i), p.cost(i, a).unwrap_or(0.0));
        let room_a = s.room(a) + wi;
        let mut best: Option<(f64, Chain)> = None;
        for (b, cib) in p.options(i) {
            let g1 = cia - cib;
            if b == a || g1 <= IMPROVE_EPS {
                continue;
            }
            // What k must free in b for i to fit.
            let need_b = wi - s.room(b) - CAPACITY_TOLERANCE_HA;
            for &(wk, k, ckb) in by_land.get(b).map(Vec::as_slice).unwrap_or(&[]) {
                spent += 1;
                let k = k as usize;
                if wk < need_b {
                    break;
                }
                if s.at(k) != Some(b) {
                    continue;
                }
                for (c, ckc) in p.options(k) {
                    let g2 = g1 + ckb - ckc;
                    if c == a || c == b || g2 <= IMPROVE_EPS {
                        continue;
                    }
                    if s.fits(c, wk) {
                        if best.map_or(true, |x| g2 > x.0) {
                            best = Some((g2, Chain { i, b, k, c, m: None }));
                        }
                        continue;
                    }
                    // m must free what k needs in c and fit in what i left in a.
                    let need_c = wk - s.room(c) - CAPACITY_TOLERANCE_HA;
                    let most = room_a + CAPACITY_TOLERANCE_HA;
                    let closing = closing.row(c, a);
                    let from = closing.partition_point(|x| x.0 < need_c);
                    for &(wm, d, m) in closing.get(from..).unwrap_or(&[]) {
                        spent += 1;
                        if wm > most {
                            break;
                        }
                        let g3 = g2 - d;
                        let m = m as usize;
                        if g3 > IMPROVE_EPS && best.map_or(true, |x| g3 > x.0) && s.at(m) == Some(c)
                        {
                            best = Some((g3, Chain { i, b, k, c, m: Some(m) }));
                        }
                    }
                }
            }
        }
        if let Some((_, chain)) = best {
            if apply(s, a, chain) {
                gained = true;
            }
        }
    }
    // The sweep is done: the next looks at what changed during this one.
    sweep.work_left = sweep.work_left.saturating_sub(spent);
    sweep.cursor = 0;
    sweep.look = std::mem::replace(&mut sweep.next, vec![false; parks]);
    gained
}

/// Carries out a chain if every park still takes what it gets (the lists it was found in may
/// be stale); otherwise leaves the plan as it was. True when carried out.
fn apply(s: &mut State, a: usize, ch: Chain) -> bool {
    let moves = [Some((ch.i, a, ch.b)), Some((ch.k, ch.b, ch.c)), ch.m.map(|m| (m, ch.c, a))];
    let moves: Vec<(usize, usize, usize)> = moves.into_iter().flatten().collect();
    if moves.iter().any(|&(x, from, _)| s.at(x) != Some(from)) {
        return false;
    }
    for &(x, _, _) in &moves {
        s.remove(x);
    }
    // a, b and c are three parks: each takes one factory.
    let fits = moves.iter().all(|&(x, _, to)| s.fits(to, s.p.w(x)));
    for &(x, from, to) in &moves {
        s.place(x, if fits { to } else { from });
    }
    fits
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
    use super::{chain_exchange, pair_exchange, ChainSweep};
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

    #[test]
    fn three_full_parks_pass_their_factories_round_a_cycle() {
        // Each factory wants the next park round A → B → C → A, and none may go to the park
        // before it: no shift, swap or two-park trade helps, the three-park cycle does.
        let p = problem(
            &[1.0, 1.0, 1.0],
            &[
                (1.0, Tier::Must, &[(0, 10.0), (1, 0.0)]),
                (1.0, Tier::Must, &[(1, 10.0), (2, 0.0)]),
                (1.0, Tier::Must, &[(2, 10.0), (0, 0.0)]),
            ],
        );
        let mut s = state_with(&p, &[(0, 0), (1, 1), (2, 2)]);
        improve(&mut s, &Budget::default(), Moves::All);
        assert!(!pair_exchange(&mut s, u64::MAX, vec![true; 3]));
        assert_eq!(s.cost(), 30.0);
        let mut sweep = ChainSweep::new(&s, u64::MAX);
        assert!(chain_exchange(&mut s, u64::MAX, &mut sweep));
        assert_eq!((s.at(0), s.at(1), s.at(2)), (Some(1), Some(2), Some(0)));
        assert_eq!(s.cost(), 0.0);
    }

    #[test]
    fn a_chain_that_would_overfill_a_park_is_not_made() {
        // As above, but the factory closing the cycle is larger than the room left in A.
        let p = problem(
            &[1.0, 1.0, 1.5],
            &[
                (1.0, Tier::Must, &[(0, 10.0), (1, 0.0)]),
                (1.0, Tier::Must, &[(1, 10.0), (2, 0.0)]),
                (1.5, Tier::Must, &[(2, 10.0), (0, 0.0)]),
            ],
        );
        let mut s = state_with(&p, &[(0, 0), (1, 1), (2, 2)]);
        let mut sweep = ChainSweep::new(&s, u64::MAX);
        assert!(!chain_exchange(&mut s, u64::MAX, &mut sweep));
        assert_eq!(s.cost(), 30.0);
    }
}
