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
        // With a position, as compilers and Spectral write it: `FILE:LINE:COL: `.
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(
                f,
                "{}:{line}:{column}: {severity}[{}]",
                self.file, self.code
            )?;
            if !self.pointer.is_empty() {
                write!(f, " #{}", self.pointer)?;
            }
            return write!(f, ": {}", self.message);
        }
        write!(f, "{severity}[{}] {}", self.code, self.file)?;
        if !self.pointer.is_empty() {
            write!(f, "#{}", self.pointer)?;
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

/// What a diagnostic code means and how to act on it: one row of [`REGISTRY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    pub code: &'static str,
    /// `error`, `warning`, or `error or warning` (the same cause can stop a conversion or not).
    pub severity: &'static str,
    pub summary: &'static str,
    pub fix: &'static str,
}

/// Defines each code once: the constant in [`codes`] and its row in [`REGISTRY`].
macro_rules! registry {
    ($($name:ident = $code:literal, $severity:literal, $summary:literal, $fix:literal;)*) => {
        /// Stable diagnostic codes (scripts and configuration refer to them); see [`REGISTRY`].
        pub mod codes {
            $(pub const $name: &str = $code;)*
        }
        /// Every code hookbridge's commands emit, with its meaning and fix (docs/diagnostics.md
        /// lists the same; a test keeps the two together). Lint rule ids are in
        /// `contract::lint::RULES`.
        pub const REGISTRY: &[CodeInfo] = &[
            $(CodeInfo { code: $code, severity: $severity, summary: $summary, fix: $fix },)*
        ];
    };
}

registry! {
    IO = "io", "error",
        "A file could not be read or written.",
        "Check the path, that it is a file, and its permissions.";
    TOO_LARGE = "input-too-large", "error",
        "The input (or the files it `$ref`s, together) is larger than the limit.",
        "Raise `--max-bytes` for a document you trust (docs/limits.md).";
    TOO_DEEP = "input-too-deep", "error",
        "Nesting deeper than `--max-depth`, or more values than `--max-nodes` (aliases expanded).",
        "Raise `--max-depth`/`--max-nodes` for a document you trust; alias bombs are refused on purpose.";
    PARSE = "parse", "error",
        "The text is not valid YAML or JSON.",
        "Fix the syntax at the line and column given.";
    YAML_LENIENT = "yaml-lenient", "warn",
        "With `--yaml-lenient`: YAML 1.2 forbids this construct, which js-yaml and libyaml read (a multi-line quoted scalar continued at its key's column); hookbridge read it as they do. Without the option it is a `parse` error.",
        "Indent the continuation lines past the key, so that every YAML reader takes the file without the option.";
    DUPLICATE_KEY = "duplicate-key", "error",
        "A mapping has the same key twice; readers disagree on which one wins.",
        "Remove or rename one of the two keys.";
    EMPTY = "empty-document", "error",
        "The file holds no document.",
        "Give a file with an OpenAPI or AsyncAPI document in it.";
    NOT_A_MAPPING = "root-not-a-mapping", "error",
        "The document is a list or a scalar, not a mapping.",
        "The root of an OpenAPI or AsyncAPI document is a mapping with `openapi:` or `asyncapi:`.";
    UNKNOWN_DOCUMENT = "unknown-document", "error",
        "There is no `openapi` or `asyncapi` field at the root.",
        "Add the version field, or give the root document of a multi-file specification.";
    UNSUPPORTED_VERSION = "unsupported-version", "error",
        "A version hookbridge does not read (Swagger 2.0, OpenAPI other than 3.0-3.2, AsyncAPI other than 3.0), or a conversion the input cannot take.",
        "Convert Swagger 2.0 to OpenAPI 3 first (swagger2openapi); write the version as a string; check `--to`.";
    UNRESOLVED_REF = "unresolved-ref", "error or warning",
        "A `$ref` points at nothing, or outside the document without being bundled. An error where the conversion needs the reference; a warning, the reference kept as written, where it does not: a discriminator mapping, a `$ref` inside an extension (`x-codeSamples`), a local `$ref` in a part the conversion leaves out or only records (see [mapping.md](mapping.md#shapes-found-in-the-wild)).",
        "Fix the pointer or the file name; give the file that references the others.";
    REF_CYCLE = "ref-cycle", "error",
        "A chain of `$ref`s comes back to itself, or callbacks reach themselves (no finite AsyncAPI form).",
        "Break the cycle: one link of the chain must hold the object itself.";
    EXTERNAL_REF = "external-ref", "warning",
        "A `$ref` to a URL: never fetched, kept as written.",
        "Download the file and `$ref` it by path to have it bundled.";
    REF_OUTSIDE_ROOT = "ref-outside-root", "error",
        "A `$ref` names a file outside the sandbox (symlinks resolved).",
        "Move the file into the input's git repository (or folder, outside a repository), or set the sandbox with `--root DIR`.";
    INVALID_RUNTIME_EXPRESSION = "invalid-runtime-expression", "warning",
        "A callback key is not a valid OpenAPI runtime expression; it is kept verbatim and the channel address is left unknown.",
        "Write the expression as the message says, e.g. `{$request.body#/callbackUrl}`.";
    WEBHOOKS_IN_30 = "webhooks-in-openapi-3.0", "warning",
        "`webhooks` in an OpenAPI 3.0 document (a 3.1 field); converted anyway.",
        "Change `openapi` to 3.1.x, or rename the field to `x-webhooks`.";
    INVALID_STRUCTURE = "invalid-structure", "error or warning",
        "An object is not of the shape the specification gives (a Path Item that is not a mapping, a record that does not fit).",
        "Fix the object at the pointer given; warnings name what was left out.";
    STRICTER = "stricter-in-asyncapi", "warning",
        "A value OpenAPI allows that AsyncAPI 3.0's JSON Schema rejects (a relative or templated URL where AsyncAPI wants an absolute URI, an extension where AsyncAPI takes none): written in a form AsyncAPI accepts, the original kept in `x-openapi-original` for the way back.",
        "Nothing to do for the round trip; for AsyncAPI readers, write the value as docs/stricter-fields.md says (e.g. an absolute URL).";
    LOSSY = "lossy-mapping", "warning",
        "Something has no place on the other side and could not be carried (or a record edit no longer fits).",
        "Read the message: it names what was left out and where it is kept, if anywhere.";
    UNKNOWN_PATH_ITEM_FIELD = "unknown-path-item-field", "warning",
        "A key a Path Item does not have (neither a method, a field nor `x-`): not an operation, kept verbatim for the way back.",
        "Move the operation under a method, or rename the key `x-...` if it is an extension.";
    METHOD_NOT_IN_BINDING = "method-not-in-binding", "warning",
        "An OpenAPI 3.2 method AsyncAPI's HTTP binding cannot name (`query`, or an `additionalOperations` method other than CONNECT): the binding gets no `method`; `x-openapi-method` (`query`) or `x-openapi-additional-operation` (the method name) on the AsyncAPI operation keeps it for the way back.",
        "Nothing to do for the round trip; AsyncAPI readers see the method only in that extension.";
    STREAM_NOT_SPLIT = "stream-not-split", "warning",
        "An OpenAPI 3.2 stream (a sequential media type with `itemSchema`) that is not mapped field by field: a Server-Sent Events `itemSchema` without a `data` property, nor a `oneOf`/`anyOf` of inline events that have one (the message payload is the whole event), or a stream behind a `$ref` to `components.mediaTypes` (converted as a media type, `itemSchema` in its record).",
        "Nothing to do for the round trip; for AsyncAPI readers, describe each event as an object with a `data` property, written inline.";
    OPENAPI_VERSION_DOWNGRADE = "openapi-version-downgrade", "warning",
        "`--openapi-version` asks for an OpenAPI version that has no field for a part of the document (a `query` operation in 3.1, `webhooks` in 3.0): it is written in the extension the message names.",
        "Ask for the version the document came from (or 3.2) to keep every field native.";
    CALLBACK_SHAPED_WEBHOOK = "callback-shaped-webhook", "warning",
        "A webhook written in the shape of a callback (name -> runtime expression -> Path Item): bridged as a callback.",
        "Nothing to do for the conversion; for other tools, write webhooks as name -> Path Item.";
    RECORD_SET_ASIDE = "record-set-aside", "warning",
        "An option the `x-asyncapi` record cannot follow: the record is not applied.",
        "Convert without the option to get the AsyncAPI document back exactly.";
    OPTION_NOT_APPLICABLE = "option-not-applicable", "warning",
        "An option of the other direction (e.g. `--include-paths` or `--asyncapi-version` with an AsyncAPI input): it has no effect on this document.",
        "Leave the option out for this input (a batch may mix OpenAPI and AsyncAPI inputs).";
    USAGE = "usage", "error",
        "The command line asks for something the inputs cannot give (e.g. `--into` with an OpenAPI input).",
        "Read `hookbridge help <command>`.";
    SHARED_COMPONENT_CHANGED = "shared-component-changed", "warning",
        "`--into`: a component the base's paths also use was replaced and is different now.",
        "Check the paths that use it, or rename the component on one side.";
    PLACEHOLDER_ADDED = "placeholder-operation-added", "warning",
        "`--into`: callbacks of an operation the base lacks were attached to a stand-in operation.",
        "Write the real operation at the pointer given (it is marked `x-hookbridge-placeholder`).";
    CALLBACK_NOT_ATTACHED = "callback-not-attached", "warning",
        "`--into`: callbacks whose parent is a `$ref`'d path item without that operation were not attached.",
        "Add the operation to the path item the base `$ref`s.";
    INVALID_CONFIG = "invalid-config", "error",
        "`.hookbridge.yaml` (or `--config`) names a rule or level that does not exist.",
        "Use the rule ids and levels (`error`, `warning`, `off`) of docs/lint.md.";
    NAV_NO_EQUIVALENT = "no-equivalent", "warning",
        "`nav`: an event of one document has no counterpart in the other.",
        "Regenerate the AsyncAPI document with `convert`, or check `hookbridge check`.";
    NAV_INVALID_PORTAL = "invalid-portal", "error",
        "`nav`: the portal file or an `--api` argument is malformed (names, paths, duplicates).",
        "Give each API a unique name (letters, digits, `.`, `_`, `@`, `-`) and an `openapi` (or `root`) path.";
    NAV_TAG_PARENT = "tag-parent", "warning",
        "`nav`: an OpenAPI 3.2 tag's `parent` names no other declared navigation tag, or makes a cycle; the tag stays at the top level.",
        "Name a declared tag (of kind `nav` or none) as `parent`, and break the cycle.";
    NAV_SLUG_COLLISION = "slug-collision", "warning",
        "`nav`: two entries get the same anchor in a renderer.",
        "Rename one of the operations (operationId or summary) so the anchors differ.";
}
