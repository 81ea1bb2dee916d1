//! Distances by road: the road layer becomes a graph, factories and parks are joined to it, and
//! one shortest-route search per destination park gives every factory's road distance to it.
//!
//! 1. `Network::build`: the graph of the drivable roads in the working CRS, one-way streets
//!    honoured, largest strongly connected component kept (`graph`), and an R-tree of its
//!    segments (`snap`).
//! 2. `Network::distances`: each relocating factory and each destination park is joined to the
//!    nearest segment within `[roads] max_snap_m`; the joined factories get slots cell by cell
//!    of a grid over their positions. Then one search per park on the reversed graph
//!    (`dijkstra`), bounded by `max_distance_km` of road, parks neighbours together (Z-order)
//!    and a chunk of them in parallel; after each search the factories within
//!    `max_distance_km` in a straight line (a few runs of slots) read their best way from the
//!    search's labels, and those that can still enter their list (not beyond its `k`-th weight
//!    once full) and are wanted are sorted into shards of slots. Between chunks the shards are
//!    merged in parallel into every factory's `k` nearest wanted parks by road (km, or
//!    minutes), ties by park order: the same lists whatever the order or the threads.
//!    The searches run in rounds (`Network::stops`): the first stops at a weight within which
//!    nearly every factory finds its `k` parks; the next ones, farther, only for the parks
//!    near a factory whose list may still change. Each way is kept by the one round whose
//!    stop it falls under, so the lists are those of whole searches.
//! 3. `Network::routes`: the road geometry of chosen moves, for the outputs.
//!
//! A road distance is `entry_m` (factory to its joining point, straight) + `network_m` (along
//! the roads) + `exit_m` (the park's joining point to its boundary, straight); its minutes count
//! the road at each link's speed and the two straight legs at the speed of a residential street.

pub mod dijkstra;
pub mod graph;
pub mod snap;

use std::sync::Mutex;

use geo::{MultiPolygon, Point};
use rayon::prelude::*;
use serde::Serialize;

use crate::model::Inputs;
use crate::scenario::{Metric, RoadSettings};
use crate::spatial::nearby_order;
use crate::units::km_from_m;
use dijkstra::{Search, Source};
use graph::Graph;
pub use graph::NetworkReport;
use snap::{Snap, Snapper};

/// The road class whose speed the straight legs to and from the road are driven at.
const ACCESS_CLASS: &str = "residential";

/// A factory's road route to one park, measured.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RoadLeg {
    /// Along the roads, m.
    pub network_m: f64,
    /// From the factory to the road, straight, m.
    pub entry_m: f64,
    /// From the road to the park's boundary, straight, m.
    pub exit_m: f64,
    /// Travel time of the whole route, minutes.
    pub minutes: f64,
    /// Which of the park's joining points the route ends at (`RoadDistances::park_joins`).
    #[serde(skip)]
    pub join: usize,
}

impl RoadLeg {
    /// The whole route, km: entry + network + exit.
    pub fn total_km(&self) -> f64 {
        km_from_m(self.entry_m + self.network_m + self.exit_m)
    }
}

/// The road graph with its segment index and the settings it was built with.
pub struct Network {
    pub graph: Graph,
    snapper: Snapper,
    pub settings: RoadSettings,
}

impl std::fmt::Debug for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Network").field("report", &self.graph.report).finish_non_exhaustive()
    }
}

/// What the searches found: for each factory its nearest parks by road.
#[derive(Debug, Default)]
pub struct RoadDistances {
    /// By factory index (`Inputs::factories`): (park index, route), nearest first.
    pub by_factory: Vec<Vec<(usize, RoadLeg)>>,
    /// Where each factory (by index) joins the roads; `None` when not joined (not asked, or
    /// farther than `max_snap_m`).
    pub factory_snaps: Vec<Option<Snap>>,
    /// Where each park (by index) joins the roads: at the road point nearest its boundary, or
    /// at each of its gates that reaches a road; empty when none does.
    pub park_joins: Vec<Vec<Snap>>,
    /// Factories asked about that are farther than `max_snap_m` from every road, by index.
    pub unsnapped_factories: Vec<usize>,
    /// Destination parks farther than `max_snap_m` from every road, by index.
    pub unsnapped_parks: Vec<usize>,
}

/// A factory's way onto the graph: a node, with the road already driven to reach it.
#[derive(Clone, Copy, Debug)]
struct Entry {
    node: u32,
    length_m: f64,
    seconds: f64,
}

/// Seconds to cover `m` metres at `kmh`.
fn seconds(m: f64, kmh: f64) -> f64 {
    m / (kmh / 3.6)
}

/// A joined factory's ways onto the graph: toward one end of its link or both.
#[derive(Clone, Copy, Debug)]
struct Ways {
    ends: [Option<Entry>; 2],
}

/// A grid of square cells over the joined factories, numbered row by row, whose slots are
/// sorted by cell: the factories within a distance of a point are a run of slots per row.
#[derive(Clone, Copy, Debug)]
struct Grid {
    min: [f64; 2],
    cell_m: f64,
    cols: usize,
    rows: usize,
}

impl Grid {
    /// Cells per side at most: a 500 km country gets cells of about 1 km.
    const SIDE: usize = 512;

    fn around(points: impl Iterator<Item = [f64; 2]>) -> Grid {
        let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for [x, y] in points {
            min = [min[0].min(x), min[1].min(y)];
            max = [max[0].max(x), max[1].max(y)];
        }
        if !(min[0].is_finite() && max[0].is_finite() && min[1].is_finite() && max[1].is_finite()) {
            return Grid { min: [0.0; 2], cell_m: 1.0, cols: 1, rows: 1 };
        }
        let span = (max[0] - min[0]).max(max[1] - min[1]);
        let cell_m = (span / Self::SIDE as f64).max(1.0);
        let count = |d: f64| ((d / cell_m).floor() as usize + 1).min(Self::SIDE + 1);
        Grid { min, cell_m, cols: count(max[0] - min[0]), rows: count(max[1] - min[1]) }
    }

    fn col_row(&self, p: [f64; 2]) -> (usize, usize) {
        let at = |v: f64, min: f64, n: usize| {
            (((v - min) / self.cell_m).floor().max(0.0) as usize).min(n.saturating_sub(1))
        };
        (at(p[0], self.min[0], self.cols), at(p[1], self.min[1], self.rows))
    }

    fn cell(&self, p: [f64; 2]) -> usize {
        let (c, r) = self.col_row(p);
        r * self.cols + c
    }

    /// Where each cell's slots start, for points given in slot order (sorted by cell); one
    /// more entry closes the last cell.
    fn starts(&self, points: impl Iterator<Item = [f64; 2]>) -> Vec<u32> {
        let mut start = vec![0u32; self.rows * self.cols + 1];
        for p in points {
            if let Some(s) = start.get_mut(self.cell(p) + 1) {
                *s += 1;
            }
        }
        for i in 1..start.len() {
            let before = start.get(i - 1).copied().unwrap_or(0);
            if let Some(s) = start.get_mut(i) {
                *s += before;
            }
        }
        start
    }

    /// The cells within `radius_m` of `p` (and a few more), as runs of cell numbers per row.
    fn runs(
        &self,
        p: [f64; 2],
        radius_m: f64,
    ) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        let (lo_c, lo_r) = self.col_row([p[0] - radius_m, p[1] - radius_m]);
        let (hi_c, hi_r) = self.col_row([p[0] + radius_m, p[1] + radius_m]);
        (lo_r..=hi_r).map(move |r| {
            // The row's band nearest to p bounds how wide the circle is in it.
            let (y0, y1) =
                (self.min[1] + r as f64 * self.cell_m, self.min[1] + (r + 1) as f64 * self.cell_m);
            let dy = if p[1] < y0 {
                y0 - p[1]
            } else if p[1] > y1 {
                p[1] - y1
            } else {
                0.0
            };
            let half = (radius_m * radius_m - dy * dy).max(0.0).sqrt();
            let (c0, _) = self.col_row([p[0] - half, p[1]]);
            let (c1, _) = self.col_row([p[0] + half, p[1]]);
            let (c0, c1) = (c0.max(lo_c), c1.min(hi_c));
            r * self.cols + c0..r * self.cols + c1 + 1
        })
    }
}

/// Factory slots per shard of the nearest-k lists: shards are merged in parallel, and a
/// search sorts its finds into them as it goes.
const SHARD_SLOTS: usize = 4096;

/// One factory–park find of a search, on its way into the factory's list.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Pair {
    slot: u32,
    park: u32,
    /// The park's joining point the way ends at.
    join: u32,
    /// What the lists are ordered by: the whole route's metres, or its minutes.
    weight: f64,
    network_m: f64,
    minutes: f64,
}

/// A way found, before the checks that keep it.
#[derive(Clone, Copy, Debug)]
struct Find {
    pair: Pair,
    /// The way to the park's boundary (primary weight): picks the gate, and the round.
    to_park: f64,
    total_m: f64,
    factory: usize,
}

/// Every joined factory's nearest parks so far: `k` places per slot in one flat array, nearest
/// first (by weight, then park index), and the weight a find must not exceed to enter a full
/// list.
#[derive(Debug)]
struct Nearest {
    k: usize,
    places: Vec<Pair>,
    len: Vec<u32>,
    /// The `k`-th weight of each full list, infinite while a list has room.
    kth: Vec<f64>,
}

impl Nearest {
    fn new(slots: usize, k: usize) -> Nearest {
        let empty =
            Pair { slot: 0, park: 0, join: 0, weight: f64::INFINITY, network_m: 0.0, minutes: 0.0 };
        Nearest {
            k,
            places: vec![empty; slots * k],
            len: vec![0; slots],
            kth: vec![f64::INFINITY; slots],
        }
    }

    fn shards(&self) -> usize {
        self.len.len().div_ceil(SHARD_SLOTS)
    }

    /// Merges the finds of some searches, each sorted into shards of `SHARD_SLOTS` slots. The
    /// lists depend only on the set of finds, not on the order they come in: no two finds for
    /// one slot have the same park.
    fn merge(&mut self, found: &[Vec<Vec<Pair>>]) {
        let k = self.k;
        if k == 0 {
            return;
        }
        self.places
            .par_chunks_mut(SHARD_SLOTS * k)
            .zip(self.len.par_chunks_mut(SHARD_SLOTS))
            .zip(self.kth.par_chunks_mut(SHARD_SLOTS))
            .enumerate()
            .for_each(|(shard, ((places, len), kth))| {
                let first = shard * SHARD_SLOTS;
                for pair in found.iter().filter_map(|f| f.get(shard)).flatten() {
                    let at = (pair.slot as usize).wrapping_sub(first);
                    let (Some(n), Some(bar), Some(list)) =
                        (len.get_mut(at), kth.get_mut(at), places.get_mut(at * k..(at + 1) * k))
                    else {
                        continue;
                    };
                    let filled = *n as usize;
                    let Some(held) = list.get(..filled) else { continue };
                    let key = (pair.weight, pair.park);
                    let i = held.partition_point(|p| (p.weight, p.park) < key);
                    if i >= k {
                        continue;
                    }
                    let end = (filled + 1).min(k);
                    if let Some(moved) = list.get_mut(i..end) {
                        moved.rotate_right(1);
                        if let Some(p) = moved.first_mut() {
                            *p = *pair;
                        }
                    }
                    *n = end as u32;
                    if end == k {
                        *bar = list.get(k - 1).map_or(f64::INFINITY, |p| p.weight);
                    }
                }
            });
    }

    /// Each slot's list, nearest first, by slot.
    fn lists(&self) -> impl Iterator<Item = &[Pair]> + '_ {
        let k = self.k;
        self.len
            .iter()
            .enumerate()
            .map(move |(slot, &n)| self.places.get(slot * k..slot * k + n as usize).unwrap_or(&[]))
    }
}

impl Network {
    /// The graph of `inputs.roads` (step 1); `None` when there are no roads.
    pub fn build(inputs: &Inputs, settings: &RoadSettings) -> Option<Network> {
        if inputs.roads.is_empty() {
            return None;
        }
        let graph = Graph::build(&inputs.roads, settings);
        let snapper = Snapper::new(&graph);
        Some(Network { graph, snapper, settings: settings.clone() })
    }

    fn access_kmh(&self) -> f64 {
        self.settings.speed_kmh(ACCESS_CLASS)
    }

    /// Where a point joins the roads within `max_snap_m`.
    pub fn snap_point(&self, p: Point<f64>) -> Option<Snap> {
        self.snapper.point(&self.graph, p, self.settings.max_snap_m)
    }

    /// Where a park joins the roads within `max_snap_m`.
    pub fn snap_area(&self, area: &MultiPolygon<f64>) -> Option<Snap> {
        self.snapper.area(&self.graph, area, self.settings.max_snap_m)
    }

    /// The ways from a factory's joining point onto the graph's nodes.
    fn entries(&self, snap: &Snap) -> Vec<Entry> {
        let Some(l) = self.graph.link(snap.link) else { return Vec::new() };
        let mut out = Vec::with_capacity(2);
        if l.backward {
            out.push(Entry {
                node: l.a,
                length_m: snap.t * l.length_m,
                seconds: snap.t * l.seconds,
            });
        }
        if l.forward {
            out.push(Entry {
                node: l.b,
                length_m: (1.0 - snap.t) * l.length_m,
                seconds: (1.0 - snap.t) * l.seconds,
            });
        }
        out
    }

    /// Where the search toward a park starts: the nodes from which its joining point is reached.
    fn sources(&self, snap: &Snap) -> Vec<Source> {
        let Some(l) = self.graph.link(snap.link) else { return Vec::new() };
        let mut out = Vec::with_capacity(2);
        if l.forward {
            out.push(Source {
                node: l.a,
                length_m: snap.t * l.length_m,
                seconds: snap.t * l.seconds,
            });
        }
        if l.backward {
            out.push(Source {
                node: l.b,
                length_m: (1.0 - snap.t) * l.length_m,
                seconds: (1.0 - snap.t) * l.seconds,
            });
        }
        out
    }

    /// A factory's best road (length, seconds) to the park the last search ran toward: through
    /// either end of its link, or along the link when the park joins the same one; when the
    /// search stopped at `settled_to`, the best way is found only if it weighs no more. It picks
    /// what offering each way as the search settled its node would have kept: the least
    /// weight, among equals the node settled first (least node weight, then node id), and the
    /// way along the link only when strictly better.
    fn best_way(
        &self,
        search: &Search,
        metric: Metric,
        way: &Ways,
        fsnap: &Snap,
        psnap: &Snap,
        settled_to: f64,
    ) -> Option<(f64, f64)> {
        // ((weight, node weight, node), (length, seconds)) of the best way so far.
        type Best = ((f64, f64, u32), (f64, f64));
        let mut best: Option<Best> = None;
        for e in way.ends.iter().flatten() {
            let Some((node_weight, node_len, node_secs)) = search.reached(e.node, metric) else {
                continue;
            };
            // Not settled by a search stopped at `settled_to`: any way through it weighs more.
            if node_weight > settled_to {
                continue;
            }
            let (len, secs) = (e.length_m + node_len, e.seconds + node_secs);
            let key = (self.primary(metric, len, secs), node_weight, e.node);
            if best.map_or(true, |(b, _)| key < b) {
                best = Some((key, (len, secs)));
            }
        }
        if fsnap.link == psnap.link {
            if let Some((len, secs)) = self.along_link(fsnap, psnap) {
                let w = self.primary(metric, len, secs);
                if best.map_or(true, |((bw, _, _), _)| w < bw) {
                    best = Some(((w, 0.0, 0), (len, secs)));
                }
            }
        }
        best.map(|(_, way)| way)
    }

    /// Road from a factory's joining point to a park's on the same link, without leaving it.
    fn along_link(&self, from: &Snap, to: &Snap) -> Option<(f64, f64)> {
        let l = self.graph.link(from.link)?;
        if from.link != to.link {
            return None;
        }
        let ok = (l.forward && from.t <= to.t) || (l.backward && from.t >= to.t);
        let share = (to.t - from.t).abs();
        ok.then_some((share * l.length_m, share * l.seconds))
    }

    /// Where the rounds of searches stop, on the primary weight of a factory's way to the
    /// park's joining point; the last is infinite (bounded by `max_m` of road alone). The
    /// first is twice the straight distance within which nine factories in ten have `k`
    /// parks' joining points (a sample of them): routes are seldom that much longer than the
    /// line, so nearly every list is final after it. Each next round goes twice as far.
    fn stops(
        &self,
        metric: Metric,
        max_m: f64,
        k: usize,
        joined: &[(usize, Snap)],
        destinations: &[(usize, &[Snap])],
    ) -> Vec<f64> {
        let want = k.min(destinations.len());
        if want == 0 || joined.is_empty() {
            return vec![f64::INFINITY];
        }
        // One point a park (its first joining point): an estimate is all this needs.
        let tree = rstar::RTree::bulk_load(
            destinations.iter().filter_map(|(_, j)| j.first()).map(|s| s.at).collect(),
        );
        let step = joined.len().div_ceil(1000).max(1);
        let mut kth: Vec<f64> = joined
            .iter()
            .step_by(step)
            .filter_map(|(_, s)| {
                let far = tree.nearest_neighbor_iter(&s.at).nth(want - 1)?;
                Some(s.offset_m + (far[0] - s.at[0]).hypot(far[1] - s.at[1]))
            })
            .collect();
        kth.sort_by(f64::total_cmp);
        let Some(&q90) = kth.get(kth.len() * 9 / 10).or(kth.last()) else {
            return vec![f64::INFINITY];
        };
        // Metres a second over the whole network, to turn the distance into a time.
        let (len, secs) =
            self.graph.links.iter().fold((0.0, 0.0), |(l, t), x| (l + x.length_m, t + x.seconds));
        let per_m = match metric {
            Metric::Km => 1.0,
            Metric::Minutes if len > 0.0 && secs > 0.0 => secs / len,
            Metric::Minutes => return vec![f64::INFINITY],
        };
        let mut stops = Vec::new();
        let mut reach = 2.0 * q90;
        while reach > 0.0 && reach < max_m && stops.len() < 16 {
            stops.push(reach * per_m);
            reach *= 2.0;
        }
        stops.push(f64::INFINITY);
        stops
    }

    fn primary(&self, metric: Metric, length_m: f64, secs: f64) -> f64 {
        match metric {
            Metric::Km => length_m,
            Metric::Minutes => secs,
        }
    }

    /// Every asked factory's `k` nearest wanted parks by road within `max_m` of road (step 2).
    /// `factories` and `parks` are indices into `inputs`; `wanted(factory, park)` says whether
    /// a pair may be kept (the candidates stage's eligibility).
    pub fn distances(
        &self,
        inputs: &Inputs,
        factories: &[usize],
        parks: &[usize],
        wanted: impl Fn(usize, usize) -> bool + Sync,
        k: usize,
        max_m: f64,
    ) -> RoadDistances {
        self.distances_in_rounds(inputs, factories, parks, wanted, k, max_m, None)
    }

    /// `distances`, with the rounds' stops given (tests) or chosen (`None`).
    #[allow(clippy::too_many_arguments)]
    fn distances_in_rounds(
        &self,
        inputs: &Inputs,
        factories: &[usize],
        parks: &[usize],
        wanted: impl Fn(usize, usize) -> bool + Sync,
        k: usize,
        max_m: f64,
        stops: Option<Vec<f64>>,
    ) -> RoadDistances {
        let metric = self.settings.metric;
        let access = self.access_kmh();
        let position = |f: usize| inputs.factories.get(f).map(|x| [x.location.x(), x.location.y()]);
        let mut out = RoadDistances {
            by_factory: vec![Vec::new(); inputs.factories.len()],
            factory_snaps: vec![None; inputs.factories.len()],
            park_joins: vec![Vec::new(); inputs.parks.len()],
            ..RoadDistances::default()
        };
        let snapped: Vec<(usize, Option<Snap>)> = factories
            .par_iter()
            .map(|&f| (f, inputs.factories.get(f).and_then(|x| self.snap_point(x.location))))
            .collect();
        for (f, s) in &snapped {
            match s {
                Some(s) => {
                    if let Some(slot) = out.factory_snaps.get_mut(*f) {
                        *slot = Some(*s);
                    }
                }
                None => out.unsnapped_factories.push(*f),
            }
        }
        let gates = inputs.gates_by_park();
        let park_joins: Vec<(usize, Vec<Snap>)> = parks
            .par_iter()
            .map(|&p| {
                let Some(park) = inputs.parks.get(p) else { return (p, Vec::new()) };
                let joins = match gates.get(park.id.trim()) {
                    Some(at) => at.iter().filter_map(|g| self.snap_point(*g)).collect(),
                    None => self.snap_area(&park.area).into_iter().collect(),
                };
                (p, joins)
            })
            .collect();
        for (p, joins) in &park_joins {
            if joins.is_empty() {
                out.unsnapped_parks.push(*p);
            } else if let Some(slot) = out.park_joins.get_mut(*p) {
                slot.clone_from(joins);
            }
        }
        // Joined factories get slots 0..n cell by cell of a grid over their positions, so the
        // factories a park's search can reach are a few runs of slots, read in order after the
        // search (a factory's slot changes no result: the lists are ordered by weight and park
        // alone).
        let grid = Grid::around(
            snapped.iter().filter(|(_, s)| s.is_some()).filter_map(|(f, _)| position(*f)),
        );
        let mut joined: Vec<(usize, Snap)> =
            snapped.iter().filter_map(|(f, s)| s.map(|s| (*f, s))).collect();
        joined.sort_by_key(|(f, _)| (position(*f).map_or(usize::MAX, |p| grid.cell(p)), *f));
        let cell_start = grid.starts(joined.iter().filter_map(|(f, _)| position(*f)));
        let ways: Vec<Ways> = joined
            .iter()
            .map(|(_, s)| {
                let e = self.entries(s);
                Ways { ends: [e.first().copied(), e.get(1).copied()] }
            })
            .collect();

        // Parks are searched neighbours together (`spatial::nearby_order` of their joining
        // points), so the searches a thread runs one after another cover nearly the same roads
        // and find them still in cache (the order changes no result: see `Nearest::merge`).
        let joinable: Vec<(usize, &[Snap])> = park_joins
            .iter()
            .filter(|(_, j)| !j.is_empty())
            .map(|(p, j)| (*p, j.as_slice()))
            .collect();
        let at: Vec<Point<f64>> = joinable
            .iter()
            .filter_map(|(_, j)| j.first())
            .map(|s| Point::new(s.at[0], s.at[1]))
            .collect();
        let destinations: Vec<(usize, &[Snap])> =
            nearby_order(&at).into_iter().filter_map(|i| joinable.get(i).copied()).collect();
        let mut nearest = Nearest::new(joined.len(), k);
        // Parks are searched a chunk at a time, in parallel; each chunk's finds are merged
        // into the factories' nearest-k lists (in parallel, by slot shard) before the next, so
        // memory stays bounded and later searches drop what cannot enter a full list.
        let threads = rayon::current_num_threads().max(1);
        let chunk = threads * 32;
        // One search state over the nodes per thread, made once: rayon calls a `map_init`
        // closure per split, and a million-node one costs tens of ms.
        let nodes = self.graph.xy.len();
        let pool: Vec<Mutex<Search>> =
            (0..threads).map(|_| Mutex::new(Search::new(nodes))).collect();
        let shards = nearest.shards();
        // The finds' buffers go back for the next chunk: fresh ones cost the kernel zeroing
        // pages for every chunk.
        let spare: Mutex<Vec<Vec<Vec<Pair>>>> = Mutex::new(Vec::new());
        // Every route is a line from the factory to the park's joining point, never shorter
        // than the straight line: factories farther than `max_m` in a straight line cannot be
        // kept (the margin covers rounding in the sums of link lengths).
        let reach_m = max_m * (1.0 + 1e-9) + 1.0;
        let max_entry_m = joined.iter().map(|(_, s)| s.offset_m).fold(0.0, f64::max);
        // Rounds: the searches stop at a weight most factories find their `k` parks within,
        // then only the parks near a factory still short of them search again, farther.
        let stops = stops.unwrap_or_else(|| self.stops(metric, max_m, k, &joined, &destinations));
        // Slots whose list no later round can change.
        let mut done = vec![false; joined.len()];
        let mut after = f64::NEG_INFINITY;
        for (round, &stop) in stops.iter().enumerate() {
            if k == 0 {
                break;
            }
            // How far in a straight line a factory this round can keep may be from the park.
            let reach = match metric {
                Metric::Km => ((stop + max_entry_m) * (1.0 + 1e-9) + 1.0).min(reach_m),
                Metric::Minutes => reach_m,
            };
            let mut open_before = Vec::with_capacity(done.len() + 1);
            open_before.push(0u32);
            for &d in &done {
                let last = open_before.last().copied().unwrap_or(0);
                open_before.push(last + u32::from(!d));
            }
            let open_in = |run: &std::ops::Range<usize>| {
                let slot = |c: usize| cell_start.get(c).copied().unwrap_or(0) as usize;
                let count = |s: usize| open_before.get(s).copied().unwrap_or(0);
                count(slot(run.end)) - count(slot(run.start))
            };
            let searched: Vec<(usize, &[Snap])> = destinations
                .iter()
                .filter(|(_, joins)| {
                    round == 0
                        || joins.iter().any(|s| grid.runs(s.at, reach).any(|r| open_in(&r) > 0))
                })
                .copied()
                .collect();
            for parks in searched.chunks(chunk) {
                let kth = nearest.kth.as_slice();
                let done = done.as_slice();
                let found: Vec<Vec<Vec<Pair>>> = parks
                    .par_iter()
                    .map(|&(park, joins)| {
                        let at = rayon::current_thread_index().unwrap_or(0) % threads;
                        let Some(slot) = pool.get(at) else { return Vec::new() };
                        let mut search = slot.lock().unwrap_or_else(|e| e.into_inner());
                        let mut kept = spare
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .pop()
                            .unwrap_or_else(|| vec![Vec::new(); shards]);
                        // Whether a factory's way to this park is kept: by this round (the
                        // one whose stop its way to the boundary falls under), within `max_m`,
                        // able to enter the list (an equal weight may still win on park order:
                        // the merge decides), and wanted.
                        let keeps = |f: &Find| {
                            f.to_park > after
                                && f.to_park <= stop
                                && f.total_m <= max_m
                                && f.pair.weight
                                    <= kth
                                        .get(f.pair.slot as usize)
                                        .copied()
                                        .unwrap_or(f64::INFINITY)
                                && wanted(f.factory, park)
                        };
                        // A park with several gates: one search per gate, each factory keeping
                        // the gate of the least way to the park (then the first).
                        let mut by_gate: Vec<Find> = Vec::new();
                        for (join, psnap) in joins.iter().enumerate() {
                            let sources = self.sources(psnap);
                            search.run_until(
                                &self.graph,
                                &sources,
                                metric,
                                max_m,
                                stop,
                                |_, _, _| {},
                            );
                            let exit_secs = seconds(psnap.offset_m, access);
                            for run in grid.runs(psnap.at, reach) {
                                let (from, to) = (
                                    cell_start.get(run.start).copied().unwrap_or(0) as usize,
                                    cell_start.get(run.end).copied().unwrap_or(0) as usize,
                                );
                                let (Some(factories), Some(ways), Some(done)) =
                                    (joined.get(from..to), ways.get(from..to), done.get(from..to))
                                else {
                                    continue;
                                };
                                for (i, (((factory, fsnap), way), _)) in factories
                                    .iter()
                                    .zip(ways)
                                    .zip(done)
                                    .enumerate()
                                    .filter(|(_, (_, &d))| !d)
                                {
                                    let slot = (from + i) as u32;
                                    let Some((len, secs)) =
                                        self.best_way(&search, metric, way, fsnap, psnap, stop)
                                    else {
                                        continue;
                                    };
                                    let total_m = fsnap.offset_m + len + psnap.offset_m;
                                    let minutes = (secs
                                        + seconds(fsnap.offset_m + psnap.offset_m, access))
                                        / 60.0;
                                    let weight = match metric {
                                        Metric::Km => total_m,
                                        Metric::Minutes => minutes,
                                    };
                                    // The way to the park's boundary: what picks among gates and
                                    // which round keeps it.
                                    let to_park = match metric {
                                        Metric::Km => len + psnap.offset_m,
                                        Metric::Minutes => secs + exit_secs,
                                    };
                                    let pair = Pair {
                                        slot,
                                        park: park as u32,
                                        join: join as u32,
                                        weight,
                                        network_m: len,
                                        minutes,
                                    };
                                    let find = Find { pair, to_park, total_m, factory: *factory };
                                    if joins.len() > 1 {
                                        // Beyond `stop` the way may not be the best: a later
                                        // round finds it.
                                        if to_park <= stop {
                                            by_gate.push(find);
                                        }
                                    } else if keeps(&find) {
                                        if let Some(shard) =
                                            kept.get_mut(slot as usize / SHARD_SLOTS)
                                        {
                                            shard.push(pair);
                                        }
                                    }
                                }
                            }
                        }
                        by_gate.sort_by(|a, b| {
                            (a.pair.slot, a.to_park, a.pair.join)
                                .partial_cmp(&(b.pair.slot, b.to_park, b.pair.join))
                                .unwrap_or(std::cmp::Ordering::Equal)
                        });
                        by_gate.dedup_by_key(|f| f.pair.slot);
                        for find in by_gate.iter().filter(|f| keeps(f)) {
                            if let Some(shard) = kept.get_mut(find.pair.slot as usize / SHARD_SLOTS)
                            {
                                shard.push(find.pair);
                            }
                        }
                        kept
                    })
                    .collect();
                nearest.merge(&found);
                let mut back = spare.lock().unwrap_or_else(|e| e.into_inner());
                for mut buffers in found {
                    buffers.iter_mut().for_each(Vec::clear);
                    back.push(buffers);
                }
            }
            // A later round keeps only ways over `stop`: their weight is at least the bound
            // below, so a list full under it is final.
            for (((d, (_, fsnap)), &n), &bar) in
                done.iter_mut().zip(&joined).zip(&nearest.len).zip(&nearest.kth)
            {
                let least_later = match metric {
                    Metric::Km => fsnap.offset_m + stop,
                    Metric::Minutes => (stop + seconds(fsnap.offset_m, access)) / 60.0,
                };
                // The margin covers rounding in the sums that give a later way's weight.
                *d = *d || (n as usize == k && bar < least_later * (1.0 - 1e-9));
            }
            after = stop;
        }
        let lists: Vec<Vec<(usize, RoadLeg)>> = joined
            .par_iter()
            .zip(nearest.lists().collect::<Vec<_>>())
            .map(|((_, fsnap), list)| {
                list.iter()
                    .map(|p| {
                        let park = p.park as usize;
                        let join = p.join as usize;
                        let exit_m = out
                            .park_joins
                            .get(park)
                            .and_then(|j| j.get(join))
                            .map_or(0.0, |s| s.offset_m);
                        let leg = RoadLeg {
                            network_m: p.network_m,
                            entry_m: fsnap.offset_m,
                            exit_m,
                            minutes: p.minutes,
                            join,
                        };
                        (park, leg)
                    })
                    .collect()
            })
            .collect();
        for ((factory, _), list) in joined.iter().zip(lists) {
            if let Some(slot) = out.by_factory.get_mut(*factory) {
                *slot = list;
            }
        }
        out
    }

    /// The road route of each (factory snap, park snap) move as lon/lat and metric points, from
    /// the joining point of the factory to the park's (step 3): one search per park. A move
    /// with no route within `max_m` gets `None`.
    pub fn routes(&self, moves: &[(Snap, Snap)], max_m: f64) -> Vec<Option<Route>> {
        let mut order: Vec<usize> = (0..moves.len()).collect();
        order.sort_by_key(|&i| moves.get(i).map(|m| (m.1.link, m.1.t.to_bits())));
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut last: Option<(u32, u64)> = None;
        for i in order {
            let Some(m) = moves.get(i) else { continue };
            let key = (m.1.link, m.1.t.to_bits());
            if last != Some(key) {
                groups.push(Vec::new());
                last = Some(key);
            }
            if let Some(g) = groups.last_mut() {
                g.push(i);
            }
        }
        let metric = self.settings.metric;
        let traced: Vec<Vec<(usize, Option<Route>)>> = groups
            .par_iter()
            .map_init(
                || Search::new(self.graph.xy.len()),
                |search, group| {
                    let Some(psnap) = group.first().and_then(|&i| moves.get(i)).map(|m| m.1) else {
                        return Vec::new();
                    };
                    search.run(&self.graph, &self.sources(&psnap), metric, max_m, |_, _, _| {});
                    group
                        .iter()
                        .map(|&i| (i, moves.get(i).and_then(|m| self.trace(search, &m.0, &psnap))))
                        .collect()
                },
            )
            .collect();
        let mut out = vec![None; moves.len()];
        for (i, r) in traced.into_iter().flatten() {
            if let Some(slot) = out.get_mut(i) {
                *slot = r;
            }
        }
        out
    }

    /// The route from a factory's joining point through the searched tree to the park's.
    fn trace(&self, search: &Search, from: &Snap, to: &Snap) -> Option<Route> {
        let g = &self.graph;
        let metric = self.settings.metric;
        let end_of = |s: &Snap| -> Option<([f64; 2], [f64; 2])> {
            let l = g.link(s.link)?;
            let (a, b) = (g.lonlat.get(l.a as usize)?, g.lonlat.get(l.b as usize)?);
            Some((s.at, [a[0] + (b[0] - a[0]) * s.t, a[1] + (b[1] - a[1]) * s.t]))
        };
        let start = end_of(from)?;
        let finish = end_of(to)?;
        let direct = self.along_link(from, to).map(|(len, secs)| self.primary(metric, len, secs));
        let via_graph = self
            .entries(from)
            .into_iter()
            .filter_map(|e| {
                let w = search.weight(e.node)?;
                let first = self.primary(metric, e.length_m, e.seconds);
                w.is_finite().then_some((first + w, e.node))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut route = Route { metric: vec![start.0], lonlat: vec![start.1] };
        match (direct, via_graph) {
            (Some(d), v) if v.map_or(true, |(w, _)| d <= w) => {}
            (_, Some((_, mut node))) => loop {
                route.metric.push(*g.xy.get(node as usize)?);
                route.lonlat.push(*g.lonlat.get(node as usize)?);
                let via = search.via(node)?;
                if via == u32::MAX {
                    break;
                }
                node = via;
                if route.metric.len() > g.xy.len() + 2 {
                    return None;
                }
            },
            _ => return None,
        }
        route.metric.push(finish.0);
        route.lonlat.push(finish.1);
        Some(route)
    }
}

/// A move's road geometry, from the factory's joining point to the park's.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub metric: Vec<[f64; 2]>,
    pub lonlat: Vec<[f64; 2]>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::Oneway;
    use crate::testkit::{factory, park_sized, road};
    use proptest::prelude::*;

    /// A factory at the origin; park A 2 km north across a river, park B 6 km east on its side.
    /// The only bridge is 20 km east.
    pub(crate) fn river_world() -> Inputs {
        let mut inputs = crate::testkit::inputs(
            vec![factory("F1", 0.0, 0.0, 1.0, "food")],
            vec![
                park_sized("A", 0.0, 2_100.0, 10.0, 200.0),
                park_sized("B", 6_000.0, 0.0, 10.0, 200.0),
            ],
        );
        inputs.roads = vec![
            road(
                "south",
                &[(-1_000.0, 0.0), (0.0, 0.0), (5_900.0, 0.0), (20_000.0, 0.0)],
                Oneway::Both,
            ),
            road(
                "north",
                &[(-1_000.0, 2_000.0), (0.0, 2_000.0), (20_000.0, 2_000.0)],
                Oneway::Both,
            ),
            road("bridge", &[(20_000.0, 0.0), (20_000.0, 2_000.0)], Oneway::Both),
        ];
        inputs
    }

    #[test]
    fn a_disconnected_island_is_dropped_and_its_factory_joins_the_main_network() {
        let mut inputs = river_world();
        // An island road 300 m from a factory, the main road 800 m from it.
        inputs.factories[0].location = geo::Point::new(3_000.0, -800.0);
        inputs.roads.push(road(
            "island",
            &[(2_500.0, -1_100.0), (3_500.0, -1_100.0)],
            Oneway::Both,
        ));
        let network = Network::build(&inputs, &RoadSettings::default()).unwrap();
        assert_eq!(network.graph.report.dropped_nodes, 2);
        assert!((network.graph.report.dropped_km - 1.0).abs() < 1e-9);
        let snap = network.snap_point(inputs.factories[0].location).unwrap();
        assert!((snap.offset_m - 800.0).abs() < 1e-9, "{snap:?}");
    }

    #[test]
    fn a_park_with_gates_joins_the_roads_at_the_gate_of_the_shortest_way() {
        // Park A lies between the river's two roads, 200 m from the south one, 300 m from the
        // north one; the factory is on the south road, the bridge 20 km east.
        let mut inputs = river_world();
        let rect = geo::Rect::new(
            geo::coord! { x: -500.0, y: 200.0 },
            geo::coord! { x: 500.0, y: 1_700.0 },
        );
        inputs.parks[0].area = MultiPolygon(vec![rect.to_polygon()]);
        let gate = |id: &str, x: f64, y: f64| crate::model::Gate {
            origin: crate::model::Origin { file: "gates".into(), index: 0 },
            id: id.into(),
            park_id: "A".into(),
            location: Point::new(x, y),
        };
        let network = Network::build(&inputs, &RoadSettings::default()).unwrap();
        let to_a = |inputs: &Inputs| {
            let d = network.distances(inputs, &[0], &[0], |_, _| true, 1, 80_000.0);
            let (park, leg) = d.by_factory[0][0];
            assert_eq!(park, 0);
            let join = d.park_joins[0][leg.join];
            (leg, join, d.park_joins[0].len())
        };
        // No gates: the boundary's nearest road point, the south road.
        let (leg, join, joins) = to_a(&inputs);
        assert_eq!(joins, 1);
        assert!((leg.total_km() - 0.2).abs() < 1e-9, "{leg:?}");
        assert_eq!(join.at, [0.0, 0.0]);
        // A single gate on the north side: the only way in is over the bridge.
        inputs.gates = vec![gate("north", 0.0, 1_700.0)];
        let (leg, join, _) = to_a(&inputs);
        assert!((leg.network_m - 42_000.0).abs() < 1e-6, "{leg:?}");
        assert!((leg.exit_m - 300.0).abs() < 1e-9, "{leg:?}");
        assert_eq!(join.at, [0.0, 2_000.0]);
        // Gates on both sides: the south one, and the route ends there.
        inputs.gates.push(gate("south", 100.0, 200.0));
        let (leg, join, joins) = to_a(&inputs);
        assert_eq!((joins, leg.join), (2, 1));
        assert!((leg.network_m - 100.0).abs() < 1e-9 && (leg.exit_m - 200.0).abs() < 1e-9);
        let f = network.snap_point(inputs.factories[0].location).unwrap();
        let route = network.routes(&[(f, join)], 80_000.0)[0].clone().unwrap();
        assert_eq!(route.metric.last(), Some(&[100.0, 0.0]), "{route:?}");
    }

    #[test]
    fn a_route_follows_the_roads_over_the_bridge() {
        let inputs = river_world();
        let network = Network::build(&inputs, &RoadSettings::default()).unwrap();
        let f = network.snap_point(inputs.factories[0].location).unwrap();
        let a = network.snap_area(&inputs.parks[0].area).unwrap();
        let route = network.routes(&[(f, a)], 80_000.0)[0].clone().unwrap();
        assert!(route.metric.contains(&[20_000.0, 0.0]), "{route:?}");
        assert!(route.metric.contains(&[20_000.0, 2_000.0]), "{route:?}");
        assert_eq!(route.metric.first(), Some(&[0.0, 0.0]));
        let length: f64 =
            route.metric.windows(2).map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1])).sum();
        assert!((length - 42_000.0).abs() < 1e-6, "{length}");
    }

    /// Shortest road metres from every node to `target` by Bellman–Ford over the links.
    fn brute_force(graph: &Graph, target: u32) -> Vec<f64> {
        let mut d = vec![f64::INFINITY; graph.xy.len()];
        d[target as usize] = 0.0;
        for _ in 0..graph.xy.len() {
            for l in &graph.links {
                if l.forward {
                    d[l.a as usize] = d[l.a as usize].min(d[l.b as usize] + l.length_m);
                }
                if l.backward {
                    d[l.b as usize] = d[l.b as usize].min(d[l.a as usize] + l.length_m);
                }
            }
        }
        d
    }

    /// Every factory's `k` nearest wanted parks the plain way: one search per park, each way
    /// onto the graph offered as the search settles its node (the first of equal weights
    /// kept), then the way along the link, all pairs sorted by weight and park.
    fn nearest_by_offers(
        network: &Network,
        inputs: &Inputs,
        wanted: impl Fn(usize, usize) -> bool,
        k: usize,
        max_m: f64,
    ) -> Vec<Vec<(usize, RoadLeg)>> {
        let metric = network.settings.metric;
        let access = network.access_kmh();
        let mut all: Vec<Vec<(f64, usize, RoadLeg)>> = vec![Vec::new(); inputs.factories.len()];
        let mut search = Search::new(network.graph.xy.len());
        for (p, park) in inputs.parks.iter().enumerate() {
            let gates: Vec<Point<f64>> =
                inputs.gates.iter().filter(|g| g.park_id == park.id).map(|g| g.location).collect();
            let joins: Vec<Snap> = if gates.is_empty() {
                network.snap_area(&park.area).into_iter().collect()
            } else {
                gates.iter().filter_map(|g| network.snap_point(*g)).collect()
            };
            let snaps: Vec<Option<Snap>> =
                inputs.factories.iter().map(|f| network.snap_point(f.location)).collect();
            // Each factory's best way over the joins: (to the park's boundary, join, leg).
            let mut best: Vec<Option<(f64, usize, RoadLeg)>> = vec![None; snaps.len()];
            for (join, psnap) in joins.iter().enumerate() {
                let mut reach: Vec<Option<(f64, f64)>> = vec![None; snaps.len()];
                search.run(
                    &network.graph,
                    &network.sources(psnap),
                    metric,
                    max_m,
                    |n, len, secs| {
                        for (f, s) in snaps.iter().enumerate() {
                            let Some(s) = s else { continue };
                            for e in network.entries(s).into_iter().filter(|e| e.node == n) {
                                let (l, t) = (e.length_m + len, e.seconds + secs);
                                let w = network.primary(metric, l, t);
                                if reach[f]
                                    .map_or(true, |(hl, ht)| w < network.primary(metric, hl, ht))
                                {
                                    reach[f] = Some((l, t));
                                }
                            }
                        }
                    },
                );
                for (f, s) in snaps.iter().enumerate() {
                    let Some(fsnap) = s else { continue };
                    if let Some((l, t)) = network.along_link(fsnap, psnap) {
                        let w = network.primary(metric, l, t);
                        if reach[f].map_or(true, |(hl, ht)| w < network.primary(metric, hl, ht)) {
                            reach[f] = Some((l, t));
                        }
                    }
                    let Some((len, secs)) = reach[f] else { continue };
                    let to_park = network.primary(
                        metric,
                        len + psnap.offset_m,
                        secs + seconds(psnap.offset_m, access),
                    );
                    if best[f].as_ref().is_some_and(|(b, _, _)| *b <= to_park) {
                        continue;
                    }
                    let leg = RoadLeg {
                        network_m: len,
                        entry_m: fsnap.offset_m,
                        exit_m: psnap.offset_m,
                        minutes: (secs + seconds(fsnap.offset_m + psnap.offset_m, access)) / 60.0,
                        join,
                    };
                    best[f] = Some((to_park, join, leg));
                }
            }
            for (f, b) in best.into_iter().enumerate() {
                let Some((_, _, leg)) = b else { continue };
                let total = leg.entry_m + leg.network_m + leg.exit_m;
                if total > max_m || !wanted(f, p) {
                    continue;
                }
                let w = if metric == Metric::Km { total } else { leg.minutes };
                all[f].push((w, p, leg));
            }
        }
        all.into_iter()
            .map(|mut list| {
                list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                list.into_iter().take(k).map(|(_, p, leg)| (p, leg)).collect()
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn the_nearest_parks_are_those_of_one_plain_search_per_park_on_any_number_of_threads(
            factories in prop::collection::vec((0.0f64..3_000.0, 0.0f64..3_000.0), 1..40),
            parks in prop::collection::vec((0.0f64..3_000.0, 0.0f64..3_000.0), 1..8),
            gates in prop::collection::vec((0usize..8, 0.0f64..3_000.0, 0.0f64..3_000.0), 0..8),
            minutes in any::<bool>(),
            k in 1usize..4,
            max_m in 1_000.0f64..6_000.0,
            first_stop in 100.0f64..3_000.0,
        ) {
            // A 7 × 7 lattice of two-way roads 500 m apart, every third row one-way.
            let at = |i: usize, j: usize| (i as f64 * 500.0, j as f64 * 500.0 + (i % 2) as f64 * 30.0);
            let mut roads = Vec::new();
            for j in 0..7 {
                let points: Vec<(f64, f64)> = (0..7).map(|i| at(i, j)).collect();
                let way = if j % 3 == 1 { Oneway::Forward } else { Oneway::Both };
                let mut r = road("row", &points, way);
                r.class = if j % 2 == 0 { "primary" } else { "residential" }.into();
                roads.push(r);
                let points: Vec<(f64, f64)> = (0..7).map(|i| at(j, i)).collect();
                roads.push(road("col", &points, Oneway::Both));
            }
            let mut inputs = crate::testkit::inputs(
                factories.iter().enumerate().map(|(i, &(x, y))| factory(&format!("F{i:02}"), x, y, 1.0, "food")).collect(),
                parks.iter().enumerate().map(|(i, &(x, y))| park_sized(&format!("P{i}"), x, y, 10.0, 100.0)).collect(),
            );
            inputs.roads = roads;
            // Some parks open through gates (any number), the others join at their boundary.
            inputs.gates = gates
                .iter()
                .enumerate()
                .map(|(i, &(p, x, y))| crate::model::Gate {
                    origin: crate::model::Origin { file: "gates".into(), index: i },
                    id: format!("G{i}"),
                    park_id: format!("P{}", p % parks.len()),
                    location: Point::new(x, y),
                })
                .collect();
            let settings = RoadSettings {
                metric: if minutes { Metric::Minutes } else { Metric::Km },
                ..RoadSettings::default()
            };
            let network = Network::build(&inputs, &settings).unwrap();
            let wanted = |f: usize, p: usize| (f + p) % 5 != 0;
            let all_f: Vec<usize> = (0..inputs.factories.len()).collect();
            let all_p: Vec<usize> = (0..inputs.parks.len()).collect();
            let want = nearest_by_offers(&network, &inputs, wanted, k, max_m);
            for threads in [1, 3] {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                let got = pool.install(|| network.distances(&inputs, &all_f, &all_p, wanted, k, max_m));
                prop_assert_eq!(&got.by_factory, &want, "{} threads", threads);
            }
            // Rounds stopped anywhere (metres, or seconds at about 20 km/h) give the same lists.
            let per = if minutes { 0.18 } else { 1.0 };
            let stops = vec![first_stop * per, 2.0 * first_stop * per, f64::INFINITY];
            let got = network.distances_in_rounds(&inputs, &all_f, &all_p, wanted, k, max_m, Some(stops));
            prop_assert_eq!(&got.by_factory, &want, "rounds from {}", first_stop);
        }
    }

    proptest! {
        #[test]
        fn searches_agree_with_a_brute_force_shortest_path_on_small_random_graphs(
            edges in prop::collection::vec((0u8..12, 0u8..12, 0u8..3), 5..40),
            target in 0u32..12,
        ) {
            // Points on a 4 × 3 lattice with jitter-free spacing; edges between random pairs.
            let at = |n: u8| ((n % 4) as f64 * 100.0 + (n / 4) as f64 * 7.0, (n / 4) as f64 * 100.0);
            let roads: Vec<_> = edges
                .iter()
                .filter(|(a, b, _)| a != b)
                .map(|&(a, b, way)| {
                    let oneway = [Oneway::Both, Oneway::Forward, Oneway::Backward][way as usize];
                    road("r", &[at(a), at(b)], oneway)
                })
                .collect();
            let graph = Graph::build(&roads, &RoadSettings::default());
            prop_assume!(!graph.xy.is_empty());
            let target = target % graph.xy.len() as u32;
            let want = brute_force(&graph, target);
            let mut search = Search::new(graph.xy.len());
            let mut got = vec![f64::INFINITY; graph.xy.len()];
            let source = Source { node: target, length_m: 0.0, seconds: 0.0 };
            search.run(&graph, &[source], Metric::Km, f64::INFINITY, |n, len, _| got[n as usize] = len);
            for (g, w) in got.iter().zip(&want) {
                prop_assert!((g - w).abs() < 1e-6 || (g.is_infinite() && w.is_infinite()), "{got:?} vs {want:?}");
            }
            // The kept component is strongly connected: every node reaches the target.
            prop_assert!(want.iter().all(|d| d.is_finite()));
        }
    }
}
