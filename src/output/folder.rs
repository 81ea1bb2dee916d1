//! The output folder, written safely.
//!
//! 1. Refuse a folder that holds an input file, or files relocate did not write (so that
//!    `--out .` can never wipe a working folder).
//! 2. Write everything into a fresh temporary folder beside it (same parent, so the final move
//!    is a rename on one file system).
//! 3. Only when every file is written: rename the old folder away, rename the new one in,
//!    remove the old one. A failure before that leaves the previous output untouched, and the
//!    temporary folder is removed.
//! 4. An interrupted run cannot clean up after itself; the next run for the same folder removes
//!    what it left (and restores the previous output if it was caught between the renames).

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
    "flows.geojson",
    "map.svg",
    "map.png",
    "map.pdf",
    "report.html",
    "factories.csv",
    "parks.csv",
    "summary.json",
    "timings.json",
    // relocate compare
    "comparison.csv",
    "changed.csv",
    "changes.geojson",
    "compare.html",
    // relocate sensitivity
    "stability.csv",
    "stability.geojson",
    "tornado.svg",
    "tornado.png",
    "sensitivity.html",
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
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
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

    clean_stale(&parent, &name, out);
    // The process id in the name lets a later run tell a folder left by an interrupted run
    // (its process is gone) from one still being written by a concurrent run.
    let prefix = format!(".{name}.writing-{}-", std::process::id());
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

/// The process id in a staging (`.NAME.writing-PID-…`) or set-aside (`.NAME.old-PID`) folder
/// name of the output folder `name`.
fn leftover_pid(file_name: &str, name: &str) -> Option<(u32, bool)> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?;
    if let Some(tail) = rest.strip_prefix(".writing-") {
        let pid = tail.split('-').next()?;
        return pid.parse().ok().map(|p| (p, false));
    }
    rest.strip_prefix(".old-")?.parse().ok().map(|p| (p, true))
}

/// Whether the process `pid` still runs. Without `/proc` (not Linux) every process counts as
/// running, so nothing of a concurrent run is ever touched.
fn process_alive(pid: u32) -> bool {
    let proc_root = Path::new("/proc");
    !proc_root.join("self").exists() || proc_root.join(pid.to_string()).exists()
}

/// Removes what an interrupted run (Ctrl-C, kill, power loss) left beside `out`: its staging
/// folder, and its set-aside previous output — which is put back first when the interruption
/// came between the two renames and `out` is missing. Failures are ignored: cleaning up is a
/// courtesy, and the run proceeds either way.
fn clean_stale(parent: &Path, name: &str, out: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let mut stale: Vec<(PathBuf, bool)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let file_name = e.file_name().to_str()?.to_string();
            let (pid, is_old) = leftover_pid(&file_name, name)?;
            let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
            (is_dir && pid != std::process::id() && !process_alive(pid)).then(|| (e.path(), is_old))
        })
        .collect();
    stale.sort();
    for (path, is_old) in stale {
        if is_old && !out.exists() && std::fs::rename(&path, out).is_ok() {
            continue;
        }
        let _ = std::fs::remove_dir_all(&path);
    }
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
        replace_dir(&out, &[], |d| {
            std::fs::write(d.join("summary.json"), "first").map_err(|e| Error::io(d, e))
        })
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
        replace_dir(&out, &[], |d| {
            std::fs::write(d.join("map.svg"), "old").map_err(|e| Error::io(d, e))
        })
        .unwrap();
        replace_dir(&out, &[], |d| {
            std::fs::write(d.join("summary.json"), "new").map_err(|e| Error::io(d, e))
        })
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
    fn leftovers_of_an_interrupted_run_are_cleaned_and_a_set_aside_output_restored() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("maps");
        // No process has id u32::MAX - 1: both leftovers belong to a run that is gone.
        let dead = u32::MAX - 1;
        let staging = tmp.path().join(format!(".maps.writing-{dead}-abc123"));
        let old = tmp.path().join(format!(".maps.old-{dead}"));
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(staging.join("summary.json"), "half").unwrap();
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join("summary.json"), "previous").unwrap();
        // Another output folder's leftovers and our own process's are not ours to touch.
        let other = tmp.path().join(format!(".mapsx.writing-{dead}-abc"));
        std::fs::create_dir(&other).unwrap();
        let mine = tmp.path().join(format!(".maps.writing-{}-live", std::process::id()));
        std::fs::create_dir(&mine).unwrap();
        clean_stale(tmp.path(), "maps", &out);
        assert_eq!(std::fs::read_to_string(out.join("summary.json")).unwrap(), "previous");
        assert!(!staging.exists() && !old.exists());
        assert!(other.exists() && mine.exists());
    }

    #[test]
    fn leftover_names_give_their_process_id() {
        assert_eq!(leftover_pid(".maps.writing-123-xYz", "maps"), Some((123, false)));
        assert_eq!(leftover_pid(".maps.old-77", "maps"), Some((77, true)));
        assert_eq!(leftover_pid(".maps.writing-abc", "maps"), None);
        assert_eq!(leftover_pid(".maps2.old-77", "maps"), None);
        assert_eq!(leftover_pid("maps", "maps"), None);
    }

    #[test]
    fn qgis_side_files_count_as_own_output() {
        assert!(is_own_output(OsStr::new("plan.gpkg-wal")));
        assert!(is_own_output(OsStr::new("plan.qgs~")));
        assert!(!is_own_output(OsStr::new("thesis.docx")));
    }
}
