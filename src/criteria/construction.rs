//! C1 — the factory violates the Construction Law or the Urban Planning Law.
//!
//! 1. Record: `construction_violation` (`true` holds, `false` does not, empty is unknown).
//! 2. Screening: the site (point, or footprint polygon) lies inside a protection corridor.
//!    A polygon corridor: the site touches it (a footprint straddling its edge counts, a point on
//!    its edge counts). A line corridor of `width_m`: the site is within `width_m / 2` of the
//!    centre line (exactly at `width_m / 2` counts: the corridor's edge is part of it).
//!    Several corridors: the one nearest the site is named, ties by id.
//! 3. `judge` (in `criteria`) combines the two.

use geo::{Distance, Euclidean, Intersects};

use super::{evidence, Context, Criterion, LegalCriterion, Record, Screening};
use crate::model::{Corridor, CorridorShape, Factory, Lang, Site, Zone};

pub(crate) struct Construction;

impl LegalCriterion for Construction {
    const CRITERION: Criterion = Criterion::C1Construction;

    fn record(ctx: &Context<'_>, factory: &Factory) -> Record {
        let violation = factory.records.construction_violation;
        Record::of_finding(violation, true, ctx.lang, evidence::c1_record)
    }

    fn screen(ctx: &Context<'_>, factory: &Factory, _zones_here: &[&Zone]) -> Screening {
        screen(ctx, factory)
    }
}

fn screen(ctx: &Context<'_>, factory: &Factory) -> Screening {
    let lang = ctx.lang;
    if ctx.inputs.corridors.is_empty() {
        return Screening::Unavailable(evidence::c1_no_layer(lang));
    }
    let candidates = match &factory.site {
        Site::Point(p) => ctx.corridors.at_point(*p),
        Site::Footprint(f) => match geo::BoundingRect::bounding_rect(f) {
            Some(r) => ctx.corridors.near_rect(r, 0.0),
            None => Vec::new(),
        },
    };
    // (distance from the site to the corridor's edge or centre line, id, phrase)
    let mut best: Option<(f64, &str, String)> = None;
    for corridor in candidates.into_iter().filter_map(|i| ctx.inputs.corridors.get(i)) {
        if let Some((distance_m, phrase)) = inside(lang, &factory.site, corridor) {
            let better = match &best {
                None => true,
                Some((d, id, _)) => (distance_m, corridor.id.as_str()) < (*d, *id),
            };
            if better {
                best = Some((distance_m, corridor.id.as_str(), phrase));
            }
        }
    }
    match best {
        Some((_, _, phrase)) => Screening::Hit(phrase),
        None => Screening::Clear(evidence::c1_clear(lang)),
    }
}

/// Whether the site is inside the corridor; if so, a distance to rank corridors by (0 for a
/// polygon) and the evidence phrase.
fn inside(lang: Lang, site: &Site, corridor: &Corridor) -> Option<(f64, String)> {
    match &corridor.shape {
        CorridorShape::Area(area) => {
            let (touches, overlaps) = match site {
                Site::Point(p) => (area.intersects(p), false),
                Site::Footprint(f) => {
                    let touches = area.intersects(f);
                    // Straddling: part of the footprint lies outside the corridor.
                    (touches, touches && !geo::Contains::contains(area, f))
                }
            };
            touches.then(|| {
                (0.0, evidence::c1_inside_area(lang, &corridor.kind, &corridor.id, overlaps))
            })
        }
        CorridorShape::Line { line, width_m } => {
            let distance_m = match site {
                Site::Point(p) => Euclidean.distance(p, line),
                Site::Footprint(f) => Euclidean.distance(f, line),
            };
            (distance_m <= width_m / 2.0).then(|| {
                (
                    distance_m,
                    evidence::c1_near_line(
                        lang,
                        &corridor.kind,
                        &corridor.id,
                        distance_m,
                        *width_m,
                    ),
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::criteria::testkit::{rect, World};
    use crate::criteria::{Basis, Criterion::C1Construction as C1, Finding};

    #[test]
    fn a_recorded_violation_is_met_on_the_record_alone() {
        let mut w = World::new();
        w.corridor_area("K1", "road", rect(1000.0, 0.0, 1100.0, 100.0));
        w.factory("F1", 0.0, 0.0).records.construction_violation = Some(true);
        let r = w.result("F1", C1);
        assert_eq!((r.finding, r.basis), (Finding::Met, Basis::Record));
        assert!(r.evidence.contains("record: violates"), "{}", r.evidence);
        assert!(r.evidence.contains("screening does not show it"), "{}", r.evidence);
    }

    #[test]
    fn a_point_inside_a_corridor_polygon_is_met_by_screening() {
        let mut w = World::new();
        w.corridor_area("K1", "river", rect(0.0, 0.0, 100.0, 30.0));
        w.factory("F1", 50.0, 10.0);
        let r = w.result("F1", C1);
        assert_eq!((r.finding, r.basis), (Finding::Met, Basis::Screening));
        assert_eq!(
            r.evidence,
            "no inspection record (unknown, not a no); screening: inside river protection corridor K1"
        );
    }

    #[test]
    fn a_footprint_straddling_a_corridor_edge_is_inside_it() {
        let mut w = World::new();
        w.corridor_area("K1", "road", rect(0.0, 0.0, 100.0, 30.0));
        // The footprint runs from y = 20 to y = 60: a third of it is in the corridor, its
        // representative point is not.
        w.footprint("F1", rect(40.0, 20.0, 60.0, 60.0), (50.0, 50.0));
        w.footprint("F2", rect(40.0, 31.0, 60.0, 60.0), (50.0, 50.0));
        let r = w.result("F1", C1);
        assert_eq!(r.finding, Finding::Met);
        assert!(
            r.evidence.contains("footprint overlaps road protection corridor K1"),
            "{}",
            r.evidence
        );
        assert_eq!(w.result("F2", C1).finding, Finding::NotMet);
    }

    #[test]
    fn a_line_corridor_reaches_half_its_width_on_each_side_edge_included() {
        let mut w = World::new();
        w.corridor_line("K7", "power_line", &[(0.0, 0.0), (1000.0, 0.0)], 40.0);
        w.factory("AT_EDGE", 500.0, 20.0);
        w.factory("OTHER_SIDE", 500.0, -12.0);
        w.factory("OUTSIDE", 500.0, 20.5);
        let r = w.result("AT_EDGE", C1);
        assert_eq!(r.finding, Finding::Met);
        assert!(
            r.evidence.contains("20 m from the centre line of power line protection corridor K7, which is 40 m wide"),
            "{}",
            r.evidence
        );
        assert_eq!(w.result("OTHER_SIDE", C1).finding, Finding::Met);
        let r = w.result("OUTSIDE", C1);
        assert_eq!(r.finding, Finding::NotMet);
        assert!(r.evidence.contains("outside every protection corridor"), "{}", r.evidence);
    }

    #[test]
    fn a_footprint_is_measured_to_a_line_corridor_from_its_nearest_edge() {
        let mut w = World::new();
        w.corridor_line("K7", "road", &[(0.0, 0.0), (1000.0, 0.0)], 30.0);
        // Its nearest edge is 15 m from the centre line, its location 45 m.
        w.footprint("F1", rect(100.0, 15.0, 200.0, 80.0), (150.0, 45.0));
        assert_eq!(w.result("F1", C1).finding, Finding::Met);
    }

    #[test]
    fn a_record_of_no_violation_overrides_screening_and_says_they_disagree() {
        let mut w = World::new();
        w.corridor_area("K1", "road", rect(0.0, 0.0, 100.0, 30.0));
        w.factory("F1", 50.0, 10.0).records.construction_violation = Some(false);
        let r = w.result("F1", C1);
        assert_eq!((r.finding, r.basis), (Finding::NotMet, Basis::None));
        assert!(
            r.evidence.contains("record and screening disagree: the record is the legal basis"),
            "{}",
            r.evidence
        );
    }

    #[test]
    fn without_corridors_and_without_a_record_c1_is_unknown() {
        let mut w = World::new();
        w.factory("F1", 0.0, 0.0);
        let r = w.result("F1", C1);
        assert_eq!(r.finding, Finding::Unknown);
        assert!(r.evidence.contains("no protection corridors in the inputs"), "{}", r.evidence);
    }

    #[test]
    fn switched_off_c1_is_off_even_with_a_violation_on_record() {
        let mut w = World::new();
        w.settings.criteria.construction = false;
        w.factory("F1", 0.0, 0.0).records.construction_violation = Some(true);
        assert_eq!(w.result("F1", C1).finding, Finding::Off);
        assert_ne!(w.of("F1").verdict, crate::criteria::Verdict::MustRelocate);
    }
}
