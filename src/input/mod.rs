//! Reading inputs: GeoJSON (own reader, for the settled reading rules), every other vector format
//! through GDAL, factory tables from CSV/XLSX. GDAL types stay inside this module.
//!
//! 1. Read each layer's bytes (file or bundled), hash them.
//! 2. Parse features into raw properties + geometry in the source CRS.

use std::collections::BTreeMap;

use crate::error::{Problem, Result};
use crate::scenario::{Layer, Settings};

/// One feature as read, before validation.
#[derive(Clone, Debug)]
pub struct RawFeature {
    /// 0-based position in the file.
    pub index: usize,
    /// Properties, unknown ones included; column mapping is applied by `validate`.
    pub properties: BTreeMap<String, serde_json::Value>,
    /// Geometry in the layer's source CRS; `None` when the feature has none.
    pub geometry: Option<geo::Geometry<f64>>,
}

/// One layer as read.
#[derive(Clone, Debug)]
pub struct RawLayer {
    pub layer: Layer,
    /// The file as the user named it.
    pub shown: String,
    pub sha256: String,
    /// Source CRS, as an authority string when known (`EPSG:4326`) or WKT.
    pub crs: String,
    pub features: Vec<RawFeature>,
    /// Problems found while reading (unparseable features, fourth coordinate…).
    pub problems: Vec<Problem>,
}

#[derive(Clone, Debug, Default)]
pub struct RawInputs {
    pub layers: Vec<RawLayer>,
}

/// Reads every layer the settings name. (Stage entry point.)
pub fn read(_settings: &Settings) -> Result<RawInputs> {
    Ok(RawInputs::default())
}
