//! `hookbridge nav`: one document pair, or a portal of many APIs (`--portal`, `--api`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use hookbridge::Error;

use super::{fail, report, DiagnosticsArg, InputArgs, EXIT_INPUT};

#[derive(clap::Args)]
pub struct NavArgs {
    /// The OpenAPI document (or `--portal`, `--api`).
    #[arg(required_unless_present_any = ["portal", "api"], conflicts_with_all = ["portal", "api"])]
    openapi: Option<PathBuf>,
    /// The AsyncAPI document; derived with `convert` when left out.
    asyncapi: Option<PathBuf>,
    /// Manifest file (JSON); `-` or nothing writes to standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Also write one self-contained HTML page with the merged tree.
    #[arg(long, value_name = "PAGE")]
    html: Option<PathBuf>,
    /// Export for a portal: `--export docusaurus DIR`.
    #[arg(long = "export", num_args = 2, value_names = ["FORMAT", "DIR"])]
    export: Option<Vec<String>>,
    /// Many APIs: a portal file (`apis: {NAME: {openapi, asyncapi, group}}`, Redocly-like).
    #[arg(long, value_name = "FILE", conflicts_with = "api")]
    portal: Option<PathBuf>,
    /// Many APIs: NAME=OPENAPI[,ASYNCAPI], repeated.
    #[arg(long, value_name = "NAME=OPENAPI[,ASYNCAPI]")]
    api: Vec<String>,
    /// `merged`: one entry per event (default); `split`: the AsyncAPI tree beside the OpenAPI one.
    #[arg(long, value_enum, default_value = "merged")]
    layout: NavLayoutArg,
    #[command(flatten)]
    input_args: InputArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum NavLayoutArg {
    Merged,
    Split,
}

pub fn nav(args: &NavArgs) -> ExitCode {
    use hookbridge::nav;
    let docusaurus = match args.export.as_deref() {
        None => None,
        Some([format, dir]) if format == "docusaurus" => Some(PathBuf::from(dir)),
        Some(other) => {
            let _ = writeln!(
                std::io::stderr(),
                "hookbridge: unknown export format `{}`; supported: docusaurus",
                other.first().map(String::as_str).unwrap_or("")
            );
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let options = nav::NavOptions {
        root: args.input_args.root.clone(),
        convert: args.input_args.options(),
        layout: match args.layout {
            NavLayoutArg::Merged => nav::Layout::Merged,
            NavLayoutArg::Split => nav::Layout::Split,
        },
        ..Default::default()
    };
    let built = match nav_build(args, &options) {
        Ok(b) => b,
        Err(e) => return fail(e, DiagnosticsArg::Text),
    };
    report(&built.diagnostics, DiagnosticsArg::Text);
    let outputs = nav::Outputs {
        manifest: args.output.clone(),
        html: args.html.clone(),
        docusaurus,
    };
    match nav::write_outputs(&built.manifest, &outputs) {
        Ok(Some(json)) => {
            let _ = std::io::stdout().lock().write_all(json.as_bytes());
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(e) => fail(e, DiagnosticsArg::Text),
    }
}

fn nav_build(
    args: &NavArgs,
    options: &hookbridge::nav::NavOptions,
) -> Result<hookbridge::nav::Built, Error> {
    use hookbridge::nav::{self, portal};
    if let Some(openapi) = &args.openapi {
        return nav::build_from_paths(openapi, args.asyncapi.as_deref(), options);
    }
    let apis = match &args.portal {
        Some(file) => portal::read_portal(file, &options.convert.limits)?,
        None => args
            .api
            .iter()
            .map(|a| portal::parse_api_arg(a))
            .collect::<Result<Vec<_>, _>>()?,
    };
    portal::build_portal(&apis, options)
}
