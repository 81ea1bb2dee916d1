//! C3 — the factory does not meet fire-safety conditions and cannot remedy it.
//!
//! 1. Record: `fire_violation` with `fire_remediable`, read like C2's record: violation and not
//!    remediable → holds; remediable, or no violation → does not hold; violation with
//!    remediability unknown, or no record → unknown.
//! 2. Screening: the scenario's `criteria.fire_rules` — a factory of the rule's `fire_risk` whose
//!    location lies in a zone of one of the rule's `planned_uses` (zone boundary counts as
//!    inside, holes are outside; the first matching zone by id is named). No fire risk on the
//!    factory, no rule in the scenario, or a location in no zoning polygon → unknown.
//! 3. `decide` combines the two.

use super::evidence::{self, Remedy};
use super::{decide, off, Context, Criterion, CriterionResult, Record, Screening};
use crate::model::{Factory, Records, Zone};

pub(crate) fn assess(ctx: &Context<'_>, factory: &Factory, zones_here: &[&Zone]) -> CriterionResult {
    let lang = ctx.lang;
    if !ctx.settings.criteria.fire_safety {
        return off(Criterion::C3FireSafety, lang);
    }
    let record = match remedy(&factory.records) {
        Some(r @ Remedy::Unremediable) => Record::Holds(evidence::c3_record(lang, r)),
        Some(r @ (Remedy::Remediable | Remedy::Compliant)) => Record::DoesNotHold(evidence::c3_record(lang, r)),
        Some(r @ Remedy::RemedyUnknown) => Record::Unknown(evidence::c3_record(lang, r)),
        None => Record::Unknown(evidence::no_record(lang)),
    };
    decide(
        Criterion::C3FireSafety,
        record,
        screen(ctx, factory, zones_here),
        ctx.settings.criteria.screening,
        lang,
    )
}

/// What the fire record says; `None` when there is no violation record at all.
fn remedy(records: &Records) -> Option<Remedy> {
    match (records.fire_violation, records.fire_remediable) {
        (Some(true), Some(false)) => Some(Remedy::Unremediable),
        (Some(true), Some(true)) => Some(Remedy::Remediable),
        (Some(true), None) => Some(Remedy::RemedyUnknown),
        (Some(false), _) => Some(Remedy::Compliant),
        (None, _) => None,
    }
}

fn screen(ctx: &Context<'_>, factory: &Factory, zones_here: &[&Zone]) -> Screening {
    let lang = ctx.lang;
    if ctx.fire_rules.is_empty() {
        return Screening::Unavailable(evidence::c3_no_rules(lang));
    }
    let Some(risk) = factory.fire_risk else {
        return Screening::Unavailable(evidence::c3_no_risk(lang));
    };
    let rules: Vec<_> = ctx.fire_rules.iter().filter(|(r, _)| *r == risk).collect();
    if rules.is_empty() {
        // No rule speaks about this risk level, wherever the factory stands.
        return Screening::Clear(evidence::c3_clear(lang, risk));
    }
    if zones_here.is_empty() {
        return Screening::Unavailable(evidence::not_in_zone(lang, evidence::screening_word(lang)));
    }
    let hit = zones_here
        .iter()
        .find(|z| rules.iter().any(|(_, uses)| uses.contains(&z.planned_use)));
    match hit {
        Some(z) => Screening::Hit(evidence::c3_rule_hit(lang, risk, z.planned_use, &z.id)),
        None => Screening::Clear(evidence::c3_clear(lang, risk)),
    }
}
