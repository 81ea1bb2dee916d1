//! A plan under construction and its value by rules 1–3.
//!
//! Every part edits plans through `State` only, so that the land per park and the members per
//! park (what the chains and the exchanges scan) always agree with the park of each factory.

use std::cmp::Ordering;

use super::{AssignmentProblem, CAPACITY_TOLERANCE_HA, IMPROVE_EPS, NONE};

/// A plan: the park of each item (`NONE` when unplaced), and per park its land taken and its
/// members (each item's position among them in `pos`, so that removing one is O(1)).
#[derive(Clone)]
pub(super) struct State<'p> {
    pub(super) p: &'p AssignmentProblem,
    pub(super) park_of: Vec<u32>,
    load: Vec<f64>,
    pub(super) members: Vec<Vec<u32>>,
    pos: Vec<u32>,
    /// While a tentative change is under way (`begin`), each item's park before every step,
    /// so that `roll_back` can undo it without a copy of the plan.
    journal: Option<Vec<(u32, u32)>>,
}

impl<'p> State<'p> {
    pub(super) fn new(p: &'p AssignmentProblem) -> Self {
        State {
            p,
            park_of: vec![NONE; p.items()],
            load: vec![0.0; p.parks()],
            members: vec![Vec::new(); p.parks()],
            pos: vec![0; p.items()],
            journal: None,
        }
    }

    /// Starts recording the steps of a tentative change.
    pub(super) fn begin(&mut self) {
        self.journal = Some(Vec::new());
    }

    /// Keeps the change recorded since `begin`.
    pub(super) fn commit(&mut self) {
        self.journal = None;
    }

    /// Undoes every step since `begin`, last first.
    pub(super) fn roll_back(&mut self) {
        let Some(steps) = self.journal.take() else { return };
        for &(i, was) in steps.iter().rev() {
            let i = i as usize;
            self.remove(i);
            if was != NONE {
                self.place(i, was as usize);
            }
        }
    }

    pub(super) fn at(&self, i: usize) -> Option<usize> {
        debug_assert!(i < self.park_of.len(), "item {i} of {}", self.park_of.len());
        self.park_of.get(i).copied().filter(|&j| j != NONE).map(|j| j as usize)
    }

    /// Land left in park `j`, ha; −∞ for a park out of range (nothing fits there), which only a
    /// solver bug can ask for.
    pub(super) fn room(&self, j: usize) -> f64 {
        debug_assert!(j < self.load.len(), "park {j} of {}", self.load.len());
        self.p.cap(j) - self.load.get(j).copied().unwrap_or(f64::INFINITY)
    }

    pub(super) fn fits(&self, j: usize, w: f64) -> bool {
        w <= self.room(j) + CAPACITY_TOLERANCE_HA
    }

    /// Places unplaced item `i` in park `j` (a bad index does nothing in release builds).
    pub(super) fn place(&mut self, i: usize, j: usize) {
        debug_assert!(j < self.load.len(), "park {j} of {}", self.load.len());
        debug_assert!(self.at(i).is_none(), "item {i} placed twice");
        if let Some(steps) = self.journal.as_mut() {
            steps.push((i as u32, NONE));
        }
        let w = self.p.w(i);
        if let (Some(slot), Some(load), Some(list), Some(pos)) = (
            self.park_of.get_mut(i),
            self.load.get_mut(j),
            self.members.get_mut(j),
            self.pos.get_mut(i),
        ) {
            *slot = j as u32;
            *load += w;
            *pos = list.len() as u32;
            list.push(i as u32);
        }
    }

    pub(super) fn remove(&mut self, i: usize) {
        let Some(j) = self.at(i) else { return };
        if let Some(steps) = self.journal.as_mut() {
            steps.push((i as u32, j as u32));
        }
        let w = self.p.w(i);
        let at = self.pos.get(i).copied().unwrap_or(0) as usize;
        if let Some(list) = self.members.get_mut(j) {
            debug_assert_eq!(
                list.get(at),
                Some(&(i as u32)),
                "item {i} not at its place in park {j}"
            );
            if at < list.len() {
                list.swap_remove(at);
                if let Some(&moved) = list.get(at) {
                    if let Some(p) = self.pos.get_mut(moved as usize) {
                        *p = at as u32;
                    }
                }
            }
        }
        if let Some(load) = self.load.get_mut(j) {
            *load -= w;
        }
        if let Some(slot) = self.park_of.get_mut(i) {
            *slot = NONE;
        }
    }

    pub(super) fn placed(&self) -> [usize; 2] {
        let mut n = [0, 0];
        for i in 0..self.p.items() {
            if self.at(i).is_some() {
                if let Some(c) = n.get_mut(self.p.tier_of(i).index()) {
                    *c += 1;
                }
            }
        }
        n
    }

    pub(super) fn cost(&self) -> f64 {
        (0..self.p.items()).filter_map(|i| self.at(i).and_then(|j| self.p.cost(i, j))).sum()
    }

    pub(super) fn score(&self) -> Score {
        Score::new(self.p, self.placed(), self.cost())
    }
}

/// Lexicographic value of a plan: unplaced must, unplaced encouraged, cost (lower is better).
#[derive(Clone, Copy, Debug)]
pub(super) struct Score {
    pub(super) unplaced: [usize; 2],
    pub(super) cost: f64,
}

impl Score {
    pub(super) fn new(p: &AssignmentProblem, placed: [usize; 2], cost: f64) -> Score {
        let total = tier_totals(p);
        Score {
            unplaced: [total[0] - placed[0].min(total[0]), total[1] - placed[1].min(total[1])],
            cost,
        }
    }

    pub(super) fn better_than(&self, other: &Score) -> bool {
        match self.unplaced.cmp(&other.unplaced) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => self.cost < other.cost - IMPROVE_EPS * (1.0 + other.cost.abs()),
        }
    }
}

fn tier_totals(p: &AssignmentProblem) -> [usize; 2] {
    let mut n = [0, 0];
    for i in 0..p.items() {
        if let Some(c) = n.get_mut(p.tier_of(i).index()) {
            *c += 1;
        }
    }
    n
}

pub(super) fn placeable_per_tier(p: &AssignmentProblem) -> [usize; 2] {
    let mut n = [0, 0];
    for i in 0..p.items() {
        if p.placeable(i) {
            if let Some(c) = n.get_mut(p.tier_of(i).index()) {
                *c += 1;
            }
        }
    }
    n
}
