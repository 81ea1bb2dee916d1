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

/// The title of an output layer (`factories`, `parks`, `moves`, `districts`, `zoning`) in
/// legends and the QGIS layer tree.
pub fn layer_title(lang: Lang, layer: &str) -> &'static str {
    match (lang, layer) {
        (Lang::En, "factories") => "Factories",
        (Lang::En, "parks") => "Industrial parks (land filled)",
        (Lang::En, "moves") => "Moves",
        (Lang::En, "districts") => "Districts",
        (Lang::En, "zoning") => "Land-use plan",
        (Lang::Vi, "factories") => "Cơ sở sản xuất",
        (Lang::Vi, "parks") => "KCN/CCN (tỷ lệ lấp đầy)",
        (Lang::Vi, "moves") => "Di dời",
        (Lang::Vi, "districts") => "Địa bàn",
        (Lang::Vi, "zoning") => "Quy hoạch sử dụng đất",
        _ => "",
    }
}

/// The label of a planned land use (C4).
pub fn planned_use(lang: Lang, u: crate::model::PlannedUse) -> &'static str {
    use crate::model::PlannedUse as U;
    match (lang, u) {
        (Lang::En, U::Industrial) => "Industrial",
        (Lang::En, U::Residential) => "Residential",
        (Lang::En, U::Commercial) => "Commercial",
        (Lang::En, U::Mixed) => "Mixed use",
        (Lang::En, U::Public) => "Public facilities",
        (Lang::En, U::Green) => "Green space",
        (Lang::En, U::Agricultural) => "Agricultural",
        (Lang::En, U::Infrastructure) => "Infrastructure",
        (Lang::En, U::Other) => "Other",
        (Lang::Vi, U::Industrial) => "Đất công nghiệp",
        (Lang::Vi, U::Residential) => "Đất ở",
        (Lang::Vi, U::Commercial) => "Đất thương mại, dịch vụ",
        (Lang::Vi, U::Mixed) => "Đất hỗn hợp",
        (Lang::Vi, U::Public) => "Đất công cộng",
        (Lang::Vi, U::Green) => "Đất cây xanh",
        (Lang::Vi, U::Agricultural) => "Đất nông nghiệp",
        (Lang::Vi, U::Infrastructure) => "Đất hạ tầng kỹ thuật",
        (Lang::Vi, U::Other) => "Đất khác",
    }
}

/// The label of a district's role in the scenario (`origin`, `destination`, `other`).
pub fn area_role(lang: Lang, role: &str) -> &'static str {
    match (lang, role) {
        (Lang::En, "origin") => "Origin (factories leave)",
        (Lang::En, "destination") => "Destination (parks receive)",
        (Lang::En, "other") => "Other",
        (Lang::Vi, "origin") => "Địa bàn di dời đi",
        (Lang::Vi, "destination") => "Địa bàn tiếp nhận",
        (Lang::Vi, "other") => "Khác",
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
