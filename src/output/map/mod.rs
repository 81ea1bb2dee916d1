//! The printable map: SVG drawn by the tool itself, rendered to PNG (resvg) and PDF (svg2pdf).
//!
//! 1. Take the factory, park and move rows from `rows` (the same figures every output writes)
//!    and the metric geometry from `Inputs` (the working CRS, so the scale bar is true metres).
//! 2. Fit districts, parks and factories into the map frame of an A3 landscape page (`page`).
//! 3. Paint in a fixed order — zoning (faint), districts, parks shaded by fill, move lines,
//!    factory dots by verdict (must_relocate on top) (`layers`), then labels placed so they do
//!    not collide (`labels`).
//! 4. Add the north arrow, scale bar and title (`furniture`), and the legend with counts and a
//!    date-free data note (`legend`).
//! 5. Render the SVG with the embedded font (`font`): PNG 2,480 px wide (A3 at 150 dpi) and an
//!    A3 PDF (`render`).
//!
//! Page units are tenths of a millimetre; every coordinate is written with one decimal and every
//! layer is drawn sorted by id, so the same plan gives the same bytes.

mod font;
mod furniture;
mod labels;
mod layers;
mod legend;
mod page;
mod render;

use std::path::Path;

use crate::criteria::Verdict;
use crate::error::{Error, Result};
use crate::model::PlannedUse;
use crate::output::i18n::{term, Term};
use crate::output::rows::{self, FactoryRow, ParkRow};
use crate::pipeline::Plan;
use labels::{Label, Labels};
use page::{Projection, FRAME};

/// Width of `map.png`: A3 landscape at 150 dpi, sharp enough to print and over 2,000 px.
pub const PNG_WIDTH_PX: u32 = 2480;

/// Fill ramp for parks by share of offered land allocated (ColorBrewer Blues, 5 classes):
/// light to dark, so a fuller park reads darker in colour and in grey print.
const FILL_RAMP: [&str; 5] = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
const FILL_LABELS: [&str; 4] = ["≤ 25 %", "25–50 %", "50–75 %", "> 75 %"];
const PARK_OUTLINE: &str = "#08306b";
const OTHER_PARK_FILL: &str = "#e0e0e0";
const OTHER_PARK_OUTLINE: &str = "#9a9a9a";
const DISTRICT_OUTLINE: &str = "#5a5a5a";

/// Verdicts in painting order: the ones that matter most are drawn last, on top.
const VERDICT_ORDER: [Verdict; 4] =
    [Verdict::OutOfScope, Verdict::MayStay, Verdict::Encouraged, Verdict::MustRelocate];

/// Dot colour per verdict: red and amber for the factories that move, teal for those that stay,
/// grey for those outside the scope; distinct in lightness as well, for colour-blind readers.
fn verdict_colour(v: Verdict) -> &'static str {
    match v {
        Verdict::MustRelocate => "#c62828",
        Verdict::Encouraged => "#f29e2e",
        Verdict::MayStay => "#1b9e77",
        Verdict::OutOfScope => "#9e9e9e",
    }
}

/// Move-line colour per verdict: a pale version of the dot colour, so lines stay behind dots.
fn move_colour(v: Verdict) -> &'static str {
    match v {
        Verdict::MustRelocate => "#e6a0a0",
        _ => "#f2cf96",
    }
}

/// Faint fills for planned land use: context only, never competing with parks or dots.
fn zoning_colour(u: PlannedUse) -> &'static str {
    match u {
        PlannedUse::Industrial => "#ece6f2",
        PlannedUse::Residential => "#fbf3d9",
        PlannedUse::Commercial => "#f8e3e1",
        PlannedUse::Mixed => "#f5ebdf",
        PlannedUse::Public => "#e4ecf5",
        PlannedUse::Green => "#e3f0dd",
        PlannedUse::Agricultural => "#eef2e2",
        PlannedUse::Infrastructure => "#ebebeb",
        PlannedUse::Other => "#f3f3f3",
    }
}

/// Writes `map.svg`, `map.png` and `map.pdf` into `dir`; returns the SVG text for the report.
pub fn write_map(plan: &Plan, dir: &Path) -> Result<String> {
    let (factory_rows, park_rows) = rows::plan_rows(plan);
    write_map_with(plan, &factory_rows, &park_rows, dir)
}

/// `write_map` from the plan's rows, computed once by the caller for every writer.
pub fn write_map_with(
    plan: &Plan,
    factory_rows: &[FactoryRow],
    park_rows: &[ParkRow],
    dir: &Path,
) -> Result<String> {
    let svg = map_svg_with(plan, factory_rows, park_rows);
    let tree = render::parse(&svg)?;
    let (png, pdf) = rayon::join(|| render::png(&tree, PNG_WIDTH_PX), || render::pdf(&tree));
    for (name, bytes) in [("map.svg", svg.as_bytes()), ("map.png", &png?), ("map.pdf", &pdf?)] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| Error::io(path, e))?;
    }
    Ok(svg)
}

/// Renders map SVG text as a PNG `width_px` wide, with the embedded font.
pub fn render_png(svg: &str, width_px: u32) -> Result<Vec<u8>> {
    render::png(&render::parse(svg)?, width_px)
}

/// Renders map SVG text as a one-page PDF of the page size the SVG declares.
pub fn render_pdf(svg: &str) -> Result<Vec<u8>> {
    render::pdf(&render::parse(svg)?)
}

/// The map as SVG text (A3 landscape).
pub fn map_svg(plan: &Plan) -> String {
    let (factory_rows, park_rows) = rows::plan_rows(plan);
    map_svg_with(plan, &factory_rows, &park_rows)
}

/// `map_svg` from rows already computed.
pub fn map_svg_with(plan: &Plan, factory_rows: &[FactoryRow], park_rows: &[ParkRow]) -> String {
    let inputs = &plan.assessed.loaded.inputs;
    let settings = &plan.assessed.loaded.settings;
    let lang = settings.lang;
    let destinations = &plan.candidates.destinations;
    // Without a candidates stage every park is a destination: shade them all by fill.
    let is_destination = |park: usize| destinations.is_empty() || destinations.contains(&park);

    let proj = Projection::fit(page::extent(inputs), FRAME);
    let mut labels = Labels::default();
    let mut svg = String::with_capacity(64 * 1024 + factory_rows.len() * 160);

    page::open(&mut svg, &settings.title);
    layers::draw_zoning(&mut svg, inputs, &proj);
    let district_labels = layers::draw_districts(&mut svg, inputs, &proj);
    let other_park_labels =
        layers::draw_parks(&mut svg, lang, inputs, park_rows, &proj, &is_destination, &mut labels);
    // Destination parks are labelled first, then districts, then the other parks if room is left.
    for label in district_labels {
        labels.place_stacked(label);
    }
    for (label, bbox) in other_park_labels {
        labels.place_around(label, bbox, false);
    }
    let roads = rows::road_moves(inputs, &plan.candidates, &plan.allocation);
    layers::draw_moves(&mut svg, inputs, factory_rows, &roads, &proj);
    layers::draw_factories(&mut svg, inputs, factory_rows, &proj);
    if factory_rows.is_empty() && inputs.parks.is_empty() && inputs.districts.is_empty() {
        labels.place_fixed(Label::new(
            FRAME.centre().x,
            FRAME.centre().y,
            60.0,
            term(lang, Term::NoFeatures),
            "#777777",
        ));
    }
    labels.write(&mut svg);
    page::close_body(&mut svg);
    furniture::draw_north_arrow(&mut svg, lang);
    furniture::draw_scale_bar(&mut svg, &proj, lang);
    furniture::draw_title(&mut svg, &settings.title, lang);
    let has_other_parks = (0..inputs.parks.len()).any(|p| !is_destination(p));
    legend::draw_legend(
        &mut svg,
        plan,
        factory_rows,
        park_rows,
        &is_destination,
        has_other_parks,
        lang,
    );
    svg.push_str("</svg>\n");
    svg
}
