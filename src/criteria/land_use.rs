//! C4 — the factory's location is inconsistent with the land-use plan.
//!
//! 1. Record: `land_use_conforming` (`false` holds, `true` does not, empty is unknown).
//! 2. Overlay: the planned use of the zoning polygon at the factory's location (its point, or the
//!    representative point of its footprint) is not in `criteria.industrial_uses`.
//!    A location in no zoning polygon is unknown ("not in any zoning polygon"), never conforming.
//!    Holes of (Multi)Polygons are outside the zone. A location on a zone's boundary counts as
//!    inside it; on the border between zones it lies in each of them, and conforms only if every
//!    zone there is an industrial use (the first non-conforming zone by id is named).
//! 3. `judge` (in `criteria`) combines the two (the overlay is spatial inference: basis `screening`).

use geo::Point;

use super::{evidence, Context, Criterion, LegalCriterion, Record, Screening};
use crate::model::{Factory, Zone};
use crate::spatial;

/// The zones at the location (boundary included, holes excluded), sorted by id.
pub(crate) fn zones_at<'a>(ctx: &'a Context<'_>, location: Point<f64>) -> Vec<&'a Zone> {
    let mut zones: Vec<&Zone> = ctx
        .zoning
        .at_point(location)
        .into_iter()
        .filter_map(|i| ctx.inputs.zoning.get(i))
        .filter(|z| spatial::touches(&z.area, location))
        .collect();
    zones.sort_by(|a, b| a.id.cmp(&b.id));
    zones
}

pub(crate) struct LandUse;

impl LegalCriterion for LandUse {
    const CRITERION: Criterion = Criterion::C4LandUse;

    /// `land_use_conforming = false` is what establishes C4.
    fn record(ctx: &Context<'_>, factory: &Factory) -> Record {
        let conforming = factory.records.land_use_conforming;
        Record::of_finding(conforming, false, ctx.lang, evidence::c4_record)
    }

    fn screen(ctx: &Context<'_>, _factory: &Factory, zones_here: &[&Zone]) -> Screening {
        overlay(ctx, zones_here)
    }
}

fn overlay(ctx: &Context<'_>, zones_here: &[&Zone]) -> Screening {
    let lang = ctx.lang;
    if ctx.inputs.zoning.is_empty() {
        return Screening::Unavailable(evidence::c4_no_layer(lang));
    }
    let nonconforming = zones_here.iter().find(|z| !ctx.industrial_uses.contains(&z.planned_use));
    match (nonconforming, zones_here.first()) {
        (Some(z), _) => Screening::Hit(evidence::c4_overlay(lang, z.planned_use, &z.id, false)),
        (None, Some(z)) => Screening::Clear(evidence::c4_overlay(lang, z.planned_use, &z.id, true)),
        (None, None) => {
            Screening::Unavailable(evidence::not_in_zone(lang, evidence::overlay_word(lang)))
        }
    }
}

#[cfg(test)]
mod tests {
    use geo::MultiPolygon;

    use crate::criteria::testkit::{rect, rect_polygon, World};
    use crate::criteria::{Basis, Criterion::C4LandUse as C4, Finding};
    use crate::model::PlannedUse;

    #[test]
    fn a_factory_in_a_residential_zone_is_met_by_the_overlay() {
        let mut w = World::new();
        w.zone("Z17", PlannedUse::Residential, rect(0.0, 0.0, 100.0, 100.0));
        w.factory("F1", 50.0, 50.0);
        let r = w.result("F1", C4);
        assert_eq!((r.finding, r.basis), (Finding::Met, Basis::Screening));
        assert!(
            r.evidence.contains(
                "overlay: planned use at the site is residential (zone Z17), not an industrial use"
            ),
            "{}",
            r.evidence
        );
    }

    #[test]
    fn a_factory_in_an_industrial_zone_conforms() {
        let mut w = World::new();
        w.zone("Z2", PlannedUse::Industrial, rect(0.0, 0.0, 100.0, 100.0));
        w.factory("F1", 50.0, 50.0);
        assert_eq!(w.result("F1", C4).finding, Finding::NotMet);
    }

    #[test]
    fn a_factory_in_no_zoning_polygon_is_unknown_never_conforming() {
        let mut w = World::new();
        w.zone("Z2", PlannedUse::Industrial, rect(0.0, 0.0, 100.0, 100.0));
        w.factory("F1", 500.0, 500.0);
        let r = w.result("F1", C4);
        assert_eq!(r.finding, Finding::Unknown);
        assert!(r.evidence.contains("not in any zoning polygon"), "{}", r.evidence);
    }

    #[test]
    fn on_a_zone_boundary_counts_as_inside_and_every_zone_there_must_conform() {
        let mut w = World::new();
        w.zone("Z1", PlannedUse::Residential, rect(0.0, 0.0, 100.0, 100.0));
        w.zone("Z2", PlannedUse::Industrial, rect(100.0, 0.0, 200.0, 100.0));
        w.zone("Z3", PlannedUse::Industrial, rect(300.0, 0.0, 400.0, 100.0));
        w.factory("SHARED_EDGE", 100.0, 50.0);
        w.factory("OUTER_EDGE", 400.0, 50.0);
        let r = w.result("SHARED_EDGE", C4);
        assert_eq!(r.finding, Finding::Met);
        assert!(r.evidence.contains("zone Z1"), "{}", r.evidence);
        assert_eq!(w.result("OUTER_EDGE", C4).finding, Finding::NotMet);
    }

    #[test]
    fn a_hole_of_a_multipolygon_zone_is_outside_it() {
        let mut w = World::new();
        let with_hole = MultiPolygon(vec![
            rect_polygon(0.0, 0.0, 100.0, 100.0, vec![[40.0, 40.0, 60.0, 60.0]]),
            rect_polygon(200.0, 0.0, 300.0, 100.0, vec![]),
        ]);
        w.zone("Z1", PlannedUse::Industrial, with_hole);
        w.factory("IN_HOLE", 50.0, 50.0);
        w.factory("IN_SECOND_PART", 250.0, 50.0);
        assert_eq!(w.result("IN_HOLE", C4).finding, Finding::Unknown);
        assert_eq!(w.result("IN_SECOND_PART", C4).finding, Finding::NotMet);
        // The hole is a residential enclave.
        w.zone("Z9", PlannedUse::Residential, rect(40.0, 40.0, 60.0, 60.0));
        let r = w.result("IN_HOLE", C4);
        assert_eq!(r.finding, Finding::Met);
        assert!(r.evidence.contains("zone Z9"), "{}", r.evidence);
    }

    #[test]
    fn a_record_of_nonconformity_is_met_and_a_conforming_record_overrides_the_overlay() {
        let mut w = World::new();
        w.zone("Z1", PlannedUse::Residential, rect(0.0, 0.0, 100.0, 100.0));
        w.zone("Z2", PlannedUse::Industrial, rect(200.0, 0.0, 300.0, 100.0));
        w.factory("RECORDED", 250.0, 50.0).records.land_use_conforming = Some(false);
        w.factory("CONTRADICTED", 50.0, 50.0).records.land_use_conforming = Some(true);
        let r = w.result("RECORDED", C4);
        assert_eq!((r.finding, r.basis), (Finding::Met, Basis::Record));
        assert!(
            r.evidence.contains("screening does not show it; the record is the legal basis"),
            "{}",
            r.evidence
        );
        let r = w.result("CONTRADICTED", C4);
        assert_eq!(r.finding, Finding::NotMet);
        assert!(r.evidence.contains("record and screening disagree"), "{}", r.evidence);
    }

    #[test]
    fn industrial_uses_come_from_the_scenario() {
        let mut w = World::new();
        w.settings.criteria.industrial_uses = vec!["industrial".into(), "mixed".into()];
        w.zone("Z1", PlannedUse::Mixed, rect(0.0, 0.0, 100.0, 100.0));
        w.factory("F1", 50.0, 50.0);
        assert_eq!(w.result("F1", C4).finding, Finding::NotMet);
    }
}
