//! The output folder, written safely.
//!
//! 1. Refuse a folder that holds an input file, or files relocate did not write (so that
//!    `--out .` can never wipe a working folder).
//! 2. Write everything into a fresh temporary folder beside it (same parent, so the final move
//!    is a rename on one file system).
//! 3. Only when every file is written: rename the old folder away, rename the new one in,
//!    remove the old one. A failure before that leaves the previous output untouched, and the
//!    temporary folder is removed.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::scenario::{Settings, Source};

/// File names relocate writes into an output folder (every command, every version).
pub const OUTPUT_FILES: &[&str] = &[
    "plan.gpkg",
    "plan.qgs",
    "factories.geojson",
    "parks.geojson",
    "moves.geojson",
    "map.svg",
    "map.png",
    "map.pdf",
    "report.html",
    "factories.csv",
    "parks.csv",
    "summary.json",
    "timings.json",
];

/// Whether a file found in an existing output folder is one relocate (or QGIS working on
/// relocate's project: `plan.gpkg-wal`, `plan.qgs~`, `plan.qgd`) put there.
fn is_own_output(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    OUTPUT_FILES.contains(&name) || name.starts_with("plan.") || name.starts_with("plan_")
}

/// The files the run reads: every layer on disk and the scenario file.
pub fn input_paths(settings: &Settings) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = settings
        .layers
        .iter()
        .filter_map(|l| match &l.source {
            Source::File { path, .. } => Some(path.clone()),
            Source::Bundled { .. } => None,
        })
        .collect();
    let scenario = Path::new(&settings.scenario_shown);
    if scenario.is_file() {
        paths.push(scenario.to_path_buf());
    }
    paths
}

/// An absolute, symlink-free form of `path` when it exists; else absolute as written.
fn resolved(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    })
}

/// Checks that `out` may be replaced: not a file, holding no input, holding nothing foreign.
pub fn check_out_dir(out: &Path, inputs: &[PathBuf]) -> Result<()> {
    let shown = out.display();
    if out.as_os_str().is_empty() {
        return Err(Error::Usage("--out: an empty path cannot name an output folder".into()));
    }
    let out_abs = resolved(out);
    for input in inputs {
        if resolved(input).starts_with(&out_abs) {
            return Err(Error::Usage(format!(
                "--out {shown}: the output folder holds the input file {}; outputs replace the whole \
                 folder, so choose another folder",
                input.display()
            )));
        }
    }
    match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(out, e)),
        Ok(meta) if !meta.is_dir() => Err(Error::Usage(format!(
            "--out {shown}: is a file, not a folder; choose a folder name"
        ))),
        Ok(_) => {
            let entries = std::fs::read_dir(out).map_err(|e| Error::io(out, e))?;
            let mut foreign: Vec<String> = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|e| Error::io(out, e))?;
                let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(true);
                if is_dir || !is_own_output(&entry.file_name()) {
                    foreign.push(entry.file_name().to_string_lossy().into_owned());
                }
            }
            foreign.sort();
            match foreign.first() {
                None => Ok(()),
                Some(first) => Err(Error::Usage(format!(
                    "--out {shown}: the folder holds {first:?}{}, which relocate did not write; \
                     outputs replace the whole folder, so move those away or choose another folder",
                    if foreign.len() > 1 {
                        format!(" and {} more", foreign.len() - 1)
                    } else {
                        String::new()
                    }
                ))),
            }
        }
    }
}

/// Writes a complete output folder at `out` through `write`, which fills the folder it is
/// given. `out` is replaced only when `write` succeeds.
pub fn replace_dir(
    out: &Path,
    inputs: &[PathBuf],
    write: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    check_out_dir(out, inputs)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string());

    let prefix = format!(".{name}.writing-");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    // A temporary folder is private (0700) by default; the output folder is for sharing, so
    // ask for the ordinary mode and let the umask decide as for any folder.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o777));
    }
    let staging = builder.tempdir_in(&parent).map_err(|e| Error::io(&parent, e))?;
    // On error the TempDir is dropped here and takes the partial output with it.
    write(staging.path())?;

    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = out.exists();
    if had_old {
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        std::fs::rename(out, &old).map_err(|e| Error::io(out, e))?;
    }
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, out) {
        // Put the previous output back before reporting.
        if had_old {
            let _ = std::fs::rename(&old, out);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(Error::io(out, e));
    }
    if had_old {
        std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_failing_write_leaves_the_previous_output_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("maps");
        replace_dir(&out, &[], |d| std::fs::write(d.join("summary.json"), "first").map_err(|e| Error::io(d, e)))
            .unwrap();
        let err = replace_dir(&out, &[], |d| {
            std::fs::write(d.join("summary.json"), "second").map_err(|e| Error::io(d, e))?;
            Err(Error::Output("disk full".into()))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(std::fs::read_to_string(out.join("summary.json")).unwrap(), "first");
        // No temporary or old folder is left beside it.
        assert_eq!(names(tmp.path()), vec!["maps".to_string()]);
    }

    #[test]
    fn a_successful_write_replaces_the_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("maps");
        replace_dir(&out, &[], |d| std::fs::write(d.join("map.svg"), "old").map_err(|e| Error::io(d, e)))
            .unwrap();
        replace_dir(&out, &[], |d| std::fs::write(d.join("summary.json"), "new").map_err(|e| Error::io(d, e)))
            .unwrap();
        assert_eq!(names(&out), vec!["summary.json".to_string()]);
        assert_eq!(names(tmp.path()), vec!["maps".to_string()]);
    }

    #[test]
    fn an_output_folder_holding_an_input_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("factories.geojson");
        std::fs::write(&input, "{}").unwrap();
        let err = replace_dir(tmp.path(), std::slice::from_ref(&input), |_| Ok(())).unwrap_err();
        assert!(err.to_string().contains("holds the input file"), "{err}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "{}");
    }

    #[test]
    fn a_folder_with_files_relocate_did_not_write_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
        std::fs::write(tmp.path().join("summary.json"), "{}").unwrap();
        let err = check_out_dir(tmp.path(), &[]).unwrap_err();
        assert!(err.to_string().contains("\"notes.txt\""), "{err}");
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn qgis_side_files_count_as_own_output() {
        assert!(is_own_output(OsStr::new("plan.gpkg-wal")));
        assert!(is_own_output(OsStr::new("plan.qgs~")));
        assert!(!is_own_output(OsStr::new("thesis.docx")));
    }
}
