//! `report.html`: one self-contained offline page for planning officers.
//!
//! 1. Key figures: factories per verdict, assigned and unassigned, land needed against land
//!    offered, objective, lower bound and gap.
//! 2. The interactive map (`webmap`): pan, zoom, click a factory for its verdict, evidence,
//!    park and the parks it did not get and why; click a park for its fill and factories;
//!    filter by verdict and district; the map and the factory table select each other.
//! 3. Per-criterion table (met by inspection record or by screening), per-park table, shortfalls.
//! 4. Every factory: verdict, criteria, evidence, destination, distance, move year and the
//!    runner-up parks, with a search box and click-to-sort columns (inline script, no network).
//!
//! Every string that came from an input passes through `markup::escape`; the page's content
//! security policy forbids loading anything, so it opens the same offline as online.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::candidates::FactoryCandidates;
use crate::criteria::{Basis, Criterion, Finding, Verdict};
use crate::error::{Error, Result};
use crate::model::Lang;
use crate::output::flows::{self, FlowRow};
use crate::output::i18n::{self, term, Term};
use crate::output::markup::{escape, open_page};
use crate::output::rows::{self, FactoryRow, ParkRow};
use crate::output::webmap;
use crate::pipeline::Plan;

pub(crate) const CSS: &str = include_str!("../../assets/report/report.css");
pub(crate) const SCRIPT: &str = include_str!("../../assets/report/report.js");

/// Runner-up parks listed per factory: enough to discuss alternatives, short enough to scan.
const RUNNERS_UP: usize = 3;

/// Rows in the report's factory table at most: a browser stays responsive with a few thousand
/// rows, not with a million; beyond it the most urgent factories are listed and the note says
/// where the rest are.
const TABLE_ROWS_MAX: usize = 5_000;

/// Writes `report.html` into `dir`.
pub fn write_report(plan: &Plan, dir: &Path) -> Result<()> {
    let (factory_rows, park_rows) = rows::plan_rows(plan);
    let flow_rows = flows::flow_rows(&plan.assessed.loaded.inputs, &factory_rows);
    write_report_with(plan, &factory_rows, &park_rows, &flow_rows, dir)
}

/// `write_report` from rows already computed.
pub fn write_report_with(
    plan: &Plan,
    factory_rows: &[FactoryRow],
    park_rows: &[ParkRow],
    flow_rows: &[FlowRow],
    dir: &Path,
) -> Result<()> {
    let html = report_html_with(plan, factory_rows, park_rows, flow_rows);
    let path = dir.join("report.html");
    std::fs::write(&path, html).map_err(|e| Error::io(path, e))
}

/// The report as HTML text.
pub fn report_html(plan: &Plan) -> String {
    let (factory_rows, park_rows) = rows::plan_rows(plan);
    let flow_rows = flows::flow_rows(&plan.assessed.loaded.inputs, &factory_rows);
    report_html_with(plan, &factory_rows, &park_rows, &flow_rows)
}

/// `report_html` from rows already computed.
pub fn report_html_with(
    plan: &Plan,
    factory_rows: &[FactoryRow],
    park_rows: &[ParkRow],
    flow_rows: &[FlowRow],
) -> String {
    let settings = &plan.assessed.loaded.settings;
    let lang = settings.lang;
    let destinations = &plan.candidates.destinations;
    let destination_rows: Vec<&ParkRow> = park_rows
        .iter()
        .filter(|p| destinations.is_empty() || destinations.contains(&p.park))
        .collect();

    let mut h = String::with_capacity(256 * 1024 + factory_rows.len().min(50_000) * 1600);
    open_page(&mut h, lang_code(lang), &escape(&settings.title), &[CSS]);
    let _ = write!(
        h,
        r##"<header>
<p class="kicker">{kicker}</p>
<h1>{title}</h1>
<p class="meta">{scenario}</p>
<nav><ul>
<li><a href="#figures">{t_figures}</a></li>
<li><a href="#map">{t_map}</a></li>
<li><a href="#criteria">{t_criteria}</a></li>
<li><a href="#inspect-first">{t_inspect}</a></li>
<li><a href="#parks">{t_parks}</a></li>
<li><a href="#shortfalls">{t_shortfalls}</a></li>
<li><a href="#factories">{t_factories}</a></li>
</ul></nav>
</header>
<main>
"##,
        title = escape(&settings.title),
        kicker = escape(term(lang, Term::ReportKicker)),
        scenario = escape(&term(lang, Term::NoteScenario).replace("{n}", &settings.name)),
        t_figures = escape(term(lang, Term::KeyFigures)),
        t_map = escape(term(lang, Term::Map)),
        t_criteria = escape(term(lang, Term::CriteriaHeading)),
        t_inspect = escape(term(lang, Term::InspectFirstHeading)),
        t_parks = escape(term(lang, Term::ParksHeading)),
        t_shortfalls = escape(term(lang, Term::ShortfallsHeading)),
        t_factories = escape(term(lang, Term::FactoriesHeading)),
    );

    key_figures(&mut h, plan, factory_rows, &destination_rows, lang);
    let listed = listed_factories(factory_rows);
    webmap::section(&mut h, plan, factory_rows, park_rows, flow_rows, &listed);
    criteria_table(&mut h, plan, lang);
    inspect_first(&mut h, plan, factory_rows, lang);
    parks_table(&mut h, &destination_rows, lang);
    shortfalls(&mut h, plan, lang);
    factories_table(&mut h, plan, factory_rows, &listed, lang);

    let (_, basis) = i18n::distance_words(by_road(plan));
    let footer = term(lang, Term::GeneratedBy)
        .replace("{n}", env!("CARGO_PKG_VERSION"))
        .replace("{s}", &settings.scenario_shown)
        .replace("{d}", term(lang, basis));
    let _ = write!(
        h,
        "</main>\n<footer><p>{}</p></footer>\n<script>\n{SCRIPT}</script>\n<script>\n{}</script>\n</body>\n</html>\n",
        escape(&footer),
        webmap::SCRIPT
    );
    h
}

pub(crate) fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Vi => "vi",
    }
}

/// A number cell: the text in the language's format, the raw value for sorting.
pub(crate) fn num_cell(h: &mut String, value: Option<f64>, decimals: usize, lang: Lang) {
    match value.filter(|v| v.is_finite()) {
        Some(v) => {
            let _ = write!(
                h,
                "<td class=\"n\" data-v=\"{:.*}\">{}</td>",
                decimals,
                v,
                i18n::number(lang, v, decimals)
            );
        }
        None => h.push_str("<td class=\"n\" data-v=\"\"></td>"),
    }
}

pub(crate) fn text_cell(h: &mut String, text: &str) {
    let _ = write!(h, "<td>{}</td>", escape(text));
}

/// A sortable column heading.
pub(crate) fn heading(h: &mut String, label: &str, numeric: bool) {
    let (class, kind) = if numeric { (" class=\"n\"", "num") } else { ("", "text") };
    let _ = write!(
        h,
        "<th{class} data-type=\"{kind}\" scope=\"col\"><button type=\"button\">{}</button></th>",
        escape(label)
    );
}

fn key_figures(
    h: &mut String,
    plan: &Plan,
    factory_rows: &[FactoryRow],
    destinations: &[&ParkRow],
    lang: Lang,
) {
    let allocation = &plan.allocation;
    let count =
        |f: &dyn Fn(&FactoryRow) -> bool| factory_rows.iter().filter(|r| f(r)).count() as f64;
    let land_needed: f64 =
        factory_rows.iter().filter(|r| r.verdict_kind.relocates()).map(|r| r.land_ha).sum();
    let land_offered: f64 = destinations.iter().map(|p| p.available_ha).sum();
    let land_allocated: f64 = destinations.iter().map(|p| p.allocated_ha).sum();
    let n0 = |v: f64| i18n::number(lang, v, 0);
    let ha = |v: f64| format!("{} ha", i18n::number(lang, v, 1));
    let mut figures: Vec<(&str, String, String)> =
        vec![("", term(lang, Term::FactoriesAssessed).to_string(), n0(factory_rows.len() as f64))];
    for v in [Verdict::MustRelocate, Verdict::Encouraged, Verdict::MayStay, Verdict::OutOfScope] {
        figures.push((
            v.as_str(),
            i18n::verdict(lang, v).to_string(),
            n0(count(&|r| r.verdict_kind == v)),
        ));
    }
    figures.extend([
        ("", term(lang, Term::Assigned).to_string(), n0(count(&|r| r.status == "assigned"))),
        ("", term(lang, Term::Unassigned).to_string(), n0(count(&|r| r.status == "unassigned"))),
        ("", term(lang, Term::LandNeeded).to_string(), ha(land_needed)),
        ("", term(lang, Term::LandAvailable).to_string(), ha(land_offered)),
        ("", term(lang, Term::LandAllocated).to_string(), ha(land_allocated)),
        ("", term(lang, Term::Objective).to_string(), i18n::number(lang, allocation.objective, 3)),
        (
            "",
            term(lang, Term::LowerBound).to_string(),
            i18n::number(lang, allocation.lower_bound, 3),
        ),
        (
            "",
            term(lang, Term::Gap).to_string(),
            if allocation.time_limit_reached {
                term(lang, Term::GapAtTimeLimit)
                    .replace("{n}", &i18n::number(lang, allocation.gap * 100.0, 2))
            } else {
                format!("{} %", i18n::number(lang, allocation.gap * 100.0, 2))
            },
        ),
        (
            "",
            term(lang, Term::PlacedMust).to_string(),
            i18n::placed_count(lang, allocation.must_placed, allocation.must_placed_bound),
        ),
        (
            "",
            term(lang, Term::PlacedEncouraged).to_string(),
            i18n::encouraged_count(
                lang,
                allocation.encouraged_placed,
                allocation.encouraged_placed_bound,
                allocation.must_placed_bound <= allocation.must_placed,
            ),
        ),
    ]);
    let _ = writeln!(
        h,
        "<section id=\"figures\">\n<h2>{}</h2>\n<dl class=\"figures\">",
        escape(term(lang, Term::KeyFigures))
    );
    for (class, label, value) in figures {
        let _ = writeln!(
            h,
            "<div class=\"{class}\"><dt>{}</dt><dd>{}</dd></div>",
            escape(&label),
            escape(&value)
        );
    }
    h.push_str("</dl>\n</section>\n");
}

fn criteria_table(h: &mut String, plan: &Plan, lang: Lang) {
    let _ = write!(
        h,
        "<section id=\"criteria\">\n<h2>{}</h2>\n<div class=\"table-wrap\"><table class=\"sortable\">\n<thead><tr>",
        escape(term(lang, Term::CriteriaHeading))
    );
    heading(h, term(lang, Term::Criterion), false);
    for t in [
        Term::MetTotal,
        Term::MetByRecord,
        Term::MetByScreeningOnly,
        Term::FindingUnknown,
        Term::CriterionOff,
    ] {
        heading(h, term(lang, t), true);
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for criterion in Criterion::ALL {
        let results = plan
            .assessed
            .assessment
            .factories
            .iter()
            .filter_map(|a| a.results.iter().find(|r| r.criterion == criterion));
        let (mut met, mut record, mut screening, mut unknown, mut off) = (0, 0, 0, 0, 0);
        for r in results {
            match r.finding {
                Finding::Met => {
                    met += 1;
                    match r.basis {
                        Basis::Record | Basis::RecordAndScreening => record += 1,
                        Basis::Screening => screening += 1,
                        Basis::None => {}
                    }
                }
                Finding::NotMet => {}
                Finding::Unknown => unknown += 1,
                Finding::Off => off += 1,
            }
        }
        h.push_str("<tr>");
        text_cell(h, i18n::criterion(lang, criterion));
        for v in [met, record, screening, unknown, off] {
            num_cell(h, Some(f64::from(v)), 0, lang);
        }
        h.push_str("</tr>\n");
    }
    let _ = write!(
        h,
        "</tbody>\n</table></div>\n<p class=\"hint\">{}</p>\n</section>\n",
        escape(term(lang, Term::CriteriaNote))
    );
}

/// The factories whose inspection record says they comply where the screening finds a
/// criterion: whichever the scenario let decide, an inspection should settle them first.
fn inspect_first(h: &mut String, plan: &Plan, factory_rows: &[FactoryRow], lang: Lang) {
    let settings = &plan.assessed.loaded.settings;
    let rule = if settings.criteria.record_overrides_screening {
        Term::InspectFirstRecordDecides
    } else {
        Term::InspectFirstEitherDecides
    };
    let listed: Vec<(&FactoryRow, String)> = factory_rows
        .iter()
        .filter_map(|r| {
            let a = plan.assessed.assessment.factories.get(r.factory)?;
            let codes: Vec<&str> = a.disagreements().map(Criterion::code).collect();
            (!codes.is_empty()).then(|| (r, codes.join(",")))
        })
        .collect();
    let count = term(lang, Term::InspectFirstCount)
        .replace("{n}", &i18n::number(lang, listed.len() as f64, 0));
    let _ = write!(
        h,
        "<section id=\"inspect-first\">\n<h2>{}</h2>\n<p>{} {}</p>\n",
        escape(term(lang, Term::InspectFirstHeading)),
        escape(&count),
        escape(term(lang, rule))
    );
    if !listed.is_empty() {
        h.push_str("<div class=\"table-wrap\"><table class=\"sortable\" id=\"inspect-first-table\">\n<thead><tr>");
        for t in [Term::Id, Term::Name, Term::District, Term::Disagreeing, Term::Verdict] {
            heading(h, term(lang, t), false);
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for (r, codes) in listed.iter().take(TABLE_ROWS_MAX) {
            h.push_str("<tr>");
            text_cell(h, r.id);
            text_cell(h, r.name);
            text_cell(h, r.district.unwrap_or(""));
            text_cell(h, codes);
            text_cell(h, i18n::verdict(lang, r.verdict_kind));
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n</table></div>\n");
    }
    h.push_str("</section>\n");
}

fn parks_table(h: &mut String, parks: &[&ParkRow], lang: Lang) {
    let _ = write!(
        h,
        "<section id=\"parks\">\n<h2>{}</h2>\n<div class=\"table-wrap\"><table class=\"sortable\" id=\"parks-table\">\n<thead><tr>",
        escape(term(lang, Term::ParksHeading))
    );
    for (t, numeric) in [
        (Term::Id, false),
        (Term::Park, false),
        (Term::District, false),
        (Term::ParkClass, false),
        (Term::AvailableHa, true),
        (Term::AllocatedHa, true),
        (Term::RemainingHa, true),
        (Term::FillPct, true),
        (Term::FactoriesCount, true),
        (Term::Workers, true),
    ] {
        heading(h, term(lang, t), numeric);
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for p in parks {
        h.push_str("<tr>");
        text_cell(h, &p.id);
        text_cell(h, &p.name);
        text_cell(h, p.district.as_deref().unwrap_or(""));
        text_cell(h, p.class);
        num_cell(h, Some(p.available_ha), 2, lang);
        num_cell(h, Some(p.allocated_ha), 2, lang);
        num_cell(h, Some(p.remaining_ha), 2, lang);
        num_cell(h, Some(p.fill_pct), 1, lang);
        num_cell(h, Some(p.factories_count as f64), 0, lang);
        num_cell(h, Some(p.employees_count as f64), 0, lang);
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n<tfoot><tr><td></td><td></td><td></td><td></td>");
    let total = |f: &dyn Fn(&ParkRow) -> f64| parks.iter().map(|p| f(p)).sum::<f64>();
    let available = total(&|p| p.available_ha);
    let allocated = total(&|p| p.allocated_ha);
    num_cell(h, Some(available), 2, lang);
    num_cell(h, Some(allocated), 2, lang);
    num_cell(h, Some(total(&|p| p.remaining_ha)), 2, lang);
    num_cell(h, (available > 0.0).then(|| 100.0 * allocated / available), 1, lang);
    num_cell(h, Some(total(&|p| p.factories_count as f64)), 0, lang);
    num_cell(h, Some(total(&|p| p.employees_count as f64)), 0, lang);
    h.push_str("</tr></tfoot>\n</table></div>\n</section>\n");
}

fn shortfalls(h: &mut String, plan: &Plan, lang: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"shortfalls\">\n<h2>{}</h2>",
        escape(term(lang, Term::ShortfallsHeading))
    );
    let list = &plan.allocation.shortfalls;
    if list.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", escape(term(lang, Term::NoShortfalls)));
    } else {
        h.push_str("<div class=\"table-wrap\"><table class=\"sortable\" id=\"shortfalls-table\">\n<thead><tr>");
        for (t, numeric) in [
            (Term::Sector, false),
            (Term::HazardClass, false),
            (Term::DeadlineYear, true),
            (Term::FactoriesCount, true),
            (Term::LandHa, true),
        ] {
            heading(h, term(lang, t), numeric);
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for s in list {
            h.push_str("<tr>");
            text_cell(h, &s.sector);
            text_cell(h, s.hazard_class.as_deref().unwrap_or(""));
            // A year is an identifier, not an amount: no thousands separator.
            let _ = write!(h, "<td class=\"n\" data-v=\"{0}\">{0}</td>", s.deadline_year);
            num_cell(h, Some(s.factories as f64), 0, lang);
            num_cell(h, Some(s.land_ha), 2, lang);
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n</table></div>\n");
    }
    h.push_str("</section>\n");
}

fn basis_label(lang: Lang, basis: &str) -> &'static str {
    match basis {
        "record" => term(lang, Term::BasisRecord),
        "screening" => term(lang, Term::BasisScreening),
        "record+screening" => term(lang, Term::BasisBoth),
        _ => "",
    }
}

/// The next eligible parks after the chosen one ("Name (12.3 km)"); for a factory without a
/// park, the nearest eligible ones.
fn runners_up(
    plan: &Plan,
    candidates: Option<&FactoryCandidates>,
    chosen: Option<usize>,
    lang: Lang,
) -> String {
    let Some(c) = candidates else { return String::new() };
    let start = chosen
        .and_then(|p| c.eligible.iter().position(|e| e.park == p))
        .map(|i| i + 1)
        .unwrap_or(0);
    c.eligible
        .iter()
        .skip(start)
        .filter(|e| Some(e.park) != chosen)
        .take(RUNNERS_UP)
        .filter_map(|e| {
            let park = plan.assessed.loaded.inputs.parks.get(e.park)?;
            Some(format!("{} ({} km)", park.name, i18n::number(lang, e.distance_km, 1)))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The factories the table lists: all of them up to `TABLE_ROWS_MAX`, else the most urgent.
fn listed_factories<'r, 'a>(factory_rows: &'r [FactoryRow<'a>]) -> Vec<&'r FactoryRow<'a>> {
    let mut listed: Vec<&FactoryRow> = factory_rows.iter().collect();
    if listed.len() > TABLE_ROWS_MAX {
        listed.sort_by(|a, b| {
            verdict_rank(a.verdict_kind).cmp(&verdict_rank(b.verdict_kind)).then(a.id.cmp(b.id))
        });
        listed.truncate(TABLE_ROWS_MAX);
    }
    listed
}

fn factories_table(
    h: &mut String,
    plan: &Plan,
    factory_rows: &[FactoryRow],
    listed: &[&FactoryRow],
    lang: Lang,
) {
    let candidates: HashMap<usize, &FactoryCandidates> =
        plan.candidates.factories.iter().map(|c| (c.factory, c)).collect();
    let mut note = String::new();
    if factory_rows.len() > listed.len() {
        let text = term(lang, Term::RowsCapped)
            .replace("{shown}", &i18n::number(lang, TABLE_ROWS_MAX as f64, 0))
            .replace("{total}", &i18n::number(lang, factory_rows.len() as f64, 0));
        note = format!("<p class=\"note\" id=\"factories-capped\">{}</p>\n", escape(&text));
    }
    let total = i18n::number(lang, listed.len() as f64, 0);
    let _ = write!(
        h,
        r#"<section id="factories">
<h2>{heading}</h2>
{note}<div class="search"><label for="factory-search">{search}</label>
<input id="factory-search" type="search" placeholder="{hint}" autocomplete="off">
<span class="hint"><output id="factory-shown">{total}</output> / {total} {rows_shown}. {sort_hint}</span></div>
<div class="table-wrap"><table class="sortable" id="factories-table">
<thead><tr>"#,
        heading = escape(term(lang, Term::FactoriesHeading)),
        search = escape(term(lang, Term::Search)),
        hint = escape(term(lang, Term::SearchHint)),
        rows_shown = escape(term(lang, Term::RowsShown)),
        sort_hint = escape(term(lang, Term::SortHint)),
    );
    for (t, numeric) in [
        (Term::Id, false),
        (Term::Name, false),
        (Term::District, false),
        (Term::Sector, false),
        (Term::LandHa, true),
        (Term::Employees, true),
        (Term::Verdict, false),
        (Term::CriteriaMet, false),
        (Term::Basis, false),
        (Term::Evidence, false),
        (Term::Status, false),
        (Term::Destination, false),
        (i18n::distance_words(by_road(plan)).0, true),
        (Term::MoveYear, true),
        (Term::RunnersUp, false),
        (Term::UnassignedReason, false),
    ] {
        heading(h, term(lang, t), numeric);
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for r in listed {
        let _ = write!(
            h,
            "<tr data-id=\"{}\" data-verdict=\"{}\" data-district=\"{}\">",
            escape(r.id),
            r.verdict,
            escape(r.district.unwrap_or(""))
        );
        text_cell(h, r.id);
        text_cell(h, r.name);
        text_cell(h, r.district.unwrap_or(""));
        text_cell(h, r.sector);
        num_cell(h, Some(r.land_ha), 2, lang);
        num_cell(h, r.employees.map(f64::from), 0, lang);
        let _ = write!(
            h,
            "<td data-v=\"{}\"><span class=\"v v-{}\">{}</span></td>",
            verdict_rank(r.verdict_kind),
            r.verdict,
            escape(i18n::verdict(lang, r.verdict_kind))
        );
        text_cell(h, &r.criteria);
        text_cell(h, basis_label(lang, r.basis));
        let _ = write!(h, "<td class=\"evidence\">{}</td>", escape(&r.evidence));
        text_cell(h, i18n::status(lang, r.status));
        text_cell(h, r.park_name.unwrap_or(""));
        num_cell(h, r.distance_km, 1, lang);
        match r.move_year {
            Some(y) => {
                let _ = write!(h, "<td class=\"n\" data-v=\"{y}\">{y}</td>");
            }
            None => h.push_str("<td class=\"n\" data-v=\"\"></td>"),
        }
        let runners = runners_up(plan, candidates.get(&r.factory).copied(), r.park, lang);
        let _ = write!(h, "<td class=\"runners\">{}</td>", escape(&runners));
        text_cell(h, r.unassigned_reason.unwrap_or(""));
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

/// Sorting a verdict column puts the most urgent first rather than alphabetically.
pub(crate) fn verdict_rank(v: Verdict) -> u8 {
    match v {
        Verdict::MustRelocate => 1,
        Verdict::Encouraged => 2,
        Verdict::MayStay => 3,
        Verdict::OutOfScope => 4,
    }
}

/// Whether the plan's distances are measured along roads.
pub(crate) fn by_road(plan: &Plan) -> bool {
    plan.assessed.loaded.settings.roads.distance == crate::scenario::DistanceBasis::Road
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_cells_keep_the_raw_value_for_sorting() {
        let mut h = String::new();
        num_cell(&mut h, Some(1234.5), 1, Lang::Vi);
        assert_eq!(h, "<td class=\"n\" data-v=\"1234.5\">1.234,5</td>");
        let mut h = String::new();
        num_cell(&mut h, None, 1, Lang::En);
        assert_eq!(h, "<td class=\"n\" data-v=\"\"></td>");
    }
}
