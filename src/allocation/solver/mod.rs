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
//!   places what did not fit, and chain trades (below) win back the must_relocate factories
//!   the rounding lost to the LP's split ones — then polished by the local search below. This
//!   is repeated from the winner while its must_relocate set changes (the LP depends on
//!   nothing else).
//! * **Two-park exchanges**: when land is short every park ends up full, where shifts and
//!   swaps are stuck. An exchange trades any set of one park's factories for any set of
//!   another's (a knapsack over the net land moved, exact on hectares). On small problems they
//!   alternate with the local search until neither gains; on the land-short 2,900-factory
//!   benchmark this brings the plan to about 0.1 % above the LP bound of its own set of
//!   factories. On large ones, one sweep after the local search, within `member_work`
//!   (most pairs of parks share few factories, so each table is small).
//! * **Three-park chains** (land short only): a factory moves to a cheaper full park, one of
//!   that park's factories moves on to a third, which had room or sends one of its own into
//!   the room left in the first (a cycle). They run in sweeps between the two-park exchanges,
//!   within `CHAIN_WORK_FACTOR` × `member_work` over the whole polish per 20,000 factories
//!   (up to 200,000): on 20,000 factories the gap goes from 0.64 % to 0.07 %, on 100,000
//!   from 1.14 % to 0.82 %.
//! * **Chain trades** (must_relocate factories still out after the polish, up to
//!   `TRADE_ROUNDS` times): one placed must_relocate factory out of a full park, two waiting
//!   ones in, with room made by moving one or two of that park's factories on along ejection
//!   chains (encouraged factories may be evicted and re-placed after). The polished plan sits
//!   where the costs put it, which opens trades the first plans missed; each trade found is
//!   polished in turn. On the land-short 2,900-factory benchmark this places 2,402 of 2,403,
//!   which a MIP solver shows is the most any plan places.
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
//!   plan's prices came with. Where its work allows, the LP of "place as many must_relocate
//!   factories as possible" is solved exactly (the transportation problem with every cost 0
//!   and staying out priced 1 per factory); its prices steer the rule-1 plan, plans are
//!   rounded from it (the rest placed where its prices say land is worth least, or by cost:
//!   neither places most everywhere), and they bound the count best. Each bound is taken
//!   apart into groups of priced parks sharing no factory, each group's count rounded down on
//!   its own (`priority::count_bound`), which takes off up to one split factory per group. The
//!   result is `placed_bound`, the most any plan places per tier; `priority_proven` says
//!   whether it matches the plan.
//! * **Time limit** (`Budget::deadline`, `--time-limit`): the improving phases stop once it
//!   has passed and the plan found so far is bounded as usual; the only limit that is a
//!   clock, so only runs that reach it can differ between machines.
//!
//! Min-cost flow on the LP gives the same bound exactly but costs O(n) shortest paths over the
//! parks (O(n·m²) with m parks), so it is used only where that is small; the Lagrangian dual
//! has one variable per park whatever the number of factories, which is what lets a million
//! factories be planned in seconds.
//!
//! Determinism: no randomness, and no clock unless `--time-limit` is given; budgets are counts of
//! iterations and nodes, every ordering ends with the factory's rank in id order.
//!
//! # Parts
//! `solve` (below) is the list of the phases; each part has its own file:
//! * `state.rs`: a plan (park per factory, land and members per park) and its score by rules
//!   1–3.
//! * `construct.rs`: the first plans — regret greedy, smallest first, and the rule-1 plan led
//!   by the prices of "place as many as possible" — and the phase that picks among them.
//! * `repair.rs`: factories left out placed by ejection chains, several moved out at once, and
//!   trades.
//! * `local_search.rs`: shift, swap, replace; and the rounds of bound, Lagrangian rebuild and
//!   search while the gap is above target.
//! * `exchange.rs`: two-park exchanges (the knapsack over the net land moved).
//! * `rounding.rs`: plans rounded from the exact LP, polished by the local search and the
//!   exchanges (small problems).
//! * `transport.rs`: the exact LP of a choice of factories, a transportation problem solved by
//!   successive shortest paths over the parks.
//! * `dual.rs`: the Lagrangian dual — evaluation at given prices, subgradient and coordinate
//!   ascent.
//! * `priority.rs`: the bound on the factories any plan leaves out, and the priority proof.
//! * `exact.rs`: branch and bound on small instances.
//! * `bound.rs`: the two bounds reported, and the solution put together.

mod bound;
mod construct;
mod dual;
mod exact;
mod exchange;
mod local_search;
mod priority;
mod repair;
mod rounding;
mod state;
#[cfg(test)]
mod tests;
mod transport;

use bound::Found;
use dual::OptionsByPark;
use state::placeable_per_tier;

/// Slack allowed when checking capacity, ha (0.1 cm²): absorbs floating-point sums only.
pub const CAPACITY_TOLERANCE_HA: f64 = 1e-9;

/// No park (an unplaced factory) or no item, in the `u32` index arrays (half the memory of
/// `usize` ones at a million factories).
const NONE: u32 = u32::MAX;

/// Least gain that counts as one, in cost units: absolute for a single move, relative (times
/// 1 + |cost|) for whole plans and trades. Smaller changes are floating-point noise, and taking
/// them could make a search cycle between equal plans.
const IMPROVE_EPS: f64 = 1e-9;

/// Smallest |cost| a relative gap is measured against (cost units), so that a plan costing 0 is
/// close to its bound only when the bound is 0 as well, instead of never.
const COST_SCALE_FLOOR: f64 = 1e-9;

/// Rounds of chain trades on the polished plan at most, each placing one more must_relocate
/// factory and followed by the polish.
const TRADE_ROUNDS: usize = 3;

/// One round of chain trades spends at most `member_work` / this many member visits. The
/// trade found on the land-short 2,900-factory benchmark came within the first 2 % of the
/// whole budget; a search that finds nothing spends all it is given (a quarter of a second at
/// the whole budget there).
const TRADE_WORK_SHARE: u64 = 8;

/// Subgradient iterations per dual ascent at least, however little `Budget::arc_work` allows,
/// so that the largest problems still get prices that bound something.
const MIN_DUAL_ITERATIONS: u64 = 20;

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

    // The accessors below fall back to an empty or neutral value on an index out of range, so a
    // release build never panics on one; that would be a solver bug, which debug builds catch.

    fn range(&self, i: usize) -> std::ops::Range<usize> {
        debug_assert!(i < self.items(), "item {i} of {}", self.items());
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
        debug_assert!(i < self.items(), "item {i} of {}", self.items());
        self.land_ha.get(i).copied().unwrap_or(0.0)
    }

    fn tier_of(&self, i: usize) -> Tier {
        debug_assert!(i < self.items(), "item {i} of {}", self.items());
        self.tier.get(i).copied().unwrap_or(Tier::Encouraged)
    }

    fn rank_of(&self, i: usize) -> u32 {
        debug_assert!(i < self.items(), "item {i} of {}", self.items());
        self.rank.get(i).copied().unwrap_or(u32::MAX)
    }

    fn cap(&self, j: usize) -> f64 {
        debug_assert!(j < self.parks(), "park {j} of {}", self.parks());
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
    /// `--time-limit`: past this instant the improving phases stop and the plan found so far
    /// is bounded and returned. The only limit that is not a count, so a run that reaches it
    /// may differ from machine to machine; `None` (the default) keeps runs identical.
    pub deadline: Option<std::time::Instant>,
}

impl Budget {
    /// Whether `deadline` has passed.
    pub fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| std::time::Instant::now() >= d)
    }

    /// Subgradient iterations for one dual ascent on `p`: `wanted` at most, and no more than
    /// `arc_work` option visits allow (one iteration visits every option), but at least
    /// `MIN_DUAL_ITERATIONS`.
    fn iterations(&self, p: &AssignmentProblem, wanted: usize) -> usize {
        let arcs = p.park.len().max(1) as u64;
        wanted.min((self.arc_work / arcs).max(MIN_DUAL_ITERATIONS) as usize)
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
            deadline: None,
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
    /// Upper bounds on the items per tier a plan can place: must_relocate over every plan,
    /// encouraged over every plan placing at least `placed[0]` must_relocate items.
    pub placed_bound: [usize; 2],
    /// Whether no plan places more must_relocate, or as many of those and more encouraged
    /// (`placed_bound == placed`).
    pub priority_proven: bool,
    /// Whether branch and bound proved the plan optimal.
    pub exact: bool,
    /// Whether `Budget::deadline` passed before the improving phases were done: the plan is
    /// the best found by then, with its own proven bounds.
    pub time_limit_reached: bool,
    /// The prices per hectare (Lagrange multipliers) behind the bound, per park.
    pub prices: Vec<f64>,
}

/// Solves the problem: the best plan found (optimal when `exact`), its proven bound and gap.
pub fn solve(p: &AssignmentProblem, budget: &Budget) -> Solution {
    let placeable = placeable_per_tier(p);
    let by_park = OptionsByPark::new(p);
    // Rule 1 first: the cost-led, smallest-first and (land short) rule-1 plans, the best kept.
    let first = construct::first_plan(p, &by_park, placeable, budget);
    let mut best = first.plan;
    // Small problems: rounded from the exact LP, then the two-park exchanges.
    let polished = rounding::lp_polish(p, &mut best, budget);
    // The bound; while the gap is above target, a Lagrangian rebuild or the local search.
    let mut priced = local_search::refine(p, &by_park, &mut best, placeable, polished, budget);
    // Land short: trades placing one more must_relocate factory, found on the polished plan
    // (its factories sit where the costs put them, which opens trades the first plans did not
    // have); each one found is polished in turn.
    for _ in 0..TRADE_ROUNDS {
        if best.placed()[0] == placeable[0]
            || budget.expired()
            || !repair::more_must_by_chain_trades(&mut best, budget.member_work / TRADE_WORK_SHARE)
        {
            break;
        }
        priced = local_search::refine(p, &by_park, &mut best, placeable, false, budget);
    }
    // Small instances: proven optimal by branch and bound, within the node budget.
    let exact = exact::prove_optimal(p, &mut best, placeable, budget);
    // The bound of the plan's own set of factories and the priority proof.
    let found = Found {
        placeable,
        priced,
        exact,
        must_unplaced_bound: first.must_unplaced_bound,
        must_lp: first.must_lp,
    };
    // Whether the improving phases were cut short (the bounds below are computed all the same).
    let time_limit_reached = budget.expired();
    Solution { time_limit_reached, ..bound::conclude(p, &by_park, &best, found, budget) }
}
