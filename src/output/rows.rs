//! The flat rows every output writes: one per factory, one per park, one per move. Built once
//! from the stage outputs, so GeoJSON, GeoPackage, CSV, map and report agree field for field.

use geo::{MultiPolygon, Point};
use rayon::prelude::*;
use serde::Serialize;

use crate::allocation::Allocation;
use crate::candidates::Candidates;
use crate::criteria::{Assessment, Finding, Verdict};
use crate::model::Inputs;
use crate::roads::snap::Snap;
use crate::roads::{RoadLeg, Route};
use crate::units::km_from_m;
use crate::units::round_to;

/// Decimals kept for distances and costs, so that outputs do not flap between runs.
pub const DECIMALS: i32 = 3;

/// Field names of the `factories` layer, in DESIGN.md order (the serialised `FactoryRow`).
pub const FACTORY_FIELDS: &[&str] = &[
    "id",
    "name",
    "sector",
    "district",
    "land_ha",
    "employees",
    "verdict",
    "criteria",
    "c1_construction",
    "c2_environment",
    "c3_fire",
    "c4_land_use",
    "basis",
    "evidence",
    "status",
    "park_id",
    "park_name",
    "distance_km",
    "cost",
    "move_year",
    "unassigned_reason",
];

/// Field names of the `parks` layer, in DESIGN.md order (the serialised `ParkRow`).
pub const PARK_FIELDS: &[&str] = &[
    "id",
    "name",
    "district",
    "class",
    "available_ha",
    "allocated_ha",
    "remaining_ha",
    "fill_pct",
    "factories_count",
    "employees_count",
];

/// Field names of the `moves` layer, in DESIGN.md order (the serialised `MoveRow`).
pub const MOVE_FIELDS: &[&str] =
    &["factory_id", "park_id", "distance_km", "cost", "verdict", "move_year"];

/// … and the fields moves gain when the plan has a road network (written only then).
pub const MOVE_ROAD_FIELDS: &[&str] = &["network_km", "entry_m", "exit_m", "minutes"];

/// Fields of the `factories` layer, in DESIGN.md order.
#[derive(Clone, Debug, Serialize)]
pub struct FactoryRow<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub sector: &'a str,
    pub district: Option<&'a str>,
    pub land_ha: f64,
    pub employees: Option<u32>,
    pub verdict: &'static str,
    pub criteria: String,
    pub c1_construction: &'static str,
    pub c2_environment: &'static str,
    pub c3_fire: &'static str,
    pub c4_land_use: &'static str,
    pub basis: &'static str,
    pub evidence: String,
    /// `assigned`, `unassigned` or `stays`.
    pub status: &'static str,
    pub park_id: Option<&'a str>,
    pub park_name: Option<&'a str>,
    pub distance_km: Option<f64>,
    pub cost: Option<f64>,
    pub move_year: Option<i32>,
    pub unassigned_reason: Option<&'a str>,
    #[serde(skip)]
    pub verdict_kind: Verdict,
    /// Index into `Inputs::factories`.
    #[serde(skip)]
    pub factory: usize,
    /// Index into `Inputs::parks` of the destination.
    #[serde(skip)]
    pub park: Option<usize>,
}

/// Fields of the `parks` layer.
#[derive(Clone, Debug, Serialize)]
pub struct ParkRow {
    pub id: String,
    pub name: String,
    pub district: Option<String>,
    pub class: &'static str,
    pub available_ha: f64,
    pub allocated_ha: f64,
    pub remaining_ha: f64,
    pub fill_pct: f64,
    pub factories_count: usize,
    pub employees_count: u64,
    /// Index into `Inputs::parks`.
    #[serde(skip)]
    pub park: usize,
}

/// Fields of the `moves` layer (a line from the factory to the park).
#[derive(Clone, Debug, Serialize)]
pub struct MoveRow {
    pub factory_id: String,
    pub park_id: String,
    pub distance_km: f64,
    pub cost: f64,
    pub verdict: &'static str,
    pub move_year: Option<i32>,
    /// Along the roads, km (with a road network; absent otherwise, so a plan without roads
    /// writes the same bytes as before roads existed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_km: Option<f64>,
    /// From the factory to the road, straight, m.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry_m: Option<f64>,
    /// From the road to the park's boundary, straight, m.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_m: Option<f64>,
    /// Travel time of the road route, minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<f64>,
    /// Start (factory) and end (nearest point of the park… drawn to its interior point) in lon/lat.
    #[serde(skip)]
    pub from_lonlat: Point<f64>,
    #[serde(skip)]
    pub to_lonlat: Point<f64>,
    /// The road between them, lon/lat, when the move has a road route: the line goes factory,
    /// these points, park.
    #[serde(skip)]
    pub route_lonlat: Vec<[f64; 2]>,
}

impl MoveRow {
    /// The move's line, lon/lat: factory, the road route when there is one, park.
    pub fn line_lonlat(&self) -> Vec<[f64; 2]> {
        let mut out = Vec::with_capacity(self.route_lonlat.len() + 2);
        out.push([self.from_lonlat.x(), self.from_lonlat.y()]);
        out.extend_from_slice(&self.route_lonlat);
        out.push([self.to_lonlat.x(), self.to_lonlat.y()]);
        out
    }
}

/// A move's road leg and route geometry (metric and lon/lat).
#[derive(Clone, Debug)]
pub struct RoadMove {
    pub leg: RoadLeg,
    pub route: Option<Route>,
}

/// Each assigned factory's road route (by factory index), when the plan has a road network
/// and the move was measured on it.
pub fn road_moves(
    inputs: &Inputs,
    candidates: &Candidates,
    allocation: &Allocation,
) -> Vec<Option<RoadMove>> {
    let mut out: Vec<Option<RoadMove>> = vec![None; inputs.factories.len()];
    let Some(plan) = candidates.roads.as_deref() else { return out };
    let d = &plan.distances;
    let mut asked: Vec<(usize, RoadLeg, Snap, Snap)> = Vec::new();
    for a in &allocation.assignments {
        let Some(park) = a.park else { continue };
        // Straight-line moves take the route only when the factory was joined to the roads
        // (a factory that was not keeps its straight line, flagged). The candidate lists may be
        // freed by now: the road distances keep every leg.
        let leg = d
            .by_factory
            .get(a.factory)
            .and_then(|list| list.iter().find(|(p, _)| *p == park))
            .map(|(_, leg)| *leg);
        let fs = d.factory_snaps.get(a.factory).copied().flatten();
        let ps = leg.and_then(|l| d.park_joins.get(park).and_then(|j| j.get(l.join)).copied());
        if let (Some(leg), Some(fs), Some(ps)) = (leg, fs, ps) {
            asked.push((a.factory, leg, fs, ps));
        }
    }
    let pairs: Vec<(Snap, Snap)> = asked.iter().map(|(_, _, f, p)| (*f, *p)).collect();
    let max_m = crate::units::m_from_km(plan.settings_max_km);
    let routes = plan.network.routes(&pairs, max_m);
    for ((factory, leg, _, _), route) in asked.into_iter().zip(routes) {
        if let Some(slot) = out.get_mut(factory) {
            *slot = Some(RoadMove { leg, route });
        }
    }
    out
}

/// The factory and park rows of a plan, as every writer shows them.
pub fn plan_rows(plan: &crate::pipeline::Plan) -> (Vec<FactoryRow<'_>>, Vec<ParkRow>) {
    let inputs = &plan.assessed.loaded.inputs;
    let factories = factory_rows(inputs, &plan.assessed.assessment, Some(&plan.allocation));
    let parks = park_rows(inputs, &factories, Some(&plan.allocation));
    (factories, parks)
}

/// One factory row per factory, sorted by id. `allocation` is `None` for `relocate assess`.
/// Rows borrow their text from the stage outputs (a million factories' names and reasons
/// were copied once per row before).
pub fn factory_rows<'a>(
    inputs: &'a Inputs,
    assessment: &'a Assessment,
    allocation: Option<&'a Allocation>,
) -> Vec<FactoryRow<'a>> {
    // Each factory's assignment by factory index; rows built in parallel (a million factories
    // each format their evidence).
    let mut by_factory: Vec<Option<&crate::allocation::Assignment>> =
        vec![None; inputs.factories.len()];
    for s in allocation.map_or(&[][..], |al| &al.assignments[..]) {
        if let Some(slot) = by_factory.get_mut(s.factory) {
            *slot = Some(s);
        }
    }
    // Sorted by id (stable, so equal ids keep file order) before the rows are built: rows
    // come out in order, with no large rows moved about by the sort.
    let id_of = |k: usize| {
        assessment
            .factories
            .get(k)
            .and_then(|a| inputs.factories.get(a.factory))
            .map_or("", |f| f.id.as_str())
    };
    let mut order: Vec<usize> = (0..assessment.factories.len()).collect();
    order.par_sort_by(|&a, &b| id_of(a).cmp(id_of(b)));
    order
        .par_iter()
        .filter_map(|&k| {
            let a = assessment.factories.get(k)?;
            let f = inputs.factories.get(a.factory)?;
            let finding = |i: usize| a.results.get(i).map(|r| r.finding).unwrap_or(Finding::Off);
            let mut evidence = String::new();
            let shown =
                a.results.iter().filter(|r| r.finding != Finding::Off && !r.evidence.is_empty());
            for r in shown {
                if !evidence.is_empty() {
                    evidence.push_str("; ");
                }
                evidence.push_str(r.criterion.code());
                evidence.push_str(": ");
                evidence.push_str(&r.evidence);
            }
            if !a.note.is_empty() {
                if !evidence.is_empty() {
                    evidence.push_str("; ");
                }
                evidence.push_str(&a.note);
            }
            let assignment = by_factory.get(a.factory).copied().flatten();
            let park = assignment.and_then(|s| s.park);
            let status = match (a.verdict.relocates(), park) {
                (false, _) => "stays",
                (true, Some(_)) => "assigned",
                (true, None) if allocation.is_some() => "unassigned",
                (true, None) => "",
            };
            Some(FactoryRow {
                id: &f.id,
                name: &f.name,
                sector: &f.sector,
                district: a.district.as_deref().or(f.district.as_deref()),
                land_ha: f.land_ha,
                employees: f.employees,
                verdict: a.verdict.as_str(),
                criteria: a.criteria_codes(),
                c1_construction: finding(0).as_str(),
                c2_environment: finding(1).as_str(),
                c3_fire: finding(2).as_str(),
                c4_land_use: finding(3).as_str(),
                basis: a.basis.as_str(),
                evidence,
                status,
                park_id: park.and_then(|p| inputs.parks.get(p)).map(|p| p.id.as_str()),
                park_name: park.and_then(|p| inputs.parks.get(p)).map(|p| p.name.as_str()),
                distance_km: assignment.and_then(|s| s.distance_km).map(|d| round_to(d, DECIMALS)),
                cost: assignment.and_then(|s| s.cost).map(|c| round_to(c, DECIMALS)),
                move_year: assignment.and_then(|s| s.move_year),
                unassigned_reason: assignment
                    .filter(|s| s.park.is_none() && !s.unassigned_reason.is_empty())
                    .map(|s| s.unassigned_reason.as_str()),
                verdict_kind: a.verdict,
                factory: a.factory,
                park,
            })
        })
        .collect()
}

/// One park row per destination park with its fill, sorted by id.
pub fn park_rows(
    inputs: &Inputs,
    rows: &[FactoryRow],
    allocation: Option<&Allocation>,
) -> Vec<ParkRow> {
    let mut counts = vec![(0usize, 0u64); inputs.parks.len()];
    for r in rows {
        if let Some(c) = r.park.and_then(|p| counts.get_mut(p)) {
            c.0 += 1;
            c.1 += u64::from(r.employees.unwrap_or(0));
        }
    }
    let mut out: Vec<ParkRow> = inputs
        .parks
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let allocated_ha =
                allocation.and_then(|a| a.allocated_ha.get(i).copied()).unwrap_or(0.0);
            let (count, employees) = counts.get(i).copied().unwrap_or((0, 0));
            let fill_pct =
                if p.available_ha > 0.0 { 100.0 * allocated_ha / p.available_ha } else { 0.0 };
            ParkRow {
                id: p.id.clone(),
                name: p.name.clone(),
                district: p.district.clone(),
                class: p.class.as_str(),
                available_ha: round_to(p.available_ha, DECIMALS),
                allocated_ha: round_to(allocated_ha, DECIMALS),
                remaining_ha: round_to(p.available_ha - allocated_ha, DECIMALS),
                fill_pct: round_to(fill_pct, 1),
                factories_count: count,
                employees_count: employees,
                park: i,
            }
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// One move per assigned factory, sorted by factory id.
pub fn move_rows(inputs: &Inputs, rows: &[FactoryRow]) -> Vec<MoveRow> {
    move_rows_with_roads(inputs, rows, &[])
}

/// `move_rows` with each move's road leg and route (`road_moves`, by factory index).
pub fn move_rows_with_roads(
    inputs: &Inputs,
    rows: &[FactoryRow],
    roads: &[Option<RoadMove>],
) -> Vec<MoveRow> {
    let ends: Vec<Option<Point<f64>>> =
        inputs.parks.iter().map(|p| interior_point(&p.area_lonlat)).collect();
    rows.iter()
        .filter_map(|r| {
            let park = inputs.parks.get(r.park?)?;
            let factory = inputs.factories.get(r.factory)?;
            let road = roads.get(r.factory).and_then(Option::as_ref);
            Some(MoveRow {
                factory_id: r.id.to_string(),
                park_id: park.id.clone(),
                distance_km: r.distance_km.unwrap_or(0.0),
                cost: r.cost.unwrap_or(0.0),
                verdict: r.verdict,
                move_year: r.move_year,
                network_km: road.map(|m| round_to(km_from_m(m.leg.network_m), DECIMALS)),
                entry_m: road.map(|m| round_to(m.leg.entry_m, 1)),
                exit_m: road.map(|m| round_to(m.leg.exit_m, 1)),
                minutes: road.map(|m| round_to(m.leg.minutes, 1)),
                from_lonlat: factory.location_lonlat,
                to_lonlat: ends.get(r.park?).copied().flatten().unwrap_or(factory.location_lonlat),
                route_lonlat: road
                    .and_then(|m| m.route.as_ref())
                    .map(|route| route.lonlat.clone())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// A point inside a polygon, where move lines end and labels sit.
pub fn interior_point(area: &MultiPolygon<f64>) -> Option<Point<f64>> {
    use geo::InteriorPoint;
    area.interior_point()
}
