//! `plan.gpkg` through GDAL, in one transaction.
//!
//! 1. Layers `factories` (points at each factory's location: the point move lines start from,
//!    also for factories given as footprints), `parks` (multipolygons), `moves` (lines),
//!    `flows` (moves aggregated by origin area and park, as curves; see `output::flows`), and
//!    `districts` and `zoning` (multipolygons) when the inputs have them; EPSG:4326, fields in
//!    DESIGN.md order with their proper types, coordinates rounded as in the GeoJSON.
//! 2. A `layer_styles` table, the one QGIS reads, holding each layer's QML style as default, so
//!    layers open styled however they are added.
//! 3. GeoPackage timestamps (`gpkg_contents.last_change`) are pinned through GDAL's
//!    `OGR_CURRENT_DATE`, so the same inputs give the same bytes.

use std::path::Path;

use gdal::spatial_ref::SpatialRef;
use gdal::vector::{
    Feature, FieldDefn, Layer, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType, ToGdal,
};
use gdal::DriverManager;
use geo::{Geometry, LineString, MapCoords, MultiPolygon};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::{NameKey, PlannedUse};
use crate::output::flows::{self, FlowRow};
use crate::output::geojson::{properties, COORD_DECIMALS};
use crate::output::rows::{FactoryRow, MoveRow, ParkRow};
use crate::output::styles;
use crate::pipeline::Plan;
use crate::scenario::Settings;
use crate::units::round_to;

pub const FILE: &str = "plan.gpkg";

/// The timestamp written wherever the GeoPackage format asks for one.
pub const FIXED_DATE: &str = "2000-01-01T00:00:00.000Z";

/// The output rows the layers are written from.
pub struct GpkgLayers<'a> {
    pub factories: &'a [FactoryRow<'a>],
    pub parks: &'a [ParkRow],
    pub moves: &'a [MoveRow],
    pub flows: &'a [FlowRow],
}

/// A field's storage type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Real,
    Integer,
    Integer64,
    /// Written from ISO 8601 text.
    DateTime,
}

impl Kind {
    fn ogr(self) -> OGRFieldType::Type {
        match self {
            Kind::Text => OGRFieldType::OFTString,
            Kind::Real => OGRFieldType::OFTReal,
            Kind::Integer => OGRFieldType::OFTInteger,
            Kind::Integer64 => OGRFieldType::OFTInteger64,
            Kind::DateTime => OGRFieldType::OFTDateTime,
        }
    }
}

use Kind::{Integer, Integer64, Real, Text};

/// Fields of the `factories` layer (DESIGN.md order) with their types.
pub const FACTORY_SCHEMA: &[(&str, Kind)] = &[
    ("id", Text),
    ("name", Text),
    ("sector", Text),
    ("district", Text),
    ("land_ha", Real),
    ("employees", Integer),
    ("verdict", Text),
    ("criteria", Text),
    ("c1_construction", Text),
    ("c2_environment", Text),
    ("c3_fire", Text),
    ("c4_land_use", Text),
    ("basis", Text),
    ("evidence", Text),
    ("status", Text),
    ("park_id", Text),
    ("park_name", Text),
    ("distance_km", Real),
    ("cost", Real),
    ("move_year", Integer),
    ("unassigned_reason", Text),
];

pub const PARK_SCHEMA: &[(&str, Kind)] = &[
    ("id", Text),
    ("name", Text),
    ("district", Text),
    ("class", Text),
    ("available_ha", Real),
    ("allocated_ha", Real),
    ("remaining_ha", Real),
    ("fill_pct", Real),
    ("factories_count", Integer),
    ("employees_count", Integer64),
];

pub const MOVE_SCHEMA: &[(&str, Kind)] = &[
    ("factory_id", Text),
    ("park_id", Text),
    ("distance_km", Real),
    ("cost", Real),
    ("verdict", Text),
    ("move_year", Integer),
];

/// Fields of the `flows` layer (`flows::FLOW_FIELDS`) with their types.
pub const FLOW_SCHEMA: &[(&str, Kind)] = &[
    ("origin", Text),
    ("park_id", Text),
    ("park_name", Text),
    ("factories", Integer),
    ("must_relocate", Integer),
    ("land_ha", Real),
    ("employees", Integer64),
];

/// Pieces of a flow curve in the `flows` layer and `flows.geojson`: smooth at any zoom a
/// province map is read at.
pub const FLOW_SEGMENTS: usize = 24;

/// `MOVE_SCHEMA` and the road fields, for a plan with a road network.
pub const MOVE_ROAD_SCHEMA: &[(&str, Kind)] = &[
    ("factory_id", Text),
    ("park_id", Text),
    ("distance_km", Real),
    ("cost", Real),
    ("verdict", Text),
    ("move_year", Integer),
    ("network_km", Real),
    ("entry_m", Real),
    ("exit_m", Real),
    ("minutes", Real),
];

pub const DISTRICT_SCHEMA: &[(&str, Kind)] = &[("name", Text), ("area", Text)];

pub const ZONING_SCHEMA: &[(&str, Kind)] = &[("id", Text), ("planned_use", Text)];

/// A district's role in the scenario, for styling: `destination`, `origin` or `other`.
pub fn district_role(settings: &Settings, name: &str) -> &'static str {
    let key = NameKey::new(name);
    if settings.destination.iter().any(|n| NameKey::new(n) == key) {
        "destination"
    } else if settings.origin.iter().any(|n| NameKey::new(n) == key) {
        "origin"
    } else {
        "other"
    }
}

/// Rounds coordinates as the GeoJSON does, so both files hold the same positions.
fn rounded<G: MapCoords<f64, f64, Output = G>>(g: &G) -> G {
    g.map_coords(|c| {
        geo::coord! {
            x: round_to(c.x, COORD_DECIMALS),
            y: round_to(c.y, COORD_DECIMALS),
        }
    })
}

/// One feature to write: its fields by name and its geometry.
#[derive(Clone)]
struct Row {
    fields: Map<String, Value>,
    geometry: Option<Geometry<f64>>,
}

fn gdal_err(layer: &str, what: &str, e: impl std::fmt::Display) -> Error {
    Error::Gdal(format!("{FILE}: layer {layer}: {what}: {e}"))
}

fn set_field(
    feature: &mut Feature,
    idx: usize,
    kind: Kind,
    value: &Value,
) -> gdal::errors::Result<()> {
    match (kind, value) {
        (_, Value::Null) => Ok(()),
        (Kind::Text | Kind::DateTime, Value::String(s)) => feature.set_field_string(idx, s),
        (Kind::Text, other) => feature.set_field_string(idx, &other.to_string()),
        (Kind::DateTime, _) => Ok(()),
        (Kind::Real, v) => match v.as_f64() {
            Some(x) if x.is_finite() => feature.set_field_double(idx, x),
            _ => Ok(()),
        },
        (Kind::Integer, v) => match v.as_i64().and_then(|x| i32::try_from(x).ok()) {
            Some(x) => feature.set_field_integer(idx, x),
            None => Ok(()),
        },
        (Kind::Integer64, v) => match v.as_i64() {
            Some(x) => feature.set_field_integer64(idx, x),
            None => Ok(()),
        },
    }
}

fn write_layer(layer: &mut Layer, name: &str, schema: &[(&str, Kind)], rows: &Rows) -> Result<()> {
    for (field, kind) in schema {
        FieldDefn::new(field, kind.ogr())
            .and_then(|d| d.add_to_layer(layer))
            .map_err(|e| gdal_err(name, &format!("field {field}"), e))?;
    }
    for n in 0..rows.len() {
        let row = rows.get(n)?;
        let mut feature =
            Feature::new(layer.defn()).map_err(|e| gdal_err(name, "new feature", e))?;
        for (idx, (field, kind)) in schema.iter().enumerate() {
            if let Some(v) = row.fields.get(*field) {
                set_field(&mut feature, idx, *kind, v)
                    .map_err(|e| gdal_err(name, &format!("feature #{}: {field}", n + 1), e))?;
            }
        }
        if let Some(g) = &row.geometry {
            let g = g
                .to_gdal()
                .map_err(|e| gdal_err(name, &format!("feature #{}: geometry", n + 1), e))?;
            feature
                .set_geometry(g)
                .map_err(|e| gdal_err(name, &format!("feature #{}: geometry", n + 1), e))?;
        }
        feature.create(layer).map_err(|e| gdal_err(name, &format!("feature #{}", n + 1), e))?;
    }
    Ok(())
}

/// A layer's features: built when written, one at a time, for the output rows (a million
/// factories as JSON maps at once would take gigabytes), or held when small.
enum Rows<'a> {
    Held(Vec<Row>),
    Built(usize, Box<dyn Fn(usize) -> Result<Row> + 'a>),
}

impl Rows<'_> {
    fn len(&self) -> usize {
        match self {
            Rows::Held(rows) => rows.len(),
            Rows::Built(n, _) => *n,
        }
    }

    fn get(&self, n: usize) -> Result<std::borrow::Cow<'_, Row>> {
        match self {
            Rows::Held(rows) => rows
                .get(n)
                .map(std::borrow::Cow::Borrowed)
                .ok_or_else(|| Error::Output(format!("GeoPackage: no feature #{}", n + 1))),
            Rows::Built(_, build) => build(n).map(std::borrow::Cow::Owned),
        }
    }
}

fn rows_of<'a, T: serde::Serialize>(
    items: &'a [T],
    geometry: impl Fn(&T) -> Option<Geometry<f64>> + 'a,
) -> Result<Rows<'a>> {
    Ok(Rows::Built(
        items.len(),
        Box::new(move |n| {
            let r = items
                .get(n)
                .ok_or_else(|| Error::Output(format!("GeoPackage: no row #{}", n + 1)))?;
            Ok(Row { fields: properties(r)?, geometry: geometry(r) })
        }),
    ))
}

fn text_row(pairs: &[(&str, &str)], geometry: Geometry<f64>) -> Row {
    Row {
        fields: pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), Value::String((*v).to_string())))
            .collect(),
        geometry: Some(geometry),
    }
}

/// A layer to write: name, geometry type, schema, features.
struct LayerData<'a> {
    name: &'static str,
    ty: OGRwkbGeometryType::Type,
    schema: &'static [(&'static str, Kind)],
    rows: Rows<'a>,
}

fn layers<'a>(plan: &'a Plan, out: &GpkgLayers<'a>) -> Result<Vec<LayerData<'a>>> {
    let loaded = &plan.assessed.loaded;
    let inputs = &loaded.inputs;
    let multi = |mp: &MultiPolygon<f64>| Some(Geometry::MultiPolygon(rounded(mp)));
    let mut layers = vec![
        LayerData {
            name: "factories",
            ty: OGRwkbGeometryType::wkbPoint,
            schema: FACTORY_SCHEMA,
            rows: rows_of(out.factories, |r| {
                inputs
                    .factories
                    .get(r.factory)
                    .map(|f| Geometry::Point(rounded(&f.location_lonlat)))
            })?,
        },
        LayerData {
            name: "parks",
            ty: OGRwkbGeometryType::wkbMultiPolygon,
            schema: PARK_SCHEMA,
            rows: rows_of(out.parks, move |r| {
                inputs.parks.get(r.park).and_then(|p| multi(&p.area_lonlat))
            })?,
        },
        LayerData {
            name: "moves",
            ty: OGRwkbGeometryType::wkbLineString,
            schema: if out.moves.iter().any(|m| m.network_km.is_some()) {
                MOVE_ROAD_SCHEMA
            } else {
                MOVE_SCHEMA
            },
            rows: rows_of(out.moves, |m| {
                let line: LineString<f64> =
                    m.line_lonlat().into_iter().map(|c| geo::coord! { x: c[0], y: c[1] }).collect();
                Some(Geometry::LineString(rounded(&line)))
            })?,
        },
        LayerData {
            name: "flows",
            ty: OGRwkbGeometryType::wkbLineString,
            schema: FLOW_SCHEMA,
            rows: rows_of(out.flows, |f| {
                Some(Geometry::LineString(rounded(&flows::curve_lonlat(f, FLOW_SEGMENTS))))
            })?,
        },
    ];
    if !inputs.districts.is_empty() {
        let mut districts: Vec<_> = inputs.districts.iter().collect();
        districts.sort_by(|a, b| a.name.cmp(&b.name).then(a.origin.index.cmp(&b.origin.index)));
        layers.push(LayerData {
            name: "districts",
            ty: OGRwkbGeometryType::wkbMultiPolygon,
            schema: DISTRICT_SCHEMA,
            rows: Rows::Held(
                districts
                    .iter()
                    .map(|d| {
                        text_row(
                            &[
                                ("name", &d.name),
                                ("area", district_role(&loaded.settings, &d.name)),
                            ],
                            Geometry::MultiPolygon(rounded(&d.area_lonlat)),
                        )
                    })
                    .collect(),
            ),
        });
    }
    if !inputs.zoning.is_empty() {
        let mut zones: Vec<_> = inputs.zoning.iter().collect();
        zones.sort_by(|a, b| a.id.cmp(&b.id).then(a.origin.index.cmp(&b.origin.index)));
        layers.push(LayerData {
            name: "zoning",
            ty: OGRwkbGeometryType::wkbMultiPolygon,
            schema: ZONING_SCHEMA,
            rows: Rows::Held(
                zones
                    .iter()
                    .map(|z| {
                        text_row(
                            &[("id", &z.id), ("planned_use", z.planned_use.as_str())],
                            Geometry::MultiPolygon(rounded(&z.area_lonlat)),
                        )
                    })
                    .collect(),
            ),
        });
    }
    Ok(layers)
}

/// The names of the layers `plan.gpkg` holds for this plan, in writing order.
pub fn layer_names(plan: &Plan) -> Vec<&'static str> {
    let inputs = &plan.assessed.loaded.inputs;
    let mut names = vec!["factories", "parks", "moves", "flows"];
    if !inputs.districts.is_empty() {
        names.push("districts");
    }
    if !inputs.zoning.is_empty() {
        names.push("zoning");
    }
    names
}

const STYLE_FIELDS: &[(&str, Kind)] = &[
    ("f_table_catalog", Text),
    ("f_table_schema", Text),
    ("f_table_name", Text),
    ("f_geometry_column", Text),
    ("styleName", Text),
    ("styleQML", Text),
    ("styleSLD", Text),
    ("useAsDefault", Integer),
    ("description", Text),
    ("owner", Text),
    ("ui", Text),
    ("update_time", Kind::DateTime),
];

/// The geometry column GDAL gives GeoPackage layers, which `layer_styles` must name.
const GEOMETRY_COLUMN: &str = "geom";

fn style_rows(
    names: &[&str],
    settings: &Settings,
    uses: &[PlannedUse],
    flow_max: usize,
) -> Vec<Row> {
    names
        .iter()
        .filter_map(|name| styles::style(name, settings.lang, uses, flow_max).map(|s| (name, s)))
        .map(|(name, style)| {
            let mut fields = Map::new();
            // QGIS finds a layer's style with `f_table_schema=''`: empty text, not null.
            for (k, v) in [
                ("f_table_catalog", ""),
                ("f_table_schema", ""),
                ("f_table_name", name),
                ("f_geometry_column", GEOMETRY_COLUMN),
                ("styleName", name),
                ("styleSLD", ""),
                ("description", "written by relocate"),
                ("owner", ""),
                ("ui", ""),
            ] {
                fields.insert(k.to_string(), Value::String(v.to_string()));
            }
            fields.insert("styleQML".to_string(), Value::String(style.qml()));
            fields.insert("useAsDefault".to_string(), Value::from(1));
            // Pinned like the GeoPackage's own timestamps, for byte-identical output.
            fields.insert("update_time".to_string(), Value::String(FIXED_DATE.to_string()));
            Row { fields, geometry: None }
        })
        .collect()
}

/// Writes a GeoPackage at `path` (which must not exist yet) holding one point layer, `layer`,
/// with its QGIS style when `styles::style` has one: a point per item at `location` (lon/lat),
/// the item's fields by `schema` (`relocate sensitivity`'s `stability` layer).
pub fn write_point_layer<T: serde::Serialize>(
    path: &Path,
    layer: &'static str,
    schema: &'static [(&'static str, Kind)],
    items: &[T],
    location: impl Fn(&T) -> Option<geo::Point<f64>>,
    settings: &Settings,
) -> Result<()> {
    let data = vec![LayerData {
        name: layer,
        ty: OGRwkbGeometryType::wkbPoint,
        schema,
        rows: rows_of(items, |r| location(r).map(|p| Geometry::Point(rounded(&p))))?,
    }];
    let styles = style_rows(&[layer], settings, &[], 0);
    with_pinned_date(|| write_datasets(path, data, styles))
}

/// Writes `plan.gpkg` at `path` (which must not exist yet).
pub fn write_gpkg(plan: &Plan, out: &GpkgLayers, path: &Path) -> Result<()> {
    let data = layers(plan, out)?;
    let names: Vec<&str> = data.iter().map(|l| l.name).collect();
    let uses = styles::planned_uses(&plan.assessed.loaded.inputs);
    let flow_max = out.flows.iter().map(|f| f.factories).max().unwrap_or(0);
    let styles = style_rows(&names, &plan.assessed.loaded.settings, &uses, flow_max);

    with_pinned_date(|| write_datasets(path, data, styles))
}

/// Runs `write` with GDAL's timestamps pinned (`OGR_CURRENT_DATE`), so the same plan gives the
/// same GeoPackage bytes. Thread-local, so a run writing two plans in parallel threads stays
/// deterministic and no other GDAL user in the process sees the pinned date.
fn with_pinned_date(write: impl FnOnce() -> Result<()>) -> Result<()> {
    gdal::config::set_thread_local_config_option("OGR_CURRENT_DATE", FIXED_DATE)?;
    let result = write();
    let cleared = gdal::config::clear_thread_local_config_option("OGR_CURRENT_DATE");
    result?;
    cleared?;
    Ok(())
}

fn write_datasets(path: &Path, data: Vec<LayerData>, styles: Vec<Row>) -> Result<()> {
    let driver = DriverManager::get_driver_by_name("GPKG")?;
    let mut ds = driver
        .create_vector_only(path)
        .map_err(|e| Error::Gdal(format!("{}: cannot create: {e}", path.display())))?;
    let srs = SpatialRef::from_epsg(4326)?;
    {
        let mut txn = ds
            .start_transaction()
            .map_err(|e| Error::Gdal(format!("{FILE}: cannot start a transaction: {e}")))?;
        for l in &data {
            let mut layer = txn
                .create_layer(LayerOptions {
                    name: l.name,
                    srs: Some(&srs),
                    ty: l.ty,
                    options: Some(&["SPATIAL_INDEX=YES", "FID=fid", "GEOMETRY_NAME=geom"]),
                })
                .map_err(|e| gdal_err(l.name, "create", e))?;
            write_layer(&mut layer, l.name, l.schema, &l.rows)?;
        }
        let mut layer = txn
            .create_layer(LayerOptions {
                name: "layer_styles",
                srs: None,
                ty: OGRwkbGeometryType::wkbNone,
                options: Some(&["FID=id"]),
            })
            .map_err(|e| gdal_err("layer_styles", "create", e))?;
        write_layer(&mut layer, "layer_styles", STYLE_FIELDS, &Rows::Held(styles))?;
        txn.commit().map_err(|e| Error::Gdal(format!("{FILE}: cannot commit: {e}")))?;
    }
    ds.close().map_err(|e| Error::Gdal(format!("{}: cannot close: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::rows::{FACTORY_FIELDS, MOVE_FIELDS, MOVE_ROAD_FIELDS, PARK_FIELDS};
    use geo::Point;

    fn names<'a>(schema: &[(&'a str, Kind)]) -> Vec<&'a str> {
        schema.iter().map(|(n, _)| *n).collect()
    }

    #[test]
    fn layer_schemas_follow_the_shared_row_fields() {
        assert_eq!(names(FACTORY_SCHEMA), FACTORY_FIELDS);
        assert_eq!(names(PARK_SCHEMA), PARK_FIELDS);
        assert_eq!(names(MOVE_SCHEMA), MOVE_FIELDS);
        let road: Vec<&str> = MOVE_FIELDS.iter().chain(MOVE_ROAD_FIELDS).copied().collect();
        assert_eq!(names(MOVE_ROAD_SCHEMA), road);
    }

    #[test]
    fn rounding_keeps_six_decimals() {
        let p = rounded(&Point::new(106.123_456_78, 10.987_654_32));
        assert_eq!((p.x(), p.y()), (106.123_457, 10.987_654));
    }
}
