//! The comparison's files: `comparison.csv`, `changed.csv`, `changes.geojson`, `compare.html`.
//!
//! 1. Every value is text with fixed decimals (no `-0`), rows sorted by key or id, so the same
//!    runs give the same bytes.
//! 2. CSV goes through the plan's own writer (`output::tables`): UTF-8 with BOM, CRLF, formulas
//!    neutralised.
//! 3. All four are written into a temporary folder moved into place when complete
//!    (`output::folder`), which refuses a folder holding any file of the runs.

use std::path::{Path, PathBuf};

use geo::Point;
use serde_json::{json, Map, Value};

use super::{Changed, Comparison, FactoryRec, Run, Settings};
use crate::error::{Error, Result};
use crate::output::geojson::COORD_DECIMALS;
use crate::output::{folder, tables};
use crate::units::round_to;

/// Decimals of `delta_pct_<run>`.
const PCT_DECIMALS: usize = 2;
/// Decimals of costs in `changed.csv`, as in `factories.csv`.
const COST_DECIMALS: usize = 3;

/// Writes the four files into `settings.out_dir`, replacing it only when all are written.
pub fn write(comparison: &Comparison, settings: &Settings) -> Result<()> {
    let inputs: Vec<PathBuf> =
        comparison.runs.iter().flat_map(|r| r.files.iter().cloned()).collect();
    folder::replace_dir(&settings.out_dir, &inputs, |dir| {
        write_comparison_csv(comparison, &dir.join("comparison.csv"))?;
        write_changed_csv(comparison, &dir.join("changed.csv"))?;
        let geojson = changes_geojson(comparison)?;
        write_text(&dir.join("changes.geojson"), &geojson)?;
        write_text(&dir.join("compare.html"), &super::html::compare_html(comparison))
    })
}

fn write_text(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}

/// A number with fixed decimals, never `-0`.
pub fn fixed(value: f64, decimals: usize) -> String {
    let places = i32::try_from(decimals).unwrap_or(6);
    format!("{:.*}", decimals, round_to(value, places))
}

fn cell(value: Option<f64>, decimals: usize) -> Value {
    Value::String(value.filter(|v| v.is_finite()).map(|v| fixed(v, decimals)).unwrap_or_default())
}

/// The columns of `comparison.csv`.
pub fn comparison_header(runs: &[Run]) -> Vec<String> {
    let mut header = vec!["indicator".to_string()];
    header.extend(runs.iter().map(|r| r.label.clone()));
    for run in runs.iter().skip(1) {
        header.push(format!("delta_{}", run.label));
        header.push(format!("delta_pct_{}", run.label));
    }
    header
}

fn write_comparison_csv(c: &Comparison, path: &Path) -> Result<()> {
    let header = comparison_header(&c.runs);
    let rows: Vec<Map<String, Value>> = c
        .indicators
        .iter()
        .map(|ind| {
            let d = ind.decimals.0;
            let mut values = vec![Value::String(ind.key.clone())];
            values.extend(ind.values.iter().map(|v| cell(*v, d)));
            for k in 1..c.runs.len() {
                values.push(cell(ind.delta(k), d));
                values.push(cell(ind.delta_pct(k), PCT_DECIMALS));
            }
            header.iter().cloned().zip(values).collect()
        })
        .collect();
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    tables::write_csv(&rows, &names, path)
}

/// The columns of `changed.csv`.
pub fn changed_header(runs: &[Run]) -> Vec<String> {
    let mut header = vec!["factory_id".to_string(), "name".to_string()];
    for run in runs {
        for field in ["verdict", "park_id", "cost", "move_year"] {
            header.push(format!("{field}_{}", run.label));
        }
    }
    header.push("reason".to_string());
    header
}

fn write_changed_csv(c: &Comparison, path: &Path) -> Result<()> {
    let header = changed_header(&c.runs);
    let rows: Vec<Map<String, Value>> = c
        .changed
        .iter()
        .map(|ch| {
            let mut values = vec![Value::String(ch.id.clone()), Value::String(ch.name.clone())];
            for rec in &ch.records {
                let text = |f: &dyn Fn(&FactoryRec) -> Option<String>| {
                    Value::String(rec.as_ref().and_then(f).unwrap_or_default())
                };
                values.push(text(&|r| Some(r.verdict.clone())));
                values.push(text(&|r| r.park_id.clone()));
                values.push(cell(rec.as_ref().and_then(|r| r.cost), COST_DECIMALS));
                values.push(text(&|r| r.move_year.map(|y| y.to_string())));
            }
            values.push(Value::String(ch.reason_text(&c.runs, c.lang)));
            header.iter().cloned().zip(values).collect()
        })
        .collect();
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    tables::write_csv(&rows, &names, path)
}

/// One changed move: a factory's destination in the first run against another run's.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeLine {
    pub factory_id: String,
    /// Run indices.
    pub from: usize,
    pub to: usize,
    pub park_from: Option<String>,
    pub park_to: Option<String>,
    pub reason: String,
    /// Lon/lat: old destination → new one, or factory → its only destination.
    pub line: [Point<f64>; 2],
}

/// Where a park's move lines end, from `preferred` first, else any run that has the park.
fn park_point(runs: &[Run], preferred: usize, park: &str) -> Option<Point<f64>> {
    runs.get(preferred)
        .and_then(|r| r.park_points.get(park))
        .or_else(|| runs.iter().find_map(|r| r.park_points.get(park)))
        .copied()
}

fn factory_point(runs: &[Run], preferred: &[usize], id: &str) -> Option<Point<f64>> {
    preferred
        .iter()
        .filter_map(|k| runs.get(*k))
        .find_map(|r| r.factory_points.get(id))
        .or_else(|| runs.iter().find_map(|r| r.factory_points.get(id)))
        .copied()
}

/// The lines of one changed factory, one per later run whose plan for it differs from the
/// first run's. A factory with no destination in either run, or no known position, has none.
pub fn change_lines(runs: &[Run], ch: &Changed, lang: crate::model::Lang) -> Vec<ChangeLine> {
    let first = ch.records.first().cloned().flatten();
    let mut out = Vec::new();
    for (k, rec) in ch.records.iter().enumerate().skip(1) {
        let same = match (&first, rec) {
            (Some(a), Some(b)) => !super::differs(a, b),
            (None, None) => true,
            _ => false,
        };
        if same {
            continue;
        }
        let reason = ch
            .reasons
            .iter()
            .find(|(at, r)| *at == k || matches!(r, super::Reason::OnlyIn(_)))
            .map(|(_, r)| r.text(lang))
            .unwrap_or_default();
        let park_from = first.as_ref().and_then(|f| f.park_id.clone());
        let park_to = rec.as_ref().and_then(|f| f.park_id.clone());
        let ends = match (park_from.as_deref(), park_to.as_deref()) {
            (Some(a), Some(b)) if a != b => park_point(runs, 0, a).zip(park_point(runs, k, b)),
            // Same park, another year or verdict: nothing moved on the map (changed.csv has it).
            (Some(_), Some(_)) => None,
            (_, Some(b)) => factory_point(runs, &[k, 0], &ch.id).zip(park_point(runs, k, b)),
            (Some(a), None) => factory_point(runs, &[0, k], &ch.id).zip(park_point(runs, 0, a)),
            (None, None) => None,
        };
        let Some((start, end)) = ends else { continue };
        out.push(ChangeLine {
            factory_id: ch.id.clone(),
            from: 0,
            to: k,
            park_from,
            park_to,
            reason,
            line: [start, end],
        });
    }
    out
}

/// `changes.geojson`: RFC 7946, one LineString feature per line, sorted by factory id then run.
fn changes_geojson(c: &Comparison) -> Result<String> {
    let label = |k: usize| c.runs.get(k).map(|r| r.label.clone()).unwrap_or_default();
    let lonlat =
        |p: Point<f64>| json!([round_to(p.x(), COORD_DECIMALS), round_to(p.y(), COORD_DECIMALS)]);
    let mut features = Vec::new();
    for ch in &c.changed {
        for line in change_lines(&c.runs, ch, c.lang) {
            let feature = json!({
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [lonlat(line.line[0]), lonlat(line.line[1])],
                },
                "properties": {
                    "factory_id": line.factory_id,
                    "from_run": label(line.from),
                    "to_run": label(line.to),
                    "park_id_from": line.park_from,
                    "park_id_to": line.park_to,
                    "reason": line.reason,
                },
            });
            features.push(
                serde_json::to_string(&feature)
                    .map_err(|e| Error::Output(format!("changes.geojson: {e}")))?,
            );
        }
    }
    if features.is_empty() {
        return Ok("{\"type\":\"FeatureCollection\",\"features\":[]}\n".to_string());
    }
    Ok(format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n", features.join(",\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_decimals_never_write_a_negative_zero() {
        assert_eq!(fixed(-0.0001, 3), "0.000");
        assert_eq!(fixed(2.0, 0), "2");
        assert_eq!(fixed(-1.23456, 2), "-1.23");
    }

    #[test]
    fn columns_name_every_run_and_each_later_runs_deltas() {
        let runs: Vec<Run> = ["base", "variant"]
            .iter()
            .map(|l| Run { label: (*l).into(), ..Run::default() })
            .collect();
        assert_eq!(
            comparison_header(&runs),
            vec!["indicator", "base", "variant", "delta_variant", "delta_pct_variant"]
        );
        assert_eq!(
            changed_header(&runs),
            vec![
                "factory_id",
                "name",
                "verdict_base",
                "park_id_base",
                "cost_base",
                "move_year_base",
                "verdict_variant",
                "park_id_variant",
                "cost_variant",
                "move_year_variant",
                "reason"
            ]
        );
    }
}
