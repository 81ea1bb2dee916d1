//! C1 — the factory violates the Construction Law or the Urban Planning Law.
//!
//! 1. Record: `construction_violation` (`true` holds, `false` does not, empty is unknown).
//! 2. Screening: the site (point, or footprint polygon) lies inside a protection corridor.
//!    A polygon corridor: the site touches it (a footprint straddling its edge counts, a point on
//!    its edge counts). A line corridor of `width_m`: the site is within `width_m / 2` of the
//!    centre line (exactly at `width_m / 2` counts: the corridor's edge is part of it).
//!    Several corridors: the one nearest the site is named, ties by id.
//! 3. `decide` combines the two.

use geo::{Distance, Euclidean, Intersects};

use super::{decide, evidence, off, Context, Criterion, CriterionResult, Record, Screening};
use crate::model::{Corridor, CorridorShape, Factory, Site};

pub(crate) fn assess(ctx: &Context<'_>, factory: &Factory) -> CriterionResult {
    let lang = ctx.lang;
    if !ctx.settings.criteria.construction {
        return off(Criterion::C1Construction, lang);
    }
    let record = match factory.records.construction_violation {
        Some(true) => Record::Holds(evidence::c1_record(lang, true)),
        Some(false) => Record::DoesNotHold(evidence::c1_record(lang, false)),
        None => Record::Unknown(evidence::no_record(lang)),
    };
    decide(
        Criterion::C1Construction,
        record,
        screen(ctx, factory),
        ctx.settings.criteria.screening,
        lang,
    )
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
fn inside(lang: crate::cli::Lang, site: &Site, corridor: &Corridor) -> Option<(f64, String)> {
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
            touches.then(|| (0.0, evidence::c1_inside_area(lang, &corridor.kind, &corridor.id, overlaps)))
        }
        CorridorShape::Line { line, width_m } => {
            let distance_m = match site {
                Site::Point(p) => Euclidean.distance(p, line),
                Site::Footprint(f) => Euclidean.distance(f, line),
            };
            (distance_m <= width_m / 2.0).then(|| {
                (
                    distance_m,
                    evidence::c1_near_line(lang, &corridor.kind, &corridor.id, distance_m, *width_m),
                )
            })
        }
    }
}
