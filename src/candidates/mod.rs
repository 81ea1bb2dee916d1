//! Destination candidates: for each relocating factory, the nearest eligible parks and their cost.
//!
//! 1. Destinations: parks whose district (its `district` field, else the districts polygon
//!    holding the park) is in `[area] destination` (empty: every park), with `available_ha > 0`.
//! 2. Bulk-load an R-tree over the destination parks' bounding boxes.
//! 3. Per relocating factory, walk parks by box distance (a lower bound of the true distance):
//!    check eligibility first (cheap: land, sector, hazard class, ready by the deadline), then
//!    measure the straight-line distance to the nearest point of the polygon (0 inside). Stop at
//!    `max_distance_km`, or once `candidates_per_factory` eligible parks are found and the next
//!    box is farther than the farthest of them. Every park looked at and left out keeps its
//!    reason, for `explain`.
//! 4. Cost per (factory, park) from `[scoring]` (see `cost`), or from the AHP weights
//!    the scenario stage computed (`scenario::ahp`).
//!
//! With a road network (`[inputs] roads`), the relocating factories and destination parks are
//! joined to it and one search per park finds every factory's nearest eligible parks by road
//! (`roads`). With `[scoring] distance = "road"` those replace step 3's eligible parks (the
//! straight-line walk still names the parks left out and why), `distance_km` is the road
//! distance and, with `metric = "minutes"`, the distance and workforce terms count minutes; a
//! factory farther than `max_snap_m` from every road keeps its straight-line parks, flagged
//! (`Candidate::road` is `None`), or stops the run with `--on-unsnapped abort`. With
//! `distance = "straight_line"` the road route of each straight-line candidate is only
//! reported beside it.
//!
//! The earliest year a factory can move to a park is the later of `phasing.start_year` and the
//! park's `ready_year`; a park is eligible only if that year is no later than the factory's
//! deadline, so a deadline before the start year leaves no eligible park.
//! A factory without a hazard class is accepted by every park (it cannot be judged more
//! hazardous than declared).

pub mod cost;

use std::collections::HashMap;

use geo::{Distance, Euclidean, InteriorPoint, Intersects};
use rayon::prelude::*;

use crate::spatial::EnvelopeIndex;
use serde::Serialize;

use std::sync::Arc;

use crate::criteria::Assessment;
use crate::error::{Error, Problem, Result};
use crate::model::{Factory, Inputs, NameKey, Park};
use crate::roads::{Network, RoadDistances, RoadLeg};
use crate::scenario::Settings;
use crate::scenario::{DistanceBasis, Metric, OnUnsnapped};
use crate::units::{km_from_m, m_from_km};

use cost::{CostModel, RawTerms};

/// The terms of a cost, already weighted; `cost` is their sum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct CostTerms {
    pub distance: f64,
    pub workforce: f64,
    pub cluster: f64,
    pub class: f64,
    pub waiting: f64,
}

impl CostTerms {
    pub fn total(&self) -> f64 {
        self.distance + self.workforce + self.cluster + self.class + self.waiting
    }
}

/// One eligible park for one factory.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    /// Index into `Inputs::parks`.
    pub park: usize,
    /// Straight-line distance to the nearest point of the park polygon (0 inside), km.
    pub distance_km: f64,
    pub cost: f64,
    pub terms: CostTerms,
    /// Earliest year the factory can move there (park ready, not before the start year).
    pub earliest_year: i32,
    /// The road route, when the factory and the park are joined to a road network. With
    /// `distance = "road"`, `distance_km` is its `total_km`; `None` there means the factory
    /// could not be joined and keeps its straight-line distance.
    pub road: Option<RoadLeg>,
}

/// Why a park is not a candidate for a factory.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// Not enough land left for this factory (even empty).
    Full {
        available_ha: f64,
    },
    Sector,
    HazardClass,
    NotReady {
        ready_year: i32,
        deadline_year: i32,
    },
    TooFar {
        distance_km: f64,
    },
    /// Beyond the `candidates_per_factory` nearest eligible parks.
    NotAmongNearest,
    /// Eligible and near enough in a straight line, but no road route within
    /// `max_distance_km` (or the park is not joined to the roads).
    NoRoadRoute,
}

#[derive(Clone, Debug, Serialize)]
pub struct FactoryCandidates {
    /// Index into `Inputs::factories`.
    pub factory: usize,
    /// Eligible parks, cheapest first (ties by park id).
    pub eligible: Vec<Candidate>,
    /// Nearby parks left out, with the reason (park index, reason), sorted by park id.
    pub excluded: Vec<(usize, Exclusion)>,
}

/// The candidates stage's output: one entry per relocating factory, in factory order.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Candidates {
    pub factories: Vec<FactoryCandidates>,
    /// Indices into `Inputs::parks` of the destination parks.
    pub destinations: Vec<usize>,
    /// Weight per unit of each raw term actually used (distance, workforce, cluster, class,
    /// waiting), after AHP mapping when `[scoring] ahp` is given.
    pub per_unit: [f64; 5],
    /// The AHP consistency ratio, when AHP weights are used.
    pub ahp_consistency_ratio: Option<f64>,
    /// The road network and where factories and parks join it, when roads are given.
    #[serde(skip)]
    pub roads: Option<Arc<RoadPlan>>,
}

/// The road network of a run and what was measured on it.
#[derive(Debug)]
pub struct RoadPlan {
    pub network: Network,
    pub distances: RoadDistances,
    /// Whether `distance_km` is the road distance (`[scoring] distance = "road"`).
    pub basis: DistanceBasis,
    /// `[allocation] max_distance_km`: how far the routes were searched.
    pub settings_max_km: f64,
}

impl Candidates {
    /// The candidates of one factory (index into `Inputs::factories`).
    pub fn of_factory(&self, factory: usize) -> Option<&FactoryCandidates> {
        self.factories
            .binary_search_by_key(&factory, |f| f.factory)
            .ok()
            .and_then(|i| self.factories.get(i))
    }
}

/// An eligible park with its raw measures, before weights are known (AHP needs every pair).
struct RawCandidate {
    park: usize,
    distance_km: f64,
    raw: RawTerms,
    earliest_year: i32,
    road: Option<RoadLeg>,
}

struct RawFactory {
    factory: usize,
    eligible: Vec<RawCandidate>,
    excluded: Vec<(usize, Exclusion)>,
}

/// Finds each relocating factory's candidate parks by straight-line distance.
pub fn candidates(
    inputs: &Inputs,
    assessment: &Assessment,
    settings: &Settings,
) -> Result<Candidates> {
    candidates_with_roads(inputs, assessment, settings, None)
}

/// Finds each relocating factory's candidate parks, by road when a network is given and the
/// scenario asks for road distances. (Stage entry point.)
pub fn candidates_with_roads(
    inputs: &Inputs,
    assessment: &Assessment,
    settings: &Settings,
    network: Option<Network>,
) -> Result<Candidates> {
    let ahp = settings.scoring.ahp.as_ref();
    let destinations = destination_parks(inputs, settings);
    let tree = EnvelopeIndex::new_indexed(
        destinations.iter().filter_map(|&p| Some((p, &inputs.parks.get(p)?.area))),
    );
    let keys: Vec<ParkKeys> = inputs.parks.iter().map(ParkKeys::new).collect();
    let search = Search {
        inputs,
        keys: &keys,
        sector_keys: NameKey::fold_distinct(inputs.factories.iter().map(|f| f.sector.as_str())),
        keep_exclusions: settings.keep_exclusions,
        tree: &tree,
        max_distance_m: m_from_km(settings.allocation.max_distance_km),
        wanted: settings.allocation.candidates_per_factory.max(1),
        start_year: settings.phasing.start_year,
    };
    let relocating: Vec<(usize, i32)> = assessment
        .factories
        .iter()
        .filter(|a| a.verdict.relocates())
        .map(|a| (a.factory, a.deadline_year))
        .collect();
    let road_plan = network.map(|network| {
        let mut deadline = vec![0; inputs.factories.len()];
        for &(f, d) in &relocating {
            if let Some(slot) = deadline.get_mut(f) {
                *slot = d;
            }
        }
        let eligible = |f: usize, p: usize| {
            let (Some(factory), Some(park), Some(keys), Some(&d)) =
                (inputs.factories.get(f), inputs.parks.get(p), keys.get(p), deadline.get(f))
            else {
                return false;
            };
            let sector = search
                .sector_keys
                .get(factory.sector.as_str())
                .cloned()
                .unwrap_or_else(|| NameKey::new(&factory.sector));
            ineligibility_keyed(factory, &sector, park, keys, d, search.start_year).is_none()
        };
        let factories: Vec<usize> = relocating.iter().map(|(f, _)| *f).collect();
        let distances = network.distances(
            inputs,
            &factories,
            &destinations,
            eligible,
            search.wanted,
            search.max_distance_m,
        );
        RoadPlan {
            network,
            distances,
            basis: settings.roads.distance,
            settings_max_km: settings.allocation.max_distance_km,
        }
    });
    if let Some(plan) = road_plan.as_ref().filter(|p| p.basis == DistanceBasis::Road) {
        if settings.roads.on_unsnapped == OnUnsnapped::Abort {
            unsnapped_error(inputs, settings, &plan.distances)?;
        }
    }
    let by_road = road_plan.as_ref().map(|p| (p, settings.roads.metric));
    let mut raw: Vec<RawFactory> = relocating
        .par_iter()
        .map_init(Vec::new, |left_out, &(f, deadline)| {
            let mut r = search.factory(f, inputs.factories.get(f)?, deadline, left_out);
            if let Some((plan, metric)) = by_road {
                search.with_roads(&mut r, plan, metric);
            }
            Some(r)
        })
        .flatten()
        .collect();
    raw.sort_by_key(|r| r.factory);

    let model = match &ahp {
        Some(w) => {
            let all: Vec<RawTerms> =
                raw.iter().flat_map(|r| r.eligible.iter().map(|c| c.raw)).collect();
            CostModel::from_ahp(w, &all)
        }
        None => CostModel::from_weights(&settings.scoring),
    };
    let park_id = |p: usize| inputs.parks.get(p).map(|p| p.id.as_str()).unwrap_or("");
    let factories = raw
        .into_par_iter()
        .map(|r| {
            let mut eligible: Vec<Candidate> = r
                .eligible
                .into_iter()
                .map(|c| {
                    let terms = model.terms(&c.raw);
                    Candidate {
                        park: c.park,
                        distance_km: c.distance_km,
                        cost: terms.total(),
                        terms,
                        earliest_year: c.earliest_year,
                        road: c.road,
                    }
                })
                .collect();
            eligible.sort_by(|a, b| {
                a.cost.total_cmp(&b.cost).then_with(|| park_id(a.park).cmp(park_id(b.park)))
            });
            FactoryCandidates { factory: r.factory, eligible, excluded: r.excluded }
        })
        .collect();
    Ok(Candidates {
        factories,
        destinations,
        per_unit: model.per_unit,
        ahp_consistency_ratio: ahp.map(|a| a.consistency_ratio),
        roads: road_plan.map(Arc::new),
    })
}

/// `--on-unsnapped abort`: every relocating factory and destination park farther than
/// `max_snap_m` from the roads, as problems (exit 2).
fn unsnapped_error(inputs: &Inputs, settings: &Settings, d: &RoadDistances) -> Result<()> {
    let far = settings.roads.max_snap_m;
    let mut problems: Vec<Problem> = Vec::new();
    for &f in &d.unsnapped_factories {
        if let Some(x) = inputs.factories.get(f) {
            problems.push(Problem::new(
                x.origin.file.clone(),
                x.id.clone(),
                "geometry",
                format!("farther than [roads] max_snap_m = {far} m from every road of the network; move it onto the roads' extent, raise max_snap_m, or run without --on-unsnapped abort to keep its straight-line distance"),
            ));
        }
    }
    for &p in &d.unsnapped_parks {
        if let Some(x) = inputs.parks.get(p) {
            problems.push(Problem::new(
                x.origin.file.clone(),
                x.id.clone(),
                "geometry",
                format!("farther than [roads] max_snap_m = {far} m from every road of the network: no factory can reach it by road"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// Parks in the destination area with land to offer, in park order.
pub fn destination_parks(inputs: &Inputs, settings: &Settings) -> Vec<usize> {
    let wanted: Vec<NameKey> = settings.destination.iter().map(|d| NameKey::new(d)).collect();
    inputs
        .parks
        .iter()
        .enumerate()
        .filter(|(_, p)| p.available_ha > 0.0)
        .filter(|(_, p)| {
            wanted.is_empty() || park_district(inputs, p).is_some_and(|d| wanted.contains(&d))
        })
        .map(|(i, _)| i)
        .collect()
}

/// A park's district: its `district` field, else the districts polygon containing it.
fn park_district(inputs: &Inputs, park: &Park) -> Option<NameKey> {
    if let Some(d) = park.district.as_deref().filter(|d| !d.trim().is_empty()) {
        return Some(NameKey::new(d));
    }
    let inside = park.area.interior_point()?;
    inputs.districts.iter().find(|d| d.area.intersects(&inside)).map(|d| NameKey::new(&d.name))
}

/// Why a park cannot take a factory, whatever the distance; `None` when it can.
pub fn ineligibility(
    factory: &Factory,
    park: &Park,
    deadline_year: i32,
    start_year: i32,
) -> Option<Exclusion> {
    ineligibility_keyed(
        factory,
        &NameKey::new(&factory.sector),
        park,
        &ParkKeys::new(park),
        deadline_year,
        start_year,
    )
}

/// A park's sector names folded once, as a million factories compare against them.
pub struct ParkKeys {
    sectors: Vec<NameKey>,
    excluded: Vec<NameKey>,
}

impl ParkKeys {
    pub fn new(park: &Park) -> ParkKeys {
        ParkKeys {
            sectors: park.sectors.iter().map(|s| NameKey::new(s)).collect(),
            excluded: park.excluded_sectors.iter().map(|s| NameKey::new(s)).collect(),
        }
    }

    /// Whether the park's `sectors` list names this sector (its declared cluster).
    pub fn lists(&self, sector: &NameKey) -> bool {
        self.sectors.contains(sector)
    }
}

fn ineligibility_keyed(
    factory: &Factory,
    sector: &NameKey,
    park: &Park,
    keys: &ParkKeys,
    deadline_year: i32,
    start_year: i32,
) -> Option<Exclusion> {
    if park.available_ha < factory.land_ha {
        return Some(Exclusion::Full { available_ha: park.available_ha });
    }
    if keys.excluded.contains(sector) || !(keys.sectors.is_empty() || keys.lists(sector)) {
        return Some(Exclusion::Sector);
    }
    if let (Some(class), Some(max)) = (factory.hazard_class, park.max_hazard_class) {
        if !class.accepted_by(max) {
            return Some(Exclusion::HazardClass);
        }
    }
    let earliest = earliest_year(park, start_year);
    if earliest > deadline_year {
        return Some(Exclusion::NotReady { ready_year: earliest, deadline_year });
    }
    None
}

/// The first year a factory can move into the park: not before the planning start.
pub fn earliest_year(park: &Park, start_year: i32) -> i32 {
    park.ready_year.map_or(start_year, |y| y.max(start_year))
}

struct Search<'a> {
    inputs: &'a Inputs,
    keys: &'a [ParkKeys],
    /// The folded form of every distinct sector of the factories.
    sector_keys: HashMap<&'a str, NameKey>,
    /// `Settings::keep_exclusions`.
    keep_exclusions: bool,
    /// The destination parks' rectangles.
    tree: &'a EnvelopeIndex,
    max_distance_m: f64,
    wanted: usize,
    start_year: i32,
}

impl Search<'_> {
    /// `left_out` is a buffer reused from factory to factory: the parks looked at and left out
    /// are copied into the result only when they are kept.
    fn factory(
        &self,
        index: usize,
        factory: &Factory,
        deadline_year: i32,
        left_out: &mut Vec<(usize, Exclusion)>,
    ) -> RawFactory {
        let mut eligible: Vec<RawCandidate> = Vec::new();
        left_out.clear();
        let excluded = left_out;
        // Distances (m) of the eligible parks found, kept sorted: the k-th is the stop radius.
        let mut found_m: Vec<f64> = Vec::new();
        let folded;
        let sector = match self.sector_keys.get(factory.sector.as_str()) {
            Some(key) => key,
            None => {
                folded = NameKey::new(&factory.sector);
                &folded
            }
        };
        for (p, box_distance) in self.tree.nearest_first(factory.location) {
            if box_distance.beyond(self.max_distance_m) {
                break;
            }
            if let Some(kth) = found_m.get(self.wanted - 1) {
                if box_distance.beyond(*kth) {
                    break;
                }
            }
            let (Some(park), Some(keys)) = (self.inputs.parks.get(p), self.keys.get(p)) else {
                continue;
            };
            if let Some(reason) =
                ineligibility_keyed(factory, sector, park, keys, deadline_year, self.start_year)
            {
                excluded.push((p, reason));
                continue;
            }
            let distance_m = Euclidean.distance(&park.area, &factory.location);
            if distance_m > self.max_distance_m {
                excluded.push((p, Exclusion::TooFar { distance_km: km_from_m(distance_m) }));
                continue;
            }
            let at_sorted = found_m.partition_point(|d| *d <= distance_m);
            found_m.insert(at_sorted, distance_m);
            let distance_km = km_from_m(distance_m);
            eligible.push(RawCandidate {
                park: p,
                distance_km,
                raw: RawTerms::measure(
                    factory,
                    park,
                    keys.lists(sector),
                    distance_km,
                    self.start_year,
                ),
                earliest_year: earliest_year(park, self.start_year),
                road: None,
            });
        }
        let park_id = |p: usize| self.inputs.parks.get(p).map(|p| p.id.as_str()).unwrap_or("");
        eligible.sort_by(|a, b| {
            a.distance_km
                .total_cmp(&b.distance_km)
                .then_with(|| park_id(a.park).cmp(park_id(b.park)))
        });
        let keep = self.keep_exclusions || eligible.is_empty();
        if eligible.len() > self.wanted {
            let beyond = eligible.split_off(self.wanted);
            if keep {
                excluded.extend(beyond.into_iter().map(|c| (c.park, Exclusion::NotAmongNearest)));
            }
        }
        let excluded = if keep {
            excluded.sort_by(|a, b| park_id(a.0).cmp(park_id(b.0)));
            excluded.clone()
        } else {
            Vec::new()
        };
        RawFactory { factory: index, eligible, excluded }
    }

    /// Puts the road distances into a factory's straight-line candidates: with the road basis,
    /// its eligible parks become its nearest by road (unless it could not be joined to the
    /// roads); otherwise each straight-line candidate only gains its road route when found.
    fn with_roads(&self, r: &mut RawFactory, plan: &RoadPlan, metric: Metric) {
        let Some(by_road) = plan.distances.by_factory.get(r.factory) else { return };
        let joined = plan.distances.factory_snaps.get(r.factory).is_some_and(Option::is_some);
        if plan.basis != DistanceBasis::Road || !joined {
            for c in &mut r.eligible {
                c.road = by_road.iter().find(|(p, _)| *p == c.park).map(|(_, leg)| *leg);
            }
            return;
        }
        let Some(factory) = self.inputs.factories.get(r.factory) else { return };
        let sector = NameKey::new(&factory.sector);
        let straight: Vec<usize> = r.eligible.iter().map(|c| c.park).collect();
        r.eligible = by_road
            .iter()
            .filter_map(|&(p, leg)| {
                let park = self.inputs.parks.get(p)?;
                let keys = self.keys.get(p)?;
                let distance_km = leg.total_km();
                let measured = match metric {
                    Metric::Km => distance_km,
                    Metric::Minutes => leg.minutes,
                };
                Some(RawCandidate {
                    park: p,
                    distance_km,
                    raw: RawTerms::measure(
                        factory,
                        park,
                        keys.lists(&sector),
                        measured,
                        self.start_year,
                    ),
                    earliest_year: earliest_year(park, self.start_year),
                    road: Some(leg),
                })
            })
            .collect();
        let chosen: Vec<usize> = r.eligible.iter().map(|c| c.park).collect();
        r.excluded.retain(|(p, _)| !chosen.contains(p));
        let full = chosen.len() >= self.wanted;
        for p in straight.into_iter().filter(|p| !chosen.contains(p)) {
            let why = if full { Exclusion::NotAmongNearest } else { Exclusion::NoRoadRoute };
            r.excluded.push((p, why));
        }
        let park_id = |p: usize| self.inputs.parks.get(p).map(|p| p.id.as_str()).unwrap_or("");
        r.excluded.sort_by(|a, b| park_id(a.0).cmp(park_id(b.0)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::Verdict;
    use crate::model::{HazardClass, ParkClass};
    use crate::testkit::{factory, park, settings, single_assessment};

    #[test]
    fn ineligibility_names_land_sector_hazard_and_readiness() {
        let f = factory("F1", 0.0, 0.0, 3.0, "ceramics");
        let mut p = park("P1", 10_000.0, 0.0, 2.0);
        assert_eq!(ineligibility(&f, &p, 2030, 2025), Some(Exclusion::Full { available_ha: 2.0 }));
        p.available_ha = 50.0;
        p.excluded_sectors = vec!["CERAMICS".into()];
        assert_eq!(ineligibility(&f, &p, 2030, 2025), Some(Exclusion::Sector));
        p.excluded_sectors.clear();
        p.sectors = vec!["electronics".into()];
        assert_eq!(ineligibility(&f, &p, 2030, 2025), Some(Exclusion::Sector));
        p.sectors = vec!["Ceramics".into()];
        let mut hazardous = f.clone();
        hazardous.hazard_class = Some(HazardClass::II);
        p.max_hazard_class = Some(HazardClass::III);
        assert_eq!(ineligibility(&hazardous, &p, 2030, 2025), Some(Exclusion::HazardClass));
        p.ready_year = Some(2031);
        assert_eq!(
            ineligibility(&f, &p, 2030, 2025),
            Some(Exclusion::NotReady { ready_year: 2031, deadline_year: 2030 })
        );
        p.ready_year = Some(2029);
        assert_eq!(ineligibility(&f, &p, 2030, 2025), None);
    }

    #[test]
    fn deadline_before_the_start_year_leaves_no_park() {
        let f = factory("F1", 0.0, 0.0, 1.0, "food");
        let p = park("P1", 0.0, 0.0, 10.0);
        assert_eq!(
            ineligibility(&f, &p, 2024, 2025),
            Some(Exclusion::NotReady { ready_year: 2025, deadline_year: 2024 })
        );
    }

    #[test]
    fn cost_is_exactly_the_distance_when_other_weights_are_zero() {
        let inputs = crate::testkit::inputs(
            vec![factory("F1", 0.0, 0.0, 1.0, "food")],
            vec![park("P1", 12_345.0, 0.0, 10.0), park("P2", 0.0, 30_500.0, 10.0)],
        );
        let mut s = settings();
        s.scoring.workforce_per_1000_employee_km = 0.0;
        s.scoring.cluster_mismatch = 0.0;
        s.scoring.class_mismatch = 0.0;
        s.scoring.waiting_per_year = 0.0;
        let c =
            candidates(&inputs, &single_assessment(&inputs, Verdict::MustRelocate), &s).unwrap();
        let list = &c.factories[0].eligible;
        assert_eq!(list.len(), 2);
        for cand in list {
            assert_eq!(cand.cost, cand.distance_km);
        }
        // The test park is a 500 m square centred on its given point: nearest edge 250 m nearer.
        assert!((list[0].distance_km - 12.095).abs() < 1e-9, "{list:?}");
    }

    #[test]
    fn every_term_is_weighted_as_the_scenario_says() {
        let mut f = factory("F1", 0.0, 0.0, 1.0, "dyeing");
        f.employees = Some(2000);
        f.hazard_class = Some(HazardClass::I);
        let mut p = park("P1", 10_250.0, 0.0, 10.0);
        p.class = ParkClass::Eco;
        p.ready_year = Some(2027);
        let inputs = crate::testkit::inputs(vec![f], vec![p]);
        let mut s = settings();
        s.scoring.distance_per_km = 1.0;
        s.scoring.workforce_per_1000_employee_km = 0.5;
        s.scoring.cluster_mismatch = 2.0;
        s.scoring.class_mismatch = 3.0;
        s.scoring.waiting_per_year = 1.5;
        let c = candidates(&inputs, &single_assessment(&inputs, Verdict::Encouraged), &s).unwrap();
        let cand = &c.factories[0].eligible[0];
        assert!((cand.terms.distance - 10.0).abs() < 1e-9);
        assert!((cand.terms.workforce - 10.0).abs() < 1e-9);
        assert_eq!(cand.terms.cluster, 2.0);
        assert_eq!(cand.terms.class, 3.0);
        assert_eq!(cand.terms.waiting, 3.0);
        assert_eq!(cand.earliest_year, 2027);
        assert!((cand.cost - 28.0).abs() < 1e-9);
    }

    #[test]
    fn nearest_eligible_parks_are_kept_and_the_rest_explained() {
        let parks = vec![
            park("P-near-small", 1_000.0, 0.0, 0.5),
            park("P-a", 5_000.0, 0.0, 10.0),
            park("P-b", 9_000.0, 0.0, 10.0),
            park("P-c", 20_000.0, 0.0, 10.0),
            park("P-far", 200_000.0, 0.0, 10.0),
        ];
        let inputs = crate::testkit::inputs(vec![factory("F1", 0.0, 0.0, 1.0, "food")], parks);
        let mut s = settings();
        s.allocation.candidates_per_factory = 2;
        s.allocation.max_distance_km = 80.0;
        let c =
            candidates(&inputs, &single_assessment(&inputs, Verdict::MustRelocate), &s).unwrap();
        let fc = &c.factories[0];
        let ids: Vec<&str> = fc.eligible.iter().map(|e| inputs.parks[e.park].id.as_str()).collect();
        assert_eq!(ids, ["P-a", "P-b"]);
        assert!(
            fc.excluded.contains(&(0, Exclusion::Full { available_ha: 0.5 })),
            "{:?}",
            fc.excluded
        );
        // P-c lies beyond the second eligible park: not looked at; P-far is beyond 80 km.
        assert!(!fc.excluded.iter().any(|(p, _)| *p == 4));
    }

    #[test]
    fn destination_area_limits_the_parks() {
        let mut north = park("P-north", 0.0, 0.0, 10.0);
        north.district = Some("Bàu Bàng".into());
        let mut south = park("P-south", 0.0, 0.0, 10.0);
        south.district = Some("Dĩ An".into());
        let empty = park("P-empty", 0.0, 0.0, 0.0);
        let inputs = crate::testkit::inputs(vec![], vec![north, south, empty]);
        let mut s = settings();
        s.destination = vec!["BÀU BÀNG".into()];
        assert_eq!(destination_parks(&inputs, &s), vec![0]);
        s.destination.clear();
        assert_eq!(destination_parks(&inputs, &s), vec![0, 1]);
    }

    // Road distances (`roads`): the candidates stage with a network.
    use crate::model::Oneway;
    use crate::roads::tests::river_world;
    use crate::roads::{Network, RoadLeg};
    use crate::scenario::DistanceBasis;
    use crate::testkit::{park_sized, road};

    fn road_settings(basis: DistanceBasis) -> Settings {
        let mut s = settings();
        s.roads.distance = basis;
        s
    }

    /// Candidates of the one must_relocate factory (and any others) over the road network
    /// built from `inputs` with `s`'s road settings.
    fn road_candidates(inputs: &Inputs, s: &Settings) -> crate::Result<Candidates> {
        let network = Network::build(inputs, &s.roads);
        candidates_with_roads(inputs, &single_assessment(inputs, Verdict::MustRelocate), s, network)
    }

    fn nearest(inputs: &Inputs, basis: DistanceBasis) -> Vec<(String, f64, Option<RoadLeg>)> {
        let s = road_settings(basis);
        let c = road_candidates(inputs, &s).unwrap();
        c.factories[0]
            .eligible
            .iter()
            .map(|e| (inputs.parks[e.park].id.clone(), e.distance_km, e.road))
            .collect()
    }

    #[test]
    fn across_a_river_with_one_far_bridge_the_straight_line_nearest_park_is_the_far_one_by_road() {
        let inputs = river_world();
        let straight = nearest(&inputs, DistanceBasis::StraightLine);
        assert_eq!(straight[0].0, "A");
        assert!((straight[0].1 - 2.0).abs() < 1e-9, "{straight:?}");
        // Straight-line candidates still carry their road route, for the outputs.
        let a_road = straight[0].2.unwrap();
        assert!((a_road.network_m - 42_000.0).abs() < 1e-6, "{a_road:?}");

        let by_road = nearest(&inputs, DistanceBasis::Road);
        assert_eq!(by_road[0].0, "B", "{by_road:?}");
        let leg = by_road[0].2.unwrap();
        // 5.9 km along the road, then 0 m: the road enters park B (its west edge at 5.9 km).
        assert!((leg.network_m - 5_900.0).abs() < 1e-6, "{leg:?}");
        assert_eq!(leg.entry_m, 0.0);
        assert!((by_road[0].1 - 5.9).abs() < 1e-9);
        assert_eq!(by_road[1].0, "A");
        // 20 km east, 2 km over the bridge, 20 km back west; the park's edge is 0 m from the road.
        assert!((by_road[1].1 - 42.0).abs() < 1e-6, "{by_road:?}");
    }

    #[test]
    fn a_one_way_loop_is_driven_the_long_way_round_against_its_direction() {
        // A square loop, one way counter-clockwise: (0,0) → (1000,0) → (1000,1000) → (0,1000).
        let mut inputs = crate::testkit::inputs(
            vec![factory("F1", 1_000.0, -10.0, 1.0, "food")],
            vec![park_sized("P", 500.0, -60.0, 10.0, 20.0)],
        );
        inputs.roads = vec![road(
            "loop",
            &[(0.0, 0.0), (1_000.0, 0.0), (1_000.0, 1_000.0), (0.0, 1_000.0), (0.0, 0.0)],
            Oneway::Forward,
        )];
        let got = nearest(&inputs, DistanceBasis::Road);
        let leg = got[0].2.unwrap();
        // The factory joins at (1000, 0); the park about (500, 0), behind it: round the loop.
        assert!((3_490.0..=3_510.0).contains(&leg.network_m), "{leg:?}");
        assert!((leg.entry_m - 10.0).abs() < 1e-9);
        assert!((leg.exit_m - 50.0).abs() < 1e-9);
        // Both ways, it is about 500 m.
        inputs.roads[0].oneway = Oneway::Both;
        let leg = nearest(&inputs, DistanceBasis::Road)[0].2.unwrap();
        assert!((490.0..=510.0).contains(&leg.network_m), "{leg:?}");
    }

    #[test]
    fn a_factory_beyond_max_snap_keeps_its_straight_line_distance_and_is_counted() {
        let mut inputs = river_world();
        inputs.factories.push(factory("F-far", 0.0, -5_000.0, 1.0, "food"));
        let s = road_settings(DistanceBasis::Road);
        let c = road_candidates(&inputs, &s).unwrap();
        let far = c.of_factory(1).unwrap();
        // 7 km straight to A (42 km by road, had it been joined).
        assert_eq!(inputs.parks[far.eligible[0].park].id, "A");
        assert!(far.eligible.iter().all(|e| e.road.is_none()));
        let roads = c.roads.as_deref().unwrap();
        assert_eq!(roads.distances.unsnapped_factories, vec![1]);

        let mut abort = s.clone();
        abort.roads.on_unsnapped = crate::scenario::OnUnsnapped::Abort;
        let e = road_candidates(&inputs, &abort).unwrap_err();
        let crate::Error::Invalid(problems) = e else { panic!("{e:?}") };
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].feature, "F-far");
        assert!(problems[0].message.contains("max_snap_m = 2000 m"), "{}", problems[0].message);
    }

    #[test]
    fn a_park_without_a_road_near_it_is_ruled_out_by_road() {
        let mut inputs = river_world();
        inputs.parks.push(park_sized("C", 3_000.0, -9_000.0, 10.0, 200.0));
        let s = road_settings(DistanceBasis::Road);
        let c = road_candidates(&inputs, &s).unwrap();
        let fc = &c.factories[0];
        assert!(fc.eligible.iter().all(|e| e.park != 2));
        assert!(fc.excluded.contains(&(2, Exclusion::NoRoadRoute)), "{:?}", fc.excluded);
        assert_eq!(c.roads.as_deref().unwrap().distances.unsnapped_parks, vec![2]);
    }
}
