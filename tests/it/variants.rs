//! Scenario variants run through the real binary: a variant of the bundled scenario that names
//! it as `base`, changes parks with `[parks.override]` and deadlines, and records its chain of
//! files; mistakes in a variant exit 2 naming the file, line and key.

use std::path::Path;

use crate::support::{relocate, Run};

const BASE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/binh-duong/scenario.toml");

/// Plans `text` (written as `variant.toml`) into `out`, returning the run and the summary.
fn plan(dir: &Path, text: &str, out: &str) -> (Run, serde_json::Value) {
    std::fs::write(dir.join("variant.toml"), text).unwrap();
    let run = relocate(
        dir,
        &["plan", "--quiet", "--scenario", "variant.toml", "--out", out, "--formats", "csv"],
    );
    let summary = std::fs::read_to_string(dir.join(out).join("summary.json"))
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or(serde_json::Value::Null);
    (run, summary)
}

/// factory id → park id, from a plan's factories.csv.
fn parks_of(folder: &Path) -> std::collections::BTreeMap<String, String> {
    let text = std::fs::read_to_string(folder.join("factories.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, park) = (col("id"), col("park_id"));
    reader.records().map(|r| r.unwrap()).map(|r| (r[id].to_string(), r[park].to_string())).collect()
}

#[test]
fn a_variant_that_closes_a_park_sends_its_factories_elsewhere_and_records_its_chain() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let base = format!("base = {BASE:?}\nname = \"base-copy\"\n");
    let (run, _) = plan(dir, &base, "base");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let closed = format!(
        "base = {BASE:?}\nname = \"tam-lap-closed\"\n[parks.override]\n\"CCN-TAM-LAP-2\" = {{ available_ha = 0 }}\n"
    );
    let (run, summary) = plan(dir, &closed, "closed");
    assert_eq!(run.code, 0, "{}", run.stderr);

    let (before, after) = (parks_of(&dir.join("base")), parks_of(&dir.join("closed")));
    let held: Vec<&String> =
        before.iter().filter(|(_, p)| *p == "CCN-TAM-LAP-2").map(|(f, _)| f).collect();
    assert!(!held.is_empty(), "the base plan sends no factory to CCN-TAM-LAP-2");
    assert!(
        after.values().all(|p| p != "CCN-TAM-LAP-2"),
        "a factory still goes to the closed park"
    );
    for f in held {
        assert_ne!(after.get(f), before.get(f), "{f} kept the closed park");
    }

    // The chain of files with their hashes: the variant first, then the bundled scenario.
    let files = summary["scenario"]["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(files[0]["file"], "variant.toml");
    assert!(files[1]["file"].as_str().unwrap().ends_with("fixtures/binh-duong/scenario.toml"));
    let base_text = std::fs::read(BASE).unwrap();
    assert_eq!(files[1]["sha256"].as_str().unwrap(), relocate::model::sha256_hex(&base_text));
    assert_eq!(summary["scenario"]["name"], "tam-lap-closed");
}

#[test]
fn a_variant_moves_every_deadline_and_a_park_opening() {
    let tmp = tempfile::tempdir().unwrap();
    let text = format!(
        "base = {BASE:?}\nname = \"late\"\n[phasing]\ndefault_deadline = 2029\ndeadlines = {{ \"Thuận An\" = 2029, \"Tân Uyên\" = 2029 }}\n[parks.override]\n\"KCN-CAY-TRUONG\" = {{ ready_year = 2029 }}\n"
    );
    let (run, summary) = plan(tmp.path(), &text, "late");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let csv = std::fs::read_to_string(tmp.path().join("late/factories.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (park, year) = (col("park_id"), col("move_year"));
    let mut to_cay_truong = 0;
    for r in reader.records().map(|r| r.unwrap()) {
        if let Ok(y) = r[year].parse::<i32>() {
            assert!(y <= 2029, "a move in {y}, after every deadline");
        }
        if &r[park] == "KCN-CAY-TRUONG" {
            to_cay_truong += 1;
            assert_eq!(&r[year], "2029", "Cây Trường opens in 2029 in this variant");
        }
    }
    assert!(to_cay_truong > 0);
    assert!(summary["assigned"].as_u64().unwrap() > 0);
}

#[test]
fn an_unknown_park_id_in_an_override_exits_two_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let text = format!(
        "base = {BASE:?}\nname = \"typo\"\n[parks.override]\n\"KCN-CAY-TRUON\" = {{ available_ha = 0 }}\n"
    );
    let (run, _) = plan(tmp.path(), &text, "typo");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l.starts_with("variant.toml: line 4: parks.override.\"KCN-CAY-TRUON\": no park has the id \"KCN-CAY-TRUON\" in ")),
        "{}",
        run.stderr
    );
    assert!(!tmp.path().join("typo").exists(), "outputs were written for an invalid variant");
}

#[test]
fn a_missing_base_file_exits_two_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (run, _) = plan(tmp.path(), "name = \"v\"\nbase = \"../nowhere/scenario.toml\"\n", "v");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("variant.toml: line 2: base: cannot read the base scenario \"../nowhere/scenario.toml\""),
        "{}",
        run.stderr
    );
}

#[test]
fn a_variant_without_its_own_name_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (run, _) = plan(tmp.path(), &format!("base = {BASE:?}\n"), "v");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("variant.toml: name: a variant needs its own name"),
        "{}",
        run.stderr
    );
}
