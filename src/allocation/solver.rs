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
//!   factories from the integer optimum; on small problems taken at the prices of the exact
//!   LP, below), and `lower_bound_same_counts` lets the relaxation pick any factories as long
//!   as the counts per tier are reached. When land is short the plan
//!   packs parks to place the most factories and the second bound can be far below the first:
//!   the LP may then place cheaper factories fractionally.
//! * **Plan**: a regret greedy (Martello–Toth) over costs, tier by tier, each tier followed by a
//!   repair that places the factories left out smallest first, directly or by ejection chains
//!   (placed factories moved on, breadth first over parks, or several moved out at once into
//!   parks with room) and by trades (one placed factory out, two or more of the same tier in).
//!   When must_relocate factories are still left out, a second plan is built led by rule 1:
//!   smallest first with the same repair, each factory sent where land is worth least under
//!   the prices of the LP "place as many as possible" (smallest first with augmenting paths
//!   is what solves that LP exactly). The plan with more factories placed per tier is kept.
//! * **LP rounding** on small problems (items × parks² within `Budget::lp_work`: the
//!   2,900-factory cases, not the 100,000 ones): the LP relaxation of "place the plan's
//!   must_relocate factories, and as many encouraged ones as possible" is solved exactly (a
//!   transportation problem in hectares, by successive shortest paths over the parks) and
//!   rounded — largest factory first, each to the park holding most of its land in the LP
//!   when it fits, else where its reduced cost at the LP's prices is least; the chain repair
//!   places what did not fit — then polished by the local search below. This is repeated from
//!   the winner while its must_relocate set changes (the LP depends on nothing else).
//! * **Two-park exchanges**: when land is short every park ends up full, where shifts and
//!   swaps are stuck. An exchange trades any set of one park's factories for any set of
//!   another's (a knapsack over the net land moved, exact on hectares). On small problems they
//!   alternate with the local search until neither gains; on the land-short 2,900-factory
//!   benchmark this brings the plan to about 0.1 % above the LP bound of its own set of
//!   factories. On large ones, one sweep after the local search, within `member_work`
//!   (most pairs of parks share few factories, so each table is small).
//! * **Local search**: then, while the gap is above `Budget::target_gap`: a Lagrangian
//!   rebuild (greedy on reduced costs c + λ·w, which sees the capacity that the plain greedy
//!   runs into; left out when land is short, where it never won) and local search keeping the
//!   tier counts (shift, swap, replace an unplaced factory of the same tier, then two-park
//!   exchanges), each followed by a new bound; the best plan (rules 1–3) is kept.
//! * **Parallel, deterministic**: the cost-led and smallest-first plans are built side by
//!   side (and the rule-1 plan as soon as the cost-led must_relocate tier shows land is short),
//!   the per-factory step of every dual evaluation and each park's coordinate step run in
//!   parallel chunks with results taken in factory order, and the final bound and priority
//!   proof run side by side: the result is the same on any number of cores.
//! * **Exact** on small instances: depth-first branch and bound on the lexicographic objective,
//!   seeded with the heuristic plan, bounded by "every factory still placeable goes to its
//!   cheapest option that still fits"; within a node budget. When it completes, the plan is
//!   optimal and the bound equals the objective.
//! * **Priority proof** on large instances: when some factories of a tier are left out, an LP
//!   bound on the number of factories that must stay out (same Lagrangian, a unit penalty per
//!   factory, no cost) is computed — for must_relocate factories it is the one the rule-1
//!   plan's prices came with; `priority_proven` says whether it matches the plan.
//!
//! Min-cost flow on the LP gives the same bound exactly but costs O(n) shortest paths over the
//! parks (O(n·m²) with m parks), so it is used only where that is small; the Lagrangian dual
//! has one variable per park whatever the number of factories, which is what lets a million
//! factories be planned in seconds.
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
pub struct AssignmentProblem {
    pub capacity_ha: Vec<f64>,
    land_ha: Vec<f64>,
    tier: Vec<Tier>,
    rank: Vec<u32>,
    start: Vec<usize>,
    park: Vec<u32>,
    cost: Vec<f64>,
}

impl AssignmentProblem {
    pub fn new(capacity_ha: Vec<f64>) -> AssignmentProblem {
        AssignmentProblem { capacity_ha, start: vec![0], ..AssignmentProblem::default() }
    }

    /// Adds an item; `rank` breaks ties (lower first: the factory's position in id order);
    /// options are (park index, cost ≥ 0). Options naming an unknown park are ignored.
    pub fn push(
        &mut self,
        land_ha: f64,
        tier: Tier,
        rank: u32,
        options: impl IntoIterator<Item = (usize, f64)>,
    ) {
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
    /// Relative gap at which the search stops improving the plan.
    pub target_gap: f64,
    /// Arc visits allowed for the exact LP of a choice of factories (successive shortest paths
    /// over the parks, about items × parks² visits). Larger problems skip the LP rounding,
    /// and their bounds use the Lagrangian prices found by dual ascent.
    pub lp_work: u64,
}

impl Budget {
    /// Subgradient iterations for one dual ascent on `p`: `wanted` at most, and no more than
    /// `arc_work` option visits allow (one iteration visits every option), but at least 20.
    fn iterations(&self, p: &AssignmentProblem, wanted: usize) -> usize {
        let arcs = p.park.len().max(1) as u64;
        wanted.min((self.arc_work / arcs).max(20) as usize)
    }
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
            arc_work: 60_000_000,
            target_gap: 5e-4,
            lp_work: 40_000_000,
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
    p: &'p AssignmentProblem,
    park_of: Vec<u32>,
    load: Vec<f64>,
    members: Vec<Vec<u32>>,
    pos: Vec<u32>,
}

impl<'p> State<'p> {
    fn new(p: &'p AssignmentProblem) -> Self {
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
        if let (Some(slot), Some(load), Some(list), Some(pos)) = (
            self.park_of.get_mut(i),
            self.load.get_mut(j),
            self.members.get_mut(j),
            self.pos.get_mut(i),
        ) {
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
        (0..self.p.items()).filter_map(|i| self.at(i).and_then(|j| self.p.cost(i, j))).sum()
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
    fn new(p: &AssignmentProblem, placed: [usize; 2], cost: f64) -> Score {
        let total = tier_totals(p);
        Score {
            unplaced: [total[0] - placed[0].min(total[0]), total[1] - placed[1].min(total[1])],
            cost,
        }
    }

    fn better_than(&self, other: &Score) -> bool {
        match self.unplaced.cmp(&other.unplaced) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => self.cost < other.cost - IMPROVE_EPS * (1.0 + other.cost.abs()),
        }
    }
}

fn tier_totals(p: &AssignmentProblem) -> [usize; 2] {
    let mut n = [0, 0];
    for i in 0..p.items() {
        if let Some(c) = n.get_mut(p.tier_of(i).index()) {
            *c += 1;
        }
    }
    n
}

fn placeable_per_tier(p: &AssignmentProblem) -> [usize; 2] {
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

fn construct<'p>(
    p: &'p AssignmentProblem,
    lambda: &[f64],
    order: Order,
    budget: &Budget,
) -> State<'p> {
    let mut s = State::new(p);
    for tier in [Tier::Must, Tier::Encouraged] {
        construct_tier(&mut s, lambda, order, tier, budget);
    }
    s
}

/// One tier of `construct`: the greedy, then the chain repair. Items of the other tier may be
/// moved but are never taken out, so the tier placed first keeps its count.
fn construct_tier(s: &mut State, lambda: &[f64], order: Order, tier: Tier, budget: &Budget) {
    greedy(s, lambda, order, tier);
    repair(s, tier, budget.member_work);
}

/// Places the items of `tier` one by one in `order`, each at its best fitting option under
/// reduced costs c + λ·w (keys are refreshed lazily as parks fill).
fn greedy(s: &mut State, lambda: &[f64], order: Order, tier: Tier) {
    let p = s.p;
    let mut heap = BinaryHeap::new();
    for i in (0..p.items()).filter(|&i| p.tier_of(i) == tier) {
        if let Some((_, b, second)) = best_two(s, lambda, i) {
            heap.push(Entry {
                key: key_of(s, order, i, b, second),
                land: p.w(i),
                rank: p.rank_of(i),
                item: i as u32,
            });
        }
    }
    while let Some(e) = heap.pop() {
        let i = e.item as usize;
        let Some((j, b, second)) = best_two(s, lambda, i) else { continue };
        let key = key_of(s, order, i, b, second);
        if key.total_cmp(&e.key) != Ordering::Equal {
            heap.push(Entry { key, ..e });
            continue;
        }
        s.place(i, j);
    }
}

/// A plan led by rule 1 when land is short: must_relocate factories in order of the land value
/// `worth` (per hectare and park, from the LP of "place as many as possible") they would use,
/// least first, each into the fitting park where its land is worth least (then cheapest); the
/// chain repair; then encouraged factories by the regret greedy on costs.
fn construct_scarce<'p>(p: &'p AssignmentProblem, worth: &[f64], budget: &Budget) -> State<'p> {
    let mut s = State::new(p);
    repair_with(&mut s, Tier::Must, budget.member_work, Some(worth));
    let zero = vec![0.0; p.parks()];
    greedy(&mut s, &zero, Order::Regret, Tier::Encouraged);
    repair(&mut s, Tier::Encouraged, budget.member_work);
    s
}

/// Moves per ejection chain at most (the unplaced factory entering, then each one shifted on).
const CHAIN_DEPTH: usize = 4;

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
fn repair(s: &mut State, tier: Tier, work: u64) {
    repair_with(s, tier, work, None);
}

/// `repair`, with direct insertions into the fitting park where the land is worth least by
/// `worth` (then cheapest) when given.
fn repair_with(s: &mut State, tier: Tier, work: u64, worth: Option<&[f64]>) {
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
            if taken.len() < 2 {
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
        self.seen.get(j).is_some_and(|&x| x == self.stamp)
    }

    fn mark(&mut self, j: usize) {
        if let Some(x) = self.seen.get_mut(j) {
            *x = self.stamp;
        }
    }

    fn alive(&self, j: usize, need: f64) -> bool {
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

// ---------------------------------------------------------------------------------------------
// Local search keeping the tier counts.

/// Which local-search neighbourhoods to run.
#[derive(Clone, Copy, PartialEq)]
enum Moves {
    /// Place what fits, shift to a cheaper park with room: linear in the options per pass.
    Cheap,
    /// Also replace (an unplaced factory of the same tier takes a placed one's place) and swap,
    /// which scan park members.
    All,
}

fn improve(s: &mut State, budget: &Budget, moves: Moves) {
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

/// Land step of the two-park exchange's table, ha (100 m²).
const PAIR_UNIT_HA: f64 = 0.01;
/// Cells of the two-park exchange's table at most (net land moved, in steps).
const PAIR_CELLS: usize = 2001;

/// Two-park exchanges: for a pair of parks a and b, any set of a's factories that may go to
/// b trades places with any set of b's factories that may go to a, as long as both parks
/// stay within capacity — the best such trade, found by a knapsack over the net land moved
/// (in steps of `PAIR_UNIT_HA`; each cell keeps the exact hectares of its trade, so the
/// capacity check is exact). When every park is full this is what lowers the cost: a large
/// factory for two small ones, three for two, and so on. Pairs with a park in `changed` are
/// swept, then those with a park that a trade changed, until no trade gains. True when the
/// cost went down; `work` caps the table cells filled.
fn pair_exchange(s: &mut State, work: u64, mut changed: Vec<bool>) -> bool {
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
        let steps_of = |ha: f64| (ha.max(0.0) / PAIR_UNIT_HA).floor() as i64 + 2;
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
                if cand < *c - 1e-12 {
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

// ---------------------------------------------------------------------------------------------
// Lagrangian bound.

/// Items per park with their cost, for the coordinate steps.
struct OptionsByPark {
    start: Vec<usize>,
    item: Vec<u32>,
    cost: Vec<f64>,
}

impl OptionsByPark {
    fn new(p: &AssignmentProblem) -> OptionsByPark {
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
        OptionsByPark { start: count, item, cost }
    }

    /// What `f` keeps of park `j`'s (item, cost) pairs, in order; in parallel chunks when the
    /// park has many (a coordinate pass over a million factories visits ten million options,
    /// park after park, so the parks themselves cannot share the work).
    fn keep_of<T: Send>(
        &self,
        j: usize,
        f: impl Fn(usize, f64) -> Option<T> + Sync + Send,
    ) -> Vec<T> {
        use rayon::prelude::*;
        const CHUNK: usize = 1 << 11;
        let a = self.start.get(j).copied().unwrap_or(0);
        let b = self.start.get(j + 1).copied().unwrap_or(a);
        let items = self.item.get(a..b).unwrap_or(&[]);
        let costs = self.cost.get(a..b).unwrap_or(&[]);
        if items.len() <= 2 * CHUNK {
            return items.iter().zip(costs).filter_map(|(i, c)| f(*i as usize, *c)).collect();
        }
        // rayon's collect keeps the order, so the result is the sequential one.
        items
            .par_iter()
            .zip(costs.par_iter())
            .with_min_len(CHUNK)
            .filter_map(|(i, c)| f(*i as usize, *c))
            .collect()
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

fn evaluate(
    p: &AssignmentProblem,
    lambda: &[f64],
    counts: [usize; 2],
    placeable: [usize; 2],
) -> Evaluation {
    let n = p.items();
    let best = per_item(n, |i| {
        let w = p.w(i);
        let mut slot = (f64::INFINITY, NONE);
        for (j, c) in p.options(i) {
            let rc = c + lambda.get(j).copied().unwrap_or(0.0) * w;
            if rc < slot.0 {
                slot = (rc, j as u32);
            }
        }
        slot
    });
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
            let room = counts
                .get(t)
                .copied()
                .unwrap_or(0)
                .saturating_sub(below.get(t).copied().unwrap_or(0));
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

/// `f(i)` for every item `0..n`, in parallel chunks; the result does not depend on the number
/// of threads (each slot is computed alone, sums over it are left to the caller, in order).
fn per_item<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    use rayon::prelude::*;
    const CHUNK: usize = 1 << 14;
    if n <= CHUNK {
        return (0..n).map(f).collect();
    }
    (0..n).into_par_iter().with_min_len(CHUNK).map(f).collect()
}

/// Projected subgradient ascent of a Lagrangian dual from `lambda` (prices ≥ 0), with Polyak
/// steps θ·max(target − value, `floor`)/‖g‖² that halve θ after 10 steps without a new best;
/// stops when `done(best)`, when θ falls below `min_theta` or after `iterations`. Returns the
/// best value and its prices; `lambda` is left at the last iterate.
fn subgradient(
    lambda: &mut [f64],
    iterations: usize,
    target: f64,
    min_theta: f64,
    floor: f64,
    done: impl Fn(f64) -> bool,
    evaluate: impl Fn(&[f64]) -> (f64, Vec<f64>),
) -> (f64, Vec<f64>) {
    let mut best = f64::NEG_INFINITY;
    let mut best_lambda = lambda.to_vec();
    let mut theta = 1.0;
    let mut stall = 0;
    for _ in 0..iterations {
        let (value, gradient) = evaluate(lambda);
        if value > best {
            best = value;
            best_lambda.copy_from_slice(lambda);
            stall = 0;
        } else {
            stall += 1;
            if stall >= 10 {
                theta /= 2.0;
                stall = 0;
            }
        }
        if done(best) || theta < min_theta {
            break;
        }
        let norm: f64 = gradient
            .iter()
            .zip(lambda.iter())
            .map(|(g, l)| if *l <= 0.0 && *g < 0.0 { 0.0 } else { g * g })
            .sum();
        if norm <= 0.0 {
            break;
        }
        let step = theta * (target - value).max(floor) / norm;
        for (l, g) in lambda.iter_mut().zip(&gradient) {
            *l = (*l + step * g).max(0.0);
        }
    }
    (best, best_lambda)
}

/// Best bound found from `lambda` for plans placing at least `counts` per tier, with its prices.
fn ascend(
    p: &AssignmentProblem,
    by_park: &OptionsByPark,
    lambda: &mut Vec<f64>,
    counts: [usize; 2],
    placeable: [usize; 2],
    target: f64,
    budget: &Budget,
) -> (f64, Vec<f64>) {
    let arcs = p.park.len().max(1) as u64;
    let iterations = budget.iterations(p, budget.dual_iterations);
    // A coordinate pass looks at every option of every option's factory: about k times more.
    let per_pass = arcs.saturating_mul((arcs / p.items().max(1) as u64).max(1));
    let passes = budget.coordinate_passes.min((budget.arc_work / per_pass.max(1)) as usize);
    let close_enough = |v: f64| target - v <= 1e-6 * target.abs().max(1e-9);
    // Projected subgradient with Polyak steps towards the plan's cost.
    let floor = 1e-9 * target.abs().max(1.0);
    let (mut best_value, mut best_lambda) =
        subgradient(lambda, iterations, target, 1e-4, floor, close_enough, |l| {
            let e = evaluate(p, l, counts, placeable);
            (e.value, e.gradient)
        });
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
            let new = coordinate_price(p, by_park, lambda, &e.mu, j);
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
fn coordinate_price(
    p: &AssignmentProblem,
    by_park: &OptionsByPark,
    lambda: &[f64],
    mu: &[f64; 2],
    j: usize,
) -> Option<f64> {
    let mut points = by_park.keep_of(j, |i, cij| {
        let w = p.w(i);
        let mut b = mu.get(p.tier_of(i).index()).copied().unwrap_or(f64::INFINITY);
        for (m, c) in p.options(i) {
            if m != j {
                b = b.min(c + lambda.get(m).copied().unwrap_or(0.0) * w);
            }
        }
        let beta = (b - cij) / w;
        (beta > 0.0).then_some((beta, w))
    });
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
/// sub-problem of those items, every one of which must be placed, at the LP's own prices when
/// the problem is small enough to solve the LP exactly, else from `prices` by dual ascent.
fn fixed_set_bound(
    p: &AssignmentProblem,
    best: &State,
    prices: &[f64],
    target: f64,
    budget: &Budget,
) -> f64 {
    let mut sub = AssignmentProblem::new(p.capacity_ha.clone());
    for i in (0..p.items()).filter(|&i| best.at(i).is_some()) {
        sub.push(p.w(i), p.tier_of(i), p.rank_of(i), p.options(i));
    }
    let all = placeable_per_tier(&sub);
    let required: Vec<(usize, f64)> = (0..sub.items()).map(|i| (i, f64::INFINITY)).collect();
    if let Some(lp) = transport_lp(&sub, &required, budget) {
        return evaluate(&sub, &lp.prices, all, all).value;
    }
    let by_park = OptionsByPark::new(&sub);
    let mut lambda = prices.to_vec();
    ascend(&sub, &by_park, &mut lambda, all, all, target, budget).0
}

// ---------------------------------------------------------------------------------------------
// Priority proof.

/// A lower bound on Σ_t penalty_t × (unplaced items of tier t) over all plans (LP relaxation,
/// Lagrangian form: projected subgradient ascent towards `target`, then exact coordinate
/// steps), with the prices per hectare and park that give it.
fn unplaced_bound(
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
        value -= 1e-9 * (value.abs() + 2.0 * priced);
        (value, gradient)
    };
    let done = |best: f64| best > target - 1.0 + 1e-6;
    let (mut best, mut best_lambda) =
        subgradient(&mut lambda, iterations, target, 1e-5, 1e-6, done, evaluate);
    // Coordinate steps: each park's price to the maximiser of its concave piece, the item's
    // penalty capping what its land can be worth.
    lambda.clone_from(&best_lambda);
    // A pass visits every option of every option's factory: cap passes like the iterations.
    let arcs = p.park.len().max(1);
    let per_pass = arcs.saturating_mul((arcs / p.items().max(1)).max(1));
    let passes = 30.min(iterations.saturating_mul(arcs) / per_pass.max(1));
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
                if (*l - new).abs() > 1e-12 * (1.0 + l.abs()) {
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

/// True when no plan places more must_relocate factories, nor (at as many) more encouraged
/// ones. `must_bound`: a lower bound on the must_relocate factories left out that is already
/// known (the scarce plan's prices came with one, from more iterations than `iterations`):
/// the bound holds for every plan, so it is not searched for again.
fn priority_proven(
    p: &AssignmentProblem,
    by_park: &OptionsByPark,
    placed: [usize; 2],
    placeable: [usize; 2],
    iterations: usize,
    must_bound: Option<f64>,
) -> bool {
    let short =
        [placeable[0] - placed[0].min(placeable[0]), placeable[1] - placed[1].min(placeable[1])];
    if short == [0, 0] {
        return true;
    }
    let tier1 = short[0] == 0 || {
        let bound = must_bound.unwrap_or_else(|| {
            unplaced_bound(p, by_park, [1.0, 0.0], short[0] as f64, iterations).0
        });
        (bound - 1e-6).ceil() >= short[0] as f64
    };
    if !tier1 {
        return false;
    }
    if short[1] == 0 {
        return true;
    }
    // One must_relocate factory outweighs every encouraged one.
    let big = placeable[1] as f64 + 1.0;
    let target = big * short[0] as f64 + short[1] as f64;
    let bound = unplaced_bound(p, by_park, [big, 1.0], target, iterations).0;
    (bound - big * short[0] as f64 - 1e-6).ceil() >= short[1] as f64
}

// ---------------------------------------------------------------------------------------------
// Exact branch and bound.

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

// ---------------------------------------------------------------------------------------------
// Exact LP of a choice of factories (small problems).

/// Flow below this many hectares counts as none (absorbs floating-point leftovers).
const FLOW_EPS: f64 = 1e-9;

/// LP-rounded plans tried in a row at most (each from the previous winner).
const LP_ROUNDS: usize = 3;

/// How much dearer than the polished LP plan the constructed plan may be (before its own
/// polish) and still be polished in turn, on problems of more than `POLISH_BOTH_ITEMS`.
const POLISH_MARGIN: f64 = 0.02;
const POLISH_BOTH_ITEMS: usize = 1_000;

/// A shift of one factory's land from one node to another, in a per-pair heap: cheapest per
/// hectare first, then lower item.
struct ArcEntry {
    cost_per_ha: f64,
    item: u32,
}

impl PartialEq for ArcEntry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for ArcEntry {}
impl PartialOrd for ArcEntry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for ArcEntry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: the max-heap pops the cheapest.
        other.cost_per_ha.total_cmp(&self.cost_per_ha).then(other.item.cmp(&self.item))
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
    /// Parks, then "out".
    nodes: usize,
    /// Penalty per factory for staying out; infinite when it must be placed.
    penalty: Vec<f64>,
    /// Hectares per (item, node) with flow.
    flow: Vec<Vec<(u32, f64)>>,
    load: Vec<f64>,
    /// `arcs[j * nodes + m]`: shifts of land from node j to node m.
    arcs: Vec<BinaryHeap<ArcEntry>>,
    /// Node potentials keeping every arc's reduced cost (cost + potential of its tail −
    /// potential of its head) from being negative, so that each way is found by Dijkstra's
    /// algorithm.
    potential: Vec<f64>,
    /// Heap visits, against `Budget::lp_work`.
    spent: u64,
}

/// A solved LP: hectares per item and node (the last node is "out"), and the optimal prices
/// per hectare and park.
struct LpSolution {
    flow: Vec<Vec<(u32, f64)>>,
    prices: Vec<f64>,
}

impl Transport<'_> {
    fn out(&self) -> usize {
        self.nodes - 1
    }

    fn room(&self, j: usize) -> f64 {
        let cap = if j == self.out() { f64::INFINITY } else { self.p.cap(j) };
        cap - self.load.get(j).copied().unwrap_or(0.0)
    }

    /// Destinations of item `i` with their cost per hectare.
    fn options(&self, i: usize) -> Vec<(usize, f64)> {
        let w = self.p.w(i);
        let mut o: Vec<(usize, f64)> = self.p.options(i).map(|(j, c)| (j, c / w)).collect();
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
            let per_ha = |m: usize| {
                if m == out {
                    pen / w
                } else {
                    p.cost(i, m).map_or(f64::INFINITY, |c| c / w)
                }
            };
            let here = per_ha(j);
            let others = p
                .options(i)
                .map(|(m, c)| (m, c / w))
                .chain(pen.is_finite().then_some((out, pen / w)));
            for (m, c) in others {
                if m != j {
                    if let Some(h) = self.arcs.get_mut(j * nodes + m) {
                        h.push(ArcEntry { cost_per_ha: c - here, item: i as u32 });
                    }
                }
            }
        }
    }

    /// The cheapest shift from node j to node m, dropping entries whose land has gone.
    fn arc(&mut self, j: usize, m: usize) -> Option<(f64, usize)> {
        let at = j * self.nodes + m;
        loop {
            self.spent += 1;
            let top = self.arcs.get(at)?.peek().map(|e| (e.cost_per_ha, e.item as usize))?;
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
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
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
            loop {
                let mut next: Option<(usize, f64)> = None;
                for (j, (&d, &done)) in dist.iter().zip(&settled).enumerate() {
                    if !done && d.is_finite() && next.map_or(true, |x| d < x.1) {
                        next = Some((j, d));
                    }
                }
                let Some((j, dj)) = next else { break };
                if let Some(x) = settled.get_mut(j) {
                    *x = true;
                }
                if self.spent > work {
                    return false;
                }
                let pj = self.potential.get(j).copied().unwrap_or(0.0);
                for m in 0..nodes {
                    if m == j || settled.get(m).copied().unwrap_or(true) {
                        continue;
                    }
                    let Some((c, k)) = self.arc(j, m) else { continue };
                    let d = dj + (c + pj - self.potential.get(m).copied().unwrap_or(0.0)).max(0.0);
                    if let (Some(dm), Some(pm)) = (dist.get_mut(m), pred.get_mut(m)) {
                        if d < *dm {
                            *dm = d;
                            *pm = (j as u32, k as u32);
                        }
                    }
                }
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
        let mut price: Vec<f64> =
            (0..nodes).map(|j| if self.room(j) > 1e-7 { 0.0 } else { f64::INFINITY }).collect();
        for _ in 0..nodes {
            let mut changed = false;
            for j in 0..nodes {
                for m in 0..nodes {
                    let pm = price.get(m).copied().unwrap_or(f64::INFINITY);
                    if m == j || !pm.is_finite() {
                        continue;
                    }
                    let Some((c, _)) = self.arc(j, m) else { continue };
                    if let Some(pj) = price.get_mut(j) {
                        if c + pm < *pj - 1e-12 * (1.0 + pj.abs().min((c + pm).abs())) {
                            *pj = c + pm;
                            changed = true;
                        }
                    }
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
fn lp_affordable(p: &AssignmentProblem, items: usize, budget: &Budget) -> bool {
    let nodes = (p.parks() + 1) as u64;
    (items as u64).saturating_mul(nodes * nodes) <= budget.lp_work
}

/// The exact LP relaxation of placing `items` — (item, penalty for leaving it out, infinite
/// when it must be placed) — when the problem is small enough for `Budget::lp_work`; `None`
/// when it is not, or when no fractional plan places every required item.
fn transport_lp(
    p: &AssignmentProblem,
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
        nodes,
        penalty,
        flow: vec![Vec::new(); p.items()],
        load: vec![0.0; nodes],
        arcs: (0..nodes * nodes).map(|_| BinaryHeap::new()).collect(),
        potential: vec![0.0; nodes],
        spent: 0,
    };
    let mut order: Vec<usize> =
        items.iter().map(|x| x.0).filter(|&i| p.w(i) > 0.0 && p.placeable(i)).collect();
    order.sort_by_key(|&i| p.rank_of(i));
    for i in order {
        if !t.route(i, budget.lp_work.saturating_mul(4)) {
            return None;
        }
    }
    let prices = t.prices();
    Some(LpSolution { flow: t.flow, prices })
}

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
    let penalty = 100.0 * dearest + 1.0;
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
fn lp_polish<'p>(p: &'p AssignmentProblem, best: &mut State<'p>, budget: &Budget) -> bool {
    let must_set = |s: &State| -> Vec<bool> {
        (0..p.items()).map(|i| p.tier_of(i) == Tier::Must && s.at(i).is_some()).collect()
    };
    let mut solved: Option<Vec<bool>> = None;
    let mut rounded: Option<State<'p>> = None;
    for _ in 0..LP_ROUNDS {
        let from = rounded.as_ref().unwrap_or(best);
        let set = must_set(from);
        if solved.as_ref() == Some(&set) {
            break;
        }
        let Some(mut trial) = lp_plan(p, from, budget) else { break };
        solved = Some(set);
        improve(&mut trial, budget, Moves::Cheap);
        improve(&mut trial, budget, Moves::All);
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

/// Two-park exchanges and the local search in turn while they gain (after the first sweep,
/// only pairs with a park the local search touched).
fn polish_pairs(s: &mut State, budget: &Budget) {
    let parks = s.p.parks();
    let mut changed = vec![true; parks];
    for _ in 0..budget.search_passes {
        if !pair_exchange(s, budget.member_work, changed) {
            break;
        }
        let before = s.park_of.clone();
        improve(s, budget, Moves::All);
        changed = vec![false; parks];
        for (i, &was) in before.iter().enumerate() {
            let now = s.park_of.get(i).copied().unwrap_or(NONE);
            if now != was {
                for j in [was, now].into_iter().filter(|&j| j != NONE) {
                    if let Some(x) = changed.get_mut(j as usize) {
                        *x = true;
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Entry point.

/// Solves the problem: the best plan found (optimal when `exact`), its proven bound and gap.
pub fn solve(p: &AssignmentProblem, budget: &Budget) -> Solution {
    let placeable = placeable_per_tier(p);
    let zero = vec![0.0; p.parks()];
    let by_park = OptionsByPark::new(p);

    // Rule 1 first: when the cost-led greedy leaves factories out, the smallest-first one
    // (with the same chain repair) usually places more, and the plan led by the prices of "place
    // as many as possible" (`construct_scarce`) more still; keep whichever places most, tier by
    // tier. They are built side by side: the smallest-first plan beside the cost-led one, and
    // the bound and scarce plan as soon as the cost-led plan's must_relocate tier shows land is
    // short (its encouraged tier cannot change that count), while the other two finish; a
    // million factories would otherwise wait for them in turn.
    let iterations = budget.iterations(p, budget.dual_iterations);
    // The prices steer which parks the small factories take: worth more iterations.
    let longer = budget.iterations(p, 4 * budget.dual_iterations);
    let ((mut best, scarce), small) = rayon::join(
        || {
            let mut s = State::new(p);
            construct_tier(&mut s, &zero, Order::Regret, Tier::Must, budget);
            let short = placeable[0].saturating_sub(s.placed()[0]);
            if short == 0 {
                construct_tier(&mut s, &zero, Order::Regret, Tier::Encouraged, budget);
                return (s, None);
            }
            let ((), scarce) = rayon::join(
                || construct_tier(&mut s, &zero, Order::Regret, Tier::Encouraged, budget),
                || {
                    let (value, worth) =
                        unplaced_bound(p, &by_park, [1.0, 0.0], short as f64, longer);
                    (value, construct_scarce(p, &worth, budget))
                },
            );
            (s, Some(scarce))
        },
        || construct(p, &zero, Order::SmallFirst, budget),
    );
    // A lower bound on the must_relocate factories any plan leaves out, when land is short.
    let mut must_unplaced_bound = None;
    if let Some((value, scarce)) = scarce {
        must_unplaced_bound = Some(value);
        if scarce.score().unplaced < best.score().unplaced {
            best = scarce;
        }
    }
    if best.placed() != placeable {
        let (a, b) = (best.score(), small.score());
        if b.unplaced < a.unplaced {
            best = small;
        } else if b.unplaced == a.unplaced {
            let mut small = small;
            improve(&mut small, budget, Moves::Cheap);
            improve(&mut best, budget, Moves::Cheap);
            if small.score().better_than(&best.score()) {
                best = small;
            }
        }
    }
    improve(&mut best, budget, Moves::Cheap);

    // Small problems: rounded from the exact LP, then the two-park exchanges.
    let polished = lp_polish(p, &mut best, budget);

    let mut lambda = zero.clone();
    let mut bound;
    let mut prices;
    let close = |cost: f64, bound: f64| cost - bound <= budget.target_gap * cost.abs().max(1e-9);
    // Bound first; then, while the gap is above target, alternately a price-guided rebuild
    // and the costlier neighbourhoods on the best plan (the local search, then two-park
    // exchanges), each followed by a new bound. When land is short the rebuild is left out:
    // greedy on reduced costs places fewer factories than the count-first plan and never won
    // on the benchmark scenarios (2,900 to 1M factories), so one round of local search is all
    // that pays. On very large problems one step at most: a step gains little once thousands
    // of factories share each park. After the LP polish the local search is at a standstill
    // (a rebuild still gets the polish before it is compared).
    let land_short = best.placed() != placeable;
    let rounds = if land_short || p.park.len() > 5_000_000 { 1 } else { budget.rounds.max(1) };
    let mut round = 0;
    loop {
        let score = best.score();
        let counts = best.placed();
        let (value, at) = ascend(p, &by_park, &mut lambda, counts, placeable, score.cost, budget);
        bound = value;
        prices = at;
        if close(score.cost, bound) || round == rounds {
            break;
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
                best = trial;
            }
        } else if !polished {
            improve(&mut best, budget, Moves::All);
            // One sweep: cheap where parks are many (each pair's table is small), 0.3 % off
            // the cost on 100,000 factories in a twentieth of a second.
            pair_exchange(&mut best, budget.member_work, vec![true; p.parks()]);
        }
        round += 1;
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
    // The bound for the plan's own set of factories and the priority proof are independent
    // computations: side by side.
    let (mut same_set, proven) = rayon::join(
        || {
            // When every placeable factory is placed the two bounds are the same problem: the
            // exact LP is worth solving only when it is small.
            if placed == placeable
                && !exact_done
                && !lp_affordable(p, placed[0] + placed[1], budget)
            {
                bound
            } else {
                let exact_lp = fixed_set_bound(p, &best, &prices, objective, budget);
                if placed == placeable {
                    exact_lp.max(bound)
                } else {
                    exact_lp
                }
            }
        },
        || {
            exact_done
                || priority_proven(p, &by_park, placed, placeable, iterations, must_unplaced_bound)
        },
    );
    if exact_done {
        // Exhaustive search proved no plan is better: the optimum bounds itself.
        bound = objective;
        same_set = objective;
    }
    let lower_bound = same_set.max(0.0).min(objective);
    let lower_bound_same_counts = bound.max(0.0).min(lower_bound);
    let gap = if objective > 0.0 { (objective - lower_bound) / objective } else { 0.0 };
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

    fn problem(caps: &[f64], items: &[Spec]) -> AssignmentProblem {
        let mut p = AssignmentProblem::new(caps.to_vec());
        for (r, (w, t, o)) in items.iter().enumerate() {
            p.push(*w, *t, r as u32, o.iter().copied());
        }
        p
    }

    fn state_with<'p>(p: &'p AssignmentProblem, placed: &[(usize, usize)]) -> State<'p> {
        let mut s = State::new(p);
        for &(i, j) in placed {
            s.place(i, j);
        }
        s
    }

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
            &[
                (2.0, Tier::Must, &[(0, 0.0)]),
                (1.0, Tier::Must, &[(0, 9.0)]),
                (1.0, Tier::Must, &[(0, 9.0)]),
            ],
        );
        let s = solve(&p, &Budget::default());
        assert_eq!(s.placed, [2, 0]);
        assert_eq!(s.park_of[0], None);
    }

    #[test]
    fn bound_never_exceeds_objective_and_closes_when_capacity_is_loose() {
        let p = problem(
            &[10.0, 10.0],
            &[
                (1.0, Tier::Must, &[(0, 3.0), (1, 5.0)]),
                (2.0, Tier::Encouraged, &[(1, 1.0), (0, 4.0)]),
            ],
        );
        let s = solve(&p, &Budget { exact_max_items: 0, ..Budget::default() });
        assert_eq!(s.objective, 4.0);
        assert!(s.lower_bound <= s.objective);
        assert!(s.gap < 1e-6, "{s:?}");
    }

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
