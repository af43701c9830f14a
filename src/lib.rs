//! hookbridge: bridges OpenAPI webhooks and callbacks to AsyncAPI 3.0 with HTTP bindings.
//!
//! Data flows one way: [`load`] reads a document into an order-preserving tree,
//! [`to_asyncapi`] converts it, [`emit`](document::emit) writes it. Nothing here prints or exits.
//!
//! ```
//! let text = r#"
//! openapi: 3.1.0
//! info: {title: Pets, version: "1"}
//! webhooks:
//!   newPet:
//!     post:
//!       requestBody:
//!         content:
//!           application/json:
//!             schema: {type: object}
//!       responses:
//!         "200": {description: ok}
//! "#;
//! let doc = hookbridge::document::load::parse_str(text, "pets.yaml", &Default::default()).unwrap();
//! let out = hookbridge::convert_document(&doc, &Default::default()).unwrap();
//! assert_eq!(out.document["operations"]["newPet.post"]["action"], "send");
//! ```

pub mod asyncapi;
pub mod contract;
pub mod convert;
pub mod diagnostics;
pub mod document;
pub mod nav;
pub mod openapi;

use contract::compare;
use convert::{into, restore, to_asyncapi, to_openapi};
use document::{load, refs};

use std::borrow::Cow;
use std::path::Path;

use serde_json::Value;

pub use convert::version::OpenApiVersion;
pub use diagnostics::{Diagnostic, Error, Severity};
pub use load::{Document, Limits, Syntax};
pub use to_asyncapi::{Perspective, SchemaFormat};

/// What a conversion produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    AsyncApi,
    OpenApi,
}

/// Options of `convert`; the defaults are the documented CLI defaults.
#[derive(Debug, Clone, Default)]
pub struct ConvertOptions {
    /// Force a direction; by default it follows from the input (`openapi:` or `asyncapi:`).
    pub to: Option<Target>,
    pub perspective: Perspective,
    pub include_paths: bool,
    pub schema_format: SchemaFormat,
    pub limits: Limits,
    /// Sandbox for file `$ref`s; default: the git repository the input lies in, else its folder.
    pub root: Option<std::path::PathBuf>,
    /// The AsyncAPI version written; default 3.0.0, or the version in an `x-asyncapi` record.
    pub asyncapi_version: Option<asyncapi::Version>,
    /// The OpenAPI version written from AsyncAPI; default: the version the document came from
    /// (its `x-openapi` record), else 3.1. Refused for an OpenAPI input.
    pub openapi_version: Option<OpenApiVersion>,
}

/// A converted document with the diagnostics noticed on the way.
#[derive(Debug, Clone)]
pub struct Converted {
    pub document: Value,
    pub target: Target,
    pub diagnostics: Vec<Diagnostic>,
}

impl Converted {
    fn asyncapi(out: to_asyncapi::Output) -> Self {
        Converted {
            document: out.document,
            target: Target::AsyncApi,
            diagnostics: out.diagnostics,
        }
    }
}

fn forward_options(options: &ConvertOptions) -> to_asyncapi::Options {
    to_asyncapi::Options {
        perspective: options.perspective,
        include_paths: options.include_paths,
        schema_format: options.schema_format,
    }
}

/// Loads a file, bundles the files it references, and converts it.
pub fn convert_file(path: &Path, options: &ConvertOptions) -> Result<Converted, Error> {
    convert_bundled(load_bundled_for_conversion(path, options)?, options)
}

/// Converts what [`load_bundled`] gave, its warnings first: [`convert_document_owned`], using
/// what the loader already knows about the references.
pub fn convert_bundled(
    bundled: refs::Bundled,
    options: &ConvertOptions,
) -> Result<Converted, Error> {
    let name = bundled.document.name.clone();
    let origins = bundled.origins;
    let mut converted = convert_owned_with(bundled.document, options, bundled.sound_refs)
        .map_err(|e| origins.relocate_error(&name, e))?;
    origins.relocate_all(&name, &mut converted.diagnostics);
    let mut diagnostics = bundled.diagnostics;
    diagnostics.append(&mut converted.diagnostics);
    converted.diagnostics = diagnostics;
    Ok(converted)
}

/// Loads a file and every file its `$ref`s reach, as one self-contained document.
pub fn load_bundled(path: &Path, options: &ConvertOptions) -> Result<refs::Bundled, Error> {
    let bundle_options = refs::BundleOptions {
        root: options.root.clone(),
        limits: options.limits,
    };
    refs::bundle(path, &bundle_options)
}

/// [`load_bundled`] for a conversion: a local `$ref` that points at nothing is left for the
/// conversion to judge (an error where it needs the reference, else a warning; see
/// [`refs::bundle_for_conversion`]).
pub fn load_bundled_for_conversion(
    path: &Path,
    options: &ConvertOptions,
) -> Result<refs::Bundled, Error> {
    let bundle_options = refs::BundleOptions {
        root: options.root.clone(),
        limits: options.limits,
    };
    refs::bundle_for_conversion(path, &bundle_options)
}

/// Converts a loaded document in the direction its kind (or `options.to`) asks for.
pub fn convert_document(doc: &Document, options: &ConvertOptions) -> Result<Converted, Error> {
    convert_borrowed(doc, options).map(|c| c.in_version(options))
}

impl Converted {
    /// An AsyncAPI output in the version `options` ask for (3.0 and 3.1 have the same objects).
    fn in_version(mut self, options: &ConvertOptions) -> Self {
        if let (Target::AsyncApi, Some(version), Value::Object(root)) =
            (self.target, options.asyncapi_version, &mut self.document)
        {
            if let Some(v) = root.get_mut("asyncapi") {
                *v = version.text().into();
            }
        }
        self
    }
}

fn convert_borrowed(doc: &Document, options: &ConvertOptions) -> Result<Converted, Error> {
    let kind = openapi::detect(&doc.value, &doc.name)?;
    refuse_openapi_version(&kind, doc, options)?;
    match (kind, options.to) {
        (openapi::Kind::OpenApi(version), None | Some(Target::AsyncApi))
            if restore::is_recorded(&doc.value) =>
        {
            match record_set_aside_by(options) {
                None => Ok(Converted::asyncapi(restore::convert(
                    &doc.value, &doc.name,
                )?)),
                Some(option) => {
                    let mut value = doc.value.clone();
                    if let Value::Object(root) = &mut value {
                        root.shift_remove(restore::RECORD);
                    }
                    let forward = forward_options(options);
                    let mut out = to_asyncapi::convert_owned(value, &version, &doc.name, &forward)?;
                    let msg = format!("the `{}` record (the AsyncAPI document this OpenAPI was made from) is based on the default conversion, so it is set aside for `{option}`: the output is what the OpenAPI alone gives, without the AsyncAPI-only parts the record holds", restore::RECORD);
                    let at = format!("/{}", restore::RECORD);
                    let note = Diagnostic::warning(
                        diagnostics::codes::RECORD_SET_ASIDE,
                        &doc.name,
                        &at,
                        msg,
                    );
                    out.diagnostics.insert(0, note);
                    Ok(Converted::asyncapi(out))
                }
            }
        }
        (openapi::Kind::OpenApi(version), None | Some(Target::AsyncApi)) => {
            let out =
                to_asyncapi::convert(&doc.value, &version, &doc.name, &forward_options(options))?;
            Ok(Converted::asyncapi(out))
        }
        (openapi::Kind::OpenApi(_), Some(Target::OpenApi)) => {
            Err(usage(doc, "the input is already OpenAPI"))
        }
        (openapi::Kind::AsyncApi(_), Some(Target::AsyncApi)) => {
            Err(usage(doc, "the input is already AsyncAPI"))
        }
        (openapi::Kind::AsyncApi(version), _) => to_openapi_converted(
            Cow::Borrowed(&doc.value),
            &doc.name,
            &version,
            options.openapi_version,
        ),
    }
}

/// AsyncAPI -> OpenAPI. A document from a conversion (it has the root `x-openapi` record) is
/// converted without a copy when it is given away; one written by hand is still read after
/// the conversion (for its `x-asyncapi` record).
fn to_openapi_converted(
    value: Cow<'_, Value>,
    name: &str,
    version: &str,
    target: Option<OpenApiVersion>,
) -> Result<Converted, Error> {
    let Some(read) = asyncapi::Version::of(version) else {
        let msg = format!(
            "AsyncAPI version `{version}` is not supported: hookbridge reads AsyncAPI 3.0.x and 3.1.x"
        );
        return Err(unsupported(name, &msg));
    };
    // The version the document came from, unless another is asked for.
    let recorded = value
        .pointer("/x-openapi/openapi")
        .and_then(Value::as_str)
        .and_then(OpenApiVersion::of)
        .unwrap_or(OpenApiVersion::V31);
    let target = target.filter(|t| *t != recorded).map(|t| (recorded, t));
    let forced = target.map(|(_, t)| t.text());
    let out = if value.get("x-openapi").is_none() || read != asyncapi::Version::V3_0 {
        // Written by hand (or in a version the forward conversion does not write by
        // default): what OpenAPI cannot hold rides in a record.
        let mut out = to_openapi::convert_owned_as(value.as_ref().clone(), name, forced)?;
        out.diagnostics
            .extend(retargeted(&mut out.document, target, name));
        let notes = restore::attach(&value, &mut out.document, name);
        out.diagnostics.extend(notes);
        out
    } else {
        let mut out = to_openapi::convert_owned_as(value.into_owned(), name, forced)?;
        out.diagnostics
            .extend(retargeted(&mut out.document, target, name));
        out
    };
    Ok(Converted {
        document: out.document,
        target: Target::OpenApi,
        diagnostics: out.diagnostics,
    })
}

/// The `--openapi-version` pass over a converted document (nothing without a target).
fn retargeted(
    doc: &mut Value,
    target: Option<(OpenApiVersion, OpenApiVersion)>,
    name: &str,
) -> Vec<Diagnostic> {
    match target {
        Some(t) => convert::version::retarget(doc, t, name),
        None => Vec::new(),
    }
}

/// [`convert_document`] of a document the caller gives away: the same result, with less
/// copying. OpenAPI -> AsyncAPI moves the large parts of the input (the components) into the
/// output instead of copying them; the other directions are as [`convert_document`].
pub fn convert_document_owned(doc: Document, options: &ConvertOptions) -> Result<Converted, Error> {
    convert_owned_with(doc, options, None)
}

fn convert_owned_with(
    doc: Document,
    options: &ConvertOptions,
    sound: Option<refs::SoundRefs>,
) -> Result<Converted, Error> {
    convert_owned_inner(doc, options, sound).map(|c| c.in_version(options))
}

fn convert_owned_inner(
    doc: Document,
    options: &ConvertOptions,
    sound: Option<refs::SoundRefs>,
) -> Result<Converted, Error> {
    let kind = openapi::detect(&doc.value, &doc.name)?;
    refuse_openapi_version(&kind, &doc, options)?;
    match (kind, options.to) {
        (openapi::Kind::OpenApi(version), None | Some(Target::AsyncApi))
            if !restore::is_recorded(&doc.value) =>
        {
            let out = to_asyncapi::convert_owned_checked(
                doc.value,
                &version,
                &doc.name,
                &forward_options(options),
                sound,
            )?;
            Ok(Converted::asyncapi(out))
        }
        (openapi::Kind::AsyncApi(version), _) => to_openapi_converted(
            Cow::Owned(doc.value),
            &doc.name,
            &version,
            options.openapi_version,
        ),
        _ => convert_document(&doc, options),
    }
}

/// Converts an AsyncAPI document to OpenAPI and merges it into `base`, an existing OpenAPI
/// document: its webhooks, callbacks and the components the conversion has are replaced,
/// everything else is kept (see [`into`]).
pub fn convert_into(
    doc: &Document,
    base: &Document,
    options: &ConvertOptions,
) -> Result<Converted, Error> {
    into::convert_into(doc, base, options)
}

/// Result of [`roundtrip`]: the document after going there and back, and every difference.
#[derive(Debug, Clone)]
pub struct RoundTrip {
    pub back: Value,
    pub differences: Vec<compare::Difference>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Converts a document to the other side and back and compares it with the original.
/// OpenAPI documents travel whole (`include_paths` is forced on) unless `events_only`:
/// then only webhooks, callbacks and components are compared.
pub fn roundtrip(
    doc: &Document,
    options: &ConvertOptions,
    events_only: bool,
) -> Result<RoundTrip, Error> {
    let mut there_options = options.clone();
    there_options.to = None;
    there_options.include_paths = !events_only || options.include_paths;
    let there = convert_document(doc, &there_options)?;
    let middle = Document {
        name: doc.name.clone(),
        syntax: doc.syntax,
        value: there.document,
    };
    let back = convert_document_owned(middle, &there_options)?;
    let differences = if events_only && there.target == Target::AsyncApi {
        compare::differences(&events_view(&doc.value), &events_view(&back.document))
    } else {
        compare::differences(&doc.value, &back.document)
    };
    let mut diagnostics = there.diagnostics;
    diagnostics.extend(back.diagnostics);
    Ok(RoundTrip {
        differences,
        back: back.document,
        diagnostics,
    })
}

/// The part of an OpenAPI document the default scope promises to keep: webhooks, the
/// callbacks of every operation, and the components.
fn events_view(doc: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for key in ["webhooks", "x-webhooks", "components"] {
        if let Some(v) = doc.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    let mut callbacks = serde_json::Map::new();
    for op in openapi::events::walk(doc).operations {
        // A `$ref`'d path item's callbacks travel with the components.
        let inline = op.kind == openapi::events::Kind::Path && op.item_ref.is_none();
        if let (true, Some(cb)) = (inline, op.operation.get("callbacks")) {
            callbacks.insert(format!("{} {}", op.method, op.name), cb.clone());
        }
    }
    out.insert("callbacks".into(), Value::Object(callbacks));
    Value::Object(out)
}

/// The option, if any, under which an `x-asyncapi` record cannot apply: its edits lead from
/// the default forward conversion to the original, not from another one.
fn record_set_aside_by(options: &ConvertOptions) -> Option<&'static str> {
    if options.perspective != Perspective::Provider {
        return Some("--perspective consumer");
    }
    if options.schema_format != SchemaFormat::AsyncApi {
        return Some("--schema-format openapi");
    }
    None
}

/// `--openapi-version` says what OpenAPI a conversion writes: an OpenAPI input gives AsyncAPI.
fn refuse_openapi_version(
    kind: &openapi::Kind,
    doc: &Document,
    options: &ConvertOptions,
) -> Result<(), Error> {
    match (kind, options.openapi_version) {
        (openapi::Kind::OpenApi(_), Some(v)) => {
            let msg = format!("`--openapi-version {}` applies to an OpenAPI output, but the input is OpenAPI and the output AsyncAPI: drop the option", v.minor());
            Err(Diagnostic::error(diagnostics::codes::USAGE, &doc.name, "", msg).into())
        }
        _ => Ok(()),
    }
}

fn usage(doc: &Document, msg: &str) -> Error {
    unsupported(&doc.name, msg)
}

fn unsupported(name: &str, msg: &str) -> Error {
    Diagnostic::error(diagnostics::codes::UNSUPPORTED_VERSION, name, "", msg).into()
}
