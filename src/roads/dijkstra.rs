//! One-to-all shortest routes on the reversed graph: from a park's joining point back to every
//! node within the bound, so one search gives every factory's route to that park.
//!
//! 1. The sources (the ends of the park's link) are labelled with the road already driven.
//! 2. Nodes are settled in order of primary weight (metres, or seconds for `metric =
//!    "minutes"`), the other carried along the route; each settled node is handed to the caller.
//! 3. Arcs into a settled node are relaxed unless their route would pass `bound_m` of road:
//!    with the km metric the primary itself, with minutes the length carried (routes longer
//!    than the bound are not followed, so the fastest route is the fastest among those within
//!    it).
//!
//! Ties are broken by node id (the heap orders by weight, then node), so the routes found are
//! the same run after run. Each node's label (weight, the other measure, the next node) is one
//! 24-byte record, so a relaxation touches one cache line instead of four arrays; the queue is a 4-ary
//! heap, shallower than a binary one, popping in exactly the same order since no two of its
//! keys are equal.

use super::graph::Graph;
use crate::scenario::Metric;

/// A start of the search: node, and the road metres and seconds already on the way.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Source {
    pub node: u32,
    pub length_m: f64,
    pub seconds: f64,
}

/// What the search knows of one node: the primary weight of its best route (metres or
/// seconds), the other measure carried along it, and the next node toward the park.
#[derive(Clone, Copy, Debug)]
struct Label {
    weight: f64,
    other: f64,
    /// `u32::MAX` at a source or unreached.
    via: u32,
}

const UNREACHED: Label = Label { weight: f64::INFINITY, other: f64::INFINITY, via: u32::MAX };

/// Reusable search state (one per thread): labels over the nodes, reset only where touched.
pub struct Search {
    labels: Vec<Label>,
    touched: Vec<u32>,
    heap: QuadHeap,
}

impl Search {
    pub fn new(nodes: usize) -> Search {
        Search { labels: vec![UNREACHED; nodes], touched: Vec::new(), heap: QuadHeap::default() }
    }

    /// The primary weight of the best route from `node` found by the last run (infinite when
    /// not reached).
    pub fn weight(&self, node: u32) -> Option<f64> {
        self.labels.get(node as usize).map(|l| l.weight)
    }

    /// The best route from `node` found by the last run: (primary weight, length_m, seconds);
    /// `None` when not reached.
    pub fn reached(&self, node: u32, metric: Metric) -> Option<(f64, f64, f64)> {
        let l = self.labels.get(node as usize)?;
        if l.weight.is_infinite() {
            return None;
        }
        Some(match metric {
            Metric::Km => (l.weight, l.weight, l.other),
            Metric::Minutes => (l.weight, l.other, l.weight),
        })
    }

    /// The next node toward the park on the best route from `node`, `u32::MAX` at a source or
    /// when not reached.
    pub fn via(&self, node: u32) -> Option<u32> {
        self.labels.get(node as usize).map(|l| l.via)
    }

    fn reset(&mut self) {
        for &n in &self.touched {
            if let Some(l) = self.labels.get_mut(n as usize) {
                *l = UNREACHED;
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
        settled: impl FnMut(u32, f64, f64),
    ) {
        self.run_until(graph, sources, metric, bound_m, f64::INFINITY, settled);
    }

    /// `run`, stopped before settling a node whose primary weight passes `stop_at`. Every
    /// node of weight up to `stop_at` is settled with the label a whole run gives it (the
    /// run up to there is the same); a node whose label passes `stop_at` may not be final,
    /// but the whole run would give it more than `stop_at` too.
    pub fn run_until(
        &mut self,
        graph: &Graph,
        sources: &[Source],
        metric: Metric,
        bound_m: f64,
        stop_at: f64,
        mut settled: impl FnMut(u32, f64, f64),
    ) {
        self.reset();
        // (primary, other) from (length, seconds), and back.
        let split = |len: f64, secs: f64| match metric {
            Metric::Km => (len, secs),
            Metric::Minutes => (secs, len),
        };
        for s in sources {
            if s.length_m <= bound_m {
                let (weight, other) = split(s.length_m, s.seconds);
                self.relax(s.node, weight, other, u32::MAX);
            }
        }
        while let Some((bits, node)) = self.heap.pop() {
            let Some(&label) = self.labels.get(node as usize) else { continue };
            if f64::from_bits(bits) > label.weight {
                continue;
            }
            if label.weight > stop_at {
                break;
            }
            let (len, secs) = split(label.weight, label.other);
            settled(node, len, secs);
            for arc in graph.into.of(node) {
                let next_len = len + arc.length_m;
                if next_len > bound_m {
                    continue;
                }
                let (weight, other) = split(next_len, secs + arc.seconds);
                self.relax(arc.node, weight, other, node);
            }
        }
    }

    fn relax(&mut self, node: u32, weight: f64, other: f64, via: u32) {
        let Some(label) = self.labels.get_mut(node as usize) else { return };
        if weight < label.weight {
            if label.weight.is_infinite() {
                self.touched.push(node);
            }
            *label = Label { weight, other, via };
            // Non-negative floats order as their bits.
            self.heap.push(weight.to_bits(), node);
        }
    }
}

/// A min-heap of (weight bits, node) with four children per entry: half the depth of a binary
/// heap, and the four children of an entry share a cache line.
#[derive(Debug, Default)]
struct QuadHeap {
    items: Vec<(u64, u32)>,
}

impl QuadHeap {
    fn clear(&mut self) {
        self.items.clear();
    }

    fn push(&mut self, key: u64, node: u32) {
        let item = (key, node);
        let mut at = self.items.len();
        self.items.push(item);
        while at > 0 {
            let parent = (at - 1) / 4;
            let Some(&p) = self.items.get(parent) else { break };
            if p <= item {
                break;
            }
            if let Some(slot) = self.items.get_mut(at) {
                *slot = p;
            }
            at = parent;
        }
        if let Some(slot) = self.items.get_mut(at) {
            *slot = item;
        }
    }

    fn pop(&mut self) -> Option<(u64, u32)> {
        let last = self.items.pop()?;
        let Some(&top) = self.items.first() else { return Some(last) };
        let n = self.items.len();
        let mut at = 0;
        loop {
            let first = 4 * at + 1;
            if first >= n {
                break;
            }
            let end = (first + 4).min(n);
            let Some(children) = self.items.get(first..end) else { break };
            let mut best = first;
            let mut best_item = last;
            for (i, &c) in children.iter().enumerate() {
                if c < best_item {
                    best_item = c;
                    best = first + i;
                }
            }
            if best_item >= last {
                break;
            }
            if let Some(slot) = self.items.get_mut(at) {
                *slot = best_item;
            }
            at = best;
        }
        if let Some(slot) = self.items.get_mut(at) {
            *slot = last;
        }
        Some(top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    proptest! {
        #[test]
        fn the_quad_heap_pops_in_the_order_of_a_binary_heap(
            ops in prop::collection::vec((any::<bool>(), 0u64..50, 0u32..50), 1..300),
        ) {
            let mut quad = QuadHeap::default();
            let mut binary = BinaryHeap::new();
            for (push, key, node) in ops {
                if push {
                    quad.push(key, node);
                    binary.push(Reverse((key, node)));
                } else {
                    prop_assert_eq!(quad.pop(), binary.pop().map(|Reverse(x)| x));
                }
            }
            while let Some(Reverse(x)) = binary.pop() {
                prop_assert_eq!(quad.pop(), Some(x));
            }
            prop_assert_eq!(quad.pop(), None);
        }
    }
}
