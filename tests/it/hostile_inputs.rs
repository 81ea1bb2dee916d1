//! Broken and hostile inputs from the corpus in `tests/data/hostile/`, one test each, through the
//! real binary's `plan`: exit 2, the problem named as `file: feature: field: what`, no panic, and
//! nothing written anywhere (the temp folder lists the same before and after). Cases already in
//! tests/it/validate_problems.rs (swapped lon/lat, unclosed and self-intersecting rings, duplicate
//! ids, a fourth coordinate…) are not repeated here.
//!
//! Two inputs that look hostile are valid: zero capacity everywhere and a factory bigger than every
//! park still give a plan (exit 0) whose factories are unassigned with a reason.

use std::path::PathBuf;

use crate::support::{assert_line, data, relocate, tree, Run};

fn corpus(name: &str) -> PathBuf {
    data("hostile").join(name)
}

const GOOD_PARKS: &str = r#"{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"id": "P1", "name": "Bàu Bàng", "available_ha": 100}, "geometry": {"type": "Polygon", "coordinates": [[[106.60, 11.25], [106.66, 11.25], [106.66, 11.30], [106.60, 11.30], [106.60, 11.25]]]}}]}"#;
const GOOD_FACTORIES: &str = r#"{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"id": "F1", "name": "Gốm", "sector": "ceramics", "land_ha": 1.5}, "geometry": {"type": "Point", "coordinates": [106.70, 10.93]}}]}"#;

/// Puts `files` (name → bytes) in a fresh temp folder and runs `plan` with `args` and `--out out`.
/// Asserts what every broken input must give: exit 2, no panic, nothing written.
fn plan_refused(files: &[(&str, &[u8])], args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let before = tree(dir.path());
    let mut all = vec!["plan", "--quiet", "--out", "out"];
    all.extend_from_slice(args);
    let run = relocate(dir.path(), &all);
    assert_eq!(run.code, 2, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(tree(dir.path()), before, "the run wrote or removed files");
    run
}

/// A corpus file as the factories layer beside good parks.
fn factories_refused(corpus_name: &str, as_name: &str) -> Run {
    let bytes = std::fs::read(corpus(corpus_name)).unwrap();
    plan_refused(
        &[("parks.geojson", GOOD_PARKS.as_bytes()), (as_name, &bytes)],
        &["--parks", "parks.geojson", "--factories", as_name],
    )
}

fn assert_line_starts(run: &Run, start: &str) {
    assert!(
        run.stderr.lines().any(|l| l.starts_with(start)),
        "expected a line starting with\n  {start}\nin stderr:\n{}",
        run.stderr
    );
}

#[test]
fn invalid_json_is_named_with_its_line_and_column() {
    let run = factories_refused("invalid-json.geojson", "factories.geojson");
    assert_line(
        &run,
        "factories.geojson: not valid GeoJSON: expected `,` or `}` at line 3 column 20",
    );
}

#[test]
fn a_truncated_file_is_named_as_ending_early() {
    let run = factories_refused("truncated.geojson", "factories.geojson");
    assert_line(
        &run,
        "factories.geojson: not valid GeoJSON: EOF while parsing a string at line 3 column 50",
    );
}

#[test]
fn an_array_at_the_root_is_not_a_feature_collection() {
    let run = factories_refused("root-array.geojson", "factories.geojson");
    assert_line_starts(&run, "factories.geojson: not valid GeoJSON: invalid type: sequence, expected a GeoJSON FeatureCollection object");
}

#[test]
fn a_single_feature_at_the_root_is_not_a_feature_collection() {
    let run = factories_refused("root-feature.geojson", "factories.geojson");
    assert_line(&run, "factories.geojson: the top-level \"type\" is \"Feature\"; a layer must be a FeatureCollection");
    assert_line(&run, "factories.geojson: the FeatureCollection has no \"features\" array");
}

#[test]
fn a_feature_without_a_geometry_member_is_named() {
    let run = factories_refused("no-geometry-member.geojson", "factories.geojson");
    assert_line(&run, "factories.geojson: feature F1: geometry: missing; factories needs a Point or a Polygon/MultiPolygon footprint");
}

#[test]
fn an_empty_point_is_named() {
    let run = factories_refused("empty-point.geojson", "factories.geojson");
    assert_line(
        &run,
        "factories.geojson: feature F1: geometry: empty Point: its coordinates are []",
    );
}

#[test]
fn nan_is_not_json_and_is_refused() {
    let run = factories_refused("nan-coordinate.geojson", "factories.geojson");
    assert_line(&run, "factories.geojson: not valid GeoJSON: expected value at line 1 column 183");
}

#[test]
fn an_infinite_coordinate_is_refused() {
    let run = factories_refused("infinite-coordinate.geojson", "factories.geojson");
    assert_line(
        &run,
        "factories.geojson: not valid GeoJSON: number out of range at line 1 column 188",
    );
}

#[test]
fn a_coordinate_written_as_text_is_named() {
    let run = factories_refused("text-coordinate.geojson", "factories.geojson");
    assert_line(&run, "factories.geojson: feature F1: geometry: the point: a position holds something other than numbers");
}

#[test]
fn an_unknown_geometry_type_is_named() {
    let run = factories_refused("unknown-geometry-type.geojson", "factories.geojson");
    assert_line(&run, "factories.geojson: feature F1: geometry: unknown geometry type \"Circle\"; expected Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon or GeometryCollection");
}

#[test]
fn a_geometry_collection_is_the_wrong_type_for_factories() {
    let run = factories_refused("geometry-collection.geojson", "factories.geojson");
    assert_line(&run, "factories.geojson: feature F1: geometry: a GeometryCollection where factories needs a Point or a Polygon/MultiPolygon footprint");
}

#[test]
fn m_values_in_a_park_ring_are_refused() {
    let bytes = std::fs::read(corpus("parks-m-coordinates.geojson")).unwrap();
    let run = plan_refused(
        &[("parks.geojson", &bytes), ("factories.geojson", GOOD_FACTORIES.as_bytes())],
        &["--parks", "parks.geojson", "--factories", "factories.geojson"],
    );
    assert_line(&run, "parks.geojson: feature P1: geometry: ring 1, position 1: a position has 4 values; x, y and an optional altitude are accepted, a fourth (M) value is not");
}

#[test]
fn mistyped_and_missing_fields_are_each_named() {
    let run = factories_refused("mistyped-fields.geojson", "factories.geojson");
    assert_line(
        &run,
        "factories.geojson: feature F1: land_ha: must be a number, found text \"lots\"",
    );
    assert_line(&run, "factories.geojson: feature F1: employees: must be a whole number of employees, 0 or more, found -3");
    assert_line(&run, "factories.geojson: feature F1: hazard_class: must be text, found number 2");
    assert_line(&run, "factories.geojson: feature F2: name: required but missing");
    assert_line(&run, "factories.geojson: feature F2: land_ha: required but missing");
}

#[test]
fn a_byte_order_mark_is_accepted_and_the_negative_land_behind_it_is_named() {
    let run = factories_refused("bom-negative-land.geojson", "factories.geojson");
    assert_line(
        &run,
        "factories.geojson: feature F1: land_ha: must be greater than 0 hectares, found -1",
    );
    assert!(!run.stderr.contains("not valid GeoJSON"), "{}", run.stderr);
}

#[test]
fn utf16_text_is_not_utf8() {
    let run = factories_refused("utf16.geojson", "factories.geojson");
    assert_line(&run, "factories.geojson: the file is not UTF-8 (invalid byte at offset 0); GeoJSON must be UTF-8");
}

#[test]
fn a_csv_row_with_more_cells_than_the_header_is_named() {
    let run = factories_refused("extra-cells.csv", "factories.csv");
    assert_line(&run, "factories.csv: feature F1: row on line 2 has 7 cells; the header has 6");
}

#[test]
fn a_csv_with_bytes_that_are_not_utf8_is_named() {
    let run = factories_refused("non-utf8.csv", "factories.csv");
    assert_line(
        &run,
        "factories.csv: the file is not UTF-8 (line 3, byte offset 59); save it as CSV UTF-8",
    );
}

#[test]
fn nesting_deeper_than_32_levels_is_refused_cleanly() {
    let deep = format!(
        "{{\"type\": \"FeatureCollection\", \"features\": [{{\"type\": \"Feature\", \"properties\": {{\"name\": {}1{}}}}}]}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let run = plan_refused(
        &[("parks.geojson", GOOD_PARKS.as_bytes()), ("factories.geojson", deep.as_bytes())],
        &["--parks", "parks.geojson", "--factories", "factories.geojson"],
    );
    assert_line_starts(&run, "factories.geojson: not valid GeoJSON: nesting deeper than 32 levels");
}

#[test]
fn a_scenario_with_an_unknown_key_names_the_key_and_its_line() {
    let scenario = std::fs::read(corpus("unknown-key.toml")).unwrap();
    let run = plan_refused(
        &[
            ("s.toml", &scenario),
            ("parks.geojson", GOOD_PARKS.as_bytes()),
            ("factories.geojson", GOOD_FACTORIES.as_bytes()),
        ],
        &["--scenario", "s.toml"],
    );
    assert_line_starts(
        &run,
        "s.toml: line 7, column 1: unknown field `workforce_per_1000_employe_km`, expected one of",
    );
}

#[test]
fn a_scenario_pointing_at_a_missing_file_names_it_as_written_and_as_resolved() {
    let scenario = std::fs::read(corpus("missing-file.toml")).unwrap();
    let dir_listing = plan_refused(
        &[("sc/s.toml", &scenario), ("sc/parks.geojson", GOOD_PARKS.as_bytes())],
        &["--scenario", "sc/s.toml"],
    );
    assert_line_starts(
        &dir_listing,
        "layers/no-such-factories.geojson: file not found: layers/no-such-factories.geojson (resolved as /",
    );
    assert!(
        dir_listing.stderr.contains("/sc/layers/no-such-factories.geojson)"),
        "{}",
        dir_listing.stderr
    );
}

#[test]
fn an_ahp_matrix_that_is_not_reciprocal_is_refused_naming_the_scenario_and_cell() {
    let scenario = std::fs::read(corpus("ahp-not-reciprocal.toml")).unwrap();
    let run = plan_refused(
        &[
            ("s.toml", &scenario),
            ("parks.geojson", GOOD_PARKS.as_bytes()),
            ("factories.geojson", GOOD_FACTORIES.as_bytes()),
        ],
        &["--scenario", "s.toml"],
    );
    assert_line(&run, "s.toml: scoring.ahp: matrix[2][1]: 3 is not the reciprocal of matrix[1][2] = 3; expected 1/3");
}

#[test]
fn altitude_as_a_third_coordinate_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("parks.geojson"), GOOD_PARKS).unwrap();
    std::fs::write(
        dir.path().join("factories.geojson"),
        GOOD_FACTORIES.replace("[106.70, 10.93]", "[106.70, 10.93, 12.5]"),
    )
    .unwrap();
    let run = relocate(
        dir.path(),
        &["validate", "--parks", "parks.geojson", "--factories", "factories.geojson"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A plan that cannot place anyone is still a plan: exit 0, every relocating factory unassigned
/// with a reason.
fn plan_with_unplaceable(parks: &str, factories: &str) -> (serde_json::Value, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("parks.geojson"), parks).unwrap();
    std::fs::write(dir.path().join("factories.geojson"), factories).unwrap();
    let run = relocate(
        dir.path(),
        &[
            "plan",
            "--quiet",
            "--parks",
            "parks.geojson",
            "--factories",
            "factories.geojson",
            "--out",
            "out",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let read = |n: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out").join(n)).unwrap())
            .unwrap()
    };
    (read("summary.json"), read("factories.geojson"))
}

/// Factories that must move: an inspection record of a construction violation.
const MUST_MOVE: &str = r#"{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"id": "F1", "name": "Gốm", "sector": "ceramics", "land_ha": 1.5, "construction_violation": true}, "geometry": {"type": "Point", "coordinates": [106.70, 10.93]}},
{"type": "Feature", "properties": {"id": "F2", "name": "Gỗ", "sector": "wood", "land_ha": 250, "construction_violation": true}, "geometry": {"type": "Point", "coordinates": [106.71, 10.94]}}]}"#;

#[test]
fn zero_capacity_everywhere_gives_a_plan_with_every_factory_unassigned_and_a_reason() {
    let parks = GOOD_PARKS.replace("\"available_ha\": 100", "\"available_ha\": 0");
    let (summary, factories) = plan_with_unplaceable(&parks, MUST_MOVE);
    assert_eq!(summary["must_relocate"], 2, "{summary}");
    assert_eq!(summary["assigned"], 0, "{summary}");
    assert_eq!(summary["unassigned"], 2, "{summary}");
    for f in factories["features"].as_array().unwrap() {
        assert_eq!(f["properties"]["status"], "unassigned", "{f}");
        assert!(!f["properties"]["unassigned_reason"].as_str().unwrap_or("").is_empty(), "{f}");
    }
}

#[test]
fn a_factory_bigger_than_every_park_is_unassigned_with_a_reason_and_others_still_placed() {
    let (summary, factories) = plan_with_unplaceable(GOOD_PARKS, MUST_MOVE);
    assert_eq!(summary["assigned"], 1, "{summary}");
    assert_eq!(summary["unassigned"], 1, "{summary}");
    let f2 = factories["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["id"] == "F2")
        .unwrap();
    assert_eq!(f2["properties"]["status"], "unassigned", "{f2}");
    assert!(!f2["properties"]["unassigned_reason"].as_str().unwrap_or("").is_empty(), "{f2}");
}

#[test]
fn a_nul_or_escape_character_in_a_name_is_refused_before_any_output_is_written() {
    // The GeoPackage cannot store a NUL (C strings) and XML cannot hold either: refusing them
    // at validation beats failing half-way through writing, or silently dropping them.
    let text = GOOD_FACTORIES.replace("\"name\": \"Gốm\"", "\"name\": \"Gốm\\u0000\\u001b[31m\"");
    let run = plan_refused(
        &[("parks.geojson", GOOD_PARKS.as_bytes()), ("factories.geojson", text.as_bytes())],
        &["--parks", "parks.geojson", "--factories", "factories.geojson"],
    );
    assert_line(&run, "factories.geojson: feature F1: name: holds the control character U+0000, which maps, reports and GeoPackages cannot carry; remove it");
}
