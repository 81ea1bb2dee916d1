//! The single-source capacitated assignment solver, free of GIS types.
//!
//! # Problem
//! Items (factories) of weight `land_ha` and tier (must_relocate before encouraged) go whole to
//! one of their options (eligible parks, each with a cost) or stay unplaced; the land put in a
//! park never exceeds its capacity. Plans are compared lexicographically:
//! 1. more must_relocate factories placed,
//! 2. then more encouraged factories placed,
//! 3. then less total cost.
//!
//! A must_relocate factory "can be placed" when it is placed in some plan that is optimal for
//! rule 1 — so a factory is left out only when no plan places it without leaving out another
//! must_relocate factory. Counting factories (not hectares) is deliberate: the decision is about
//! firms, and a large plant does not outweigh several small workshops.
//!
//! # Route, and why
//! The capacity constraints are the only ones coupling factories, and there are few parks
//! (20 in Binh Duong, 2,000 at the largest scale asked for) against many factories. Relaxing
//! capacities with one price per hectare and park (Lagrangian relaxation) leaves a problem that
//! splits per factory, so:
//!
//! * **Lower bound** (proven, for any prices λ ≥ 0): with r_i = min_j (c_ij + λ_j·w_i), any plan
//!   placing at least n_t factories of each tier t costs at least
//!   `LB(λ) = Σ_t (sum of the n_t smallest r_i of tier t) − Σ_j λ_j·C_j`
//!   (each placed factory pays at least r_i once the prices are added, and the prices paid
//!   are at most Σ λ_j C_j; r_i ≥ 0 so extra placed factories only add). Taking n_t from our
//!   plan, this bounds every plan at least as good on rules 1 and 2. LB is the LP relaxation's
//!   value at the best λ, which with many small factories per park is within a handful of
//!   split factories of the integer optimum. λ is improved by projected subgradient ascent
//!   (Polyak steps towards the plan's cost) and then by exact coordinate ascent (each park's
//!   price set to the maximiser of the one-dimensional concave piece). The bound is computed
//!   with a margin for floating-point rounding.
//!   Two bounds are reported: `lower_bound` takes only the factories the plan places, every one
//!   of which must be placed (the contract's "same set of placed factories"; tight, a few split
//!   factories from the integer optimum), and `lower_bound_same_counts` lets the relaxation pick
//!   any factories as long as the counts per tier are reached. When land is short the plan
//!   packs parks to place the most factories and the second bound can be far below the first:
//!   the LP may then place cheaper factories fractionally.
//! * **Plan**: a regret greedy (Martello–Toth) over the Lagrangian reduced costs, must tier
//!   first, then repair (shift one factory to make room for an unplaced one), then local search
//!   that keeps the tier counts (shift, swap, replace an unplaced factory of the same tier),
//!   repeated with the improved prices; the best plan (rules 1–3) is kept.
//! * **Exact** on small instances: depth-first branch and bound on the lexicographic objective,
//!   seeded with the heuristic plan, bounded by "every factory still placeable goes to its
//!   cheapest option that still fits"; within a node budget. When it completes, the plan is
//!   optimal and the bound equals the objective.
//! * **Priority proof** on large instances: when some factories of a tier are left out, an LP
//!   bound on the number of factories that must stay out (same Lagrangian, a unit penalty per
//!   factory, no cost) is computed; `priority_proven` says whether it matches the plan.
//!
//! Min-cost flow on the LP would give the same bound exactly but costs O(n) shortest paths;
//! the Lagrangian dual has one variable per park whatever the number of factories, which is
//! what lets a million factories be planned in seconds.
//!
//! Determinism: no clocks and no randomness; budgets are counts of iterations and nodes, every
//! ordering ends with the factory's rank in id order.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Slack allowed when checking capacity, ha (0.1 cm²): absorbs floating-point sums only.
pub const CAPACITY_TOLERANCE_HA: f64 = 1e-9;

const NONE: u32 = u32::MAX;
const IMPROVE_EPS: f64 = 1e-9;

/// Priority tier of a factory: `Must` (must_relocate) before `Encouraged`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    Must = 0,
    Encouraged = 1,
}

impl Tier {
    fn index(self) -> usize {
        self as usize
    }
}

/// An assignment problem: capacities per park and items with their options (flat arrays, so a
/// million factories cost a few allocations).
#[derive(Clone, Debug, Default)]
pub struct Problem {
    pub capacity_ha: Vec<f64>,
    land_ha: Vec<f64>,
    tier: Vec<Tier>,
    rank: Vec<u32>,
    start: Vec<usize>,
    park: Vec<u32>,
    cost: Vec<f64>,
}

impl Problem {
    pub fn new(capacity_ha: Vec<f64>) -> Problem {
        Problem { capacity_ha, start: vec![0], ..Problem::default() }
    }

    /// Adds an item; `rank` breaks ties (lower first: the factory's position in id order);
    /// options are (park index, cost ≥ 0). Options naming an unknown park are ignored.
    pub fn push(&mut self, land_ha: f64, tier: Tier, rank: u32, options: impl IntoIterator<Item = (usize, f64)>) {
        let parks = self.capacity_ha.len();
        for (park, cost) in options {
            if park < parks {
                self.park.push(park as u32);
                self.cost.push(cost.max(0.0));
            }
        }
        self.land_ha.push(land_ha);
        self.tier.push(tier);
        self.rank.push(rank);
        self.start.push(self.park.len());
    }

    pub fn items(&self) -> usize {
        self.land_ha.len()
    }

    pub fn parks(&self) -> usize {
        self.capacity_ha.len()
    }

    fn range(&self, i: usize) -> std::ops::Range<usize> {
        let a = self.start.get(i).copied().unwrap_or(0);
        let b = self.start.get(i + 1).copied().unwrap_or(a);
        a..b
    }

    /// The options of item `i`: (park, cost).
    pub fn options(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let r = self.range(i);
        let parks = self.park.get(r.clone()).unwrap_or(&[]);
        let costs = self.cost.get(r).unwrap_or(&[]);
        parks.iter().zip(costs).map(|(p, c)| (*p as usize, *c))
    }

    pub fn cost(&self, i: usize, park: usize) -> Option<f64> {
        self.options(i).find(|(p, _)| *p == park).map(|(_, c)| c)
    }

    fn w(&self, i: usize) -> f64 {
        self.land_ha.get(i).copied().unwrap_or(0.0)
    }

    fn tier_of(&self, i: usize) -> Tier {
        self.tier.get(i).copied().unwrap_or(Tier::Encouraged)
    }

    fn rank_of(&self, i: usize) -> u32 {
        self.rank.get(i).copied().unwrap_or(u32::MAX)
    }

    fn cap(&self, j: usize) -> f64 {
        self.capacity_ha.get(j).copied().unwrap_or(0.0)
    }

    fn placeable(&self, i: usize) -> bool {
        !self.range(i).is_empty()
    }
}

/// Work limits, all counts so that the result does not depend on the machine's speed.
#[derive(Clone, Debug)]
pub struct Budget {
    /// Branch and bound is tried up to this many items.
    pub exact_max_items: usize,
    pub exact_max_nodes: u64,
    /// Subgradient iterations per dual ascent.
    pub dual_iterations: usize,
    /// Coordinate-ascent passes over the parks per dual ascent.
    pub coordinate_passes: usize,
    /// Rounds of (prices → greedy → local search → prices).
    pub rounds: usize,
    /// Local-search passes per plan.
    pub search_passes: usize,
    /// Swap moves are tried only while a pass would examine at most this many pairs.
    pub swap_work: u64,
    /// Factories looked at by the neighbourhoods that scan a park's members (repair, replace,
    /// swap), per plan; past it only the cheap moves go on.
    pub member_work: u64,
    /// Option visits allowed per dual ascent; caps iterations and passes on large problems.
    pub arc_work: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            exact_max_items: 40,
            exact_max_nodes: 2_000_000,
            dual_iterations: 300,
            coordinate_passes: 30,
            rounds: 3,
            search_passes: 30,
            swap_work: 50_000_000,
            member_work: 30_000_000,
            arc_work: 300_000_000,
        }
    }
}

/// The solver's answer.
#[derive(Clone, Debug)]
pub struct Solution {
    /// Park per item, `None` when unplaced.
    pub park_of: Vec<Option<usize>>,
    /// Total cost of the placed items.
    pub objective: f64,
    /// Proven lower bound on the cost of any plan placing the same items (each to any of its
    /// options, capacities respected).
    pub lower_bound: f64,
    /// Proven lower bound on the cost of any plan placing at least as many items of each tier
    /// (any items): weaker when land is short, since the LP may then pick cheaper factories.
    pub lower_bound_same_counts: f64,
    /// (objective − lower_bound) / objective; 0 when both are 0.
    pub gap: f64,
    /// Items placed per tier (must, encouraged).
    pub placed: [usize; 2],
    /// Items with at least one option per tier.
    pub placeable: [usize; 2],
    /// Whether no plan places more must_relocate, or as many of those and more encouraged.
    pub priority_proven: bool,
    /// Whether branch and bound proved the plan optimal.
    pub exact: bool,
    /// The prices per hectare (Lagrange multipliers) behind the bound, per park.
    pub prices: Vec<f64>,
}

// ---------------------------------------------------------------------------------------------
// Plan state.

#[derive(Clone)]
struct State<'p> {
    p: &'p Problem,
    park_of: Vec<u32>,
    load: Vec<f64>,
    members: Vec<Vec<u32>>,
    pos: Vec<u32>,
}

impl<'p> State<'p> {
    fn new(p: &'p Problem) -> Self {
        State {
            p,
            park_of: vec![NONE; p.items()],
            load: vec![0.0; p.parks()],
            members: vec![Vec::new(); p.parks()],
            pos: vec![0; p.items()],
        }
    }

    fn at(&self, i: usize) -> Option<usize> {
        self.park_of.get(i).copied().filter(|&j| j != NONE).map(|j| j as usize)
    }

    fn room(&self, j: usize) -> f64 {
        self.p.cap(j) - self.load.get(j).copied().unwrap_or(f64::INFINITY)
    }

    fn fits(&self, j: usize, w: f64) -> bool {
        w <= self.room(j) + CAPACITY_TOLERANCE_HA
    }

    fn place(&mut self, i: usize, j: usize) {
        let w = self.p.w(i);
        if let (Some(slot), Some(load), Some(list), Some(pos)) =
            (self.park_of.get_mut(i), self.load.get_mut(j), self.members.get_mut(j), self.pos.get_mut(i))
        {
            *slot = j as u32;
            *load += w;
            *pos = list.len() as u32;
            list.push(i as u32);
        }
    }

    fn remove(&mut self, i: usize) {
        let Some(j) = self.at(i) else { return };
        let w = self.p.w(i);
        let at = self.pos.get(i).copied().unwrap_or(0) as usize;
        if let Some(list) = self.members.get_mut(j) {
            if at < list.len() {
                list.swap_remove(at);
                if let Some(&moved) = list.get(at) {
                    if let Some(p) = self.pos.get_mut(moved as usize) {
                        *p = at as u32;
                    }
                }
            }
        }
        if let Some(load) = self.load.get_mut(j) {
            *load -= w;
        }
        if let Some(slot) = self.park_of.get_mut(i) {
            *slot = NONE;
        }
    }

    fn placed(&self) -> [usize; 2] {
        let mut n = [0, 0];
        for i in 0..self.p.items() {
            if self.at(i).is_some() {
                if let Some(c) = n.get_mut(self.p.tier_of(i).index()) {
                    *c += 1;
                }
            }
        }
        n
    }

    fn cost(&self) -> f64 {
        (0..self.p.items())
            .filter_map(|i| self.at(i).and_then(|j| self.p.cost(i, j)))
            .sum()
    }

    fn score(&self) -> Score {
        Score::new(self.p, self.placed(), self.cost())
    }
}

/// Lexicographic value of a plan: unplaced must, unplaced encouraged, cost (lower is better).
#[derive(Clone, Copy, Debug)]
struct Score {
    unplaced: [usize; 2],
    cost: f64,
}

impl Score {
    fn new(p: &Problem, placed: [usize; 2], cost: f64) -> Score {
        let total = tier_totals(p);
        Score { unplaced: [total[0] - placed[0].min(total[0]), total[1] - placed[1].min(total[1])], cost }
    }

    fn better_than(&self, other: &Score) -> bool {
        match self.unplaced.cmp(&other.unplaced) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => self.cost < other.cost - IMPROVE_EPS * (1.0 + other.cost.abs()),
        }
    }
}

fn tier_totals(p: &Problem) -> [usize; 2] {
    let mut n = [0, 0];
    for i in 0..p.items() {
        if let Some(c) = n.get_mut(p.tier_of(i).index()) {
            *c += 1;
        }
    }
    n
}

fn placeable_per_tier(p: &Problem) -> [usize; 2] {
    let mut n = [0, 0];
    for i in 0..p.items() {
        if p.placeable(i) {
            if let Some(c) = n.get_mut(p.tier_of(i).index()) {
                *c += 1;
            }
        }
    }
    n
}

// ---------------------------------------------------------------------------------------------
// Construction: regret greedy over reduced costs.

/// A heap entry: larger `key` first, then larger `land`, then lower rank.
struct Entry {
    key: f64,
    land: f64,
    rank: u32,
    item: u32,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key
            .total_cmp(&other.key)
            .then(self.land.total_cmp(&other.land))
            .then(other.rank.cmp(&self.rank))
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Order {
    /// Largest regret (second-best minus best reduced cost) first.
    Regret,
    /// Smallest factory first (most factories placed when land is short).
    SmallFirst,
}

/// The best and second-best fitting options of item `i` under reduced costs c + λ·w.
fn best_two(s: &State, lambda: &[f64], i: usize) -> Option<(usize, f64, f64)> {
    let w = s.p.w(i);
    let mut best: Option<(usize, f64)> = None;
    let mut second = f64::INFINITY;
    for (j, c) in s.p.options(i) {
        if !s.fits(j, w) {
            continue;
        }
        let rc = c + lambda.get(j).copied().unwrap_or(0.0) * w;
        match best {
            Some((_, b)) if rc >= b => second = second.min(rc),
            Some((_, b)) => {
                second = b;
                best = Some((j, rc));
            }
            None => best = Some((j, rc)),
        }
    }
    best.map(|(j, b)| (j, b, second))
}

fn key_of(s: &State, order: Order, i: usize, best: f64, second: f64) -> f64 {
    match order {
        Order::Regret => {
            if second.is_finite() {
                second - best
            } else {
                f64::INFINITY
            }
        }
        Order::SmallFirst => -s.p.w(i),
    }
}

fn construct<'p>(p: &'p Problem, lambda: &[f64], order: Order, budget: &Budget) -> State<'p> {
    let mut s = State::new(p);
    for tier in [Tier::Must, Tier::Encouraged] {
        let mut heap = BinaryHeap::new();
        for i in (0..p.items()).filter(|&i| p.tier_of(i) == tier) {
            if let Some((_, b, second)) = best_two(&s, lambda, i) {
                heap.push(Entry { key: key_of(&s, order, i, b, second), land: p.w(i), rank: p.rank_of(i), item: i as u32 });
            }
        }
        while let Some(e) = heap.pop() {
            let i = e.item as usize;
            let Some((j, b, second)) = best_two(&s, lambda, i) else { continue };
            let key = key_of(&s, order, i, b, second);
            if key.total_cmp(&e.key) != Ordering::Equal {
                heap.push(Entry { key, ..e });
                continue;
            }
            s.place(i, j);
        }
        repair(&mut s, tier, budget.member_work);
    }
    s
}

/// Places unplaced items of `tier` by moving one placed item out of the way when that makes
/// room (its new park must have room for it), smallest unplaced first.
fn repair(s: &mut State, tier: Tier, work: u64) {
    let mut spent = 0u64;
    let p = s.p;
    let mut waiting: Vec<usize> = (0..p.items())
        .filter(|&i| p.tier_of(i) == tier && s.at(i).is_none() && p.placeable(i))
        .collect();
    waiting.sort_by(|&a, &b| p.w(a).total_cmp(&p.w(b)).then(p.rank_of(a).cmp(&p.rank_of(b))));
    for i in waiting {
        if spent > work {
            break;
        }
        let w = s.p.w(i);
        // Direct insertion first (room may have appeared).
        let direct = s.p.options(i).filter(|(j, _)| s.fits(*j, w)).min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((j, _)) = direct {
            s.place(i, j);
            continue;
        }
        // One shift: item k leaves park j for park m with room, then i enters j.
        let mut best: Option<(f64, usize, usize, usize)> = None;
        for (j, cij) in s.p.options(i) {
            let room = s.room(j);
            let members = s.members.get(j).map(Vec::as_slice).unwrap_or(&[]);
            spent += members.len() as u64;
            for &k in members {
                let k = k as usize;
                let wk = s.p.w(k);
                if w > room + wk + CAPACITY_TOLERANCE_HA {
                    continue;
                }
                let ckj = s.p.cost(k, j).unwrap_or(0.0);
                spent += s.p.range(k).len() as u64;
                for (m, ckm) in s.p.options(k) {
                    if m != j && s.fits(m, wk) {
                        let delta = cij + ckm - ckj;
                        if best.map_or(true, |b| delta < b.0) {
                            best = Some((delta, j, k, m));
                        }
                    }
                }
            }
        }
        if let Some((_, j, k, m)) = best {
            s.remove(k);
            s.place(k, m);
            s.place(i, j);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Local search keeping the tier counts.

fn improve(s: &mut State, budget: &Budget) {
    let p = s.p;
    let n = p.items();
    let per_park = n as f64 / p.parks().max(1) as f64;
    let swap_pairs = (p.park.len() as f64 * per_park) as u64;
    let mut swaps = swap_pairs <= budget.swap_work;
    let mut spent = 0u64;
    for _ in 0..budget.search_passes {
        let scans = spent <= budget.member_work;
        swaps &= scans;
        let mut improved = false;
        // Room may appear as items move: place what now fits (rules 1–2 gain).
        for i in 0..n {
            if s.at(i).is_none() {
                let w = p.w(i);
                if let Some((j, _)) = p.options(i).filter(|(j, _)| s.fits(*j, w)).min_by(|a, b| a.1.total_cmp(&b.1)) {
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
                if b != a && cb < ca - IMPROVE_EPS && s.fits(b, w) && best.map_or(true, |x| cb < x.1) {
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
                    if b == a {
                        continue;
                    }
                    let (room_a, room_b) = (s.room(a), s.room(b));
                    let members = s.members.get(b).map(Vec::as_slice).unwrap_or(&[]);
                    spent += members.len() as u64;
                    for &k in members {
                        let k = k as usize;
                        let wk = p.w(k);
                        if wi > room_b + wk + CAPACITY_TOLERANCE_HA || wk > room_a + wi + CAPACITY_TOLERANCE_HA {
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

// ---------------------------------------------------------------------------------------------
// Lagrangian bound.

/// Items per park with their cost, for the coordinate steps.
struct Reverse {
    start: Vec<usize>,
    item: Vec<u32>,
    cost: Vec<f64>,
}

impl Reverse {
    fn new(p: &Problem) -> Reverse {
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
        Reverse { start: count, item, cost }
    }

    fn of(&self, j: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let a = self.start.get(j).copied().unwrap_or(0);
        let b = self.start.get(j + 1).copied().unwrap_or(a);
        let items = self.item.get(a..b).unwrap_or(&[]);
        let costs = self.cost.get(a..b).unwrap_or(&[]);
        items.iter().zip(costs).map(|(i, c)| (*i as usize, *c))
    }
}

/// The bound at prices λ for plans placing at least `counts` items per tier: its value (with
/// a rounding margin), a supergradient, and the per-tier thresholds μ_t (the n_t-th smallest
/// reduced cost; infinite when every placeable item of the tier is counted).
struct Evaluation {
    value: f64,
    gradient: Vec<f64>,
    mu: [f64; 2],
}

fn evaluate(p: &Problem, lambda: &[f64], counts: [usize; 2], placeable: [usize; 2]) -> Evaluation {
    let n = p.items();
    let mut best = vec![(f64::INFINITY, NONE); n];
    for (i, slot) in best.iter_mut().enumerate() {
        let w = p.w(i);
        for (j, c) in p.options(i) {
            let rc = c + lambda.get(j).copied().unwrap_or(0.0) * w;
            if rc < slot.0 {
                *slot = (rc, j as u32);
            }
        }
    }
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
            let room = counts.get(t).copied().unwrap_or(0).saturating_sub(below.get(t).copied().unwrap_or(0));
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
    // Rounding margin: a sum of n terms errs by at most about n·ε·Σ|terms|; 1e-9 covers 10⁷ terms.
    value -= 1e-9 * magnitude;
    Evaluation { value, gradient, mu }
}

/// Best bound found from `lambda` for plans placing at least `counts` per tier, with its prices.
fn ascend(
    p: &Problem,
    rev: &Reverse,
    lambda: &mut Vec<f64>,
    counts: [usize; 2],
    placeable: [usize; 2],
    target: f64,
    budget: &Budget,
) -> (f64, Vec<f64>) {
    let arcs = p.park.len().max(1) as u64;
    let iterations = budget.dual_iterations.min((budget.arc_work / arcs).max(20) as usize);
    // A coordinate pass looks at every option of every option's factory: about k times more.
    let per_pass = arcs.saturating_mul((arcs / p.items().max(1) as u64).max(1));
    let passes = budget.coordinate_passes.min((budget.arc_work / per_pass.max(1)) as usize);
    let mut best_value = f64::NEG_INFINITY;
    let mut best_lambda = lambda.clone();
    let close_enough = |v: f64| target - v <= 1e-6 * target.abs().max(1e-9);
    // Projected subgradient with Polyak steps towards the plan's cost.
    let mut theta = 1.0;
    let mut stall = 0;
    for _ in 0..iterations {
        let e = evaluate(p, lambda, counts, placeable);
        if e.value > best_value {
            best_value = e.value;
            best_lambda.clone_from(lambda);
            stall = 0;
        } else {
            stall += 1;
            if stall >= 10 {
                theta /= 2.0;
                stall = 0;
            }
        }
        if close_enough(best_value) || theta < 1e-4 {
            break;
        }
        let norm: f64 = e
            .gradient
            .iter()
            .zip(lambda.iter())
            .map(|(g, l)| if *l <= 0.0 && *g < 0.0 { 0.0 } else { g * g })
            .sum();
        if norm <= 0.0 {
            break;
        }
        let step = theta * (target - e.value).max(1e-9 * target.abs().max(1.0)) / norm;
        for (l, g) in lambda.iter_mut().zip(&e.gradient) {
            *l = (*l + step * g).max(0.0);
        }
    }
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
            let new = coordinate_price(p, rev, lambda, &e.mu, j);
            if let (Some(l), Some(new)) = (lambda.get_mut(j), new) {
                if (*l - new).abs() > 1e-12 * (1.0 + l.abs()) {
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
fn coordinate_price(p: &Problem, rev: &Reverse, lambda: &[f64], mu: &[f64; 2], j: usize) -> Option<f64> {
    let mut points: Vec<(f64, f64)> = Vec::new();
    for (i, cij) in rev.of(j) {
        let w = p.w(i);
        let mut b = mu.get(p.tier_of(i).index()).copied().unwrap_or(f64::INFINITY);
        for (m, c) in p.options(i) {
            if m != j {
                b = b.min(c + lambda.get(m).copied().unwrap_or(0.0) * w);
            }
        }
        let beta = (b - cij) / w;
        if beta > 0.0 {
            points.push((beta, w));
        }
    }
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

/// The bound for plans placing exactly the items `best` places: the same Lagrangian on the
/// sub-problem of those items, every one of which must be placed.
fn fixed_set_bound(p: &Problem, best: &State, prices: &[f64], target: f64, budget: &Budget) -> f64 {
    let mut sub = Problem::new(p.capacity_ha.clone());
    for i in (0..p.items()).filter(|&i| best.at(i).is_some()) {
        sub.push(p.w(i), p.tier_of(i), p.rank_of(i), p.options(i));
    }
    let rev = Reverse::new(&sub);
    let all = placeable_per_tier(&sub);
    let mut lambda = prices.to_vec();
    ascend(&sub, &rev, &mut lambda, all, all, target, budget).0
}

// ---------------------------------------------------------------------------------------------
// Priority proof.

/// A lower bound on Σ_t penalty_t × (unplaced items of tier t) over all plans (LP relaxation,
/// Lagrangian form, subgradient ascent towards `target`).
fn unplaced_bound(p: &Problem, penalty: [f64; 2], target: f64, iterations: usize) -> f64 {
    let mut lambda = vec![0.0; p.parks()];
    let mut best = f64::NEG_INFINITY;
    let mut theta = 1.0;
    let mut stall = 0;
    for _ in 0..iterations {
        let mut value = 0.0;
        let mut gradient: Vec<f64> = p.capacity_ha.iter().map(|c| -c).collect();
        // Items without options are out of every plan and not counted in the target.
        for i in (0..p.items()).filter(|&i| p.placeable(i)) {
            let pen = penalty.get(p.tier_of(i).index()).copied().unwrap_or(0.0);
            let w = p.w(i);
            let mut r = (pen, NONE);
            for (j, _) in p.options(i) {
                let v = lambda.get(j).copied().unwrap_or(0.0) * w;
                if v < r.0 {
                    r = (v, j as u32);
                }
            }
            value += r.0;
            if let Some(g) = gradient.get_mut(r.1 as usize) {
                *g += w;
            }
        }
        let priced: f64 = lambda.iter().zip(&p.capacity_ha).map(|(l, c)| l * c).sum();
        value -= priced;
        value -= 1e-9 * (value.abs() + 2.0 * priced);
        if value > best {
            best = value;
            stall = 0;
        } else {
            stall += 1;
            if stall >= 10 {
                theta /= 2.0;
                stall = 0;
            }
        }
        if best > target - 1.0 + 1e-6 || theta < 1e-5 {
            break;
        }
        let norm: f64 = gradient
            .iter()
            .zip(&lambda)
            .map(|(g, l)| if *l <= 0.0 && *g < 0.0 { 0.0 } else { g * g })
            .sum();
        if norm <= 0.0 {
            break;
        }
        let step = theta * (target - value).max(1e-6) / norm;
        for (l, g) in lambda.iter_mut().zip(&gradient) {
            *l = (*l + step * g).max(0.0);
        }
    }
    best
}

fn priority_proven(p: &Problem, placed: [usize; 2], placeable: [usize; 2], iterations: usize) -> bool {
    let short = [placeable[0] - placed[0].min(placeable[0]), placeable[1] - placed[1].min(placeable[1])];
    if short == [0, 0] {
        return true;
    }
    let tier1 = short[0] == 0
        || (unplaced_bound(p, [1.0, 0.0], short[0] as f64, iterations) - 1e-6).ceil() >= short[0] as f64;
    if !tier1 {
        return false;
    }
    if short[1] == 0 {
        return true;
    }
    // One must_relocate factory outweighs every encouraged one.
    let big = placeable[1] as f64 + 1.0;
    let target = big * short[0] as f64 + short[1] as f64;
    let bound = unplaced_bound(p, [big, 1.0], target, iterations);
    (bound - big * short[0] as f64 - 1e-6).ceil() >= short[1] as f64
}

// ---------------------------------------------------------------------------------------------
// Exact branch and bound.

struct Exact<'p> {
    p: &'p Problem,
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
        w <= self.p.cap(j) - self.load.get(j).copied().unwrap_or(f64::INFINITY) + CAPACITY_TOLERANCE_HA
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
fn exact(p: &Problem, incumbent: &State, max_nodes: u64) -> Option<Vec<Option<usize>>> {
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

// ---------------------------------------------------------------------------------------------
// Entry point.

/// Solves the problem: the best plan found (optimal when `exact`), its proven bound and gap.
pub fn solve(p: &Problem, budget: &Budget) -> Solution {
    let placeable = placeable_per_tier(p);
    let zero = vec![0.0; p.parks()];
    let rev = Reverse::new(p);

    let mut best = construct(p, &zero, Order::Regret, budget);
    improve(&mut best, budget);
    if best.placed() != placeable {
        let mut small = construct(p, &zero, Order::SmallFirst, budget);
        improve(&mut small, budget);
        if small.score().better_than(&best.score()) {
            best = small;
        }
    }

    let mut lambda = zero.clone();
    let mut bound = f64::NEG_INFINITY;
    let mut prices = zero.clone();
    // On very large problems one round: the price-guided rebuild is the costliest step and
    // gains little once thousands of factories share each park.
    let rounds = if p.park.len() > 5_000_000 { 1 } else { budget.rounds.max(1) };
    for round in 0..rounds {
        let score = best.score();
        let counts = best.placed();
        let (value, at) = ascend(p, &rev, &mut lambda, counts, placeable, score.cost, budget);
        bound = value;
        prices = at;
        if score.cost - bound <= 1e-6 * score.cost.abs().max(1e-9) || round + 1 == rounds {
            break;
        }
        // Lagrangian heuristic: greedy on reduced costs, then local search on true costs.
        let mut trial = construct(p, &prices, Order::Regret, budget);
        improve(&mut trial, budget);
        let trial_score = trial.score();
        if trial_score.better_than(&score) {
            let counts_changed = trial.placed() != counts;
            best = trial;
            if counts_changed {
                lambda.clone_from(&zero);
            }
        }
    }

    let mut exact_done = false;
    let placeable_items = placeable[0] + placeable[1];
    if placeable_items <= budget.exact_max_items {
        if let Some(choice) = exact(p, &best, budget.exact_max_nodes) {
            let mut s = State::new(p);
            for (i, j) in choice.iter().enumerate() {
                if let Some(j) = j {
                    s.place(i, *j);
                }
            }
            best = s;
            exact_done = true;
        }
    }

    let placed = best.placed();
    let objective = best.cost();
    let mut same_set = fixed_set_bound(p, &best, &prices, objective, budget);
    if exact_done {
        // Exhaustive search proved no plan is better: the optimum bounds itself.
        bound = objective;
        same_set = objective;
    }
    let lower_bound = same_set.max(0.0).min(objective);
    let lower_bound_same_counts = bound.max(0.0).min(lower_bound);
    let gap = if objective > 0.0 { (objective - lower_bound) / objective } else { 0.0 };
    let iterations = budget.dual_iterations.min((budget.arc_work / p.park.len().max(1) as u64).max(20) as usize);
    let proven = exact_done || priority_proven(p, placed, placeable, iterations);
    Solution {
        park_of: (0..p.items()).map(|i| best.at(i)).collect(),
        objective,
        lower_bound,
        lower_bound_same_counts,
        gap,
        placed,
        placeable,
        priority_proven: proven,
        exact: exact_done,
        prices,
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    type Spec<'a> = (f64, Tier, &'a [(usize, f64)]);

    fn problem(caps: &[f64], items: &[Spec]) -> Problem {
        let mut p = Problem::new(caps.to_vec());
        for (r, (w, t, o)) in items.iter().enumerate() {
            p.push(*w, *t, r as u32, o.iter().copied());
        }
        p
    }

    #[test]
    fn park_at_capacity_rejects_next_factory() {
        let p = problem(&[2.0], &[(1.5, Tier::Must, &[(0, 1.0)]), (1.0, Tier::Must, &[(0, 1.0)])]);
        let s = solve(&p, &Budget::default());
        assert_eq!(s.placed, [1, 0]);
        assert!(s.exact);
    }

    #[test]
    fn must_relocate_factory_displaces_a_cheaper_encouraged_one() {
        let p = problem(
            &[1.0],
            &[(1.0, Tier::Encouraged, &[(0, 0.0)]), (1.0, Tier::Must, &[(0, 50.0)])],
        );
        let s = solve(&p, &Budget::default());
        assert_eq!(s.park_of, vec![None, Some(0)]);
        assert_eq!(s.objective, 50.0);
    }

    #[test]
    fn two_small_factories_beat_one_large_one() {
        let p = problem(
            &[2.0],
            &[(2.0, Tier::Must, &[(0, 0.0)]), (1.0, Tier::Must, &[(0, 9.0)]), (1.0, Tier::Must, &[(0, 9.0)])],
        );
        let s = solve(&p, &Budget::default());
        assert_eq!(s.placed, [2, 0]);
        assert_eq!(s.park_of[0], None);
    }

    #[test]
    fn bound_never_exceeds_objective_and_closes_when_capacity_is_loose() {
        let p = problem(
            &[10.0, 10.0],
            &[(1.0, Tier::Must, &[(0, 3.0), (1, 5.0)]), (2.0, Tier::Encouraged, &[(1, 1.0), (0, 4.0)])],
        );
        let s = solve(&p, &Budget { exact_max_items: 0, ..Budget::default() });
        assert_eq!(s.objective, 4.0);
        assert!(s.lower_bound <= s.objective);
        assert!(s.gap < 1e-6, "{s:?}");
    }

    #[test]
    fn prices_make_the_bound_tight_when_a_cheap_park_is_contested() {
        // Both want park 0 (room for one); the second-best costs differ, so the one with the
        // larger regret should get it: optimum = 1 + 5 = 6.
        let p = problem(
            &[1.0, 5.0],
            &[(1.0, Tier::Must, &[(0, 1.0), (1, 10.0)]), (1.0, Tier::Must, &[(0, 1.0), (1, 5.0)])],
        );
        let s = solve(&p, &Budget { exact_max_items: 0, ..Budget::default() });
        assert_eq!(s.objective, 6.0);
        assert!((s.lower_bound - 6.0).abs() < 1e-6, "{s:?}");
    }
}
