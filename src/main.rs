//! `relocate`: parse the command line, run, print the error chain, exit with the documented code
//! (0 done, 2 invalid input or usage, 1 anything else).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use relocate::cli::{Cli, Command};
use relocate::error::{Error, Result};
use relocate::output::Format;
use relocate::progress::Task;
use relocate::scenario::Settings;
use relocate::{compare, output, pipeline, sensitivity, synth};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with success, usage errors to stderr.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e);
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Validate(args) => {
            let settings = Settings::from_flags(&args.flags(Task::Validate), None)?;
            let loaded = pipeline::load(settings)?;
            print_skipped(&loaded.skipped);
            println!("{}", relocate::validate::inventory(&loaded.inputs));
            Ok(())
        }
        Command::Assess(args) => {
            let settings =
                Settings::from_flags(&args.inputs.flags(Task::Assess), args.out.as_deref())?;
            let assessed = pipeline::assess(settings)?;
            print_skipped(&assessed.loaded.skipped);
            let reporter = assessed.loaded.settings.progress;
            reporter.try_stage("write", || output::write_assessment(&assessed))?;
            if !assessed.loaded.settings.quiet {
                print!("{}", assessed.assessment.counts());
                println!("written to {}", assessed.loaded.settings.out_dir.display());
            }
            Ok(())
        }
        Command::Plan(args) => {
            let mut settings =
                Settings::from_flags(&args.run.inputs.flags(Task::Plan), args.run.out.as_deref())?;
            settings.keep_exclusions = args.formats.contains(&Format::Report);
            settings.time_limit_s = args.time_limit;
            settings.map_moves = args.map_moves;
            let mut plan = pipeline::plan(settings)?;
            if !args.formats.contains(&Format::Report) {
                plan.drop_candidate_lists();
            }
            print_skipped(&plan.assessed.loaded.skipped);
            let reporter = plan.assessed.loaded.settings.progress;
            reporter.try_stage("write", || output::write_plan_formats(&plan, &args.formats))?;
            if !plan.assessed.loaded.settings.quiet {
                print_plan(&plan);
            }
            // Everything is written and the process ends here: the system takes the memory
            // back at once, where freeing a million factories' records one by one took 1.5 s.
            std::mem::forget(plan);
            Ok(())
        }
        Command::Explain(args) => {
            let settings = Settings::from_flags(&args.inputs.flags(Task::Explain), None)?;
            let plan = pipeline::plan(settings)?;
            let reporter = plan.assessed.loaded.settings.progress;
            let text = reporter
                .try_stage("explain", || relocate::explain::explain(&plan, &args.factory_id))?;
            println!("{text}");
            Ok(())
        }
        Command::Sensitivity(args) => {
            let options = sensitivity::Options::new(args.samples, args.spread, args.seed)?;
            let settings = Settings::from_flags(
                &args.inputs.flags(Task::Sensitivity),
                Some(args.out.as_path()),
            )?;
            let s = sensitivity::sensitivity(settings, options)?;
            if !s.plan.assessed.loaded.settings.quiet {
                print_sensitivity(&s);
            }
            Ok(())
        }
        Command::Synth(args) => synth::synth(&args),
        Command::Compare(args) => {
            let settings = args.settings();
            let reporter = settings.progress;
            let comparison =
                reporter.try_stage("compare", || compare::compare(&args.runs, &settings))?;
            reporter.try_stage("write", || compare::write(&comparison, &settings))?;
            if !settings.quiet {
                println!(
                    "{} plans compared: {} factories changed; written to {}",
                    comparison.runs.len(),
                    comparison.changed.len(),
                    settings.out_dir.display()
                );
            }
            Ok(())
        }
    }
}

/// A few lines a planning officer reads first: who moves, who is placed, how good the plan is.
fn print_plan(plan: &pipeline::Plan) {
    let counts = plan.assessed.assessment.counts();
    print!("{counts}");
    let a = &plan.allocation;
    let assigned = a.assignments.iter().filter(|s| s.park.is_some()).count();
    let unassigned = a.assignments.len() - assigned;
    println!(
        "assigned {assigned}, unassigned {unassigned}; total cost {:.3}, lower bound {:.3}, gap {:.4} %",
        a.objective,
        a.lower_bound,
        a.gap * 100.0
    );
    if a.time_limit_reached {
        println!("time limit reached: this is the best plan found so far, proven to the gap above");
    }
    let lang = relocate::model::Lang::En;
    println!(
        "must_relocate placed {}; encouraged placed {}",
        output::i18n::placed_count(lang, a.must_placed, a.must_placed_bound),
        output::i18n::encouraged_count(
            lang,
            a.encouraged_placed,
            a.encouraged_placed_bound,
            a.must_placed_bound <= a.must_placed
        )
    );
    println!("written to {}", plan.assessed.loaded.settings.out_dir.display());
}

/// How stable the plan is, in a few lines.
fn print_sensitivity(s: &sensitivity::Sensitivity) {
    let [stable, moderate, unstable] = s.class_counts();
    println!(
        "{} relocating factories: {stable} stable, {moderate} moderate, {unstable} unstable \
         ({} samples, spread ±{:.0} %, seed {})",
        s.rows.len(),
        s.options.samples,
        s.options.spread * 100.0,
        s.options.seed
    );
    println!(
        "mean share kept {:.1} %, least {:.1} %; worst proven gap {:.4} %",
        s.mean_share() * 100.0,
        s.min_share() * 100.0,
        s.worst_gap() * 100.0
    );
    println!("written to {}", s.plan.assessed.loaded.settings.out_dir.display());
}

fn print_skipped(skipped: &[relocate::Problem]) {
    if skipped.is_empty() {
        return;
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "left out {} invalid feature(s):", skipped.len());
    for p in skipped {
        let _ = writeln!(err, "  {p}");
    }
}

fn report(e: &Error) {
    let mut err = std::io::stderr().lock();
    match e {
        Error::Invalid(problems) => {
            for p in problems {
                let _ = writeln!(err, "{p}");
            }
            let _ = writeln!(
                err,
                "error: {} problem(s) in the inputs; fix them, or run with --on-invalid skip to leave those features out",
                problems.len()
            );
        }
        // Usage and scenario problems already name the file (or flag) at fault, one per line,
        // in the same `file: …` form as input problems.
        Error::Usage(message) => {
            let _ = writeln!(err, "{message}");
        }
        other => {
            let _ = writeln!(err, "error: {other}");
            let mut source = std::error::Error::source(other);
            while let Some(cause) = source {
                let _ = writeln!(err, "  caused by: {cause}");
                source = cause.source();
            }
        }
    }
}
