//! The fast way through a FeatureCollection: a scanner that only follows strings and brackets
//! cuts the `features` array into one byte slice per feature, and the features of a batch are
//! parsed from their slices in parallel (rayon) while the scanner reads the next batch.
//!
//! Parsing from a slice is several times faster than serde_json's streaming reader, and a
//! million factories spread over both cores. Memory holds two batches of bytes, never the file.
//! Anything the scanner does not expect, and any error inside a feature, sends the caller back
//! to the streaming parser: its messages (with line and column in the file) are the ones users
//! see, so this path never has to word an error.

use std::io::Read;

use rayon::prelude::*;
use serde::de::DeserializeSeed;
use serde_json::Value;

use super::{Bounded, Collection, FeatureSeed, Names, MAX_DEPTH};
use crate::input::RawFeature;

/// Bytes read from the source at a time.
const BLOCK: usize = 1 << 20;
/// Bytes of features handed to the parser at a time.
const BATCH: usize = 8 << 20;
/// Features per parallel task.
const PER_TASK: usize = 256;

/// Not the shape the fast path reads, or not valid: use the streaming parser.
pub(super) struct Fallback;

/// Reads the whole document from `source`; `Err(Fallback)` when the streaming parser must.
pub(super) fn collection<'k, R: Read + Send>(
    source: R,
    keep: &'k Names,
) -> Result<Collection<'k>, Fallback> {
    let mut sc = Scanner { src: source, buf: Vec::with_capacity(2 * BLOCK), pos: 0, eof: false };
    let mut out =
        Collection { keep, features: Vec::new(), kind: None, crs: None, saw_features: false };
    sc.expect(b'{')?;
    if sc.peek()? == Some(b'}') {
        sc.pos += 1;
    } else {
        loop {
            let key = sc.key()?;
            sc.expect(b':')?;
            if key == "features" {
                out.saw_features = true;
                features(&mut sc, keep, &mut out.features)?;
            } else {
                let value = sc.value(Bounded(1))?;
                match key.as_str() {
                    "type" => out.kind = value.as_str().map(str::to_string),
                    "crs" => out.crs = Some(value),
                    _ => {}
                }
            }
            match sc.peek()? {
                Some(b',') => sc.pos += 1,
                Some(b'}') => {
                    sc.pos += 1;
                    break;
                }
                _ => return Err(Fallback),
            }
        }
    }
    // Nothing but blanks after the document.
    match sc.peek()? {
        None => Ok(out),
        Some(_) => Err(Fallback),
    }
}

/// The slices of a run of features, and the position of the first in the array.
struct Batch {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    first: usize,
}

/// Reads the `features` array into `features`: batch k is parsed while batch k+1 is scanned.
fn features<R: Read + Send>(
    sc: &mut Scanner<R>,
    keep: &Names,
    features: &mut Vec<RawFeature>,
) -> Result<(), Fallback> {
    sc.expect(b'[')?;
    if sc.peek()? == Some(b']') {
        sc.pos += 1;
        return Ok(());
    }
    let mut pending: Option<Batch> = None;
    let mut next_index = 0;
    let mut more = true;
    while more || pending.is_some() {
        let (parsed, scanned) = rayon::join(
            || pending.as_ref().map(|b| parse(b, keep)),
            || more.then(|| scan_batch(sc, next_index)),
        );
        if let Some(parsed) = parsed {
            features.extend(parsed?);
        }
        pending = match scanned {
            Some(result) => {
                let (batch, ended) = result?;
                next_index += batch.ends.len();
                more = !ended;
                Some(batch)
            }
            None => None,
        };
    }
    Ok(())
}

/// Cuts features until about `BATCH` bytes are held or the array ends (`true`).
fn scan_batch<R: Read>(sc: &mut Scanner<R>, first: usize) -> Result<(Batch, bool), Fallback> {
    let mut batch = Batch { bytes: Vec::with_capacity(BATCH + BLOCK), ends: Vec::new(), first };
    loop {
        sc.peek()?;
        let end = sc.value_end()?;
        batch.bytes.extend_from_slice(sc.buf.get(sc.pos..end).ok_or(Fallback)?);
        batch.ends.push(batch.bytes.len());
        sc.pos = end;
        match sc.peek()? {
            Some(b',') => sc.pos += 1,
            Some(b']') => {
                sc.pos += 1;
                return Ok((batch, true));
            }
            _ => return Err(Fallback),
        }
        if batch.bytes.len() >= BATCH {
            return Ok((batch, false));
        }
    }
}

/// Parses the features of a batch in parallel, in order.
fn parse(batch: &Batch, keep: &Names) -> Result<Vec<RawFeature>, Fallback> {
    let starts = std::iter::once(0).chain(batch.ends.iter().copied());
    let slices: Vec<(usize, &[u8])> = starts
        .zip(&batch.ends)
        .enumerate()
        .map(|(k, (a, &b))| (batch.first + k, batch.bytes.get(a..b).unwrap_or_default()))
        .collect();
    slices
        .par_iter()
        .with_min_len(PER_TASK)
        .map(|&(index, bytes)| {
            let text = simdutf8::basic::from_utf8(bytes).map_err(|_| Fallback)?;
            let mut de = serde_json::Deserializer::from_str(text);
            let feature = FeatureSeed { keep, index }.deserialize(&mut de).map_err(|_| Fallback)?;
            de.end().map_err(|_| Fallback)?;
            Ok(feature)
        })
        .collect()
}

/// A window on the source: `buf[pos..]` is what has been read and not yet consumed.
struct Scanner<R> {
    src: R,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R: Read> Scanner<R> {
    /// Drops the consumed bytes and reads one more block; returns how far the bytes moved
    /// left, or `None` at the end of the source.
    fn fill(&mut self) -> Result<Option<usize>, Fallback> {
        if self.eof {
            return Ok(None);
        }
        let shift = self.pos;
        self.buf.drain(..shift);
        self.pos = 0;
        let old = self.buf.len();
        self.buf.resize(old + BLOCK, 0);
        let n = loop {
            match self.src.read(self.buf.get_mut(old..).unwrap_or_default()) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return Err(Fallback),
            }
        };
        self.buf.truncate(old + n);
        if n == 0 {
            self.eof = true;
            return Ok(None);
        }
        Ok(Some(shift))
    }

    /// The next byte that is not a blank (not consumed); `None` at the end of the source.
    fn peek(&mut self) -> Result<Option<u8>, Fallback> {
        loop {
            while let Some(&b) = self.buf.get(self.pos) {
                if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                    return Ok(Some(b));
                }
                self.pos += 1;
            }
            if self.fill()?.is_none() {
                return Ok(None);
            }
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), Fallback> {
        if self.peek()? == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Fallback)
        }
    }

    /// A member name.
    fn key(&mut self) -> Result<String, Fallback> {
        if self.peek()? != Some(b'"') {
            return Err(Fallback);
        }
        let end = self.value_end()?;
        let key = serde_json::from_slice(self.buf.get(self.pos..end).ok_or(Fallback)?)
            .map_err(|_| Fallback)?;
        self.pos = end;
        Ok(key)
    }

    /// The next value, parsed under the reader's limits.
    fn value(&mut self, seed: Bounded) -> Result<Value, Fallback> {
        self.peek()?;
        let end = self.value_end()?;
        let bytes = self.buf.get(self.pos..end).ok_or(Fallback)?;
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let value = seed.deserialize(&mut de).map_err(|_| Fallback)?;
        de.end().map_err(|_| Fallback)?;
        self.pos = end;
        Ok(value)
    }

    /// Where the value starting at `pos` ends (exclusive), reading more as needed. Follows
    /// strings (with escapes) and brackets only; the parser checks the rest.
    fn value_end(&mut self) -> Result<usize, Fallback> {
        if self.buf.get(self.pos) == Some(&b'{') {
            return self.object_end();
        }
        let mut at = self.pos;
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        let scalar = !matches!(self.buf.get(at), Some(b'{' | b'[' | b'"'));
        loop {
            while let Some(&b) = self.buf.get(at) {
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_string = false;
                        if depth == 0 {
                            return Ok(at + 1);
                        }
                    }
                } else if scalar {
                    if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                        return Ok(at);
                    }
                } else {
                    match b {
                        b'"' => in_string = true,
                        b'{' | b'[' => {
                            depth += 1;
                            if depth > MAX_DEPTH + 8 {
                                return Err(Fallback);
                            }
                        }
                        b'}' | b']' => {
                            depth = depth.checked_sub(1).ok_or(Fallback)?;
                            if depth == 0 {
                                return Ok(at + 1);
                            }
                        }
                        _ => {}
                    }
                }
                at += 1;
            }
            match self.fill()? {
                Some(shift) => at -= shift,
                None if scalar && at > self.pos => return Ok(at),
                None => return Err(Fallback),
            }
        }
    }

    /// `value_end` for an object, the shape of every feature: only quotes, backslashes and
    /// braces matter (brackets balance inside a valid object, and an invalid one fails to
    /// parse), so the bytes between them are skipped with a vectorised search.
    fn object_end(&mut self) -> Result<usize, Fallback> {
        let mut at = self.pos;
        let mut depth = 0usize;
        let mut in_string = false;
        loop {
            let rest = self.buf.get(at..).unwrap_or_default();
            let found = if in_string {
                memchr::memchr2(b'"', b'\\', rest)
            } else {
                memchr::memchr3(b'"', b'{', b'}', rest)
            };
            let Some(k) = found else {
                // Nothing more in this window: read on.
                at = self.buf.len();
                match self.fill()? {
                    Some(shift) => at -= shift,
                    None => return Err(Fallback),
                }
                continue;
            };
            at += k;
            match (in_string, self.buf.get(at)) {
                (true, Some(b'\\')) => {
                    // Skip the escaped byte, which may lie in the next window.
                    if at + 1 >= self.buf.len() {
                        match self.fill()? {
                            Some(shift) => at -= shift,
                            None => return Err(Fallback),
                        }
                        if at + 1 >= self.buf.len() {
                            return Err(Fallback);
                        }
                    }
                    at += 2;
                    continue;
                }
                (_, Some(b'"')) => in_string = !in_string,
                (false, Some(b'{')) => {
                    depth += 1;
                    if depth > MAX_DEPTH + 8 {
                        return Err(Fallback);
                    }
                }
                (false, Some(b'}')) => {
                    depth = depth.checked_sub(1).ok_or(Fallback)?;
                    if depth == 0 {
                        return Ok(at + 1);
                    }
                }
                _ => return Err(Fallback),
            }
            at += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::io::Read;

    use super::super::{parse, Names};
    use super::*;

    /// Hands out at most `n` bytes per read, to cut features, strings and escapes at every place.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn names() -> Names {
        let keep: BTreeSet<String> =
            ["id", "name", "land_ha", "tags"].iter().map(|s| s.to_string()).collect();
        Names::new(&keep)
    }

    /// The fast path reads `doc` exactly as the streaming parser does, whatever the read sizes.
    fn same_as_streaming(doc: &str) {
        let keep = names();
        let slow = parse(doc.as_bytes(), &keep).expect("the streaming parser reads it");
        for step in [1, 2, 3, 7, 64, 1 << 20] {
            let fast = collection(Trickle(doc.as_bytes(), step), &keep)
                .unwrap_or_else(|_| panic!("fast path fell back at read size {step}"));
            assert_eq!(fast.kind, slow.kind);
            assert_eq!(fast.crs, slow.crs);
            assert_eq!(fast.saw_features, slow.saw_features);
            assert_eq!(fast.features.len(), slow.features.len());
            for (a, b) in fast.features.iter().zip(&slow.features) {
                assert_eq!(a.index, b.index);
                assert_eq!(a.properties, b.properties);
                assert_eq!(a.geometry, b.geometry);
                assert_eq!(a.problems, b.problems);
            }
        }
    }

    #[test]
    fn tricky_strings_and_shapes_read_as_the_streaming_parser_reads_them() {
        same_as_streaming(
            r#" { "type" : "FeatureCollection", "name": "x {[\"}]",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
            "features": [
              {"type":"Feature","id":7,"properties":{"name":"Gốm \"Minh\" {Long} [1] \\ \u00e0","land_ha":1.5,"tags":{"a":[1,{"b":"}"}]}},
               "geometry":{"type":"Point","coordinates":[106.6,11.2]}},
              {"type":"Feature","properties":null,"geometry":null},
              null,
              [1, 2],
              {"type":"Feature","properties":{"id":"P\\\\","land_ha":-0.0},"geometry":{"type":"Polygon","coordinates":[[[106,11],[106.1,11],[106.1,11.1],[106,11]]]}}
            ] }
            "#,
        );
        same_as_streaming(r#"{"features":[],"type":"FeatureCollection"}"#);
        same_as_streaming(r#"{"type":"FeatureCollection"}"#);
        same_as_streaming("{}");
    }

    #[test]
    fn anything_unexpected_falls_back_to_the_streaming_parser() {
        let keep = names();
        for doc in [
            "",
            "[]",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature"}"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature",}]}"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature"}]} trailing"#,
            r#"{"type":"FeatureCollection","features":null}"#,
            r#"{"type":"FeatureCollection","features":[{"properties":{"name":"unterminated}}]}"#,
            "{\"type\":\"FeatureCollection\",\"features\":[{\"properties\":{\"name\":\"\u{1}\"}}]}",
        ] {
            assert!(collection(doc.as_bytes(), &keep).is_err(), "{doc:?} should fall back");
        }
        // Not UTF-8 inside a string: serde_json refuses it, so the streaming parser words it.
        let bad =
            b"{\"type\":\"FeatureCollection\",\"features\":[{\"properties\":{\"name\":\"\xff\"}}]}";
        assert!(collection(&bad[..], &keep).is_err());
    }
}
