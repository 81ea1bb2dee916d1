//! RFC 7946 GeoJSON: `factories.geojson`, `parks.geojson`, `moves.geojson`, `flows.geojson`.
//!
//! 1. Geometry from the `_lonlat` fields (EPSG:4326), coordinates rounded to 6 decimals
//!    (about 0.1 m), polygon rings oriented by the right-hand rule, repeated positions that
//!    rounding creates dropped.
//! 2. Properties are the shared output rows, in DESIGN.md field order; features sorted by id.
//! 3. Factories are written as their location points (a footprint, when given, is reduced to
//!    the point move lines start from), so every output shows one symbol per factory.

use std::path::Path;

use geo::{LineString, MultiPolygon, Point, Polygon};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::model::Inputs;
use crate::output::rows::{FactoryRow, MoveRow, ParkRow};

/// Decimals kept in written coordinates.
pub const COORD_DECIMALS: i32 = 6;

fn round_coord(v: f64) -> f64 {
    crate::units::round_to(v, COORD_DECIMALS)
}

/// Rounded positions of a ring or line, without consecutive repeats.
fn positions(line: &LineString<f64>) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(line.0.len());
    for c in &line.0 {
        let p = [round_coord(c.x), round_coord(c.y)];
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    out
}

fn polygon_rings(p: &Polygon<f64>) -> Option<Value> {
    let exterior = positions(p.exterior());
    // A ring needs four positions (first = last); one that rounding collapsed is dropped.
    if exterior.len() < 4 {
        return None;
    }
    let mut rings = vec![json!(exterior)];
    rings.extend(p.interiors().iter().map(positions).filter(|r| r.len() >= 4).map(|r| json!(r)));
    Some(Value::Array(rings))
}

/// A GeoJSON MultiPolygon, exterior rings counter-clockwise and holes clockwise (RFC 7946 §3.1.6).
pub fn multipolygon(area: &MultiPolygon<f64>) -> Value {
    use geo::orient::{Direction, Orient};
    let oriented = area.orient(Direction::Default);
    let polygons: Vec<Value> = oriented.0.iter().filter_map(polygon_rings).collect();
    json!({ "type": "MultiPolygon", "coordinates": polygons })
}

/// A row's fields as an ordered JSON object (struct field order, which is DESIGN.md order).
pub fn properties<T: Serialize>(row: &T) -> Result<Map<String, Value>> {
    match serde_json::to_value(row) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Error::Output("an output row did not serialise as an object".into())),
        Err(e) => Err(Error::Output(format!("cannot serialise an output row: {e}"))),
    }
}

/// A GeoJSON feature serialised straight from its row (no intermediate `Value` per feature):
/// the same bytes as building the object, at a fraction of the allocations.
#[derive(Serialize)]
struct Feature<'a, G: Serialize, P: Serialize> {
    #[serde(rename = "type")]
    kind: &'static str,
    geometry: G,
    properties: &'a P,
}

#[derive(Serialize)]
struct Geometry<C: Serialize> {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: C,
}

fn lonlat(p: Point<f64>) -> [f64; 2] {
    [round_coord(p.x()), round_coord(p.y())]
}

/// Writes a FeatureCollection, one feature per line (see `output::write_chunked`).
fn write_features<R: Sync>(
    rows: &[R],
    path: &Path,
    feature: impl Fn(&R, &mut Vec<u8>) -> serde_json::Result<()> + Sync,
) -> Result<()> {
    if rows.is_empty() {
        return super::write_chunked::<R>(
            path,
            &[],
            b"{\"type\":\"FeatureCollection\",\"features\":[]}\n",
            b"",
            0,
            |_| Ok(Vec::new()),
        );
    }
    let fail = |e: serde_json::Error| Error::Output(format!("{}: {e}", path.display()));
    super::write_chunked(
        path,
        rows,
        b"{\"type\":\"FeatureCollection\",\"features\":[\n",
        b"\n]}\n",
        2,
        |chunk| {
            let mut buf = Vec::with_capacity(chunk.len() * 512);
            for row in chunk {
                // The separator goes before each feature; the first one's is skipped.
                buf.extend_from_slice(b",\n");
                feature(row, &mut buf).map_err(fail)?;
            }
            Ok(buf)
        },
    )
}

/// Writes `factories.geojson`: one point per factory row.
pub fn write_factories(inputs: &Inputs, rows: &[FactoryRow], path: &Path) -> Result<()> {
    write_features(rows, path, |r, buf| {
        let location = inputs.factories.get(r.factory).map(|f| lonlat(f.location_lonlat));
        let geometry = location.map(|c| Geometry { kind: "Point", coordinates: c });
        serde_json::to_writer(buf, &Feature { kind: "Feature", geometry, properties: r })
    })
}

/// Writes a point per row at `location` (lon/lat; rows without one get a null geometry), the
/// row's fields as properties (`stability.geojson`).
pub fn write_points<R: Serialize + Sync>(
    rows: &[R],
    location: impl Fn(&R) -> Option<Point<f64>> + Sync,
    path: &Path,
) -> Result<()> {
    write_features(rows, path, |r, buf| {
        let geometry = location(r).map(|p| Geometry { kind: "Point", coordinates: lonlat(p) });
        serde_json::to_writer(buf, &Feature { kind: "Feature", geometry, properties: r })
    })
}

/// Writes `parks.geojson`: one multipolygon per park row.
pub fn write_parks(inputs: &Inputs, rows: &[ParkRow], path: &Path) -> Result<()> {
    write_features(rows, path, |r, buf| {
        let geometry = inputs.parks.get(r.park).map(|p| multipolygon(&p.area_lonlat));
        serde_json::to_writer(buf, &Feature { kind: "Feature", geometry, properties: r })
    })
}

/// Writes `moves.geojson`: one line per move, from the factory to a point inside its park.
pub fn write_moves(rows: &[MoveRow], path: &Path) -> Result<()> {
    write_features(rows, path, |r, buf| {
        let mut coordinates: Vec<[f64; 2]> = Vec::with_capacity(r.route_lonlat.len() + 2);
        for c in r.line_lonlat() {
            let p = lonlat(Point::new(c[0], c[1]));
            if coordinates.last() != Some(&p) {
                coordinates.push(p);
            }
        }
        // A move whose two ends round to one position still needs two.
        if coordinates.len() < 2 {
            coordinates = vec![lonlat(r.from_lonlat), lonlat(r.to_lonlat)];
        }
        let geometry = Geometry { kind: "LineString", coordinates };
        serde_json::to_writer(buf, &Feature { kind: "Feature", geometry, properties: r })
    })
}

/// Writes `flows.geojson`: one curve per origin area and park (`output::flows`), fields as the
/// `flows` layer of `plan.gpkg`.
pub fn write_flows(rows: &[crate::output::flows::FlowRow], path: &Path) -> Result<()> {
    use crate::output::flows::curve_lonlat;
    use crate::output::gpkg::FLOW_SEGMENTS;
    write_features(rows, path, |r, buf| {
        let line = curve_lonlat(r, FLOW_SEGMENTS);
        let coordinates: Vec<[f64; 2]> = line.0.iter().map(|c| lonlat(geo::Point(*c))).collect();
        let geometry = Geometry { kind: "LineString", coordinates };
        serde_json::to_writer(buf, &Feature { kind: "Feature", geometry, properties: r })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn clockwise_exterior_rings_are_written_counter_clockwise() {
        let cw = polygon![(x: 0.0, y: 0.0), (x: 0.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0)];
        let v = multipolygon(&MultiPolygon(vec![cw]));
        let ring = &v["coordinates"][0][0];
        // Shoelace: positive signed area means counter-clockwise.
        let pts: Vec<(f64, f64)> = ring
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect();
        let area2: f64 = pts.windows(2).map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1).sum();
        assert!(area2 > 0.0, "{ring}");
    }

    #[test]
    fn coordinates_are_rounded_to_six_decimals() {
        let g = Geometry {
            kind: "Point",
            coordinates: lonlat(Point::new(106.123_456_789, 11.000_000_4)),
        };
        assert_eq!(
            serde_json::to_string(&g).unwrap(),
            r#"{"type":"Point","coordinates":[106.123457,11.0]}"#
        );
    }

    #[test]
    fn collections_are_written_one_feature_per_line_and_empty_ones_stay_valid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("moves.geojson");
        write_moves(&[], &path).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"type\":\"FeatureCollection\",\"features\":[]}\n"
        );
        let rows: Vec<u32> = (0..10_000).collect();
        write_features(&rows, &path, |r, buf| serde_json::to_writer(buf, r)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["features"].as_array().unwrap().len(), 10_000);
        assert_eq!(value["features"][9_999], 9_999);
        assert_eq!(text.lines().count(), 10_002);
    }

    #[test]
    fn positions_that_rounding_merges_are_written_once() {
        let l = LineString::from(vec![(1.0, 1.0), (1.000_000_01, 1.0), (2.0, 1.0)]);
        assert_eq!(positions(&l), vec![[1.0, 1.0], [2.0, 1.0]]);
    }
}
