//! Allocation: each relocating factory whole to one park, under land capacity, at least cost.
//!
//! 1. Priority: every `must_relocate` factory that can be placed is placed before any
//!    `encouraged` one (see `solver` for what "can be placed" means and how it is proven).
//! 2. Then total cost is minimised; the solver reports `objective`, a proven `lower_bound`
//!    and the relative `gap`.
//! 3. Each move gets a `move_year` (see `phasing`); each factory left out gets a reason in
//!    planning terms, and shortages are summarised per sector, hazard class and deadline year.

pub mod phasing;
pub mod solver;
#[doc(hidden)]
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::candidates::{Candidates, Exclusion, FactoryCandidates};
use crate::criteria::{Assessment, Verdict};
use crate::model::Lang;
use crate::model::{HazardClass, Inputs};
use crate::scenario::Settings;

use solver::{AssignmentProblem, Budget, Tier};

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
    /// A proven lower bound on the least total cost for the same set of placed factories
    /// (each sent to any of its eligible parks, capacities respected).
    pub lower_bound: f64,
    /// (objective − lower_bound) / objective, 0 when both are 0.
    pub gap: f64,
    /// A proven lower bound on the cost of any plan placing at least as many must_relocate and
    /// at least as many encouraged factories, whichever they are. Equal to `lower_bound` when
    /// every factory with an eligible park is placed; lower when land is short, because the
    /// LP relaxation behind it may then choose cheaper factories fractionally.
    pub lower_bound_same_counts: f64,
    pub shortfalls: Vec<Shortfall>,
    /// must_relocate factories placed / that have at least one eligible park.
    pub must_placed: usize,
    pub must_placeable: usize,
    /// encouraged factories placed / that have at least one eligible park.
    pub encouraged_placed: usize,
    pub encouraged_placeable: usize,
    /// At most this many must_relocate factories can be placed by any plan (proven); equal to
    /// `must_placed` when the count is proven.
    pub must_placed_bound: usize,
    /// At most this many encouraged factories can be placed by any plan that places at least
    /// `must_placed` must_relocate factories (proven).
    pub encouraged_placed_bound: usize,
    /// Whether it is proven that no plan places more must_relocate factories, nor as many of
    /// them and more encouraged ones.
    pub priority_proven: bool,
    /// Whether branch and bound proved the plan optimal.
    pub exact: bool,
    /// Whether `--time-limit` stopped the solver before it was done: the plan is the best found
    /// by then, with its own proven bounds and gap.
    pub time_limit_reached: bool,
    /// How `distance_km` is measured.
    pub distance_basis: String,
}

/// What `distance_km` means in every output.
pub const DISTANCE_BASIS: &str = "straight line to the nearest point of the park";
/// … with `[scoring] distance = "road"`.
pub const DISTANCE_BASIS_ROAD: &str =
    "by road: to the nearest road, along the roads, then to the nearest point of the park";

/// Allocates relocating factories to parks. (Stage entry point.)
pub fn allocate(
    inputs: &Inputs,
    assessment: &Assessment,
    candidates: &Candidates,
    settings: &Settings,
) -> Allocation {
    // The clock starts with the solver: reading and assessing are not what the limit is for.
    let deadline = settings
        .time_limit_s
        .map(|s| std::time::Instant::now() + std::time::Duration::from_secs_f64(s));
    allocate_with(
        inputs,
        assessment,
        candidates,
        settings,
        &Budget { deadline, ..Budget::default() },
    )
}

/// `allocate` with explicit solver limits (benches and tests).
pub fn allocate_with(
    inputs: &Inputs,
    assessment: &Assessment,
    candidates: &Candidates,
    settings: &Settings,
    budget: &Budget,
) -> Allocation {
    let verdict_of = Verdicts::new(inputs, assessment);
    let items: Vec<&FactoryCandidates> = candidates
        .factories
        .iter()
        .filter(|fc| verdict_of.get(fc.factory).is_some_and(|v| v.0.relocates()))
        .collect();
    // Ties are broken by factory id, whatever the input order.
    let mut by_id: Vec<usize> = (0..items.len()).collect();
    let id_of = |k: usize| {
        items
            .get(k)
            .and_then(|fc| inputs.factories.get(fc.factory))
            .map(|f| f.id.as_str())
            .unwrap_or("")
    };
    by_id.par_sort_by(|&a, &b| id_of(a).cmp(id_of(b)));
    let mut rank = vec![0u32; items.len()];
    for (r, &k) in by_id.iter().enumerate() {
        if let Some(slot) = rank.get_mut(k) {
            *slot = r as u32;
        }
    }

    let capacity: Vec<f64> = inputs.parks.iter().map(|p| p.available_ha.max(0.0)).collect();
    let mut problem = AssignmentProblem::new(capacity);
    for (k, fc) in items.iter().enumerate() {
        let tier = match verdict_of.get(fc.factory).map(|v| v.0) {
            Some(Verdict::MustRelocate) => Tier::Must,
            _ => Tier::Encouraged,
        };
        let land_ha = inputs.factories.get(fc.factory).map_or(0.0, |f| f.land_ha);
        problem.push(
            land_ha,
            tier,
            rank.get(k).copied().unwrap_or(u32::MAX),
            fc.eligible.iter().map(|c| (c.park, c.cost)),
        );
    }
    let solution = solver::solve(&problem, budget);

    // Parks receiving at least one must-relocate factory, for the reasons given to the others.
    let mut park_has_must = vec![false; inputs.parks.len()];
    for (k, fc) in items.iter().enumerate() {
        if let Some(p) = solution.park_of.get(k).copied().flatten() {
            if verdict_of.get(fc.factory).is_some_and(|v| v.0 == Verdict::MustRelocate) {
                if let Some(flag) = park_has_must.get_mut(p) {
                    *flag = true;
                }
            }
        }
    }
    // Each factory's outcome on its own (the reasons are most of the work when land is short),
    // in parallel; then the sums, in factory order.
    let outcomes: Vec<Option<Assignment>> = items
        .par_iter()
        .enumerate()
        .map(|(k, fc)| {
            inputs.factories.get(fc.factory)?;
            let park = solution.park_of.get(k).copied().flatten();
            let chosen = park.and_then(|p| fc.eligible.iter().find(|c| c.park == p));
            Some(match chosen {
                Some(c) => Assignment {
                    factory: fc.factory,
                    park: Some(c.park),
                    distance_km: Some(c.distance_km),
                    cost: Some(c.cost),
                    move_year: Some(phasing::move_year(c)),
                    unassigned_reason: String::new(),
                },
                None => Assignment {
                    factory: fc.factory,
                    park: None,
                    distance_km: None,
                    cost: None,
                    move_year: None,
                    unassigned_reason: unassigned_reason(
                        inputs,
                        &verdict_of,
                        &park_has_must,
                        fc,
                        settings,
                    ),
                },
            })
        })
        .collect();
    let assignments: Vec<Assignment> = outcomes.into_iter().flatten().collect();
    let mut allocated_ha = vec![0.0; inputs.parks.len()];
    let mut groups: BTreeMap<(&str, Option<HazardClass>, i32), (usize, f64)> = BTreeMap::new();
    for a in &assignments {
        let Some(factory) = inputs.factories.get(a.factory) else { continue };
        match a.park {
            Some(p) => {
                if let Some(sum) = allocated_ha.get_mut(p) {
                    *sum += factory.land_ha;
                }
            }
            None => {
                let deadline =
                    verdict_of.get(a.factory).map_or(settings.phasing.default_deadline, |v| v.1);
                let group = groups
                    .entry((factory.sector.as_str(), factory.hazard_class, deadline))
                    .or_insert((0, 0.0));
                group.0 += 1;
                group.1 += factory.land_ha;
            }
        }
    }
    let shortfalls = groups
        .into_iter()
        .map(|((sector, hazard_class, deadline_year), (factories, land_ha))| Shortfall {
            sector: sector.to_string(),
            hazard_class: hazard_class.map(|h| h.to_string()),
            deadline_year,
            factories,
            land_ha,
        })
        .collect();
    Allocation {
        assignments,
        allocated_ha,
        objective: solution.objective,
        lower_bound: solution.lower_bound,
        gap: solution.gap,
        lower_bound_same_counts: solution.lower_bound_same_counts,
        shortfalls,
        must_placed: solution.placed[0],
        must_placeable: solution.placeable[0],
        encouraged_placed: solution.placed[1],
        encouraged_placeable: solution.placeable[1],
        must_placed_bound: solution.placed_bound[0],
        encouraged_placed_bound: solution.placed_bound[1],
        priority_proven: solution.priority_proven,
        exact: solution.exact,
        time_limit_reached: solution.time_limit_reached,
        distance_basis: match settings.roads.distance {
            crate::scenario::DistanceBasis::Road => DISTANCE_BASIS_ROAD,
            crate::scenario::DistanceBasis::StraightLine => DISTANCE_BASIS,
        }
        .to_string(),
    }
}

/// Each factory's verdict and deadline year, by index into `Inputs::factories`.
struct Verdicts(Vec<Option<(Verdict, i32)>>);

impl Verdicts {
    fn new(inputs: &Inputs, assessment: &Assessment) -> Verdicts {
        let mut table = vec![None; inputs.factories.len()];
        for a in &assessment.factories {
            if let Some(slot) = table.get_mut(a.factory) {
                *slot = Some((a.verdict, a.deadline_year));
            }
        }
        Verdicts(table)
    }

    fn get(&self, factory: usize) -> Option<(Verdict, i32)> {
        self.0.get(factory).copied().flatten()
    }
}

/// Why a factory has no park, in planning terms.
fn unassigned_reason(
    inputs: &Inputs,
    verdicts: &Verdicts,
    park_has_must: &[bool],
    fc: &FactoryCandidates,
    settings: &Settings,
) -> String {
    let lang = settings.lang;
    let max_km = settings.allocation.max_distance_km;
    if fc.eligible.is_empty() {
        return no_eligible_park(inputs, fc, max_km, lang);
    }
    let names: Vec<&str> = fc
        .eligible
        .iter()
        .filter_map(|c| inputs.parks.get(c.park).map(|p| p.name.as_str()))
        .collect();
    let list = names.join(", ");
    let own = verdicts.get(fc.factory).map(|v| v.0);
    // Does land in its eligible parks go to must-relocate factories?
    let must_inside =
        fc.eligible.iter().any(|c| park_has_must.get(c.park).copied().unwrap_or(false));
    match (lang, own, must_inside) {
        (Lang::En, Some(Verdict::Encouraged), true) => format!(
            "the land left in its eligible parks ({list}) is taken by must-relocate factories, which go first"
        ),
        (Lang::Vi, Some(Verdict::Encouraged), true) => format!(
            "quỹ đất còn lại của các KCN/CCN phù hợp ({list}) đã dành cho các cơ sở buộc phải di dời, được ưu tiên trước"
        ),
        (Lang::En, Some(Verdict::MustRelocate), _) => format!(
            "not enough land left in its eligible parks ({list}): placing it would leave more must-relocate factories without a park"
        ),
        (Lang::Vi, Some(Verdict::MustRelocate), _) => format!(
            "không đủ đất trong các KCN/CCN phù hợp ({list}): bố trí cơ sở này sẽ khiến nhiều cơ sở buộc phải di dời khác không có chỗ"
        ),
        (Lang::En, _, _) => format!(
            "not enough land left in its eligible parks ({list}): placing it would leave more encouraged factories without a park"
        ),
        (Lang::Vi, _, _) => format!(
            "không đủ đất trong các KCN/CCN phù hợp ({list}): bố trí cơ sở này sẽ khiến nhiều cơ sở được khuyến khích di dời khác không có chỗ"
        ),
    }
}

/// "no eligible park within 80 km: 2 without enough land, 1 not accepting ceramics…"
fn no_eligible_park(inputs: &Inputs, fc: &FactoryCandidates, max_km: f64, lang: Lang) -> String {
    let factory = inputs.factories.get(fc.factory);
    let sector = factory.map_or("", |f| f.sector.as_str());
    let hazard = factory.and_then(|f| f.hazard_class).map_or(String::new(), |h| h.to_string());
    let mut counts: BTreeMap<u8, (usize, String)> = BTreeMap::new();
    for (_, why) in &fc.excluded {
        let (order, text) = match (lang, why) {
            (Lang::En, Exclusion::Full { .. }) => (0, "without enough land for it".to_string()),
            (Lang::Vi, Exclusion::Full { .. }) => (0, "không đủ diện tích".to_string()),
            (Lang::En, Exclusion::Sector) => (1, format!("not accepting the {sector} sector")),
            (Lang::Vi, Exclusion::Sector) => (1, format!("không tiếp nhận ngành {sector}")),
            (Lang::En, Exclusion::HazardClass) => {
                (2, format!("not accepting hazard class {hazard}"))
            }
            (Lang::Vi, Exclusion::HazardClass) => {
                (2, format!("không tiếp nhận cơ sở cấp nguy hại {hazard}"))
            }
            (Lang::En, Exclusion::NotReady { deadline_year, .. }) => {
                (3, format!("not ready by its deadline {deadline_year}"))
            }
            (Lang::Vi, Exclusion::NotReady { deadline_year, .. }) => {
                (3, format!("chưa sẵn sàng trước thời hạn {deadline_year}"))
            }
            (Lang::En, Exclusion::TooFar { .. }) => (4, format!("farther than {max_km} km")),
            (Lang::Vi, Exclusion::TooFar { .. }) => (4, format!("xa hơn {max_km} km")),
            (Lang::En, Exclusion::NoRoadRoute) => (4, format!("no road route within {max_km} km")),
            (Lang::Vi, Exclusion::NoRoadRoute) => {
                (4, format!("không có đường bộ trong phạm vi {max_km} km"))
            }
            (_, Exclusion::NotAmongNearest) => continue,
        };
        counts.entry(order).or_insert((0, text)).0 += 1;
    }
    let parts: Vec<String> = counts.values().map(|(n, text)| format!("{n} {text}")).collect();
    match (lang, parts.is_empty()) {
        (Lang::En, true) => format!("no destination park with land to offer within {max_km} km"),
        (Lang::Vi, true) => {
            format!("không có KCN/CCN tiếp nhận nào còn đất trong bán kính {max_km} km")
        }
        (Lang::En, false) => format!("no eligible park within {max_km} km: {}", parts.join(", ")),
        (Lang::Vi, false) => format!(
            "không có KCN/CCN phù hợp trong bán kính {max_km} km: {}",
            parts.join(", ").replace(" without", "")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidates::candidates;
    use crate::testkit::{assessment, factory, inputs, park, settings};

    #[test]
    fn must_relocate_factory_goes_first_and_encouraged_one_is_told_why() {
        let inputs = inputs(
            vec![factory("E1", 0.0, 0.0, 2.0, "food"), factory("M1", 0.0, 0.0, 2.0, "food")],
            vec![park("P1", 10_000.0, 0.0, 3.0)],
        );
        let assessment = assessment(&inputs, |i| {
            (if i == 0 { Verdict::Encouraged } else { Verdict::MustRelocate }, 2030)
        });
        let s = settings();
        let c = candidates(&inputs, &assessment, &s).unwrap();
        let a = allocate(&inputs, &assessment, &c, &s);
        assert_eq!(a.assignments[0].park, None);
        assert_eq!(a.assignments[1].park, Some(0));
        assert!(a.assignments[0].unassigned_reason.contains("must-relocate"), "{a:?}");
        assert_eq!(a.allocated_ha, vec![2.0]);
        assert_eq!(a.shortfalls.len(), 1);
        assert_eq!(a.shortfalls[0].land_ha, 2.0);
        assert_eq!(a.shortfalls[0].deadline_year, 2030);
        assert!(a.exact && a.priority_proven);
    }

    #[test]
    fn factory_without_eligible_park_gets_the_reasons_counted() {
        let mut hightech = park("P-ht", 5_000.0, 0.0, 10.0);
        hightech.max_hazard_class = Some(crate::model::HazardClass::III);
        let small = park("P-small", 6_000.0, 0.0, 0.5);
        let mut f = factory("F1", 0.0, 0.0, 1.0, "dyeing");
        f.hazard_class = Some(crate::model::HazardClass::I);
        let inputs = inputs(vec![f], vec![hightech, small]);
        let assessment = assessment(&inputs, |_| (Verdict::MustRelocate, 2030));
        let mut s = settings();
        let c = candidates(&inputs, &assessment, &s).unwrap();
        let a = allocate(&inputs, &assessment, &c, &s);
        let reason = &a.assignments[0].unassigned_reason;
        assert_eq!(reason, "no eligible park within 80 km: 1 without enough land for it, 1 not accepting hazard class I");
        s.lang = Lang::Vi;
        let a = allocate(&inputs, &assessment, &c, &s);
        assert!(a.assignments[0].unassigned_reason.starts_with("không có KCN/CCN phù hợp"));
    }

    #[test]
    fn same_inputs_give_the_same_plan() {
        let (inputs, assessment, s) = crate::testkit::synthetic(300, 6, 0.9, 7);
        let c = candidates(&inputs, &assessment, &s).unwrap();
        let a = allocate(&inputs, &assessment, &c, &s);
        let b = allocate(&inputs, &assessment, &c, &s);
        assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
        for (p, used) in inputs.parks.iter().zip(&a.allocated_ha) {
            assert!(*used <= p.available_ha + 1e-9);
        }
        assert!(a.lower_bound <= a.objective);
    }
}
