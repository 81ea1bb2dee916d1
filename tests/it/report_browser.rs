//! report.html opened in headless Chromium from a file:// URL, with no network: the script runs
//! without errors, there is one row per assessed factory, the search box filters rows (driven by
//! the page's `#q=` link hook), and a screenshot is taken. The interactive map is driven through
//! the DevTools protocol (`support::cdp`) with real wheel turns and clicks.
//!
//! Needs Debian's `chromium` (`apt-get install chromium`). Set `RELOCATE_SKIP_BROWSER=1` to
//! skip on a machine without it; set `MAP_PREVIEW_DIR` to keep the report and screenshot.

use std::path::PathBuf;

use relocate::model::Lang;
use relocate::output::report;
use relocate::output::rows;

use crate::support::cdp::Browser;
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

/// Chromium, or `None` when `RELOCATE_SKIP_BROWSER` says to skip the browser tests.
fn browser() -> Option<PathBuf> {
    if std::env::var_os("RELOCATE_SKIP_BROWSER").is_some() {
        eprintln!("RELOCATE_SKIP_BROWSER set: browser test skipped");
        return None;
    }
    Some(
        chromium().expect(
            "chromium is needed: apt-get install chromium (or set RELOCATE_SKIP_BROWSER=1)",
        ),
    )
}

/// Writes `plan`'s report into `MAP_PREVIEW_DIR` (kept) or under `temp`: the folder and the
/// page's file:// URL.
fn written_report(plan: &relocate::pipeline::Plan, temp: &std::path::Path) -> (PathBuf, String) {
    let out =
        std::env::var_os("MAP_PREVIEW_DIR").map(PathBuf::from).unwrap_or_else(|| temp.join("out"));
    std::fs::create_dir_all(&out).expect("out dir");
    report::write_report(plan, &out).expect("report written");
    let page = std::fs::canonicalize(out.join("report.html")).expect("report path");
    let url = format!("file://{}", page.display());
    (out, url)
}

#[test]
fn report_runs_offline_in_chromium_and_its_search_filters_rows() {
    let Some(browser) = browser() else { return };
    // Hostile names included: they must not break the page or its script.
    let plan = map_fixture::plan_with(60, Lang::En, true);
    let temp = tempfile::tempdir().expect("temp dir");
    let (out, url) = written_report(&plan, temp.path());
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

#[test]
fn report_map_zooms_clicks_filters_and_selects_table_rows_in_chromium() {
    let Some(browser) = browser() else { return };
    let plan = map_fixture::plan_with(300, Lang::En, false);
    let temp = tempfile::tempdir().expect("temp dir");
    let (out, url) = written_report(&plan, temp.path());
    let rows = rows::factory_rows(
        &plan.assessed.loaded.inputs,
        &plan.assessed.assessment,
        Some(&plan.allocation),
    );
    // A factory that moves, with evidence and a runner-up park: everything the panel shows.
    let chosen = rows
        .iter()
        .find(|r| {
            r.park.is_some()
                && !r.evidence.is_empty()
                && !relocate::output::alternatives::alternatives(&plan, r.factory, r.park)
                    .runners_up
                    .is_empty()
        })
        .expect("a moving factory with evidence and a runner-up");
    let runner = relocate::output::alternatives::alternatives(&plan, chosen.factory, chosen.park)
        .runners_up
        .into_iter()
        .next()
        .expect("runner-up");
    let runner_name = plan.assessed.loaded.inputs.parks[runner.park].name.clone();

    let mut b = Browser::launch(&browser, &temp.path().join("cdp"), 1400, 1000);
    b.open(&url);
    assert_eq!(b.eval("document.documentElement.getAttribute('data-map-ready')"), "true");
    let zoom = |b: &mut Browser| -> f64 {
        b.eval("Number(document.getElementById('webmap').getAttribute('data-zoom'))")
            .as_f64()
            .expect("zoom")
    };
    assert_eq!(zoom(&mut b), 1.0);

    // 1. Zoom: the wheel over the map, then the buttons.
    let (x, y) = b.centre_of("#webmap");
    b.wheel(x, y, -120.0);
    b.wheel(x, y, -120.0);
    let wheeled = zoom(&mut b);
    assert!(wheeled > 1.4, "the wheel did not zoom in: {wheeled}");
    b.click("#wm-zoom-in");
    assert!(zoom(&mut b) > wheeled, "+ did not zoom in");
    b.click("#wm-reset");
    assert_eq!(zoom(&mut b), 1.0, "the whole map again");

    // 2. The table selects on the map: a click on the factory's row shows its panel.
    b.click(&format!("#factories-table tr[data-id=\"{}\"] td:nth-child(2)", chosen.id));
    let panel = |b: &mut Browser| -> String {
        b.eval("document.getElementById('wm-panel').innerText").as_str().unwrap_or("").to_string()
    };
    let text = panel(&mut b);
    assert!(text.contains(chosen.name), "panel after a row click: {text}");
    assert!(text.contains(chosen.park_name.expect("park")), "park missing: {text}");
    assert!(text.contains(&chosen.evidence), "evidence missing: {text}");
    assert!(text.contains("Runner-up parks") && text.contains(&runner_name), "{text}");
    assert!(text.contains(&runner.why), "why not missing: {text}");
    assert!(zoom(&mut b) >= 4.0, "the map zoomed to the factory");

    // 3. A click on a park shows its fill and its factories.
    let park = plan.assessed.loaded.inputs.parks[chosen.park.expect("park")].clone();
    b.click("#wm-reset");
    b.click(&format!(".wm-park[data-p=\"{}\"]", chosen.park.expect("park")));
    let text = panel(&mut b);
    assert!(text.contains(&park.name) && text.contains("Fill (%)"), "park panel: {text}");
    assert!(text.contains(chosen.id), "the park lists its factories: {text}");

    // 4. A click on the factory's dot, zoomed in on it, selects it and its table row.
    b.click(&format!("#factories-table tr[data-id=\"{}\"] td:nth-child(2)", chosen.id));
    let index = b.eval(&format!(
        "JSON.parse(document.getElementById('map-data').textContent).f.findIndex(f => f.id === {:?})",
        chosen.id
    ));
    b.eval("document.querySelectorAll('#factories-table tr.selected').forEach(r => r.classList.remove('selected'))");
    b.eval("document.getElementById('wm-panel').textContent = ''");
    let dot = format!("circle.wm-f[data-i=\"{index}\"]");
    let (x, y) = b.centre_of(&dot);
    let on_top = b.eval(&format!(
        "document.elementFromPoint({x}, {y}) === document.querySelector({:?})",
        dot
    ));
    assert_eq!(on_top, true, "the dot is not the topmost element at its centre");
    b.click_at(x, y);
    let text = panel(&mut b);
    assert!(text.contains(chosen.name) && text.contains(&chosen.evidence), "dot click: {text}");
    let selected = b.eval("Array.from(document.querySelectorAll('#factories-table tr.selected')).map(r => r.dataset.id)");
    assert_eq!(selected, serde_json::json!([chosen.id]), "the map selects the table row");

    // 5. Filters: by verdict, then by district; the map and the table follow.
    let count = |v: &str, d: Option<&str>| {
        rows.iter().filter(|r| r.verdict == v && d.map_or(true, |d| r.district == Some(d))).count()
    };
    let visible_dots = "Array.from(document.querySelectorAll('circle.wm-f')).filter(c => c.style.display !== 'none').length";
    let visible_rows = "Array.from(document.querySelectorAll('#factories-table tbody tr')).filter(r => !r.hidden).length";
    b.eval("(() => { const s = document.getElementById('map-verdict'); s.value = 'must_relocate'; s.dispatchEvent(new Event('change')); })()");
    let expected = count("must_relocate", None);
    assert_eq!(b.eval(visible_dots), expected);
    assert_eq!(b.eval(visible_rows), expected);
    b.eval("(() => { const s = document.getElementById('map-district'); s.value = 'Thủ Dầu Một'; s.dispatchEvent(new Event('change')); })()");
    let expected = count("must_relocate", Some("Thủ Dầu Một"));
    assert!(expected > 0);
    assert_eq!(b.eval(visible_dots), expected);
    assert_eq!(b.eval(visible_rows), expected);
    let flows_shown = b.eval("Array.from(document.querySelectorAll('.wm-flow')).filter(p => p.style.display !== 'none').map(p => p.dataset.origin)");
    let origins = flows_shown.as_array().expect("flows");
    assert!(!origins.is_empty() && origins.iter().all(|o| o == "Thủ Dầu Một"), "{flows_shown}");

    // 6. A screenshot of the map with a factory selected, to look at.
    b.eval("(() => { for (const id of ['map-verdict', 'map-district']) { const s = document.getElementById(id); s.value = ''; s.dispatchEvent(new Event('change')); } })()");
    b.click(&format!("#factories-table tr[data-id=\"{}\"] td:nth-child(2)", chosen.id));
    let png = b.screenshot();
    std::fs::write(out.join("report_map_screenshot.png"), &png).expect("screenshot written");
    let image = tiny_skia::Pixmap::decode_png(&png).expect("screenshot decodes");
    assert_eq!((image.width(), image.height()), (1400, 1000));

    // Nothing went wrong, and the page asked for nothing but itself.
    assert!(b.errors.is_empty(), "console errors: {:#?}", b.errors);
    let outside: Vec<&String> = b.requests.iter().filter(|u| **u != url).collect();
    assert!(outside.is_empty(), "the page made network requests: {outside:?}");
    assert!(b.requests.contains(&url), "the page load itself is seen");
}
