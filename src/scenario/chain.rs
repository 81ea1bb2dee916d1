//! Scenario variants: a file that says `base = "…"` is laid over its base, so a what-if ("Cây
//! Trường opens in 2029") is a few lines, not a copy of the whole scenario.
//!
//! 1. Read the file, then follow `base` (a path relative to the file naming it) until a file
//!    without one; a missing base, or a loop, is an error naming it. Each file is checked on its
//!    own first, so an unknown key is reported with its own file and line.
//! 2. The layer paths of a base are rewritten relative to the first file's folder: a path stays
//!    relative to the file that names it.
//! 3. Merge, base first: tables are merged key by key (so `[phasing.deadlines]` or
//!    `[parks.override]` entries add up), every other value — arrays included — is replaced.
//! 4. Where a key stands (`Chain::locate`): the first file of the chain that writes it, and its
//!    line, so that a check made after the merge still names the file and line at fault.

use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::{parse_scenario, Layer, ScenarioFile};
use crate::error::{Error, Result};

/// More bases than any variant of a variant needs: past it, a chain is refused.
const MAX_DEPTH: usize = 16;

/// One scenario file of a chain, as recorded in `summary.json`.
#[derive(Clone, Debug, Serialize)]
pub struct ChainFile {
    /// The file as messages name it: the path given, then each base as resolved from there.
    pub file: String,
    pub sha256: String,
    #[serde(skip)]
    pub text: String,
    /// Its folder, relative to the first file's folder (what its layer paths are joined to).
    #[serde(skip)]
    rel_dir: PathBuf,
}

/// The scenario files behind a run, the one given first, then its base, its base's base…
#[derive(Clone, Debug, Default)]
pub struct Chain {
    pub files: Vec<ChainFile>,
}

/// One step of a key's path: a table key or an array position.
#[derive(Clone, Copy, Debug)]
pub enum Key<'a> {
    Name(&'a str),
    Index(usize),
}

/// Where a key stands: the file that writes it and the line, 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
}

impl Chain {
    /// A chain of one file that is not read from disk (the bundled scenario).
    pub fn single(shown: &str, text: &str) -> Chain {
        Chain {
            files: vec![ChainFile {
                file: shown.to_string(),
                sha256: crate::model::sha256_hex(text.as_bytes()),
                text: text.to_string(),
                rel_dir: PathBuf::new(),
            }],
        }
    }

    /// Reads `path` (shown as `shown`) and every base below it.
    pub fn read(path: &Path, shown: &str) -> Result<Chain> {
        let mut files: Vec<ChainFile> = Vec::new();
        let mut seen: Vec<PathBuf> = Vec::new();
        let (mut path, mut shown, mut rel_dir) =
            (path.to_path_buf(), shown.to_string(), PathBuf::new());
        let mut named_by: Option<(String, Option<usize>)> = None;
        loop {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                let resolved = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
                let what = match &named_by {
                    None => format!("{shown}: cannot read the scenario file ({e})"),
                    Some((by, line)) => format!(
                        "{by}: {}base: cannot read the base scenario {shown:?} ({e})",
                        line.map(|l| format!("line {l}: ")).unwrap_or_default()
                    ),
                };
                Error::Usage(format!("{what}; resolved as {}", resolved.display()))
            })?;
            let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if seen.contains(&canonical) {
                let by = named_by.map(|(by, _)| by).unwrap_or_default();
                return Err(Error::Usage(format!(
                    "{by}: base: {shown:?} is already in the chain of bases (a loop)"
                )));
            }
            seen.push(canonical);
            // Each file on its own: unknown keys and wrong types with this file's lines.
            let file = parse_scenario(&text, &shown)?;
            let base = file.base.clone();
            files.push(ChainFile {
                file: shown.clone(),
                sha256: crate::model::sha256_hex(text.as_bytes()),
                text,
                rel_dir: rel_dir.clone(),
            });
            let Some(base) = base else { break };
            if files.len() > MAX_DEPTH {
                return Err(Error::Usage(format!(
                    "{shown}: base: more than {MAX_DEPTH} scenarios stacked; is there a loop?"
                )));
            }
            let line = Chain { files: files.clone() }.locate(&[Key::Name("base")]).map(|l| l.line);
            named_by = Some((shown.clone(), line));
            let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
            path = folder.join(&base);
            shown = normalize(&Path::new(&shown).parent().unwrap_or(Path::new("")).join(&base))
                .display()
                .to_string();
            rel_dir = normalize(&rel_dir.join(Path::new(&base).parent().unwrap_or(Path::new(""))));
        }
        Ok(Chain { files })
    }

    /// The scenario the chain makes: bases first, each file laid over the one below it.
    pub fn merged(&self) -> Result<ScenarioFile> {
        let top = self.files.first().map(|f| f.file.as_str()).unwrap_or("");
        if let [only] = self.files.as_slice() {
            return parse_scenario(&only.text, &only.file);
        }
        let mut merged = toml::Table::new();
        for f in self.files.iter().rev() {
            let mut table: toml::Table = f.text.parse().map_err(|e: toml::de::Error| {
                Error::Usage(format!("{}: {}", f.file, e.message().trim()))
            })?;
            table.remove("base");
            rebase_layer_paths(&mut table, &f.rel_dir);
            deep_merge(&mut merged, table);
        }
        let text = toml::to_string(&merged)
            .map_err(|e| Error::Usage(format!("{top}: cannot merge with its base: {e}")))?;
        toml::from_str(&text).map_err(|e: toml::de::Error| {
            Error::Usage(format!("{top}: merged with its base: {}", e.message().trim()))
        })
    }

    /// The first file of the chain that writes the key at `path`, and its line.
    pub fn locate(&self, path: &[Key<'_>]) -> Option<Location> {
        self.files.iter().find_map(|f| {
            let doc = toml_edit::ImDocument::parse(f.text.as_str()).ok()?;
            let span = span_of(doc.as_item(), path)?;
            let before = f.text.get(..span.start)?;
            Some(Location { file: f.file.clone(), line: before.matches('\n').count() + 1 })
        })
    }

    /// "file: line 12: key" for a message, or "`fallback`: key" when the key is in no file.
    pub fn label(&self, path: &[Key<'_>], fallback: &str) -> (String, String) {
        let key = dotted(path);
        match self.locate(path) {
            Some(l) => (l.file, format!("line {}: {key}", l.line)),
            None => (fallback.to_string(), key),
        }
    }
}

/// `area.origin[2]`, `phasing.deadlines."Dĩ An"`: a key path as a person writes it.
pub fn dotted(path: &[Key<'_>]) -> String {
    let mut out = String::new();
    for k in path {
        match k {
            Key::Name(n) if n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(n);
            }
            Key::Name(n) => out.push_str(&format!(".{n:?}")),
            Key::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The byte span of the value at `path` in a parsed document.
fn span_of(root: &toml_edit::Item, path: &[Key<'_>]) -> Option<std::ops::Range<usize>> {
    enum Node<'a> {
        Item(&'a toml_edit::Item),
        Value(&'a toml_edit::Value),
    }
    let mut node = Node::Item(root);
    for key in path {
        node = match (node, key) {
            (Node::Item(toml_edit::Item::Table(t)), Key::Name(k)) => Node::Item(t.get(k)?),
            (Node::Item(toml_edit::Item::Value(v)) | Node::Value(v), Key::Name(k)) => {
                Node::Value(v.as_inline_table()?.get(k)?)
            }
            (Node::Item(toml_edit::Item::Value(v)) | Node::Value(v), Key::Index(i)) => {
                Node::Value(v.as_array()?.get(*i)?)
            }
            _ => return None,
        };
    }
    match node {
        Node::Item(item) => item.span(),
        Node::Value(value) => value.span(),
    }
}

/// Layer paths of a base file, made relative to the first file's folder.
fn rebase_layer_paths(table: &mut toml::Table, rel_dir: &Path) {
    if rel_dir.as_os_str().is_empty() {
        return;
    }
    let Some(toml::Value::Table(inputs)) = table.get_mut("inputs") else { return };
    for layer in Layer::ALL {
        if let Some(toml::Value::String(p)) = inputs.get_mut(layer.as_str()) {
            *p = normalize(&rel_dir.join(&*p)).to_string_lossy().replace('\\', "/");
        }
    }
}

/// Tables merged key by key; any other value of `over` replaces the one below.
fn deep_merge(into: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (into.get_mut(&key), value) {
            (Some(toml::Value::Table(below)), toml::Value::Table(above)) => {
                deep_merge(below, above)
            }
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

/// `a/b/../c` → `a/c`, lexically (the files may not exist yet when a message names them).
fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    const BASE: &str = "name = \"base\"\n[inputs]\nparks = \"parks.geojson\"\nfactories = \"f.geojson\"\n[phasing]\nstart_year = 2025\ndeadlines = { \"Thuận An\" = 2028, \"Dĩ An\" = 2030 }\n[area]\norigin = [\"Thuận An\", \"Dĩ An\"]\n";

    #[test]
    fn a_variant_is_laid_over_its_base_tables_merged_arrays_replaced() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "base/scenario.toml", BASE);
        write(
            dir.path(),
            "variants/late.toml",
            "base = \"../base/scenario.toml\"\nname = \"late\"\n[inputs]\nzoning = \"zoning.geojson\"\n[phasing.deadlines]\n\"Dĩ An\" = 2029\n[area]\norigin = [\"Dĩ An\"]\n",
        );
        let chain = Chain::read(&dir.path().join("variants/late.toml"), "variants/late.toml");
        let chain = chain.unwrap();
        let shown: Vec<&str> = chain.files.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(shown, ["variants/late.toml", "base/scenario.toml"]);
        let file = chain.merged().unwrap();
        assert_eq!(file.name, "late");
        // The base's layers stay relative to the base; the variant's to the variant.
        assert_eq!(file.inputs.parks.as_deref(), Some("../base/parks.geojson"));
        assert_eq!(file.inputs.zoning.as_deref(), Some("zoning.geojson"));
        assert_eq!(file.phasing.start_year, 2025);
        assert_eq!(file.phasing.deadlines.get("Thuận An"), Some(&2028));
        assert_eq!(file.phasing.deadlines.get("Dĩ An"), Some(&2029));
        assert_eq!(file.area.origin, ["Dĩ An"]);
        // A key is located in the first file that writes it.
        let at = |path: &[Key<'_>]| chain.locate(path).map(|l| (l.file, l.line));
        assert_eq!(
            at(&[Key::Name("area"), Key::Name("origin"), Key::Index(0)]),
            Some(("variants/late.toml".into(), 8))
        );
        assert_eq!(
            at(&[Key::Name("phasing"), Key::Name("start_year")]),
            Some(("base/scenario.toml".into(), 6))
        );
        assert_eq!(
            at(&[Key::Name("phasing"), Key::Name("deadlines"), Key::Name("Thuận An")]),
            Some(("base/scenario.toml".into(), 7))
        );
    }

    #[test]
    fn a_missing_base_is_named_as_written_and_resolved() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "v.toml", "name = \"v\"\nbase = \"nowhere.toml\"\n");
        let err = Chain::read(&dir.path().join("v.toml"), "v.toml").unwrap_err().to_string();
        assert!(
            err.starts_with("v.toml: line 2: base: cannot read the base scenario \"nowhere.toml\""),
            "{err}"
        );
        assert!(err.contains("resolved as"), "{err}");
    }

    #[test]
    fn a_loop_of_bases_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.toml", "name = \"a\"\nbase = \"b.toml\"\n");
        write(dir.path(), "b.toml", "name = \"b\"\nbase = \"a.toml\"\n");
        let err = Chain::read(&dir.path().join("a.toml"), "a.toml").unwrap_err().to_string();
        assert!(err.contains("a loop"), "{err}");
    }

    #[test]
    fn an_unknown_key_in_a_base_names_the_base_and_its_line() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "b.toml", "name = \"b\"\n[scoring]\ndistanse_per_km = 2\n");
        write(dir.path(), "v.toml", "name = \"v\"\nbase = \"b.toml\"\n");
        let err = Chain::read(&dir.path().join("v.toml"), "v.toml").unwrap_err().to_string();
        assert!(err.starts_with("b.toml: line 3"), "{err}");
        assert!(err.contains("distanse_per_km"), "{err}");
    }

    #[test]
    fn dotted_keys_quote_what_is_not_a_bare_key() {
        let path = [Key::Name("phasing"), Key::Name("deadlines"), Key::Name("Dĩ An")];
        assert_eq!(dotted(&path), "phasing.deadlines.\"Dĩ An\"");
        assert_eq!(
            dotted(&[Key::Name("area"), Key::Name("origin"), Key::Index(1)]),
            "area.origin[1]"
        );
    }
}
