//! CSV tables for Excel: `factories.csv`, `parks.csv`.
//!
//! 1. UTF-8 with a byte-order mark, which is what makes Excel read Vietnamese names correctly;
//!    CRLF line ends (RFC 4180).
//! 2. Columns are the shared output rows' fields, in DESIGN.md order.
//! 3. Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
//!    carriage return) is prefixed with `'`; numbers, negative ones included, stay numbers.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::output::geojson::properties;

const BOM: &str = "\u{feff}";

/// Makes a text cell harmless in a spreadsheet.
pub fn neutralise(text: &str) -> String {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let is_number = text.trim().parse::<f64>().map(f64::is_finite).unwrap_or(false);
    if risky && !is_number {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => neutralise(s),
        // Rows hold no nested values; written as JSON text rather than lost.
        other => neutralise(&other.to_string()),
    }
}

/// CSV records of `rows` (columns `header`, in that order), CRLF-terminated.
fn records<T: Serialize>(rows: &[T], header: &[&str], with_header: bool) -> Result<Vec<u8>> {
    let fail = |e: &dyn std::fmt::Display| Error::Output(format!("cannot write CSV: {e}"));
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(rows.len() * 256));
    if with_header {
        writer.write_record(header).map_err(|e| fail(&e))?;
    }
    for row in rows {
        let map = properties(row)?;
        let record: Vec<String> =
            header.iter().map(|h| map.get(*h).map(cell).unwrap_or_default()).collect();
        writer.write_record(&record).map_err(|e| fail(&e))?;
    }
    writer.into_inner().map_err(|e| fail(&e))
}

/// Writes `rows` as CSV with a byte-order mark and a header line (see `output::write_chunked`).
pub fn write_csv<T: Serialize + Sync>(rows: &[T], header: &[&str], path: &Path) -> Result<()> {
    let mut head = BOM.as_bytes().to_vec();
    head.extend(records::<T>(&[], header, true)?);
    super::write_chunked(path, rows, &head, b"", 0, |chunk| records(chunk, header, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        id: String,
        name: String,
        land_ha: f64,
        cost: Option<f64>,
    }

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+84 274 3822"), "'+84 274 3822");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-1.5"), "-1.5");
        assert_eq!(neutralise("Gốm sứ Minh Long"), "Gốm sứ Minh Long");
    }

    #[test]
    fn csv_starts_with_a_byte_order_mark_and_keeps_field_order() {
        let rows = vec![Row {
            id: "F-1".into(),
            name: "=cmd|' /C calc'!A0".into(),
            land_ha: -1.5,
            cost: None,
        }];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        write_csv(&rows, &["id", "name", "land_ha", "cost"], &path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert_eq!(
            text.trim_start_matches('\u{feff}'),
            "id,name,land_ha,cost\r\nF-1,'=cmd|' /C calc'!A0,-1.5,\r\n"
        );
    }
}
