mod batch;
mod discover;
mod nav;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use hookbridge::diagnostics::codes;
use hookbridge::document::emit::{self, Format};
use hookbridge::document::refs::Bundled;
use hookbridge::{
    ConvertOptions, Diagnostic, Error, OpenApiVersion, Perspective, SchemaFormat, Severity, Syntax,
    Target,
};

/// Exit statuses (DESIGN.md): 0 success, 1 document errors (or warnings with --strict), 2 bad input or usage.
const EXIT_FINDINGS: u8 = 1;
const EXIT_INPUT: u8 = 2;

#[derive(Parser)]
#[command(
    name = "hookbridge",
    version,
    about = "Bridge OpenAPI webhooks and callbacks to AsyncAPI 3.0 (HTTP bindings)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert OpenAPI 3.0-3.2 webhooks and callbacks to AsyncAPI 3.0.
    ///
    /// Example: hookbridge convert samples/openapi/webhooks-multi.yaml -o events.asyncapi.yaml
    Convert(ConvertArgs),
    /// Convert there and back and print every difference as a JSON pointer (exit 1 if any).
    ///
    /// Example: hookbridge roundtrip samples/openapi/callbacks-embedded.yaml
    Roundtrip(RoundtripArgs),
    /// Build the merged navigation manifest of an OpenAPI document and its AsyncAPI twin.
    ///
    /// Example: hookbridge nav samples/openapi/callbacks-embedded.yaml --html nav.html
    Nav(nav::NavArgs),
    /// Lint webhooks, callbacks and examples (exit 1 on any error-level finding).
    ///
    /// Example: hookbridge lint samples/openapi/*.yaml --format sarif > lint.sarif
    Lint(LintArgs),
    /// Exit 1, printing every difference, unless ASYNCAPI is what `convert OPENAPI` gives.
    ///
    /// Example: hookbridge check api.yaml events.asyncapi.yaml
    Check(CheckArgs),
    /// Webhook and callback changes from OLD to NEW, breaking ones first (exit 1 if any).
    ///
    /// Example: hookbridge diff v1/api.yaml v2/api.yaml --format markdown >> CHANGELOG.md
    Diff(DiffArgs),
}

#[derive(clap::Args)]
struct LintArgs {
    /// Documents (OpenAPI 3.0-3.2 or AsyncAPI 3.0, YAML or JSON); `-` reads standard input.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output format, on standard output.
    #[arg(long, value_enum, default_value = "text")]
    format: LintFormatArg,
    /// Rule levels (`rules: {rule-id: off|warn|error}`); default: ./.hookbridge.yaml if present.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(flatten)]
    input_args: InputArgs,
    #[command(flatten)]
    batch: batch::BatchArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum LintFormatArg {
    Text,
    Json,
    Sarif,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The OpenAPI document (source of truth).
    openapi: PathBuf,
    /// The AsyncAPI document that should be its conversion.
    asyncapi: PathBuf,
    /// Whose side the OpenAPI document describes (as given to `convert`).
    #[arg(long, value_enum, default_value = "provider")]
    perspective: PerspectiveArg,
    /// Ordinary paths were converted too (as given to `convert`).
    #[arg(long)]
    include_paths: bool,
    /// How schemas were written in AsyncAPI (as given to `convert`).
    #[arg(long, value_enum, default_value = "asyncapi")]
    schema_format: SchemaFormatArg,
    /// AsyncAPI version written (as given to `convert`).
    #[arg(long, value_enum, value_name = "VERSION")]
    asyncapi_version: Option<AsyncApiVersionArg>,
    /// How differences are printed on standard output.
    #[arg(long, value_enum, default_value = "text")]
    format: DiagnosticsArg,
    #[command(flatten)]
    input_args: InputArgs,
}

#[derive(clap::Args)]
struct DiffArgs {
    /// The previous document (OpenAPI or AsyncAPI).
    old: PathBuf,
    /// The new document, of the same kind.
    new: PathBuf,
    /// Output format, on standard output.
    #[arg(long, value_enum, default_value = "markdown")]
    format: DiffFormatArg,
    #[command(flatten)]
    input_args: InputArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormatArg {
    Markdown,
    Json,
}

#[derive(clap::Args)]
struct RoundtripArgs {
    /// Input document (OpenAPI or AsyncAPI, YAML or JSON); `-` reads standard input. Several
    /// inputs, a directory or a quoted glob pattern check each root document, in parallel.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Compare only webhooks, callbacks and components (OpenAPI input; the default scope of `convert`).
    #[arg(long)]
    events_only: bool,
    /// How schemas are written on the AsyncAPI side.
    #[arg(long, value_enum, default_value = "asyncapi")]
    schema_format: SchemaFormatArg,
    /// How differences are printed on standard output.
    #[arg(long, value_enum, default_value = "text")]
    format: DiagnosticsArg,
    #[command(flatten)]
    input_args: InputArgs,
    #[command(flatten)]
    batch: batch::BatchArgs,
}

#[derive(clap::Args)]
struct ConvertArgs {
    /// Input document (YAML or JSON); `-` reads standard input. Several inputs, a directory or
    /// a quoted glob pattern convert each OpenAPI/AsyncAPI root document into `-o DIR`.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output file; `-` or nothing writes to standard output. An existing directory or a path
    /// ending in `/` receives one output per input, at the input's path below its base.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Target; by default the opposite of the input's kind.
    #[arg(long, value_enum)]
    to: Option<ToArg>,
    /// Output format; default: the extension of --output, else the input's format.
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Whose side the OpenAPI document describes.
    #[arg(long, value_enum, default_value = "provider")]
    perspective: PerspectiveArg,
    /// Also convert ordinary paths (as `receive` operations with replies).
    #[arg(long)]
    include_paths: bool,
    /// How schemas are written in AsyncAPI.
    #[arg(long, value_enum, default_value = "asyncapi")]
    schema_format: SchemaFormatArg,
    /// AsyncAPI version written [default: 3.0, or the version an `x-asyncapi` record names].
    #[arg(long, value_enum, value_name = "VERSION")]
    asyncapi_version: Option<AsyncApiVersionArg>,
    /// OpenAPI version written from AsyncAPI; default: the one the document came from, else
    /// 3.1. What the version cannot hold goes into extensions, with a warning.
    #[arg(long, value_enum, value_name = "VERSION")]
    openapi_version: Option<OpenApiVersionArg>,
    /// Merge the OpenAPI result into this OpenAPI document (AsyncAPI input only): its webhooks,
    /// callbacks and the converted components are replaced, the rest is kept. Never modified
    /// unless it is also the --output.
    #[arg(long, value_name = "BASE_OPENAPI")]
    into: Option<PathBuf>,
    /// Treat warnings as errors (exit 1, no output written).
    #[arg(long)]
    strict: bool,
    /// How diagnostics are printed on standard error.
    #[arg(long, value_enum, default_value = "text")]
    diagnostics: DiagnosticsArg,
    #[command(flatten)]
    input_args: InputArgs,
    #[command(flatten)]
    batch: batch::BatchArgs,
}

/// Input limits and the `$ref` sandbox, shared by every command that reads documents.
#[derive(clap::Args)]
struct InputArgs {
    /// Largest input accepted, in bytes (each file of a multi-file specification).
    #[arg(long, default_value_t = hookbridge::Limits::default().max_bytes)]
    max_bytes: usize,
    /// Deepest nesting of mappings and sequences accepted (the parsers stop at 127 regardless).
    #[arg(long, default_value_t = hookbridge::Limits::default().max_depth)]
    max_depth: usize,
    /// Most values accepted (mappings, sequences, scalars, keys; YAML aliases count as
    /// expanded). Default: 1000000, and for JSON also one per 8 bytes of a larger input; a value
    /// given here holds for every input.
    #[arg(long)]
    max_nodes: Option<usize>,
    /// Directory that file `$ref`s may read from (default: the root of the git repository the
    /// input lies in, else the input file's directory).
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Read a multi-line quoted scalar continued at its key's column, which YAML 1.2 forbids,
    /// as js-yaml and libyaml do (a `yaml-lenient` warning each); without it, a parse error.
    #[arg(long)]
    yaml_lenient: bool,
}

impl InputArgs {
    fn options(&self) -> ConvertOptions {
        ConvertOptions {
            limits: match self.max_nodes {
                Some(max_nodes) => hookbridge::Limits {
                    max_bytes: self.max_bytes,
                    max_depth: self.max_depth,
                    max_nodes,
                    json_bytes_per_node: 0,
                    yaml_lenient: self.yaml_lenient,
                },
                None => hookbridge::Limits {
                    max_bytes: self.max_bytes,
                    max_depth: self.max_depth,
                    yaml_lenient: self.yaml_lenient,
                    ..Default::default()
                },
            },
            root: self.root.clone(),
            ..Default::default()
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ToArg {
    Asyncapi,
    Openapi,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Yaml,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum PerspectiveArg {
    Provider,
    Consumer,
}

#[derive(Clone, Copy, ValueEnum)]
enum OpenApiVersionArg {
    #[value(name = "3.0")]
    V30,
    #[value(name = "3.1")]
    V31,
    #[value(name = "3.2")]
    V32,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaFormatArg {
    Asyncapi,
    Openapi,
}

#[derive(Clone, Copy, ValueEnum)]
enum AsyncApiVersionArg {
    #[value(name = "3.0")]
    V3_0,
    #[value(name = "3.1")]
    V3_1,
}

impl AsyncApiVersionArg {
    fn version(self) -> hookbridge::asyncapi::Version {
        match self {
            AsyncApiVersionArg::V3_0 => hookbridge::asyncapi::Version::V3_0,
            AsyncApiVersionArg::V3_1 => hookbridge::asyncapi::Version::V3_1,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiagnosticsArg {
    Text,
    Json,
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_INPUT } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Convert(args) => convert(&args),
        Command::Roundtrip(args) => roundtrip(&args),
        Command::Nav(args) => nav::nav(&args),
        Command::Lint(args) => lint(&args),
        Command::Check(args) => check(&args),
        Command::Diff(args) => diff(&args),
    }
}

fn lint_config(path: Option<&Path>) -> Result<hookbridge::contract::lint::LintConfig, Error> {
    use hookbridge::contract::lint::{LintConfig, CONFIG_FILE};
    match path {
        Some(p) => LintConfig::load(p),
        None if Path::new(CONFIG_FILE).is_file() => LintConfig::load(Path::new(CONFIG_FILE)),
        None => Ok(LintConfig::default()),
    }
}

fn lint(args: &LintArgs) -> ExitCode {
    use hookbridge::contract::lint::{self, OutputFormat};
    let config = match lint_config(args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => return fail(e, DiagnosticsArg::Text),
    };
    let (mut findings, worst, summary) = match args.inputs.as_slice() {
        [input] if !batch::is_batch(&args.inputs) => {
            let options = args.input_args.options();
            match lint_one(input, &options, &config) {
                Ok((f, notes)) => {
                    report(&notes, DiagnosticsArg::Text);
                    (f, 0, String::new())
                }
                Err(e) => return fail(e, DiagnosticsArg::Text),
            }
        }
        _ => match batch::lint(args, &config) {
            Ok(r) => r,
            Err(status) => return status,
        },
    };
    lint::add_positions(&mut findings);
    let format = match args.format {
        LintFormatArg::Text => OutputFormat::Text,
        LintFormatArg::Json => OutputFormat::Json,
        LintFormatArg::Sarif => OutputFormat::Sarif,
    };
    let _ = std::io::stdout()
        .lock()
        .write_all(lint::render(&findings, format).as_bytes());
    let _ = std::io::stderr().lock().write_all(summary.as_bytes());
    let status = if lint::has_errors(&findings) {
        EXIT_FINDINGS
    } else {
        0
    };
    ExitCode::from(status.max(worst))
}

/// The findings about one input, and the loader's warnings.
fn lint_one(
    input: &Path,
    options: &ConvertOptions,
    config: &hookbridge::contract::lint::LintConfig,
) -> Result<(Vec<hookbridge::contract::lint::Finding>, Vec<Diagnostic>), Error> {
    let Bundled {
        document,
        diagnostics,
        origins,
        ..
    } = load_input_bundled(input, options, false)?;
    let name = &document.name;
    let mut findings = hookbridge::contract::lint::lint_document(&document, config)
        .map_err(|e| origins.relocate_error(name, e))?;
    for f in &mut findings {
        origins.relocate_place(name, (&mut f.file, &mut f.pointer));
    }
    Ok((findings, diagnostics))
}

fn check(args: &CheckArgs) -> ExitCode {
    let options = ConvertOptions {
        perspective: match args.perspective {
            PerspectiveArg::Provider => Perspective::Provider,
            PerspectiveArg::Consumer => Perspective::Consumer,
        },
        include_paths: args.include_paths,
        schema_format: match args.schema_format {
            SchemaFormatArg::Asyncapi => SchemaFormat::AsyncApi,
            SchemaFormatArg::Openapi => SchemaFormat::OpenApi,
        },
        asyncapi_version: args.asyncapi_version.map(AsyncApiVersionArg::version),
        ..args.input_args.options()
    };
    // The loader's warnings (URL `$ref`s kept, ...) are shown as `convert` shows them.
    let result = load_two(
        &args.openapi,
        &args.asyncapi,
        &options,
        |openapi, asyncapi| {
            let diffs = hookbridge::contract::check::check(openapi, asyncapi, &options)?;
            Ok((asyncapi.name.clone(), diffs))
        },
    );
    let (name, diffs) = match result {
        Ok(r) => r,
        Err(e) => return fail(e, DiagnosticsArg::Text),
    };
    let text = match args.format {
        DiagnosticsArg::Text => hookbridge::contract::check::render_text(&name, &diffs),
        DiagnosticsArg::Json => hookbridge::contract::check::render_json(&diffs),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    if diffs.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FINDINGS)
    }
}

/// Loads two inputs (their loader warnings shown as `convert` shows them) and runs `work` on
/// them; an error about a part bundled from another file names that file.
fn load_two<T>(
    first: &Path,
    second: &Path,
    options: &ConvertOptions,
    work: impl FnOnce(&hookbridge::Document, &hookbridge::Document) -> Result<T, Error>,
) -> Result<T, Error> {
    let a = load_input_bundled(first, options, false)?;
    report(&a.diagnostics, DiagnosticsArg::Text);
    let b = load_input_bundled(second, options, false)?;
    report(&b.diagnostics, DiagnosticsArg::Text);
    work(&a.document, &b.document).map_err(|e| {
        let e = a.origins.relocate_error(&a.document.name, e);
        b.origins.relocate_error(&b.document.name, e)
    })
}

fn diff(args: &DiffArgs) -> ExitCode {
    use hookbridge::contract::diff::{self, OutputFormat};
    let options = args.input_args.options();
    let result = load_two(&args.old, &args.new, &options, diff::diff);
    let changes = match result {
        Ok(c) => c,
        Err(e) => return fail(e, DiagnosticsArg::Text),
    };
    let format = match args.format {
        DiffFormatArg::Markdown => OutputFormat::Markdown,
        DiffFormatArg::Json => OutputFormat::Json,
    };
    let _ = std::io::stdout()
        .lock()
        .write_all(diff::render(&changes, format).as_bytes());
    if diff::has_breaking(&changes) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

fn roundtrip_options(args: &RoundtripArgs) -> ConvertOptions {
    ConvertOptions {
        schema_format: match args.schema_format {
            SchemaFormatArg::Asyncapi => SchemaFormat::AsyncApi,
            SchemaFormatArg::Openapi => SchemaFormat::OpenApi,
        },
        ..args.input_args.options()
    }
}

/// Loads one input and takes it there and back, the loader's warnings first.
fn roundtrip_one(
    args: &RoundtripArgs,
    input: &Path,
    options: &ConvertOptions,
) -> Result<hookbridge::RoundTrip, Error> {
    let Bundled {
        document,
        mut diagnostics,
        origins,
        ..
    } = load_input_bundled(input, options, true)?;
    let name = &document.name;
    let mut trip = hookbridge::roundtrip(&document, options, args.events_only)
        .map_err(|e| origins.relocate_error(name, e))?;
    origins.relocate_all(name, &mut trip.diagnostics);
    diagnostics.append(&mut trip.diagnostics);
    trip.diagnostics = diagnostics;
    Ok(trip)
}

fn roundtrip(args: &RoundtripArgs) -> ExitCode {
    let input = match args.inputs.as_slice() {
        [one] if !batch::is_batch(&args.inputs) => one,
        _ => return batch::roundtrip(args),
    };
    let options = roundtrip_options(args);
    let trip = match roundtrip_one(args, input, &options) {
        Ok(t) => t,
        Err(e) => return fail(e, DiagnosticsArg::Text),
    };
    report(&trip.diagnostics, DiagnosticsArg::Text);
    let mut out = std::io::stdout().lock();
    let text = match args.format {
        DiagnosticsArg::Json => {
            serde_json::to_string_pretty(&trip.differences).unwrap_or_default() + "\n"
        }
        DiagnosticsArg::Text => trip.differences.iter().map(difference_line).collect(),
    };
    let _ = out.write_all(text.as_bytes());
    if trip.differences.is_empty() {
        let _ = writeln!(std::io::stderr(), "hookbridge: round trip exact");
        ExitCode::SUCCESS
    } else {
        let _ = writeln!(
            std::io::stderr(),
            "hookbridge: {} differences after the round trip",
            trip.differences.len()
        );
        ExitCode::from(EXIT_FINDINGS)
    }
}

fn difference_line(d: &hookbridge::contract::compare::Difference) -> String {
    let show = |v: &Option<serde_json::Value>| match v {
        Some(v) => serde_json::to_string(v).unwrap_or_default(),
        None => "(absent)".to_string(),
    };
    format!(
        "{}: {} -> {}\n",
        if d.pointer.is_empty() {
            "/"
        } else {
            &d.pointer
        },
        show(&d.before),
        show(&d.after)
    )
}

fn convert_options(args: &ConvertArgs) -> ConvertOptions {
    ConvertOptions {
        to: args.to.map(|t| match t {
            ToArg::Asyncapi => Target::AsyncApi,
            ToArg::Openapi => Target::OpenApi,
        }),
        perspective: match args.perspective {
            PerspectiveArg::Provider => Perspective::Provider,
            PerspectiveArg::Consumer => Perspective::Consumer,
        },
        include_paths: args.include_paths,
        schema_format: match args.schema_format {
            SchemaFormatArg::Asyncapi => SchemaFormat::AsyncApi,
            SchemaFormatArg::Openapi => SchemaFormat::OpenApi,
        },
        asyncapi_version: args.asyncapi_version.map(AsyncApiVersionArg::version),
        openapi_version: args.openapi_version.map(|v| match v {
            OpenApiVersionArg::V30 => OpenApiVersion::V30,
            OpenApiVersionArg::V31 => OpenApiVersion::V31,
            OpenApiVersionArg::V32 => OpenApiVersion::V32,
        }),
        ..args.input_args.options()
    }
}

/// The options given that only the OpenAPI -> AsyncAPI direction reads.
fn forward_only_options(args: &ConvertArgs) -> Vec<&'static str> {
    let given = [
        (args.include_paths, "--include-paths"),
        (
            matches!(args.perspective, PerspectiveArg::Consumer),
            "--perspective",
        ),
        (
            matches!(args.schema_format, SchemaFormatArg::Openapi),
            "--schema-format",
        ),
        (args.asyncapi_version.is_some(), "--asyncapi-version"),
    ];
    given
        .into_iter()
        .filter_map(|(set, name)| set.then_some(name))
        .collect()
}

/// A warning for each option of the other direction, when the output is OpenAPI.
fn note_inapplicable(args: &ConvertArgs, converted: &mut hookbridge::Converted, name: &str) {
    if converted.target != Target::OpenApi {
        return;
    }
    for option in forward_only_options(args) {
        let msg = format!(
            "`{option}` applies to OpenAPI inputs (OpenAPI -> AsyncAPI); this input is AsyncAPI, so it has no effect here"
        );
        converted.diagnostics.insert(
            0,
            Diagnostic::warning(codes::OPTION_NOT_APPLICABLE, name, "", msg),
        );
    }
}

/// Loads and converts one input (merged into `--into`'s document when given): the syntax the
/// output takes by default, and the result.
fn convert_loaded(
    args: &ConvertArgs,
    input: &Path,
    options: &ConvertOptions,
) -> Result<(Syntax, hookbridge::Converted), Error> {
    load_input_bundled(input, options, true).and_then(|bundled| {
        let syntax = bundled.document.syntax;
        match args.into.as_deref() {
            Some(base) => {
                let (mut diagnostics, origins) = (bundled.diagnostics, bundled.origins);
                let name = bundled.document.name.clone();
                let (syntax, mut c) =
                    convert_into(bundled.document, base, options, &mut diagnostics)
                        .map_err(|e| origins.relocate_error(&name, e))?;
                origins.relocate_all(&name, &mut c.diagnostics);
                note_inapplicable(args, &mut c, &name);
                diagnostics.append(&mut c.diagnostics);
                c.diagnostics = diagnostics;
                Ok((syntax, c))
            }
            None => {
                let name = bundled.document.name.clone();
                let mut c = hookbridge::convert_bundled(bundled, options)?;
                note_inapplicable(args, &mut c, &name);
                Ok((syntax, c))
            }
        }
    })
}

fn convert(args: &ConvertArgs) -> ExitCode {
    match batch::convert_plan(args) {
        Ok(None) => {}
        Ok(Some(out_dir)) => return batch::convert(args, &out_dir),
        Err(msg) => return usage_error(&msg),
    }
    let Some(input) = args.inputs.first() else {
        return usage_error("no input");
    };
    let options = convert_options(args);
    let (syntax, converted) = match convert_loaded(args, input, &options) {
        Ok(r) => r,
        Err(e) => return fail(e, args.diagnostics),
    };
    report(&converted.diagnostics, args.diagnostics);
    if withheld(args, &converted.diagnostics) {
        let _ = writeln!(
            std::io::stderr(),
            "hookbridge: no output written ({} diagnostics)",
            converted.diagnostics.len()
        );
        return ExitCode::from(EXIT_FINDINGS);
    }
    let format = output_format(args, args.output.as_deref(), syntax);
    let text = emit::to_string(&converted.document, format);
    let status = match write_output(args.output.as_deref(), &text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e, args.diagnostics),
    };
    // The process exits next: freeing the tree node by node would only cost time
    // (examples/floor.rs, the benchmark's baseline, skips it too).
    std::mem::forget(converted);
    status
}

/// No output for a document with errors, or with any diagnostic under `--strict`.
fn withheld(args: &ConvertArgs, diagnostics: &[Diagnostic]) -> bool {
    let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    has_errors || (args.strict && !diagnostics.is_empty())
}

/// `convert --into BASE`: the base is read like the input; the output takes its format.
fn convert_into(
    doc: hookbridge::Document,
    base: &Path,
    options: &ConvertOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(Syntax, hookbridge::Converted), Error> {
    if base.as_os_str() == "-" && doc.name == "<stdin>" {
        let msg = "the input and the `--into` document cannot both be standard input";
        return Err(Diagnostic::error(hookbridge::convert::into::USAGE, "<stdin>", "", msg).into());
    }
    let (base, mut base_diagnostics) = load_input(base, options)?;
    diagnostics.append(&mut base_diagnostics);
    let converted = hookbridge::convert_into(&doc, &base, options)?;
    Ok((base.syntax, converted))
}

/// Reads standard input, or a file with the files its `$ref`s reach (bundled into one).
fn load_input(
    input: &Path,
    options: &ConvertOptions,
) -> Result<(hookbridge::Document, Vec<Diagnostic>), Error> {
    load_input_bundled(input, options, false).map(|b| (b.document, b.diagnostics))
}

/// [`load_input`], with what the loader found out about the references. `conversion`: local
/// `$ref`s that point at nothing are left for the conversion to judge
/// ([`hookbridge::load_bundled_for_conversion`]).
fn load_input_bundled(
    input: &Path,
    options: &ConvertOptions,
    conversion: bool,
) -> Result<Bundled, Error> {
    let limits = &options.limits;
    if input.as_os_str() == "-" {
        let mut bytes = Vec::new();
        let cap = limits.max_bytes as u64 + 1;
        std::io::stdin()
            .take(cap)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                Diagnostic::error(
                    codes::IO,
                    "<stdin>",
                    "",
                    format!("cannot read standard input: {e}"),
                )
            })?;
        return hookbridge::document::load::parse_bytes(&bytes, "<stdin>", limits).map(
            |document| Bundled {
                document,
                diagnostics: Vec::new(),
                sound_refs: None,
                origins: Default::default(),
            },
        );
    }
    if conversion {
        hookbridge::load_bundled_for_conversion(input, options)
    } else {
        hookbridge::load_bundled(input, options)
    }
}

fn output_format(args: &ConvertArgs, output: Option<&Path>, syntax: Syntax) -> Format {
    if let Some(f) = args.format {
        return match f {
            FormatArg::Yaml => Format::Yaml,
            FormatArg::Json => Format::Json,
        };
    }
    let ext = output.and_then(Path::extension).and_then(|e| e.to_str());
    match ext {
        Some("json") => Format::Json,
        Some("yaml") | Some("yml") => Format::Yaml,
        _ if syntax == Syntax::Json => Format::Json,
        _ => Format::Yaml,
    }
}

/// Writes standard output, or the file atomically with the mode a new file gets
/// ([`hookbridge::document::write::write_atomic`]).
fn write_output(output: Option<&Path>, text: &str) -> Result<(), Error> {
    let Some(path) = output.filter(|p| p.as_os_str() != "-") else {
        let mut out = std::io::stdout().lock();
        return out
            .write_all(text.as_bytes())
            .and_then(|_| out.flush())
            .map_err(|e| {
                Diagnostic::error(codes::IO, "<stdout>", "", format!("cannot write: {e}")).into()
            });
    };
    hookbridge::document::write::write_atomic(path, text.as_bytes()).map_err(|e| {
        let msg = format!("cannot write the output: {e}");
        Diagnostic::error(codes::IO, &path.display().to_string(), "", msg).into()
    })
}

fn fail(e: Error, format: DiagnosticsArg) -> ExitCode {
    report(std::slice::from_ref(&*e.diagnostic), format);
    ExitCode::from(EXIT_INPUT)
}

fn usage_error(msg: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "hookbridge: {msg}");
    ExitCode::from(EXIT_INPUT)
}

fn report(diagnostics: &[Diagnostic], format: DiagnosticsArg) {
    let _ = std::io::stderr()
        .lock()
        .write_all(render(diagnostics, format).as_bytes());
}

/// Diagnostics as `report` prints them: with positions, one per line.
fn render(diagnostics: &[Diagnostic], format: DiagnosticsArg) -> String {
    let mut diagnostics = diagnostics.to_vec();
    hookbridge::document::positions::add_positions(&mut diagnostics);
    let mut out = String::new();
    for d in &diagnostics {
        match format {
            DiagnosticsArg::Text => out.push_str(&d.to_string()),
            DiagnosticsArg::Json => out.push_str(&serde_json::to_string(d).unwrap_or_default()),
        }
        out.push('\n');
    }
    out
}
