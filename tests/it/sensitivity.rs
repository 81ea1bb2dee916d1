//! `relocate sensitivity` end to end on a small synthetic scenario: the files it writes, the
//! stability of every factory without spread, less stability with a dominant weight moved a
//! lot, and the same bytes for the same seed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FILES: [&str; 7] = [
    "stability.csv",
    "plan.gpkg",
    "stability.geojson",
    "tornado.svg",
    "tornado.png",
    "sensitivity.html",
    "summary.json",
];

const HEADER: &str = "factory_id,park_id,share,parks_seen,runner_up_park_id,runner_up_share,\
min_weight_change,weight,class";

fn relocate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relocate")).args(args).output().unwrap()
}

/// A 300-factory, 12-park synthetic scenario in `dir`; its `scenario.toml`.
fn scenario(dir: &Path) -> PathBuf {
    let out = relocate(&[
        "synth",
        "--factories",
        "300",
        "--parks",
        "12",
        "--seed",
        "3",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir.join("scenario.toml")
}

/// The same scenario with `[scoring]` replaced by `scoring`.
fn with_scoring(scenario: &Path, scoring: &str) -> PathBuf {
    let text = std::fs::read_to_string(scenario).unwrap();
    let start = text.find("[scoring]").unwrap();
    let end = start + text[start..].find("\n[").unwrap();
    let changed = format!("{}{}\n{}", &text[..start], scoring, &text[end..]);
    let path = scenario.with_file_name("dominant.toml");
    std::fs::write(&path, changed).unwrap();
    path
}

fn sensitivity(scenario: &Path, out: &Path, samples: u32, spread: f64, seed: u64) {
    let output = relocate(&[
        "sensitivity",
        "--scenario",
        scenario.to_str().unwrap(),
        "--samples",
        &samples.to_string(),
        "--spread",
        &spread.to_string(),
        "--seed",
        &seed.to_string(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.stdout.is_empty(),
        "--quiet printed: {}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// The data rows of `stability.csv`, split into fields (no field holds a comma).
fn rows(out: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(out.join("stability.csv")).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("stability.csv starts with a BOM");
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    assert_eq!(lines.next(), Some(HEADER));
    lines.map(|l| l.split(',').map(str::to_string).collect()).collect()
}

fn mean_share(rows: &[Vec<String>]) -> f64 {
    rows.iter().map(|r| r[2].parse::<f64>().unwrap()).sum::<f64>() / rows.len() as f64
}

#[test]
fn without_spread_every_factory_is_fully_stable_and_every_file_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = scenario(&tmp.path().join("in"));
    let out = tmp.path().join("out");
    sensitivity(&scenario, &out, 10, 0.0, 1);
    for f in FILES {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let rows = rows(&out);
    assert!(rows.len() > 20, "only {} relocating factories", rows.len());
    for r in &rows {
        assert_eq!(r.len(), 9, "{r:?}");
        assert_eq!((r[2].parse::<f64>().unwrap(), r[8].as_str()), (1.0, "stable"), "{r:?}");
        assert_eq!((r[6].as_str(), r[7].as_str()), ("", ""), "an OAT step of 0 moved {r:?}");
    }
    let ids: Vec<&String> = rows.iter().map(|r| &r[0]).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "rows sorted by factory id");

    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["samples"], 10);
    assert_eq!(summary["min_share"], 1.0);
    assert_eq!(summary["unstable"], 0);
    assert!(summary["worst_gap"].as_f64().unwrap() >= 0.0);

    let geojson: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("stability.geojson")).unwrap()).unwrap();
    let features = geojson["features"].as_array().unwrap();
    assert_eq!(features.len(), rows.len());
    assert_eq!(features[0]["geometry"]["type"], "Point");
    assert_eq!(features[0]["properties"]["class"], "stable");

    let html = std::fs::read_to_string(out.join("sensitivity.html")).unwrap();
    assert!(html.contains("Content-Security-Policy"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"), "not offline");
    assert!(html.contains("<svg") && html.contains("<table>"));
    let png = std::fs::read(out.join("tornado.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
}

#[test]
fn a_dominant_weight_moved_a_lot_makes_the_plan_less_stable() {
    let tmp = tempfile::tempdir().unwrap();
    let base = scenario(&tmp.path().join("in"));
    let dominant = with_scoring(
        &base,
        "[scoring]\ndistance_per_km = 1.0\nworkforce_per_1000_employee_km = 0.5\n\
         cluster_mismatch = 40.0\nclass_mismatch = 2.0\nwaiting_per_year = 1.0\n",
    );
    let still = tmp.path().join("still");
    let moved = tmp.path().join("moved");
    sensitivity(&dominant, &still, 10, 0.0, 5);
    sensitivity(&dominant, &moved, 20, 0.9, 5);
    let (still, moved) = (rows(&still), rows(&moved));
    assert_eq!(still.len(), moved.len());
    assert_eq!(mean_share(&still), 1.0);
    assert!(mean_share(&moved) < 1.0, "no factory moved under ±90 % weights");
    assert!(moved.iter().any(|r| r[8] != "stable"), "every factory still stable");
    // A factory that moved in some sample names where it went instead.
    assert!(moved.iter().any(|r| !r[4].is_empty() && r[5].parse::<f64>().unwrap() > 0.0));
    // The one-at-a-time steps found a least change for some factory, within the spread.
    let changes: Vec<f64> = moved.iter().filter_map(|r| r[6].parse::<f64>().ok()).collect();
    assert!(!changes.is_empty());
    assert!(changes.iter().all(|c| c.abs() <= 0.9 + 1e-9), "{changes:?}");
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_other_draws() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = scenario(&tmp.path().join("in"));
    let (a, b, c) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("c"));
    sensitivity(&scenario, &a, 15, 0.5, 11);
    sensitivity(&scenario, &b, 15, 0.5, 11);
    sensitivity(&scenario, &c, 15, 0.5, 12);
    for f in FILES {
        assert!(
            std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
            "{f} differs between two runs with the same seed"
        );
    }
    // Other draws: the summary lists each sample's factors. The plans themselves may agree.
    assert_ne!(
        std::fs::read(a.join("summary.json")).unwrap(),
        std::fs::read(c.join("summary.json")).unwrap()
    );
}

#[test]
fn a_spread_outside_zero_to_one_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = relocate(&[
        "sensitivity",
        "--spread",
        "1.5",
        "--out",
        tmp.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--spread 1.5"));
}

#[test]
fn sensitivity_html_opens_offline_in_chromium_with_its_chart_map_and_table() {
    if std::env::var_os("RELOCATE_SKIP_BROWSER").is_some() {
        eprintln!("RELOCATE_SKIP_BROWSER set: browser check skipped");
        return;
    }
    let browser =
        crate::support::chromium().expect("chromium is needed (or set RELOCATE_SKIP_BROWSER=1)");
    let tmp = tempfile::tempdir().unwrap();
    let scenario = scenario(&tmp.path().join("s"));
    let out = tmp.path().join("out");
    sensitivity(&scenario, &out, 8, 0.3, 5);
    let page = std::fs::canonicalize(out.join("sensitivity.html")).unwrap();
    let url = format!("file://{}", page.display());
    let (dom, stderr) = crate::support::run_chromium(
        &browser,
        &tmp.path().join("profile"),
        &url,
        &["--dump-dom".to_string()],
    );
    let errors = crate::support::console_errors(&stderr);
    assert!(errors.is_empty(), "{errors:#?}");
    for section in ["id=\"figures\"", "id=\"tornado\"", "id=\"map\"", "id=\"least-stable\""] {
        assert!(dom.contains(section), "{section} missing from the rendered page");
    }
    // One dot per relocating factory on the stability map.
    let map =
        dom.split("id=\"map\"").nth(1).and_then(|m| m.split("</section>").next()).unwrap_or("");
    let dots = map.matches("<circle").count();
    assert!(dots >= rows(&out).len(), "{dots} dots for {} factories", rows(&out).len());
}
