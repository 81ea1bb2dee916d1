//! Labels placed greedily, in the order they are offered, against the labels already placed and
//! the park outlines; each written with a white halo so it reads over lines and dots.

use std::fmt::Write as _;

use super::font;
use super::page::{Box2, FRAME};
use crate::output::markup;

#[derive(Clone, Debug)]
pub(super) struct Label {
    x: f64,
    /// Baseline.
    y: f64,
    size: f64,
    text: String,
    fill: String,
    anchor: &'static str,
    /// Extra space between letters (district names), page units.
    pub(super) spacing: f64,
}

impl Label {
    pub(super) fn new(x: f64, y: f64, size: f64, text: &str, fill: &str) -> Label {
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
pub(super) struct Labels {
    placed: Vec<Label>,
    /// Page boxes labels should not cover (park outlines), besides other labels.
    pub(super) obstacles: Vec<Box2>,
}

impl Labels {
    pub(super) fn place_fixed(&mut self, label: Label) {
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
    pub(super) fn place_around(&mut self, label: Label, around: Box2, must_show: bool) {
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

    /// The first of `candidates` that clears the labels and parks placed so far; when none
    /// does, the first inside the frame if the label must be shown, else none.
    pub(super) fn place_first(&mut self, candidates: Vec<Label>, must_show: bool) {
        let clear = candidates.iter().position(|c| self.is_clear(&c.bbox(), None));
        let chosen = match clear {
            Some(i) => candidates.into_iter().nth(i),
            None if must_show => candidates.into_iter().find(|c| c.bbox().inside(&FRAME)),
            None => None,
        };
        if let Some(c) = chosen {
            self.placed.push(c);
        }
    }

    /// A district name: at its interior point, else moved up or down (then sideways) in steps
    /// until it clears parks and labels; always shown.
    pub(super) fn place_stacked(&mut self, label: Label) {
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
    pub(super) fn write(&self, svg: &mut String) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
