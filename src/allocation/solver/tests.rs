//! `solve` as a whole on small cases whose answer is known by hand, and the builders the parts'
//! own tests share.

use super::state::State;
use super::{solve, AssignmentProblem, Budget, Tier};

/// (land_ha, tier, options as (park, cost)) of one item.
pub(super) type Spec<'a> = (f64, Tier, &'a [(usize, f64)]);

pub(super) fn problem(caps: &[f64], items: &[Spec]) -> AssignmentProblem {
    let mut p = AssignmentProblem::new(caps.to_vec());
    for (r, (w, t, o)) in items.iter().enumerate() {
        p.push(*w, *t, r as u32, o.iter().copied());
    }
    p
}

pub(super) fn state_with<'p>(p: &'p AssignmentProblem, placed: &[(usize, usize)]) -> State<'p> {
    let mut s = State::new(p);
    for &(i, j) in placed {
        s.place(i, j);
    }
    s
}

/// One trade from three must_relocate factories placed instead of two. Park 0 (3 ha) holds
/// factories 0 (1.6 ha, park 0 only) and 1 (1.4 ha, may go to park 1); park 1 (1.4 ha) holds
/// the encouraged factory 2 (`ONE_TRADE_PLACED`). Factories 3 and 4 (1.0 and 1.1 ha) may only
/// go to park 0. The most must_relocate factories: 1 to park 1, 3 and 4 in park 0, 0 and the
/// encouraged one out (rule 1 before rule 2).
pub(super) fn one_trade_short() -> AssignmentProblem {
    problem(
        &[3.0, 1.4],
        &[
            (1.6, Tier::Must, &[(0, 0.0)]),
            (1.4, Tier::Must, &[(0, 0.0), (1, 0.0)]),
            (1.4, Tier::Encouraged, &[(1, 0.0)]),
            (1.0, Tier::Must, &[(0, 0.0)]),
            (1.1, Tier::Must, &[(0, 0.0)]),
        ],
    )
}

/// The plan of `one_trade_short` before the trade: (factory, park).
pub(super) const ONE_TRADE_PLACED: [(usize, usize); 3] = [(0, 0), (1, 0), (2, 1)];

#[test]
fn park_at_capacity_rejects_next_factory() {
    let p = problem(&[2.0], &[(1.5, Tier::Must, &[(0, 1.0)]), (1.0, Tier::Must, &[(0, 1.0)])]);
    let s = solve(&p, &Budget::default());
    assert_eq!(s.placed, [1, 0]);
    assert!(s.exact);
}

#[test]
fn must_relocate_factory_displaces_a_cheaper_encouraged_one() {
    let p =
        problem(&[1.0], &[(1.0, Tier::Encouraged, &[(0, 0.0)]), (1.0, Tier::Must, &[(0, 50.0)])]);
    let s = solve(&p, &Budget::default());
    assert_eq!(s.park_of, vec![None, Some(0)]);
    assert_eq!(s.objective, 50.0);
}

#[test]
fn two_small_factories_beat_one_large_one() {
    let p = problem(
        &[2.0],
        &[
            (2.0, Tier::Must, &[(0, 0.0)]),
            (1.0, Tier::Must, &[(0, 9.0)]),
            (1.0, Tier::Must, &[(0, 9.0)]),
        ],
    );
    let s = solve(&p, &Budget::default());
    assert_eq!(s.placed, [2, 0]);
    assert_eq!(s.park_of[0], None);
}

#[test]
fn bound_never_exceeds_objective_and_closes_when_capacity_is_loose() {
    let p = problem(
        &[10.0, 10.0],
        &[(1.0, Tier::Must, &[(0, 3.0), (1, 5.0)]), (2.0, Tier::Encouraged, &[(1, 1.0), (0, 4.0)])],
    );
    let s = solve(&p, &Budget { exact_max_items: 0, ..Budget::default() });
    assert_eq!(s.objective, 4.0);
    assert!(s.lower_bound <= s.objective);
    assert!(s.gap < 1e-6, "{s:?}");
}

#[test]
fn prices_make_the_bound_tight_when_a_cheap_park_is_contested() {
    // Both want park 0 (room for one); the second-best costs differ, so the one with the
    // larger regret should get it: optimum = 1 + 5 = 6.
    let p = problem(
        &[1.0, 5.0],
        &[(1.0, Tier::Must, &[(0, 1.0), (1, 10.0)]), (1.0, Tier::Must, &[(0, 1.0), (1, 5.0)])],
    );
    let s = solve(&p, &Budget { exact_max_items: 0, ..Budget::default() });
    assert_eq!(s.objective, 6.0);
    assert!((s.lower_bound - 6.0).abs() < 1e-6, "{s:?}");
}

#[test]
fn greedy_one_short_of_the_optimum_is_solved_to_the_optimum() {
    // Two parks of 3 ha. The two 1.5 ha factories prefer different parks, so the greedy puts
    // one in each and then neither 2 ha factory fits anywhere: 2 placed. The optimum puts the
    // two small ones together and a large one in the other park: 3 placed.
    let p = problem(
        &[3.0, 3.0],
        &[
            (1.5, Tier::Must, &[(0, 1.0), (1, 2.0)]),
            (1.5, Tier::Must, &[(0, 2.0), (1, 1.0)]),
            (2.0, Tier::Must, &[(0, 1.0), (1, 1.0)]),
            (2.0, Tier::Must, &[(0, 1.0), (1, 1.0)]),
        ],
    );
    let zero = vec![0.0; 2];
    let mut greedy = State::new(&p);
    super::construct::greedy_only(&mut greedy, &zero);
    assert_eq!(greedy.placed(), [2, 0], "the instance must trip the plain greedy");
    let exact = solve(&p, &Budget::default());
    assert!(exact.exact);
    assert_eq!(exact.placed, [3, 0]);
    // Without branch and bound the heuristic reaches it too, and the count bound proves it.
    let heuristic = solve(&p, &Budget { exact_max_items: 0, ..Budget::default() });
    assert_eq!(heuristic.placed, [3, 0]);
    assert_eq!(heuristic.placed_bound, [3, 0]);
    assert!(heuristic.priority_proven);
}
