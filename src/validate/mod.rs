//! Validation: every problem in the inputs, each naming file, feature and field; then typed,
//! reprojected `Inputs` in the metric working CRS.
//!
//! 1. Check the scenario's column mapping (`[inputs.fields.<layer>]`) names real fields, and
//!    that mapped and required columns exist in files that have a schema.
//! 2. Per feature: read every field (types, vocabularies, ranges), check the geometry (type per
//!    layer, empty, non-finite, invalid); collect every problem, never stop at the first.
//! 3. Duplicate ids (compared as text) within a layer.
//! 4. Transform each layer to lon/lat in one batch and check its source CRS's area of use.
//! 5. Choose the working CRS (WGS 84 / UTM zone of the lon/lat centre of all data), transform
//!    each layer to it in one batch, check areas in square metres.
//! 6. `--on-invalid abort`: any problem fails with all of them, sorted by file then position.
//!    `skip`: features with problems are left out and returned; problems with a whole file
//!    still fail.

use std::collections::{BTreeMap, BTreeSet};

use geo::{BoundingRect, Distance, Euclidean, Geometry, MultiPolygon, Rect};
use rayon::prelude::*;

use crate::error::{Error, Problem, Result};
use crate::input::{crs, schema, RawInputs, RawLayer};
use crate::model::{
    Corridor, CorridorShape, District, Factory, FireRisk, Gate, HazardClass, InputFile, Inputs,
    NameKey, Oneway, Origin, Park, ParkClass, ParkKind, PlannedUse, Receptor, Records, Road, Site,
    WorkingCrs, Zone,
};
use crate::scenario::OnInvalid;
use crate::scenario::{Key, Layer, Settings};

mod fields;
mod geometry;

use fields::{field_label, Row};

/// The validated inputs and the features left out with `--on-invalid skip`.
#[derive(Clone, Debug)]
pub struct Validated {
    pub inputs: Inputs,
    pub skipped: Vec<Problem>,
}

/// A layer's attributes, read and checked, before geometry is attached.
#[derive(Clone, Debug)]
enum Attrs {
    Park {
        id: String,
        name: String,
        available_ha: f64,
        district: Option<String>,
        kind: ParkKind,
        class: ParkClass,
        total_ha: Option<f64>,
        ready_year: Option<i32>,
        sectors: Vec<String>,
        excluded_sectors: Vec<String>,
        max_hazard_class: Option<HazardClass>,
    },
    Factory {
        id: String,
        name: String,
        sector: String,
        land_ha: f64,
        employees: Option<u32>,
        district: Option<String>,
        hazard_class: Option<HazardClass>,
        fire_risk: Option<FireRisk>,
        records: Records,
    },
    Zone {
        id: String,
        planned_use: PlannedUse,
    },
    Receptor {
        id: String,
        kind: String,
    },
    Corridor {
        id: String,
        kind: String,
        width_m: Option<f64>,
    },
    District {
        name: String,
    },
    Gate {
        id: String,
        park_id: String,
    },
    Road {
        id: String,
        class: String,
        speed_kmh: Option<f64>,
        oneway: Oneway,
        no_trucks: bool,
    },
}

/// One feature on its way through the checks.
struct Item {
    index: usize,
    /// The id as read (for duplicates), when readable.
    id: Option<String>,
    /// The feature as messages name it: its id, else `#n`.
    label: String,
    problems: Vec<(String, String)>,
    attrs: Option<Attrs>,
    /// Source CRS, then lon/lat after step 4.
    lonlat: Option<Geometry<f64>>,
    metric: Option<Geometry<f64>>,
}

impl Item {
    fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

struct LayerWork {
    layer: Layer,
    shown: String,
    sha256: String,
    crs: String,
    crs_label: String,
    area_of_use: Option<crate::input::LonLatBounds>,
    read: usize,
    items: Vec<Item>,
}

/// Checks every layer and builds typed inputs; with `--on-invalid abort` any problem is an
/// `Error::Invalid` listing them all. (Stage entry point.)
pub fn validate(raw: RawInputs, settings: &Settings) -> Result<Validated> {
    let _quiet = crs::QuietGdal::new();
    let mut file_problems: Vec<Problem> = mapping_problems(settings);
    let mut work: Vec<LayerWork> = Vec::with_capacity(raw.layers.len());
    for layer in raw.layers {
        let empty = BTreeMap::new();
        let mapping = settings.layer(layer.layer).map(|l| &l.fields).unwrap_or(&empty);
        work.push(check_layer(layer, mapping, &mut file_problems));
    }

    for w in &mut work {
        to_lonlat(w);
    }
    let (epsg, name) = working_crs(&work);
    let working = format!("EPSG:{epsg}");
    for w in &mut work {
        to_metric(w, &working);
    }
    check_gates(&mut work);

    // Every problem, sorted by file, then position (file-wide problems first), then as found.
    let mut keyed: Vec<(String, Option<usize>, usize, Problem)> = file_problems
        .into_iter()
        .enumerate()
        .map(|(seq, p)| (p.file.clone(), None, seq, p))
        .collect();
    let file_wide = keyed.len();
    for w in &work {
        for item in &w.items {
            for (field, message) in &item.problems {
                let p = Problem::new(
                    w.shown.clone(),
                    item.label.clone(),
                    field.clone(),
                    message.clone(),
                );
                keyed.push((w.shown.clone(), Some(item.index), keyed.len(), p));
            }
        }
    }
    keyed.sort_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
    let any_feature_problem = keyed.len() > file_wide;
    if file_wide > 0 || (any_feature_problem && settings.on_invalid == OnInvalid::Abort) {
        return Err(Error::Invalid(keyed.into_iter().map(|k| k.3).collect()));
    }
    let skipped: Vec<Problem> = keyed.into_iter().map(|k| k.3).collect();

    let mut inputs = assemble(work, WorkingCrs { epsg, name });
    let mut scenario = apply_park_overrides(settings, &mut inputs);
    scenario.extend(scenario_problems(settings, &inputs));
    if !scenario.is_empty() {
        return Err(Error::Invalid(scenario));
    }
    Ok(Validated { inputs, skipped })
}

/// How far a gate may lie from its park's boundary: a gate opens the park onto a road, so
/// one farther out names the wrong park (or the wrong place).
const GATE_REACH_M: f64 = 1_000.0;

/// Each gate opens into a park of the parks layer, at its boundary (within `GATE_REACH_M`).
fn check_gates(work: &mut [LayerWork]) {
    let parks: BTreeMap<String, Option<MultiPolygon<f64>>> = work
        .iter()
        .filter(|w| w.layer == Layer::Parks)
        .flat_map(|w| &w.items)
        .filter_map(|i| match (&i.attrs, &i.metric) {
            (Some(Attrs::Park { id, .. }), Some(Geometry::MultiPolygon(mp))) => {
                Some((id.trim().to_string(), Some(mp.clone())))
            }
            (Some(Attrs::Park { id, .. }), _) => Some((id.trim().to_string(), None)),
            _ => None,
        })
        .collect();
    let parks_file =
        work.iter().find(|w| w.layer == Layer::Parks).map(|w| w.shown.clone()).unwrap_or_default();
    for w in work.iter_mut().filter(|w| w.layer == Layer::Gates) {
        for item in &mut w.items {
            let (Some(Attrs::Gate { park_id, .. }), Some(Geometry::Point(at))) =
                (&item.attrs, &item.metric)
            else {
                continue;
            };
            match parks.get(park_id) {
                None => item.problems.push((
                    "park_id".to_string(),
                    format!("no park has the id {park_id:?} in {parks_file}"),
                )),
                Some(Some(area)) => {
                    let away = Euclidean.distance(at, area);
                    if away > GATE_REACH_M {
                        item.problems.push((
                            "geometry".to_string(),
                            format!(
                                "{:.1} km from the boundary of park {park_id:?}; a gate lies on its park's boundary (within {:.0} m)",
                                away / 1000.0,
                                GATE_REACH_M
                            ),
                        ));
                    }
                }
                Some(None) => {}
            }
        }
    }
}

/// `[parks.override]`: a variant's change to a park's land or opening year, applied to the park
/// read; an id that no park has is a problem naming it (a typo would silently change nothing).
fn apply_park_overrides(settings: &Settings, inputs: &mut Inputs) -> Vec<Problem> {
    let mut out = Vec::new();
    for (id, o) in &settings.park_overrides {
        match inputs.parks.iter_mut().find(|p| p.id.trim() == id) {
            Some(park) => {
                if let Some(ha) = o.available_ha {
                    park.available_ha = ha;
                }
                if let Some(year) = o.ready_year {
                    park.ready_year = Some(year);
                }
            }
            None => {
                let path = [Key::Name("parks"), Key::Name("override"), Key::Name(id)];
                let (file, key) = settings.chain.label(&path, &settings.scenario_shown);
                let parks = settings.layer(Layer::Parks).map(|l| l.source.shown()).unwrap_or("");
                out.push(Problem::new(
                    file,
                    "",
                    key,
                    format!("no park has the id {id:?} in {parks}"),
                ));
            }
        }
    }
    out
}

/// Scenario values that only the layers can prove wrong: an area name that no district carries
/// (a typo would silently put hundreds of factories out of scope or leave parks unused), and a
/// hazard class with no separation distance (its factories would never be screened for C2).
fn scenario_problems(settings: &Settings, inputs: &Inputs) -> Vec<Problem> {
    let problem = |path: &[Key<'_>], message: String| {
        let (file, key) = settings.chain.label(path, &settings.scenario_shown);
        Problem::new(file, "", key, message)
    };
    let mut out = Vec::new();
    let polygons: BTreeSet<NameKey> =
        inputs.districts.iter().map(|d| NameKey::new(&d.name)).collect();
    let factory_districts: BTreeSet<NameKey> =
        NameKey::fold_distinct(inputs.factories.iter().filter_map(|f| f.district.as_deref()))
            .into_values()
            .collect();
    let park_districts: BTreeSet<NameKey> =
        NameKey::fold_distinct(inputs.parks.iter().filter_map(|p| p.district.as_deref()))
            .into_values()
            .collect();
    let areas = [
        ("origin", &settings.origin, &factory_districts, "factory"),
        ("destination", &settings.destination, &park_districts, "park"),
    ];
    for (key, names, carried, what) in areas {
        for (i, name) in names.iter().enumerate() {
            let folded = NameKey::new(name);
            if !polygons.contains(&folded) && !carried.contains(&folded) {
                out.push(problem(
                    &[Key::Name("area"), Key::Name(key), Key::Index(i)],
                    format!(
                        "{name:?} is not the name of any districts polygon nor the district of any {what}; check the spelling against the districts layer"
                    ),
                ));
            }
        }
    }
    if settings.criteria.environment {
        let mut missing: BTreeMap<HazardClass, (usize, &str)> = BTreeMap::new();
        for f in &inputs.factories {
            if let Some(class) = f.hazard_class {
                if !settings.criteria.separation_m.contains_key(&class) {
                    let entry = missing.entry(class).or_insert((0, f.id.as_str()));
                    entry.0 += 1;
                }
            }
        }
        for (class, (count, first)) in missing {
            out.push(problem(
                &[Key::Name("criteria"), Key::Name("separation_m")],
                format!(
                    "no distance for hazard class {class}, which {count} factories carry (first {first}); their C2 screening needs one (TCVN 4449:1987: I 1000, II 500, III 300, IV 100, V 50 m)"
                ),
            ));
        }
    }
    out
}

/// Mapped names that are not fields of their layer: a typo there would silently read nothing.
fn mapping_problems(settings: &Settings) -> Vec<Problem> {
    let mut out = Vec::new();
    for input in &settings.layers {
        for key in input.fields.keys() {
            if !schema::is_mappable(input.layer, key) {
                let mut expected: Vec<&str> = schema::fields(input.layer).to_vec();
                expected.extend_from_slice(schema::COORDINATE_FIELDS);
                out.push(Problem::new(
                    settings.scenario_shown.clone(),
                    "",
                    format!("inputs.fields.{}.{key}", input.layer.as_str()),
                    format!("unknown field; expected one of {}", expected.join(", ")),
                ));
            }
        }
    }
    out
}

/// Step 1–3 for one layer: columns, fields, geometry, duplicate ids.
fn check_layer(
    raw: RawLayer,
    mapping: &BTreeMap<String, String>,
    file_problems: &mut Vec<Problem>,
) -> LayerWork {
    file_problems.extend(raw.problems);
    let layer = raw.layer;
    let shown = raw.shown;

    // Columns the file lacks: a required one is reported once here, not for every feature.
    let mut absent = BTreeSet::new();
    if let Some(columns) = &raw.columns {
        for field in schema::fields(layer) {
            let column = mapping.get(*field).map(String::as_str).unwrap_or(field);
            if columns.iter().any(|c| c == column) {
                continue;
            }
            let required = schema::required(layer).contains(field);
            if required || mapping.contains_key(*field) {
                let what = if required { "required" } else { "mapped" };
                file_problems.push(Problem::new(
                    shown.clone(),
                    "",
                    field_label(mapping, field),
                    format!(
                        "{what} column {column:?} is not in the file; the columns are {}",
                        columns.join(", ")
                    ),
                ));
                absent.insert((*field).to_string());
            }
        }
    }

    let read = raw.features.len();
    let tabular = raw.tabular;
    // Features are checked one by one, independently: in parallel, in file order.
    let mut items: Vec<Item> = raw
        .features
        .into_par_iter()
        .with_min_len(1024)
        .map(|f| {
            let mut row = Row::new(&f.properties, mapping, tabular, &absent);
            let id_required = schema::required(layer).contains(&"id");
            let id = row.id(id_required);
            let label = id.clone().unwrap_or_else(|| format!("#{}", f.index + 1));
            let geometry = geometry::check(f.geometry, layer);
            let is_line = matches!(geometry, Ok(Geometry::MultiLineString(_)));
            let attrs = read_attrs(layer, &mut row, id.clone(), f.index, is_line);
            let mut problems = f.problems;
            problems.append(&mut row.problems);
            // A geometry problem found while reading already says what is wrong with it.
            let read_geometry_problem = problems.iter().any(|(field, _)| field == "geometry");
            let lonlat = match geometry {
                Ok(g) => Some(g),
                Err(messages) => {
                    if !read_geometry_problem {
                        problems.extend(messages.into_iter().map(|m| ("geometry".to_string(), m)));
                    }
                    None
                }
            };
            Item { index: f.index, id, label, problems, attrs, lonlat, metric: None }
        })
        .collect();

    // Ids are compared as text: "1" and 1 are the same id. Later uses are the problem.
    let mut first: BTreeMap<String, usize> = BTreeMap::new();
    for item in &mut items {
        let Some(id) = &item.id else { continue };
        match first.get(id) {
            Some(at) => item.problems.push((
                field_label(mapping, "id"),
                format!("duplicate id: feature #{} already uses it", at + 1),
            )),
            None => {
                first.insert(id.clone(), item.index);
            }
        }
    }

    LayerWork {
        layer,
        shown,
        sha256: raw.sha256,
        crs: raw.crs,
        crs_label: raw.crs_label,
        area_of_use: raw.area_of_use,
        read,
        items,
    }
}

/// Reads the attributes of one feature; `None` when any is wrong (the row holds the problems).
fn read_attrs(
    layer: Layer,
    row: &mut Row,
    id: Option<String>,
    index: usize,
    is_line: bool,
) -> Option<Attrs> {
    let before = row.problems.len();
    let hazard = |t: &str| HazardClass::parse(t);
    let position_id = || format!("#{}", index + 1);
    let attrs = match layer {
        Layer::Parks => {
            let name = row.text("name", true);
            let available_ha = row.number("available_ha", true);
            let total_ha = row.number("total_ha", false);
            if let Some(a) = available_ha.filter(|a| *a < 0.0) {
                row.reject("available_ha", format!("must be 0 or more hectares, found {a}"));
            }
            if let Some(t) = total_ha.filter(|t| *t <= 0.0) {
                row.reject("total_ha", format!("must be greater than 0 hectares, found {t}"));
            }
            if let (Some(a), Some(t)) = (available_ha, total_ha) {
                if a > t && t > 0.0 {
                    row.reject(
                        "available_ha",
                        format!("{a} ha is more than the park's total_ha of {t} ha"),
                    );
                }
            }
            let district = row.text("district", false);
            let kind = row.choice("kind", false, ParkKind::parse, &ParkKind::expected());
            let class = row.choice("class", false, ParkClass::parse, &ParkClass::expected());
            let ready_year = row.year("ready_year");
            let sectors = row.list("sectors");
            let excluded_sectors = row.list("excluded_sectors");
            let max_hazard_class =
                row.choice("max_hazard_class", false, hazard, "I, II, III, IV or V");
            Attrs::Park {
                id: id?,
                name: name?,
                available_ha: available_ha?,
                district,
                kind: kind.unwrap_or(ParkKind::Park),
                class: class.unwrap_or(ParkClass::General),
                total_ha,
                ready_year,
                sectors,
                excluded_sectors,
                max_hazard_class,
            }
        }
        Layer::Factories => {
            let name = row.text("name", true);
            let sector = row.text("sector", true);
            let land_ha = row.number("land_ha", true);
            if let Some(l) = land_ha.filter(|l| *l <= 0.0) {
                row.reject("land_ha", format!("must be greater than 0 hectares, found {l}"));
            }
            let employees = row.integer(
                "employees",
                false,
                0,
                i64::from(u32::MAX),
                "a whole number of employees, 0 or more",
            );
            let district = row.text("district", false);
            let hazard_class =
                row.choice("hazard_class", false, hazard, "I, II, III, IV or V (or empty)");
            let fire_risk = row.choice("fire_risk", false, FireRisk::parse, &FireRisk::expected());
            let records = Records {
                construction_violation: row.boolean("construction_violation"),
                environment_violation: row.boolean("environment_violation"),
                environment_remediable: row.boolean("environment_remediable"),
                fire_violation: row.boolean("fire_violation"),
                fire_remediable: row.boolean("fire_remediable"),
                land_use_conforming: row.boolean("land_use_conforming"),
                wants_relocation: row.boolean("wants_relocation"),
            };
            Attrs::Factory {
                id: id?,
                name: name?,
                sector: sector?,
                land_ha: land_ha?,
                employees: employees.and_then(|e| u32::try_from(e).ok()),
                district,
                hazard_class,
                fire_risk,
                records,
            }
        }
        Layer::Zoning => {
            let planned_use =
                row.choice("planned_use", true, PlannedUse::parse, &PlannedUse::expected());
            Attrs::Zone { id: id.unwrap_or_else(position_id), planned_use: planned_use? }
        }
        Layer::Receptors => Attrs::Receptor {
            kind: row.text("kind", false).unwrap_or_default(),
            id: id.unwrap_or_else(position_id),
        },
        Layer::Corridors => {
            let kind = row.text("kind", false).unwrap_or_default();
            let width_m = row.number("width_m", false);
            match width_m {
                Some(w) if w <= 0.0 => {
                    row.reject("width_m", format!("must be greater than 0 metres, found {w}"))
                }
                None if is_line => row.reject(
                    "width_m",
                    "required for a corridor drawn as a line (its full width in metres)",
                ),
                _ => {}
            }
            Attrs::Corridor { id: id.unwrap_or_else(position_id), kind, width_m }
        }
        Layer::Districts => Attrs::District { name: row.text("name", true)? },
        Layer::Gates => Attrs::Gate {
            park_id: row.text("park_id", true)?.trim().to_string(),
            id: id.unwrap_or_else(position_id),
        },
        Layer::Roads => {
            let highway = row.text("highway", false);
            let class = row.text("class", false);
            let speed_kmh = row.number("speed_kmh", false);
            if let Some(s) = speed_kmh.filter(|s| !(*s > 0.0 && *s <= 200.0)) {
                row.reject("speed_kmh", format!("must be a speed from 0 to 200 km/h, found {s}"));
            }
            let oneway = row.oneway("oneway");
            let access = row.text("access", false).unwrap_or_default().to_ascii_lowercase();
            let hgv = row.text("hgv", false).unwrap_or_default().to_ascii_lowercase();
            Attrs::Road {
                id: id.unwrap_or_else(position_id),
                class: highway.or(class).unwrap_or_default().trim().to_lowercase(),
                speed_kmh,
                oneway: oneway.unwrap_or(Oneway::Both),
                no_trucks: matches!(hgv.as_str(), "no" | "false" | "0")
                    || matches!(access.as_str(), "no" | "private" | "destination"),
            }
        }
    };
    (row.problems.len() == before).then_some(attrs)
}

/// Step 4: source CRS → lon/lat in one batch, then the area-of-use check.
fn to_lonlat(w: &mut LayerWork) {
    if w.crs.is_empty() {
        // The layer's CRS is unknown (a file-wide problem says why): nothing can be placed.
        for item in &mut w.items {
            item.lonlat = None;
        }
        return;
    }
    if w.crs != crs::LONLAT {
        let mut targets: Vec<&mut Item> =
            w.items.iter_mut().filter(|i| i.ok() && i.lonlat.is_some()).collect();
        let mut geoms: Vec<&mut Geometry<f64>> =
            targets.iter_mut().filter_map(|i| i.lonlat.as_mut()).collect();
        match crs::transform_geometries(&w.crs, crs::LONLAT, &mut geoms) {
            Ok(ok) => {
                for (item, ok) in targets.iter_mut().zip(ok) {
                    if !ok {
                        item.problems.push((
                            "geometry".to_string(),
                            format!(
                                "cannot be transformed from {} to longitude/latitude",
                                w.crs_label
                            ),
                        ));
                        item.lonlat = None;
                    }
                }
            }
            Err(e) => {
                for item in targets {
                    item.problems
                        .push(("geometry".to_string(), format!("cannot be transformed: {e}")));
                    item.lonlat = None;
                }
            }
        }
    }
    for item in &mut w.items {
        if !item.ok() {
            continue;
        }
        if let Some(g) = &item.lonlat {
            if let Err(e) = geometry::check_area_of_use(g, w.area_of_use.as_ref(), &w.crs_label) {
                item.problems.push(("geometry".to_string(), e));
            }
        }
    }
}

/// Step 5a: WGS 84 / UTM zone of the centre of every placed feature's lon/lat extent.
fn working_crs(work: &[LayerWork]) -> (u32, String) {
    let extent = work
        .iter()
        .flat_map(|w| w.items.iter())
        .filter(|i| i.ok())
        .filter_map(|i| i.lonlat.as_ref().and_then(BoundingRect::bounding_rect))
        .reduce(union);
    match extent {
        Some(r) => {
            let c = r.center();
            crs::utm_zone(c.x, c.y)
        }
        // No data at all: nothing is measured, any metric CRS does.
        None => crs::utm_zone(0.0, 0.0),
    }
}

fn union(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new(
        geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
        geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
    )
}

/// Step 5b: lon/lat → working CRS in one batch; areas checked in square metres.
fn to_metric(w: &mut LayerWork, working: &str) {
    let mut targets: Vec<&mut Item> =
        w.items.iter_mut().filter(|i| i.ok() && i.lonlat.is_some()).collect();
    for item in targets.iter_mut() {
        item.metric = item.lonlat.clone();
    }
    let mut geoms: Vec<&mut Geometry<f64>> =
        targets.iter_mut().filter_map(|i| i.metric.as_mut()).collect();
    let ok = match crs::transform_geometries(crs::LONLAT, working, &mut geoms) {
        Ok(ok) => ok,
        Err(e) => {
            for item in targets {
                item.problems.push((
                    "geometry".to_string(),
                    format!("cannot be transformed to {working}: {e}"),
                ));
            }
            return;
        }
    };
    for (item, ok) in targets.into_iter().zip(ok) {
        if !ok {
            item.problems
                .push(("geometry".to_string(), format!("cannot be transformed to {working}")));
            continue;
        }
        if let Some(g) = &item.metric {
            if let Err(e) = geometry::check_metric(g) {
                item.problems.push(("geometry".to_string(), e));
            }
        }
    }
}

fn multipolygon(g: Geometry<f64>) -> Option<MultiPolygon<f64>> {
    match g {
        Geometry::MultiPolygon(mp) => Some(mp),
        _ => None,
    }
}

/// Step 6: the typed model, from features without problems, in file order.
fn assemble(work: Vec<LayerWork>, working_crs: WorkingCrs) -> Inputs {
    let mut inputs = Inputs {
        parks: Vec::new(),
        factories: Vec::new(),
        zoning: Vec::new(),
        receptors: Vec::new(),
        corridors: Vec::new(),
        districts: Vec::new(),
        roads: Vec::new(),
        gates: Vec::new(),
        working_crs,
        files: Vec::new(),
    };
    for w in work {
        inputs.files.push(InputFile {
            layer: w.layer.as_str().to_string(),
            path: w.shown.clone(),
            sha256: w.sha256,
            crs: if w.crs.starts_with("EPSG:") { w.crs.clone() } else { w.crs_label.clone() },
            features: w.read,
        });
        for item in w.items {
            if !item.problems.is_empty() {
                continue;
            }
            let (Some(attrs), Some(lonlat), Some(metric)) = (item.attrs, item.lonlat, item.metric)
            else {
                continue;
            };
            let origin = Origin { file: w.shown.clone(), index: item.index };
            place(&mut inputs, attrs, origin, lonlat, metric);
        }
    }
    inputs
}

fn site(g: Geometry<f64>) -> Option<Site> {
    match g {
        Geometry::Point(p) => Some(Site::Point(p)),
        Geometry::MultiPolygon(mp) => Some(Site::Footprint(mp)),
        _ => None,
    }
}

fn place(
    inputs: &mut Inputs,
    attrs: Attrs,
    origin: Origin,
    lonlat: Geometry<f64>,
    metric: Geometry<f64>,
) {
    match attrs {
        Attrs::Park {
            id,
            name,
            available_ha,
            district,
            kind,
            class,
            total_ha,
            ready_year,
            sectors,
            excluded_sectors,
            max_hazard_class,
        } => {
            if let (Some(area), Some(area_lonlat)) = (multipolygon(metric), multipolygon(lonlat)) {
                inputs.parks.push(Park {
                    origin,
                    id,
                    name,
                    available_ha,
                    district,
                    kind,
                    class,
                    total_ha,
                    ready_year,
                    sectors,
                    excluded_sectors,
                    max_hazard_class,
                    area,
                    area_lonlat,
                });
            }
        }
        Attrs::Factory {
            id,
            name,
            sector,
            land_ha,
            employees,
            district,
            hazard_class,
            fire_risk,
            records,
        } => {
            let location = geometry::representative_point(&metric);
            let location_lonlat = geometry::representative_point(&lonlat);
            if let (Some(site), Some(site_lonlat), Some(location), Some(location_lonlat)) =
                (site(metric), site(lonlat), location, location_lonlat)
            {
                inputs.factories.push(Factory {
                    origin,
                    id,
                    name,
                    sector,
                    land_ha,
                    employees,
                    district,
                    hazard_class,
                    fire_risk,
                    records,
                    site,
                    location,
                    site_lonlat,
                    location_lonlat,
                });
            }
        }
        Attrs::Zone { id, planned_use } => {
            if let (Some(area), Some(area_lonlat)) = (multipolygon(metric), multipolygon(lonlat)) {
                inputs.zoning.push(Zone { origin, id, planned_use, area, area_lonlat });
            }
        }
        Attrs::Receptor { id, kind } => {
            inputs.receptors.push(Receptor { origin, id, kind, shape: metric })
        }
        Attrs::Corridor { id, kind, width_m } => {
            let shape = match (metric, width_m) {
                (Geometry::MultiPolygon(mp), _) => Some(CorridorShape::Area(mp)),
                (Geometry::MultiLineString(line), Some(width_m)) => {
                    Some(CorridorShape::Line { line, width_m })
                }
                _ => None,
            };
            if let Some(shape) = shape {
                inputs.corridors.push(Corridor { origin, id, kind, shape });
            }
        }
        Attrs::Road { id, class, speed_kmh, oneway, no_trucks } => {
            if let (Geometry::MultiLineString(line), Geometry::MultiLineString(line_lonlat)) =
                (metric, lonlat)
            {
                inputs.roads.push(Road {
                    origin,
                    id,
                    class,
                    speed_kmh,
                    oneway,
                    no_trucks,
                    line,
                    line_lonlat,
                });
            }
        }
        Attrs::Gate { id, park_id } => {
            if let Geometry::Point(location) = metric {
                inputs.gates.push(Gate { origin, id, park_id, location });
            }
        }
        Attrs::District { name } => {
            if let (Some(area), Some(area_lonlat)) = (multipolygon(metric), multipolygon(lonlat)) {
                inputs.districts.push(District { origin, name, area, area_lonlat });
            }
        }
    }
}

/// A short inventory of validated inputs: layers, feature counts, CRS, extent, land needed vs
/// offered.
pub fn inventory(inputs: &Inputs) -> String {
    let mut out = String::new();
    let kept = |layer: &str| match layer {
        "parks" => inputs.parks.len(),
        "factories" => inputs.factories.len(),
        "zoning" => inputs.zoning.len(),
        "receptors" => inputs.receptors.len(),
        "corridors" => inputs.corridors.len(),
        "districts" => inputs.districts.len(),
        "roads" => inputs.roads.len(),
        "gates" => inputs.gates.len(),
        _ => 0,
    };
    out.push_str("inputs:\n");
    let width = inputs.files.iter().map(|f| f.path.chars().count()).max().unwrap_or(0);
    for f in &inputs.files {
        let valid = kept(&f.layer);
        let left_out = if valid < f.features {
            format!(" ({} left out)", f.features - valid)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "  {:<10} {:<width$}  {:>8} features{left_out}  {}\n",
            f.layer, f.path, valid, f.crs
        ));
    }
    out.push_str(&format!(
        "working CRS: EPSG:{} ({})\n",
        inputs.working_crs.epsg, inputs.working_crs.name
    ));
    let rects = inputs
        .parks
        .iter()
        .filter_map(|p| p.area_lonlat.bounding_rect())
        .chain(inputs.factories.iter().filter_map(|f| f.site_lonlat.to_geometry().bounding_rect()))
        .chain(inputs.zoning.iter().filter_map(|z| z.area_lonlat.bounding_rect()))
        .chain(inputs.districts.iter().filter_map(|d| d.area_lonlat.bounding_rect()));
    match rects.reduce(union) {
        Some(r) => out.push_str(&format!(
            "extent: longitude {:.4} to {:.4}, latitude {:.4} to {:.4}\n",
            r.min().x,
            r.max().x,
            r.min().y,
            r.max().y
        )),
        None => out.push_str("extent: no features\n"),
    }
    // Adding 0.0 turns the empty sum (-0.0 in Rust) into 0.0, so "-0.0 ha" is never printed.
    let needed_ha: f64 = inputs.factories.iter().map(|f| f.land_ha).sum::<f64>() + 0.0;
    let offered_ha: f64 = inputs.parks.iter().map(|p| p.available_ha).sum::<f64>() + 0.0;
    let balance = if needed_ha > offered_ha {
        format!("short by {:.1} ha", needed_ha - offered_ha)
    } else {
        format!("{:.1} ha to spare", offered_ha - needed_ha)
    };
    out.push_str(&format!(
        "land: factories need {needed_ha:.1} ha; parks offer {offered_ha:.1} ha available ({balance})"
    ));
    out
}
