//! `relocate synth`: a synthetic scenario of any size shaped like the Binh Duong case — origin
//! districts in the south, destination parks in the north — the same seed giving the same bytes.
//!
//! 1. Check the sizes asked for.
//! 2. Write the fixed world: the nine drawn districts and the protection corridors.
//! 3. Place the parks on a grid over the northern districts, one per cell, so they never overlap;
//!    give them capacity matching the factories' expected land need.
//! 4. Stream the factories (seeded generator shared with the bundled scenario), then the zoning
//!    (a jittered lattice over the south, a few cells per square kilometre) and the receptors.
//! 5. Write `scenario.toml` naming the origin and destination districts.
//! 6. Draw the road network (`roads.geojson`, see `roads`) and a variant beside the scenario,
//!    `road-distance.toml`, that measures distances along it.
//!
//! Every layer has its own random stream, features are written as they are drawn (memory stays
//! bounded whatever the size), and numbers have fixed decimals.

use std::path::Path;

use geo::{Area, Coord, LineString, Polygon};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::cli::SynthArgs;
use crate::criteria::Verdict;
use crate::error::{Error, Result};
use crate::scenario::{Flags, Settings};
use crate::units::{m_per_deg_lon, M_PER_DEG_LAT};

pub mod binh_duong;
pub mod factories;
pub mod geojson;
pub mod roads;
pub mod shapes;
pub mod world;

use factories::{FactoryGen, Region, Shaped};
use geojson::{LayerWriter, Props, Shape};
use shapes::{blob_with_area, hash_unit, layer_rng};
use world::{CorridorForm, DistrictOutline};

/// File names of the layers, as `scenario.toml` references them.
pub const LAYER_FILES: [&str; 6] = [
    "parks.geojson",
    "factories.geojson",
    "zoning.geojson",
    "receptors.geojson",
    "corridors.geojson",
    "districts.geojson",
];

/// Random streams, one per layer.
mod stream {
    pub const PARKS: u64 = 1;
    pub const FACTORIES: u64 = 2;
    pub const CALIBRATION: u64 = 3;
    pub const RECEPTORS: u64 = 4;
    pub const SHAPES: u64 = 5;
    // The roads (stream 6) are drawn from a position hash salted with their own number
    // (`roads::SALT`), so drawing them moves no byte of the layers above.
}

/// How much vacant park land there is for each hectare the factories need, before sector rules
/// and opening years bite: close to one, so allocation is tight and some sectors run short.
const CAPACITY_PER_DEMAND: f64 = 1.0;

/// Writes `DIR/scenario.toml` and its layers.
pub fn synth(args: &SynthArgs) -> Result<()> {
    if args.factories == 0 {
        return Err(Error::Usage("synth: --factories must be at least 1".to_string()));
    }
    if args.parks == 0 {
        return Err(Error::Usage("synth: --parks must be at least 1".to_string()));
    }
    if let Some(r) = args.land_ratio {
        if !(r.is_finite() && r > 0.0) {
            return Err(Error::Usage(format!(
                "synth: --land-ratio must be a number greater than 0, found {r}"
            )));
        }
    }
    let zones = args.zones.unwrap_or((args.factories / 10).max(1));
    if zones == 0 {
        return Err(Error::Usage("synth: --zones must be at least 1".to_string()));
    }
    let dir = &args.out;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let seed = args.seed;

    let districts = world::districts();
    write_districts(&dir.join("districts.geojson"), &districts)?;
    write_corridors(&dir.join("corridors.geojson"))?;

    let region = origin_region(&districts, Vec::new());
    let generator = FactoryGen::calibrated(
        &mut layer_rng(seed, stream::CALIBRATION),
        factories::MEAN_LAND_HA,
        factories::MEAN_EMPLOYEES,
    );
    let demand_ha = args.factories as f64 * factories::MEAN_LAND_HA;
    write_synth_parks(
        &dir.join("parks.geojson"),
        seed,
        args.parks,
        &districts,
        demand_ha * CAPACITY_PER_DEMAND,
    )?;

    let mut rng = layer_rng(seed, stream::FACTORIES);
    let mut out = LayerWriter::create(&dir.join("factories.geojson"))?;
    let mut props = Props::new();
    let width = digits(args.factories);
    for i in 1..=args.factories {
        let f = generator.draw(&mut rng, &region);
        let id = format!("F{i:0width$}");
        factories::write_factory(&mut out, &mut props, &id, &f, &region)?;
    }
    out.finish()?;

    write_zoning(&dir.join("zoning.geojson"), seed, zones, &region, &[])?;
    let receptors = args.factories / 20 + 10;
    write_receptors(
        &dir.join("receptors.geojson"),
        &mut layer_rng(seed, stream::RECEPTORS),
        receptors,
        &region,
    )?;

    let path = dir.join("scenario.toml");
    let text = scenario_toml(
        &format!("synth-{seed}"),
        &format!(
            "Synthetic relocation scenario (seed {seed}): {} factories, {} parks",
            args.factories, args.parks
        ),
        &districts,
        &format!(
            "# Written by `relocate synth --factories {} --parks {} --zones {zones} --seed {seed}{}`.\n\
             # Districts are drawn after Binh Duong's; parks, factories, zoning and receptors are random.\n",
            args.factories,
            args.parks,
            args.land_ratio.map(|r| format!(" --land-ratio {r}")).unwrap_or_default()
        ),
    );
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;

    roads::write_roads(&dir.join("roads.geojson"), seed, args.factories, &districts)?;
    let variant = dir.join("road-distance.toml");
    std::fs::write(&variant, road_variant_toml(&format!("synth-{seed}-road")))
        .map_err(|e| Error::io(&variant, e))?;
    if let Some(ratio) = args.land_ratio {
        // Which factories must move depends on every layer: assess the scenario just written,
        // then offer the parks (same shapes, same shares) `ratio` times their land.
        let must_ha = must_relocate_land_ha(&path)?;
        write_synth_parks(
            &dir.join("parks.geojson"),
            seed,
            args.parks,
            &districts,
            ratio * must_ha,
        )?;
    }
    Ok(())
}

/// A variant of `scenario.toml` measuring distances along `roads.geojson`.
pub fn road_variant_toml(name: &str) -> String {
    format!(
        "# The same scenario with distances measured along the roads of roads.geojson.\n\
         base = \"scenario.toml\"\n\
         name = \"{name}\"\n\
         \n\
         [inputs]\n\
         roads = \"roads.geojson\"\n\
         \n\
         [scoring]\n\
         distance = \"road\"\n"
    )
}

/// Land of the factories that must relocate in the scenario at `path`, ha. The parks' land
/// offered does not change any verdict (only their outlines do), so it can be set afterwards.
fn must_relocate_land_ha(path: &Path) -> Result<f64> {
    let flags = Flags { scenario: Some(path.to_path_buf()), quiet: true, ..Flags::default() };
    let assessed = crate::pipeline::assess(Settings::from_flags(&flags, None)?)?;
    let factories = &assessed.loaded.inputs.factories;
    Ok(assessed
        .assessment
        .factories
        .iter()
        .filter(|a| a.verdict == Verdict::MustRelocate)
        .filter_map(|a| factories.get(a.factory))
        .map(|f| f.land_ha)
        .sum())
}

/// Digits needed to write `n` (ids are zero-padded to it, so they sort as text).
pub fn digits(n: usize) -> usize {
    n.max(1).to_string().len().max(4)
}

/// The origin districts, with `excluded` areas (existing parks) where factories cannot stand.
pub fn origin_region(districts: &[DistrictOutline], excluded: Vec<Shaped>) -> Region {
    Region {
        origins: districts
            .iter()
            .filter(|d| d.origin)
            .map(|d| (d.name, d.factory_share, Shaped::new(d.polygon.clone())))
            .collect(),
        excluded,
    }
}

/// The scenario file: every key is one `scenario.rs` reads.
pub fn scenario_toml(
    name: &str,
    title: &str,
    districts: &[DistrictOutline],
    header: &str,
) -> String {
    let quoted = |origin: bool| {
        districts
            .iter()
            .filter(|d| d.origin == origin)
            .map(|d| format!("\"{}\"", d.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let deadlines = world::DEADLINES
        .iter()
        .map(|(d, y)| format!("\"{d}\" = {y}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{header}name = \"{name}\"\n\
         title = \"{title}\"\n\
         \n\
         [inputs]\n\
         parks = \"parks.geojson\"\n\
         factories = \"factories.geojson\"\n\
         zoning = \"zoning.geojson\"\n\
         receptors = \"receptors.geojson\"\n\
         corridors = \"corridors.geojson\"\n\
         districts = \"districts.geojson\"\n\
         \n\
         [area]\n\
         origin = [{origin}]\n\
         destination = [{destination}]\n\
         \n\
         [criteria]\n\
         construction = true\n\
         environment = true\n\
         fire_safety = true\n\
         land_use = true\n\
         screening = true\n\
         separation_m = {{ I = 1000, II = 500, III = 300, IV = 100, V = 50 }}\n\
         industrial_uses = [\"industrial\"]\n\
         sensitive_uses = [\"residential\", \"public\"]\n\
         fire_rules = [{{ fire_risk = \"high\", planned_uses = [\"residential\", \"mixed\"] }}]\n\
         encourage = {{ sectors = [\"ceramics\", \"wood_furniture\"], hazard_classes = [] }}\n\
         \n\
         [scoring]\n\
         distance_per_km = 1.0\n\
         workforce_per_1000_employee_km = 0.5\n\
         cluster_mismatch = 2.0\n\
         class_mismatch = 2.0\n\
         waiting_per_year = 1.0\n\
         \n\
         [allocation]\n\
         max_distance_km = 80\n\
         candidates_per_factory = 10\n\
         \n\
         [phasing]\n\
         start_year = 2025\n\
         default_deadline = 2030\n\
         deadlines = {{ {deadlines} }}\n",
        origin = quoted(true),
        destination = quoted(false),
    )
}

/// The districts layer: `name`, and `role` (origin or destination) for maps.
pub fn write_districts(path: &Path, districts: &[DistrictOutline]) -> Result<()> {
    let mut out = LayerWriter::create(path)?;
    let mut props = Props::new();
    for d in districts {
        props.clear();
        props.str("name", d.name).str("role", if d.origin { "origin" } else { "destination" });
        out.write(&props, &Shape::Polygon(&d.polygon))?;
    }
    out.finish()?;
    Ok(())
}

/// The corridors layer: lines with `width_m`, and polygon bands.
pub fn write_corridors(path: &Path) -> Result<()> {
    let mut out = LayerWriter::create(path)?;
    let mut props = Props::new();
    for c in &world::CORRIDORS {
        props.clear();
        props.str("id", c.id).str("kind", c.kind).str("name", c.name);
        let coords = world::line_coords(c.line);
        match c.form {
            CorridorForm::Line { width_m } => {
                props.num("width_m", width_m, 0);
                out.write(&props, &Shape::Line(&LineString::new(coords)))?;
            }
            CorridorForm::Band { width_m } => {
                let band = shapes::band(&coords, width_m);
                out.write(&props, &Shape::Polygon(&band))?;
            }
        }
    }
    out.finish()?;
    Ok(())
}

/// A jittered lattice over the origin districts: cells whose centre lies in an origin district,
/// exactly `count` of them. Cells keep shared vertices (each vertex is a hash of its lattice
/// position), so zones tile without overlapping.
pub fn write_zoning(
    path: &Path,
    seed: u64,
    count: usize,
    region: &Region,
    industrial: &[Shaped],
) -> Result<usize> {
    let (mut min, mut max) =
        (Coord { x: f64::MAX, y: f64::MAX }, Coord { x: f64::MIN, y: f64::MIN });
    let mut area_m2 = 0.0;
    for (_, _, s) in &region.origins {
        min.x = min.x.min(s.bbox.min().x);
        min.y = min.y.min(s.bbox.min().y);
        max.x = max.x.max(s.bbox.max().x);
        max.y = max.y.max(s.bbox.max().y);
        let lat = s.bbox.center().y;
        area_m2 += s.polygon.unsigned_area() * M_PER_DEG_LAT * m_per_deg_lon(lat);
    }
    let lat0 = (min.y + max.y) / 2.0;
    let mut side_m = (area_m2 / count as f64).sqrt();
    let inside = |side_m: f64| {
        let (dx, dy) = (side_m / m_per_deg_lon(lat0), side_m / M_PER_DEG_LAT);
        let cols = ((max.x - min.x) / dx).ceil() as i64;
        let rows = ((max.y - min.y) / dy).ceil() as i64;
        let mut cells = Vec::new();
        for j in 0..rows {
            for i in 0..cols {
                let c =
                    Coord { x: min.x + (i as f64 + 0.5) * dx, y: min.y + (j as f64 + 0.5) * dy };
                if region.origins.iter().any(|(_, _, s)| s.contains(c)) {
                    cells.push((i, j));
                }
            }
        }
        (dx, dy, cells)
    };
    let (mut dx, mut dy, mut cells) = inside(side_m);
    while cells.len() < count {
        side_m *= 0.97;
        (dx, dy, cells) = inside(side_m);
    }

    // Coarse value noise (about 3 km) makes planned industrial land come in patches.
    let noise_m = 3_000.0;
    let (nx, ny) = (noise_m / m_per_deg_lon(lat0), noise_m / M_PER_DEG_LAT);
    let noise = |c: Coord<f64>| {
        let (fx, fy) = ((c.x - min.x) / nx, (c.y - min.y) / ny);
        let (i, j) = (fx.floor() as i64, fy.floor() as i64);
        let (tx, ty) = (fx - i as f64, fy - j as f64);
        let v = |a, b| hash_unit(seed, a, b, 11);
        let top = v(i, j) * (1.0 - tx) + v(i + 1, j) * tx;
        let bottom = v(i, j + 1) * (1.0 - tx) + v(i + 1, j + 1) * tx;
        top * (1.0 - ty) + bottom * ty
    };
    let vertex = |i: i64, j: i64| Coord {
        x: min.x + (i as f64 + 0.4 * (hash_unit(seed, i, j, 1) - 0.5)) * dx,
        y: min.y + (j as f64 + 0.4 * (hash_unit(seed, i, j, 2) - 0.5)) * dy,
    };

    let mut out = LayerWriter::create(path)?;
    let mut props = Props::new();
    let width = digits(count);
    let total = cells.len();
    let mut written = 0usize;
    for (k, (i, j)) in cells.into_iter().enumerate() {
        // Keep exactly `count` of the cells, dropped evenly over the area.
        if (k + 1) * count / total == k * count / total {
            continue;
        }
        let ring = vec![
            vertex(i, j),
            vertex(i + 1, j),
            vertex(i + 1, j + 1),
            vertex(i, j + 1),
            vertex(i, j),
        ];
        let centre = Coord { x: min.x + (i as f64 + 0.5) * dx, y: min.y + (j as f64 + 0.5) * dy };
        let u = hash_unit(seed, i, j, 3);
        let planned_use = if industrial.iter().any(|s| s.contains(centre)) || noise(centre) < 0.18 {
            "industrial"
        } else {
            match u {
                u if u < 0.46 => "residential",
                u if u < 0.62 => "mixed",
                u if u < 0.74 => "commercial",
                u if u < 0.82 => "public",
                u if u < 0.92 => "green",
                u if u < 0.95 => "infrastructure",
                u if u < 0.99 => "agricultural",
                _ => "other",
            }
        };
        written += 1;
        props.clear();
        props.str("id", &format!("Z{written:0width$}")).str("planned_use", planned_use);
        let polygon = Polygon::new(LineString::new(ring), vec![]);
        out.write(&props, &Shape::Polygon(&polygon))?;
    }
    out.finish()
}

/// Sensitive receptors: schools and hospitals (points), residential areas (small polygons).
pub fn write_receptors(
    path: &Path,
    rng: &mut ChaCha8Rng,
    count: usize,
    region: &Region,
) -> Result<usize> {
    const SCHOOLS: [&str; 4] = ["Trường Mầm non", "Trường Tiểu học", "Trường THCS", "Trường THPT"];
    const HEALTH: [&str; 3] = ["Bệnh viện Đa khoa", "Trạm Y tế", "Phòng khám Đa khoa"];
    let mut out = LayerWriter::create(path)?;
    let mut props = Props::new();
    let width = digits(count);
    for n in 1..=count {
        let (site, _) = region.uniform(rng);
        let word = world::NAME_WORDS.choose(rng).copied().unwrap_or("An Phú");
        let roll = rng.gen::<f64>();
        props.clear();
        props.str("id", &format!("R{n:0width$}"));
        if roll < 0.45 {
            let kind = SCHOOLS.choose(rng).copied().unwrap_or("Trường");
            props.str("kind", "school").str("name", &format!("{kind} {word}"));
            out.write(&props, &Shape::Point(site))?;
        } else if roll < 0.55 {
            let kind = HEALTH.choose(rng).copied().unwrap_or("Trạm Y tế");
            props.str("kind", "hospital").str("name", &format!("{kind} {word}"));
            out.write(&props, &Shape::Point(site))?;
        } else {
            let area_ha = 2.0 + rng.gen::<f64>() * 10.0;
            let rotation = rng.gen::<f64>() * std::f64::consts::PI;
            let polygon = blob_with_area(rng, site, area_ha, 8, 0.25, 1.5, rotation);
            props.str("kind", "residential").str("name", &format!("Khu dân cư {word}"));
            out.write(&props, &Shape::Polygon(&polygon))?;
        }
    }
    out.finish()
}

/// Park classes of synthetic parks: (class, weight, accepted sectors (empty: all), excluded
/// sectors, most hazardous class accepted).
type ParkRule =
    (&'static str, f64, &'static [&'static str], &'static [&'static str], Option<&'static str>);
const PARK_RULES: [ParkRule; 7] = [
    ("general", 0.45, &[], &[], None),
    ("general", 0.15, &[], &["dyeing", "chemicals"], Some("II")),
    ("eco", 0.12, &[], &["dyeing"], Some("III")),
    ("high_tech", 0.08, &["electronics", "mechanical"], &[], Some("III")),
    ("supporting", 0.10, &["mechanical", "plastics", "electronics"], &[], Some("III")),
    ("specialized", 0.06, &["ceramics", "wood_furniture"], &[], Some("II")),
    ("specialized", 0.04, &["dyeing", "garments", "chemicals"], &[], Some("I")),
];

/// Destination parks on a grid over the northern districts, one per cell.
fn write_synth_parks(
    path: &Path,
    seed: u64,
    count: usize,
    districts: &[DistrictOutline],
    capacity_ha: f64,
) -> Result<()> {
    let north: Vec<(&str, Shaped)> = districts
        .iter()
        .filter(|d| !d.origin)
        .map(|d| (d.name, Shaped::new(d.polygon.clone())))
        .collect();
    let (mut min, mut max) =
        (Coord { x: f64::MAX, y: f64::MAX }, Coord { x: f64::MIN, y: f64::MIN });
    let mut area_m2 = 0.0;
    for (_, s) in &north {
        min.x = min.x.min(s.bbox.min().x);
        min.y = min.y.min(s.bbox.min().y);
        max.x = max.x.max(s.bbox.max().x);
        max.y = max.y.max(s.bbox.max().y);
        area_m2 += s.polygon.unsigned_area() * M_PER_DEG_LAT * m_per_deg_lon(s.bbox.center().y);
    }
    let lat0 = (min.y + max.y) / 2.0;
    // A cell is usable when its centre and its four corners are in the same district, so the
    // park drawn inside it stays in that district.
    let cells_for = |side_m: f64| {
        let (dx, dy) = (side_m / m_per_deg_lon(lat0), side_m / M_PER_DEG_LAT);
        let cols = ((max.x - min.x) / dx).ceil() as i64;
        let rows = ((max.y - min.y) / dy).ceil() as i64;
        let mut cells = Vec::new();
        for j in 0..rows {
            for i in 0..cols {
                let at = |fx: f64, fy: f64| Coord {
                    x: min.x + (i as f64 + fx) * dx,
                    y: min.y + (j as f64 + fy) * dy,
                };
                let centre = at(0.5, 0.5);
                if let Some(d) = north.iter().position(|(_, s)| s.contains(centre)) {
                    let corners = [at(0.0, 0.0), at(1.0, 0.0), at(1.0, 1.0), at(0.0, 1.0)];
                    if north.get(d).is_some_and(|(_, s)| corners.iter().all(|c| s.contains(*c))) {
                        cells.push((centre, d));
                    }
                }
            }
        }
        (side_m, cells)
    };
    let mut side_m = (area_m2 / count as f64).sqrt();
    let (mut side, mut cells) = cells_for(side_m);
    while cells.len() < count {
        side_m *= 0.95;
        (side, cells) = cells_for(side_m);
    }

    let mut rng = layer_rng(seed, stream::PARKS);
    // Choose `count` cells, then keep them in grid order so ids run south to north.
    let mut order: Vec<usize> = (0..cells.len()).collect();
    let (chosen, _) = order.partial_shuffle(&mut rng, count);
    let mut chosen = chosen.to_vec();
    chosen.sort_unstable();

    struct Draft {
        centre: Coord<f64>,
        district: usize,
        weight: f64,
        rule: &'static ParkRule,
        cluster: bool,
        ready_year: i64,
        share_offered: f64,
    }
    let rule_weights = PARK_RULES.map(|r| r.1);
    let mut drafts = Vec::with_capacity(count);
    for k in chosen {
        let Some(&(centre, district)) = cells.get(k) else {
            continue;
        };
        let cluster = rng.gen::<f64>() < 0.25;
        let mut x = rng.gen::<f64>() * rule_weights.iter().sum::<f64>();
        let mut rule = &PARK_RULES[0];
        for r in &PARK_RULES {
            if x < r.1 {
                rule = r;
                break;
            }
            x -= r.1;
        }
        let ready_year = match rng.gen::<f64>() {
            y if y < 0.45 => 2025,
            y => 2026 + ((y - 0.45) / 0.55 * 6.0).floor() as i64,
        };
        drafts.push(Draft {
            centre,
            district,
            weight: (0.3 + 1.4 * rng.gen::<f64>()) * if cluster { 0.3 } else { 1.0 },
            rule,
            cluster,
            ready_year: ready_year.min(2031),
            share_offered: 0.05 + 0.45 * rng.gen::<f64>(),
        });
    }
    let total_weight: f64 = drafts.iter().map(|d| d.weight).sum();

    let mut shape_rng = layer_rng(seed, stream::SHAPES);
    let mut out = LayerWriter::create(path)?;
    let mut props = Props::new();
    let width = digits(count);
    let mut per_district = vec![0usize; north.len()];
    for (n, d) in drafts.iter().enumerate() {
        let available_ha = capacity_ha * d.weight / total_weight.max(f64::MIN_POSITIVE);
        let Some((district, _)) = north.get(d.district) else {
            continue;
        };
        let seq = per_district.get_mut(d.district).map(|c| {
            *c += 1;
            *c
        });
        let (kind, label) = if d.cluster { ("cluster", "CCN") } else { ("park", "KCN") };
        // Drawn inside its cell (radius under half the side), so parks never overlap.
        let drawn_ha =
            (side * side * 0.35 / crate::units::M2_PER_HA) * (0.6 + 0.4 * shape_rng.gen::<f64>());
        let rotation = shape_rng.gen::<f64>() * std::f64::consts::PI;
        let polygon = blob_with_area(&mut shape_rng, d.centre, drawn_ha, 9, 0.15, 1.2, rotation);
        let (class, _, sectors, excluded, max_hazard) = d.rule;
        props.clear();
        props
            .str("id", &format!("P{:0width$}", n + 1))
            .str("name", &format!("{label} {district} {}", seq.unwrap_or(n + 1)))
            .num("available_ha", available_ha, 1)
            .str("district", district)
            .str("kind", kind)
            .str("class", class)
            .num("total_ha", (available_ha / d.share_offered).max(drawn_ha), 1)
            .int("ready_year", d.ready_year)
            .str_list("sectors", sectors)
            .str_list("excluded_sectors", excluded);
        if let Some(h) = max_hazard {
            props.str("max_hazard_class", h);
        }
        out.write(&props, &Shape::Polygon(&polygon))?;
    }
    out.finish()?;
    Ok(())
}
