//! The road graph: nodes where lines share a vertex, one link per segment between two vertices,
//! arcs in compressed sparse rows (CSR, ids as u32) in both directions, one-way links honoured.
//!
//! 1. Every vertex of every road line, in the metric working CRS, becomes a node; vertices equal
//!    to the centimetre are one node (lines meet only where they share a vertex: a bridge drawn
//!    over a road does not connect to it).
//! 2. Every segment becomes a link with its length (m) and travel time (s) at the road's speed
//!    (its `speed_kmh`, else its class's); a one-way road gives arcs one way only.
//! 3. Only the largest strongly connected component is kept (Kosaraju, iterative): from any
//!    node of it every other can be reached, so a factory and a park joined to it always have a
//!    route. What was dropped is reported.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::{Oneway, Road};
use crate::scenario::{Profile, RoadSettings};
use crate::units::km_from_m;

/// One segment of a road between two nodes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link {
    pub a: u32,
    pub b: u32,
    pub length_m: f64,
    pub seconds: f64,
    /// Traffic may go from `a` to `b`.
    pub forward: bool,
    /// Traffic may go from `b` to `a`.
    pub backward: bool,
}

/// One arc: the node at its other end, and its link's length and time copied in, so a search
/// relaxing a node's arcs reads one run of memory and never the links.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Arc {
    pub node: u32,
    pub length_m: f64,
    pub seconds: f64,
}

/// Arcs of one direction in CSR form: the arcs of node `n` are `arcs[start[n]..start[n + 1]]`.
#[derive(Clone, Debug, Default)]
pub struct Csr {
    start: Vec<u32>,
    arcs: Vec<Arc>,
}

impl Csr {
    /// `pairs` gives each arc's (node it leaves, the arc).
    fn build(nodes: usize, pairs: impl Iterator<Item = (u32, Arc)> + Clone) -> Csr {
        let mut start = vec![0u32; nodes + 1];
        for (from, _) in pairs.clone() {
            if let Some(s) = start.get_mut(from as usize + 1) {
                *s += 1;
            }
        }
        for i in 1..start.len() {
            let before = start.get(i - 1).copied().unwrap_or(0);
            if let Some(s) = start.get_mut(i) {
                *s += before;
            }
        }
        let total = start.last().copied().unwrap_or(0) as usize;
        let empty = Arc { node: 0, length_m: 0.0, seconds: 0.0 };
        let mut arcs = vec![empty; total];
        let mut fill = start.clone();
        for (from, arc) in pairs {
            if let Some(at) = fill.get_mut(from as usize) {
                if let Some(slot) = arcs.get_mut(*at as usize) {
                    *slot = arc;
                }
                *at += 1;
            }
        }
        Csr { start, arcs }
    }

    /// The arcs leaving node `n`.
    pub fn of(&self, n: u32) -> &[Arc] {
        let from = self.start.get(n as usize).copied().unwrap_or(0) as usize;
        let to = self.start.get(n as usize + 1).copied().unwrap_or(0) as usize;
        self.arcs.get(from..to).unwrap_or(&[])
    }
}

/// What building the graph kept and dropped, for the summary.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NetworkReport {
    /// Road features read.
    pub roads: usize,
    /// Roads left out by the vehicle profile (tagged against heavy vehicles, truck profile).
    pub roads_closed_to_profile: usize,
    pub nodes: usize,
    pub links: usize,
    /// Nodes and road length outside the largest strongly connected component, dropped.
    pub dropped_nodes: usize,
    pub dropped_km: f64,
    /// Dropped share of the road length, 0–1.
    pub dropped_share: f64,
}

/// The road graph, largest strongly connected component only.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// Node positions, metric working CRS.
    pub xy: Vec<[f64; 2]>,
    /// Node positions, longitude/latitude (route geometry in the outputs).
    pub lonlat: Vec<[f64; 2]>,
    pub links: Vec<Link>,
    /// Arcs leaving each node.
    pub out: Csr,
    /// Arcs entering each node (the other end is where they come from): the reversed graph.
    pub into: Csr,
    pub report: NetworkReport,
}

/// Whether the profile may use a road.
fn open_to(profile: Profile, road: &Road) -> bool {
    profile != Profile::Truck || !road.no_trucks
}

impl Graph {
    /// Builds the graph of `roads` (steps 1–3).
    pub fn build(roads: &[Road], settings: &RoadSettings) -> Graph {
        let mut key_to_node: HashMap<(i64, i64), u32> = HashMap::new();
        let mut xy: Vec<[f64; 2]> = Vec::new();
        let mut lonlat: Vec<[f64; 2]> = Vec::new();
        let mut links: Vec<Link> = Vec::new();
        let mut closed = 0;
        for road in roads {
            if !open_to(settings.profile, road) {
                closed += 1;
                continue;
            }
            let kmh = road.speed_kmh.unwrap_or_else(|| settings.speed_kmh(&road.class));
            let (forward, backward) = match road.oneway {
                Oneway::Both => (true, true),
                Oneway::Forward => (true, false),
                Oneway::Backward => (false, true),
            };
            for (part, part_lonlat) in road.line.0.iter().zip(&road.line_lonlat.0) {
                let mut previous: Option<(u32, [f64; 2])> = None;
                for (c, g) in part.0.iter().zip(&part_lonlat.0) {
                    let key = ((c.x * 100.0).round() as i64, (c.y * 100.0).round() as i64);
                    let node = *key_to_node.entry(key).or_insert_with(|| {
                        xy.push([c.x, c.y]);
                        lonlat.push([g.x, g.y]);
                        (xy.len() - 1) as u32
                    });
                    let here = [c.x, c.y];
                    if let Some((prev, at)) = previous {
                        let length_m = (here[0] - at[0]).hypot(here[1] - at[1]);
                        if prev != node && length_m > 0.0 {
                            links.push(Link {
                                a: prev,
                                b: node,
                                length_m,
                                seconds: length_m / (kmh / 3.6),
                                forward,
                                backward,
                            });
                        }
                    }
                    previous = Some((node, here));
                }
            }
        }
        let total_km: f64 = km_from_m(links.iter().map(|l| l.length_m).sum());
        let all_nodes = xy.len();
        let full = Graph::from_parts(xy, lonlat, links);
        let keep = full.largest_component();
        // Renumbering keeps every id when nothing is dropped: the graph is already the one.
        let mut graph = if keep.iter().all(|&k| k) { full } else { full.restricted(&keep) };
        let kept_km = km_from_m(graph.links.iter().map(|l| l.length_m).sum());
        graph.report = NetworkReport {
            roads: roads.len(),
            roads_closed_to_profile: closed,
            nodes: graph.xy.len(),
            links: graph.links.len(),
            dropped_nodes: all_nodes - graph.xy.len(),
            dropped_km: (total_km - kept_km).max(0.0),
            dropped_share: if total_km > 0.0 { (1.0 - kept_km / total_km).max(0.0) } else { 0.0 },
        };
        graph
    }

    fn from_parts(xy: Vec<[f64; 2]>, lonlat: Vec<[f64; 2]>, links: Vec<Link>) -> Graph {
        let n = xy.len();
        let arcs = |reverse: bool| {
            links.iter().flat_map(move |l| {
                let arc = |from: u32, to: u32| {
                    (from, Arc { node: to, length_m: l.length_m, seconds: l.seconds })
                };
                let f = l.forward.then(|| if reverse { arc(l.b, l.a) } else { arc(l.a, l.b) });
                let b = l.backward.then(|| if reverse { arc(l.a, l.b) } else { arc(l.b, l.a) });
                f.into_iter().chain(b)
            })
        };
        let out = Csr::build(n, arcs(false));
        let into = Csr::build(n, arcs(true));
        Graph { xy, lonlat, links, out, into, report: NetworkReport::default() }
    }

    /// Nodes of the largest strongly connected component (ties: the one with the lowest node).
    fn largest_component(&self) -> Vec<bool> {
        let n = self.xy.len();
        // Pass 1: finishing order of a depth-first search on the graph.
        let mut seen = vec![false; n];
        let mut order: Vec<u32> = Vec::with_capacity(n);
        let mut stack: Vec<(u32, usize)> = Vec::new();
        for s in 0..n as u32 {
            if seen.get(s as usize).copied().unwrap_or(true) {
                continue;
            }
            if let Some(v) = seen.get_mut(s as usize) {
                *v = true;
            }
            stack.push((s, 0));
            while let Some((v, i)) = stack.last_mut() {
                let arcs = self.out.of(*v);
                if let Some(&Arc { node: w, .. }) = arcs.get(*i) {
                    *i += 1;
                    if let Some(sw) = seen.get_mut(w as usize) {
                        if !*sw {
                            *sw = true;
                            stack.push((w, 0));
                        }
                    }
                } else {
                    order.push(*v);
                    stack.pop();
                }
            }
        }
        // Pass 2: components on the reversed graph, in reverse finishing order.
        let mut component = vec![u32::MAX; n];
        let mut sizes: Vec<usize> = Vec::new();
        let mut todo: Vec<u32> = Vec::new();
        for &s in order.iter().rev() {
            if component.get(s as usize).copied() != Some(u32::MAX) {
                continue;
            }
            let c = sizes.len() as u32;
            sizes.push(0);
            todo.push(s);
            if let Some(slot) = component.get_mut(s as usize) {
                *slot = c;
            }
            while let Some(v) = todo.pop() {
                if let Some(size) = sizes.last_mut() {
                    *size += 1;
                }
                for &Arc { node: w, .. } in self.into.of(v) {
                    if let Some(slot) = component.get_mut(w as usize) {
                        if *slot == u32::MAX {
                            *slot = c;
                            todo.push(w);
                        }
                    }
                }
            }
        }
        // The largest; among equals the one holding the lowest node id.
        let mut best: Option<(usize, u32)> = None;
        let mut lowest: Vec<u32> = vec![u32::MAX; sizes.len()];
        for (node, &c) in component.iter().enumerate() {
            if let Some(l) = lowest.get_mut(c as usize) {
                *l = (*l).min(node as u32);
            }
        }
        for (c, &size) in sizes.iter().enumerate() {
            let low = lowest.get(c).copied().unwrap_or(u32::MAX);
            let better = match best {
                None => true,
                Some((bs, bc)) => {
                    size > bs || (size == bs && low < lowest.get(bc as usize).copied().unwrap_or(0))
                }
            };
            if better {
                best = Some((size, c as u32));
            }
        }
        match best {
            Some((_, c)) => component.iter().map(|&x| x == c).collect(),
            None => vec![false; n],
        }
    }

    /// The graph of the kept nodes, renumbered in their order, and the links between them.
    fn restricted(&self, keep: &[bool]) -> Graph {
        let mut new_id = vec![u32::MAX; self.xy.len()];
        let mut xy = Vec::new();
        let mut lonlat = Vec::new();
        for (i, &k) in keep.iter().enumerate() {
            if k {
                if let (Some(slot), Some(p), Some(g)) =
                    (new_id.get_mut(i), self.xy.get(i), self.lonlat.get(i))
                {
                    *slot = xy.len() as u32;
                    xy.push(*p);
                    lonlat.push(*g);
                }
            }
        }
        let id = |n: u32| new_id.get(n as usize).copied().unwrap_or(u32::MAX);
        let links = self
            .links
            .iter()
            .filter(|l| id(l.a) != u32::MAX && id(l.b) != u32::MAX)
            .map(|l| Link { a: id(l.a), b: id(l.b), ..*l })
            .collect();
        Graph::from_parts(xy, lonlat, links)
    }

    pub fn link(&self, link: u32) -> Option<&Link> {
        self.links.get(link as usize)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::Origin;
    use geo::{LineString, MultiLineString};

    pub fn road(points: &[(f64, f64)], oneway: Oneway) -> Road {
        let line = MultiLineString(vec![LineString::from(points.to_vec())]);
        Road {
            origin: Origin { file: "roads".into(), index: 0 },
            id: "r".into(),
            class: "primary".into(),
            speed_kmh: None,
            oneway,
            no_trucks: false,
            line: line.clone(),
            line_lonlat: line,
        }
    }

    #[test]
    fn lines_sharing_a_vertex_share_a_node_and_segments_become_links() {
        let roads = vec![
            road(&[(0.0, 0.0), (100.0, 0.0), (200.0, 0.0)], Oneway::Both),
            road(&[(100.0, 0.0), (100.0, 100.0), (0.0, 0.0)], Oneway::Both),
        ];
        let g = Graph::build(&roads, &RoadSettings::default());
        assert_eq!(g.xy.len(), 4);
        assert_eq!(g.links.len(), 4);
        assert_eq!(g.report.dropped_nodes, 0);
        // A primary road at 50 km/h: 100 m in 7.2 s.
        assert!((g.links[0].seconds - 7.2).abs() < 1e-9);
    }

    #[test]
    fn a_one_way_dead_end_is_dropped_with_the_largest_component_kept() {
        let roads = vec![
            road(&[(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 0.0)], Oneway::Forward),
            // Leaves the loop one way only: its end cannot get back.
            road(&[(100.0, 0.0), (300.0, 0.0)], Oneway::Forward),
        ];
        let g = Graph::build(&roads, &RoadSettings::default());
        assert_eq!(g.xy.len(), 3);
        assert_eq!(g.report.dropped_nodes, 1);
        assert!((g.report.dropped_km - 0.2).abs() < 1e-9);
        for n in 0..3 {
            assert_eq!(g.out.of(n).len(), 1, "a one-way loop leaves each node by one arc");
            assert_eq!(g.into.of(n).len(), 1);
        }
    }

    #[test]
    fn the_truck_profile_leaves_out_roads_closed_to_heavy_vehicles() {
        let mut closed = road(&[(0.0, 0.0), (100.0, 0.0)], Oneway::Both);
        closed.no_trucks = true;
        let s = RoadSettings { profile: Profile::Truck, ..RoadSettings::default() };
        let g = Graph::build(&[closed.clone()], &s);
        assert_eq!(g.links.len(), 0);
        assert_eq!(g.report.roads_closed_to_profile, 1);
        assert_eq!(Graph::build(&[closed], &RoadSettings::default()).links.len(), 1);
    }
}
