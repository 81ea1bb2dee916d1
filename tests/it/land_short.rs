//! Plans when land runs short, from the binary: `synth --land-ratio` offers the land asked for,
//! the plan says how its counts stand against the most any plan could place, and
//! `--time-limit` returns a plan that says it was stopped.

use std::path::Path;

use serde_json::Value;

use crate::support::relocate;

fn summary(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap()
}

fn synth(dir: &Path, out: &str, ratio: &str) {
    let run = relocate(
        dir,
        &["synth", "--factories", "300", "--parks", "8", "--seed", "3", "--land-ratio", ratio]
            .into_iter()
            .chain(["--out", out])
            .collect::<Vec<_>>(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn land_ratio_offers_that_share_of_the_must_relocate_land() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, ratio) in [("half", "0.5"), ("ample", "1.5")] {
        synth(tmp.path(), name, ratio);
        let run = relocate(
            tmp.path(),
            &[
                "plan",
                "--scenario",
                &format!("{name}/scenario.toml"),
                "--out",
                &format!("{name}-plan"),
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let plan = tmp.path().join(format!("{name}-plan"));
        let rows = std::fs::read_to_string(plan.join("factories.csv")).unwrap();
        let mut csv = csv::Reader::from_reader(rows.trim_start_matches('\u{feff}').as_bytes());
        let headers = csv.headers().unwrap().clone();
        let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
        let must_ha: f64 = csv
            .records()
            .map(|r| r.unwrap())
            .filter(|r| &r[col("verdict")] == "must_relocate")
            .map(|r| r[col("land_ha")].parse::<f64>().unwrap())
            .sum();
        let offered = summary(&plan)["land"]["available_ha"].as_f64().unwrap();
        let r: f64 = ratio.parse().unwrap();
        // Each park's land is written to 0.1 ha.
        assert!((offered - r * must_ha).abs() <= 0.05 * 8.0 + 1e-6, "{offered} vs {r} × {must_ha}");
    }
    // The same flags give the same bytes.
    synth(tmp.path(), "half-again", "0.5");
    for layer in ["parks.geojson", "factories.geojson", "scenario.toml"] {
        let a = std::fs::read(tmp.path().join("half").join(layer)).unwrap();
        let b = std::fs::read(tmp.path().join("half-again").join(layer)).unwrap();
        assert!(a == b, "{layer} differs between two identical runs");
    }
}

#[test]
fn a_plan_short_of_land_reports_its_counts_against_a_proven_bound() {
    let tmp = tempfile::tempdir().unwrap();
    synth(tmp.path(), "half", "0.5");
    let run = relocate(
        tmp.path(),
        &["plan", "--scenario", "half/scenario.toml", "--out", "plan", "--formats", "geojson"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = summary(&tmp.path().join("plan"));
    let placed = s["placed_must_relocate"].as_u64().unwrap();
    let bound = s["placed_must_relocate_bound"].as_u64().unwrap();
    let must = s["must_relocate"].as_u64().unwrap();
    assert!(placed > 0 && placed <= bound && bound < must, "{placed} ≤ {bound} < {must}");
    assert_eq!(s["unassigned_must_relocate"].as_u64().unwrap(), must - placed);
    // Proven means both counts are proven; the must_relocate count alone is not enough.
    if bound != placed {
        assert_eq!(s["priority_proven"], Value::Bool(false));
    }
    assert_eq!(s["time_limit_reached"], Value::Bool(false));
    let line = run.stdout.lines().find(|l| l.starts_with("must_relocate placed")).unwrap();
    if bound == placed {
        assert!(line.contains("(proven: no plan places more)"), "{line}");
    } else {
        assert!(line.contains(&format!("at most {} more", bound - placed)), "{line}");
    }
}

#[test]
fn a_time_limit_returns_the_plan_found_so_far_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    synth(tmp.path(), "half", "0.5");
    let run = relocate(
        tmp.path(),
        &[
            "plan",
            "--scenario",
            "half/scenario.toml",
            "--out",
            "plan",
            "--formats",
            "geojson",
            "--time-limit",
            "0.000001",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = summary(&tmp.path().join("plan"));
    assert_eq!(s["time_limit_reached"], Value::Bool(true));
    assert!(s["lower_bound"].as_f64().unwrap() <= s["objective"].as_f64().unwrap());
    assert!(run.stdout.contains("time limit reached"), "{}", run.stdout);
    for bad in ["0", "-1", "soon"] {
        let limit = format!("--time-limit={bad}");
        let run = relocate(tmp.path(), &["plan", "--scenario", "half/scenario.toml", &limit]);
        assert_eq!(run.code, 2, "--time-limit {bad}: {}", run.stderr);
        assert!(run.stderr.contains("greater than 0"), "{}", run.stderr);
    }
    let run = relocate(
        tmp.path(),
        &["synth", "--factories", "10", "--parks", "2", "--land-ratio", "0", "--out", "x"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--land-ratio must be a number greater than 0"), "{}", run.stderr);
}
