//! End to end on the bundled Binh Duong scenario: the real binary, real files, read back.

use std::path::Path;

use crate::support::relocate;

fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("valid JSON")
}

#[test]
fn validate_without_arguments_prints_the_bundled_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let out = relocate(dir.path(), &["validate"]);
    let stdout = &out.stdout;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(stdout.contains("factories"), "{stdout}");
    assert!(stdout.contains("parks"), "{stdout}");
}

#[test]
fn plan_without_arguments_writes_the_binh_duong_maps() {
    let dir = tempfile::tempdir().unwrap();
    let out = relocate(dir.path(), &["plan", "--quiet"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let maps = dir.path().join("maps/binh-duong");
    for file in [
        "plan.gpkg",
        "plan.qgs",
        "factories.geojson",
        "parks.geojson",
        "moves.geojson",
        "flows.geojson",
        "map.svg",
        "map.png",
        "map.pdf",
        "report.html",
        "factories.csv",
        "parks.csv",
        "summary.json",
        "timings.json",
    ] {
        let path = maps.join(file);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        assert!(size > 0, "{file} missing or empty");
    }

    let summary = json(&maps.join("summary.json"));
    let count = |k: &str| summary[k].as_u64().unwrap_or_else(|| panic!("summary.{k}"));
    let total = count("factories_total");
    assert!(total > 2_500, "about 2,900 factories expected, found {total}");
    assert_eq!(
        count("must_relocate") + count("encouraged") + count("may_stay") + count("out_of_scope"),
        total
    );
    assert_eq!(
        count("assigned") + count("unassigned"),
        count("must_relocate") + count("encouraged")
    );
    assert!(count("must_relocate") > 0);
    let gap = summary["gap"].as_f64().expect("gap");
    assert!(gap <= 0.001, "gap {gap} above 0.1 %");
    let objective = summary["objective"].as_f64().expect("objective");
    let bound = summary["lower_bound"].as_f64().expect("lower_bound");
    assert!(bound <= objective + 1e-6);

    // No park over capacity.
    let parks = json(&maps.join("parks.geojson"));
    for park in parks["features"].as_array().expect("features") {
        let p = &park["properties"];
        let available = p["available_ha"].as_f64().unwrap_or(0.0);
        let allocated = p["allocated_ha"].as_f64().unwrap_or(0.0);
        assert!(allocated <= available + 1e-6, "park {} over capacity", p["id"]);
    }

    // Every relocating factory is placed or carries a reason.
    let factories = json(&maps.join("factories.geojson"));
    for f in factories["features"].as_array().expect("features") {
        let p = &f["properties"];
        match p["status"].as_str() {
            Some("assigned") => assert!(p["park_id"].is_string(), "{p}"),
            Some("unassigned") => {
                assert!(p["unassigned_reason"].as_str().is_some_and(|r| !r.is_empty()), "{p}")
            }
            Some("stays") => {}
            other => panic!("unexpected status {other:?}"),
        }
    }
}

#[test]
fn two_plans_of_the_same_inputs_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    for out in ["a", "b"] {
        let run = relocate(dir.path(), &["plan", "--quiet", "--out", out]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let mut names: Vec<_> = std::fs::read_dir(dir.path().join("a"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n != "timings.json")
        .collect();
    names.sort();
    assert!(names.len() >= 12, "{names:?}");
    for name in names {
        let a = std::fs::read(dir.path().join("a").join(&name)).unwrap();
        let b = std::fs::read(dir.path().join("b").join(&name)).unwrap();
        assert!(a == b, "{name} differs between two runs");
    }
}

#[test]
fn explain_names_the_verdict_and_the_destination() {
    let dir = tempfile::tempdir().unwrap();
    let run = relocate(dir.path(), &["plan", "--quiet", "--out", "p"]);
    assert_eq!(run.code, 0);
    let factories = json(&dir.path().join("p/factories.geojson"));
    let assigned = factories["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["status"] == "assigned")
        .expect("an assigned factory");
    let id = assigned["properties"]["id"].as_str().unwrap().to_string();
    let park = assigned["properties"]["park_name"].as_str().unwrap().to_string();
    let out = relocate(dir.path(), &["explain", &id, "--quiet"]);
    let text = &out.stdout;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(text.contains(&id), "{text}");
    assert!(text.contains(&park), "{text}");

    let missing = relocate(dir.path(), &["explain", "NO-SUCH-FACTORY", "--quiet"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("NO-SUCH-FACTORY"));
}

#[test]
fn a_broken_layer_exits_two_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("parks.geojson"),
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"P1","name":"Park","available_ha":-5},"geometry":{"type":"Polygon","coordinates":[[[106.6,11.2],[106.7,11.2],[106.7,11.3],[106.6,11.3],[106.6,11.2]]]}}]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("factories.geojson"),
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"F1","name":"Mill","sector":"wood","land_ha":1.0},"geometry":{"type":"Point","coordinates":[106.65,10.95]}}]}"#,
    )
    .unwrap();
    let out = relocate(
        dir.path(),
        &["plan", "--parks", "parks.geojson", "--factories", "factories.geojson", "--out", "o"],
    );
    let stderr = &out.stderr;
    assert_eq!(out.code, 2, "{stderr}");
    assert!(stderr.contains("parks.geojson: feature P1: available_ha:"), "{stderr}");
    assert!(!dir.path().join("o").exists());
}

#[test]
fn formats_picks_the_output_families_and_the_geojson_matches_the_full_run() {
    let dir = tempfile::tempdir().unwrap();
    let all = relocate(dir.path(), &["plan", "--quiet", "--out", "all"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    let only =
        relocate(dir.path(), &["plan", "--quiet", "--out", "only", "--formats", "geojson,csv"]);
    assert_eq!(only.code, 0, "{}", only.stderr);
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("only"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "factories.csv",
            "factories.geojson",
            "flows.geojson",
            "moves.geojson",
            "parks.csv",
            "parks.geojson",
            "summary.json",
            "timings.json"
        ]
    );
    // The files written are the same bytes as in the full output set.
    for file in [
        "factories.geojson",
        "moves.geojson",
        "flows.geojson",
        "parks.geojson",
        "factories.csv",
        "summary.json",
    ] {
        let a = std::fs::read(dir.path().join("all").join(file)).unwrap();
        let b = std::fs::read(dir.path().join("only").join(file)).unwrap();
        assert!(a == b, "{file} differs between --formats geojson,csv and the full run");
    }

    let bad = relocate(
        dir.path(),
        &["plan", "--quiet", "--out", "bad", "--formats", "geojson,shapefile"],
    );
    assert_eq!(bad.code, 2);
    let stderr = &bad.stderr;
    assert!(stderr.contains("shapefile") && stderr.contains("geojson"), "{stderr}");
    assert!(!dir.path().join("bad").exists());
}
