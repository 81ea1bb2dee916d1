//! Geometry checks per layer: present, of a type the layer accepts, not empty, finite, valid
//! (geo's `Validation`: self-intersections, too few points, holes outside the shell), then
//! inside the source CRS's area of use (which is how swapped lon/lat shows), then a positive
//! area once measured in metres.

use geo::{
    Area, CoordsIter, Geometry, HasDimensions, MultiLineString, MultiPolygon, Point, Validation,
};

use crate::input::LonLatBounds;
use crate::scenario::Layer;

/// The geometry types a layer accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accepts {
    /// Polygon or MultiPolygon (parks, zoning, districts).
    Areas,
    /// Point, or a Polygon/MultiPolygon footprint (factories).
    Sites,
    /// Point, MultiPoint, Polygon or MultiPolygon (receptors).
    PointsOrAreas,
    /// Polygon/MultiPolygon, or LineString/MultiLineString with a width (corridors).
    AreasOrLines,
    /// LineString or MultiLineString (roads).
    Lines,
    /// Point (gates).
    Points,
}

impl Accepts {
    pub fn of(layer: Layer) -> Accepts {
        match layer {
            Layer::Parks | Layer::Zoning | Layer::Districts => Accepts::Areas,
            Layer::Factories => Accepts::Sites,
            Layer::Receptors => Accepts::PointsOrAreas,
            Layer::Corridors => Accepts::AreasOrLines,
            Layer::Roads => Accepts::Lines,
            Layer::Gates => Accepts::Points,
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Accepts::Areas => "a Polygon or MultiPolygon",
            Accepts::Sites => "a Point or a Polygon/MultiPolygon footprint",
            Accepts::PointsOrAreas => "a Point, MultiPoint, Polygon or MultiPolygon",
            Accepts::AreasOrLines => {
                "a Polygon/MultiPolygon, or a LineString/MultiLineString with width_m"
            }
            Accepts::Lines => "a LineString or MultiLineString",
            Accepts::Points => "a Point",
        }
    }
}

fn type_name(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "Point",
        Geometry::Line(_) => "Line",
        Geometry::LineString(_) => "LineString",
        Geometry::Polygon(_) => "Polygon",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::MultiPolygon(_) => "MultiPolygon",
        Geometry::GeometryCollection(_) => "GeometryCollection",
        Geometry::Rect(_) => "Rect",
        Geometry::Triangle(_) => "Triangle",
    }
}

/// Normalises an accepted geometry: polygons become MultiPolygon, lines MultiLineString, a
/// one-point MultiPoint a Point (factories written as MultiPoint by some tools).
fn normalise(g: Geometry<f64>, accepts: Accepts) -> Result<Geometry<f64>, Geometry<f64>> {
    use Geometry as G;
    match (g, accepts) {
        (G::LineString(l), Accepts::Lines) => Ok(G::MultiLineString(MultiLineString(vec![l]))),
        (g @ G::MultiLineString(_), Accepts::Lines) => Ok(g),
        (g, Accepts::Lines) => Err(g),
        (g @ G::Point(_), Accepts::Sites | Accepts::PointsOrAreas | Accepts::Points) => Ok(g),
        (G::MultiPoint(mp), Accepts::Sites | Accepts::Points) if mp.0.len() == 1 => {
            match mp.0.first() {
                Some(p) => Ok(G::Point(*p)),
                None => Err(G::MultiPoint(mp)),
            }
        }
        (g, Accepts::Points) => Err(g),
        (G::Polygon(p), _) => Ok(G::MultiPolygon(MultiPolygon(vec![p]))),
        (g @ G::MultiPolygon(_), _) => Ok(g),
        (g @ G::MultiPoint(_), Accepts::PointsOrAreas) => Ok(g),
        (G::LineString(l), Accepts::AreasOrLines) => {
            Ok(G::MultiLineString(MultiLineString(vec![l])))
        }
        (g @ G::MultiLineString(_), Accepts::AreasOrLines) => Ok(g),
        (g, _) => Err(g),
    }
}

/// Checks a geometry as read (source CRS). Returns the normalised geometry, or the problems
/// (messages for the `geometry` field).
pub fn check(g: Option<Geometry<f64>>, layer: Layer) -> Result<Geometry<f64>, Vec<String>> {
    let accepts = Accepts::of(layer);
    let Some(g) = g else {
        return Err(vec![format!("missing; {} needs {}", layer.as_str(), accepts.expected())]);
    };
    if g.is_empty() {
        return Err(vec![format!(
            "empty {}; {} needs {}",
            type_name(&g),
            layer.as_str(),
            accepts.expected()
        )]);
    }
    let g = match normalise(g, accepts) {
        Ok(g) => g,
        Err(g) => {
            return Err(vec![format!(
                "a {} where {} needs {}",
                type_name(&g),
                layer.as_str(),
                accepts.expected()
            )])
        }
    };
    if g.coords_iter().any(|c| !(c.x.is_finite() && c.y.is_finite())) {
        return Err(vec!["a coordinate is not a finite number".to_string()]);
    }
    let errors = g.validation_errors();
    if !errors.is_empty() {
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        return Err(vec![format!("invalid geometry: {}", text.join("; "))]);
    }
    Ok(g)
}

/// Checks longitude/latitude against the valid range and the source CRS's area of use (EPSG
/// areas are approximate, so a margin is allowed). The message points at the likely cause.
pub fn check_area_of_use(
    lonlat: &Geometry<f64>,
    area: Option<&LonLatBounds>,
    crs_label: &str,
) -> Result<(), String> {
    /// EPSG's areas of use are drawn around jurisdictions; data slightly beyond them is normal.
    const MARGIN_DEG: f64 = 1.0;
    for c in lonlat.coords_iter() {
        let in_range = (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y);
        let in_area = area.map_or(true, |a| a.contains(c.x, c.y, MARGIN_DEG));
        if !(in_range && in_area) {
            let bounds = match area {
                Some(a) => format!(
                    " (longitude {:.2} to {:.2}, latitude {:.2} to {:.2})",
                    a.west, a.east, a.south, a.north
                ),
                None => String::new(),
            };
            return Err(format!(
                "lies at longitude {:.6}, latitude {:.6}, outside the area of use of {crs_label}{bounds}; are the coordinates swapped or in another CRS?",
                c.x, c.y
            ));
        }
    }
    Ok(())
}

/// Checks measures in the working CRS: polygons must cover some ground.
pub fn check_metric(metric: &Geometry<f64>) -> Result<(), String> {
    match metric {
        Geometry::MultiPolygon(mp) => {
            for (i, p) in mp.0.iter().enumerate() {
                if p.unsigned_area() <= 0.0 {
                    return Err(format!("polygon {} has zero area", i + 1));
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A point inside a footprint (or the point itself): where distances are measured from.
pub fn representative_point(g: &Geometry<f64>) -> Option<Point<f64>> {
    use geo::InteriorPoint;
    match g {
        Geometry::Point(p) => Some(*p),
        other => other.interior_point(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, wkt};

    #[test]
    fn a_self_intersecting_park_is_invalid() {
        let bow: Geometry<f64> = wkt!(POLYGON((0. 0.,1. 1.,1. 0.,0. 1.,0. 0.))).into();
        let e = check(Some(bow), Layer::Parks).unwrap_err();
        assert_eq!(e, vec!["invalid geometry: polygon at index 0 is invalid: exterior ring has a self-intersection".to_string()]);
    }

    #[test]
    fn a_line_is_not_a_park() {
        let line: Geometry<f64> = wkt!(LINESTRING(0. 0.,1. 1.)).into();
        let e = check(Some(line), Layer::Parks).unwrap_err();
        assert_eq!(e, vec!["a LineString where parks needs a Polygon or MultiPolygon".to_string()]);
    }

    #[test]
    fn empty_and_missing_geometries_are_named() {
        let e = check(None, Layer::Factories).unwrap_err();
        assert_eq!(e[0], "missing; factories needs a Point or a Polygon/MultiPolygon footprint");
        let e =
            check(Some(Geometry::MultiPolygon(MultiPolygon(vec![]))), Layer::Zoning).unwrap_err();
        assert_eq!(e[0], "empty MultiPolygon; zoning needs a Polygon or MultiPolygon");
    }

    #[test]
    fn polygons_become_multipolygons_and_single_multipoints_points() {
        let p = polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 0.)];
        assert!(matches!(check(Some(p.into()), Layer::Parks), Ok(Geometry::MultiPolygon(_))));
        let mp: Geometry<f64> = wkt!(MULTIPOINT(1. 2.)).into();
        assert_eq!(check(Some(mp), Layer::Factories), Ok(Geometry::Point(Point::new(1., 2.))));
    }

    #[test]
    fn swapped_lon_lat_is_outside_the_area_of_use() {
        let g: Geometry<f64> = Point::new(11.2, 106.6).into();
        let e = check_area_of_use(&g, None, "EPSG:4326 (WGS 84)").unwrap_err();
        assert_eq!(e, "lies at longitude 11.200000, latitude 106.600000, outside the area of use of EPSG:4326 (WGS 84); are the coordinates swapped or in another CRS?");
    }
}
