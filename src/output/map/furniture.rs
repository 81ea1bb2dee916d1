//! Map furniture around and over the frame: the title, the north arrow and the scale bar with
//! its ratio at A3.

use std::fmt::Write as _;

use super::font;
use super::page::{Projection, FRAME, MARGIN, PAGE_W};
use crate::model::Lang;
use crate::output::i18n::{self, term, Term};
use crate::output::markup;

pub(super) fn draw_title(svg: &mut String, title: &str, lang: Lang) {
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

pub(super) fn draw_north_arrow(svg: &mut String, lang: Lang) {
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

pub(super) fn draw_scale_bar(svg: &mut String, proj: &Projection, lang: Lang) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
