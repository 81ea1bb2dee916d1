//! The cost of sending one factory to one park: a weighted sum of five terms.
//!
//! | term | raw measure | weight (`[scoring]`) |
//! |---|---|---|
//! | distance | straight-line km | `distance_per_km` |
//! | workforce | employees / 1000 × km (the commute the workforce inherits) | `workforce_per_1000_employee_km` |
//! | cluster | 1 when the park does not list the factory's sector in `sectors` | `cluster_mismatch` |
//! | class | 1 when a class I–II (most hazardous) factory goes to an eco or high-tech park | `class_mismatch` |
//! | waiting | years between `phasing.start_year` and the park's `ready_year` | `waiting_per_year` |
//!
//! Cluster fit is static on purpose: a park "has the sector" when its `sectors` list names it
//! (a park accepting every sector names none, so it has no declared cluster). Counting the
//! factories the plan itself sends there would make the cost depend on the solution and the
//! problem no longer a plain assignment with a proven bound.
//!
//! With `[scoring] ahp`, the AHP weights replace the five weights. The raw terms have different
//! units, so each is first divided by its mean over all eligible factory–park pairs of the run
//! (one average unit of every term then weighs its AHP weight), and the sum is multiplied by the
//! mean distance so that costs stay in kilometre-equivalents: cost = D̄ × Σ wₖ · rawₖ / meanₖ.
//! A term whose mean is 0 (never present) weighs nothing.

use serde::Serialize;

use crate::candidates::CostTerms;
use crate::model::{Factory, HazardClass, Park, ParkClass};
use crate::scenario::{AhpWeights, Scoring};

/// The unweighted measures behind a cost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct RawTerms {
    pub distance_km: f64,
    /// employees / 1000 × km.
    pub workforce_1000_employee_km: f64,
    /// 1 when the park does not list the factory's sector, else 0.
    pub cluster_mismatch: f64,
    /// 1 when the park's class does not suit the factory's hazard class, else 0.
    pub class_mismatch: f64,
    /// Years the factory waits for the park to be ready.
    pub waiting_years: f64,
}

impl RawTerms {
    /// `listed`: whether the park's `sectors` names the factory's sector.
    pub fn measure(
        factory: &Factory,
        park: &Park,
        listed: bool,
        distance_km: f64,
        start_year: i32,
    ) -> RawTerms {
        let employees = f64::from(factory.employees.unwrap_or(0));
        RawTerms {
            distance_km,
            workforce_1000_employee_km: employees / 1000.0 * distance_km,
            cluster_mismatch: if listed { 0.0 } else { 1.0 },
            class_mismatch: if class_mismatch(factory.hazard_class, park.class) {
                1.0
            } else {
                0.0
            },
            waiting_years: f64::from(park.ready_year.map_or(0, |y| (y - start_year).max(0))),
        }
    }

    fn as_array(&self) -> [f64; 5] {
        [
            self.distance_km,
            self.workforce_1000_employee_km,
            self.cluster_mismatch,
            self.class_mismatch,
            self.waiting_years,
        ]
    }
}

/// A class I or II factory (TCVN 4449 separation 500–1000 m) does not fit an eco or high-tech
/// park, even where the park's `max_hazard_class` tolerates it.
pub fn class_mismatch(hazard: Option<HazardClass>, class: ParkClass) -> bool {
    matches!(hazard, Some(HazardClass::I | HazardClass::II))
        && matches!(class, ParkClass::Eco | ParkClass::HighTech)
}

/// Weight per unit of each raw term.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CostModel {
    /// Indexed like `scenario::ahp::TERMS`: distance, workforce, cluster, class, waiting.
    pub per_unit: [f64; 5],
}

impl CostModel {
    /// The weights written in `[scoring]`.
    pub fn from_weights(s: &Scoring) -> CostModel {
        CostModel {
            per_unit: [
                s.distance_per_km,
                s.workforce_per_1000_employee_km,
                s.cluster_mismatch,
                s.class_mismatch,
                s.waiting_per_year,
            ],
        }
    }

    /// AHP weights mapped onto units through the means of the raw terms (see module docs).
    pub fn from_ahp(ahp: &AhpWeights, raw: &[RawTerms]) -> CostModel {
        let mut sums = [0.0; 5];
        for r in raw {
            for (s, v) in sums.iter_mut().zip(r.as_array()) {
                *s += v;
            }
        }
        let count = raw.len().max(1) as f64;
        let means = sums.map(|s| s / count);
        let scale = if means[0] > 0.0 { means[0] } else { 1.0 };
        let mut per_unit = [0.0; 5];
        for ((p, w), m) in per_unit.iter_mut().zip(ahp.weights).zip(means) {
            *p = if m > 0.0 { scale * w / m } else { 0.0 };
        }
        CostModel { per_unit }
    }

    pub fn terms(&self, raw: &RawTerms) -> CostTerms {
        let [d, w, c, k, y] = raw.as_array();
        let [pd, pw, pc, pk, py] = self.per_unit;
        CostTerms {
            distance: pd * d,
            workforce: pw * w,
            cluster: pc * c,
            class: pk * k,
            waiting: py * y,
        }
    }
}
