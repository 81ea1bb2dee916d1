//! The tornado chart: per weight, the range of total-cost change and of factories sent to
//! another park over its one-at-a-time steps, widest first.
//!
//! Drawn as plain SVG in CSS pixels (one decimal, fixed order) with the map's embedded face
//! named, so `tornado.png` is rendered like `map.png` and Vietnamese labels keep their marks.

use std::fmt::Write as _;

use crate::model::Lang;
use crate::output::i18n::{number, term, Term};
use crate::output::markup::{c, svg_line};

use super::weights::Weights;
use super::{OatRun, Run};

/// One weight's bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The weight's name in outputs (`[scoring]` key or `ahp.<term>`).
    pub weight: String,
    /// Its cost term (`scenario::ahp::TERMS` index).
    pub term: usize,
    /// Least and greatest change of the plan's total cost over the weight's steps, %.
    pub cost_min_pct: f64,
    pub cost_max_pct: f64,
    /// Least and greatest number of factories sent elsewhere over its steps.
    pub moved_min: usize,
    pub moved_max: usize,
}

/// One bar per moved weight, the one moving most factories first (then the widest cost range,
/// then the order of `[scoring]`).
pub fn bars(weights: &Weights, base: &Run, oat: &[OatRun]) -> Vec<Bar> {
    let mut bars: Vec<Bar> = weights
        .moved
        .iter()
        .enumerate()
        .map(|(w, weight)| {
            let runs: Vec<&Run> = oat.iter().filter(|o| o.weight == w).map(|o| &o.run).collect();
            let pct = |r: &Run| {
                if base.objective > 0.0 {
                    (r.objective - base.objective) / base.objective * 100.0
                } else {
                    0.0
                }
            };
            Bar {
                weight: weight.name.clone(),
                term: weight.term,
                cost_min_pct: runs.iter().map(|r| pct(r)).fold(0.0, f64::min),
                cost_max_pct: runs.iter().map(|r| pct(r)).fold(0.0, f64::max),
                moved_min: runs.iter().map(|r| r.moved).min().unwrap_or(0),
                moved_max: runs.iter().map(|r| r.moved).max().unwrap_or(0),
            }
        })
        .collect();
    bars.sort_by(|a, b| {
        b.moved_max
            .cmp(&a.moved_max)
            .then_with(|| {
                (b.cost_max_pct - b.cost_min_pct).total_cmp(&(a.cost_max_pct - a.cost_min_pct))
            })
            .then(a.term.cmp(&b.term))
    });
    bars
}

/// The plain-language name of a cost term.
pub fn term_label(lang: Lang, t: usize) -> &'static str {
    let t = match t {
        0 => Term::WeightDistance,
        1 => Term::WeightWorkforce,
        2 => Term::WeightCluster,
        3 => Term::WeightClass,
        _ => Term::WeightWaiting,
    };
    term(lang, t)
}

const WIDTH: f64 = 1000.0;
const LABEL_W: f64 = 300.0;
const PANEL_W: f64 = 300.0;
const GAP_W: f64 = 50.0;
const TOP: f64 = 110.0;
const ROW_H: f64 = 56.0;
const BAR_H: f64 = 22.0;
const COST_FILL: &str = "#6a51a3";
const MOVED_FILL: &str = "#d95f02";
const AXIS: &str = "#555555";
const FONT: &str = "DejaVu Sans";

/// A round number at least `v` (1, 2, 5 × 10ⁿ), for the axes' ends.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|x| *x >= v * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

/// The chart as SVG text. `spread_label` names the largest step (e.g. "20 %").
pub fn svg(bars: &[Bar], lang: Lang, spread: f64) -> String {
    let height = TOP + ROW_H * bars.len().max(1) as f64 + 60.0;
    let mut s = String::with_capacity(4096 + bars.len() * 1024);
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}">
<rect width="{w}" height="{h}" fill="#ffffff"/>
<text x="20" y="36" font-size="22" font-weight="bold" fill="#222222">{title}</text>
"##,
        w = c(WIDTH),
        h = c(height),
        title =
            svg_line(&term(lang, Term::SensTornadoTitle).replace("{n}", &percent(lang, spread))),
    );
    let cost_x = LABEL_W;
    let moved_x = LABEL_W + PANEL_W + GAP_W;
    let cost_end = nice_ceiling(
        bars.iter().map(|b| b.cost_min_pct.abs().max(b.cost_max_pct.abs())).fold(0.0, f64::max),
    );
    let moved_end = nice_ceiling(bars.iter().map(|b| b.moved_max as f64).fold(0.0, f64::max));
    let bottom = TOP + ROW_H * bars.len().max(1) as f64;
    for (x, heading) in
        [(cost_x, term(lang, Term::SensCostChange)), (moved_x, term(lang, Term::SensMovedCount))]
    {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="80" font-size="15" fill="#222222">{}</text>"##,
            c(x),
            svg_line(heading)
        );
    }
    // Cost panel: zero in the middle, ± cost_end at the sides.
    let cost_px = |pct: f64| cost_x + PANEL_W / 2.0 + pct / cost_end * PANEL_W / 2.0;
    let moved_px = |n: f64| moved_x + n / moved_end * PANEL_W;
    let _ = writeln!(
        s,
        r##"<line x1="{x}" y1="{t}" x2="{x}" y2="{b}" stroke="{AXIS}" stroke-width="1"/><line x1="{m}" y1="{t}" x2="{m}" y2="{b}" stroke="{AXIS}" stroke-width="1"/>"##,
        x = c(cost_px(0.0)),
        m = c(moved_px(0.0)),
        t = c(TOP - 8.0),
        b = c(bottom),
    );
    for (v, x) in [(-cost_end, cost_px(-cost_end)), (cost_end, cost_px(cost_end))] {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="12" fill="{AXIS}" text-anchor="middle">{}</text>"##,
            c(x),
            c(bottom + 20.0),
            svg_line(&signed(lang, v, 1))
        );
    }
    for (v, anchor) in [(0.0, "start"), (moved_end, "middle")] {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" font-size="12" fill="{AXIS}" text-anchor="{anchor}">{}</text>"##,
            c(moved_px(v)),
            c(bottom + 20.0),
            number(lang, v, 0)
        );
    }
    if bars.is_empty() {
        let _ = writeln!(
            s,
            r##"<text x="20" y="{}" font-size="15" fill="#777777">{}</text>"##,
            c(TOP + 30.0),
            svg_line(term(lang, Term::SensNone))
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = TOP + ROW_H * i as f64;
        let mid = y + ROW_H / 2.0;
        let _ = writeln!(
            s,
            r##"<text x="20" y="{}" font-size="15" fill="#222222">{}</text><text x="20" y="{}" font-size="12" fill="#666666">{}</text>"##,
            c(mid - 3.0),
            svg_line(term_label(lang, b.term)),
            c(mid + 14.0),
            svg_line(&b.weight),
        );
        let (x0, x1) = (cost_px(b.cost_min_pct), cost_px(b.cost_max_pct));
        let _ = writeln!(
            s,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{COST_FILL}"/><text x="{}" y="{}" font-size="12" fill="#222222" text-anchor="end">{}</text><text x="{}" y="{}" font-size="12" fill="#222222">{}</text>"##,
            c(x0),
            c(mid - BAR_H / 2.0),
            c((x1 - x0).max(1.0)),
            c(BAR_H),
            c(x0 - 4.0),
            c(mid + 4.0),
            svg_line(&signed(lang, b.cost_min_pct, 1)),
            c(x1 + 4.0),
            c(mid + 4.0),
            svg_line(&signed(lang, b.cost_max_pct, 1)),
        );
        let (m0, m1) = (moved_px(b.moved_min as f64), moved_px(b.moved_max as f64));
        let range = if b.moved_min == b.moved_max {
            number(lang, b.moved_max as f64, 0)
        } else {
            format!(
                "{}–{}",
                number(lang, b.moved_min as f64, 0),
                number(lang, b.moved_max as f64, 0)
            )
        };
        let _ = writeln!(
            s,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{MOVED_FILL}"/><text x="{}" y="{}" font-size="12" fill="#222222">{}</text>"##,
            c(m0),
            c(mid - BAR_H / 2.0),
            c((m1 - m0).max(1.0)),
            c(BAR_H),
            c(m1 + 4.0),
            c(mid + 4.0),
            svg_line(&range),
        );
    }
    s.push_str("</svg>\n");
    s
}

/// `v` % with a sign, in the language's format.
fn signed(lang: Lang, v: f64, decimals: usize) -> String {
    let text = number(lang, v, decimals);
    let zero = text.chars().all(|ch| !ch.is_ascii_digit() || ch == '0');
    if v > 0.0 && !zero {
        format!("+{text} %")
    } else {
        format!("{text} %")
    }
}

/// A relative change as a percentage ("20 %").
pub fn percent(lang: Lang, v: f64) -> String {
    format!("{} %", number(lang, v * 100.0, if (v * 100.0).fract() == 0.0 { 0 } else { 1 }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scoring;

    fn run(objective: f64, moved: usize) -> Run {
        Run { factors: [1.0; 5], parks: Vec::new(), objective, gap: 0.0, moved }
    }

    #[test]
    fn bars_span_each_weights_steps_and_the_widest_comes_first() {
        let weights = Weights::new(&Scoring { cluster_mismatch: 2.0, ..Scoring::default() });
        let oat = vec![
            OatRun { weight: 0, change: -0.2, run: run(90.0, 0) },
            OatRun { weight: 0, change: 0.2, run: run(110.0, 1) },
            OatRun { weight: 1, change: -0.2, run: run(99.0, 4) },
            OatRun { weight: 1, change: 0.2, run: run(101.0, 2) },
        ];
        let b = bars(&weights, &run(100.0, 0), &oat);
        assert_eq!(b[0].weight, "cluster_mismatch");
        assert_eq!((b[0].moved_min, b[0].moved_max), (2, 4));
        assert!((b[0].cost_min_pct + 1.0).abs() < 1e-9 && (b[0].cost_max_pct - 1.0).abs() < 1e-9);
        assert_eq!(b[1].weight, "distance_per_km");
        assert!((b[1].cost_min_pct + 10.0).abs() < 1e-9);
    }

    #[test]
    fn the_chart_names_each_weight_in_the_language_and_repeats_its_bytes() {
        let bar = Bar {
            weight: "cluster_mismatch".into(),
            term: 2,
            cost_min_pct: -3.0,
            cost_max_pct: 2.5,
            moved_min: 0,
            moved_max: 12,
        };
        let svg = svg(std::slice::from_ref(&bar), Lang::Vi, 0.2);
        assert!(svg.contains("Ngoài cụm ngành của KCN/CCN"), "{svg}");
        assert!(svg.contains("cluster_mismatch") && svg.contains("0–12"));
        assert_eq!(svg, super::svg(&[bar], Lang::Vi, 0.2));
        assert!(crate::output::map::render_png(&svg, 400).is_ok());
    }

    #[test]
    fn axis_ends_are_round_numbers() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(3.2), 5.0);
        assert_eq!(nice_ceiling(12.0), 20.0);
        assert_eq!(nice_ceiling(50.0), 50.0);
    }
}
