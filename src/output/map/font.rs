//! The one typeface of the map, compiled into the binary, and the text measures that label
//! placement and line wrapping need.
//!
//! One face only, on purpose: svg2pdf keeps the fonts it embeds in a `HashMap`, so two faces
//! would be written in a different order from run to run and the PDF bytes would flap.

use std::sync::OnceLock;

/// DejaVu Sans 2.37 (assets/fonts/README.md): covers Vietnamese stacked diacritics.
pub const FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// The family name the SVG asks for; it must match the embedded face.
pub const FAMILY: &str = "DejaVu Sans";

/// Advance width of a character that the face lacks, in em (DejaVu's average is about 0.6).
const FALLBACK_ADVANCE_EM: f64 = 0.6;

fn face() -> Option<&'static ttf_parser::Face<'static>> {
    static FACE: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    FACE.get_or_init(|| ttf_parser::Face::parse(FONT_BYTES, 0).ok()).as_ref()
}

/// Width of `text` set in the map's face at `size` (same unit as the result), kerning aside.
pub fn text_width(text: &str, size: f64) -> f64 {
    let Some(face) = face() else {
        return text.chars().count() as f64 * FALLBACK_ADVANCE_EM * size;
    };
    let per_unit = size / f64::from(face.units_per_em());
    text.chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map(|a| f64::from(a) * per_unit)
                // Combining marks have no advance; an unknown glyph takes an average width.
                .unwrap_or(if is_combining(c) { 0.0 } else { FALLBACK_ADVANCE_EM * size })
        })
        .sum()
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
}

/// Splits `text` into lines no wider than `width` at `size`, breaking between words; a word
/// longer than the line stands alone on its line.
pub fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if !line.is_empty() && text_width(&candidate, size) > width {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` cut to fit `width` at `size`, ending with an ellipsis when cut.
pub fn fit(text: &str, size: f64, width: f64) -> String {
    if text_width(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if text_width(&out, size) + text_width("…", size) > width {
            out.pop();
            break;
        }
    }
    format!("{}…", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_face_has_vietnamese_letters() {
        let face = face().expect("the embedded font parses");
        for c in "ằộữđƯơẫỹ".chars() {
            assert!(face.glyph_index(c).is_some(), "no glyph for {c}");
        }
    }

    #[test]
    fn wider_text_measures_wider() {
        assert!(text_width("Bàu Bàng", 10.0) > text_width("Bàu", 10.0));
        assert!((text_width("abc", 20.0) - 2.0 * text_width("abc", 10.0)).abs() < 1e-9);
    }

    #[test]
    fn wrapped_lines_fit_the_width() {
        let text = "Distances are straight-line, not by road, and measured in the working CRS.";
        let lines = wrap(text, 10.0, 150.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(text_width(l, 10.0) <= 150.0, "{l}");
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let cut = fit("A very long relocation plan title that cannot fit", 10.0, 100.0);
        assert!(cut.ends_with('…'));
        assert!(text_width(&cut, 10.0) <= 100.0);
        assert_eq!(fit("Short", 10.0, 100.0), "Short");
    }
}
