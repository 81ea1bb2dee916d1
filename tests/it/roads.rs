//! Distances by road, end to end: the real binary on hand-made roads (a river crossed by one
//! bridge, the same roads as GeoJSON and as OpenStreetMap PBF, a factory far from every road)
//! and on a real OpenStreetMap extract (`fixtures/osm/test.osm.pbf`, ODbL).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::relocate;

fn osm(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/osm").join(name)
}

fn square(lon: f64, lat: f64, half_deg: f64) -> Value {
    let (a, b, c, d) = (lon - half_deg, lon + half_deg, lat - half_deg, lat + half_deg);
    serde_json::json!({"type": "Polygon", "coordinates": [[[a, c], [b, c], [b, d], [a, d], [a, c]]]})
}

fn collection(features: Vec<Value>) -> String {
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}

/// A scenario beside the twin roads: factory F1 just north of the southern road; park A just
/// across the river (north), park B 6 km east on the southern road. `extra` factories are added.
fn river_scenario(dir: &Path, roads: &Path, distance: &str, extra: &[(&str, f64, f64)]) -> PathBuf {
    let park = |id: &str, lon: f64, lat: f64| serde_json::json!({"type": "Feature", "properties": {"id": id, "name": format!("Park {id}"), "available_ha": 50.0}, "geometry": square(lon, lat, 0.002)});
    std::fs::write(
        dir.join("parks.geojson"),
        collection(vec![park("A", 106.605, 11.2245), park("B", 106.662, 11.1965)]),
    )
    .unwrap();
    let mut factories = vec![("F1", 106.604, 11.2015)];
    factories.extend_from_slice(extra);
    let factories: Vec<Value> = factories
        .iter()
        .map(|(id, lon, lat)| {
            serde_json::json!({"type": "Feature", "properties": {"id": id, "name": format!("Xưởng {id}"), "sector": "food", "land_ha": 1.0, "construction_violation": true}, "geometry": {"type": "Point", "coordinates": [lon, lat]}})
        })
        .collect();
    std::fs::write(dir.join("factories.geojson"), collection(factories)).unwrap();
    let scenario = dir.join("scenario.toml");
    std::fs::write(
        &scenario,
        format!(
            "name = \"river\"\n\n[inputs]\nparks = \"parks.geojson\"\nfactories = \"factories.geojson\"\nroads = {:?}\n\n[scoring]\ndistance = \"{distance}\"\n",
            roads.display().to_string()
        ),
    )
    .unwrap();
    scenario
}

fn plan(dir: &Path, scenario: &Path, out: &str, more: &[&str]) -> crate::support::Run {
    let mut args = vec!["plan", "--quiet", "--scenario", scenario.to_str().unwrap(), "--out", out];
    args.extend_from_slice(more);
    relocate(dir, &args)
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn moves(dir: &Path) -> Vec<Value> {
    json(&dir.join("moves.geojson"))["features"].as_array().unwrap().clone()
}

#[test]
fn across_a_river_with_one_bridge_the_factory_goes_to_the_park_nearest_by_road() {
    let tmp = tempfile::tempdir().unwrap();
    let straight = river_scenario(tmp.path(), &osm("twin.geojson"), "straight_line", &[]);
    let run = plan(tmp.path(), &straight, "straight", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let m = moves(&tmp.path().join("straight"));
    assert_eq!(m[0]["properties"]["park_id"], "A", "{m:?}");
    // Straight-line moves still report their road route.
    let network_km = m[0]["properties"]["network_km"].as_f64().unwrap();
    assert!(network_km > 20.0, "{m:?}");

    let road = river_scenario(tmp.path(), &osm("twin.geojson"), "road", &[]);
    let run = plan(tmp.path(), &road, "road", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = tmp.path().join("road");
    let m = moves(&out);
    let p = &m[0]["properties"];
    assert_eq!(p["park_id"], "B", "{m:?}");
    let total = p["distance_km"].as_f64().unwrap();
    let parts = p["entry_m"].as_f64().unwrap() / 1000.0
        + p["network_km"].as_f64().unwrap()
        + p["exit_m"].as_f64().unwrap() / 1000.0;
    assert!((total - parts).abs() < 0.002, "{p}");
    assert!(p["minutes"].as_f64().unwrap() > 0.0);
    // The line follows the road: more than its two ends.
    assert!(m[0]["geometry"]["coordinates"].as_array().unwrap().len() > 3, "{m:?}");
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["distance_basis"], "road");
    assert_eq!(summary["roads"]["factories_snapped"], 1);
    // The GeoPackage's moves gain the road fields.
    let info = std::process::Command::new("ogrinfo")
        .args(["-ro", "-so", out.join("plan.gpkg").to_str().unwrap(), "moves"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&info.stdout);
    for field in ["network_km", "entry_m", "exit_m", "minutes"] {
        assert!(text.contains(&format!("{field}: Real")), "{text}");
    }
    // explain gives both distances.
    let run = relocate(tmp.path(), &["explain", "F1", "--scenario", road.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("by road") && run.stdout.contains("straight line"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_same_roads_as_geojson_and_as_pbf_give_the_same_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let a = river_scenario(tmp.path(), &osm("twin.geojson"), "road", &[("F2", 106.615, 11.1815)]);
    assert_eq!(plan(tmp.path(), &a, "geojson", &[]).code, 0);
    let b = river_scenario(tmp.path(), &osm("twin.osm.pbf"), "road", &[("F2", 106.615, 11.1815)]);
    let run = plan(tmp.path(), &b, "pbf", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in ["moves.geojson", "factories.csv", "parks.csv"] {
        let x = std::fs::read(tmp.path().join("geojson").join(file)).unwrap();
        let y = std::fs::read(tmp.path().join("pbf").join(file)).unwrap();
        assert!(x == y, "{file} differs between the GeoJSON and the PBF roads");
    }
    let (x, y) = (
        json(&tmp.path().join("geojson/summary.json")),
        json(&tmp.path().join("pbf/summary.json")),
    );
    assert_eq!(x["roads"], y["roads"]);
    // The footway and the private road are left out of the PBF (the GeoJSON holds neither);
    // the island road 108 is dropped from both as a disconnected part.
    assert_eq!(y["roads"]["network"]["roads"], 6);
    assert_eq!(y["roads"]["network"]["dropped_nodes"], 2);
}

#[test]
fn a_factory_beyond_max_snap_is_counted_or_stops_the_run_with_on_unsnapped_abort() {
    let tmp = tempfile::tempdir().unwrap();
    let s = river_scenario(tmp.path(), &osm("twin.geojson"), "road", &[("F-far", 106.604, 11.150)]);
    let run = plan(tmp.path(), &s, "kept", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = json(&tmp.path().join("kept/summary.json"));
    assert_eq!(summary["roads"]["factories_unsnapped"], 1);
    assert_eq!(summary["roads"]["unsnapped_factory_ids"], serde_json::json!(["F-far"]));
    let far = moves(&tmp.path().join("kept"))
        .into_iter()
        .find(|m| m["properties"]["factory_id"] == "F-far")
        .unwrap();
    // Kept its straight-line distance: no road fields, a straight line.
    assert!(far["properties"].get("network_km").is_none(), "{far}");
    assert_eq!(far["geometry"]["coordinates"].as_array().unwrap().len(), 2);

    let run = plan(tmp.path(), &s, "aborted", &["--on-unsnapped", "abort"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("F-far") && run.stderr.contains("max_snap_m"), "{}", run.stderr);
    assert!(!tmp.path().join("aborted").exists());
}

#[test]
fn a_real_osm_extract_is_read_with_its_one_ways_access_tags_and_disconnected_parts() {
    use relocate::scenario::{Layer, LayerInput, Source};
    let input = LayerInput {
        layer: Layer::Roads,
        source: Source::File { shown: "test.osm.pbf".into(), path: osm("test.osm.pbf") },
        fields: Default::default(),
        crs: None,
    };
    let layer = relocate::input::read_layer(&input);
    assert!(layer.problems.is_empty(), "{:?}", layer.problems);
    let text = |f: &relocate::input::RawFeature, k: &str| match f.properties.get(k) {
        Some(relocate::input::RawValue::Text(t)) => Some(t.to_string()),
        _ => None,
    };
    let highways: Vec<String> = layer.features.iter().filter_map(|f| text(f, "highway")).collect();
    assert!(highways.len() > 100, "{}", highways.len());
    for gone in ["footway", "cycleway", "path", "track"] {
        assert!(!highways.iter().any(|h| h == gone), "{gone} kept");
    }
    assert!(highways.iter().any(|h| h == "motorway"));
    let oneway =
        layer.features.iter().filter(|f| text(f, "oneway").as_deref() == Some("yes")).count();
    assert!(oneway >= 30, "{oneway} one-way ways");

    // A plan on it: a factory and a park in the extract, joined to its roads.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("parks.geojson"),
        collection(vec![serde_json::json!({"type": "Feature", "properties": {"id": "P", "name": "Park", "available_ha": 10.0}, "geometry": square(26.962, 60.535, 0.001)})]),
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("factories.geojson"),
        collection(vec![serde_json::json!({"type": "Feature", "properties": {"id": "F", "name": "Mill", "sector": "wood", "land_ha": 1.0, "construction_violation": true}, "geometry": {"type": "Point", "coordinates": [26.935, 60.525]}})]),
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("scenario.toml"),
        format!(
            "name = \"osm\"\n[inputs]\nparks = \"parks.geojson\"\nfactories = \"factories.geojson\"\nroads = {:?}\n[scoring]\ndistance = \"road\"\nmetric = \"minutes\"\n",
            osm("test.osm.pbf").display().to_string()
        ),
    )
    .unwrap();
    let run =
        relocate(tmp.path(), &["plan", "--quiet", "--scenario", "scenario.toml", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = json(&tmp.path().join("out/summary.json"));
    let network = &summary["roads"]["network"];
    assert!(network["nodes"].as_u64().unwrap() > 500, "{network}");
    // Parts not connected both ways to the rest (one-way ends, pieces cut at the extract's
    // edge) are dropped, and reported.
    assert!(network["dropped_nodes"].as_u64().unwrap() > 0, "{network}");
    assert!(network["dropped_share"].as_f64().unwrap() < 0.5, "{network}");
    let m = moves(&tmp.path().join("out"));
    let p = &m[0]["properties"];
    assert!(p["minutes"].as_f64().unwrap() > 0.0, "{p}");
    assert!(p["distance_km"].as_f64().unwrap() >= 1.5, "{p}");
}

#[test]
fn synth_draws_roads_that_every_factory_and_park_joins_and_its_road_variant_plans() {
    let tmp = tempfile::tempdir().unwrap();
    let run = relocate(
        tmp.path(),
        &["synth", "--factories", "400", "--parks", "12", "--seed", "3", "--out", "s"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = relocate(
        tmp.path(),
        &[
            "plan",
            "--quiet",
            "--scenario",
            "s/road-distance.toml",
            "--out",
            "out",
            "--formats",
            "geojson,csv",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = json(&tmp.path().join("out/summary.json"));
    assert_eq!(summary["distance_basis"], "road");
    let roads = &summary["roads"];
    assert_eq!(roads["factories_unsnapped"], 0, "{roads}");
    assert_eq!(roads["parks_unsnapped"], 0, "{roads}");
    // Rivers cut the lattice, but bridges keep nearly all of it in one strongly connected part.
    assert!(roads["network"]["dropped_share"].as_f64().unwrap() < 0.05, "{roads}");
    assert!(moves(&tmp.path().join("out"))
        .iter()
        .all(|m| m["properties"]["network_km"].is_number()));
}

#[test]
fn a_gated_park_is_entered_at_its_gate_and_the_pages_say_which_distances_are_by_road() {
    let tmp = tempfile::tempdir().unwrap();
    let road = river_scenario(tmp.path(), &osm("twin.geojson"), "road", &[]);
    // Park A's one gate, on its west edge.
    let gate = serde_json::json!({"type": "Feature", "properties": {"id": "A-west", "park_id": "A"}, "geometry": {"type": "Point", "coordinates": [106.603, 11.2245]}});
    std::fs::write(tmp.path().join("gates.geojson"), collection(vec![gate])).unwrap();
    let run = plan(tmp.path(), &road, "gated", &["--gates", "gates.geojson"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = tmp.path().join("gated");
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["roads"]["parks_at_gates"], 1, "{summary}");
    assert_eq!(summary["roads"]["gates_joined"], 1, "{summary}");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("Distances are by road"), "the report must say its basis");

    // Without gates the summary keeps its fields as they were.
    let run = plan(tmp.path(), &road, "road", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = json(&tmp.path().join("road/summary.json"));
    assert!(summary["roads"].get("parks_at_gates").is_none(), "{summary}");

    // A road plan compared with a straight-line one: the footer says the bases differ.
    let straight = river_scenario(tmp.path(), &osm("twin.geojson"), "straight_line", &[]);
    let run = plan(tmp.path(), &straight, "straight", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = relocate(tmp.path(), &["compare", "straight", "gated", "--out", "cmp"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(tmp.path().join("cmp/compare.html")).unwrap();
    assert!(
        page.contains("Distances are by road in some of these plans and straight-line in others"),
        "the compare footer must name the mixed bases"
    );
}
