//! Branch and bound on small instances: depth first on the lexicographic objective, seeded with
//! the heuristic plan, bounded by "every factory still placeable goes to its cheapest option
//! that still fits", within a node budget.
//!
//! When it completes, the plan is optimal and the bound equals the objective: on the smallest
//! scenarios that is worth more than any gap.

use super::state::{Score, State};
use super::{AssignmentProblem, Budget, CAPACITY_TOLERANCE_HA};

/// Replaces `best` by the optimal plan when the instance is small enough
/// (`Budget::exact_max_items` placeable factories) and the search ends within
/// `Budget::exact_max_nodes`; true when it did.
pub(super) fn prove_optimal<'p>(
    p: &'p AssignmentProblem,
    best: &mut State<'p>,
    placeable: [usize; 2],
    budget: &Budget,
) -> bool {
    let placeable_items = placeable[0] + placeable[1];
    if placeable_items > budget.exact_max_items || budget.expired() {
        return false;
    }
    let Some(choice) = exact(p, best, budget.exact_max_nodes) else { return false };
    let mut s = State::new(p);
    for (i, j) in choice.iter().enumerate() {
        if let Some(j) = j {
            s.place(i, *j);
        }
    }
    *best = s;
    true
}

struct Exact<'p> {
    p: &'p AssignmentProblem,
    order: Vec<usize>,
    /// Options per item in `order`, cheapest first.
    options: Vec<Vec<(usize, f64)>>,
    load: Vec<f64>,
    choice: Vec<Option<usize>>,
    best: Score,
    best_choice: Vec<Option<usize>>,
    nodes: u64,
    max_nodes: u64,
}

impl Exact<'_> {
    fn fits(&self, j: usize, w: f64) -> bool {
        debug_assert!(j < self.load.len(), "park {j} of {}", self.load.len());
        w <= self.p.cap(j) - self.load.get(j).copied().unwrap_or(f64::INFINITY)
            + CAPACITY_TOLERANCE_HA
    }

    /// Returns false when the node budget ran out.
    fn search(&mut self, depth: usize, placed: [usize; 2], cost: f64) -> bool {
        self.nodes += 1;
        if self.nodes > self.max_nodes {
            return false;
        }
        // Bound: still-fitting items at their cheapest fitting option, the rest unplaced.
        let mut bound_placed = placed;
        let mut bound_cost = cost;
        for d in depth..self.order.len() {
            let i = self.order.get(d).copied().unwrap_or(0);
            let w = self.p.w(i);
            let cheapest = self
                .options
                .get(d)
                .and_then(|o| o.iter().find(|(j, _)| self.fits(*j, w)).map(|(_, c)| *c));
            if let Some(c) = cheapest {
                bound_cost += c;
                if let Some(n) = bound_placed.get_mut(self.p.tier_of(i).index()) {
                    *n += 1;
                }
            }
        }
        let bound = Score::new(self.p, bound_placed, bound_cost);
        if !bound.better_than(&self.best) {
            return true;
        }
        let Some(&i) = self.order.get(depth) else {
            // A leaf better than the incumbent (the bound is exact here).
            self.best = Score::new(self.p, placed, cost);
            self.best_choice.clone_from(&self.choice);
            return true;
        };
        let w = self.p.w(i);
        let t = self.p.tier_of(i).index();
        let options = self.options.get(depth).cloned().unwrap_or_default();
        for (j, c) in options {
            if !self.fits(j, w) {
                continue;
            }
            if let Some(l) = self.load.get_mut(j) {
                *l += w;
            }
            if let Some(ch) = self.choice.get_mut(i) {
                *ch = Some(j);
            }
            let mut next = placed;
            if let Some(n) = next.get_mut(t) {
                *n += 1;
            }
            let ok = self.search(depth + 1, next, cost + c);
            if let Some(l) = self.load.get_mut(j) {
                *l -= w;
            }
            if let Some(ch) = self.choice.get_mut(i) {
                *ch = None;
            }
            if !ok {
                return false;
            }
        }
        self.search(depth + 1, placed, cost)
    }
}

/// The optimal plan by branch and bound, or `None` when the node budget runs out.
fn exact(p: &AssignmentProblem, incumbent: &State, max_nodes: u64) -> Option<Vec<Option<usize>>> {
    let mut order: Vec<usize> = (0..p.items()).filter(|&i| p.placeable(i)).collect();
    order.sort_by(|&a, &b| {
        p.tier_of(a)
            .cmp(&p.tier_of(b))
            .then(p.w(b).total_cmp(&p.w(a)))
            .then(p.rank_of(a).cmp(&p.rank_of(b)))
    });
    let options = order
        .iter()
        .map(|&i| {
            let mut o: Vec<(usize, f64)> = p.options(i).collect();
            o.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            o
        })
        .collect();
    let incumbent_choice: Vec<Option<usize>> = (0..p.items()).map(|i| incumbent.at(i)).collect();
    let mut search = Exact {
        p,
        order,
        options,
        load: vec![0.0; p.parks()],
        choice: vec![None; p.items()],
        best: incumbent.score(),
        best_choice: incumbent_choice,
        nodes: 0,
        max_nodes,
    };
    search.search(0, [0, 0], 0.0).then_some(search.best_choice)
}
