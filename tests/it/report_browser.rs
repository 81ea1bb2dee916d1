//! report.html opened in headless Chromium from a file:// URL, with no network: the script runs
//! without errors, there is one row per assessed factory, the search box filters rows (driven by
//! the page's `#q=` link hook), and a screenshot is taken.
//!
//! Needs Debian's `chromium` (`apt-get install chromium`). Set `RELOCATE_SKIP_BROWSER=1` to
//! skip on a machine without it; set `MAP_PREVIEW_DIR` to keep the report and screenshot.

use std::path::PathBuf;

use relocate::model::Lang;
use relocate::output::rows;
use relocate::output::{map, report};

use crate::support::{chromium, console_errors, map_fixture, run_chromium};

/// The rows of the factories table in a dumped DOM, and how many are hidden.
fn factory_rows(dom: &str) -> (usize, usize) {
    let body = dom
        .split("id=\"factories-table\"")
        .nth(1)
        .and_then(|t| t.split("</tbody>").next())
        .unwrap_or("");
    let rows: Vec<&str> = body.split("<tr ").skip(1).collect();
    let hidden = rows
        .iter()
        .filter(|r| r.split('>').next().is_some_and(|attrs| attrs.contains("hidden")))
        .count();
    (rows.len(), hidden)
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn report_runs_offline_in_chromium_and_its_search_filters_rows() {
    if std::env::var_os("RELOCATE_SKIP_BROWSER").is_some() {
        eprintln!("RELOCATE_SKIP_BROWSER set: browser test skipped");
        return;
    }
    let browser = chromium()
        .expect("chromium is needed: apt-get install chromium (or set RELOCATE_SKIP_BROWSER=1)");
    // Hostile names included: they must not break the page or its script.
    let plan = map_fixture::plan_with(60, Lang::En, true);
    let temp = tempfile::tempdir().expect("temp dir");
    let out = std::env::var_os("MAP_PREVIEW_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| temp.path().join("out"));
    std::fs::create_dir_all(&out).expect("out dir");
    let svg = map::map_svg(&plan);
    report::write_report(&plan, &svg, &out).expect("report written");
    let page = std::fs::canonicalize(out.join("report.html")).expect("report path");
    let url = format!("file://{}", page.display());
    let factories = plan.assessed.assessment.factories.len();

    // 1. Loaded as is: the script ran to its end, no error, every row shown.
    let (dom, stderr) =
        run_chromium(&browser, &temp.path().join("p1"), &url, &["--dump-dom".to_string()]);
    // The script marks the root element when it ends, and when anything throws.
    let root = dom.split("<html").nth(1).and_then(|r| r.split('>').next()).unwrap_or("");
    assert!(root.contains("data-ready=\"true\""), "the report script did not finish:\n{stderr}");
    assert!(!root.contains("data-js-error"), "script error: {root}");
    let errors = console_errors(&stderr);
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    assert_eq!(factory_rows(&dom), (factories, 0), "one visible row per assessed factory");

    // 2. Search by id: exactly that factory.
    let (dom, stderr) = run_chromium(
        &browser,
        &temp.path().join("p2"),
        &format!("{url}#q=F-0007"),
        &["--dump-dom".to_string()],
    );
    assert!(console_errors(&stderr).is_empty(), "{stderr}");
    assert_eq!(factory_rows(&dom), (factories, factories - 1), "searching an id shows one row");
    assert!(dom.contains("<output id=\"factory-shown\">1</output>"));

    // 3. Search without diacritics finds the district written with them.
    let rows = rows::factory_rows(
        &plan.assessed.loaded.inputs,
        &plan.assessed.assessment,
        Some(&plan.allocation),
    );
    let expected = rows.iter().filter(|r| r.district == Some("Thủ Dầu Một")).count();
    assert!(expected > 0 && expected < factories);
    let query = percent_encode("thu dau mot");
    let (dom, _) = run_chromium(
        &browser,
        &temp.path().join("p3"),
        &format!("{url}#q={query}"),
        &["--dump-dom".to_string()],
    );
    assert_eq!(factory_rows(&dom), (factories, factories - expected), "diacritic-free search");

    // 4. A screenshot of the page as a reader first sees it.
    let shot = out.join("report_screenshot.png");
    let _ = run_chromium(
        &browser,
        &temp.path().join("p4"),
        &url,
        &[format!("--screenshot={}", shot.display()), "--window-size=1400,1800".to_string()],
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    let image = tiny_skia::Pixmap::decode_png(&png).expect("screenshot decodes");
    assert_eq!((image.width(), image.height()), (1400, 1800));
    // Not a blank page: a good share of pixels are not white.
    let inked = image
        .pixels()
        .iter()
        .filter(|p| p.red() < 200 || p.green() < 200 || p.blue() < 200)
        .count();
    assert!(inked * 50 > image.pixels().len(), "the screenshot looks blank");
}
