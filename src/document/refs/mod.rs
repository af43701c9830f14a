//! Multi-file specifications: [`bundle`] pulls every file a document references into one
//! self-contained tree; [`resolve_local`] follows local `$ref`s inside a tree.
//!
//! Bundling walks the OpenAPI structure, so it knows what each `$ref` stands for. A target
//! whose type has a `components` section (schema, parameter, response, request body, header,
//! example, link, callback, security scheme) becomes a component and the `$ref` is pointed at
//! it; path items and anything else are inlined in place. References inside a loaded file are
//! resolved against that file, so its local refs bring its own components along.
//!
//! Example values, `default`, `enum`, `const` and extension values (`x-*`) are data: their
//! `$ref`s are never followed (the one exception is Redocly's `x-codeSamples`, whose `source`
//! may reference a code file). A `$ref` to a file that is not JSON or YAML becomes the file's
//! text. URLs are never fetched: they are kept and reported as warnings.
//!
//! Files are read only inside a sandbox directory (by default the input's directory), checked
//! after symlinks are resolved.
//!
//! Parts: `local` (following `#` references inside one tree), `kind` (what a `$ref` at a
//! place in an OpenAPI document stands for), `collect` (finding the references of a tree),
//! `bundler` (resolving them into components or inlined copies) and `files` (reading
//! referenced files inside the sandbox).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::load::{
    load_path_for_conversion, load_path_noting_refs, Document, Limits, RefNotes,
};

mod bundler;
mod collect;
mod files;
mod kind;
pub mod local;
pub mod origins;

pub use local::{resolve_local, MAX_REF_DEPTH};

use bundler::bundle_walked;
use collect::looks_like_ref;
use local::sound_local_ref;

/// Most files one bundle reads, the input included.
pub const MAX_FILES: usize = 1000;
/// The files one bundle reads may together hold at most this many times `Limits::max_bytes`.
pub const MAX_TOTAL_BYTES_FACTOR: usize = 4;
/// Deepest nesting of inlined references (a reference inside an inlined file, inside ...).
pub const MAX_INLINE_DEPTH: usize = 64;
/// Deepest nesting walked inside one tree (the parsers already stop at 128), and deepest
/// position at which a reference may be inlined in the bundled tree.
const MAX_WALK_DEPTH: usize = 256;

/// How [`bundle`] reads files.
#[derive(Debug, Clone, Default)]
pub struct BundleOptions {
    /// The directory references may read (the sandbox); default: the root of the git
    /// repository the input lies in (the nearest folder above it with `.git`), else its folder.
    pub root: Option<PathBuf>,
    /// Limits for each file read.
    pub limits: Limits,
}

/// A bundled document and the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Bundled {
    /// One tree: only local `$ref`s are left, plus URL `$ref`s kept verbatim.
    pub document: Document,
    /// Warnings (URL references kept, ...).
    pub diagnostics: Vec<Diagnostic>,
    /// Set when the loader saw that every `$ref` is a sound local reference, so a later
    /// reference check over the whole tree would find nothing.
    pub sound_refs: Option<SoundRefs>,
    /// Where the parts brought in from other files came from, for diagnostics.
    pub origins: origins::Origins,
}

/// What the loader's notes say about a document whose `$ref`s are all local and sound.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SoundRefs {
    /// Every `#` reference (data included) points into `#/components/`.
    pub into_components_only: bool,
    /// Some `$ref` points at a component AsyncAPI does not have (a parameter, a response,
    /// ...), which the AsyncAPI output points into its `x-openapi` record instead.
    pub into_record: bool,
    /// Component schemas the forward conversion would leave as they are, so it passes them by
    /// (see [`RefNotes::unchanged_schemas`](crate::document::load::RefNotes)).
    pub unchanged_schemas: HashSet<String>,
}

/// Loads `path` and every file it references and returns one self-contained document.
///
/// A document without file references is returned as loaded: when the references the loader
/// noted are all local and sound (`no_work`), without walking the tree; otherwise after one
/// read-only walk, which reports what is wrong where.
pub fn bundle(path: &Path, options: &BundleOptions) -> Result<Bundled, Error> {
    bundle_with(path, options, false)
}

/// [`bundle`] for a conversion: a local `$ref` of the root document that points at nothing is
/// left as written, without a word, for the conversion to judge (it knows which references it
/// needs: `convert::to_asyncapi`'s reference check). Anything else is as [`bundle`].
pub fn bundle_for_conversion(path: &Path, options: &BundleOptions) -> Result<Bundled, Error> {
    bundle_with(path, options, true)
}

/// `for_conversion`: dangling local references are kept, and the loader looks ahead at the
/// component schemas, which only the conversion uses (other readers do not pay for it).
fn bundle_with(
    path: &Path,
    options: &BundleOptions,
    for_conversion: bool,
) -> Result<Bundled, Error> {
    let (doc, mut notes) = if for_conversion {
        load_path_for_conversion(path, &options.limits)?
    } else {
        load_path_noting_refs(path, &options.limits)?
    };
    let read_leniently = std::mem::take(&mut notes.warnings);
    let mut bundled = bundle_loaded(path, options, doc, &mut notes, for_conversion)?;
    bundled.diagnostics.splice(0..0, read_leniently);
    Ok(bundled)
}

/// [`bundle_with`] of the loaded root: nothing to do when the notes say so, else the walk.
fn bundle_loaded(
    path: &Path,
    options: &BundleOptions,
    doc: Document,
    notes: &mut RefNotes,
    keep_dangling: bool,
) -> Result<Bundled, Error> {
    if options.limits.max_depth <= MAX_WALK_DEPTH && no_work(&doc.value, notes) {
        let into_components_only = notes
            .refs
            .iter()
            .all(|r| !r.starts_with('#') || r.starts_with("#/components/"));
        let into_record = notes
            .refs
            .iter()
            .any(|r| crate::asyncapi::points_into_record(r));
        return Ok(Bundled {
            document: doc,
            diagnostics: Vec::new(),
            origins: origins::Origins::default(),
            sound_refs: Some(SoundRefs {
                into_components_only,
                into_record,
                // The tree is the one the loader checked: nothing was brought in.
                unchanged_schemas: std::mem::take(&mut notes.unchanged_schemas),
            }),
        });
    }
    bundle_walked(path, options, doc, keep_dangling)
}

/// Whether the walk of the root ([`collect_root`]) would find nothing to do: no reference to
/// another file or a URL, and no local reference that fails [`Collector::check_local`]. The
/// notes hold every `$ref` of the document and every string of every `mapping` object, data
/// included, so they are a superset of what the walk looks at; when any of them is not a sound
/// local reference, the walk runs and reports it (or skips it, if it is data) as before.
/// (The walk's own depth limit cannot be reached when the loader's `max_depth` is at most
/// [`MAX_WALK_DEPTH`]: the loader refuses deeper trees; [`bundle`] checks that first.)
///
/// [`collect_root`]: collect::collect_root
/// [`Collector::check_local`]: collect::Collector::check_local
fn no_work(root: &Value, notes: &RefNotes) -> bool {
    notes.refs.iter().all(|r| sound_local_ref(root, r))
        && notes
            .mapping_values
            .iter()
            .all(|s| !looks_like_ref(s) || sound_local_ref(root, s))
}

/// A reference no conversion follows (a discriminator mapping, a `$ref` inside an extension)
/// that cannot be resolved: the error becomes a warning, and the reference stays as written.
fn kept_as_written(e: Error, what: &str) -> Diagnostic {
    let mut d = *e.diagnostic;
    d.severity = crate::diagnostics::Severity::Warning;
    d.message = format!(
        "{}; {what} is kept as written (no conversion follows it)",
        d.message
    );
    d
}

fn unresolved(file: &str, at: &str, msg: String) -> Error {
    Diagnostic::error(codes::UNRESOLVED_REF, file, at, msg).into()
}

fn too_deep(file: &str, at: &str) -> Error {
    let msg = format!("the `$ref` chain is longer than {MAX_REF_DEPTH} references");
    Diagnostic::error(codes::TOO_DEEP, file, at, msg).into()
}

fn dedup(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    diagnostics.retain(|d| seen.insert(d.to_string()));
    diagnostics
}

#[cfg(test)]
mod tests;
