//! GeoJSON, CSV and summary outputs of a hand-built plan; determinism; the safe output folder.

use relocate::model::Lang;
use relocate::output;
use relocate::scenario::Layer;

use crate::support::{self, output_fixture};

fn text(dir: &std::path::Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn plan_writes_geojson_csv_summary_gpkg_and_project() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("maps").join("test-plan");
    output::write_plan(&output_fixture::plan(&out, Lang::En)).unwrap();
    for name in [
        "factories.geojson",
        "parks.geojson",
        "moves.geojson",
        "flows.geojson",
        "factories.csv",
        "parks.csv",
        "summary.json",
        "timings.json",
        "plan.gpkg",
        "plan.qgs",
    ] {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    // Nothing is left beside the output folder.
    let beside: Vec<_> = std::fs::read_dir(out.parent().unwrap()).unwrap().collect();
    assert_eq!(beside.len(), 1);
}

#[test]
fn geojson_files_are_feature_collections_sorted_by_id_in_design_field_order() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    output::write_plan(&output_fixture::plan(&out, Lang::En)).unwrap();
    insta::assert_snapshot!("factories_geojson", text(&out, "factories.geojson"));
    insta::assert_snapshot!("parks_geojson", text(&out, "parks.geojson"));
    insta::assert_snapshot!("moves_geojson", text(&out, "moves.geojson"));
    let v: serde_json::Value = serde_json::from_str(&text(&out, "factories.geojson")).unwrap();
    let keys: Vec<&str> =
        v["features"][0]["properties"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, relocate::output::rows::FACTORY_FIELDS);
}

#[test]
fn csv_tables_carry_a_bom_and_neutralise_formulas() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    output::write_plan(&output_fixture::plan(&out, Lang::En)).unwrap();
    let factories = text(&out, "factories.csv");
    assert!(factories.starts_with('\u{feff}'));
    assert!(factories.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{factories}");
    insta::assert_snapshot!("factories_csv", factories);
    insta::assert_snapshot!("parks_csv", text(&out, "parks.csv"));
}

#[test]
fn summary_counts_verdicts_statuses_criteria_and_parks() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    output::write_plan(&output_fixture::plan(&out, Lang::En)).unwrap();
    let summary = text(&out, "summary.json");
    let v: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(v["factories_total"], 6);
    assert_eq!(v["must_relocate"], 3);
    assert_eq!(v["encouraged"], 1);
    assert_eq!(v["may_stay"], 1);
    assert_eq!(v["out_of_scope"], 1);
    assert_eq!(v["assigned"], 3);
    assert_eq!(v["unassigned"], 1);
    assert_eq!(v["distance_basis"], "straight_line");
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    insta::assert_snapshot!("summary_json", summary);

    let timings: serde_json::Value = serde_json::from_str(&text(&out, "timings.json")).unwrap();
    let stages: Vec<&str> = timings["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages, vec!["read", "write"]);
}

#[test]
fn the_same_plan_gives_byte_identical_outputs_apart_from_timings() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    output::write_plan(&output_fixture::plan(&a, Lang::Vi)).unwrap();
    output::write_plan(&output_fixture::plan(&b, Lang::Vi)).unwrap();
    let fa = support::files(&a);
    let fb = support::files(&b);
    assert_eq!(fa.len(), fb.len());
    for ((na, ba), (nb, bb)) in fa.iter().zip(&fb) {
        assert_eq!(na, nb);
        if na != "timings.json" {
            assert!(ba == bb, "{na} differs between two runs");
        }
    }
}

#[test]
fn assess_writes_factories_and_summary_only() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    output::write_assessment(&output_fixture::assessed_only(&out)).unwrap();
    let names: Vec<String> = support::files(&out).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, vec!["factories.csv", "factories.geojson", "summary.json", "timings.json"]);
    let v: serde_json::Value = serde_json::from_str(&text(&out, "summary.json")).unwrap();
    assert_eq!(v["command"], "assess");
    assert!(v["assigned"].is_null() && v["objective"].is_null());
    // Without an allocation a relocating factory has no status yet.
    let f: serde_json::Value = serde_json::from_str(&text(&out, "factories.geojson")).unwrap();
    assert_eq!(f["features"][0]["properties"]["status"], "");
}

#[test]
fn a_rerun_replaces_the_previous_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    output::write_plan(&output_fixture::plan(&out, Lang::En)).unwrap();
    output::write_assessment(&output_fixture::assessed_only(&out)).unwrap();
    assert!(!out.join("plan.gpkg").exists());
    assert!(out.join("summary.json").is_file());
}

#[test]
fn an_output_folder_holding_an_input_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("factories.geojson");
    std::fs::write(&input, "{\"type\":\"FeatureCollection\",\"features\":[]}").unwrap();
    let mut plan = output_fixture::plan(tmp.path(), Lang::En);
    plan.assessed.loaded.settings = output_fixture::with_input_file(
        plan.assessed.loaded.settings,
        Layer::Factories,
        input.clone(),
    );
    let err = output::write_plan(&plan).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("holds the input file"), "{err}");
    assert_eq!(support::files(tmp.path()).len(), 1);
}

#[test]
fn a_failing_write_leaves_the_previous_output_folder_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    output::write_plan(&output_fixture::plan(&out, Lang::En)).unwrap();
    let before = support::files(&out);
    // A name holding a NUL byte cannot go into the GeoPackage (C strings), so the write fails
    // after the GeoJSON and CSV files are already in the temporary folder.
    let mut plan = output_fixture::plan(&out, Lang::Vi);
    plan.assessed.loaded.inputs.factories[0].name = "Nul\0byte".into();
    let err = output::write_plan(&plan).unwrap_err();
    assert!(err.to_string().contains("plan.gpkg: layer factories"), "{err}");
    let after = support::files(&out);
    let names = |v: &Vec<(String, Vec<u8>)>| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&before), names(&after));
    for ((n, a), (_, b)) in before.iter().zip(&after) {
        if n != "timings.json" {
            assert!(a == b, "{n} changed");
        }
    }
    let beside: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(beside.len(), 1, "temporary folder left behind");
}

#[test]
fn map_qgis_styles_and_report_colour_each_verdict_alike() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    output::write_plan(&output_fixture::plan(&out, Lang::En)).unwrap();
    let qgs = text(&out, "plan.qgs");
    let svg = text(&out, "map.svg");
    let html = text(&out, "report.html");
    let doc = support::xml(&qgs);
    for v in output::palette::VERDICTS {
        let c = output::palette::verdict(v);
        let hex = c.hex();
        // QGIS: the factories layer's category for the verdict, its marker colour.
        let layer = doc
            .descendants()
            .find(|n| {
                n.has_tag_name("maplayer")
                    && n.descendants()
                        .any(|d| d.has_tag_name("id") && d.text() == Some("relocate_factories"))
            })
            .unwrap();
        let category = layer
            .descendants()
            .find(|n| n.has_tag_name("category") && n.attribute("value") == Some(v.as_str()))
            .unwrap();
        let symbol = category.attribute("symbol").unwrap();
        let marker = layer
            .descendants()
            .find(|n| n.has_tag_name("symbol") && n.attribute("name") == Some(symbol))
            .unwrap();
        let qml = marker
            .descendants()
            .find(|n| n.has_tag_name("prop") && n.attribute("k") == Some("color"))
            .and_then(|n| n.attribute("v"))
            .unwrap();
        assert_eq!(qml, format!("{},{},{},255", c.0, c.1, c.2), "QGIS colour of {v:?}");
        // The report: the palette's custom property, and the badge that uses it.
        assert!(html.contains(&format!("--v-{}: {hex};", v.as_str())), "report colour of {v:?}");
        assert!(html.contains(&format!(".v-{0} {{ background: var(--v-{0});", v.as_str())));
        // The map: dots of that verdict, when the plan has any.
        if svg.contains(&format!("map-factories {}\"", v.as_str())) {
            assert!(
                svg.contains(&format!("map-factories {}\" fill=\"{hex}\"", v.as_str())),
                "map colour of {v:?}"
            );
        }
    }
    // The same colour for flows on the map and in QGIS.
    let flow = output::palette::FLOW;
    let seen = flow.paler(1.0 - output::palette::FLOW_OPACITY).hex();
    assert!(svg.contains(&format!("stroke=\"{seen}\"")) || !svg.contains("map-flows"));
    assert!(qgs.contains(&format!("{},{},{},", flow.0, flow.1, flow.2)));
}
