//! `relocate explain FACTORY_ID`: why a factory must move, where it goes, the runner-up parks
//! and why other parks were ruled out.
//!
//! 1. Find the factory by id (compared as text, as ids are everywhere).
//! 2. Verdict and each criterion's finding, basis and evidence, from the assessment.
//! 3. The chosen park: distance, each cost term, move year — or why no park was found.
//! 4. Runner-up parks (the other eligible candidates, cheapest first) with their cost and why
//!    the plan did not use them; parks ruled out with the reason.
//!
//! With a road network, each park shown gives both distances: by road (to the road, along it,
//! to the park, and the minutes) and in a straight line.
//!
//! English or Vietnamese per `--lang`.

use std::fmt::Write;

use crate::allocation::Assignment;
use crate::candidates::Candidate;
use crate::criteria::{Finding, Verdict};
use crate::error::{Error, Result};
use crate::model::Lang;
use crate::output::alternatives;
use crate::output::i18n;
use crate::pipeline::Plan;

/// The explanation as text, in the run's language.
pub fn explain(plan: &Plan, factory_id: &str) -> Result<String> {
    let inputs = &plan.assessed.loaded.inputs;
    let lang = plan.assessed.loaded.settings.lang;
    let w = Words::of(lang);
    let wanted = factory_id.trim();
    let (index, factory) =
        inputs.factories.iter().enumerate().find(|(_, f)| f.id == wanted).ok_or_else(|| {
            Error::Usage(format!("no factory with id {wanted:?} in the factories layer"))
        })?;
    let assessment = plan.assessed.assessment.factories.iter().find(|a| a.factory == index);

    let mut out = String::new();
    let _ = writeln!(out, "{} {} — {}", w.factory, factory.id, factory.name);
    let mut facts = vec![
        format!("{}: {}", w.sector, factory.sector),
        format!("{}: {} ha", w.land, factory.land_ha),
    ];
    if let Some(e) = factory.employees {
        facts.push(format!("{}: {e}", w.employees));
    }
    if let Some(d) =
        assessment.and_then(|a| a.district.clone()).or_else(|| factory.district.clone())
    {
        facts.push(format!("{}: {d}", w.district));
    }
    if let Some(h) = factory.hazard_class {
        facts.push(format!("{}: {h}", w.hazard));
    }
    let _ = writeln!(out, "  {}", facts.join(" · "));

    let Some(a) = assessment else {
        let _ = writeln!(out, "{}", w.not_assessed);
        return Ok(out);
    };
    let codes = a.criteria_codes();
    let _ = writeln!(
        out,
        "\n{}: {}{}",
        w.verdict,
        i18n::verdict(lang, a.verdict),
        if codes.is_empty() { String::new() } else { format!(" ({codes})") }
    );
    if a.verdict.relocates() {
        let _ = writeln!(out, "  {}: {}", w.deadline, a.deadline_year);
    }
    for r in &a.results {
        let finding = match (lang, r.finding) {
            (Lang::En, Finding::Met) => "met",
            (Lang::En, Finding::NotMet) => "not met",
            (Lang::En, Finding::Unknown) => "unknown",
            (Lang::En, Finding::Off) => "switched off",
            (Lang::Vi, Finding::Met) => "có",
            (Lang::Vi, Finding::NotMet) => "không",
            (Lang::Vi, Finding::Unknown) => "chưa rõ",
            (Lang::Vi, Finding::Off) => "không áp dụng",
        };
        let basis = if r.finding == Finding::Met {
            format!(" [{}]", r.basis.as_str())
        } else {
            String::new()
        };
        let evidence =
            if r.evidence.is_empty() { String::new() } else { format!(" — {}", r.evidence) };
        let _ =
            writeln!(out, "  {}: {finding}{basis}{evidence}", i18n::criterion(lang, r.criterion));
    }
    if !a.note.is_empty() {
        let _ = writeln!(out, "  {}", a.note);
    }
    if !a.verdict.relocates() {
        let _ = writeln!(
            out,
            "\n{}",
            if a.verdict == Verdict::OutOfScope { w.out_of_scope } else { w.stays }
        );
        return Ok(out);
    }

    let assignment: Option<&Assignment> =
        plan.allocation.assignments.iter().find(|s| s.factory == index);
    let fc = plan.candidates.of_factory(index);
    let park_name = |p: usize| {
        inputs.parks.get(p).map_or_else(String::new, |p| format!("{} ({})", p.name, p.id))
    };
    let chosen = assignment.and_then(|s| s.park);
    let chosen_cost =
        chosen.and_then(|p| fc.and_then(|fc| fc.eligible.iter().find(|c| c.park == p)));
    let _ = writeln!(out);
    match (chosen, chosen_cost) {
        (Some(p), Some(c)) => {
            let _ = writeln!(out, "{}: {}", w.destination, park_name(p));
            let _ = writeln!(out, "  {}", alternatives::cost_line(lang, c));
            if let Some(line) = distances_line(plan, factory, c) {
                let _ = writeln!(out, "  {line}");
            }
            if let Some(y) = assignment.and_then(|s| s.move_year) {
                let _ = writeln!(out, "  {}: {y}", w.move_year);
            }
        }
        _ => {
            let reason = assignment.map(|s| s.unassigned_reason.as_str()).unwrap_or("");
            let _ = writeln!(out, "{}: {reason}", w.no_park);
        }
    }

    let alt = alternatives::alternatives(plan, index, chosen);
    if !alt.runners_up.is_empty() {
        let _ = writeln!(out, "\n{}:", w.runners_up);
        for a in &alt.runners_up {
            let _ = writeln!(out, "  {} — {}; {}", park_name(a.park), a.cost, a.why);
            let candidate = fc.and_then(|fc| fc.eligible.iter().find(|c| c.park == a.park));
            if let Some(line) = candidate.and_then(|c| distances_line(plan, factory, c)) {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    if !alt.ruled_out.is_empty() {
        let _ = writeln!(out, "\n{}:", w.ruled_out);
        for a in &alt.ruled_out {
            let _ = writeln!(out, "  {}: {}", park_name(a.park), a.why);
        }
    }
    Ok(out)
}

/// "by road 23.412 km (entry 120 m + 23.081 km of road + exit 211 m, 41.2 min); straight line
/// 15.820 km" — only when the plan has a road network.
fn distances_line(plan: &Plan, factory: &crate::model::Factory, c: &Candidate) -> Option<String> {
    use geo::{Distance, Euclidean};
    let roads = plan.candidates.roads.as_deref()?;
    let lang = plan.assessed.loaded.settings.lang;
    let park = plan.assessed.loaded.inputs.parks.get(c.park)?;
    let straight_km = crate::units::km_from_m(Euclidean.distance(&park.area, &factory.location));
    Some(match (lang, c.road) {
        (Lang::En, Some(r)) => format!(
            "by road {:.3} km (entry {:.0} m + {:.3} km of road + exit {:.0} m, {:.1} min); straight line {straight_km:.3} km",
            r.total_km(),
            r.entry_m,
            crate::units::km_from_m(r.network_m),
            r.exit_m,
            r.minutes
        ),
        (Lang::Vi, Some(r)) => format!(
            "đường bộ {:.3} km (vào đường {:.0} m + {:.3} km đường + ra {:.0} m, {:.1} phút); đường chim bay {straight_km:.3} km",
            r.total_km(),
            r.entry_m,
            crate::units::km_from_m(r.network_m),
            r.exit_m,
            r.minutes
        ),
        (Lang::En, None) => format!(
            "no road route measured (farther than {} m from the roads, or beyond the nearest by road); straight line {straight_km:.3} km",
            roads.network.settings.max_snap_m
        ),
        (Lang::Vi, None) => format!(
            "không đo được tuyến đường bộ (xa đường hơn {} m, hoặc ngoài các điểm gần nhất theo đường bộ); đường chim bay {straight_km:.3} km",
            roads.network.settings.max_snap_m
        ),
    })
}

struct Words {
    factory: &'static str,
    sector: &'static str,
    land: &'static str,
    employees: &'static str,
    district: &'static str,
    hazard: &'static str,
    verdict: &'static str,
    deadline: &'static str,
    not_assessed: &'static str,
    out_of_scope: &'static str,
    stays: &'static str,
    destination: &'static str,
    move_year: &'static str,
    no_park: &'static str,
    runners_up: &'static str,
    ruled_out: &'static str,
}

impl Words {
    fn of(lang: Lang) -> Words {
        match lang {
            Lang::En => Words {
                factory: "Factory",
                sector: "sector",
                land: "land needed",
                employees: "employees",
                district: "district",
                hazard: "hazard class",
                verdict: "Verdict",
                deadline: "must have moved by",
                not_assessed: "Not assessed.",
                out_of_scope: "Out of scope: no park is sought.",
                stays: "No criterion is met: it may stay, no park is sought.",
                destination: "Destination",
                move_year: "move in",
                no_park: "No park",
                runners_up: "Runner-up parks",
                ruled_out: "Parks ruled out",
            },
            Lang::Vi => Words {
                factory: "Cơ sở",
                sector: "ngành",
                land: "diện tích cần",
                employees: "lao động",
                district: "địa bàn",
                hazard: "cấp nguy hại",
                verdict: "Kết luận",
                deadline: "phải di dời trước",
                not_assessed: "Chưa được đánh giá.",
                out_of_scope: "Ngoài phạm vi: không bố trí KCN/CCN.",
                stays: "Không thuộc tiêu chí nào: được ở lại, không bố trí KCN/CCN.",
                destination: "Nơi tiếp nhận",
                move_year: "năm di dời",
                no_park: "Chưa bố trí được",
                runners_up: "Các KCN/CCN thay thế",
                ruled_out: "Các KCN/CCN bị loại",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::allocate;
    use crate::candidates::candidates;
    use crate::criteria::{Basis, Criterion, CriterionResult};
    use crate::pipeline::{Assessed, Loaded, Timings};
    use crate::testkit::{assessment, factory, inputs, park, settings};

    /// Two factories compete for a near park with room for one; a far park and a park that
    /// refuses the sector complete the picture.
    fn plan(lang: Lang) -> Plan {
        let mut refuses = park("P-refuse", 2_000.0, 0.0, 10.0);
        refuses.excluded_sectors = vec!["ceramics".into()];
        let inputs = inputs(
            vec![
                factory("F1", 0.0, 0.0, 2.0, "ceramics"),
                factory("F2", 100.0, 0.0, 2.0, "ceramics"),
            ],
            vec![park("P-near", 5_000.0, 0.0, 2.0), park("P-far", 20_000.0, 0.0, 10.0), refuses],
        );
        let mut a = assessment(&inputs, |_| (Verdict::MustRelocate, 2029));
        a.factories[0].results = vec![CriterionResult {
            criterion: Criterion::C2Environment,
            finding: Finding::Met,
            basis: Basis::Screening,
            evidence: "school 120 m away, class III needs 300 m".into(),
            disagreement: false,
        }];
        let mut s = settings();
        s.lang = lang;
        let c = candidates(&inputs, &a, &s).unwrap();
        let allocation = allocate(&inputs, &a, &c, &s);
        Plan {
            assessed: Assessed {
                loaded: Loaded {
                    settings: s,
                    inputs,
                    skipped: Vec::new(),
                    timings: Timings::default(),
                },
                assessment: a,
            },
            candidates: c,
            allocation,
        }
    }

    #[test]
    fn explanation_gives_evidence_destination_runner_up_and_ruled_out_parks() {
        let p = plan(Lang::En);
        let text = explain(&p, "F1").unwrap();
        assert!(text.contains("Verdict: Must relocate (C2)"), "{text}");
        assert!(text.contains("school 120 m away"), "{text}");
        assert!(text.contains("[screening]"), "{text}");
        assert!(text.contains("Runner-up parks"), "{text}");
        assert!(
            text.contains("Park P-refuse (P-refuse): does not accept the ceramics sector"),
            "{text}"
        );
        assert!(text.contains("move in: 2025"), "{text}");
        // One of the two went to the far park: its near park is a runner-up taken by the other.
        let other = explain(&p, "F2").unwrap();
        let both = format!("{text}{other}");
        assert!(both.contains("Destination: Park P-far"), "{both}");
        assert!(both.contains("its land went to factories that gain more there"), "{both}");
    }

    #[test]
    fn explanation_speaks_vietnamese_when_asked() {
        let text = explain(&plan(Lang::Vi), "F1").unwrap();
        assert!(text.contains("Kết luận: Buộc phải di dời"), "{text}");
        assert!(text.contains("không tiếp nhận ngành ceramics"), "{text}");
    }

    #[test]
    fn unknown_factory_id_is_a_usage_error_naming_it() {
        let err = explain(&plan(Lang::En), "F-404").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("\"F-404\""));
    }
}
