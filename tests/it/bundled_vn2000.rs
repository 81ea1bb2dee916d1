//! The bundled factories exported the way a cadastral office delivers them — a Shapefile in
//! VN-2000 / TM-3 105°45′ (EPSG:9210) with 10-character column names — validate to the same
//! inventory as the bundled GeoJSON.

use std::path::Path;
use std::process::Command;

use crate::support::binh_duong_fixtures;

fn run(cmd: &str, args: &[&str], cwd: &Path) -> String {
    let out = Command::new(cmd).args(args).current_dir(cwd).output().expect(cmd);
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The inventory lines that must not depend on the file format: counts, working CRS, extent
/// (4 decimals of a degree, about 10 m) and land totals.
fn comparable(inventory: &str) -> Vec<String> {
    inventory
        .lines()
        .filter_map(|l| {
            let t = l.trim();
            if t.starts_with("factories") {
                // "factories  <path>  2900 features  EPSG:…": keep the count only.
                t.split_whitespace()
                    .position(|w| w == "features")
                    .and_then(|i| t.split_whitespace().nth(i.wrapping_sub(1)))
                    .map(|n| format!("factories {n}"))
            } else if t.starts_with("working CRS")
                || t.starts_with("extent")
                || t.starts_with("land")
            {
                Some(t.to_string())
            } else {
                None
            }
        })
        .collect()
}

#[test]
fn bundled_factories_as_a_vn2000_shapefile_validate_to_the_same_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = binh_duong_fixtures();
    for f in ["parks", "factories", "zoning", "receptors", "corridors", "districts"] {
        std::fs::copy(
            fixtures.join(format!("{f}.geojson")),
            dir.path().join(format!("{f}.geojson")),
        )
        .unwrap();
    }
    // A Shapefile holds one geometry type: footprints are delivered as a point on their surface.
    // Long names are shortened to 10 characters, as Shapefiles require.
    let sql = "SELECT id, name, sector, land_ha, employees, district, hazard_class AS hazard, \
               fire_risk AS fire, construction_violation AS c_viol, environment_violation AS e_viol, \
               environment_remediable AS e_remed, fire_violation AS f_viol, fire_remediable AS f_remed, \
               land_use_conforming AS lu_conf, wants_relocation AS wants, \
               PointOnSurface(geometry) AS geometry FROM factories";
    run(
        "ogr2ogr",
        &[
            "-f",
            "ESRI Shapefile",
            "factories_vn2000.shp",
            "factories.geojson",
            "-dialect",
            "SQLite",
            "-sql",
            sql,
            "-nln",
            "factories_vn2000",
            "-nlt",
            "POINT",
            "-t_srs",
            "EPSG:9210",
            "-lco",
            "ENCODING=UTF-8",
        ],
        dir.path(),
    );
    let prj = std::fs::read_to_string(dir.path().join("factories_vn2000.prj")).unwrap();
    assert!(prj.contains("VN-2000") || prj.contains("VN_2000"), "{prj}");

    let scenario = std::fs::read_to_string(fixtures.join("scenario.toml"))
        .unwrap()
        .replace("factories = \"factories.geojson\"", "factories = \"factories_vn2000.shp\"")
        .replace(
            "[area]",
            "[inputs.fields.factories]\nhazard_class = \"hazard\"\nfire_risk = \"fire\"\n\
             construction_violation = \"c_viol\"\nenvironment_violation = \"e_viol\"\n\
             environment_remediable = \"e_remed\"\nfire_violation = \"f_viol\"\n\
             fire_remediable = \"f_remed\"\nland_use_conforming = \"lu_conf\"\n\
             wants_relocation = \"wants\"\n\n[area]",
        );
    std::fs::write(dir.path().join("vn2000.toml"), scenario).unwrap();

    let relocate = env!("CARGO_BIN_EXE_relocate");
    let bundled = run(relocate, &["validate"], dir.path());
    let shapefile = run(relocate, &["validate", "--scenario", "vn2000.toml"], dir.path());
    assert!(shapefile.contains("EPSG:9210"), "{shapefile}");
    let (a, b) = (comparable(&bundled), comparable(&shapefile));
    assert_eq!(a.len(), 4, "{bundled}");
    assert_eq!(a, b, "bundled:\n{bundled}\nshapefile:\n{shapefile}");
}
