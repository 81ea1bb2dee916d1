//! Our own GeoJSON reader on serde_json, because the reading rules need control GDAL does not
//! give (strict booleans, ids as text, the fourth coordinate, limits).
//!
//! 1. Stream the file through a reader that hashes it and checks it is UTF-8 (naming the offset
//!    of the first bad byte); accept a UTF-8 byte-order mark. The file is never held whole.
//! 2. Stream the `features` array one feature at a time (a `SeqAccess` visitor), so a million
//!    features never become one `Value` tree; keep only the mapped properties, as compact
//!    `RawValue`s.
//! 3. Bound every value: nesting depth and string length, refused with an error, not a crash.
//! 4. Honour a legacy `crs` member; one that cannot be resolved is an error, never EPSG:4326.

use std::collections::BTreeSet;
use std::fmt;
use std::io::{BufReader, Read};
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use serde_json::{Map, Number, Value};
use sha2::{Digest, Sha256};

use super::{crs, geometry, Properties, RawFeature, RawLayer, RawValue};
use crate::scenario::LayerInput;

/// Deeper nesting than any GeoJSON needs (a MultiPolygon sits at depth 8) is refused.
pub const MAX_DEPTH: usize = 32;
/// Longer strings than any name, id or CRS definition needs are refused.
pub const MAX_STRING_BYTES: usize = 65_536;

mod split;

/// Reads a GeoJSON FeatureCollection held in memory into `layer`.
pub fn read(bytes: &[u8], input: &LayerInput, keep: &BTreeSet<String>, layer: &mut RawLayer) {
    read_fast(bytes, || Ok(bytes), input, keep, layer);
}

/// Reads a GeoJSON FeatureCollection from `source` into `layer`, the fast way (`split`: features
/// cut apart and parsed in parallel) when the document allows; otherwise — a syntax error, a
/// limit passed, an unexpected shape — again from `again()` with the streaming parser, which
/// words the problem. Sets `layer.sha256` to the digest of every byte of the source.
pub fn read_fast<R: Read + Send>(
    source: R,
    again: impl FnOnce() -> std::io::Result<R>,
    input: &LayerInput,
    keep: &BTreeSet<String>,
    layer: &mut RawLayer,
) {
    let shared = Names::new(keep);
    // The fast path checks each feature is UTF-8 (SIMD) and serde_json checks the strings of
    // the rest and refuses any other byte above ASCII, so a document the fast path reads
    // whole is UTF-8: only hash here.
    let mut checked = Checked::new(source);
    checked.check_utf8 = false;
    if let Ok(collection) = split::collection(&mut checked, &shared) {
        if checked.bad_utf8_at().is_none() {
            layer.sha256 = checked.digest_hex();
            finish(collection, input, layer);
            return;
        }
    }
    match again() {
        Ok(source) => read_from(source, input, keep, layer),
        Err(e) => layer.file_problem(format!("cannot read the file ({e})")),
    }
}

/// Reads a GeoJSON FeatureCollection from `source` into `layer`, streaming: the bytes pass once
/// through the SHA-256 hasher and the UTF-8 check on their way to the parser, so a big file is
/// never held whole in memory. Sets `layer.sha256` to the digest of every byte of `source`.
pub fn read_from<R: Read>(
    source: R,
    input: &LayerInput,
    keep: &BTreeSet<String>,
    layer: &mut RawLayer,
) {
    let mut checked = Checked::new(source);
    let keep = Names::new(keep);
    let outcome = parse(BufReader::with_capacity(1 << 16, &mut checked), &keep);
    // Read what the parser left (after an error) so the digest covers the file and a bad byte
    // anywhere is found, as when the whole file was checked first.
    let drained = std::io::copy(&mut checked, &mut std::io::sink());
    layer.sha256 = checked.digest_hex();
    if let Some(offset) = checked.bad_utf8_at() {
        layer.file_problem(format!(
            "the file is not UTF-8 (invalid byte at offset {offset}); GeoJSON must be UTF-8"
        ));
        return;
    }
    let collection = match (outcome, drained) {
        (Ok(c), Ok(_)) => c,
        (Err(e), _) => {
            layer.file_problem(format!("not valid GeoJSON: {e}"));
            return;
        }
        (Ok(_), Err(e)) => {
            layer.file_problem(format!("cannot read the file ({e})"));
            return;
        }
    };
    finish(collection, input, layer);
}

/// Checks the document's shape, sets the layer's CRS and hands over the features.
fn finish(collection: Collection<'_>, input: &LayerInput, layer: &mut RawLayer) {
    match collection.kind.as_deref() {
        Some("FeatureCollection") => {}
        Some(other) => layer.file_problem(format!(
            "the top-level \"type\" is {other:?}; a layer must be a FeatureCollection"
        )),
        None => layer.file_problem(
            "the top-level object has no \"type\"; a layer must be a FeatureCollection",
        ),
    }
    if !collection.saw_features {
        layer.file_problem("the FeatureCollection has no \"features\" array");
    }
    match collection.crs {
        Some(member) => match crs_name(&member) {
            Ok(name) => match crs::resolve(&name) {
                Ok(info) => layer.set_file_crs(info, input),
                Err(e) => layer.file_problem(format!("crs: {e}")),
            },
            Err(e) => layer.file_problem(format!("crs: {e}")),
        },
        // RFC 7946 fixes lon/lat WGS 84; a scenario may still say otherwise for files exported
        // without a `crs` member.
        None => match &input.crs {
            Some(text) => layer.set_crs(text, "[inputs.crs]"),
            None => layer.set_crs(crs::LONLAT, "crs"),
        },
    }
    layer.features = collection.features;
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The kept column names, one shared copy each for every feature of the layer, looked up by
/// length first (see `Properties`).
pub(super) struct Names(Vec<Arc<str>>);

impl Names {
    fn new(keep: &BTreeSet<String>) -> Names {
        let mut names: Vec<Arc<str>> = keep.iter().map(|k| Arc::from(k.as_str())).collect();
        names.sort_by(|a, b| super::by_length(a, b));
        Names(names)
    }

    fn get(&self, name: &str) -> Option<&Arc<str>> {
        self.0.binary_search_by(|k| super::by_length(k, name)).ok().and_then(|i| self.0.get(i))
    }
}

/// Parses the whole document from `reader`.
fn parse<R: Read>(reader: R, keep: &Names) -> Result<Collection<'_>, serde_json::Error> {
    let mut collection =
        Collection { keep, features: Vec::new(), kind: None, crs: None, saw_features: false };
    let mut de = serde_json::Deserializer::from_reader(reader);
    (&mut de).deserialize_map(CollectionVisitor(&mut collection))?;
    de.end()?;
    Ok(collection)
}

/// A reader that hashes every byte, checks the stream is UTF-8 as it passes (failing the read
/// at the first invalid byte, whose offset is kept for the message) and leaves out a leading
/// byte-order mark.
struct Checked<R> {
    inner: R,
    hasher: Sha256,
    /// Bytes checked so far, not counting `carry`.
    offset: u64,
    /// The start of a character split across two reads.
    carry: Vec<u8>,
    bad_at: Option<u64>,
    /// Whether the first bytes have been looked at for a byte-order mark.
    head_done: bool,
    bom: bool,
    /// First bytes read while looking for the mark, still to be handed out.
    stash: Vec<u8>,
    /// Whether to check the bytes are UTF-8 (else only hash them).
    check_utf8: bool,
}

fn not_utf8() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, "the file is not UTF-8")
}

impl<R: Read> Checked<R> {
    fn new(inner: R) -> Self {
        Checked {
            inner,
            hasher: Sha256::new(),
            offset: 0,
            carry: Vec::new(),
            bad_at: None,
            head_done: false,
            bom: false,
            stash: Vec::new(),
            check_utf8: true,
        }
    }

    fn digest_hex(&self) -> String {
        self.hasher.clone().finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Where the first byte that is not UTF-8 lies, counted from after a byte-order mark (as
    /// the text is seen).
    fn bad_utf8_at(&self) -> Option<u64> {
        let skipped = if self.bom { BOM.len() as u64 } else { 0 };
        self.bad_at.map(|at| at.saturating_sub(skipped))
    }

    /// Hashes and checks bytes just read from the source.
    fn take_in(&mut self, chunk: &[u8]) {
        self.hasher.update(chunk);
        if !self.check_utf8 || self.bad_at.is_some() || chunk.is_empty() {
            return;
        }
        let joined;
        let data: &[u8] = if self.carry.is_empty() {
            chunk
        } else {
            let mut v = std::mem::take(&mut self.carry);
            v.extend_from_slice(chunk);
            joined = v;
            &joined
        };
        match std::str::from_utf8(data) {
            Ok(_) => self.offset += data.len() as u64,
            Err(e) if e.error_len().is_none() => {
                // A character cut by the end of the chunk: check it with the next one.
                let (done, rest) = data.split_at(e.valid_up_to());
                self.offset += done.len() as u64;
                self.carry = rest.to_vec();
            }
            Err(e) => self.bad_at = Some(self.offset + e.valid_up_to() as u64),
        }
    }

    /// Reads the first three bytes (or fewer, at the end) and drops them if they are a mark.
    fn read_head(&mut self) -> std::io::Result<()> {
        self.head_done = true;
        let mut head = [0u8; 3];
        let mut got = 0;
        while let Some(rest) = head.get_mut(got..).filter(|r| !r.is_empty()) {
            let n = self.inner.read(rest)?;
            if n == 0 {
                break;
            }
            got += n;
        }
        let head = head.get(..got).unwrap_or_default();
        self.take_in(head);
        if head == BOM {
            self.bom = true;
        } else {
            self.stash = head.to_vec();
        }
        Ok(())
    }
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.head_done {
            self.read_head()?;
        }
        if self.bad_at.is_some() {
            return Err(not_utf8());
        }
        if !self.stash.is_empty() {
            let n = buf.len().min(self.stash.len());
            for (slot, b) in buf.iter_mut().zip(self.stash.drain(..n)) {
                *slot = b;
            }
            return Ok(n);
        }
        let n = self.inner.read(buf)?;
        if n == 0 && !self.carry.is_empty() {
            // The file ends inside a character.
            self.bad_at = Some(self.offset);
        }
        self.take_in(buf.get(..n).unwrap_or_default());
        if self.bad_at.is_some() {
            return Err(not_utf8());
        }
        Ok(n)
    }
}

/// The CRS name in a legacy `crs` member: `{"type": "name", "properties": {"name": "…"}}`.
fn crs_name(member: &Value) -> Result<String, String> {
    let kind = member.get("type").and_then(Value::as_str);
    let name = member.get("properties").and_then(|p| p.get("name")).and_then(Value::as_str);
    match (kind, name) {
        (Some("name"), Some(name)) => Ok(name.to_string()),
        (Some("link"), _) => Err("linked CRS definitions are not followed; name the CRS (e.g. urn:ogc:def:crs:EPSG::9210)".into()),
        _ => Err("the crs member must be {\"type\": \"name\", \"properties\": {\"name\": …}}".into()),
    }
}

struct Collection<'k> {
    keep: &'k Names,
    features: Vec<RawFeature>,
    kind: Option<String>,
    crs: Option<Value>,
    saw_features: bool,
}

struct CollectionVisitor<'a, 'k>(&'a mut Collection<'k>);

impl<'de> Visitor<'de> for CollectionVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON FeatureCollection object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key_seed(Bounded(1))? {
            match key.as_str() {
                Some("type") => {
                    self.0.kind = map.next_value_seed(Bounded(1))?.as_str().map(str::to_string)
                }
                Some("crs") => self.0.crs = Some(map.next_value_seed(Bounded(1))?),
                Some("features") => {
                    self.0.saw_features = true;
                    map.next_value_seed(FeaturesSeed(self.0))?;
                }
                _ => {
                    map.next_value_seed(Bounded(1))?;
                }
            }
        }
        Ok(())
    }
}

struct FeaturesSeed<'a, 'k>(&'a mut Collection<'k>);

impl<'de> DeserializeSeed<'de> for FeaturesSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for FeaturesSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of features")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if let Some(n) = seq.size_hint() {
            self.0.features.reserve(n);
        }
        loop {
            let index = self.0.features.len();
            match seq.next_element_seed(FeatureSeed { keep: self.0.keep, index })? {
                Some(f) => self.0.features.push(f),
                None => return Ok(()),
            }
        }
    }
}

struct FeatureSeed<'k> {
    keep: &'k Names,
    index: usize,
}

impl<'de> DeserializeSeed<'de> for FeatureSeed<'_> {
    type Value = RawFeature;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawFeature, D::Error> {
        d.deserialize_any(self)
    }
}

/// Depth of a feature object inside the document: collection (1) → features array (2) → 3.
const FEATURE_DEPTH: usize = 3;

impl<'de> Visitor<'de> for FeatureSeed<'_> {
    type Value = RawFeature;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON Feature object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawFeature, A::Error> {
        let mut feature = RawFeature::new(self.index);
        let mut kind = None;
        let mut id = None;
        let mut geometry = None;
        while let Some(key) = map.next_key_seed(Bounded(FEATURE_DEPTH))? {
            match key.as_str() {
                Some("type") => {
                    kind = map.next_value_seed(Bounded(FEATURE_DEPTH))?.as_str().map(str::to_string)
                }
                Some("id") => id = Some(map.next_value_seed(Bounded(FEATURE_DEPTH))?),
                Some("geometry") => geometry = Some(map.next_value_seed(Bounded(FEATURE_DEPTH))?),
                Some("properties") => {
                    feature.properties = map.next_value_seed(PropertiesSeed { keep: self.keep })?;
                }
                _ => {
                    map.next_value_seed(Bounded(FEATURE_DEPTH))?;
                }
            }
        }
        if kind.as_deref() != Some("Feature") {
            feature.problems.push((
                String::new(),
                format!(
                    "\"type\" is {}; every member of \"features\" must be a Feature",
                    kind.map(|k| format!("{k:?}")).unwrap_or_else(|| "missing".to_string())
                ),
            ));
        }
        // A top-level feature id counts as the `id` property when the properties have none.
        if let Some(id) = id.filter(|v| !v.is_null()) {
            if let Some(name) = self.keep.get("id") {
                if !feature.properties.contains_key("id") {
                    feature.properties.insert(Arc::clone(name), RawValue::from(id));
                }
            }
        }
        if let Some(g) = geometry {
            feature.geometry = geometry::from_json(&g, &mut feature.problems);
        }
        Ok(feature)
    }

    fn visit_unit<E: de::Error>(self) -> Result<RawFeature, E> {
        let mut feature = RawFeature::new(self.index);
        feature.problems.push((String::new(), "null in place of a Feature".to_string()));
        Ok(feature)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawFeature, A::Error> {
        while seq.next_element_seed(Bounded(FEATURE_DEPTH))?.is_some() {}
        let mut feature = RawFeature::new(self.index);
        feature.problems.push((String::new(), "an array in place of a Feature".to_string()));
        Ok(feature)
    }
}

struct PropertiesSeed<'k> {
    keep: &'k Names,
}

impl<'de> DeserializeSeed<'de> for PropertiesSeed<'_> {
    type Value = Properties;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PropertiesSeed<'_> {
    type Value = Properties;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a properties object or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Properties::new())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Properties::new();
        let depth = FEATURE_DEPTH + 1;
        while let Some(key) = map.next_key_seed(Bounded(depth))? {
            let key = match key {
                Value::String(s) => s,
                _ => String::new(),
            };
            let value = map.next_value_seed(Bounded(depth))?;
            // The layer's shared copy of the name: no allocation per feature.
            if let Some(name) = self.keep.get(key.as_str()) {
                out.insert(Arc::clone(name), RawValue::from(value));
            }
        }
        out.shrink_to_fit();
        Ok(out)
    }
}

/// A `serde_json::Value` built under the nesting and string-length limits. The number is the
/// depth of the container holding the value.
#[derive(Clone, Copy)]
struct Bounded(usize);

impl<'de> DeserializeSeed<'de> for Bounded {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Bounded {
    fn check_string<E: de::Error>(s: &str) -> Result<(), E> {
        if s.len() > MAX_STRING_BYTES {
            Err(E::custom(format!(
                "a string of {} bytes is longer than the {MAX_STRING_BYTES} accepted",
                s.len()
            )))
        } else {
            Ok(())
        }
    }

    fn deeper<E: de::Error>(self) -> Result<Bounded, E> {
        if self.0 >= MAX_DEPTH {
            Err(E::custom(format!("nesting deeper than {MAX_DEPTH} levels")))
        } else {
            Ok(Bounded(self.0 + 1))
        }
    }
}

impl<'de> Visitor<'de> for Bounded {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map(Value::Number).unwrap_or(Value::Null))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Self::check_string(v)?;
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Self::check_string(&v)?;
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(inner)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut out = Map::new();
        while let Some(k) = map.next_key_seed(inner)? {
            let v = map.next_value_seed(inner)?;
            if let Value::String(k) = k {
                out.insert(k, v);
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Layer, Source};
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    fn read_str(text: &[u8]) -> RawLayer {
        let input = LayerInput {
            layer: Layer::Factories,
            source: Source::File { shown: "f.geojson".into(), path: PathBuf::from("f.geojson") },
            fields: BTreeMap::new(),
            crs: None,
        };
        let keep: BTreeSet<String> =
            ["id", "name", "land_ha", "flag"].iter().map(|s| s.to_string()).collect();
        let mut layer = RawLayer::new(&input);
        read(text, &input, &keep, &mut layer);
        layer
    }

    #[test]
    fn features_keep_mapped_properties_and_drop_others() {
        let l = read_str(br#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"id":"F1","name":"A","other":[1,2]},"geometry":{"type":"Point","coordinates":[106.6,11.2]}}]}"#);
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.crs, "EPSG:4326");
        let f = &l.features[0];
        assert_eq!(f.properties.len(), 2);
        assert_eq!(f.properties.get("id"), Some(&RawValue::text("F1")));
        assert!(f.geometry.is_some());
    }

    /// A reader that hands out one byte per read, to split every character across reads.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((b, rest)), Some(slot)) => {
                    *slot = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    fn read_trickled(text: &[u8]) -> RawLayer {
        let input = LayerInput {
            layer: Layer::Factories,
            source: Source::File { shown: "f.geojson".into(), path: PathBuf::from("f.geojson") },
            fields: BTreeMap::new(),
            crs: None,
        };
        let keep: BTreeSet<String> = ["id", "name"].iter().map(|s| s.to_string()).collect();
        let mut layer = RawLayer::new(&input);
        read_from(Trickle(text), &input, &keep, &mut layer);
        layer
    }

    #[test]
    fn characters_split_across_reads_are_utf8_and_the_digest_covers_every_byte() {
        let text = "\u{feff}{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"Gốm Thuận An 🏭\"},\"geometry\":null}]}";
        let l = read_trickled(text.as_bytes());
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.features[0].properties.get("name"), Some(&RawValue::text("Gốm Thuận An 🏭")));
        assert_eq!(l.sha256, crate::input::sha256_hex(text.as_bytes()));
    }

    #[test]
    fn a_bad_byte_after_a_syntax_error_is_still_reported_with_its_offset() {
        let l = read_trickled(b"{\"type\": oops, \"x\": \"\xC3\x28\"}");
        assert_eq!(l.problems.len(), 1, "{:?}", l.problems);
        assert_eq!(
            l.problems[0].message,
            "the file is not UTF-8 (invalid byte at offset 21); GeoJSON must be UTF-8"
        );
    }

    #[test]
    fn a_file_ending_inside_a_character_is_not_utf8() {
        let l = read_trickled(b"{\"type\":\"FeatureCollection\",\"features\":[]} \xE1\xBB");
        assert_eq!(
            l.problems[0].message,
            "the file is not UTF-8 (invalid byte at offset 43); GeoJSON must be UTF-8"
        );
    }

    #[test]
    fn offsets_after_a_byte_order_mark_count_from_the_text() {
        let l = read_str(b"\xEF\xBB\xBF{\"a\":\"\xFF\"}");
        assert_eq!(
            l.problems[0].message,
            "the file is not UTF-8 (invalid byte at offset 6); GeoJSON must be UTF-8"
        );
    }

    #[test]
    fn byte_order_mark_is_accepted() {
        let l = read_str(b"\xEF\xBB\xBF{\"type\":\"FeatureCollection\",\"features\":[]}");
        assert!(l.problems.is_empty(), "{:?}", l.problems);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_an_error_with_their_offset() {
        let l = read_str(b"{\"type\":\"FeatureCollection\",\"features\":[{\"name\":\"\xE0\"}]}");
        assert_eq!(
            l.problems[0].message,
            "the file is not UTF-8 (invalid byte at offset 49); GeoJSON must be UTF-8"
        );
    }

    #[test]
    fn deep_nesting_is_refused_cleanly() {
        let deep = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"properties\":{{\"flag\":{}1{}}}}}]}}",
            "[".repeat(5000),
            "]".repeat(5000)
        );
        let l = read_str(deep.as_bytes());
        assert!(
            l.problems[0].message.contains("nesting deeper than 32 levels"),
            "{}",
            l.problems[0].message
        );
    }

    #[test]
    fn absurdly_long_strings_are_refused() {
        let long = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"properties\":{{\"name\":\"{}\"}}}}]}}",
            "x".repeat(MAX_STRING_BYTES + 1)
        );
        let l = read_str(long.as_bytes());
        assert!(
            l.problems[0].message.contains("longer than the 65536 accepted"),
            "{}",
            l.problems[0].message
        );
    }

    #[test]
    fn legacy_crs_member_is_honoured() {
        let l = read_str(br#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::9210"}},"features":[]}"#);
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.crs, "EPSG:9210");
    }

    fn read_with_scenario_crs(text: &[u8], scenario_crs: &str) -> RawLayer {
        let input = LayerInput {
            layer: Layer::Factories,
            source: Source::File { shown: "f.geojson".into(), path: PathBuf::from("f.geojson") },
            fields: BTreeMap::new(),
            crs: Some(scenario_crs.to_string()),
        };
        let mut layer = RawLayer::new(&input);
        read(text, &input, &BTreeSet::new(), &mut layer);
        layer
    }

    #[test]
    fn a_crs_member_and_a_scenario_crs_that_disagree_are_an_error() {
        let text = br#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::9210"}},"features":[]}"#;
        let l = read_with_scenario_crs(text, "EPSG:32648");
        assert_eq!(
            l.problems[0].message,
            "the file declares its CRS as EPSG:9210 (VN-2000 / TM-3 105-45) but the scenario's [inputs.crs] gives factories = \"EPSG:32648\" (EPSG:32648 (WGS 84 / UTM zone 48N)); a file's own CRS is honoured, so remove that entry or correct the file"
        );
        // The same CRS written another way agrees.
        let l = read_with_scenario_crs(text, "urn:ogc:def:crs:EPSG::9210");
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.crs, "EPSG:9210");
    }

    #[test]
    fn unresolvable_crs_member_is_an_error_not_a_fallback() {
        let l = read_str(br#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::999999"}},"features":[]}"#);
        assert_eq!(l.problems[0].message, "crs: EPSG:999999 is not a known CRS");
        assert_eq!(l.crs, "");
    }

    #[test]
    fn top_level_feature_id_becomes_the_id_property() {
        let l = read_str(br#"{"type":"FeatureCollection","features":[{"type":"Feature","id":7,"properties":null,"geometry":null}]}"#);
        assert_eq!(l.features[0].properties.get("id"), Some(&RawValue::from(Value::from(7))));
    }

    #[test]
    fn a_syntax_error_names_line_and_column() {
        let l = read_str(b"{\"type\":\"FeatureCollection\",\n\"features\":[}");
        assert!(l.problems[0].message.starts_with("not valid GeoJSON: "));
        assert!(l.problems[0].message.contains("line 2"), "{}", l.problems[0].message);
    }

    #[test]
    fn a_non_feature_member_is_a_feature_problem() {
        let l = read_str(
            br#"{"type":"FeatureCollection","features":[{"type":"Point","coordinates":[1,2]}]}"#,
        );
        assert_eq!(
            l.features[0].problems[0].1,
            "\"type\" is \"Point\"; every member of \"features\" must be a Feature"
        );
    }
}
