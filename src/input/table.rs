//! Factory tables: CSV and spreadsheets (XLSX, XLS, ODS through calamine), one point per row.
//!
//! 1. The first row names the columns; a row with another number of cells is an error naming it.
//! 2. Coordinates come from `lon`/`lat` (EPSG:4326) or `x`/`y` with a CRS from `[inputs.crs]`
//!    (each column name mappable under `[inputs.fields.<layer>]`).
//! 3. Cells become JSON values: empty → null, text stays text (validation reads numbers and
//!    tabular booleans out of it), spreadsheet numbers and booleans keep their type.

use std::collections::BTreeSet;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use geo::{Geometry, Point};
use serde_json::Value;

use super::{crs, RawFeature, RawLayer, RawValue};
use crate::scenario::LayerInput;

/// The coordinate columns a table uses, after mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CoordColumns {
    x: (String, String),
    y: (String, String),
}

/// Reads a CSV table. The delimiter is a comma, or a semicolon/tab when the header uses that
/// instead (spreadsheets saved in many locales write semicolons).
pub fn read_csv(bytes: &[u8], input: &LayerInput, keep: &BTreeSet<String>, layer: &mut RawLayer) {
    layer.tabular = true;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let offset = e.valid_up_to();
        let line = bytes.iter().take(offset).filter(|b| **b == b'\n').count() + 1;
        layer.file_problem(format!(
            "the file is not UTF-8 (line {line}, byte offset {offset}); save it as CSV UTF-8"
        ));
        return;
    }
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let count = |c: u8| first_line.iter().filter(|b| **b == c).count();
    let delimiter =
        [b',', b';', b'\t'].into_iter().max_by_key(|c| (count(*c), *c == b',')).unwrap_or(b',');

    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes);
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(h)) => h.iter().map(|c| c.trim().to_string()).collect(),
        Some(Err(e)) => {
            layer.file_problem(format!("the header row cannot be read ({e})"));
            return;
        }
        None => {
            layer.file_problem("the file is empty; the first row must name the columns");
            return;
        }
    };
    let mut rows = Vec::new();
    for record in records {
        match record {
            Ok(r) => {
                let line = r.position().map(|p| p.line()).unwrap_or(0);
                let cells = r
                    .iter()
                    .map(|c| {
                        if c.trim().is_empty() {
                            Value::Null
                        } else {
                            Value::String(c.to_string())
                        }
                    })
                    .collect();
                rows.push((line, cells));
            }
            Err(e) => {
                layer.file_problem(format!("cannot read the table ({e})"));
                return;
            }
        }
    }
    build(headers, rows, input, keep, layer);
}

/// Reads the first sheet of a spreadsheet.
pub fn read_spreadsheet(
    path: &Path,
    input: &LayerInput,
    keep: &BTreeSet<String>,
    layer: &mut RawLayer,
) {
    layer.tabular = true;
    let mut workbook = match open_workbook_auto(path) {
        Ok(w) => w,
        Err(e) => {
            layer.file_problem(format!("cannot open the spreadsheet ({e})"));
            return;
        }
    };
    let Some(sheet) = workbook.sheet_names().into_iter().next() else {
        layer.file_problem("the spreadsheet has no sheet");
        return;
    };
    let range = match workbook.worksheet_range(&sheet) {
        Ok(r) => r,
        Err(e) => {
            layer.file_problem(format!("cannot read sheet {sheet:?} ({e})"));
            return;
        }
    };
    let first_row = range.start().map(|(r, _)| r as u64).unwrap_or(0);
    let mut rows_iter = range.rows();
    let Some(header) = rows_iter.next() else {
        layer
            .file_problem(format!("sheet {sheet:?} is empty; the first row must name the columns"));
        return;
    };
    let headers: Vec<String> = header.iter().map(|c| cell_text(c).trim().to_string()).collect();
    let mut rows = Vec::new();
    for (i, row) in rows_iter.enumerate() {
        // Sheet rows are 1-based; the header is the first.
        let line = first_row + i as u64 + 2;
        let cells: Vec<Value> = row.iter().map(cell_value).collect();
        // Trailing blank rows inside the used range are not factories.
        if cells.iter().all(Value::is_null) {
            continue;
        }
        rows.push((line, cells));
    }
    build(headers, rows, input, keep, layer);
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn cell_value(c: &Data) -> Value {
    match c {
        Data::Int(i) => Value::from(*i),
        Data::Float(f) => {
            serde_json::Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null)
        }
        Data::String(s) if s.trim().is_empty() => Value::Null,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Value::String(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => Value::String(d.to_string()),
        // A formula error (#N/A, #DIV/0!) is kept as its text so validation names it.
        Data::Error(e) => Value::String(format!("#{e:?}")),
        Data::Empty => Value::Null,
    }
}

/// Rows (line number, cells) → features with point geometries.
fn build(
    headers: Vec<String>,
    rows: Vec<(u64, Vec<Value>)>,
    input: &LayerInput,
    keep: &BTreeSet<String>,
    layer: &mut RawLayer,
) {
    let mut seen = BTreeSet::new();
    for h in &headers {
        if !h.is_empty() && !seen.insert(h.as_str()) {
            layer.file_problem(format!("column {h:?} appears more than once in the header"));
        }
    }
    let column = |canonical: &str| {
        input.fields.get(canonical).cloned().unwrap_or_else(|| canonical.to_string())
    };
    let has = |name: &str| headers.iter().any(|h| h == name);
    let coords = {
        let (lon, lat, x, y) = (column("lon"), column("lat"), column("x"), column("y"));
        if has(&lon) && has(&lat) {
            layer.set_crs(crs::LONLAT, "lon/lat");
            Some(CoordColumns { x: ("lon".into(), lon), y: ("lat".into(), lat) })
        } else if has(&x) && has(&y) {
            match &input.crs {
                Some(text) => layer.set_crs(text, "[inputs.crs]"),
                None => layer.file_problem(format!(
                    "x/y columns need a CRS; give one in the scenario under [inputs.crs], e.g. {} = \"EPSG:9210\"",
                    input.layer.as_str()
                )),
            }
            Some(CoordColumns { x: ("x".into(), x), y: ("y".into(), y) })
        } else {
            layer.file_problem(format!(
                "no coordinate columns: expected {lon:?} and {lat:?} (EPSG:4326) or {x:?} and {y:?} with a CRS under [inputs.crs]; the columns are {}",
                headers.join(", ")
            ));
            None
        }
    };
    let index_of = |name: &str| headers.iter().position(|h| h == name);
    let kept: Vec<(usize, &String)> =
        headers.iter().enumerate().filter(|(_, h)| keep.contains(*h)).collect();
    let coord_idx = coords.as_ref().map(|c| (index_of(&c.x.1), index_of(&c.y.1), c));

    layer.features.reserve(rows.len());
    for (index, (line, cells)) in rows.into_iter().enumerate() {
        let mut f = RawFeature::new(index);
        if cells.len() != headers.len() {
            f.problems.push((
                String::new(),
                format!(
                    "row on line {line} has {} cells; the header has {}",
                    cells.len(),
                    headers.len()
                ),
            ));
        }
        for (i, name) in &kept {
            let v = cells.get(*i).cloned().unwrap_or(Value::Null);
            f.properties.insert(name.as_str(), RawValue::from(v));
        }
        if let Some((Some(xi), Some(yi), c)) = coord_idx {
            let x = coordinate(cells.get(xi), &c.x, &mut f.problems);
            let y = coordinate(cells.get(yi), &c.y, &mut f.problems);
            if let (Some(x), Some(y)) = (x, y) {
                f.geometry = Some(Geometry::Point(Point::new(x, y)));
            }
        }
        layer.features.push(f);
    }
    layer.columns = Some(headers);
}

/// A coordinate cell: a number, or text holding one.
fn coordinate(
    cell: Option<&Value>,
    (canonical, col): &(String, String),
    problems: &mut Vec<(String, String)>,
) -> Option<f64> {
    let field = if canonical == col { canonical.clone() } else { format!("{canonical} ({col})") };
    match cell {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => match s.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                problems.push((field, format!("{s:?} is not a number")));
                None
            }
        },
        None | Some(Value::Null) => {
            problems.push((field, "missing; every row needs both coordinates".to_string()));
            None
        }
        Some(other) => {
            problems.push((field, format!("{other} is not a number")));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Layer, Source};
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    fn input() -> LayerInput {
        LayerInput {
            layer: Layer::Factories,
            source: Source::File { shown: "f.csv".into(), path: PathBuf::from("f.csv") },
            fields: BTreeMap::new(),
            crs: None,
        }
    }

    fn read(text: &str, input: &LayerInput) -> RawLayer {
        let keep: BTreeSet<String> =
            ["id", "name", "lon", "lat", "x", "y", "LAND"].iter().map(|s| s.to_string()).collect();
        let mut layer = RawLayer::new(input);
        read_csv(text.as_bytes(), input, &keep, &mut layer);
        layer
    }

    #[test]
    fn lon_lat_rows_become_points_in_epsg_4326() {
        let l = read("id,name,lon,lat\nF1,A,106.6,11.2\n", &input());
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.crs, "EPSG:4326");
        assert_eq!(l.features[0].geometry, Some(Geometry::Point(Point::new(106.6, 11.2))));
        assert_eq!(l.features[0].properties.get("name"), Some(&RawValue::text("A")));
    }

    #[test]
    fn a_row_with_the_wrong_number_of_cells_is_named_by_line() {
        let l = read("id,name,lon,lat\nF1,A,106.6,11.2\nF2,B,106.7\n", &input());
        assert_eq!(l.features[1].problems[0].1, "row on line 3 has 3 cells; the header has 4");
    }

    #[test]
    fn semicolon_tables_are_read() {
        let l = read("id;name;lon;lat\nF1;A;106.6;11.2\n", &input());
        assert!(l.features[0].geometry.is_some(), "{:?}", l.features[0]);
    }

    #[test]
    fn x_y_columns_without_a_crs_are_an_error() {
        let l = read("id,x,y\nF1,592629.4,1238711.0\n", &input());
        assert_eq!(
            l.problems[0].message,
            "x/y columns need a CRS; give one in the scenario under [inputs.crs], e.g. factories = \"EPSG:9210\""
        );
        let mut i = input();
        i.crs = Some("EPSG:9210".into());
        let l = read("id,x,y\nF1,592629.4,1238711.0\n", &i);
        assert!(l.problems.is_empty());
        assert_eq!(l.crs, "EPSG:9210");
    }

    #[test]
    fn mapped_coordinate_columns_are_named_in_messages() {
        let mut i = input();
        i.fields.insert("lon".into(), "KINH_DO".into());
        i.fields.insert("lat".into(), "VI_DO".into());
        let keep: BTreeSet<String> = ["KINH_DO", "VI_DO"].iter().map(|s| s.to_string()).collect();
        let mut l = RawLayer::new(&i);
        read_csv(b"KINH_DO,VI_DO\nabc,11.2\n", &i, &keep, &mut l);
        assert_eq!(
            l.features[0].problems[0],
            ("lon (KINH_DO)".to_string(), "\"abc\" is not a number".to_string())
        );
    }

    #[test]
    fn a_table_without_coordinates_lists_its_columns() {
        let l = read("id,name\nF1,A\n", &input());
        assert!(
            l.problems[0].message.ends_with("the columns are id, name"),
            "{}",
            l.problems[0].message
        );
    }

    #[test]
    fn non_utf8_csv_names_the_line() {
        let mut l = RawLayer::new(&input());
        read_csv(b"id,name,lon,lat\nF1,\xC0,1,2\n", &input(), &BTreeSet::new(), &mut l);
        assert_eq!(
            l.problems[0].message,
            "the file is not UTF-8 (line 2, byte offset 19); save it as CSV UTF-8"
        );
    }
}
