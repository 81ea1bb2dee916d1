//! `report.html`: one self-contained offline page for planning officers.

use std::path::Path;

use crate::error::Result;
use crate::pipeline::Plan;

/// Writes `report.html` into `dir`, embedding the map SVG.
pub fn write_report(_plan: &Plan, _map_svg: &str, _dir: &Path) -> Result<()> {
    Ok(())
}
