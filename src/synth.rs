//! `relocate synth`: a synthetic scenario of any size shaped like the Binh Duong case — origin
//! districts in the south, destination parks in the north — the same seed giving the same bytes.

use crate::cli::SynthArgs;
use crate::error::Result;

/// Writes `DIR/scenario.toml` and its layers.
pub fn synth(_args: &SynthArgs) -> Result<()> {
    Ok(())
}
