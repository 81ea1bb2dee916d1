//! Plain data: parks, factories, zoning, receptors, corridors, districts. No I/O here.
//!
//! Geometry fields without a suffix are in the metric working CRS (metres); fields ending in
//! `_lonlat` are EPSG:4326 longitude/latitude, kept for writing outputs.

use std::fmt;

use geo::{Geometry, MultiLineString, MultiPolygon, Point};
use serde::{Deserialize, Serialize};

mod names;
pub use names::{fold_name, NameKey};

/// Lower-case hexadecimal SHA-256 of a file's bytes: what `summary.json` records of every input
/// and scenario file, so a plan can be traced to exactly what it read.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write as _;
    let mut out = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The language of reports, legends, evidence sentences and explanations (`--lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Vi,
}

impl Lang {
    /// `en` or `vi`, as `--lang` takes it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Vi => "vi",
        }
    }
}

/// Hazard class of a factory, TCVN 4449:1987 App. III. `I` is the most hazardous.
/// Ordered so that `I < II < … < V`: a park with `max_hazard_class = III` accepts III, IV and V.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum HazardClass {
    I,
    II,
    III,
    IV,
    V,
}

impl HazardClass {
    pub const ALL: [HazardClass; 5] =
        [HazardClass::I, HazardClass::II, HazardClass::III, HazardClass::IV, HazardClass::V];

    pub fn as_str(self) -> &'static str {
        match self {
            HazardClass::I => "I",
            HazardClass::II => "II",
            HazardClass::III => "III",
            HazardClass::IV => "IV",
            HazardClass::V => "V",
        }
    }

    /// Parses `I`..`V` (any case, surrounding blanks ignored); also accepts `1`..`5`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_uppercase().as_str() {
            "I" | "1" => Some(HazardClass::I),
            "II" | "2" => Some(HazardClass::II),
            "III" | "3" => Some(HazardClass::III),
            "IV" | "4" => Some(HazardClass::IV),
            "V" | "5" => Some(HazardClass::V),
            _ => None,
        }
    }

    /// Whether a park whose most hazardous accepted class is `max` takes a factory of this class.
    pub fn accepted_by(self, max: HazardClass) -> bool {
        self >= max
    }
}

impl fmt::Display for HazardClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Declares a closed vocabulary read from a text field: parsing is case-insensitive, the
/// canonical spelling is what outputs write.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                let t = text.trim().to_lowercase().replace(['-', ' '], "_");
                match t.as_str() { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The accepted spellings, for error messages.
            pub fn expected() -> String {
                [$($text),+].join("|")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// Fire risk of a factory's activity.
    FireRisk { High => "high", Medium => "medium", Low => "low" }
);
vocabulary!(
    /// Whether a destination is an industrial park or a (smaller) industrial cluster.
    ParkKind { Park => "park", Cluster => "cluster" }
);
vocabulary!(
    /// The park's development class.
    ParkClass {
        General => "general",
        Eco => "eco",
        HighTech => "high_tech",
        Supporting => "supporting",
        Specialized => "specialized",
    }
);
vocabulary!(
    /// Planned use of a zoning polygon (Provincial Plan 2021–2030).
    PlannedUse {
        Industrial => "industrial",
        Residential => "residential",
        Commercial => "commercial",
        Mixed => "mixed",
        Public => "public",
        Green => "green",
        Agricultural => "agricultural",
        Infrastructure => "infrastructure",
        Other => "other",
    }
);

/// Where a feature came from, for messages: file as the user named it and the feature label.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: String,
    /// 0-based position of the feature in its file.
    pub index: usize,
}

/// A destination park or cluster.
#[derive(Clone, Debug)]
pub struct Park {
    pub origin: Origin,
    pub id: String,
    pub name: String,
    /// Vacant land offered to relocating factories, ≥ 0.
    pub available_ha: f64,
    pub district: Option<String>,
    pub kind: ParkKind,
    pub class: ParkClass,
    pub total_ha: Option<f64>,
    pub ready_year: Option<i32>,
    /// Sectors accepted; empty means every sector.
    pub sectors: Vec<String>,
    pub excluded_sectors: Vec<String>,
    /// Most hazardous class accepted; `None` accepts every class.
    pub max_hazard_class: Option<HazardClass>,
    pub area: MultiPolygon<f64>,
    pub area_lonlat: MultiPolygon<f64>,
}

/// Inspection records of a factory. `None` is unknown, which is not the same as `false`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Records {
    pub construction_violation: Option<bool>,
    pub environment_violation: Option<bool>,
    pub environment_remediable: Option<bool>,
    pub fire_violation: Option<bool>,
    pub fire_remediable: Option<bool>,
    pub land_use_conforming: Option<bool>,
    pub wants_relocation: Option<bool>,
}

/// A factory's site: a point, or the footprint polygon when the input has one.
#[derive(Clone, Debug)]
pub enum Site {
    Point(Point<f64>),
    Footprint(MultiPolygon<f64>),
}

impl Site {
    pub fn to_geometry(&self) -> Geometry<f64> {
        match self {
            Site::Point(p) => Geometry::Point(*p),
            Site::Footprint(mp) => Geometry::MultiPolygon(mp.clone()),
        }
    }
}

/// A factory outside the parks, candidate for relocation.
#[derive(Clone, Debug)]
pub struct Factory {
    pub origin: Origin,
    pub id: String,
    pub name: String,
    pub sector: String,
    /// Land the factory needs at its destination, > 0.
    pub land_ha: f64,
    pub employees: Option<u32>,
    /// The `district` field as given (legacy zone name).
    pub district: Option<String>,
    pub hazard_class: Option<HazardClass>,
    pub fire_risk: Option<FireRisk>,
    pub records: Records,
    pub site: Site,
    /// A representative point of the site (the point itself, or a point inside the footprint):
    /// where distances to parks are measured from and move lines start.
    pub location: Point<f64>,
    pub site_lonlat: Site,
    pub location_lonlat: Point<f64>,
}

/// A zoning polygon of the land-use plan.
#[derive(Clone, Debug)]
pub struct Zone {
    pub origin: Origin,
    /// The `id` field, or `#n` (1-based position) when the layer has none.
    pub id: String,
    pub planned_use: PlannedUse,
    pub area: MultiPolygon<f64>,
    pub area_lonlat: MultiPolygon<f64>,
}

/// A sensitive use: housing, school, hospital…
#[derive(Clone, Debug)]
pub struct Receptor {
    pub origin: Origin,
    pub id: String,
    pub kind: String,
    pub shape: Geometry<f64>,
}

/// The shape of a protection corridor.
#[derive(Clone, Debug)]
pub enum CorridorShape {
    Area(MultiPolygon<f64>),
    /// A centre line; the corridor extends `width_m / 2` on each side.
    Line {
        line: MultiLineString<f64>,
        width_m: f64,
    },
}

/// A protection corridor (road, river, power line…).
#[derive(Clone, Debug)]
pub struct Corridor {
    pub origin: Origin,
    pub id: String,
    pub kind: String,
    pub shape: CorridorShape,
}

/// Which way traffic may travel along a road line, as drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Oneway {
    Both,
    /// Only in the direction the line is drawn.
    Forward,
    /// Only against it (OSM `oneway = -1`).
    Backward,
}

impl Oneway {
    /// OSM and GIS spellings: `yes`/`true`/`1`, `no`/`false`/`0`, `-1`/`reverse`; empty is both.
    pub fn parse(text: &str) -> Option<Oneway> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "no" | "false" | "0" | "both" => Some(Oneway::Both),
            "yes" | "true" | "1" | "forward" => Some(Oneway::Forward),
            "-1" | "reverse" | "backward" => Some(Oneway::Backward),
            _ => None,
        }
    }
}

/// A road of the network: a line, its class and what may drive on it.
#[derive(Clone, Debug)]
pub struct Road {
    pub origin: Origin,
    pub id: String,
    /// `highway` (OSM) or `class` value, lower case; empty when the layer gives none.
    pub class: String,
    /// Speed given on the feature, km/h, overriding the class's.
    pub speed_kmh: Option<f64>,
    pub oneway: Oneway,
    /// Tagged against heavy goods vehicles (`hgv = no`, `access` forbidding them).
    pub no_trucks: bool,
    pub line: MultiLineString<f64>,
    pub line_lonlat: MultiLineString<f64>,
}

/// A gate of a park: where its traffic meets the roads. A park with gates joins the road
/// network at them instead of at the road point nearest its boundary.
#[derive(Clone, Debug)]
pub struct Gate {
    pub origin: Origin,
    pub id: String,
    /// The `id` of the park it opens into.
    pub park_id: String,
    /// Working CRS, metric.
    pub location: Point<f64>,
}

/// An origin or destination area (legacy district).
#[derive(Clone, Debug)]
pub struct District {
    pub origin: Origin,
    pub name: String,
    pub area: MultiPolygon<f64>,
    pub area_lonlat: MultiPolygon<f64>,
}

/// The metric CRS every measure is taken in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkingCrs {
    /// EPSG code, e.g. 32648 for WGS 84 / UTM zone 48N.
    pub epsg: u32,
    pub name: String,
}

/// One input file as read, for the summary's audit trail.
#[derive(Clone, Debug, Serialize)]
pub struct InputFile {
    /// `parks`, `factories`, `zoning`, `receptors`, `corridors` or `districts`.
    pub layer: String,
    /// The path as the user gave it (or `fixtures/binh-duong/…` for the bundled scenario).
    pub path: String,
    pub sha256: String,
    /// Source CRS as read (e.g. `EPSG:4326`, `EPSG:9210`).
    pub crs: String,
    pub features: usize,
}

/// Every input layer, validated, typed and in the working CRS.
#[derive(Clone, Debug)]
pub struct Inputs {
    pub parks: Vec<Park>,
    pub factories: Vec<Factory>,
    pub zoning: Vec<Zone>,
    pub receptors: Vec<Receptor>,
    pub corridors: Vec<Corridor>,
    pub districts: Vec<District>,
    /// The road network, when `[inputs] roads` is given.
    pub roads: Vec<Road>,
    /// Park gates, when `[inputs] gates` is given.
    pub gates: Vec<Gate>,
    pub working_crs: WorkingCrs,
    pub files: Vec<InputFile>,
}

impl Inputs {
    /// The gates of each park that has some, by park id, in file order.
    pub fn gates_by_park(&self) -> std::collections::HashMap<&str, Vec<Point<f64>>> {
        let mut out: std::collections::HashMap<&str, Vec<Point<f64>>> =
            std::collections::HashMap::new();
        for g in &self.gates {
            out.entry(g.park_id.as_str()).or_default().push(g.location);
        }
        out
    }
}
