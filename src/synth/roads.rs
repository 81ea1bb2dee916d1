//! A plausible road network for the generated world (`roads.geojson`), at any size.
//!
//! 1. Local roads: a jittered lattice over the nine districts (about 1.5 km apart for the
//!    bundled 2,900 factories, denser as factories grow, down to 250 m), residential streets
//!    with every fourth row and column a tertiary road. Lattice points are hashed from their
//!    position with the roads' own salt: no other layer's random stream is touched, so adding
//!    roads changed no byte of the other layers.
//! 2. Rivers cut it: the Saigon and Đồng Nai rivers of the corridors layer, and the Thị Tính and
//!    Sông Bé drawn here. A local road crosses a river only at a few bridges.
//! 3. Main roads over it, along their real courses (coarsely): Quốc lộ 13 and the Mỹ Phước – Tân
//!    Vạn road (trunk), Ring Road 4 (trunk), DT741, DT743, DT744 and DT747 (primary and
//!    secondary). They run through lattice points, so they meet the local roads there, and
//!    cross rivers on their own bridges.
//!
//! Lines are written row by row, column by column, then main road by main road.

use std::path::Path;

use geo::{Contains, Coord, Intersects, Line, LineString, Polygon};

use super::geojson::{LayerWriter, Props, Shape};
use super::shapes::hash_unit;
use super::world::{self, DistrictOutline};
use crate::error::Result;
use crate::units::{m_per_deg_lon, M_PER_DEG_LAT};

/// The salt of the roads' position hash (a stream of its own, see `super::stream`).
const SALT: u64 = 6_000;

type V = (f64, f64);

/// Rivers drawn for the roads only (the corridors layer has the Saigon and Đồng Nai).
const THI_TINH: &[V] = &[
    (106.600, 11.040),
    (106.606, 11.100),
    (106.590, 11.170),
    (106.600, 11.250),
    (106.615, 11.330),
    (106.620, 11.400),
];
const SONG_BE: &[V] = &[
    (106.870, 11.500),
    (106.840, 11.400),
    (106.800, 11.330),
    (106.760, 11.260),
    (106.742, 11.190),
    (106.760, 11.120),
    (106.800, 11.070),
    (106.820, 11.053),
];

/// Where local roads cross the rivers (a lattice road crossing within a kilometre is a bridge).
const BRIDGES: &[V] = &[
    (106.600, 11.290),
    (106.598, 11.200),
    (106.790, 11.300),
    (106.745, 11.160),
    (106.560, 11.050),
    (106.880, 11.030),
];

/// A main road: name, OSM-style class, course.
struct MainRoad {
    name: &'static str,
    class: &'static str,
    line: &'static [V],
}

const RING_ROAD_4: &[V] = &[
    (106.515, 11.125),
    (106.580, 11.112),
    (106.640, 11.100),
    (106.700, 11.090),
    (106.760, 11.082),
    (106.820, 11.072),
    (106.870, 11.062),
];
const DT744: &[V] = &[
    (106.650, 11.000),
    (106.600, 11.080),
    (106.560, 11.150),
    (106.520, 11.220),
    (106.480, 11.300),
    (106.460, 11.400),
];
const DT747: &[V] = &[
    (106.725, 10.975),
    (106.775, 11.040),
    (106.815, 11.110),
    (106.860, 11.190),
    (106.900, 11.250),
];

fn main_roads() -> Vec<MainRoad> {
    let mut out = Vec::new();
    for (id, class) in
        [("QL13", "trunk"), ("MP-TV", "trunk"), ("DT741", "primary"), ("DT743", "secondary")]
    {
        if let Some(c) = world::CORRIDORS.iter().find(|c| c.id == id) {
            out.push(MainRoad { name: c.name, class, line: c.line });
        }
    }
    out.push(MainRoad { name: "Vành đai 4", class: "trunk", line: RING_ROAD_4 });
    out.push(MainRoad { name: "Đường tỉnh 744", class: "secondary", line: DT744 });
    out.push(MainRoad { name: "Đường tỉnh 747", class: "secondary", line: DT747 });
    out
}

fn rivers() -> Vec<LineString<f64>> {
    let mut out: Vec<LineString<f64>> = world::CORRIDORS
        .iter()
        .filter(|c| c.kind == "river")
        .map(|c| LineString::new(world::line_coords(c.line)))
        .collect();
    out.push(LineString::new(world::line_coords(THI_TINH)));
    out.push(LineString::new(world::line_coords(SONG_BE)));
    out
}

/// Spacing of the local roads for a scenario of `factories` factories, metres.
pub fn spacing_m(factories: usize) -> f64 {
    (1_500.0 / (factories.max(1) as f64 / 2_900.0).sqrt()).clamp(250.0, 1_500.0)
}

/// The lattice: its origin, steps in degrees and size.
struct Lattice {
    seed: u64,
    x0: f64,
    y0: f64,
    dx: f64,
    dy: f64,
    cols: i64,
    rows: i64,
}

impl Lattice {
    fn vertex(&self, i: i64, j: i64) -> Coord<f64> {
        Coord {
            x: self.x0 + (i as f64 + 0.3 * (hash_unit(self.seed, i, j, SALT + 1) - 0.5)) * self.dx,
            y: self.y0 + (j as f64 + 0.3 * (hash_unit(self.seed, i, j, SALT + 2) - 0.5)) * self.dy,
        }
    }

    fn nearest(&self, c: Coord<f64>) -> (i64, i64) {
        (((c.x - self.x0) / self.dx).round() as i64, ((c.y - self.y0) / self.dy).round() as i64)
    }
}

/// Writes `roads.geojson` for a world of `districts` with `factories` factories.
pub fn write_roads(
    path: &Path,
    seed: u64,
    factories: usize,
    districts: &[DistrictOutline],
) -> Result<usize> {
    let (mut min, mut max) =
        (Coord { x: f64::MAX, y: f64::MAX }, Coord { x: f64::MIN, y: f64::MIN });
    for d in districts {
        for c in &d.polygon.exterior().0 {
            min.x = min.x.min(c.x);
            min.y = min.y.min(c.y);
            max.x = max.x.max(c.x);
            max.y = max.y.max(c.y);
        }
    }
    let lat0 = (min.y + max.y) / 2.0;
    let spacing = spacing_m(factories);
    let (dx, dy) = (spacing / m_per_deg_lon(lat0), spacing / M_PER_DEG_LAT);
    let lattice = Lattice {
        seed,
        x0: min.x,
        y0: min.y,
        dx,
        dy,
        cols: ((max.x - min.x) / dx).ceil() as i64 + 1,
        rows: ((max.y - min.y) / dy).ceil() as i64 + 1,
    };
    let polygons: Vec<&Polygon<f64>> = districts.iter().map(|d| &d.polygon).collect();
    let inside = |c: Coord<f64>| polygons.iter().any(|p| p.contains(&c));
    let rivers = rivers();
    let bridge_m = 1_000.0;
    let near_bridge = |a: Coord<f64>, b: Coord<f64>| {
        let mid = Coord { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 };
        BRIDGES.iter().any(|&(x, y)| {
            let east = (x - mid.x) * m_per_deg_lon(mid.y);
            let north = (y - mid.y) * M_PER_DEG_LAT;
            east.hypot(north) <= bridge_m
        })
    };
    let open = |a: Coord<f64>, b: Coord<f64>| {
        let seg = Line::new(a, b);
        !rivers.iter().any(|r| seg.intersects(r)) || near_bridge(a, b)
    };

    let mut out = LayerWriter::create(path)?;
    let mut props = Props::new();
    let mut count = 0usize;
    let mut write = |out: &mut LayerWriter,
                     props: &mut Props,
                     line: &[Coord<f64>],
                     class: &str,
                     name: Option<&str>|
     -> Result<()> {
        if line.len() < 2 {
            return Ok(());
        }
        count += 1;
        props.clear();
        props.str("id", &format!("R{count:05}")).str("highway", class);
        if let Some(n) = name {
            props.str("name", n);
        }
        out.write(props, &Shape::Line(&LineString::new(line.to_vec())))
    };

    // 1–2: rows, then columns, as runs of open lattice edges between points inside the world.
    for horizontal in [true, false] {
        let (lines, steps) =
            if horizontal { (lattice.rows, lattice.cols) } else { (lattice.cols, lattice.rows) };
        for a in 0..lines {
            let class = if a % 4 == 0 { "tertiary" } else { "residential" };
            let point =
                |s: i64| if horizontal { lattice.vertex(s, a) } else { lattice.vertex(a, s) };
            let mut run: Vec<Coord<f64>> = Vec::new();
            for s in 0..steps {
                let p = point(s);
                let usable = inside(p);
                let joins = usable && run.last().is_some_and(|&q| open(q, p));
                if !joins {
                    write(&mut out, &mut props, &run, class, None)?;
                    run.clear();
                }
                if usable {
                    run.push(p);
                }
            }
            write(&mut out, &mut props, &run, class, None)?;
        }
    }

    // 3: main roads through the lattice points nearest their course.
    for road in main_roads() {
        let course = world::line_coords(road.line);
        let mut chain: Vec<(i64, i64)> = Vec::new();
        for pair in course.windows(2) {
            let [a, b] = pair else { continue };
            let length_m = ((b.x - a.x) * m_per_deg_lon(a.y)).hypot((b.y - a.y) * M_PER_DEG_LAT);
            let samples = ((length_m / (spacing / 3.0)).ceil() as usize).max(1);
            for k in 0..=samples {
                let t = k as f64 / samples as f64;
                let c = Coord { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
                let n = lattice.nearest(c);
                if chain.last() != Some(&n) {
                    chain.push(n);
                }
            }
        }
        let line: Vec<Coord<f64>> = chain.iter().map(|&(i, j)| lattice.vertex(i, j)).collect();
        write(&mut out, &mut props, &line, road.class, Some(road.name))?;
    }
    out.finish()?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_roads_get_denser_with_more_factories_within_bounds() {
        assert_eq!(spacing_m(2_900), 1_500.0);
        assert_eq!(spacing_m(10), 1_500.0);
        assert!((spacing_m(11_600) - 750.0).abs() < 1e-9);
        assert_eq!(spacing_m(10_000_000), 250.0);
    }

    #[test]
    fn a_lattice_road_crossing_a_river_away_from_bridges_is_cut() {
        let rivers = rivers();
        // Across the Sông Bé well north of any bridge.
        let seg = Line::new(Coord { x: 106.80, y: 11.37 }, Coord { x: 106.85, y: 11.37 });
        assert!(rivers.iter().any(|r| seg.intersects(r)));
    }
}
