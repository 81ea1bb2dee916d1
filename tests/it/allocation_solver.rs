//! The allocation solver against brute force on random small instances: same lexicographic
//! optimum (must_relocate placed, then encouraged placed, then cost), capacities respected,
//! priority respected, and the bound never above the true optimum.

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

use relocate::allocation::solver::{solve, AssignmentProblem, Budget, Tier};
use relocate::allocation::{allocate, allocate_with};
use relocate::candidates::candidates;
use relocate::criteria::Verdict;
use relocate::testkit::{assessment, factory, inputs, park, settings};

#[derive(Clone, Debug)]
struct Item {
    land_ha: f64,
    tier: Tier,
    options: Vec<(usize, f64)>,
}

#[derive(Clone, Debug)]
struct Instance {
    capacity: Vec<f64>,
    items: Vec<Item>,
}

impl Instance {
    fn problem(&self) -> AssignmentProblem {
        let mut p = AssignmentProblem::new(self.capacity.clone());
        for (r, it) in self.items.iter().enumerate() {
            p.push(it.land_ha, it.tier, r as u32, it.options.iter().copied());
        }
        p
    }
}

/// (unplaced must, unplaced encouraged, cost) of the best plan, by exhaustive search.
fn brute_force(inst: &Instance) -> (usize, usize, f64) {
    fn go(
        inst: &Instance,
        i: usize,
        load: &mut Vec<f64>,
        um: usize,
        ue: usize,
        cost: f64,
        best: &mut (usize, usize, f64),
    ) {
        let Some(item) = inst.items.get(i) else {
            let better =
                (um, ue) < (best.0, best.1) || ((um, ue) == (best.0, best.1) && cost < best.2);
            if better {
                *best = (um, ue, cost);
            }
            return;
        };
        for &(j, c) in &item.options {
            if load[j] + item.land_ha <= inst.capacity[j] + 1e-9 {
                load[j] += item.land_ha;
                go(inst, i + 1, load, um, ue, cost + c, best);
                load[j] -= item.land_ha;
            }
        }
        let (um, ue) = match item.tier {
            Tier::Must => (um + 1, ue),
            Tier::Encouraged => (um, ue + 1),
        };
        go(inst, i + 1, load, um, ue, cost, best);
    }
    let mut best = (usize::MAX, usize::MAX, f64::INFINITY);
    go(inst, 0, &mut vec![0.0; inst.capacity.len()], 0, 0, 0.0, &mut best);
    best
}

fn instance() -> impl Strategy<Value = Instance> {
    (1usize..=4, 1usize..=10).prop_flat_map(|(parks, items)| {
        // Half-hectare steps make exact fills (and ties) common, which is where solvers slip.
        let capacity = prop::collection::vec((0u32..=12).prop_map(|h| h as f64 * 0.5), parks);
        let item =
            (1u32..=8, any::<bool>(), prop::collection::vec((any::<bool>(), 0u32..=40), parks))
                .prop_map(|(half_ha, must, opts)| Item {
                    land_ha: half_ha as f64 * 0.5,
                    tier: if must { Tier::Must } else { Tier::Encouraged },
                    options: opts
                        .into_iter()
                        .enumerate()
                        .filter(|(_, (on, _))| *on)
                        .map(|(j, (_, c))| (j, c as f64 * 0.75))
                        .collect(),
                });
        (capacity, prop::collection::vec(item, items))
            .prop_map(|(capacity, items)| Instance { capacity, items })
    })
}

/// Up to 12 factories and 3 parks with land short: the parks offer at most half of the land
/// the factories need, so every plan leaves some out and the counts are what is at stake. Each
/// factory may use one or two parks (brute force stays at most 3^12 plans).
fn short_instance() -> impl Strategy<Value = Instance> {
    (1usize..=3, 4usize..=12).prop_flat_map(|(parks, items)| {
        let item = (1u32..=8, 0u32..4, 0usize..3, 0usize..3, 0u32..=40, 0u32..=40).prop_map(
            move |(half_ha, tier, a, b, ca, cb)| {
                let mut options = vec![(a % parks, ca as f64 * 0.75)];
                if b % parks != a % parks {
                    options.push((b % parks, cb as f64 * 0.75));
                }
                Item {
                    land_ha: half_ha as f64 * 0.5,
                    // Three must_relocate factories for one encouraged.
                    tier: if tier < 3 { Tier::Must } else { Tier::Encouraged },
                    options,
                }
            },
        );
        (prop::collection::vec(item, items), prop::collection::vec(1u32..=100, parks)).prop_map(
            |(items, shares)| {
                let need: f64 = items.iter().map(|it| it.land_ha).sum();
                let total: u32 = shares.iter().sum();
                // Half-hectare steps, at most half of the land needed in all.
                let capacity = shares
                    .iter()
                    .map(|&s| ((need * 0.5 * s as f64 / total as f64) / 0.5).floor() * 0.5)
                    .collect();
                Instance { capacity, items }
            },
        )
    })
}

fn check_feasible(inst: &Instance, park_of: &[Option<usize>]) -> (usize, usize, f64) {
    let mut load = vec![0.0; inst.capacity.len()];
    let (mut um, mut ue, mut cost) = (0, 0, 0.0);
    for (item, park) in inst.items.iter().zip(park_of) {
        match park {
            Some(j) => {
                let c = item.options.iter().find(|o| o.0 == *j).map(|o| o.1);
                assert!(c.is_some(), "item sent to a park it may not use");
                cost += c.unwrap_or(0.0);
                load[*j] += item.land_ha;
            }
            None if item.tier == Tier::Must => um += 1,
            None => ue += 1,
        }
    }
    for (l, c) in load.iter().zip(&inst.capacity) {
        assert!(*l <= c + 1e-9, "capacity exceeded: {l} > {c}");
    }
    (um, ue, cost)
}

proptest! {
    // Failing cases are kept in allocation_solver.proptest-regressions beside this file; by
    // default proptest would keep them in tests/proptest-regressions/allocation_solver.txt,
    // since tests/it/ holds a main.rs.
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn solver_matches_brute_force_on_small_instances(inst in instance()) {
        let best = brute_force(&inst);
        let s = solve(&inst.problem(), &Budget::default());
        let (um, ue, cost) = check_feasible(&inst, &s.park_of);
        prop_assert!(s.exact);
        prop_assert_eq!((um, ue), (best.0, best.1));
        prop_assert!((cost - best.2).abs() < 1e-6, "cost {} vs optimum {}", cost, best.2);
        prop_assert!((s.objective - cost).abs() < 1e-6);
        prop_assert!(s.lower_bound <= s.objective + 1e-9);
        prop_assert!(s.priority_proven);
    }

    #[test]
    fn placed_counts_and_cost_equal_brute_force_when_land_is_short(inst in short_instance()) {
        let best = brute_force(&inst);
        let placeable = |tier: Tier| {
            inst.items.iter().filter(|it| it.tier == tier && !it.options.is_empty()).count()
        };
        let (must, encouraged) = (placeable(Tier::Must), placeable(Tier::Encouraged));
        let optimum = [must - best.0, encouraged - best.1];
        // The whole solver (branch and bound included on instances this small): the optimum.
        let s = solve(&inst.problem(), &Budget::default());
        let (um, ue, cost) = check_feasible(&inst, &s.park_of);
        prop_assert_eq!((um, ue), (best.0, best.1));
        prop_assert!((cost - best.2).abs() < 1e-6, "cost {} vs optimum {}", cost, best.2);
        prop_assert_eq!(s.placed, optimum);
        prop_assert_eq!(s.placed_bound, optimum);
        prop_assert!(s.priority_proven);
        // The heuristic alone: its count bounds hold for every plan, and "proven" is true only
        // when its counts are the optimum's.
        let h = solve(&inst.problem(), &Budget { exact_max_items: 0, ..Budget::default() });
        let (hm, he, _) = check_feasible(&inst, &h.park_of);
        prop_assert_eq!(h.placed, [must - hm, encouraged - he]);
        prop_assert!(h.placed_bound[0] >= optimum[0], "must bound {:?} below the optimum {:?}", h.placed_bound, optimum);
        prop_assert!(h.placed_bound[0] >= h.placed[0]);
        if h.placed[0] == optimum[0] {
            prop_assert!(h.placed_bound[1] >= optimum[1], "encouraged bound {:?} below the optimum {:?}", h.placed_bound, optimum);
        }
        if h.priority_proven {
            prop_assert_eq!(h.placed, optimum);
        }
    }

    #[test]
    fn heuristic_bound_never_exceeds_the_optimum(inst in instance()) {
        // Without branch and bound: the plan is feasible, and when it reaches the optimal
        // counts, its Lagrangian bound must not exceed the true least cost.
        let best = brute_force(&inst);
        let s = solve(&inst.problem(), &Budget { exact_max_items: 0, ..Budget::default() });
        let (um, ue, cost) = check_feasible(&inst, &s.park_of);
        prop_assert!((um, ue) >= (best.0, best.1));
        prop_assert!(s.lower_bound <= s.objective + 1e-9);
        prop_assert!(s.lower_bound_same_counts <= s.lower_bound + 1e-9);
        if (um, ue) == (best.0, best.1) {
            prop_assert!(
                s.lower_bound_same_counts <= best.2 + 1e-9,
                "bound {} above optimum {}", s.lower_bound_same_counts, best.2
            );
            prop_assert!(cost + 1e-9 >= best.2);
        }
        // `lower_bound` covers plans placing the same factories: brute force over those.
        let same_set = Instance {
            capacity: inst.capacity.clone(),
            items: inst
                .items
                .iter()
                .zip(&s.park_of)
                .filter(|(_, p)| p.is_some())
                .map(|(it, _)| Item { tier: Tier::Must, ..it.clone() })
                .collect(),
        };
        let least = brute_force(&same_set);
        prop_assert_eq!(least.0, 0);
        prop_assert!(s.lower_bound <= least.2 + 1e-9, "bound {} above the set's optimum {}", s.lower_bound, least.2);
        if s.priority_proven {
            prop_assert_eq!((um, ue), (best.0, best.1));
        }
    }

    #[test]
    fn stage_allocation_matches_brute_force_over_its_candidates(
        factories in prop::collection::vec((0.0f64..30_000.0, 0.0f64..30_000.0, 1u32..=6, 0u32..3), 1..=8),
        parks in prop::collection::vec((0.0f64..30_000.0, 0.0f64..30_000.0, 0u32..=8), 1..=4),
    ) {
        let fs = factories
            .iter()
            .enumerate()
            .map(|(i, (x, y, half_ha, _))| factory(&format!("F{i}"), *x, *y, *half_ha as f64 * 0.5, "food"))
            .collect();
        let ps = parks
            .iter()
            .enumerate()
            .map(|(j, (x, y, ha))| park(&format!("P{j}"), *x, *y, *ha as f64))
            .collect();
        let inputs = inputs(fs, ps);
        let verdicts: Vec<Verdict> = factories
            .iter()
            .map(|f| [Verdict::MustRelocate, Verdict::Encouraged, Verdict::MayStay][f.3 as usize])
            .collect();
        let assessment = assessment(&inputs, |i| (verdicts[i], 2030));
        let s = settings();
        let c = candidates(&inputs, &assessment, &s).unwrap();
        let plan = allocate(&inputs, &assessment, &c, &s);
        // Rebuild the instance the stage solved, from its candidates.
        let inst = Instance {
            capacity: inputs.parks.iter().map(|p| p.available_ha).collect(),
            items: c.factories.iter().map(|fc| Item {
                land_ha: inputs.factories[fc.factory].land_ha,
                tier: if verdicts[fc.factory] == Verdict::MustRelocate { Tier::Must } else { Tier::Encouraged },
                options: fc.eligible.iter().map(|e| (e.park, e.cost)).collect(),
            }).collect(),
        };
        let best = brute_force(&inst);
        prop_assert_eq!(plan.assignments.len(), inst.items.len());
        let park_of: Vec<Option<usize>> = plan.assignments.iter().map(|a| a.park).collect();
        let (um, ue, cost) = check_feasible(&inst, &park_of);
        prop_assert_eq!((um, ue), (best.0, best.1));
        prop_assert!((cost - best.2).abs() < 1e-6);
        prop_assert!((plan.objective - best.2).abs() < 1e-6);
        for a in &plan.assignments {
            prop_assert_eq!(a.park.is_none(), !a.unassigned_reason.is_empty());
            prop_assert_eq!(a.park.is_some(), a.move_year.is_some());
        }
        let heuristic = allocate_with(&inputs, &assessment, &c, &s, &Budget { exact_max_items: 0, ..Budget::default() });
        prop_assert!(heuristic.lower_bound <= heuristic.objective + 1e-9);
    }
}
