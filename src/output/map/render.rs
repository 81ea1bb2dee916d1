//! SVG text → PNG (resvg) and PDF (svg2pdf), with the embedded font only, so the result does
//! not depend on the fonts installed on the machine.

use std::sync::{Arc, OnceLock};

use resvg::usvg;

use super::font::{FAMILY, FONT_BYTES};
use crate::error::{Error, Result};

/// A font database holding the embedded face and nothing else (built once per process).
fn fontdb() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT_BYTES.to_vec());
        db.set_sans_serif_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Parses the map SVG into a render tree with the embedded font.
pub fn parse(svg: &str) -> Result<usvg::Tree> {
    let options = usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: fontdb(),
        // The map never references files; refusing them keeps rendering independent of the
        // working directory (and of anything a name could smuggle in).
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options)
        .map_err(|e| Error::Output(format!("map.svg: cannot be drawn: {e}")))
}

/// Renders the tree as a PNG `width_px` wide (height in proportion), on white.
pub fn png(tree: &usvg::Tree, width_px: u32) -> Result<Vec<u8>> {
    let size = tree.size();
    let scale = width_px as f32 / size.width();
    let height_px = (size.height() * scale).round().max(1.0) as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width_px.max(1), height_px).ok_or_else(|| {
        Error::Output(format!("map.png: cannot allocate {width_px}×{height_px} pixels"))
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| Error::Output(format!("map.png: cannot encode: {e}")))
}

/// Converts the tree to a one-page PDF of the SVG's physical size (the SVG is sized in mm, which
/// usvg turns into CSS pixels at 96 dpi; telling svg2pdf the same dpi keeps the page at A3).
pub fn pdf(tree: &usvg::Tree) -> Result<Vec<u8>> {
    svg2pdf::to_pdf(tree, svg2pdf::ConversionOptions::default(), svg2pdf::PageOptions { dpi: 96.0 })
        .map_err(|e| Error::Output(format!("map.pdf: cannot convert: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="420mm" height="297mm" viewBox="0 0 4200 2970"><text x="100" y="200" font-size="100" font-family="DejaVu Sans">Thủ Dầu Một</text></svg>"#;

    #[test]
    fn text_is_set_in_the_embedded_face() {
        fn glyphs(group: &usvg::Group) -> usize {
            group
                .children()
                .iter()
                .map(|node| match node {
                    usvg::Node::Text(t) => {
                        t.layouted().iter().map(|s| s.positioned_glyphs.len()).sum()
                    }
                    usvg::Node::Group(g) => glyphs(g),
                    _ => 0,
                })
                .sum()
        }
        let tree = parse(SVG).unwrap();
        // "Thủ Dầu Một" is 11 characters; without a font usvg lays out no glyph at all.
        assert!(glyphs(tree.root()) >= 11, "the label was not laid out: no font found");
    }

    #[test]
    fn a3_page_gives_a_wide_png_and_an_a3_pdf() {
        let tree = parse(SVG).unwrap();
        let png = png(&tree, 2480).unwrap();
        let decoded = tiny_skia::Pixmap::decode_png(&png).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (2480, 1754));
        let pdf = pdf(&tree).unwrap();
        let text = String::from_utf8_lossy(&pdf);
        // A3 landscape is 420 × 297 mm = 1190.55 × 841.89 pt.
        assert!(text.contains("/MediaBox [0 0 1190.55"), "{}", &text[..400.min(text.len())]);
    }

    #[test]
    fn broken_svg_is_an_output_error() {
        assert!(matches!(parse("<svg"), Err(Error::Output(_))));
    }
}
