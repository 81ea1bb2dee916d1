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

use geo::coordinate_position::CoordPos;
use geo::Point;

use super::{evidence, Context};
use crate::model::{Factory, NameKey};
use crate::spatial;

pub(crate) struct Scope {
    pub district: Option<String>,
    pub deadline_year: i32,
    /// Why the factory is out of scope; `None` when it is assessed.
    pub out_of_scope: Option<String>,
}

pub(crate) fn scope(ctx: &Context<'_>, factory: &Factory) -> Scope {
    let field = factory.district.as_deref().map(str::trim).filter(|d| !d.is_empty());
    // Folded names are looked up, not recomputed: folding is costly and names repeat.
    let (district, key): (Option<String>, Option<NameKey>) = match field {
        Some(d) => (
            Some(d.to_string()),
            Some(ctx.field_keys.get(d).cloned().unwrap_or_else(|| NameKey::new(d))),
        ),
        None => match district_at(ctx, factory.location) {
            Some(i) => (
                ctx.inputs.districts.get(i).map(|d| d.name.clone()),
                ctx.district_keys.get(i).cloned(),
            ),
            None => (None, None),
        },
    };
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
            (Some(d), Some(k)) if !ctx.origin.contains(k) => {
                Some(evidence::outside_origin(ctx.lang, d))
            }
            (Some(_), _) => None,
            (None, _) => Some(evidence::no_district(ctx.lang)),
        }
    };
    Scope { district, deadline_year, out_of_scope }
}

/// The index of the districts polygon at the point (see the module note for borders).
fn district_at(ctx: &Context<'_>, location: Point<f64>) -> Option<usize> {
    let mut on_border = None;
    for i in ctx.districts.at_point(location) {
        match ctx.inputs.districts.get(i).map(|d| spatial::position(&d.area, location)) {
            Some(CoordPos::Inside) => return Some(i),
            Some(CoordPos::OnBoundary) if on_border.is_none() => on_border = Some(i),
            _ => {}
        }
    }
    on_border
}

/// The park whose polygon holds the point (border included), lowest id first.
fn park_at<'a>(ctx: &'a Context<'_>, location: Point<f64>) -> Option<&'a crate::model::Park> {
    ctx.parks
        .at_point(location)
        .into_iter()
        .filter_map(|i| ctx.inputs.parks.get(i))
        .filter(|p| spatial::touches(&p.area, location))
        .min_by(|a, b| a.id.cmp(&b.id))
}

#[cfg(test)]
mod tests {
    use crate::criteria::testkit::{rect, World};
    use crate::criteria::{Finding, Verdict};

    fn southern_world() -> World {
        let mut w = World::new();
        w.district("Thuận An", rect(0.0, 0.0, 1000.0, 1000.0));
        w.district("Bàu Bàng", rect(0.0, 5000.0, 1000.0, 6000.0));
        w.settings.origin = vec!["Thuận An".into(), "Dĩ An".into()];
        w.settings.phasing.deadlines.insert("Thuận An".into(), 2028);
        w
    }

    #[test]
    fn a_factory_outside_the_origin_area_is_out_of_scope_with_the_reason() {
        let mut w = southern_world();
        w.factory("NORTH", 500.0, 5500.0).records.construction_violation = Some(true);
        let a = w.of("NORTH");
        assert_eq!(a.verdict, Verdict::OutOfScope);
        assert_eq!(a.note, "out of scope: district Bàu Bàng is not in the origin area");
        assert_eq!(a.district.as_deref(), Some("Bàu Bàng"));
        assert!(a.results.iter().all(|r| r.finding == Finding::Unknown && r.evidence.is_empty()));
        assert_eq!(a.criteria_codes(), "");
    }

    #[test]
    fn a_factory_inside_any_park_is_out_of_scope() {
        let mut w = southern_world();
        w.park("P-SOUTH", "Sóng Thần", rect(100.0, 100.0, 300.0, 300.0));
        w.factory("IN_PARK", 200.0, 200.0).records.construction_violation = Some(true);
        w.factory("ON_PARK_EDGE", 300.0, 200.0);
        let a = w.of("IN_PARK");
        assert_eq!(a.verdict, Verdict::OutOfScope);
        assert_eq!(a.note, "out of scope: already inside park P-SOUTH (Sóng Thần)");
        assert_eq!(w.of("ON_PARK_EDGE").verdict, Verdict::OutOfScope);
    }

    #[test]
    fn the_district_field_wins_over_the_polygon_and_names_match_after_folding() {
        let mut w = southern_world();
        // In the Bàu Bàng polygon, but its record says THUẬN AN (upper case, decomposed).
        w.factory("FIELD", 500.0, 5500.0).district = Some("THUA\u{0323}\u{0302}N AN".into());
        w.factory("POLYGON", 500.0, 500.0);
        let a = w.of("FIELD");
        assert_ne!(a.verdict, Verdict::OutOfScope);
        assert_eq!(a.deadline_year, 2028);
        let a = w.of("POLYGON");
        assert_eq!(a.district.as_deref(), Some("Thuận An"));
        assert_eq!(a.deadline_year, 2028);
    }

    #[test]
    fn a_factory_with_no_district_is_out_of_scope_only_when_the_origin_is_limited() {
        let mut w = southern_world();
        w.factory("NOWHERE", 9000.0, 9000.0);
        let a = w.of("NOWHERE");
        assert_eq!(a.verdict, Verdict::OutOfScope);
        assert!(
            a.note.contains("no district field and not in any districts polygon"),
            "{}",
            a.note
        );
        assert_eq!(a.deadline_year, 2030);
        w.settings.origin.clear();
        assert_eq!(w.of("NOWHERE").verdict, Verdict::MayStay);
    }

    #[test]
    fn districts_without_a_deadline_get_the_default() {
        let mut w = southern_world();
        w.settings.phasing.default_deadline = 2029;
        w.factory("F1", 500.0, 500.0).district = Some("Dĩ An".into());
        assert_eq!(w.of("F1").deadline_year, 2029);
    }

    /// Real Binh Duong district boundaries (the project's shared reference data beside the
    /// repository, `../shared/reference-data`, never copied into it): each district's label point
    /// must resolve to that district, and the five southern localities are the origin area. The
    /// folder can be moved with RELOCATE_REFERENCE_DATA.
    #[test]
    fn label_points_of_real_binh_duong_districts_resolve_to_their_district() {
        use geo::{Coord, LineString, MultiPolygon, Polygon};
        let dir = std::env::var("RELOCATE_REFERENCE_DATA").unwrap_or_else(|_| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/reference-data").to_string()
        });
        let path = format!("{dir}/dvhcvn-adm2-binhduong/binhduong_adm2.geojson");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        // A local equirectangular projection around 11°N is within a few metres over 60 km:
        // plenty for point-in-polygon.
        let (lon0, lat0) = (106.7_f64, 11.0_f64);
        let to_m = |lon: f64, lat: f64| Coord {
            x: (lon - lon0).to_radians() * 6_378_137.0 * lat0.to_radians().cos(),
            y: (lat - lat0).to_radians() * 6_378_137.0,
        };
        let ring = |r: &serde_json::Value| -> LineString<f64> {
            r.as_array()
                .unwrap()
                .iter()
                .map(|c| to_m(c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
                .collect()
        };
        let mut w = World::new();
        let mut labels = Vec::new();
        for f in json["features"].as_array().unwrap() {
            let p = &f["properties"];
            // "Thành phố Thuận An" → "Thuận An": the scenario names localities without their type.
            let full = p["district_name"].as_str().unwrap();
            let name = ["Thành phố ", "Huyện ", "Thị xã "]
                .iter()
                .fold(full.to_string(), |n, prefix| n.trim_start_matches(prefix).to_string());
            let rings = f["geometry"]["coordinates"].as_array().unwrap();
            let polygon = Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect());
            w.district(&name, MultiPolygon(vec![polygon]));
            let label = to_m(p["label_lon"].as_f64().unwrap(), p["label_lat"].as_f64().unwrap());
            labels.push((name, label));
        }
        assert_eq!(labels.len(), 9);
        w.settings.origin =
            ["Thuận An", "Dĩ An", "Thủ Dầu Một", "Tân Uyên", "Bến Cát"].map(String::from).to_vec();
        for (name, c) in &labels {
            w.factory(name, c.x, c.y);
        }
        let a = w.assess();
        for (fa, (name, _)) in a.factories.iter().zip(&labels) {
            assert_eq!(fa.district.as_deref(), Some(name.as_str()));
            let southern = w.settings.origin.contains(name);
            assert_eq!(fa.verdict == Verdict::OutOfScope, !southern, "{name}: {}", fa.note);
        }
    }
}
