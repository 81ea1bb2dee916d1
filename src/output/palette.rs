//! The one palette of every output: the printed map, the QGIS styles (QML in `layer_styles` and
//! `plan.qgs`) and the web pages (`report.html`, `compare.html`, `sensitivity.html`) take their
//! colours from here, so a verdict looks the same wherever it is read.
//!
//! Verdicts use Okabe & Ito's colour-blind-safe set (vermillion, orange, blue, grey): the tests
//! below simulate deuteranopia and protanopia (Viénot, Brettel & Mollon 1999) and check that
//! every pair stays apart, and that badge text on each colour is legible (WCAG contrast).
//! Parks are shaded with ColorBrewer's Greens, a ramp no verdict colour falls on; flows are a
//! dark purple that reads over both.

use crate::criteria::Verdict;

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

impl Colour {
    /// `#rrggbb`, as SVG, HTML and CSS write it.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// The colour mixed with white: `share` of white, 0 to 1 (pale versions for lines behind dots).
    pub fn paler(self, share: f64) -> Colour {
        let mix = |c: u8| {
            let v = f64::from(c) + (255.0 - f64::from(c)) * share.clamp(0.0, 1.0);
            v.round().clamp(0.0, 255.0) as u8
        };
        Colour(mix(self.0), mix(self.1), mix(self.2))
    }
}

/// Okabe–Ito vermillion.
const VERMILLION: Colour = Colour(0xd5, 0x5e, 0x00);
/// Okabe–Ito orange.
const ORANGE: Colour = Colour(0xe6, 0x9f, 0x00);
/// Okabe–Ito blue.
const BLUE: Colour = Colour(0x00, 0x72, 0xb2);
/// A neutral grey for what is outside the scope.
const GREY: Colour = Colour(0x99, 0x99, 0x99);

/// The colour of a verdict: dots on the map, QGIS markers, report badges and key figures.
pub fn verdict(v: Verdict) -> Colour {
    match v {
        Verdict::MustRelocate => VERMILLION,
        Verdict::Encouraged => ORANGE,
        Verdict::MayStay => BLUE,
        Verdict::OutOfScope => GREY,
    }
}

/// Text written on a verdict's colour (the report's badges): whichever of black and white
/// reads better on it.
pub fn verdict_ink(v: Verdict) -> Colour {
    match v {
        Verdict::MayStay => Colour(0xff, 0xff, 0xff),
        _ => Colour(0, 0, 0),
    }
}

/// Verdicts in the order the palette lists them.
pub const VERDICTS: [Verdict; 4] =
    [Verdict::MustRelocate, Verdict::Encouraged, Verdict::MayStay, Verdict::OutOfScope];

/// Park fill by share of offered land allocated, light to dark (ColorBrewer Greens, 5 classes):
/// none, ≤ 25 %, 25–50 %, 50–75 %, > 75 %.
pub const PARK_FILL: [Colour; 5] = [
    Colour(0xed, 0xf8, 0xe9),
    Colour(0xba, 0xe4, 0xb3),
    Colour(0x74, 0xc4, 0x76),
    Colour(0x31, 0xa3, 0x54),
    Colour(0x00, 0x6d, 0x2c),
];

/// Outline of destination parks.
pub const PARK_OUTLINE: Colour = Colour(0x00, 0x44, 0x1b);

/// Aggregated flows (origin area → park) on the map, in QGIS and in the report.
pub const FLOW: Colour = Colour(0x5e, 0x3c, 0x99);

/// Opacity of flows: overlapping flows stay visible through each other.
pub const FLOW_OPACITY: f64 = 0.72;

/// The palette as CSS custom properties, for the top of every web page's style sheet:
/// `--v-must_relocate`, `--v-must_relocate-ink`, …, `--park-fill-0` … `--park-fill-4`, `--flow`.
pub fn css_vars() -> String {
    let mut s = String::from(":root {");
    for v in VERDICTS {
        s.push_str(&format!(
            " --v-{0}: {1}; --v-{0}-ink: {2};",
            v.as_str(),
            verdict(v).hex(),
            verdict_ink(v).hex()
        ));
    }
    for (i, c) in PARK_FILL.iter().enumerate() {
        s.push_str(&format!(" --park-fill-{i}: {};", c.hex()));
    }
    s.push_str(&format!(" --park-outline: {}; --flow: {}; }}\n", PARK_OUTLINE.hex(), FLOW.hex()));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linear(c: u8) -> f64 {
        let v = f64::from(c) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    }

    fn linear_rgb(c: Colour) -> [f64; 3] {
        [linear(c.0), linear(c.1), linear(c.2)]
    }

    /// CIE L*a*b* (D65) of linear RGB.
    fn lab(rgb: [f64; 3]) -> [f64; 3] {
        let [r, g, b] = rgb;
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        let f = |t: f64| if t > 0.008856 { t.cbrt() } else { 7.787 * t + 16.0 / 116.0 };
        [116.0 * f(y) - 16.0, 500.0 * (f(x) - f(y)), 200.0 * (f(y) - f(z))]
    }

    /// Dichromat simulation in LMS space (Viénot, Brettel & Mollon 1999).
    fn simulate(rgb: [f64; 3], protan: bool) -> [f64; 3] {
        let [r, g, b] = rgb;
        let l = 17.8824 * r + 43.5161 * g + 4.11935 * b;
        let m = 3.45565 * r + 27.1554 * g + 3.86714 * b;
        let s = 0.0299566 * r + 0.184309 * g + 1.46709 * b;
        let (l, m) =
            if protan { (2.02344 * m - 2.52581 * s, m) } else { (l, 0.494207 * l + 1.24827 * s) };
        let clamp = |v: f64| v.clamp(0.0, 1.0);
        [
            clamp(0.0809444479 * l - 0.130504409 * m + 0.116721066 * s),
            clamp(-0.0102485335 * l + 0.0540193266 * m - 0.113614708 * s),
            clamp(-0.000365296938 * l - 0.00412161469 * m + 0.693511405 * s),
        ]
    }

    fn delta_e(a: [f64; 3], b: [f64; 3]) -> f64 {
        let (a, b) = (lab(a), lab(b));
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    fn luminance(c: Colour) -> f64 {
        let [r, g, b] = linear_rgb(c);
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }

    fn contrast(a: Colour, b: Colour) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn verdict_colours_stay_apart_for_deuteranopes_and_protanopes() {
        for (i, a) in VERDICTS.iter().enumerate() {
            for b in VERDICTS.iter().skip(i + 1) {
                let (ca, cb) = (linear_rgb(verdict(*a)), linear_rgb(verdict(*b)));
                assert!(delta_e(ca, cb) > 20.0, "{a:?} and {b:?} too close");
                for protan in [false, true] {
                    let d = delta_e(simulate(ca, protan), simulate(cb, protan));
                    assert!(d > 10.0, "{a:?} and {b:?}: ΔE {d:.1} (protan: {protan})");
                }
            }
        }
    }

    #[test]
    fn badge_text_is_legible_on_every_verdict_colour() {
        for v in VERDICTS {
            let c = contrast(verdict(v), verdict_ink(v));
            assert!(c >= 4.5, "{v:?}: contrast {c:.2}");
        }
    }

    #[test]
    fn flows_stand_out_from_park_fills_and_verdict_dots() {
        let others: Vec<Colour> =
            PARK_FILL.iter().copied().chain(VERDICTS.iter().map(|v| verdict(*v))).collect();
        for other in others {
            for protan in [false, true] {
                let d = delta_e(
                    simulate(linear_rgb(FLOW), protan),
                    simulate(linear_rgb(other), protan),
                );
                assert!(d > 10.0, "flow vs {other:?}: ΔE {d:.1}");
            }
        }
    }

    #[test]
    fn park_fills_darken_class_by_class() {
        for w in PARK_FILL.windows(2) {
            assert!(luminance(w[0]) > luminance(w[1]));
        }
    }

    #[test]
    fn the_css_names_every_verdict_once() {
        let css = css_vars();
        for v in VERDICTS {
            assert_eq!(css.matches(&format!("--v-{}:", v.as_str())).count(), 1);
        }
        assert!(css.contains("--v-must_relocate: #d55e00;"));
    }
}
