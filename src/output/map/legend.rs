//! The legend panel right of the frame, top to bottom: factories by verdict with their counts,
//! parks by fill, district outline, zoning, the plan in figures, and the data note set on the
//! frame's bottom line.

use std::fmt::Write as _;

use super::font;
use super::layers::{flow_width, map_flow_colour};
use super::page::{FRAME, PANEL_X0, PANEL_X1};
use super::{
    fill_ramp, move_colour, park_outline, verdict_colour, zoning_colour, DISTRICT_OUTLINE,
    FILL_LABELS, OTHER_PARK_FILL, OTHER_PARK_OUTLINE, VERDICT_ORDER,
};
use crate::criteria::Verdict;
use crate::model::Lang;
use crate::model::PlannedUse;
use crate::output::flows::FlowRow;
use crate::output::i18n::{self, term, Term};
use crate::output::markup;
use crate::output::rows::{FactoryRow, ParkRow};
use crate::pipeline::Plan;
use crate::scenario::MapMoves;

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

/// Widths shown in the legend: the largest flow, then round numbers near a half and a tenth of
/// it (1, 2 or 5 × a power of ten), each shown once.
pub(super) fn flow_samples(max: usize) -> Vec<usize> {
    let round_down = |x: f64| -> usize {
        if x < 1.0 {
            return 1;
        }
        let step = 10f64.powf(x.log10().floor());
        let k = [5.0, 2.0, 1.0].into_iter().find(|k| k * step <= x).unwrap_or(1.0);
        (k * step) as usize
    };
    let mut out = vec![max];
    for share in [0.5, 0.1] {
        let v = round_down(max as f64 * share);
        if v >= 1 && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn swatch(fill: String, stroke: String) -> impl FnOnce(&mut String, f64) {
    move |svg: &mut String, mid: f64| {
        let _ = writeln!(
            svg,
            r#"<rect x="{}" y="{}" width="70" height="38" fill="{fill}" stroke="{stroke}" stroke-width="3"/>"#,
            markup::c(PANEL_X0),
            markup::c(mid - 19.0)
        );
    }
}

pub(super) fn draw_legend(
    svg: &mut String,
    plan: &Plan,
    factory_rows: &[FactoryRow],
    park_rows: &[ParkRow],
    flow_rows: &[FlowRow],
    is_destination: &dyn Fn(usize) -> bool,
    lang: Lang,
) {
    let inputs = &plan.assessed.loaded.inputs;
    let has_other_parks = (0..inputs.parks.len()).any(|p| !is_destination(p));
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
    match settings.map_moves {
        MapMoves::Lines => panel.row(
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
            term(
                lang,
                if settings.roads.distance == crate::scenario::DistanceBasis::Road {
                    Term::MoveLineRoad
                } else {
                    Term::MoveLine
                },
            ),
        ),
        MapMoves::Flows if !flow_rows.is_empty() => {
            let by_cell = flow_rows.iter().any(|f| f.origin.starts_with("cell "));
            panel.heading(term(
                lang,
                if by_cell { Term::FlowsHeadingCells } else { Term::FlowsHeading },
            ));
            let max = flow_rows.iter().map(|f| f.factories).max().unwrap_or(0);
            let colour = map_flow_colour();
            for n in flow_samples(max) {
                let width = flow_width(n, max);
                // A row tall enough for the widest stroke.
                let extra = (width + 14.0 - Panel::ROW).max(0.0);
                panel.y += extra / 2.0;
                let label = if n == 1 {
                    term(lang, Term::FlowWidthOne).to_string()
                } else {
                    term(lang, Term::FlowWidth).replace("{n}", &i18n::number(lang, n as f64, 0))
                };
                panel.row(
                    |svg, mid| {
                        let _ = writeln!(
                            svg,
                            r#"<path d="M{} {}H{}" stroke="{colour}" stroke-width="{}"/>"#,
                            markup::c(PANEL_X0),
                            markup::c(mid),
                            markup::c(PANEL_X0 + 70.0),
                            markup::c(width)
                        );
                    },
                    &label,
                );
                panel.y += extra / 2.0;
            }
            panel.text_block(term(lang, Term::FlowNote), 26.0, "#444444");
            panel.text_block(term(lang, Term::FlowOrigin), 26.0, "#444444");
            panel.y += 10.0;
        }
        MapMoves::Flows => {}
    }

    panel.heading(term(lang, Term::ParksByFill));
    let fill_labels =
        std::iter::once(term(lang, Term::FillNone)).chain(FILL_LABELS.iter().copied());
    for (class, label) in fill_labels.enumerate() {
        panel.row(swatch(fill_ramp(class), park_outline()), label);
    }
    if has_other_parks {
        panel.row(
            swatch(OTHER_PARK_FILL.to_string(), OTHER_PARK_OUTLINE.to_string()),
            term(lang, Term::ParkNotDestination),
        );
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
        term(
            lang,
            if settings.roads.distance == crate::scenario::DistanceBasis::Road {
                Term::NoteByRoad
            } else {
                Term::NoteStraightLine
            },
        )
        .to_string(),
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
    fn legend_widths_are_the_largest_flow_and_round_numbers_below_it() {
        assert_eq!(flow_samples(212), vec![212, 100, 20]);
        assert_eq!(flow_samples(7), vec![7, 2, 1]);
        assert_eq!(flow_samples(1), vec![1]);
    }
}
