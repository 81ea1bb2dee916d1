//! report.html from a hand-built plan: sections, one row per factory, languages, escaping,
//! self-containment and determinism.

use relocate::model::Lang;
use relocate::output::report;

use crate::support::map_fixture::{plan_with, small_plan};

fn html(lang: Lang) -> String {
    let plan = small_plan(lang);
    report::report_html(&plan)
}

#[test]
fn report_has_every_section_and_one_row_per_assessed_factory() {
    // Enough factories that some find no park, so shortfalls and reasons show.
    let plan = plan_with(300, Lang::En, false);
    let html = report::report_html(&plan);
    for id in ["figures", "map", "criteria", "parks", "shortfalls", "factories"] {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "section {id} missing");
    }
    let factories = plan.assessed.assessment.factories.len();
    assert_eq!(html.matches("<tr data-id=").count(), factories);
    assert_eq!(html.matches("<circle class=\"wm-f ").count(), factories, "one dot per factory");
    for text in [
        "Must relocate",
        "Optimality gap",
        "Proven lower bound",
        "Land offered in destination parks",
        "by inspection record",
        "by screening only",
        "Runner-up parks",
        "KCN Cây Trường",
        "every eligible park within 80 km is full",
        "id=\"shortfalls-table\"",
    ] {
        assert!(html.contains(text), "{text} missing from the report");
    }
}

#[test]
fn assigned_factories_list_runner_up_parks_with_distances() {
    let html = html(Lang::En);
    let runners: Vec<&str> = html
        .split("<td class=\"runners\">")
        .skip(1)
        .filter_map(|s| s.split("</td>").next())
        .filter(|s| !s.is_empty())
        .collect();
    assert!(!runners.is_empty(), "no runner-up parks listed");
    assert!(runners.iter().all(|r| r.contains(" km)")), "{runners:?}");
}

#[test]
fn vietnamese_report_has_vietnamese_headings_and_numbers() {
    let html = html(Lang::Vi);
    assert!(html.contains("<html lang=\"vi\">"));
    for text in [
        "Số liệu chính",
        "Tiêu chí di dời",
        "KCN/CCN tiếp nhận",
        "Danh sách cơ sở sản xuất",
        "Tìm kiếm",
        "Buộc phải di dời",
    ] {
        assert!(html.contains(text), "{text} missing from the Vietnamese report");
    }
    assert!(!html.contains("Key figures"));
}

#[test]
fn report_loads_nothing_from_outside() {
    let html = html(Lang::En);
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    for forbidden in ["<link", " src=", "href=\"http", "url(http", "@import", "xlink:href"] {
        assert!(!html.contains(forbidden), "{forbidden} found: the report must be self-contained");
    }
}

#[test]
fn hostile_names_are_harmless_in_the_report() {
    let plan = plan_with(12, Lang::En, true);
    let html = report::report_html(&plan);
    // Our scripts (the page's, the map's and the map's data), and not another.
    assert_eq!(html.matches("<script").count(), 3, "a name opened a script element");
    let data = html.split("id=\"map-data\">").nth(1).and_then(|d| d.split("</script>").next());
    assert!(data.is_some_and(|d| !d.contains('<')), "the map data must not hold a raw <");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Sứ&quot;"));
    assert!(!html.contains('\u{202E}'), "a raw right-to-left override reached the page");
    assert!(html.contains("&#x202E;"), "the override should stay visible as a reference");
    assert!(!html.contains('\u{1}'));
    assert!(html.contains("unicode-bidi: isolate"), "cells must isolate bidirectional text");
}

#[test]
fn same_plan_gives_the_same_report_bytes() {
    let plan = small_plan(Lang::Vi);
    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    report::write_report(&plan, a.path()).expect("first");
    report::write_report(&plan, b.path()).expect("second");
    let x = std::fs::read(a.path().join("report.html")).expect("first");
    let y = std::fs::read(b.path().join("report.html")).expect("second");
    assert!(x == y, "report.html differs between two runs");
}
