//! QGIS styles for the output layers, as QML. The same renderer and labeling XML goes into the
//! GeoPackage's `layer_styles` table and into `plan.qgs`, so a layer looks the same whichever
//! way it is opened.
//!
//! - factories: points categorized by `verdict`, must_relocate drawn on top;
//! - parks: polygons graduated by `fill_pct`, labelled with name and fill;
//! - moves: lines with an arrowhead, categorized by `verdict`;
//! - flows: curves graduated in width by `factories`, labelled with the count;
//! - districts: outlines categorized by their role (origin, destination, other), labelled;
//! - zoning: translucent fills categorized by `planned_use`.
//!
//! Colours come from `palette`, the map's and the report's.
//!
//! Symbol properties are written both as `<Option>` maps and as legacy `<prop>` elements, as
//! QGIS 3 itself writes them, so that every QGIS 3 release reads them.

use crate::criteria::Verdict;
use crate::model::Lang;
use crate::model::PlannedUse;
use crate::output::i18n::{self, Term};
use crate::output::markup;
use crate::output::palette;

/// QGIS release the XML is written for (3.22 LTR reads it, later releases upgrade it).
pub const QGIS_VERSION: &str = "3.22.16-Białowieża";

/// Font used by labels and the print layout; DejaVu carries every Vietnamese diacritic.
pub const FONT: &str = "DejaVu Sans";

/// Escapes text for XML element content and attribute values (both quote kinds): the map's and
/// report's escaping, with line breaks and tabs as character references, which an XML parser
/// would otherwise turn into spaces inside an attribute.
pub fn esc(text: &str) -> String {
    let escaped = markup::escape(text);
    if !escaped.contains(['\n', '\r', '\t']) {
        return escaped;
    }
    let mut out = String::with_capacity(escaped.len() + 16);
    for c in escaped.chars() {
        match c {
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// An RGBA colour as QGIS writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgba(pub u8, pub u8, pub u8, pub u8);

impl Rgba {
    fn qgis(self) -> String {
        format!("{},{},{},{}", self.0, self.1, self.2, self.3)
    }
}

/// One symbol layer: its QGIS class and properties (sorted by key when written).
struct SymbolLayer {
    class: &'static str,
    props: Vec<(&'static str, String)>,
    /// Sub-symbol (e.g. the arrowhead of a marker line).
    sub: Option<Box<Symbol>>,
}

struct Symbol {
    kind: &'static str,
    layers: Vec<SymbolLayer>,
}

impl Symbol {
    fn xml(&self, name: &str, indent: usize) -> String {
        let pad = " ".repeat(indent);
        let mut s = format!(
            "{pad}<symbol type=\"{}\" name=\"{}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n",
            self.kind,
            esc(name)
        );
        for (i, layer) in self.layers.iter().enumerate() {
            s.push_str(&format!(
                "{pad}  <layer class=\"{}\" enabled=\"1\" locked=\"0\" pass=\"0\">\n",
                layer.class
            ));
            let mut props = layer.props.clone();
            props.sort_by(|a, b| a.0.cmp(b.0));
            s.push_str(&format!("{pad}    <Option type=\"Map\">\n"));
            for (k, v) in &props {
                s.push_str(&format!(
                    "{pad}      <Option type=\"QString\" name=\"{k}\" value=\"{}\"/>\n",
                    esc(v)
                ));
            }
            s.push_str(&format!("{pad}    </Option>\n"));
            for (k, v) in &props {
                s.push_str(&format!("{pad}    <prop k=\"{k}\" v=\"{}\"/>\n", esc(v)));
            }
            if let Some(sub) = &layer.sub {
                s.push_str(&sub.xml(&format!("@{name}@{i}"), indent + 4));
            }
            s.push_str(&format!("{pad}  </layer>\n"));
        }
        s.push_str(&format!("{pad}</symbol>\n"));
        s
    }
}

fn p(k: &'static str, v: &str) -> (&'static str, String) {
    (k, v.to_string())
}

fn marker(fill: Rgba, size_mm: f64, shape: &str) -> Symbol {
    Symbol {
        kind: "marker",
        layers: vec![SymbolLayer {
            class: "SimpleMarker",
            props: vec![
                p("angle", "0"),
                p("color", &fill.qgis()),
                p("horizontal_anchor_point", "1"),
                p("joinstyle", "bevel"),
                p("name", shape),
                p("offset", "0,0"),
                p("offset_unit", "MM"),
                p("outline_color", "40,40,40,255"),
                p("outline_style", "solid"),
                p("outline_width", "0.15"),
                p("outline_width_unit", "MM"),
                p("scale_method", "diameter"),
                p("size", &format!("{size_mm}")),
                p("size_unit", "MM"),
                p("vertical_anchor_point", "1"),
            ],
            sub: None,
        }],
    }
}

fn fill(fill: Rgba, outline: Rgba, outline_mm: f64, outline_style: &str, filled: bool) -> Symbol {
    Symbol {
        kind: "fill",
        layers: vec![SymbolLayer {
            class: "SimpleFill",
            props: vec![
                p("border_width_unit", "MM"),
                p("color", &fill.qgis()),
                p("joinstyle", "round"),
                p("offset", "0,0"),
                p("offset_unit", "MM"),
                p("outline_color", &outline.qgis()),
                p("outline_style", outline_style),
                p("outline_width", &format!("{outline_mm}")),
                p("outline_width_unit", "MM"),
                p("style", if filled { "solid" } else { "no" }),
            ],
            sub: None,
        }],
    }
}

fn arrow_line(color: Rgba, width_mm: f64) -> Symbol {
    Symbol {
        kind: "line",
        layers: vec![
            SymbolLayer {
                class: "SimpleLine",
                props: vec![
                    p("capstyle", "round"),
                    p("joinstyle", "round"),
                    p("line_color", &color.qgis()),
                    p("line_style", "solid"),
                    p("line_width", &format!("{width_mm}")),
                    p("line_width_unit", "MM"),
                    p("offset", "0"),
                    p("offset_unit", "MM"),
                    p("use_custom_dash", "0"),
                ],
                sub: None,
            },
            SymbolLayer {
                class: "MarkerLine",
                props: vec![
                    p("interval", "3"),
                    p("interval_unit", "MM"),
                    p("offset", "0"),
                    p("offset_along_line", "0"),
                    p("offset_unit", "MM"),
                    p("placement", "lastvertex"),
                    p("placements", "LastVertex"),
                    p("rotate", "1"),
                ],
                sub: Some(Box::new(Symbol {
                    kind: "marker",
                    layers: vec![SymbolLayer {
                        class: "SimpleMarker",
                        props: vec![
                            p("angle", "0"),
                            p("color", &color.qgis()),
                            p("horizontal_anchor_point", "1"),
                            p("name", "filled_arrowhead"),
                            p("offset", "0,0"),
                            p("offset_unit", "MM"),
                            p("outline_color", &color.qgis()),
                            p("outline_style", "no"),
                            p("outline_width", "0"),
                            p("scale_method", "diameter"),
                            p("size", "2.6"),
                            p("size_unit", "MM"),
                            p("vertical_anchor_point", "1"),
                        ],
                        sub: None,
                    }],
                })),
            },
        ],
    }
}

/// A category of a categorized renderer.
struct Category {
    value: String,
    label: String,
    symbol: Symbol,
}

fn categorized(attr: &str, categories: &[Category], order_by: Option<&str>) -> String {
    let mut s = format!(
        "  <renderer-v2 type=\"categorizedSymbol\" attr=\"{}\" symbollevels=\"0\" forceraster=\"0\" \
         referencescale=\"-1\" enableorderby=\"{}\">\n    <categories>\n",
        esc(attr),
        u8::from(order_by.is_some())
    );
    for (i, c) in categories.iter().enumerate() {
        s.push_str(&format!(
            "      <category render=\"true\" symbol=\"{i}\" value=\"{}\" label=\"{}\"/>\n",
            esc(&c.value),
            esc(&c.label)
        ));
    }
    s.push_str("    </categories>\n    <symbols>\n");
    for (i, c) in categories.iter().enumerate() {
        s.push_str(&c.symbol.xml(&i.to_string(), 6));
    }
    s.push_str("    </symbols>\n");
    if let Some(expr) = order_by {
        s.push_str(&format!(
            "    <orderby>\n      <orderByClause asc=\"1\" nullsFirst=\"1\">{}</orderByClause>\n    </orderby>\n",
            esc(expr)
        ));
    }
    s.push_str("  </renderer-v2>\n");
    s
}

/// What a layer's labels sit on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum On {
    /// Around a point.
    Point,
    /// On a line, horizontal, at its middle.
    Line,
    /// Inside the polygon, at its centroid.
    Polygon,
}

/// Simple labels on a field or expression.
fn labeling(expression: &str, is_expression: bool, size_pt: f64, bold: bool, on: On) -> String {
    let polygon = on == On::Polygon;
    format!(
        "  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n      \
         <text-style fontFamily=\"{font}\" namedStyle=\"{named}\" fontSize=\"{size_pt}\" \
         fontSizeUnit=\"Point\" fontWeight=\"{weight}\" fontItalic=\"0\" fontUnderline=\"0\" \
         fontStrikeout=\"0\" fontKerning=\"1\" textColor=\"30,30,30,255\" textOpacity=\"1\" \
         fieldName=\"{field}\" isExpression=\"{is_expr}\" multilineHeight=\"1\" blendMode=\"0\" \
         allowHtml=\"0\" capitalization=\"0\" textOrientation=\"horizontal\" useSubstitutions=\"0\" \
         previewBkgrdColor=\"255,255,255,255\" legendString=\"Aa\">\n        \
         <families/>\n        \
         <text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" \
         bufferColor=\"255,255,255,255\" bufferOpacity=\"0.9\" bufferNoFill=\"1\" \
         bufferJoinStyle=\"128\" bufferBlendMode=\"0\"/>\n      </text-style>\n      \
         <text-format wrapChar=\"\" multilineAlign=\"3\" autoWrapLength=\"0\" \
         useMaxLineLengthForAutoWrap=\"1\" formatNumbers=\"0\" decimals=\"3\" plussign=\"0\" \
         addDirectionSymbol=\"0\" placeDirectionSymbol=\"0\" reverseDirectionSymbol=\"0\" \
         leftDirectionSymbol=\"&lt;\" rightDirectionSymbol=\"&gt;\"/>\n      \
         <placement placement=\"{placement}\" centroidWhole=\"0\" centroidInside=\"1\" \
         fitInPolygonOnly=\"0\" dist=\"1\" distUnits=\"MM\" offsetType=\"0\" quadOffset=\"4\" \
         priority=\"{priority}\" placementFlags=\"10\" polygonPlacementFlags=\"2\" \
         overrunDistance=\"0\" overrunDistanceUnit=\"MM\" xOffset=\"0\" yOffset=\"0\" \
         offsetUnits=\"MM\" rotationAngle=\"0\" preserveRotation=\"1\" repeatDistance=\"0\" \
         repeatDistanceUnits=\"MM\" layerType=\"{layer_type}\"/>\n      \
         <rendering drawLabels=\"1\" obstacle=\"1\" obstacleFactor=\"1\" obstacleType=\"1\" \
         displayAll=\"{display_all}\" upsidedownLabels=\"0\" labelPerPart=\"0\" mergeLines=\"0\" \
         limitNumLabels=\"0\" maxNumLabels=\"2000\" minFeatureSize=\"0\" scaleVisibility=\"0\" \
         scaleMin=\"0\" scaleMax=\"0\" fontLimitPixelSize=\"0\" fontMinPixelSize=\"3\" \
         fontMaxPixelSize=\"10000\" zIndex=\"{z}\" unplacedVisibility=\"0\"/>\n    \
         </settings>\n  </labeling>\n",
        font = FONT,
        named = if bold { "Bold" } else { "Book" },
        weight = if bold { 75 } else { 50 },
        field = esc(expression),
        is_expr = u8::from(is_expression),
        // 1 = over the point / inside the polygon centroid; 0 = around a point; 4 = horizontal
        // on a line.
        placement = match on {
            On::Point => 0,
            On::Polygon => 1,
            On::Line => 4,
        },
        priority = if on == On::Point { 5 } else { 8 },
        layer_type = match on {
            On::Point => "PointGeometry",
            On::Line => "LineGeometry",
            On::Polygon => "PolygonGeometry",
        },
        display_all = u8::from(on != On::Point),
        z = if polygon { 1 } else { 0 },
    )
}

/// The renderer and labeling of one output layer.
#[derive(Clone, Debug)]
pub struct LayerStyle {
    /// Table / layer name in `plan.gpkg`.
    pub layer: &'static str,
    pub renderer: String,
    /// `<labeling>` element, when the layer is labelled.
    pub labeling: Option<String>,
    /// Layer opacity, 0..1.
    pub opacity: f64,
}

impl LayerStyle {
    /// The style as a complete QML document.
    pub fn qml(&self) -> String {
        format!(
            "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n\
             <qgis version=\"{QGIS_VERSION}\" styleCategories=\"Symbology|Labeling|Rendering\" \
             labelsEnabled=\"{}\" hasScaleBasedVisibilityFlag=\"0\" minScale=\"100000000\" maxScale=\"0\">\n\
             {}{}  <blendMode>0</blendMode>\n  <featureBlendMode>0</featureBlendMode>\n  \
             <layerOpacity>{}</layerOpacity>\n</qgis>\n",
            u8::from(self.labeling.is_some()),
            self.renderer,
            self.labeling.as_deref().unwrap_or(""),
            self.opacity,
        )
    }
}

/// A palette colour with an opacity (0 to 255).
pub fn rgba(c: palette::Colour, alpha: u8) -> Rgba {
    Rgba(c.0, c.1, c.2, alpha)
}

/// A verdict's colour, from the palette the map and the report use.
pub fn verdict_color(v: Verdict) -> Rgba {
    rgba(palette::verdict(v), 255)
}

const VERDICTS: [Verdict; 4] = palette::VERDICTS;

pub fn factories(lang: Lang) -> LayerStyle {
    let categories: Vec<Category> = VERDICTS
        .iter()
        .map(|&v| Category {
            value: v.as_str().to_string(),
            label: i18n::verdict(lang, v).to_string(),
            symbol: marker(
                verdict_color(v),
                if v == Verdict::MustRelocate { 2.2 } else { 1.6 },
                "circle",
            ),
        })
        .collect();
    // Draw must_relocate last, so the factories that matter are never hidden under others.
    let order = "CASE \"verdict\" WHEN 'must_relocate' THEN 3 WHEN 'encouraged' THEN 2 \
                 WHEN 'may_stay' THEN 1 ELSE 0 END";
    LayerStyle {
        layer: "factories",
        renderer: categorized("verdict", &categories, Some(order)),
        labeling: None,
        opacity: 1.0,
    }
}

/// The `stability` layer of `relocate sensitivity`: factories by stability class, the unstable
/// drawn last and largest (colours as in `sensitivity.html`).
pub fn stability(lang: Lang) -> LayerStyle {
    let classes = [
        ("stable", Term::ClassStable, Rgba(26, 152, 80, 255), 1.6),
        ("moderate", Term::ClassModerate, Rgba(253, 174, 97, 255), 2.2),
        ("unstable", Term::ClassUnstable, Rgba(215, 25, 28, 255), 2.6),
    ];
    let categories: Vec<Category> = classes
        .iter()
        .map(|(value, label, colour, size)| Category {
            value: (*value).to_string(),
            label: i18n::term(lang, *label).to_string(),
            symbol: marker(*colour, *size, "circle"),
        })
        .collect();
    let order = "CASE \"class\" WHEN 'unstable' THEN 2 WHEN 'moderate' THEN 1 ELSE 0 END";
    LayerStyle {
        layer: "stability",
        renderer: categorized("class", &categories, Some(order)),
        labeling: None,
        opacity: 1.0,
    }
}

/// Classes of park fill, percent of the land offered: (lower, upper, colour), the map's classes
/// (the palette's ramp without its "none allocated" step).
pub fn fill_classes() -> [(f64, f64, Rgba); 4] {
    let c =
        |i: usize| rgba(palette::PARK_FILL.get(i).copied().unwrap_or(palette::PARK_FILL[0]), 255);
    [(0.0, 25.0, c(1)), (25.0, 50.0, c(2)), (50.0, 75.0, c(3)), (75.0, 100.0, c(4))]
}

pub fn parks(_lang: Lang) -> LayerStyle {
    let mut r = String::from(
        "  <renderer-v2 type=\"graduatedSymbol\" attr=\"fill_pct\" graduatedMethod=\"GraduatedColor\" \
         symbollevels=\"0\" forceraster=\"0\" referencescale=\"-1\" enableorderby=\"0\">\n    <ranges>\n",
    );
    let classes = fill_classes();
    for (i, (lo, hi, _)) in classes.iter().enumerate() {
        r.push_str(&format!(
            "      <range render=\"true\" symbol=\"{i}\" lower=\"{lo:.6}\" upper=\"{hi:.6}\" label=\"{}\"/>\n",
            esc(&format!("{lo:.0} – {hi:.0} %"))
        ));
    }
    r.push_str("    </ranges>\n    <symbols>\n");
    for (i, (_, _, color)) in classes.iter().enumerate() {
        r.push_str(
            &fill(*color, rgba(palette::PARK_OUTLINE, 255), 0.4, "solid", true)
                .xml(&i.to_string(), 6),
        );
    }
    r.push_str(
        "    </symbols>\n    <mode name=\"fixed\"/>\n    <classificationMethod id=\"Fixed\">\n      \
         <symmetricMode enabled=\"0\" symmetrypoint=\"0\" astride=\"0\"/>\n      \
         <labelFormat format=\"%1 – %2 %\" labelprecision=\"0\" trimtrailingzeroes=\"1\"/>\n    \
         </classificationMethod>\n  </renderer-v2>\n",
    );
    LayerStyle {
        layer: "parks",
        renderer: r,
        labeling: Some(labeling(
            "\"name\" || '\\n' || format_number(\"fill_pct\", 0) || ' %'",
            true,
            8.0,
            true,
            On::Polygon,
        )),
        opacity: 1.0,
    }
}

pub fn moves(lang: Lang) -> LayerStyle {
    let categories: Vec<Category> = [Verdict::MustRelocate, Verdict::Encouraged]
        .iter()
        .map(|&v| Category {
            value: v.as_str().to_string(),
            label: i18n::verdict(lang, v).to_string(),
            symbol: arrow_line(rgba(palette::verdict(v), 150), 0.3),
        })
        .collect();
    LayerStyle {
        layer: "moves",
        renderer: categorized("verdict", &categories, None),
        labeling: None,
        opacity: 1.0,
    }
}

/// Width classes of the `flows` layer for a largest flow of `max` factories: (lowest, highest,
/// width in mm), the width in proportion to the class's highest count as on the printed map
/// (6 mm for the largest), so the layout legend explains widths.
pub fn flow_classes(max: usize) -> Vec<(usize, usize, f64)> {
    let max = max.max(1);
    let mut uppers: Vec<usize> = [0.1, 0.25, 0.5]
        .iter()
        .map(|share| (max as f64 * share).round() as usize)
        .filter(|u| *u >= 1 && *u < max)
        .collect();
    uppers.push(max);
    uppers.dedup();
    let mut lo = 1;
    uppers
        .into_iter()
        .map(|hi| {
            let width = (6.0 * hi as f64 / max as f64).max(0.4);
            let class = (lo, hi, (width * 100.0).round() / 100.0);
            lo = hi + 1;
            class
        })
        .collect()
}

fn flow_line(color: Rgba, width_mm: f64) -> Symbol {
    Symbol {
        kind: "line",
        layers: vec![SymbolLayer {
            class: "SimpleLine",
            props: vec![
                p("capstyle", "round"),
                p("joinstyle", "round"),
                p("line_color", &color.qgis()),
                p("line_style", "solid"),
                p("line_width", &format!("{width_mm}")),
                p("line_width_unit", "MM"),
                p("offset", "0"),
                p("offset_unit", "MM"),
                p("use_custom_dash", "0"),
            ],
            sub: None,
        }],
    }
}

/// The `flows` layer: curves graduated in width by `factories` (classes from `flow_classes`),
/// widest drawn first, labelled with the count.
pub fn flows(lang: Lang, max: usize) -> LayerStyle {
    let unit = i18n::term(lang, Term::FlowWidth);
    let classes = flow_classes(max);
    let color = rgba(palette::FLOW, (palette::FLOW_OPACITY * 255.0).round() as u8);
    let mut r = String::from(
        "  <renderer-v2 type=\"graduatedSymbol\" attr=\"factories\" graduatedMethod=\"GraduatedSize\" \
         symbollevels=\"0\" forceraster=\"0\" referencescale=\"-1\" enableorderby=\"1\">\n    <ranges>\n",
    );
    for (i, (lo, hi, _)) in classes.iter().enumerate() {
        let text = if lo == hi { format!("{hi}") } else { format!("{lo} – {hi}") };
        let label = if *hi == 1 {
            i18n::term(lang, Term::FlowWidthOne).to_string()
        } else {
            unit.replace("{n}", &text)
        };
        r.push_str(&format!(
            "      <range render=\"true\" symbol=\"{i}\" lower=\"{:.6}\" upper=\"{hi:.6}\" label=\"{}\"/>\n",
            *lo as f64 - 0.5,
            esc(&label)
        ));
    }
    r.push_str("    </ranges>\n    <symbols>\n");
    for (i, (_, _, width)) in classes.iter().enumerate() {
        r.push_str(&flow_line(color, *width).xml(&i.to_string(), 6));
    }
    r.push_str("    </symbols>\n");
    r.push_str(
        "    <mode name=\"fixed\"/>\n    <classificationMethod id=\"Fixed\">\n      \
         <symmetricMode enabled=\"0\" symmetrypoint=\"0\" astride=\"0\"/>\n      \
         <labelFormat format=\"%1 – %2\" labelprecision=\"0\" trimtrailingzeroes=\"1\"/>\n    \
         </classificationMethod>\n    <orderby>\n      \
         <orderByClause asc=\"0\" nullsFirst=\"0\">\"factories\"</orderByClause>\n    </orderby>\n  </renderer-v2>\n",
    );
    LayerStyle {
        layer: "flows",
        renderer: r,
        labeling: Some(labeling("factories", false, 9.0, true, On::Line)),
        opacity: 1.0,
    }
}

/// Roles a district plays in the scenario; see `gpkg::district_role`.
pub const AREA_ROLES: [&str; 3] = ["origin", "destination", "other"];

pub fn districts(lang: Lang) -> LayerStyle {
    let categories: Vec<Category> = AREA_ROLES
        .iter()
        .map(|&role| Category {
            value: role.to_string(),
            label: i18n::area_role(lang, role).to_string(),
            symbol: match role {
                "origin" => fill(Rgba(0, 0, 0, 0), Rgba(140, 45, 4, 255), 0.6, "dash", false),
                "destination" => fill(Rgba(0, 0, 0, 0), Rgba(0, 90, 50, 255), 0.6, "solid", false),
                _ => fill(Rgba(0, 0, 0, 0), Rgba(120, 120, 120, 255), 0.3, "solid", false),
            },
        })
        .collect();
    LayerStyle {
        layer: "districts",
        renderer: categorized("area", &categories, None),
        labeling: Some(labeling("name", false, 9.0, false, On::Polygon)),
        opacity: 1.0,
    }
}

pub fn zoning_color(u: PlannedUse) -> Rgba {
    match u {
        PlannedUse::Industrial => Rgba(190, 174, 212, 255),
        PlannedUse::Residential => Rgba(255, 237, 160, 255),
        PlannedUse::Commercial => Rgba(251, 128, 114, 255),
        PlannedUse::Mixed => Rgba(253, 192, 134, 255),
        PlannedUse::Public => Rgba(128, 177, 211, 255),
        PlannedUse::Green => Rgba(127, 201, 127, 255),
        PlannedUse::Agricultural => Rgba(217, 240, 163, 255),
        PlannedUse::Infrastructure => Rgba(189, 189, 189, 255),
        PlannedUse::Other => Rgba(230, 230, 230, 255),
    }
}

/// The planned uses the zoning layer holds, in vocabulary order: the legend lists only these.
pub fn planned_uses(inputs: &crate::model::Inputs) -> Vec<PlannedUse> {
    PlannedUse::ALL
        .iter()
        .copied()
        .filter(|u| inputs.zoning.iter().any(|z| z.planned_use == *u))
        .collect()
}

/// Zoning style with a category for each of `uses` (every planned use when empty).
pub fn zoning(lang: Lang, uses: &[PlannedUse]) -> LayerStyle {
    let uses = if uses.is_empty() { PlannedUse::ALL } else { uses };
    let categories: Vec<Category> = uses
        .iter()
        .map(|&u| Category {
            value: u.as_str().to_string(),
            label: i18n::planned_use(lang, u).to_string(),
            symbol: fill(zoning_color(u), Rgba(255, 255, 255, 255), 0.1, "solid", true),
        })
        .collect();
    LayerStyle {
        layer: "zoning",
        renderer: categorized("planned_use", &categories, None),
        labeling: None,
        // The land-use plan is context: translucent, so districts and parks read above it.
        opacity: 0.45,
    }
}

/// The style of each output layer by name; `uses` are the planned uses present in zoning,
/// `flow_max` the factories of the largest flow.
pub fn style(layer: &str, lang: Lang, uses: &[PlannedUse], flow_max: usize) -> Option<LayerStyle> {
    match layer {
        "flows" => Some(flows(lang, flow_max)),
        "factories" => Some(factories(lang)),
        "parks" => Some(parks(lang)),
        "moves" => Some(moves(lang)),
        "districts" => Some(districts(lang)),
        "zoning" => Some(zoning(lang, uses)),
        "stability" => Some(stability(lang)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            esc("<script>alert(\"x\")</script> & 'y'"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        // A control character XML 1.0 forbids is replaced, not written; a line break survives
        // in an attribute.
        assert_eq!(esc("a\u{1}b\nc"), "a\u{FFFD}b&#10;c");
    }

    #[test]
    fn every_verdict_has_a_factory_category_in_both_languages() {
        for lang in [Lang::En, Lang::Vi] {
            let qml = factories(lang).qml();
            for v in VERDICTS {
                assert!(qml.contains(&format!("value=\"{}\"", v.as_str())));
                assert!(qml.contains(&esc(i18n::verdict(lang, v))));
            }
        }
    }

    #[test]
    fn park_fill_classes_cover_zero_to_one_hundred_without_gaps() {
        let classes = fill_classes();
        assert_eq!(classes.first().map(|c| c.0), Some(0.0));
        assert_eq!(classes.last().map(|c| c.1), Some(100.0));
        for w in classes.windows(2) {
            assert_eq!(w[0].1, w[1].0);
        }
    }
}

#[cfg(test)]
mod flow_tests {
    use super::*;

    #[test]
    fn flow_classes_cover_one_to_the_largest_and_widen() {
        let classes = flow_classes(212);
        assert_eq!(classes.first().map(|c| c.0), Some(1));
        assert_eq!(classes.last().map(|c| (c.1, c.2)), Some((212, 6.0)));
        for w in classes.windows(2) {
            assert_eq!(w[0].1 + 1, w[1].0);
            assert!(w[0].2 < w[1].2);
        }
        assert_eq!(flow_classes(1), vec![(1, 1, 6.0)]);
    }

    #[test]
    fn the_qml_colours_are_the_palette_colours() {
        let qml = factories(Lang::En).qml();
        let red = palette::verdict(Verdict::MustRelocate);
        assert!(qml.contains(&format!("{},{},{},255", red.0, red.1, red.2)));
    }
}
