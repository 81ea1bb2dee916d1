//! Evidence wording, in English and Vietnamese. Every phrase a person reads in the `evidence`
//! field or the note comes from here, so both languages say the same thing and the criterion
//! modules stay free of wording.
//!
//! Distances are whole metres, rounded *down*: a shown distance must never reach the limit it is
//! said to breach ("499.6 m" is written "499 m", not "500 m … needs 500 m").

use crate::model::Lang;
use crate::model::{FireRisk, HazardClass, PlannedUse};

/// A distance in whole metres, rounded down (see the module note).
pub fn metres(distance_m: f64) -> String {
    // Integer formatting: float formatting with a precision takes a slow exact path, and this
    // runs for every factory. Distances here are far below i64's range.
    format!("{} m", distance_m.max(0.0).floor() as i64)
}

/// A limit in whole metres (separation distances, corridor widths), rounded to nearest.
pub fn limit(distance_m: f64) -> String {
    format!("{} m", distance_m.round() as i64)
}

// ---------------------------------------------------------------------------------------------
// Vocabulary.

pub fn planned_use(lang: Lang, u: PlannedUse) -> &'static str {
    match lang {
        Lang::En => u.as_str(),
        Lang::Vi => match u {
            PlannedUse::Industrial => "đất công nghiệp",
            PlannedUse::Residential => "đất ở",
            PlannedUse::Commercial => "đất thương mại, dịch vụ",
            PlannedUse::Mixed => "đất hỗn hợp",
            PlannedUse::Public => "đất công cộng",
            PlannedUse::Green => "đất cây xanh",
            PlannedUse::Agricultural => "đất nông nghiệp",
            PlannedUse::Infrastructure => "đất hạ tầng kỹ thuật",
            PlannedUse::Other => "đất khác",
        },
    }
}

/// A receptor's or corridor's `kind` in words; kinds outside the known ones are shown as given.
pub fn kind(lang: Lang, kind: &str) -> String {
    let k = kind.trim();
    match lang {
        Lang::En => k.replace('_', " "),
        Lang::Vi => match k.to_lowercase().as_str() {
            "residential" | "housing" => "khu dân cư".to_string(),
            "school" => "trường học".to_string(),
            "hospital" => "bệnh viện".to_string(),
            "road" => "đường bộ".to_string(),
            "river" => "sông".to_string(),
            "canal" => "kênh".to_string(),
            "power_line" | "power line" => "đường dây điện".to_string(),
            "railway" => "đường sắt".to_string(),
            _ => k.to_string(),
        },
    }
}

pub fn fire_risk(lang: Lang, r: FireRisk) -> &'static str {
    match (lang, r) {
        (Lang::En, _) => r.as_str(),
        (Lang::Vi, FireRisk::High) => "cao",
        (Lang::Vi, FireRisk::Medium) => "trung bình",
        (Lang::Vi, FireRisk::Low) => "thấp",
    }
}

// ---------------------------------------------------------------------------------------------
// Records.

/// No inspection record for the criterion: unknown, which is not a "no".
pub fn no_record(lang: Lang) -> String {
    match lang {
        Lang::En => "no inspection record (unknown, not a no)".into(),
        Lang::Vi => "chưa có hồ sơ kiểm tra (chưa rõ, không phải là không vi phạm)".into(),
    }
}

pub fn c1_record(lang: Lang, violation: bool) -> String {
    match (lang, violation) {
        (Lang::En, true) => {
            "record: violates the Construction Law or the Urban Planning Law".into()
        }
        (Lang::En, false) => "record: no construction or planning violation".into(),
        (Lang::Vi, true) => {
            "hồ sơ kiểm tra: vi phạm Luật Xây dựng hoặc Luật Quy hoạch đô thị".into()
        }
        (Lang::Vi, false) => "hồ sơ kiểm tra: không vi phạm về xây dựng, quy hoạch".into(),
    }
}

/// What an environment or fire record says, before the criterion is decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Remedy {
    /// A violation that cannot be remedied: the criterion holds on the record.
    Unremediable,
    /// A violation that can be remedied: the criterion does not hold.
    Remediable,
    /// A violation whose remediability was not assessed: not established either way.
    RemedyUnknown,
    /// No violation.
    Compliant,
}

pub fn c2_record(lang: Lang, r: Remedy) -> String {
    match (lang, r) {
        (Lang::En, Remedy::Unremediable) => "record: environmental violation that cannot be remedied".into(),
        (Lang::En, Remedy::Remediable) => "record: environmental violation, remediable".into(),
        (Lang::En, Remedy::RemedyUnknown) => {
            "record: environmental violation, but whether it can be remedied is unknown, so the criterion is not established".into()
        }
        (Lang::En, Remedy::Compliant) => "record: meets environmental regulations".into(),
        (Lang::Vi, Remedy::Unremediable) => "hồ sơ kiểm tra: vi phạm về môi trường, không thể khắc phục".into(),
        (Lang::Vi, Remedy::Remediable) => "hồ sơ kiểm tra: vi phạm về môi trường, có thể khắc phục".into(),
        (Lang::Vi, Remedy::RemedyUnknown) => {
            "hồ sơ kiểm tra: vi phạm về môi trường nhưng chưa rõ có khắc phục được không, nên chưa đủ căn cứ".into()
        }
        (Lang::Vi, Remedy::Compliant) => "hồ sơ kiểm tra: bảo đảm quy định về môi trường".into(),
    }
}

pub fn c3_record(lang: Lang, r: Remedy) -> String {
    match (lang, r) {
        (Lang::En, Remedy::Unremediable) => "record: fails fire-safety conditions and cannot remedy it".into(),
        (Lang::En, Remedy::Remediable) => "record: fails fire-safety conditions, remediable".into(),
        (Lang::En, Remedy::RemedyUnknown) => {
            "record: fails fire-safety conditions, but whether it can be remedied is unknown, so the criterion is not established".into()
        }
        (Lang::En, Remedy::Compliant) => "record: meets fire-safety conditions".into(),
        (Lang::Vi, Remedy::Unremediable) => "hồ sơ kiểm tra: không bảo đảm an toàn PCCC, không thể khắc phục".into(),
        (Lang::Vi, Remedy::Remediable) => "hồ sơ kiểm tra: không bảo đảm an toàn PCCC, có thể khắc phục".into(),
        (Lang::Vi, Remedy::RemedyUnknown) => {
            "hồ sơ kiểm tra: không bảo đảm an toàn PCCC nhưng chưa rõ có khắc phục được không, nên chưa đủ căn cứ".into()
        }
        (Lang::Vi, Remedy::Compliant) => "hồ sơ kiểm tra: bảo đảm an toàn PCCC".into(),
    }
}

pub fn c4_record(lang: Lang, conforming: bool) -> String {
    match (lang, conforming) {
        (Lang::En, false) => "record: location inconsistent with the land-use plan".into(),
        (Lang::En, true) => "record: location consistent with the land-use plan".into(),
        (Lang::Vi, false) => "hồ sơ kiểm tra: địa điểm không phù hợp quy hoạch sử dụng đất".into(),
        (Lang::Vi, true) => "hồ sơ kiểm tra: địa điểm phù hợp quy hoạch sử dụng đất".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Screening.

/// C1: the site lies inside a corridor polygon (`overlaps` when a footprint crosses its edge).
pub fn c1_inside_area(lang: Lang, kind_text: &str, id: &str, overlaps: bool) -> String {
    let k = kind(lang, kind_text);
    match (lang, overlaps) {
        (Lang::En, false) => format!("screening: inside {k} protection corridor {id}"),
        (Lang::En, true) => format!("screening: footprint overlaps {k} protection corridor {id}"),
        (Lang::Vi, false) => format!("sàng lọc: nằm trong hành lang bảo vệ {k} {id}"),
        (Lang::Vi, true) => format!("sàng lọc: mặt bằng lấn vào hành lang bảo vệ {k} {id}"),
    }
}

/// C1: the site lies within half the width of a corridor's centre line.
pub fn c1_near_line(
    lang: Lang,
    kind_text: &str,
    id: &str,
    distance_m: f64,
    width_m: f64,
) -> String {
    let k = kind(lang, kind_text);
    let (d, w, half) = (metres(distance_m), limit(width_m), limit(width_m / 2.0));
    match lang {
        Lang::En => format!(
            "screening: {d} from the centre line of {k} protection corridor {id}, which is {w} wide ({half} each side)"
        ),
        Lang::Vi => format!(
            "sàng lọc: cách tim hành lang bảo vệ {k} {id} {d}, hành lang rộng {w} (mỗi bên {half})"
        ),
    }
}

pub fn c1_clear(lang: Lang) -> String {
    match lang {
        Lang::En => "screening: outside every protection corridor".into(),
        Lang::Vi => "sàng lọc: nằm ngoài mọi hành lang bảo vệ".into(),
    }
}

pub fn c1_no_layer(lang: Lang) -> String {
    match lang {
        Lang::En => "screening: no protection corridors in the inputs".into(),
        Lang::Vi => "sàng lọc: không có lớp hành lang bảo vệ".into(),
    }
}

/// C2: the nearest sensitive use closer than the separation distance.
pub fn c2_too_close(
    lang: Lang,
    what: &str,
    id: &str,
    distance_m: f64,
    class: HazardClass,
    separation_m: f64,
) -> String {
    let (d, s) = (metres(distance_m), limit(separation_m));
    match lang {
        Lang::En => format!("screening: {d} from {what} {id}; class {class} needs {s}"),
        Lang::Vi => {
            format!("sàng lọc: cách {what} {id} {d}; cơ sở loại {class} cần khoảng cách ly {s}")
        }
    }
}

/// C2 receptors: "school"; zones: "residential zone".
pub fn c2_zone_label(lang: Lang, u: PlannedUse) -> String {
    match lang {
        Lang::En => format!("{} zone", u.as_str()),
        Lang::Vi => format!("khu quy hoạch {}", planned_use(lang, u)),
    }
}

pub fn c2_clear(lang: Lang, class: HazardClass, separation_m: f64) -> String {
    let s = limit(separation_m);
    match lang {
        Lang::En => format!("screening: no sensitive use within {s} (class {class})"),
        Lang::Vi => {
            format!("sàng lọc: không có đối tượng nhạy cảm trong phạm vi {s} (loại {class})")
        }
    }
}

pub fn c2_no_class(lang: Lang) -> String {
    match lang {
        Lang::En => {
            "screening: no hazard class, so no separation distance applies (unknown)".into()
        }
        Lang::Vi => {
            "sàng lọc: chưa có cấp nguy hại nên không xác định được khoảng cách ly (chưa rõ)".into()
        }
    }
}

pub fn c2_no_distance(lang: Lang, class: HazardClass) -> String {
    match lang {
        Lang::En => {
            format!("screening: the scenario sets no separation distance for class {class}")
        }
        Lang::Vi => format!("sàng lọc: kịch bản không quy định khoảng cách ly cho loại {class}"),
    }
}

pub fn c2_no_layer(lang: Lang) -> String {
    match lang {
        Lang::En => "screening: no receptors or sensitive zoning in the inputs".into(),
        Lang::Vi => "sàng lọc: không có lớp đối tượng nhạy cảm hoặc quy hoạch".into(),
    }
}

pub fn c3_rule_hit(lang: Lang, risk: FireRisk, u: PlannedUse, zone_id: &str) -> String {
    match lang {
        Lang::En => format!(
            "screening: {} fire risk inside {} zone {zone_id} (scenario rule)",
            fire_risk(lang, risk),
            u.as_str()
        ),
        Lang::Vi => format!(
            "sàng lọc: nguy cơ cháy {} nằm trong khu {} {zone_id} (quy tắc của kịch bản)",
            fire_risk(lang, risk),
            planned_use(lang, u)
        ),
    }
}

pub fn c3_clear(lang: Lang, risk: FireRisk) -> String {
    match lang {
        Lang::En => format!(
            "screening: no fire rule matches {} fire risk at this location",
            fire_risk(lang, risk)
        ),
        Lang::Vi => format!(
            "sàng lọc: không quy tắc PCCC nào áp dụng cho nguy cơ cháy {} tại vị trí này",
            fire_risk(lang, risk)
        ),
    }
}

pub fn c3_no_risk(lang: Lang) -> String {
    match lang {
        Lang::En => "screening: no fire risk recorded (unknown)".into(),
        Lang::Vi => "sàng lọc: chưa có mức nguy cơ cháy (chưa rõ)".into(),
    }
}

pub fn c3_no_rules(lang: Lang) -> String {
    match lang {
        Lang::En => "screening: the scenario has no fire-safety screening rule".into(),
        Lang::Vi => "sàng lọc: kịch bản không có quy tắc sàng lọc PCCC".into(),
    }
}

pub fn not_in_zone(lang: Lang, word: &str) -> String {
    match lang {
        Lang::En => format!("{word}: not in any zoning polygon (unknown)"),
        Lang::Vi => format!("{word}: không thuộc khu quy hoạch nào (chưa rõ)"),
    }
}

/// The prefix of a screening phrase ("screening", "overlay").
pub fn screening_word(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "screening",
        Lang::Vi => "sàng lọc",
    }
}

pub fn overlay_word(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "overlay",
        Lang::Vi => "chồng lớp quy hoạch",
    }
}

pub fn c4_overlay(lang: Lang, u: PlannedUse, zone_id: &str, conforms: bool) -> String {
    let w = overlay_word(lang);
    match (lang, conforms) {
        (Lang::En, false) => format!(
            "{w}: planned use at the site is {} (zone {zone_id}), not an industrial use",
            u.as_str()
        ),
        (Lang::En, true) => {
            format!("{w}: planned use at the site is {} (zone {zone_id})", u.as_str())
        }
        (Lang::Vi, false) => format!(
            "{w}: vị trí thuộc {} (khu {zone_id}), không phải đất công nghiệp",
            planned_use(lang, u)
        ),
        (Lang::Vi, true) => format!("{w}: vị trí thuộc {} (khu {zone_id})", planned_use(lang, u)),
    }
}

pub fn c4_no_layer(lang: Lang) -> String {
    match lang {
        Lang::En => "overlay: no zoning polygons in the inputs (unknown)".into(),
        Lang::Vi => "chồng lớp quy hoạch: không có lớp quy hoạch (chưa rõ)".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Joining record and screening.

/// Record and screening disagree: the record decides.
pub fn disagree(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "record and screening disagree: the record is the legal basis; screening is a lead for re-inspection",
        Lang::Vi => "hồ sơ và sàng lọc không thống nhất: hồ sơ kiểm tra là căn cứ pháp lý; kết quả sàng lọc là đầu mối để kiểm tra lại",
    }
}

/// Record and screening disagree, and the scenario lets either establish the criterion.
pub fn disagree_either(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "record and screening disagree: in this scenario either establishes the criterion; re-inspect to confirm",
        Lang::Vi => "hồ sơ và sàng lọc không thống nhất: theo kịch bản, một trong hai đủ để xác lập tiêu chí; cần kiểm tra lại để xác nhận",
    }
}

/// The record establishes the criterion, the screening does not show it: the record decides.
pub fn not_confirmed(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "screening does not show it; the record is the legal basis",
        Lang::Vi => "sàng lọc không phát hiện; hồ sơ kiểm tra là căn cứ pháp lý",
    }
}

/// Screening found the criterion but the scenario does not let screening decide alone.
pub fn lead_only(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "screening alone does not decide in this scenario: an inspection lead",
        Lang::Vi => "theo kịch bản, sàng lọc không đủ để kết luận: đầu mối cần kiểm tra",
    }
}

/// Screening is off: without a record the criterion stays unknown.
pub fn record_needed(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "screening alone does not decide in this scenario, so it stays unknown",
        Lang::Vi => "theo kịch bản, sàng lọc không đủ để kết luận nên chưa rõ",
    }
}

pub fn switched_off(lang: Lang) -> String {
    match lang {
        Lang::En => "switched off in the scenario".into(),
        Lang::Vi => "không áp dụng theo kịch bản".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Notes: scope and encouragement.

pub fn inside_park(lang: Lang, id: &str, name: &str) -> String {
    match lang {
        Lang::En => format!("out of scope: already inside park {id} ({name})"),
        Lang::Vi => format!("ngoài phạm vi: đã nằm trong KCN/CCN {id} ({name})"),
    }
}

pub fn outside_origin(lang: Lang, district: &str) -> String {
    match lang {
        Lang::En => format!("out of scope: district {district} is not in the origin area"),
        Lang::Vi => format!("ngoài phạm vi: địa bàn {district} không thuộc khu vực phải di dời"),
    }
}

pub fn no_district(lang: Lang) -> String {
    match lang {
        Lang::En => "out of scope: no district field and not in any districts polygon, so not in the origin area".into(),
        Lang::Vi => "ngoài phạm vi: không có trường địa bàn và không nằm trong ranh giới địa bàn nào, nên không thuộc khu vực phải di dời".into(),
    }
}

pub fn wants_to_move(lang: Lang) -> String {
    match lang {
        Lang::En => "encouraged: the enterprise wants to relocate (record)".into(),
        Lang::Vi => "khuyến khích: doanh nghiệp có nguyện vọng di dời (hồ sơ)".into(),
    }
}

pub fn encouraged_sector(lang: Lang, sector: &str) -> String {
    match lang {
        Lang::En => format!("encouraged: sector {sector} is in the scenario's encouragement rule"),
        Lang::Vi => {
            format!("khuyến khích: ngành {sector} thuộc diện khuyến khích di dời theo kịch bản")
        }
    }
}

pub fn encouraged_class(lang: Lang, class: HazardClass) -> String {
    match lang {
        Lang::En => {
            format!("encouraged: hazard class {class} is in the scenario's encouragement rule")
        }
        Lang::Vi => {
            format!("khuyến khích: cơ sở loại {class} thuộc diện khuyến khích di dời theo kịch bản")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_whole_metres_rounded_down_and_limits_rounded() {
        assert_eq!(metres(499.6), "499 m");
        assert_eq!(metres(0.0), "0 m");
        assert_eq!(limit(499.6), "500 m");
    }

    #[test]
    fn unknown_kinds_are_shown_as_given_in_vietnamese() {
        assert_eq!(kind(Lang::Vi, "school"), "trường học");
        assert_eq!(kind(Lang::Vi, "kindergarten"), "kindergarten");
        assert_eq!(kind(Lang::En, "power_line"), "power line");
    }
}
