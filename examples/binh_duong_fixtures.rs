//! Regenerates the bundled Binh Duong scenario in `fixtures/binh-duong/` (or in the folder given
//! as the first argument), byte for byte: `cargo run --example binh_duong_fixtures`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/binh-duong"));
    match relocate::synth::binh_duong::write_fixtures(&dir) {
        Ok(()) => {
            println!("wrote the Binh Duong scenario into {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
