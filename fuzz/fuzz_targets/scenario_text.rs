//! Arbitrary text as a scenario file: parsed and checked into settings, with the AHP matrix
//! weighed when one is given. Errors are fine; a panic, an abort or a hang is a bug.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use relocate::scenario::{settings_from_text, Flags};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(settings) = settings_from_text(text, "fuzz.toml", Path::new("/nonexistent-fuzz-base"), &Flags::default()) {
        // The AHP matrix is weighed while the scenario is read: accepted weights are finite.
        if let Some(ahp) = &settings.scoring.ahp {
            assert!(ahp.weights.iter().all(|w| w.is_finite()));
        }
    }
});
