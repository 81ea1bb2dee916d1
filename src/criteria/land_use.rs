//! C4 — the factory's location is inconsistent with the land-use plan.
//!
//! 1. Record: `land_use_conforming` (`false` holds, `true` does not, empty is unknown).
//! 2. Overlay: the planned use of the zoning polygon at the factory's location (its point, or the
//!    representative point of its footprint) is not in `criteria.industrial_uses`.
//!    A location in no zoning polygon is unknown ("not in any zoning polygon"), never conforming.
//!    Holes of (Multi)Polygons are outside the zone. A location on a zone's boundary counts as
//!    inside it; on the border between zones it lies in each of them, and conforms only if every
//!    zone there is an industrial use (the first non-conforming zone by id is named).
//! 3. `decide` combines the two (the overlay is spatial inference: basis `screening`).

use geo::{Intersects, Point};

use super::{decide, evidence, off, Context, Criterion, CriterionResult, Record, Screening};
use crate::model::{Factory, Zone};

/// The zones at the location (boundary included, holes excluded), sorted by id.
pub(crate) fn zones_at<'a>(ctx: &'a Context<'_>, location: Point<f64>) -> Vec<&'a Zone> {
    let mut zones: Vec<&Zone> = ctx
        .zoning
        .at_point(location)
        .into_iter()
        .filter_map(|i| ctx.inputs.zoning.get(i))
        .filter(|z| z.area.intersects(&location))
        .collect();
    zones.sort_by(|a, b| a.id.cmp(&b.id));
    zones
}

pub(crate) fn assess(ctx: &Context<'_>, factory: &Factory, zones_here: &[&Zone]) -> CriterionResult {
    let lang = ctx.lang;
    if !ctx.settings.criteria.land_use {
        return off(Criterion::C4LandUse, lang);
    }
    let record = match factory.records.land_use_conforming {
        Some(false) => Record::Holds(evidence::c4_record(lang, false)),
        Some(true) => Record::DoesNotHold(evidence::c4_record(lang, true)),
        None => Record::Unknown(evidence::no_record(lang)),
    };
    decide(
        Criterion::C4LandUse,
        record,
        overlay(ctx, zones_here),
        ctx.settings.criteria.screening,
        lang,
    )
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
        (None, None) => Screening::Unavailable(evidence::not_in_zone(lang, evidence::overlay_word(lang))),
    }
}
