//! Moves aggregated into flows: one per origin area and destination park, the way a planning
//! officer reads a relocation ("Thuận An → Bàu Bàng: 212 factories"), where 2,700 single lines
//! make a fan in which no flow can be told apart.
//!
//! 1. A factory's origin is its district (its `district` field, else the districts polygon
//!    holding it); a factory without one falls into a square grid cell, sized for the extent of
//!    the moving factories (`cell_km`), named by its column and row.
//! 2. Each (origin, park) pair sums factories, must-relocate factories, land and employees.
//! 3. A flow starts at the mean position of its origin's moving factories (the same point for
//!    every flow out of one origin, so they fan out from it) and ends where the `moves` lines end,
//!    inside the park; it is drawn as a quadratic curve bent to its right (`curve`), so that
//!    flows in opposite directions and flows sharing an end part instead of overlapping.
//!
//! The map, the `flows` layer of `plan.gpkg`, `flows.geojson` and the report's map draw from
//! these rows. Sorted by origin then park id, so every writer gives the same bytes run after run.

use std::collections::BTreeMap;

use geo::{Coord, LineString};
use serde::Serialize;

use crate::model::Inputs;
use crate::output::rows::{interior_point, FactoryRow};

/// One flow: the factories of one origin area assigned to one park.
#[derive(Clone, Debug, Serialize)]
pub struct FlowRow {
    /// District name, or a grid cell (`"cell 10 km 3,5"`) for factories without a district.
    pub origin: String,
    pub park_id: String,
    pub park_name: String,
    pub factories: usize,
    pub must_relocate: usize,
    pub land_ha: f64,
    pub employees: u64,
    /// Index into `Inputs::parks`.
    #[serde(skip)]
    pub park: usize,
    /// Start and end in the metric working CRS.
    #[serde(skip)]
    pub from_m: Coord<f64>,
    #[serde(skip)]
    pub to_m: Coord<f64>,
    /// Start and end in lon/lat (EPSG:4326).
    #[serde(skip)]
    pub from_lonlat: Coord<f64>,
    #[serde(skip)]
    pub to_lonlat: Coord<f64>,
}

/// Fields of the `flows` layer and of `flows.geojson`, in order.
pub const FLOW_FIELDS: &[&str] =
    &["origin", "park_id", "park_name", "factories", "must_relocate", "land_ha", "employees"];

/// Bend of a flow: the control point sits this share of the flow's length off its middle.
const BEND: f64 = 0.18;

/// Side of an origin grid cell, km: about a tenth of the extent of the moving factories,
/// rounded to 1, 2 or 5 × a power of ten.
pub fn cell_km(span_m: f64) -> f64 {
    let raw = (span_m / 10.0 / 1000.0).max(0.1);
    let step = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|k| k * step).find(|k| *k >= raw).unwrap_or(raw)
}

#[derive(Default)]
struct Sum {
    factories: usize,
    must_relocate: usize,
    land_ha: f64,
    employees: u64,
}

#[derive(Default)]
struct Anchor {
    n: f64,
    m: Coord<f64>,
    lonlat: Coord<f64>,
}

/// The flows of a plan, from the factory rows (only assigned factories move).
pub fn flow_rows(inputs: &Inputs, rows: &[FactoryRow]) -> Vec<FlowRow> {
    let moving: Vec<&FactoryRow> = rows.iter().filter(|r| r.park.is_some()).collect();
    // Grid for the factories without a district, over the moving factories' extent.
    let located = moving.iter().filter_map(|r| inputs.factories.get(r.factory));
    let (mut lo, mut hi) = (Coord { x: f64::MAX, y: f64::MAX }, Coord { x: f64::MIN, y: f64::MIN });
    for f in located {
        let c = f.location.0;
        lo = Coord { x: lo.x.min(c.x), y: lo.y.min(c.y) };
        hi = Coord { x: hi.x.max(c.x), y: hi.y.max(c.y) };
    }
    let span_m = if lo.x <= hi.x { (hi.x - lo.x).max(hi.y - lo.y) } else { 0.0 };
    let cell_m = cell_km(span_m) * 1000.0;
    let cell_name = |c: Coord<f64>| {
        let col = ((c.x - lo.x) / cell_m).floor() as i64 + 1;
        let row = ((c.y - lo.y) / cell_m).floor() as i64 + 1;
        format!("cell {} km {col},{row}", crate::units::round_to(cell_m / 1000.0, 1))
    };

    let mut sums: BTreeMap<(String, String), (usize, Sum)> = BTreeMap::new();
    let mut anchors: BTreeMap<String, Anchor> = BTreeMap::new();
    for r in moving {
        let (Some(park_index), Some(factory)) = (r.park, inputs.factories.get(r.factory)) else {
            continue;
        };
        let Some(park) = inputs.parks.get(park_index) else { continue };
        let origin = match r.district {
            Some(d) if !d.trim().is_empty() => d.to_string(),
            _ => cell_name(factory.location.0),
        };
        let a = anchors.entry(origin.clone()).or_default();
        a.n += 1.0;
        a.m.x += factory.location.0.x;
        a.m.y += factory.location.0.y;
        a.lonlat.x += factory.location_lonlat.0.x;
        a.lonlat.y += factory.location_lonlat.0.y;
        let (_, s) = sums.entry((origin, park.id.clone())).or_insert((park_index, Sum::default()));
        s.factories += 1;
        s.must_relocate += usize::from(r.verdict_kind == crate::criteria::Verdict::MustRelocate);
        s.land_ha += r.land_ha;
        s.employees += u64::from(r.employees.unwrap_or(0));
    }
    let ends: BTreeMap<usize, (Coord<f64>, Coord<f64>)> = sums
        .values()
        .filter_map(|(p, _)| {
            let park = inputs.parks.get(*p)?;
            let m = interior_point(&park.area)?.0;
            let ll = interior_point(&park.area_lonlat)?.0;
            Some((*p, (m, ll)))
        })
        .collect();
    sums.into_iter()
        .filter_map(|((origin, park_id), (park, s))| {
            let a = anchors.get(&origin)?;
            let &(to_m, to_lonlat) = ends.get(&park)?;
            let mean = |c: Coord<f64>| Coord { x: c.x / a.n, y: c.y / a.n };
            Some(FlowRow {
                park_name: inputs.parks.get(park).map(|p| p.name.clone()).unwrap_or_default(),
                origin,
                park_id,
                factories: s.factories,
                must_relocate: s.must_relocate,
                land_ha: crate::units::round_to(s.land_ha, 3),
                employees: s.employees,
                park,
                from_m: mean(a.m),
                to_m,
                from_lonlat: mean(a.lonlat),
                to_lonlat,
            })
        })
        .collect()
}

/// The control point of the flow curve from `a` to `b` (a quadratic Bézier), in a plane where
/// both axes have the same unit: off the middle, to the right of the direction of travel.
pub fn control_point(a: Coord<f64>, b: Coord<f64>) -> Coord<f64> {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    // Right of travel with y pointing up (metres, lon/lat) is (dy, -dx).
    Coord { x: (a.x + b.x) / 2.0 + BEND * dy, y: (a.y + b.y) / 2.0 - BEND * dx }
}

/// The point at `t` (0 to 1) of the quadratic Bézier `a`, `c`, `b`.
pub fn bezier(a: Coord<f64>, c: Coord<f64>, b: Coord<f64>, t: f64) -> Coord<f64> {
    let u = 1.0 - t;
    Coord {
        x: u * u * a.x + 2.0 * u * t * c.x + t * t * b.x,
        y: u * u * a.y + 2.0 * u * t * c.y + t * t * b.y,
    }
}

/// The flow's curve in lon/lat as a polyline of `segments` pieces (the `flows` layer): bent in a
/// local plane where a degree of longitude is shortened by the cosine of the latitude, so the
/// curve has the same shape as on the map.
pub fn curve_lonlat(flow: &FlowRow, segments: usize) -> LineString<f64> {
    let (a, b) = (flow.from_lonlat, flow.to_lonlat);
    let k = ((a.y + b.y) / 2.0).to_radians().cos().max(1e-6);
    let flat = |c: Coord<f64>| Coord { x: c.x * k, y: c.y };
    let (fa, fb) = (flat(a), flat(b));
    let c = control_point(fa, fb);
    let n = segments.max(1);
    LineString::new(
        (0..=n)
            .map(|i| {
                let p = bezier(fa, c, fb, i as f64 / n as f64);
                Coord { x: p.x / k, y: p.y }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_cells_are_round_kilometres_about_a_tenth_of_the_extent() {
        assert_eq!(cell_km(100_000.0), 10.0);
        assert_eq!(cell_km(45_000.0), 5.0);
        assert_eq!(cell_km(130_000.0), 20.0);
        assert_eq!(cell_km(0.0), 0.1);
    }

    #[test]
    fn a_flow_bends_to_the_right_of_its_direction() {
        let a = Coord { x: 0.0, y: 0.0 };
        let b = Coord { x: 0.0, y: 10.0 };
        // Travelling north, right is east.
        assert!(control_point(a, b).x > 0.0);
        assert!(control_point(b, a).x < 0.0, "the flow back bends the other way");
        let mid = bezier(a, control_point(a, b), b, 0.5);
        assert!((mid.y - 5.0).abs() < 1e-9 && mid.x > 0.0);
    }

    #[test]
    fn a_lonlat_curve_starts_and_ends_at_the_flow_ends() {
        let flow = FlowRow {
            origin: "A".into(),
            park_id: "P".into(),
            park_name: "Park".into(),
            factories: 1,
            must_relocate: 1,
            land_ha: 1.0,
            employees: 0,
            park: 0,
            from_m: Coord { x: 0.0, y: 0.0 },
            to_m: Coord { x: 0.0, y: 0.0 },
            from_lonlat: Coord { x: 106.7, y: 10.9 },
            to_lonlat: Coord { x: 106.6, y: 11.3 },
        };
        let line = curve_lonlat(&flow, 16);
        assert_eq!(line.0.len(), 17);
        let (first, last) = (line.0[0], line.0[16]);
        assert!((first.x - 106.7).abs() < 1e-9 && (first.y - 10.9).abs() < 1e-9);
        assert!((last.x - 106.6).abs() < 1e-9 && (last.y - 11.3).abs() < 1e-9);
    }
}
