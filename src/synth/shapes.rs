//! Drawing helpers for generated geometry, in longitude/latitude: star-shaped outlines (always
//! simple polygons), bands around centre lines, a random generator per layer and a hash for
//! position-keyed randomness.

use geo::{Area, Coord, LineString, Polygon};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::units::{m_per_deg_lon, M_PER_DEG_LAT};

/// The random generator of one layer: the seed chooses the scenario, the stream keeps the layers
/// independent (asking for more factories does not move the parks).
pub fn layer_rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// SplitMix64 finaliser: a well-mixed 64-bit hash of a 64-bit key.
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform number in [0, 1) keyed by (seed, a, b, salt): the same key always gives the same
/// number, so lattice vertices shared by neighbouring cells agree without being stored.
pub fn hash_unit(seed: u64, a: i64, b: i64, salt: u64) -> f64 {
    let h = mix64(seed ^ mix64((a as u64).wrapping_mul(0x1000_0000_01B3) ^ mix64(b as u64 ^ salt)));
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// A standard normal draw (Box–Muller).
pub fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.gen::<f64>(); // (0, 1]: ln stays finite
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Moves `c` by `east_m`, `north_m` metres.
pub fn offset(c: Coord<f64>, east_m: f64, north_m: f64) -> Coord<f64> {
    Coord { x: c.x + east_m / m_per_deg_lon(c.y), y: c.y + north_m / M_PER_DEG_LAT }
}

/// Area of a lon/lat polygon in hectares, on a local flat approximation (good to well under a
/// percent over a few kilometres).
pub fn area_ha(polygon: &Polygon<f64>) -> f64 {
    let lat = polygon.exterior().0.first().map(|c| c.y).unwrap_or(0.0);
    polygon.unsigned_area() * M_PER_DEG_LAT * m_per_deg_lon(lat) / crate::units::M2_PER_HA
}

/// A star-shaped outline around `centre`: `vertices` points at increasing angles (so the ring is
/// simple and counter-clockwise), radii varying by up to `irregularity` around `radius_m`,
/// stretched by `aspect` along the direction `rotation` (radians).
pub fn blob(
    rng: &mut ChaCha8Rng,
    centre: Coord<f64>,
    radius_m: f64,
    vertices: usize,
    irregularity: f64,
    aspect: f64,
    rotation: f64,
) -> Polygon<f64> {
    let n = vertices.max(3);
    let step = std::f64::consts::TAU / n as f64;
    let (sin_r, cos_r) = rotation.sin_cos();
    let mut ring = Vec::with_capacity(n + 1);
    for k in 0..n {
        // Angles stay inside their own sector, so they keep increasing.
        let angle = step * (k as f64 + 0.5 + 0.35 * (rng.gen::<f64>() - 0.5));
        let r = radius_m * (1.0 + irregularity * (2.0 * rng.gen::<f64>() - 1.0));
        let (s, c) = angle.sin_cos();
        let (x, y) = (r * c * aspect.sqrt(), r * s / aspect.sqrt());
        let east = x * cos_r - y * sin_r;
        let north = x * sin_r + y * cos_r;
        ring.push(offset(centre, east, north));
    }
    if let Some(first) = ring.first().copied() {
        ring.push(first);
    }
    Polygon::new(LineString::new(ring), vec![])
}

/// A blob scaled so that its area is `area_ha`.
pub fn blob_with_area(
    rng: &mut ChaCha8Rng,
    centre: Coord<f64>,
    area_ha_target: f64,
    vertices: usize,
    irregularity: f64,
    aspect: f64,
    rotation: f64,
) -> Polygon<f64> {
    let radius_m = (area_ha_target * crate::units::M2_PER_HA / std::f64::consts::PI).sqrt();
    let drawn = blob(rng, centre, radius_m, vertices, irregularity, aspect, rotation);
    let got = area_ha(&drawn);
    if got <= 0.0 {
        return drawn;
    }
    let k = (area_ha_target / got).sqrt();
    let ring = drawn
        .exterior()
        .0
        .iter()
        .map(|c| Coord { x: centre.x + (c.x - centre.x) * k, y: centre.y + (c.y - centre.y) * k })
        .collect::<Vec<_>>();
    Polygon::new(LineString::new(ring), vec![])
}

/// A polygon `width_m` wide around a gently bending centre line: each vertex is moved half the
/// width along the bisector of its two segments.
pub fn band(line: &[Coord<f64>], width_m: f64) -> Polygon<f64> {
    let half = width_m / 2.0;
    // Work in local metres so the bisectors are true right angles.
    let to_m = |c: Coord<f64>| (c.x * m_per_deg_lon(c.y), c.y * M_PER_DEG_LAT);
    let mut left = Vec::with_capacity(line.len());
    let mut right = Vec::with_capacity(line.len());
    for (i, c) in line.iter().enumerate() {
        let prev = if i == 0 { None } else { line.get(i - 1) };
        let next = line.get(i + 1);
        let dir = |a: Coord<f64>, b: Coord<f64>| {
            let (ax, ay) = to_m(a);
            let (bx, by) = to_m(b);
            let (dx, dy) = (bx - ax, by - ay);
            let len = (dx * dx + dy * dy).sqrt().max(1e-9);
            (dx / len, dy / len)
        };
        let (dx, dy) = match (prev, next) {
            (Some(p), Some(n)) => {
                let (ax, ay) = dir(*p, *c);
                let (bx, by) = dir(*c, *n);
                let (sx, sy) = (ax + bx, ay + by);
                let len = (sx * sx + sy * sy).sqrt().max(1e-9);
                // Lengthen the offset at a bend so the band keeps its width.
                let cos_half = ((1.0 + ax * bx + ay * by) / 2.0).sqrt().max(0.5);
                (sx / len / cos_half, sy / len / cos_half)
            }
            (None, Some(n)) => dir(*c, *n),
            (Some(p), None) => dir(*p, *c),
            (None, None) => (1.0, 0.0),
        };
        // Left normal of the direction.
        let (nx, ny) = (-dy, dx);
        left.push(offset(*c, nx * half, ny * half));
        right.push(offset(*c, -nx * half, -ny * half));
    }
    right.reverse();
    let mut ring: Vec<Coord<f64>> = right.into_iter().chain(left).collect();
    if let Some(first) = ring.first().copied() {
        ring.push(first);
    }
    Polygon::new(LineString::new(ring), vec![])
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Validation;

    #[test]
    fn blob_has_the_area_asked_and_is_valid() {
        let mut rng = layer_rng(1, 0);
        let p = blob_with_area(&mut rng, Coord { x: 106.7, y: 11.0 }, 500.0, 10, 0.3, 1.6, 0.4);
        assert!(p.is_valid());
        assert!((area_ha(&p) - 500.0).abs() < 0.5, "{}", area_ha(&p));
    }

    #[test]
    fn band_around_a_bending_line_is_a_valid_polygon() {
        let line = [
            Coord { x: 106.60, y: 11.00 },
            Coord { x: 106.62, y: 11.02 },
            Coord { x: 106.62, y: 11.05 },
            Coord { x: 106.65, y: 11.06 },
        ];
        let p = band(&line, 300.0);
        assert!(p.is_valid());
        let length_m = 3.0 * 2600.0;
        assert!(area_ha(&p) > 0.8 * length_m * 300.0 / 10_000.0);
    }

    #[test]
    fn hashed_numbers_repeat_for_the_same_key_and_differ_between_keys() {
        assert_eq!(hash_unit(7, 3, -4, 1), hash_unit(7, 3, -4, 1));
        assert_ne!(hash_unit(7, 3, -4, 1), hash_unit(7, 4, -3, 1));
        assert_ne!(hash_unit(7, 3, -4, 1), hash_unit(8, 3, -4, 1));
    }
}
