//! The map's layers: zoning (faint), district outlines, parks shaded by fill, factory dots by
//! verdict, and the moves (flows over the dots, or single lines under them). Layers hand their names to `Labels` rather than
//! writing them, because labels go on last, above every line and dot.

use std::collections::HashSet;
use std::fmt::Write as _;

use geo::{Coord, InteriorPoint, LineString};

use super::labels::{Label, Labels};
use super::page::{Box2, Projection};
use super::{
    fill_ramp, move_colour, park_outline, verdict_colour, zoning_colour, DISTRICT_OUTLINE,
    OTHER_PARK_FILL, OTHER_PARK_OUTLINE, VERDICT_ORDER,
};
use crate::criteria::Verdict;
use crate::model::Lang;
use crate::model::{Inputs, PlannedUse};
use crate::output::flows::{self, FlowRow};
use crate::output::i18n;
use crate::output::markup;
use crate::output::palette;
use crate::output::rows::{self, FactoryRow, ParkRow};

pub(super) fn draw_zoning(svg: &mut String, inputs: &Inputs, proj: &Projection) {
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
pub(super) fn draw_districts(svg: &mut String, inputs: &Inputs, proj: &Projection) -> Vec<Label> {
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

pub(super) fn draw_parks(
    svg: &mut String,
    lang: Lang,
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
            (fill_ramp(fill_class(row.fill_pct)), park_outline())
        } else {
            (OTHER_PARK_FILL.to_string(), OTHER_PARK_OUTLINE.to_string())
        };
        let mut d = String::new();
        proj.path(&mut d, &park.area);
        let _ = writeln!(
            svg,
            r#"<path fill="{fill}" stroke="{stroke}" d="{d}"><title>{} · {} %</title></path>"#,
            markup::svg_line(&row.name),
            i18n::number(lang, row.fill_pct, 1)
        );
        let (Some(anchor), Some(bbox)) = (park.area.interior_point(), proj.bbox(&park.area)) else {
            continue;
        };
        let at = proj.page(anchor.0);
        labels.obstacles.push(bbox);
        if destination {
            let text = format!("{} · {} %", row.name, i18n::number(lang, row.fill_pct, 0));
            labels.place_around(
                Label::new(at.x, at.y, 34.0, &text, &park_outline()),
                bbox,
                must_show,
            );
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

/// Each move as a line in the metric working CRS with its verdict, from the factory to the
/// point inside its park where the `moves` layer ends: straight, or along its road route when
/// the plan has one.
pub(super) fn move_lines(
    inputs: &Inputs,
    factory_rows: &[FactoryRow],
    roads: &[Option<rows::RoadMove>],
) -> Vec<(Verdict, LineString<f64>)> {
    let ends: Vec<Option<Coord<f64>>> =
        inputs.parks.iter().map(|p| rows::interior_point(&p.area).map(|e| e.0)).collect();
    factory_rows
        .iter()
        .filter_map(|row| {
            let factory = inputs.factories.get(row.factory)?;
            let end = ends.get(row.park?).copied().flatten()?;
            let route =
                roads.get(row.factory).and_then(Option::as_ref).and_then(|m| m.route.as_ref());
            let mut points = vec![factory.location.0];
            points.extend(
                route.map_or(&[][..], |r| &r.metric[..]).iter().map(|p| Coord { x: p[0], y: p[1] }),
            );
            points.push(end);
            Some((row.verdict_kind, LineString::new(points)))
        })
        .collect()
}

/// Individual move lines (`--map-moves lines`), one polyline per move, whatever its geometry
/// (straight or along roads), pale by verdict under the dots. `factories` is the count of
/// factories on the map, which decides whether the lines are thinned.
pub(super) fn draw_move_lines(
    svg: &mut String,
    lines: &[(Verdict, LineString<f64>)],
    factories: usize,
    proj: &Projection,
) {
    for verdict in [Verdict::Encouraged, Verdict::MustRelocate] {
        let mut d = String::new();
        // Lines from neighbouring cells to one place lie almost on top of each other: a coarser
        // grid than the dots' keeps the fan and drops most of the overdraw.
        let cell = 4.0 * dot_radius(factories);
        let mut thin = Thinning::new(factories, cell);
        for (_, line) in lines.iter().filter(|(v, _)| *v == verdict) {
            let (Some(first), Some(last)) = (line.0.first(), line.0.last()) else { continue };
            let (a, b) = (proj.page(*first), proj.page(*last));
            let end_cell = ((b.x / cell).floor() as i64 * 100_003 + (b.y / cell).floor() as i64)
                .unsigned_abs() as usize;
            if !thin.first(a, end_cell) {
                continue;
            }
            for (i, c) in line.0.iter().enumerate() {
                let p = proj.page(*c);
                let _ = write!(
                    d,
                    "{}{} {}",
                    if i == 0 { 'M' } else { 'L' },
                    markup::c(p.x),
                    markup::c(p.y)
                );
            }
        }
        if !d.is_empty() {
            let _ = writeln!(
                svg,
                r#"<path class="map-moves" fill="none" stroke="{}" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round" d="{d}"/>"#,
                move_colour(verdict)
            );
        }
    }
}

/// Widest flow on the map, page units (6 mm): the largest flow of the plan gets it, the others
/// in proportion to their factories, so widths can be compared by eye.
pub(super) const FLOW_WIDTH_MAX: f64 = 60.0;
/// Thinnest flow, page units, so a flow of one factory is still seen.
pub(super) const FLOW_WIDTH_MIN: f64 = 3.0;
/// Flows labelled whatever the overlap, the largest first, at most; beyond, only labels with
/// room, of flows at least a twentieth of the largest.
const FLOW_LABEL_ALL_MAX: usize = 60;

/// The printed map's flow colour: the palette's flow at its opacity over white.
pub(super) fn map_flow_colour() -> String {
    palette::FLOW.paler(1.0 - palette::FLOW_OPACITY).hex()
}

/// The stroke width of a flow of `factories` when the largest has `max`.
pub(super) fn flow_width(factories: usize, max: usize) -> f64 {
    if max == 0 {
        return FLOW_WIDTH_MIN;
    }
    (FLOW_WIDTH_MAX * factories as f64 / max as f64).max(FLOW_WIDTH_MIN)
}

/// Flows (origin area → park) as curves, width by factories, widest first so the thin ones
/// stay visible on top; each labelled with its count at its middle.
pub(super) fn draw_flows(
    svg: &mut String,
    lang: Lang,
    flows: &[FlowRow],
    proj: &Projection,
    labels: &mut Labels,
) {
    if flows.is_empty() {
        return;
    }
    let max = flows.iter().map(|f| f.factories).max().unwrap_or(0);
    let mut order: Vec<&FlowRow> = flows.iter().collect();
    order.sort_by(|a, b| {
        b.factories.cmp(&a.factories).then(a.origin.cmp(&b.origin)).then(a.park_id.cmp(&b.park_id))
    });
    // Opaque (the flow colour as seen at its opacity over white): the PDF writer gives every
    // transparency its own graphics state, which made the PDF's bytes vary between runs.
    let colour = map_flow_colour();
    let _ = writeln!(svg, r#"<g id="map-flows" fill="none" stroke-linecap="round">"#);
    let mut mids = Vec::with_capacity(order.len());
    for flow in &order {
        let a = proj.page(flow.from_m);
        let b = proj.page(flow.to_m);
        // Page y points down: bend in metres (y up), then project the control point.
        let c = proj.page(flows::control_point(flow.from_m, flow.to_m));
        let width = flow_width(flow.factories, max);
        let d = format!(
            "M{} {}Q{} {} {} {}",
            markup::c(a.x),
            markup::c(a.y),
            markup::c(c.x),
            markup::c(c.y),
            markup::c(b.x),
            markup::c(b.y)
        );
        // A white casing under each flow parts it from the dots and from the flows it crosses.
        let _ = writeln!(
            svg,
            r##"<path stroke="#ffffff" stroke-width="{}" d="{d}"/>"##,
            markup::c(width + 8.0)
        );
        let _ = writeln!(
            svg,
            r#"<path class="map-flow" data-factories="{}" stroke="{colour}" stroke-width="{}" d="{d}"><title>{} → {}: {}</title></path>"#,
            flow.factories,
            markup::c(width),
            markup::svg_line(&flow.origin),
            markup::svg_line(&flow.park_name),
            i18n::number(lang, flow.factories as f64, 0)
        );
        mids.push((flow.factories, a, c, b));
    }
    svg.push_str("</g>\n");
    // The origins, where flows fan out from: a small ring each.
    let mut origins: Vec<Coord<f64>> = Vec::new();
    for flow in flows {
        let p = proj.page(flow.from_m);
        if !origins.iter().any(|o| (o.x - p.x).abs() < 0.5 && (o.y - p.y).abs() < 0.5) {
            origins.push(p);
        }
    }
    let mut d = String::new();
    for p in &origins {
        let _ = write!(
            d,
            "M{} {}a14 14 0 1 0 28 0a14 14 0 1 0 -28 0Z",
            markup::c(p.x - 14.0),
            markup::c(p.y)
        );
    }
    let _ = writeln!(
        svg,
        r##"<path id="map-flow-origins" fill="#ffffff" stroke="{colour}" stroke-width="5" d="{d}"/>"##
    );
    // The largest flows are labelled whatever the overlap; the others where there is room, and
    // the smallest of a crowded map not at all (a hundred counts in one corner are unreadable).
    for (rank, (factories, a, c, b)) in mids.into_iter().enumerate() {
        let must_show = rank < FLOW_LABEL_ALL_MAX;
        if rank >= FLOW_LABEL_ALL_MAX && factories * 20 < max {
            continue;
        }
        let text = i18n::number(lang, factories as f64, 0);
        // Along the curve from its middle outwards, the first spot clear of other labels.
        let spots: Vec<Label> = [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74]
            .iter()
            .map(|t| {
                let p = flows::bezier(a, c, b, *t);
                Label::new(p.x, p.y + 11.0, 30.0, &text, &colour)
            })
            .collect();
        labels.place_first(spots, must_show);
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

pub(super) fn draw_factories(
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
    fn fuller_parks_fall_in_darker_classes() {
        assert_eq!(fill_class(0.0), 0);
        assert_eq!(fill_class(0.1), 1);
        assert_eq!(fill_class(25.0), 1);
        assert_eq!(fill_class(50.1), 3);
        assert_eq!(fill_class(100.0), 4);
    }
}
