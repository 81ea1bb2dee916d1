//! The fixed world every generated scenario is set in: the nine pre-2025 districts of Binh Duong
//! drawn coarsely for this project, the protection corridors, and the factory sectors.
//!
//! The district outlines are an illustrative hand drawing (a few dozen shared vertices placed by
//! eye), not survey boundaries: neighbouring districts are built from the same named vertices,
//! so they share their edges exactly and cannot overlap.

use geo::{Coord, LineString, Polygon};

/// A vertex of the drawing, longitude then latitude.
type V = (f64, f64);

// Saigon river side (west) and the southern border, Thuận An / Thủ Dầu Một / Bến Cát.
const A: V = (106.600, 11.040); // Thủ Dầu Một / Bến Cát, on the river
const M1: V = (106.640, 11.085); // Thủ Dầu Một / Bến Cát
const B: V = (106.690, 11.105); // Thủ Dầu Một / Bến Cát / Tân Uyên
const C: V = (106.705, 10.995); // Thủ Dầu Một / Thuận An / Tân Uyên
const D: V = (106.655, 10.955); // Thủ Dầu Một / Thuận An, on the river
const TDM_W1: V = (106.622, 10.995);
const TDM_W2: V = (106.640, 10.972);
const TA_W: V = (106.650, 10.925);
const TA_S: V = (106.695, 10.870);
const G: V = (106.745, 10.868); // Thuận An / Dĩ An, south
const H: V = (106.745, 10.965); // Thuận An / Dĩ An / Tân Uyên
const I: V = (106.790, 10.962); // Dĩ An / Tân Uyên, east
const DA_S: V = (106.800, 10.876);
const DA_E: V = (106.838, 10.905);
const DA_NE: V = (106.815, 10.935);
const TU_E1: V = (106.805, 11.000);
const TU_E2: V = (106.815, 11.055); // Tân Uyên / Bắc Tân Uyên, on the Đồng Nai
const TU_N1: V = (106.785, 11.115);
const TU_N2: V = (106.755, 11.140);
const P1: V = (106.690, 11.150); // Bến Cát / Tân Uyên / Bắc Tân Uyên
const P2: V = (106.680, 11.195); // Bến Cát / Bàu Bàng / Bắc Tân Uyên
const Q: V = (106.700, 11.222); // Bàu Bàng / Phú Giáo / Bắc Tân Uyên
const BC_N1: V = (106.645, 11.210);
const BC_N2: V = (106.546, 11.175);
const R: V = (106.507, 11.146); // Bến Cát / Bàu Bàng / Dầu Tiếng
const BC_W1: V = (106.522, 11.086);
const BC_W2: V = (106.586, 11.045);
const S: V = (106.566, 11.274); // Bàu Bàng / Dầu Tiếng
const T: V = (106.537, 11.382); // Bàu Bàng / Dầu Tiếng, north
const BB_N1: V = (106.615, 11.362);
const U: V = (106.655, 11.357); // Bàu Bàng / Phú Giáo, north
const BB_E1: V = (106.675, 11.293);
const PG_N1: V = (106.690, 11.400);
const PG_N2: V = (106.760, 11.430);
const PG_N3: V = (106.770, 11.480);
const PG_N4: V = (106.805, 11.490);
const PG_N5: V = (106.810, 11.400);
const PG_N6: V = (106.870, 11.370);
const PG_N7: V = (106.950, 11.350);
const PG_E1: V = (106.940, 11.300);
const W: V = (106.910, 11.265); // Phú Giáo / Bắc Tân Uyên, east
const BT_N1: V = (106.862, 11.254);
const BT_N2: V = (106.830, 11.215);
const BT_N3: V = (106.765, 11.200);
const BT_E1: V = (106.955, 11.150);
const BT_E2: V = (106.950, 11.075);
const BT_E3: V = (106.890, 11.025);
const BT_E4: V = (106.835, 11.040);
const DT_1: V = (106.565, 11.455);
const DT_2: V = (106.520, 11.497);
const DT_3: V = (106.430, 11.470);
const DT_4: V = (106.375, 11.440);
const DT_5: V = (106.335, 11.350);
const DT_6: V = (106.340, 11.290);
const DT_7: V = (106.385, 11.200);
const DT_8: V = (106.440, 11.150);
const DT_9: V = (106.480, 11.138);

/// One district of the drawing.
pub struct DistrictOutline {
    /// The legacy district name, as the scenario's `[area]` and `[phasing]` use it.
    pub name: &'static str,
    /// Whether factories are relocated out of it (south) rather than into it (north).
    pub origin: bool,
    /// Share of the southern factories located in it (0 for destination districts).
    pub factory_share: f64,
    pub polygon: Polygon<f64>,
}

fn ring(vertices: &[V]) -> Polygon<f64> {
    let mut coords: Vec<Coord<f64>> = vertices.iter().map(|&(x, y)| Coord { x, y }).collect();
    if let Some(first) = coords.first().copied() {
        coords.push(first);
    }
    Polygon::new(LineString::new(coords), vec![])
}

/// The nine districts, origins first, in a fixed order.
pub fn districts() -> Vec<DistrictOutline> {
    let d = |name, origin, factory_share, vertices: &[V]| DistrictOutline {
        name,
        origin,
        factory_share,
        polygon: ring(vertices),
    };
    vec![
        d("Thuận An", true, 0.30, &[D, TA_W, TA_S, G, H, C]),
        d("Dĩ An", true, 0.22, &[G, DA_S, DA_E, DA_NE, I, H]),
        d("Thủ Dầu Một", true, 0.18, &[A, TDM_W1, TDM_W2, D, C, B, M1]),
        d("Tân Uyên", true, 0.18, &[C, H, I, TU_E1, TU_E2, TU_N1, TU_N2, P1, B]),
        d("Bến Cát", true, 0.12, &[A, M1, B, P1, P2, BC_N1, BC_N2, R, BC_W1, BC_W2]),
        d("Bàu Bàng", false, 0.0, &[R, BC_N2, BC_N1, P2, Q, BB_E1, U, BB_N1, T, S]),
        d(
            "Bắc Tân Uyên",
            false,
            0.0,
            &[P2, P1, TU_N2, TU_N1, TU_E2, BT_E4, BT_E3, BT_E2, BT_E1, W, BT_N1, BT_N2, BT_N3, Q],
        ),
        d(
            "Phú Giáo",
            false,
            0.0,
            &[
                Q, BT_N3, BT_N2, BT_N1, W, PG_E1, PG_N7, PG_N6, PG_N5, PG_N4, PG_N3, PG_N2, PG_N1,
                U, BB_E1,
            ],
        ),
        d(
            "Dầu Tiếng",
            false,
            0.0,
            &[R, S, T, DT_1, DT_2, DT_3, DT_4, DT_5, DT_6, DT_7, DT_8, DT_9],
        ),
    ]
}

/// Deadlines by origin district (`[phasing]`), as published (see the research notes): Thuận An
/// 2028, Tân Uyên 2029, the others the default 2030.
pub const DEADLINES: [(&str, i32); 2] = [("Thuận An", 2028), ("Tân Uyên", 2029)];

/// How a corridor is drawn.
pub enum CorridorForm {
    /// A centre line with the corridor's full width.
    Line { width_m: f64 },
    /// A polygon band of this width around the line.
    Band { width_m: f64 },
}

/// A protection corridor of the drawing.
pub struct CorridorLine {
    pub id: &'static str,
    pub kind: &'static str,
    pub name: &'static str,
    pub form: CorridorForm,
    pub line: &'static [V],
}

/// Roads, rivers, the railway and a high-voltage line, drawn coarsely along their real courses.
/// Widths are illustrative protection-corridor widths, not legal values.
pub const CORRIDORS: [CorridorLine; 8] = [
    CorridorLine {
        id: "QL13",
        kind: "road",
        name: "Quốc lộ 13",
        form: CorridorForm::Line { width_m: 50.0 },
        line: &[
            (106.713, 10.858),
            (106.705, 10.905),
            (106.690, 10.950),
            (106.668, 10.985),
            (106.650, 11.030),
            (106.625, 11.100),
            (106.600, 11.160),
            (106.610, 11.230),
            (106.625, 11.300),
            (106.640, 11.360),
            (106.650, 11.420),
        ],
    },
    CorridorLine {
        id: "DT741",
        kind: "road",
        name: "Đường tỉnh 741",
        form: CorridorForm::Line { width_m: 40.0 },
        line: &[
            (106.660, 10.990),
            (106.690, 11.060),
            (106.705, 11.130),
            (106.715, 11.200),
            (106.730, 11.280),
            (106.760, 11.330),
            (106.790, 11.380),
        ],
    },
    CorridorLine {
        id: "DT743",
        kind: "road",
        name: "Đường tỉnh 743",
        form: CorridorForm::Line { width_m: 30.0 },
        line: &[
            (106.690, 10.890),
            (106.730, 10.898),
            (106.765, 10.905),
            (106.800, 10.925),
            (106.815, 10.950),
        ],
    },
    CorridorLine {
        id: "MP-TV",
        kind: "road",
        name: "Đường Mỹ Phước – Tân Vạn",
        form: CorridorForm::Line { width_m: 60.0 },
        line: &[
            (106.810, 10.893),
            (106.760, 10.935),
            (106.725, 10.975),
            (106.700, 11.030),
            (106.660, 11.080),
            (106.610, 11.130),
            (106.580, 11.160),
        ],
    },
    CorridorLine {
        id: "DS-BN",
        kind: "railway",
        name: "Đường sắt Bắc – Nam",
        form: CorridorForm::Line { width_m: 30.0 },
        line: &[
            (106.752, 10.862),
            (106.768, 10.905),
            (106.785, 10.925),
            (106.810, 10.948),
            (106.840, 10.958),
        ],
    },
    CorridorLine {
        id: "220KV",
        kind: "power_line",
        name: "Đường dây 220 kV",
        form: CorridorForm::Line { width_m: 22.0 },
        line: &[
            (106.560, 11.300),
            (106.600, 11.200),
            (106.640, 11.120),
            (106.690, 11.030),
            (106.740, 10.960),
            (106.800, 10.890),
        ],
    },
    CorridorLine {
        id: "SG-RIVER",
        kind: "river",
        name: "Sông Sài Gòn",
        form: CorridorForm::Band { width_m: 300.0 },
        line: &[
            (106.688, 10.858),
            (106.665, 10.890),
            (106.646, 10.925),
            (106.649, 10.952),
            (106.636, 10.968),
            (106.618, 10.993),
            (106.596, 11.036),
            (106.580, 11.042),
            (106.517, 11.085),
            (106.502, 11.143),
            (106.476, 11.134),
            (106.437, 11.146),
        ],
    },
    CorridorLine {
        id: "DN-RIVER",
        kind: "river",
        name: "Sông Đồng Nai",
        form: CorridorForm::Line { width_m: 250.0 },
        line: &[
            (106.797, 10.972),
            (106.810, 11.000),
            (106.820, 11.053),
            (106.837, 11.044),
            (106.892, 11.022),
            (106.955, 11.073),
            (106.960, 11.150),
        ],
    },
];

/// Converts a drawn line to coordinates.
pub fn line_coords(line: &[V]) -> Vec<Coord<f64>> {
    line.iter().map(|&(x, y)| Coord { x, y }).collect()
}

/// Factory sectors: how common they are, how much land and how many workers they have, their
/// hazard class (TCVN 4449:1987 App. III, `I` most hazardous) and fire risk. The mix is
/// illustrative; no per-sector breakdown of the real 2,900 factories was published.
pub struct Sector {
    /// Canonical sector name written in `sector`, and used in parks' `sectors` lists.
    pub key: &'static str,
    /// The Vietnamese trade name used in generated factory names.
    pub vi: &'static str,
    pub share: f64,
    pub land_median_ha: f64,
    pub land_sigma: f64,
    pub employees_per_ha: f64,
    /// Weights of hazard classes I..V.
    pub hazard: [f64; 5],
    /// Weights of fire risk high, medium, low.
    pub fire: [f64; 3],
    /// Whether it clusters around the historic hotspots (ceramics, furniture).
    pub clustered: bool,
}

pub const SECTORS: [Sector; 10] = [
    Sector {
        key: "wood_furniture",
        vi: "Đồ gỗ",
        share: 0.20,
        land_median_ha: 0.45,
        land_sigma: 0.8,
        employees_per_ha: 190.0,
        hazard: [0.0, 0.0, 0.3, 0.5, 0.2],
        fire: [0.7, 0.3, 0.0],
        clustered: true,
    },
    Sector {
        key: "ceramics",
        vi: "Gốm sứ",
        share: 0.08,
        land_median_ha: 0.5,
        land_sigma: 0.8,
        employees_per_ha: 120.0,
        hazard: [0.0, 0.2, 0.6, 0.2, 0.0],
        fire: [0.0, 0.4, 0.6],
        clustered: true,
    },
    Sector {
        key: "garments",
        vi: "May mặc",
        share: 0.16,
        land_median_ha: 0.3,
        land_sigma: 0.8,
        employees_per_ha: 420.0,
        hazard: [0.0, 0.0, 0.0, 0.3, 0.7],
        fire: [0.3, 0.6, 0.1],
        clustered: false,
    },
    Sector {
        key: "footwear",
        vi: "Giày da",
        share: 0.08,
        land_median_ha: 0.45,
        land_sigma: 0.8,
        employees_per_ha: 380.0,
        hazard: [0.0, 0.0, 0.3, 0.5, 0.2],
        fire: [0.4, 0.5, 0.1],
        clustered: false,
    },
    Sector {
        key: "mechanical",
        vi: "Cơ khí",
        share: 0.15,
        land_median_ha: 0.3,
        land_sigma: 0.8,
        employees_per_ha: 140.0,
        hazard: [0.0, 0.0, 0.3, 0.5, 0.2],
        fire: [0.0, 0.5, 0.5],
        clustered: false,
    },
    Sector {
        key: "electronics",
        vi: "Điện tử",
        share: 0.06,
        land_median_ha: 0.35,
        land_sigma: 0.8,
        employees_per_ha: 330.0,
        hazard: [0.0, 0.0, 0.0, 0.5, 0.5],
        fire: [0.0, 0.6, 0.4],
        clustered: false,
    },
    Sector {
        key: "plastics",
        vi: "Nhựa",
        share: 0.09,
        land_median_ha: 0.3,
        land_sigma: 0.7,
        employees_per_ha: 150.0,
        hazard: [0.0, 0.0, 0.4, 0.5, 0.1],
        fire: [0.5, 0.5, 0.0],
        clustered: false,
    },
    Sector {
        key: "food",
        vi: "Thực phẩm",
        share: 0.08,
        land_median_ha: 0.3,
        land_sigma: 0.7,
        employees_per_ha: 170.0,
        hazard: [0.0, 0.0, 0.2, 0.5, 0.3],
        fire: [0.0, 0.5, 0.5],
        clustered: false,
    },
    Sector {
        key: "chemicals",
        vi: "Hóa chất",
        share: 0.05,
        land_median_ha: 0.4,
        land_sigma: 0.8,
        employees_per_ha: 60.0,
        hazard: [0.3, 0.5, 0.2, 0.0, 0.0],
        fire: [0.8, 0.2, 0.0],
        clustered: false,
    },
    Sector {
        key: "dyeing",
        vi: "Dệt nhuộm",
        share: 0.05,
        land_median_ha: 0.6,
        land_sigma: 0.8,
        employees_per_ha: 90.0,
        hazard: [0.4, 0.5, 0.1, 0.0, 0.0],
        fire: [0.2, 0.6, 0.2],
        clustered: false,
    },
];

/// Historic clusters of ceramics and furniture workshops (Lái Thiêu in Thuận An, Tân Phước
/// Khánh and Uyên Hưng in Tân Uyên), placed by eye: (longitude, latitude, spread in metres).
pub const HOTSPOTS: [(f64, f64, f64); 3] =
    [(106.680, 10.903, 1_500.0), (106.735, 10.985, 1_500.0), (106.775, 11.045, 1_800.0)];

/// Pieces of generated company names.
pub const NAME_PREFIXES: [&str; 5] =
    ["Công ty TNHH", "Công ty TNHH", "Công ty Cổ phần", "Doanh nghiệp tư nhân", "Cơ sở"];
pub const NAME_WORDS: [&str; 32] = [
    "An Phú",
    "Bình An",
    "Đại Phát",
    "Đức Thành",
    "Hưng Thịnh",
    "Hoàng Gia",
    "Hòa Bình",
    "Hồng Phúc",
    "Kim Long",
    "Lái Thiêu",
    "Minh Long",
    "Minh Phát",
    "Nam Việt",
    "Ngọc Lan",
    "Phú Cường",
    "Phú Thịnh",
    "Phước Thành",
    "Quang Minh",
    "Sài Gòn",
    "Sông Bé",
    "Tân Hiệp",
    "Tân Phước",
    "Thái Bình",
    "Thành Công",
    "Thiên Long",
    "Thuận Phát",
    "Trường Thịnh",
    "Uyên Hưng",
    "Vạn Lợi",
    "Việt Thắng",
    "Vĩnh Phú",
    "Xuân Mai",
];

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, BooleanOps, Validation};
    use unicode_normalization::is_nfc;

    #[test]
    fn drawn_districts_are_valid_and_do_not_overlap() {
        let ds = districts();
        assert_eq!(ds.len(), 9);
        for d in &ds {
            assert!(d.polygon.is_valid(), "{}", d.name);
            assert!(is_nfc(d.name));
        }
        for (i, a) in ds.iter().enumerate() {
            for b in ds.iter().skip(i + 1) {
                let overlap = a.polygon.intersection(&b.polygon).unsigned_area();
                assert!(overlap < 1e-9, "{} and {} overlap by {overlap}", a.name, b.name);
            }
        }
    }

    #[test]
    fn drawn_province_has_about_the_real_area() {
        let total_km2: f64 =
            districts().iter().map(|d| crate::synth::shapes::area_ha(&d.polygon) / 100.0).sum();
        // The real nine districts cover about 2,695 km²; a coarse drawing should be near it.
        assert!((2_300.0..3_100.0).contains(&total_km2), "{total_km2}");
    }

    #[test]
    fn sector_shares_add_up_to_one() {
        let s: f64 = SECTORS.iter().map(|s| s.share).sum();
        assert!((s - 1.0).abs() < 1e-9);
    }
}
