//! Every vector format other than GeoJSON (GeoPackage, Shapefile, FlatGeobuf, …), through GDAL.
//!
//! 1. Open the dataset read-only, vector drivers only; take the layer named like ours
//!    (`parks`, `factories`…) when there is one, else the first.
//! 2. The layer's CRS is honoured; a layer without one (a Shapefile without .prj) takes the
//!    scenario's `[inputs.crs]`, else it is an error. Both, disagreeing, are an error.
//! 3. Fields → JSON values (only the mapped columns); geometries → geo, walking OGR's structure
//!    ourselves so Z is dropped, M is refused and unclosed rings are reported.

use std::collections::BTreeSet;
use std::path::Path;

use gdal::vector::{geometry_type_flatten, geometry_type_has_m, FieldValue};
use gdal::vector::{Geometry as OgrGeometry, LayerAccess, OGRwkbGeometryType};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};
use serde_json::Value;

use super::geometry::{ring, Problems};
use super::{crs, RawFeature, RawLayer, RawValue};
use crate::scenario::LayerInput;

pub fn read(path: &Path, input: &LayerInput, keep: &BTreeSet<String>, layer: &mut RawLayer) {
    layer.tabular = true;
    let options = DatasetOptions {
        open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY,
        ..DatasetOptions::default()
    };
    let dataset = match Dataset::open_ex(path, options) {
        Ok(d) => d,
        Err(e) => {
            layer.file_problem(format!("GDAL cannot open the file as a vector layer ({e})"));
            return;
        }
    };
    let wanted = input.layer.as_str();
    let mut source = match dataset.layer_by_name(wanted) {
        Ok(l) => l,
        Err(_) => match dataset.layer(0) {
            Ok(l) => l,
            Err(_) => {
                layer.file_problem("the file holds no vector layer");
                return;
            }
        },
    };

    match source.spatial_ref().and_then(|s| s.to_wkt().ok()) {
        Some(wkt) => match crs::resolve_wkt_identified(&wkt) {
            Ok(info) => layer.set_file_crs(info, input),
            Err(e) => layer.file_problem(format!("the layer's CRS cannot be used: {e}")),
        },
        None => match &input.crs {
            Some(text) => layer.set_crs(text, "[inputs.crs]"),
            None => layer.file_problem(format!(
                "the layer has no CRS (for a Shapefile: no .prj file beside it); give one in the scenario under [inputs.crs], e.g. {wanted} = \"EPSG:9210\""
            )),
        },
    }

    let columns: Vec<String> = source.defn().fields().map(|f| f.name()).collect();
    // Field indices of the kept columns, looked up once.
    let kept: Vec<(usize, String)> = columns
        .iter()
        .enumerate()
        .filter(|(_, name)| keep.contains(*name))
        .map(|(i, name)| (i, name.clone()))
        .collect();
    layer.columns = Some(columns);

    for (index, feature) in source.features().enumerate() {
        let mut raw = RawFeature::new(index);
        for (i, name) in &kept {
            match feature.field(*i) {
                Ok(Some(v)) => {
                    raw.properties.insert(name.as_str(), RawValue::from(field_value(v)));
                }
                Ok(None) => {
                    raw.properties.insert(name.as_str(), RawValue::Null);
                }
                Err(e) => raw.problems.push((name.clone(), format!("cannot be read ({e})"))),
            }
        }
        if let Some(g) = feature.geometry() {
            let before = raw.problems.len();
            let mut p = Problems(&mut raw.problems);
            let converted = geometry(g, &mut p, 0);
            if raw.problems.len() == before {
                raw.geometry = converted;
            }
        }
        layer.features.push(raw);
    }
}

fn field_value(v: FieldValue) -> Value {
    match v {
        FieldValue::IntegerValue(i) => Value::from(i),
        FieldValue::Integer64Value(i) => Value::from(i),
        FieldValue::RealValue(r) => {
            serde_json::Number::from_f64(r).map(Value::Number).unwrap_or(Value::Null)
        }
        FieldValue::StringValue(s) => Value::String(s),
        FieldValue::StringListValue(l) => Value::Array(l.into_iter().map(Value::String).collect()),
        FieldValue::IntegerListValue(l) => Value::Array(l.into_iter().map(Value::from).collect()),
        FieldValue::Integer64ListValue(l) => Value::Array(l.into_iter().map(Value::from).collect()),
        FieldValue::RealListValue(l) => Value::Array(l.into_iter().map(Value::from).collect()),
        FieldValue::DateValue(d) => Value::String(d.to_string()),
        FieldValue::DateTimeValue(d) => Value::String(d.to_string()),
    }
}

/// Collections nest in OGR as in GeoJSON; deeper than this is not a real layer.
const MAX_NESTING: usize = 8;

fn geometry(g: &OgrGeometry, p: &mut Problems, depth: usize) -> Option<Geometry<f64>> {
    let full_type = g.geometry_type();
    if geometry_type_has_m(full_type) {
        p.push("the geometry has M values; x, y and an optional altitude are accepted, M is not");
        return None;
    }
    if depth > MAX_NESTING {
        p.push("geometry collections nested too deeply");
        return None;
    }
    let coords = |g: &OgrGeometry| -> Vec<Coord<f64>> {
        let mut points = Vec::new();
        g.get_points(&mut points);
        points.into_iter().map(|(x, y, _)| Coord { x, y }).collect()
    };
    match geometry_type_flatten(full_type) {
        OGRwkbGeometryType::wkbPoint => {
            if g.is_empty() {
                return Some(Geometry::MultiPoint(MultiPoint(vec![])));
            }
            let (x, y, _) = g.get_point(0);
            Some(Geometry::Point(Point::new(x, y)))
        }
        OGRwkbGeometryType::wkbMultiPoint => {
            let pts = parts(g)
                .filter(|pt| !pt.is_empty())
                .map(|pt| {
                    let (x, y, _) = pt.get_point(0);
                    Point::new(x, y)
                })
                .collect();
            Some(Geometry::MultiPoint(MultiPoint(pts)))
        }
        OGRwkbGeometryType::wkbLineString => Some(Geometry::LineString(LineString(coords(g)))),
        OGRwkbGeometryType::wkbMultiLineString => Some(Geometry::MultiLineString(MultiLineString(
            parts(g).map(|l| LineString(coords(&l))).collect(),
        ))),
        OGRwkbGeometryType::wkbPolygon => polygon(g, "", p).map(Geometry::Polygon),
        OGRwkbGeometryType::wkbMultiPolygon => {
            let mut polys = Vec::new();
            for (i, poly) in parts(g).enumerate() {
                polys.push(polygon(&poly, &format!(" of polygon {}", i + 1), p)?);
            }
            Some(Geometry::MultiPolygon(MultiPolygon(polys)))
        }
        OGRwkbGeometryType::wkbGeometryCollection => {
            let mut items = Vec::new();
            for part in parts(g) {
                items.push(geometry(&part, p, depth + 1)?);
            }
            Some(Geometry::GeometryCollection(GeometryCollection(items)))
        }
        _ => {
            p.push(format!(
                "unsupported geometry type {}; curves and surfaces must be converted to points, lines or polygons",
                g.geometry_name()
            ));
            None
        }
    }
}

fn polygon(g: &OgrGeometry, of: &str, p: &mut Problems) -> Option<Polygon<f64>> {
    let mut rings = Vec::new();
    for i in 0..g.geometry_count() {
        let r = g.get_geometry(i);
        let mut points = Vec::new();
        r.get_points(&mut points);
        let coords = points.into_iter().map(|(x, y, _)| Coord { x, y }).collect();
        rings.push(ring(coords, &format!("ring {}{of}", i + 1), p)?);
    }
    let mut it = rings.into_iter();
    let exterior = it.next().unwrap_or_else(|| LineString(vec![]));
    Some(Polygon::new(exterior, it.collect()))
}

/// The sub-geometries of a collection, polygon or multi-geometry.
fn parts(g: &OgrGeometry) -> impl Iterator<Item = gdal::vector::GeometryRef<'_>> {
    (0..g.geometry_count()).map(move |i| g.get_geometry(i))
}
