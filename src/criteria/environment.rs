//! C2 — the factory does not meet environmental regulations and cannot remedy it.
//!
//! 1. Record: `environment_violation` with `environment_remediable`:
//!    violation and not remediable → holds; violation and remediable → does not hold;
//!    no violation → does not hold; violation with remediability unknown → unknown (the
//!    criterion needs "cannot remedy", which nobody has established); no violation record →
//!    unknown.
//! 2. Screening (TCVN 4449:1987 App. III): a sensitive use lies *closer* than the separation
//!    distance of the factory's hazard class — any receptor, or a zoning polygon whose planned
//!    use is in `criteria.sensitive_uses`. Distances are geometry to geometry (site point or
//!    footprint to the receptor's or zone's shape, 0 when they touch), never centroid to
//!    centroid. Exactly at the separation distance is not closer. Neighbours cannot be moved, so
//!    a breach cannot be remedied in place. No hazard class, or no distance for it, → unknown.
//!    The nearest offending use is named, ties by id (receptors before zones at equal id).
//! 3. `judge` (in `criteria`) combines the two.

use geo::{CoordsIter, Distance, Euclidean, Geometry, MultiPolygon, Point};

use super::evidence;
use super::{Context, Criterion, LegalCriterion, Record, Screening};
use crate::model::{Factory, Site, Zone};
use crate::spatial::EnvelopeIndex;

pub(crate) struct Environment;

impl LegalCriterion for Environment {
    const CRITERION: Criterion = Criterion::C2Environment;

    fn record(ctx: &Context<'_>, factory: &Factory) -> Record {
        let r = &factory.records;
        let (violation, remediable) = (r.environment_violation, r.environment_remediable);
        Record::of_remedy(violation, remediable, ctx.lang, evidence::c2_record)
    }

    fn screen(ctx: &Context<'_>, factory: &Factory, zones_here: &[&Zone]) -> Screening {
        screen(ctx, factory, zones_here)
    }
}

fn screen(ctx: &Context<'_>, factory: &Factory, zones_here: &[&Zone]) -> Screening {
    let lang = ctx.lang;
    let Some(class) = factory.hazard_class else {
        return Screening::Unavailable(evidence::c2_no_class(lang));
    };
    let Some(separation_m) = ctx.settings.criteria.separation_m.get(&class).copied() else {
        return Screening::Unavailable(evidence::c2_no_distance(lang, class));
    };
    let zones_count = if ctx.sensitive_uses.is_empty() { 0 } else { ctx.inputs.zoning.len() };
    if ctx.inputs.receptors.is_empty() && zones_count == 0 {
        return Screening::Unavailable(evidence::c2_no_layer(lang));
    }

    let receptor = nearest_closer_than(
        &ctx.receptors,
        &factory.site,
        factory.location,
        separation_m,
        |i| ctx.inputs.receptors.get(i).map(|r| (r.id.as_str(), &r.shape)),
        geometry_distance,
    );
    // A point in a sensitive zone is 0 m from it, and no zone can be nearer: the zones at the
    // location (boundary included, sorted by id) are already known, so skip the search.
    let zone_here = match &factory.site {
        Site::Point(_) => zones_here.iter().find(|z| ctx.sensitive_uses.contains(&z.planned_use)),
        Site::Footprint(_) => None,
    };
    let zone: Option<(f64, &Zone)> = if zones_count == 0 {
        None
    } else if let Some(z) = zone_here {
        Some((0.0, *z))
    } else {
        nearest_closer_than(
            &ctx.sensitive_zoning,
            &factory.site,
            factory.location,
            separation_m,
            |i| {
                ctx.inputs
                    .zoning
                    .get(i)
                    .filter(|z| ctx.sensitive_uses.contains(&z.planned_use))
                    .map(|z| (z.id.as_str(), z))
            },
            |site, z| area_distance(site, &z.area),
        )
        .and_then(|(d, i)| ctx.inputs.zoning.get(i).map(|z| (d, z)))
    };

    let receptor_hit = receptor.and_then(|(d, i)| {
        let r = ctx.inputs.receptors.get(i)?;
        Some((d, r.id.as_str(), false, evidence::kind(lang, &r.kind)))
    });
    let zone_hit =
        zone.map(|(d, z)| (d, z.id.as_str(), true, evidence::c2_zone_label(lang, z.planned_use)));
    let nearest = [receptor_hit, zone_hit]
        .into_iter()
        .flatten()
        .min_by(|a, b| a.0.total_cmp(&b.0).then_with(|| (a.1, a.2).cmp(&(b.1, b.2))));
    match nearest {
        Some((d, id, _, what)) => {
            Screening::Hit(evidence::c2_too_close(lang, &what, id, d, class, separation_m))
        }
        None => Screening::Clear(evidence::c2_clear(lang, class, separation_m)),
    }
}

/// Distance in metres from the site to a receptor's shape (0 when they touch).
fn geometry_distance(site: &Site, shape: &Geometry<f64>) -> f64 {
    match site {
        Site::Point(p) => Euclidean.distance(p, shape),
        Site::Footprint(f) => Euclidean.distance(f, shape),
    }
}

/// Distance in metres from the site to a zone (0 inside or on it; a point in a hole is as far
/// as the hole's edge).
fn area_distance(site: &Site, area: &MultiPolygon<f64>) -> f64 {
    match site {
        Site::Point(p) => Euclidean.distance(p, area),
        Site::Footprint(f) => Euclidean.distance(f, area),
    }
}

/// The greatest distance from the location to any point of the footprint (reached at a vertex).
fn reach(footprint: &MultiPolygon<f64>, location: Point<f64>) -> f64 {
    footprint
        .coords_iter()
        .map(|c| Euclidean.distance(location, Point::from(c)))
        .fold(0.0, f64::max)
}

/// The first search radius around a site, m: about the spacing of zoning polygons in a city.
const FIRST_RADIUS_M: f64 = 100.0;

/// The feature nearest the site among those strictly closer than `limit_m`, with its distance;
/// ties by id. `feature(i)` gives the id and shape of feature `i`, or `None` to skip it.
fn nearest_closer_than<'a, T: ?Sized + 'a>(
    index: &EnvelopeIndex,
    site: &Site,
    location: Point<f64>,
    limit_m: f64,
    feature: impl Fn(usize) -> Option<(&'a str, &'a T)>,
    distance: impl Fn(&Site, &T) -> f64,
) -> Option<(f64, usize)> {
    let mut best: Option<(f64, &str, usize)> = None;
    let consider = |i: usize, best: &mut Option<(f64, &'a str, usize)>| {
        if let Some((id, shape)) = feature(i) {
            let d = distance(site, shape);
            let better = d < limit_m
                && match *best {
                    None => true,
                    Some((bd, bid, _)) => d < bd || (d == bd && id < bid),
                };
            if better {
                *best = Some((d, id, i));
            }
        }
    };
    // Walk the rectangles within reach nearest first from the factory's location. A
    // rectangle's distance is a lower bound of its shape's; for a footprint, take off the
    // footprint's reach from its location (no point of it is further). Once that bound passes
    // the limit or the best distance, nothing closer remains. (Strictly greater: a shape at
    // exactly the limit is rejected by the exact test.)
    let (from, reach_m) = match site {
        Site::Point(p) => (*p, 0.0),
        Site::Footprint(f) => (location, reach(f, location)),
    };
    // Rectangles within a small radius first, then within a radius four times as large, up to
    // the limit: once the best distance found is within the radius searched (less the reach),
    // every rectangle not yet seen is strictly further. Most sites near a sensitive use stop at
    // the first, small search.
    let full_m = limit_m + reach_m;
    let mut radius_m = full_m.min(FIRST_RADIUS_M);
    let mut seen_m = f64::NEG_INFINITY;
    let mut near = Vec::new();
    loop {
        index.nearest_within(from, radius_m, &mut near);
        for &(i, envelope_m) in &near {
            if envelope_m <= seen_m {
                continue;
            }
            let bound_m = envelope_m - reach_m;
            if bound_m > limit_m || best.is_some_and(|(bd, _, _)| bound_m > bd) {
                break;
            }
            consider(i, &mut best);
        }
        if radius_m >= full_m || best.is_some_and(|(bd, _, _)| bd + reach_m <= radius_m) {
            break;
        }
        seen_m = radius_m;
        radius_m = (radius_m * 4.0).min(full_m);
    }
    best.map(|(d, _, i)| (d, i))
}

#[cfg(test)]
mod tests {
    use geo::{Geometry, Point};

    use crate::criteria::testkit::{rect, World};
    use crate::criteria::{Basis, Criterion::C2Environment as C2, Finding, Verdict};
    use crate::model::{HazardClass, PlannedUse};

    fn point(x: f64, y: f64) -> Geometry<f64> {
        Geometry::Point(Point::new(x, y))
    }

    #[test]
    fn an_unremediable_violation_on_record_is_met_on_the_record() {
        let mut w = World::new();
        let f = w.factory("F1", 0.0, 0.0);
        f.records.environment_violation = Some(true);
        f.records.environment_remediable = Some(false);
        let r = w.result("F1", C2);
        assert_eq!((r.finding, r.basis), (Finding::Met, Basis::Record));
        assert!(r.evidence.starts_with("record: environmental violation that cannot be remedied"));
    }

    #[test]
    fn a_remediable_violation_or_no_violation_does_not_hold() {
        let mut w = World::new();
        let f = w.factory("REMEDIABLE", 0.0, 0.0);
        f.records.environment_violation = Some(true);
        f.records.environment_remediable = Some(true);
        let f = w.factory("CLEAN", 0.0, 0.0);
        f.records.environment_violation = Some(false);
        f.records.environment_remediable = Some(false);
        assert_eq!(w.result("REMEDIABLE", C2).finding, Finding::NotMet);
        assert_eq!(w.result("CLEAN", C2).finding, Finding::NotMet);
    }

    #[test]
    fn a_violation_with_unknown_remediability_is_unknown_until_screening_decides() {
        let mut w = World::new();
        w.factory("F1", 0.0, 0.0).records.environment_violation = Some(true);
        let r = w.result("F1", C2);
        assert_eq!(r.finding, Finding::Unknown);
        assert!(r.evidence.contains("whether it can be remedied is unknown"), "{}", r.evidence);

        // With neighbours too close, screening establishes it cannot be remedied in place.
        w.receptor("R1", "school", point(100.0, 0.0));
        w.inputs.factories[0].hazard_class = Some(HazardClass::II);
        let r = w.result("F1", C2);
        assert_eq!((r.finding, r.basis), (Finding::Met, Basis::Screening));
    }

    #[test]
    fn a_receptor_closer_than_the_separation_distance_is_met_by_screening() {
        let mut w = World::new();
        w.receptor("R5", "school", point(230.0, 0.0));
        w.factory("F1", 0.0, 0.0).hazard_class = Some(HazardClass::II);
        let r = w.result("F1", C2);
        assert_eq!((r.finding, r.basis), (Finding::Met, Basis::Screening));
        assert_eq!(
            r.evidence,
            "no inspection record (unknown, not a no); screening: 230 m from school R5; class II needs 500 m"
        );
    }

    #[test]
    fn exactly_at_the_separation_distance_is_not_closer() {
        let mut w = World::new();
        w.receptor("R1", "hospital", point(500.0, 0.0));
        w.factory("AT", 0.0, 0.0).hazard_class = Some(HazardClass::II);
        w.factory("INSIDE", 0.5, 0.0).hazard_class = Some(HazardClass::II);
        let r = w.result("AT", C2);
        assert_eq!(r.finding, Finding::NotMet);
        assert!(r.evidence.contains("no sensitive use within 500 m (class II)"), "{}", r.evidence);
        let r = w.result("INSIDE", C2);
        assert_eq!(r.finding, Finding::Met);
        assert!(r.evidence.contains("499 m from hospital R1"), "{}", r.evidence);
    }

    #[test]
    fn a_sensitive_zone_is_measured_edge_to_edge_not_from_its_centroid() {
        let mut w = World::new();
        // A large residential zone whose centroid is 5 km away but whose edge is 80 m away.
        w.zone("Z17", PlannedUse::Residential, rect(80.0, -5000.0, 10_000.0, 5000.0));
        w.zone("Z2", PlannedUse::Industrial, rect(-50.0, -50.0, 50.0, 50.0));
        w.factory("F1", 0.0, 0.0).hazard_class = Some(HazardClass::IV);
        let r = w.result("F1", C2);
        assert_eq!(r.finding, Finding::Met);
        assert!(
            r.evidence.contains("80 m from residential zone Z17; class IV needs 100 m"),
            "{}",
            r.evidence
        );
    }

    #[test]
    fn zones_whose_use_is_not_sensitive_do_not_count() {
        let mut w = World::new();
        w.zone("Z1", PlannedUse::Green, rect(10.0, -10.0, 20.0, 10.0));
        w.factory("F1", 0.0, 0.0).hazard_class = Some(HazardClass::I);
        assert_eq!(w.result("F1", C2).finding, Finding::NotMet);
    }

    #[test]
    fn a_footprint_is_measured_from_its_nearest_edge_and_the_nearest_use_is_named() {
        let mut w = World::new();
        w.receptor("R1", "residential", point(400.0, 0.0));
        w.receptor("R2", "school", Geometry::MultiPolygon(rect(300.0, -10.0, 320.0, 10.0)));
        // Footprint from x = 0 to x = 250: R2's edge is 50 m from it, R1 150 m.
        w.footprint("F1", rect(0.0, -20.0, 250.0, 20.0), (10.0, 0.0)).hazard_class =
            Some(HazardClass::III);
        let r = w.result("F1", C2);
        assert_eq!(r.finding, Finding::Met);
        assert!(
            r.evidence.contains("50 m from school R2; class III needs 300 m"),
            "{}",
            r.evidence
        );
    }

    #[test]
    fn a_long_footprint_finds_a_use_near_its_far_end_from_its_location() {
        let mut w = World::new();
        // Decoys near the location but beyond the limit; the offending school is 2 km away from
        // the location, 40 m beyond the footprint's far end.
        w.receptor("R0", "residential", point(-400.0, 0.0));
        w.receptor("R9", "school", point(2040.0, 0.0));
        w.footprint("F1", rect(0.0, -10.0, 2000.0, 10.0), (5.0, 0.0)).hazard_class =
            Some(HazardClass::IV);
        let r = w.result("F1", C2);
        assert_eq!(r.finding, Finding::Met);
        assert!(r.evidence.contains("40 m from school R9"), "{}", r.evidence);
    }

    #[test]
    fn without_a_hazard_class_screening_is_unknown() {
        let mut w = World::new();
        w.receptor("R1", "school", point(10.0, 0.0));
        w.factory("F1", 0.0, 0.0);
        let r = w.result("F1", C2);
        assert_eq!(r.finding, Finding::Unknown);
        assert!(r.evidence.contains("no hazard class"), "{}", r.evidence);
    }

    #[test]
    fn with_screening_off_a_close_receptor_is_only_an_inspection_lead() {
        let mut w = World::new();
        w.settings.criteria.screening = false;
        w.receptor("R1", "school", point(10.0, 0.0));
        w.factory("F1", 0.0, 0.0).hazard_class = Some(HazardClass::V);
        let r = w.result("F1", C2);
        assert_eq!((r.finding, r.basis), (Finding::Unknown, Basis::None));
        assert!(r.evidence.contains("10 m from school R1"), "{}", r.evidence);
        assert!(r.evidence.contains("an inspection lead"), "{}", r.evidence);
        assert_eq!(w.of("F1").verdict, Verdict::MayStay);
    }

    #[test]
    fn a_record_and_an_agreeing_screening_give_record_plus_screening() {
        let mut w = World::new();
        w.receptor("R1", "school", point(10.0, 0.0));
        let f = w.factory("F1", 0.0, 0.0);
        f.hazard_class = Some(HazardClass::V);
        f.records.environment_violation = Some(true);
        f.records.environment_remediable = Some(false);
        let r = w.result("F1", C2);
        assert_eq!((r.finding, r.basis), (Finding::Met, Basis::RecordAndScreening));
    }

    #[test]
    fn many_receptors_give_the_same_nearest_as_a_brute_force_search() {
        let mut w = World::new();
        for i in 0..400 {
            let (x, y) = (((i * 37) % 200) as f64 * 7.0, ((i * 53) % 200) as f64 * 7.0);
            w.receptor(&format!("R{i:03}"), "residential", point(x, y));
        }
        w.factory("F1", 700.0, 700.0).hazard_class = Some(HazardClass::II);
        let best = w
            .inputs
            .receptors
            .iter()
            .map(|r| {
                let d = match &r.shape {
                    Geometry::Point(p) => {
                        ((p.x() - 700.0).powi(2) + (p.y() - 700.0).powi(2)).sqrt()
                    }
                    _ => f64::MAX,
                };
                (d, r.id.clone())
            })
            .min_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)))
            .unwrap();
        let r = w.result("F1", C2);
        assert!(
            r.evidence.contains(&format!("from residential {};", best.1)),
            "{} vs {best:?}",
            r.evidence
        );
    }
}
