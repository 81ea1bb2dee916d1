//! The printable map: SVG drawn by the tool itself, rendered to PNG (resvg) and PDF (svg2pdf).
//!
//! 1. Take the factory, park and move rows from `rows` (the same figures every output writes)
//!    and the metric geometry from `Inputs` (the working CRS, so the scale bar is true metres).
//! 2. Fit districts, parks and factories into the map frame of an A3 landscape page.
//! 3. Paint in a fixed order — zoning (faint), districts, parks shaded by fill, move lines,
//!    factory dots by verdict (must_relocate on top), then labels placed so they do not collide.
//! 4. Add the title, legend with counts, scale bar, north arrow and a date-free data note.
//! 5. Render the SVG with the embedded font: PNG 2,480 px wide (A3 at 150 dpi) and an A3 PDF.
//!
//! Page units are tenths of a millimetre; every coordinate is written with one decimal and every
//! layer is drawn sorted by id, so the same plan gives the same bytes.

mod font;
pub(crate) mod markup;
mod render;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use geo::{BoundingRect, Coord, InteriorPoint, MultiPolygon, Rect};

use crate::criteria::Verdict;
use crate::error::{Error, Result};
use crate::model::Lang;
use crate::model::{Inputs, PlannedUse};
use crate::output::i18n::{self, term, Term};
use crate::output::rows::{self, FactoryRow, ParkRow};
use crate::pipeline::Plan;

pub use markup::escape;

/// Width of `map.png`: A3 landscape at 150 dpi, sharp enough to print and over 2,000 px.
pub const PNG_WIDTH_PX: u32 = 2480;

/// Page size in tenths of a millimetre: A3 landscape.
const PAGE_W: f64 = 4200.0;
const PAGE_H: f64 = 2970.0;
const MARGIN: f64 = 100.0;
/// The map frame: left part of the page under the title.
const FRAME: Box2 = Box2 { x0: MARGIN, y0: 390.0, x1: 3020.0, y1: PAGE_H - MARGIN };
/// The legend panel on the right.
const PANEL_X0: f64 = 3100.0;
const PANEL_X1: f64 = PAGE_W - MARGIN;

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

    let proj = Projection::fit(extent(inputs), FRAME);
    let mut labels = Labels::default();
    let mut svg = String::with_capacity(64 * 1024 + factory_rows.len() * 160);

    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="420mm" height="297mm" viewBox="0 0 {w} {h}" font-family="{font}" role="img" aria-labelledby="map-title">
<title id="map-title">{title}</title>
<rect width="{w}" height="{h}" fill="#ffffff"/>
<g id="map-body">
<rect x="{fx}" y="{fy}" width="{fw}" height="{fh}" fill="#fbfbf8"/>
"##,
        w = PAGE_W,
        h = PAGE_H,
        font = font::FAMILY,
        title = markup::svg_line(&settings.title),
        fx = markup::c(FRAME.x0),
        fy = markup::c(FRAME.y0),
        fw = markup::c(FRAME.width()),
        fh = markup::c(FRAME.height()),
    );

    draw_zoning(&mut svg, inputs, &proj);
    let district_labels = draw_districts(&mut svg, inputs, &proj);
    let other_park_labels =
        draw_parks(&mut svg, inputs, park_rows, &proj, &is_destination, &mut labels);
    // Destination parks are labelled first, then districts, then the other parks if room is left.
    for label in district_labels {
        labels.place_stacked(label);
    }
    for (label, bbox) in other_park_labels {
        labels.place_around(label, bbox, false);
    }
    draw_moves(&mut svg, inputs, factory_rows, &proj);
    draw_factories(&mut svg, inputs, factory_rows, &proj);
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
    svg.push_str("</g>\n");
    // Paper-white bands hide whatever the layers draw beyond the frame. A clip path would do
    // the same, but costs the PNG renderer a whole extra layer the size of the page.
    let _ = writeln!(
        svg,
        r##"<path id="map-margin" fill="#ffffff" fill-rule="evenodd" d="M0 0H{w}V{h}H0ZM{x0} {y0}V{y1}H{x1}V{y0}Z"/>"##,
        w = PAGE_W,
        h = PAGE_H,
        x0 = markup::c(FRAME.x0),
        y0 = markup::c(FRAME.y0),
        x1 = markup::c(FRAME.x1),
        y1 = markup::c(FRAME.y1),
    );
    let _ = writeln!(
        svg,
        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#333333" stroke-width="4"/>"##,
        markup::c(FRAME.x0),
        markup::c(FRAME.y0),
        markup::c(FRAME.width()),
        markup::c(FRAME.height())
    );
    draw_north_arrow(&mut svg, lang);
    draw_scale_bar(&mut svg, &proj, lang);
    draw_title(&mut svg, &settings.title, lang);
    let has_other_parks = (0..inputs.parks.len()).any(|p| !is_destination(p));
    draw_legend(&mut svg, plan, factory_rows, park_rows, &is_destination, has_other_parks, lang);
    svg.push_str("</svg>\n");
    svg
}

// ---------------------------------------------------------------------------------------------
// Geometry: from the metric working CRS to the page.

#[derive(Clone, Copy, Debug, PartialEq)]
struct Box2 {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Box2 {
    fn width(&self) -> f64 {
        self.x1 - self.x0
    }
    fn height(&self) -> f64 {
        self.y1 - self.y0
    }
    fn centre(&self) -> Coord<f64> {
        Coord { x: (self.x0 + self.x1) / 2.0, y: (self.y0 + self.y1) / 2.0 }
    }
    fn overlaps(&self, other: &Box2) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
    fn inside(&self, outer: &Box2) -> bool {
        self.x0 >= outer.x0 && self.x1 <= outer.x1 && self.y0 >= outer.y0 && self.y1 <= outer.y1
    }
}

/// The extent to show, in metres: districts, parks and factories together.
fn extent(inputs: &Inputs) -> Option<Rect<f64>> {
    let areas = inputs
        .districts
        .iter()
        .map(|d| &d.area)
        .chain(inputs.parks.iter().map(|p| &p.area))
        .filter_map(|a| a.bounding_rect());
    let points = inputs.factories.iter().map(|f| Rect::new(f.location.0, f.location.0));
    areas
        .chain(points)
        .filter(|r| {
            r.min().x.is_finite()
                && r.min().y.is_finite()
                && r.max().x.is_finite()
                && r.max().y.is_finite()
        })
        .reduce(|a, b| {
            Rect::new(
                Coord { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                Coord { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        })
}

/// Metres in the working CRS → page units, same scale on both axes (so the scale bar holds
/// everywhere) and north up.
#[derive(Clone, Copy, Debug)]
struct Projection {
    /// Page units per metre.
    scale: f64,
    centre_m: Coord<f64>,
    centre_page: Coord<f64>,
}

impl Projection {
    /// Least extent shown, metres: a single factory still gets a readable neighbourhood.
    const MIN_SPAN_M: f64 = 2_000.0;
    /// Blank border kept around the data, as a share of the frame.
    const PADDING: f64 = 0.05;

    fn fit(extent: Option<Rect<f64>>, frame: Box2) -> Projection {
        let (centre_m, span_x, span_y) = match extent {
            Some(r) => (r.center(), r.width(), r.height()),
            None => (Coord { x: 0.0, y: 0.0 }, 0.0, 0.0),
        };
        let span_x = span_x.max(Self::MIN_SPAN_M);
        let span_y = span_y.max(Self::MIN_SPAN_M);
        let usable = 1.0 - 2.0 * Self::PADDING;
        let scale = (frame.width() * usable / span_x).min(frame.height() * usable / span_y);
        Projection { scale, centre_m, centre_page: frame.centre() }
    }

    fn page(&self, c: Coord<f64>) -> Coord<f64> {
        Coord {
            x: self.centre_page.x + (c.x - self.centre_m.x) * self.scale,
            y: self.centre_page.y - (c.y - self.centre_m.y) * self.scale,
        }
    }

    /// Appends the rings of `area` as closed subpaths, dropping vertices closer than a tenth of
    /// a millimetre to the previous one (invisible in print, and it keeps big boundaries small).
    fn path(&self, out: &mut String, area: &MultiPolygon<f64>) {
        const MIN_STEP: f64 = 1.0;
        for polygon in area {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                let mut last: Option<Coord<f64>> = None;
                let mut count = 0;
                for c in ring.coords() {
                    let p = self.page(*c);
                    if let Some(l) = last {
                        if (p.x - l.x).abs() < MIN_STEP && (p.y - l.y).abs() < MIN_STEP {
                            continue;
                        }
                    }
                    out.push(if count == 0 { 'M' } else { 'L' });
                    out.push_str(&markup::c(p.x));
                    out.push(' ');
                    out.push_str(&markup::c(p.y));
                    last = Some(p);
                    count += 1;
                }
                if count > 0 {
                    out.push('Z');
                }
            }
        }
    }

    fn bbox(&self, area: &MultiPolygon<f64>) -> Option<Box2> {
        let r = area.bounding_rect()?;
        let a = self.page(r.min());
        let b = self.page(r.max());
        Some(Box2 { x0: a.x.min(b.x), y0: a.y.min(b.y), x1: a.x.max(b.x), y1: a.y.max(b.y) })
    }
}

// ---------------------------------------------------------------------------------------------
// Layers.

fn draw_zoning(svg: &mut String, inputs: &Inputs, proj: &Projection) {
    if inputs.zoning.is_empty() {
        return;
    }
    svg.push_str("<g id=\"map-zoning\" stroke=\"none\" fill-rule=\"evenodd\">\n");
    // One path per planned use, in vocabulary order: fewer elements, same picture.
    for use_ in PlannedUse::ALL {
        let mut d = String::new();
        for zone in inputs.zoning.iter().filter(|z| z.planned_use == *use_) {
            proj.path(&mut d, &zone.area);
        }
        if !d.is_empty() {
            let _ = writeln!(svg, r#"<path fill="{}" d="{d}"/>"#, zoning_colour(*use_));
        }
    }
    svg.push_str("</g>\n");
}

/// Draws the district outlines; returns their name labels, to be placed once parks are known.
fn draw_districts(svg: &mut String, inputs: &Inputs, proj: &Projection) -> Vec<Label> {
    if inputs.districts.is_empty() {
        return Vec::new();
    }
    let mut districts: Vec<_> = inputs.districts.iter().collect();
    districts.sort_by(|a, b| a.name.cmp(&b.name));
    let mut d = String::new();
    for district in &districts {
        proj.path(&mut d, &district.area);
    }
    let _ = writeln!(
        svg,
        r#"<path id="map-districts" fill="none" stroke="{DISTRICT_OUTLINE}" stroke-width="5" stroke-linejoin="round" stroke-dasharray="24 8 4 8" d="{d}"/>"#
    );
    districts
        .iter()
        .filter_map(|district| {
            let at = proj.page(district.area.interior_point()?.0);
            let mut label =
                Label::new(at.x, at.y + 20.0, 52.0, &district.name.to_uppercase(), "#6e6e6e");
            label.spacing = 5.0;
            Some(label)
        })
        .collect()
}

fn fill_class(fill_pct: f64) -> usize {
    if fill_pct <= 0.0 {
        0
    } else if fill_pct <= 25.0 {
        1
    } else if fill_pct <= 50.0 {
        2
    } else if fill_pct <= 75.0 {
        3
    } else {
        4
    }
}

fn draw_parks(
    svg: &mut String,
    inputs: &Inputs,
    park_rows: &[ParkRow],
    proj: &Projection,
    is_destination: &dyn Fn(usize) -> bool,
    labels: &mut Labels,
) -> Vec<(Label, Box2)> {
    svg.push_str(
        "<g id=\"map-parks\" stroke-width=\"3\" stroke-linejoin=\"round\" fill-rule=\"evenodd\">\n",
    );
    // Destination parks' labels first: they may push the others out. Each is shown even where
    // it must overlap, unless there are so many that overlapping labels would bury the map.
    let must_show = park_rows.iter().filter(|r| is_destination(r.park)).count() <= LABEL_ALL_MAX;
    let mut later = Vec::new();
    for row in park_rows {
        let Some(park) = inputs.parks.get(row.park) else { continue };
        let destination = is_destination(row.park);
        let (fill, stroke) = if destination {
            (FILL_RAMP.get(fill_class(row.fill_pct)).copied().unwrap_or(FILL_RAMP[0]), PARK_OUTLINE)
        } else {
            (OTHER_PARK_FILL, OTHER_PARK_OUTLINE)
        };
        let mut d = String::new();
        proj.path(&mut d, &park.area);
        let _ = writeln!(
            svg,
            r#"<path fill="{fill}" stroke="{stroke}" d="{d}"><title>{} · {} %</title></path>"#,
            markup::svg_line(&row.name),
            i18n::number(Lang::En, row.fill_pct, 1)
        );
        let (Some(anchor), Some(bbox)) = (park.area.interior_point(), proj.bbox(&park.area)) else {
            continue;
        };
        let at = proj.page(anchor.0);
        labels.obstacles.push(bbox);
        if destination {
            let text = format!("{} · {} %", row.name, i18n::number(Lang::En, row.fill_pct, 0));
            labels.place_around(Label::new(at.x, at.y, 34.0, &text, PARK_OUTLINE), bbox, must_show);
        } else {
            later.push((Label::new(at.x, at.y, 28.0, &row.name, "#707070"), bbox));
        }
    }
    svg.push_str("</g>\n");
    later
}

/// Destination parks labelled whatever the overlap, at most; beyond, only labels with room.
const LABEL_ALL_MAX: usize = 60;

/// Beyond this many factories the map draws one dot per occupied cell the size of a dot, and
/// one move line per origin cell (four dots wide) and park: at print scale it looks the same
/// (the dots and lines it leaves out lie under the ones drawn), while the SVG, PNG and PDF stay
/// small and quick to render. The report's table, the CSV and the GeoPackage keep every
/// factory.
const DETAIL_MAX: usize = 20_000;

/// Cells already drawn, when the map is thinned (see `DETAIL_MAX`).
struct Thinning {
    cell: f64,
    on: bool,
    drawn: HashSet<(i64, i64, usize)>,
}

impl Thinning {
    fn new(factories: usize, cell: f64) -> Thinning {
        Thinning { cell, on: factories > DETAIL_MAX, drawn: HashSet::new() }
    }

    /// Whether something at page point `p` (with `key`, e.g. the destination park) is still to
    /// be drawn.
    fn first(&mut self, p: Coord<f64>, key: usize) -> bool {
        !self.on
            || self.drawn.insert((
                (p.x / self.cell).floor() as i64,
                (p.y / self.cell).floor() as i64,
                key,
            ))
    }
}

fn draw_moves(svg: &mut String, inputs: &Inputs, factory_rows: &[FactoryRow], proj: &Projection) {
    // Lines end inside the park, where `rows::move_rows` ends the `moves` layer.
    let ends: Vec<Option<Coord<f64>>> = inputs
        .parks
        .iter()
        .map(|p| rows::interior_point(&p.area).map(|e| proj.page(e.0)))
        .collect();
    for verdict in [Verdict::Encouraged, Verdict::MustRelocate] {
        let mut d = String::new();
        // Lines from neighbouring cells to one park lie almost on top of each other: a coarser
        // grid than the dots' keeps the fan of flows and drops most of the overdraw.
        let mut thin = Thinning::new(factory_rows.len(), 4.0 * dot_radius(factory_rows.len()));
        for row in factory_rows.iter().filter(|r| r.verdict_kind == verdict) {
            let (Some(factory), Some(park)) = (inputs.factories.get(row.factory), row.park) else {
                continue;
            };
            let Some(b) = ends.get(park).copied().flatten() else { continue };
            let a = proj.page(factory.location.0);
            if !thin.first(a, park) {
                continue;
            }
            let _ = write!(
                d,
                "M{} {}L{} {}",
                markup::c(a.x),
                markup::c(a.y),
                markup::c(b.x),
                markup::c(b.y)
            );
        }
        if !d.is_empty() {
            let _ = writeln!(
                svg,
                r#"<path class="map-moves" fill="none" stroke="{}" stroke-width="2.5" stroke-linecap="round" d="{d}"/>"#,
                move_colour(verdict)
            );
        }
    }
}

/// Dot radius in page units: smaller when there are many factories, so clusters stay legible.
fn dot_radius(count: usize) -> f64 {
    if count > 500 {
        8.0
    } else {
        13.0
    }
}

fn draw_factories(
    svg: &mut String,
    inputs: &Inputs,
    factory_rows: &[FactoryRow],
    proj: &Projection,
) {
    let r = dot_radius(factory_rows.len());
    let (rs, ds) = (markup::c(r), markup::c(2.0 * r));
    for verdict in VERDICT_ORDER {
        // One path per verdict, each dot a closed subpath: thousands of separate elements would
        // cost the renderers several times more, and the report's table carries the details.
        let mut d = String::new();
        let mut thin = Thinning::new(factory_rows.len(), r);
        for row in factory_rows.iter().filter(|r| r.verdict_kind == verdict) {
            let Some(factory) = inputs.factories.get(row.factory) else { continue };
            let p = proj.page(factory.location.0);
            if !thin.first(p, 0) {
                continue;
            }
            let _ = write!(
                d,
                "M{} {}a{rs} {rs} 0 1 0 {ds} 0a{rs} {rs} 0 1 0 -{ds} 0Z",
                markup::c(p.x - r),
                markup::c(p.y)
            );
        }
        if !d.is_empty() {
            let _ = writeln!(
                svg,
                "<path class=\"map-factories {}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"1.5\" d=\"{d}\"/>",
                verdict.as_str(),
                verdict_colour(verdict)
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Labels: greedy placement against the labels already placed.

#[derive(Clone, Debug)]
struct Label {
    x: f64,
    /// Baseline.
    y: f64,
    size: f64,
    text: String,
    fill: String,
    anchor: &'static str,
    /// Extra space between letters (district names), page units.
    spacing: f64,
}

impl Label {
    fn new(x: f64, y: f64, size: f64, text: &str, fill: &str) -> Label {
        Label {
            x,
            y,
            size,
            text: text.split_whitespace().collect::<Vec<_>>().join(" "),
            fill: fill.to_string(),
            anchor: "middle",
            spacing: 0.0,
        }
    }

    fn width(&self) -> f64 {
        font::text_width(&self.text, self.size) + self.spacing * self.text.chars().count() as f64
    }

    fn bbox(&self) -> Box2 {
        let w = self.width();
        let x0 = match self.anchor {
            "start" => self.x,
            "end" => self.x - w,
            _ => self.x - w / 2.0,
        };
        // Room for Vietnamese stacked marks above and descenders below.
        Box2 { x0, y0: self.y - 0.95 * self.size, x1: x0 + w, y1: self.y + 0.3 * self.size }
    }
}

#[derive(Default)]
struct Labels {
    placed: Vec<Label>,
    /// Page boxes labels should not cover (park outlines), besides other labels.
    obstacles: Vec<Box2>,
}

impl Labels {
    fn place_fixed(&mut self, label: Label) {
        self.placed.push(label);
    }

    fn is_clear(&self, b: &Box2, own: Option<&Box2>) -> bool {
        b.inside(&FRAME)
            && !self.placed.iter().any(|p| p.bbox().overlaps(b))
            && !self.obstacles.iter().filter(|o| Some(*o) != own).any(|o| o.overlaps(b))
    }

    /// A park's label: inside the outline when it fits there, else above, below, right or left
    /// of it; the first spot inside the frame that clears the labels and parks placed so far.
    /// A label that must be shown takes the first spot inside the frame when none is clear
    /// (or its first spot at all); the others are dropped.
    fn place_around(&mut self, label: Label, around: Box2, must_show: bool) {
        let gap = 10.0;
        let mid_y = label.y + 0.35 * label.size;
        let centred = Label { y: mid_y, ..label.clone() };
        let fits_inside = centred.bbox().inside(&around);
        let mut spots = vec![
            (label.x, around.y0 - gap, "middle"),
            (label.x, around.y1 + gap + 0.95 * label.size, "middle"),
            (around.x1 + gap, mid_y, "start"),
            (around.x0 - gap, mid_y, "end"),
        ];
        spots.insert(if fits_inside { 0 } else { spots.len() }, (label.x, mid_y, "middle"));
        let candidates: Vec<Label> = spots
            .iter()
            .map(|(x, y, anchor)| Label { x: *x, y: *y, anchor, ..label.clone() })
            .collect();
        let clear = candidates
            .iter()
            .find(|c| self.is_clear(&c.bbox(), if fits_inside { Some(&around) } else { None }));
        let chosen = match clear {
            Some(c) => Some(c.clone()),
            None if must_show => {
                candidates.iter().find(|c| c.bbox().inside(&FRAME)).or(candidates.first()).cloned()
            }
            None => None,
        };
        if let Some(c) = chosen {
            self.placed.push(c);
        }
    }

    /// A district name: at its interior point, else moved up or down (then sideways) in steps
    /// until it clears parks and labels; always shown.
    fn place_stacked(&mut self, label: Label) {
        let step_y = 1.2 * label.size;
        let step_x = 0.3 * label.width();
        let rows = [0.0, -1.0, 1.0, -2.0, 2.0, -3.0, 3.0];
        let columns = [0.0, -1.0, 1.0];
        let candidates: Vec<Label> = columns
            .iter()
            .flat_map(|kx| rows.iter().map(move |ky| (*kx, *ky)))
            .map(|(kx, ky)| Label {
                x: label.x + kx * step_x,
                y: label.y + ky * step_y,
                ..label.clone()
            })
            .collect();
        let chosen =
            candidates.iter().find(|c| self.is_clear(&c.bbox(), None)).cloned().unwrap_or(label);
        self.placed.push(chosen);
    }

    /// Each label twice: a white halo under the letters, then the letters, so names stay
    /// readable over lines and dots (as separate elements, because PDF text ignores paint-order).
    fn write(&self, svg: &mut String) {
        svg.push_str("<g id=\"map-labels\">\n");
        for l in &self.placed {
            let spacing = if l.spacing > 0.0 {
                format!(r#" letter-spacing="{}""#, markup::c(l.spacing))
            } else {
                String::new()
            };
            let common = format!(
                r#"x="{}" y="{}" font-size="{}" text-anchor="{}"{spacing}"#,
                markup::c(l.x),
                markup::c(l.y),
                markup::c(l.size),
                l.anchor
            );
            let text = markup::svg_line(&l.text);
            let _ = writeln!(
                svg,
                r##"<text {common} fill="#ffffff" stroke="#ffffff" stroke-width="{}" stroke-linejoin="round">{text}</text>"##,
                markup::c(l.size * 0.22)
            );
            let _ = writeln!(svg, r#"<text {common} fill="{}">{text}</text>"#, l.fill);
        }
        svg.push_str("</g>\n");
    }
}

// ---------------------------------------------------------------------------------------------
// Map furniture.

fn draw_title(svg: &mut String, title: &str, lang: Lang) {
    let width = PAGE_W - 2.0 * MARGIN;
    let kicker = term(lang, Term::MapKicker).to_uppercase();
    // Shrink a long title before cutting it: every word of a scenario title matters.
    let mut size: f64 = 100.0;
    let flat = title.split_whitespace().collect::<Vec<_>>().join(" ");
    while size > 60.0 && font::text_width(&flat, size) > width {
        size -= 5.0;
    }
    let shown = font::fit(&flat, size, width);
    let _ = write!(
        svg,
        r##"<g id="map-heading">
<text x="{m}" y="175" font-size="42" letter-spacing="4" fill="#666666">{kicker}</text>
<text x="{m}" y="295" font-size="{size}" fill="#111111" stroke="#111111" stroke-width="1.5">{title}</text>
<rect x="{m}" y="335" width="{w}" height="4" fill="#333333"/>
</g>
"##,
        m = markup::c(MARGIN),
        kicker = markup::svg_line(&kicker),
        size = markup::c(size),
        title = markup::svg_line(&shown),
        w = markup::c(width),
    );
}

fn draw_north_arrow(svg: &mut String, lang: Lang) {
    let cx = FRAME.x1 - 110.0;
    let cy = FRAME.y0 + 150.0;
    let _ = write!(
        svg,
        r##"<g id="map-north">
<circle cx="{cx}" cy="{cyc}" r="85" fill="#ffffff" stroke="#999999" stroke-width="2"/>
<path d="M{cx} {top}L{l} {base}L{cx} {notch}Z" fill="#222222"/>
<path d="M{cx} {top}L{r} {base}L{cx} {notch}Z" fill="#ffffff" stroke="#222222" stroke-width="3" stroke-linejoin="round"/>
<text x="{cx}" y="{ty}" font-size="40" text-anchor="middle" fill="#222222">{n}</text>
</g>
"##,
        cx = markup::c(cx),
        cyc = markup::c(cy + 5.0),
        top = markup::c(cy - 35.0),
        l = markup::c(cx - 32.0),
        r = markup::c(cx + 32.0),
        base = markup::c(cy + 60.0),
        notch = markup::c(cy + 38.0),
        ty = markup::c(cy - 42.0),
        n = markup::svg_line(term(lang, Term::NorthLetter)),
    );
}

/// The longest 1, 2 or 5 × 10ⁿ metres not over `max_m`.
fn nice_length_m(max_m: f64) -> f64 {
    if !(max_m.is_finite() && max_m > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(max_m.log10().floor());
    [5.0, 2.0, 1.0].into_iter().map(|k| k * magnitude).find(|l| *l <= max_m).unwrap_or(magnitude)
}

/// `value` rounded to three significant figures, for the scale ratio.
fn three_figures(value: f64) -> f64 {
    if !(value.is_finite() && value > 0.0) {
        return 0.0;
    }
    let magnitude = 10f64.powf(value.log10().floor() - 2.0);
    (value / magnitude).round() * magnitude
}

fn draw_scale_bar(svg: &mut String, proj: &Projection, lang: Lang) {
    // At most a fifth of the frame wide; true length measured in the metric working CRS.
    let length_m = nice_length_m(FRAME.width() * 0.2 / proj.scale);
    let bar = length_m * proj.scale;
    let (unit, divisor) = if length_m >= 1000.0 { ("km", 1000.0) } else { ("m", 1.0) };
    let x0 = FRAME.x0 + 60.0;
    let y = FRAME.y1 - 110.0;
    let label =
        |v: f64| i18n::number(lang, v / divisor, if (v / divisor).fract() == 0.0 { 0 } else { 1 });
    // Page units are 0.1 mm, so one metre on the ground is `scale` × 0.1 mm on paper.
    let denominator = three_figures(10_000.0 / proj.scale);
    let ratio = term(lang, Term::ScaleAtA3).replace("{n}", &i18n::number(lang, denominator, 0));
    let box_w = (bar + 120.0).max(font::text_width(&ratio, 28.0) + 60.0);
    let _ = write!(
        svg,
        r##"<g id="map-scale">
<rect x="{bx}" y="{by}" width="{bw}" height="150" fill="#ffffff" stroke="#999999" stroke-width="2"/>
"##,
        bx = markup::c(x0 - 30.0),
        by = markup::c(y - 80.0),
        bw = markup::c(box_w),
    );
    for i in 0..4 {
        let fill = if i % 2 == 0 { "#222222" } else { "#ffffff" };
        let _ = writeln!(
            svg,
            r##"<rect x="{}" y="{}" width="{}" height="16" fill="{fill}" stroke="#222222" stroke-width="2"/>"##,
            markup::c(x0 + bar * f64::from(i) / 4.0),
            markup::c(y - 16.0),
            markup::c(bar / 4.0),
        );
    }
    for (at, v) in [(0.0, 0.0), (0.5, length_m / 2.0), (1.0, length_m)] {
        let text = if at == 1.0 { format!("{} {unit}", label(v)) } else { label(v) };
        let _ = writeln!(
            svg,
            r##"<text x="{}" y="{}" font-size="30" text-anchor="middle" fill="#222222">{}</text>"##,
            markup::c(x0 + bar * at),
            markup::c(y - 30.0),
            markup::svg_line(&text)
        );
    }
    let _ = write!(
        svg,
        r##"<text x="{}" y="{}" font-size="28" fill="#444444">{}</text>
</g>
"##,
        markup::c(x0),
        markup::c(y + 40.0),
        markup::svg_line(&ratio)
    );
}

/// Writes legend rows top to bottom from `y`.
struct Panel<'a> {
    svg: &'a mut String,
    y: f64,
}

impl Panel<'_> {
    const TEXT: f64 = 32.0;
    const ROW: f64 = 52.0;
    const LABEL_X: f64 = PANEL_X0 + 90.0;

    fn heading(&mut self, text: &str) {
        self.y += 40.0;
        let _ = writeln!(
            self.svg,
            r##"<text x="{}" y="{}" font-size="36" fill="#111111" stroke="#111111" stroke-width="0.6">{}</text>"##,
            markup::c(PANEL_X0),
            markup::c(self.y),
            markup::svg_line(&font::fit(text, 36.0, PANEL_X1 - PANEL_X0))
        );
        self.y += 30.0;
    }

    /// A legend row: `symbol` is drawn in the 70-unit square left of the label, centred on
    /// the row's middle line, which the closure receives.
    fn row(&mut self, symbol: impl FnOnce(&mut String, f64), label: &str) {
        let mid = self.y + Self::ROW / 2.0;
        symbol(self.svg, mid);
        let _ = writeln!(
            self.svg,
            r##"<text x="{}" y="{}" font-size="{}" fill="#222222">{}</text>"##,
            markup::c(Self::LABEL_X),
            markup::c(mid + 0.36 * Self::TEXT),
            markup::c(Self::TEXT),
            markup::svg_line(&font::fit(label, Self::TEXT, PANEL_X1 - Self::LABEL_X))
        );
        self.y += Self::ROW;
    }

    fn text_block(&mut self, text: &str, size: f64, fill: &str) {
        for line in font::wrap(text, size, PANEL_X1 - PANEL_X0) {
            self.y += size * 1.3;
            let _ = writeln!(
                self.svg,
                r#"<text x="{}" y="{}" font-size="{}" fill="{fill}">{}</text>"#,
                markup::c(PANEL_X0),
                markup::c(self.y),
                markup::c(size),
                markup::svg_line(&line)
            );
        }
    }
}

fn swatch(fill: &'static str, stroke: &'static str) -> impl FnOnce(&mut String, f64) {
    move |svg: &mut String, mid: f64| {
        let _ = writeln!(
            svg,
            r#"<rect x="{}" y="{}" width="70" height="38" fill="{fill}" stroke="{stroke}" stroke-width="3"/>"#,
            markup::c(PANEL_X0),
            markup::c(mid - 19.0)
        );
    }
}

fn draw_legend(
    svg: &mut String,
    plan: &Plan,
    factory_rows: &[FactoryRow],
    park_rows: &[ParkRow],
    is_destination: &dyn Fn(usize) -> bool,
    has_other_parks: bool,
    lang: Lang,
) {
    let inputs = &plan.assessed.loaded.inputs;
    let settings = &plan.assessed.loaded.settings;
    svg.push_str("<g id=\"map-legend\">\n");
    let mut panel = Panel { svg, y: FRAME.y0 + 20.0 };
    let _ = writeln!(
        panel.svg,
        r##"<text x="{}" y="{}" font-size="52" fill="#111111" stroke="#111111" stroke-width="1">{}</text>"##,
        markup::c(PANEL_X0),
        markup::c(panel.y + 30.0),
        markup::svg_line(term(lang, Term::Legend))
    );
    panel.y += 50.0;

    panel.heading(term(lang, Term::FactoriesByVerdict));
    for verdict in VERDICT_ORDER.iter().rev() {
        let count = factory_rows.iter().filter(|r| r.verdict_kind == *verdict).count();
        let label =
            format!("{} ({})", i18n::verdict(lang, *verdict), i18n::number(lang, count as f64, 0));
        let colour = verdict_colour(*verdict);
        panel.row(
            |svg, mid| {
                let _ = writeln!(
                    svg,
                    r##"<circle cx="{}" cy="{}" r="16" fill="{colour}" stroke="#ffffff" stroke-width="2"/>"##,
                    markup::c(PANEL_X0 + 35.0),
                    markup::c(mid)
                );
            },
            &label,
        );
    }
    panel.row(
        |svg, mid| {
            let _ = writeln!(
                svg,
                r#"<path d="M{} {}L{} {}" stroke="{}" stroke-width="6" stroke-linecap="round"/>"#,
                markup::c(PANEL_X0 + 2.0),
                markup::c(mid + 12.0),
                markup::c(PANEL_X0 + 68.0),
                markup::c(mid - 12.0),
                move_colour(Verdict::MustRelocate)
            );
        },
        term(lang, Term::MoveLine),
    );

    panel.heading(term(lang, Term::ParksByFill));
    let fill_labels =
        std::iter::once(term(lang, Term::FillNone)).chain(FILL_LABELS.iter().copied());
    for (fill, label) in FILL_RAMP.iter().zip(fill_labels) {
        panel.row(swatch(fill, PARK_OUTLINE), label);
    }
    if has_other_parks {
        panel
            .row(swatch(OTHER_PARK_FILL, OTHER_PARK_OUTLINE), term(lang, Term::ParkNotDestination));
    }
    if !inputs.districts.is_empty() {
        panel.row(
            |svg, mid| {
                let _ = writeln!(
                    svg,
                    r#"<path d="M{} {}H{}" stroke="{DISTRICT_OUTLINE}" stroke-width="5" stroke-dasharray="24 8 4 8"/>"#,
                    markup::c(PANEL_X0),
                    markup::c(mid),
                    markup::c(PANEL_X0 + 70.0)
                );
            },
            term(lang, Term::DistrictOutline),
        );
    }

    let uses: Vec<PlannedUse> = PlannedUse::ALL
        .iter()
        .copied()
        .filter(|u| inputs.zoning.iter().any(|z| z.planned_use == *u))
        .collect();
    if !uses.is_empty() {
        panel.heading(term(lang, Term::Zoning));
        // Two columns: zoning is context, it should not take the panel.
        let half = (PANEL_X1 - PANEL_X0) / 2.0;
        for pair in uses.chunks(2) {
            let mid = panel.y + 22.0;
            for (i, u) in pair.iter().enumerate() {
                let x = PANEL_X0 + half * i as f64;
                let _ = writeln!(
                    panel.svg,
                    r##"<rect x="{}" y="{}" width="50" height="30" fill="{}" stroke="#bbbbbb" stroke-width="2"/><text x="{}" y="{}" font-size="28" fill="#222222">{}</text>"##,
                    markup::c(x),
                    markup::c(mid - 15.0),
                    zoning_colour(*u),
                    markup::c(x + 65.0),
                    markup::c(mid + 10.0),
                    markup::svg_line(&font::fit(i18n::planned_use(lang, *u), 28.0, half - 75.0))
                );
            }
            panel.y += 44.0;
        }
    }

    panel.heading(term(lang, Term::PlanInFigures));
    let assigned = factory_rows.iter().filter(|r| r.status == "assigned").count();
    let unassigned = factory_rows.iter().filter(|r| r.status == "unassigned").count();
    let allocated: f64 = park_rows.iter().map(|p| p.allocated_ha).sum();
    let offered: f64 =
        park_rows.iter().filter(|p| is_destination(p.park)).map(|p| p.available_ha).sum();
    for line in [
        format!("{}: {}", term(lang, Term::Assigned), i18n::number(lang, assigned as f64, 0)),
        format!("{}: {}", term(lang, Term::Unassigned), i18n::number(lang, unassigned as f64, 0)),
        term(lang, Term::LandAllocatedOf).replace("{n}", &i18n::number(lang, allocated, 1)),
        term(lang, Term::LandOffered).replace("{n}", &i18n::number(lang, offered, 1)),
    ] {
        panel.text_block(&line, 30.0, "#222222");
    }

    // The data note sits at the foot of the panel; it is measured first so it ends on the frame's
    // bottom line whatever its length.
    let crs = format!("{} (EPSG:{})", inputs.working_crs.name, inputs.working_crs.epsg);
    let note = [
        term(lang, Term::NoteScenario).replace("{n}", &settings.name),
        term(lang, Term::NoteSource).replace("{n}", &settings.scenario_shown),
        term(lang, Term::NoteStraightLine).to_string(),
        term(lang, Term::NoteCrs).replace("{n}", &crs),
        term(lang, Term::NoteTool).replace("{n}", env!("CARGO_PKG_VERSION")),
    ];
    let size = 24.0;
    let lines: usize = note.iter().map(|t| font::wrap(t, size, PANEL_X1 - PANEL_X0).len()).sum();
    let top = FRAME.y1 - lines as f64 * size * 1.3 - 10.0;
    panel.y = panel.y.max(top);
    let _ = writeln!(
        panel.svg,
        r##"<rect x="{}" y="{}" width="{}" height="2" fill="#999999"/>"##,
        markup::c(PANEL_X0),
        markup::c(panel.y - 10.0),
        markup::c(PANEL_X1 - PANEL_X0)
    );
    for text in &note {
        panel.text_block(text, size, "#555555");
    }
    panel.svg.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_maps_draw_one_mark_per_cell_and_small_maps_every_one() {
        let p = |x, y| Coord { x, y };
        let mut small = Thinning::new(DETAIL_MAX, 8.0);
        assert!(small.first(p(1.0, 1.0), 0) && small.first(p(2.0, 2.0), 0));
        let mut large = Thinning::new(DETAIL_MAX + 1, 8.0);
        assert!(large.first(p(1.0, 1.0), 0));
        assert!(!large.first(p(7.9, 0.1), 0), "same cell, same park");
        assert!(large.first(p(7.9, 0.1), 1), "same cell, another park");
        assert!(large.first(p(8.1, 0.1), 0), "next cell");
    }

    #[test]
    fn scale_bar_lengths_are_round_numbers() {
        assert_eq!(nice_length_m(12_345.0), 10_000.0);
        assert_eq!(nice_length_m(2_600.0), 2_000.0);
        assert_eq!(nice_length_m(560.0), 500.0);
        assert_eq!(nice_length_m(0.0), 1.0);
    }

    #[test]
    fn scale_ratio_keeps_three_figures() {
        assert_eq!(three_figures(243_567.0), 244_000.0);
        assert_eq!(three_figures(1_234.0), 1_230.0);
    }

    #[test]
    fn fuller_parks_fall_in_darker_classes() {
        assert_eq!(fill_class(0.0), 0);
        assert_eq!(fill_class(0.1), 1);
        assert_eq!(fill_class(25.0), 1);
        assert_eq!(fill_class(50.1), 3);
        assert_eq!(fill_class(100.0), 4);
    }

    #[test]
    fn projection_keeps_north_up_and_one_scale() {
        let extent = Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 10_000.0, y: 5_000.0 });
        let p = Projection::fit(Some(extent), FRAME);
        let a = p.page(Coord { x: 0.0, y: 0.0 });
        let b = p.page(Coord { x: 10_000.0, y: 5_000.0 });
        assert!(b.y < a.y, "north must be up");
        assert!(((b.x - a.x) / 10_000.0 - (a.y - b.y) / 5_000.0).abs() < 1e-9);
        assert!(b.x - a.x <= FRAME.width());
    }

    #[test]
    fn labels_avoid_each_other() {
        let mut labels = Labels::default();
        let park = Box2 { x0: 1000.0, y0: 1000.0, x1: 1100.0, y1: 1100.0 };
        labels.place_around(Label::new(1050.0, 1050.0, 34.0, "Cây Trường", "#000"), park, true);
        labels.place_around(Label::new(1050.0, 1050.0, 34.0, "Bàu Bàng", "#000"), park, true);
        let [a, b] = &labels.placed[..] else { panic!("two labels expected") };
        assert!(!a.bbox().overlaps(&b.bbox()));
    }
}
