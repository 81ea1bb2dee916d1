//! Arbitrary bytes as the factories GeoJSON layer: read, then validated beside a fixed valid
//! parks layer. Any outcome but a panic, an abort or a hang is fine: the reader and `validate`
//! must turn every malformed input into problems.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use relocate::input::{read_geojson_bytes, RawInputs};
use relocate::scenario::{settings_from_text, Flags, Layer, Settings};

const SCENARIO: &str = "name = \"fuzz\"\n[inputs]\nparks = \"parks.geojson\"\nfactories = \"factories.geojson\"\n";
const PARKS: &[u8] = br#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "P1", "name": "B", "available_ha": 100}, "geometry": {"type": "Polygon", "coordinates": [[[106.60, 11.25], [106.66, 11.25], [106.66, 11.30], [106.60, 11.30], [106.60, 11.25]]]}}]}"#;

fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        match settings_from_text(SCENARIO, "fuzz.toml", Path::new(""), &Flags::default()) {
            Ok(s) => s,
            Err(e) => unreachable!("the fixed scenario is valid: {e}"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let settings = settings();
    let (Some(parks), Some(factories)) = (settings.layer(Layer::Parks), settings.layer(Layer::Factories)) else {
        return;
    };
    let parks = read_geojson_bytes(PARKS, parks);
    let factories = read_geojson_bytes(data, factories);
    let _ = relocate::validate::validate(RawInputs { layers: vec![parks, factories] }, settings);
});
