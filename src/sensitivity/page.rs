//! `sensitivity.html`: one offline page (the report's styles and content policy) for a
//! planning officer.
//!
//! 1. The run in figures: samples, spread, seed, worst proven gap, mean and least share, and
//!    the factories per class.
//! 2. The tornado chart (the same SVG as `tornado.svg`).
//! 3. A map of the relocating factories coloured by class: plain inline SVG, lon/lat drawn
//!    equirectangular (x scaled by the cosine of the middle latitude) over the district
//!    outlines and destination parks; unstable factories are drawn last, on top.
//! 4. The least stable factories as a table, lowest share first.

use std::fmt::Write as _;

use geo::{BoundingRect, MultiPolygon};

use crate::model::Lang;
use crate::output::i18n::{number, term, Term};
use crate::output::markup::{c, escape, open_page, svg_path};

use super::stability::{Class, StabilityRow};
use super::tornado::percent;
use super::Sensitivity;

const CSS: &str = include_str!("../../assets/report/report.css");

const EXTRA_CSS: &str = "
figure.chart { margin: 0; border: 1px solid var(--line); }
figure.chart svg { display: block; width: 100%; height: auto; }
dl.figures div.stable { border-left-color: #1a9850; }
dl.figures div.moderate { border-left-color: #fdae61; }
dl.figures div.unstable { border-left-color: #d7191c; }
span.class { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; }
span.class.stable { background: #1a9850; }
span.class.moderate { background: #e08214; }
span.class.unstable { background: #d7191c; }
";

/// Rows shown in the least-stable table: enough to act on, short enough to read.
const LEAST_STABLE_ROWS: usize = 30;

/// Map frame, CSS pixels.
const MAP_W: f64 = 1000.0;
const MAP_H: f64 = 700.0;
const MAP_MARGIN: f64 = 20.0;

fn class_colour(class: Class) -> &'static str {
    match class {
        Class::Stable => "#1a9850",
        Class::Moderate => "#fdae61",
        Class::Unstable => "#d7191c",
    }
}

pub fn class_label(lang: Lang, class: Class) -> &'static str {
    term(
        lang,
        match class {
            Class::Stable => Term::ClassStable,
            Class::Moderate => Term::ClassModerate,
            Class::Unstable => Term::ClassUnstable,
        },
    )
}

/// The page, with `tornado_svg` inline.
pub fn html(s: &Sensitivity, tornado_svg: &str) -> String {
    let settings = &s.plan.assessed.loaded.settings;
    let lang = settings.lang;
    let t = |x: Term| escape(term(lang, x));
    let mut h = String::with_capacity(64 * 1024 + s.rows.len() * 200);
    let page_title = format!("{} — {}", escape(&settings.title), t(Term::SensKicker));
    open_page(&mut h, lang.code(), &page_title, &[CSS, EXTRA_CSS]);
    let _ = write!(
        h,
        r##"<header>
<p class="kicker">{kicker}</p>
<h1>{title}</h1>
<p class="meta">{scenario}</p>
</header>
<main>
<p class="note">{intro}</p>
"##,
        title = escape(&settings.title),
        kicker = t(Term::SensKicker),
        scenario = escape(&term(lang, Term::NoteScenario).replace("{n}", &settings.name)),
        intro = escape(
            &term(lang, Term::SensIntro)
                .replace("{n}", &number(lang, s.options.samples as f64, 0))
                .replace("{s}", &percent(lang, s.options.spread))
        ),
    );
    figures(&mut h, s, lang);
    let _ = write!(
        h,
        "<section id=\"tornado\">\n<h2>{}</h2>\n<figure class=\"chart\">\n{}</figure>\n</section>\n",
        escape(&term(lang, Term::SensTornadoTitle).replace("{n}", &percent(lang, s.options.spread))),
        tornado_svg
    );
    let _ = write!(
        h,
        "<section id=\"map\">\n<h2>{}</h2>\n<figure class=\"chart\">\n{}</figure>\n</section>\n",
        t(Term::SensMapHeading),
        map_svg(s, lang)
    );
    least_stable(&mut h, s, lang);
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

fn figures(h: &mut String, s: &Sensitivity, lang: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"figures\">\n<h2>{}</h2>\n<dl class=\"figures\">",
        escape(term(lang, Term::SensFiguresHeading))
    );
    let mut figure = |class: &str, label: &str, value: String| {
        let _ = writeln!(
            h,
            "<div class=\"{class}\"><dt>{}</dt><dd>{}</dd></div>",
            escape(label),
            escape(&value)
        );
    };
    figure("", term(lang, Term::SensSamples), number(lang, s.options.samples as f64, 0));
    figure("", term(lang, Term::SensSpread), format!("± {}", percent(lang, s.options.spread)));
    figure("", term(lang, Term::SensSeed), s.options.seed.to_string());
    figure(
        "",
        term(lang, Term::SensWorstGap),
        format!("{} %", number(lang, s.worst_gap() * 100.0, 3)),
    );
    figure(
        "",
        term(lang, Term::SensMeanShare),
        format!("{} %", number(lang, s.mean_share() * 100.0, 1)),
    );
    figure(
        "",
        term(lang, Term::SensMinShare),
        format!("{} %", number(lang, s.min_share() * 100.0, 1)),
    );
    for (class, count) in Class::ALL.iter().zip(s.class_counts()) {
        figure(class.name(), class_label(lang, *class), number(lang, count as f64, 0));
    }
    let _ = writeln!(
        h,
        "</dl>\n<p class=\"meta\">{}</p>\n</section>",
        escape(term(lang, Term::SensGapNote))
    );
}

/// Lon/lat to page pixels: equirectangular about the middle latitude, fitted into the frame.
struct Fit {
    min_x: f64,
    max_y: f64,
    kx: f64,
    scale: f64,
    off_x: f64,
    off_y: f64,
}

impl Fit {
    fn new(points: impl Iterator<Item = (f64, f64)>) -> Fit {
        let (mut min_x, mut min_y, mut max_x, mut max_y) =
            (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
        for (x, y) in points {
            min_x = min_x.min(x);
            max_x = max_x.max(x);
            min_y = min_y.min(y);
            max_y = max_y.max(y);
        }
        if !(min_x.is_finite() && min_y.is_finite()) {
            (min_x, min_y, max_x, max_y) = (0.0, 0.0, 1.0, 1.0);
        }
        let kx = ((min_y + max_y) / 2.0).to_radians().cos().max(0.01);
        let w = ((max_x - min_x) * kx).max(1e-9);
        let hgt = (max_y - min_y).max(1e-9);
        let scale = ((MAP_W - 2.0 * MAP_MARGIN) / w).min((MAP_H - 2.0 * MAP_MARGIN) / hgt);
        Fit {
            min_x,
            max_y,
            kx,
            scale,
            off_x: (MAP_W - w * scale) / 2.0,
            off_y: (MAP_H - hgt * scale) / 2.0,
        }
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            self.off_x + (lon - self.min_x) * self.kx * self.scale,
            self.off_y + (self.max_y - lat) * self.scale,
        )
    }

    fn path(&self, area: &MultiPolygon<f64>) -> String {
        svg_path(area, |lon, lat| self.xy(lon, lat))
    }
}

fn bounds(area: &MultiPolygon<f64>) -> Vec<(f64, f64)> {
    area.bounding_rect()
        .map(|r| vec![(r.min().x, r.min().y), (r.max().x, r.max().y)])
        .unwrap_or_default()
}

fn map_svg(s: &Sensitivity, lang: Lang) -> String {
    let inputs = &s.plan.assessed.loaded.inputs;
    let destinations = &s.plan.candidates.destinations;
    let parks: Vec<&MultiPolygon<f64>> = inputs
        .parks
        .iter()
        .enumerate()
        .filter(|(i, _)| destinations.is_empty() || destinations.contains(i))
        .map(|(_, p)| &p.area_lonlat)
        .collect();
    let points: Vec<(f64, f64)> = s
        .rows
        .iter()
        .filter_map(|r| inputs.factories.get(r.factory))
        .map(|f| (f.location_lonlat.x(), f.location_lonlat.y()))
        .collect();
    let fit = Fit::new(
        points
            .iter()
            .copied()
            .chain(parks.iter().flat_map(|p| bounds(p)))
            .chain(inputs.districts.iter().flat_map(|d| bounds(&d.area_lonlat))),
    );
    let mut svg = String::with_capacity(16 * 1024 + s.rows.len() * 160);
    let _ = writeln!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="DejaVu Sans"><rect width="{w}" height="{h}" fill="#ffffff"/>"##,
        w = c(MAP_W),
        h = c(MAP_H)
    );
    svg.push_str("<g fill=\"none\" stroke=\"#8a8a8a\" stroke-width=\"1\">\n");
    for d in &inputs.districts {
        let _ = writeln!(
            svg,
            "<path d=\"{}\"><title>{}</title></path>",
            fit.path(&d.area_lonlat),
            escape(&d.name)
        );
    }
    svg.push_str("</g>\n<g fill=\"#c6dbef\" stroke=\"#08519c\" stroke-width=\"1\">\n");
    for p in &parks {
        let _ = writeln!(svg, "<path d=\"{}\"/>", fit.path(p));
    }
    svg.push_str("</g>\n");
    // Stable first, unstable last: the factories to look at are on top.
    for class in Class::ALL {
        let _ = writeln!(
            svg,
            "<g fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"0.6\">",
            class_colour(class)
        );
        for r in s.rows.iter().filter(|r| r.class == class) {
            let Some(f) = inputs.factories.get(r.factory) else { continue };
            let (x, y) = fit.xy(f.location_lonlat.x(), f.location_lonlat.y());
            let _ = writeln!(
                svg,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"><title>{} — {} {} %</title></circle>",
                c(x),
                c(y),
                if class == Class::Stable { "3.5" } else { "5" },
                escape(&r.factory_id),
                escape(term(lang, Term::SensShare)),
                number(lang, r.share * 100.0, 0),
            );
        }
        svg.push_str("</g>\n");
    }
    // Legend, top left.
    let counts = s.class_counts();
    let _ = writeln!(svg, "<rect x=\"12\" y=\"12\" width=\"250\" height=\"84\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#cccccc\"/>");
    for (i, (class, count)) in Class::ALL.iter().zip(counts).enumerate() {
        let y = 32.0 + 22.0 * i as f64;
        let _ = writeln!(
            svg,
            "<circle cx=\"28\" cy=\"{}\" r=\"6\" fill=\"{}\"/><text x=\"42\" y=\"{}\" font-size=\"14\" fill=\"#222222\">{} ({})</text>",
            c(y),
            class_colour(*class),
            c(y + 5.0),
            escape(class_label(lang, *class)),
            number(lang, count as f64, 0),
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn least_stable(h: &mut String, s: &Sensitivity, lang: Lang) {
    let inputs = &s.plan.assessed.loaded.inputs;
    let t = |x: Term| escape(term(lang, x));
    let _ = writeln!(h, "<section id=\"least-stable\">\n<h2>{}</h2>", t(Term::SensLeastStable));
    if s.rows.is_empty() {
        let _ = writeln!(h, "<p>{}</p>\n</section>", t(Term::SensNoFactories));
        return;
    }
    let mut order: Vec<&StabilityRow> = s.rows.iter().collect();
    order.sort_by(|a, b| a.share.total_cmp(&b.share).then_with(|| a.factory_id.cmp(&b.factory_id)));
    order.truncate(LEAST_STABLE_ROWS);
    let _ = writeln!(
        h,
        "<p class=\"meta\">{}</p>",
        escape(
            &term(lang, Term::SensShownOf)
                .replace("{n}", &number(lang, order.len() as f64, 0))
                .replace("{s}", &number(lang, s.rows.len() as f64, 0))
        )
    );
    let _ = writeln!(
        h,
        "<div class=\"table-wrap\"><table>\n<thead><tr><th>{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        t(Term::SensFactory),
        t(Term::SensPlanPark),
        t(Term::SensShare),
        t(Term::SensParksSeen),
        t(Term::SensRunnerUp),
        t(Term::SensLeastChange),
        t(Term::SensClass),
    );
    let park_name = |id: &str| {
        if id.is_empty() {
            return term(lang, Term::SensUnassigned).to_string();
        }
        match inputs.parks.iter().find(|p| p.id == id) {
            Some(p) if p.name != p.id => format!("{} ({})", p.name, p.id),
            _ => id.to_string(),
        }
    };
    for r in order {
        let name = inputs.factories.get(r.factory).map(|f| f.name.as_str()).unwrap_or("");
        let runner_up = if r.runner_up_park_id.is_empty() {
            "–".to_string()
        } else {
            format!(
                "{} ({} %)",
                park_name(&r.runner_up_park_id),
                number(lang, r.runner_up_share * 100.0, 0)
            )
        };
        let change = match r.min_weight_change {
            Some(v) => format!(
                "{}{} % {}",
                if v > 0.0 { "+" } else { "" },
                number(lang, v * 100.0, 0),
                r.weight
            ),
            None => term(lang, Term::SensNone).to_string(),
        };
        let _ = writeln!(
            h,
            "<tr><td>{} <span class=\"meta\">{}</span></td><td>{}</td><td class=\"n\">{} %</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td><span class=\"class {}\">{}</span></td></tr>",
            escape(name),
            escape(&r.factory_id),
            escape(&park_name(&r.park_id)),
            number(lang, r.share * 100.0, 0),
            r.parks_seen,
            escape(&runner_up),
            escape(&change),
            r.class.name(),
            escape(class_label(lang, r.class)),
        );
    }
    h.push_str("</tbody></table></div>\n</section>\n");
}
