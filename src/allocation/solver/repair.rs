//! Placing the factories left out: directly where they fit, else by ejection chains (placed
//! factories moved on, breadth first over parks, or several moved out at once into parks with
//! room), and by trades (one placed factory out, two or more of the same tier in). Chain trades
//! go further on a finished plan: room for the two coming in is made by moving members on
//! along ejection chains, and the whole move is kept or rolled back through the plan's journal.
//!
//! Placed factories are moved, never taken out, except by a trade within the same tier: so a
//! repair never lowers the count of a tier placed before it.

use super::state::State;
use super::{AssignmentProblem, Tier, CAPACITY_TOLERANCE_HA, NONE};

/// Moves per ejection chain at most (the unplaced factory entering, then each one shifted on).
const CHAIN_DEPTH: usize = 4;

/// Single members taken out to make room that a chain trade tries: those freeing least land
/// over what is needed.
const ROOM_MAKERS: usize = 8;
/// Pairs of members taken out to make room that a chain trade tries, least land first.
const ROOM_PAIRS: usize = 16;

/// Factories of the same tier that must come in for one to go out in a trade: fewer would not
/// place more.
const TRADE_MIN_IN: usize = 2;

/// Places unplaced items of `tier`, smallest first: directly into the cheapest option with
/// room, else by an ejection chain — the item enters park j₀, a placed item k₁ moves on from j₀
/// to j₁, k₂ from j₁ to j₂, …, until the last one lands in a park with room. Chains are found
/// breadth first over parks (shortest first); placed items are moved, never removed, so no
/// tier loses a factory. This is the whole-factory version of the augmenting paths that make
/// "smallest first" optimal for the LP relaxation of "place as many as possible".
///
/// A search that fails marks the parks it explored as dead for the land it had to free there,
/// so later (larger) items skip them; `work` caps the member scans of the chains (once it is
/// spent, items still go straight in where they fit: at a million factories the budget ran
/// out early and left tens of thousands of factories out that had room).
pub(super) fn repair(s: &mut State, tier: Tier, work: u64) {
    repair_with(s, tier, work, None);
}

/// `repair`, with direct insertions into the fitting park where the land is worth least by
/// `worth` (then cheapest) when given.
pub(super) fn repair_with(s: &mut State, tier: Tier, work: u64, worth: Option<&[f64]>) {
    let p = s.p;
    let value = |j: usize| worth.and_then(|v| v.get(j)).copied().unwrap_or(0.0);
    let mut waiting: Vec<usize> = (0..p.items())
        .filter(|&i| p.tier_of(i) == tier && s.at(i).is_none() && p.placeable(i))
        .collect();
    waiting.sort_by(|&a, &b| p.w(a).total_cmp(&p.w(b)).then(p.rank_of(a).cmp(&p.rank_of(b))));
    let mut chains = Chains::new(p.parks());
    for i in waiting {
        if !place_directly(s, i, |_, j| value(j)) && chains.spent <= work {
            // Once the chain budget is spent, the rest still go straight in where they fit.
            chains.insert(s, i);
        }
    }
    if chains.spent <= work && trade(s, tier) {
        // The factories traded out may find a place by a chain.
        let mut left: Vec<usize> = (0..p.items())
            .filter(|&i| p.tier_of(i) == tier && s.at(i).is_none() && p.placeable(i))
            .collect();
        left.sort_by(|&a, &b| p.w(a).total_cmp(&p.w(b)).then(p.rank_of(a).cmp(&p.rank_of(b))));
        for i in left {
            if chains.spent > work {
                break;
            }
            chains.insert(s, i);
        }
    }
}

/// Places unplaced item `i` where it fits, in the park that `value` rates lowest (then the
/// cheapest, then the first option); false when it fits nowhere.
fn place_directly(s: &mut State, i: usize, value: impl Fn(&State, usize) -> f64) -> bool {
    let w = s.p.w(i);
    let direct =
        s.p.options(i)
            .filter(|(j, _)| s.fits(*j, w))
            .min_by(|a, b| value(s, a.0).total_cmp(&value(s, b.0)).then(a.1.total_cmp(&b.1)));
    if let Some((j, _)) = direct {
        s.place(i, j);
    }
    direct.is_some()
}

/// Places unplaced item `i` in the fitting park with the least room left, keeping the larger
/// holes for the factories still to place; false when it fits nowhere.
fn place_best_fit(s: &mut State, i: usize) -> bool {
    place_directly(s, i, |s, j| s.room(j))
}

/// Places more must_relocate factories by `trade_by_chains` with the land of the encouraged
/// ones free: those are taken out first (rule 1 comes before rule 2) and placed again by the
/// repair afterwards. The plan is left as it was when no trade gains.
pub(super) fn more_must_by_chain_trades(s: &mut State, work: u64) -> bool {
    let p = s.p;
    let before = s.clone();
    for i in (0..p.items()).filter(|&i| p.tier_of(i) == Tier::Encouraged) {
        s.remove(i);
    }
    if !trade_by_chains(s, Tier::Must, work) {
        *s = before;
        return false;
    }
    repair(s, Tier::Encouraged, work);
    true
}

/// Trades one placed factory of `tier` for two left-out ones of the same tier, with ejection
/// chains making the room: the placed factory k leaves its park a, the two smallest factories
/// waiting for a come in, and the members of a that must leave for them to fit (one, or two,
/// among the few sets that free least land over what is needed) go on elsewhere, each where it
/// fits or by a chain; k then comes back by a chain if it can. The trade is kept when every
/// factory moved out found a place, undone otherwise. The trades adding least land are tried
/// first, over all parks, within `work` member visits. This is what the same-park `trade` misses when
/// every park is full to a few hundredths of a hectare. True when the count went up.
pub(super) fn trade_by_chains(s: &mut State, tier: Tier, work: u64) -> bool {
    let p = s.p;
    let mut waiting = waiting_by_park(s, tier);
    // A trade adds u1 + u2 − k to the land placed, which must be found in the parks the
    // waiting factories may use or those their members may move on to (a longer chain
    // reaching farther is left untried): trades that need more are not tried.
    let mut near = vec![false; p.parks()];
    for (j, _) in waiting.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
        for &k in s.members.get(j).map(Vec::as_slice).unwrap_or(&[]) {
            for (m, _) in p.options(k as usize) {
                if let Some(x) = near.get_mut(m) {
                    *x = true;
                }
            }
        }
        if let Some(x) = near.get_mut(j) {
            *x = true;
        }
    }
    let spare: f64 = (0..p.parks())
        .filter(|&j| near.get(j).copied().unwrap_or(false))
        .map(|j| s.room(j).max(0.0))
        .sum();
    // Every (park, member) whose trade would fit in that land, least land added first.
    let added = |waiting: &[usize], k: usize| match waiting {
        [u1, u2, ..] => p.w(*u1) + p.w(*u2) - p.w(k),
        _ => f64::INFINITY,
    };
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (a, list) in waiting.iter().enumerate() {
        for &k in s.members.get(a).map(Vec::as_slice).unwrap_or(&[]) {
            let k = k as usize;
            let more = added(list, k);
            if p.tier_of(k) == tier && more <= spare + CAPACITY_TOLERANCE_HA {
                candidates.push((more, a, k));
            }
        }
    }
    candidates.sort_by(|x, y| {
        x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(p.rank_of(x.2).cmp(&p.rank_of(y.2)))
    });
    let mut spent = 0u64;
    let mut gained = false;
    for (_, a, k) in candidates {
        if spent > work {
            break;
        }
        let Some(list) = waiting.get_mut(a) else { continue };
        list.retain(|&i| s.at(i).is_none());
        let [u1, u2, ..] = list[..] else { continue };
        if s.at(k) != Some(a) || added(list, k) > spare + CAPACITY_TOLERANCE_HA {
            continue;
        }
        let need = p.w(u1) + p.w(u2) - p.w(k) - s.room(a) - CAPACITY_TOLERANCE_HA;
        let others = s.members.get(a).map(Vec::as_slice).unwrap_or(&[]);
        spent += others.len() as u64;
        // Each set, its factories placed again smallest first, then largest first: the
        // first may take the room the second needs.
        let attempts = room_makers(p, others, k, need).into_iter().flat_map(|set| {
            let reversed: Vec<usize> = set.iter().rev().copied().collect();
            let both = set.len() > 1;
            std::iter::once(set).chain(both.then_some(reversed))
        });
        for moved_out in attempts {
            s.begin();
            s.remove(k);
            for &r in &moved_out {
                s.remove(r);
            }
            s.place(u1, a);
            s.place(u2, a);
            let mut chains = Chains::revisiting(p.parks());
            // A factory of a later tier may stay out: rule 1 comes before rule 2.
            let placed_again = moved_out
                .iter()
                .all(|&r| place_best_fit(s, r) || chains.insert(s, r) || p.tier_of(r) > tier);
            spent += chains.spent + 1;
            if placed_again {
                if !place_directly(s, k, |_, _| 0.0) {
                    chains.insert(s, k);
                }
                s.commit();
                gained = true;
                break;
            }
            s.roll_back();
        }
    }
    gained
}

/// Per park, the unplaced factories of `tier` that may go there, smallest first.
fn waiting_by_park(s: &State, tier: Tier) -> Vec<Vec<usize>> {
    let p = s.p;
    let mut waiting: Vec<Vec<usize>> = vec![Vec::new(); p.parks()];
    for i in (0..p.items()).filter(|&i| p.tier_of(i) == tier && s.at(i).is_none()) {
        for (j, _) in p.options(i) {
            if let Some(list) = waiting.get_mut(j) {
                list.push(i);
            }
        }
    }
    for list in &mut waiting {
        list.sort_by(|&a, &b| p.w(a).total_cmp(&p.w(b)).then(p.rank_of(a).cmp(&p.rank_of(b))));
    }
    waiting
}

/// Sets of members of a park taken out together (not `k`) freeing at least `need` hectares
/// (one empty set when nothing is needed): the `ROOM_MAKERS` single members, then pairs, that
/// free least land, each set's factories largest first.
fn room_makers(p: &AssignmentProblem, members: &[u32], k: usize, need: f64) -> Vec<Vec<usize>> {
    if need <= 0.0 {
        return vec![Vec::new()];
    }
    let mut by_land: Vec<(f64, usize)> =
        members.iter().map(|&m| m as usize).filter(|&m| m != k).map(|m| (p.w(m), m)).collect();
    by_land.sort_by(|x, y| x.0.total_cmp(&y.0).then(p.rank_of(x.1).cmp(&p.rank_of(y.1))));
    let singles = by_land.iter().filter(|x| x.0 >= need).take(ROOM_MAKERS).map(|x| vec![x.1]);
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (n, &(wx, x)) in by_land.iter().enumerate() {
        if wx >= need {
            break;
        }
        // The smallest partners that make up the rest, neither freeing enough alone.
        let rest = by_land.get(n + 1..).unwrap_or(&[]);
        let from = rest.partition_point(|y| y.0 < need - wx);
        for &(wy, y) in rest.get(from..).unwrap_or(&[]).iter().take(ROOM_PAIRS) {
            if wy < need {
                pairs.push((wx + wy, x, y));
            }
        }
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    singles.chain(pairs.into_iter().take(ROOM_PAIRS).map(|(_, x, y)| vec![x, y])).collect()
}

/// Trades one placed factory of `tier` for two or more unplaced ones of the same tier in the
/// same park (the largest member leaves; the smallest waiting factories take its land), park by
/// park while that gains. True when a trade was made.
fn trade(s: &mut State, tier: Tier) -> bool {
    let p = s.p;
    let mut waiting = waiting_by_park(s, tier);
    let mut traded = false;
    for (j, list) in waiting.iter_mut().enumerate() {
        loop {
            list.retain(|&i| s.at(i).is_none());
            let largest = s
                .members
                .get(j)
                .into_iter()
                .flatten()
                .map(|&k| k as usize)
                .filter(|&k| p.tier_of(k) == tier)
                .max_by(|&a, &b| p.w(a).total_cmp(&p.w(b)).then(p.rank_of(b).cmp(&p.rank_of(a))));
            let Some(k) = largest else { break };
            let mut room = s.room(j) + p.w(k);
            let mut taken = Vec::new();
            for &i in list.iter() {
                if p.w(i) > room + CAPACITY_TOLERANCE_HA {
                    break;
                }
                room -= p.w(i);
                taken.push(i);
            }
            if taken.len() < TRADE_MIN_IN {
                break;
            }
            s.remove(k);
            for i in taken {
                s.place(i, j);
            }
            traded = true;
        }
    }
    traded
}

/// One node of the breadth-first chain search: `mover` enters `park` (from the parent node's
/// park, or from outside at a root) and `need` hectares must leave `park` for it to fit.
#[derive(Clone, Copy)]
struct ChainNode {
    park: u32,
    mover: u32,
    parent: u32,
    depth: u32,
    need: f64,
}

/// Scratch space for the chain search, reused across items.
struct Chains {
    nodes: Vec<ChainNode>,
    /// Parks reached in the current search: `seen[j] == stamp`.
    seen: Vec<u32>,
    stamp: u32,
    /// Best next step per park from the node being expanded: (need there, item moving).
    step: Vec<(f64, u32)>,
    step_stamp: Vec<u32>,
    touched: Vec<u32>,
    /// Land to free at or above which a park is known (from a failed search) to lead nowhere.
    dead: Vec<f64>,
    spent: u64,
    /// Whether a park already reached may be reached again with less land to free (by a path
    /// not through it): a longer search, which finds the chains that a first, larger need at
    /// a park hides.
    revisit: bool,
    /// Least land to free at each park reached in the current search (with `revisit`).
    least_need: Vec<f64>,
}

impl Chains {
    fn new(parks: usize) -> Chains {
        Chains {
            nodes: Vec::new(),
            seen: vec![0; parks],
            stamp: 0,
            step: vec![(0.0, NONE); parks],
            step_stamp: vec![0; parks],
            touched: Vec::new(),
            dead: vec![f64::INFINITY; parks],
            spent: 0,
            revisit: false,
            least_need: vec![f64::INFINITY; parks],
        }
    }

    /// Chains that may reach a park again with less to free there (see `revisit`).
    fn revisiting(parks: usize) -> Chains {
        Chains { revisit: true, ..Chains::new(parks) }
    }

    /// Whether park `m` may be (re)entered from node `at` with `need` to free there: not yet
    /// reached, or (with `revisit`) reached with more to free and not on the path to `at`.
    fn open(&self, at: usize, m: usize, need: f64) -> bool {
        if !self.seen(m) {
            return true;
        }
        if !self.revisit
            || need >= self.least_need.get(m).copied().unwrap_or(0.0) - CAPACITY_TOLERANCE_HA
        {
            return false;
        }
        let mut cur = at as u32;
        while let Some(node) = self.nodes.get(cur as usize) {
            if node.park as usize == m {
                return false;
            }
            cur = node.parent;
        }
        true
    }

    /// Marks park `m` reached with `need` to free there.
    fn reach(&mut self, m: usize, need: f64) {
        self.mark(m);
        if let Some(x) = self.least_need.get_mut(m) {
            *x = need;
        }
    }

    fn seen(&self, j: usize) -> bool {
        debug_assert!(j < self.seen.len(), "park {j} of {}", self.seen.len());
        self.seen.get(j).is_some_and(|&x| x == self.stamp)
    }

    fn mark(&mut self, j: usize) {
        debug_assert!(j < self.seen.len(), "park {j} of {}", self.seen.len());
        if let Some(x) = self.seen.get_mut(j) {
            *x = self.stamp;
        }
    }

    fn alive(&self, j: usize, need: f64) -> bool {
        debug_assert!(j < self.dead.len(), "park {j} of {}", self.dead.len());
        need < self.dead.get(j).copied().unwrap_or(f64::INFINITY) - CAPACITY_TOLERANCE_HA
    }

    /// Tries to place unplaced item `i` by a chain of moves; true when it did.
    fn insert(&mut self, s: &mut State, i: usize) -> bool {
        let p = s.p;
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.fill(0);
            self.step_stamp.fill(0);
            self.stamp = 1;
        }
        self.nodes.clear();
        let w = p.w(i);
        // Cheapest entry first, so that among equally short chains the cheaper one is found.
        let mut roots: Vec<(usize, f64)> = p.options(i).collect();
        roots.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        for (j, _) in roots {
            let need = w - s.room(j);
            if !self.seen(j) && self.alive(j, need) {
                self.reach(j, need);
                self.nodes.push(ChainNode {
                    park: j as u32,
                    mover: i as u32,
                    parent: NONE,
                    depth: 1,
                    need,
                });
            }
        }
        let mut head = 0;
        while let Some(node) = self.nodes.get(head).copied() {
            let at = head;
            head += 1;
            if node.depth as usize >= CHAIN_DEPTH {
                continue;
            }
            let j = node.park as usize;
            // The smallest way on to each next park: the member leaving the least to free there.
            self.touched.clear();
            let members = s.members.get(j).map(Vec::as_slice).unwrap_or(&[]);
            self.spent += members.len() as u64;
            for &k in members {
                let wk = p.w(k as usize);
                if wk < node.need - CAPACITY_TOLERANCE_HA {
                    continue;
                }
                self.spent += p.range(k as usize).len() as u64;
                for (m, _) in p.options(k as usize) {
                    let need_m = wk - s.room(m);
                    if m == j || !self.open(at, m, need_m) {
                        continue;
                    }
                    if need_m <= CAPACITY_TOLERANCE_HA {
                        Self::apply(s, &self.nodes, at, k as usize, m);
                        return true;
                    }
                    let (Some(st), Some(slot)) = (self.step_stamp.get_mut(m), self.step.get_mut(m))
                    else {
                        continue;
                    };
                    if *st != self.stamp {
                        *st = self.stamp;
                        *slot = (need_m, k);
                        self.touched.push(m as u32);
                    } else if need_m < slot.0 {
                        *slot = (need_m, k);
                    }
                }
            }
            if self.free_by_several(s, at, node) {
                return true;
            }
            for t in 0..self.touched.len() {
                let m = self.touched.get(t).copied().unwrap_or(0) as usize;
                let (need_m, k) = self.step.get(m).copied().unwrap_or((f64::INFINITY, NONE));
                if let Some(st) = self.step_stamp.get_mut(m) {
                    *st = 0;
                }
                if k != NONE && self.alive(m, need_m) && self.open(at, m, need_m) {
                    self.reach(m, need_m);
                    self.nodes.push(ChainNode {
                        park: m as u32,
                        mover: k,
                        parent: at as u32,
                        depth: node.depth + 1,
                        need: need_m,
                    });
                }
            }
        }
        // Nothing found: what these parks would have to free cannot be freed (for now).
        for node in &self.nodes {
            if (node.depth as usize) < CHAIN_DEPTH {
                if let Some(d) = self.dead.get_mut(node.park as usize) {
                    *d = d.min(node.need);
                }
            }
        }
        false
    }

    /// Frees the land node `at` needs by moving several of its park's members straight into
    /// parks with room (largest first, each park's room counted down as it is promised), then
    /// carries out the chain that leads to the node. True when it did.
    fn free_by_several(&mut self, s: &mut State, at: usize, node: ChainNode) -> bool {
        let p = s.p;
        let j = node.park as usize;
        let members = s.members.get(j).map(Vec::as_slice).unwrap_or(&[]);
        let mut movable: Vec<(f64, usize)> = members
            .iter()
            .map(|&k| k as usize)
            .filter(|&k| {
                p.options(k)
                    .any(|(m, _)| m != j && !self.seen(m) && s.room(m) > CAPACITY_TOLERANCE_HA)
            })
            .map(|k| (p.w(k), k))
            .collect();
        if movable.iter().map(|m| m.0).sum::<f64>() < node.need - CAPACITY_TOLERANCE_HA {
            return false;
        }
        movable.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut promised: Vec<(usize, f64)> = Vec::new();
        let mut moves: Vec<(usize, usize)> = Vec::new();
        let mut freed = 0.0;
        for (wk, k) in movable {
            if freed >= node.need - CAPACITY_TOLERANCE_HA {
                break;
            }
            self.spent += p.range(k).len() as u64;
            let room_left = |m: usize| {
                s.room(m) - promised.iter().filter(|x| x.0 == m).map(|x| x.1).sum::<f64>()
            };
            let to = p
                .options(k)
                .filter(|(m, _)| {
                    *m != j && !self.seen(*m) && wk <= room_left(*m) + CAPACITY_TOLERANCE_HA
                })
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(m, _)| m);
            if let Some(m) = to {
                promised.push((m, wk));
                moves.push((k, m));
                freed += wk;
            }
        }
        if freed < node.need - CAPACITY_TOLERANCE_HA {
            return false;
        }
        for (k, m) in moves {
            s.remove(k);
            s.place(k, m);
        }
        Self::walk_back(s, &self.nodes, at);
        true
    }

    /// Carries out the chain ending with item `last` leaving node `at`'s park for park `to`.
    fn apply(s: &mut State, nodes: &[ChainNode], at: usize, last: usize, to: usize) {
        s.remove(last);
        s.place(last, to);
        Self::walk_back(s, nodes, at);
    }

    /// Moves each node's item into the node's park, from node `at` back to the root.
    fn walk_back(s: &mut State, nodes: &[ChainNode], at: usize) {
        let mut cur = at as u32;
        while let Some(node) = nodes.get(cur as usize) {
            let mover = node.mover as usize;
            s.remove(mover);
            s.place(mover, node.park as usize);
            cur = node.parent;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{more_must_by_chain_trades, repair, Chains};
    use crate::allocation::solver::tests::{
        one_trade_short, problem, state_with, ONE_TRADE_PLACED,
    };
    use crate::allocation::solver::Tier;

    #[test]
    fn a_chain_moves_a_placed_factory_on_to_make_room() {
        // Park 0 is full with factory 0, which could also go to park 1; factory 1 only fits park 0.
        let p = problem(
            &[1.0, 1.0],
            &[(1.0, Tier::Must, &[(0, 0.0), (1, 5.0)]), (1.0, Tier::Must, &[(0, 1.0)])],
        );
        let mut s = state_with(&p, &[(0, 0)]);
        repair(&mut s, Tier::Must, u64::MAX);
        assert_eq!((s.at(0), s.at(1)), (Some(1), Some(0)));
    }

    #[test]
    fn several_small_factories_move_out_to_make_room_for_a_large_one() {
        let p = problem(
            &[2.0, 2.0],
            &[
                (1.0, Tier::Must, &[(0, 0.0), (1, 5.0)]),
                (1.0, Tier::Must, &[(0, 0.0), (1, 5.0)]),
                (2.0, Tier::Must, &[(0, 1.0)]),
            ],
        );
        let mut s = state_with(&p, &[(0, 0), (1, 0)]);
        repair(&mut s, Tier::Must, u64::MAX);
        assert_eq!((s.at(0), s.at(1), s.at(2)), (Some(1), Some(1), Some(0)));
    }

    #[test]
    fn a_chain_may_reach_a_park_again_with_less_to_free_there() {
        // Factory 2 (0.64 ha) may go to park 0 (0.48 ha left, cheapest) or park 1 (0.04 ha
        // left). The way in: 2 to park 1, whose 0.61 ha factory moves on to park 0, whose 0.13 ha
        // factory moves on to park 2. Reached first as a root, park 0 asks 0.16 ha, which its
        // 0.13 ha factory cannot free; reached from park 1 it asks 0.13.
        let p = problem(
            &[0.61, 0.65, 0.13],
            &[
                (0.61, Tier::Must, &[(1, 0.0), (0, 0.0)]),
                (0.13, Tier::Must, &[(0, 0.0), (2, 0.0)]),
                (0.64, Tier::Must, &[(0, 0.0), (1, 1.0)]),
            ],
        );
        let mut plain = state_with(&p, &[(0, 1), (1, 0)]);
        repair(&mut plain, Tier::Must, u64::MAX);
        assert_eq!(plain.at(2), None, "the breadth-first chains reach each park once");
        let mut s = state_with(&p, &[(0, 1), (1, 0)]);
        assert!(Chains::revisiting(p.parks()).insert(&mut s, 2));
        assert_eq!((s.at(0), s.at(1), s.at(2)), (Some(0), Some(2), Some(1)));
    }

    #[test]
    fn a_must_relocate_factory_out_makes_room_for_two_with_an_encouraged_one_evicted() {
        let p = one_trade_short();
        let placed = ONE_TRADE_PLACED;
        let mut plain = state_with(&p, &placed);
        repair(&mut plain, Tier::Must, u64::MAX);
        assert_eq!(plain.placed(), [2, 1], "moves alone cannot place more");
        let mut s = state_with(&p, &placed);
        assert!(more_must_by_chain_trades(&mut s, u64::MAX));
        assert_eq!(s.placed(), [3, 0]);
        assert_eq!((s.at(0), s.at(1), s.at(3), s.at(4)), (None, Some(1), Some(0), Some(0)));
        // Nothing to gain: the plan is left as it was.
        let before: Vec<Option<usize>> = (0..p.items()).map(|i| s.at(i)).collect();
        assert!(!more_must_by_chain_trades(&mut s, u64::MAX));
        assert_eq!((0..p.items()).map(|i| s.at(i)).collect::<Vec<_>>(), before);
    }

    #[test]
    fn one_large_factory_is_traded_for_two_small_ones() {
        let p = problem(
            &[2.0],
            &[
                (2.0, Tier::Must, &[(0, 0.0)]),
                (1.0, Tier::Must, &[(0, 3.0)]),
                (1.0, Tier::Must, &[(0, 3.0)]),
            ],
        );
        let mut s = state_with(&p, &[(0, 0)]);
        repair(&mut s, Tier::Must, u64::MAX);
        assert_eq!(s.placed(), [2, 0]);
        assert_eq!(s.at(0), None);
    }
}
