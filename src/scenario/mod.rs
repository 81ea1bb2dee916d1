//! Scenario file + command-line flags → validated run `Settings`.
//!
//! 1. Read the scenario TOML (or the bundled Binh Duong scenario); unknown keys are errors naming
//!    the key and its line.
//! 2. Resolve layer paths relative to the scenario file; flags override them.
//! 3. Check the values (weights ≥ 0, years in range, separation distances) and fill defaults.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, Result};
use crate::model::{FireRisk, HazardClass, Lang};
use crate::progress::{self, Reporter, Task};

pub mod ahp;
pub mod chain;
pub use ahp::AhpWeights;
pub use chain::{Chain, ChainFile, Key};

/// The bundled Binh Duong scenario, compiled into the binary so it runs from any folder.
pub mod bundled {
    /// Path shown in messages and in the summary for the bundled files.
    pub const DIR: &str = "fixtures/binh-duong";
    pub const SCENARIO: &str = include_str!("../../fixtures/binh-duong/scenario.toml");

    /// The bundled layer files by file name, as referenced from `scenario.toml`.
    pub fn file(name: &str) -> Option<&'static [u8]> {
        match name {
            "parks.geojson" => Some(include_bytes!("../../fixtures/binh-duong/parks.geojson")),
            "factories.geojson" => {
                Some(include_bytes!("../../fixtures/binh-duong/factories.geojson"))
            }
            "zoning.geojson" => Some(include_bytes!("../../fixtures/binh-duong/zoning.geojson")),
            "receptors.geojson" => {
                Some(include_bytes!("../../fixtures/binh-duong/receptors.geojson"))
            }
            "corridors.geojson" => {
                Some(include_bytes!("../../fixtures/binh-duong/corridors.geojson"))
            }
            "districts.geojson" => {
                Some(include_bytes!("../../fixtures/binh-duong/districts.geojson"))
            }
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The file format. Every table denies unknown keys: a mistyped weight must not be ignored.

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// A scenario this one is a variant of (see `chain`); read and merged before anything else.
    pub base: Option<String>,
    /// Required once the chain is merged (checked then: a variant's base may carry it).
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub inputs: InputsTable,
    #[serde(default)]
    pub area: AreaTable,
    #[serde(default)]
    pub criteria: CriteriaTable,
    #[serde(default)]
    pub scoring: ScoringTable,
    #[serde(default)]
    pub allocation: AllocationTable,
    #[serde(default)]
    pub phasing: PhasingTable,
    /// Changes to parks that leave their file alone: `[parks.override] "<id>" = { … }`.
    #[serde(default)]
    pub parks: ParksTable,
    /// The road network's settings: snapping distance, speeds by road class, vehicle profile.
    #[serde(default)]
    pub roads: RoadsTable,
}

/// `[roads]`: how factories and parks join the road network and how fast its roads are.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RoadsTable {
    /// Farthest a factory or park may be from a road and still be joined to it, metres.
    #[serde(default = "default_max_snap_m")]
    pub max_snap_m: f64,
    /// km/h by road class (`highway` or `class` value), overriding the Vietnamese defaults.
    #[serde(default)]
    pub speeds: BTreeMap<String, f64>,
    /// `car` (every drivable road) or `truck` (leaves out roads tagged against heavy vehicles).
    #[serde(default = "default_profile")]
    pub profile: String,
}

impl Default for RoadsTable {
    fn default() -> Self {
        RoadsTable {
            max_snap_m: default_max_snap_m(),
            speeds: BTreeMap::new(),
            profile: default_profile(),
        }
    }
}

fn default_max_snap_m() -> f64 {
    2000.0
}
fn default_profile() -> String {
    "car".to_string()
}

/// Speeds by road class for Vietnam, km/h (`[roads.speeds]` overrides any of them). Links
/// (`motorway_link`…) take their road's speed; a class not listed takes `other`.
pub const DEFAULT_SPEEDS_KMH: &[(&str, f64)] = &[
    ("motorway", 80.0),
    ("trunk", 60.0),
    ("primary", 50.0),
    ("secondary", 40.0),
    ("tertiary", 30.0),
    ("residential", 20.0),
    ("unclassified", 20.0),
    ("service", 15.0),
    ("other", 20.0),
];

/// Which vehicle the routes are for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    Car,
    /// Leaves out roads tagged `hgv = no` (or `access` forbidding goods vehicles).
    Truck,
}

/// How `distance_km` is measured: along roads, or in a straight line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DistanceBasis {
    #[default]
    StraightLine,
    Road,
}

impl DistanceBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            DistanceBasis::StraightLine => "straight_line",
            DistanceBasis::Road => "road",
        }
    }
}

/// What the shortest route minimises: kilometres, or minutes at the road classes' speeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    #[default]
    Km,
    Minutes,
}

/// What to do with a factory farther than `max_snap_m` from every road (`--on-unsnapped`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnUnsnapped {
    /// Keep its straight-line distance, flagged, and count it in the summary.
    #[default]
    StraightLine,
    Abort,
}

/// Validated `[roads]` and the road keys of `[scoring]`.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadSettings {
    pub distance: DistanceBasis,
    pub metric: Metric,
    pub max_snap_m: f64,
    /// km/h by road class, defaults merged with `[roads.speeds]`.
    pub speeds_kmh: BTreeMap<String, f64>,
    pub profile: Profile,
    pub on_unsnapped: OnUnsnapped,
}

impl Default for RoadSettings {
    fn default() -> Self {
        RoadSettings {
            distance: DistanceBasis::StraightLine,
            metric: Metric::Km,
            max_snap_m: default_max_snap_m(),
            speeds_kmh: DEFAULT_SPEEDS_KMH.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            profile: Profile::Car,
            on_unsnapped: OnUnsnapped::StraightLine,
        }
    }
}

impl RoadSettings {
    /// The speed of a road class, km/h: `motorway_link` as `motorway`, unknown as `other`.
    pub fn speed_kmh(&self, class: &str) -> f64 {
        let base = class.strip_suffix("_link").unwrap_or(class);
        self.speeds_kmh.get(base).or_else(|| self.speeds_kmh.get("other")).copied().unwrap_or(20.0)
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ParksTable {
    /// By park id (as text).
    #[serde(default, rename = "override")]
    pub overrides: BTreeMap<String, ParkOverride>,
}

/// What a variant may change of a park: the land it offers, the year it opens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ParkOverride {
    pub available_ha: Option<f64>,
    pub ready_year: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InputsTable {
    pub parks: Option<String>,
    pub factories: Option<String>,
    pub zoning: Option<String>,
    pub receptors: Option<String>,
    pub corridors: Option<String>,
    pub districts: Option<String>,
    /// Road network: an OpenStreetMap `.osm.pbf` extract or any line layer.
    pub roads: Option<String>,
    /// Park gates (points with `park_id`): where parks join the roads, instead of the road
    /// point nearest their boundary.
    pub gates: Option<String>,
    /// Column mapping per layer: canonical field name → column name in the file.
    #[serde(default)]
    pub fields: BTreeMap<String, BTreeMap<String, String>>,
    /// CRS per layer for files that carry none (Shapefile without .prj, CSV/XLSX x/y columns),
    /// e.g. `{ factories = "EPSG:9210" }`.
    #[serde(default)]
    pub crs: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AreaTable {
    #[serde(default)]
    pub origin: Vec<String>,
    #[serde(default)]
    pub destination: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaTable {
    #[serde(default = "yes")]
    pub construction: bool,
    #[serde(default = "yes")]
    pub environment: bool,
    #[serde(default = "yes")]
    pub fire_safety: bool,
    #[serde(default = "yes")]
    pub land_use: bool,
    /// Whether screening evidence alone makes a factory `must_relocate`.
    #[serde(default = "yes")]
    pub screening: bool,
    /// Whether an inspection record saying the factory complies clears a screening hit (`true`,
    /// the default: the record is the legal basis), or either source establishes the criterion.
    #[serde(default = "yes")]
    pub record_overrides_screening: bool,
    /// Separation distance per hazard class, metres (TCVN 4449:1987 App. III).
    #[serde(default = "default_separation")]
    pub separation_m: BTreeMap<String, f64>,
    /// Planned uses that conform for a factory (C4).
    #[serde(default = "default_industrial_uses")]
    pub industrial_uses: Vec<String>,
    /// Planned uses whose zoning polygons count as sensitive for C2 screening.
    #[serde(default = "default_sensitive_uses")]
    pub sensitive_uses: Vec<String>,
    /// C3 screening rules: a factory of this fire risk inside a zone of one of these uses.
    #[serde(default = "default_fire_rules")]
    pub fire_rules: Vec<FireRuleTable>,
    /// Encouragement rule: factories of these sectors or hazard classes that meet no criterion
    /// are `encouraged` to relocate rather than `may_stay`.
    #[serde(default)]
    pub encourage: EncourageTable,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FireRuleTable {
    pub fire_risk: String,
    pub planned_uses: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EncourageTable {
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub hazard_classes: Vec<String>,
}

impl Default for CriteriaTable {
    fn default() -> Self {
        CriteriaTable {
            construction: true,
            environment: true,
            fire_safety: true,
            land_use: true,
            screening: true,
            record_overrides_screening: true,
            separation_m: default_separation(),
            industrial_uses: default_industrial_uses(),
            sensitive_uses: default_sensitive_uses(),
            fire_rules: default_fire_rules(),
            encourage: EncourageTable::default(),
        }
    }
}

/// A ratio in an AHP matrix: a number, or a fraction written as text ("1/3").
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Ratio {
    Number(f64),
    Text(String),
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AhpTable {
    /// Names of the weighted cost terms, in matrix order: among `distance`, `workforce`,
    /// `cluster`, `class`, `waiting`.
    pub criteria: Vec<String>,
    pub matrix: Vec<Vec<Ratio>>,
}

/// The shape `[scoring] ahp` must have, for messages.
const AHP_SHAPE: &str = "expected `ahp = { criteria = [\"distance\", \"workforce\"], matrix = [[1, 3], [\"1/3\", 1]] }`: the cost terms compared, then one row per term of numbers or fractions written as text";

impl AhpTable {
    /// Reads the table by hand so that a malformed one is told what shape is expected, not only
    /// which type serde met.
    fn from_value(value: toml::Value) -> std::result::Result<AhpTable, String> {
        let toml::Value::Table(table) = value else {
            return Err(format!("found {}; {AHP_SHAPE}", value.type_str()));
        };
        let (mut criteria, mut matrix) = (None, None);
        for (key, value) in table {
            match key.as_str() {
                "criteria" => {
                    let names = match value {
                        toml::Value::Array(items) => items
                            .into_iter()
                            .map(|v| match v {
                                toml::Value::String(name) => Ok(name),
                                other => Err(format!(
                                    "criteria: found {} where a cost term's name was expected; {AHP_SHAPE}",
                                    other.type_str()
                                )),
                            })
                            .collect::<std::result::Result<Vec<_>, _>>()?,
                        other => {
                            return Err(format!(
                                "criteria: found {}, expected an array of cost term names; {AHP_SHAPE}",
                                other.type_str()
                            ))
                        }
                    };
                    criteria = Some(names);
                }
                "matrix" => {
                    let toml::Value::Array(rows) = value else {
                        return Err(format!(
                            "matrix: found {}, expected an array of rows; {AHP_SHAPE}",
                            value.type_str()
                        ));
                    };
                    let mut out = Vec::with_capacity(rows.len());
                    for (i, row) in rows.into_iter().enumerate() {
                        let toml::Value::Array(cells) = row else {
                            return Err(format!(
                                "matrix row {}: found {}, expected an array of numbers or fractions; {AHP_SHAPE}",
                                i + 1,
                                row.type_str()
                            ));
                        };
                        let mut parsed = Vec::with_capacity(cells.len());
                        for (j, cell) in cells.into_iter().enumerate() {
                            parsed.push(match cell {
                                toml::Value::Float(x) => Ratio::Number(x),
                                toml::Value::Integer(n) => Ratio::Number(n as f64),
                                toml::Value::String(t) => Ratio::Text(t),
                                other => {
                                    return Err(format!(
                                        "matrix[{}][{}]: found {}, expected a number or a fraction written as text like \"1/3\"",
                                        i + 1,
                                        j + 1,
                                        other.type_str()
                                    ))
                                }
                            });
                        }
                        out.push(parsed);
                    }
                    matrix = Some(out);
                }
                other => return Err(format!("unknown key {other:?}; {AHP_SHAPE}")),
            }
        }
        match (criteria, matrix) {
            (Some(criteria), Some(matrix)) => Ok(AhpTable { criteria, matrix }),
            (None, _) => Err(format!("criteria: missing; {AHP_SHAPE}")),
            (_, None) => Err(format!("matrix: missing; {AHP_SHAPE}")),
        }
    }
}

fn ahp_table<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<AhpTable>, D::Error> {
    let value = toml::Value::deserialize(d)?;
    AhpTable::from_value(value).map(Some).map_err(serde::de::Error::custom)
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringTable {
    #[serde(default = "one")]
    pub distance_per_km: f64,
    #[serde(default)]
    pub workforce_per_1000_employee_km: f64,
    #[serde(default)]
    pub cluster_mismatch: f64,
    #[serde(default)]
    pub class_mismatch: f64,
    #[serde(default)]
    pub waiting_per_year: f64,
    #[serde(default, deserialize_with = "ahp_table")]
    pub ahp: Option<AhpTable>,
    /// `straight_line` (default) or `road` (needs `[inputs] roads`).
    #[serde(default = "default_distance")]
    pub distance: String,
    /// `km` (default) or `minutes`: what the road route minimises and the distance term counts.
    #[serde(default = "default_metric")]
    pub metric: String,
}

fn default_distance() -> String {
    "straight_line".to_string()
}
fn default_metric() -> String {
    "km".to_string()
}

impl Default for ScoringTable {
    fn default() -> Self {
        ScoringTable {
            distance_per_km: 1.0,
            workforce_per_1000_employee_km: 0.0,
            cluster_mismatch: 0.0,
            class_mismatch: 0.0,
            waiting_per_year: 0.0,
            ahp: None,
            distance: default_distance(),
            metric: default_metric(),
        }
    }
}

/// Validated cost weights: the five per-unit weights of `[scoring]`, and the AHP weights when
/// the scenario gives a pairwise matrix (weighed once, here; they then replace the five).
#[derive(Debug, Clone, PartialEq)]
pub struct Scoring {
    pub distance_per_km: f64,
    pub workforce_per_1000_employee_km: f64,
    pub cluster_mismatch: f64,
    pub class_mismatch: f64,
    pub waiting_per_year: f64,
    pub ahp: Option<AhpWeights>,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring::from_weights(&ScoringTable::default())
    }
}

impl Scoring {
    /// The per-unit weights of a table, without AHP.
    pub fn from_weights(t: &ScoringTable) -> Scoring {
        Scoring {
            distance_per_km: t.distance_per_km,
            workforce_per_1000_employee_km: t.workforce_per_1000_employee_km,
            cluster_mismatch: t.cluster_mismatch,
            class_mismatch: t.class_mismatch,
            waiting_per_year: t.waiting_per_year,
            ahp: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AllocationTable {
    #[serde(default = "default_max_distance_km")]
    pub max_distance_km: f64,
    #[serde(default = "default_candidates")]
    pub candidates_per_factory: usize,
}

impl Default for AllocationTable {
    fn default() -> Self {
        AllocationTable {
            max_distance_km: default_max_distance_km(),
            candidates_per_factory: default_candidates(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PhasingTable {
    #[serde(default = "default_start_year")]
    pub start_year: i32,
    #[serde(default = "default_deadline")]
    pub default_deadline: i32,
    /// Deadline year per origin district name.
    #[serde(default)]
    pub deadlines: BTreeMap<String, i32>,
}

impl Default for PhasingTable {
    fn default() -> Self {
        PhasingTable {
            start_year: default_start_year(),
            default_deadline: default_deadline(),
            deadlines: BTreeMap::new(),
        }
    }
}

/// Validated phasing: years from 1900 to 2200, no deadline before the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phasing {
    pub start_year: i32,
    pub default_deadline: i32,
    /// Deadline year per origin district name.
    pub deadlines: BTreeMap<String, i32>,
}

impl Default for Phasing {
    fn default() -> Self {
        Phasing::from_table(&PhasingTable::default())
    }
}

impl Phasing {
    fn from_table(t: &PhasingTable) -> Phasing {
        Phasing {
            start_year: t.start_year,
            default_deadline: t.default_deadline,
            deadlines: t.deadlines.clone(),
        }
    }
}

fn yes() -> bool {
    true
}
fn one() -> f64 {
    1.0
}
fn default_separation() -> BTreeMap<String, f64> {
    [("I", 1000.0), ("II", 500.0), ("III", 300.0), ("IV", 100.0), ("V", 50.0)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}
fn default_industrial_uses() -> Vec<String> {
    vec!["industrial".to_string()]
}
fn default_sensitive_uses() -> Vec<String> {
    vec!["residential".to_string(), "public".to_string()]
}
fn default_fire_rules() -> Vec<FireRuleTable> {
    vec![FireRuleTable {
        fire_risk: "high".to_string(),
        planned_uses: vec!["residential".to_string()],
    }]
}
fn default_max_distance_km() -> f64 {
    80.0
}
fn default_candidates() -> usize {
    10
}
fn default_start_year() -> i32 {
    2025
}
fn default_deadline() -> i32 {
    2030
}

// ---------------------------------------------------------------------------------------------
// Validated settings.

/// The input layers, named as in the scenario and on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Parks,
    Factories,
    Zoning,
    Receptors,
    Corridors,
    Districts,
    Roads,
    Gates,
}

impl Layer {
    pub const ALL: [Layer; 8] = [
        Layer::Parks,
        Layer::Factories,
        Layer::Zoning,
        Layer::Receptors,
        Layer::Corridors,
        Layer::Districts,
        Layer::Roads,
        Layer::Gates,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Parks => "parks",
            Layer::Factories => "factories",
            Layer::Zoning => "zoning",
            Layer::Receptors => "receptors",
            Layer::Corridors => "corridors",
            Layer::Districts => "districts",
            Layer::Roads => "roads",
            Layer::Gates => "gates",
        }
    }

    pub fn parse(name: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.as_str() == name)
    }
}

/// What the user asked for on the command line, as plain values: the scenario file, layer files
/// overriding it, and the run's options. `cli` fills it from the parsed flags; nothing here
/// reads raw arguments.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub scenario: Option<PathBuf>,
    pub parks: Option<PathBuf>,
    pub factories: Option<PathBuf>,
    pub zoning: Option<PathBuf>,
    pub receptors: Option<PathBuf>,
    pub corridors: Option<PathBuf>,
    pub districts: Option<PathBuf>,
    pub roads: Option<PathBuf>,
    pub gates: Option<PathBuf>,
    pub lang: Lang,
    pub on_invalid: OnInvalid,
    pub on_unsnapped: OnUnsnapped,
    pub quiet: bool,
    /// `--progress`: spinners on a terminal, or JSON lines for a program.
    pub progress: progress::Display,
    /// The command being run, whose stages the progress goes through.
    pub task: Task,
}

/// What to do with invalid features (`--on-invalid`): stop, or leave them out and list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnInvalid {
    #[default]
    Abort,
    Skip,
}

/// How the map and the QGIS project draw moves (`relocate plan --map-moves`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MapMoves {
    /// One curved flow per origin area and park, width by factories, labelled with the count.
    #[default]
    Flows,
    /// One line per factory, from the factory to its park.
    Lines,
}

/// Where a layer's bytes come from.
#[derive(Clone, Debug)]
pub enum Source {
    /// A file on disk: `shown` is the path as the user wrote it, `path` as resolved.
    File { shown: String, path: PathBuf },
    /// A file of the bundled scenario, compiled into the binary.
    Bundled { shown: String, bytes: &'static [u8] },
}

impl Source {
    /// The name used in every message about this layer.
    pub fn shown(&self) -> &str {
        match self {
            Source::File { shown, .. } | Source::Bundled { shown, .. } => shown,
        }
    }
}

#[derive(Clone, Debug)]
pub struct LayerInput {
    pub layer: Layer,
    pub source: Source,
    /// Canonical field name → column name in the file.
    pub fields: BTreeMap<String, String>,
    /// CRS given by the scenario for files that carry none, as text (e.g. "EPSG:9210").
    pub crs: Option<String>,
}

#[derive(Clone, Debug)]
pub struct FireRule {
    pub fire_risk: FireRisk,
    pub planned_uses: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct CriteriaSettings {
    pub construction: bool,
    pub environment: bool,
    pub fire_safety: bool,
    pub land_use: bool,
    pub screening: bool,
    pub record_overrides_screening: bool,
    pub separation_m: BTreeMap<HazardClass, f64>,
    pub industrial_uses: Vec<String>,
    pub sensitive_uses: Vec<String>,
    pub fire_rules: Vec<FireRule>,
    pub encourage_sectors: Vec<String>,
    pub encourage_hazard_classes: Vec<HazardClass>,
}

/// Validated run settings: everything the stages read, nothing raw.
#[derive(Clone, Debug)]
pub struct Settings {
    pub name: String,
    pub title: String,
    /// The scenario file as given, or the bundled scenario's path.
    pub scenario_shown: String,
    /// The scenario text, recorded in the summary.
    pub scenario_text: String,
    pub layers: Vec<LayerInput>,
    pub origin: Vec<String>,
    pub destination: Vec<String>,
    pub criteria: CriteriaSettings,
    pub scoring: Scoring,
    pub allocation: AllocationTable,
    pub phasing: Phasing,
    /// The scenario files behind the run (a variant first, then its bases), to record their
    /// hashes and to name the file and line of a value a later check finds wrong.
    pub chain: Chain,
    /// `[parks.override]`, by park id; the validate stage applies them to the parks read.
    pub park_overrides: BTreeMap<String, ParkOverride>,
    /// Road distances: basis, metric, snapping, speeds.
    pub roads: RoadSettings,
    pub lang: Lang,
    pub on_invalid: OnInvalid,
    pub quiet: bool,
    /// Shows the run's stages (`--progress`, `--quiet`).
    pub progress: Reporter,
    /// Whether the candidates stage keeps, for every factory, the nearby parks it left out and
    /// why (the report and `explain` show them). When false, only factories with no eligible
    /// park keep theirs (their unassigned reason counts them); a national run saves a gigabyte
    /// and the time to sort them.
    pub keep_exclusions: bool,
    /// `relocate plan --time-limit`: seconds the solver may take before it returns the best
    /// plan found so far (with its proven gap); `None` lets it finish its work.
    pub time_limit_s: Option<f64>,
    /// Moves on the map and in `plan.qgs`: aggregated flows (default) or one line per factory.
    pub map_moves: MapMoves,
    pub out_dir: PathBuf,
}

impl Settings {
    pub fn layer(&self, layer: Layer) -> Option<&LayerInput> {
        self.layers.iter().find(|l| l.layer == layer)
    }

    /// Builds the settings from the command line: the scenario given, else layer flags alone,
    /// else the bundled scenario.
    pub fn from_flags(args: &Flags, out: Option<&Path>) -> Result<Settings> {
        let flags_given = [
            &args.parks,
            &args.factories,
            &args.zoning,
            &args.receptors,
            &args.corridors,
            &args.districts,
            &args.roads,
            &args.gates,
        ]
        .iter()
        .any(|f| f.is_some());

        let (chain, shown, base): (Chain, String, Option<PathBuf>) = match &args.scenario {
            Some(path) => {
                let shown = path.display().to_string();
                let chain = Chain::read(path, &shown)?;
                let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
                (chain, shown, Some(base))
            }
            None if flags_given => {
                (Chain::default(), "(command line)".to_string(), Some(PathBuf::new()))
            }
            None => {
                let shown = format!("{}/scenario.toml", bundled::DIR);
                (Chain::single(&shown, bundled::SCENARIO), shown, None)
            }
        };
        Settings::build(chain, shown, base.as_deref(), args, out)
    }

    fn build(
        chain: Chain,
        scenario_shown: String,
        base: Option<&Path>,
        args: &Flags,
        out: Option<&Path>,
    ) -> Result<Settings> {
        let file = match chain.files.as_slice() {
            [] => ScenarioFile { name: "scenario".to_string(), ..ScenarioFile::default() },
            _ => chain.merged()?,
        };
        let scenario_text = chain.files.first().map(|f| f.text.clone()).unwrap_or_default();
        let mut problems = Vec::new();
        // Lines naming their own file (a value may come from a base); `problems` are prefixed
        // with the scenario file at the end.
        let mut located: Vec<String> = Vec::new();
        let name = file.name.trim().to_string();
        let own_name =
            matches!(chain.locate(&[Key::Name("name")]), Some(l) if l.file == scenario_shown);
        if chain.files.len() > 1 && !own_name {
            problems.push(format!(
                "name: a variant needs its own name (its base is {:?}), or its outputs would replace the base plan's",
                file.name
            ));
        }
        if name.is_empty() || name.contains(['/', '\\']) || name == "." || name == ".." {
            problems.push(format!(
                "name: {:?} cannot name an output folder; use letters, digits and dashes",
                file.name
            ));
        }

        for layer in file.inputs.fields.keys().chain(file.inputs.crs.keys()) {
            if Layer::parse(layer).is_none() {
                problems.push(format!(
                    "inputs: unknown layer {layer:?}; expected one of parks, factories, zoning, receptors, corridors, districts, roads, gates"
                ));
            }
        }

        let mut layers = Vec::new();
        for layer in Layer::ALL {
            let flag = match layer {
                Layer::Parks => &args.parks,
                Layer::Factories => &args.factories,
                Layer::Zoning => &args.zoning,
                Layer::Receptors => &args.receptors,
                Layer::Corridors => &args.corridors,
                Layer::Districts => &args.districts,
                Layer::Roads => &args.roads,
                Layer::Gates => &args.gates,
            };
            let from_file = match layer {
                Layer::Parks => &file.inputs.parks,
                Layer::Factories => &file.inputs.factories,
                Layer::Zoning => &file.inputs.zoning,
                Layer::Receptors => &file.inputs.receptors,
                Layer::Corridors => &file.inputs.corridors,
                Layer::Districts => &file.inputs.districts,
                Layer::Roads => &file.inputs.roads,
                Layer::Gates => &file.inputs.gates,
            };
            let source = match (flag, from_file, base) {
                (Some(path), _, _) => {
                    Some(Source::File { shown: path.display().to_string(), path: path.clone() })
                }
                (None, Some(rel), Some(base)) => {
                    Some(Source::File { shown: rel.clone(), path: base.join(rel) })
                }
                (None, Some(rel), None) => match bundled::file(rel) {
                    Some(bytes) => {
                        Some(Source::Bundled { shown: format!("{}/{rel}", bundled::DIR), bytes })
                    }
                    None => {
                        problems.push(format!(
                            "inputs.{}: {rel:?} is not a bundled file",
                            layer.as_str()
                        ));
                        None
                    }
                },
                (None, None, _) => None,
            };
            match source {
                Some(source) => layers.push(LayerInput {
                    layer,
                    source,
                    fields: file.inputs.fields.get(layer.as_str()).cloned().unwrap_or_default(),
                    crs: file.inputs.crs.get(layer.as_str()).cloned(),
                }),
                None if matches!(layer, Layer::Parks | Layer::Factories) => problems.push(format!(
                    "inputs.{0}: required; give it in the scenario or with --{0}",
                    layer.as_str()
                )),
                None => {}
            }
        }

        let criteria = criteria_settings(&file.criteria, &mut problems);
        let has_roads = layers.iter().any(|l| l.layer == Layer::Roads);
        if !has_roads && layers.iter().any(|l| l.layer == Layer::Gates) {
            // Gates say where parks meet the roads: without roads they would change nothing.
            problems.push(
                "inputs.gates: park gates join parks to a road network; give [inputs] roads = \"…\" or --roads".to_string(),
            );
        }
        let roads = road_settings(&file, has_roads, args.on_unsnapped, &mut problems);
        check_scoring(&file.scoring, &mut problems);
        // Weigh the AHP matrix now, once: a matrix that is not reciprocal or too inconsistent
        // is refused naming the scenario file, before any layer is read.
        let mut scoring = Scoring::from_weights(&file.scoring);
        if let Some(table) = &file.scoring.ahp {
            match ahp::weights(table) {
                Ok(weights) => scoring.ahp = Some(weights),
                Err(e) => problems.push(e.to_string()),
            }
        }
        if !(file.allocation.max_distance_km.is_finite() && file.allocation.max_distance_km > 0.0) {
            problems.push(format!(
                "allocation.max_distance_km: must be a positive number of kilometres, found {}",
                file.allocation.max_distance_km
            ));
        }
        if file.allocation.candidates_per_factory == 0 {
            problems.push("allocation.candidates_per_factory: must be at least 1".to_string());
        }
        let phasing = &file.phasing;
        let year_key = |key: &'static str| vec![Key::Name("phasing"), Key::Name(key)];
        let mut years: Vec<(Vec<Key<'_>>, i32)> = vec![
            (year_key("start_year"), phasing.start_year),
            (year_key("default_deadline"), phasing.default_deadline),
        ];
        for (district, year) in &phasing.deadlines {
            let key = vec![Key::Name("phasing"), Key::Name("deadlines"), Key::Name(district)];
            years.push((key, *year));
        }
        for (i, (key, year)) in years.iter().enumerate() {
            let (file_at, key_at) = chain.label(key, &scenario_shown);
            if !(1900..=2200).contains(year) {
                located
                    .push(format!("{file_at}: {key_at}: {year} is not a year from 1900 to 2200"));
            } else if i > 0 && *year < phasing.start_year {
                located.push(format!(
                    "{file_at}: {key_at}: {year} is before phasing.start_year {}; a deadline cannot come before planning starts",
                    phasing.start_year
                ));
            }
        }
        let mut park_overrides = BTreeMap::new();
        for (id, o) in &file.parks.overrides {
            let at = |field| {
                chain.label(
                    &[Key::Name("parks"), Key::Name("override"), Key::Name(id), Key::Name(field)],
                    &scenario_shown,
                )
            };
            if let Some(ha) = o.available_ha.filter(|ha| !(ha.is_finite() && *ha >= 0.0)) {
                let (f, k) = at("available_ha");
                located.push(format!("{f}: {k}: must be hectares ≥ 0, found {ha}"));
            }
            if let Some(year) = o.ready_year.filter(|y| !(1900..=2200).contains(y)) {
                let (f, k) = at("ready_year");
                located.push(format!("{f}: {k}: {year} is not a year from 1900 to 2200"));
            }
            park_overrides.insert(id.trim().to_string(), *o);
        }

        if !problems.is_empty() || !located.is_empty() {
            let lines = problems.iter().map(|p| format!("{scenario_shown}: {p}"));
            return Err(Error::Usage(lines.chain(located).collect::<Vec<_>>().join("\n")));
        }

        let out_dir =
            out.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("maps").join(&name));
        let title = if file.title.trim().is_empty() { name.clone() } else { file.title.clone() };
        Ok(Settings {
            name,
            title,
            scenario_shown,
            scenario_text,
            layers,
            origin: file.area.origin,
            destination: file.area.destination,
            criteria,
            scoring,
            allocation: file.allocation,
            phasing: Phasing::from_table(&file.phasing),
            chain,
            park_overrides,
            roads,
            lang: args.lang,
            on_invalid: args.on_invalid,
            quiet: args.quiet,
            progress: Reporter::new(args.progress, args.task, args.quiet),
            keep_exclusions: true,
            time_limit_s: None,
            map_moves: MapMoves::default(),
            out_dir,
        })
    }
}

/// Builds settings from scenario text as if it had been read from `shown` in folder `base`
/// (layer paths resolve against `base`); no file is read. The scenario fuzz target uses it.
pub fn settings_from_text(text: &str, shown: &str, base: &Path, args: &Flags) -> Result<Settings> {
    Settings::build(Chain::single(shown, text), shown.to_string(), Some(base), args, None)
}

/// Parses scenario text; errors name the key and its line.
pub fn parse_scenario(text: &str, shown: &str) -> Result<ScenarioFile> {
    toml::from_str(text).map_err(|e| Error::Usage(format!("{shown}: {}", one_line(&e))))
}

/// The toml crate reports "TOML parse error at line L, column C" followed by a source excerpt
/// and the cause; keep the position and the cause on one line.
fn one_line(e: &toml::de::Error) -> String {
    let cause = e.message().trim().to_string();
    match e.span() {
        Some(_) => {
            let text = e.to_string();
            let position = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("TOML parse error at "))
                .unwrap_or("")
                .to_string();
            if position.is_empty() {
                cause
            } else {
                format!("{position}: {cause}")
            }
        }
        None => cause,
    }
}

impl Default for CriteriaSettings {
    /// The settings of a scenario that says nothing under `[criteria]`.
    fn default() -> Self {
        criteria_settings(&CriteriaTable::default(), &mut Vec::new())
    }
}

fn criteria_settings(table: &CriteriaTable, problems: &mut Vec<String>) -> CriteriaSettings {
    let mut separation_m = BTreeMap::new();
    for (class, metres) in &table.separation_m {
        match HazardClass::parse(class) {
            Some(c) if metres.is_finite() && *metres >= 0.0 => {
                separation_m.insert(c, *metres);
            }
            Some(_) => problems.push(format!(
                "criteria.separation_m.{class}: must be a distance in metres ≥ 0, found {metres}"
            )),
            None => problems.push(format!(
                "criteria.separation_m: unknown hazard class {class:?}; expected I, II, III, IV or V"
            )),
        }
    }
    let check_uses = |key: &str, uses: &[String], problems: &mut Vec<String>| {
        for u in uses {
            if crate::model::PlannedUse::parse(u).is_none() {
                problems.push(format!(
                    "criteria.{key}: unknown planned use {u:?}; expected one of {}",
                    crate::model::PlannedUse::expected()
                ));
            }
        }
    };
    check_uses("industrial_uses", &table.industrial_uses, problems);
    check_uses("sensitive_uses", &table.sensitive_uses, problems);
    let mut fire_rules = Vec::new();
    for (i, rule) in table.fire_rules.iter().enumerate() {
        check_uses(&format!("fire_rules[{i}].planned_uses"), &rule.planned_uses, problems);
        match FireRisk::parse(&rule.fire_risk) {
            Some(fire_risk) => {
                fire_rules.push(FireRule { fire_risk, planned_uses: rule.planned_uses.clone() })
            }
            None => problems.push(format!(
                "criteria.fire_rules[{i}].fire_risk: unknown value {:?}; expected {}",
                rule.fire_risk,
                FireRisk::expected()
            )),
        }
    }
    let mut encourage_hazard_classes = Vec::new();
    for c in &table.encourage.hazard_classes {
        match HazardClass::parse(c) {
            Some(c) => encourage_hazard_classes.push(c),
            None => problems.push(format!(
                "criteria.encourage.hazard_classes: unknown hazard class {c:?}; expected I, II, III, IV or V"
            )),
        }
    }
    CriteriaSettings {
        construction: table.construction,
        environment: table.environment,
        fire_safety: table.fire_safety,
        land_use: table.land_use,
        screening: table.screening,
        record_overrides_screening: table.record_overrides_screening,
        separation_m,
        industrial_uses: table.industrial_uses.clone(),
        sensitive_uses: table.sensitive_uses.clone(),
        fire_rules,
        encourage_sectors: table.encourage.sectors.clone(),
        encourage_hazard_classes,
    }
}

/// `[roads]` and the road keys of `[scoring]`, checked.
fn road_settings(
    file: &ScenarioFile,
    has_roads: bool,
    on_unsnapped: OnUnsnapped,
    problems: &mut Vec<String>,
) -> RoadSettings {
    let mut out = RoadSettings { on_unsnapped, ..RoadSettings::default() };
    match file.scoring.distance.trim() {
        "straight_line" => out.distance = DistanceBasis::StraightLine,
        "road" => out.distance = DistanceBasis::Road,
        other => problems.push(format!(
            "scoring.distance: unknown value {other:?}; expected \"road\" or \"straight_line\""
        )),
    }
    match file.scoring.metric.trim() {
        "km" => out.metric = Metric::Km,
        "minutes" => out.metric = Metric::Minutes,
        other => problems.push(format!(
            "scoring.metric: unknown value {other:?}; expected \"km\" or \"minutes\""
        )),
    }
    if out.distance == DistanceBasis::Road && !has_roads {
        problems.push(
            "scoring.distance: \"road\" needs a road network; give [inputs] roads = \"…\" or --roads".to_string(),
        );
    }
    if out.metric == Metric::Minutes && out.distance != DistanceBasis::Road {
        problems.push(
            "scoring.metric: \"minutes\" is measured along roads; set scoring.distance = \"road\""
                .to_string(),
        );
    }
    let r = &file.roads;
    if r.max_snap_m.is_finite() && r.max_snap_m >= 0.0 {
        out.max_snap_m = r.max_snap_m;
    } else {
        problems.push(format!(
            "roads.max_snap_m: must be a distance in metres ≥ 0, found {}",
            r.max_snap_m
        ));
    }
    for (class, kmh) in &r.speeds {
        if kmh.is_finite() && *kmh > 0.0 {
            out.speeds_kmh.insert(class.trim().to_lowercase(), *kmh);
        } else {
            problems
                .push(format!("roads.speeds.{class}: must be a speed in km/h > 0, found {kmh}"));
        }
    }
    match r.profile.trim() {
        "car" => out.profile = Profile::Car,
        "truck" => out.profile = Profile::Truck,
        other => problems
            .push(format!("roads.profile: unknown value {other:?}; expected \"car\" or \"truck\"")),
    }
    out
}

fn check_scoring(s: &ScoringTable, problems: &mut Vec<String>) {
    for (key, value) in [
        ("distance_per_km", s.distance_per_km),
        ("workforce_per_1000_employee_km", s.workforce_per_1000_employee_km),
        ("cluster_mismatch", s.cluster_mismatch),
        ("class_mismatch", s.class_mismatch),
        ("waiting_per_year", s.waiting_per_year),
    ] {
        if !(value.is_finite() && value >= 0.0) {
            problems.push(format!("scoring.{key}: must be a weight ≥ 0, found {value}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let text = "name = \"x\"\n[inputs]\nparks = \"p.geojson\"\nfactories = \"f.geojson\"\n[scoring]\ndistance_per_kmm = 2.0\n";
        let err = parse_scenario(text, "s.toml").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("distance_per_kmm"), "{err}");
        assert!(err.contains("line 6"), "{err}");
    }

    const HEAD: &str = "name = \"x\"\n[inputs]\nparks = \"p.geojson\"\nfactories = \"f.geojson\"\n";

    fn settings_error(text: &str) -> String {
        settings_from_text(text, "s.toml", Path::new("."), &Flags::default())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn a_deadline_before_the_start_year_is_named_with_its_line() {
        let text = format!(
            "{HEAD}[phasing]\nstart_year = 2026\ndefault_deadline = 2025\ndeadlines = {{ \"Dĩ An\" = 2024, \"Thuận An\" = 2028 }}\n"
        );
        let err = settings_error(&text);
        assert!(
            err.contains(
                "s.toml: line 7: phasing.default_deadline: 2025 is before phasing.start_year 2026"
            ),
            "{err}"
        );
        assert!(
            err.contains("s.toml: line 8: phasing.deadlines.\"Dĩ An\": 2024 is before"),
            "{err}"
        );
        assert!(!err.contains("Thuận An"), "{err}");
    }

    #[test]
    fn a_deadline_in_the_start_year_is_accepted() {
        let text = format!("{HEAD}[phasing]\nstart_year = 2026\ndefault_deadline = 2026\n");
        assert_eq!(settings_error(&text), "");
    }

    #[test]
    fn a_malformed_ahp_table_says_what_shape_is_expected() {
        for (ahp, expected) in [
            ("ahp = [[1, 3], [0.33, 1]]", "found array; expected `ahp = { criteria = "),
            ("ahp = { criteria = [1.0, 2.0], matrix = [[1, 3], [\"1/3\", 1]] }", "criteria: found float where a cost term's name was expected"),
            ("ahp = { criteria = [\"distance\", \"waiting\"], matrix = [1, 3] }", "matrix row 1: found integer, expected an array of numbers or fractions"),
            ("ahp = { criteria = [\"distance\", \"waiting\"], matrix = [[1, true], [\"1/3\", 1]] }", "matrix[1][2]: found boolean, expected a number or a fraction"),
            ("ahp = { criteria = [\"distance\", \"waiting\"] }", "matrix: missing"),
            ("ahp = { criteria = [\"distance\"], matrix = [[1]], weights = [1] }", "unknown key \"weights\""),
        ] {
            let err = settings_error(&format!("{HEAD}[scoring]\n{ahp}\n"));
            assert!(err.starts_with("s.toml: line 6"), "{ahp}: {err}");
            assert!(err.contains(expected), "{ahp}: {err}");
        }
    }

    #[test]
    fn a_well_formed_ahp_table_is_weighed_once_into_the_settings() {
        let text = format!(
            "{HEAD}[scoring]\nahp = {{ criteria = [\"distance\", \"waiting\"], matrix = [[1, 3], [\"1/3\", 1]] }}\n"
        );
        let s = settings_from_text(&text, "s.toml", Path::new("."), &Flags::default());
        let weights = s.ok().and_then(|s| s.scoring.ahp).map(|a| a.weights);
        let [distance, _, _, _, waiting] = weights.unwrap_or_default();
        assert!((distance - 0.75).abs() < 1e-9 && (waiting - 0.25).abs() < 1e-9, "{weights:?}");
    }

    #[test]
    fn area_names_and_the_separation_table_are_located_for_later_checks() {
        let text = format!(
            "{HEAD}[area]\norigin = [\"Dĩ An\",\n  \"Thuan An\"]\n[criteria]\nseparation_m = {{ I = 1000 }}\n"
        );
        let s = settings_from_text(&text, "s.toml", Path::new("."), &Flags::default()).unwrap();
        let line = |path: &[Key<'_>]| s.chain.locate(path).map(|l| l.line);
        assert_eq!(line(&[Key::Name("area"), Key::Name("origin"), Key::Index(1)]), Some(7));
        assert_eq!(line(&[Key::Name("criteria"), Key::Name("separation_m")]), Some(9));
        assert_eq!(line(&[Key::Name("area"), Key::Name("destination")]), None);
    }

    #[test]
    fn bundled_scenario_parses() {
        let s = Settings::from_flags(&Flags::default(), None);
        assert!(s.is_ok(), "{:?}", s.err());
    }
}
