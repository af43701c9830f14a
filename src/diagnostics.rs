//! Diagnostics: what went wrong or was lossy, where (file, JSON pointer, line:column) and why.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One finding. `code` is stable: scripts and configuration refer to it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub file: String,
    /// JSON Pointer into `file`; empty for the whole document.
    pub pointer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(
        code: &'static str,
        file: &str,
        pointer: &str,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, code, file, pointer, message.into())
    }

    pub fn warning(
        code: &'static str,
        file: &str,
        pointer: &str,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, file, pointer, message.into())
    }

    fn new(
        severity: Severity,
        code: &'static str,
        file: &str,
        pointer: &str,
        message: String,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            file: file.to_string(),
            pointer: pointer.to_string(),
            line: None,
            column: None,
            message,
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}[{}] {}", self.code, self.file)?;
        if !self.pointer.is_empty() {
            write!(f, "#{}", self.pointer)?;
        }
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A failure that stops the work: the input cannot be read, parsed or understood.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{diagnostic}")]
pub struct Error {
    /// Boxed: errors travel through every `Result` of the loader and the converter.
    pub diagnostic: Box<Diagnostic>,
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Error {
            diagnostic: Box::new(diagnostic),
        }
    }
}

/// Stable diagnostic codes.
pub mod codes {
    pub const IO: &str = "io";
    pub const TOO_LARGE: &str = "input-too-large";
    pub const TOO_DEEP: &str = "input-too-deep";
    pub const PARSE: &str = "parse";
    pub const DUPLICATE_KEY: &str = "duplicate-key";
    pub const EMPTY: &str = "empty-document";
    pub const NOT_A_MAPPING: &str = "root-not-a-mapping";
    pub const UNKNOWN_DOCUMENT: &str = "unknown-document";
    pub const UNSUPPORTED_VERSION: &str = "unsupported-version";
    pub const UNRESOLVED_REF: &str = "unresolved-ref";
    pub const REF_CYCLE: &str = "ref-cycle";
    pub const EXTERNAL_REF: &str = "external-ref";
    pub const REF_OUTSIDE_ROOT: &str = "ref-outside-root";
    pub const INVALID_RUNTIME_EXPRESSION: &str = "invalid-runtime-expression";
    pub const WEBHOOKS_IN_30: &str = "webhooks-in-openapi-3.0";
    pub const INVALID_STRUCTURE: &str = "invalid-structure";
    pub const LOSSY: &str = "lossy-mapping";
    pub const UNKNOWN_PATH_ITEM_FIELD: &str = "unknown-path-item-field";
    pub const CALLBACK_SHAPED_WEBHOOK: &str = "callback-shaped-webhook";
    pub const RECORD_SET_ASIDE: &str = "record-set-aside";
}
