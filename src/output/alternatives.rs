//! The parks a factory did not go to and why, in the run's language: the runner-up parks
//! (eligible, cheapest first) with their cost and the reason the plan did not use them, and the
//! parks ruled out with the reason. `relocate explain` prints them; the report's map shows them.

use crate::candidates::{Candidate, Exclusion};
use crate::model::Lang;
use crate::pipeline::Plan;

/// A park the factory did not go to, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Alternative {
    /// Index into `Inputs::parks`.
    pub park: usize,
    /// Distance and each cost term (empty for a park ruled out).
    pub cost: String,
    pub why: String,
}

/// The runner-up parks (eligible, cheapest first) and the parks ruled out, each with the reason,
/// in the run's language: what `relocate explain` prints, for the report's map to show too.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Alternatives {
    pub runners_up: Vec<Alternative>,
    pub ruled_out: Vec<Alternative>,
}

/// The alternatives of factory `index` (into `Inputs::factories`), which went to `chosen`.
pub fn alternatives(plan: &Plan, index: usize, chosen: Option<usize>) -> Alternatives {
    let inputs = &plan.assessed.loaded.inputs;
    let lang = plan.assessed.loaded.settings.lang;
    let w = Words::of(lang);
    let (Some(factory), Some(fc)) =
        (inputs.factories.get(index), plan.candidates.of_factory(index))
    else {
        return Alternatives::default();
    };
    let chosen_cost = chosen.and_then(|p| fc.eligible.iter().find(|c| c.park == p));
    let runners_up = fc
        .eligible
        .iter()
        .filter(|c| Some(c.park) != chosen)
        .map(|c| {
            let left = inputs
                .parks
                .get(c.park)
                .map(|p| {
                    p.available_ha
                        - plan.allocation.allocated_ha.get(c.park).copied().unwrap_or(0.0)
                })
                .unwrap_or(0.0);
            let why = match chosen_cost {
                Some(best) if c.cost > best.cost => {
                    format!("{} {:.3}", w.costs_more, c.cost - best.cost)
                }
                _ if left + 1e-9 < factory.land_ha => {
                    format!("{} ({:.2} ha {})", w.land_taken, left.max(0.0), w.left)
                }
                Some(_) => w.equal_cost.to_string(),
                None => w.land_taken.to_string(),
            };
            Alternative { park: c.park, cost: cost_line(lang, c), why }
        })
        .collect();
    let ruled_out = fc
        .excluded
        .iter()
        .map(|(p, why)| Alternative {
            park: *p,
            cost: String::new(),
            why: exclusion_text(lang, why, factory),
        })
        .collect();
    Alternatives { runners_up, ruled_out }
}

fn exclusion_text(lang: Lang, why: &Exclusion, factory: &crate::model::Factory) -> String {
    match (lang, why) {
        (Lang::En, Exclusion::Full { available_ha }) => {
            format!("only {available_ha} ha offered, it needs {} ha", factory.land_ha)
        }
        (Lang::Vi, Exclusion::Full { available_ha }) => {
            format!("chỉ còn {available_ha} ha, cơ sở cần {} ha", factory.land_ha)
        }
        (Lang::En, Exclusion::Sector) => format!("does not accept the {} sector", factory.sector),
        (Lang::Vi, Exclusion::Sector) => format!("không tiếp nhận ngành {}", factory.sector),
        (Lang::En, Exclusion::HazardClass) => "does not accept its hazard class".to_string(),
        (Lang::Vi, Exclusion::HazardClass) => "không tiếp nhận cấp nguy hại của cơ sở".to_string(),
        (Lang::En, Exclusion::NotReady { ready_year, deadline_year }) => {
            format!("ready in {ready_year}, after the deadline {deadline_year}")
        }
        (Lang::Vi, Exclusion::NotReady { ready_year, deadline_year }) => {
            format!("sẵn sàng năm {ready_year}, sau thời hạn {deadline_year}")
        }
        (Lang::En, Exclusion::TooFar { distance_km }) => {
            format!("{distance_km:.1} km away, beyond the limit")
        }
        (Lang::Vi, Exclusion::TooFar { distance_km }) => {
            format!("cách {distance_km:.1} km, vượt giới hạn")
        }
        (Lang::En, Exclusion::NotAmongNearest) => {
            "eligible, but farther than the nearest candidates kept".to_string()
        }
        (Lang::Vi, Exclusion::NotAmongNearest) => {
            "phù hợp nhưng xa hơn các KCN/CCN gần nhất được xét".to_string()
        }
        (Lang::En, Exclusion::NoRoadRoute) => {
            "eligible, but no road route within the limit".to_string()
        }
        (Lang::Vi, Exclusion::NoRoadRoute) => {
            "phù hợp nhưng không có tuyến đường bộ trong giới hạn".to_string()
        }
    }
}

/// Distance and each cost term of a candidate park, as `explain` writes them.
pub fn cost_line(lang: Lang, c: &Candidate) -> String {
    let w = Words::of(lang);
    let t = &c.terms;
    format!(
        "{} {:.3} km, {} {:.3} = {} {:.3} + {} {:.3} + {} {:.3} + {} {:.3} + {} {:.3}",
        w.distance,
        c.distance_km,
        w.cost,
        c.cost,
        w.distance,
        t.distance,
        w.workforce,
        t.workforce,
        w.cluster,
        t.cluster,
        w.class,
        t.class,
        w.waiting,
        t.waiting
    )
}

struct Words {
    costs_more: &'static str,
    land_taken: &'static str,
    left: &'static str,
    equal_cost: &'static str,
    distance: &'static str,
    cost: &'static str,
    workforce: &'static str,
    cluster: &'static str,
    class: &'static str,
    waiting: &'static str,
}

impl Words {
    fn of(lang: Lang) -> Words {
        match lang {
            Lang::En => Words {
                costs_more: "costs more than the chosen park by",
                land_taken: "its land went to factories that gain more there",
                left: "left",
                equal_cost: "costs the same; the chosen park wins the tie",
                distance: "distance",
                cost: "cost",
                workforce: "workforce",
                cluster: "cluster",
                class: "class",
                waiting: "waiting",
            },
            Lang::Vi => Words {
                costs_more: "chi phí cao hơn nơi được chọn",
                land_taken: "quỹ đất đã dành cho cơ sở được lợi nhiều hơn",
                left: "còn lại",
                equal_cost: "chi phí bằng nhau; nơi được chọn thắng khi hòa",
                distance: "khoảng cách",
                cost: "chi phí",
                workforce: "lao động",
                cluster: "cụm ngành",
                class: "loại KCN",
                waiting: "chờ đợi",
            },
        }
    }
}
