//! RFC 7946 GeoJSON: `factories.geojson`, `parks.geojson`, `moves.geojson`.
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

fn position(p: Point<f64>) -> Value {
    json!([round_coord(p.x()), round_coord(p.y())])
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
    rings.extend(
        p.interiors()
            .iter()
            .map(positions)
            .filter(|r| r.len() >= 4)
            .map(|r| json!(r)),
    );
    Some(Value::Array(rings))
}

/// A GeoJSON MultiPolygon, exterior rings counter-clockwise and holes clockwise (RFC 7946 §3.1.6).
pub fn multipolygon(area: &MultiPolygon<f64>) -> Value {
    use geo::orient::{Direction, Orient};
    let oriented = area.orient(Direction::Default);
    let polygons: Vec<Value> = oriented.0.iter().filter_map(polygon_rings).collect();
    json!({ "type": "MultiPolygon", "coordinates": polygons })
}

pub fn point(p: Point<f64>) -> Value {
    json!({ "type": "Point", "coordinates": position(p) })
}

pub fn line(from: Point<f64>, to: Point<f64>) -> Value {
    json!({ "type": "LineString", "coordinates": [position(from), position(to)] })
}

/// A row's fields as an ordered JSON object (struct field order, which is DESIGN.md order).
pub fn properties<T: Serialize>(row: &T) -> Result<Map<String, Value>> {
    match serde_json::to_value(row) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Error::Output("an output row did not serialise as an object".into())),
        Err(e) => Err(Error::Output(format!("cannot serialise an output row: {e}"))),
    }
}

fn collection(features: Vec<Value>) -> Value {
    json!({ "type": "FeatureCollection", "features": features })
}

fn feature(geometry: Value, properties: Map<String, Value>) -> Value {
    json!({ "type": "Feature", "geometry": geometry, "properties": properties })
}

pub fn factories(inputs: &Inputs, rows: &[FactoryRow]) -> Result<Value> {
    let mut features = Vec::with_capacity(rows.len());
    for r in rows {
        let geometry = inputs
            .factories
            .get(r.factory)
            .map(|f| point(f.location_lonlat))
            .unwrap_or(Value::Null);
        features.push(feature(geometry, properties(r)?));
    }
    Ok(collection(features))
}

pub fn parks(inputs: &Inputs, rows: &[ParkRow]) -> Result<Value> {
    let mut features = Vec::with_capacity(rows.len());
    for r in rows {
        let geometry = inputs
            .parks
            .get(r.park)
            .map(|p| multipolygon(&p.area_lonlat))
            .unwrap_or(Value::Null);
        features.push(feature(geometry, properties(r)?));
    }
    Ok(collection(features))
}

pub fn moves(rows: &[MoveRow]) -> Result<Value> {
    let mut features = Vec::with_capacity(rows.len());
    for r in rows {
        features.push(feature(line(r.from_lonlat, r.to_lonlat), properties(r)?));
    }
    Ok(collection(features))
}

/// Writes a JSON value: one feature per line keeps files diffable without the bulk of full
/// pretty-printing; the result is still one JSON document.
pub fn write_collection(value: &Value, path: &Path) -> Result<()> {
    let mut text = String::new();
    let features = value.get("features").and_then(Value::as_array);
    match features {
        Some(features) if !features.is_empty() => {
            text.push_str("{\"type\":\"FeatureCollection\",\"features\":[\n");
            for (i, f) in features.iter().enumerate() {
                let one = serde_json::to_string(f)
                    .map_err(|e| Error::Output(format!("{}: {e}", path.display())))?;
                text.push_str(&one);
                text.push_str(if i + 1 < features.len() { ",\n" } else { "\n" });
            }
            text.push_str("]}\n");
        }
        _ => {
            text.push_str(
                &serde_json::to_string(value)
                    .map_err(|e| Error::Output(format!("{}: {e}", path.display())))?,
            );
            text.push('\n');
        }
    }
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
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
        let v = point(Point::new(106.123_456_789, 11.000_000_4));
        assert_eq!(v.to_string(), r#"{"type":"Point","coordinates":[106.123457,11.0]}"#);
    }

    #[test]
    fn positions_that_rounding_merges_are_written_once() {
        let l = LineString::from(vec![(1.0, 1.0), (1.000_000_01, 1.0), (2.0, 1.0)]);
        assert_eq!(positions(&l), vec![[1.0, 1.0], [2.0, 1.0]]);
    }
}
