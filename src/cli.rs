//! The command line, as DESIGN.md fixes it. Parsed here and turned into validated `Settings`
//! by `scenario`; nothing downstream reads raw arguments.

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::Lang;
use crate::output::Format;
use crate::progress::{self, Reporter, Task};
use crate::scenario::{Flags, MapMoves, OnInvalid, OnUnsnapped};

#[derive(Debug, Parser)]
#[command(
    name = "relocate",
    version,
    about = "Decide which factories must leave crowded districts and allocate them to industrial parks",
    long_about = "Decide which factories must leave crowded districts under the four legal relocation \
criteria, allocate them to destination industrial parks under land capacity, and write maps and \
reports of the proposed moves.\n\nExit codes: 0 done (a plan with unassigned factories is still a \
result); 2 invalid input or usage, every problem listed; 1 anything else."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Assess every factory, allocate the relocating ones to parks, write maps and reports.
    Plan(PlanArgs),
    /// Assess every factory against the four criteria and write the verdicts only.
    Assess(RunArgs),
    /// List every problem in the inputs; exit 2 if there is any.
    Validate(InputArgs),
    /// Explain one factory: why it must move, where it goes, runner-up parks and why not others.
    Explain(ExplainArgs),
    /// Re-solve the plan with the cost weights moved a little: which factories would go elsewhere.
    Sensitivity(SensitivityArgs),
    /// Write a synthetic scenario of any size, shaped like the Binh Duong case.
    Synth(SynthArgs),
    /// Compare finished plan folders: indicators, changed factories and why, a map of the changes.
    Compare(CompareArgs),
}

/// Where the inputs come from: a scenario file, layer files overriding it, or the bundled scenario.
#[derive(Debug, Clone, Default, Args)]
pub struct InputArgs {
    /// Scenario file (TOML); without it and without layer flags the bundled Binh Duong scenario is used.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Destination parks layer (polygons).
    #[arg(long, value_name = "FILE")]
    pub parks: Option<PathBuf>,
    /// Factories layer (points or footprints; also CSV/XLSX with coordinates).
    #[arg(long, value_name = "FILE")]
    pub factories: Option<PathBuf>,
    /// Planned land-use zoning (polygons), for criterion C4.
    #[arg(long, value_name = "FILE")]
    pub zoning: Option<PathBuf>,
    /// Sensitive receptors (housing, schools, hospitals), for criterion C2 screening.
    #[arg(long, value_name = "FILE")]
    pub receptors: Option<PathBuf>,
    /// Protection corridors (roads, rivers, power lines), for criterion C1 screening.
    #[arg(long, value_name = "FILE")]
    pub corridors: Option<PathBuf>,
    /// Districts (origin and destination areas, map context).
    #[arg(long, value_name = "FILE")]
    pub districts: Option<PathBuf>,
    /// Road network for distances by road: an OpenStreetMap .osm.pbf extract or a line layer.
    #[arg(long, value_name = "FILE")]
    pub roads: Option<PathBuf>,
    /// Park gates (points with park_id): parks join the roads at their gates.
    #[arg(long, value_name = "FILE")]
    pub gates: Option<PathBuf>,
    /// Language of reports, legends and evidence sentences.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// What to do with invalid features: stop (default) or leave them out and list them.
    #[arg(long, value_enum, default_value_t = OnInvalid::Abort)]
    pub on_invalid: OnInvalid,
    /// A factory farther than `[roads] max_snap_m` from every road: keep its straight-line
    /// distance, flagged and counted (default), or stop with an error naming the factories.
    #[arg(long, value_enum, default_value_t = OnUnsnapped::StraightLine)]
    pub on_unsnapped: OnUnsnapped,
    /// No progress bars or tables.
    #[arg(long)]
    pub quiet: bool,
    #[arg(long, value_enum, default_value_t = progress::Display::Bar, value_name = "HOW", help = PROGRESS_HELP)]
    pub progress: progress::Display,
}

/// The help of `--progress`, shared by every command that has it.
const PROGRESS_HELP: &str = "How progress is shown: bar (spinners on a terminal only, none with \
--quiet) or json (one JSON line per stage start, step and end on stderr, terminal or not)";

impl InputArgs {
    /// The flags as plain values for `scenario::Settings::from_flags`, for the command `task`.
    pub fn flags(&self, task: Task) -> Flags {
        Flags {
            scenario: self.scenario.clone(),
            parks: self.parks.clone(),
            factories: self.factories.clone(),
            zoning: self.zoning.clone(),
            receptors: self.receptors.clone(),
            corridors: self.corridors.clone(),
            districts: self.districts.clone(),
            roads: self.roads.clone(),
            gates: self.gates.clone(),
            lang: self.lang,
            on_invalid: self.on_invalid,
            on_unsnapped: self.on_unsnapped,
            quiet: self.quiet,
            progress: self.progress,
            task,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    // Written as `help` rather than a doc comment: rustdoc would read `<scenario name>` as HTML.
    #[arg(long, value_name = "DIR", help = "Output folder; defaults to maps/<scenario name>/")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Which outputs to write, comma-separated (default: all). `summary.json` and
    /// `timings.json` are always written. At national scale `--formats geojson,csv` skips the
    /// GeoPackage, map and report of a million factories.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "LIST", default_values_t = Format::ALL)]
    pub formats: Vec<Format>,
    /// Seconds the solver may take: past them it returns the best plan found so far with its
    /// proven gap, and says so (summary.json `time_limit_reached`). Without it the solver
    /// finishes its work and the same inputs give the same bytes on any machine.
    #[arg(long, value_name = "S", value_parser = positive_seconds)]
    pub time_limit: Option<f64>,
    /// How map.svg/png/pdf and plan.qgs draw moves: `flows` (one curved flow per origin district
    /// and park, width by factories, labelled with the count) or `lines` (one line per factory).
    #[arg(long, value_enum, value_name = "HOW", default_value_t = MapMoves::Flows)]
    pub map_moves: MapMoves,
}

/// A number of seconds greater than 0.
fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 => Ok(s),
        _ => Err(format!("expected a number of seconds greater than 0, found '{text}'")),
    }
}

#[derive(Debug, Clone, Args)]
pub struct SensitivityArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Random weight vectors to solve (Monte Carlo), at least 1.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub samples: usize,
    /// Largest relative change of a weight: 0.2 moves each weight by up to ±20 %.
    #[arg(long, value_name = "F", default_value_t = 0.2)]
    pub spread: f64,
    /// Random seed; the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output folder: stability.csv, stability.geojson, tornado.svg/.png, sensitivity.html,
    /// summary.json.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// The factory's id, as in the factories layer.
    #[arg(value_name = "FACTORY_ID")]
    pub factory_id: String,
    #[command(flatten)]
    pub inputs: InputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct SynthArgs {
    /// Number of factories.
    #[arg(long, value_name = "N")]
    pub factories: usize,
    /// Number of destination parks.
    #[arg(long, value_name = "M")]
    pub parks: usize,
    /// Number of zoning polygons (default: about one per 10 factories).
    #[arg(long, value_name = "Z")]
    pub zones: Option<usize>,
    /// Random seed; the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Vacant park land offered ÷ land of the factories that must relocate (1.0: just enough
    /// hectares before sector rules and opening years bite; 0.5: half). Without it, about
    /// the bundled Binh Duong ratio (1.09).
    #[arg(long, value_name = "R")]
    pub land_ratio: Option<f64>,
    /// Folder to write scenario.toml and its layers into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct CompareArgs {
    /// Folders written by `relocate plan`; the first is the one the others are measured against.
    #[arg(value_name = "RUN", num_args = 2.., required = true)]
    pub runs: Vec<PathBuf>,
    /// Folder to write comparison.csv, changed.csv, changes.geojson and compare.html into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Language of compare.html and of the reasons in changed.csv.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Print nothing when done.
    #[arg(long)]
    pub quiet: bool,
    #[arg(long, value_enum, default_value_t = progress::Display::Bar, value_name = "HOW", help = PROGRESS_HELP)]
    pub progress: progress::Display,
}

impl CompareArgs {
    /// The flags as the settings of `compare::compare`.
    pub fn settings(&self) -> crate::compare::Settings {
        crate::compare::Settings {
            out_dir: self.out.clone(),
            lang: self.lang,
            quiet: self.quiet,
            progress: Reporter::new(self.progress, Task::Compare, self.quiet),
        }
    }
}

// The choices of `--lang`, `--on-invalid`, `--progress` and `--formats` are the stages' own
// types: the command line only names their values, so no clap type reaches a stage.

impl ValueEnum for Lang {
    fn value_variants<'a>() -> &'a [Self] {
        &[Lang::En, Lang::Vi]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.code()))
    }
}

impl ValueEnum for progress::Display {
    fn value_variants<'a>() -> &'a [Self] {
        &[progress::Display::Bar, progress::Display::Json]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            progress::Display::Bar => "bar",
            progress::Display::Json => "json",
        }))
    }
}

impl ValueEnum for OnInvalid {
    fn value_variants<'a>() -> &'a [Self] {
        &[OnInvalid::Abort, OnInvalid::Skip]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            OnInvalid::Abort => "abort",
            OnInvalid::Skip => "skip",
        }))
    }
}

impl ValueEnum for MapMoves {
    fn value_variants<'a>() -> &'a [Self] {
        &[MapMoves::Flows, MapMoves::Lines]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            MapMoves::Flows => PossibleValue::new("flows")
                .help("one curved flow per origin area and park, width by factories"),
            MapMoves::Lines => PossibleValue::new("lines").help("one line per factory"),
        })
    }
}

impl ValueEnum for OnUnsnapped {
    fn value_variants<'a>() -> &'a [Self] {
        &[OnUnsnapped::StraightLine, OnUnsnapped::Abort]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            OnUnsnapped::StraightLine => "straight-line",
            OnUnsnapped::Abort => "abort",
        }))
    }
}

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &Format::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()).help(self.files()))
    }
}
