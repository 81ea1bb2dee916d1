//! Escaping of user text for the SVG map, the HTML report and the QGIS XML, and fixed-precision
//! page coordinates.
//!
//! Every name, title and evidence sentence comes from an input file, so it may hold `<`, `&`,
//! quotes, newlines, control characters or bidirectional overrides. Escaping here is the only
//! way user text enters markup.

/// Escapes text for XML/HTML content and attribute values (double- or single-quoted).
///
/// Characters XML 1.0 forbids (C0 controls other than tab, newline and carriage return, and
/// U+FFFE/U+FFFF) become U+FFFD, because one of them would make the whole SVG unreadable.
/// Bidirectional embeddings, overrides and isolates are written as character references, so
/// they still reach the reader; the report's CSS isolates every cell so that they cannot reorder
/// neighbouring text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7F}' || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.push('\u{FFFD}')
            }
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                out.push_str(&format!("&#x{:X};", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// Opens an offline HTML page (report, comparison, sensitivity): doctype, language, a content
/// security policy that forbids every load (the page must work with no network), the title
/// (already escaped) and the style sheets inlined; the caller goes on from `<header>`.
pub fn open_page(out: &mut String, lang_code: &str, title: &str, css: &[&str]) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"");
    out.push_str(lang_code);
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n<title>");
    out.push_str(title);
    out.push_str("</title>\n<style>\n");
    // The palette first, so every sheet colours verdicts, parks and flows with the map's colours.
    out.push_str(&crate::output::palette::css_vars());
    for sheet in css {
        out.push_str(sheet);
    }
    out.push_str("</style>\n</head>\n<body>\n");
}

/// The SVG path data of an area, every ring closed, through `xy` (longitude, latitude → page
/// x, y); coordinates written with `c`. The web pages' maps draw with it (the printed map thins
/// its points on its own, `map::page`).
pub fn svg_path(area: &geo::MultiPolygon<f64>, xy: impl Fn(f64, f64) -> (f64, f64)) -> String {
    use std::fmt::Write as _;
    let mut d = String::new();
    for polygon in &area.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for (i, p) in ring.0.iter().enumerate() {
                let (x, y) = xy(p.x, p.y);
                let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { "L" }, c(x), c(y));
            }
            d.push('Z');
        }
    }
    d
}

/// Text for one line of SVG: newlines and tabs become spaces (SVG would collapse them anyway,
/// and a label must stay on one line), bidirectional controls are dropped so a label cannot
/// reverse the words around it in a PDF viewer's text layer, then the rest is escaped.
pub fn svg_line(text: &str) -> String {
    let flat: String = text
        .chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .map(|c| if matches!(c, '\n' | '\r' | '\t') { ' ' } else { c })
        .collect();
    escape(flat.split_whitespace().collect::<Vec<_>>().join(" ").as_str())
}

/// A page coordinate with one decimal (0.01 mm on the page): fixed, so two runs write the
/// same bytes, and fine enough for print.
pub fn c(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    // Never write "-0.0".
    if r == 0.0 {
        "0".to_string()
    } else if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'q'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"
        );
    }

    #[test]
    fn characters_xml_forbids_are_replaced() {
        assert_eq!(escape("a\u{0}b\u{1B}c\u{FFFF}"), "a\u{FFFD}b\u{FFFD}c\u{FFFD}");
        assert_eq!(escape("line\nnext"), "line\nnext");
    }

    #[test]
    fn bidirectional_overrides_become_references() {
        assert_eq!(escape("abc\u{202E}def"), "abc&#x202E;def");
        assert_eq!(svg_line("abc\u{202E}def\nghi"), "abcdef ghi");
    }

    #[test]
    fn coordinates_have_fixed_precision() {
        assert_eq!(c(12.345), "12.3");
        assert_eq!(c(12.0), "12");
        assert_eq!(c(-0.01), "0");
        assert_eq!(c(-3.25), "-3.3");
    }
}
