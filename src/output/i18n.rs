//! Words shown to people in maps, reports, legends and styles, in English and Vietnamese.
//! Field names and coded values (`must_relocate`, `C2`) stay as DESIGN.md writes them; these are
//! the labels that stand beside them.

use crate::cli::Lang;
use crate::criteria::{Criterion, Verdict};

/// The label of a verdict.
pub fn verdict(lang: Lang, v: Verdict) -> &'static str {
    match (lang, v) {
        (Lang::En, Verdict::MustRelocate) => "Must relocate",
        (Lang::En, Verdict::Encouraged) => "Encouraged to relocate",
        (Lang::En, Verdict::MayStay) => "May stay",
        (Lang::En, Verdict::OutOfScope) => "Out of scope",
        (Lang::Vi, Verdict::MustRelocate) => "Buộc phải di dời",
        (Lang::Vi, Verdict::Encouraged) => "Khuyến khích di dời",
        (Lang::Vi, Verdict::MayStay) => "Được ở lại",
        (Lang::Vi, Verdict::OutOfScope) => "Ngoài phạm vi",
    }
}

/// The label of a criterion, as the province published it (shortened).
pub fn criterion(lang: Lang, c: Criterion) -> &'static str {
    match (lang, c) {
        (Lang::En, Criterion::C1Construction) => "C1 Construction / urban planning law",
        (Lang::En, Criterion::C2Environment) => "C2 Environment, cannot remedy",
        (Lang::En, Criterion::C3FireSafety) => "C3 Fire safety, cannot remedy",
        (Lang::En, Criterion::C4LandUse) => "C4 Inconsistent with the land-use plan",
        (Lang::Vi, Criterion::C1Construction) => "TC1 Vi phạm Luật Xây dựng, Luật Đô thị",
        (Lang::Vi, Criterion::C2Environment) => "TC2 Không bảo đảm môi trường, không thể khắc phục",
        (Lang::Vi, Criterion::C3FireSafety) => "TC3 Không bảo đảm PCCC, không thể khắc phục",
        (Lang::Vi, Criterion::C4LandUse) => "TC4 Không phù hợp quy hoạch sử dụng đất",
    }
}

/// The label of a factory's status in the plan (`assigned`, `unassigned`, `stays`).
pub fn status(lang: Lang, status: &str) -> &'static str {
    match (lang, status) {
        (Lang::En, "assigned") => "Assigned to a park",
        (Lang::En, "unassigned") => "No park found",
        (Lang::En, "stays") => "Stays",
        (Lang::Vi, "assigned") => "Đã bố trí vào KCN/CCN",
        (Lang::Vi, "unassigned") => "Chưa bố trí được",
        (Lang::Vi, "stays") => "Ở lại",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verdict_has_a_label_in_both_languages() {
        for v in [Verdict::MustRelocate, Verdict::Encouraged, Verdict::MayStay, Verdict::OutOfScope] {
            assert!(!verdict(Lang::En, v).is_empty());
            assert!(!verdict(Lang::Vi, v).is_empty());
            assert_ne!(verdict(Lang::En, v), verdict(Lang::Vi, v));
        }
    }
}
