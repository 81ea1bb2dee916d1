//! Every input format the reader accepts, built in a temp folder from the hand-made GeoJSON in
//! tests/data with `ogr2ogr` (GeoPackage, Shapefile, XLSX) or written directly (CSV): each must
//! give the same factories, in the same place to within a metre.

use std::path::Path;
use std::process::Command;

use geo::{Distance, Haversine, Point};
use relocate::model::{Factory, Site};
use relocate::scenario::{Flags, Settings};

use crate::support::{data, relocate, Run};

fn ogr2ogr(dir: &Path, args: &[&str]) {
    let out = Command::new("ogr2ogr")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("ogr2ogr runs (gdal-bin)");
    assert!(out.status.success(), "ogr2ogr {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Loads through the library (read + validate) to inspect typed factories.
fn factories(args: Flags) -> Vec<Factory> {
    let settings = Settings::from_flags(&args, None).expect("settings");
    match relocate::pipeline::load(settings) {
        Ok(loaded) => loaded.inputs.factories,
        Err(relocate::Error::Invalid(problems)) => {
            panic!("{}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
        }
        Err(e) => panic!("{e}"),
    }
}

fn with_files(parks: &Path, factories: &Path) -> Flags {
    Flags {
        parks: Some(parks.to_path_buf()),
        factories: Some(factories.to_path_buf()),
        ..Flags::default()
    }
}

fn reference() -> Vec<Factory> {
    factories(with_files(&data("parks.geojson"), &data("factories.geojson")))
}

/// Each factory matches the GeoJSON reference: same ids, fields, and lon/lat within 1 m.
fn assert_same_factories(got: &[Factory], want: &[Factory]) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert_eq!((&g.id, &g.name, &g.sector, g.land_ha), (&w.id, &w.name, &w.sector, w.land_ha));
        let d = Haversine.distance(g.location_lonlat, w.location_lonlat);
        assert!(d < 1.0, "factory {} moved {d} m", g.id);
    }
}

#[test]
fn geojson_factories_are_typed_and_in_the_utm_working_crs() {
    let f = reference();
    assert_eq!(f.len(), 3);
    assert_eq!(f[0].records.construction_violation, Some(true));
    assert_eq!(f[0].records.environment_violation, None);
    assert_eq!(f[0].records.wants_relocation, Some(false));
    assert_eq!(f[0].district.as_deref(), Some("Thuận An"));
    // The top-level feature id stands in for a missing `id` property.
    assert_eq!(f[2].id, "3");
    // UTM 48N (central meridian 105 E): 106.70 E, 10.93 N lies about 186 km east of it.
    assert!((f[0].location.x() - 685_784.0).abs() < 1.0, "{:?}", f[0].location);
    assert!((f[0].location.y() - 1_208_762.0).abs() < 1.0, "{:?}", f[0].location);
    assert!(matches!(f[1].site, Site::Footprint(_)));
    assert!(matches!(f[1].site_lonlat, Site::Footprint(_)));
}

#[test]
fn geopackage_in_vn2000_reads_the_same_as_the_geojson() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = data("factories.geojson");
    let src = src.to_str().expect("utf-8 path");
    ogr2ogr(
        dir.path(),
        &["-f", "GPKG", "factories.gpkg", src, "-t_srs", "EPSG:9210", "-nln", "factories"],
    );
    let got = factories(with_files(&data("parks.geojson"), &dir.path().join("factories.gpkg")));
    let want = reference();
    assert_same_factories(&got, &want);
    // GeoPackage booleans arrive as integers 1/0 and read as booleans.
    assert_eq!(got[0].records.construction_violation, Some(true));
    assert_eq!(got[0].records.wants_relocation, Some(false));
    let Run { code, stdout, .. } = relocate(
        dir.path(),
        &[
            "validate",
            "--parks",
            data("parks.geojson").to_str().unwrap_or(""),
            "--factories",
            "factories.gpkg",
        ],
    );
    assert_eq!(code, 0);
    assert!(stdout.contains("factories.gpkg") && stdout.contains("EPSG:9210"), "{stdout}");
}

#[test]
fn shapefile_without_prj_needs_a_crs_and_column_mapping_reads_short_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A Shapefile with 10-character column names, as cadastral offices deliver them.
    let src = data("factories.geojson");
    // A Shapefile holds one geometry type: the point factories.
    let sql = "SELECT id AS FAC_ID, name AS TEN, sector AS NGANH, land_ha AS DIEN_TICH FROM factories WHERE OGR_GEOMETRY = 'POINT'";
    ogr2ogr(
        dir.path(),
        &[
            "-f",
            "ESRI Shapefile",
            "factories.shp",
            src.to_str().unwrap_or(""),
            "-t_srs",
            "EPSG:9210",
            "-sql",
            sql,
            "-lco",
            "ENCODING=UTF-8",
        ],
    );
    std::fs::copy(data("parks.geojson"), dir.path().join("parks.geojson")).expect("copy");

    let mapping = "[inputs.fields.factories]\nid = \"FAC_ID\"\nname = \"TEN\"\nsector = \"NGANH\"\nland_ha = \"DIEN_TICH\"\n";
    let base =
        "name = \"shp\"\n[inputs]\nparks = \"parks.geojson\"\nfactories = \"factories.shp\"\n";

    // With its .prj, the file's CRS is honoured: a scenario CRS naming the same one is accepted,
    // a different one is an error naming both, never a silent choice.
    std::fs::write(
        dir.path().join("same.toml"),
        format!("{base}{mapping}[inputs.crs]\nfactories = \"EPSG:9210\"\n"),
    )
    .expect("write");
    let Run { code, stderr, .. } = relocate(dir.path(), &["validate", "--scenario", "same.toml"]);
    assert_eq!(code, 0, "{stderr}");
    std::fs::write(
        dir.path().join("other.toml"),
        format!("{base}{mapping}[inputs.crs]\nfactories = \"EPSG:32648\"\n"),
    )
    .expect("write");
    let Run { code, stderr, .. } = relocate(dir.path(), &["validate", "--scenario", "other.toml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.lines().any(|l| l == "factories.shp: the file declares its CRS as EPSG:9210 (VN-2000 / TM-3 105-45) but the scenario's [inputs.crs] gives factories = \"EPSG:32648\" (EPSG:32648 (WGS 84 / UTM zone 48N)); a file's own CRS is honoured, so remove that entry or correct the file"),
        "{stderr}"
    );

    std::fs::remove_file(dir.path().join("factories.prj")).expect("remove .prj");
    std::fs::write(dir.path().join("no_crs.toml"), format!("{base}{mapping}")).expect("write");
    let Run { code, stderr, .. } = relocate(dir.path(), &["validate", "--scenario", "no_crs.toml"]);
    assert_eq!(code, 2);
    assert!(stderr.lines().any(|l| l == "factories.shp: the layer has no CRS (for a Shapefile: no .prj file beside it); give one in the scenario under [inputs.crs], e.g. factories = \"EPSG:9210\""), "{stderr}");

    std::fs::write(
        dir.path().join("ok.toml"),
        format!("{base}{mapping}[inputs.crs]\nfactories = \"EPSG:9210\"\n"),
    )
    .expect("write");
    let got = factories(Flags { scenario: Some(dir.path().join("ok.toml")), ..Flags::default() });
    let points: Vec<Factory> =
        reference().into_iter().filter(|f| matches!(f.site, Site::Point(_))).collect();
    assert_same_factories(&got, &points);

    // A mapped column that is not in the file is named with the canonical field and the column.
    std::fs::write(
        dir.path().join("typo.toml"),
        format!(
            "{base}{}[inputs.crs]\nfactories = \"EPSG:9210\"\n",
            mapping.replace("DIEN_TICH", "DIENTICH")
        ),
    )
    .expect("write");
    let Run { code, stderr, .. } = relocate(dir.path(), &["validate", "--scenario", "typo.toml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.lines().any(|l| l == "factories.shp: land_ha (DIENTICH): required column \"DIENTICH\" is not in the file; the columns are FAC_ID, TEN, NGANH, DIEN_TICH"),
        "{stderr}"
    );
}

#[test]
fn unknown_fields_in_the_column_mapping_are_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(data("parks.geojson"), dir.path().join("parks.geojson")).expect("copy");
    std::fs::copy(data("factories.geojson"), dir.path().join("factories.geojson")).expect("copy");
    std::fs::write(
        dir.path().join("s.toml"),
        "name = \"m\"\n[inputs]\nparks = \"parks.geojson\"\nfactories = \"factories.geojson\"\n[inputs.fields.factories]\nlnad_ha = \"LAND\"\n",
    )
    .expect("write");
    let Run { code, stderr, .. } = relocate(dir.path(), &["validate", "--scenario", "s.toml"]);
    assert_eq!(code, 2);
    assert!(stderr.lines().any(|l| l.starts_with("s.toml: inputs.fields.factories.lnad_ha: unknown field; expected one of id, name, sector, land_ha")), "{stderr}");
}

const CSV_LONLAT: &str = "\u{feff}id,name,sector,land_ha,employees,district,construction_violation,wants_relocation,lon,lat\n\
F1,Gốm Minh Long,ceramics,2.5,320,Thuận An,YES,0,106.70,10.93\n\
F2,Nội thất Phú Hưng,wood,1.2,,Dĩ An,,no,106.761,10.901\n\
3,May Việt,garments,0.8,1500,,,,106.68,10.98\n";

#[test]
fn csv_with_lon_lat_reads_tabular_booleans() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("factories.csv"), CSV_LONLAT).expect("write");
    let got = factories(with_files(&data("parks.geojson"), &dir.path().join("factories.csv")));
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].records.construction_violation, Some(true));
    assert_eq!(got[0].records.wants_relocation, Some(false));
    assert_eq!(got[1].records.construction_violation, None);
    assert_eq!(got[1].records.wants_relocation, Some(false));
    assert_eq!(got[0].employees, Some(320));
    assert_eq!(got[1].employees, None);
    assert_eq!(got[2].id, "3");
    assert_eq!(got[0].name, "Gốm Minh Long");
}

#[test]
fn csv_rows_with_missing_cells_are_named_by_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "id,name,sector,land_ha,lon,lat\nF1,A,wood,1,106.7,10.93\nF2,B,wood,1,106.7\n";
    std::fs::write(dir.path().join("factories.csv"), text).expect("write");
    let Run { code, stderr, .. } = relocate(
        dir.path(),
        &[
            "validate",
            "--parks",
            data("parks.geojson").to_str().unwrap_or(""),
            "--factories",
            "factories.csv",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        stderr
            .lines()
            .any(|l| l == "factories.csv: feature F2: row on line 3 has 5 cells; the header has 6"),
        "{stderr}"
    );
    assert!(
        stderr
            .lines()
            .any(|l| l
                == "factories.csv: feature F2: lat: missing; every row needs both coordinates"),
        "{stderr}"
    );
}

#[test]
fn csv_with_vn2000_x_y_lands_on_the_published_wgs84_point() {
    // domain-facts.md §9: WGS 84 (106.6 E, 11.2 N) → EPSG:9210 ≈ E 592,629.4 N 1,238,711.0.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("factories.csv"),
        "id,name,sector,land_ha,x,y\nF1,A,wood,1,592629.4,1238711.0\n",
    )
    .expect("write");
    std::fs::copy(data("parks.geojson"), dir.path().join("parks.geojson")).expect("copy");
    std::fs::write(
        dir.path().join("s.toml"),
        "name = \"xy\"\n[inputs]\nparks = \"parks.geojson\"\nfactories = \"factories.csv\"\n[inputs.crs]\nfactories = \"EPSG:9210\"\n",
    )
    .expect("write");
    let got = factories(Flags { scenario: Some(dir.path().join("s.toml")), ..Flags::default() });
    let d = Haversine.distance(got[0].location_lonlat, Point::new(106.6, 11.2));
    assert!(d < 1.0, "VN-2000 point is {d} m from its WGS 84 position");
}

#[test]
fn xlsx_reads_like_the_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("factories.csv"), CSV_LONLAT.trim_start_matches('\u{feff}'))
        .expect("write");
    ogr2ogr(
        dir.path(),
        &["-f", "XLSX", "factories.xlsx", "factories.csv", "-oo", "AUTODETECT_TYPE=YES"],
    );
    let from_xlsx =
        factories(with_files(&data("parks.geojson"), &dir.path().join("factories.xlsx")));
    let from_csv = factories(with_files(&data("parks.geojson"), &dir.path().join("factories.csv")));
    assert_same_factories(&from_xlsx, &from_csv);
    assert_eq!(from_xlsx[0].employees, Some(320));
    assert_eq!(from_xlsx[0].records.construction_violation, Some(true));
    // The numeric id cell 3 reads as the id "3", not "3.0".
    assert_eq!(from_xlsx[2].id, "3");
}
