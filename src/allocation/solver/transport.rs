//! The exact LP relaxation of "place these factories whole, capacities respected", solved as a
//! transportation problem in hectares by successive shortest paths over the parks.
//!
//! It costs up to items × parks² arc visits (each search looks only at the pairs of parks some
//! factory's land can shift between, far fewer when parks are many), so it is solved only where
//! `Budget::lp_work` allows (the 2,900-factory cases, not the 100,000 ones); there its prices
//! give the tight bound of the plan's own set of factories, and its flows are what the
//! rounding starts from.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::{AssignmentProblem, Budget, NONE};

/// How the LP reads the options' costs.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Costs {
    AsGiven,
    /// Every option costs 0 (the LP of "place as many as possible").
    Zero,
    /// Every option costs 0, and a factory that may go straight into several parks equally
    /// well takes the cheapest by its true cost: the same LP, solved along other ways.
    ZeroCheapestFirst,
}

impl Costs {
    /// An option's cost per hectare of a factory of `w` hectares.
    fn per_ha(self, cost: f64, w: f64) -> f64 {
        match self {
            Costs::AsGiven => cost / w,
            Costs::Zero | Costs::ZeroCheapestFirst => 0.0,
        }
    }
}

/// Flow below this many hectares counts as none (absorbs floating-point leftovers).
pub(super) const FLOW_EPS: f64 = 1e-9;

/// Room (ha) at or below which a park counts as full when pricing: above `FLOW_EPS`, so that
/// the leftovers of many flows into one park do not make it look open (and priced 0).
const FULL_PARK_HA: f64 = 1e-7;

/// Relative change a price must make to be lowered (times 1 + the smaller magnitude): stops
/// the Bellman–Ford passes from going on over rounding.
const PRICE_RELAX_REL: f64 = 1e-12;

/// Heap visits allowed per LP, as a multiple of `Budget::lp_work`: that budget is checked on
/// the estimate items × parks² before solving, and the searches (stale heap entries included)
/// may visit a few times more; past this the LP is given up.
const LP_HEAP_WORK_FACTOR: u64 = 4;

/// An entry of the heaps below, popped least `key` first, then lower `id`: in a per-pair heap
/// of shifts, the cheapest per-hectare shift of factory `id`'s land; in a search's queue, node
/// `id` reached at distance `key` (the order in which a scan for the nearest unsettled node
/// would settle them).
struct Least {
    key: f64,
    id: u32,
}

impl PartialEq for Least {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Least {}
impl PartialOrd for Least {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Least {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: the max-heap pops the least.
        other.key.total_cmp(&self.key).then(other.id.cmp(&self.id))
    }
}

/// The LP relaxation of "place these factories whole, capacities respected" is a
/// transportation problem in hectares: factory i supplies `land_ha` hectares at c_ij / land_ha
/// per hectare, park j takes at most its capacity. A factory that may stay out has one more
/// destination, "out", without limit, at its penalty. Successive shortest paths solve it
/// exactly: factories enter one by one (id order), each along the cheapest way to land with
/// room, where a way may shift the land of factories already in. The residual graph is
/// contracted to the parks: an arc j → m is the cheapest per-hectare shift of some factory's
/// land from j to m, kept in a heap per pair (entries whose land has gone are dropped when
/// met). With few parks each way is a Dijkstra search over the parks (see `route`).
struct Transport<'p> {
    p: &'p AssignmentProblem,
    costs: Costs,
    /// Parks, then "out".
    nodes: usize,
    /// Penalty per factory for staying out; infinite when it must be placed.
    penalty: Vec<f64>,
    /// Hectares per (item, node) with flow.
    flow: Vec<Vec<(u32, f64)>>,
    load: Vec<f64>,
    /// `arcs[j * nodes + m]`: shifts of land from node j to node m.
    arcs: Vec<BinaryHeap<Least>>,
    /// Per node j, in index order, the nodes m whose heap `arcs[j * nodes + m]` has had an
    /// entry since it was last found empty: the searches look at those only, which keeps a
    /// search near linear in the parks a factory's land can shift between instead of parks²
    /// (with 500 parks, most pairs share no factory).
    heads: Vec<Vec<u32>>,
    /// Node potentials keeping every arc's reduced cost (cost + potential of its tail −
    /// potential of its head) from being negative, so that each way is found by Dijkstra's
    /// algorithm.
    potential: Vec<f64>,
    /// Heap visits, against `Budget::lp_work`.
    spent: u64,
}

/// A solved LP: hectares per item and node (the last node is "out"), and the optimal prices
/// per hectare and park.
pub(super) struct LpSolution {
    pub(super) flow: Vec<Vec<(u32, f64)>>,
    pub(super) prices: Vec<f64>,
}

impl Transport<'_> {
    fn out(&self) -> usize {
        self.nodes - 1
    }

    fn room(&self, j: usize) -> f64 {
        debug_assert!(j < self.nodes, "node {j} of {}", self.nodes);
        let cap = if j == self.out() { f64::INFINITY } else { self.p.cap(j) };
        cap - self.load.get(j).copied().unwrap_or(0.0)
    }

    /// Destinations of item `i` with their cost per hectare.
    fn options(&self, i: usize) -> Vec<(usize, f64)> {
        let w = self.p.w(i);
        let mut o: Vec<(usize, f64)> =
            self.p.options(i).map(|(j, c)| (j, self.costs.per_ha(c, w))).collect();
        let pen = self.penalty.get(i).copied().unwrap_or(f64::INFINITY);
        if pen.is_finite() {
            o.push((self.out(), pen / w));
        }
        o
    }

    fn flow_in(&self, i: usize, j: usize) -> f64 {
        self.flow.get(i).and_then(|f| f.iter().find(|x| x.0 as usize == j)).map_or(0.0, |x| x.1)
    }

    /// Adds `delta` hectares of item `i` to node `j` (negative to take away).
    fn add_flow(&mut self, i: usize, j: usize, delta: f64) {
        let nodes = self.nodes;
        debug_assert!(i < self.flow.len() && j < nodes, "item {i}, node {j}");
        let Some(f) = self.flow.get_mut(i) else { return };
        let before = match f.iter_mut().find(|x| x.0 as usize == j) {
            Some(x) => {
                let b = x.1;
                x.1 += delta;
                b
            }
            None => {
                f.push((j as u32, delta));
                0.0
            }
        };
        f.retain(|x| x.1 > FLOW_EPS);
        if let Some(l) = self.load.get_mut(j) {
            *l += delta;
        }
        if before <= FLOW_EPS && before + delta > FLOW_EPS {
            // New land of `i` in `j`: it can shift from `j` to each other destination.
            let p = self.p;
            let w = p.w(i);
            let out = self.out();
            let pen = self.penalty.get(i).copied().unwrap_or(f64::INFINITY);
            let costs = self.costs;
            let per_ha = |m: usize| {
                if m == out {
                    pen / w
                } else {
                    p.cost(i, m).map_or(f64::INFINITY, |c| costs.per_ha(c, w))
                }
            };
            let here = per_ha(j);
            let others = p
                .options(i)
                .map(|(m, c)| (m, costs.per_ha(c, w)))
                .chain(pen.is_finite().then_some((out, pen / w)));
            for (m, c) in others {
                if m != j {
                    if let Some(h) = self.arcs.get_mut(j * nodes + m) {
                        h.push(Least { key: c - here, id: i as u32 });
                    }
                    self.link(j, m);
                }
            }
        }
    }

    /// Notes that node j's land may shift to node m.
    fn link(&mut self, j: usize, m: usize) {
        if let Some(h) = self.heads.get_mut(j) {
            // In index order, as the searches looked at the nodes before these lists.
            if let Err(at) = h.binary_search(&(m as u32)) {
                h.insert(at, m as u32);
            }
        }
    }

    /// Calls `f` with each node m that node j's land may shift to and the cheapest such shift
    /// (`arc`), dropping from j's list the nodes whose heap has emptied.
    fn each_arc(&mut self, j: usize, mut f: impl FnMut(usize, f64, usize)) {
        let mut heads = std::mem::take(self.heads.get_mut(j).unwrap_or(&mut Vec::new()));
        heads.retain(|&m| {
            let m = m as usize;
            let arc = self.arc(j, m);
            if let Some((c, k)) = arc {
                f(m, c, k);
            }
            arc.is_some()
        });
        if let Some(h) = self.heads.get_mut(j) {
            *h = heads;
        }
    }

    /// The cheapest shift from node j to node m, dropping entries whose land has gone.
    fn arc(&mut self, j: usize, m: usize) -> Option<(f64, usize)> {
        let at = j * self.nodes + m;
        loop {
            self.spent += 1;
            let top = self.arcs.get(at)?.peek().map(|e| (e.key, e.id as usize))?;
            if self.flow_in(top.1, j) > FLOW_EPS {
                return Some(top);
            }
            self.arcs.get_mut(at).and_then(BinaryHeap::pop);
        }
    }

    /// Routes all of item `i`'s land; false when no way is left, the way found is broken
    /// (a cycle from rounding) or the work budget ran out.
    ///
    /// Each way is Dijkstra's algorithm on reduced costs over the nodes (few: a scan finds the
    /// next one to settle). Afterwards every potential grows by its reduced distance, capped
    /// at that of the way's end: the standard update of successive shortest paths, which keeps
    /// reduced costs non-negative on the arcs the augmentation leaves and creates.
    fn route(&mut self, i: usize, work: u64) -> bool {
        let nodes = self.nodes;
        let mut remaining = self.p.w(i);
        let options = self.options(i);
        let mut dist = vec![f64::INFINITY; nodes];
        // Predecessor per node: (previous node, item shifted), or (NONE, NONE) at an entry.
        let mut pred = vec![(NONE, NONE); nodes];
        let mut settled = vec![false; nodes];
        while remaining > FLOW_EPS {
            dist.fill(f64::INFINITY);
            pred.fill((NONE, NONE));
            settled.fill(false);
            // The item's own potential: the least that keeps its entries non-negative.
            let own = options
                .iter()
                .map(|&(j, u)| self.potential.get(j).copied().unwrap_or(0.0) - u)
                .fold(f64::NEG_INFINITY, f64::max);
            // Straight in, when the option of least reduced cost has room and no node with room
            // can be reached for less (a way to node v costs at least its potential − `own`).
            let direct = options
                .iter()
                .filter(|&&(j, u)| {
                    self.potential.get(j).copied().unwrap_or(0.0) - u >= own
                        && self.room(j) > FLOW_EPS
                })
                .min_by(|a, b| {
                    let tie = |j: usize| match self.costs {
                        Costs::ZeroCheapestFirst => self.p.cost(i, j).unwrap_or(0.0),
                        Costs::AsGiven | Costs::Zero => 0.0,
                    };
                    a.1.total_cmp(&b.1).then(tie(a.0).total_cmp(&tie(b.0))).then(a.0.cmp(&b.0))
                })
                .copied();
            if let Some((j, u)) = direct {
                let beaten = (0..nodes).any(|v| {
                    v != j
                        && self.room(v) > FLOW_EPS
                        && self.potential.get(v).copied().unwrap_or(0.0) - own < u
                });
                if !beaten {
                    let delta = remaining.min(self.room(j));
                    self.add_flow(i, j, delta);
                    remaining -= delta;
                    continue;
                }
            }
            for &(j, u) in &options {
                if let Some(dj) = dist.get_mut(j) {
                    *dj =
                        dj.min((u + own - self.potential.get(j).copied().unwrap_or(0.0)).max(0.0));
                }
            }
            // Nodes by distance, then index (entries left behind by a shorter way are skipped):
            // the order in which a scan for the nearest unsettled node would settle them.
            let mut queue: BinaryHeap<Least> = dist
                .iter()
                .enumerate()
                .filter(|(_, d)| d.is_finite())
                .map(|(j, &d)| Least { key: d, id: j as u32 })
                .collect();
            while let Some(Least { key: dj, id: node }) = queue.pop() {
                let j = node as usize;
                if settled.get(j).copied().unwrap_or(true)
                    || !dist.get(j).is_some_and(|&d| d.total_cmp(&dj) == Ordering::Equal)
                {
                    continue;
                }
                if let Some(x) = settled.get_mut(j) {
                    *x = true;
                }
                if self.spent > work {
                    return false;
                }
                let pj = self.potential.get(j).copied().unwrap_or(0.0);
                let potential = std::mem::take(&mut self.potential);
                self.each_arc(j, |m, c, k| {
                    if settled.get(m).copied().unwrap_or(true) {
                        return;
                    }
                    let d = dj + (c + pj - potential.get(m).copied().unwrap_or(0.0)).max(0.0);
                    if let (Some(dm), Some(pm)) = (dist.get_mut(m), pred.get_mut(m)) {
                        if d < *dm {
                            *dm = d;
                            *pm = (j as u32, k as u32);
                            queue.push(Least { key: d, id: m as u32 });
                        }
                    }
                });
                self.potential = potential;
            }
            // The node with room nearest in true cost, then the lower index.
            let mut target: Option<(usize, f64)> = None;
            for (t, (&d, &pot)) in dist.iter().zip(&self.potential).enumerate() {
                let true_cost = d + pot - own;
                if d.is_finite()
                    && self.room(t) > FLOW_EPS
                    && target.map_or(true, |x| true_cost < x.1)
                {
                    target = Some((t, true_cost));
                }
            }
            let Some((t, _)) = target else { return false };
            let reach = dist.get(t).copied().unwrap_or(0.0);
            for (pot, d) in self.potential.iter_mut().zip(&dist) {
                *pot += d.min(reach);
            }
            // Potentials matter only by their differences: keep them small.
            let base = self.potential.iter().copied().fold(f64::INFINITY, f64::min);
            if base.is_finite() {
                for pot in self.potential.iter_mut() {
                    *pot -= base;
                }
            }
            // As much as the way allows: what is left of the item, the room, each shifted land.
            let mut delta = remaining.min(self.room(t));
            let mut at = t;
            let mut steps = 0;
            while let Some(&(from, k)) = pred.get(at) {
                if from == NONE {
                    break;
                }
                delta = delta.min(self.flow_in(k as usize, from as usize));
                at = from as usize;
                steps += 1;
                if steps > nodes {
                    return false;
                }
            }
            if delta <= FLOW_EPS {
                return false;
            }
            let mut at = t;
            while let Some(&(from, k)) = pred.get(at) {
                if from == NONE {
                    self.add_flow(i, at, delta);
                    break;
                }
                self.add_flow(k as usize, from as usize, -delta);
                self.add_flow(k as usize, at, delta);
                at = from as usize;
            }
            remaining -= delta;
        }
        true
    }

    /// Optimal prices per park: 0 with room left; on a full park, the cheapest per-hectare way
    /// to shift its land on to nodes with room (shortest paths backwards from them), which is
    /// what makes every factory's land sit where its reduced cost is least. A park from which
    /// no way leads gets 0 (a valid, if weaker, price).
    fn prices(&mut self) -> Vec<f64> {
        let nodes = self.nodes;
        let mut price: Vec<f64> = (0..nodes)
            .map(|j| if self.room(j) > FULL_PARK_HA { 0.0 } else { f64::INFINITY })
            .collect();
        for _ in 0..nodes {
            let mut changed = false;
            for j in 0..nodes {
                let mut pj = price.get(j).copied().unwrap_or(f64::INFINITY);
                self.each_arc(j, |m, c, _| {
                    let pm = price.get(m).copied().unwrap_or(f64::INFINITY);
                    if pm.is_finite()
                        && c + pm < pj - PRICE_RELAX_REL * (1.0 + pj.abs().min((c + pm).abs()))
                    {
                        pj = c + pm;
                        changed = true;
                    }
                });
                if let Some(x) = price.get_mut(j) {
                    *x = pj;
                }
            }
            if !changed {
                break;
            }
        }
        price.truncate(self.p.parks());
        price.into_iter().map(|x| if x.is_finite() { x.max(0.0) } else { 0.0 }).collect()
    }
}

/// Whether the exact LP of `items` factories fits `Budget::lp_work`: each factory's way is a
/// search over the parks visiting up to parks² arcs.
pub(super) fn lp_affordable(p: &AssignmentProblem, items: usize, budget: &Budget) -> bool {
    let nodes = (p.parks() + 1) as u64;
    (items as u64).saturating_mul(nodes * nodes) <= budget.lp_work
}

/// The exact LP relaxation of placing `items` — (item, penalty for leaving it out, infinite
/// when it must be placed) — when the problem is small enough for `Budget::lp_work`; `None`
/// when it is not, or when no fractional plan places every required item.
pub(super) fn transport_lp(
    p: &AssignmentProblem,
    items: &[(usize, f64)],
    budget: &Budget,
) -> Option<LpSolution> {
    transport_lp_with(p, Costs::AsGiven, items, budget)
}

/// `transport_lp`, reading the options' costs as `costs` says.
pub(super) fn transport_lp_with(
    p: &AssignmentProblem,
    costs: Costs,
    items: &[(usize, f64)],
    budget: &Budget,
) -> Option<LpSolution> {
    if !lp_affordable(p, items.len(), budget) {
        return None;
    }
    let nodes = p.parks() + 1;
    let mut penalty = vec![f64::INFINITY; p.items()];
    for &(i, pen) in items {
        if let Some(x) = penalty.get_mut(i) {
            *x = pen;
        }
    }
    let mut t = Transport {
        p,
        costs,
        nodes,
        penalty,
        flow: vec![Vec::new(); p.items()],
        load: vec![0.0; nodes],
        arcs: (0..nodes * nodes).map(|_| BinaryHeap::new()).collect(),
        heads: vec![Vec::new(); nodes],
        potential: vec![0.0; nodes],
        spent: 0,
    };
    let mut order: Vec<usize> =
        items.iter().map(|x| x.0).filter(|&i| p.w(i) > 0.0 && p.placeable(i)).collect();
    order.sort_by_key(|&i| p.rank_of(i));
    for i in order {
        if !t.route(i, budget.lp_work.saturating_mul(LP_HEAP_WORK_FACTOR)) {
            return None;
        }
    }
    let prices = t.prices();
    Some(LpSolution { flow: t.flow, prices })
}

#[cfg(test)]
mod tests {
    use super::transport_lp;
    use crate::allocation::solver::dual::evaluate;
    use crate::allocation::solver::state::placeable_per_tier;
    use crate::allocation::solver::tests::problem;
    use crate::allocation::solver::{Budget, Tier};

    #[test]
    fn exact_lp_splits_one_factory_and_prices_the_full_park() {
        // Park 0 takes 1.5 of the 2 ha that want it; half a hectare of the factory that loses
        // least by moving (10 per hectare against 11) goes to park 1: the LP costs 5, and
        // park 0's land is worth 10 per hectare.
        let p = problem(
            &[1.5, 10.0],
            &[(1.0, Tier::Must, &[(0, 0.0), (1, 10.0)]), (1.0, Tier::Must, &[(0, 0.0), (1, 11.0)])],
        );
        let items = [(0, f64::INFINITY), (1, f64::INFINITY)];
        let lp = transport_lp(&p, &items, &Budget::default()).unwrap();
        let value: f64 = (0..2)
            .map(|i| {
                lp.flow[i].iter().map(|&(j, ha)| ha * p.cost(i, j as usize).unwrap()).sum::<f64>()
            })
            .sum();
        assert!((value - 5.0).abs() < 1e-9, "{value}");
        assert!((lp.prices[0] - 10.0).abs() < 1e-9 && lp.prices[1] == 0.0, "{:?}", lp.prices);
        let all = placeable_per_tier(&p);
        assert!((evaluate(&p, &lp.prices, all, all).value - 5.0).abs() < 1e-6);
    }
}
