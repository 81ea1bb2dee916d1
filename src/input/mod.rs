//! Reading inputs: GeoJSON (own reader, for the settled reading rules), every other vector format
//! through GDAL, factory tables from CSV/XLSX. GDAL types stay inside this module.
//!
//! 1. Find each layer's bytes (bundled) or file (on disk); a missing file is a problem naming
//!    the path as written and as resolved. Hash the bytes for the summary.
//! 2. Pick the reader by extension: `.geojson`/`.json` → `geojson`, `.csv`/`.xlsx`/… → `table`,
//!    anything else → `gdal`.
//! 3. Parse features into raw properties + geometry in the source CRS, keeping only the columns
//!    some canonical field maps to (unknown properties are ignored by rule, and dropping them
//!    early keeps a million-feature layer small). Reading problems are recorded, not fatal:
//!    `validate` lists them with every other problem.

pub use crate::model::sha256_hex;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use crate::error::{Problem, Result};
use crate::scenario::{Layer, LayerInput, Settings, Source};

pub mod crs;
mod gdal;
mod geojson;
mod geometry;
mod osm;
pub mod schema;
mod table;

pub use crs::LonLatBounds;

/// A property value as read. Smaller than `serde_json::Value` (24 bytes against 80 with the
/// `preserve_order` feature the outputs need), because a million features × a dozen fields
/// are most of what reading a big layer holds in memory.
#[derive(Clone, Debug, PartialEq)]
pub enum RawValue {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Text(Box<str>),
    List(Box<[RawValue]>),
    /// An object: no field holds one, so only the fact is kept, for the message.
    Object,
}

impl RawValue {
    pub fn is_null(&self) -> bool {
        matches!(self, RawValue::Null)
    }

    pub fn text(s: impl Into<Box<str>>) -> RawValue {
        RawValue::Text(s.into())
    }
}

impl From<serde_json::Value> for RawValue {
    fn from(v: serde_json::Value) -> RawValue {
        use serde_json::Value;
        match v {
            Value::Null => RawValue::Null,
            Value::Bool(b) => RawValue::Bool(b),
            Value::Number(n) => RawValue::Number(n),
            Value::String(s) => RawValue::Text(s.into_boxed_str()),
            Value::Array(items) => RawValue::List(items.into_iter().map(RawValue::from).collect()),
            Value::Object(_) => RawValue::Object,
        }
    }
}

/// A feature's kept properties by column name: a vector sorted by name, sized exactly. A
/// `BTreeMap` of a dozen entries spends three nodes (about 1.7 kB) per feature, and a `String`
/// key an allocation per entry; this spends 40 bytes an entry, names shared by every feature of
/// the layer (`Arc<str>`), which keeps a million-feature layer near its file size.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Properties(Vec<(Arc<str>, RawValue)>);

impl Properties {
    pub fn new() -> Self {
        Properties(Vec::new())
    }

    /// Entries are ordered by name length, then bytes: most comparisons end on the length,
    /// without comparing text (they ran for a tenth of reading a million factories).
    fn position(&self, column: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| by_length(k, column))
    }

    /// The value of a column, when the feature has it.
    pub fn get(&self, column: &str) -> Option<&RawValue> {
        self.position(column).ok().and_then(|i| self.0.get(i)).map(|(_, v)| v)
    }

    pub fn contains_key(&self, column: &str) -> bool {
        self.position(column).is_ok()
    }

    /// Sets a column's value; a repeated column keeps the last value, as JSON parsers do.
    pub fn insert(&mut self, column: impl Into<Arc<str>>, value: RawValue) {
        let column = column.into();
        match self.position(&column) {
            Ok(i) => {
                if let Some(slot) = self.0.get_mut(i) {
                    slot.1 = value;
                }
            }
            Err(i) => self.0.insert(i, (column, value)),
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Drops spare capacity once a feature is complete.
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
}

impl<K: Into<Arc<str>>> FromIterator<(K, RawValue)> for Properties {
    fn from_iter<I: IntoIterator<Item = (K, RawValue)>>(iter: I) -> Self {
        let mut p = Properties::new();
        for (k, v) in iter {
            p.insert(k, v);
        }
        p.shrink_to_fit();
        p
    }
}

/// Orders names by length, then bytes.
pub(crate) fn by_length(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

/// One feature as read, before validation.
#[derive(Clone, Debug)]
pub struct RawFeature {
    /// 0-based position in the file.
    pub index: usize,
    /// Properties under their column names, only those some canonical field maps to; column
    /// mapping is resolved by `validate`.
    pub properties: Properties,
    /// Geometry in the layer's source CRS; `None` when the feature has none.
    pub geometry: Option<geo::Geometry<f64>>,
    /// Problems found while reading this feature, as (field, message): a fourth coordinate, an
    /// unclosed ring, a malformed row… `validate` labels them with the feature's id.
    pub problems: Vec<(String, String)>,
}

impl RawFeature {
    pub fn new(index: usize) -> Self {
        RawFeature { index, properties: Properties::new(), geometry: None, problems: Vec::new() }
    }
}

/// One layer as read.
#[derive(Clone, Debug)]
pub struct RawLayer {
    pub layer: Layer,
    /// The file as the user named it.
    pub shown: String,
    pub sha256: String,
    /// Source CRS definition: `EPSG:n` when it has a code, else WKT. Empty when unknown (then
    /// `problems` says why).
    pub crs: String,
    /// The source CRS for messages and the inventory, e.g. `EPSG:9210 (VN-2000 / TM-3 105-45)`.
    pub crs_label: String,
    /// Where the source CRS may be used, for the swapped-coordinates check.
    pub area_of_use: Option<LonLatBounds>,
    /// Whether values come from a tabular format (CSV, XLSX, Shapefile, GeoPackage…), where
    /// booleans may be written 1/0/yes/no and numbers may arrive as text.
    pub tabular: bool,
    /// Column names in the file's schema, when the format has one (GeoJSON has none).
    pub columns: Option<Vec<String>>,
    pub features: Vec<RawFeature>,
    /// Problems with the file as a whole (unreadable, not UTF-8, unresolvable CRS…).
    pub problems: Vec<Problem>,
}

impl RawLayer {
    fn new(input: &LayerInput) -> Self {
        RawLayer {
            layer: input.layer,
            shown: input.source.shown().to_string(),
            sha256: String::new(),
            crs: String::new(),
            crs_label: String::new(),
            area_of_use: None,
            tabular: false,
            columns: None,
            features: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Records a problem with the file as a whole.
    fn file_problem(&mut self, message: impl Into<String>) {
        self.problems.push(Problem::file(self.shown.clone(), message));
    }

    /// Sets the source CRS from a definition, or records why it cannot be used.
    fn set_crs(&mut self, definition: &str, what: &str) {
        match crs::resolve(definition) {
            Ok(info) => self.set_crs_info(info),
            Err(e) => self.file_problem(format!("{what}: {e}")),
        }
    }

    /// Sets the CRS the file itself declares. `[inputs.crs]` is for files that declare none: when
    /// it names a different CRS, the two disagree and neither is guessed between.
    fn set_file_crs(&mut self, info: crs::CrsInfo, input: &LayerInput) {
        if let Some(text) = &input.crs {
            match crs::resolve(text) {
                Ok(given) if !crs::same(&given.definition, &info.definition) => self.file_problem(format!(
                    "the file declares its CRS as {} but the scenario's [inputs.crs] gives {} = {text:?} ({}); a file's own CRS is honoured, so remove that entry or correct the file",
                    info.label,
                    input.layer.as_str(),
                    given.label
                )),
                Ok(_) => {}
                Err(e) => self.file_problem(format!("[inputs.crs]: {e}")),
            }
        }
        self.set_crs_info(info);
    }

    fn set_crs_info(&mut self, info: crs::CrsInfo) {
        self.crs = info.definition;
        self.crs_label = info.label;
        self.area_of_use = info.area_of_use;
    }
}

#[derive(Clone, Debug, Default)]
pub struct RawInputs {
    pub layers: Vec<RawLayer>,
}

/// Reads every layer the settings name. (Stage entry point.)
///
/// Problems in the files do not fail the read: each `RawLayer` carries them for `validate`.
pub fn read(settings: &Settings) -> Result<RawInputs> {
    let _quiet = crs::QuietGdal::new();
    let layers = settings.layers.iter().map(read_layer).collect();
    Ok(RawInputs { layers })
}

/// The formats the readers know, by file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    GeoJson,
    Csv,
    Spreadsheet,
    OsmPbf,
    Gdal,
}

fn format_of(name: &str) -> Format {
    if name.to_ascii_lowercase().ends_with(".pbf") {
        return Format::OsmPbf;
    }
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "geojson" | "json" => Format::GeoJson,
        "csv" | "txt" => Format::Csv,
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Format::Spreadsheet,
        _ => Format::Gdal,
    }
}

/// Reads one layer; every failure ends up in the layer's problems.
pub fn read_layer(input: &LayerInput) -> RawLayer {
    let mut layer = RawLayer::new(input);
    let keep = kept_columns(input);
    let format = format_of(input.source.shown());
    match &input.source {
        Source::Bundled { bytes, .. } => {
            layer.sha256 = sha256_hex(bytes);
            match format {
                Format::GeoJson => geojson::read(bytes, input, &keep, &mut layer),
                Format::Csv => table::read_csv(bytes, input, &keep, &mut layer),
                Format::OsmPbf => osm::read(bytes, &mut layer),
                _ => layer.file_problem("bundled layers must be GeoJSON or CSV"),
            }
        }
        Source::File { shown, path } => {
            if format == Format::GeoJson {
                // Streamed: a big layer is hashed and parsed without holding the file.
                match std::fs::File::open(path) {
                    Ok(file) => geojson::read_fast(
                        file,
                        || std::fs::File::open(path),
                        input,
                        &keep,
                        &mut layer,
                    ),
                    Err(e) => not_readable(&mut layer, shown, path, &e),
                }
                return layer;
            }
            let bytes = match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => {
                    not_readable(&mut layer, shown, path, &e);
                    return layer;
                }
            };
            layer.sha256 = sha256_hex(&bytes);
            match format {
                Format::GeoJson => geojson::read(&bytes, input, &keep, &mut layer),
                Format::Csv => table::read_csv(&bytes, input, &keep, &mut layer),
                Format::OsmPbf => osm::read(&bytes, &mut layer),
                Format::Spreadsheet => {
                    drop(bytes);
                    table::read_spreadsheet(path, input, &keep, &mut layer)
                }
                Format::Gdal => {
                    drop(bytes);
                    gdal::read(path, input, &keep, &mut layer)
                }
            }
        }
    }
    layer
}

/// Records why a layer file cannot be opened, naming it as written and as resolved.
fn not_readable(layer: &mut RawLayer, shown: &str, path: &Path, e: &std::io::Error) {
    let resolved = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let why = if e.kind() == std::io::ErrorKind::NotFound {
        "file not found".to_string()
    } else {
        format!("cannot read the file ({e})")
    };
    layer.file_problem(format!("{why}: {shown} (resolved as {})", resolved.display()));
}

/// Reads GeoJSON bytes as the layer `input` names, exactly as a file of those bytes would be
/// read (the fuzz target and tests feed the reader without touching the disk).
pub fn read_geojson_bytes(bytes: &[u8], input: &LayerInput) -> RawLayer {
    let _quiet = crs::QuietGdal::new();
    let mut layer = RawLayer::new(input);
    geojson::read(bytes, input, &kept_columns(input), &mut layer);
    layer
}

/// The column names worth keeping: each canonical field of the layer under its mapped name.
fn kept_columns(input: &LayerInput) -> BTreeSet<String> {
    crate::input::schema::fields(input.layer)
        .iter()
        .chain(crate::input::schema::COORDINATE_FIELDS.iter())
        .map(|f| input.fields.get(*f).cloned().unwrap_or_else(|| (*f).to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    fn input(layer: Layer, path: &str) -> LayerInput {
        LayerInput {
            layer,
            source: Source::File { shown: path.to_string(), path: PathBuf::from(path) },
            fields: BTreeMap::new(),
            crs: None,
        }
    }

    #[test]
    fn missing_file_is_named_as_written_and_as_resolved() {
        let layer = read_layer(&input(Layer::Parks, "no/such/parks.geojson"));
        let p = &layer.problems[0];
        assert_eq!(p.file, "no/such/parks.geojson");
        assert!(
            p.message.starts_with("file not found: no/such/parks.geojson (resolved as /"),
            "{}",
            p.message
        );
        assert!(p.message.ends_with("no/such/parks.geojson)"), "{}", p.message);
    }

    #[test]
    fn readers_are_chosen_by_extension() {
        assert_eq!(format_of("a/B.GeoJSON"), Format::GeoJson);
        assert_eq!(format_of("f.csv"), Format::Csv);
        assert_eq!(format_of("f.xlsx"), Format::Spreadsheet);
        assert_eq!(format_of("f.shp"), Format::Gdal);
        assert_eq!(format_of("f.gpkg"), Format::Gdal);
        assert_eq!(format_of("vietnam-latest.osm.pbf"), Format::OsmPbf);
    }

    #[test]
    fn sha256_of_empty_input_is_the_known_digest() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn mapped_columns_replace_canonical_names_in_the_kept_set() {
        let mut i = input(Layer::Factories, "f.shp");
        i.fields.insert("land_ha".into(), "LAND_HA".into());
        let keep = kept_columns(&i);
        assert!(keep.contains("LAND_HA"));
        assert!(!keep.contains("land_ha"));
        assert!(keep.contains("sector"));
    }
}
