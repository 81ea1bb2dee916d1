//! Progress of a run, for a person at a terminal or for a program (`--progress json`).
//!
//! 1. Each command is a [`Task`]: its stages in order, each weighted by its usual share of the
//!    run's time, so that the percentage moves about evenly with time and reaches 100 at the
//!    end of the last stage.
//! 2. A stage's start and end, and the steps of a long stage (the re-solved plans of
//!    `sensitivity`), are shown one of two ways ([`Display`]): `bar`, a spinner or bar on a
//!    terminal (nothing when stderr is not a terminal, nothing with `--quiet`); or `json`, one
//!    JSON object per line on stderr, terminal or not, `--quiet` or not — for the QGIS provider
//!    and any other program driving `relocate`.
//!
//! The JSON lines are a contract (README, "Progress for programs"): every line has the keys
//! `stage`, `state` (`start`, `progress`, `end`, or `failed` for a stage that stopped the run),
//! `percent` (of the whole run, 0–100, one decimal, never decreasing) and `message` (what is
//! being done, in English), in that order. After `failed`, the exit code and the other stderr
//! lines say why.

use std::io::Write;
use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;

/// How progress is shown (`--progress`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Display {
    /// Spinners and bars on a terminal only.
    #[default]
    Bar,
    /// One JSON line per stage start, step and end, on stderr.
    Json,
}

/// The command being run: which stages it goes through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Task {
    #[default]
    Validate,
    Assess,
    Plan,
    Explain,
    Sensitivity,
    Compare,
}

impl Task {
    /// The stages in order, with their weights (shares of a typical run's time, in per cent).
    pub fn stages(self) -> &'static [(&'static str, f64)] {
        match self {
            Task::Validate => &[("read", 60.0), ("validate", 40.0)],
            Task::Assess => {
                &[("read", 30.0), ("validate", 15.0), ("assess", 30.0), ("write", 25.0)]
            }
            Task::Plan => &[
                ("read", 8.0),
                ("validate", 4.0),
                ("assess", 8.0),
                ("roads", 4.0),
                ("candidates", 4.0),
                ("allocate", 32.0),
                ("write", 40.0),
            ],
            Task::Explain => &[
                ("read", 10.0),
                ("validate", 5.0),
                ("assess", 10.0),
                ("roads", 5.0),
                ("candidates", 5.0),
                ("allocate", 60.0),
                ("explain", 5.0),
            ],
            Task::Sensitivity => &[
                ("read", 2.0),
                ("validate", 1.0),
                ("assess", 2.0),
                ("roads", 1.0),
                ("candidates", 1.0),
                ("allocate", 3.0),
                ("sensitivity", 80.0),
                ("write", 10.0),
            ],
            Task::Compare => &[("compare", 60.0), ("write", 40.0)],
        }
    }

    /// Percentages at the start and at the end of `stage`. A stage the task does not list is
    /// placed after the last one, so the percentage never goes back.
    fn span(self, stage: &str) -> (f64, f64) {
        let stages = self.stages();
        let total: f64 = stages.iter().map(|(_, w)| w).sum();
        let mut before = 0.0;
        for (name, weight) in stages {
            if *name == stage {
                return (100.0 * before / total, 100.0 * (before + weight) / total);
            }
            before += weight;
        }
        (100.0, 100.0)
    }
}

/// What a stage does, for a person reading the progress.
fn describe(stage: &str) -> &str {
    match stage {
        "read" => "reading the input layers",
        "validate" => "checking the inputs",
        "assess" => "assessing the four criteria",
        "roads" => "building the road network",
        "candidates" => "finding candidate parks",
        "allocate" => "allocating factories to parks",
        "write" => "writing the outputs",
        "sensitivity" => "solving again under moved weights",
        "explain" => "explaining the factory",
        "compare" => "reading and comparing the plans",
        other => other,
    }
}

/// Shows the progress of one run. Cheap to copy; every method takes `&self`. The default
/// shows nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reporter {
    pub display: Display,
    pub task: Task,
    /// `--quiet`: no spinners or bars (JSON lines are still written when asked for).
    pub quiet: bool,
}

impl Default for Reporter {
    fn default() -> Self {
        Reporter::hidden()
    }
}

/// One JSON progress line, keys in the documented order.
#[derive(Serialize)]
struct Line<'a> {
    stage: &'a str,
    state: &'a str,
    percent: f64,
    message: &'a str,
}

impl Reporter {
    pub fn new(display: Display, task: Task, quiet: bool) -> Reporter {
        Reporter { display, task, quiet }
    }

    /// Nothing shown at all (tests, library use).
    pub fn hidden() -> Reporter {
        Reporter { display: Display::Bar, task: Task::default(), quiet: true }
    }

    /// Runs `f` as the named stage, shown from its start to its end.
    pub fn stage<T>(&self, stage: &str, f: impl FnOnce() -> T) -> T {
        let running = self.start(stage);
        let out = f();
        running.end();
        out
    }

    /// Runs `f` as the named stage: its end is shown when it returns `Ok`, its failure when it
    /// returns `Err`.
    pub fn try_stage<T, E>(&self, stage: &str, f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        let running = self.start(stage);
        let out = f();
        match out {
            Ok(_) => running.end(),
            Err(_) => running.fail(),
        }
        out
    }

    /// Shows the start of `stage`; the returned value shows its end.
    pub fn start<'a>(&self, stage: &'a str) -> Running<'a> {
        let (start, _) = self.task.span(stage);
        self.json(stage, "start", start, describe(stage));
        let spinner = self.bars().then(|| {
            let bar = indicatif::ProgressBar::new_spinner().with_message(stage.to_string());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Running { reporter: *self, stage, spinner }
    }

    /// The steps of a long stage that is already running: `total` of them, counted by
    /// [`Steps::step`] from any thread.
    pub fn steps(&self, stage: &'static str, total: u64) -> Steps {
        let bar = if self.bars() {
            let bar = indicatif::ProgressBar::new(total);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{msg} {bar:30} {pos}/{len} plans, {eta} left",
            ) {
                bar.set_style(style);
            }
            bar.set_message(stage);
            bar
        } else {
            indicatif::ProgressBar::hidden()
        };
        Steps { reporter: *self, stage, total, done: Mutex::new(0), bar }
    }

    /// Whether spinners and bars are drawn (indicatif itself draws nothing off a terminal).
    fn bars(&self) -> bool {
        self.display == Display::Bar && !self.quiet
    }

    /// Writes one JSON line on stderr when asked for; a closed stderr is not an error of the run.
    fn json(&self, stage: &str, state: &str, percent: f64, message: &str) {
        if self.display != Display::Json {
            return;
        }
        let line = Line { stage, state, percent: (percent * 10.0).round() / 10.0, message };
        if let Ok(mut text) = serde_json::to_string(&line) {
            text.push('\n');
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
        }
    }
}

/// A stage being run; [`Running::end`] shows its end, [`Running::fail`] that it failed.
pub struct Running<'a> {
    reporter: Reporter,
    stage: &'a str,
    spinner: Option<indicatif::ProgressBar>,
}

impl Running<'_> {
    pub fn end(self) {
        self.clear();
        let (_, end) = self.reporter.task.span(self.stage);
        self.reporter.json(self.stage, "end", end, describe(self.stage));
    }

    /// The stage stopped the run; the percentage stays where the stage started.
    pub fn fail(self) {
        self.clear();
        let (start, _) = self.reporter.task.span(self.stage);
        self.reporter.json(self.stage, "failed", start, describe(self.stage));
    }

    fn clear(&self) {
        if let Some(bar) = &self.spinner {
            bar.finish_and_clear();
        }
    }
}

/// Steps of a long stage, counted from any thread; lines come out in count order.
pub struct Steps {
    reporter: Reporter,
    stage: &'static str,
    total: u64,
    done: Mutex<u64>,
    bar: indicatif::ProgressBar,
}

impl Steps {
    /// One more step done.
    pub fn step(&self) {
        self.bar.inc(1);
        if self.reporter.display != Display::Json {
            return;
        }
        // The count and its line under one lock, so that the percentages never go back.
        if let Ok(mut done) = self.done.lock() {
            *done += 1;
            let (start, end) = self.reporter.task.span(self.stage);
            let share = *done as f64 / self.total.max(1) as f64;
            let message = format!("{}/{} plans", *done, self.total);
            self.reporter.json(self.stage, "progress", start + (end - start) * share, &message);
        }
    }

    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Task; 6] =
        [Task::Validate, Task::Assess, Task::Plan, Task::Explain, Task::Sensitivity, Task::Compare];

    #[test]
    fn every_task_runs_from_zero_to_one_hundred_percent() {
        for task in ALL {
            let stages = task.stages();
            let (first, _) = stages.first().map(|(s, _)| task.span(s)).unwrap();
            let (_, last) = stages.last().map(|(s, _)| task.span(s)).unwrap();
            assert_eq!(first, 0.0, "{task:?}");
            assert!((last - 100.0).abs() < 1e-9, "{task:?}: {last}");
        }
    }

    #[test]
    fn each_stage_starts_where_the_one_before_it_ends() {
        for task in ALL {
            let spans: Vec<(f64, f64)> = task.stages().iter().map(|(s, _)| task.span(s)).collect();
            for pair in spans.windows(2) {
                assert!((pair[0].1 - pair[1].0).abs() < 1e-9, "{task:?}: {spans:?}");
                assert!(pair[1].1 > pair[1].0);
            }
        }
    }

    #[test]
    fn a_stage_the_task_does_not_list_comes_after_the_last() {
        assert_eq!(Task::Validate.span("write"), (100.0, 100.0));
    }

    #[test]
    fn the_allocate_stage_of_a_plan_ends_at_sixty_percent() {
        assert_eq!(Task::Plan.span("allocate"), (28.0, 60.0));
    }

    #[test]
    fn a_json_line_has_its_four_keys_in_order() {
        let line = Line { stage: "allocate", state: "end", percent: 62.5, message: "allocating" };
        assert_eq!(
            serde_json::to_string(&line).unwrap(),
            r#"{"stage":"allocate","state":"end","percent":62.5,"message":"allocating"}"#
        );
    }
}
