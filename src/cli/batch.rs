//! Many documents in one process (issue 13, item 3): `convert`, `roundtrip` and `lint` over
//! several inputs, directories or quoted glob patterns, in parallel (rayon). Each document's
//! diagnostics are printed in input order whatever the thread timing, a progress bar shows on
//! a terminal, a one-line summary ends the run, and the exit status is the worst document's.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use hookbridge::contract::lint::{self as lints, Finding, LintConfig};
use hookbridge::diagnostics::codes;
use hookbridge::document::emit;
use hookbridge::Diagnostic;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::iter::{ParallelBridge as _, ParallelIterator as _};

use super::discover::{self, Job};
use super::{
    convert_loaded, convert_options, difference_line, output_format, render, roundtrip_one,
    roundtrip_options, usage_error, withheld, ConvertArgs, DiagnosticsArg, FormatArg, LintArgs,
    RoundtripArgs, EXIT_FINDINGS, EXIT_INPUT,
};

#[derive(clap::Args)]
pub struct BatchArgs {
    /// Documents worked on at once when there are several (default: one per core, or
    /// RAYON_NUM_THREADS).
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

/// Several inputs, a directory or a glob pattern: one run over many documents.
pub fn is_batch(inputs: &[PathBuf]) -> bool {
    inputs.len() > 1 || inputs.iter().any(|p| p.is_dir() || discover::is_pattern(p))
}

/// What one document came to.
struct Outcome<T> {
    /// 0, [`EXIT_FINDINGS`] or [`EXIT_INPUT`], as the single-document command would exit.
    status: u8,
    /// Diagnostics (or findings) that did not change the status.
    warned: bool,
    stdout: String,
    stderr: String,
    data: T,
}

impl<T: Default> Outcome<T> {
    fn failed(e: &hookbridge::Error) -> Self {
        Outcome {
            status: EXIT_INPUT,
            warned: false,
            stdout: String::new(),
            stderr: render(std::slice::from_ref(&*e.diagnostic), DiagnosticsArg::Text),
            data: T::default(),
        }
    }
}

/// Documents by how they ended.
#[derive(Default)]
struct Tally {
    /// Status 0, without and with warnings.
    clean: usize,
    warned: usize,
    findings: usize,
    failed: usize,
    worst: u8,
}

impl Tally {
    fn add(&mut self, status: u8, warned: bool) {
        match status {
            0 if warned => self.warned += 1,
            0 => self.clean += 1,
            EXIT_FINDINGS => self.findings += 1,
            _ => self.failed += 1,
        }
        self.worst = self.worst.max(status);
    }

    fn total(&self) -> usize {
        self.clean + self.warned + self.findings + self.failed
    }
}

/// Runs `work` on every job on rayon's threads (`--jobs N`, else its default), and hands each
/// outcome in job order to the printer and to `take`.
fn run<T: Send>(
    jobs: &[Job],
    threads: Option<u16>,
    work: impl Fn(usize, &Job) -> Outcome<T> + Sync + Send,
    take: impl FnMut(T) + Send,
) -> Result<Tally, String> {
    let bar = progress(jobs.len());
    let state = Mutex::new((0usize, BTreeMap::new(), Tally::default(), take));
    let each = |(i, job): (usize, &Job)| {
        bar.set_message(job.input.display().to_string());
        let outcome = work(i, job);
        let Ok(mut guard) = state.lock() else { return };
        let (next, ready, tally, take) = &mut *guard;
        ready.insert(i, outcome);
        // Printed only once every earlier job is: the output does not depend on timing.
        while let Some(o) = ready.remove(next) {
            *next += 1;
            tally.add(o.status, o.warned);
            bar.suspend(|| {
                let _ = std::io::stdout().lock().write_all(o.stdout.as_bytes());
                let _ = std::io::stderr().lock().write_all(o.stderr.as_bytes());
            });
            take(o.data);
            bar.inc(1);
        }
    };
    match threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build()
            .map_err(|e| format!("cannot start {n} threads: {e}"))?
            .install(|| jobs.iter().enumerate().par_bridge().for_each(each)),
        None => jobs.iter().enumerate().par_bridge().for_each(each),
    }
    bar.finish_and_clear();
    let (_, _, tally, _) = state.into_inner().map_err(|e| e.to_string())?;
    Ok(tally)
}

/// A progress bar on standard error when it is a terminal, else nothing.
fn progress(len: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} [{elapsed}] {wide_msg}") {
        bar.set_style(style);
    }
    bar
}

/// The documents the inputs name; none at all is an input error.
fn documents(inputs: &[PathBuf]) -> Result<discover::Found, String> {
    let found = discover::expand(inputs)?;
    if found.jobs.is_empty() {
        return Err(format!(
            "no OpenAPI or AsyncAPI root document among the inputs ({} file(s) skipped)",
            found.skipped
        ));
    }
    Ok(found)
}

fn skipped_note(skipped: usize) -> String {
    match skipped {
        0 => String::new(),
        n => format!("; {n} file(s) skipped (not OpenAPI or AsyncAPI root documents)"),
    }
}

fn summary(tally: &Tally, counts: &str, skipped: usize) {
    let _ = writeln!(
        std::io::stderr(),
        "hookbridge: {} document(s): {counts}{}",
        tally.total(),
        skipped_note(skipped)
    );
}

/// `Some(DIR)` when `convert` writes many documents into DIR, `None` for a single conversion
/// as before; an ambiguous combination is refused (exit 2) rather than guessed at.
pub fn convert_plan(args: &ConvertArgs) -> Result<Option<PathBuf>, String> {
    let out = args.output.as_deref().filter(|o| o.as_os_str() != "-");
    let out_is_dir = out.is_some_and(|o| {
        o.is_dir()
            || o.as_os_str()
                .to_string_lossy()
                .ends_with(std::path::is_separator)
    });
    if !is_batch(&args.inputs) && !out_is_dir {
        return Ok(None);
    }
    if args.into.is_some() {
        return Err(
            "`--into` merges one AsyncAPI document into one OpenAPI document: it takes \
                    one input file and `-o FILE`, not several inputs, a directory, a pattern \
                    or `-o DIR`"
                .into(),
        );
    }
    let Some(out) = out else {
        return Err(
            "several inputs, a directory or a pattern need `-o DIR`: each output is \
                    written there, at its input's path"
                .into(),
        );
    };
    let only_files = args
        .inputs
        .iter()
        .all(|p| !p.is_dir() && !discover::is_pattern(p));
    if !out_is_dir && (out.exists() || only_files) {
        return Err(format!(
            "`-o {}` is not a directory: with several inputs `-o` names a directory (an \
             existing one, or a path ending in `/`)",
            out.display()
        ));
    }
    Ok(Some(out.to_path_buf()))
}

/// Where a document's output goes: its path below its base, under `out_dir`; the extension
/// changes only when `--format` asks for the other syntax.
fn output_path(args: &ConvertArgs, job: &Job, out_dir: &Path) -> PathBuf {
    let mut path = out_dir.join(&job.rel);
    if let Some(format) = args.format {
        let ext = path.extension().and_then(|e| e.to_str());
        let (keep, new) = match format {
            FormatArg::Json => (matches!(ext, Some("json")), "json"),
            FormatArg::Yaml => (matches!(ext, Some("yaml" | "yml")), "yaml"),
        };
        if !keep {
            path.set_extension(new);
        }
    }
    path
}

/// Every output path, refused when two documents would share one or one would overwrite an
/// input.
fn output_paths(args: &ConvertArgs, jobs: &[Job], out_dir: &Path) -> Result<Vec<PathBuf>, String> {
    let inputs: HashSet<PathBuf> = jobs
        .iter()
        .filter_map(|j| std::fs::canonicalize(&j.input).ok())
        .collect();
    let mut seen: HashMap<PathBuf, &Path> = HashMap::new();
    let mut out = Vec::with_capacity(jobs.len());
    for job in jobs {
        let target = output_path(args, job, out_dir);
        if let Some(other) = seen.insert(discover::absolute(&target), &job.input) {
            return Err(format!(
                "`{}` and `{}` would both be written to `{}`",
                other.display(),
                job.input.display(),
                target.display()
            ));
        }
        if std::fs::canonicalize(&target).is_ok_and(|c| inputs.contains(&c)) {
            return Err(format!(
                "`{}` is an input: choose an output directory where no output overwrites an input",
                target.display()
            ));
        }
        out.push(target);
    }
    Ok(out)
}

/// `convert INPUT... -o DIR`.
pub fn convert(args: &ConvertArgs, out_dir: &Path) -> ExitCode {
    let prepared = documents(&args.inputs).and_then(|found| {
        let targets = output_paths(args, &found.jobs, out_dir)?;
        Ok((found, targets))
    });
    let (found, targets) = match prepared {
        Ok(p) => p,
        Err(msg) => return usage_error(&msg),
    };
    let options = convert_options(args);
    let work = |i: usize, job: &Job| -> Outcome<()> {
        let target = targets.get(i).map_or(out_dir, PathBuf::as_path);
        let (syntax, converted) = match convert_loaded(args, &job.input, &options) {
            Ok(r) => r,
            Err(e) => return Outcome::failed(&e),
        };
        let diagnostics = &converted.diagnostics;
        let mut outcome = Outcome {
            status: 0,
            warned: !diagnostics.is_empty(),
            stdout: String::new(),
            stderr: render(diagnostics, args.diagnostics),
            data: (),
        };
        if withheld(args, diagnostics) {
            outcome.status = EXIT_FINDINGS;
            outcome.stderr += &format!(
                "hookbridge: {}: no output written ({} diagnostics)\n",
                job.input.display(),
                diagnostics.len()
            );
            return outcome;
        }
        let text = emit::to_string(
            &converted.document,
            output_format(args, Some(target), syntax),
        );
        drop(converted);
        let written = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
            _ => Ok(()),
        }
        .and_then(|()| hookbridge::document::write::write_atomic(target, text.as_bytes()));
        if let Err(e) = written {
            let msg = format!("cannot write the output: {e}");
            let name = target.display().to_string();
            let d = Diagnostic::error(codes::IO, &name, "", msg);
            outcome.status = EXIT_INPUT;
            outcome.stderr += &render(&[d], args.diagnostics);
        }
        outcome
    };
    let tally = match run(&found.jobs, args.batch.jobs, work, |()| {}) {
        Ok(t) => t,
        Err(msg) => return usage_error(&msg),
    };
    let counts = format!(
        "{} converted ({} with warnings), {} failed",
        tally.clean + tally.warned,
        tally.warned,
        tally.findings + tally.failed
    );
    summary(&tally, &counts, found.skipped);
    ExitCode::from(tally.worst)
}

/// `roundtrip INPUT...`: differences on standard output, each line led by its file (or, with
/// `--format json`, one array of `{file, status, differences}`).
pub fn roundtrip(args: &RoundtripArgs) -> ExitCode {
    let found = match documents(&args.inputs) {
        Ok(f) => f,
        Err(msg) => return usage_error(&msg),
    };
    let options = roundtrip_options(args);
    let json = args.format == DiagnosticsArg::Json;
    let work = |_: usize, job: &Job| -> Outcome<Option<serde_json::Value>> {
        let file = job.input.display().to_string();
        let trip = match roundtrip_one(args, &job.input, &options) {
            Ok(t) => t,
            Err(e) => {
                let entry =
                    serde_json::json!({"file": file, "status": "failed", "differences": []});
                let data = json.then_some(entry);
                return Outcome {
                    data,
                    ..Outcome::failed(&e)
                };
            }
        };
        let n = trip.differences.len();
        let mut stderr = render(&trip.diagnostics, DiagnosticsArg::Text);
        let mut stdout = String::new();
        if n > 0 && !json {
            stdout = trip
                .differences
                .iter()
                .map(|d| format!("{file}: {}", difference_line(d)))
                .collect();
            stderr += &format!("hookbridge: {file}: {n} differences after the round trip\n");
        }
        let status = if n == 0 { "exact" } else { "differences" };
        let data = json.then(
            || serde_json::json!({"file": file, "status": status, "differences": trip.differences}),
        );
        Outcome {
            status: if n == 0 { 0 } else { EXIT_FINDINGS },
            warned: !trip.diagnostics.is_empty(),
            stdout,
            stderr,
            data,
        }
    };
    let mut entries = Vec::new();
    let tally = match run(&found.jobs, args.batch.jobs, work, |d| entries.extend(d)) {
        Ok(t) => t,
        Err(msg) => return usage_error(&msg),
    };
    if json {
        let text = serde_json::to_string_pretty(&entries).unwrap_or_default() + "\n";
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    }
    let counts = format!(
        "{} exact, {} with differences, {} failed",
        tally.clean + tally.warned,
        tally.findings,
        tally.failed
    );
    summary(&tally, &counts, found.skipped);
    ExitCode::from(tally.worst)
}

/// `lint INPUT...` over several documents: their findings in input order, the worst status of
/// a document that could not be read, and the summary line (printed after the findings).
pub fn lint(args: &LintArgs, config: &LintConfig) -> Result<(Vec<Finding>, u8, String), ExitCode> {
    let found = documents(&args.inputs).map_err(|msg| usage_error(&msg))?;
    let options = args.input_args.options();
    let work = |_: usize, job: &Job| -> Outcome<Vec<Finding>> {
        match super::lint_one(&job.input, &options, config) {
            Ok((findings, notes)) => Outcome {
                status: if lints::has_errors(&findings) {
                    EXIT_FINDINGS
                } else {
                    0
                },
                warned: !findings.is_empty(),
                stdout: String::new(),
                stderr: render(&notes, DiagnosticsArg::Text),
                data: findings,
            },
            Err(e) => Outcome::failed(&e),
        }
    };
    let mut findings = Vec::new();
    let tally = run(&found.jobs, args.batch.jobs, work, |mut f| {
        findings.append(&mut f)
    })
    .map_err(|msg| usage_error(&msg))?;
    let line = format!(
        "hookbridge: {} document(s): {} clean, {} with warnings only, {} with errors, {} failed{}\n",
        tally.total(),
        tally.clean,
        tally.warned,
        tally.findings,
        tally.failed,
        skipped_note(found.skipped)
    );
    // The findings' own status is the caller's: only unreadable documents count here.
    let worst = if tally.failed > 0 { EXIT_INPUT } else { 0 };
    Ok((findings, worst, line))
}
