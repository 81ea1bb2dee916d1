//! Writing outputs: GeoPackage with QGIS styles, QGIS project, GeoJSON, map (SVG/PNG/PDF),
//! HTML report, CSV tables, summary and timings.
//!
//! 1. Build the shared rows once (`rows`), so every file agrees field for field.
//! 2. Write every file into a temporary folder beside `--out` (`folder`), refusing a folder that
//!    holds an input or files relocate did not write.
//! 3. Rename it into place only when complete; `timings.json` is written last so that it
//!    includes the write stage.

pub mod alternatives;
pub mod flows;
pub mod folder;
pub mod geojson;
pub mod gpkg;
pub mod i18n;
pub mod map;
pub mod markup;
pub mod palette;
pub mod qgis;
pub mod report;
pub mod rows;
pub mod styles;
pub mod summary;
pub mod tables;
pub mod webmap;

use std::path::Path;
use std::time::Instant;

use crate::error::{Error, Result};
use crate::pipeline::{Assessed, Plan};

/// Writes the assessment outputs (`relocate assess`): `factories.geojson`, `factories.csv`,
/// `summary.json`, `timings.json`.
pub fn write_assessment(assessed: &Assessed) -> Result<()> {
    let started = Instant::now();
    let loaded = &assessed.loaded;
    let inputs = &loaded.inputs;
    let factories = rows::factory_rows(inputs, &assessed.assessment, None);
    let parks = rows::park_rows(inputs, &factories, None);
    let out = &loaded.settings.out_dir;
    folder::replace_dir(out, &folder::input_paths(&loaded.settings), |dir| {
        geojson::write_factories(inputs, &factories, &dir.join("factories.geojson"))?;
        tables::write_csv(&factories, rows::FACTORY_FIELDS, &dir.join("factories.csv"))?;
        let s = summary::summary(loaded, &assessed.assessment, None, &factories, &parks);
        summary::write_json(&s, &dir.join("summary.json"))?;
        write_timings(assessed, started, dir)
    })
}

/// Writes the full output set (`relocate plan`).
pub fn write_plan(plan: &Plan) -> Result<()> {
    write_plan_formats(plan, &Format::ALL)
}

/// A family of output files `relocate plan` writes (`--formats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// factories.geojson, parks.geojson, moves.geojson, flows.geojson
    Geojson,
    /// factories.csv, parks.csv
    Csv,
    /// plan.gpkg with its QGIS styles, and the QGIS project plan.qgs
    Gpkg,
    /// map.svg, map.png, map.pdf
    Map,
    /// report.html (with the map inside)
    Report,
}

impl Format {
    pub const ALL: [Format; 5] =
        [Format::Geojson, Format::Csv, Format::Gpkg, Format::Map, Format::Report];

    /// The name given to `--formats`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Geojson => "geojson",
            Format::Csv => "csv",
            Format::Gpkg => "gpkg",
            Format::Map => "map",
            Format::Report => "report",
        }
    }

    /// The files of the family, as `--help` lists them.
    pub fn files(self) -> &'static str {
        match self {
            Format::Geojson => "factories.geojson, parks.geojson, moves.geojson, flows.geojson",
            Format::Csv => "factories.csv, parks.csv",
            Format::Gpkg => "plan.gpkg with its QGIS styles, and the QGIS project plan.qgs",
            Format::Map => "map.svg, map.png, map.pdf",
            Format::Report => "report.html (with the map inside)",
        }
    }
}

/// Writes the output files of the chosen `formats`, then `summary.json` and `timings.json`
/// (`relocate plan --formats`).
pub fn write_plan_formats(plan: &Plan, formats: &[Format]) -> Result<()> {
    let started = Instant::now();
    let assessed = &plan.assessed;
    let loaded = &assessed.loaded;
    let inputs = &loaded.inputs;
    let allocation = Some(&plan.allocation);
    let wants = |f: Format| formats.contains(&f);
    let (factories, parks) = rows::plan_rows(plan);
    let moves = if wants(Format::Geojson) || wants(Format::Gpkg) {
        let roads = rows::road_moves(inputs, &plan.candidates, &plan.allocation);
        rows::move_rows_with_roads(inputs, &factories, &roads)
    } else {
        Vec::new()
    };
    let flow_rows =
        if formats.is_empty() { Vec::new() } else { flows::flow_rows(inputs, &factories) };
    let out = &loaded.settings.out_dir;
    folder::replace_dir(out, &folder::input_paths(&loaded.settings), |dir| {
        // The data files, the GIS files and the map set are independent: written side by side (the map's PNG
        // and PDF are themselves rendered in parallel), the first error reported.
        let (data, (gis, maps)) = rayon::join(
            || -> Result<()> {
                // The factories layer is most of the bytes: the smaller files beside it.
                let (big, small) = rayon::join(
                    || -> Result<()> {
                        if wants(Format::Geojson) {
                            geojson::write_factories(
                                inputs,
                                &factories,
                                &dir.join("factories.geojson"),
                            )?;
                        }
                        if wants(Format::Csv) {
                            tables::write_csv(
                                &factories,
                                rows::FACTORY_FIELDS,
                                &dir.join("factories.csv"),
                            )?;
                        }
                        Ok(())
                    },
                    || -> Result<()> {
                        if wants(Format::Geojson) {
                            geojson::write_parks(inputs, &parks, &dir.join("parks.geojson"))?;
                            geojson::write_moves(&moves, &dir.join("moves.geojson"))?;
                            geojson::write_flows(&flow_rows, &dir.join("flows.geojson"))?;
                        }
                        if wants(Format::Csv) {
                            tables::write_csv(&parks, rows::PARK_FIELDS, &dir.join("parks.csv"))?;
                        }
                        let mut s = summary::summary(
                            loaded,
                            &assessed.assessment,
                            allocation,
                            &factories,
                            &parks,
                        );
                        s.roads = summary::road_figures(inputs, &plan.candidates);
                        summary::write_json(&s, &dir.join("summary.json"))
                    },
                );
                big?;
                small
            },
            || {
                rayon::join(
                    || -> Result<()> {
                        if !wants(Format::Gpkg) {
                            return Ok(());
                        }
                        let layers = gpkg::GpkgLayers {
                            factories: &factories,
                            parks: &parks,
                            moves: &moves,
                            flows: &flow_rows,
                        };
                        gpkg::write_gpkg(plan, &layers, &dir.join(gpkg::FILE))?;
                        qgis::write_project(plan, &flow_rows, &dir.join(qgis::FILE))
                    },
                    || -> Result<()> {
                        // The printed map and the report's interactive map are drawn apart.
                        let (printed, page) = rayon::join(
                            || -> Result<()> {
                                if wants(Format::Map) {
                                    map::write_map_with(plan, &factories, &parks, &flow_rows, dir)?;
                                }
                                Ok(())
                            },
                            || -> Result<()> {
                                if wants(Format::Report) {
                                    report::write_report_with(
                                        plan, &factories, &parks, &flow_rows, dir,
                                    )?;
                                }
                                Ok(())
                            },
                        );
                        printed?;
                        page
                    },
                )
            },
        );
        data?;
        gis?;
        maps?;
        write_timings(assessed, started, dir)
    })
}

fn write_timings(assessed: &Assessed, started: Instant, dir: &Path) -> Result<()> {
    let t = summary::timings(&assessed.loaded.timings, started);
    summary::write_json(&t, &dir.join("timings.json"))
}

/// Writes `head`, then `rows` rendered chunk by chunk, then `tail`. Chunks are rendered in
/// parallel a batch at a time and written in row order, so the file is the same whatever the
/// number of threads and memory holds two batches, not the whole file (a million factories make
/// more than a gigabyte of GeoJSON). `skip` bytes are dropped from the start of the first
/// chunk (a separator that only goes between rows).
pub(crate) fn write_chunked<R: Sync>(
    path: &Path,
    rows: &[R],
    head: &[u8],
    tail: &[u8],
    skip: usize,
    render: impl Fn(&[R]) -> Result<Vec<u8>> + Sync,
) -> Result<()> {
    use rayon::prelude::*;
    use std::io::Write as _;
    const CHUNK: usize = 4096;
    const BATCH: usize = 16 * CHUNK;
    let io = |e| Error::io(path, e);
    let file = std::fs::File::create(path).map_err(io)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    out.write_all(head).map_err(io)?;
    let mut first = true;
    let put = |out: &mut std::io::BufWriter<std::fs::File>,
               chunks: &[Vec<u8>],
               first: &mut bool|
     -> Result<()> {
        for chunk in chunks {
            let body =
                if *first { chunk.get(skip.min(chunk.len())..).unwrap_or(&[]) } else { chunk };
            *first = false;
            out.write_all(body).map_err(io)?;
        }
        Ok(())
    };
    // Each batch is rendered while the one before it is written.
    let mut rendered: Vec<Vec<u8>> = Vec::new();
    for batch in rows.chunks(BATCH) {
        let (next, written) = rayon::join(
            || batch.par_chunks(CHUNK).map(&render).collect::<Result<Vec<_>>>(),
            || put(&mut out, &rendered, &mut first),
        );
        written?;
        rendered = next?;
    }
    put(&mut out, &rendered, &mut first)?;
    out.write_all(tail).map_err(io)?;
    out.flush().map_err(io)
}
