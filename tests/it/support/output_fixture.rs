//! A small plan built by hand (the read, assess and allocate stages are built in parallel):
//! three parks, six factories with every verdict and status, two districts, two zones, and
//! names that try to break XML, CSV and JSON.

#![allow(clippy::too_many_arguments)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use geo::{polygon, MultiPolygon, Point, Polygon};

use relocate::allocation::{Allocation, Assignment, Shortfall};
use relocate::candidates::Candidates;
use relocate::criteria::{
    Assessment, Basis, Criterion, CriterionResult, FactoryAssessment, Finding, Verdict,
};
use relocate::model::Lang;
use relocate::model::{
    District, Factory, InputFile, Inputs, Origin, Park, ParkClass, ParkKind, PlannedUse, Records,
    Site, WorkingCrs, Zone,
};
use relocate::pipeline::{Assessed, Loaded, Plan, StageTiming, Timings};
use relocate::scenario::OnInvalid;
use relocate::scenario::{
    AllocationTable, CriteriaSettings, Layer, LayerInput, Phasing, Scoring, Settings, Source,
};

/// Approximate UTM 48N for test geometry near Binh Duong (the tests measure nothing).
fn metric(lon: f64, lat: f64) -> Point<f64> {
    Point::new(500_000.0 + (lon - 105.0) * 111_320.0 * lat.to_radians().cos(), lat * 110_574.0)
}

fn metric_poly(p: &Polygon<f64>) -> Polygon<f64> {
    use geo::MapCoords;
    p.map_coords(|c| {
        let m = metric(c.x, c.y);
        geo::coord! { x: m.x(), y: m.y() }
    })
}

fn square(lon: f64, lat: f64, half: f64) -> Polygon<f64> {
    polygon![
        (x: lon - half, y: lat - half),
        (x: lon + half, y: lat - half),
        (x: lon + half, y: lat + half),
        (x: lon - half, y: lat + half),
    ]
}

fn park(
    i: usize,
    id: &str,
    name: &str,
    district: &str,
    lon: f64,
    lat: f64,
    available_ha: f64,
) -> Park {
    let lonlat = square(lon, lat, 0.01);
    Park {
        origin: Origin { file: "parks.geojson".into(), index: i },
        id: id.into(),
        name: name.into(),
        available_ha,
        district: Some(district.into()),
        kind: ParkKind::Park,
        class: ParkClass::General,
        total_ha: Some(available_ha * 10.0),
        ready_year: Some(2026),
        sectors: vec![],
        excluded_sectors: vec![],
        max_hazard_class: None,
        area: MultiPolygon(vec![metric_poly(&lonlat)]),
        area_lonlat: MultiPolygon(vec![lonlat]),
    }
}

fn factory(
    i: usize,
    id: &str,
    name: &str,
    sector: &str,
    lon: f64,
    lat: f64,
    land_ha: f64,
    employees: u32,
) -> Factory {
    let p = Point::new(lon, lat);
    Factory {
        origin: Origin { file: "factories.geojson".into(), index: i },
        id: id.into(),
        name: name.into(),
        sector: sector.into(),
        land_ha,
        employees: Some(employees),
        district: None,
        hazard_class: None,
        fire_risk: None,
        records: Records::default(),
        site: Site::Point(metric(lon, lat)),
        location: metric(lon, lat),
        site_lonlat: Site::Point(p),
        location_lonlat: p,
    }
}

fn result(c: Criterion, finding: Finding, basis: Basis, evidence: &str) -> CriterionResult {
    CriterionResult { criterion: c, finding, basis, evidence: evidence.into(), disagreement: false }
}

fn assessed(
    factory: usize,
    verdict: Verdict,
    met: &[(Criterion, Basis, &str)],
    district: &str,
    note: &str,
) -> FactoryAssessment {
    let results = Criterion::ALL
        .iter()
        .map(|&c| match met.iter().find(|m| m.0 == c) {
            Some((_, basis, evidence)) => result(c, Finding::Met, *basis, evidence),
            None if c == Criterion::C3FireSafety => result(c, Finding::Unknown, Basis::None, ""),
            None => result(c, Finding::NotMet, Basis::None, ""),
        })
        .collect();
    let basis = match met.len() {
        0 => Basis::None,
        _ if met.iter().all(|m| m.1 == Basis::Record) => Basis::Record,
        _ if met.iter().all(|m| m.1 == Basis::Screening) => Basis::Screening,
        _ => Basis::RecordAndScreening,
    };
    FactoryAssessment {
        factory,
        verdict,
        results,
        basis,
        district: Some(district.into()),
        deadline_year: 2028,
        note: note.into(),
    }
}

pub const HOSTILE_TITLE: &str = "Di dời <script>alert(\"x\")</script> & 'Thuận An'";

pub fn settings(out_dir: &Path, lang: Lang) -> Settings {
    // The defaults, less the screening data this hand-built plan does not carry.
    let criteria = CriteriaSettings {
        separation_m: BTreeMap::new(),
        sensitive_uses: vec!["residential".into()],
        fire_rules: vec![],
        ..CriteriaSettings::default()
    };
    Settings {
        name: "test-plan".into(),
        title: HOSTILE_TITLE.into(),
        scenario_shown: "scenario.toml".into(),
        scenario_text: "name = \"test-plan\"\n".into(),
        layers: vec![],
        origin: vec!["Thuận An".into(), "Dĩ An".into()],
        destination: vec!["Bàu Bàng".into()],
        criteria,
        scoring: Scoring::default(),
        allocation: AllocationTable::default(),
        phasing: Phasing::default(),
        chain: Default::default(),
        park_overrides: Default::default(),
        roads: Default::default(),
        lang,
        on_invalid: OnInvalid::Abort,
        quiet: true,
        progress: relocate::progress::Reporter::hidden(),
        keep_exclusions: true,
        time_limit_s: None,
        map_moves: Default::default(),
        out_dir: out_dir.to_path_buf(),
    }
}

/// Points the settings at input files on disk, so the output folder check can see them.
pub fn with_input_file(mut s: Settings, layer: Layer, path: PathBuf) -> Settings {
    s.layers.push(LayerInput {
        layer,
        source: Source::File { shown: path.display().to_string(), path },
        fields: BTreeMap::new(),
        crs: None,
    });
    s
}

pub fn inputs() -> Inputs {
    let parks = vec![
        park(0, "P-02", "KCN Bàu Bàng", "Bàu Bàng", 106.63, 11.26, 10.0),
        park(1, "P-01", "KCN Cây Trường", "Bàu Bàng", 106.58, 11.30, 4.0),
        park(2, "P-03", "CCN <b>Tân Lập</b> & \"Co\"", "Bàu Bàng", 106.70, 11.22, 0.0),
    ];
    let factories = vec![
        factory(0, "F-003", "Gốm sứ Minh Long", "ceramics", 106.70, 10.93, 3.5, 420),
        factory(1, "F-001", "=HYPERLINK(\"http://x\")", "garments", 106.72, 10.90, 1.25, 1200),
        factory(
            2,
            "F-002",
            "Nhà máy <script>alert('x')</script>",
            "furniture",
            106.76,
            10.91,
            2.0,
            300,
        ),
        factory(3, "F-004", "Dệt nhuộm Dĩ An", "dyeing", 106.77, 10.89, 6.0, 150),
        factory(4, "F-005", "Cơ khí Thuận Giao", "mechanical", 106.71, 10.95, 0.8, 60),
        factory(5, "F-006", "Bao bì Bến Cát", "plastics", 106.60, 11.10, 1.0, 80),
    ];
    let districts = vec![
        District {
            origin: Origin { file: "districts.geojson".into(), index: 0 },
            name: "Thuận An".into(),
            area: MultiPolygon(vec![metric_poly(&square(106.72, 10.92, 0.06))]),
            area_lonlat: MultiPolygon(vec![square(106.72, 10.92, 0.06)]),
        },
        District {
            origin: Origin { file: "districts.geojson".into(), index: 1 },
            name: "Bàu Bàng".into(),
            area: MultiPolygon(vec![metric_poly(&square(106.63, 11.26, 0.08))]),
            area_lonlat: MultiPolygon(vec![square(106.63, 11.26, 0.08)]),
        },
    ];
    let zoning = vec![
        Zone {
            origin: Origin { file: "zoning.geojson".into(), index: 0 },
            id: "Z2".into(),
            planned_use: PlannedUse::Residential,
            area: MultiPolygon(vec![metric_poly(&square(106.72, 10.92, 0.05))]),
            area_lonlat: MultiPolygon(vec![square(106.72, 10.92, 0.05)]),
        },
        Zone {
            origin: Origin { file: "zoning.geojson".into(), index: 1 },
            id: "Z1".into(),
            planned_use: PlannedUse::Industrial,
            area: MultiPolygon(vec![metric_poly(&square(106.63, 11.26, 0.03))]),
            area_lonlat: MultiPolygon(vec![square(106.63, 11.26, 0.03)]),
        },
    ];
    Inputs {
        parks,
        factories,
        zoning,
        receptors: vec![],
        corridors: vec![],
        roads: vec![],
        gates: vec![],
        districts,
        working_crs: WorkingCrs { epsg: 32648, name: "WGS 84 / UTM zone 48N".into() },
        files: vec![
            InputFile {
                layer: "parks".into(),
                path: "parks.geojson".into(),
                sha256: "a".repeat(64),
                crs: "EPSG:4326".into(),
                features: 3,
            },
            InputFile {
                layer: "factories".into(),
                path: "factories.geojson".into(),
                sha256: "b".repeat(64),
                crs: "EPSG:4326".into(),
                features: 6,
            },
        ],
    }
}

pub fn assessment() -> Assessment {
    use Criterion::*;
    Assessment {
        factories: vec![
            assessed(
                0,
                Verdict::MustRelocate,
                &[
                    (C2Environment, Basis::Screening, "school 120 m away, class II needs 500 m"),
                    (C4LandUse, Basis::Screening, "zone Z2 is residential"),
                ],
                "Thuận An",
                "",
            ),
            assessed(
                1,
                Verdict::MustRelocate,
                &[(
                    C1Construction,
                    Basis::Record,
                    "inspection 2024-03: built over the road corridor",
                )],
                "Thuận An",
                "",
            ),
            assessed(2, Verdict::Encouraged, &[], "Thuận An", "wants to relocate"),
            assessed(
                3,
                Verdict::MustRelocate,
                &[(C2Environment, Basis::Record, "=cmd|' /C calc'!A0")],
                "Dĩ An",
                "",
            ),
            assessed(4, Verdict::MayStay, &[], "Thuận An", ""),
            assessed(5, Verdict::OutOfScope, &[], "Bến Cát", "outside the origin area"),
        ],
    }
}

pub fn allocation() -> Allocation {
    Allocation {
        assignments: vec![
            Assignment {
                factory: 0,
                park: Some(0),
                distance_km: Some(36.123_456),
                cost: Some(36.123_456),
                move_year: Some(2026),
                unassigned_reason: String::new(),
            },
            Assignment {
                factory: 1,
                park: Some(1),
                distance_km: Some(44.0),
                cost: Some(44.5),
                move_year: Some(2027),
                unassigned_reason: String::new(),
            },
            Assignment {
                factory: 2,
                park: Some(0),
                distance_km: Some(39.9),
                cost: Some(40.0),
                move_year: Some(2028),
                unassigned_reason: String::new(),
            },
            Assignment {
                factory: 3,
                park: None,
                distance_km: None,
                cost: None,
                move_year: None,
                unassigned_reason: "no park with 6 ha left that accepts dyeing".into(),
            },
        ],
        allocated_ha: vec![5.5, 1.25, 0.0],
        objective: 120.623_456,
        lower_bound: 118.0,
        gap: 0.021_747,
        shortfalls: vec![Shortfall {
            sector: "dyeing".into(),
            hazard_class: None,
            deadline_year: 2028,
            factories: 1,
            land_ha: 6.0,
        }],
        ..Default::default()
    }
}

pub fn loaded(settings: Settings) -> Loaded {
    Loaded {
        settings,
        inputs: inputs(),
        skipped: vec![relocate::Problem::new(
            "factories.geojson",
            "F-009",
            "land_ha",
            "must be greater than 0, found -2",
        )],
        timings: Timings {
            stages: vec![StageTiming {
                stage: "read".into(),
                seconds: 0.01,
                peak_memory_mib: 10.0,
            }],
            ..Default::default()
        },
    }
}

pub fn plan(out_dir: &Path, lang: Lang) -> Plan {
    Plan {
        assessed: Assessed { loaded: loaded(settings(out_dir, lang)), assessment: assessment() },
        candidates: Candidates::default(),
        allocation: allocation(),
    }
}

pub fn assessed_only(out_dir: &Path) -> Assessed {
    Assessed { loaded: loaded(settings(out_dir, Lang::En)), assessment: assessment() }
}
