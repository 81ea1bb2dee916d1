//! Phasing: the year each assigned factory moves.
//!
//! A factory moves in the earliest feasible year: not before `phasing.start_year`, not before
//! its park's `ready_year`, and (checked when parks are made candidates) not after the factory's
//! deadline. Moving as early as the park allows is what the relocation programme asks of firms
//! (the deadline is a limit, not a target), and it keeps the plan free of a second optimisation
//! whose result would be hard to explain; the yearly intake per park follows from the parks'
//! opening years and can be read from the `moves` layer.

use crate::candidates::Candidate;

/// The move year of a factory sent to this candidate park.
pub fn move_year(candidate: &Candidate) -> i32 {
    candidate.earliest_year
}

#[cfg(test)]
mod tests {
    use crate::candidates::candidates;
    use crate::criteria::Verdict;
    use crate::testkit::{assessment, factory, inputs, park, settings};

    #[test]
    fn factory_moves_when_its_park_opens_and_never_before_the_start_year() {
        let mut opens_2027 = park("P-2027", 5_000.0, 0.0, 10.0);
        opens_2027.ready_year = Some(2027);
        let mut open_already = park("P-2020", 0.0, 5_000.0, 10.0);
        open_already.ready_year = Some(2020);
        let inputs = inputs(
            vec![
                factory("F1", 4_000.0, 0.0, 1.0, "food"),
                factory("F2", 0.0, 4_000.0, 1.0, "food"),
            ],
            vec![opens_2027, open_already],
        );
        let a = assessment(&inputs, |_| (Verdict::MustRelocate, 2029));
        let mut s = settings();
        s.phasing.start_year = 2026;
        let c = candidates(&inputs, &a, &s).unwrap();
        let plan = crate::allocation::allocate(&inputs, &a, &c, &s);
        assert_eq!(plan.assignments[0].park, Some(0));
        assert_eq!(plan.assignments[0].move_year, Some(2027));
        assert_eq!(plan.assignments[1].park, Some(1));
        assert_eq!(plan.assignments[1].move_year, Some(2026));
    }

    #[test]
    fn park_opening_after_the_deadline_is_never_used() {
        let mut late = park("P-late", 1_000.0, 0.0, 10.0);
        late.ready_year = Some(2030);
        let inputs = inputs(vec![factory("F1", 0.0, 0.0, 1.0, "food")], vec![late]);
        let a = assessment(&inputs, |_| (Verdict::MustRelocate, 2028));
        let s = settings();
        let c = candidates(&inputs, &a, &s).unwrap();
        let plan = crate::allocation::allocate(&inputs, &a, &c, &s);
        assert_eq!(plan.assignments[0].park, None);
        assert!(plan.assignments[0].unassigned_reason.contains("not ready by its deadline 2028"));
    }
}
