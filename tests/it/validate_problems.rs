//! `relocate validate` on tiny hand-made layers, one problem at a time: the exit code is 2 and
//! the exact line `file: feature <id or #n>: field: what is wrong` is printed.

use std::path::PathBuf;

use crate::support::{assert_line, relocate, Run};

const PARKS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/parks.geojson");
const FACTORIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/factories.geojson");

/// A valid factory's properties and point, to be spoiled by one test.
const GOOD_FACTORY: &str = r#"{"type": "Feature", "properties": {"id": "F1", "name": "Gốm", "sector": "ceramics", "land_ha": 1.5}, "geometry": {"type": "Point", "coordinates": [106.70, 10.93]}}"#;
const GOOD_PARK: &str = r#"{"type": "Feature", "properties": {"id": "P1", "name": "Bàu Bàng", "available_ha": 100}, "geometry": {"type": "Polygon", "coordinates": [[[106.60, 11.25], [106.66, 11.25], [106.66, 11.30], [106.60, 11.30], [106.60, 11.25]]]}}"#;

fn collection(features: &[&str]) -> String {
    format!("{{\"type\": \"FeatureCollection\", \"features\": [{}]}}", features.join(",\n"))
}

/// Writes `factories.geojson` in a temp folder and validates it with the good parks.
fn validate_factories(text: &str) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("factories.geojson"), text).expect("write");
    relocate(dir.path(), &["validate", "--parks", PARKS, "--factories", "factories.geojson"])
}

/// Writes `parks.geojson` in a temp folder and validates it with the good factories.
fn validate_parks(text: &str) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("parks.geojson"), text).expect("write");
    relocate(dir.path(), &["validate", "--parks", "parks.geojson", "--factories", FACTORIES])
}

fn factory_with(properties: &str, geometry: &str) -> String {
    collection(&[&format!(
        "{{\"type\": \"Feature\", \"properties\": {properties}, \"geometry\": {geometry}}}"
    )])
}

const POINT: &str = r#"{"type": "Point", "coordinates": [106.70, 10.93]}"#;

fn assert_problem(run: &Run, line: &str) {
    assert_eq!(run.code, 2, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert_line(run, line);
}

#[test]
fn valid_layers_print_the_inventory_and_exit_zero() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = relocate(dir.path(), &["validate", "--parks", PARKS, "--factories", FACTORIES]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("working CRS: EPSG:32648 (WGS 84 / UTM zone 48N)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "land: factories need 4.5 ha; parks offer 820.5 ha available (816.0 ha to spare)"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("extent: longitude 106.5500 to 106.7620, latitude 10.9000 to 11.3700"),
        "{}",
        run.stdout
    );
}

#[test]
fn missing_required_field_is_named() {
    let run =
        validate_factories(&factory_with(r#"{"id": "F1", "sector": "wood", "land_ha": 1}"#, POINT));
    assert_problem(&run, "factories.geojson: feature F1: name: required but missing");
}

#[test]
fn wrong_type_is_named_with_what_was_found() {
    let run = validate_factories(&factory_with(
        r#"{"id": "F1", "name": "A", "sector": "wood", "land_ha": "2.5"}"#,
        POINT,
    ));
    assert_problem(
        &run,
        "factories.geojson: feature F1: land_ha: must be a number, found text \"2.5\"",
    );
}

#[test]
fn zero_or_negative_land_is_refused() {
    let run = validate_factories(&factory_with(
        r#"{"id": "F1", "name": "A", "sector": "wood", "land_ha": -2}"#,
        POINT,
    ));
    assert_problem(
        &run,
        "factories.geojson: feature F1: land_ha: must be greater than 0 hectares, found -2",
    );
    let run = validate_parks(&collection(&[
        &GOOD_PARK.replace("\"available_ha\": 100", "\"available_ha\": -1")
    ]));
    assert_problem(
        &run,
        "parks.geojson: feature P1: available_ha: must be 0 or more hectares, found -1",
    );
}

#[test]
fn string_and_integer_ids_that_read_the_same_are_duplicates() {
    let second = GOOD_FACTORY.replace("\"id\": \"F1\"", "\"id\": 7");
    let first = GOOD_FACTORY.replace("\"id\": \"F1\"", "\"id\": \"7\"");
    let run = validate_factories(&collection(&[&first, GOOD_FACTORY, &second]));
    assert_problem(
        &run,
        "factories.geojson: feature 7: id: duplicate id: feature #1 already uses it",
    );
}

#[test]
fn unknown_vocabulary_values_list_the_accepted_ones() {
    let run = validate_factories(&factory_with(
        r#"{"id": "F1", "name": "A", "sector": "wood", "land_ha": 1, "hazard_class": "VI", "fire_risk": "extreme"}"#,
        POINT,
    ));
    assert_problem(&run, "factories.geojson: feature F1: hazard_class: unknown value \"VI\"; expected I, II, III, IV or V (or empty)");
    assert_problem(&run, "factories.geojson: feature F1: fire_risk: unknown value \"extreme\"; expected high|medium|low");
}

#[test]
fn geojson_booleans_are_strict() {
    let run = validate_factories(&factory_with(
        r#"{"id": "F1", "name": "A", "sector": "wood", "land_ha": 1, "construction_violation": "yes"}"#,
        POINT,
    ));
    assert_problem(&run, "factories.geojson: feature F1: construction_violation: must be true, false or null for unknown, found text \"yes\"");
}

#[test]
fn swapped_longitude_and_latitude_are_caught() {
    let run = validate_factories(&factory_with(
        r#"{"id": "F1", "name": "A", "sector": "wood", "land_ha": 1}"#,
        r#"{"type": "Point", "coordinates": [10.93, 106.70]}"#,
    ));
    assert_problem(&run, "factories.geojson: feature F1: geometry: lies at longitude 10.930000, latitude 106.700000, outside the area of use of EPSG:4326 (WGS 84) (longitude -180.00 to 180.00, latitude -90.00 to 90.00); are the coordinates swapped or in another CRS?");
}

#[test]
fn missing_and_empty_geometries_are_named() {
    let run = validate_factories(&factory_with(
        r#"{"id": "F1", "name": "A", "sector": "wood", "land_ha": 1}"#,
        "null",
    ));
    assert_problem(&run, "factories.geojson: feature F1: geometry: missing; factories needs a Point or a Polygon/MultiPolygon footprint");
    let run = validate_parks(&collection(&[
        r#"{"type": "Feature", "properties": {"id": "P1", "name": "A", "available_ha": 1}, "geometry": {"type": "Polygon", "coordinates": []}}"#,
    ]));
    assert_problem(
        &run,
        "parks.geojson: feature P1: geometry: empty Polygon; parks needs a Polygon or MultiPolygon",
    );
}

#[test]
fn a_fourth_coordinate_is_refused() {
    let run = validate_factories(&factory_with(
        r#"{"id": "F1", "name": "A", "sector": "wood", "land_ha": 1}"#,
        r#"{"type": "Point", "coordinates": [106.70, 10.93, 5, 1]}"#,
    ));
    assert_problem(&run, "factories.geojson: feature F1: geometry: the point: a position has 4 values; x, y and an optional altitude are accepted, a fourth (M) value is not");
}

#[test]
fn wrong_geometry_type_for_the_layer_is_named() {
    let run = validate_factories(&factory_with(
        r#"{"id": "F1", "name": "A", "sector": "wood", "land_ha": 1}"#,
        r#"{"type": "LineString", "coordinates": [[106.70, 10.93], [106.71, 10.94]]}"#,
    ));
    assert_problem(&run, "factories.geojson: feature F1: geometry: a LineString where factories needs a Point or a Polygon/MultiPolygon footprint");
}

#[test]
fn a_self_intersecting_park_is_invalid() {
    let bow = r#"{"type": "Feature", "properties": {"id": "P9", "name": "A", "available_ha": 1}, "geometry": {"type": "Polygon", "coordinates": [[[106.60, 11.25], [106.66, 11.30], [106.66, 11.25], [106.60, 11.30], [106.60, 11.25]]]}}"#;
    let run = validate_parks(&collection(&[bow]));
    assert_problem(&run, "parks.geojson: feature P9: geometry: invalid geometry: polygon at index 0 is invalid: exterior ring has a self-intersection");
}

#[test]
fn an_unclosed_ring_is_reported() {
    let open = r#"{"type": "Feature", "properties": {"id": "P9", "name": "A", "available_ha": 1}, "geometry": {"type": "Polygon", "coordinates": [[[106.60, 11.25], [106.66, 11.25], [106.66, 11.30], [106.60, 11.30]]]}}"#;
    let run = validate_parks(&collection(&[open]));
    assert_problem(&run, "parks.geojson: feature P9: geometry: ring 1 is not closed: its first and last positions differ");
}

#[test]
fn years_outside_1900_to_2200_are_refused() {
    let run =
        validate_parks(&collection(&[&GOOD_PARK
            .replace("\"available_ha\": 100", "\"available_ha\": 100, \"ready_year\": 2301")]));
    assert_problem(
        &run,
        "parks.geojson: feature P1: ready_year: must be a year from 1900 to 2200, found 2301",
    );
}

#[test]
fn an_unreadable_id_falls_back_to_the_position() {
    let bad = GOOD_FACTORY.replace("\"id\": \"F1\"", "\"id\": true");
    let run = validate_factories(&collection(&[GOOD_FACTORY.replace("F1", "F0").as_str(), &bad]));
    assert_problem(&run, "factories.geojson: feature #2: id: must be text, found boolean true");
}

#[test]
fn every_problem_is_listed_sorted_by_file_then_position() {
    let mut features: Vec<String> = Vec::new();
    for i in 1..=12 {
        features.push(
            GOOD_FACTORY
                .replace("\"id\": \"F1\"", &format!("\"id\": \"F{i}\""))
                .replace("\"land_ha\": 1.5", "\"land_ha\": 0"),
        );
    }
    let refs: Vec<&str> = features.iter().map(String::as_str).collect();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("factories.geojson"), collection(&refs)).expect("write");
    std::fs::write(
        dir.path().join("a_parks.geojson"),
        collection(&[&GOOD_PARK.replace("\"available_ha\": 100", "\"available_ha\": -5")]),
    )
    .expect("write");
    let run = relocate(
        dir.path(),
        &["validate", "--parks", "a_parks.geojson", "--factories", "factories.geojson"],
    );
    assert_eq!(run.code, 2);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 14, "{}", run.stderr);
    assert!(lines[0].starts_with("a_parks.geojson: feature P1: available_ha:"));
    // Position order, not text order: F2 comes before F10.
    assert!(lines[2].starts_with("factories.geojson: feature F2: land_ha:"), "{}", lines[2]);
    assert!(lines[10].starts_with("factories.geojson: feature F10: land_ha:"), "{}", lines[10]);
    assert_eq!(lines[13], "error: 13 problem(s) in the inputs; fix them, or run with --on-invalid skip to leave those features out");
}

#[test]
fn skip_leaves_bad_features_out_and_lists_them() {
    let bad = GOOD_FACTORY
        .replace("\"id\": \"F1\"", "\"id\": \"F2\"")
        .replace("\"land_ha\": 1.5", "\"land_ha\": 0");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("factories.geojson"), collection(&[GOOD_FACTORY, &bad]))
        .expect("write");
    let run = relocate(
        dir.path(),
        &["validate", "--parks", PARKS, "--factories", "factories.geojson", "--on-invalid", "skip"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "  factories.geojson: feature F2: land_ha: must be greater than 0 hectares, found 0"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("1 features (1 left out)"), "{}", run.stdout);
}

#[test]
fn a_missing_file_is_named_as_written_and_as_resolved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = relocate(
        dir.path(),
        &["validate", "--parks", PARKS, "--factories", "nowhere/factories.geojson"],
    );
    let resolved: PathBuf =
        dir.path().canonicalize().expect("canonical").join("nowhere/factories.geojson");
    assert_problem(
        &run,
        &format!(
            "nowhere/factories.geojson: file not found: nowhere/factories.geojson (resolved as {})",
            resolved.display()
        ),
    );
}

#[test]
fn an_unresolvable_crs_member_is_an_error_not_wgs84() {
    let text = r#"{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::123456"}}, "features": []}"#;
    let run = validate_factories(text);
    assert_problem(&run, "factories.geojson: crs: EPSG:123456 is not a known CRS");
}

#[test]
fn a_corridor_line_needs_a_width() {
    let dir = tempfile::tempdir().expect("tempdir");
    let line = r#"{"type": "Feature", "properties": {"id": "R1", "kind": "road"}, "geometry": {"type": "LineString", "coordinates": [[106.70, 10.90], [106.72, 10.95]]}}"#;
    std::fs::write(dir.path().join("corridors.geojson"), collection(&[line])).expect("write");
    let run = relocate(
        dir.path(),
        &[
            "validate",
            "--parks",
            PARKS,
            "--factories",
            FACTORIES,
            "--corridors",
            "corridors.geojson",
        ],
    );
    assert_problem(&run, "corridors.geojson: feature R1: width_m: required for a corridor drawn as a line (its full width in metres)");
}

#[test]
fn zoning_without_ids_is_labelled_by_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = r#"{"type": "Feature", "properties": {"planned_use": "factories"}, "geometry": {"type": "Polygon", "coordinates": [[[106.6, 10.9], [106.8, 10.9], [106.8, 11.0], [106.6, 10.9]]]}}"#;
    std::fs::write(dir.path().join("zoning.geojson"), collection(&[zone])).expect("write");
    let run = relocate(
        dir.path(),
        &["validate", "--parks", PARKS, "--factories", FACTORIES, "--zoning", "zoning.geojson"],
    );
    assert_problem(&run, "zoning.geojson: feature #1: planned_use: unknown value \"factories\"; expected industrial|residential|commercial|mixed|public|green|agricultural|infrastructure|other");
}

#[test]
fn bytes_that_are_not_utf8_are_refused() {
    let mut bytes = collection(&[GOOD_FACTORY]).into_bytes();
    let at = bytes.iter().position(|b| *b == b'G').expect("a G");
    bytes[at] = 0xC0;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("factories.geojson"), bytes).expect("write");
    let run =
        relocate(dir.path(), &["validate", "--parks", PARKS, "--factories", "factories.geojson"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("factories.geojson: the file is not UTF-8 (invalid byte at offset"),
        "{}",
        run.stderr
    );
}

/// Writes `s.toml` (with the test layers) in a temp folder and validates it.
fn validate_scenario(body: &str) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let text =
        format!("name = \"s\"\n[inputs]\nparks = {PARKS:?}\nfactories = {FACTORIES:?}\n{body}");
    std::fs::write(dir.path().join("s.toml"), text).expect("write");
    relocate(dir.path(), &["validate", "--scenario", "s.toml"])
}

#[test]
fn an_origin_name_no_district_carries_is_named_with_its_line() {
    // "Thuan An" without diacritics: a typo that would put every Thuận An factory out of scope.
    let run = validate_scenario("[area]\norigin = [\"Dĩ An\",\n  \"Thuan An\"]\n");
    assert_problem(
        &run,
        "s.toml: line 7: area.origin[1]: \"Thuan An\" is not the name of any districts polygon nor the district of any factory; check the spelling against the districts layer",
    );
    assert!(!run.stderr.contains("\"Dĩ An\" is not"), "{}", run.stderr);
}

#[test]
fn origin_names_are_compared_after_normalisation_and_case_folding() {
    let run = validate_scenario("[area]\norigin = [\"THUẬN AN\", \"dĩ an\"]\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_destination_name_no_district_carries_is_named() {
    let run = validate_scenario("[area]\ndestination = [\"Bau Bang\"]\n");
    assert_problem(
        &run,
        "s.toml: line 6: area.destination[0]: \"Bau Bang\" is not the name of any districts polygon nor the district of any park; check the spelling against the districts layer",
    );
}

#[test]
fn a_hazard_class_without_a_separation_distance_is_an_error() {
    // F1 is class III: without a distance it would never be screened for C2.
    let run = validate_scenario("[criteria]\nseparation_m = { I = 1000, II = 500 }\n");
    assert_problem(
        &run,
        "s.toml: line 6: criteria.separation_m: no distance for hazard class III, which 1 factories carry (first F1); their C2 screening needs one (TCVN 4449:1987: I 1000, II 500, III 300, IV 100, V 50 m)",
    );
}

#[test]
fn a_missing_separation_distance_does_not_matter_when_c2_is_off() {
    let run = validate_scenario("[criteria]\nenvironment = false\nseparation_m = { I = 1000 }\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_deadline_before_the_start_year_exits_two_naming_the_line() {
    let run = validate_scenario("[phasing]\nstart_year = 2027\ndeadlines = { \"Dĩ An\" = 2026 }\n");
    assert_problem(
        &run,
        "s.toml: line 7: phasing.deadlines.\"Dĩ An\": 2026 is before phasing.start_year 2027; a deadline cannot come before planning starts",
    );
}

#[test]
fn a_gate_names_a_park_of_the_parks_layer_and_lies_on_its_boundary() {
    let gate = |id: &str, park: &str, lon: f64, lat: f64| {
        format!(
            r#"{{"type": "Feature", "properties": {{"id": "{id}", "park_id": "{park}"}}, "geometry": {{"type": "Point", "coordinates": [{lon}, {lat}]}}}}"#
        )
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let gates = collection(&[
        &gate("G1", "P1", 106.63, 11.25),
        &gate("G2", "P9", 106.63, 11.25),
        &gate("G3", "P1", 106.63, 11.15),
    ]);
    std::fs::write(dir.path().join("gates.geojson"), gates).expect("write");
    // Without roads the gates would change nothing: said before any feature is read.
    let run = relocate(
        dir.path(),
        &["validate", "--parks", PARKS, "--factories", FACTORIES, "--gates", "gates.geojson"],
    );
    assert_problem(
        &run,
        "(command line): inputs.gates: park gates join parks to a road network; give [inputs] roads = \"…\" or --roads",
    );
    let roads = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/osm/twin.geojson");
    let args = [
        "validate",
        "--parks",
        PARKS,
        "--factories",
        FACTORIES,
        "--roads",
        roads,
        "--gates",
        "gates.geojson",
    ];
    let run = relocate(dir.path(), &args);
    assert_problem(
        &run,
        &format!("gates.geojson: feature G2: park_id: no park has the id \"P9\" in {PARKS}"),
    );
    assert_line(
        &run,
        "gates.geojson: feature G3: geometry: 11.1 km from the boundary of park \"P1\"; a gate lies on its park's boundary (within 1000 m)",
    );
    // With the two left out, the good gate is kept and counted.
    let mut skip = args.to_vec();
    skip.extend(["--on-invalid", "skip"]);
    let run = relocate(dir.path(), &skip);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("1 features (2 left out)"), "{}", run.stdout);
}
