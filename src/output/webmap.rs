//! The report's interactive map: plain SVG drawn here and a small inlined script
//! (`assets/report/map.js`), offline, no library.
//!
//! 1. Project lon/lat onto an SVG canvas (equirectangular, a degree of longitude shortened by the
//!    cosine of the mean latitude: true shapes at province scale), districts, parks shaded by
//!    fill (the palette's classes) and the flows (`output::flows`).
//! 2. Up to `DETAIL_MAX` factories: one dot each, coloured by verdict; beyond, one disc per
//!    grid cell, its area by the factories in it and its colour by the most urgent verdict held
//!    by a quarter of them or more (a million dots would freeze any browser).
//! 3. The data the script shows on a click goes in one JSON block: per factory its verdict,
//!    evidence, park, runner-up parks and parks ruled out with the reasons `relocate explain`
//!    gives (`output::alternatives`, the same as `relocate explain`); per park its fill and figures.
//!
//! Coordinates are written with one decimal on a canvas `WIDTH` units wide and every layer in a
//! fixed order, so the same plan gives the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use geo::{BoundingRect, Coord, Rect};
use serde::Serialize;

use crate::criteria::Verdict;
use crate::model::Lang;
use crate::output::alternatives;
use crate::output::flows::{self, FlowRow};
use crate::output::i18n::{self, term, Term};
use crate::output::markup::{self, escape};
use crate::output::palette;
use crate::output::rows::{FactoryRow, ParkRow};
use crate::pipeline::Plan;

/// The script behind the map: pan, zoom, clicks, filters, table selection.
pub const SCRIPT: &str = include_str!("../../assets/report/map.js");

/// Beyond this many factories the map draws grid cells instead of one dot each.
pub const DETAIL_MAX: usize = 20_000;

/// Canvas width in SVG units.
const WIDTH: f64 = 2000.0;
/// Canvas height at most, so a north–south province still fits the screen.
const HEIGHT_MAX: f64 = 1600.0;
/// Padding around the data, canvas units.
const PAD: f64 = 30.0;
/// Grid cells across the canvas in aggregated mode.
const CELLS_ACROSS: f64 = 90.0;
/// Parks ruled out listed per factory: the nearest reasons, not every park of the province.
const RULED_OUT_MAX: usize = 5;
/// Runner-up parks listed per factory, as in the table.
const RUNNERS_UP: usize = 3;
/// Widest flow, canvas units.
const FLOW_WIDTH_MAX: f64 = 16.0;

/// Lon/lat → canvas.
struct Canvas {
    lon0: f64,
    lat1: f64,
    k: f64,
    scale: f64,
    height: f64,
}

impl Canvas {
    fn fit(extent: Option<Rect<f64>>) -> Canvas {
        let Some(r) = extent else {
            return Canvas { lon0: 0.0, lat1: 0.0, k: 1.0, scale: 1.0, height: 600.0 };
        };
        let k = r.center().y.to_radians().cos().max(0.01);
        let span_x = (r.width() * k).max(1e-6);
        let span_y = r.height().max(1e-6);
        let scale = ((WIDTH - 2.0 * PAD) / span_x).min((HEIGHT_MAX - 2.0 * PAD) / span_y);
        let height = (span_y * scale + 2.0 * PAD).max(300.0);
        // Centre the data horizontally when the height was the limit.
        let used_x = span_x * scale;
        let lon0 = r.min().x - ((WIDTH - used_x) / 2.0) / scale / k;
        let lat1 = r.max().y + ((height - span_y * scale) / 2.0) / scale;
        Canvas { lon0, lat1, k, scale, height }
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        ((lon - self.lon0) * self.k * self.scale, (self.lat1 - lat) * self.scale)
    }

    fn at(&self, c: Coord<f64>) -> (f64, f64) {
        self.xy(c.x, c.y)
    }
}

fn extent(plan: &Plan) -> Option<Rect<f64>> {
    let inputs = &plan.assessed.loaded.inputs;
    let areas = inputs
        .districts
        .iter()
        .map(|d| &d.area_lonlat)
        .chain(inputs.parks.iter().map(|p| &p.area_lonlat))
        .filter_map(|a| a.bounding_rect());
    let points =
        inputs.factories.iter().map(|f| Rect::new(f.location_lonlat.0, f.location_lonlat.0));
    areas.chain(points).filter(|r| r.min().x.is_finite() && r.max().y.is_finite()).reduce(|a, b| {
        Rect::new(
            Coord { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
            Coord { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
        )
    })
}

/// One factory as the script shows it (short keys: thousands of them).
#[derive(Serialize)]
struct FactoryData<'a> {
    id: &'a str,
    name: &'a str,
    /// District index into `Data::districts`, -1 for none.
    d: i64,
    /// Verdict code and label.
    v: &'static str,
    vl: &'static str,
    /// Criteria met, basis, evidence.
    c: &'a str,
    b: &'static str,
    e: &'a str,
    /// Status label.
    s: &'static str,
    /// Destination park index, -1 for none.
    p: i64,
    km: Option<f64>,
    yr: Option<i32>,
    /// Runner-up parks: [park index, cost, why not].
    ru: Vec<(usize, String, String)>,
    /// Parks ruled out: [park index, why].
    ro: Vec<(usize, String)>,
    /// Unassigned reason.
    ur: &'a str,
    /// Position on the canvas.
    x: f64,
    y: f64,
}

#[derive(Serialize)]
struct ParkData<'a> {
    id: &'a str,
    name: &'a str,
    fill: f64,
    alloc: f64,
    avail: f64,
    n: usize,
    emp: u64,
    dest: bool,
}

#[derive(Serialize)]
struct Data<'a> {
    mode: &'static str,
    lang: &'static str,
    districts: Vec<&'a str>,
    parks: Vec<ParkData<'a>>,
    f: Vec<FactoryData<'a>>,
    /// Aggregated mode: per cell [x, y, must_relocate, encouraged, may_stay, out_of_scope].
    cells: Vec<[f64; 6]>,
    /// Factories in the plan (the JSON may list fewer).
    total: usize,
    t: BTreeMap<&'static str, &'static str>,
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn fill_class(fill_pct: f64) -> usize {
    if fill_pct <= 0.0 {
        0
    } else {
        ((fill_pct / 25.0).ceil() as usize).clamp(1, palette::PARK_FILL.len() - 1)
    }
}

fn verdict_index(v: Verdict) -> usize {
    palette::VERDICTS.iter().position(|x| *x == v).unwrap_or(0)
}

/// Writes the map section: the controls, the SVG, the side panel, the legend and the data.
/// `listed` are the factories of the report's table (all of them up to its cap): in aggregated
/// mode only they carry details, so a click on a table row still shows one.
pub fn section<'r, 'a>(
    h: &mut String,
    plan: &Plan,
    factory_rows: &'r [FactoryRow<'a>],
    park_rows: &[ParkRow],
    flow_rows: &[FlowRow],
    listed: &[&'r FactoryRow<'a>],
) {
    let settings = &plan.assessed.loaded.settings;
    let inputs = &plan.assessed.loaded.inputs;
    let lang = settings.lang;
    let canvas = Canvas::fit(extent(plan));
    let detail = factory_rows.len() <= DETAIL_MAX;
    let destinations = &plan.candidates.destinations;
    let is_destination = |p: usize| destinations.is_empty() || destinations.contains(&p);

    let mut districts: Vec<&str> = inputs.districts.iter().map(|d| d.name.as_str()).collect();
    for r in factory_rows {
        if let Some(d) = r.district {
            districts.push(d);
        }
    }
    districts.sort_unstable();
    districts.dedup();
    let district_index = |d: Option<&str>| -> i64 {
        d.and_then(|d| districts.binary_search(&d).ok()).map_or(-1, |i| i as i64)
    };

    // Controls.
    let _ = write!(
        h,
        "<section id=\"map\">\n<h2>{}</h2>\n<div class=\"wm-tools\" id=\"wm-tools\">\n<label>{} <select id=\"map-verdict\"><option value=\"\">{}</option>",
        escape(term(lang, Term::Map)),
        escape(term(lang, Term::Verdict)),
        escape(term(lang, Term::FilterAll))
    );
    for v in palette::VERDICTS {
        let _ = write!(
            h,
            "<option value=\"{}\">{}</option>",
            v.as_str(),
            escape(i18n::verdict(lang, v))
        );
    }
    let _ = write!(
        h,
        "</select></label>\n<label>{} <select id=\"map-district\"><option value=\"\">{}</option>",
        escape(term(lang, Term::District)),
        escape(term(lang, Term::FilterAll))
    );
    for d in &districts {
        let _ = write!(h, "<option value=\"{0}\">{0}</option>", escape(d));
    }
    let _ = write!(
        h,
        "</select></label>\n<button type=\"button\" id=\"wm-zoom-in\" aria-label=\"{zi}\">+</button><button type=\"button\" id=\"wm-zoom-out\" aria-label=\"{zo}\">−</button><button type=\"button\" id=\"wm-reset\">{reset}</button>\n<span class=\"hint\" id=\"wm-status\"></span>\n</div>\n",
        zi = escape(term(lang, Term::ZoomIn)),
        zo = escape(term(lang, Term::ZoomOut)),
        reset = escape(term(lang, Term::ZoomReset)),
    );

    // The SVG.
    let _ = write!(
        h,
        "<div class=\"wm-wrap\">\n<svg id=\"webmap\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" data-mode=\"{}\" role=\"img\" aria-label=\"{}\">\n<g id=\"wm-view\">\n",
        markup::c(WIDTH),
        markup::c(canvas.height),
        if detail { "dots" } else { "cells" },
        escape(&settings.title)
    );
    let xy = |lon: f64, lat: f64| canvas.xy(lon, lat);
    if !inputs.districts.is_empty() {
        h.push_str("<g id=\"wm-districts\">\n");
        let mut ds: Vec<_> = inputs.districts.iter().collect();
        ds.sort_by(|a, b| a.name.cmp(&b.name));
        for d in ds {
            let _ = writeln!(
                h,
                "<path class=\"wm-district\" vector-effect=\"non-scaling-stroke\" stroke-width=\"1.2\" d=\"{}\"><title>{}</title></path>",
                markup::svg_path(&d.area_lonlat, xy),
                escape(&d.name)
            );
        }
        h.push_str("</g>\n");
    }
    h.push_str("<g id=\"wm-parks\">\n");
    for row in park_rows {
        let Some(park) = inputs.parks.get(row.park) else { continue };
        let dest = is_destination(row.park);
        let fill = if dest {
            format!(
                " fill=\"{}\"",
                palette::PARK_FILL
                    .get(fill_class(row.fill_pct))
                    .copied()
                    .unwrap_or(palette::PARK_FILL[0])
                    .hex()
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            h,
            "<path class=\"wm-park{}\" data-p=\"{}\"{fill} vector-effect=\"non-scaling-stroke\" stroke-width=\"1.2\" d=\"{}\"><title>{} · {} %</title></path>",
            if dest { "" } else { " other" },
            row.park,
            markup::svg_path(&park.area_lonlat, xy),
            escape(&row.name),
            i18n::number(lang, row.fill_pct, 1)
        );
    }
    h.push_str("</g>\n<g id=\"wm-flows\">\n");
    let max = flow_rows.iter().map(|f| f.factories).max().unwrap_or(0).max(1);
    let mut order: Vec<&FlowRow> = flow_rows.iter().collect();
    order.sort_by(|a, b| {
        b.factories.cmp(&a.factories).then(a.origin.cmp(&b.origin)).then(a.park_id.cmp(&b.park_id))
    });
    for f in order {
        let (ax, ay) = canvas.at(f.from_lonlat);
        let (bx, by) = canvas.at(f.to_lonlat);
        // Bend on the canvas (y down): the control point of the flow in a y-up plane, flipped.
        let c = flows::control_point(Coord { x: ax, y: -ay }, Coord { x: bx, y: -by });
        let width = (FLOW_WIDTH_MAX * f.factories as f64 / max as f64).max(1.0);
        let _ = writeln!(
            h,
            "<path class=\"wm-flow\" data-origin=\"{}\" data-p=\"{}\" data-n=\"{}\" vector-effect=\"non-scaling-stroke\" stroke-width=\"{}\" d=\"M{} {}Q{} {} {} {}\"><title>{} → {}: {}</title></path>",
            escape(&f.origin),
            f.park,
            f.factories,
            markup::c(width),
            markup::c(ax),
            markup::c(ay),
            markup::c(c.x),
            markup::c(-c.y),
            markup::c(bx),
            markup::c(by),
            escape(&f.origin),
            escape(&f.park_name),
            i18n::number(lang, f.factories as f64, 0)
        );
    }
    h.push_str("</g>\n");

    // Factories, or cells.
    let detail_of = |r: &'r FactoryRow<'a>| factory_data(plan, &canvas, r, &district_index);
    let mut data_f = Vec::new();
    let mut cells = Vec::new();
    if detail {
        h.push_str("<g id=\"wm-factories\">\n");
        // Most urgent drawn last, on top; the data keeps the table's order by index.
        let mut drawn: Vec<(usize, usize, &FactoryRow)> = Vec::new();
        for r in factory_rows {
            if let Some(d) = detail_of(r) {
                drawn.push((data_f.len(), verdict_index(r.verdict_kind), r));
                data_f.push(d);
            }
        }
        drawn.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (i, _, r) in drawn {
            let Some(d) = data_f.get(i) else { continue };
            let _ = writeln!(
                h,
                "<circle class=\"wm-f {}\" data-i=\"{i}\" cx=\"{}\" cy=\"{}\"><title>{} · {}</title></circle>",
                r.verdict,
                markup::c(d.x),
                markup::c(d.y),
                escape(r.id),
                escape(r.name)
            );
        }
        h.push_str("</g>\n");
    } else {
        let cell = WIDTH / CELLS_ACROSS;
        let mut grid: BTreeMap<(i64, i64), [f64; 6]> = BTreeMap::new();
        for r in factory_rows {
            let Some(factory) = inputs.factories.get(r.factory) else { continue };
            let (x, y) = canvas.at(factory.location_lonlat.0);
            let key = ((x / cell).floor() as i64, (y / cell).floor() as i64);
            let e = grid.entry(key).or_insert([0.0; 6]);
            e[0] += x;
            e[1] += y;
            if let Some(n) = e.get_mut(2 + verdict_index(r.verdict_kind)) {
                *n += 1.0;
            }
        }
        let most = grid.values().map(|c| c[2] + c[3] + c[4] + c[5]).fold(1.0, f64::max);
        h.push_str("<g id=\"wm-cells\">\n");
        for (i, c) in grid.values().enumerate() {
            let n = c[2] + c[3] + c[4] + c[5];
            let (x, y) = (round1(c[0] / n), round1(c[1] / n));
            // The most urgent verdict a quarter of the cell's factories or more share.
            let v = palette::VERDICTS
                .iter()
                .enumerate()
                .find(|(k, _)| c.get(2 + k).copied().unwrap_or(0.0) >= n / 4.0)
                .map_or(Verdict::OutOfScope, |(_, v)| *v);
            let r = (cell * 0.9 * (n / most).sqrt()).max(1.5);
            let _ = writeln!(
                h,
                "<circle class=\"wm-cell {}\" data-c=\"{i}\" cx=\"{}\" cy=\"{}\" r=\"{}\"><title>{}</title></circle>",
                v.as_str(),
                markup::c(x),
                markup::c(y),
                markup::c(r),
                i18n::number(lang, n, 0)
            );
            cells.push([x, y, c[2], c[3], c[4], c[5]]);
        }
        h.push_str("</g>\n");
        data_f = listed.iter().filter_map(|r| detail_of(r)).collect();
    }
    h.push_str("<circle id=\"wm-sel\" cx=\"-100\" cy=\"-100\" r=\"10\" vector-effect=\"non-scaling-stroke\" stroke-width=\"2.5\"/>\n</g>\n</svg>\n");
    let _ = write!(
        h,
        "<aside id=\"wm-panel\" aria-live=\"polite\"><p class=\"hint\">{}</p></aside>\n</div>\n<ul class=\"wm-legend\">",
        escape(term(lang, if detail { Term::MapClickHint } else { Term::MapCellsHint }))
    );
    for v in palette::VERDICTS {
        let _ = write!(
            h,
            "<li><i style=\"background: var(--v-{})\"></i>{}</li>",
            v.as_str(),
            escape(i18n::verdict(lang, v))
        );
    }
    let _ = writeln!(
        h,
        "<li><i class=\"flow\"></i>{}</li></ul>",
        escape(term(lang, Term::MapFlowLegend))
    );

    let parks: Vec<ParkData> = inputs
        .parks
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let row = park_rows.iter().find(|r| r.park == i);
            ParkData {
                id: &p.id,
                name: &p.name,
                fill: row.map_or(0.0, |r| r.fill_pct),
                alloc: row.map_or(0.0, |r| r.allocated_ha),
                avail: row.map_or(p.available_ha, |r| r.available_ha),
                n: row.map_or(0, |r| r.factories_count),
                emp: row.map_or(0, |r| r.employees_count),
                dest: is_destination(i),
            }
        })
        .collect();
    let data = Data {
        mode: if detail { "dots" } else { "cells" },
        lang: crate::output::report::lang_code(lang),
        districts,
        parks,
        f: data_f,
        cells,
        total: factory_rows.len(),
        t: panel_words(lang, crate::output::report::by_road(plan)),
    };
    let json = script_json(&serde_json::to_string(&data).unwrap_or_else(|_| "{}".to_string()));
    let _ = write!(
        h,
        "<script type=\"application/json\" id=\"map-data\">{json}</script>\n</section>\n"
    );
}

/// JSON text made safe inside a `<script>` element: `<` escaped, so no text in the data can
/// close the element, and bidirectional controls escaped, so none reaches the page raw (the
/// script still reads them back as the characters they are).
fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// What the panel shows of one factory.
fn factory_data<'r>(
    plan: &Plan,
    canvas: &Canvas,
    r: &'r FactoryRow,
    district_index: &dyn Fn(Option<&str>) -> i64,
) -> Option<FactoryData<'r>> {
    let lang = plan.assessed.loaded.settings.lang;
    let factory = plan.assessed.loaded.inputs.factories.get(r.factory)?;
    let (x, y) = canvas.at(factory.location_lonlat.0);
    let alt = if r.verdict_kind.relocates() {
        alternatives::alternatives(plan, r.factory, r.park)
    } else {
        alternatives::Alternatives::default()
    };
    Some(FactoryData {
        id: r.id,
        name: r.name,
        d: district_index(r.district),
        v: r.verdict,
        vl: i18n::verdict(lang, r.verdict_kind),
        c: &r.criteria,
        b: r.basis,
        e: &r.evidence,
        s: i18n::status(lang, r.status),
        p: r.park.map_or(-1, |p| p as i64),
        km: r.distance_km.map(|v| (v * 10.0).round() / 10.0),
        yr: r.move_year,
        ru: alt.runners_up.into_iter().take(RUNNERS_UP).map(|a| (a.park, a.cost, a.why)).collect(),
        ro: alt.ruled_out.into_iter().take(RULED_OUT_MAX).map(|a| (a.park, a.why)).collect(),
        ur: r.unassigned_reason.unwrap_or(""),
        x: round1(x),
        y: round1(y),
    })
}

/// The words of the side panel, in the run's language.
fn panel_words(lang: Lang, road: bool) -> BTreeMap<&'static str, &'static str> {
    let mut t = BTreeMap::new();
    for (k, term_) in [
        ("verdict", Term::Verdict),
        ("criteria", Term::CriteriaMet),
        ("basis", Term::Basis),
        ("evidence", Term::Evidence),
        ("status", Term::Status),
        ("park", Term::Destination),
        ("km", crate::output::i18n::distance_words(road).0),
        ("year", Term::MoveYear),
        ("runners", Term::RunnersUp),
        ("ruled", Term::RuledOut),
        ("reason", Term::UnassignedReason),
        ("district", Term::District),
        ("fill", Term::FillPct),
        ("alloc", Term::AllocatedHa),
        ("avail", Term::AvailableHa),
        ("count", Term::FactoriesCount),
        ("workers", Term::Workers),
        ("factories", Term::FactoriesHeading),
        ("more", Term::MapMore),
        ("shown", Term::MapShown),
        ("table", Term::MapShowInTable),
        ("cell", Term::MapCell),
    ] {
        t.insert(k, term(lang, term_));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canvas_keeps_north_up_and_the_data_inside() {
        let r = Rect::new(Coord { x: 106.5, y: 10.8 }, Coord { x: 106.9, y: 11.5 });
        let c = Canvas::fit(Some(r));
        let (x0, y0) = c.xy(106.5, 10.8);
        let (x1, y1) = c.xy(106.9, 11.5);
        assert!(y1 < y0, "north up");
        assert!(x0 >= PAD - 1e-6 && x1 <= WIDTH - PAD + 1e-6);
        assert!(y1 >= PAD - 1e-6 && y0 <= c.height - PAD + 1e-6);
    }

    #[test]
    fn script_json_escapes_what_could_close_the_element_or_reorder_text() {
        assert_eq!(
            script_json("{\"a\":\"</script>\u{202E}x\"}"),
            r#"{"a":"\u003c/script>\u202ex"}"#
        );
        let back: serde_json::Value =
            serde_json::from_str(&script_json("{\"a\":\"<b>\u{202E}\"}")).unwrap_or_default();
        assert_eq!(back["a"], "<b>\u{202E}");
    }

    #[test]
    fn park_fill_classes_follow_the_printed_map() {
        assert_eq!(fill_class(0.0), 0);
        assert_eq!(fill_class(10.0), 1);
        assert_eq!(fill_class(50.0), 2);
        assert_eq!(fill_class(60.0), 3);
        assert_eq!(fill_class(100.0), 4);
    }
}
