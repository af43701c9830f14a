//! Lint: the rules that keep webhook and callback contracts honest, for OpenAPI 3.0/3.1 and
//! AsyncAPI 3.0 documents.
//!
//! Every finding has a stable rule id ([`rules`]), a severity, the file and a JSON pointer to
//! the object to fix. Operations reached through `$ref` are reported where they are defined,
//! once, with the first path that reached them in `reached_from`. A `.hookbridge.yaml`
//! ([`LintConfig`]) sets a rule to `off`, `warn` or `error`. `docs/lint.md` explains each rule.

mod asyncapi_rules;
mod catalog;
mod config;
mod events;
mod example_check;
mod example_walk;
mod openapi_rules;
mod output;
mod refs;

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use crate::convert::dialect::Dialect;
use crate::diagnostics::{Error, Severity};
use crate::document::load::Document;
use crate::openapi::{self, Kind};

use asyncapi_rules::AsyncApiRules;
use example_check::check_examples;
use example_walk::Flavor;
use openapi_rules::OpenApiRules;

pub use catalog::{rules, Level, RuleInfo, RULES};
pub use config::{LintConfig, CONFIG_FILE};
pub use output::{render, render_json, render_sarif, render_text, OutputFormat};
pub(crate) use refs::follow;

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Stable rule id, one of [`rules`].
    pub rule: &'static str,
    pub severity: Severity,
    pub file: String,
    /// JSON Pointer to the object to fix (where it is defined, after `$ref`s).
    pub pointer: String,
    /// The path that reached `pointer` through `$ref`s, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reached_from: Option<String>,
    /// Where `pointer` is in `file` (1-based; the nearest ancestor when the file lacks it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(
                f,
                "{}:{line}:{column}: {severity}[{}] #{}: {}",
                self.file, self.rule, self.pointer, self.message
            )?,
            _ => write!(
                f,
                "{severity}[{}] {}#{}: {}",
                self.rule, self.file, self.pointer, self.message
            )?,
        }
        if let Some(from) = &self.reached_from {
            write!(f, " (reached from #{from})")?;
        }
        Ok(())
    }
}

/// True when a finding has severity error: `hookbridge lint` then exits 1.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// Lints a file, bundled first (`refs::bundle`, as `convert` reads its input), so findings in
/// a multi-file specification point into the bundled tree.
pub fn lint_path(
    path: &Path,
    config: &LintConfig,
    options: &crate::document::refs::BundleOptions,
) -> Result<Vec<Finding>, Error> {
    let bundled = crate::document::refs::bundle(path, options)?;
    let mut findings = lint_document(&bundled.document, config)?;
    let name = &bundled.document.name;
    for f in &mut findings {
        bundled
            .origins
            .relocate_place(name, (&mut f.file, &mut f.pointer));
    }
    add_positions(&mut findings);
    Ok(findings)
}

/// Line and column of each finding in the file it names.
pub fn add_positions(findings: &mut [Finding]) {
    crate::document::positions::place_all(findings.iter_mut(), |f| {
        (&f.file, &f.pointer, &mut f.line, &mut f.column)
    });
}

/// Lints a loaded document (local `$ref`s only: bundle multi-file specifications first).
pub fn lint_document(doc: &Document, config: &LintConfig) -> Result<Vec<Finding>, Error> {
    let kind = openapi::detect(&doc.value, &doc.name)?;
    let mut sink = Sink::new(&doc.name, config);
    let flavor = match &kind {
        Kind::OpenApi(version) => {
            OpenApiRules::new(&doc.value, &mut sink).run(version.dialect);
            match version.dialect {
                Dialect::Oas30 => Flavor::Oas30,
                Dialect::Oas31 => Flavor::Oas31,
            }
        }
        Kind::AsyncApi(_) => {
            AsyncApiRules::new(&doc.value, &mut sink).run();
            Flavor::AsyncApi
        }
    };
    let examples = [rules::EXAMPLE_VALID, rules::EXAMPLE_FORMAT];
    if examples.iter().any(|r| config.level(r) != Level::Off) {
        check_examples(&doc.value, flavor, &mut sink);
    }
    Ok(sink.out)
}

/// Collects findings: applies the configured levels and keeps one per (rule, pointer).
struct Sink<'c> {
    file: String,
    config: &'c LintConfig,
    seen: HashSet<(&'static str, String)>,
    out: Vec<Finding>,
}

impl<'c> Sink<'c> {
    fn new(file: &str, config: &'c LintConfig) -> Self {
        Sink {
            file: file.to_string(),
            config,
            seen: HashSet::new(),
            out: Vec::new(),
        }
    }

    fn add(&mut self, rule: &'static str, at: &str, from: Option<&str>, message: String) {
        let Some(severity) = self.config.level(rule).severity() else {
            return;
        };
        if !self.seen.insert((rule, at.to_string())) {
            return;
        }
        self.out.push(Finding {
            rule,
            severity,
            file: self.file.clone(),
            pointer: at.to_string(),
            reached_from: from.filter(|f| *f != at).map(str::to_string),
            line: None,
            column: None,
            message,
        });
    }
}

#[cfg(test)]
mod tests;
