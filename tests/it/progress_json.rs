//! `--progress json`: one JSON line per stage start, step and end on stderr, when stderr is not
//! a terminal (as in these tests) and with `--quiet`; nothing on stderr without it.

use std::path::Path;

use serde_json::Value;

use crate::support::{self, Run};

/// The JSON progress lines of a run, checked against the schema: the four keys in order,
/// known states, percentages that never go back. Returns `(stage, state, percent)` of each.
fn progress(run: &Run) -> Vec<(String, String, f64)> {
    let mut out = Vec::new();
    let mut last = 0.0;
    for line in run.stderr.lines().filter(|l| l.starts_with('{')) {
        let v: Value = serde_json::from_str(line).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["stage", "state", "percent", "message"], "{line}");
        let state = v["state"].as_str().unwrap();
        assert!(["start", "progress", "end", "failed"].contains(&state), "{line}");
        let percent = v["percent"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&percent) && percent >= last, "{line} after {last}");
        assert!(!v["message"].as_str().unwrap().is_empty(), "{line}");
        last = percent;
        out.push((v["stage"].as_str().unwrap().to_string(), state.to_string(), percent));
    }
    out
}

/// The stages that started and ended, in order, each once.
fn stages(lines: &[(String, String, f64)]) -> Vec<String> {
    assert!(!lines.iter().any(|l| l.1 == "failed"), "{lines:?}");
    let starts: Vec<String> =
        lines.iter().filter(|l| l.1 == "start").map(|l| l.0.clone()).collect();
    let ends: Vec<String> = lines.iter().filter(|l| l.1 == "end").map(|l| l.0.clone()).collect();
    assert_eq!(starts, ends, "{lines:?}");
    starts
}

#[test]
fn a_plan_prints_each_stage_start_and_end_as_json_up_to_one_hundred_percent() {
    let tmp = tempfile::tempdir().unwrap();
    let run =
        support::relocate(tmp.path(), &["plan", "--quiet", "--progress", "json", "--out", "o"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.lines().all(|l| l.starts_with('{')), "{}", run.stderr);
    let lines = progress(&run);
    assert_eq!(stages(&lines), ["read", "validate", "assess", "candidates", "allocate", "write"]);
    assert_eq!(lines.first().unwrap().2, 0.0);
    assert_eq!(lines.last().unwrap(), &("write".to_string(), "end".to_string(), 100.0));
    let first = run.stderr.lines().next().unwrap();
    assert_eq!(
        first,
        r#"{"stage":"read","state":"start","percent":0.0,"message":"reading the input layers"}"#
    );
    // The outputs are those of a run without it.
    let plain = support::relocate(tmp.path(), &["plan", "--quiet", "--out", "p"]);
    assert_eq!(plain.code, 0);
    assert_eq!(plain.stderr, "", "no terminal, no bars");
    for file in ["summary.json", "factories.geojson", "plan.gpkg", "map.svg"] {
        assert!(
            std::fs::read(tmp.path().join("o").join(file)).unwrap()
                == std::fs::read(tmp.path().join("p").join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn validate_assess_and_explain_report_their_own_stages() {
    let tmp = tempfile::tempdir().unwrap();
    let run = support::relocate(tmp.path(), &["validate", "--progress", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = progress(&run);
    assert_eq!(stages(&lines), ["read", "validate"]);
    assert_eq!(lines.last().unwrap().2, 100.0);

    let run = support::relocate(tmp.path(), &["assess", "--progress", "json", "--out", "a"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = progress(&run);
    assert_eq!(stages(&lines), ["read", "validate", "assess", "write"]);
    assert_eq!(lines.last().unwrap().2, 100.0);

    let run = support::relocate(tmp.path(), &["explain", "F0001", "--progress", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("F0001"), "{}", run.stdout);
    let lines = progress(&run);
    assert_eq!(stages(&lines), ["read", "validate", "assess", "candidates", "allocate", "explain"]);
    assert_eq!(lines.last().unwrap().2, 100.0);
}

#[test]
fn invalid_input_shows_the_stage_that_failed_and_every_problem_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    let parks = support::data("parks.geojson");
    let factories = tmp.path().join("factories.geojson");
    std::fs::write(
        &factories,
        r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"A","name":"a","sector":"garments","land_ha":-1},"geometry":{"type":"Point","coordinates":[106.7,10.9]}}]}"#,
    )
    .unwrap();
    let run = support::relocate(
        tmp.path(),
        &[
            "validate",
            "--progress",
            "json",
            "--parks",
            parks.to_str().unwrap(),
            "--factories",
            factories.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines = progress(&run);
    let last = lines.last().unwrap();
    assert_eq!((last.0.as_str(), last.1.as_str()), ("validate", "failed"), "{lines:?}");
    assert_eq!(last.2, 60.0, "a failed stage stays at its start");
    let text: Vec<&str> = run.stderr.lines().filter(|l| !l.starts_with('{')).collect();
    assert!(
        text.iter().any(|l| l.contains("feature A: land_ha: ")),
        "the problem lines stay plain text: {}",
        run.stderr
    );
}

#[test]
fn sensitivity_counts_its_plans_in_progress_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let synth = support::relocate(
        tmp.path(),
        &["synth", "--factories", "120", "--parks", "6", "--seed", "2", "--out", "s"],
    );
    assert_eq!(synth.code, 0, "{}", synth.stderr);
    let scenario = dir.join("scenario.toml");
    let run = support::relocate(
        tmp.path(),
        &[
            "sensitivity",
            "--scenario",
            scenario.to_str().unwrap(),
            "--samples",
            "4",
            "--progress",
            "json",
            "--quiet",
            "--out",
            "sens",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = progress(&run);
    assert_eq!(
        stages(&lines),
        ["read", "validate", "assess", "candidates", "allocate", "sensitivity", "write"]
    );
    let steps: Vec<&(String, String, f64)> = lines.iter().filter(|l| l.1 == "progress").collect();
    assert!(steps.len() >= 4 && steps.iter().all(|l| l.0 == "sensitivity"), "{lines:?}");
    let last_step = run.stderr.lines().rfind(|l| l.contains(r#""state":"progress""#));
    let total = steps.len();
    assert!(last_step.unwrap().contains(&format!("\"{total}/{total} plans\"")), "{last_step:?}");
    assert_eq!(lines.last().unwrap().2, 100.0);
}

#[test]
fn compare_reports_comparing_then_writing() {
    let tmp = tempfile::tempdir().unwrap();
    for out in ["a", "b"] {
        let run = support::relocate(
            tmp.path(),
            &["plan", "--quiet", "--formats", "geojson,csv", "--out", out],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let run = support::relocate(
        tmp.path(),
        &["compare", "a", "b", "--out", "c", "--quiet", "--progress", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(Path::new(&tmp.path().join("c/compare.html")).is_file());
    let lines = progress(&run);
    assert_eq!(stages(&lines), ["compare", "write"]);
    assert_eq!(lines.last().unwrap().2, 100.0);
}
