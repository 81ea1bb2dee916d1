//! Coordinate reference systems, through GDAL's OSR (PROJ underneath). GDAL types stay in this
//! file: callers pass CRS definitions as text and coordinates as plain slices or geo geometries.
//!
//! 1. Resolve a definition (`EPSG:9210`, an OGC URN, WKT, a PROJ string) — refusing anything
//!    GDAL would fetch from a path or URL, so a GeoJSON `crs` member cannot make us read files.
//! 2. Transform coordinates in one batch per layer, traditional GIS axis order (x = easting or
//!    longitude), reporting which points failed.
//! 3. Choose the metric working CRS: WGS 84 / UTM zone of the data's lon/lat centre.

use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
use geo::{Coord, CoordsIter, Geometry, MapCoordsInPlace};

/// The EPSG code of WGS 84 longitude/latitude.
pub const LONLAT_EPSG: u32 = 4326;
/// The definition of WGS 84 longitude/latitude, as layers record it.
pub const LONLAT: &str = "EPSG:4326";

/// A resolved CRS, described in plain text.
#[derive(Clone, Debug, PartialEq)]
pub struct CrsInfo {
    /// A definition `resolve` accepts again: `EPSG:n` when the CRS has an EPSG code, else WKT.
    pub definition: String,
    /// For messages: `EPSG:9210 (VN-2000 / TM-3 105-45)`, or the CRS name.
    pub label: String,
    /// Longitude/latitude bounds where the CRS may be used, when GDAL knows them.
    pub area_of_use: Option<LonLatBounds>,
}

/// A longitude/latitude rectangle, degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LonLatBounds {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl LonLatBounds {
    /// Whether the point lies in the rectangle widened by `margin_deg` on every side. Areas of
    /// use that cross the antimeridian (west > east) wrap around.
    pub fn contains(&self, lon: f64, lat: f64, margin_deg: f64) -> bool {
        let lat_ok = lat >= self.south - margin_deg && lat <= self.north + margin_deg;
        let lon_ok = if self.west <= self.east {
            lon >= self.west - margin_deg && lon <= self.east + margin_deg
        } else {
            lon >= self.west - margin_deg || lon <= self.east + margin_deg
        };
        lat_ok && lon_ok
    }
}

/// Parses an EPSG code out of the spellings files use: `EPSG:9210`, `epsg:9210`,
/// `urn:ogc:def:crs:EPSG::9210`, `urn:ogc:def:crs:EPSG:6.6:9210`, and CRS84 (= 4326, lon/lat).
fn epsg_code(text: &str) -> Option<u32> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "urn:ogc:def:crs:ogc:1.3:crs84" | "urn:ogc:def:crs:ogc::crs84" | "ogc:crs84" | "crs84"
    ) {
        return Some(LONLAT_EPSG);
    }
    let code = if let Some(rest) = lower.strip_prefix("epsg:") {
        rest
    } else if let Some(rest) = lower.strip_prefix("urn:ogc:def:crs:epsg:") {
        // The version part between the last two colons may be empty or e.g. "6.6".
        rest.rsplit(':').next().unwrap_or("")
    } else {
        return None;
    };
    code.parse::<u32>().ok()
}

/// Builds a GDAL spatial reference from accepted text, in traditional GIS axis order.
fn spatial_ref(text: &str) -> Result<SpatialRef, String> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    let srs = if let Some(code) = epsg_code(t) {
        SpatialRef::from_epsg(code).map_err(|_| format!("EPSG:{code} is not a known CRS"))?
    } else if [
        "PROJCS[",
        "GEOGCS[",
        "PROJCRS[",
        "GEOGCRS[",
        "GEODCRS[",
        "PROJECTEDCRS[",
        "GEOGRAPHICCRS[",
        "COMPD_CS[",
        "COMPOUNDCRS[",
        "BOUNDCRS[",
    ]
    .iter()
    .any(|k| upper.starts_with(k))
    {
        SpatialRef::from_wkt(t).map_err(|_| "the WKT definition cannot be read".to_string())?
    } else if t.starts_with("+proj=") {
        SpatialRef::from_proj4(t).map_err(|_| "the PROJ definition cannot be read".to_string())?
    } else {
        return Err(format!(
            "{t:?} is not a CRS this tool can resolve; give EPSG:<code>, an OGC URN, WKT or a +proj string"
        ));
    };
    let mut srs = srs;
    // GDAL 3 follows the authority's axis order (lat, lon for EPSG:4326) unless told otherwise;
    // every file and every geometry here is x = easting/longitude.
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    Ok(srs)
}

/// Resolves a CRS definition; the error says why it cannot be used.
pub fn resolve(text: &str) -> Result<CrsInfo, String> {
    let srs = spatial_ref(text)?;
    describe(&srs)
}

/// Whether two definitions `resolve` accepts name the same CRS (GDAL's `OSRIsSame`: an ESRI .prj
/// and the EPSG code it was written from compare equal). A definition that cannot be read is
/// never the same as anything.
pub fn same(a: &str, b: &str) -> bool {
    a == b || matches!((spatial_ref(a), spatial_ref(b)), (Ok(x), Ok(y)) if x == y)
}

fn describe(srs: &SpatialRef) -> Result<CrsInfo, String> {
    if !(srs.is_geographic() || srs.is_projected()) {
        return Err("the CRS is neither geographic nor projected".to_string());
    }
    let name = srs.name().unwrap_or_default();
    let authority = match (srs.auth_name(), srs.auth_code()) {
        (Some(auth), Ok(code)) if auth.eq_ignore_ascii_case("EPSG") => Some(format!("EPSG:{code}")),
        _ => None,
    };
    let area_of_use = srs.area_of_use().and_then(|a| {
        let b = LonLatBounds {
            west: a.west_lon_degree,
            south: a.south_lat_degree,
            east: a.east_lon_degree,
            north: a.north_lat_degree,
        };
        // GDAL reports -1000 for unknown bounds.
        let known =
            [b.west, b.south, b.east, b.north].iter().all(|v| v.is_finite() && v.abs() <= 360.0);
        known.then_some(b)
    });
    match authority {
        Some(auth) => Ok(CrsInfo {
            label: if name.is_empty() { auth.clone() } else { format!("{auth} ({name})") },
            definition: auth,
            area_of_use,
        }),
        None => {
            let wkt = srs.to_wkt().map_err(|_| "the CRS cannot be written as WKT".to_string())?;
            Ok(CrsInfo {
                label: if name.is_empty() { "a custom CRS".to_string() } else { name },
                definition: wkt,
                area_of_use,
            })
        }
    }
}

/// Resolves a CRS that GDAL read from a file (layer CRS as WKT): its EPSG code is identified when
/// the definition matches one, so labels read `EPSG:9210 (…)` rather than a WKT blob.
pub fn resolve_wkt_identified(wkt: &str) -> Result<CrsInfo, String> {
    let mut srs = spatial_ref(wkt)?;
    if srs.auth_name().is_none() {
        // Shapefile .prj files are ESRI WKT without authority; identification is best effort.
        let _ = srs.auto_identify_epsg();
    }
    describe(&srs)
}

/// Transforms coordinates in place, in one batch. Returns, per point, whether it transformed;
/// failed points are left non-finite. The error is for a transformation that cannot be built.
pub fn transform_coords(
    from: &str,
    to: &str,
    xs: &mut [f64],
    ys: &mut [f64],
) -> Result<Vec<bool>, String> {
    if xs.len() != ys.len() {
        return Err(format!("{} x values but {} y values", xs.len(), ys.len()));
    }
    if xs.is_empty() {
        return Ok(Vec::new());
    }
    let source = spatial_ref(from)?;
    let target = spatial_ref(to)?;
    let transform = CoordTransform::new(&source, &target)
        .map_err(|e| format!("no transformation from {from} to {to}: {e}"))?;
    // Chunks keep one failed point from making a huge batch report failure; GDAL marks the
    // failed points themselves with HUGE_VAL, which is what the per-point result reads.
    const CHUNK: usize = 1 << 16;
    for (cx, cy) in xs.chunks_mut(CHUNK).zip(ys.chunks_mut(CHUNK)) {
        if transform.transform_coords(cx, cy, &mut []).is_err() {
            for (x, y) in cx.iter_mut().zip(cy.iter_mut()) {
                if !(x.is_finite() && y.is_finite() && x.abs() < 1e30 && y.abs() < 1e30) {
                    *x = f64::NAN;
                    *y = f64::NAN;
                }
            }
        }
    }
    Ok(xs.iter().zip(ys.iter()).map(|(x, y)| x.is_finite() && y.is_finite()).collect())
}

/// Transforms geometries in place, all coordinates in one batch. Returns, per geometry, whether
/// every one of its coordinates transformed.
pub fn transform_geometries(
    from: &str,
    to: &str,
    geometries: &mut [&mut Geometry<f64>],
) -> Result<Vec<bool>, String> {
    let total: usize = geometries.iter().map(|g| g.coords_count()).sum();
    let mut xs = Vec::with_capacity(total);
    let mut ys = Vec::with_capacity(total);
    for g in geometries.iter() {
        for c in g.coords_iter() {
            xs.push(c.x);
            ys.push(c.y);
        }
    }
    let ok = transform_coords(from, to, &mut xs, &mut ys)?;
    let mut result = Vec::with_capacity(geometries.len());
    let mut start = 0usize;
    for g in geometries.iter_mut() {
        let n = g.coords_count();
        let end = start + n;
        let all_ok = ok.get(start..end).map(|s| s.iter().all(|b| *b)).unwrap_or(false);
        let (gx, gy) = match (xs.get(start..end), ys.get(start..end)) {
            (Some(gx), Some(gy)) => (gx, gy),
            _ => return Err("coordinate count changed during the transformation".to_string()),
        };
        // map_coords_in_place visits coordinates in coords_iter order; a counter walks the batch.
        let next = std::cell::Cell::new(0usize);
        let next = &next;
        g.map_coords_in_place(|_c: Coord<f64>| {
            let i = next.get();
            next.set(i + 1);
            Coord {
                x: gx.get(i).copied().unwrap_or(f64::NAN),
                y: gy.get(i).copied().unwrap_or(f64::NAN),
            }
        });
        result.push(all_ok);
        start = end;
    }
    Ok(result)
}

/// While alive, GDAL's own messages ("ERROR 1: PROJ: …") are not printed to stderr: every
/// failure is reported through our problems instead, and GDAL still keeps the last error for
/// the messages we build. Held by the stage entry points only (not nested), since dropping it
/// restores GDAL's default handler.
pub struct QuietGdal(());

impl QuietGdal {
    pub fn new() -> Self {
        gdal::config::set_error_handler(|_, _, _| {});
        QuietGdal(())
    }
}

impl Default for QuietGdal {
    fn default() -> Self {
        QuietGdal::new()
    }
}

impl Drop for QuietGdal {
    fn drop(&mut self) {
        gdal::config::remove_error_handler();
    }
}

/// WGS 84 / UTM zone of a longitude/latitude: EPSG code and name.
pub fn utm_zone(lon: f64, lat: f64) -> (u32, String) {
    let lon = if lon.is_finite() { lon.clamp(-180.0, 179.999_999) } else { 0.0 };
    // The clamp above keeps the zone within 1..=60.
    let zone = (((lon + 180.0) / 6.0).floor() as u32 + 1).min(60);
    if lat < 0.0 {
        (32700 + zone, format!("WGS 84 / UTM zone {zone}S"))
    } else {
        (32600 + zone, format!("WGS 84 / UTM zone {zone}N"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wgs84_to_vn2000_matches_the_published_sanity_value() {
        let mut xs = [106.6];
        let mut ys = [11.2];
        let ok = transform_coords(LONLAT, "EPSG:9210", &mut xs, &mut ys).unwrap();
        assert_eq!(ok, vec![true]);
        // domain-facts.md §9: E 592,629.4 N 1,238,711.0 (cs2cs), with the VN-2000 datum shift.
        assert!((xs[0] - 592_629.4).abs() < 1.0, "easting {}", xs[0]);
        assert!((ys[0] - 1_238_711.0).abs() < 1.0, "northing {}", ys[0]);
    }

    #[test]
    fn vn2000_round_trip_stays_within_a_metre() {
        let lon = [106.55, 106.70, 106.62];
        let lat = [10.90, 11.05, 11.30];
        let (mut xs, mut ys) = (lon.to_vec(), lat.to_vec());
        transform_coords(LONLAT, "EPSG:9210", &mut xs, &mut ys).unwrap();
        transform_coords("EPSG:9210", LONLAT, &mut xs, &mut ys).unwrap();
        // Compare in metres, in the UTM zone.
        let (mut ax, mut ay) = (lon.to_vec(), lat.to_vec());
        transform_coords(LONLAT, "EPSG:32648", &mut ax, &mut ay).unwrap();
        transform_coords(LONLAT, "EPSG:32648", &mut xs, &mut ys).unwrap();
        for i in 0..3 {
            let d = ((ax[i] - xs[i]).powi(2) + (ay[i] - ys[i]).powi(2)).sqrt();
            assert!(d < 1.0, "point {i} moved {d} m");
        }
    }

    #[test]
    fn datum_shift_is_applied_so_vn2000_is_not_treated_as_wgs84() {
        // The same easting/northing read as VN-2000 and as a WGS 84-based TM with the same
        // parameters differ by the ~200 m datum shift; ignoring it is the classic mistake.
        let tm_wgs84 = "+proj=tmerc +lat_0=0 +lon_0=105.75 +k=0.9999 +x_0=500000 +y_0=0 +datum=WGS84 +units=m +no_defs";
        let (mut x1, mut y1) = (vec![592_629.4], vec![1_238_711.0]);
        let (mut x2, mut y2) = (x1.clone(), y1.clone());
        transform_coords("EPSG:9210", "EPSG:32648", &mut x1, &mut y1).unwrap();
        transform_coords(tm_wgs84, "EPSG:32648", &mut x2, &mut y2).unwrap();
        let d = ((x1[0] - x2[0]).powi(2) + (y1[0] - y2[0]).powi(2)).sqrt();
        assert!(d > 100.0 && d < 400.0, "datum shift {d} m");
    }

    #[test]
    fn geographic_urns_and_crs84_resolve_to_epsg_4326() {
        for text in ["urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "epsg:4326"] {
            assert_eq!(resolve(text).unwrap().definition, "EPSG:4326", "{text}");
        }
        assert!(resolve("EPSG:9210").unwrap().label.contains("VN-2000"));
    }

    #[test]
    fn paths_urls_and_unknown_codes_are_refused() {
        assert!(resolve("/etc/passwd").is_err());
        assert!(resolve("http://example.com/crs").is_err());
        assert!(resolve("EPSG:999999").is_err());
        assert!(resolve("urn:ogc:def:crs:EPSG::abc").is_err());
    }

    #[test]
    fn points_outside_the_projection_fail_one_by_one() {
        let mut xs = [106.6, 10.0];
        let mut ys = [11.2, 200.0];
        let ok = transform_coords(LONLAT, "EPSG:32648", &mut xs, &mut ys).unwrap();
        assert_eq!(ok, vec![true, false]);
    }

    #[test]
    fn utm_zone_of_binh_duong_is_48_north() {
        assert_eq!(utm_zone(106.65, 11.1).0, 32648);
        assert_eq!(utm_zone(-70.0, -33.0), (32719, "WGS 84 / UTM zone 19S".to_string()));
        assert_eq!(utm_zone(180.0, 0.0).0, 32660);
    }

    #[test]
    fn area_of_use_of_vn2000_tm3_covers_binh_duong() {
        let info = resolve("EPSG:9210").unwrap();
        let area = info.area_of_use.unwrap();
        assert!(area.contains(106.65, 11.1, 0.0), "{area:?}");
        assert!(!area.contains(11.1, 106.65, 1.0));
    }

    #[test]
    fn geometries_are_transformed_in_one_batch() {
        let mut a: Geometry<f64> = geo::Point::new(106.6, 11.2).into();
        let mut b: Geometry<f64> = geo::LineString::from(vec![(106.6, 11.2), (106.7, 11.3)]).into();
        let ok = transform_geometries(LONLAT, "EPSG:9210", &mut [&mut a, &mut b]).unwrap();
        assert_eq!(ok, vec![true, true]);
        let Geometry::LineString(line) = b else { panic!() };
        assert!((line.0[0].x - 592_629.4).abs() < 1.0);
        assert!(line.0[1].x > line.0[0].x);
    }
}
