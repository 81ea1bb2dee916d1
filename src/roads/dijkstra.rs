//! One-to-all shortest routes on the reversed graph: from a park's joining point back to every
//! node within the bound, so one search gives every factory's route to that park.
//!
//! The search minimises the primary weight (metres, or seconds for `metric = "minutes"`) and
//! carries the other along its route. It stops at `bound_m` of road: with the km metric the
//! primary itself, with minutes the length carried (routes longer than the bound are not
//! followed, so the fastest route is the fastest among those within it). Ties are broken by
//! node id, so the routes found are the same run after run.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::graph::Graph;
use crate::scenario::Metric;

/// A start of the search: node, and the road metres and seconds already on the way.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Source {
    pub node: u32,
    pub length_m: f64,
    pub seconds: f64,
}

/// Reusable search state (one per thread): arrays over the nodes, reset only where touched.
pub struct Search {
    pub weight: Vec<f64>,
    pub length_m: Vec<f64>,
    pub seconds: Vec<f64>,
    /// The link toward the park on the best route, `u32::MAX` at a source or unreached.
    pub via: Vec<u32>,
    touched: Vec<u32>,
    heap: BinaryHeap<Reverse<(u64, u32)>>,
}

impl Search {
    pub fn new(nodes: usize) -> Search {
        Search {
            weight: vec![f64::INFINITY; nodes],
            length_m: vec![f64::INFINITY; nodes],
            seconds: vec![f64::INFINITY; nodes],
            via: vec![u32::MAX; nodes],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    fn reset(&mut self) {
        for &n in &self.touched {
            let i = n as usize;
            if let (Some(w), Some(l), Some(s), Some(v)) = (
                self.weight.get_mut(i),
                self.length_m.get_mut(i),
                self.seconds.get_mut(i),
                self.via.get_mut(i),
            ) {
                *w = f64::INFINITY;
                *l = f64::INFINITY;
                *s = f64::INFINITY;
                *v = u32::MAX;
            }
        }
        self.touched.clear();
        self.heap.clear();
    }

    /// Runs the search toward the sources' point; `settled` is called once per node reached,
    /// in order of primary weight, with (node, length_m, seconds).
    pub fn run(
        &mut self,
        graph: &Graph,
        sources: &[Source],
        metric: Metric,
        bound_m: f64,
        mut settled: impl FnMut(u32, f64, f64),
    ) {
        self.reset();
        let primary = |len: f64, secs: f64| match metric {
            Metric::Km => len,
            Metric::Minutes => secs,
        };
        for s in sources {
            if s.length_m <= bound_m {
                self.relax(s.node, primary(s.length_m, s.seconds), s.length_m, s.seconds, u32::MAX);
            }
        }
        while let Some(Reverse((bits, node))) = self.heap.pop() {
            let i = node as usize;
            let (Some(&w), Some(&len), Some(&secs)) =
                (self.weight.get(i), self.length_m.get(i), self.seconds.get(i))
            else {
                continue;
            };
            if f64::from_bits(bits) > w {
                continue;
            }
            settled(node, len, secs);
            for &(from, link) in graph.into.of(node) {
                let Some(l) = graph.link(link) else { continue };
                let next_len = len + l.length_m;
                if next_len > bound_m {
                    continue;
                }
                let next_secs = secs + l.seconds;
                self.relax(from, primary(next_len, next_secs), next_len, next_secs, link);
            }
        }
    }

    fn relax(&mut self, node: u32, weight: f64, length_m: f64, seconds: f64, via: u32) {
        let i = node as usize;
        let Some(w) = self.weight.get_mut(i) else { return };
        if weight < *w {
            if w.is_infinite() {
                self.touched.push(node);
            }
            *w = weight;
            if let Some(l) = self.length_m.get_mut(i) {
                *l = length_m;
            }
            if let Some(s) = self.seconds.get_mut(i) {
                *s = seconds;
            }
            if let Some(v) = self.via.get_mut(i) {
                *v = via;
            }
            // Non-negative floats order as their bits.
            self.heap.push(Reverse((weight.to_bits(), node)));
        }
    }
}
