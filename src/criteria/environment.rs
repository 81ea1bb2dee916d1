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
//! 3. `decide` combines the two.

use geo::{BoundingRect, Distance, Euclidean, Geometry, MultiPolygon};

use super::evidence::{self, Remedy};
use super::{decide, off, Context, Criterion, CriterionResult, Record, Screening};
use crate::model::{Factory, Records, Site};
use crate::spatial::EnvelopeIndex;

pub(crate) fn assess(ctx: &Context<'_>, factory: &Factory) -> CriterionResult {
    let lang = ctx.lang;
    if !ctx.settings.criteria.environment {
        return off(Criterion::C2Environment, lang);
    }
    let record = match remedy(&factory.records) {
        Some(r @ Remedy::Unremediable) => Record::Holds(evidence::c2_record(lang, r)),
        Some(r @ (Remedy::Remediable | Remedy::Compliant)) => Record::DoesNotHold(evidence::c2_record(lang, r)),
        Some(r @ Remedy::RemedyUnknown) => Record::Unknown(evidence::c2_record(lang, r)),
        None => Record::Unknown(evidence::no_record(lang)),
    };
    decide(
        Criterion::C2Environment,
        record,
        screen(ctx, factory),
        ctx.settings.criteria.screening,
        lang,
    )
}

/// What the environment record says; `None` when there is no violation record at all.
fn remedy(records: &Records) -> Option<Remedy> {
    match (records.environment_violation, records.environment_remediable) {
        (Some(true), Some(false)) => Some(Remedy::Unremediable),
        (Some(true), Some(true)) => Some(Remedy::Remediable),
        (Some(true), None) => Some(Remedy::RemedyUnknown),
        (Some(false), _) => Some(Remedy::Compliant),
        (None, _) => None,
    }
}

fn screen(ctx: &Context<'_>, factory: &Factory) -> Screening {
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
        separation_m,
        |i| ctx.inputs.receptors.get(i).map(|r| (r.id.as_str(), &r.shape)),
        geometry_distance,
    );
    let zone = if zones_count == 0 {
        None
    } else {
        nearest_closer_than(
            &ctx.zoning,
            &factory.site,
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
    };

    let receptor_hit = receptor.and_then(|(d, i)| {
        let r = ctx.inputs.receptors.get(i)?;
        Some((d, r.id.as_str(), false, evidence::kind(lang, &r.kind)))
    });
    let zone_hit = zone.and_then(|(d, i)| {
        let z = ctx.inputs.zoning.get(i)?;
        Some((d, z.id.as_str(), true, evidence::c2_zone_label(lang, z.planned_use)))
    });
    let nearest = [receptor_hit, zone_hit]
        .into_iter()
        .flatten()
        .min_by(|a, b| a.0.total_cmp(&b.0).then_with(|| (a.1, a.2).cmp(&(b.1, b.2))));
    match nearest {
        Some((d, id, _, what)) => Screening::Hit(evidence::c2_too_close(lang, &what, id, d, class, separation_m)),
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

/// The feature nearest the site among those strictly closer than `limit_m`, with its distance;
/// ties by id. `feature(i)` gives the id and shape of feature `i`, or `None` to skip it.
fn nearest_closer_than<'a, T: ?Sized + 'a>(
    index: &EnvelopeIndex,
    site: &Site,
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
    match site {
        Site::Point(p) => {
            // Walk rectangles nearest first: a rectangle's distance is a lower bound of its
            // shape's, so once it passes the limit or the best distance nothing closer remains.
            // (Strictly greater: a shape at exactly the limit is rejected by the exact test.)
            for (i, envelope_m) in index.nearest_first(*p) {
                if envelope_m > limit_m || best.is_some_and(|(bd, _, _)| envelope_m > bd) {
                    break;
                }
                consider(i, &mut best);
            }
        }
        Site::Footprint(f) => {
            if let Some(rect) = f.bounding_rect() {
                for i in index.near_rect(rect, limit_m) {
                    consider(i, &mut best);
                }
            }
        }
    }
    best.map(|(d, _, i)| (d, i))
}
