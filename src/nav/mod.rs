//! The merged navigation manifest: one tree over an OpenAPI document and its AsyncAPI
//! counterpart, with the address of every entry in the portals that render them.
//!
//! [`build_manifest`] walks both documents into a flat map of nodes keyed by stable ids built
//! from JSON pointers (`openapi:operation:/paths/~1pets/get`), places them under ordered roots
//! (REST by tag, Webhooks, Events, Schemas), links them (`registers`, `equivalent`, `sends`,
//! `payload`, ...) and computes per-renderer `targets` (Redoc 3, Scalar,
//! docusaurus-openapi-docs, AsyncAPI React). The shape is described by
//! `docs/nav-manifest.schema.json`; [`html`] and [`docusaurus`] render it.

mod asyncapi_walk;
mod charmap;
pub mod docusaurus;
pub mod html;
mod links;
mod merge;
mod openapi_walk;
pub mod page;
pub mod portal;
mod redoc;
mod scalar;
pub mod slug;
mod targets;

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

use crate::document::load::Document;
use crate::document::write::write_atomic;
use crate::{ConvertOptions, Diagnostic, Error};

/// Version of the manifest format (`manifestVersion`).
pub const MANIFEST_VERSION: &str = "0.2";
/// The `$schema` written into every manifest.
pub const SCHEMA_ID: &str = "https://hookbridge.dev/schemas/nav-manifest/0.2.json";

/// Options of [`build_manifest`]; the defaults are the CLI's.
#[derive(Debug, Clone)]
pub struct NavOptions {
    /// Source id of the OpenAPI document; also its Scalar document name and docusaurus folder.
    pub openapi_id: String,
    /// Source id of the AsyncAPI document (Scalar document name, docusaurus folder).
    pub asyncapi_id: String,
    /// Where the documents live, as written into `sources[].uri`.
    pub openapi_uri: Option<String>,
    pub asyncapi_uri: Option<String>,
    /// Redoc's `schemaDefinitionsTagName` option the `redoc3` targets assume (`None`: off).
    pub redoc_schemas_tag: Option<String>,
    /// How the AsyncAPI document is derived when none is given.
    pub convert: ConvertOptions,
    /// The directory multi-file references may read ([`build_from_paths`]; `--root`).
    pub root: Option<PathBuf>,
    /// One entry per event (default), or the AsyncAPI tree beside the OpenAPI one.
    pub layout: Layout,
}

/// How the two documents share the tree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// A webhook or callback is one entry carrying its OpenAPI and AsyncAPI views; the Events
    /// group keeps the AsyncAPI channels with no OpenAPI counterpart.
    #[default]
    Merged,
    /// Manifest 0.1's shape: Events lists every channel, tagged webhooks sit under their tags
    /// too (a portal that shows the AsyncAPI document as its own section).
    Split,
}

impl Default for NavOptions {
    fn default() -> Self {
        NavOptions {
            openapi_id: "openapi".into(),
            asyncapi_id: "asyncapi".into(),
            openapi_uri: None,
            asyncapi_uri: None,
            redoc_schemas_tag: Some("Schemas".into()),
            convert: ConvertOptions::default(),
            root: None,
            layout: Layout::Merged,
        }
    }
}

/// The manifest (serialized as described by `docs/nav-manifest.schema.json`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    #[serde(rename = "$schema")]
    pub schema: String,
    pub manifest_version: String,
    pub generator: Generator,
    pub sources: Vec<Source>,
    /// What the `targets` assume of each renderer (document names, options).
    pub renderers: Value,
    pub roots: Vec<String>,
    #[serde(serialize_with = "ordered_map")]
    pub nodes: IndexMap<String, Node>,
    pub diagnostics: Vec<NavDiagnostic>,
    /// Payload schemas and examples for the HTML page (not in the manifest's JSON).
    #[serde(skip)]
    pub page: page::PageData,
}

#[derive(Debug, Clone, Serialize)]
pub struct Generator {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub id: String,
    pub format: String,
    pub format_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    pub title: String,
    pub api_version: String,
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derived_from: Option<DerivedFrom>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DerivedFrom {
    pub source: String,
    pub transform: String,
}

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    Group,
    Tag,
    Operation,
    Webhook,
    Callback,
    /// One API of a portal (`api:NAME`).
    Api,
    Channel,
    AsyncOperation,
    /// An AsyncAPI operation on an OpenAPI 3.2 stream's channel (`x-openapi-stream`): the
    /// items of a sequential media type (docs/mapping.md, "Streams").
    Stream,
    Message,
    Schema,
}

/// One entry of the tree; placed (possibly several times) through `children`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    pub id: String,
    pub kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub occurrences: Vec<Occurrence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// OpenAPI 3.2 tags of a `kind` other than `nav` (`badge`, `audience`, ...): shown beside
    /// the entry, not tree nodes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Label>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<Http>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback: Option<CallbackInfo>,
    #[serde(rename = "async", skip_serializing_if = "Option::is_none")]
    pub async_info: Option<AsyncInfo>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub content_types: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_parent: Option<String>,
    /// Merged layout: the OpenAPI and AsyncAPI nodes that show this event, OpenAPI first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<View>,
    pub children: Vec<String>,
    pub links: Vec<Link>,
    pub targets: Targets,
}

impl Node {
    fn new(id: String, kind: Kind, label: String) -> Node {
        Node {
            id,
            kind,
            role: None,
            label,
            summary: None,
            source: None,
            pointer: None,
            occurrences: Vec::new(),
            shared: None,
            operation_id: None,
            tags: Vec::new(),
            labels: Vec::new(),
            deprecated: false,
            http: None,
            callback: None,
            async_info: None,
            content_types: Vec::new(),
            primary_parent: None,
            views: Vec::new(),
            children: Vec::new(),
            links: Vec::new(),
            targets: Targets::default(),
        }
    }

    fn at(mut self, source: &str, pointer: String) -> Node {
        self.source = Some(source.to_string());
        self.pointer = Some(pointer);
        self
    }
}

/// A tag shown as a label: its name and its OpenAPI 3.2 `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub name: String,
    pub kind: String,
}

/// One view of a merged event: `format` is `openapi` or `asyncapi`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct View {
    pub format: String,
    pub node: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Occurrence {
    pub source: String,
    pub pointer: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Http {
    pub method: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The webhook name, for webhooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The callback URL expression, for callbacks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallbackInfo {
    pub name: String,
    pub expression: String,
    pub registered_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AsyncInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// The channel address; `null` when the channel has none (webhooks).
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub rel: String,
    pub target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// Where each renderer shows the entry.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Targets {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redoc3: Option<Redoc3Target>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scalar: Option<ScalarTarget>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docusaurus: Option<DocusaurusTarget>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asyncapi_react: Option<AnchorTarget>,
}

/// A Redoc 3 route (`item.link`), plus the in-page deep link for sections such as callbacks.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Redoc3Target {
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deep_link: Option<String>,
}

/// A Scalar navigation entry id (`TraversedEntry.id`).
#[derive(Debug, Clone, Serialize)]
pub struct ScalarTarget {
    pub id: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocusaurusTarget {
    pub doc_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnchorTarget {
    pub anchor: String,
}

/// A finding about the navigation (slug collisions, unmatched events).
#[derive(Debug, Clone, Serialize)]
pub struct NavDiagnostic {
    pub level: String,
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renderer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub nodes: Vec<String>,
    pub message: String,
}

/// A manifest and the conversion diagnostics met when the AsyncAPI side was derived.
#[derive(Debug, Clone)]
pub struct Built {
    pub manifest: Manifest,
    /// The AsyncAPI document when it was derived (not given).
    pub derived_asyncapi: Option<Value>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Builds the manifest of `openapi` and `asyncapi`; without `asyncapi`, derives it with
/// [`crate::convert_document`].
pub fn build_manifest(
    openapi: &Document,
    asyncapi: Option<&Document>,
    options: &NavOptions,
) -> Result<Built, Error> {
    let kind = crate::openapi::detect(&openapi.value, &openapi.name)?;
    if !matches!(kind, crate::openapi::Kind::OpenApi(_)) {
        return Err(not_openapi(openapi));
    }
    let (async_value, derived, diagnostics) = match asyncapi {
        Some(doc) => (doc.value.clone(), false, Vec::new()),
        None => {
            let mut opts = options.convert.clone();
            opts.to = Some(crate::Target::AsyncApi);
            let out = crate::convert_document(openapi, &opts)?;
            (out.document, true, out.diagnostics)
        }
    };
    let manifest = assemble(&openapi.value, &async_value, derived, options);
    Ok(Built {
        manifest,
        derived_asyncapi: derived.then_some(async_value),
        diagnostics,
    })
}

/// Loads both documents (bundling multi-file specs, see [`crate::document::refs::bundle`]) and builds
/// the manifest: what `hookbridge nav OPENAPI [ASYNCAPI]` does before writing anything.
pub fn build_from_paths(
    openapi: &Path,
    asyncapi: Option<&Path>,
    options: &NavOptions,
) -> Result<Built, Error> {
    let bundle_options = crate::document::refs::BundleOptions {
        root: options.root.clone(),
        limits: options.convert.limits,
    };
    let bundle = |p: &Path| crate::document::refs::bundle(p, &bundle_options);
    let oas = bundle(openapi)?;
    let aas = asyncapi.map(bundle).transpose()?;
    let mut options = options.clone();
    options
        .openapi_uri
        .get_or_insert_with(|| openapi.display().to_string());
    if let Some(p) = asyncapi {
        options
            .asyncapi_uri
            .get_or_insert_with(|| p.display().to_string());
    }
    let mut built = build_manifest(&oas.document, aas.as_ref().map(|b| &b.document), &options)?;
    let mut warnings = oas.diagnostics;
    warnings.extend(aas.into_iter().flat_map(|b| b.diagnostics));
    warnings.append(&mut built.diagnostics);
    built.diagnostics = warnings;
    Ok(built)
}

/// Where `hookbridge nav` writes: the manifest (`None`: standard output), the HTML page and
/// the docusaurus export folder.
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    pub manifest: Option<PathBuf>,
    pub html: Option<PathBuf>,
    pub docusaurus: Option<PathBuf>,
}

/// Writes what `outputs` asks for, each file atomically ([`write_atomic`]); returns the manifest
/// text when it goes to standard output.
pub fn write_outputs(manifest: &Manifest, outputs: &Outputs) -> Result<Option<String>, Error> {
    let io = |p: &Path, e: std::io::Error| -> Error {
        Diagnostic::error(
            crate::diagnostics::codes::IO,
            &p.display().to_string(),
            "",
            format!("cannot write: {e}"),
        )
        .into()
    };
    if let Some(p) = &outputs.html {
        write_atomic(p, html::render(manifest).as_bytes()).map_err(|e| io(p, e))?;
    }
    if let Some(dir) = &outputs.docusaurus {
        docusaurus::export(manifest, dir)?;
    }
    let json = to_json(manifest);
    match &outputs.manifest {
        Some(p) if p.as_os_str() != "-" => {
            write_atomic(p, json.as_bytes()).map_err(|e| io(p, e))?;
            Ok(None)
        }
        _ => Ok(Some(json)),
    }
}

fn not_openapi(doc: &Document) -> Error {
    Diagnostic::error(
        crate::diagnostics::codes::UNKNOWN_DOCUMENT,
        &doc.name,
        "",
        "the first document of `nav` must be OpenAPI",
    )
    .into()
}

/// Walks both documents, links them, places them and computes the targets.
fn assemble(openapi: &Value, asyncapi: &Value, derived: bool, options: &NavOptions) -> Manifest {
    let mut nodes = IndexMap::new();
    let mut oas = openapi_walk::walk(openapi, &options.openapi_id, &mut nodes);
    let aas = asyncapi_walk::walk(asyncapi, &options.asyncapi_id, &mut nodes);
    let schemas = links::schemas(openapi, asyncapi, options, &mut nodes);
    let mut diagnostics = std::mem::take(&mut oas.diagnostics);
    diagnostics.extend(links::equivalents(
        openapi, asyncapi, derived, options, &mut nodes,
    ));
    links::prune(&mut nodes);
    let mut roots = links::roots(&oas, &aas, schemas, options, &mut nodes);
    links::primary_parents(&roots, &mut nodes);
    diagnostics.extend(targets::compute(
        openapi, asyncapi, &oas, options, &mut nodes,
    ));
    if options.layout == Layout::Merged {
        merge::merge(&mut roots, &mut nodes);
    }
    Manifest {
        schema: SCHEMA_ID.into(),
        manifest_version: MANIFEST_VERSION.into(),
        page: page::collect(openapi, asyncapi, &options.openapi_id, &nodes),
        generator: generator(),
        sources: sources(openapi, asyncapi, derived, options),
        renderers: targets::renderers(options),
        roots,
        nodes,
        diagnostics,
    }
}

fn sources(openapi: &Value, asyncapi: &Value, derived: bool, options: &NavOptions) -> Vec<Source> {
    let source = |doc: &Value, id: &str, format: &str, uri: &Option<String>| Source {
        id: id.to_string(),
        format: format.to_string(),
        format_version: text(&doc[format]),
        uri: uri.clone(),
        title: text(&doc["info"]["title"]),
        api_version: text(&doc["info"]["version"]),
        role: "primary".into(),
        derived_from: None,
    };
    let mut a = source(
        asyncapi,
        &options.asyncapi_id,
        "asyncapi",
        &options.asyncapi_uri,
    );
    if derived {
        a.role = "derived".into();
        a.derived_from = Some(DerivedFrom {
            source: options.openapi_id.clone(),
            transform: "hookbridge convert (OpenAPI webhooks and callbacks -> AsyncAPI 3.0)".into(),
        });
    } else {
        a.role = "secondary".into();
    }
    vec![
        source(
            openapi,
            &options.openapi_id,
            "openapi",
            &options.openapi_uri,
        ),
        a,
    ]
}

fn generator() -> Generator {
    Generator {
        name: "hookbridge".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }
}

/// A scalar as display text (numbers and booleans too, as YAML readers expect).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Number(_) | Value::Bool(_) => v.to_string(),
        _ => String::new(),
    }
}

/// A non-empty string field.
fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// `indexmap` is built without its serde feature here: write the map in its order.
fn ordered_map<S: serde::Serializer>(
    map: &IndexMap<String, Node>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(map.iter())
}

/// Serializes a manifest as pretty JSON with a final newline.
pub fn to_json(manifest: &Manifest) -> String {
    let mut s = serde_json::to_string_pretty(manifest).unwrap_or_default();
    s.push('\n');
    s
}
