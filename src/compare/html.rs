//! `compare.html`: one self-contained offline page comparing plans, for planning officers.
//!
//! 1. The plans compared, and the indicators side by side with each later plan's change.
//! 2. The factory ids that exist in some plans only.
//! 3. A map of the changed moves only: inline SVG drawn from the runs' GeoJSON (park outlines,
//!    old and new destinations), moves between the same two places drawn as one line.
//! 4. Park fill as paired bars, one bar per plan.
//! 5. The changed factories as a searchable, sortable table (the report's script).
//!
//! Every string from a run passes through `markup::escape`; the report's content security policy
//! forbids loading anything.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use geo::{BoundingRect, MultiPolygon, Point};

use super::write::{change_lines, ChangeLine};
use super::{Comparison, Indicator, Run};
use crate::criteria::Verdict;
use crate::model::Lang;
use crate::output::i18n::{self, term, Term};
use crate::output::markup::{c, escape, open_page, svg_path};
use crate::output::report::{self, heading, num_cell, text_cell};

const CSS: &str = include_str!("../../assets/compare/compare.css");

/// Ids listed under "in one plan only" at most; the rest are in `changed.csv`.
const ONLY_IN_LISTED: usize = 300;
/// Width of the map in SVG units (CSS pixels at full size).
const MAP_WIDTH: f64 = 1000.0;
const MAP_MARGIN: f64 = 24.0;
/// Room kept on the right for the park labels, which start beside their point.
const LABEL_ROOM: f64 = 150.0;
/// Colour classes of the runs (`.run0`…): more runs reuse them in turn.
const RUN_COLOURS: usize = 5;

fn run_class(k: usize) -> String {
    format!("run{}", k % RUN_COLOURS)
}

fn verdict_of(code: &str) -> Option<Verdict> {
    [Verdict::MustRelocate, Verdict::Encouraged, Verdict::MayStay, Verdict::OutOfScope]
        .into_iter()
        .find(|v| v.as_str() == code)
}

/// The page as HTML text.
pub fn compare_html(cmp: &Comparison) -> String {
    let lang = cmp.lang;
    let runs = &cmp.runs;
    let count = i18n::number(lang, runs.len() as f64, 0);
    let title = term(lang, Term::CompareTitle).replace("{n}", &count);
    let base = runs.first().map_or("", |r| r.label.as_str());
    let mut h = String::with_capacity(64 * 1024 + cmp.changed.len() * 600);
    open_page(&mut h, report::lang_code(lang), &escape(&title), &[report::CSS, CSS]);
    let _ = write!(
        h,
        r##"<header>
<p class="kicker">{kicker}</p>
<h1>{title}: {labels}</h1>
<p class="meta">{base_note}</p>
<nav><ul>
<li><a href="#plans">{t_plans}</a></li>
<li><a href="#figures">{t_indicators}</a></li>
<li><a href="#only-in">{t_only}</a></li>
<li><a href="#map">{t_map}</a></li>
<li><a href="#fill">{t_fill}</a></li>
<li><a href="#factories">{t_changed}</a></li>
</ul></nav>
</header>
<main>
"##,
        title = escape(&title),
        kicker = escape(term(lang, Term::CompareKicker)),
        labels = escape(&runs.iter().map(|r| r.label.as_str()).collect::<Vec<_>>().join(" · ")),
        base_note = escape(&term(lang, Term::CompareBase).replace("{n}", base)),
        t_plans = escape(term(lang, Term::Plans)),
        t_indicators = escape(term(lang, Term::Indicators)),
        t_only = escape(term(lang, Term::OnlyInHeading)),
        t_map = escape(term(lang, Term::ChangesMap)),
        t_fill = escape(term(lang, Term::FillHeading)),
        t_changed = escape(term(lang, Term::ChangedHeading)),
    );
    plans(&mut h, runs, lang);
    indicators(&mut h, cmp);
    only_in(&mut h, cmp);
    map(&mut h, cmp);
    fill(&mut h, cmp);
    changed_table(&mut h, cmp);
    // Say what the plans compared measured distances with: each run's summary names it.
    let by_road =
        |r: &&Run| r.summary.get("distance_basis").and_then(|v| v.as_str()) == Some("road");
    let roads = runs.iter().filter(by_road).count();
    let distances = match roads {
        0 => Term::NoteStraightLine,
        n if n == runs.len() => Term::NoteByRoad,
        _ => Term::NoteMixedBasis,
    };
    let footer = term(lang, Term::CompareGeneratedBy)
        .replace("{n}", env!("CARGO_PKG_VERSION"))
        .replace("{distances}", term(lang, distances));
    let _ = write!(
        h,
        "</main>\n<footer><p>{}</p></footer>\n<script>\n{}</script>\n</body>\n</html>\n",
        escape(&footer),
        report::SCRIPT
    );
    h
}

fn swatch(k: usize) -> String {
    format!("<span class=\"swatch {}\"></span>", run_class(k))
}

/// The plans: label, folder, scenario and its title.
fn plans(h: &mut String, runs: &[Run], lang: Lang) {
    let _ = write!(
        h,
        "<section id=\"plans\">\n<h2>{}</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr>",
        escape(term(lang, Term::Plans))
    );
    for t in [Term::PlanFolder, Term::Folder] {
        let _ = write!(h, "<th scope=\"col\">{}</th>", escape(term(lang, t)));
    }
    let scenario = term(lang, Term::NoteScenario).replace(": {n}", "").replace(" {n}", "");
    let _ = write!(h, "<th scope=\"col\">{}</th>", escape(&scenario));
    let _ = write!(
        h,
        "<th scope=\"col\" class=\"n\">{}</th>",
        escape(term(lang, Term::FactoriesAssessed))
    );
    h.push_str("</tr></thead>\n<tbody>\n");
    for (k, run) in runs.iter().enumerate() {
        let text = |path: &str| {
            path.split('/')
                .try_fold(&run.summary, |v, key| v.get(key))
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let _ = write!(h, "<tr><td>{}{}</td>", swatch(k), escape(&run.label));
        text_cell(h, &run.dir.display().to_string());
        let scenario = format!("{} — {}", text("scenario/name"), text("scenario/title"));
        text_cell(h, &scenario);
        num_cell(h, run.figure("factories_total"), 0, lang);
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn indicator_label(lang: Lang, key: &str) -> String {
    let t = match key {
        "must_relocate" => Term::IndMustRelocate,
        "encouraged" => Term::IndEncouraged,
        "assigned" => Term::Assigned,
        "unassigned" => Term::Unassigned,
        "unassigned_must_relocate" => Term::IndUnassignedMust,
        "land_allocated_ha" => Term::IndLandAllocated,
        "objective" => Term::Objective,
        "lower_bound" => Term::LowerBound,
        "gap" => Term::IndGap,
        "distance_total_km" => Term::IndDistanceTotal,
        "distance_p95_km" => Term::IndDistanceP95,
        "workers_moved" => Term::IndWorkersMoved,
        other => return other.to_string(),
    };
    term(lang, t).to_string()
}

/// A change cell: the signed difference and its share, coloured by direction.
fn delta_cell(h: &mut String, ind: &Indicator, k: usize, lang: Lang) {
    let d = ind.decimals.0;
    let Some(delta) = ind.delta(k) else {
        h.push_str("<td class=\"n delta\" data-v=\"\"></td>");
        return;
    };
    let rounded = crate::units::round_to(delta, i32::try_from(d).unwrap_or(6));
    let class = if rounded > 0.0 {
        " up"
    } else if rounded < 0.0 {
        " down"
    } else {
        ""
    };
    let sign = if rounded > 0.0 { "+" } else { "" };
    let pct = ind
        .delta_pct(k)
        .map(|p| {
            let ps = if crate::units::round_to(p, 1) > 0.0 { "+" } else { "" };
            format!(" ({ps}{} %)", i18n::number(lang, p, 1))
        })
        .unwrap_or_default();
    let _ = write!(
        h,
        "<td class=\"n delta{class}\" data-v=\"{}\">{sign}{}{}</td>",
        super::write::fixed(delta, d),
        i18n::number(lang, delta, d),
        escape(&pct)
    );
}

fn indicators(h: &mut String, cmp: &Comparison) {
    let lang = cmp.lang;
    let runs = &cmp.runs;
    let _ = write!(
        h,
        "<section id=\"figures\">\n<h2>{}</h2>\n<div class=\"table-wrap\"><table class=\"indicators\">\n<thead><tr><th scope=\"col\">{}</th>",
        escape(term(lang, Term::Indicators)),
        escape(term(lang, Term::Indicator))
    );
    for (k, run) in runs.iter().enumerate() {
        let _ = write!(h, "<th scope=\"col\" class=\"n\">{}{}</th>", swatch(k), escape(&run.label));
    }
    let base = runs.first().map_or("", |r| r.label.as_str());
    for run in runs.iter().skip(1) {
        let label = term(lang, Term::Difference).replace("{n}", base);
        let _ = write!(
            h,
            "<th scope=\"col\" class=\"n\">{} — {}</th>",
            escape(&run.label),
            escape(&label)
        );
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for ind in cmp.indicators.iter().filter(|i| !i.key.starts_with("fill_pct:")) {
        h.push_str("<tr>");
        text_cell(h, &indicator_label(lang, &ind.key));
        for v in &ind.values {
            num_cell(h, *v, ind.decimals.0, lang);
        }
        for k in 1..runs.len() {
            delta_cell(h, ind, k, lang);
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn only_in(h: &mut String, cmp: &Comparison) {
    let lang = cmp.lang;
    let _ = writeln!(
        h,
        "<section id=\"only-in\">\n<h2>{}</h2>",
        escape(term(lang, Term::OnlyInHeading))
    );
    let mut groups: BTreeMap<Vec<String>, Vec<&str>> = BTreeMap::new();
    for ch in &cmp.changed {
        if let Some(runs) = ch.only_in() {
            groups.entry(runs.to_vec()).or_default().push(ch.id.as_str());
        }
    }
    if groups.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", escape(term(lang, Term::OnlyInNone)));
    }
    for (runs, ids) in &groups {
        let text = term(lang, Term::OnlyInCount)
            .replace("{n}", &i18n::number(lang, ids.len() as f64, 0))
            .replace("{s}", &runs.join(", "));
        let _ = writeln!(h, "<p class=\"note\">{}</p>\n<ul class=\"only-in\">", escape(&text));
        for id in ids.iter().take(ONLY_IN_LISTED) {
            let _ = writeln!(h, "<li>{}</li>", escape(id));
        }
        if ids.len() > ONLY_IN_LISTED {
            h.push_str("<li>…</li>\n");
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

/// Longitude/latitude to map units: an equirectangular view at the data's mid-latitude,
/// north up, fitted into the map's width.
struct View {
    lon0: f64,
    lat1: f64,
    kx: f64,
    scale: f64,
    height: f64,
}

impl View {
    fn fit(points: impl Iterator<Item = (f64, f64)>) -> Option<View> {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (x, y) in points.filter(|(x, y)| x.is_finite() && y.is_finite()) {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        if x0 > x1 {
            return None;
        }
        let kx = ((y0 + y1) / 2.0).to_radians().cos();
        let span_x = ((x1 - x0) * kx).max(1e-4);
        let span_y = (y1 - y0).max(1e-4);
        let scale = (MAP_WIDTH - 2.0 * MAP_MARGIN - LABEL_ROOM) / span_x;
        // A tall, thin extent would make a page-long map: cap the height, narrowing the scale.
        let scale = scale.min((MAP_WIDTH * 0.9 - 2.0 * MAP_MARGIN) / span_y);
        Some(View { lon0: x0, lat1: y1, kx, scale, height: span_y * scale + 2.0 * MAP_MARGIN })
    }

    fn xy(&self, p: Point<f64>) -> (f64, f64) {
        (
            MAP_MARGIN + (p.x() - self.lon0) * self.kx * self.scale,
            MAP_MARGIN + (self.lat1 - p.y()) * self.scale,
        )
    }
}

fn path_of(view: &View, area: &MultiPolygon<f64>) -> String {
    svg_path(area, |lon, lat| view.xy(Point::new(lon, lat)))
}

/// Where a flow starts and ends, as written map coordinates (a single factory's line keeps its
/// id in the last part, so it is never merged).
type FlowKey = (String, String, String, String);

/// Moves between the same two places in the same pair of runs, drawn as one line.
#[derive(Default)]
struct Flow {
    factories: Vec<String>,
    park_to_park: bool,
    label: String,
}

fn map(h: &mut String, cmp: &Comparison) {
    let lang = cmp.lang;
    let runs = &cmp.runs;
    let _ = writeln!(h, "<section id=\"map\">\n<h2>{}</h2>", escape(term(lang, Term::ChangesMap)));
    let lines: Vec<ChangeLine> =
        cmp.changed.iter().flat_map(|ch| change_lines(runs, ch, lang)).collect();
    if cmp.changed.is_empty() {
        let _ = writeln!(h, "<p>{}</p>\n</section>", escape(term(lang, Term::NoChanges)));
        return;
    }
    let base = runs.first().map_or("", |r| r.label.as_str());
    let later: Vec<&str> = runs.iter().skip(1).map(|r| r.label.as_str()).collect();
    let note =
        term(lang, Term::ChangesMapNote).replace("{a}", base).replace("{b}", &later.join(", "));
    let _ = writeln!(h, "<p class=\"hint\">{}</p>", escape(&note));

    // Every park outline any run wrote, the first run's first; parks closed in a later run.
    let mut areas: BTreeMap<&str, &MultiPolygon<f64>> = BTreeMap::new();
    for run in runs {
        for (id, area) in &run.park_areas {
            areas.entry(id.as_str()).or_insert(area);
        }
    }
    let closed: BTreeSet<&str> = areas
        .keys()
        .copied()
        .filter(|id| {
            runs.first().is_some_and(|r| !r.park_closed(id))
                && runs.iter().skip(1).any(|r| r.park_closed(id))
        })
        .collect();
    // The view fits the changes and the parks they touch (and the closed ones), not every park.
    let involved: BTreeSet<&str> = lines
        .iter()
        .flat_map(|l| [l.park_from.as_deref(), l.park_to.as_deref()])
        .flatten()
        .chain(closed.iter().copied())
        .collect();
    let mut corners: Vec<(f64, f64)> = Vec::new();
    for (_, area) in areas.iter().filter(|(id, _)| involved.contains(*id)) {
        if let Some(r) = area.bounding_rect() {
            corners.push((r.min().x, r.min().y));
            corners.push((r.max().x, r.max().y));
        }
    }
    for l in &lines {
        corners.extend(l.line.iter().map(|p| (p.x(), p.y())));
    }
    let Some(view) = View::fit(corners.into_iter()) else {
        let _ = writeln!(h, "<p>{}</p>\n</section>", escape(term(lang, Term::NoFeatures)));
        return;
    };

    let mut flows: BTreeMap<FlowKey, Flow> = BTreeMap::new();
    for l in &lines {
        let (x0, y0) = view.xy(l.line[0]);
        let (x1, y1) = view.xy(l.line[1]);
        let park_to_park = l.park_from.is_some() && l.park_to.is_some() && l.park_from != l.park_to;
        let key = if park_to_park {
            (c(x0), c(y0), c(x1), c(y1))
        } else {
            // Lines from single factories stay one per factory.
            (c(x0), c(y0), c(x1), format!("{}#{}", c(y1), l.factory_id))
        };
        let flow = flows.entry(key).or_default();
        flow.factories.push(l.factory_id.clone());
        flow.park_to_park = park_to_park;
        if flow.label.is_empty() {
            let name = |p: &Option<String>| p.clone().unwrap_or_else(|| l.factory_id.clone());
            flow.label = format!("{} → {}", name(&l.park_from), name(&l.park_to));
        }
    }

    let height = view.height;
    let _ = write!(
        h,
        r##"<figure class="map"><svg overflow="hidden" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {hh}" role="img" aria-label="{aria}">
<defs><pattern id="closed-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde0dc"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c62828" stroke-width="2"/></pattern>
<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="11" markerHeight="11" markerUnits="userSpaceOnUse" orient="auto"><path d="M0 0L10 5L0 10z" fill="#08519c"/></marker>
<marker id="arrow-single" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0 0L10 5L0 10z" fill="#b86e00"/></marker></defs>
<rect width="{w}" height="{hh}" fill="#fbfbf8"/>
"##,
        w = c(MAP_WIDTH),
        hh = c(height),
        aria = escape(term(lang, Term::ChangesMap)),
    );
    h.push_str("<g id=\"parks\">\n");
    for (id, area) in &areas {
        let is_closed = closed.contains(id);
        let (fill, stroke) =
            if is_closed { ("url(#closed-hatch)", "#c62828") } else { ("#e3e6ea", "#8a939c") };
        let _ = writeln!(
            h,
            "<path d=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1\"><title>{}</title></path>",
            path_of(&view, area),
            escape(&park_title(runs, id))
        );
    }
    h.push_str("</g>\n<g id=\"moves\" fill=\"none\">\n");
    // Wider flows first, so narrow ones stay visible on top.
    let mut ordered: Vec<(&FlowKey, &Flow)> = flows.iter().collect();
    ordered.sort_by(|a, b| b.1.factories.len().cmp(&a.1.factories.len()).then(a.0.cmp(b.0)));
    for ((x0, y0, x1, y1), flow) in &ordered {
        let y1 = y1.split('#').next().unwrap_or(y1);
        let n = flow.factories.len();
        let title = format!("{}: {} — {}", flow.label, n, flow.factories.join(", "));
        if flow.park_to_park {
            let width = 1.5 + 1.5 * (n as f64).sqrt();
            let _ = writeln!(
                h,
                "<path d=\"{}\" stroke=\"#08519c\" stroke-opacity=\"0.7\" stroke-width=\"{}\" marker-end=\"url(#arrow)\"><title>{}</title></path>",
                bend(x0, y0, x1, y1),
                c(width),
                escape(&title)
            );
        } else {
            let _ = writeln!(
                h,
                "<line x1=\"{x0}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y1}\" stroke=\"#b86e00\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\" marker-end=\"url(#arrow-single)\"><title>{}</title></line>",
                escape(&title)
            );
        }
    }
    h.push_str("</g>\n<g id=\"destinations\">\n");
    let mut old: BTreeSet<(String, String)> = BTreeSet::new();
    let mut new: BTreeSet<(String, String)> = BTreeSet::new();
    let mut origins: BTreeSet<(String, String)> = BTreeSet::new();
    for l in &lines {
        let (x0, y0) = view.xy(l.line[0]);
        let (x1, y1) = view.xy(l.line[1]);
        match (&l.park_from, &l.park_to) {
            (Some(a), Some(b)) if a != b => {
                old.insert((c(x0), c(y0)));
                new.insert((c(x1), c(y1)));
            }
            (_, Some(_)) => {
                origins.insert((c(x0), c(y0)));
                new.insert((c(x1), c(y1)));
            }
            (Some(_), None) => {
                origins.insert((c(x0), c(y0)));
                old.insert((c(x1), c(y1)));
            }
            (None, None) => {}
        }
    }
    for (x, y) in &origins {
        let _ = writeln!(h, "<circle cx=\"{x}\" cy=\"{y}\" r=\"2\" fill=\"#b86e00\"/>");
    }
    for (x, y) in &old {
        let _ = writeln!(
            h,
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"5\" fill=\"#fff\" stroke=\"#08519c\" stroke-width=\"2\"/>"
        );
    }
    for (x, y) in &new {
        let _ = writeln!(
            h,
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"5\" fill=\"#08519c\" stroke=\"#fff\" stroke-width=\"1.5\"/>"
        );
    }
    h.push_str("</g>\n<g id=\"labels\" font-size=\"11\" fill=\"#333\" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\">\n");
    // Labels for the parks that lines touch and the closed ones only: the rest is context.
    let touched: BTreeSet<&str> = lines
        .iter()
        .flat_map(|l| [l.park_from.as_deref(), l.park_to.as_deref()])
        .flatten()
        .chain(closed.iter().copied())
        .collect();
    for id in touched {
        let Some(p) = runs.iter().find_map(|r| r.park_points.get(id)) else { continue };
        let (x, y) = view.xy(*p);
        let _ = writeln!(
            h,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            c(x + 7.0),
            c(y - 6.0),
            crate::output::markup::svg_line(&park_name(runs, id))
        );
    }
    h.push_str("</g>\n</svg></figure>\n");
    legend(h, lang);
    h.push_str("</section>\n");
}

/// A gently curved path from one point to another, bowing to the right of its direction, so
/// that moves both ways between two parks are two separate lines.
fn bend(x0: &str, y0: &str, x1: &str, y1: &str) -> String {
    let n = |t: &str| t.parse::<f64>().unwrap_or(0.0);
    let (ax, ay, bx, by) = (n(x0), n(y0), n(x1), n(y1));
    let (dx, dy) = (bx - ax, by - ay);
    let (mx, my) = ((ax + bx) / 2.0 - dy * 0.12, (ay + by) / 2.0 + dx * 0.12);
    format!("M{x0} {y0}Q{} {} {x1} {y1}", c(mx), c(my))
}

fn legend(h: &mut String, lang: Lang) {
    let item = |h: &mut String, svg: &str, t: Term| {
        let _ = writeln!(
            h,
            "<li><svg width=\"34\" height=\"14\" viewBox=\"0 0 34 14\" aria-hidden=\"true\">{svg}</svg>{}</li>",
            escape(term(lang, t))
        );
    };
    h.push_str("<ul class=\"legend\">\n");
    item(
        h,
        "<line x1=\"2\" y1=\"7\" x2=\"30\" y2=\"7\" stroke=\"#08519c\" stroke-width=\"4\"/>",
        Term::ChangedMoveLine,
    );
    item(
        h,
        "<circle cx=\"17\" cy=\"7\" r=\"5\" fill=\"#fff\" stroke=\"#08519c\" stroke-width=\"2\"/>",
        Term::OldDestination,
    );
    item(h, "<circle cx=\"17\" cy=\"7\" r=\"5\" fill=\"#08519c\"/>", Term::NewDestination);
    item(h, "<line x1=\"2\" y1=\"7\" x2=\"30\" y2=\"7\" stroke=\"#b86e00\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>", Term::FromFactoryLine);
    item(
        h,
        "<rect x=\"4\" y=\"1\" width=\"26\" height=\"12\" fill=\"#fde0dc\" stroke=\"#c62828\"/>",
        Term::ParkClosedLegend,
    );
    h.push_str("</ul>\n");
}

fn park_name(runs: &[Run], id: &str) -> String {
    runs.iter()
        .find_map(|r| r.parks.get(id))
        .map(|p| p.name.clone())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| id.to_string())
}

fn park_title(runs: &[Run], id: &str) -> String {
    format!("{} ({id})", park_name(runs, id))
}

/// Park fill as paired bars: one bar per run for every park that any run allocates land in.
fn fill(h: &mut String, cmp: &Comparison) {
    let lang = cmp.lang;
    let runs = &cmp.runs;
    let _ = write!(
        h,
        "<section id=\"fill\">\n<h2>{}</h2>\n<p class=\"hint\">{}</p>\n<div class=\"table-wrap\"><table class=\"fill\">\n<thead><tr>",
        escape(term(lang, Term::FillHeading)),
        escape(term(lang, Term::FillNote))
    );
    for (t, numeric) in [(Term::Park, false), (Term::AvailableHa, true), (Term::FillPct, false)] {
        let class = if numeric { " class=\"n\"" } else { "" };
        let _ = write!(h, "<th scope=\"col\"{class}>{}</th>", escape(term(lang, t)));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    let ids: BTreeSet<&String> = runs.iter().flat_map(|r| r.parks.keys()).collect();
    for id in ids {
        let any = runs.iter().any(|r| r.parks.get(id).is_some_and(|p| p.allocated_ha > 0.0));
        if !any {
            continue;
        }
        let _ = write!(
            h,
            "<tr><td>{}<br><span class=\"hint\">{}</span></td>",
            escape(&park_name(runs, id)),
            escape(id)
        );
        // Offered land per run, one line each.
        h.push_str("<td class=\"n\">");
        for (k, run) in runs.iter().enumerate() {
            let text = run
                .parks
                .get(id.as_str())
                .map(|p| i18n::number(lang, p.available_ha, 1))
                .unwrap_or_else(|| term(lang, Term::ParkAbsent).to_string());
            let _ = write!(h, "{}{}{}", if k > 0 { "<br>" } else { "" }, swatch(k), escape(&text));
        }
        h.push_str("</td><td class=\"bars\">");
        for (k, run) in runs.iter().enumerate() {
            match run.parks.get(id.as_str()) {
                Some(p) => {
                    let width = p.fill_pct.clamp(0.0, 100.0);
                    let _ = write!(
                        h,
                        "<div class=\"barrow {}\" title=\"{}\"><div class=\"bar\"><span class=\"fill\" style=\"width:{}%\"></span></div><span class=\"val\">{} %</span></div>",
                        run_class(k),
                        escape(&run.label),
                        super::write::fixed(width, 1),
                        i18n::number(lang, p.fill_pct, 1)
                    );
                }
                None => {
                    let _ = write!(
                        h,
                        "<div class=\"barrow {}\" title=\"{}\"><div class=\"bar absent\"></div><span class=\"val\">{}</span></div>",
                        run_class(k),
                        escape(&run.label),
                        escape(term(lang, Term::ParkAbsent))
                    );
                }
            }
        }
        h.push_str("</td></tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn changed_table(h: &mut String, cmp: &Comparison) {
    let lang = cmp.lang;
    let runs = &cmp.runs;
    let total = i18n::number(lang, cmp.changed.len() as f64, 0);
    let count = term(lang, Term::ChangedCount).replace("{n}", &total);
    let _ = write!(
        h,
        r#"<section id="factories">
<h2>{heading}</h2>
<p>{count}</p>
<div class="search"><label for="factory-search">{search}</label>
<input id="factory-search" type="search" placeholder="{hint}" autocomplete="off">
<span class="hint"><output id="factory-shown">{total}</output> / {total} {rows_shown}. {sort_hint}</span></div>
<div class="table-wrap"><table class="sortable" id="factories-table">
<thead><tr>"#,
        heading = escape(term(lang, Term::ChangedHeading)),
        count = escape(&count),
        search = escape(term(lang, Term::Search)),
        hint = escape(term(lang, Term::SearchHint)),
        rows_shown = escape(term(lang, Term::RowsShown)),
        sort_hint = escape(term(lang, Term::SortHint)),
    );
    heading(h, term(lang, Term::Id), false);
    heading(h, term(lang, Term::Name), false);
    for run in runs {
        for (t, numeric) in [
            (Term::Verdict, false),
            (Term::Destination, false),
            (Term::Cost, true),
            (Term::MoveYear, true),
        ] {
            heading(h, &format!("{} — {}", term(lang, t), run.label), numeric);
        }
    }
    heading(h, term(lang, Term::Reason), false);
    h.push_str("</tr></thead>\n<tbody>\n");
    for ch in &cmp.changed {
        let _ = write!(h, "<tr data-id=\"{}\">", escape(&ch.id));
        text_cell(h, &ch.id);
        text_cell(h, &ch.name);
        for (k, rec) in ch.records.iter().enumerate() {
            let Some(f) = rec else {
                let absent = escape(term(lang, Term::ParkAbsent));
                let _ = write!(h, "<td class=\"{}\"><em>{absent}</em></td><td></td><td class=\"n\" data-v=\"\"></td><td class=\"n\" data-v=\"\"></td>", run_class(k));
                continue;
            };
            match verdict_of(&f.verdict) {
                Some(v) => {
                    let _ = write!(
                        h,
                        "<td data-v=\"{}\"><span class=\"v v-{}\">{}</span></td>",
                        report::verdict_rank(v),
                        v.as_str(),
                        escape(i18n::verdict(lang, v))
                    );
                }
                None => text_cell(h, &f.verdict),
            }
            let park = f
                .park_id
                .as_deref()
                .map(|p| {
                    let name =
                        runs.get(k).and_then(|r| r.parks.get(p)).map_or(p, |r| r.name.as_str());
                    format!("{name} ({p})")
                })
                .unwrap_or_else(|| i18n::status(lang, &f.status).to_string());
            text_cell(h, &park);
            num_cell(h, f.cost, 3, lang);
            match f.move_year {
                Some(y) => {
                    let _ = write!(h, "<td class=\"n\" data-v=\"{y}\">{y}</td>");
                }
                None => h.push_str("<td class=\"n\" data-v=\"\"></td>"),
            }
        }
        let _ = write!(h, "<td class=\"reason\">{}</td>", escape(&ch.reason_text(runs, lang)));
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{Changed, FactoryRec, Reason};

    fn comparison(lang: Lang) -> Comparison {
        let rec = |park: &str| FactoryRec {
            id: "F<1>".into(),
            name: "Gốm <script>alert(1)</script>".into(),
            verdict: "must_relocate".into(),
            status: "assigned".into(),
            park_id: Some(park.into()),
            cost: Some(3.5),
            move_year: Some(2028),
            ..FactoryRec::default()
        };
        let runs: Vec<Run> = ["base", "closed"]
            .iter()
            .map(|l| Run { label: (*l).into(), ..Run::default() })
            .collect();
        Comparison {
            changed: vec![Changed {
                id: "F<1>".into(),
                name: "Gốm <script>alert(1)</script>".into(),
                records: vec![Some(rec("P1")), Some(rec("P2"))],
                reasons: vec![(1, Reason::ParkClosed)],
            }],
            runs,
            indicators: vec![Indicator {
                key: "assigned".into(),
                values: vec![Some(10.0), Some(8.0)],
                decimals: super::super::Decimals(0),
            }],
            lang,
        }
    }

    #[test]
    fn names_from_runs_are_escaped_and_nothing_is_loaded() {
        let html = compare_html(&comparison(Lang::En));
        assert!(!html.contains("<script>alert"), "unescaped name");
        assert!(html.contains("Gốm &lt;script&gt;"));
        assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
        assert!(html.contains("default-src 'none'"));
        assert!(html.contains("park closed"));
        assert!(html.contains("id=\"factories-table\""));
    }

    #[test]
    fn the_page_reads_in_vietnamese() {
        let html = compare_html(&comparison(Lang::Vi));
        assert!(html.contains("lang=\"vi\""));
        assert!(html.contains(term(Lang::Vi, Term::ChangedHeading)));
        assert!(html.contains(term(Lang::Vi, Term::ReasonParkClosed)));
        // -2 of 10 in Vietnamese separators.
        assert!(html.contains("-2 (-20,0 %)"), "{html}");
    }
}
