//! The canonical field names of each layer (DESIGN.md "Input layers"). Any of them can be mapped
//! from another column name under `[inputs.fields.<layer>]`.

use crate::scenario::Layer;

/// Coordinate columns of tables (CSV/XLSX): `lon`/`lat` in EPSG:4326, or `x`/`y` in the CRS the
/// scenario gives. Mappable like any field.
pub const COORDINATE_FIELDS: &[&str] = &["lon", "lat", "x", "y"];

const PARKS: &[&str] = &[
    "id",
    "name",
    "available_ha",
    "district",
    "kind",
    "class",
    "total_ha",
    "ready_year",
    "sectors",
    "excluded_sectors",
    "max_hazard_class",
];

const FACTORIES: &[&str] = &[
    "id",
    "name",
    "sector",
    "land_ha",
    "employees",
    "district",
    "hazard_class",
    "fire_risk",
    "construction_violation",
    "environment_violation",
    "environment_remediable",
    "fire_violation",
    "fire_remediable",
    "land_use_conforming",
    "wants_relocation",
];

const ZONING: &[&str] = &["id", "planned_use"];
const RECEPTORS: &[&str] = &["id", "kind"];
const CORRIDORS: &[&str] = &["id", "kind", "width_m"];
const DISTRICTS: &[&str] = &["id", "name"];
const ROADS: &[&str] = &["id", "highway", "class", "speed_kmh", "oneway", "access", "hgv"];
const GATES: &[&str] = &["id", "park_id"];

/// Every canonical field of a layer.
pub fn fields(layer: Layer) -> &'static [&'static str] {
    match layer {
        Layer::Parks => PARKS,
        Layer::Factories => FACTORIES,
        Layer::Zoning => ZONING,
        Layer::Receptors => RECEPTORS,
        Layer::Corridors => CORRIDORS,
        Layer::Districts => DISTRICTS,
        Layer::Roads => ROADS,
        Layer::Gates => GATES,
    }
}

/// The fields every feature of the layer must have.
pub fn required(layer: Layer) -> &'static [&'static str] {
    match layer {
        Layer::Parks => &["id", "name", "available_ha"],
        Layer::Factories => &["id", "name", "sector", "land_ha"],
        Layer::Zoning => &["planned_use"],
        Layer::Receptors | Layer::Corridors | Layer::Roads => &[],
        Layer::Districts => &["name"],
        Layer::Gates => &["park_id"],
    }
}

/// Whether `field` may be named under `[inputs.fields.<layer>]`.
pub fn is_mappable(layer: Layer, field: &str) -> bool {
    fields(layer).contains(&field) || COORDINATE_FIELDS.contains(&field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_fields_are_fields_of_their_layer() {
        for layer in Layer::ALL {
            for f in required(layer) {
                assert!(fields(layer).contains(f), "{f} of {}", layer.as_str());
            }
        }
    }
}
