//! The printable map: SVG drawn by the tool itself, rendered to PNG (resvg) and PDF (svg2pdf).
//!
//! 1. Take the factory, park and move rows from `rows` (the same figures every output writes)
//!    and the metric geometry from `Inputs` (the working CRS, so the scale bar is true metres).
//! 2. Fit districts, parks and factories into the map frame of an A3 landscape page (`page`).
//! 3. Paint in a fixed order — zoning (faint), districts, parks shaded by fill, factory dots by
//!    verdict (must_relocate on top) and the moves: by default one curved flow per origin area
//!    and park over the dots, width by factories, from `output::flows`; with `--map-moves lines`
//!    one pale line per factory under the dots (`layers`). Then labels placed so they do not
//!    collide (`labels`): parks, districts, then the flows' counts.
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
use crate::output::flows::{self, FlowRow};
use crate::output::i18n::{term, Term};
use crate::output::palette;
use crate::output::rows::{self, FactoryRow, ParkRow};
use crate::pipeline::Plan;
use crate::scenario::MapMoves;
use labels::{Label, Labels};
use page::{Projection, FRAME};

/// Width of `map.png`: A3 landscape at 150 dpi, sharp enough to print and over 2,000 px.
pub const PNG_WIDTH_PX: u32 = 2480;

/// Fill ramp for parks by share of offered land allocated (the palette's, light to dark), so
/// a fuller park reads darker in colour and in grey print.
fn fill_ramp(class: usize) -> String {
    palette::PARK_FILL.get(class).copied().unwrap_or(palette::PARK_FILL[0]).hex()
}
const FILL_LABELS: [&str; 4] = ["≤ 25 %", "25–50 %", "50–75 %", "> 75 %"];
fn park_outline() -> String {
    palette::PARK_OUTLINE.hex()
}
const OTHER_PARK_FILL: &str = "#e0e0e0";
const OTHER_PARK_OUTLINE: &str = "#9a9a9a";
const DISTRICT_OUTLINE: &str = "#5a5a5a";

/// Verdicts in painting order: the ones that matter most are drawn last, on top.
const VERDICT_ORDER: [Verdict; 4] =
    [Verdict::OutOfScope, Verdict::MayStay, Verdict::Encouraged, Verdict::MustRelocate];

/// Dot colour per verdict, from the palette (colour-blind safe, the same as QGIS and the report).
fn verdict_colour(v: Verdict) -> String {
    palette::verdict(v).hex()
}

/// Individual move-line colour per verdict: a pale version of the dot colour, so lines stay
/// behind dots.
fn move_colour(v: Verdict) -> String {
    palette::verdict(v).paler(0.55).hex()
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
    let flow_rows = flows::flow_rows(&plan.assessed.loaded.inputs, &factory_rows);
    write_map_with(plan, &factory_rows, &park_rows, &flow_rows, dir)
}

/// `write_map` from the plan's rows, computed once by the caller for every writer.
pub fn write_map_with(
    plan: &Plan,
    factory_rows: &[FactoryRow],
    park_rows: &[ParkRow],
    flow_rows: &[FlowRow],
    dir: &Path,
) -> Result<String> {
    let svg = map_svg_with(plan, factory_rows, park_rows, flow_rows);
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
    let flow_rows = flows::flow_rows(&plan.assessed.loaded.inputs, &factory_rows);
    map_svg_with(plan, &factory_rows, &park_rows, &flow_rows)
}

/// `map_svg` from rows already computed.
pub fn map_svg_with(
    plan: &Plan,
    factory_rows: &[FactoryRow],
    park_rows: &[ParkRow],
    flow_rows: &[FlowRow],
) -> String {
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
    // Single lines go under the dots; flows, the map's message, over them.
    match settings.map_moves {
        MapMoves::Flows => {
            layers::draw_factories(&mut svg, inputs, factory_rows, &proj);
            layers::draw_flows(&mut svg, lang, flow_rows, &proj, &mut labels);
        }
        MapMoves::Lines => {
            let roads = rows::road_moves(inputs, &plan.candidates, &plan.allocation);
            let lines = layers::move_lines(inputs, factory_rows, &roads);
            layers::draw_move_lines(&mut svg, &lines, factory_rows.len(), &proj);
            layers::draw_factories(&mut svg, inputs, factory_rows, &proj);
        }
    }
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
    legend::draw_legend(&mut svg, plan, factory_rows, park_rows, flow_rows, &is_destination, lang);
    svg.push_str("</svg>\n");
    svg
}
