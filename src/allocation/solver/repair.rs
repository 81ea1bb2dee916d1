//! Placing the factories left out: directly where they fit, else by ejection chains (placed
//! factories moved on, breadth first over parks, or several moved out at once into parks with
//! room), and by trades (one placed factory out, two or more of the same tier in).
//!
//! Placed factories are moved, never taken out, except by a trade within the same tier: so a
//! repair never lowers the count of a tier placed before it.

use super::state::State;
use super::{Tier, CAPACITY_TOLERANCE_HA, NONE};

/// Moves per ejection chain at most (the unplaced factory entering, then each one shifted on).
const CHAIN_DEPTH: usize = 4;

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
        let w = p.w(i);
        let direct = p
            .options(i)
            .filter(|(j, _)| s.fits(*j, w))
            .min_by(|a, b| value(a.0).total_cmp(&value(b.0)).then(a.1.total_cmp(&b.1)));
        if let Some((j, _)) = direct {
            s.place(i, j);
        } else if chains.spent <= work {
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

/// Trades one placed factory of `tier` for two or more unplaced ones of the same tier in the
/// same park (the largest member leaves; the smallest waiting factories take its land), park by
/// park while that gains. True when a trade was made.
fn trade(s: &mut State, tier: Tier) -> bool {
    let p = s.p;
    let mut waiting: Vec<Vec<usize>> = vec![Vec::new(); p.parks()];
    for i in (0..p.items()).filter(|&i| p.tier_of(i) == tier && s.at(i).is_none()) {
        for (j, _) in p.options(i) {
            if let Some(list) = waiting.get_mut(j) {
                list.push(i);
            }
        }
    }
    let mut traded = false;
    for (j, list) in waiting.iter_mut().enumerate() {
        list.sort_by(|&a, &b| p.w(a).total_cmp(&p.w(b)).then(p.rank_of(a).cmp(&p.rank_of(b))));
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
                self.mark(j);
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
                    if m == j || self.seen(m) {
                        continue;
                    }
                    let need_m = wk - s.room(m);
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
                if k != NONE && self.alive(m, need_m) {
                    self.mark(m);
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
    use super::repair;
    use crate::allocation::solver::tests::{problem, state_with};
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
