//! Reading typed values out of one feature's raw properties, by canonical field name, under the
//! settled rules: ids are text (integers allowed), booleans are strict in GeoJSON and also
//! 1/0/yes/no/true/false in tables, years are whole numbers from 1900 to 2200, sector lists are
//! a JSON array or comma-separated text. Every problem names the field as `canonical (COLUMN)`
//! when the column is mapped.

use std::collections::{BTreeMap, BTreeSet};

use crate::input::{Properties, RawValue as Value};

/// One feature's properties, read field by field; problems accumulate as (field, message).
pub struct Row<'a> {
    properties: &'a Properties,
    mapping: &'a BTreeMap<String, String>,
    tabular: bool,
    /// Required fields whose column is absent from the file: reported once for the file, so
    /// not again for every feature.
    absent: &'a BTreeSet<String>,
    pub problems: Vec<(String, String)>,
}

/// The first control character in `s` that the outputs cannot carry: XML 1.0 (map, report,
/// QGIS styles) forbids C0 controls other than tab and line breaks, and GDAL's C strings end
/// at NUL. Refused at validation, because dropping it later would change the name silently.
fn control_character(s: &str) -> Option<char> {
    s.chars().find(|c| (*c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
}

fn control_message(c: char) -> String {
    format!(
        "holds the control character U+{:04X}, which maps, reports and GeoPackages cannot carry; remove it",
        c as u32
    )
}

/// Describes a JSON value for messages: its type and, when short, the value.
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::Text(s) => {
            let shown: String = s.chars().take(40).collect();
            if shown.len() < s.len() {
                format!("text {shown:?}…")
            } else {
                format!("text {s:?}")
            }
        }
        Value::List(_) => "an array".to_string(),
        Value::Object => "an object".to_string(),
    }
}

impl<'a> Row<'a> {
    pub fn new(
        properties: &'a Properties,
        mapping: &'a BTreeMap<String, String>,
        tabular: bool,
        absent: &'a BTreeSet<String>,
    ) -> Self {
        Row { properties, mapping, tabular, absent, problems: Vec::new() }
    }

    /// The column a canonical field is read from.
    pub fn column<'f>(&self, field: &'f str) -> &'f str
    where
        'a: 'f,
    {
        self.mapping.get(field).map(String::as_str).unwrap_or(field)
    }

    /// The field as messages name it: `land_ha`, or `land_ha (LAND_HA)` when mapped.
    pub fn label(&self, field: &str) -> String {
        field_label(self.mapping, field)
    }

    fn problem(&mut self, field: &str, message: impl Into<String>) {
        let label = self.label(field);
        self.problems.push((label, message.into()));
    }

    /// The raw value; `None` when absent or null (empty cells read as null).
    fn value(&self, field: &str) -> Option<&'a Value> {
        let properties: &'a Properties = self.properties;
        properties.get(self.column(field)).filter(|v| !v.is_null())
    }

    fn missing(&mut self, field: &str, required: bool) {
        if required && !self.absent.contains(field) {
            self.problem(field, "required but missing");
        }
    }

    /// Text (surrounding blanks trimmed; empty counts as missing). Tables may hold numbers in
    /// text columns, so there a number is read as its text.
    pub fn text(&mut self, field: &str, required: bool) -> Option<String> {
        match self.value(field) {
            None => {
                self.missing(field, required);
                None
            }
            Some(Value::Text(s)) if s.trim().is_empty() => {
                self.missing(field, required);
                None
            }
            Some(Value::Text(s)) => match control_character(s) {
                Some(c) => {
                    self.problem(field, control_message(c));
                    None
                }
                None => Some(s.trim().to_string()),
            },
            Some(Value::Number(n)) if self.tabular => Some(number_text(n)),
            Some(other) => {
                let found = describe(other);
                self.problem(field, format!("must be text, found {found}"));
                None
            }
        }
    }

    /// An id: text or a whole number, compared as text so `"1"` and `1` are the same id.
    pub fn id(&mut self, required: bool) -> Option<String> {
        match self.value("id") {
            Some(Value::Number(n)) => {
                let text = number_text(n);
                if text.contains(['.', 'e', 'E']) {
                    self.problem("id", format!("must be text or a whole number, found number {n}"));
                    None
                } else {
                    Some(text)
                }
            }
            _ => self.text("id", required),
        }
    }

    /// A finite number. Tables may hold it as text.
    pub fn number(&mut self, field: &str, required: bool) -> Option<f64> {
        let parsed = match self.value(field) {
            None => {
                self.missing(field, required);
                return None;
            }
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::Text(s)) if self.tabular => {
                if s.trim().is_empty() {
                    self.missing(field, required);
                    return None;
                }
                s.trim().parse::<f64>().ok()
            }
            Some(_) => None,
        };
        match parsed {
            Some(v) if v.is_finite() => Some(v),
            _ => {
                let found = self.value(field).map(describe).unwrap_or_default();
                self.problem(field, format!("must be a number, found {found}"));
                None
            }
        }
    }

    /// A whole number within `min..=max`.
    pub fn integer(
        &mut self,
        field: &str,
        required: bool,
        min: i64,
        max: i64,
        what: &str,
    ) -> Option<i64> {
        let v = self.number(field, required)?;
        if v.fract() != 0.0 || v < min as f64 || v > max as f64 {
            self.problem(field, format!("must be {what}, found {v}"));
            return None;
        }
        Some(v as i64)
    }

    /// A year: a whole number from 1900 to 2200.
    pub fn year(&mut self, field: &str) -> Option<i32> {
        self.integer(field, false, 1900, 2200, "a year from 1900 to 2200")
            .and_then(|y| i32::try_from(y).ok())
    }

    /// A boolean; missing is unknown (`None`), which is not `false`.
    pub fn boolean(&mut self, field: &str) -> Option<bool> {
        let v = self.value(field)?;
        let parsed = match v {
            Value::Bool(b) => Some(*b),
            Value::Text(s) if self.tabular => match s.trim().to_lowercase().as_str() {
                "" => return None,
                "1" | "yes" | "true" => Some(true),
                "0" | "no" | "false" => Some(false),
                _ => None,
            },
            Value::Number(n) if self.tabular => match n.as_f64() {
                Some(1.0) => Some(true),
                Some(0.0) => Some(false),
                _ => None,
            },
            _ => None,
        };
        if parsed.is_none() {
            let expected = if self.tabular {
                "true/false, yes/no or 1/0 (any case), or empty for unknown"
            } else {
                "true, false or null for unknown"
            };
            self.problem(field, format!("must be {expected}, found {}", describe(v)));
        }
        parsed
    }

    /// A road's direction: a boolean (`true` one-way as drawn), `1`/`0`/`-1`, or text
    /// (`yes`, `no`, `-1`, `reverse`…); missing is both ways.
    pub fn oneway(&mut self, field: &str) -> Option<crate::model::Oneway> {
        use crate::model::Oneway;
        let v = self.value(field)?;
        let parsed = match v {
            Value::Bool(true) => Some(Oneway::Forward),
            Value::Bool(false) => Some(Oneway::Both),
            Value::Number(n) => match n.as_f64() {
                Some(1.0) => Some(Oneway::Forward),
                Some(0.0) => Some(Oneway::Both),
                Some(-1.0) => Some(Oneway::Backward),
                _ => None,
            },
            Value::Text(s) => Oneway::parse(s),
            _ => None,
        };
        if parsed.is_none() {
            self.problem(
                field,
                format!(
                    "must be yes/no, true/false, 1/0 or -1 (one way against the line), found {}",
                    describe(v)
                ),
            );
        }
        parsed
    }

    /// A value of a closed vocabulary.
    pub fn choice<T>(
        &mut self,
        field: &str,
        required: bool,
        parse: impl Fn(&str) -> Option<T>,
        expected: &str,
    ) -> Option<T> {
        let text = self.text(field, required)?;
        match parse(&text) {
            Some(v) => Some(v),
            None => {
                self.problem(field, format!("unknown value {text:?}; expected {expected}"));
                None
            }
        }
    }

    /// A list of names: a JSON array of strings, or comma-separated text. Blanks are dropped.
    pub fn list(&mut self, field: &str) -> Vec<String> {
        match self.value(field) {
            None => Vec::new(),
            Some(Value::Text(s)) => match control_character(s) {
                Some(c) => {
                    self.problem(field, control_message(c));
                    Vec::new()
                }
                None => split_list(s),
            },
            Some(Value::List(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::Text(s) if control_character(s).is_some() => {
                            if let Some(c) = control_character(s) {
                                self.problem(field, control_message(c));
                            }
                            return Vec::new();
                        }
                        Value::Text(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                        Value::Text(_) => {}
                        other => {
                            let found = describe(other);
                            self.problem(field, format!("must list text values, found {found}"));
                            return Vec::new();
                        }
                    }
                }
                out
            }
            Some(other) => {
                let found = describe(other);
                self.problem(
                    field,
                    format!("must be an array of text or comma-separated text, found {found}"),
                );
                Vec::new()
            }
        }
    }

    /// Records a problem on a field found by the caller (a range check, a cross-field rule).
    pub fn reject(&mut self, field: &str, message: impl Into<String>) {
        self.problem(field, message);
    }
}

/// `field`, or `field (COLUMN)` when the column is mapped to another name.
pub fn field_label(mapping: &BTreeMap<String, String>, field: &str) -> String {
    match mapping.get(field) {
        Some(col) if col != field => format!("{field} ({col})"),
        _ => field.to_string(),
    }
}

/// A number as id text: integral values without a fraction (`12.0` from a spreadsheet is `12`).
fn number_text(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", f as i64),
        _ => n.to_string(),
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn props(v: serde_json::Value) -> Properties {
        v.as_object().unwrap().iter().map(|(k, v)| (k.clone(), Value::from(v.clone()))).collect()
    }

    #[test]
    fn control_characters_in_text_and_lists_are_refused_but_line_breaks_are_kept() {
        let mapping = BTreeMap::new();
        let absent = BTreeSet::new();
        let p = props(
            json!({"name": "a\u{0}b", "district": "line\nbreak\ttab", "sectors": ["ok", "x\u{1b}[31m"]}),
        );
        let mut row = Row::new(&p, &mapping, false, &absent);
        assert_eq!(row.text("name", true), None);
        assert_eq!(row.text("district", false).as_deref(), Some("line\nbreak\ttab"));
        assert!(row.list("sectors").is_empty());
        assert_eq!(
            row.problems,
            vec![
                ("name".to_string(), "holds the control character U+0000, which maps, reports and GeoPackages cannot carry; remove it".to_string()),
                ("sectors".to_string(), "holds the control character U+001B, which maps, reports and GeoPackages cannot carry; remove it".to_string()),
            ]
        );
    }

    #[test]
    fn integer_and_text_ids_are_the_same_text() {
        let none = BTreeSet::new();
        let m = BTreeMap::new();
        let p = props(json!({"id": 1}));
        assert_eq!(Row::new(&p, &m, false, &none).id(true), Some("1".to_string()));
        let p = props(json!({"id": " 1 "}));
        assert_eq!(Row::new(&p, &m, false, &none).id(true), Some("1".to_string()));
        let p = props(json!({"id": 1.5}));
        let mut r = Row::new(&p, &m, false, &none);
        assert_eq!(r.id(true), None);
        assert_eq!(r.problems[0].1, "must be text or a whole number, found number 1.5");
    }

    #[test]
    fn geojson_booleans_are_strict_and_tables_accept_yes_no_one_zero() {
        let none = BTreeSet::new();
        let m = BTreeMap::new();
        let p = props(json!({"a": "yes", "b": true, "c": null}));
        let mut r = Row::new(&p, &m, false, &none);
        assert_eq!(r.boolean("a"), None);
        assert_eq!(r.boolean("b"), Some(true));
        assert_eq!(r.boolean("c"), None);
        assert_eq!(
            r.problems,
            vec![(
                "a".to_string(),
                "must be true, false or null for unknown, found text \"yes\"".to_string()
            )]
        );

        let p = props(json!({"a": "YES", "b": "0", "c": "False", "d": 1, "e": "oui"}));
        let mut r = Row::new(&p, &m, true, &none);
        assert_eq!(
            [r.boolean("a"), r.boolean("b"), r.boolean("c"), r.boolean("d")],
            [Some(true), Some(false), Some(false), Some(true)]
        );
        assert_eq!(r.boolean("e"), None);
        assert_eq!(r.problems[0].1, "must be true/false, yes/no or 1/0 (any case), or empty for unknown, found text \"oui\"");
    }

    #[test]
    fn mapped_fields_are_named_with_their_column() {
        let none = BTreeSet::new();
        let m: BTreeMap<String, String> = [("land_ha".to_string(), "LAND_HA".to_string())].into();
        let p = props(json!({"LAND_HA": "abc"}));
        let mut r = Row::new(&p, &m, true, &none);
        assert_eq!(r.number("land_ha", true), None);
        assert_eq!(
            r.problems,
            vec![(
                "land_ha (LAND_HA)".to_string(),
                "must be a number, found text \"abc\"".to_string()
            )]
        );
    }

    #[test]
    fn sectors_are_an_array_or_comma_separated_text() {
        let none = BTreeSet::new();
        let m = BTreeMap::new();
        let p = props(json!({"a": ["wood", " garments "], "b": "wood, garments,", "c": [1]}));
        let mut r = Row::new(&p, &m, false, &none);
        assert_eq!(r.list("a"), vec!["wood", "garments"]);
        assert_eq!(r.list("b"), vec!["wood", "garments"]);
        assert!(r.list("c").is_empty());
        assert_eq!(r.problems[0].1, "must list text values, found number 1");
    }

    #[test]
    fn years_outside_1900_to_2200_are_refused() {
        let none = BTreeSet::new();
        let m = BTreeMap::new();
        let p = props(json!({"y": 2301, "z": 2027}));
        let mut r = Row::new(&p, &m, false, &none);
        assert_eq!(r.year("y"), None);
        assert_eq!(r.year("z"), Some(2027));
        assert_eq!(r.problems[0].1, "must be a year from 1900 to 2200, found 2301");
    }

    #[test]
    fn numbers_as_text_are_refused_in_geojson_but_read_in_tables() {
        let none = BTreeSet::new();
        let m = BTreeMap::new();
        let p = props(json!({"n": "2.5"}));
        assert_eq!(Row::new(&p, &m, true, &none).number("n", true), Some(2.5));
        let mut r = Row::new(&p, &m, false, &none);
        assert_eq!(r.number("n", true), None);
        assert_eq!(r.problems[0].1, "must be a number, found text \"2.5\"");
    }
}
