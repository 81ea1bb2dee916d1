//! Seeded synthetic inputs for the assessment benchmark and the full-scale run: a 60 km × 60 km
//! square shaped like the southern districts — a grid of zoning polygons (mostly residential and
//! industrial), receptors scattered over it, line corridors, a few parks and five districts —
//! and factories spread over it with a realistic mix of hazard classes, fire risks and partial
//! inspection records. Everything is in metres; the same seed gives the same inputs.

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPolygon, Point, Polygon};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use relocate::model::{
    Corridor, CorridorShape, District, Factory, FireRisk, HazardClass, Inputs, Origin, Park,
    ParkClass, ParkKind, PlannedUse, Receptor, Records, Site, WorkingCrs, Zone,
};
use relocate::scenario::{Flags, Settings};

/// Side of the synthetic territory, metres.
pub const SIDE_M: f64 = 60_000.0;

fn origin(file: &str, index: usize) -> Origin {
    Origin { file: file.to_string(), index }
}

/// A convex polygon of `n` vertices around (cx, cy), radius between 0.35 and 0.5 of `size`.
fn blob(rng: &mut ChaCha8Rng, cx: f64, cy: f64, size: f64, n: usize) -> MultiPolygon<f64> {
    let mut ring: Vec<Coord<f64>> = (0..n)
        .map(|k| {
            let a = std::f64::consts::TAU * k as f64 / n as f64;
            let r = size * rng.gen_range(0.35..0.5);
            Coord { x: cx + r * a.cos(), y: cy + r * a.sin() }
        })
        .collect();
    if let Some(first) = ring.first().copied() {
        ring.push(first);
    }
    MultiPolygon(vec![Polygon::new(LineString(ring), vec![])])
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![Polygon::new(
        LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
        vec![],
    )])
}

fn maybe(rng: &mut ChaCha8Rng, known: f64, yes: f64) -> Option<bool> {
    rng.gen_bool(known).then(|| rng.gen_bool(yes))
}

/// Inputs with `factories` factories, about `zones` zoning polygons and `receptors` receptors.
pub fn inputs(factories: usize, zones: usize, receptors: usize, seed: u64) -> Inputs {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);

    // Zoning: a square grid of cells, one polygon (6–8 vertices) per cell.
    let per_side = (zones as f64).sqrt().ceil().max(1.0) as usize;
    let cell = SIDE_M / per_side as f64;
    let uses = [
        (PlannedUse::Residential, 0.40),
        (PlannedUse::Industrial, 0.25),
        (PlannedUse::Commercial, 0.10),
        (PlannedUse::Mixed, 0.08),
        (PlannedUse::Green, 0.07),
        (PlannedUse::Public, 0.05),
        (PlannedUse::Agricultural, 0.05),
    ];
    let mut zoning = Vec::with_capacity(zones);
    for i in 0..zones {
        let (cx, cy) = (((i % per_side) as f64 + 0.5) * cell, ((i / per_side) as f64 + 0.5) * cell);
        let mut pick = rng.gen_range(0.0..1.0);
        let mut planned_use = PlannedUse::Other;
        for (u, share) in uses {
            if pick < share {
                planned_use = u;
                break;
            }
            pick -= share;
        }
        let n = rng.gen_range(6..=8);
        // Zones reach a little past their cell so that most points lie in a zone, with small
        // overlaps and gaps at the corners, as in a digitised plan.
        let area = blob(&mut rng, cx, cy, cell * 1.45, n);
        zoning.push(Zone {
            origin: origin("zoning.geojson", i),
            id: format!("Z{i:06}"),
            planned_use,
            area_lonlat: area.clone(),
            area,
        });
    }

    let kinds = ["residential", "residential", "residential", "school", "hospital"];
    let receptors = (0..receptors)
        .map(|i| {
            let (x, y) = (rng.gen_range(0.0..SIDE_M), rng.gen_range(0.0..SIDE_M));
            let shape = if i % 10 == 0 {
                Geometry::MultiPolygon(blob(&mut rng, x, y, 60.0, 6))
            } else {
                Geometry::Point(Point::new(x, y))
            };
            Receptor {
                origin: origin("receptors.geojson", i),
                id: format!("R{i:06}"),
                kind: kinds.get(i % kinds.len()).copied().unwrap_or("residential").to_string(),
                shape,
            }
        })
        .collect();

    // Corridors: roads and power lines crossing the territory, 30–60 m wide.
    let corridors = (0..200)
        .map(|i| {
            let horizontal = i % 2 == 0;
            let at = rng.gen_range(0.0..SIDE_M);
            let pts: Vec<Coord<f64>> = (0..=20)
                .map(|k| {
                    let along = SIDE_M * k as f64 / 20.0;
                    let wobble = rng.gen_range(-200.0..200.0);
                    if horizontal {
                        Coord { x: along, y: at + wobble }
                    } else {
                        Coord { x: at + wobble, y: along }
                    }
                })
                .collect();
            Corridor {
                origin: origin("corridors.geojson", i),
                id: format!("K{i:04}"),
                kind: if i % 3 == 0 { "power_line" } else { "road" }.to_string(),
                shape: CorridorShape::Line {
                    line: MultiLineString(vec![LineString(pts)]),
                    width_m: rng.gen_range(30.0..60.0),
                },
            }
        })
        .collect();

    let parks = (0..40)
        .map(|i| {
            let (x, y) = (rng.gen_range(0.0..SIDE_M), rng.gen_range(0.0..SIDE_M));
            let area = rect(x, y, x + 1500.0, y + 1000.0);
            Park {
                origin: origin("parks.geojson", i),
                id: format!("P{i:03}"),
                name: format!("Park {i}"),
                available_ha: 50.0,
                district: None,
                kind: ParkKind::Park,
                class: ParkClass::General,
                total_ha: Some(150.0),
                ready_year: Some(2026),
                sectors: vec![],
                excluded_sectors: vec![],
                max_hazard_class: None,
                area_lonlat: area.clone(),
                area,
            }
        })
        .collect();

    let names = ["Thuận An", "Dĩ An", "Thủ Dầu Một", "Tân Uyên", "Bến Cát"];
    let districts = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let w = SIDE_M / names.len() as f64;
            let area = rect(i as f64 * w, 0.0, (i + 1) as f64 * w, SIDE_M);
            District {
                origin: origin("districts.geojson", i),
                name: name.to_string(),
                area_lonlat: area.clone(),
                area,
            }
        })
        .collect();

    let sectors = [
        "garments",
        "footwear",
        "wood",
        "ceramics",
        "mechanical",
        "electronics",
        "plastics",
        "food",
        "chemicals",
        "dyeing",
    ];
    let classes = [
        (Some(HazardClass::I), 0.02),
        (Some(HazardClass::II), 0.10),
        (Some(HazardClass::III), 0.30),
        (Some(HazardClass::IV), 0.30),
        (Some(HazardClass::V), 0.18),
        (None, 0.10),
    ];
    let factory_file = "factories.geojson".to_string();
    let factories = (0..factories)
        .map(|i| {
            let (x, y) = (rng.gen_range(0.0..SIDE_M), rng.gen_range(0.0..SIDE_M));
            let location = Point::new(x, y);
            let mut pick = rng.gen_range(0.0..1.0);
            let mut hazard_class = None;
            for (c, share) in classes {
                if pick < share {
                    hazard_class = c;
                    break;
                }
                pick -= share;
            }
            let fire_risk = match rng.gen_range(0..10) {
                0..=1 => Some(FireRisk::High),
                2..=5 => Some(FireRisk::Medium),
                6..=8 => Some(FireRisk::Low),
                _ => None,
            };
            let records = Records {
                construction_violation: maybe(&mut rng, 0.3, 0.1),
                environment_violation: maybe(&mut rng, 0.3, 0.2),
                environment_remediable: maybe(&mut rng, 0.2, 0.5),
                fire_violation: maybe(&mut rng, 0.3, 0.1),
                fire_remediable: maybe(&mut rng, 0.2, 0.5),
                land_use_conforming: maybe(&mut rng, 0.2, 0.6),
                wants_relocation: maybe(&mut rng, 0.1, 0.5),
            };
            // One factory in twenty has a footprint (a 60 m × 40 m shed).
            let site = if i % 20 == 0 {
                Site::Footprint(rect(x - 30.0, y - 20.0, x + 30.0, y + 20.0))
            } else {
                Site::Point(location)
            };
            Factory {
                origin: Origin { file: factory_file.clone(), index: i },
                id: format!("F{i:07}"),
                name: format!("Factory {i}"),
                sector: sectors.get(i % sectors.len()).copied().unwrap_or("garments").to_string(),
                land_ha: rng.gen_range(0.2..5.0),
                employees: Some(rng.gen_range(10..2000)),
                district: None,
                hazard_class,
                fire_risk,
                records,
                site_lonlat: site.clone(),
                site,
                location,
                location_lonlat: location,
            }
        })
        .collect();

    Inputs {
        parks,
        factories,
        zoning,
        receptors,
        corridors,
        districts,
        roads: vec![],
        gates: vec![],
        working_crs: WorkingCrs { epsg: 32648, name: "WGS 84 / UTM zone 48N".to_string() },
        files: vec![],
    }
}

/// Default settings (the scenario defaults), with the five southern districts as origin.
pub fn settings() -> Settings {
    let args = Flags {
        parks: Some("parks.geojson".into()),
        factories: Some("factories.geojson".into()),
        ..Flags::default()
    };
    let mut settings = match Settings::from_flags(&args, None) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("settings: {e}");
            std::process::exit(1);
        }
    };
    settings.origin =
        ["Thuận An", "Dĩ An", "Thủ Dầu Một", "Tân Uyên", "Bến Cát"].map(String::from).to_vec();
    settings
}
