//! `plan.qgs`: a QGIS 3 project over `plan.gpkg`.
//!
//! 1. One map layer per GeoPackage layer, referenced by relative path
//!    (`./plan.gpkg|layername=…`), with the same renderer and labels as `layer_styles`.
//! 2. Project CRS: the run's metric working CRS, so the scale bar and measurements are true
//!    (the data stay in EPSG:4326 and QGIS reprojects on the fly).
//! 3. A print layout "Map": A3 landscape, map, legend, scale bar, north arrow, title.
//!
//! Every text that comes from the user (title, scenario name) is escaped; item ids and uuids are
//! fixed so the same inputs give the same bytes.

use std::path::Path;

use gdal::spatial_ref::SpatialRef;
use geo::{BoundingRect, Rect};

use crate::error::{Error, Result};
use crate::model::Lang;
use crate::output::flows::FlowRow;
use crate::output::gpkg::{self, FILE as GPKG_FILE};
use crate::output::i18n;
use crate::output::styles::{self, esc, FONT, QGIS_VERSION};
use crate::pipeline::Plan;
use crate::scenario::MapMoves;

pub const FILE: &str = "plan.qgs";

/// A3 landscape, millimetres.
const PAGE_W_MM: f64 = 420.0;
const PAGE_H_MM: f64 = 297.0;
/// The map frame on the page: x, y, width, height (mm).
const MAP_FRAME: (f64, f64, f64, f64) = (10.0, 28.0, 300.0, 259.0);

/// A CRS as a QGIS `<spatialrefsys>` element.
struct Crs {
    epsg: u32,
    wkt: String,
    proj4: String,
    description: String,
    geographic: bool,
}

impl Crs {
    fn from_epsg(epsg: u32) -> Result<Crs> {
        let srs = SpatialRef::from_epsg(epsg)?;
        Ok(Crs {
            epsg,
            wkt: srs.to_wkt()?,
            proj4: srs.to_proj4().unwrap_or_default().trim().to_string(),
            description: srs.name().unwrap_or_else(|| format!("EPSG:{epsg}")),
            geographic: srs.is_geographic(),
        })
    }

    fn xml(&self, indent: usize) -> String {
        let pad = " ".repeat(indent);
        format!(
            "{pad}<spatialrefsys nativeFormat=\"Wkt\">\n\
             {pad}  <wkt>{}</wkt>\n\
             {pad}  <proj4>{}</proj4>\n\
             {pad}  <srid>{}</srid>\n\
             {pad}  <authid>EPSG:{}</authid>\n\
             {pad}  <description>{}</description>\n\
             {pad}  <geographicflag>{}</geographicflag>\n\
             {pad}</spatialrefsys>\n",
            esc(&self.wkt),
            esc(&self.proj4),
            self.epsg,
            self.epsg,
            esc(&self.description),
            self.geographic,
        )
    }
}

fn union(a: Option<Rect<f64>>, b: Option<Rect<f64>>) -> Option<Rect<f64>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(Rect::new(
            geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
            geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
        )),
        (a, None) => a,
        (None, b) => b,
    }
}

/// The extent of the data in the working CRS (metric) and in lon/lat.
fn extents(plan: &Plan) -> (Option<Rect<f64>>, Option<Rect<f64>>) {
    let inputs = &plan.assessed.loaded.inputs;
    let mut metric = None;
    let mut lonlat = None;
    for p in &inputs.parks {
        metric = union(metric, p.area.bounding_rect());
        lonlat = union(lonlat, p.area_lonlat.bounding_rect());
    }
    for f in &inputs.factories {
        metric = union(metric, Some(f.location.bounding_rect()));
        lonlat = union(lonlat, Some(f.location_lonlat.bounding_rect()));
    }
    for d in &inputs.districts {
        metric = union(metric, d.area.bounding_rect());
        lonlat = union(lonlat, d.area_lonlat.bounding_rect());
    }
    (metric, lonlat)
}

/// Grows `r` by a margin and to the frame's aspect ratio, so the map item shows it whole.
fn fit(r: Rect<f64>, frame_w: f64, frame_h: f64) -> Rect<f64> {
    let (mut w, mut h) = (r.width().max(1e-9), r.height().max(1e-9));
    w *= 1.06;
    h *= 1.06;
    let aspect = frame_w / frame_h;
    if w / h < aspect {
        w = h * aspect;
    } else {
        h = w / aspect;
    }
    let c = r.center();
    Rect::new(
        geo::coord! { x: c.x - w / 2.0, y: c.y - h / 2.0 },
        geo::coord! { x: c.x + w / 2.0, y: c.y + h / 2.0 },
    )
}

fn extent_xml(tag: &str, r: Option<Rect<f64>>, indent: usize) -> String {
    let pad = " ".repeat(indent);
    match r {
        Some(r) => format!(
            "{pad}<{tag}>\n{pad}  <xmin>{:.6}</xmin>\n{pad}  <ymin>{:.6}</ymin>\n{pad}  <xmax>{:.6}</xmax>\n{pad}  <ymax>{:.6}</ymax>\n{pad}</{tag}>\n",
            r.min().x,
            r.min().y,
            r.max().x,
            r.max().y
        ),
        None => format!("{pad}<{tag}/>\n"),
    }
}

fn layer_id(name: &str) -> String {
    format!("relocate_{name}")
}

fn geometry_of(name: &str) -> (&'static str, &'static str) {
    match name {
        "factories" => ("Point", "Point"),
        "moves" | "flows" => ("Line", "LineString"),
        _ => ("Polygon", "MultiPolygon"),
    }
}

/// The layer tree, top to bottom: what is drawn last is listed first. Flows go over the
/// factories (they are the map's message, and would vanish under 3,000 dots), single moves
/// under them, as on the printed map.
fn draw_order(names: &[&'static str]) -> Vec<&'static str> {
    ["flows", "factories", "moves", "parks", "districts", "zoning"]
        .into_iter()
        .filter(|n| names.contains(n))
        .collect()
}

fn layer_extent(plan: &Plan, name: &str) -> Option<Rect<f64>> {
    let inputs = &plan.assessed.loaded.inputs;
    let mut r = None;
    match name {
        "factories" => {
            for f in &inputs.factories {
                r = union(r, Some(f.location_lonlat.bounding_rect()));
            }
        }
        "parks" => {
            for p in &inputs.parks {
                r = union(r, p.area_lonlat.bounding_rect());
            }
        }
        "districts" => {
            for d in &inputs.districts {
                r = union(r, d.area_lonlat.bounding_rect());
            }
        }
        "zoning" => {
            for z in &inputs.zoning {
                r = union(r, z.area_lonlat.bounding_rect());
            }
        }
        _ => {
            r = union(extents(plan).1, None);
        }
    }
    r
}

fn maplayer(plan: &Plan, name: &'static str, lonlat: &Crs, flow_max: usize) -> String {
    let lang = plan.assessed.loaded.settings.lang;
    let (geometry, wkb) = geometry_of(name);
    let uses = styles::planned_uses(&plan.assessed.loaded.inputs);
    let style = styles::style(name, lang, &uses, flow_max);
    let labels = style.as_ref().is_some_and(|s| s.labeling.is_some());
    let mut s = format!(
        "    <maplayer type=\"vector\" geometry=\"{geometry}\" wkbType=\"{wkb}\" labelsEnabled=\"{}\" \
         styleCategories=\"AllStyleCategories\" hasScaleBasedVisibilityFlag=\"0\" minScale=\"100000000\" \
         maxScale=\"0\" readOnly=\"0\" autoRefreshEnabled=\"0\" autoRefreshTime=\"0\" \
         refreshOnNotifyEnabled=\"0\" refreshOnNotifyMessage=\"\" simplifyAlgorithm=\"0\" \
         simplifyDrawingHints=\"1\" simplifyDrawingTol=\"1\" simplifyLocal=\"1\" simplifyMaxScale=\"1\" \
         symbologyReferenceScale=\"-1\">\n",
        u8::from(labels)
    );
    s.push_str(&extent_xml("extent", layer_extent(plan, name), 6));
    s.push_str(&format!("      <id>{}</id>\n", layer_id(name)));
    s.push_str(&format!("      <datasource>./{GPKG_FILE}|layername={name}</datasource>\n"));
    s.push_str(&format!("      <layername>{}</layername>\n", esc(i18n::layer_title(lang, name))));
    s.push_str("      <srs>\n");
    s.push_str(&lonlat.xml(8));
    s.push_str("      </srs>\n");
    s.push_str("      <provider encoding=\"UTF-8\">ogr</provider>\n");
    if let Some(style) = &style {
        // The style XML is indented for a QML document; nest it one level deeper.
        for line in style.renderer.lines().chain(style.labeling.iter().flat_map(|l| l.lines())) {
            s.push_str("    ");
            s.push_str(line);
            s.push('\n');
        }
        s.push_str(&format!(
            "      <blendMode>0</blendMode>\n      <featureBlendMode>0</featureBlendMode>\n      \
             <layerOpacity>{}</layerOpacity>\n",
            style.opacity
        ));
    }
    s.push_str("    </maplayer>\n");
    s
}

/// A Qt font description, as QGIS layouts store fonts: family, size (pt), weight.
fn font(size_pt: u32, bold: bool) -> String {
    format!("{FONT},{size_pt},-1,5,{},0,0,0,0,0", if bold { 75 } else { 50 })
}

/// Attributes every layout item carries.
fn item_attrs(
    kind: u32,
    uuid: &str,
    id: &str,
    pos: (f64, f64),
    size: (f64, f64),
    z: u32,
) -> String {
    format!(
        "type=\"{kind}\" uuid=\"{uuid}\" templateUuid=\"{uuid}\" id=\"{}\" \
         position=\"{:.2},{:.2},mm\" positionOnPage=\"{:.2},{:.2},mm\" size=\"{:.2},{:.2},mm\" \
         zValue=\"{z}\" referencePoint=\"0\" itemRotation=\"0\" positionLock=\"false\" groupUuid=\"\" \
         visibility=\"1\" opacity=\"1\" blendMode=\"0\" outlineWidthM=\"0.3,mm\" \
         frameJoinStyle=\"miter\" excludeFromExports=\"0\"",
        esc(id),
        pos.0,
        pos.1,
        pos.0,
        pos.1,
        size.0,
        size.1
    )
}

const COLORS: &str =
    "        <FrameColor red=\"0\" green=\"0\" blue=\"0\" alpha=\"255\"/>\n        \
                      <BackgroundColor red=\"255\" green=\"255\" blue=\"255\" alpha=\"255\"/>\n";

const MAP_UUID: &str = "{7e1f0a51-0000-4000-8000-000000000001}";

fn subtitle(plan: &Plan) -> String {
    let settings = &plan.assessed.loaded.settings;
    let crs = &plan.assessed.loaded.inputs.working_crs;
    let road = crate::output::report::by_road(plan);
    match settings.lang {
        Lang::En => format!(
            "Scenario {} · {} distances · map in EPSG:{} · relocate {}",
            settings.name,
            if road { "road" } else { "straight-line" },
            crs.epsg,
            env!("CARGO_PKG_VERSION")
        ),
        Lang::Vi => format!(
            "Kịch bản {} · khoảng cách {} · bản đồ EPSG:{} · relocate {}",
            settings.name,
            if road { "theo đường bộ" } else { "đường chim bay" },
            crs.epsg,
            env!("CARGO_PKG_VERSION")
        ),
    }
}

fn label_item(
    uuid: &str,
    id: &str,
    text: &str,
    pos: (f64, f64),
    size: (f64, f64),
    pt: u32,
    bold: bool,
) -> String {
    format!(
        "      <LayoutItem {} labelText=\"{}\" htmlState=\"0\" marginX=\"0\" marginY=\"0\" halign=\"1\" \
         valign=\"32\" frame=\"false\" background=\"false\">\n{COLORS}        \
         <LabelFont style=\"\" description=\"{}\"/>\n        \
         <FontColor red=\"20\" green=\"20\" blue=\"20\" alpha=\"255\"/>\n      </LayoutItem>\n",
        item_attrs(65641, uuid, id, pos, size, 5),
        esc(text),
        font(pt, bold)
    )
}

fn layout(plan: &Plan, map_extent: Option<Rect<f64>>) -> String {
    let settings = &plan.assessed.loaded.settings;
    let lang = settings.lang;
    let (mx, my, mw, mh) = MAP_FRAME;
    let mut s = String::from(
        "  <Layouts>\n    <Layout name=\"Map\" units=\"mm\" printResolution=\"300\" worldFileMap=\"\">\n      \
         <Snapper snapToItems=\"1\" snapToGrid=\"0\" snapToGuides=\"1\" tolerance=\"5\"/>\n      \
         <Grid offsetX=\"0\" offsetY=\"0\" offsetUnits=\"mm\" resolution=\"10\" resUnits=\"mm\"/>\n      \
         <PageCollection>\n",
    );
    s.push_str(&format!(
        "        <LayoutItem {} frame=\"false\" background=\"true\">\n  {COLORS}        </LayoutItem>\n",
        item_attrs(
            65638,
            "{7e1f0a51-0000-4000-8000-000000000000}",
            "",
            (0.0, 0.0),
            (PAGE_W_MM, PAGE_H_MM),
            0
        )
    ));
    s.push_str("        <GuideCollection visible=\"1\"/>\n      </PageCollection>\n");

    // Map frame.
    let extent = match map_extent {
        Some(r) => format!(
            "        <Extent xmin=\"{:.3}\" ymin=\"{:.3}\" xmax=\"{:.3}\" ymax=\"{:.3}\"/>\n",
            r.min().x,
            r.min().y,
            r.max().x,
            r.max().y
        ),
        None => String::new(),
    };
    s.push_str(&format!(
        "      <LayoutItem {} frame=\"true\" background=\"true\" mapRotation=\"0\" mapFlags=\"0\" \
         drawCanvasItems=\"true\" keepLayerSet=\"false\" followPreset=\"false\" followPresetName=\"\" \
         labelMargin=\"0,mm\" isTemporal=\"0\">\n{COLORS}{extent}        <LayerSet/>\n        \
         <AtlasMap atlasDriven=\"0\" scalingMode=\"2\" margin=\"0.1\"/>\n        <labelBlockingItems/>\n      \
         </LayoutItem>\n",
        item_attrs(65639, MAP_UUID, "map", (mx, my), (mw, mh), 1)
    ));

    // Title and subtitle.
    s.push_str(&label_item(
        "{7e1f0a51-0000-4000-8000-000000000002}",
        "title",
        &settings.title,
        (10.0, 6.0),
        (400.0, 12.0),
        20,
        true,
    ));
    s.push_str(&label_item(
        "{7e1f0a51-0000-4000-8000-000000000003}",
        "subtitle",
        &subtitle(plan),
        (10.0, 18.0),
        (400.0, 7.0),
        10,
        false,
    ));

    // Legend beside the map: follows the project's layer tree and its styles.
    let legend_title = match lang {
        Lang::En => "Legend",
        Lang::Vi => "Chú giải",
    };
    let style_font = |name: &str, pt: u32, bold: bool, extra: &str| {
        format!(
            "          <style name=\"{name}\" alignment=\"1\" indent=\"0\" {extra}>\n            \
             <styleFont style=\"\" description=\"{}\"/>\n          </style>\n",
            font(pt, bold)
        )
    };
    s.push_str(&format!(
        "      <LayoutItem {} frame=\"false\" background=\"true\" title=\"{}\" map_uuid=\"{MAP_UUID}\" \
         resizeToContents=\"1\" columnCount=\"1\" columnSpace=\"2\" equalColumnWidth=\"0\" \
         splitLayer=\"0\" symbolWidth=\"7\" symbolHeight=\"4\" symbolAlignment=\"1\" \
         titleAlignment=\"1\" boxSpace=\"2\" lineSpacing=\"1\" wrapChar=\"\" fontColor=\"#141414\" \
         rasterBorder=\"1\" rasterBorderWidth=\"0\" rasterBorderColor=\"0,0,0,255\" \
         legendFilterByAtlas=\"0\" wmsLegendWidth=\"50\" wmsLegendHeight=\"25\" minSymbolSize=\"0\" \
         maxSymbolSize=\"0\">\n{COLORS}        <styles>\n{}{}{}{}        </styles>\n      </LayoutItem>\n",
        item_attrs(
            65642,
            "{7e1f0a51-0000-4000-8000-000000000004}",
            "legend",
            (316.0, 28.0),
            (94.0, 150.0),
            2
        ),
        esc(legend_title),
        style_font("title", 13, true, "marginBottom=\"3\""),
        style_font("group", 10, true, "marginTop=\"2\""),
        style_font("subgroup", 9, true, "marginTop=\"2\""),
        style_font("symbolLabel", 8, false, "marginTop=\"1.2\" marginLeft=\"2\""),
    ));

    // Scale bar in kilometres, segment length chosen by QGIS to fit 35–70 mm. QGIS converts
    // map units to the bar's unit itself; numMapUnitsPerScaleBarUnit is an extra divisor.
    s.push_str(&format!(
        "      <LayoutItem {} frame=\"false\" background=\"false\" style=\"Single Box\" \
         mapUuid=\"{MAP_UUID}\" unitType=\"km\" unitLabel=\"km\" numMapUnitsPerScaleBarUnit=\"1\" \
         numSegments=\"2\" numSegmentsLeft=\"0\" numSubdivisions=\"1\" subdivisionsHeight=\"1.5\" \
         numUnitsPerSegment=\"5\" segmentSizeMode=\"1\" minBarWidth=\"35\" maxBarWidth=\"70\" \
         segmentMillimeters=\"0\" height=\"2.5\" boxContentSpace=\"1\" labelBarSpace=\"2\" \
         alignment=\"0\" labelVerticalPlacement=\"0\" labelHorizontalPlacement=\"0\" \
         outlineWidth=\"0.3\" lineJoinStyle=\"miter\" lineCapStyle=\"square\">\n{COLORS}        \
         <text-style fontFamily=\"{FONT}\" namedStyle=\"Book\" fontSize=\"8\" fontSizeUnit=\"Point\" \
         fontWeight=\"50\" fontItalic=\"0\" textColor=\"20,20,20,255\" textOpacity=\"1\" \
         multilineHeight=\"1\" blendMode=\"0\" capitalization=\"0\" textOrientation=\"horizontal\">\n          \
         <families/>\n          <text-buffer bufferDraw=\"0\" bufferSize=\"1\" bufferSizeUnits=\"MM\" \
         bufferColor=\"255,255,255,255\" bufferOpacity=\"1\" bufferNoFill=\"1\" bufferJoinStyle=\"128\" \
         bufferBlendMode=\"0\"/>\n        </text-style>\n        \
         <fillColor red=\"20\" green=\"20\" blue=\"20\" alpha=\"255\"/>\n        \
         <fillColor2 red=\"255\" green=\"255\" blue=\"255\" alpha=\"255\"/>\n        \
         <strokeColor red=\"20\" green=\"20\" blue=\"20\" alpha=\"255\"/>\n      </LayoutItem>\n",
        item_attrs(
            65646,
            "{7e1f0a51-0000-4000-8000-000000000005}",
            "scalebar",
            (316.0, 268.0),
            (80.0, 14.0),
            3
        ),
    ));

    // North arrow: QGIS's own arrow picture, turned with the map.
    s.push_str(&format!(
        "      <LayoutItem {} frame=\"false\" background=\"false\" \
         file=\":/images/north_arrows/layout_default_north_arrow.svg\" mode=\"0\" resizeMode=\"0\" \
         anchorPoint=\"0\" pictureWidth=\"14\" pictureHeight=\"20\" pictureRotation=\"0\" \
         northMode=\"0\" northOffset=\"0\" mapUuid=\"{MAP_UUID}\" svgFillColor=\"20,20,20,255\" \
         svgBorderColor=\"20,20,20,255\" svgBorderWidth=\"0.2\">\n{COLORS}      </LayoutItem>\n",
        item_attrs(
            65640,
            "{7e1f0a51-0000-4000-8000-000000000006}",
            "north_arrow",
            (395.0, 240.0),
            (14.0, 20.0),
            4
        ),
    ));
    s.push_str("    </Layout>\n  </Layouts>\n");
    s
}

/// The project XML.
pub fn project_xml(plan: &Plan, flows: &[FlowRow]) -> Result<String> {
    let flow_max = flows.iter().map(|f| f.factories).max().unwrap_or(0);
    let loaded = &plan.assessed.loaded;
    let settings = &loaded.settings;
    let lonlat = Crs::from_epsg(4326)?;
    let (metric, lonlat_extent) = extents(plan);
    // The working CRS when GDAL knows it; the data's own lon/lat otherwise.
    let (project, data_extent) = match Crs::from_epsg(loaded.inputs.working_crs.epsg) {
        Ok(crs) if loaded.inputs.working_crs.epsg != 0 => (crs, metric),
        _ => (Crs::from_epsg(4326)?, lonlat_extent),
    };
    let map_extent = data_extent.map(|r| fit(r, MAP_FRAME.2, MAP_FRAME.3));
    let names = gpkg::layer_names(plan);
    let order = draw_order(&names);

    let mut s = format!(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n\
         <qgis projectname=\"{}\" version=\"{QGIS_VERSION}\">\n  <homePath path=\"\"/>\n  \
         <title>{}</title>\n  <autotransaction active=\"0\"/>\n  \
         <evaluateDefaultValues active=\"0\"/>\n  <trust active=\"0\"/>\n  <projectCrs>\n",
        esc(&settings.title),
        esc(&settings.title)
    );
    s.push_str(&project.xml(4));
    s.push_str("  </projectCrs>\n  <layer-tree-group>\n    <customproperties/>\n");
    for name in &order {
        // Flows or single moves, as `--map-moves` chose; the other stays in the project, off.
        let shown = !matches!(
            (*name, settings.map_moves),
            ("moves", MapMoves::Flows) | ("flows", MapMoves::Lines)
        );
        s.push_str(&format!(
            "    <layer-tree-layer id=\"{}\" name=\"{}\" source=\"./{GPKG_FILE}|layername={name}\" \
             providerKey=\"ogr\" checked=\"Qt::{}\" expanded=\"1\">\n      \
             <customproperties/>\n    </layer-tree-layer>\n",
            layer_id(name),
            esc(i18n::layer_title(settings.lang, name)),
            if shown { "Checked" } else { "Unchecked" }
        ));
    }
    s.push_str("  </layer-tree-group>\n");
    s.push_str(&format!(
        "  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n    <units>{}</units>\n",
        if project.geographic { "degrees" } else { "meters" }
    ));
    s.push_str(&extent_xml("extent", map_extent, 4));
    s.push_str("    <rotation>0</rotation>\n    <destinationsrs>\n");
    s.push_str(&project.xml(6));
    s.push_str("    </destinationsrs>\n    <rendermaptile>0</rendermaptile>\n  </mapcanvas>\n");
    s.push_str("  <projectlayers>\n");
    for name in &order {
        s.push_str(&maplayer(plan, name, &lonlat, flow_max));
    }
    s.push_str("  </projectlayers>\n  <layerorder>\n");
    for name in &order {
        s.push_str(&format!("    <layer id=\"{}\"/>\n", layer_id(name)));
    }
    s.push_str("  </layerorder>\n");
    s.push_str(
        "  <properties>\n    <Paths>\n      <Absolute type=\"bool\">false</Absolute>\n    </Paths>\n    \
         <SpatialRefSys>\n      <ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>\n    \
         </SpatialRefSys>\n    <Measurement>\n      <DistanceUnits type=\"QString\">km</DistanceUnits>\n      \
         <AreaUnits type=\"QString\">ha</AreaUnits>\n    </Measurement>\n  </properties>\n",
    );
    s.push_str(&layout(plan, map_extent));
    s.push_str("</qgis>\n");
    Ok(s)
}

pub fn write_project(plan: &Plan, flows: &[FlowRow], path: &Path) -> Result<()> {
    let xml = project_xml(plan, flows)?;
    std::fs::write(path, xml).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_extent_takes_the_frame_aspect_and_keeps_the_data() {
        let r = Rect::new(geo::coord! { x: 0.0, y: 0.0 }, geo::coord! { x: 100.0, y: 10.0 });
        let f = fit(r, 300.0, 259.0);
        assert!((f.width() / f.height() - 300.0 / 259.0).abs() < 1e-9);
        assert!(f.min().x <= 0.0 && f.max().x >= 100.0 && f.min().y <= 0.0 && f.max().y >= 10.0);
    }

    #[test]
    fn layers_are_listed_points_over_lines_over_polygons() {
        assert_eq!(
            draw_order(&["factories", "parks", "moves", "districts"]),
            vec!["factories", "moves", "parks", "districts"]
        );
    }
}
