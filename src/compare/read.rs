//! Reading one finished plan folder (written by `relocate plan`) back: the figures of
//! `summary.json`, the factory and park rows of `factories.csv`/`parks.csv` (or their GeoJSON
//! and summary twins), and the positions of factories, destinations and park outlines from the
//! GeoJSON layers when they were written.
//!
//! Every problem of every folder is collected, so one run of `compare` names them all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use geo::{Coord, LineString, MultiPolygon, Point, Polygon};
use serde_json::{Map, Value};

use crate::error::Problem;
use crate::output::rows::interior_point;

/// One factory as a plan wrote it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FactoryRec {
    pub id: String,
    pub name: String,
    pub verdict: String,
    pub criteria: String,
    pub status: String,
    pub land_ha: f64,
    pub employees: Option<u64>,
    pub park_id: Option<String>,
    pub distance_km: Option<f64>,
    pub cost: Option<f64>,
    pub move_year: Option<i64>,
}

/// One park as a plan wrote it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParkRec {
    pub id: String,
    pub name: String,
    pub available_ha: f64,
    pub allocated_ha: f64,
    pub remaining_ha: f64,
    pub fill_pct: f64,
}

/// What `compare` reads of one plan folder.
#[derive(Clone, Debug, Default)]
pub struct Run {
    /// The folder as the user named it.
    pub dir: PathBuf,
    /// The column label: the folder's name, made unique among the runs.
    pub label: String,
    /// `summary.json` as written.
    pub summary: Value,
    /// Factories by id.
    pub factories: BTreeMap<String, FactoryRec>,
    /// Parks by id.
    pub parks: BTreeMap<String, ParkRec>,
    /// Factory locations (lon/lat) by factory id, when a GeoJSON layer gives them.
    pub factory_points: BTreeMap<String, Point<f64>>,
    /// Where move lines end (lon/lat) by park id: the end of the plan's own move lines, else a
    /// point inside the park's outline.
    pub park_points: BTreeMap<String, Point<f64>>,
    /// Park outlines (lon/lat) by park id, when `parks.geojson` was written.
    pub park_areas: BTreeMap<String, MultiPolygon<f64>>,
    /// The files read, so the output folder can never hold (and replace) one of them.
    pub files: Vec<PathBuf>,
}

impl Run {
    /// A figure of `summary.json` at a `/`-separated path (`land/assigned_ha`).
    pub fn figure(&self, path: &str) -> Option<f64> {
        path.split('/').try_fold(&self.summary, |v, key| v.get(key))?.as_f64()
    }

    /// Whether the park offers no land in this plan: absent, or `available_ha` 0.
    pub fn park_closed(&self, park_id: &str) -> bool {
        self.parks.get(park_id).map_or(true, |p| p.available_ha <= 0.0)
    }

    /// The cost weights the plan was made with (`summary.json` `cost_weights`: the scenario's
    /// after its variants are merged); plans written before it was recorded fall back to the
    /// `[scoring]` of the scenario text.
    pub fn scoring(&self) -> Option<serde_json::Value> {
        if let Some(weights) = self.summary.get("cost_weights") {
            return Some(weights.clone());
        }
        let text = self.summary.get("scenario")?.get("text")?.as_str()?;
        let table: toml::Table = text.parse().ok()?;
        serde_json::to_value(table.get("scoring")?).ok()
    }
}

/// Reads a plan folder, adding every problem found to `problems`. `None` when the folder cannot
/// be compared (problems then say why).
pub fn read_run(dir: &Path, problems: &mut Vec<Problem>) -> Option<Run> {
    let shown = dir.display().to_string();
    if !dir.is_dir() {
        let what = if dir.exists() { "is not a folder" } else { "no such folder" };
        problems.push(Problem::file(
            &shown,
            format!("{what}; compare reads folders written by `relocate plan`"),
        ));
        return None;
    }
    let summary_path = dir.join("summary.json");
    let csv_path = dir.join("factories.csv");
    let geojson_path = dir.join("factories.geojson");
    let mut missing = Vec::new();
    if !summary_path.is_file() {
        missing.push("summary.json");
    }
    if !csv_path.is_file() && !geojson_path.is_file() {
        missing.push("factories.csv");
    }
    if !missing.is_empty() {
        problems.push(Problem::file(
            &shown,
            format!(
                "not a finished plan folder: missing {}; run `relocate plan --out {shown}` first",
                missing.join(" and ")
            ),
        ));
        return None;
    }
    let start = problems.len();
    let mut run = Run { dir: dir.to_path_buf(), ..Run::default() };

    run.summary = read_json(&summary_path, problems).unwrap_or(Value::Null);
    run.files.push(summary_path.clone());
    match run.summary.get("command").and_then(Value::as_str) {
        Some("plan") => {}
        Some(other) => problems.push(Problem::file(
            summary_path.display().to_string(),
            format!("written by `relocate {other}`, not `relocate plan`: it holds no allocation to compare"),
        )),
        None if run.summary.is_object() => problems.push(Problem::file(
            summary_path.display().to_string(),
            "has no \"command\": not a summary written by `relocate plan`",
        )),
        None => {}
    }

    if csv_path.is_file() {
        run.files.push(csv_path.clone());
        for fields in read_csv(&csv_path, problems) {
            add_factory(&mut run, &csv_path, &fields, problems);
        }
    }
    let factories_layer =
        geojson_path.is_file().then(|| read_features(&geojson_path, problems)).flatten();
    if let Some(features) = &factories_layer {
        run.files.push(geojson_path.clone());
        let from_layer = run.factories.is_empty();
        for (fields, geometry) in features {
            if from_layer {
                add_factory(&mut run, &geojson_path, fields, problems);
            }
            if let (Some(id), Some(p)) = (fields.get("id"), geometry.as_ref().and_then(point)) {
                run.factory_points.insert(id.clone(), p);
            }
        }
    }

    let parks_csv = dir.join("parks.csv");
    if parks_csv.is_file() {
        run.files.push(parks_csv.clone());
        for fields in read_csv(&parks_csv, problems) {
            add_park(&mut run, &parks_csv, &fields, problems);
        }
    } else if let Some(parks) = run.summary.get("parks").and_then(Value::as_array).cloned() {
        for park in &parks {
            let fields = park.as_object().map(text_fields).unwrap_or_default();
            add_park(&mut run, &summary_path, &fields, problems);
        }
    }
    let parks_layer = dir.join("parks.geojson");
    if parks_layer.is_file() {
        run.files.push(parks_layer.clone());
        for (fields, geometry) in read_features(&parks_layer, problems).unwrap_or_default() {
            if let (Some(id), Some(area)) = (fields.get("id"), geometry.as_ref().and_then(area)) {
                run.park_areas.insert(id.clone(), area);
            }
        }
    }
    let moves_layer = dir.join("moves.geojson");
    if moves_layer.is_file() {
        run.files.push(moves_layer.clone());
        for (fields, geometry) in read_features(&moves_layer, problems).unwrap_or_default() {
            let Some(line) = geometry.as_ref().and_then(line) else { continue };
            if let (Some(id), Some(first)) = (fields.get("factory_id"), line.0.first()) {
                run.factory_points.entry(id.clone()).or_insert(Point::from(*first));
            }
            if let (Some(id), Some(last)) = (fields.get("park_id"), line.0.last()) {
                run.park_points.entry(id.clone()).or_insert(Point::from(*last));
            }
        }
    }
    for (id, area) in &run.park_areas {
        if !run.park_points.contains_key(id) {
            if let Some(p) = interior_point(area) {
                run.park_points.insert(id.clone(), p);
            }
        }
    }
    (problems.len() == start).then_some(run)
}

fn read_json(path: &Path, problems: &mut Vec<Problem>) -> Option<Value> {
    let shown = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            problems.push(Problem::file(shown, format!("cannot read: {e}")));
            return None;
        }
    };
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    match serde_json::from_slice(text) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(Problem::file(shown, format!("is not valid JSON: {e}")));
            None
        }
    }
}

/// A spreadsheet cell as it was before `tables::neutralise` protected it: a `'` put in front
/// of a text that a spreadsheet would run as a formula is taken off again.
fn unneutralise(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => cell.to_string(),
    }
}

/// The records of a CSV written by `tables::write_csv`, each as column → text.
fn read_csv(path: &Path, problems: &mut Vec<Problem>) -> Vec<BTreeMap<String, String>> {
    let shown = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            problems.push(Problem::file(shown, format!("cannot read: {e}")));
            return Vec::new();
        }
    };
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().from_reader(text);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            problems.push(Problem::file(shown, format!("cannot read the header: {e}")));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        match record {
            Ok(r) => out.push(
                header.iter().zip(r.iter()).map(|(h, v)| (h.clone(), unneutralise(v))).collect(),
            ),
            Err(e) => {
                problems.push(Problem::new(&shown, format!("#{}", i + 1), "", e.to_string()));
                return out;
            }
        }
    }
    out
}

/// A JSON object's members as text (numbers as written, `null` left out).
fn text_fields(map: &Map<String, Value>) -> BTreeMap<String, String> {
    map.iter()
        .filter_map(|(k, v)| {
            let text = match v {
                Value::Null => return None,
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some((k.clone(), text))
        })
        .collect()
}

type Features = Vec<(BTreeMap<String, String>, Option<Value>)>;

/// The features of a GeoJSON layer written by `relocate plan`: properties as text, geometry.
fn read_features(path: &Path, problems: &mut Vec<Problem>) -> Option<Features> {
    let value = read_json(path, problems)?;
    let Some(features) = value.get("features").and_then(Value::as_array) else {
        problems.push(Problem::file(path.display().to_string(), "is not a FeatureCollection"));
        return None;
    };
    Some(
        features
            .iter()
            .map(|f| {
                let fields = f
                    .get("properties")
                    .and_then(Value::as_object)
                    .map(text_fields)
                    .unwrap_or_default();
                (fields, f.get("geometry").filter(|g| !g.is_null()).cloned())
            })
            .collect(),
    )
}

fn position(v: &Value) -> Option<Coord<f64>> {
    let a = v.as_array()?;
    Some(Coord { x: a.first()?.as_f64()?, y: a.get(1)?.as_f64()? })
}

fn positions(v: &Value) -> Option<LineString<f64>> {
    v.as_array()?.iter().map(position).collect::<Option<Vec<_>>>().map(LineString::new)
}

fn polygon(v: &Value) -> Option<Polygon<f64>> {
    let mut rings = v.as_array()?.iter().map(positions);
    let exterior = rings.next()??;
    Some(Polygon::new(exterior, rings.collect::<Option<Vec<_>>>()?))
}

fn geometry_type(g: &Value) -> Option<&str> {
    g.get("type")?.as_str()
}

fn point(g: &Value) -> Option<Point<f64>> {
    (geometry_type(g)? == "Point").then(|| position(g.get("coordinates")?).map(Point::from))?
}

fn line(g: &Value) -> Option<LineString<f64>> {
    (geometry_type(g)? == "LineString").then(|| positions(g.get("coordinates")?))?
}

fn area(g: &Value) -> Option<MultiPolygon<f64>> {
    let coordinates = g.get("coordinates")?;
    match geometry_type(g)? {
        "Polygon" => Some(MultiPolygon::new(vec![polygon(coordinates)?])),
        "MultiPolygon" => coordinates
            .as_array()?
            .iter()
            .map(polygon)
            .collect::<Option<Vec<_>>>()
            .map(MultiPolygon::new),
        _ => None,
    }
}

/// Reads an optional number field; a text that is not one is a problem.
fn number<T: std::str::FromStr>(
    fields: &BTreeMap<String, String>,
    key: &str,
    file: &Path,
    id: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let text = fields.get(key).map(|s| s.trim()).filter(|s| !s.is_empty())?;
    match text.parse::<T>() {
        Ok(v) => Some(v),
        Err(_) => {
            problems.push(Problem::new(
                file.display().to_string(),
                id,
                key,
                format!("expected a number, found {text:?}"),
            ));
            None
        }
    }
}

fn add_factory(
    run: &mut Run,
    file: &Path,
    fields: &BTreeMap<String, String>,
    problems: &mut Vec<Problem>,
) {
    let Some(id) = fields.get("id").filter(|s| !s.is_empty()).cloned() else {
        problems.push(Problem::new(file.display().to_string(), "", "id", "a factory has no id"));
        return;
    };
    let text = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let rec = FactoryRec {
        name: text("name"),
        verdict: text("verdict"),
        criteria: text("criteria"),
        status: text("status"),
        land_ha: number(fields, "land_ha", file, &id, problems).unwrap_or(0.0),
        employees: number(fields, "employees", file, &id, problems),
        park_id: fields.get("park_id").filter(|s| !s.is_empty()).cloned(),
        distance_km: number(fields, "distance_km", file, &id, problems),
        cost: number(fields, "cost", file, &id, problems),
        move_year: number(fields, "move_year", file, &id, problems),
        id: id.clone(),
    };
    if run.factories.insert(id.clone(), rec).is_some() {
        problems.push(Problem::new(file.display().to_string(), id, "id", "appears twice"));
    }
}

fn add_park(
    run: &mut Run,
    file: &Path,
    fields: &BTreeMap<String, String>,
    problems: &mut Vec<Problem>,
) {
    let Some(id) = fields.get("id").filter(|s| !s.is_empty()).cloned() else {
        problems.push(Problem::new(file.display().to_string(), "", "id", "a park has no id"));
        return;
    };
    let mut num = |k: &str| number(fields, k, file, &id, problems).unwrap_or(0.0);
    let rec = ParkRec {
        available_ha: num("available_ha"),
        allocated_ha: num("allocated_ha"),
        remaining_ha: num("remaining_ha"),
        fill_pct: num("fill_pct"),
        name: fields.get("name").cloned().unwrap_or_default(),
        id: id.clone(),
    };
    run.parks.insert(id, rec);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_neutralised_cell_reads_back_as_written() {
        assert_eq!(unneutralise("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unneutralise("'quoted"), "'quoted");
        assert_eq!(unneutralise("-1.5"), "-1.5");
    }

    #[test]
    fn a_missing_folder_and_a_folder_without_a_plan_are_named() {
        let tmp = tempfile::tempdir().unwrap();
        let mut problems = Vec::new();
        assert!(read_run(&tmp.path().join("nope"), &mut problems).is_none());
        std::fs::write(tmp.path().join("summary.json"), "{}").unwrap();
        assert!(read_run(tmp.path(), &mut problems).is_none());
        assert_eq!(problems.len(), 2);
        assert!(problems[0].to_string().contains("nope: no such folder"), "{}", problems[0]);
        assert!(problems[1].to_string().contains("missing factories.csv"), "{}", problems[1]);
    }

    #[test]
    fn an_assessment_folder_is_not_a_plan() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("summary.json"), r#"{"command":"assess"}"#).unwrap();
        std::fs::write(tmp.path().join("factories.csv"), "\u{feff}id,name\r\n").unwrap();
        let mut problems = Vec::new();
        assert!(read_run(tmp.path(), &mut problems).is_none());
        assert!(problems[0].message.contains("relocate assess"), "{:?}", problems);
    }
}
