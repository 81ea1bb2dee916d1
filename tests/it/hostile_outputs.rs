//! Hostile names end to end through the real binary's `plan`: markup, quotes, ampersands, line
//! breaks, right-to-left overrides and spreadsheet formulas in factory, park, district, sector and
//! scenario names must come out harmless in every output (XML that parses with no script, HTML
//! with no live markup from data, CSV cells that cannot run) and intact where the output is data
//! (GeoJSON, GeoPackage). Also: outputs are written only inside `--out`, a failing or
//! interrupted run leaves the previous outputs untouched, and an output folder holding the
//! inputs is refused.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use gdal::vector::LayerAccess;

use crate::support::{self, tree, xml};

const SCRIPT_PARK: &str = "Khu <script>alert('park')</script> \"A&B\"";
const RTL_PARK: &str = "Bàu Bàng\u{202E}gnaB\u{200F} line\nbreak";
const FORMULA_FACTORY: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";
const IMG_FACTORY: &str = "<img src=x onerror=alert(1)> & \"quoted\" 'single'";
const AT_FACTORY: &str = "@SUM(A1:A9)";
const MINUS_FACTORY: &str = "-2+3 </td></tr><tr><td>";
const PLUS_SECTOR: &str = "+cmd|' /C calc'!A0";
const SCRIPT_DISTRICT: &str = "Thuận An </text><script>alert(\"d\")</script>";
const TITLE: &str = "Plan <b>bold</b> & \"quoted\" ]]> <!-- comment -->";

/// Data strings that must never appear raw in HTML or XML outputs.
const RAW_MARKUP: &[&str] = &[
    "<script>alert",
    "<img src=x",
    "</td></tr><tr><td>",
    "<b>bold</b>",
    "<!-- comment -->",
    "</text><script>",
];

fn feature(properties: serde_json::Value, geometry: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"type": "Feature", "properties": properties, "geometry": geometry})
}

fn collection(features: Vec<serde_json::Value>) -> String {
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}

fn square(lon: f64, lat: f64, half: f64) -> serde_json::Value {
    serde_json::json!({"type": "Polygon", "coordinates": [[
        [lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half]
    ]]})
}

fn point(lon: f64, lat: f64) -> serde_json::Value {
    serde_json::json!({"type": "Point", "coordinates": [lon, lat]})
}

/// Writes the hostile scenario into `dir`: two parks, four factories that must move, two
/// districts, all with hostile names.
fn write_scenario(dir: &Path) {
    let parks = collection(vec![
        feature(
            serde_json::json!({"id": "P<1>", "name": SCRIPT_PARK, "available_ha": 50}),
            square(106.63, 11.27, 0.02),
        ),
        feature(
            serde_json::json!({"id": "P&2", "name": RTL_PARK, "available_ha": 50, "district": SCRIPT_DISTRICT}),
            square(106.70, 11.30, 0.02),
        ),
    ]);
    let factory = |id: &str, name: &str, sector: &str, lon: f64| {
        feature(
            serde_json::json!({"id": id, "name": name, "sector": sector, "land_ha": 2, "employees": 100,
                "district": SCRIPT_DISTRICT, "construction_violation": true}),
            point(lon, 10.93),
        )
    };
    let factories = collection(vec![
        factory("F\"1", FORMULA_FACTORY, PLUS_SECTOR, 106.70),
        factory("F'2", IMG_FACTORY, "wood", 106.71),
        factory("=F3", AT_FACTORY, "@sector", 106.72),
        factory("F4\u{202E}", MINUS_FACTORY, "-wood", 106.73),
    ]);
    let districts = collection(vec![
        feature(serde_json::json!({"name": SCRIPT_DISTRICT}), square(106.71, 10.93, 0.1)),
        feature(serde_json::json!({"name": RTL_PARK}), square(106.66, 11.28, 0.1)),
    ]);
    std::fs::write(dir.join("parks.geojson"), parks).unwrap();
    std::fs::write(dir.join("factories.geojson"), factories).unwrap();
    std::fs::write(dir.join("districts.geojson"), districts).unwrap();
    let toml_title = TITLE.replace('\\', "\\\\").replace('"', "\\\"");
    std::fs::write(
        dir.join("scenario.toml"),
        format!(
            "name = \"hostile\"\ntitle = \"{toml_title}\"\n[inputs]\nparks = \"parks.geojson\"\nfactories = \"factories.geojson\"\ndistricts = \"districts.geojson\"\n"
        ),
    )
    .unwrap();
}

/// Runs the binary, which must not panic: its exit code and stderr.
fn relocate(dir: &Path, args: &[&str]) -> (i32, String) {
    let run = support::relocate(dir, args);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    (run.code, run.stderr)
}

fn names(tree: &[(PathBuf, Vec<u8>)]) -> BTreeSet<String> {
    tree.iter().map(|(p, _)| p.display().to_string()).collect()
}

fn assert_no_script(doc: &roxmltree::Document, what: &str) {
    for n in doc.descendants().filter(|n| n.is_element()) {
        assert!(!n.tag_name().name().eq_ignore_ascii_case("script"), "{what}: a <script> element");
        for a in n.attributes() {
            assert!(
                !a.name().to_ascii_lowercase().starts_with("on"),
                "{what}: event attribute {}",
                a.name()
            );
        }
    }
}

#[test]
fn hostile_names_are_harmless_in_every_output_and_intact_in_the_data() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_scenario(dir);
    let before = names(&tree(dir));
    let (code, stderr) =
        relocate(dir, &["plan", "--quiet", "--scenario", "scenario.toml", "--out", "out"]);
    assert_eq!(code, 0, "{stderr}");
    // Nothing written outside --out.
    let after: BTreeSet<String> =
        names(&tree(dir)).into_iter().filter(|n| n != "out" && !n.starts_with("out/")).collect();
    assert_eq!(after, before);
    let out = dir.join("out");
    let read = |n: &str| std::fs::read_to_string(out.join(n)).unwrap();

    // Every relocating factory is placed, so every name reaches the moves, labels and tables.
    let summary: serde_json::Value = serde_json::from_str(&read("summary.json")).unwrap();
    assert_eq!(summary["assigned"], 4, "{summary}");

    // GeoJSON is data: names come back exactly as given.
    let factories: serde_json::Value = serde_json::from_str(&read("factories.geojson")).unwrap();
    let got: BTreeSet<&str> = factories["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(got, BTreeSet::from([FORMULA_FACTORY, IMG_FACTORY, AT_FACTORY, MINUS_FACTORY]));
    let parks: serde_json::Value = serde_json::from_str(&read("parks.geojson")).unwrap();
    let got: BTreeSet<&str> = parks["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(got, BTreeSet::from([SCRIPT_PARK, RTL_PARK]));

    // map.svg and plan.qgs parse as XML and hold no script or event handler.
    let svg = read("map.svg");
    let doc = xml(&svg);
    assert_no_script(&doc, "map.svg");
    let text: String = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(text.contains("Plan <b>bold</b>"), "the title is shown as text: {text}");
    for raw in RAW_MARKUP {
        assert!(!svg.contains(raw), "map.svg holds raw {raw:?}");
    }
    let qgs = read("plan.qgs");
    let doc = xml(&qgs);
    assert_no_script(&doc, "plan.qgs");
    let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(title.text(), Some(TITLE));

    // report.html: its scripts are its own (the page's, the map's and the map's JSON data);
    // data appears only escaped.
    let html = read("report.html");
    assert_eq!(html.matches("<script").count(), 3, "only the report's own scripts");
    assert_eq!(html.to_ascii_lowercase().matches("</script").count(), 3);
    for raw in RAW_MARKUP {
        assert!(!html.contains(raw), "report.html holds raw {raw:?}");
    }
    assert!(html.contains("&lt;script&gt;alert("), "the park name is shown escaped");
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the factory name is shown escaped"
    );
    assert!(!html.contains("\"A&B\""), "a raw quote or ampersand from data");

    // GeoPackage: styles parse as XML with no script; names round-trip exactly.
    let ds = gdal::Dataset::open(out.join("plan.gpkg")).unwrap();
    let mut styles = ds.layer_by_name("layer_styles").unwrap();
    let mut count = 0;
    for f in styles.features() {
        let qml = f.field_as_string(f.field_index("styleQML").unwrap()).unwrap().unwrap();
        assert_no_script(&xml(&qml), "layer_styles");
        count += 1;
    }
    assert!(count >= 3, "{count} styles");
    let mut layer = ds.layer_by_name("parks").unwrap();
    let got: BTreeSet<String> = layer
        .features()
        .map(|f| f.field_as_string(f.field_index("name").unwrap()).unwrap().unwrap())
        .collect();
    assert_eq!(got, BTreeSet::from([SCRIPT_PARK.to_string(), RTL_PARK.to_string()]));
    let mut layer = ds.layer_by_name("districts").unwrap();
    let got: BTreeSet<String> = layer
        .features()
        .map(|f| f.field_as_string(f.field_index("name").unwrap()).unwrap().unwrap())
        .collect();
    assert!(got.contains(SCRIPT_DISTRICT), "{got:?}");

    // CSV: every text cell a spreadsheet would run is neutralised with a leading quote.
    for name in ["factories.csv", "parks.csv"] {
        let text = read(name);
        let body = text.strip_prefix('\u{feff}').expect("a byte-order mark");
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(body.as_bytes());
        let mut rows = 0;
        for record in reader.records() {
            rows += 1;
            for cell in record.unwrap().iter() {
                if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                    assert!(cell.parse::<f64>().is_ok(), "{name}: live formula cell {cell:?}");
                }
            }
        }
        assert!(rows >= 2, "{name}: {rows} rows");
    }
    let factories_csv = read("factories.csv");
    for neutral in
        ["'=HYPERLINK(", "'@SUM(A1:A9)", "'-2+3 ", "'+cmd|", "'@sector", "'-wood", "'=F3"]
    {
        assert!(factories_csv.contains(neutral), "factories.csv lacks {neutral:?}");
    }

    // The other outputs exist and are not empty.
    for name in ["map.png", "map.pdf", "moves.geojson", "timings.json"] {
        assert!(std::fs::metadata(out.join(name)).unwrap().len() > 0, "{name}");
    }
}

#[test]
fn a_failing_run_leaves_the_previous_outputs_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_scenario(dir);
    let (code, stderr) =
        relocate(dir, &["plan", "--quiet", "--scenario", "scenario.toml", "--out", "out"]);
    assert_eq!(code, 0, "{stderr}");
    let before = tree(dir);
    // Break an input: the second run must fail and change nothing at all.
    let good = std::fs::read_to_string(dir.join("parks.geojson")).unwrap();
    std::fs::write(
        dir.join("parks.geojson"),
        good.replace("\"available_ha\":50", "\"available_ha\":-50"),
    )
    .unwrap();
    let broken = tree(dir);
    let (code, stderr) =
        relocate(dir, &["plan", "--quiet", "--scenario", "scenario.toml", "--out", "out"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("parks.geojson: feature P<1>: available_ha:"), "{stderr}");
    assert_eq!(tree(dir), broken);
    let unchanged: Vec<_> = before.iter().filter(|(p, _)| p.starts_with("out")).collect();
    let now: Vec<_> = broken.iter().filter(|(p, _)| p.starts_with("out")).collect();
    assert_eq!(unchanged, now);
}

#[test]
fn an_interrupted_run_leaves_the_previous_outputs_and_the_next_run_cleans_up() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_scenario(dir);
    let (code, stderr) =
        relocate(dir, &["plan", "--quiet", "--scenario", "scenario.toml", "--out", "out"]);
    assert_eq!(code, 0, "{stderr}");
    let first: Vec<_> = tree(dir).into_iter().filter(|(p, _)| p.starts_with("out")).collect();

    // Kill a second run as soon as it has started staging its outputs beside the folder.
    let mut child = Command::new(env!("CARGO_BIN_EXE_relocate"))
        .current_dir(dir)
        .args(["plan", "--quiet", "--scenario", "scenario.toml", "--out", "out"])
        .spawn()
        .unwrap();
    let staging = |d: &Path| {
        std::fs::read_dir(d)
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().starts_with(".out.writing-"))
    };
    let started = std::time::Instant::now();
    while !staging(dir) {
        // A run that ends before it is seen staging, or never stages, has not tested anything.
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the run finished ({status}) before it could be interrupted while staging");
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the run did not start staging its outputs within 60 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    // Killed by the signal, not finished on its own just before it.
    assert_eq!(status.code(), None, "the run was not interrupted: it ended with {status}");
    // Whatever the moment of the kill, `out` holds a complete output set.
    let now: Vec<_> = tree(dir).into_iter().filter(|(p, _)| p.starts_with("out")).collect();
    let keys = |v: &[(PathBuf, Vec<u8>)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&now), keys(&first));

    // The next run removes whatever the killed one left beside `out`.
    let (code, stderr) =
        relocate(dir, &["plan", "--quiet", "--scenario", "scenario.toml", "--out", "out"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!staging(dir), "a staging folder is left beside out");
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn an_output_folder_holding_the_inputs_is_refused_and_nothing_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_scenario(dir);
    let before = tree(dir);
    for out in [".", "./", "parks.geojson", dir.to_str().unwrap()] {
        let (code, stderr) =
            relocate(dir, &["plan", "--quiet", "--scenario", "scenario.toml", "--out", out]);
        assert_eq!(code, 2, "--out {out}: {stderr}");
        assert!(stderr.contains("holds the input file"), "--out {out}: {stderr}");
        assert_eq!(tree(dir), before, "--out {out}");
    }
    // A link to the input folder is the input folder.
    #[cfg(unix)]
    {
        let link = tempfile::tempdir().unwrap();
        let alias = link.path().join("alias");
        std::os::unix::fs::symlink(dir, &alias).unwrap();
        let (code, stderr) = relocate(
            dir,
            &["plan", "--quiet", "--scenario", "scenario.toml", "--out", alias.to_str().unwrap()],
        );
        assert_eq!(code, 2, "{stderr}");
        assert_eq!(tree(dir), before);
    }
}

#[test]
fn two_runs_a_second_apart_give_byte_identical_outputs_pdf_and_geopackage_included() {
    // A second apart, so a clock-derived timestamp (PDF CreationDate, GeoPackage last_change)
    // would show; only timings.json may differ.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_scenario(dir);
    for out in ["a", "b"] {
        let (code, stderr) =
            relocate(dir, &["plan", "--quiet", "--scenario", "scenario.toml", "--out", out]);
        assert_eq!(code, 0, "{stderr}");
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    let a = tree(&dir.join("a"));
    let b = tree(&dir.join("b"));
    assert_eq!(names(&a), names(&b));
    assert!(names(&a).contains("map.pdf") && names(&a).contains("plan.gpkg"));
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        if name.as_os_str() != "timings.json" {
            assert!(x == y, "{} differs between two runs", name.display());
        }
    }
}
