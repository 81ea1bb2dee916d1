//! Units of measure. The only place conversion factors live: every other module names its
//! quantities with a unit suffix (`distance_m`, `land_ha`) and converts through these helpers.

/// Square metres in one hectare.
pub const M2_PER_HA: f64 = 10_000.0;

/// Metres in one kilometre.
pub const M_PER_KM: f64 = 1_000.0;

/// Metres in one degree of latitude (WGS 84, mean). Only for drawing or sizing synthetic shapes
/// in longitude/latitude; measures that matter are taken in the metric working CRS.
pub const M_PER_DEG_LAT: f64 = 110_574.0;

/// Metres in one degree of longitude at latitude `lat_deg` (spherical approximation, same use
/// as `M_PER_DEG_LAT`).
pub fn m_per_deg_lon(lat_deg: f64) -> f64 {
    111_320.0 * lat_deg.to_radians().cos()
}

/// Hectares covered by an area given in square metres.
pub fn ha_from_m2(area_m2: f64) -> f64 {
    area_m2 / M2_PER_HA
}

/// Kilometres in a length given in metres.
pub fn km_from_m(length_m: f64) -> f64 {
    length_m / M_PER_KM
}

/// Metres in a length given in kilometres.
pub fn m_from_km(length_km: f64) -> f64 {
    length_km * M_PER_KM
}

/// Rounds to a fixed number of decimals so that written figures do not flap between runs.
pub fn round_to(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    // Adding +0.0 turns a negative zero (a full park's 26.0 - 26.0 rounded, or the sum of no
    // hectares) into 0.0: tables and the report must not print "-0.0".
    (value * factor).round() / factor + 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_hectare_is_ten_thousand_square_metres() {
        assert_eq!(ha_from_m2(25_000.0), 2.5);
    }

    #[test]
    fn rounding_never_gives_a_negative_zero() {
        for v in [-0.0, -1e-9, -0.0004, 0.0] {
            let r = round_to(v, 3);
            assert_eq!(r, 0.0);
            assert!(r.is_sign_positive(), "{v} rounded to {r}");
        }
        assert_eq!(round_to(-0.0006, 3), -0.001);
        let no_land: f64 = std::iter::empty::<f64>().sum();
        assert!(round_to(no_land, 2).is_sign_positive());
    }

    #[test]
    fn kilometres_and_metres_round_trip() {
        assert_eq!(m_from_km(km_from_m(1234.5)), 1234.5);
    }
}
