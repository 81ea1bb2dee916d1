//! GeoJSON geometry objects → geo geometries, with the reading rules: a third value in a
//! position is altitude and is dropped, a fourth is refused, rings must be closed (geo would
//! close them silently, hiding a broken file).

use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};
use serde_json::Value;

/// Collects (field, message) problems for one feature; the field is always `geometry`.
pub(crate) struct Problems<'a>(pub &'a mut Vec<(String, String)>);

impl Problems<'_> {
    pub(crate) fn push(&mut self, message: impl Into<String>) {
        self.0.push(("geometry".to_string(), message.into()));
    }
}

/// Converts a GeoJSON geometry object. `None` for `null` and for geometries too broken to use
/// (the problems say why).
pub(crate) fn from_json(
    value: &Value,
    problems: &mut Vec<(String, String)>,
) -> Option<Geometry<f64>> {
    if value.is_null() {
        return None;
    }
    let mut p = Problems(problems);
    let before = p.0.len();
    let g = geometry(value, &mut p);
    // A geometry with any reading problem is not passed on half-read.
    if p.0.len() > before {
        None
    } else {
        g
    }
}

fn geometry(value: &Value, p: &mut Problems) -> Option<Geometry<f64>> {
    let Some(obj) = value.as_object() else {
        p.push("must be a GeoJSON geometry object or null");
        return None;
    };
    let Some(kind) = obj.get("type").and_then(Value::as_str) else {
        p.push("the geometry has no \"type\"");
        return None;
    };
    if kind == "GeometryCollection" {
        let Some(items) = obj.get("geometries").and_then(Value::as_array) else {
            p.push("a GeometryCollection needs a \"geometries\" array");
            return None;
        };
        let parts: Vec<Geometry<f64>> = items.iter().filter_map(|g| geometry(g, p)).collect();
        return Some(Geometry::GeometryCollection(GeometryCollection(parts)));
    }
    let Some(coords) = obj.get("coordinates") else {
        p.push(format!("the {kind} has no \"coordinates\""));
        return None;
    };
    match kind {
        "Point" => {
            // RFC 7946 allows an empty Point (`[]`), but geo has no empty Point: name it here,
            // not as the empty MultiPoint it would have to become.
            if coords.as_array().is_some_and(Vec::is_empty) {
                p.push("empty Point: its coordinates are []");
                return None;
            }
            position(coords, "the point", p).map(|c| Geometry::Point(Point(c)))
        }
        "MultiPoint" => positions(coords, "the multipoint", p)
            .map(|cs| Geometry::MultiPoint(MultiPoint(cs.into_iter().map(Point).collect()))),
        "LineString" => {
            positions(coords, "the line", p).map(|cs| Geometry::LineString(LineString(cs)))
        }
        "MultiLineString" => {
            let lines = array(coords, "the multiline", p)?;
            let mut out = Vec::with_capacity(lines.len());
            for (i, l) in lines.iter().enumerate() {
                out.push(LineString(positions(l, &format!("line {}", i + 1), p)?));
            }
            Some(Geometry::MultiLineString(MultiLineString(out)))
        }
        "Polygon" => polygon(coords, "", p).map(Geometry::Polygon),
        "MultiPolygon" => {
            let polys = array(coords, "the multipolygon", p)?;
            let mut out = Vec::with_capacity(polys.len());
            for (i, poly) in polys.iter().enumerate() {
                out.push(polygon(poly, &format!(" of polygon {}", i + 1), p)?);
            }
            Some(Geometry::MultiPolygon(MultiPolygon(out)))
        }
        other => {
            p.push(format!(
                "unknown geometry type {other:?}; expected Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon or GeometryCollection"
            ));
            None
        }
    }
}

fn array<'v>(value: &'v Value, what: &str, p: &mut Problems) -> Option<&'v Vec<Value>> {
    match value.as_array() {
        Some(a) => Some(a),
        None => {
            p.push(format!("the coordinates of {what} must be an array"));
            None
        }
    }
}

fn position(value: &Value, what: &str, p: &mut Problems) -> Option<Coord<f64>> {
    let Some(values) = value.as_array() else {
        p.push(format!("{what}: a position must be an array of numbers"));
        return None;
    };
    let numbers: Option<Vec<f64>> = values.iter().map(Value::as_f64).collect();
    let Some(numbers) = numbers else {
        p.push(format!("{what}: a position holds something other than numbers"));
        return None;
    };
    match numbers.as_slice() {
        [x, y] | [x, y, _] => Some(Coord { x: *x, y: *y }),
        [_, _, _, _, ..] => {
            p.push(format!(
                "{what}: a position has {} values; x, y and an optional altitude are accepted, a fourth (M) value is not",
                numbers.len()
            ));
            None
        }
        _ => {
            p.push(format!("{what}: a position needs at least 2 values, found {}", numbers.len()));
            None
        }
    }
}

fn positions(value: &Value, what: &str, p: &mut Problems) -> Option<Vec<Coord<f64>>> {
    let items = array(value, what, p)?;
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        match position(item, &format!("{what}, position {}", i + 1), p) {
            Some(c) => out.push(c),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn polygon(value: &Value, of: &str, p: &mut Problems) -> Option<Polygon<f64>> {
    let rings = array(value, &format!("the polygon{of}"), p)?;
    let mut out = Vec::with_capacity(rings.len());
    for (i, r) in rings.iter().enumerate() {
        let what = format!("ring {}{of}", i + 1);
        let coords = positions(r, &what, p)?;
        out.push(ring(coords, &what, p)?);
    }
    let mut it = out.into_iter();
    let exterior = it.next().unwrap_or_else(|| LineString(vec![]));
    Some(Polygon::new(exterior, it.collect()))
}

/// A ring as given; an unclosed ring is a problem (geo would close it without telling).
pub(crate) fn ring(
    coords: Vec<Coord<f64>>,
    what: &str,
    p: &mut Problems,
) -> Option<LineString<f64>> {
    match (coords.first(), coords.last()) {
        (Some(first), Some(last)) if coords.len() > 1 && first != last => {
            p.push(format!("{what} is not closed: its first and last positions differ"));
            None
        }
        _ => Some(LineString(coords)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(v: Value) -> (Option<Geometry<f64>>, Vec<(String, String)>) {
        let mut problems = Vec::new();
        let g = from_json(&v, &mut problems);
        (g, problems)
    }

    #[test]
    fn altitude_is_dropped() {
        let (g, p) = read(json!({"type": "Point", "coordinates": [106.6, 11.2, 12.5]}));
        assert!(p.is_empty());
        assert_eq!(g, Some(Geometry::Point(Point::new(106.6, 11.2))));
    }

    #[test]
    fn a_fourth_value_is_refused() {
        let (g, p) = read(json!({"type": "LineString", "coordinates": [[1, 2], [3, 4, 5, 6]]}));
        assert!(g.is_none());
        assert_eq!(
            p,
            vec![(
                "geometry".to_string(),
                "the line, position 2: a position has 4 values; x, y and an optional altitude are accepted, a fourth (M) value is not".to_string()
            )]
        );
    }

    #[test]
    fn an_unclosed_ring_is_reported_not_closed_silently() {
        let (g, p) = read(
            json!({"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 1]]]]}),
        );
        assert!(g.is_none());
        assert_eq!(
            p[0].1,
            "ring 1 of polygon 1 is not closed: its first and last positions differ"
        );
    }

    #[test]
    fn unknown_types_and_missing_coordinates_are_named() {
        let (_, p) = read(json!({"type": "Circle", "coordinates": [0, 0]}));
        assert!(p[0].1.starts_with("unknown geometry type \"Circle\""));
        let (_, p) = read(json!({"type": "Polygon"}));
        assert_eq!(p[0].1, "the Polygon has no \"coordinates\"");
    }

    #[test]
    fn null_geometry_is_none_without_a_problem() {
        let (g, p) = read(Value::Null);
        assert!(g.is_none() && p.is_empty());
    }
}
