//! # relocate
//!
//! A land-allocation and relocation planner: it decides which factories must leave crowded city
//! districts under the four legal relocation criteria, allocates them to destination industrial
//! parks under land capacity with a proven optimality gap, and writes maps and reports of the
//! proposed moves for planning officers (map, report, tables) and GIS analysts (GeoPackage and
//! QGIS project).
//!
//! The pipeline runs one way — read → validate → assess → candidates → allocate → write — each
//! stage a module with one entry function returning a named type (see `pipeline`). `compare`
//! reads finished plan folders back and sits after the pipeline: no stage uses it.

pub mod allocation;
pub mod candidates;
pub mod cli;
pub mod compare;
pub mod criteria;
pub mod error;
pub mod explain;
pub mod input;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod roads;
pub mod scenario;
pub mod sensitivity;
pub mod spatial;
pub mod synth;
/// Hand-built and seeded synthetic inputs for tests and benches; not part of the product (built
/// for `cargo test` and the benches through the `testkit` feature only).
#[cfg(any(test, feature = "testkit"))]
#[doc(hidden)]
pub mod testkit;
pub mod units;
pub mod validate;

pub use error::{Error, Problem, Result};

/// The pipeline allocates millions of small strings and vectors at national scale; glibc's
/// malloc took about 15 % of a 1M-factory run, mimalloc a few. Set here so that the command,
/// the tests and the benchmarks all measure the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(test)]
mod layering {
    //! The stages depend on each other one way (DESIGN.md's pipeline): no two top-level modules
    //! may reach each other, directly or through others. Read from the `crate::` paths of every
    //! source file, so a new cycle fails here before it tangles the next change.

    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    /// Every `.rs` file under `dir`.
    fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// The top-level modules each one names through `crate::`, comments left out.
    fn edges() -> BTreeMap<String, BTreeSet<String>> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for file in files {
            let rel = file.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
            if rel == "lib.rs" || rel == "main.rs" {
                continue;
            }
            let top = rel.split('/').next().unwrap().trim_end_matches(".rs").to_string();
            let text = std::fs::read_to_string(&file).unwrap();
            for line in text.lines() {
                let code = line.split("//").next().unwrap_or("");
                for (at, _) in code.match_indices("crate::") {
                    let rest = &code[at + "crate::".len()..];
                    let names: Vec<&str> = match rest.strip_prefix('{') {
                        Some(group) => group.split('}').next().unwrap_or("").split(',').collect(),
                        None => vec![rest],
                    };
                    for name in names {
                        let module: String = name
                            .trim()
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        if !module.is_empty() && module != top {
                            graph.entry(top.clone()).or_default().insert(module);
                        }
                    }
                }
            }
        }
        graph
    }

    /// A path from `from` back to `to`, if there is one.
    fn path_to(
        graph: &BTreeMap<String, BTreeSet<String>>,
        from: &str,
        to: &str,
        seen: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        for next in graph.get(from).into_iter().flatten() {
            if next == to {
                return Some(vec![from.to_string(), next.clone()]);
            }
            if seen.insert(next.clone()) {
                if let Some(mut rest) = path_to(graph, next, to, seen) {
                    rest.insert(0, from.to_string());
                    return Some(rest);
                }
            }
        }
        None
    }

    #[test]
    fn no_two_top_level_modules_depend_on_each_other() {
        let graph = edges();
        assert!(graph.contains_key("pipeline"), "the source scan found no modules: {graph:?}");
        let cycles: Vec<String> = graph
            .keys()
            .filter_map(|m| path_to(&graph, m, m, &mut BTreeSet::new()))
            .map(|c| c.join(" -> "))
            .collect();
        assert!(
            cycles.is_empty(),
            "import cycles between top-level modules:\n{}",
            cycles.join("\n")
        );
    }

    #[test]
    fn the_cycle_check_finds_a_cycle() {
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        graph.entry("scenario".into()).or_default().insert("candidates".into());
        graph.entry("candidates".into()).or_default().insert("model".into());
        assert!(path_to(&graph, "scenario", "scenario", &mut BTreeSet::new()).is_none());
        graph.entry("model".into()).or_default().insert("scenario".into());
        let cycle = path_to(&graph, "scenario", "scenario", &mut BTreeSet::new());
        assert_eq!(
            cycle.map(|c| c.join(" -> ")).as_deref(),
            Some("scenario -> candidates -> model -> scenario")
        );
    }
}
