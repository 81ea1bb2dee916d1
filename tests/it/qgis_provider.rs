//! The QGIS Processing provider (`qgis/relocate_qgis/`) in real, headless QGIS 3.22, driving the
//! binary cargo built for these tests.
//!
//! - `qgis_process` (as Debian ships it) loads the plugin, unpacked from the zip that
//!   `scripts/build-qgis-plugin.sh` builds, from `QGIS_PLUGINPATH` once enabled in a throw-away
//!   profile, lists the algorithms and runs `relocate:plan` on the bundled scenario, the binary
//!   found on PATH.
//! - PyQGIS (`tests/qgis_provider_check.py`) loads the plugin as QGIS does, the binary set in the
//!   provider setting, and runs the algorithms as the desktop application would: a selection of
//!   a GeoPackage layer, a cancelled run, invalid input.
//!
//! Needs `qgis` and `python3-qgis` (`scripts/test.sh` installs them); without them the tests fail.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{self, qgis_python};

/// The plugin as a user installs it: `scripts/build-qgis-plugin.sh` builds the zip, which is
/// unpacked into `dir` (QGIS's installer does the same into the profile's plugin folder).
fn installed_plugin(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let zip = dir.join("relocate_qgis.zip");
    let build = Command::new(root.join("scripts/build-qgis-plugin.sh")).arg(&zip).output().unwrap();
    assert!(build.status.success(), "{}", text(&build));
    let plugins = dir.join("plugins");
    let unzip = Command::new("python3")
        .args(["-m", "zipfile", "-e"])
        .arg(&zip)
        .arg(&plugins)
        .output()
        .unwrap();
    assert!(unzip.status.success(), "{}", text(&unzip));
    assert!(plugins.join("relocate_qgis/metadata.txt").is_file());
    plugins
}

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_relocate"))
}

/// `qgis_process` itself: Debian's `/usr/bin/qgis_process` wrapper passes `--noversioncheck`
/// (meant for the desktop application), which the 3.22 executable refuses, so the executable
/// beside it is called directly when there is one.
fn qgis_process() -> PathBuf {
    let bin = PathBuf::from("/usr/bin/qgis_process.bin");
    if bin.is_file() {
        bin
    } else {
        PathBuf::from("qgis_process")
    }
}

/// Runs `qgis_process` with `args` in a profile of its own under `home`, the plugins of
/// `plugins` on `QGIS_PLUGINPATH` and the test binary's folder first on PATH.
fn run_qgis_process(home: &Path, plugins: &Path, args: &[&str]) -> Output {
    let runtime = home.join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let bin_dir = binary().parent().unwrap().to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    Command::new(qgis_process())
        .args(args)
        .env("HOME", home)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("QGIS_PLUGINPATH", plugins)
        .env("PATH", path)
        .output()
        .expect("qgis_process runs: apt-get install qgis (scripts/test.sh installs it)")
}

fn text(out: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `tests/qgis_provider_check.py MODE WORK` and returns what it found.
fn check(mode: &str, work: &Path) -> serde_json::Value {
    let py = qgis_python().expect(
        "python3-qgis is needed: run scripts/test.sh, or apt-get install qgis python3-qgis",
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/qgis_provider_check.py");
    let home = work.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let run = Command::new(py)
        .arg(script)
        .arg(mode)
        .arg(work)
        .arg(binary())
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("HOME", &home)
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let line = stdout.lines().rev().find(|l| l.starts_with('{')).unwrap_or("");
    assert!(run.status.success(), "provider check {mode} failed:\n{}", text(&run));
    serde_json::from_str(line).unwrap()
}

#[test]
fn qgis_process_lists_the_provider_and_plans_the_bundled_scenario_headless() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let plugins = installed_plugin(tmp.path());
    let enable = run_qgis_process(&home, &plugins, &["plugins", "enable", "relocate_qgis"]);
    assert!(enable.status.success(), "{}", text(&enable));

    let list = run_qgis_process(&home, &plugins, &["list"]);
    let listed = String::from_utf8_lossy(&list.stdout);
    for id in ["plan", "assess", "validate", "compare", "sensitivity"] {
        assert!(
            listed.contains(&format!("relocate:{id}\t")),
            "relocate:{id} not listed:\n{listed}"
        );
    }

    let out = tmp.path().join("bd");
    let arg = format!("OUTPUT={}", out.display());
    let run = run_qgis_process(&home, &plugins, &["--json", "run", "relocate:plan", "--", &arg]);
    assert!(run.status.success(), "{}", text(&run));
    let stdout = String::from_utf8_lossy(&run.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&stdout[stdout.find('{').unwrap()..]).unwrap();
    let results = &json["results"];
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(results["OUTPUT"], out.display().to_string());
    assert_eq!(results["ASSIGNED"], summary["assigned"]);
    assert_eq!(results["MUST_RELOCATE"], 2643);
    assert_eq!(
        results["FACTORIES_LAYER"],
        format!("{}|layername=factories", out.join("plan.gpkg").display())
    );
    // The same folder as the command line writes it (timings aside).
    let direct = support::relocate(tmp.path(), &["plan", "--quiet", "--out", "direct"]);
    assert_eq!(direct.code, 0, "{}", direct.stderr);
    for file in ["summary.json", "factories.csv", "moves.geojson", "plan.qgs"] {
        assert!(
            std::fs::read(out.join(file)).unwrap()
                == std::fs::read(tmp.path().join("direct").join(file)).unwrap(),
            "{file} differs between qgis_process and the command line"
        );
    }
}

#[test]
fn a_selection_of_a_geopackage_layer_plans_only_the_selected_factories_and_loads_styled() {
    let tmp = tempfile::tempdir().unwrap();
    let found = check("selection", tmp.path());
    let selected = found["selected"].as_u64().unwrap();
    assert!(selected > 100 && selected < found["layer_features"].as_u64().unwrap(), "{found}");
    assert_eq!(found["summary"]["factories_total"], selected, "{found}");
    assert_eq!(
        found["results"]["FACTORIES_LAYER"].as_str().map(|s| s.ends_with("layername=factories")),
        Some(true)
    );
    assert_eq!(found["progress_max"], 100.0, "{found}");
    assert!(
        found["exported"][0].as_str().unwrap().starts_with("My factories (selected features): "),
        "{found}"
    );

    let groups = found["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{found}");
    assert!(groups[0].as_str().unwrap().starts_with("relocate plan: binh-duong ("), "{found}");
    let loaded = found["loaded"].as_array().unwrap();
    let sources: Vec<&str> = loaded.iter().map(|l| l["source"].as_str().unwrap()).collect();
    assert_eq!(
        sources,
        [
            "layername=flows",
            "layername=factories",
            "layername=moves",
            "layername=parks",
            "layername=districts",
            "layername=zoning"
        ],
        "{found}"
    );
    for layer in loaded {
        assert_eq!(layer["valid"], true, "{layer}");
        let renderer = layer["renderer"].as_str().unwrap();
        assert!(
            renderer == "categorizedSymbol" || renderer == "graduatedSymbol",
            "{layer}: the GeoPackage's default style was not applied"
        );
    }
    // Flows (one per origin district and park) first, as in plan.qgs; then the factories.
    assert!(loaded[0]["features"].as_u64().unwrap() >= 1, "{found}");
    assert_eq!(loaded[1]["features"], selected);
    assert_eq!(loaded[2]["features"], found["summary"]["assigned"]);
    assert_eq!(loaded[3]["features"], 22);
    assert_eq!(found["outside_group"], serde_json::json!(["My factories"]), "{found}");

    // The second run into the folder leaves one group, its layers reading the new files.
    let rerun = found["rerun_groups"].as_object().unwrap();
    assert_eq!(rerun.len(), 1, "{found}");
    let counts = rerun.values().next().unwrap();
    assert_eq!(counts[1], found["rerun_selected"], "{found}");
    assert_ne!(found["rerun_selected"], found["selected"]);
}

#[test]
fn a_cancelled_plan_leaves_the_previous_outputs_as_they_were() {
    let tmp = tempfile::tempdir().unwrap();
    let first = support::relocate(tmp.path(), &["plan", "--quiet", "--out", "out"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let found = check("cancel", tmp.path());
    assert_eq!(found["outcome"], "failed", "{found}");
    assert!(found["message"].as_str().unwrap().starts_with("cancelled"), "{found}");
    assert!(found["files_before"].as_u64().unwrap() >= 13, "{found}");
    assert_eq!(found["unchanged"], true, "{found}");
    // It was killed while writing: its half-written folder is there.
    assert_eq!(found["leftovers"].as_array().unwrap().len(), 1, "{found}");
    // The next run for the folder removes what the killed one left, and replaces the outputs.
    let next = support::relocate(tmp.path(), &["plan", "--quiet", "--out", "out"]);
    assert_eq!(next.code, 0, "{}", next.stderr);
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out."))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn invalid_input_fails_the_algorithm_with_every_problem_line_in_the_log() {
    let tmp = tempfile::tempdir().unwrap();
    let found = check("invalid", tmp.path());
    for algorithm in ["plan", "validate"] {
        let run = &found[algorithm];
        assert_eq!(run["outcome"], "failed", "{found}");
        assert!(run["message"].as_str().unwrap().contains("exit code 2"), "{found}");
        let errors: Vec<&str> =
            run["errors"].as_array().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
        assert_eq!(
            errors[..2],
            [
                "Survey 2025: feature F2: land_ha: must be greater than 0 hectares, found -0.5",
                "Survey 2025: feature F1: id: duplicate id: feature #1 already uses it",
            ],
            "{found}"
        );
        assert!(
            !errors.iter().any(|e| e.contains("relocate-")),
            "a temporary path shown: {errors:?}"
        );
    }
    assert_eq!(found["never_written"], true);
    let bad = found["bad_binary"].as_str().unwrap();
    assert!(
        bad.starts_with("the relocate binary set in the provider settings cannot be run: "),
        "{bad}"
    );
}

#[test]
fn validate_assess_compare_and_sensitivity_run_and_load_their_layers() {
    let tmp = tempfile::tempdir().unwrap();
    let found = check("others", tmp.path());
    let runs = found["runs"].as_array().unwrap();
    let names: Vec<&str> = runs.iter().map(|r| r["algorithm"].as_str().unwrap()).collect();
    assert_eq!(names, ["validate", "assess", "plan", "plan", "compare", "sensitivity", "plan"]);
    for run in runs {
        assert_eq!(run["outcome"], "finished", "{run}");
        assert_eq!(run["progress_max"], 100.0, "{run}");
    }
    let groups = found["groups"].as_object().unwrap();
    let group = |prefix: &str| {
        groups
            .iter()
            .find(|(name, _)| name.starts_with(prefix))
            .map(|(_, layers)| layers.as_array().unwrap().clone())
            .unwrap_or_else(|| panic!("no group {prefix}…: {found}"))
    };
    assert_eq!(groups.len(), 6, "{found}");
    // Roads and a gate given as project layers reach the binary: distances by road, the park
    // joining the roads at its gate.
    let road = &found["road_plan"];
    assert_eq!(road["distance_basis"], "road", "{road}");
    assert_eq!(road["roads"]["parks_at_gates"], 1, "{road}");
    assert_eq!(road["roads"]["gates_joined"], 1, "{road}");
    assert_eq!(group("relocate assess: ")[0]["features"], 150);
    // The variant was planned in Vietnamese: its layers carry the project's Vietnamese titles.
    let closed: Vec<String> = group("relocate plan: closed (closed)")
        .iter()
        .map(|l| l["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(closed[0], "Luồng di dời (số cơ sở từ nơi đi đến KCN/CCN)", "{closed:?}");
    assert_eq!(closed[1], "Cơ sở sản xuất", "{closed:?}");
    let changes = group("relocate compare: ");
    assert!(changes[0]["features"].as_u64().unwrap() > 0, "closing a park changes moves");
    let stability = group("relocate sensitivity: ");
    assert_eq!(stability[0]["renderer"], "categorizedSymbol", "{found}");
    for layers in groups.values() {
        for layer in layers.as_array().unwrap() {
            assert_eq!(layer["valid"], true, "{layer}");
        }
    }
}
