//! plan.gpkg read back through GDAL, and plan.qgs parsed as XML, both snapshotted.

use gdal::vector::{FieldValue, LayerAccess};
use gdal::Dataset;
use serde_json::{json, Value};

use relocate::model::Lang;
use relocate::output;

use crate::support::{self, output_fixture};

fn field_json(v: Option<FieldValue>) -> Value {
    match v {
        None => Value::Null,
        Some(FieldValue::StringValue(s)) => json!(s),
        Some(FieldValue::IntegerValue(i)) => json!(i),
        Some(FieldValue::Integer64Value(i)) => json!(i),
        Some(FieldValue::RealValue(x)) => json!(x),
        Some(other) => json!(format!("{other:?}")),
    }
}

/// Schemas, counts, CRS and the first two features of every layer, as JSON.
fn read_back(path: &std::path::Path) -> Value {
    let ds = Dataset::open(path).unwrap();
    let mut layers = serde_json::Map::new();
    for mut layer in ds.layers() {
        let name = layer.name();
        let fields: Vec<Value> = layer
            .defn()
            .fields()
            .map(|f| json!([f.name(), gdal::vector::field_type_to_name(f.field_type())]))
            .collect();
        let geom_type = layer
            .defn()
            .geom_fields()
            .next()
            .map(|g| gdal::vector::geometry_type_to_name(g.field_type()));
        let srs = layer.spatial_ref().and_then(|s| s.auth_code().ok());
        let count = layer.feature_count();
        let field_names: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
        let features: Vec<Value> = layer
            .features()
            .take(2)
            .map(|f| {
                let mut props = serde_json::Map::new();
                for (i, n) in field_names.iter().enumerate() {
                    let v = field_json(f.field(i).unwrap());
                    // QML styles are long; the QGIS XML test covers their content.
                    let v = if n == "styleQML" {
                        json!(format!("{} bytes", v.as_str().unwrap_or("").len()))
                    } else {
                        v
                    };
                    props.insert(n.clone(), v);
                }
                json!({
                    "geometry": f.geometry().map(|g| g.wkt().unwrap()),
                    "fields": props,
                })
            })
            .collect();
        layers.insert(
            name,
            json!({ "geometry": geom_type, "epsg": srs, "count": count, "fields": fields, "first": features }),
        );
    }
    Value::Object(layers)
}

#[test]
fn geopackage_holds_every_layer_with_typed_fields_in_epsg_4326() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    output::write_plan(&output_fixture::plan(&out, Lang::En)).unwrap();
    let v = read_back(&out.join("plan.gpkg"));
    assert_eq!(v["factories"]["count"], 6);
    assert_eq!(v["parks"]["count"], 3);
    assert_eq!(v["moves"]["count"], 3);
    assert_eq!(v["districts"]["count"], 2);
    assert_eq!(v["zoning"]["count"], 2);
    assert_eq!(v["flows"]["geometry"], "Line String");
    assert!(v["flows"]["count"].as_u64().unwrap() >= 1);
    assert_eq!(v["layer_styles"]["count"], 6);
    for layer in ["factories", "parks", "moves", "flows", "districts", "zoning"] {
        assert_eq!(v[layer]["epsg"], 4326, "{layer}");
    }
    insta::assert_json_snapshot!("plan_gpkg", v);
}

#[test]
fn every_layer_has_a_default_qgis_style_that_parses() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    output::write_plan(&output_fixture::plan(&out, Lang::Vi)).unwrap();
    let ds = Dataset::open(out.join("plan.gpkg")).unwrap();
    let mut styles = ds.layer_by_name("layer_styles").unwrap();
    let mut seen = Vec::new();
    for f in styles.features() {
        let text = |name: &str| f.field_as_string(f.field_index(name).unwrap()).unwrap();
        let table = text("f_table_name").unwrap();
        assert_eq!(text("f_table_schema").as_deref(), Some(""));
        assert_eq!(text("f_geometry_column").as_deref(), Some("geom"));
        assert_eq!(f.field_as_integer(f.field_index("useAsDefault").unwrap()).unwrap(), Some(1));
        let qml = text("styleQML").unwrap();
        let doc = support::xml(&qml);
        let renderer = doc.descendants().find(|n| n.has_tag_name("renderer-v2")).unwrap();
        let expected = if table == "parks" || table == "flows" {
            "graduatedSymbol"
        } else {
            "categorizedSymbol"
        };
        assert_eq!(renderer.attribute("type"), Some(expected), "{table}");
        seen.push(table);
    }
    seen.sort();
    assert_eq!(seen, vec!["districts", "factories", "flows", "moves", "parks", "zoning"]);
}

/// plan.qgs with machine-dependent text (GDAL's WKT and PROJ strings) filtered out.
fn filtered_project(xml: &str) -> String {
    xml.lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("<wkt>") || t.starts_with("<proj4>") {
                format!("{}<{}>[filtered]", &l[..l.len() - t.len()], &t[1..t.find('>').unwrap()])
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn qgis_project_references_the_geopackage_by_relative_path_and_escapes_names() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    output::write_plan(&output_fixture::plan(&out, Lang::En)).unwrap();
    let xml = std::fs::read_to_string(out.join("plan.qgs")).unwrap();
    let doc = support::xml(&xml);
    let sources: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("datasource"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        sources,
        vec![
            "./plan.gpkg|layername=flows",
            "./plan.gpkg|layername=factories",
            "./plan.gpkg|layername=moves",
            "./plan.gpkg|layername=parks",
            "./plan.gpkg|layername=districts",
            "./plan.gpkg|layername=zoning",
        ]
    );
    // The hostile title comes back intact as text: escaped, not interpreted.
    let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(title.text(), Some(output_fixture::HOSTILE_TITLE));
    assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
    let label = doc.descendants().find(|n| n.attribute("id") == Some("title")).unwrap();
    assert_eq!(label.attribute("labelText"), Some(output_fixture::HOSTILE_TITLE));
    assert!(!xml.contains(&tmp.path().display().to_string()), "absolute path in the project");
    insta::assert_snapshot!("plan_qgs", filtered_project(&xml));
}
