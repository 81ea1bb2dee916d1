//! OpenStreetMap `.osm.pbf` extracts: the drivable roads as line features, read in parallel.
//!
//! 1. Decode every data block in parallel (rayon): ways that carry a drivable `highway` tag,
//!    and the coordinates of every node.
//! 2. Leave out what no car or lorry drives on: footways, cycleways, paths, steps, tracks under
//!    construction or proposed, areas, ways closed to motor traffic (`access`,
//!    `motor_vehicle`, `motorcar` = no/private) and ferries (no `highway` tag).
//! 3. Each way becomes a LineString of its nodes in EPSG:4326, split where the extract lacks a
//!    node (ways cut at its edge); its tags become the fields the road layer reads: `id`
//!    (the way id), `highway`, `oneway` (`junction = roundabout` is one-way), `speed_kmh` (from
//!    `maxspeed`, mph converted), `access` and `hgv`.
//!
//! Ways come out sorted by id, so the same file gives the same features in the same order.

use std::collections::HashMap;
use std::io::Cursor;

use geo::{Coord, Geometry, LineString, MultiLineString};
use osmpbf::{BlobDecode, BlobReader, Element};
use rayon::prelude::*;

use super::{RawFeature, RawLayer, RawValue};

/// `highway` values that are not roads for motor vehicles.
const NOT_DRIVABLE: &[&str] = &[
    "footway",
    "cycleway",
    "path",
    "pedestrian",
    "steps",
    "bridleway",
    "track",
    "construction",
    "proposed",
    "platform",
    "corridor",
    "elevator",
    "bus_stop",
    "services",
    "rest_area",
    "escape",
    "raceway",
    "abandoned",
    "razed",
    "via_ferrata",
    "busway",
    "bus_guideway",
];

struct Way {
    id: i64,
    refs: Vec<i64>,
    tags: Vec<(String, String)>,
}

#[derive(Default)]
struct Block {
    ways: Vec<Way>,
    nodes: Vec<(i64, f64, f64)>,
}

/// Whether a way's tags make it a road a motor vehicle may use.
fn drivable(tags: &[(String, String)]) -> bool {
    let tag = |k: &str| tags.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    let Some(highway) = tag("highway") else { return false };
    if NOT_DRIVABLE.contains(&highway) || tag("area") == Some("yes") {
        return false;
    }
    let closed = |v: Option<&str>| matches!(v, Some("no" | "private"));
    let opened = |v: Option<&str>| matches!(v, Some("yes" | "designated" | "permissive"));
    if closed(tag("motor_vehicle")) || closed(tag("motorcar")) {
        return false;
    }
    !(closed(tag("access")) && !opened(tag("motor_vehicle")) && !opened(tag("motorcar")))
}

fn decode(block: &osmpbf::PrimitiveBlock) -> Block {
    let mut out = Block::default();
    block.for_each_element(|e| match e {
        Element::Node(n) => out.nodes.push((n.id(), n.lon(), n.lat())),
        Element::DenseNode(n) => out.nodes.push((n.id(), n.lon(), n.lat())),
        Element::Way(w) => {
            let tags: Vec<(String, String)> =
                w.tags().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            if drivable(&tags) {
                out.ways.push(Way { id: w.id(), refs: w.refs().collect(), tags });
            }
        }
        Element::Relation(_) => {}
    });
    out
}

/// `maxspeed` in km/h: `50`, `50 km/h`, `30 mph`; other values (`signals`, `VN:urban`) none.
fn speed_kmh(text: &str) -> Option<f64> {
    let t = text.trim().to_ascii_lowercase();
    let (number, factor) = match t.strip_suffix("mph") {
        Some(n) => (n.trim(), 1.609_344),
        None => (t.trim_end_matches("km/h").trim_end_matches("kmh").trim(), 1.0),
    };
    number.parse::<f64>().ok().filter(|v| *v > 0.0 && v.is_finite()).map(|v| v * factor)
}

/// Reads the roads of an extract's bytes into `layer` (features in EPSG:4326).
pub fn read(bytes: &[u8], layer: &mut RawLayer) {
    layer.tabular = false;
    layer.set_crs(super::crs::LONLAT, "OpenStreetMap");
    let mut blobs = Vec::new();
    for blob in BlobReader::new(Cursor::new(bytes)) {
        match blob {
            Ok(b) => blobs.push(b),
            Err(e) => {
                layer.file_problem(format!("not a readable OpenStreetMap PBF file ({e})"));
                return;
            }
        }
    }
    let decoded: Vec<Result<Block, String>> = blobs
        .par_iter()
        .map(|blob| match blob.decode() {
            Ok(BlobDecode::OsmData(block)) => Ok(decode(&block)),
            Ok(_) => Ok(Block::default()),
            Err(e) => Err(e.to_string()),
        })
        .collect();
    let mut ways = Vec::new();
    let mut nodes: HashMap<i64, Coord<f64>> = HashMap::new();
    for block in decoded {
        match block {
            Ok(b) => {
                ways.extend(b.ways);
                nodes.extend(b.nodes.into_iter().map(|(id, x, y)| (id, Coord { x, y })));
            }
            Err(e) => {
                layer.file_problem(format!("an OpenStreetMap data block cannot be decoded ({e})"));
                return;
            }
        }
    }
    ways.sort_by_key(|w| w.id);
    for (index, way) in ways.into_iter().enumerate() {
        let mut raw = RawFeature::new(index);
        let tag = |k: &str| way.tags.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        raw.properties.insert("id", RawValue::Number(way.id.into()));
        if let Some(h) = tag("highway") {
            raw.properties.insert("highway", RawValue::text(h));
        }
        let oneway = match tag("oneway") {
            Some(v @ ("yes" | "true" | "1" | "-1" | "reverse" | "no" | "false" | "0")) => v,
            // `reversible`, `alternating`: open one way at a time, either way.
            Some(_) => "no",
            None if tag("junction") == Some("roundabout") || tag("highway") == Some("motorway") => {
                "yes"
            }
            None => "no",
        };
        raw.properties.insert("oneway", RawValue::text(oneway));
        if let Some(s) = tag("maxspeed").and_then(speed_kmh) {
            if let Some(n) = serde_json::Number::from_f64(s) {
                raw.properties.insert("speed_kmh", RawValue::Number(n));
            }
        }
        for key in ["access", "hgv"] {
            if let Some(v) = tag(key) {
                raw.properties.insert(key, RawValue::text(v));
            }
        }
        let mut parts: Vec<LineString<f64>> = Vec::new();
        let mut current: Vec<Coord<f64>> = Vec::new();
        for r in &way.refs {
            match nodes.get(r) {
                // A node repeated in a row (it happens in OSM) would make an invalid line.
                Some(c) if current.last() == Some(c) => {}
                Some(c) => current.push(*c),
                None => {
                    if current.len() >= 2 {
                        parts.push(LineString(std::mem::take(&mut current)));
                    }
                    current.clear();
                }
            }
        }
        if current.len() >= 2 {
            parts.push(LineString(current));
        }
        if parts.is_empty() {
            // Every node outside the extract: nothing to place, and nothing wrong with the file.
            continue;
        }
        raw.geometry = Some(Geometry::MultiLineString(MultiLineString(parts)));
        raw.properties.shrink_to_fit();
        layer.features.push(raw);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn footways_private_roads_and_untagged_ways_are_not_drivable() {
        assert!(drivable(&tags(&[("highway", "residential")])));
        assert!(!drivable(&tags(&[("highway", "footway")])));
        assert!(!drivable(&tags(&[("highway", "service"), ("access", "private")])));
        assert!(drivable(&tags(&[
            ("highway", "service"),
            ("access", "no"),
            ("motor_vehicle", "yes")
        ])));
        assert!(!drivable(&tags(&[("route", "ferry")])));
    }

    #[test]
    fn maxspeed_is_read_in_kmh_or_mph() {
        assert_eq!(speed_kmh("50"), Some(50.0));
        assert_eq!(speed_kmh("60 km/h"), Some(60.0));
        assert!((speed_kmh("30 mph").unwrap() - 48.28).abs() < 0.01);
        assert_eq!(speed_kmh("signals"), None);
    }
}
