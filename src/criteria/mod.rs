//! Assessment: the four legal relocation criteria, per factory.
//!
//! 1. Build the R-trees once (zoning, receptors, corridors, parks, districts; `crate::spatial`).
//! 2. Scope (`scope`): the factory's district is its `district` field, else the districts polygon
//!    at its location; a factory outside the origin area, or inside any park polygon, is
//!    `out_of_scope` with a note saying why. Its deadline comes from `[phasing]`.
//! 3. C1 construction, C2 environment, C3 fire safety, C4 land use — one module each — read the
//!    inspection record and run the spatial screening; `decide` turns the two into a finding with
//!    its basis and an evidence sentence (`evidence`, English or Vietnamese).
//! 4. Verdict: `must_relocate` if any criterion is met, else `encouraged` (the enterprise wants
//!    to move, or the scenario's encouragement rule matches), else `may_stay`.
//!
//! Factories are assessed in parallel (rayon); the output keeps `Inputs::factories` order.
//!
//! # How a record and screening combine (`judge`, then `decide`)
//!
//! | record        | screening   | `screening = true`             | `screening = false`      |
//! |---------------|-------------|--------------------------------|--------------------------|
//! | holds         | hit         | met, `record+screening`        | met, `record+screening`  |
//! | holds         | clear / n.a.| met, `record`                  | met, `record`            |
//! | does not hold | hit         | see below (a disagreement)     | not met                  |
//! | does not hold | clear / n.a.| not met                        | not met                  |
//! | unknown       | hit         | met, `screening`               | unknown (inspection lead)|
//! | unknown       | clear       | not met                        | unknown                  |
//! | unknown       | n.a.        | unknown                        | unknown                  |
//!
//! When the record says the factory complies and the screening finds the criterion, the
//! scenario's `[criteria] record_overrides_screening` decides: `true` (the default) keeps the
//! inspection record as the legal basis — not met, the screening a lead for re-inspection;
//! `false` reads "inspection record, or screening" as either one establishing it — met, basis
//! `screening`. Either way the evidence says they disagree and the result is flagged
//! (`CriterionResult::disagreement`), so the summary and the report can list those factories to
//! inspect first. An empty record is unknown, never "no".
//! For C2 and C3 the criterion is "a violation that cannot be remedied": a recorded violation
//! whose remediability is unknown does not establish it, so such a record counts as unknown and
//! the screening decides as above (the evidence names the recorded violation).
//! The C4 overlay is spatial inference like the other screenings and follows the same rules.
//! A factory that is out of scope is not assessed: its four findings are `unknown` with no
//! evidence, and the note says why.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use geo::{BoundingRect, Point, Rect};
use rayon::prelude::*;
use serde::Serialize;

use crate::model::Lang;
use crate::model::{CorridorShape, Factory, FireRisk, Inputs, NameKey, PlannedUse, Zone};
use crate::scenario::Settings;
use crate::spatial::{self, EnvelopeIndex};

mod construction;
mod environment;
pub mod evidence;
mod fire_safety;
mod land_use;
mod scope;
#[cfg(test)]
pub(crate) mod testkit;

/// The four criteria, in the order DESIGN.md numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Criterion {
    C1Construction,
    C2Environment,
    C3FireSafety,
    C4LandUse,
}

impl Criterion {
    pub const ALL: [Criterion; 4] = [
        Criterion::C1Construction,
        Criterion::C2Environment,
        Criterion::C3FireSafety,
        Criterion::C4LandUse,
    ];

    /// "C1".."C4", as in the `criteria` field.
    pub fn code(self) -> &'static str {
        match self {
            Criterion::C1Construction => "C1",
            Criterion::C2Environment => "C2",
            Criterion::C3FireSafety => "C3",
            Criterion::C4LandUse => "C4",
        }
    }

    /// The output field name: `c1_construction`, `c2_environment`, `c3_fire`, `c4_land_use`.
    pub fn field(self) -> &'static str {
        match self {
            Criterion::C1Construction => "c1_construction",
            Criterion::C2Environment => "c2_environment",
            Criterion::C3FireSafety => "c3_fire",
            Criterion::C4LandUse => "c4_land_use",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    MustRelocate,
    Encouraged,
    MayStay,
    OutOfScope,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::MustRelocate => "must_relocate",
            Verdict::Encouraged => "encouraged",
            Verdict::MayStay => "may_stay",
            Verdict::OutOfScope => "out_of_scope",
        }
    }

    /// Whether the allocation stage looks for a park for this factory.
    pub fn relocates(self) -> bool {
        matches!(self, Verdict::MustRelocate | Verdict::Encouraged)
    }
}

/// What a criterion found for one factory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// The criterion holds: the factory must relocate on this ground.
    Met,
    /// Checked, and it does not hold.
    NotMet,
    /// Not enough data to decide (no record, no zoning polygon…).
    Unknown,
    /// Switched off in the scenario.
    Off,
}

impl Finding {
    /// The value written in `c1_construction`…: `yes`, `no`, `unknown`, `off`.
    pub fn as_str(self) -> &'static str {
        match self {
            Finding::Met => "yes",
            Finding::NotMet => "no",
            Finding::Unknown => "unknown",
            Finding::Off => "off",
        }
    }
}

/// Where a decision comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Basis {
    Record,
    Screening,
    RecordAndScreening,
    None,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Record => "record",
            Basis::Screening => "screening",
            Basis::RecordAndScreening => "record+screening",
            Basis::None => "none",
        }
    }
}

/// One criterion's result for one factory.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriterionResult {
    pub criterion: Criterion,
    pub finding: Finding,
    /// `Record`, `Screening` or both when `Met`; `None` otherwise.
    pub basis: Basis,
    /// A sentence a person can check, in the run's language.
    pub evidence: String,
    /// The inspection record says the factory complies and the screening finds the criterion:
    /// whichever decides (`[criteria] record_overrides_screening`), inspect it first.
    pub disagreement: bool,
}

/// The verdict on one factory.
#[derive(Clone, Debug, Serialize)]
pub struct FactoryAssessment {
    /// Index into `Inputs::factories`.
    pub factory: usize,
    pub verdict: Verdict,
    /// C1..C4 in order.
    pub results: Vec<CriterionResult>,
    /// Basis over the criteria met.
    pub basis: Basis,
    /// The factory's district: its `district` field, else the districts polygon containing it.
    pub district: Option<String>,
    /// Year by which the factory must have moved (`[phasing]`).
    pub deadline_year: i32,
    /// Why the factory is out of scope, or what makes it encouraged; empty otherwise.
    pub note: String,
}

impl FactoryAssessment {
    /// The criteria on which the inspection record (complies) and the screening (finds it)
    /// disagree: the factories to inspect first.
    pub fn disagreements(&self) -> impl Iterator<Item = Criterion> + '_ {
        self.results.iter().filter(|r| r.disagreement).map(|r| r.criterion)
    }

    /// "C2,C4": the codes of the criteria met.
    pub fn criteria_codes(&self) -> String {
        self.results
            .iter()
            .filter(|r| r.finding == Finding::Met)
            .map(|r| r.criterion.code())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The assessment stage's output: one entry per factory, in `Inputs::factories` order.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Assessment {
    pub factories: Vec<FactoryAssessment>,
}

/// Assesses every factory, in parallel, keeping `Inputs::factories` order. (Stage entry point.)
/// Factories are taken neighbours together (`spatial::nearby_order`), which keeps the R-trees'
/// nodes in cache, and put back in file order at the end.
pub fn assess(inputs: &Inputs, settings: &Settings) -> Assessment {
    let ctx = Context::new(inputs, settings);
    let locations: Vec<Point<f64>> = inputs.factories.iter().map(|f| f.location).collect();
    let order = spatial::nearby_order(&locations);
    let mut factories: Vec<FactoryAssessment> =
        order.par_iter().map(|&i| assess_one(&ctx, i)).collect();
    factories.par_sort_unstable_by_key(|a| a.factory);
    Assessment { factories }
}

/// Assesses the factory at `index` in `Inputs::factories`.
fn assess_one(ctx: &Context<'_>, index: usize) -> FactoryAssessment {
    let Some(factory) = ctx.inputs.factories.get(index) else {
        // Unreachable from `assess`, which only passes indices it enumerated; kept total so no
        // index into file data can panic.
        return FactoryAssessment {
            factory: index,
            verdict: Verdict::OutOfScope,
            results: not_assessed(),
            basis: Basis::None,
            district: None,
            deadline_year: ctx.settings.phasing.default_deadline,
            note: String::new(),
        };
    };
    let scope = scope::scope(ctx, factory);
    if let Some(reason) = scope.out_of_scope {
        return FactoryAssessment {
            factory: index,
            verdict: Verdict::OutOfScope,
            results: not_assessed(),
            basis: Basis::None,
            district: scope.district,
            deadline_year: scope.deadline_year,
            note: reason,
        };
    }
    let zones_here = land_use::zones_at(ctx, factory.location);
    let results = vec![
        judge::<construction::Construction>(ctx, factory, &zones_here),
        judge::<environment::Environment>(ctx, factory, &zones_here),
        judge::<fire_safety::FireSafety>(ctx, factory, &zones_here),
        judge::<land_use::LandUse>(ctx, factory, &zones_here),
    ];
    let basis = combined_basis(&results);
    let (verdict, note) = if results.iter().any(|r| r.finding == Finding::Met) {
        (Verdict::MustRelocate, String::new())
    } else if let Some(note) = encouragement(ctx, factory) {
        (Verdict::Encouraged, note)
    } else {
        (Verdict::MayStay, String::new())
    };
    FactoryAssessment {
        factory: index,
        verdict,
        results,
        basis,
        district: scope.district,
        deadline_year: scope.deadline_year,
        note,
    }
}

/// The four results of a factory that is not assessed: unknown, no evidence (the note says why).
fn not_assessed() -> Vec<CriterionResult> {
    Criterion::ALL
        .into_iter()
        .map(|criterion| CriterionResult {
            criterion,
            finding: Finding::Unknown,
            basis: Basis::None,
            evidence: String::new(),
            disagreement: false,
        })
        .collect()
}

/// The basis over the criteria met: `record` if every one rests on a record alone, `screening`
/// if every one rests on screening alone, `record+screening` for any mix, `none` if none is met.
fn combined_basis(results: &[CriterionResult]) -> Basis {
    let (mut record, mut screening) = (false, false);
    for r in results.iter().filter(|r| r.finding == Finding::Met) {
        match r.basis {
            Basis::Record => record = true,
            Basis::Screening => screening = true,
            Basis::RecordAndScreening => (record, screening) = (true, true),
            Basis::None => {}
        }
    }
    match (record, screening) {
        (true, true) => Basis::RecordAndScreening,
        (true, false) => Basis::Record,
        (false, true) => Basis::Screening,
        (false, false) => Basis::None,
    }
}

/// Why a factory that meets no criterion is encouraged to relocate, if it is: the enterprise's
/// wish on record first, then the scenario's sector rule, then its hazard-class rule.
fn encouragement(ctx: &Context<'_>, factory: &Factory) -> Option<String> {
    let lang = ctx.settings.lang;
    if factory.records.wants_relocation == Some(true) {
        return Some(evidence::wants_to_move(lang));
    }
    let sector = ctx.sector_keys.get(factory.sector.as_str()).cloned();
    if ctx.encourage_sectors.contains(&sector.unwrap_or_else(|| NameKey::new(&factory.sector))) {
        return Some(evidence::encouraged_sector(lang, &factory.sector));
    }
    factory
        .hazard_class
        .filter(|c| ctx.settings.criteria.encourage_hazard_classes.contains(c))
        .map(|c| evidence::encouraged_class(lang, c))
}

// ---------------------------------------------------------------------------------------------
// The shared context: settings parsed once, R-trees built once.

/// Everything the criterion modules read, built once per run.
pub(crate) struct Context<'a> {
    pub inputs: &'a Inputs,
    pub settings: &'a Settings,
    pub lang: Lang,
    pub rule: Rule,
    pub zoning: EnvelopeIndex,
    /// The zoning polygons whose planned use is sensitive (C2's screening), tagged with their
    /// index in the whole zoning layer.
    pub sensitive_zoning: EnvelopeIndex,
    pub receptors: EnvelopeIndex,
    /// Corridor envelopes, line corridors grown by half their width so that a site within the
    /// corridor's reach meets its rectangle.
    pub corridors: EnvelopeIndex,
    pub parks: EnvelopeIndex,
    pub districts: EnvelopeIndex,
    pub industrial_uses: BTreeSet<PlannedUse>,
    pub sensitive_uses: BTreeSet<PlannedUse>,
    /// Fire screening rules with their uses parsed.
    pub fire_rules: Vec<(FireRisk, BTreeSet<PlannedUse>)>,
    pub origin: BTreeSet<NameKey>,
    pub deadlines: BTreeMap<NameKey, i32>,
    pub encourage_sectors: BTreeSet<NameKey>,
    /// The folded name of each districts polygon, by index.
    pub district_keys: Vec<NameKey>,
    /// The folded form of every distinct `district` field value of the factories.
    pub field_keys: HashMap<&'a str, NameKey>,
    /// The folded form of every distinct sector of the factories.
    pub sector_keys: HashMap<&'a str, NameKey>,
}

impl<'a> Context<'a> {
    pub fn new(inputs: &'a Inputs, settings: &'a Settings) -> Self {
        let c = &settings.criteria;
        // The scenario stage has checked every use name; an unknown one cannot reach here, and
        // would only drop that name.
        let uses = |names: &[String]| -> BTreeSet<PlannedUse> {
            names.iter().filter_map(|u| PlannedUse::parse(u)).collect()
        };
        let sensitive_uses = uses(&c.sensitive_uses);
        let sensitive_zones = inputs
            .zoning
            .iter()
            .enumerate()
            .filter(|(_, z)| sensitive_uses.contains(&z.planned_use))
            .map(|(i, z)| (i, &z.area));
        let corridor_rects = inputs.corridors.iter().map(|k| match &k.shape {
            CorridorShape::Area(area) => area.bounding_rect(),
            CorridorShape::Line { line, width_m } => {
                line.bounding_rect().map(|r| grow(r, width_m / 2.0))
            }
        });
        Context {
            inputs,
            settings,
            lang: settings.lang,
            rule: Rule {
                screening_decides: c.screening,
                record_overrides_screening: c.record_overrides_screening,
            },
            zoning: EnvelopeIndex::new(inputs.zoning.iter().map(|z| &z.area)),
            sensitive_zoning: EnvelopeIndex::new_indexed(sensitive_zones),
            receptors: EnvelopeIndex::new(inputs.receptors.iter().map(|r| &r.shape)),
            corridors: EnvelopeIndex::from_optional_rects(corridor_rects),
            parks: EnvelopeIndex::new(inputs.parks.iter().map(|p| &p.area)),
            districts: EnvelopeIndex::new(inputs.districts.iter().map(|d| &d.area)),
            industrial_uses: uses(&c.industrial_uses),
            sensitive_uses,
            fire_rules: c.fire_rules.iter().map(|r| (r.fire_risk, uses(&r.planned_uses))).collect(),
            origin: settings.origin.iter().map(|n| NameKey::new(n)).collect(),
            deadlines: settings
                .phasing
                .deadlines
                .iter()
                .map(|(n, y)| (NameKey::new(n), *y))
                .collect(),
            encourage_sectors: c.encourage_sectors.iter().map(|n| NameKey::new(n)).collect(),
            district_keys: inputs.districts.iter().map(|d| NameKey::new(&d.name)).collect(),
            field_keys: NameKey::fold_distinct(
                inputs.factories.iter().filter_map(|f| f.district.as_deref()).map(str::trim),
            ),
            sector_keys: if c.encourage_sectors.is_empty() {
                HashMap::new()
            } else {
                NameKey::fold_distinct(inputs.factories.iter().map(|f| f.sector.as_str()))
            },
        }
    }
}

/// A rectangle grown by `by_m` on every side.
fn grow(r: Rect<f64>, by_m: f64) -> Rect<f64> {
    let by = by_m.max(0.0);
    Rect::new(
        geo::Coord { x: r.min().x - by, y: r.min().y - by },
        geo::Coord { x: r.max().x + by, y: r.max().y + by },
    )
}

// ---------------------------------------------------------------------------------------------
// Record + screening → finding.

/// What the inspection record says about a criterion, with its evidence phrase.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Record {
    /// The record establishes the criterion.
    Holds(String),
    /// The record establishes that the criterion does not hold.
    DoesNotHold(String),
    /// No record, or a record that does not settle the criterion.
    Unknown(String),
}

impl Record {
    /// C1's and C4's record: one recorded finding, `holds_when` being the value that
    /// establishes the criterion; `phrase` words the recorded value.
    pub(crate) fn of_finding(
        value: Option<bool>,
        holds_when: bool,
        lang: Lang,
        phrase: fn(Lang, bool) -> String,
    ) -> Record {
        match value {
            Some(v) if v == holds_when => Record::Holds(phrase(lang, v)),
            Some(v) => Record::DoesNotHold(phrase(lang, v)),
            None => Record::Unknown(evidence::no_record(lang)),
        }
    }

    /// C2's and C3's record: a violation that cannot be remedied holds; a remediable one, or
    /// none, does not; a violation whose remediability nobody assessed, or no record, is unknown.
    /// `phrase` words what the record says for the criterion.
    pub(crate) fn of_remedy(
        violation: Option<bool>,
        remediable: Option<bool>,
        lang: Lang,
        phrase: fn(Lang, evidence::Remedy) -> String,
    ) -> Record {
        use evidence::Remedy;
        match (violation, remediable) {
            (Some(true), Some(false)) => Record::Holds(phrase(lang, Remedy::Unremediable)),
            (Some(true), Some(true)) => Record::DoesNotHold(phrase(lang, Remedy::Remediable)),
            (Some(false), _) => Record::DoesNotHold(phrase(lang, Remedy::Compliant)),
            (Some(true), None) => Record::Unknown(phrase(lang, Remedy::RemedyUnknown)),
            (None, _) => Record::Unknown(evidence::no_record(lang)),
        }
    }
}

/// What the spatial screening found, with its evidence phrase.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Screening {
    Hit(String),
    Clear(String),
    /// Not enough data to screen (no layer, no hazard class, not in any zoning polygon…).
    Unavailable(String),
}

/// How a record and a screening combine, as the scenario sets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rule {
    /// `[criteria] screening`: screening evidence alone can establish a criterion.
    pub screening_decides: bool,
    /// `[criteria] record_overrides_screening`: a record saying the factory complies clears a
    /// screening hit (else either source establishes the criterion).
    pub record_overrides_screening: bool,
}

/// What each legal criterion's module says, and all it says: how its inspection record reads and
/// how it screens. Switching off, the record rule and the evidence are `judge`'s, once for all.
pub(crate) trait LegalCriterion {
    const CRITERION: Criterion;
    fn record(ctx: &Context<'_>, factory: &Factory) -> Record;
    /// `zones_here`: the zoning polygons at the factory's location, sorted by id.
    fn screen(ctx: &Context<'_>, factory: &Factory, zones_here: &[&Zone]) -> Screening;
}

/// The opening every criterion shares: switched off → `off`; else its record and its screening
/// are combined by `decide`.
pub(crate) fn judge<C: LegalCriterion>(
    ctx: &Context<'_>,
    factory: &Factory,
    zones_here: &[&Zone],
) -> CriterionResult {
    let criterion = C::CRITERION;
    let c = &ctx.settings.criteria;
    let on = match criterion {
        Criterion::C1Construction => c.construction,
        Criterion::C2Environment => c.environment,
        Criterion::C3FireSafety => c.fire_safety,
        Criterion::C4LandUse => c.land_use,
    };
    if !on {
        return off(criterion, ctx.lang);
    }
    let record = C::record(ctx, factory);
    decide(criterion, record, C::screen(ctx, factory, zones_here), ctx.rule, ctx.lang)
}

/// Combines a record and a screening into a finding, following the table in the module docs.
pub(crate) fn decide(
    criterion: Criterion,
    record: Record,
    screening: Screening,
    rule: Rule,
    lang: Lang,
) -> CriterionResult {
    let screening_decides = rule.screening_decides;
    // The one case the two readings of "record, or screening" disagree on.
    let disagreement = matches!((&record, &screening), (Record::DoesNotHold(_), Screening::Hit(_)));
    let (finding, basis, parts): (Finding, Basis, Vec<String>) = match (record, screening) {
        (Record::Holds(r), Screening::Hit(s)) => {
            (Finding::Met, Basis::RecordAndScreening, vec![r, s])
        }
        (Record::Holds(r), Screening::Clear(s)) => {
            (Finding::Met, Basis::Record, vec![r, s, evidence::not_confirmed(lang).to_string()])
        }
        (Record::Holds(r), Screening::Unavailable(s)) => (Finding::Met, Basis::Record, vec![r, s]),
        (Record::DoesNotHold(r), Screening::Hit(s))
            if screening_decides && !rule.record_overrides_screening =>
        {
            (
                Finding::Met,
                Basis::Screening,
                vec![r, s, evidence::disagree_either(lang).to_string()],
            )
        }
        (Record::DoesNotHold(r), Screening::Hit(s)) => {
            (Finding::NotMet, Basis::None, vec![r, s, evidence::disagree(lang).to_string()])
        }
        (Record::DoesNotHold(r), Screening::Clear(s) | Screening::Unavailable(s)) => {
            (Finding::NotMet, Basis::None, vec![r, s])
        }
        (Record::Unknown(r), Screening::Hit(s)) if screening_decides => {
            (Finding::Met, Basis::Screening, vec![r, s])
        }
        (Record::Unknown(r), Screening::Hit(s)) => {
            (Finding::Unknown, Basis::None, vec![r, s, evidence::lead_only(lang).to_string()])
        }
        (Record::Unknown(r), Screening::Clear(s)) if screening_decides => {
            (Finding::NotMet, Basis::None, vec![r, s])
        }
        (Record::Unknown(r), Screening::Clear(s)) => {
            (Finding::Unknown, Basis::None, vec![r, s, evidence::record_needed(lang).to_string()])
        }
        (Record::Unknown(r), Screening::Unavailable(s)) => {
            (Finding::Unknown, Basis::None, vec![r, s])
        }
    };
    CriterionResult { criterion, finding, basis, evidence: parts.join("; "), disagreement }
}

/// The result of a criterion switched off in the scenario.
pub(crate) fn off(criterion: Criterion, lang: Lang) -> CriterionResult {
    CriterionResult {
        criterion,
        finding: Finding::Off,
        basis: Basis::None,
        evidence: evidence::switched_off(lang),
        disagreement: false,
    }
}

// ---------------------------------------------------------------------------------------------
// Counts for summary.json and the `relocate assess` table.

/// Verdicts of the factories of one district.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DistrictCounts {
    pub factories: usize,
    pub must_relocate: usize,
    pub encouraged: usize,
    pub may_stay: usize,
    pub out_of_scope: usize,
}

impl DistrictCounts {
    fn add(&mut self, v: Verdict) {
        self.factories += 1;
        match v {
            Verdict::MustRelocate => self.must_relocate += 1,
            Verdict::Encouraged => self.encouraged += 1,
            Verdict::MayStay => self.may_stay += 1,
            Verdict::OutOfScope => self.out_of_scope += 1,
        }
    }
}

/// Counts per verdict, per criterion met, per basis and per district. Every verdict, criterion
/// and basis is present, with 0 when nothing has it, so that summaries keep the same keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub factories_total: usize,
    /// `must_relocate`, `encouraged`, `may_stay`, `out_of_scope`.
    pub verdicts: BTreeMap<&'static str, usize>,
    /// Factories meeting each criterion, by code `C1`..`C4` (a factory can meet several).
    pub criteria_met: BTreeMap<&'static str, usize>,
    /// Factories by the basis of their verdict: `record`, `screening`, `record+screening`, `none`.
    pub basis: BTreeMap<&'static str, usize>,
    /// Factories whose record says they comply where screening finds a criterion.
    pub disagreements: usize,
    /// By district name (as first met in factory order; names equal after NFC and case folding
    /// are one district). Factories with no district are under `(none)`.
    pub districts: BTreeMap<String, DistrictCounts>,
}

/// The key for factories with no district.
pub const NO_DISTRICT: &str = "(none)";

impl Assessment {
    /// Counts for the summary and the table `relocate assess` prints.
    pub fn counts(&self) -> Counts {
        let mut verdicts: BTreeMap<&'static str, usize> =
            [Verdict::MustRelocate, Verdict::Encouraged, Verdict::MayStay, Verdict::OutOfScope]
                .into_iter()
                .map(|v| (v.as_str(), 0))
                .collect();
        let mut criteria_met: BTreeMap<&'static str, usize> =
            Criterion::ALL.into_iter().map(|c| (c.code(), 0)).collect();
        let mut basis: BTreeMap<&'static str, usize> =
            [Basis::Record, Basis::Screening, Basis::RecordAndScreening, Basis::None]
                .into_iter()
                .map(|b| (b.as_str(), 0))
                .collect();
        let mut names: BTreeMap<NameKey, String> = BTreeMap::new();
        // Raw name → shown name, so each distinct spelling is folded once.
        let mut shown: HashMap<&str, String> = HashMap::new();
        let mut districts: BTreeMap<String, DistrictCounts> = BTreeMap::new();
        let mut disagreements = 0;
        for a in &self.factories {
            if a.disagreements().next().is_some() {
                disagreements += 1;
            }
            *verdicts.entry(a.verdict.as_str()).or_default() += 1;
            *basis.entry(a.basis.as_str()).or_default() += 1;
            for r in a.results.iter().filter(|r| r.finding == Finding::Met) {
                *criteria_met.entry(r.criterion.code()).or_default() += 1;
            }
            let name = match a.district.as_deref() {
                Some(d) => shown
                    .entry(d)
                    .or_insert_with(|| {
                        names.entry(NameKey::new(d)).or_insert_with(|| d.trim().to_string()).clone()
                    })
                    .as_str(),
                None => NO_DISTRICT,
            };
            match districts.get_mut(name) {
                Some(c) => c.add(a.verdict),
                None => {
                    let mut c = DistrictCounts::default();
                    c.add(a.verdict);
                    districts.insert(name.to_string(), c);
                }
            }
        }
        Counts {
            factories_total: self.factories.len(),
            verdicts,
            criteria_met,
            basis,
            disagreements,
            districts,
        }
    }
}

impl fmt::Display for Counts {
    /// A plain-text table: verdicts, criteria met, basis, then one row per district.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let get = |m: &BTreeMap<&'static str, usize>, k: &str| m.get(k).copied().unwrap_or(0);
        writeln!(f, "{:<24}{:>10}", "verdict", "factories")?;
        for v in [Verdict::MustRelocate, Verdict::Encouraged, Verdict::MayStay, Verdict::OutOfScope]
        {
            writeln!(f, "{:<24}{:>10}", v.as_str(), get(&self.verdicts, v.as_str()))?;
        }
        writeln!(f, "{:<24}{:>10}", "total", self.factories_total)?;
        writeln!(f)?;
        writeln!(f, "{:<24}{:>10}", "criterion met", "factories")?;
        for c in Criterion::ALL {
            writeln!(f, "{:<24}{:>10}", c.field(), get(&self.criteria_met, c.code()))?;
        }
        writeln!(f)?;
        writeln!(f, "{:<24}{:>10}", "basis", "factories")?;
        for b in [Basis::Record, Basis::Screening, Basis::RecordAndScreening, Basis::None] {
            writeln!(f, "{:<24}{:>10}", b.as_str(), get(&self.basis, b.as_str()))?;
        }
        writeln!(f)?;
        writeln!(f, "{:<24}{:>10}", "record vs screening", "factories")?;
        writeln!(f, "{:<24}{:>10}", "disagree (inspect first)", self.disagreements)?;
        writeln!(f)?;
        writeln!(
            f,
            "{:<24}{:>14}{:>12}{:>10}{:>14}{:>10}",
            "district", "must_relocate", "encouraged", "may_stay", "out_of_scope", "total"
        )?;
        for (name, d) in &self.districts {
            writeln!(
                f,
                "{:<24}{:>14}{:>12}{:>10}{:>14}{:>10}",
                name, d.must_relocate, d.encouraged, d.may_stay, d.out_of_scope, d.factories
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use geo::{Geometry, Point};

    use super::testkit::{rect, World};
    use super::*;
    use crate::model::{HazardClass, PlannedUse};

    #[test]
    fn any_criterion_met_makes_the_factory_must_relocate_with_the_combined_basis() {
        let mut w = World::new();
        w.zone("Z1", PlannedUse::Residential, rect(0.0, 0.0, 100.0, 100.0));
        w.factory("SCREEN", 50.0, 50.0);
        w.factory("BOTH", 50.0, 50.0).records.construction_violation = Some(true);
        w.factory("RECORD", 500.0, 500.0).records.construction_violation = Some(true);
        let a = w.of("SCREEN");
        assert_eq!((a.verdict, a.basis), (Verdict::MustRelocate, Basis::Screening));
        assert_eq!(a.criteria_codes(), "C4");
        let a = w.of("BOTH");
        assert_eq!((a.verdict, a.basis), (Verdict::MustRelocate, Basis::RecordAndScreening));
        assert_eq!(a.criteria_codes(), "C1,C4");
        let a = w.of("RECORD");
        assert_eq!((a.verdict, a.basis), (Verdict::MustRelocate, Basis::Record));
    }

    /// A class II plant 33 m from housing whose environmental record says it complies.
    fn clean_record_next_to_housing(record_overrides_screening: bool) -> World {
        let mut w = World::new();
        w.settings.criteria.record_overrides_screening = record_overrides_screening;
        w.zone("Z1", PlannedUse::Industrial, rect(-50.0, -50.0, 20.0, 50.0));
        w.receptor("HOUSING", "residential", Geometry::Point(Point::new(33.0, 0.0)));
        let f = w.factory("CLEAN", 0.0, 0.0);
        f.hazard_class = Some(HazardClass::II);
        f.records.environment_violation = Some(false);
        w
    }

    #[test]
    fn by_default_a_clean_record_overrides_a_screening_hit_and_the_disagreement_is_flagged() {
        let w = clean_record_next_to_housing(true);
        let r = w.result("CLEAN", Criterion::C2Environment);
        assert_eq!((r.finding, r.basis), (Finding::NotMet, Basis::None));
        assert!(r.disagreement);
        assert!(r.evidence.contains("the record is the legal basis"), "{}", r.evidence);
        let a = w.of("CLEAN");
        assert_eq!(a.verdict, Verdict::MayStay);
        assert_eq!(a.disagreements().collect::<Vec<_>>(), vec![Criterion::C2Environment]);
        assert_eq!(w.assess().counts().disagreements, 1);
    }

    #[test]
    fn when_the_record_does_not_override_a_screening_hit_establishes_the_criterion() {
        let w = clean_record_next_to_housing(false);
        let r = w.result("CLEAN", Criterion::C2Environment);
        assert_eq!((r.finding, r.basis), (Finding::Met, Basis::Screening));
        assert!(r.disagreement);
        assert!(r.evidence.contains("either establishes the criterion"), "{}", r.evidence);
        assert_eq!(w.of("CLEAN").verdict, Verdict::MustRelocate);
        assert_eq!(w.assess().counts().disagreements, 1);
    }

    #[test]
    fn with_screening_off_a_clean_record_stands_whatever_the_record_rule() {
        let mut w = clean_record_next_to_housing(false);
        w.settings.criteria.screening = false;
        let r = w.result("CLEAN", Criterion::C2Environment);
        assert_eq!(r.finding, Finding::NotMet);
        assert!(r.disagreement);
    }

    #[test]
    fn agreeing_record_and_screening_are_no_disagreement() {
        let mut w = clean_record_next_to_housing(true);
        w.inputs.factories[0].records.environment_violation = Some(true);
        w.inputs.factories[0].records.environment_remediable = Some(false);
        let r = w.result("CLEAN", Criterion::C2Environment);
        assert_eq!((r.finding, r.basis), (Finding::Met, Basis::RecordAndScreening));
        assert!(!r.disagreement);
        assert_eq!(w.assess().counts().disagreements, 0);
    }

    #[test]
    fn a_criterion_switched_off_is_off_before_its_record_or_screening_is_read() {
        for criterion in Criterion::ALL {
            let mut w = clean_record_next_to_housing(true);
            let c = &mut w.settings.criteria;
            match criterion {
                Criterion::C1Construction => c.construction = false,
                Criterion::C2Environment => c.environment = false,
                Criterion::C3FireSafety => c.fire_safety = false,
                Criterion::C4LandUse => c.land_use = false,
            }
            let r = w.result("CLEAN", criterion);
            assert_eq!((r.finding, r.disagreement), (Finding::Off, false), "{criterion:?}");
        }
    }

    #[test]
    fn a_factory_meeting_nothing_is_encouraged_when_it_wants_to_move_or_a_rule_matches() {
        let mut w = World::new();
        w.settings.criteria.encourage_sectors = vec!["Ceramics".into()];
        w.settings.criteria.encourage_hazard_classes = vec![HazardClass::I];
        w.factory("WANTS", 0.0, 0.0).records.wants_relocation = Some(true);
        w.factory("SECTOR", 0.0, 0.0).sector = "ceramics".into();
        w.factory("CLASS", 0.0, 0.0).hazard_class = Some(HazardClass::I);
        w.factory("STAYS", 0.0, 0.0).records.wants_relocation = Some(false);
        let a = w.of("WANTS");
        assert_eq!(
            (a.verdict, a.note.as_str()),
            (Verdict::Encouraged, "encouraged: the enterprise wants to relocate (record)")
        );
        let a = w.of("SECTOR");
        assert_eq!(a.verdict, Verdict::Encouraged);
        assert!(a.note.contains("sector ceramics"), "{}", a.note);
        let a = w.of("CLASS");
        assert_eq!(a.verdict, Verdict::Encouraged);
        assert!(a.note.contains("hazard class I"), "{}", a.note);
        let a = w.of("STAYS");
        assert_eq!((a.verdict, a.basis, a.note.as_str()), (Verdict::MayStay, Basis::None, ""));
    }

    #[test]
    fn every_criterion_switched_off_leaves_four_off_results() {
        let mut w = World::new();
        let c = &mut w.settings.criteria;
        (c.construction, c.environment, c.fire_safety, c.land_use) = (false, false, false, false);
        w.zone("Z1", PlannedUse::Residential, rect(0.0, 0.0, 100.0, 100.0));
        let f = w.factory("F1", 50.0, 50.0);
        f.records.construction_violation = Some(true);
        f.records.land_use_conforming = Some(false);
        let a = w.of("F1");
        assert_eq!(a.verdict, Verdict::MayStay);
        assert!(a.results.iter().all(|r| r.finding == Finding::Off));
        assert_eq!(
            a.results.iter().map(|r| r.criterion).collect::<Vec<_>>(),
            Criterion::ALL.to_vec()
        );
    }

    #[test]
    fn evidence_is_written_in_vietnamese_when_asked() {
        let mut w = World::new();
        w.settings.lang = Lang::Vi;
        w.zone("Z17", PlannedUse::Residential, rect(0.0, 0.0, 100.0, 100.0));
        w.receptor("R5", "school", Geometry::Point(Point::new(280.0, 50.0)));
        let f = w.factory("F1", 50.0, 50.0);
        f.hazard_class = Some(HazardClass::II);
        let a = w.of("F1");
        let c2 = &a.results[1].evidence;
        assert!(c2.starts_with("chưa có hồ sơ kiểm tra"), "{c2}");
        assert!(c2.contains("sàng lọc: cách khu quy hoạch đất ở Z17 0 m; cơ sở loại II cần khoảng cách ly 500 m"), "{c2}");
        let c4 = &a.results[3].evidence;
        assert!(
            c4.contains(
                "chồng lớp quy hoạch: vị trí thuộc đất ở (khu Z17), không phải đất công nghiệp"
            ),
            "{c4}"
        );
        w.settings.origin = vec!["Dĩ An".into()];
        assert!(w.of("F1").note.starts_with("ngoài phạm vi"));
    }

    #[test]
    fn results_keep_factory_order_across_threads() {
        let mut w = World::new();
        w.zone("Z1", PlannedUse::Residential, rect(0.0, 0.0, 1000.0, 1000.0));
        for i in 0..2000 {
            w.factory(&format!("F{i:04}"), (i % 40) as f64 * 50.0, (i / 40) as f64 * 50.0);
        }
        let a = w.assess();
        assert_eq!(a.factories.len(), 2000);
        for (i, fa) in a.factories.iter().enumerate() {
            assert_eq!(fa.factory, i);
            let inside = (i % 40) * 50 <= 1000 && (i / 40) * 50 <= 1000;
            assert_eq!(fa.verdict == Verdict::MustRelocate, inside, "factory {i}");
        }
    }

    #[test]
    fn the_same_inputs_give_the_same_assessment() {
        let mut w = World::new();
        w.zone("Z1", PlannedUse::Residential, rect(1200.0, 0.0, 2000.0, 1000.0));
        w.receptor("R1", "school", Geometry::Point(Point::new(10.0, 10.0)));
        w.receptor("R2", "school", Geometry::Point(Point::new(10.0, 10.0)));
        for i in 0..300 {
            w.factory(&format!("F{i}"), i as f64 * 5.0, 0.0).hazard_class = Some(HazardClass::III);
        }
        let first = serde_json::to_string(&w.assess()).unwrap();
        assert_eq!(first, serde_json::to_string(&w.assess()).unwrap());
        // Two receptors at the same distance: the lower id is named.
        assert!(w.result("F0", Criterion::C2Environment).evidence.contains("school R1;"));
    }

    #[test]
    fn counts_cover_verdicts_criteria_basis_and_districts_and_print_as_a_table() {
        let mut w = World::new();
        w.district("Thuận An", rect(0.0, 0.0, 1000.0, 1000.0));
        w.district("Bàu Bàng", rect(0.0, 5000.0, 1000.0, 6000.0));
        w.settings.origin = vec!["Thuận An".into()];
        w.zone("Z1", PlannedUse::Residential, rect(0.0, 0.0, 100.0, 100.0));
        w.factory("A", 50.0, 50.0).records.construction_violation = Some(true);
        w.factory("B", 500.0, 500.0).records.wants_relocation = Some(true);
        w.factory("C", 600.0, 600.0).district = Some("THUẬN AN".into());
        w.factory("D", 500.0, 5500.0);
        let counts = w.assess().counts();
        assert_eq!(counts.factories_total, 4);
        assert_eq!(counts.verdicts["must_relocate"], 1);
        assert_eq!(counts.verdicts["encouraged"], 1);
        assert_eq!(counts.verdicts["may_stay"], 1);
        assert_eq!(counts.verdicts["out_of_scope"], 1);
        assert_eq!(counts.criteria_met["C1"], 1);
        assert_eq!(counts.criteria_met["C4"], 1);
        assert_eq!(counts.criteria_met["C2"], 0);
        assert_eq!(counts.basis["record+screening"], 1);
        assert_eq!(counts.basis["none"], 3);
        let ta = &counts.districts["Thuận An"];
        assert_eq!((ta.factories, ta.must_relocate, ta.encouraged, ta.may_stay), (3, 1, 1, 1));
        assert_eq!(counts.districts["Bàu Bàng"].out_of_scope, 1);
        let table = counts.to_string();
        assert!(table.contains("must_relocate                    1"), "{table}");
        assert!(table.contains("c4_land_use                      1"), "{table}");
        assert!(table.lines().any(|l| l.starts_with("Thuận An") && l.ends_with("3")), "{table}");
        let json = serde_json::to_value(&counts).unwrap();
        assert_eq!(json["districts"]["Bàu Bàng"]["out_of_scope"], 1);
    }
}
