//! `relocate compare` on real plan folders: identical runs compare as equal, a variant that
//! closes one park lists exactly that park's factories as "park closed", folders that are not
//! plans are refused with exit 2, and compare.html works offline in headless Chromium.
//!
//! Set `RELOCATE_SKIP_BROWSER=1` to skip the browser part on a machine without Chromium.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The park the variant closes: a mid-sized destination (85 factories in the base plan).
const CLOSED_PARK: &str = "KCN-LAI-HUNG";

fn relocate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relocate")).args(args).output().expect("relocate runs")
}

fn plan(out: &Path, scenario: Option<&Path>) {
    let mut args = vec!["plan", "--formats", "geojson,csv", "--quiet", "--out"];
    let out = out.to_str().unwrap();
    args.push(out);
    let scenario_text;
    if let Some(s) = scenario {
        scenario_text = s.to_str().unwrap().to_string();
        args.extend(["--scenario", scenario_text.as_str()]);
    }
    let o = relocate(&args);
    assert!(o.status.success(), "plan failed: {}", String::from_utf8_lossy(&o.stderr));
}

/// A CSV written by relocate (BOM, header) as rows of column → text.
fn read_csv(path: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.starts_with('\u{feff}'), "{} has no byte-order mark", path.display());
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows = reader
        .records()
        .map(|r| header.iter().cloned().zip(r.unwrap().iter().map(str::to_string)).collect())
        .collect();
    (header, rows)
}

/// A variant of the bundled scenario that closes one park (`[parks.override]`), written into
/// `dir`.
fn closed_park_scenario(dir: &Path) -> PathBuf {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/binh-duong/scenario.toml");
    let text = format!(
        "base = {:?}\nname = \"closed-park\"\n[parks.override]\n{CLOSED_PARK:?} = {{ available_ha = 0 }}\n",
        base.display().to_string()
    );
    let path = dir.join("scenario.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn two_identical_runs_compare_with_every_delta_zero_and_no_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, out) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("cmp"));
    plan(&a, None);
    plan(&b, None);
    let o = relocate(&[
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty(), "--quiet prints nothing");

    let (header, rows) = read_csv(&out.join("comparison.csv"));
    assert_eq!(header, vec!["indicator", "a", "b", "delta_b", "delta_pct_b"]);
    let indicators: Vec<&str> = rows.iter().map(|r| r["indicator"].as_str()).collect();
    for key in [
        "must_relocate",
        "encouraged",
        "assigned",
        "unassigned",
        "unassigned_must_relocate",
        "land_allocated_ha",
        "objective",
        "lower_bound",
        "gap",
        "distance_total_km",
        "distance_p95_km",
        "workers_moved",
        "fill_pct:KCN-CAY-TRUONG",
    ] {
        assert!(indicators.contains(&key), "{key} missing from {indicators:?}");
    }
    for r in &rows {
        assert_eq!(r["a"], r["b"], "{}", r["indicator"]);
        assert_eq!(r["delta_b"].parse::<f64>().unwrap(), 0.0, "{}", r["indicator"]);
        assert_eq!(r["delta_pct_b"].parse::<f64>().unwrap(), 0.0, "{}", r["indicator"]);
        assert!(!r["delta_b"].starts_with('-'), "no negative zero: {r:?}");
    }

    let changed = std::fs::read_to_string(out.join("changed.csv")).unwrap();
    assert_eq!(
        changed,
        "\u{feff}factory_id,name,verdict_a,park_id_a,cost_a,move_year_a,verdict_b,park_id_b,cost_b,move_year_b,reason\r\n"
    );
    let geojson = std::fs::read_to_string(out.join("changes.geojson")).unwrap();
    assert_eq!(geojson, "{\"type\":\"FeatureCollection\",\"features\":[]}\n");
    assert!(std::fs::read_to_string(out.join("compare.html"))
        .unwrap()
        .contains("<html lang=\"en\">"));
}

#[test]
fn closing_a_park_lists_its_factories_as_park_closed_and_the_page_works_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let variant_dir = tmp.path().join("variant");
    std::fs::create_dir(&variant_dir).unwrap();
    let scenario = closed_park_scenario(&variant_dir);
    let (base, closed, out) =
        (tmp.path().join("base"), tmp.path().join("closed"), tmp.path().join("cmp"));
    plan(&base, None);
    plan(&closed, Some(&scenario));
    let args = [
        "compare",
        base.to_str().unwrap(),
        closed.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let o = relocate(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("factories changed"));

    let (_, base_factories) = read_csv(&base.join("factories.csv"));
    let held: BTreeSet<&str> = base_factories
        .iter()
        .filter(|f| f["park_id"] == CLOSED_PARK)
        .map(|f| f["id"].as_str())
        .collect();
    assert!(held.len() > 10, "the closed park held {} factories", held.len());

    let (header, changed) = read_csv(&out.join("changed.csv"));
    assert_eq!(header.last().map(String::as_str), Some("reason"));
    let park_closed: BTreeSet<&str> = changed
        .iter()
        .filter(|r| r["reason"] == "park closed")
        .map(|r| r["factory_id"].as_str())
        .collect();
    // Exactly the factories the park held are moved because it closed…
    assert_eq!(park_closed, held);
    for r in changed.iter().filter(|r| r["reason"] == "park closed") {
        assert_eq!(r["park_id_base"], CLOSED_PARK);
        assert_ne!(r["park_id_closed"], CLOSED_PARK);
    }
    // …and every other change is their knock-on: the same verdicts, and the factory's old park
    // is full in the variant (the solver never moves a factory out of a park with room here).
    let (_, closed_parks) = read_csv(&closed.join("parks.csv"));
    let remaining: BTreeMap<&str, f64> = closed_parks
        .iter()
        .map(|p| (p["id"].as_str(), p["remaining_ha"].parse().unwrap()))
        .collect();
    let land: BTreeMap<&str, f64> =
        base_factories.iter().map(|f| (f["id"].as_str(), f["land_ha"].parse().unwrap())).collect();
    for r in changed.iter().filter(|r| r["reason"] != "park closed") {
        assert_eq!(r["verdict_base"], r["verdict_closed"], "{r:?}");
        assert!(r["reason"].starts_with("capacity taken by"), "{r:?}");
        let old = r["park_id_base"].as_str();
        assert!(remaining[old] < land[r["factory_id"].as_str()], "{old} still had room: {r:?}");
    }
    // No verdict changes, ids all in both runs.
    assert!(changed.iter().all(|r| !r["reason"].starts_with("only in")));

    let (_, indicators) = read_csv(&out.join("comparison.csv"));
    let row = |k: &str| indicators.iter().find(|r| r["indicator"] == k).unwrap().clone();
    assert_eq!(row("must_relocate")["delta_closed"], "0");
    assert_eq!(row(&format!("fill_pct:{CLOSED_PARK}"))["closed"], "0.0");

    // changes.geojson: one LineString per changed factory, properties as documented.
    let geojson: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("changes.geojson")).unwrap())
            .unwrap();
    let features = geojson["features"].as_array().unwrap();
    assert_eq!(features.len(), changed.len());
    for f in features {
        assert_eq!(f["geometry"]["type"], "LineString");
        let keys: Vec<&str> =
            f["properties"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            vec!["factory_id", "from_run", "to_run", "park_id_from", "park_id_to", "reason"]
        );
    }

    // The same runs give the same bytes.
    let again = tmp.path().join("cmp2");
    let o = relocate(&[
        "compare",
        base.to_str().unwrap(),
        closed.to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success());
    for file in ["comparison.csv", "changed.csv", "changes.geojson", "compare.html"] {
        assert_eq!(
            std::fs::read(out.join(file)).unwrap(),
            std::fs::read(again.join(file)).unwrap(),
            "{file}"
        );
    }

    // Vietnamese: the page and the reasons.
    let vi = tmp.path().join("cmp-vi");
    let o = relocate(&[
        "compare",
        base.to_str().unwrap(),
        closed.to_str().unwrap(),
        "--out",
        vi.to_str().unwrap(),
        "--lang",
        "vi",
        "--quiet",
    ]);
    assert!(o.status.success());
    let html = std::fs::read_to_string(vi.join("compare.html")).unwrap();
    assert!(html.contains("<html lang=\"vi\">") && html.contains("Các cơ sở thay đổi"));

    browser_check(
        &out.join("compare.html"),
        tmp.path(),
        changed.len(),
        held.iter().next().unwrap(),
    );
}

/// compare.html in headless Chromium with no network: the script ends without errors, one row
/// per changed factory, and the search (driven by the page's `#q=` hook) shows one row for an id.
fn browser_check(page: &Path, tmp: &Path, rows: usize, some_id: &str) {
    if std::env::var_os("RELOCATE_SKIP_BROWSER").is_some() {
        eprintln!("RELOCATE_SKIP_BROWSER set: browser check skipped");
        return;
    }
    let browser =
        crate::support::chromium().expect("chromium is needed (or set RELOCATE_SKIP_BROWSER=1)");
    let url = format!("file://{}", std::fs::canonicalize(page).unwrap().display());
    let dump = |profile: &str, url: &str| {
        let dom = ["--dump-dom".to_string()];
        crate::support::run_chromium(&browser, &tmp.join(profile), url, &dom)
    };
    let table_rows = |dom: &str| -> (usize, usize) {
        let body = dom
            .split("id=\"factories-table\"")
            .nth(1)
            .and_then(|t| t.split("</tbody>").next())
            .unwrap_or("");
        let rows: Vec<&str> = body.split("<tr ").skip(1).collect();
        let hidden = rows
            .iter()
            .filter(|r| r.split('>').next().is_some_and(|a| a.contains("hidden")))
            .count();
        (rows.len(), hidden)
    };
    let (dom, stderr) = dump("p1", &url);
    let root = dom.split("<html").nth(1).and_then(|r| r.split('>').next()).unwrap_or("");
    assert!(root.contains("data-ready=\"true\""), "the page script did not finish:\n{stderr}");
    assert!(!root.contains("data-js-error"), "script error: {root}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| {
            l.contains("Uncaught")
                || l.contains("Content Security Policy")
                || l.contains("net::ERR_")
        })
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(table_rows(&dom), (rows, 0));
    let (dom, _) = dump("p2", &format!("{url}#q={some_id}"));
    assert_eq!(table_rows(&dom), (rows, rows - 1), "searching an id shows its row only");
}

#[test]
fn a_missing_folder_or_a_folder_that_is_not_a_plan_is_named_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let not_plan = tmp.path().join("notes");
    std::fs::create_dir(&not_plan).unwrap();
    std::fs::write(not_plan.join("summary.json"), "{}").unwrap();
    let missing = tmp.path().join("no-such-run");
    let out = tmp.path().join("cmp");
    let o = relocate(&[
        "compare",
        missing.to_str().unwrap(),
        not_plan.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains(&format!("{}: no such folder", missing.display())), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: not a finished plan folder: missing factories.csv",
            not_plan.display()
        )),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");

    let o = relocate(&["compare", not_plan.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "one run is a usage error");
}
