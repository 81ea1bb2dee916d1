//! Allocation: each relocating factory whole to one park, under land capacity, at least cost.
//!
//! 1. Priority: every `must_relocate` factory that can be placed is placed before any
//!    `encouraged` one.
//! 2. Then total cost is minimised; the solver reports `objective`, a proven `lower_bound`
//!    and the relative `gap`.
//! 3. Each move gets a `move_year`; each factory left out gets a reason, and shortages are
//!    summarised per sector, hazard class and deadline year.

use serde::Serialize;

use crate::candidates::Candidates;
use crate::criteria::Assessment;
use crate::model::Inputs;
use crate::scenario::Settings;

/// One relocating factory's outcome.
#[derive(Clone, Debug, Serialize)]
pub struct Assignment {
    /// Index into `Inputs::factories`.
    pub factory: usize,
    /// Index into `Inputs::parks`, or `None` when unassigned.
    pub park: Option<usize>,
    pub distance_km: Option<f64>,
    pub cost: Option<f64>,
    pub move_year: Option<i32>,
    /// Why the factory has no park, in the run's language; empty when assigned.
    pub unassigned_reason: String,
}

/// Hectares missing for one group of unplaced factories.
#[derive(Clone, Debug, Serialize)]
pub struct Shortfall {
    pub sector: String,
    pub hazard_class: Option<String>,
    pub deadline_year: i32,
    pub factories: usize,
    pub land_ha: f64,
}

/// The allocation stage's output.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Allocation {
    /// One per relocating factory, in factory order.
    pub assignments: Vec<Assignment>,
    /// Land allocated per park, ha, indexed like `Inputs::parks`.
    pub allocated_ha: Vec<f64>,
    /// Total cost of the plan.
    pub objective: f64,
    /// A proven lower bound on the least total cost for the same set of placed factories.
    pub lower_bound: f64,
    /// (objective − lower_bound) / objective, 0 when both are 0.
    pub gap: f64,
    pub shortfalls: Vec<Shortfall>,
}

/// Allocates relocating factories to parks. (Stage entry point.)
pub fn allocate(
    _inputs: &Inputs,
    _assessment: &Assessment,
    _candidates: &Candidates,
    _settings: &Settings,
) -> Allocation {
    Allocation::default()
}
