//! OpenAPI 3.0/3.1 -> AsyncAPI 3.0 with HTTP bindings.
//!
//! Native AsyncAPI fields carry everything AsyncAPI can express; the rest of each OpenAPI
//! object rides in an `x-openapi-*` record beside it (see docs/mapping.md), so that
//! the reverse direction rebuilds the original exactly.
//!
//! Here: the entry points and the converter's state. The walk over webhooks, paths and
//! callbacks is in `walk`; what it builds, in `channels`, `operations`, `parameters`,
//! `messages`, `security` and `root` (info, components, the `x-openapi` record).

mod channels;
mod input;
mod messages;
mod operations;
pub(crate) use operations::{ADDITIONAL_OPERATION, METHOD_FIELD};
mod parameters;
mod plan;
mod records;
mod ref_check;
mod root;
mod security;
mod streams;
pub(crate) use streams::{ITEM_SCHEMA, SSE_FIELDS, STREAM};
#[cfg(test)]
mod tests;
mod walk;

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::asyncapi::Ids;
use crate::convert::dialect::{self, Dialect};
use crate::convert::operation_tags;
use crate::diagnostics::{Diagnostic, Error};
use crate::document::refs::local::{follow, RefError};
use crate::document::refs::SoundRefs;
use crate::openapi::{self, Version};

use input::In;
use plan::Plan;
use ref_check::{check_needed_refs, Checked};
use root::Head;

/// Which side the OpenAPI document describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Perspective {
    /// The API provider: it sends webhooks and callbacks and receives REST requests.
    #[default]
    Provider,
    /// The API consumer: it receives webhooks and callbacks.
    Consumer,
}

/// How schemas are written in the AsyncAPI document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SchemaFormat {
    /// AsyncAPI Schema (JSON Schema draft-07 superset), read by every AsyncAPI tool.
    #[default]
    AsyncApi,
    /// OpenAPI Schema Objects verbatim inside Multi Format Schema Objects.
    OpenApi,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub perspective: Perspective,
    pub include_paths: bool,
    pub schema_format: SchemaFormat,
}

/// A converted document and what was noticed on the way.
#[derive(Debug, Clone)]
pub struct Output {
    pub document: Value,
    pub diagnostics: Vec<Diagnostic>,
}

/// Converts an OpenAPI document (already bundled: only local `$ref`s).
pub fn convert(
    doc: &Value,
    version: &Version,
    file: &str,
    options: &Options,
) -> Result<Output, Error> {
    let checked = check_needed_refs(doc, file, false, options)?;
    let head = head(doc, Plan::of(doc), version, file, options, Vec::new())?;
    // What `finish` reads of the root, copied.
    let rest = doc
        .as_object()
        .map(|root| {
            root.iter()
                .filter(|(k, _)| !HEAD_KEYS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    Ok(checked.finish(head.finish(rest, root::Notes::none()), options))
}

/// [`convert`] of a document the caller gives away. The output is the same; the components
/// (most of a large document) are moved into it and their schemas converted in place,
/// instead of being copied, and so are the webhooks when no `$ref` can point into them.
pub fn convert_owned(
    doc: Value,
    version: &Version,
    file: &str,
    options: &Options,
) -> Result<Output, Error> {
    convert_owned_checked(doc, version, file, options, None)
}

/// [`convert_owned`] of a document whose references the loader has already found sound
/// (`sound`), which saves the reference walk over the whole tree.
pub fn convert_owned_checked(
    mut doc: Value,
    version: &Version,
    file: &str,
    options: &Options,
    sound: Option<SoundRefs>,
) -> Result<Output, Error> {
    // Without a reference into the record among the loader's notes, the walk that points
    // such references there would change nothing.
    let into_record = sound.as_ref().is_none_or(|s| s.into_record);
    let (checked, unchanged_schemas) = match sound {
        Some(s) => {
            let checked = Checked {
                movable: s.into_components_only,
                warnings: Vec::new(),
            };
            (checked, s.unchanged_schemas)
        }
        None => (
            check_needed_refs(&doc, file, true, options)?,
            HashSet::new(),
        ),
    };
    let plan = Plan::of(&doc);
    let movable = checked.movable;
    let mut detached = Vec::new();
    if let (true, Value::Object(root)) = (movable, &mut doc) {
        for key in ["webhooks", "x-webhooks"] {
            if let Some(v) = root.get_mut(key) {
                detached.push((key.to_string(), std::mem::take(v)));
            }
        }
    }
    let head = head(&doc, plan, version, file, options, detached)?;
    let rest = match doc {
        Value::Object(root) => root,
        _ => Obj::new(),
    };
    let notes = root::Notes {
        into_record,
        unchanged_schemas,
    };
    Ok(checked.finish(head.finish(rest, notes), options))
}

/// Root keys that the walk ([`Converter::head`]) converts or drops; `finish` skips them.
const HEAD_KEYS: [&str; 7] = [
    "openapi",
    "info",
    "paths",
    "webhooks",
    "x-webhooks",
    "tags",
    "externalDocs",
];

/// The walk over the borrowed document: everything but the components and the other root
/// fields, which [`Head::finish`] takes.
/// The document's references have been checked; `detached`: the root members taken out of
/// `doc` for the walk to move.
fn head(
    doc: &Value,
    plan: Plan,
    version: &Version,
    file: &str,
    options: &Options,
    detached: Vec<(String, Value)>,
) -> Result<Head, Error> {
    let empty = Map::new();
    let root = doc.as_object().unwrap_or(&empty);
    let mut c = Converter {
        doc,
        detached,
        root,
        file,
        version,
        options: *options,
        diagnostics: Vec::new(),
        channels: Map::new(),
        operations: Map::new(),
        channel_ids: Ids::default(),
        operation_ids: Ids::default(),
        message_ids: Ids::default(),
        plan,
        reported: 0,
        tag_definitions: operation_tags::definitions(root.get("tags")),
        streams: Vec::new(),
    };
    let (out, record) = c.head()?;
    Ok(Head {
        out,
        record,
        file: file.to_string(),
        diagnostics: c.diagnostics,
        options: *options,
        dialect: version.dialect,
    })
}

type Obj = Map<String, Value>;

/// The walk's state: the input, and the channels and operations made so far.
struct Converter<'a> {
    doc: &'a Value,
    /// Root members taken out of `doc` (their place holds `null`) to be moved into the
    /// output: the webhooks, when nothing can refer into them.
    detached: Vec<(String, Value)>,
    root: &'a Obj,
    file: &'a str,
    version: &'a Version,
    options: Options,
    diagnostics: Vec<Diagnostic>,
    channels: Obj,
    operations: Obj,
    channel_ids: Ids,
    operation_ids: Ids,
    message_ids: Ids,
    /// The document's events, as the model read them: what the walk converts.
    plan: Plan,
    /// How many of the model's findings have been reported.
    reported: usize,
    /// What operation tags of a name say (`convert::operation_tags`).
    tag_definitions: Obj,
    /// The streams of the operation being converted, made once it is in place.
    streams: Vec<streams::Pending>,
}

impl<'a> Converter<'a> {
    fn warn(&mut self, code: &'static str, at: &str, message: String) {
        self.diagnostics
            .push(Diagnostic::warning(code, self.file, at, message));
    }

    fn deref<'v>(&self, value: &'v Value, at: &str) -> Result<(&'v Value, Option<String>), Error>
    where
        'a: 'v,
    {
        let (target, r) = openapi::deref(self.doc, value, self.file, at)?;
        Ok((target, r.map(str::to_string)))
    }

    /// [`Converter::deref`] of a node: `(raw, target, ref)`, where `raw` is the node itself
    /// when it is a reference (and `None` when it is not: the target is then the node).
    #[allow(clippy::type_complexity)]
    fn resolve<'v>(
        &self,
        node: In<'v>,
        at: &str,
    ) -> Result<(Option<In<'v>>, In<'v>, Option<String>), Error>
    where
        'a: 'v,
    {
        match node {
            In::Ref(v) => match self.deref(v, at)? {
                (target, Some(r)) => Ok((Some(In::Ref(v)), In::Ref(target), Some(r))),
                (_, None) => Ok((None, In::Ref(v), None)),
            },
            In::Own(v) => {
                let (_, r) = self.deref(&v, at)?;
                match r {
                    Some(r) => {
                        let target = self.doc_target(&v, at)?;
                        Ok((Some(In::Own(v)), In::Ref(target), Some(r)))
                    }
                    None => Ok((None, In::Own(v), None)),
                }
            }
        }
    }

    /// Where a reference (already checked by [`Converter::deref`]) ends, in the document.
    fn doc_target(&self, value: &Value, at: &str) -> Result<&'a Value, Error> {
        let first = openapi::ref_of(value).unwrap_or_default();
        // `value` may be owned (moved out of the document): take the first step by its string.
        let fail = |e: RefError| openapi::ref_error(&e, self.file, at);
        let node = openapi::lookup(self.doc, first)
            .ok_or_else(|| fail(RefError::Dangling(first.to_string())))?;
        Ok(follow(self.doc, node).map_err(fail)?.value)
    }

    // ----- schemas --------------------------------------------------------------------------

    fn dialect(&self) -> Dialect {
        self.version.dialect
    }

    /// An OpenAPI 3.2 input: `query` and `additionalOperations` hold operations.
    fn v32(&self) -> bool {
        crate::openapi::is_v32_version(&self.version.raw)
    }

    /// A schema in AsyncAPI Schema form (headers, query: the binding requires it).
    fn plain_schema(&self, schema: &Value) -> Value {
        dialect::to_asyncapi(schema, self.dialect())
    }
}
