//! What the integration tests share, one copy each: the hand-built plans that outputs are
//! written from, the runner of the real binary in a temp folder, and the readers of what it left.

pub mod cdp;
pub mod map_fixture;
pub mod output_fixture;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A file of the hand-made test data in `tests/data/`.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

/// The bundled Binh Duong layers and scenario, `fixtures/binh-duong/`.
pub fn binh_duong_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/binh-duong")
}

/// The system Python that carries the QGIS bindings (a pyenv shim on PATH may not).
pub fn qgis_python() -> Option<PathBuf> {
    ["/usr/bin/python3", "python3"].iter().map(PathBuf::from).find(|py| {
        Command::new(py)
            .args(["-c", "import qgis.core"])
            .env("QT_QPA_PLATFORM", "offscreen")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    })
}

/// What a run of the binary gave: exit code (-1 when a signal ended it), stdout and stderr.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the real `relocate` binary in `dir` with `args`.
pub fn relocate(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_relocate"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The run printed exactly `line` on stderr.
pub fn assert_line(run: &Run, line: &str) {
    assert!(
        run.stderr.lines().any(|l| l == line),
        "expected the line\n  {line}\nin stderr:\n{}",
        run.stderr
    );
}

/// Every path under `dir`, relative, with its bytes (none for a folder), sorted: enough to see
/// anything written, changed or removed.
pub fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path.clone());
                out.push((path.strip_prefix(dir).unwrap().to_path_buf(), Vec::new()));
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.push((path.strip_prefix(dir).unwrap().to_path_buf(), bytes));
            }
        }
    }
    out.sort();
    out
}

/// Every file in a folder (not below it) with its bytes, sorted by name.
pub fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect();
    v.sort();
    v
}

/// Parses XML as QGIS writes it (a DTD allowed); fails the test if it is not well-formed.
pub fn xml(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() },
    )
    .unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
}

/// The Chromium of this machine, if any.
pub fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Runs headless Chromium on `url` with a fresh profile and no way out to the network;
/// returns (stdout, stderr).
pub fn run_chromium(
    browser: &Path,
    profile: &Path,
    url: &str,
    extra: &[String],
) -> (String, String) {
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            // Any host lookup fails: the page must not need the network.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Console errors, uncaught exceptions and blocked loads that Chromium logs on stderr.
pub fn console_errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            l.contains("CONSOLE")
                || l.contains("Uncaught")
                || l.contains("Content Security Policy")
                || l.contains("net::ERR_")
        })
        .collect()
}
