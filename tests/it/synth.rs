//! `relocate synth` and the bundled Binh Duong fixtures, checked from the files they write:
//! bytes, counts, required fields, ids, polygon validity and orientation, GDAL readability, and
//! the scenario file against the scenario reader.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use geo::{Area, Contains, Geometry, Point, Validation};
use geojson::{FeatureCollection, GeoJson};
use relocate::scenario::{Flags, Settings};
use unicode_normalization::is_nfc;

use crate::support::{self, binh_duong_fixtures};

const LAYERS: [&str; 6] = [
    "parks.geojson",
    "factories.geojson",
    "zoning.geojson",
    "receptors.geojson",
    "corridors.geojson",
    "districts.geojson",
];

fn synth(
    dir: &Path,
    factories: usize,
    parks: usize,
    zones: Option<usize>,
    seed: u64,
) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_relocate"));
    cmd.arg("synth")
        .arg("--factories")
        .arg(factories.to_string())
        .arg("--parks")
        .arg(parks.to_string())
        .arg("--seed")
        .arg(seed.to_string())
        .arg("--out")
        .arg(dir);
    if let Some(z) = zones {
        cmd.arg("--zones").arg(z.to_string());
    }
    cmd.output().unwrap()
}

fn synth_ok(dir: &Path, factories: usize, parks: usize, zones: Option<usize>, seed: u64) {
    let out = synth(dir, factories, parks, zones, seed);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn read(path: &Path) -> FeatureCollection {
    let text = std::fs::read_to_string(path).unwrap();
    match text.parse::<GeoJson>().unwrap() {
        GeoJson::FeatureCollection(fc) => fc,
        other => panic!("{}: not a FeatureCollection: {other:?}", path.display()),
    }
}

fn geometry(f: &geojson::Feature) -> Geometry<f64> {
    Geometry::<f64>::try_from(f.geometry.as_ref().unwrap().value.clone()).unwrap()
}

fn prop<'a>(f: &'a geojson::Feature, key: &str) -> Option<&'a serde_json::Value> {
    f.properties.as_ref().and_then(|p| p.get(key))
}

fn has_text(f: &geojson::Feature, key: &str) -> bool {
    prop(f, key).and_then(|v| v.as_str()).is_some_and(|s| !s.trim().is_empty())
}

/// Checks what every generated layer promises: valid polygons with counter-clockwise exterior
/// rings, 6-decimal lon/lat inside the drawn province, NFC text, required fields, unique ids.
fn check_layers(dir: &Path) -> Vec<FeatureCollection> {
    let mut layers = Vec::new();
    for name in LAYERS {
        let fc = read(&dir.join(name));
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(is_nfc(&text), "{name} is not NFC");
        assert!(!text.contains("\"crs\""), "{name}: RFC 7946 has no crs member");
        let mut ids = BTreeSet::new();
        for (i, f) in fc.features.iter().enumerate() {
            let g = geometry(f);
            if let Geometry::Polygon(p) = &g {
                assert!(p.is_valid(), "{name} #{i}: invalid polygon");
                assert!(
                    p.signed_area() > 0.0,
                    "{name} #{i}: exterior ring is not counter-clockwise"
                );
            }
            let bbox = geo::BoundingRect::bounding_rect(&g).unwrap();
            assert!(bbox.min().x > 106.2 && bbox.max().x < 107.1, "{name} #{i}: longitude");
            assert!(bbox.min().y > 10.7 && bbox.max().y < 11.6, "{name} #{i}: latitude");
            if let Some(id) = prop(f, "id") {
                assert!(ids.insert(id.to_string()), "{name}: duplicate id {id}");
            }
            match name {
                "parks.geojson" => {
                    assert!(has_text(f, "id") && has_text(f, "name"), "{name} #{i}");
                    let available = prop(f, "available_ha").and_then(|v| v.as_f64()).unwrap();
                    assert!(available >= 0.0);
                    assert!(matches!(g, Geometry::Polygon(_)));
                }
                "factories.geojson" => {
                    for key in ["id", "name", "sector"] {
                        assert!(has_text(f, key), "{name} #{i}: {key}");
                    }
                    let land = prop(f, "land_ha").and_then(|v| v.as_f64()).unwrap();
                    assert!(land > 0.0, "{name} #{i}: land_ha {land}");
                    assert!(matches!(g, Geometry::Point(_) | Geometry::Polygon(_)));
                }
                "zoning.geojson" => {
                    let uses = [
                        "industrial",
                        "residential",
                        "commercial",
                        "mixed",
                        "public",
                        "green",
                        "agricultural",
                        "infrastructure",
                        "other",
                    ];
                    let u = prop(f, "planned_use").and_then(|v| v.as_str()).unwrap();
                    assert!(uses.contains(&u), "{name} #{i}: {u}");
                }
                "receptors.geojson" | "corridors.geojson" => {
                    assert!(has_text(f, "kind"), "{name} #{i}: kind");
                    if let Geometry::LineString(_) = g {
                        let w = prop(f, "width_m").and_then(|v| v.as_f64()).unwrap();
                        assert!(w > 0.0);
                    }
                }
                "districts.geojson" => assert!(has_text(f, "name"), "{name} #{i}: name"),
                _ => unreachable!(),
            }
        }
        layers.push(fc);
    }
    layers
}

/// The layers and the scenario in a folder, with their bytes, sorted by name.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    support::files(dir)
        .into_iter()
        .filter(|(name, _)| {
            Path::new(name).extension().is_some_and(|e| e == "geojson" || e == "toml")
        })
        .collect()
}

#[test]
fn same_seed_writes_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    synth_ok(&a, 3_000, 40, None, 7);
    synth_ok(&b, 3_000, 40, None, 7);
    let (fa, fb) = (files(&a), files(&b));
    // scenario.toml, six layers, roads.geojson and the road-distance.toml variant.
    assert_eq!(fa.len(), 9);
    assert_eq!(fa, fb);
}

#[test]
fn different_seeds_give_different_factories_and_parks() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    synth_ok(&a, 500, 10, None, 1);
    synth_ok(&b, 500, 10, None, 2);
    for layer in ["factories.geojson", "parks.geojson", "zoning.geojson", "receptors.geojson"] {
        assert_ne!(
            std::fs::read(a.join(layer)).unwrap(),
            std::fs::read(b.join(layer)).unwrap(),
            "{layer}"
        );
    }
}

#[test]
fn synth_writes_the_counts_asked_with_valid_layers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    synth_ok(&dir, 2_500, 60, Some(333), 11);
    let layers = check_layers(&dir);
    assert_eq!(layers[0].features.len(), 60);
    assert_eq!(layers[1].features.len(), 2_500);
    assert_eq!(layers[2].features.len(), 333);
    assert_eq!(layers[5].features.len(), 9);
}

#[test]
fn synthetic_parks_are_north_apart_and_offer_about_the_land_factories_need() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    synth_ok(&dir, 4_000, 120, None, 3);
    let districts = read(&dir.join("districts.geojson"));
    let role = |role: &str| -> Vec<geo::Polygon<f64>> {
        districts
            .features
            .iter()
            .filter(|f| prop(f, "role").and_then(|v| v.as_str()) == Some(role))
            .map(|f| match geometry(f) {
                Geometry::Polygon(p) => p,
                g => panic!("{g:?}"),
            })
            .collect()
    };
    let (south, north) = (role("origin"), role("destination"));
    let parks: Vec<geo::Polygon<f64>> = read(&dir.join("parks.geojson"))
        .features
        .iter()
        .map(|f| match geometry(f) {
            Geometry::Polygon(p) => p,
            g => panic!("{g:?}"),
        })
        .collect();
    for (i, p) in parks.iter().enumerate() {
        assert!(
            north.iter().any(|d| d.contains(p)),
            "park #{i} is not inside a destination district"
        );
        for q in parks.iter().skip(i + 1) {
            assert!(geo::BooleanOps::intersection(p, q).unsigned_area() == 0.0, "parks overlap");
        }
    }
    let factories = read(&dir.join("factories.geojson"));
    let mut land = 0.0;
    for f in &factories.features {
        land += prop(f, "land_ha").and_then(|v| v.as_f64()).unwrap();
        let at = match geometry(f) {
            Geometry::Point(p) => p,
            Geometry::Polygon(p) => geo::Centroid::centroid(&p).unwrap(),
            g => panic!("{g:?}"),
        };
        assert!(
            south.iter().any(|d| d.contains(&at)),
            "factory at {at:?} is not in an origin district"
        );
    }
    let offered: f64 = read(&dir.join("parks.geojson"))
        .features
        .iter()
        .map(|f| prop(f, "available_ha").and_then(|v| v.as_f64()).unwrap())
        .sum();
    assert!((offered / land - 1.0).abs() < 0.15, "offered {offered} ha for {land} ha needed");
}

#[test]
fn synth_scenario_file_is_read_by_the_scenario_reader() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    synth_ok(&dir, 200, 5, None, 5);
    let args = Flags { scenario: Some(dir.join("scenario.toml")), ..Flags::default() };
    let settings = Settings::from_flags(&args, None).unwrap();
    assert_eq!(settings.name, "synth-5");
    assert_eq!(settings.layers.len(), 6);
    assert_eq!(settings.origin, ["Thuận An", "Dĩ An", "Thủ Dầu Một", "Tân Uyên", "Bến Cát"]);
    assert_eq!(settings.destination, ["Bàu Bàng", "Bắc Tân Uyên", "Phú Giáo", "Dầu Tiếng"]);
    let names: BTreeSet<String> = read(&dir.join("districts.geojson"))
        .features
        .iter()
        .map(|f| prop(f, "name").and_then(|v| v.as_str()).unwrap().to_string())
        .collect();
    for d in settings.origin.iter().chain(&settings.destination) {
        assert!(names.contains(d), "{d} is not in the districts layer");
    }
}

#[test]
fn gdal_reads_every_generated_layer() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    synth_ok(&dir, 300, 8, None, 9);
    for name in LAYERS {
        let out = Command::new("ogrinfo")
            .args(["-al", "-so", "-ro"])
            .arg(dir.join(name))
            .output()
            .expect("ogrinfo (gdal-bin) is needed to check the layers");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(text.contains("Feature Count"), "{name}: {text}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("ERROR"), "{name}");
    }
}

#[test]
fn zero_factories_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = synth(&tmp.path().join("s"), 0, 5, None, 1);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--factories"));
}

#[test]
fn committed_binh_duong_fixtures_equal_a_fresh_generation() {
    let tmp = tempfile::tempdir().unwrap();
    relocate::synth::binh_duong::write_fixtures(tmp.path()).unwrap();
    let (fresh, committed) = (files(tmp.path()), files(&binh_duong_fixtures()));
    assert_eq!(
        fresh.iter().map(|f| &f.0).collect::<Vec<_>>(),
        committed.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((name, a), (_, b)) in fresh.iter().zip(&committed) {
        assert!(
            a == b,
            "{name} differs from a fresh generation; run `cargo run --example binh_duong_fixtures`"
        );
    }
}

#[test]
fn binh_duong_fixtures_match_the_programme_figures() {
    let layers = check_layers(&binh_duong_fixtures());
    let total: u64 = LAYERS
        .iter()
        .map(|l| std::fs::metadata(binh_duong_fixtures().join(l)).unwrap().len())
        .sum();
    assert!(total < 3_000_000, "bundled layers take {total} bytes");

    let factories = &layers[1].features;
    assert_eq!(factories.len(), 2_900);
    let land: f64 =
        factories.iter().map(|f| prop(f, "land_ha").and_then(|v| v.as_f64()).unwrap()).sum();
    let employees: i64 =
        factories.iter().map(|f| prop(f, "employees").and_then(|v| v.as_i64()).unwrap()).sum();
    assert!((land - 1_300.0).abs() < 0.005, "{land}");
    assert_eq!(employees, 288_500);
    let sectors: BTreeSet<&str> =
        factories.iter().filter_map(|f| prop(f, "sector")?.as_str()).collect();
    for s in [
        "ceramics",
        "wood_furniture",
        "garments",
        "footwear",
        "mechanical",
        "electronics",
        "plastics",
        "food",
        "chemicals",
        "dyeing",
    ] {
        assert!(sectors.contains(s), "{s}");
    }
    let known = |key: &str, value: bool| {
        factories.iter().filter(|f| prop(f, key).and_then(|v| v.as_bool()) == Some(value)).count()
    };
    // Records for part of the factories: some true, some false, most unknown.
    assert!(
        known("construction_violation", true) > 0 && known("construction_violation", false) > 0
    );
    assert!(known("construction_violation", true) + known("construction_violation", false) < 1_450);
    assert!(known("wants_relocation", true) > 0);

    let parks = &layers[0].features;
    let offered: f64 =
        parks.iter().map(|f| prop(f, "available_ha").and_then(|v| v.as_f64()).unwrap()).sum();
    assert!((offered - 1_300.0).abs() < 5.0, "{offered}");
    let named = |n: &str| parks.iter().any(|f| prop(f, "name").and_then(|v| v.as_str()) == Some(n));
    for n in ["KCN Cây Trường", "KCN VSIP III", "KCN Bàu Bàng", "KCN VSIP I", "KCN Sóng Thần 3"]
    {
        assert!(named(n), "{n}");
    }

    // No factory stands inside a park.
    let park_shapes: Vec<Geometry<f64>> = parks.iter().map(geometry).collect();
    for f in factories {
        if let Geometry::Point(p) = geometry(f) {
            let p: Point<f64> = p;
            assert!(
                !park_shapes.iter().any(|s| s.contains(&p)),
                "{:?} is inside a park",
                prop(f, "id")
            );
        }
    }

    let settings = Settings::from_flags(&Flags::default(), None).unwrap();
    assert_eq!(settings.name, "binh-duong");
    assert_eq!(settings.phasing.deadlines.get("Thuận An"), Some(&2028));
    assert_eq!(settings.phasing.deadlines.get("Tân Uyên"), Some(&2029));
    assert_eq!(settings.phasing.default_deadline, 2030);
}
