//! Hand-built and seeded synthetic inputs for the candidates and allocation stages, shared by
//! unit tests, integration tests and benches (the input readers and the assessment are other
//! stages: these builders stand in for them so the solver can be exercised at any size).
//!
//! Geometry is in a metric working CRS (metres); the lon/lat copies are the same numbers, as
//! nothing here writes outputs.

use geo::{coord, MultiPolygon, Point, Rect};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::criteria::{Assessment, Basis, FactoryAssessment, Verdict};
use crate::model::Lang;
use crate::model::{
    Factory, HazardClass, Inputs, Origin, Park, ParkClass, ParkKind, Records, Site, WorkingCrs,
};
use crate::scenario::OnInvalid;
use crate::scenario::{AllocationTable, CriteriaSettings, Phasing, Scoring, Settings};

/// A factory at (x, y) metres.
pub fn factory(id: &str, x: f64, y: f64, land_ha: f64, sector: &str) -> Factory {
    let at = Point::new(x, y);
    Factory {
        origin: Origin { file: "factories.geojson".into(), index: 0 },
        id: id.into(),
        name: format!("Factory {id}"),
        sector: sector.into(),
        land_ha,
        employees: None,
        district: None,
        hazard_class: None,
        fire_risk: None,
        records: Records::default(),
        site: Site::Point(at),
        location: at,
        site_lonlat: Site::Point(at),
        location_lonlat: at,
    }
}

/// A park: a 500 m square centred on (x, y) metres, offering `available_ha`.
pub fn park(id: &str, x: f64, y: f64, available_ha: f64) -> Park {
    park_sized(id, x, y, available_ha, 500.0)
}

/// A park: a square of `side_m` centred on (x, y) metres.
pub fn park_sized(id: &str, x: f64, y: f64, available_ha: f64, side_m: f64) -> Park {
    let half = side_m / 2.0;
    let square: MultiPolygon<f64> =
        Rect::new(coord! { x: x - half, y: y - half }, coord! { x: x + half, y: y + half })
            .to_polygon()
            .into();
    Park {
        origin: Origin { file: "parks.geojson".into(), index: 0 },
        id: id.into(),
        name: format!("Park {id}"),
        available_ha,
        district: None,
        kind: ParkKind::Park,
        class: ParkClass::General,
        total_ha: None,
        ready_year: None,
        sectors: Vec::new(),
        excluded_sectors: Vec::new(),
        max_hazard_class: None,
        area: square.clone(),
        area_lonlat: square,
    }
}

/// Inputs holding these factories and parks, positions set as feature indices.
pub fn inputs(mut factories: Vec<Factory>, mut parks: Vec<Park>) -> Inputs {
    for (i, f) in factories.iter_mut().enumerate() {
        f.origin.index = i;
    }
    for (i, p) in parks.iter_mut().enumerate() {
        p.origin.index = i;
    }
    Inputs {
        parks,
        factories,
        zoning: Vec::new(),
        receptors: Vec::new(),
        corridors: Vec::new(),
        districts: Vec::new(),
        roads: Vec::new(),
        gates: Vec::new(),
        working_crs: WorkingCrs { epsg: 32648, name: "WGS 84 / UTM zone 48N".into() },
        files: Vec::new(),
    }
}

/// Every factory with the same verdict and the default deadline 2030.
pub fn single_assessment(inputs: &Inputs, verdict: Verdict) -> Assessment {
    assessment(inputs, |_| (verdict, 2030))
}

/// An assessment giving each factory (by index) a verdict and a deadline year.
pub fn assessment(inputs: &Inputs, f: impl Fn(usize) -> (Verdict, i32)) -> Assessment {
    Assessment {
        factories: (0..inputs.factories.len())
            .map(|i| {
                let (verdict, deadline_year) = f(i);
                FactoryAssessment {
                    factory: i,
                    verdict,
                    results: Vec::new(),
                    basis: Basis::None,
                    district: None,
                    deadline_year,
                    note: String::new(),
                }
            })
            .collect(),
    }
}

/// Settings as the scenario defaults give them: distance only, 80 km, 10 candidates, 2025–2030.
pub fn settings() -> Settings {
    Settings {
        name: "test".into(),
        title: "test".into(),
        scenario_shown: "test.toml".into(),
        scenario_text: String::new(),
        layers: Vec::new(),
        origin: Vec::new(),
        destination: Vec::new(),
        // The defaults, less the screening data these hand-built inputs do not carry.
        criteria: CriteriaSettings {
            separation_m: Default::default(),
            sensitive_uses: Vec::new(),
            fire_rules: Vec::new(),
            ..CriteriaSettings::default()
        },
        scoring: Scoring::default(),
        allocation: AllocationTable::default(),
        phasing: Phasing::default(),
        chain: Default::default(),
        park_overrides: Default::default(),
        roads: Default::default(),
        lang: Lang::En,
        on_invalid: OnInvalid::Abort,
        quiet: true,
        progress: crate::progress::Reporter::hidden(),
        keep_exclusions: true,
        time_limit_s: None,
        map_moves: Default::default(),
        out_dir: "out".into(),
    }
}

/// Sectors of the synthetic factories, with the weight of each in the mix.
const SECTORS: [(&str, u32); 10] = [
    ("ceramics", 10),
    ("wood_furniture", 16),
    ("garments", 14),
    ("footwear", 8),
    ("mechanical", 12),
    ("electronics", 8),
    ("plastics", 10),
    ("food", 10),
    ("chemicals", 6),
    ("dyeing", 6),
];

/// A seeded synthetic scenario shaped like Binh Duong: factories spread over a southern band
/// (40 × 40 km), parks over a northern band (60 × 50 km, 10–90 km away), land needs of a few
/// tenths of a hectare to several hectares, parks with sector lists, hazard limits, eco and
/// high-tech classes and opening years. `capacity_ratio` is the parks' total available land
/// over the relocating factories' total need. Returns inputs, assessment and settings
/// (scenario weights as DESIGN.md shows them).
pub fn synthetic(
    factories: usize,
    parks: usize,
    capacity_ratio: f64,
    seed: u64,
) -> (Inputs, Assessment, Settings) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let total_weight: u32 = SECTORS.iter().map(|s| s.1).sum();
    let mut list = Vec::with_capacity(factories);
    let mut verdicts = Vec::with_capacity(factories);
    let mut demand_ha = 0.0;
    for i in 0..factories {
        let x = rng.gen_range(0.0..40_000.0);
        let y = rng.gen_range(0.0..40_000.0);
        // Log-uniform between 0.05 and 6 ha: many small workshops, a few large plants.
        let land_ha = (0.05f64.ln() + rng.gen::<f64>() * (6.0f64.ln() - 0.05f64.ln())).exp();
        let land_ha = (land_ha * 100.0).round() / 100.0;
        let mut pick = rng.gen_range(0..total_weight);
        let mut sector = "food";
        for (name, w) in SECTORS {
            if pick < w {
                sector = name;
                break;
            }
            pick -= w;
        }
        let mut f = factory(&format!("F{i:07}"), x, y, land_ha, sector);
        f.employees = Some(rng.gen_range(10..800));
        f.hazard_class = HazardClass::ALL.get(rng.gen_range(0..5)).copied();
        let roll = rng.gen::<f64>();
        let verdict = if roll < 0.6 {
            Verdict::MustRelocate
        } else if roll < 0.85 {
            Verdict::Encouraged
        } else {
            Verdict::MayStay
        };
        if verdict.relocates() {
            demand_ha += land_ha;
        }
        // Deadlines by the factory's band, like per-district deadlines.
        let deadline = if x < 15_000.0 {
            2028
        } else if x < 30_000.0 {
            2029
        } else {
            2030
        };
        verdicts.push((verdict, deadline));
        list.push(f);
    }
    let mut raw_parks = Vec::with_capacity(parks);
    let mut shares = Vec::with_capacity(parks);
    for _ in 0..parks {
        shares.push(rng.gen_range(0.3..3.0));
    }
    let share_sum: f64 = shares.iter().sum();
    for (j, share) in shares.iter().enumerate() {
        let x = rng.gen_range(0.0..60_000.0);
        let y = rng.gen_range(50_000.0..100_000.0);
        let available_ha =
            ((capacity_ratio * demand_ha * share / share_sum) * 100.0).round() / 100.0;
        // The park polygon holds its offered land several times over (the rest is let).
        let side_m = (available_ha * 4.0 * 10_000.0).sqrt().max(300.0);
        let mut p = park_sized(&format!("P{j:05}"), x, y, available_ha, side_m);
        let kind = rng.gen_range(0..10);
        p.class = match kind {
            0 | 1 => ParkClass::Eco,
            2 => ParkClass::HighTech,
            _ => ParkClass::General,
        };
        if kind == 3 {
            // A specialised cluster for two sectors.
            let mut pick =
                || SECTORS.get(rng.gen_range(0..SECTORS.len())).map_or("food", |s| s.0).to_string();
            p.sectors = vec![pick(), pick()];
        }
        if kind == 4 {
            p.excluded_sectors = vec!["dyeing".into(), "chemicals".into()];
        }
        if matches!(p.class, ParkClass::HighTech) {
            p.max_hazard_class = Some(HazardClass::III);
        }
        p.ready_year = Some(rng.gen_range(2024..=2029));
        raw_parks.push(p);
    }
    let inputs = inputs(list, raw_parks);
    let assessment =
        assessment(&inputs, |i| verdicts.get(i).copied().unwrap_or((Verdict::MayStay, 2030)));
    let mut settings = settings();
    settings.scoring = Scoring {
        distance_per_km: 1.0,
        workforce_per_1000_employee_km: 0.5,
        cluster_mismatch: 2.0,
        class_mismatch: 2.0,
        waiting_per_year: 1.0,
        ahp: None,
    };
    (inputs, assessment, settings)
}

/// A road through metric points (its lon/lat copy holds the same numbers).
pub fn road(id: &str, points: &[(f64, f64)], oneway: crate::model::Oneway) -> crate::model::Road {
    let line = geo::MultiLineString(vec![geo::LineString::from(points.to_vec())]);
    crate::model::Road {
        origin: crate::model::Origin { file: "roads.geojson".into(), index: 0 },
        id: id.into(),
        class: "primary".into(),
        speed_kmh: None,
        oneway,
        no_trucks: false,
        line: line.clone(),
        line_lonlat: line,
    }
}
