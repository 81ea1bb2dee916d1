//! A relocation plan built by hand, stage by stage (inputs, assessment, candidates, allocation),
//! so the map and report can be tested without the stages that compute them.
//!
//! Geometry is in WGS 84 / UTM 48N metres around the southern and northern parts of the former
//! Binh Duong province, drawn for these tests (no real boundary is copied here).
//!
//! `benches/map.rs` includes this file by path: it uses nothing else of the test crate.

use geo::{coord, LineString, MultiPolygon, Point, Polygon};

use relocate::allocation::{Allocation, Assignment, Shortfall};
use relocate::candidates::{Candidate, Candidates, CostTerms, FactoryCandidates};
use relocate::criteria::{
    Assessment, Basis, Criterion, CriterionResult, FactoryAssessment, Finding, Verdict,
};
use relocate::model::Lang;
use relocate::model::{
    District, Factory, Inputs, Origin, Park, ParkClass, ParkKind, PlannedUse, Records, Site,
    WorkingCrs, Zone,
};
use relocate::pipeline::{Assessed, Loaded, Plan, Timings};
use relocate::scenario::{Flags, Settings};

/// A name that tries every way text can break markup.
pub const HOSTILE_NAME: &str = "Gốm <script>alert('x')</script> & \"Sứ\"\nline\u{202E}evil\u{1}";

fn origin(file: &str, index: usize) -> Origin {
    Origin { file: file.to_string(), index }
}

/// Rough UTM 48N → lon/lat near 11° N: enough for the `_lonlat` fields the map does not use.
fn lonlat(x: f64, y: f64) -> (f64, f64) {
    let lat = y / 110_600.0;
    let lon = 105.0 + (x - 500_000.0) / (111_320.0 * lat.to_radians().cos());
    (lon, lat)
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![Polygon::new(
        LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
        vec![],
    )])
}

fn to_lonlat(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    use geo::MapCoords;
    mp.map_coords(|c| {
        let (lon, lat) = lonlat(c.x, c.y);
        coord! { x: lon, y: lat }
    })
}

fn park(index: usize, id: &str, name: &str, available_ha: f64, area: MultiPolygon<f64>) -> Park {
    Park {
        origin: origin("parks.geojson", index),
        id: id.to_string(),
        name: name.to_string(),
        available_ha,
        district: None,
        kind: ParkKind::Park,
        class: ParkClass::General,
        total_ha: None,
        ready_year: Some(2026),
        sectors: vec![],
        excluded_sectors: vec![],
        max_hazard_class: None,
        area_lonlat: to_lonlat(&area),
        area,
    }
}

fn district(index: usize, name: &str, area: MultiPolygon<f64>) -> District {
    District {
        origin: origin("districts.geojson", index),
        name: name.to_string(),
        area_lonlat: to_lonlat(&area),
        area,
    }
}

fn zone(index: usize, planned_use: PlannedUse, area: MultiPolygon<f64>) -> Zone {
    Zone {
        origin: origin("zoning.geojson", index),
        id: format!("Z{index}"),
        planned_use,
        area_lonlat: to_lonlat(&area),
        area,
    }
}

/// A small deterministic generator (no dependency on rand's stream stability).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

const SOUTH: [&str; 3] = ["Thuận An", "Dĩ An", "Thủ Dầu Một"];
const SECTORS: [&str; 5] = ["ceramics", "wood furniture", "garments", "electronics", "dyeing"];
const NAMES: [&str; 6] = [
    "Gốm sứ Minh Long",
    "Đồ gỗ Trường Thành",
    "May mặc Việt Tiến",
    "Nhựa Bình Dương",
    "Dệt nhuộm Thủ Đức",
    "Cơ khí Đông Á",
];

/// The districts: three crowded southern ones, two northern destination ones.
fn districts() -> Vec<District> {
    vec![
        district(0, "Thuận An", rect(680_000.0, 1_200_000.0, 692_000.0, 1_212_000.0)),
        district(1, "Dĩ An", rect(692_000.0, 1_200_000.0, 704_000.0, 1_212_000.0)),
        district(2, "Thủ Dầu Một", rect(680_000.0, 1_212_000.0, 704_000.0, 1_224_000.0)),
        district(3, "Bàu Bàng", rect(670_000.0, 1_240_000.0, 695_000.0, 1_262_000.0)),
        district(4, "Bắc Tân Uyên", rect(695_000.0, 1_240_000.0, 720_000.0, 1_262_000.0)),
    ]
}

fn parks(hostile: bool) -> Vec<Park> {
    vec![
        park(
            0,
            "P-CT",
            "KCN Cây Trường",
            40.0,
            rect(676_000.0, 1_250_000.0, 681_000.0, 1_254_000.0),
        ),
        park(
            1,
            "P-BB",
            "KCN Bàu Bàng mở rộng",
            12.0,
            rect(684_000.0, 1_244_000.0, 688_000.0, 1_247_000.0),
        ),
        park(
            2,
            "P-TB",
            if hostile { HOSTILE_NAME } else { "KCN Tân Bình" },
            30.0,
            rect(702_000.0, 1_248_000.0, 706_000.0, 1_252_000.0),
        ),
        park(3, "P-DC", "KCN Đất Cuốc", 8.0, rect(710_000.0, 1_254_000.0, 713_000.0, 1_257_000.0)),
        // A southern park: not a destination, drawn grey.
        park(4, "P-VSIP1", "KCN VSIP I", 0.0, rect(684_000.0, 1_203_000.0, 688_000.0, 1_206_000.0)),
    ]
}

fn zoning() -> Vec<Zone> {
    vec![
        zone(0, PlannedUse::Residential, rect(680_000.0, 1_200_000.0, 704_000.0, 1_216_000.0)),
        zone(1, PlannedUse::Commercial, rect(680_000.0, 1_216_000.0, 692_000.0, 1_224_000.0)),
        zone(2, PlannedUse::Industrial, rect(692_000.0, 1_216_000.0, 704_000.0, 1_224_000.0)),
        zone(3, PlannedUse::Agricultural, rect(670_000.0, 1_240_000.0, 720_000.0, 1_262_000.0)),
    ]
}

fn result(criterion: Criterion, finding: Finding, basis: Basis, evidence: &str) -> CriterionResult {
    CriterionResult {
        criterion,
        finding,
        basis,
        evidence: evidence.to_string(),
        disagreement: false,
    }
}

/// A plan with `n` factories scattered over the southern districts, `lang` for every label.
/// With `hostile`, one factory and one park carry `HOSTILE_NAME`.
pub fn plan_with(n: usize, lang: Lang, hostile: bool) -> Plan {
    let mut rng = Lcg(20_250_701);
    let parks = parks(hostile);
    let mut factories = Vec::new();
    let mut assessments = Vec::new();
    for i in 0..n {
        let x = 681_000.0 + rng.next() * 22_000.0;
        // A few factories north of the origin area: out of scope.
        let out_of_scope = i % 17 == 16;
        let y = if out_of_scope {
            1_228_000.0 + rng.next() * 8_000.0
        } else {
            1_201_000.0 + rng.next() * 22_000.0
        };
        let (lon, lat) = lonlat(x, y);
        let name = if hostile && i == 1 {
            HOSTILE_NAME.to_string()
        } else {
            format!("{} {}", NAMES[i % NAMES.len()], i + 1)
        };
        let land_ha = 0.2 + (i % 7) as f64 * 0.35;
        factories.push(Factory {
            origin: origin("factories.geojson", i),
            id: format!("F-{:04}", i + 1),
            name,
            sector: SECTORS[i % SECTORS.len()].to_string(),
            land_ha,
            employees: Some(40 + (i as u32 * 37) % 900),
            district: None,
            hazard_class: None,
            fire_risk: None,
            records: Records::default(),
            site: Site::Point(Point::new(x, y)),
            location: Point::new(x, y),
            site_lonlat: Site::Point(Point::new(lon, lat)),
            location_lonlat: Point::new(lon, lat),
        });
        let c2_met = i % 3 == 0;
        let c4_met = i % 5 == 0;
        let results = vec![
            result(
                Criterion::C1Construction,
                Finding::NotMet,
                Basis::None,
                "no corridor within the site",
            ),
            if c2_met {
                result(
                    Criterion::C2Environment,
                    Finding::Met,
                    Basis::Screening,
                    "housing 120 m away, class III needs 300 m",
                )
            } else {
                result(Criterion::C2Environment, Finding::NotMet, Basis::None, "")
            },
            result(
                Criterion::C3FireSafety,
                Finding::Unknown,
                Basis::None,
                "no fire inspection record",
            ),
            if c4_met {
                result(
                    Criterion::C4LandUse,
                    Finding::Met,
                    Basis::Record,
                    "planned use is residential (zone Z0)",
                )
            } else {
                result(Criterion::C4LandUse, Finding::NotMet, Basis::None, "")
            },
        ];
        let verdict = if out_of_scope {
            Verdict::OutOfScope
        } else if c2_met || c4_met {
            Verdict::MustRelocate
        } else if i % 4 == 1 {
            Verdict::Encouraged
        } else {
            Verdict::MayStay
        };
        let basis = match (c2_met, c4_met) {
            (true, true) => Basis::RecordAndScreening,
            (true, false) => Basis::Screening,
            (false, true) => Basis::Record,
            _ => Basis::None,
        };
        assessments.push(FactoryAssessment {
            factory: i,
            verdict,
            results: if out_of_scope { vec![] } else { results },
            basis: if out_of_scope { Basis::None } else { basis },
            district: (!out_of_scope).then(|| SOUTH[i % SOUTH.len()].to_string()),
            deadline_year: 2028 + (i % 3) as i32,
            note: if out_of_scope { "outside the origin area".to_string() } else { String::new() },
        });
    }

    // Candidates and allocation: nearest destination first, capacity in ha respected.
    let destinations = vec![0, 1, 2, 3];
    let mut allocated_ha = vec![0.0; parks.len()];
    let mut candidates = Vec::new();
    let mut assignments = Vec::new();
    let mut objective = 0.0;
    let mut unplaced_ha = 0.0;
    let mut unplaced = 0;
    for a in &assessments {
        if !a.verdict.relocates() {
            continue;
        }
        let f = &factories[a.factory];
        let mut eligible: Vec<Candidate> = destinations
            .iter()
            .map(|&p| {
                use geo::Distance;
                let distance_km = geo::Euclidean.distance(&f.location, &parks[p].area) / 1000.0;
                Candidate {
                    park: p,
                    distance_km,
                    cost: distance_km,
                    terms: CostTerms { distance: distance_km, ..CostTerms::default() },
                    earliest_year: 2026,
                    road: None,
                }
            })
            .collect();
        eligible.sort_by(|x, y| x.cost.total_cmp(&y.cost));
        let chosen = eligible
            .iter()
            .find(|c| allocated_ha[c.park] + f.land_ha <= parks[c.park].available_ha)
            .cloned();
        match chosen {
            Some(c) => {
                allocated_ha[c.park] += f.land_ha;
                objective += c.cost;
                assignments.push(Assignment {
                    factory: a.factory,
                    park: Some(c.park),
                    distance_km: Some(c.distance_km),
                    cost: Some(c.cost),
                    move_year: Some(2027 + (a.factory % 3) as i32),
                    unassigned_reason: String::new(),
                });
            }
            None => {
                unplaced += 1;
                unplaced_ha += f.land_ha;
                assignments.push(Assignment {
                    factory: a.factory,
                    park: None,
                    distance_km: None,
                    cost: None,
                    move_year: None,
                    unassigned_reason: "every eligible park within 80 km is full".to_string(),
                });
            }
        }
        candidates.push(FactoryCandidates { factory: a.factory, eligible, excluded: vec![] });
    }
    let shortfalls = if unplaced > 0 {
        vec![Shortfall {
            sector: "ceramics".to_string(),
            hazard_class: Some("III".to_string()),
            deadline_year: 2028,
            factories: unplaced,
            land_ha: unplaced_ha,
        }]
    } else {
        vec![]
    };

    let mut settings = Settings::from_flags(&Flags::default(), None).expect("bundled scenario");
    settings.lang = lang;
    if hostile {
        settings.title = HOSTILE_NAME.to_string();
    }
    let inputs = Inputs {
        parks,
        factories,
        zoning: zoning(),
        receptors: vec![],
        corridors: vec![],
        roads: vec![],
        gates: vec![],
        districts: districts(),
        working_crs: WorkingCrs { epsg: 32648, name: "WGS 84 / UTM zone 48N".to_string() },
        files: vec![],
    };
    Plan {
        assessed: Assessed {
            loaded: Loaded { settings, inputs, skipped: vec![], timings: Timings::default() },
            assessment: Assessment { factories: assessments },
        },
        candidates: Candidates { factories: candidates, destinations, ..Default::default() },
        allocation: Allocation {
            assignments,
            allocated_ha,
            objective,
            lower_bound: objective * 0.98,
            gap: 0.02,
            shortfalls,
            ..Default::default()
        },
    }
}

/// The small plan most tests draw: 60 factories.
pub fn small_plan(lang: Lang) -> Plan {
    plan_with(60, lang, false)
}

/// Mean absolute difference per channel between two PNGs of the same size, 0–255.
pub fn mean_pixel_difference(a: &[u8], b: &[u8]) -> f64 {
    let a = tiny_skia::Pixmap::decode_png(a).expect("first PNG decodes");
    let b = tiny_skia::Pixmap::decode_png(b).expect("second PNG decodes");
    assert_eq!((a.width(), a.height()), (b.width(), b.height()), "PNG sizes differ");
    let total: u64 = a.data().iter().zip(b.data()).map(|(x, y)| u64::from(x.abs_diff(*y))).sum();
    total as f64 / a.data().len() as f64
}
