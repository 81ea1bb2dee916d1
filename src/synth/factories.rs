//! The seeded factory generator shared by `relocate synth` and the bundled Binh Duong fixtures.
//!
//! 1. Pick a sector by its share; ceramics and furniture gather around the historic hotspots.
//! 2. Place the factory in an origin district (weighted by the district's share), outside every
//!    existing park.
//! 3. Draw its land need (log-normal, 0.1 to 8 ha) and workforce (sector density × land), scaled
//!    by a calibration so that the means hit the targets.
//! 4. Draw hazard class and fire risk by sector, inspection records for about a third of the
//!    factories (most fields unknown), and a few wishes to relocate.

use geo::{BoundingRect, Contains, Coord, InteriorPoint, Point, Polygon, Rect};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::geojson::{LayerWriter, Props, Shape};
use super::shapes::{blob_with_area, normal, offset};
use super::world::{Sector, HOTSPOTS, NAME_PREFIXES, NAME_WORDS, SECTORS};
use crate::error::Result;
use crate::model::{HazardClass, Records};

/// Smallest and largest land need, hectares.
pub const LAND_MIN_HA: f64 = 0.1;
pub const LAND_MAX_HA: f64 = 8.0;

/// Mean land need and workforce of the real programme: about 1,300 ha and 288,500 workers over
/// about 2,900 factories.
pub const MEAN_LAND_HA: f64 = 1_300.0 / 2_900.0;
pub const MEAN_EMPLOYEES: f64 = 288_500.0 / 2_900.0;

/// A polygon with its bounding box, for quick rejection before the exact test.
pub struct Shaped {
    pub polygon: Polygon<f64>,
    pub bbox: Rect<f64>,
}

impl Shaped {
    pub fn new(polygon: Polygon<f64>) -> Self {
        let bbox = polygon
            .bounding_rect()
            .unwrap_or_else(|| Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 0.0, y: 0.0 }));
        Shaped { polygon, bbox }
    }

    pub fn contains(&self, c: Coord<f64>) -> bool {
        let (min, max) = (self.bbox.min(), self.bbox.max());
        c.x >= min.x
            && c.x <= max.x
            && c.y >= min.y
            && c.y <= max.y
            && self.polygon.contains(&Point(c))
    }
}

/// Where factories may stand: the origin districts, minus existing parks.
pub struct Region {
    /// (district name, its share of factories, outline).
    pub origins: Vec<(&'static str, f64, Shaped)>,
    pub excluded: Vec<Shaped>,
}

impl Region {
    /// The origin district containing `c`, if `c` is outside every excluded area.
    pub fn locate(&self, c: Coord<f64>) -> Option<usize> {
        if self.excluded.iter().any(|e| e.contains(c)) {
            return None;
        }
        self.origins.iter().position(|(_, _, s)| s.contains(c))
    }

    fn pick_district(&self, rng: &mut ChaCha8Rng) -> usize {
        let total: f64 = self.origins.iter().map(|(_, w, _)| w).sum();
        let mut x = rng.gen::<f64>() * total;
        for (i, (_, w, _)) in self.origins.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        self.origins.len().saturating_sub(1)
    }

    /// A uniformly random point of a district picked by share.
    pub fn uniform(&self, rng: &mut ChaCha8Rng) -> (Coord<f64>, usize) {
        let d = self.pick_district(rng);
        if let Some((_, _, shape)) = self.origins.get(d) {
            let (min, max) = (shape.bbox.min(), shape.bbox.max());
            for _ in 0..10_000 {
                let c = Coord {
                    x: min.x + rng.gen::<f64>() * (max.x - min.x),
                    y: min.y + rng.gen::<f64>() * (max.y - min.y),
                };
                if shape.contains(c) && !self.excluded.iter().any(|e| e.contains(c)) {
                    return (c, d);
                }
            }
            // Unreachable for the drawn districts; keeps the generator total for odd inputs.
            if let Some(p) = shape.polygon.interior_point() {
                return (p.0, d);
            }
        }
        (Coord { x: 0.0, y: 0.0 }, d)
    }

    /// A point near `centre` (normal spread `sigma_m`), else a uniform one.
    pub fn near(
        &self,
        rng: &mut ChaCha8Rng,
        centre: Coord<f64>,
        sigma_m: f64,
    ) -> (Coord<f64>, usize) {
        for _ in 0..30 {
            let c = offset(centre, normal(rng) * sigma_m, normal(rng) * sigma_m);
            if let Some(d) = self.locate(c) {
                return (c, d);
            }
        }
        self.uniform(rng)
    }
}

/// One generated factory before it is written.
pub struct FactoryDraw {
    pub sector: &'static Sector,
    pub name: String,
    pub land_ha: f64,
    pub employees: f64,
    /// Index into `Region::origins`.
    pub district: usize,
    /// Whether the `district` field is written (else readers find it by polygon).
    pub district_field: bool,
    pub hazard_class: Option<HazardClass>,
    pub fire_risk: Option<&'static str>,
    pub records: Records,
    /// Whether unknown record fields of an inspected factory are written as `null` rather than
    /// left out: both mean unknown, and readers must treat them alike.
    pub nulls: bool,
    pub site: Coord<f64>,
    pub footprint: Option<Polygon<f64>>,
}

/// The generator, calibrated so that mean land and workforce hit the targets.
pub struct FactoryGen {
    land_scale: f64,
    employee_scale: f64,
}

fn pick<const N: usize>(rng: &mut ChaCha8Rng, weights: &[f64; N]) -> Option<usize> {
    let total: f64 = weights.iter().sum();
    let mut x = rng.gen::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if *w > 0.0 && x < *w {
            return Some(i);
        }
        x -= w;
    }
    weights.iter().rposition(|w| *w > 0.0)
}

fn pick_sector(rng: &mut ChaCha8Rng) -> &'static Sector {
    let shares = SECTORS.map(|s| s.share);
    let i = pick(rng, &shares).unwrap_or(0);
    SECTORS.get(i).unwrap_or(&SECTORS[0])
}

impl FactoryGen {
    /// Calibrates on a fixed sample drawn from `rng` (its own stream, so the calibration does not
    /// depend on how many factories are asked for).
    pub fn calibrated(rng: &mut ChaCha8Rng, mean_land_ha: f64, mean_employees: f64) -> Self {
        const SAMPLE: usize = 8_192;
        let raw: Vec<(f64, f64)> = (0..SAMPLE)
            .map(|_| {
                let s = pick_sector(rng);
                let land = s.land_median_ha * (s.land_sigma * normal(rng)).exp();
                let density = s.employees_per_ha * (0.35 * normal(rng)).exp();
                (land, density)
            })
            .collect();
        let mean_land = |k: f64| {
            raw.iter().map(|(l, _)| (l * k).clamp(LAND_MIN_HA, LAND_MAX_HA)).sum::<f64>()
                / SAMPLE as f64
        };
        // Clamping makes the mean non-linear in the scale; it is monotone, so bisect.
        let (mut lo, mut hi) = (0.01, 100.0);
        for _ in 0..60 {
            let mid = (lo + hi) / 2.0;
            if mean_land(mid) < mean_land_ha {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let land_scale = (lo + hi) / 2.0;
        let workforce = raw
            .iter()
            .map(|(l, d)| (l * land_scale).clamp(LAND_MIN_HA, LAND_MAX_HA) * d)
            .sum::<f64>()
            / SAMPLE as f64;
        FactoryGen {
            land_scale,
            employee_scale: if workforce > 0.0 { mean_employees / workforce } else { 1.0 },
        }
    }

    pub fn draw(&self, rng: &mut ChaCha8Rng, region: &Region) -> FactoryDraw {
        let sector = pick_sector(rng);
        let land_ha =
            (sector.land_median_ha * (sector.land_sigma * normal(rng)).exp() * self.land_scale)
                .clamp(LAND_MIN_HA, LAND_MAX_HA);
        let employees =
            land_ha * sector.employees_per_ha * (0.35 * normal(rng)).exp() * self.employee_scale;

        let hotspot = rng.gen::<f64>();
        let (site, district) = match HOTSPOTS.get(rng.gen_range(0..HOTSPOTS.len())) {
            Some(&(x, y, sigma_m)) if sector.clustered && hotspot < 0.6 => {
                region.near(rng, Coord { x, y }, sigma_m)
            }
            _ => region.uniform(rng),
        };
        let district_field = rng.gen::<f64>() < 0.9;

        let hazard_class = if rng.gen::<f64>() < 0.05 {
            None
        } else {
            pick(rng, &sector.hazard).and_then(|i| HazardClass::ALL.get(i).copied())
        };
        let fire_risk = if rng.gen::<f64>() < 0.03 {
            None
        } else {
            pick(rng, &sector.fire).and_then(|i| ["high", "medium", "low"].get(i).copied())
        };

        let mut records = Records::default();
        let inspected = rng.gen::<f64>() < 0.35;
        let maybe = |rng: &mut ChaCha8Rng, present: f64, p_true: f64| {
            let known = rng.gen::<f64>() < present;
            let value = rng.gen::<f64>() < p_true;
            (inspected && known).then_some(value)
        };
        records.construction_violation = maybe(rng, 0.8, 0.15);
        let env_p = match hazard_class {
            Some(HazardClass::I | HazardClass::II) => 0.45,
            Some(HazardClass::III) => 0.25,
            _ => 0.10,
        };
        records.environment_violation = maybe(rng, 0.8, env_p);
        let env_remediable = maybe(rng, 0.9, 0.5);
        records.environment_remediable = records.environment_violation.and(env_remediable);
        let fire_p = match fire_risk {
            Some("high") => 0.30,
            Some("medium") => 0.15,
            _ => 0.05,
        };
        records.fire_violation = maybe(rng, 0.8, fire_p);
        let fire_remediable = maybe(rng, 0.9, 0.6);
        records.fire_remediable = records.fire_violation.and(fire_remediable);
        records.land_use_conforming = maybe(rng, 0.5, 0.3);
        let wish = rng.gen::<f64>();
        records.wants_relocation = if wish < 0.03 {
            Some(true)
        } else if wish < 0.05 {
            Some(false)
        } else {
            None
        };
        let nulls = inspected && rng.gen::<f64>() < 0.1;

        let prefix = NAME_PREFIXES.choose(rng).copied().unwrap_or("Công ty");
        let word = NAME_WORDS.choose(rng).copied().unwrap_or("An Phú");
        let name = format!("{prefix} {} {word}", sector.vi);

        // A few large factories come with their site footprint rather than a point.
        let footprint = (land_ha >= 1.0 && rng.gen::<f64>() < 0.05).then(|| {
            let rotation = rng.gen::<f64>() * std::f64::consts::PI;
            blob_with_area(rng, site, land_ha.min(3.0), 4, 0.1, 1.3, rotation)
        });

        FactoryDraw {
            sector,
            name,
            land_ha,
            employees,
            district,
            district_field,
            hazard_class,
            fire_risk,
            records,
            nulls,
            site,
            footprint,
        }
    }
}

/// Writes one factory with every field DESIGN.md lists for the layer.
pub fn write_factory(
    out: &mut LayerWriter,
    props: &mut Props,
    id: &str,
    f: &FactoryDraw,
    region: &Region,
) -> Result<()> {
    props.clear();
    props
        .str("id", id)
        .str("name", &f.name)
        .str("sector", f.sector.key)
        .num("land_ha", f.land_ha, 2)
        .int("employees", f.employees.round() as i64);
    if f.district_field {
        if let Some((name, _, _)) = region.origins.get(f.district) {
            props.str("district", name);
        }
    }
    if let Some(h) = f.hazard_class {
        props.str("hazard_class", h.as_str());
    }
    if let Some(r) = f.fire_risk {
        props.str("fire_risk", r);
    }
    let r = &f.records;
    for (key, value) in [
        ("construction_violation", r.construction_violation),
        ("environment_violation", r.environment_violation),
        ("environment_remediable", r.environment_remediable),
        ("fire_violation", r.fire_violation),
        ("fire_remediable", r.fire_remediable),
        ("land_use_conforming", r.land_use_conforming),
        ("wants_relocation", r.wants_relocation),
    ] {
        match value {
            Some(v) => {
                props.bool(key, v);
            }
            None if f.nulls => {
                props.null(key);
            }
            None => {}
        }
    }
    match &f.footprint {
        Some(p) => out.write(props, &Shape::Polygon(p)),
        None => out.write(props, &Shape::Point(f.site)),
    }
}
