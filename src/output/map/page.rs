//! The page and the projection onto it: an A3 landscape sheet in tenths of a millimetre, the map
//! frame and legend panel on it, and the fit of the data's metric extent into the frame.

use std::fmt::Write as _;

use geo::{BoundingRect, Coord, MultiPolygon, Rect};

use super::font;
use crate::model::Inputs;
use crate::output::markup;

/// Page size in tenths of a millimetre: A3 landscape.
pub(super) const PAGE_W: f64 = 4200.0;
const PAGE_H: f64 = 2970.0;
pub(super) const MARGIN: f64 = 100.0;
/// The map frame: left part of the page under the title.
pub(super) const FRAME: Box2 = Box2 { x0: MARGIN, y0: 390.0, x1: 3020.0, y1: PAGE_H - MARGIN };
/// The legend panel on the right.
pub(super) const PANEL_X0: f64 = 3100.0;
pub(super) const PANEL_X1: f64 = PAGE_W - MARGIN;

/// Opens the SVG: the white page, a title for screen readers, and the map body with the
/// frame's tint; the layers and labels go into the body, which `close_body` ends.
pub(super) fn open(svg: &mut String, title: &str) {
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
        title = markup::svg_line(title),
        fx = markup::c(FRAME.x0),
        fy = markup::c(FRAME.y0),
        fw = markup::c(FRAME.width()),
        fh = markup::c(FRAME.height()),
    );
}

/// Ends the map body and draws the frame's edge over it.
pub(super) fn close_body(svg: &mut String) {
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
}

// ---------------------------------------------------------------------------------------------
// Geometry: from the metric working CRS to the page.

/// A box on the page, in page units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Box2 {
    pub(super) x0: f64,
    pub(super) y0: f64,
    pub(super) x1: f64,
    pub(super) y1: f64,
}

impl Box2 {
    pub(super) fn width(&self) -> f64 {
        self.x1 - self.x0
    }
    pub(super) fn height(&self) -> f64 {
        self.y1 - self.y0
    }
    pub(super) fn centre(&self) -> Coord<f64> {
        Coord { x: (self.x0 + self.x1) / 2.0, y: (self.y0 + self.y1) / 2.0 }
    }
    pub(super) fn overlaps(&self, other: &Box2) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
    pub(super) fn inside(&self, outer: &Box2) -> bool {
        self.x0 >= outer.x0 && self.x1 <= outer.x1 && self.y0 >= outer.y0 && self.y1 <= outer.y1
    }
}

/// The extent to show, in metres: districts, parks and factories together.
pub(super) fn extent(inputs: &Inputs) -> Option<Rect<f64>> {
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
pub(super) struct Projection {
    /// Page units per metre.
    pub(super) scale: f64,
    centre_m: Coord<f64>,
    centre_page: Coord<f64>,
}

impl Projection {
    /// Least extent shown, metres: a single factory still gets a readable neighbourhood.
    const MIN_SPAN_M: f64 = 2_000.0;
    /// Blank border kept around the data, as a share of the frame.
    const PADDING: f64 = 0.05;

    pub(super) fn fit(extent: Option<Rect<f64>>, frame: Box2) -> Projection {
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

    pub(super) fn page(&self, c: Coord<f64>) -> Coord<f64> {
        Coord {
            x: self.centre_page.x + (c.x - self.centre_m.x) * self.scale,
            y: self.centre_page.y - (c.y - self.centre_m.y) * self.scale,
        }
    }

    /// Appends the rings of `area` as closed subpaths, dropping vertices closer than a tenth of
    /// a millimetre to the previous one (invisible in print, and it keeps big boundaries small).
    pub(super) fn path(&self, out: &mut String, area: &MultiPolygon<f64>) {
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

    pub(super) fn bbox(&self, area: &MultiPolygon<f64>) -> Option<Box2> {
        let r = area.bounding_rect()?;
        let a = self.page(r.min());
        let b = self.page(r.max());
        Some(Box2 { x0: a.x.min(b.x), y0: a.y.min(b.y), x1: a.x.max(b.x), y1: a.y.max(b.y) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
