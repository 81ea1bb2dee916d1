//! The printable map drawn from a hand-built plan: content, languages, escaping, the reference
//! picture and byte-for-byte determinism of SVG, PNG and PDF.

use std::path::PathBuf;

use relocate::model::Lang;
use relocate::output::map;

use crate::support::map_fixture::{mean_pixel_difference, plan_with, small_plan, HOSTILE_NAME};

/// Width of the reference PNG: small enough to commit, large enough to see the layers.
const REFERENCE_WIDTH_PX: u32 = 840;
/// Mean difference per channel (0–255) tolerated against the reference: anti-aliasing and
/// font hinting may move by a pixel between library versions; a missing layer moves far more.
const SIMILAR: f64 = 2.0;

fn reference_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference/map_small.png")
}

#[test]
fn map_names_districts_and_parks_with_their_diacritics() {
    let svg = map::map_svg(&small_plan(Lang::En));
    for text in
        ["THỦ DẦU MỘT", "BẮC TÂN UYÊN", "KCN Cây Trường", "KCN Bàu Bàng mở rộng", "KCN VSIP I"]
    {
        assert!(svg.contains(text), "{text} missing from the map");
    }
}

#[test]
fn english_map_has_title_legend_scale_bar_north_arrow_and_note() {
    let plan = small_plan(Lang::En);
    let svg = map::map_svg(&plan);
    let settings = &plan.assessed.loaded.settings;
    assert!(svg.contains(&settings.title));
    for text in [
        "Legend",
        "Must relocate (",
        "Encouraged to relocate (",
        "May stay (",
        "Out of scope (",
        "Parks: offered land allocated",
        "Scale 1:",
        "id=\"map-north\"",
        "id=\"map-scale\"",
        "Distances are straight-line, not by road.",
        "Scenario: binh-duong",
        "WGS 84 / UTM zone 48N (EPSG:32648)",
    ] {
        assert!(svg.contains(text), "{text} missing from the map");
    }
    // Date-free: nothing that looks like a year of drawing or a clock.
    assert!(!svg.contains("2026-") && !svg.contains("2025-"), "the map must carry no date");
}

#[test]
fn vietnamese_map_has_vietnamese_legend_and_notes() {
    let svg = map::map_svg(&small_plan(Lang::Vi));
    for text in [
        "Chú giải",
        "Buộc phải di dời (",
        "Khuyến khích di dời (",
        "Được ở lại (",
        "Tỷ lệ 1:",
        "Khoảng cách tính theo đường thẳng",
        "PHƯƠNG ÁN DI DỜI — BẢN ĐỒ",
        ">B<",
    ] {
        assert!(svg.contains(text), "{text} missing from the Vietnamese map");
    }
    assert!(!svg.contains("Legend"));
}

#[test]
fn every_factory_is_one_dot_of_its_verdict_colour() {
    let plan = small_plan(Lang::En);
    let svg = map::map_svg(&plan);
    let assessed = &plan.assessed.assessment.factories;
    for verdict in ["must_relocate", "encouraged", "may_stay", "out_of_scope"] {
        let expected = assessed.iter().filter(|a| a.verdict.as_str() == verdict).count();
        // Each dot is one closed subpath of its verdict's path.
        let dots = svg
            .lines()
            .find(|l| l.starts_with(&format!("<path class=\"map-factories {verdict}\"")))
            .map(|l| l.matches('M').count())
            .unwrap_or(0);
        assert_eq!(dots, expected, "{verdict}");
        assert!(svg.contains(&format!("({expected})")), "legend count for {verdict}");
    }
}

#[test]
fn hostile_names_are_escaped_in_the_svg() {
    let plan = plan_with(12, Lang::En, true);
    let svg = map::map_svg(&plan);
    assert!(!svg.contains("<script>"), "raw markup leaked into the SVG");
    assert!(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Sứ&quot;"));
    assert!(!svg.contains('\u{1}'), "a control character XML forbids reached the SVG");
    assert!(!svg.contains('\u{202E}'), "a bidirectional override reached a map label");
    // The SVG still parses and renders.
    let png = map::render_png(&svg, 400).expect("the escaped SVG renders");
    assert!(!png.is_empty());
    assert!(HOSTILE_NAME.contains('<'));
}

#[test]
fn png_matches_the_reference_picture() {
    let svg = map::map_svg(&small_plan(Lang::En));
    let png = map::render_png(&svg, REFERENCE_WIDTH_PX).expect("renders");
    let path = reference_path();
    if std::env::var_os("UPDATE_REFERENCE").is_some() {
        // CI compares against the committed picture; it never writes a new one.
        assert!(
            std::env::var_os("CI").is_none(),
            "UPDATE_REFERENCE is refused under CI: re-bless the reference on a workstation"
        );
        std::fs::write(&path, &png).expect("writes the reference");
    }
    let reference = std::fs::read(&path).expect("tests/reference/map_small.png is committed");
    let diff = mean_pixel_difference(&png, &reference);
    assert!(diff < SIMILAR, "map differs from the reference by {diff:.2} per channel");
}

#[test]
fn the_similarity_check_notices_a_different_map() {
    // Guards the reference test: a map with other factories and no moves must not pass as similar.
    let reference = std::fs::read(reference_path()).expect("reference committed");
    let mut plan = plan_with(300, Lang::Vi, false);
    plan.allocation.assignments.clear();
    let svg = map::map_svg(&plan);
    let png = map::render_png(&svg, REFERENCE_WIDTH_PX).expect("renders");
    let diff = mean_pixel_difference(&png, &reference);
    assert!(diff >= SIMILAR, "a different map passed as similar ({diff:.2})");
}

#[test]
fn write_map_gives_svg_a_wide_png_and_an_a3_pdf() {
    let dir = tempfile::tempdir().expect("temp dir");
    let svg = map::write_map(&small_plan(Lang::En), dir.path()).expect("map written");
    assert_eq!(std::fs::read_to_string(dir.path().join("map.svg")).expect("svg"), svg);
    let png = std::fs::read(dir.path().join("map.png")).expect("png");
    let decoded = tiny_skia::Pixmap::decode_png(&png).expect("png decodes");
    assert!(decoded.width() >= 2000, "map.png is {} px wide", decoded.width());
    assert!(decoded.width() > decoded.height(), "landscape");
    let pdf = std::fs::read(dir.path().join("map.pdf")).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf);
    let media_box: Vec<f64> = text
        .split("/MediaBox [")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .map(|nums| nums.split_whitespace().filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default();
    // A3 landscape: 420 × 297 mm = 1190.55 × 841.89 pt.
    assert_eq!(media_box.len(), 4, "no MediaBox");
    assert!(
        (media_box[2] - 1190.55).abs() < 0.1 && (media_box[3] - 841.89).abs() < 0.1,
        "{media_box:?}"
    );
    assert!(text.contains("DejaVuSans"), "the font is not embedded in the PDF");
    assert!(!text.contains("CreationDate"), "the PDF must not carry a timestamp");
}

#[test]
fn same_plan_gives_identical_svg_png_and_pdf_bytes() {
    let plan = small_plan(Lang::Vi);
    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    map::write_map(&plan, a.path()).expect("first render");
    // Several renders: svg2pdf keeps resources in hash maps, whose order changes with each
    // map's random keys; one lucky repeat would prove nothing.
    for _ in 0..4 {
        map::write_map(&plan, b.path()).expect("second render");
        for name in ["map.svg", "map.png", "map.pdf"] {
            let x = std::fs::read(a.path().join(name)).expect("first");
            let y = std::fs::read(b.path().join(name)).expect("second");
            assert!(x == y, "{name} differs between two renders of the same plan");
        }
    }
}

#[test]
fn a_vietnamese_map_writes_park_fill_with_a_decimal_comma() {
    let svg = map::map_svg(&small_plan(Lang::Vi));
    let fills: Vec<&str> = svg
        .split("<title>")
        .skip(1)
        .filter_map(|t| t.split("</title>").next())
        .filter_map(|t| t.strip_suffix(" %"))
        .filter_map(|t| t.rsplit(" · ").next())
        .collect();
    assert!(!fills.is_empty(), "no park fill in the map's tooltips");
    for fill in fills {
        assert!(
            fill.contains(',') && !fill.contains('.'),
            "{fill} is not written the Vietnamese way"
        );
    }
}

/// The `<path class="map-flow" …>` elements of a map: (factories, stroke width).
fn flow_paths(svg: &str) -> Vec<(usize, f64)> {
    svg.lines()
        .filter(|l| l.starts_with("<path class=\"map-flow\""))
        .map(|l| {
            let attr = |name: &str| {
                l.split(&format!(" {name}=\""))
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .unwrap_or("")
            };
            (
                attr("data-factories").parse().expect("count"),
                attr("stroke-width").parse().expect("width"),
            )
        })
        .collect()
}

#[test]
fn moves_are_drawn_as_one_flow_per_origin_district_and_park_widths_by_count() {
    let plan = plan_with(300, Lang::En, false);
    let svg = map::map_svg(&plan);
    let rows = relocate::output::rows::factory_rows(
        &plan.assessed.loaded.inputs,
        &plan.assessed.assessment,
        Some(&plan.allocation),
    );
    // Counted here from the rows, not from the flows module.
    let mut pairs = std::collections::BTreeMap::new();
    for r in rows.iter().filter(|r| r.park.is_some()) {
        *pairs.entry((r.district.expect("district"), r.park.expect("park"))).or_insert(0usize) += 1;
    }
    let flows = flow_paths(&svg);
    assert_eq!(flows.len(), pairs.len(), "one flow per origin district and park");
    let mut expected: Vec<usize> = pairs.values().copied().collect();
    let mut drawn: Vec<usize> = flows.iter().map(|f| f.0).collect();
    expected.sort_unstable();
    drawn.sort_unstable();
    assert_eq!(drawn, expected, "each flow carries its factories");
    assert!(flows.iter().all(|f| f.1 > 0.0));
    for a in &flows {
        for b in &flows {
            if a.0 > b.0 {
                assert!(a.1 >= b.1, "a flow of {} is thinner than one of {}", a.0, b.0);
            }
        }
    }
    let (max, min) = (
        flows.iter().map(|f| f.1).fold(0.0, f64::max),
        flows.iter().map(|f| f.1).fold(f64::MAX, f64::min),
    );
    assert!(max > 3.0 * min, "widths must tell flows apart ({min}..{max})");
    // No single move lines, and the legend explains the widths.
    assert!(!svg.contains("class=\"map-moves\""));
    assert!(svg.contains("Moves, from origin district to park"));
    let largest = expected.last().copied().unwrap_or(0);
    assert!(svg.contains(&format!(">{largest} factories<")), "legend width for the largest flow");
    assert!(svg.contains("Width and label: factories in the flow."));
    // Each flow is labelled with its count.
    let labels = svg.split("id=\"map-labels\"").nth(1).unwrap_or("");
    for n in &expected {
        assert!(labels.contains(&format!(">{n}</text>")), "no label {n}");
    }
}

#[test]
fn map_moves_lines_draws_one_line_per_move() {
    let mut plan = plan_with(300, Lang::En, false);
    plan.assessed.loaded.settings.map_moves = relocate::scenario::MapMoves::Lines;
    let svg = map::map_svg(&plan);
    let moves = plan.allocation.assignments.iter().filter(|a| a.park.is_some()).count();
    let lines: usize = svg
        .lines()
        .filter(|l| l.starts_with("<path class=\"map-moves\""))
        .map(|l| l.matches('M').count())
        .sum();
    assert_eq!(lines, moves, "one line per move");
    assert!(flow_paths(&svg).is_empty(), "no flows with --map-moves lines");
    assert!(svg.contains("Move to the assigned park (straight line)"));
}

#[test]
fn verdict_colours_on_the_map_are_the_palettes() {
    let svg = map::map_svg(&small_plan(Lang::En));
    for v in relocate::output::palette::VERDICTS {
        let colour = relocate::output::palette::verdict(v).hex();
        assert!(
            svg.contains(&format!(
                "<path class=\"map-factories {}\" fill=\"{colour}\"",
                v.as_str()
            )) || !svg.contains(&format!("map-factories {}", v.as_str())),
            "{v:?} dots are not {colour}"
        );
    }
}
