//! A streaming RFC 7946 GeoJSON writer for generated layers.
//!
//! Features are written one per line straight into a `BufWriter`, so a layer of a million
//! factories never exists in memory as a whole. Numbers are written with a fixed number of
//! decimals by integer arithmetic: the same value always gives the same bytes, and coordinates
//! have 6 decimals (about 0.1 m). Polygon exterior rings are written counter-clockwise and
//! interior rings clockwise, as RFC 7946 asks.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use geo::{Coord, LineString, Polygon};

use crate::error::{Error, Result};

/// Decimals of written longitudes and latitudes.
pub const COORD_DECIMALS: u32 = 6;

/// Appends `value` rounded to `decimals` decimals, without exponent and without `-0`.
pub fn push_fixed(out: &mut Vec<u8>, value: f64, decimals: u32) {
    let scale = 10u64.pow(decimals);
    // Rounding the scaled value once, in integers from here on, keeps the digits independent of
    // how the float formatter would print them.
    let scaled = (value * scale as f64).round();
    let negative = scaled < 0.0;
    let magnitude = scaled.abs() as u64;
    if negative && magnitude != 0 {
        out.push(b'-');
    }
    push_u64(out, magnitude / scale);
    if decimals > 0 {
        out.push(b'.');
        let frac = magnitude % scale;
        let digits = frac.to_string();
        for _ in digits.len()..decimals as usize {
            out.push(b'0');
        }
        out.extend_from_slice(digits.as_bytes());
    }
}

fn push_u64(out: &mut Vec<u8>, value: u64) {
    let mut digits = [0u8; 20];
    let mut n = value;
    let mut len = 0;
    loop {
        if let Some(d) = digits.get_mut(len) {
            *d = b'0' + (n % 10) as u8;
        }
        len += 1;
        n /= 10;
        if n == 0 || len == digits.len() {
            break;
        }
    }
    out.extend(digits.iter().take(len).rev());
}

/// Appends a JSON string literal (quotes and escapes as serde_json writes them; UTF-8 kept).
fn push_str(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    for ch in text.chars() {
        match ch {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

/// The properties of one feature, in the order they are added (callers add them in a fixed
/// order, so output is deterministic without sorting).
#[derive(Default)]
pub struct Props {
    buf: Vec<u8>,
}

impl Props {
    pub fn new() -> Self {
        Props::default()
    }

    /// Empties the properties so the buffer can be reused for the next feature.
    pub fn clear(&mut self) {
        self.buf.clear();
    }

    fn key(&mut self, key: &str) {
        if !self.buf.is_empty() {
            self.buf.push(b',');
        }
        push_str(&mut self.buf, key);
        self.buf.push(b':');
    }

    pub fn str(&mut self, key: &str, value: &str) -> &mut Self {
        self.key(key);
        push_str(&mut self.buf, value);
        self
    }

    pub fn int(&mut self, key: &str, value: i64) -> &mut Self {
        self.key(key);
        if value < 0 {
            self.buf.push(b'-');
        }
        push_u64(&mut self.buf, value.unsigned_abs());
        self
    }

    /// A number with a fixed number of decimals.
    pub fn num(&mut self, key: &str, value: f64, decimals: u32) -> &mut Self {
        self.key(key);
        push_fixed(&mut self.buf, value, decimals);
        self
    }

    pub fn bool(&mut self, key: &str, value: bool) -> &mut Self {
        self.key(key);
        self.buf.extend_from_slice(if value { b"true" } else { b"false" });
        self
    }

    /// JSON `null`: an explicitly unknown value.
    pub fn null(&mut self, key: &str) -> &mut Self {
        self.key(key);
        self.buf.extend_from_slice(b"null");
        self
    }

    pub fn str_list(&mut self, key: &str, values: &[&str]) -> &mut Self {
        self.key(key);
        self.buf.push(b'[');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            push_str(&mut self.buf, v);
        }
        self.buf.push(b']');
        self
    }
}

/// A geometry to write, in longitude/latitude.
pub enum Shape<'a> {
    Point(Coord<f64>),
    Line(&'a LineString<f64>),
    Polygon(&'a Polygon<f64>),
}

/// Twice the signed area of a ring (positive when counter-clockwise).
fn signed_area2(ring: &LineString<f64>) -> f64 {
    ring.lines().map(|l| l.start.x * l.end.y - l.end.x * l.start.y).sum()
}

fn push_coord(out: &mut Vec<u8>, c: Coord<f64>) {
    out.push(b'[');
    push_fixed(out, c.x, COORD_DECIMALS);
    out.push(b',');
    push_fixed(out, c.y, COORD_DECIMALS);
    out.push(b']');
}

fn push_positions<'a>(out: &mut Vec<u8>, coords: impl Iterator<Item = &'a Coord<f64>>) {
    out.push(b'[');
    for (i, c) in coords.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_coord(out, *c);
    }
    out.push(b']');
}

/// Writes a closed ring turning the way RFC 7946 asks: counter-clockwise when `exterior`.
fn push_ring(out: &mut Vec<u8>, ring: &LineString<f64>, exterior: bool) {
    let ccw = signed_area2(ring) > 0.0;
    let first = ring.0.first().copied();
    let closed = first.is_some() && ring.0.last().copied() == first;
    let extra = if closed { None } else { first };
    if ccw == exterior {
        push_positions(out, ring.0.iter().chain(extra.iter()));
    } else {
        // Reversing a closed ring keeps it closed; an open one gets its first point appended
        // before reversing so both ends match.
        let mut coords: Vec<Coord<f64>> = ring.0.iter().copied().chain(extra).collect();
        coords.reverse();
        push_positions(out, coords.iter());
    }
}

/// Appends the geometry member's value.
pub fn push_shape(out: &mut Vec<u8>, shape: &Shape<'_>) {
    match shape {
        Shape::Point(c) => {
            out.extend_from_slice(b"{\"type\":\"Point\",\"coordinates\":");
            push_coord(out, *c);
        }
        Shape::Line(line) => {
            out.extend_from_slice(b"{\"type\":\"LineString\",\"coordinates\":");
            push_positions(out, line.0.iter());
        }
        Shape::Polygon(polygon) => {
            out.extend_from_slice(b"{\"type\":\"Polygon\",\"coordinates\":[");
            push_ring(out, polygon.exterior(), true);
            for hole in polygon.interiors() {
                out.push(b',');
                push_ring(out, hole, false);
            }
            out.push(b']');
        }
    }
    out.push(b'}');
}

/// Writes one layer as a FeatureCollection, one feature per line.
pub struct LayerWriter {
    out: BufWriter<File>,
    path: PathBuf,
    count: usize,
    line: Vec<u8>,
}

impl LayerWriter {
    pub fn create(path: &Path) -> Result<Self> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")
            .map_err(|e| Error::io(path, e))?;
        Ok(LayerWriter { out, path: path.to_path_buf(), count: 0, line: Vec::with_capacity(4096) })
    }

    pub fn write(&mut self, props: &Props, shape: &Shape<'_>) -> Result<()> {
        self.line.clear();
        if self.count > 0 {
            self.line.extend_from_slice(b",\n");
        }
        self.line.extend_from_slice(b"{\"type\":\"Feature\",\"properties\":{");
        self.line.extend_from_slice(&props.buf);
        self.line.extend_from_slice(b"},\"geometry\":");
        push_shape(&mut self.line, shape);
        self.line.push(b'}');
        self.out.write_all(&self.line).map_err(|e| Error::io(&self.path, e))?;
        self.count += 1;
        Ok(())
    }

    /// Closes the collection and flushes; returns the number of features written.
    pub fn finish(mut self) -> Result<usize> {
        let end: &[u8] = if self.count > 0 { b"\n]}\n" } else { b"]}\n" };
        self.out
            .write_all(end)
            .and_then(|()| self.out.flush())
            .map_err(|e| Error::io(&self.path, e))?;
        Ok(self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, polygon};

    fn fixed(v: f64, d: u32) -> String {
        let mut out = Vec::new();
        push_fixed(&mut out, v, d);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn fixed_numbers_keep_their_decimals_and_never_print_negative_zero() {
        assert_eq!(fixed(106.7, 6), "106.700000");
        assert_eq!(fixed(-0.0000001, 6), "0.000000");
        assert_eq!(fixed(-12.3456789, 6), "-12.345679");
        assert_eq!(fixed(0.05, 2), "0.05");
        assert_eq!(fixed(288500.0, 0), "288500");
    }

    #[test]
    fn clockwise_exterior_ring_is_written_counter_clockwise() {
        let cw = polygon![(x: 0.0, y: 0.0), (x: 0.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0)];
        let mut out = Vec::new();
        push_shape(&mut out, &Shape::Polygon(&cw));
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let ring: Vec<(f64, f64)> = v["coordinates"][0]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect();
        let area2: f64 = ring.windows(2).map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1).sum();
        assert!(area2 > 0.0, "{ring:?}");
        assert_eq!(ring.first(), ring.last());
    }

    #[test]
    fn properties_escape_quotes_and_keep_vietnamese_letters() {
        let mut p = Props::new();
        p.str("name", "Gốm \"Minh Long\"").null("fire_violation").str_list("sectors", &["a", "b"]);
        let mut out = b"{".to_vec();
        out.extend_from_slice(&p.buf);
        out.push(b'}');
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["name"], "Gốm \"Minh Long\"");
        assert!(v["fire_violation"].is_null());
        assert_eq!(v["sectors"][1], "b");
        let _ = coord! { x: 0.0, y: 0.0 };
    }
}
