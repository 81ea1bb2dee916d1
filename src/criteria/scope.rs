//! Scope: is a factory assessed at all, which district is it in, and by when must it move.
//!
//! 1. District: the factory's `district` field when given (it wins over geometry: it is what the
//!    inspection file says), else the districts polygon at its location. A location on a shared
//!    border lies in both polygons; the one that holds it in its interior wins, else the first in
//!    the layer's order.
//! 2. Out of scope when the location is inside any park polygon (every park, not only the
//!    destinations: a factory already in a southern park is not "outside the parks"), or when the
//!    origin area is limited and the district is not in it (or unknown). A location on a park's
//!    border counts as inside, the same boundary rule as zoning.
//! 3. Deadline: `[phasing] deadlines` for the district (names compared after NFC and case
//!    folding), else `default_deadline`.

use geo::{Contains, Intersects, Point};

use super::{evidence, Context};
use crate::model::{Factory, NameKey};

pub(crate) struct Scope {
    pub district: Option<String>,
    pub deadline_year: i32,
    /// Why the factory is out of scope; `None` when it is assessed.
    pub out_of_scope: Option<String>,
}

pub(crate) fn scope(ctx: &Context<'_>, factory: &Factory) -> Scope {
    let district = factory
        .district
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string)
        .or_else(|| district_at(ctx, factory.location));
    let key = district.as_deref().map(NameKey::new);
    let deadline_year = key
        .as_ref()
        .and_then(|k| ctx.deadlines.get(k).copied())
        .unwrap_or(ctx.settings.phasing.default_deadline);

    let out_of_scope = if let Some(park) = park_at(ctx, factory.location) {
        Some(evidence::inside_park(ctx.lang, &park.id, &park.name))
    } else if ctx.origin.is_empty() {
        None
    } else {
        match (&district, &key) {
            (Some(d), Some(k)) if !ctx.origin.contains(k) => Some(evidence::outside_origin(ctx.lang, d)),
            (Some(_), _) => None,
            (None, _) => Some(evidence::no_district(ctx.lang)),
        }
    };
    Scope {
        district,
        deadline_year,
        out_of_scope,
    }
}

/// The name of the districts polygon at the point (see the module note for borders).
fn district_at(ctx: &Context<'_>, location: Point<f64>) -> Option<String> {
    let candidates: Vec<&crate::model::District> = ctx
        .districts
        .at_point(location)
        .into_iter()
        .filter_map(|i| ctx.inputs.districts.get(i))
        .filter(|d| d.area.intersects(&location))
        .collect();
    candidates
        .iter()
        .find(|d| d.area.contains(&location))
        .or_else(|| candidates.first())
        .map(|d| d.name.clone())
}

/// The park whose polygon holds the point (border included), lowest id first.
fn park_at<'a>(ctx: &'a Context<'_>, location: Point<f64>) -> Option<&'a crate::model::Park> {
    ctx.parks
        .at_point(location)
        .into_iter()
        .filter_map(|i| ctx.inputs.parks.get(i))
        .filter(|p| p.area.intersects(&location))
        .min_by(|a, b| a.id.cmp(&b.id))
}
