//! Opens the written plan.qgs and plan.gpkg in real, headless QGIS (tests/qgis_check.py):
//! layers valid, counted, styled, labelled; the print layout exports to PNG.
//!
//! Needs `python3-qgis` (Debian: `apt-get install qgis python3-qgis`; `scripts/test.sh` installs
//! it). Without it the test fails: QGIS's reading cannot be checked without QGIS.

use std::path::{Path, PathBuf};
use std::process::Command;

use relocate::model::Lang;
use relocate::output;

use crate::support::{self, output_fixture, qgis_python};

fn check(out: &Path, png: &Path, expected: &str) -> serde_json::Value {
    let py = qgis_python().expect(
        "python3-qgis is needed: run scripts/test.sh, or apt-get install qgis python3-qgis",
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/qgis_check.py");
    let run = Command::new(py)
        .arg(script)
        .arg(out)
        .arg(png)
        .arg(expected)
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let line = stdout.lines().rev().find(|l| l.starts_with('{')).unwrap_or("");
    assert!(
        run.status.success(),
        "QGIS check failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_str(line).unwrap()
}

/// Features in a GeoJSON FeatureCollection.
fn geojson_features(path: &Path) -> usize {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["features"].as_array().unwrap().len()
}

#[test]
fn qgis_opens_the_project_and_geopackage_styled_and_prints_the_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    output::write_plan(&output_fixture::plan(&out, Lang::Vi)).unwrap();
    // Keep the exported page where a person can look at it after the run.
    let png = std::env::var_os("RELOCATE_QGIS_PNG")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("layout.png"));
    let flows = geojson_features(&out.join("flows.geojson"));
    assert!(flows >= 1);
    let expected = format!(
        r#"{{"factories": 6, "parks": 3, "moves": 3, "flows": {flows}, "districts": 2, "zoning": 2}}"#
    );
    let found = check(&out, &png, &expected);
    assert_eq!(found["crs"], "EPSG:32648");
    assert_eq!(found["page_mm"], serde_json::json!([420, 297]));
    for item in ["legend", "map", "north_arrow", "scalebar", "subtitle", "title"] {
        assert!(
            found["layout_items"].as_array().unwrap().iter().any(|i| i == item),
            "layout lacks {item}: {found}"
        );
    }
    assert_eq!(found["project_layers"]["parks"]["renderer"], "graduatedSymbol");
    assert_eq!(found["project_layers"]["factories"]["renderer"], "categorizedSymbol");
    // Moves aggregated by default: flows shown, graduated by width and labelled; single moves
    // in the project but off.
    assert_eq!(found["project_layers"]["flows"]["renderer"], "graduatedSymbol");
    assert_eq!(found["project_layers"]["flows"]["labels"], true);
    assert_eq!(found["project_layers"]["flows"]["visible"], true);
    assert_eq!(found["project_layers"]["moves"]["visible"], false);
    assert_eq!(found["gpkg_layers"]["flows"]["renderer"], "graduatedSymbol");
    let png_bytes = std::fs::read(&png).unwrap();
    assert!(png_bytes.starts_with(b"\x89PNG"));
}

#[test]
fn qgis_opens_the_bundled_binh_duong_plan_written_by_the_binary() {
    let tmp = tempfile::tempdir().unwrap();
    let run = support::relocate(tmp.path(), &["plan", "--quiet", "--out", "bd"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = tmp.path().join("bd");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let expected = serde_json::json!({
        "factories": summary["factories_total"],
        "parks": 22,
        "moves": summary["assigned"],
        "flows": geojson_features(&out.join("flows.geojson")),
        "districts": 9,
        "zoning": 1200,
    })
    .to_string();
    let png = std::env::var_os("RELOCATE_QGIS_BD_PNG")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("layout.png"));
    let found = check(&out, &png, &expected);
    assert_eq!(found["project_layers"]["moves"]["renderer"], "categorizedSymbol");
    assert_eq!(found["project_layers"]["flows"]["visible"], true);
    assert_eq!(found["project_layers"]["moves"]["visible"], false);
}
