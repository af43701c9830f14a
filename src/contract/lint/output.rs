//! Output of `hookbridge lint`: text, JSON and SARIF 2.1.0.

use serde_json::{json, Value};

use super::{Finding, Level, RuleInfo, RULES};
use crate::diagnostics::Severity;

/// Output formats of `hookbridge lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
    Sarif,
}

/// Renders findings (of one or more files) in a format.
pub fn render(findings: &[Finding], format: OutputFormat) -> String {
    match format {
        OutputFormat::Text => render_text(findings),
        OutputFormat::Json => render_json(findings),
        OutputFormat::Sarif => render_sarif(findings),
    }
}

fn counts(findings: &[Finding]) -> (usize, usize) {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    (errors, findings.len() - errors)
}

/// One line per finding, then a count.
pub fn render_text(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&f.to_string());
        out.push('\n');
    }
    let (errors, warnings) = counts(findings);
    out.push_str(&format!("{errors} error(s), {warnings} warning(s)\n"));
    out
}

/// `{"findings": [...], "errors": n, "warnings": n}`.
pub fn render_json(findings: &[Finding]) -> String {
    let (errors, warnings) = counts(findings);
    let doc = json!({ "findings": findings, "errors": errors, "warnings": warnings });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// SARIF 2.1.0: one run, every rule described, one result per finding. The JSON pointer is
/// the result's logical location; its line and column, when known, its region.
pub fn render_sarif(findings: &[Finding]) -> String {
    let rules: Vec<Value> = RULES.iter().map(sarif_rule).collect();
    let results: Vec<Value> = findings.iter().map(sarif_result).collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "hookbridge",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Off => "none",
        Level::Warn => "warning",
        Level::Error => "error",
    }
}

fn sarif_rule(rule: &RuleInfo) -> Value {
    json!({
        "id": rule.id,
        "shortDescription": {"text": rule.summary},
        "help": {"text": format!("See docs/lint.md, rule `{}`.", rule.id)},
        "defaultConfiguration": {"level": sarif_level(rule.level)},
    })
}

fn sarif_result(f: &Finding) -> Value {
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let index = RULES.iter().position(|r| r.id == f.rule).unwrap_or(0);
    let mut result = json!({
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": level,
        "message": {"text": f.message},
        "locations": [{
            "physicalLocation": physical_location(f),
            "logicalLocations": [{"fullyQualifiedName": f.pointer, "kind": "object"}],
        }],
        "partialFingerprints": {"jsonPointer/v1": format!("{}:{}", f.rule, f.pointer)},
    });
    if let Some(from) = &f.reached_from {
        result["properties"] = json!({ "reachedFrom": from });
    }
    result
}

/// The file, and the region of the finding in it when its position is known.
fn physical_location(f: &Finding) -> Value {
    let mut location = json!({"artifactLocation": {"uri": file_uri(&f.file)}});
    if let (Some(line), Some(column)) = (f.line, f.column) {
        location["region"] = json!({"startLine": line, "startColumn": column});
    }
    location
}

/// A relative URI reference for a file path (`/` separators, percent-encoded).
fn file_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:@!$&'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
