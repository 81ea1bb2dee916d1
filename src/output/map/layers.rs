//! The map's layers in painting order: zoning (faint), district outlines, parks shaded by fill,
//! move lines, then factory dots by verdict. Layers hand their names to `Labels` rather than
//! writing them, because labels go on last, above every line and dot.

use std::collections::HashSet;
use std::fmt::Write as _;

use geo::{Coord, InteriorPoint};

use super::labels::{Label, Labels};
use super::page::{Box2, Projection};
use super::{
    move_colour, verdict_colour, zoning_colour, DISTRICT_OUTLINE, FILL_RAMP, OTHER_PARK_FILL,
    OTHER_PARK_OUTLINE, PARK_OUTLINE, VERDICT_ORDER,
};
use crate::criteria::Verdict;
use crate::model::Lang;
use crate::model::{Inputs, PlannedUse};
use crate::output::i18n;
use crate::output::markup;
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
            i18n::number(lang, row.fill_pct, 1)
        );
        let (Some(anchor), Some(bbox)) = (park.area.interior_point(), proj.bbox(&park.area)) else {
            continue;
        };
        let at = proj.page(anchor.0);
        labels.obstacles.push(bbox);
        if destination {
            let text = format!("{} · {} %", row.name, i18n::number(lang, row.fill_pct, 0));
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

pub(super) fn draw_moves(
    svg: &mut String,
    inputs: &Inputs,
    factory_rows: &[FactoryRow],
    roads: &[Option<rows::RoadMove>],
    proj: &Projection,
) {
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
            let _ = write!(d, "M{} {}", markup::c(a.x), markup::c(a.y));
            // A move with a road route follows the roads.
            let route =
                roads.get(row.factory).and_then(Option::as_ref).and_then(|m| m.route.as_ref());
            for p in route.map_or(&[][..], |r| &r.metric[..]) {
                let q = proj.page(geo::coord! { x: p[0], y: p[1] });
                let _ = write!(d, "L{} {}", markup::c(q.x), markup::c(q.y));
            }
            let _ = write!(d, "L{} {}", markup::c(b.x), markup::c(b.y));
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
