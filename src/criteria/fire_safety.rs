//! C3 — the factory does not meet fire-safety conditions and cannot remedy it.
//!
//! 1. Record: `fire_violation` with `fire_remediable`, read like C2's record: violation and not
//!    remediable → holds; remediable, or no violation → does not hold; violation with
//!    remediability unknown, or no record → unknown.
//! 2. Screening: the scenario's `criteria.fire_rules` — a factory of the rule's `fire_risk` whose
//!    location lies in a zone of one of the rule's `planned_uses` (zone boundary counts as
//!    inside, holes are outside; the first matching zone by id is named). No fire risk on the
//!    factory, no rule in the scenario, or a location in no zoning polygon → unknown.
//! 3. `judge` (in `criteria`) combines the two.

use super::evidence;
use super::{Context, Criterion, LegalCriterion, Record, Screening};
use crate::model::{Factory, Zone};

pub(crate) struct FireSafety;

impl LegalCriterion for FireSafety {
    const CRITERION: Criterion = Criterion::C3FireSafety;

    fn record(ctx: &Context<'_>, factory: &Factory) -> Record {
        let r = &factory.records;
        Record::of_remedy(r.fire_violation, r.fire_remediable, ctx.lang, evidence::c3_record)
    }

    fn screen(ctx: &Context<'_>, factory: &Factory, zones_here: &[&Zone]) -> Screening {
        screen(ctx, factory, zones_here)
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
    let hit =
        zones_here.iter().find(|z| rules.iter().any(|(_, uses)| uses.contains(&z.planned_use)));
    match hit {
        Some(z) => Screening::Hit(evidence::c3_rule_hit(lang, risk, z.planned_use, &z.id)),
        None => Screening::Clear(evidence::c3_clear(lang, risk)),
    }
}

#[cfg(test)]
mod tests {
    use crate::criteria::testkit::{rect, World};
    use crate::criteria::{Basis, Criterion::C3FireSafety as C3, Finding};
    use crate::model::{FireRisk, PlannedUse};

    #[test]
    fn an_unremediable_fire_violation_on_record_is_met() {
        let mut w = World::new();
        let f = w.factory("F1", 0.0, 0.0);
        f.records.fire_violation = Some(true);
        f.records.fire_remediable = Some(false);
        let r = w.result("F1", C3);
        assert_eq!((r.finding, r.basis), (Finding::Met, Basis::Record));
    }

    #[test]
    fn a_fire_violation_with_unknown_remediability_is_not_established() {
        let mut w = World::new();
        w.factory("F1", 0.0, 0.0).records.fire_violation = Some(true);
        let r = w.result("F1", C3);
        assert_eq!(r.finding, Finding::Unknown);
        assert!(r.evidence.contains("whether it can be remedied is unknown"), "{}", r.evidence);
    }

    #[test]
    fn high_fire_risk_inside_a_residential_zone_is_met_by_the_default_rule() {
        let mut w = World::new();
        w.zone("Z3", PlannedUse::Residential, rect(0.0, 0.0, 100.0, 100.0));
        w.factory("HIGH", 50.0, 50.0).fire_risk = Some(FireRisk::High);
        w.factory("LOW", 50.0, 50.0).fire_risk = Some(FireRisk::Low);
        let r = w.result("HIGH", C3);
        assert_eq!((r.finding, r.basis), (Finding::Met, Basis::Screening));
        assert!(
            r.evidence.contains("high fire risk inside residential zone Z3 (scenario rule)"),
            "{}",
            r.evidence
        );
        assert_eq!(w.result("LOW", C3).finding, Finding::NotMet);
    }

    #[test]
    fn high_fire_risk_in_an_industrial_zone_is_not_met() {
        let mut w = World::new();
        w.zone("Z3", PlannedUse::Industrial, rect(0.0, 0.0, 100.0, 100.0));
        w.factory("F1", 50.0, 50.0).fire_risk = Some(FireRisk::High);
        assert_eq!(w.result("F1", C3).finding, Finding::NotMet);
    }

    #[test]
    fn without_a_fire_risk_screening_is_unknown() {
        let mut w = World::new();
        w.zone("Z3", PlannedUse::Residential, rect(0.0, 0.0, 100.0, 100.0));
        w.factory("F1", 50.0, 50.0);
        let r = w.result("F1", C3);
        assert_eq!(r.finding, Finding::Unknown);
        assert!(r.evidence.contains("no fire risk recorded"), "{}", r.evidence);
    }

    #[test]
    fn a_remediable_record_overrides_a_matching_rule() {
        let mut w = World::new();
        w.zone("Z3", PlannedUse::Residential, rect(0.0, 0.0, 100.0, 100.0));
        let f = w.factory("F1", 50.0, 50.0);
        f.fire_risk = Some(FireRisk::High);
        f.records.fire_violation = Some(true);
        f.records.fire_remediable = Some(true);
        let r = w.result("F1", C3);
        assert_eq!(r.finding, Finding::NotMet);
        assert!(r.evidence.contains("record and screening disagree"), "{}", r.evidence);
    }
}
