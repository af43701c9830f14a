//! OpenAPI 3.0/3.1 -> AsyncAPI 3.0 with HTTP bindings.
//!
//! Native AsyncAPI fields carry everything AsyncAPI can express; the rest of each OpenAPI
//! object rides in an `x-openapi-*` record beside it (see docs/mapping.md), so that
//! the reverse direction rebuilds the original exactly.

use std::borrow::Cow;
use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::asyncapi::{self, is_extension_name, reference, sanitize_id, Ids};
use crate::convert::dialect::{self, Dialect};
use crate::convert::runtime_expr::{Segment, Template};
use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::pointer;
use crate::document::refs::SoundRefs;
use crate::openapi::{self, Version, METHODS};

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
    let head = head(doc, version, file, options, None)?;
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
    Ok(head.finish(rest))
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
    let movable = match sound {
        Some(s) => s.into_components_only,
        None => check_local_refs(&doc, file, true)?,
    };
    let mut detached = Vec::new();
    if let (true, Value::Object(root)) = (movable, &mut doc) {
        for key in ["webhooks", "x-webhooks"] {
            if let Some(v) = root.get_mut(key) {
                detached.push((key.to_string(), std::mem::take(v)));
            }
        }
    }
    let head = head(&doc, version, file, options, Some(detached))?;
    let rest = match doc {
        Value::Object(root) => root,
        _ => Obj::new(),
    };
    Ok(head.finish(rest))
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
/// `detached`: `None` to check the document's references first; else they have been, and
/// these root members were taken out of `doc` for the walk to move.
fn head(
    doc: &Value,
    version: &Version,
    file: &str,
    options: &Options,
    detached: Option<Vec<(String, Value)>>,
) -> Result<Head, Error> {
    let empty = Map::new();
    let root = doc.as_object().unwrap_or(&empty);
    let mut c = Converter {
        doc,
        refs_checked: detached.is_some(),
        detached: detached.unwrap_or_default(),
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
        expanding: Vec::new(),
    };
    let (out, record) = c.head()?;
    Ok(Head {
        out,
        record,
        diagnostics: c.diagnostics,
        options: *options,
        dialect: version.dialect,
    })
}

type Obj = Map<String, Value>;

/// The output up to `operations` and the `x-openapi` record so far.
struct Head {
    out: Obj,
    record: Obj,
    diagnostics: Vec<Diagnostic>,
    options: Options,
    dialect: Dialect,
}

impl Head {
    /// Adds the components and the remaining root fields (`root` without the [`HEAD_KEYS`]
    /// is enough), moving them.
    fn finish(self, mut root: Obj) -> Output {
        let Head {
            mut out,
            mut record,
            diagnostics,
            options,
            dialect,
        } = self;
        let mut schemas_need_escaping = true;
        if let Some(Value::Object(src)) = root.get_mut("components") {
            let (components, data_refs) =
                components(std::mem::take(src), &mut record, &options, dialect);
            schemas_need_escaping = data_refs;
            if !components.is_empty() {
                out.insert("components".into(), Value::Object(components));
            }
        }
        for (key, value) in root {
            match key.as_str() {
                k if HEAD_KEYS.contains(&k) => {}
                "components" => {}
                k if is_extension_name(k) && !is_reserved(k) => {
                    out.insert(key, value);
                }
                _ => {
                    record.insert(key, value);
                }
            }
        }
        out.insert("x-openapi".into(), Value::Object(record));
        let mut document = Value::Object(out);
        // The component schemas are most of the document. When their conversion found no
        // `$ref`-like key outside subschemas, escaping has nothing to do there: they are
        // set aside meanwhile (their place is kept).
        let schemas_slot = |d: &mut Value| {
            d.get_mut("components")
                .and_then(|c| c.get_mut("schemas"))
                .map(std::mem::take)
        };
        let set_aside = if schemas_need_escaping {
            None
        } else {
            schemas_slot(&mut document)
        };
        asyncapi::escape_data_refs(&mut document);
        if let Some(schemas) = set_aside {
            if let Some(slot) = document
                .get_mut("components")
                .and_then(|c| c.get_mut("schemas"))
            {
                *slot = schemas;
            }
        }
        Output {
            document,
            diagnostics,
        }
    }
}

/// The Components Object: schemas converted in place, security schemes converted, the rest
/// recorded. Also says whether the schemas may hold `$ref`-like keys in data (see
/// [`dialect::to_asyncapi_noting_data_refs`]).
fn components(src: Obj, record: &mut Obj, options: &Options, dialect: Dialect) -> (Obj, bool) {
    let mut out = Obj::new();
    let mut kept = Obj::new();
    let mut data_refs = false;
    for (kind, value) in src {
        match value {
            Value::Object(mut schemas) if kind == "schemas" => {
                for schema in schemas.values_mut() {
                    match options.schema_format {
                        SchemaFormat::AsyncApi => {
                            data_refs |= dialect::to_asyncapi_noting_data_refs(schema, dialect);
                        }
                        SchemaFormat::OpenApi => {
                            data_refs = true;
                            let s = std::mem::take(schema);
                            *schema = multi_format(s, false, dialect);
                        }
                    }
                }
                out.insert(kind, Value::Object(schemas));
            }
            Value::Object(schemes) if kind == "securitySchemes" => {
                let converted = schemes
                    .iter()
                    .map(|(k, s)| {
                        (
                            k.clone(),
                            asyncapi::security_scheme_to_asyncapi(&with_foreign_extensions_kept(s)),
                        )
                    })
                    .collect();
                out.insert(kind, Value::Object(converted));
            }
            value => {
                kept.insert(kind, value);
            }
        }
    }
    if !kept.is_empty() {
        record.insert("components".into(), Value::Object(kept));
    }
    (out, data_refs)
}

/// Wraps a verbatim OpenAPI schema in a Multi Format Schema Object. References to
/// components point at the wrapped `schema` so both sides have the same format.
fn multi_format(schema: Value, top_ref_is_plain: bool, dialect: Dialect) -> Value {
    if top_ref_is_plain && openapi::ref_of(&schema).is_some() {
        return schema;
    }
    let format = match dialect {
        Dialect::Oas30 => "application/vnd.oai.openapi+json;version=3.0.0",
        Dialect::Oas31 => "application/vnd.oai.openapi+json;version=3.1.0",
    };
    let mut inner = schema;
    asyncapi::map_schema_refs(&mut inner, &asyncapi::ref_into_wrapped_schema);
    let mut m = Obj::new();
    m.insert("schemaFormat".into(), format.into());
    m.insert("schema".into(), inner);
    Value::Object(m)
}

struct Converter<'a> {
    doc: &'a Value,
    /// `check_local_refs` has been run on the whole document.
    refs_checked: bool,
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
    /// The `$ref`'d Path Items and Callbacks being expanded: a callback that reaches one of
    /// them again is a cycle, which has no finite AsyncAPI form.
    expanding: Vec<String>,
}

/// Where a channel comes from in the OpenAPI document.
enum Origin {
    Webhook { key: String, name: String },
    Callback(CallbackOrigin),
    Path { path: String },
}

struct CallbackOrigin {
    parent_key: String,
    name: String,
    expression: String,
    record: Obj,
}

/// The channel an operation belongs to, as the operation sees it.
struct ChannelCtx<'v> {
    id: String,
    /// `#/channels/<id>`, and the reference to it.
    fragment: String,
    reference: Value,
    action: &'static str,
    /// Path parameters become channel parameters only where the address holds them.
    // (path parameters are not native: channel parameters hold no schema)
    /// Query items of a callback URL, added to every operation's query schema.
    callback_query: Obj,
    /// Path-Item-level parameters, already resolved.
    shared_params: Vec<&'v Value>,
}

/// A parameter resolved for native placement.
struct Param<'v> {
    name: &'v str,
    location: &'v str,
    target: &'v Value,
    /// Its index among the operation's own parameters (`None`: a Path Item parameter).
    own: Option<usize>,
}

/// A node of the input as the walk gets it: borrowed, and then copied where the output
/// uses it, or owned (the webhooks of a document given to [`convert_owned`]), and then
/// moved there.
enum In<'v> {
    Ref(&'v Value),
    Own(Value),
}

impl<'v> In<'v> {
    fn value(&self) -> &Value {
        match self {
            In::Ref(v) => v,
            In::Own(v) => v,
        }
    }

    fn as_object(&self) -> Option<&Obj> {
        self.value().as_object()
    }

    fn into_value(self) -> Value {
        match self {
            In::Ref(v) => v.clone(),
            In::Own(v) => v,
        }
    }

    /// A member of an object: referred to when borrowed; when owned, moved out (`null` is
    /// left in its place, so the object keeps its keys in order).
    fn take(&mut self, key: &str) -> Option<In<'v>> {
        match self {
            In::Ref(Value::Object(m)) => field(m, key).map(In::Ref),
            In::Own(Value::Object(m)) => field_mut(m, key).map(|v| In::Own(std::mem::take(v))),
            _ => None,
        }
    }

    /// The members of an object, in order (none for any other value).
    fn into_entries(self) -> Entries<'v> {
        match self {
            In::Ref(Value::Object(m)) => Entries::Ref(m.iter()),
            In::Own(Value::Object(m)) => Entries::Own(m.into_iter()),
            _ => Entries::Empty,
        }
    }
}

enum Entries<'v> {
    Ref(serde_json::map::Iter<'v>),
    Own(serde_json::map::IntoIter),
    Empty,
}

impl<'v> Iterator for Entries<'v> {
    type Item = (Cow<'v, str>, In<'v>);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Entries::Ref(it) => it
                .next()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), In::Ref(v))),
            Entries::Own(it) => it.next().map(|(k, v)| (Cow::Owned(k), In::Own(v))),
            Entries::Empty => None,
        }
    }
}

/// A member of a small object: found by comparing keys, cheaper than hashing the key
/// (objects of the input are mostly small; larger ones are looked up as usual).
fn field<'m>(m: &'m Obj, key: &str) -> Option<&'m Value> {
    if m.len() > 8 {
        return m.get(key);
    }
    m.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// [`field`], mutable.
fn field_mut<'m>(m: &'m mut Obj, key: &str) -> Option<&'m mut Value> {
    if m.len() > 8 {
        return m.get_mut(key);
    }
    m.iter_mut().find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// A value several messages get: copies for all but the last, which takes it.
fn share<T: Clone>(slot: &mut Option<T>, last: bool) -> Option<T> {
    if last {
        slot.take()
    } else {
        slot.clone()
    }
}

/// `#/channels/<id>...`: the fragment of a pointer made of ids. Ids are sanitized (see
/// [`sanitize_id`]), so they need no escaping; anything else goes through `to_fragment`.
fn id_fragment(prefix: &str, tokens: &[&str]) -> String {
    let safe = |t: &&str| {
        t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    };
    if !tokens.iter().all(safe) {
        let tail = pointer::to_fragment(&pointer::join(tokens));
        return format!("{prefix}{}", &tail[1..]);
    }
    let mut out =
        String::with_capacity(prefix.len() + tokens.iter().map(|t| t.len() + 1).sum::<usize>());
    out.push_str(prefix);
    for t in tokens {
        out.push('/');
        out.push_str(t);
    }
    out
}

/// An object without some of its members (other values: an empty object).
fn object_without(node: In<'_>, skip: &[&str]) -> Obj {
    match node {
        In::Own(Value::Object(mut m)) => {
            for k in skip {
                m.shift_remove(*k);
            }
            m
        }
        In::Ref(Value::Object(m)) => m
            .iter()
            .filter(|(k, _)| !skip.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        _ => Obj::new(),
    }
}

impl<'a> Converter<'a> {
    /// The output up to `operations`, and the record so far.
    fn head(&mut self) -> Result<(Obj, Obj), Error> {
        if !self.refs_checked {
            check_local_refs(self.doc, self.file, false)?;
        }
        let mut record = Obj::new();
        record.insert("openapi".into(), Value::String(self.version.raw.clone()));
        let perspective = match self.options.perspective {
            Perspective::Provider => "provider",
            Perspective::Consumer => "consumer",
        };
        record.insert("perspective".into(), perspective.into());

        let mut out = Obj::new();
        out.insert("asyncapi".into(), asyncapi::VERSION.into());
        out.insert("info".into(), self.info(&mut record));
        let mut webhook_keys = Vec::new();
        for (key, value) in self.root {
            match key.as_str() {
                "paths" => {
                    // Recorded even when empty: the reverse needs to know `paths` was there.
                    let extensions = self.paths(value)?;
                    record.insert("paths".into(), Value::Object(extensions));
                }
                "webhooks" | "x-webhooks" => {
                    webhook_keys.push(Value::String(key.clone()));
                    let node = match self.detached.iter().position(|(k, _)| k == key) {
                        Some(i) => In::Own(self.detached.swap_remove(i).1),
                        None => In::Ref(value),
                    };
                    self.webhooks(key, node)?;
                }
                _ => {}
            }
        }
        if !webhook_keys.is_empty() {
            let keys = if webhook_keys.len() == 1 {
                webhook_keys.remove(0)
            } else {
                Value::Array(webhook_keys)
            };
            record.insert("webhooks".into(), keys);
        }
        out.insert(
            "channels".into(),
            Value::Object(std::mem::take(&mut self.channels)),
        );
        out.insert(
            "operations".into(),
            Value::Object(std::mem::take(&mut self.operations)),
        );
        Ok((out, record))
    }

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
        let unresolved = |r: &str| -> Error {
            let msg = format!("`$ref` target `{r}` does not exist in this document");
            Diagnostic::error(codes::UNRESOLVED_REF, self.file, at, msg).into()
        };
        let first = openapi::ref_of(value).unwrap_or_default();
        let mut current = openapi::lookup(self.doc, first).ok_or_else(|| unresolved(first))?;
        while let Some(r) = openapi::ref_of(current) {
            current = openapi::lookup(self.doc, r).ok_or_else(|| unresolved(r))?;
        }
        Ok(current)
    }

    // ----- info, components -------------------------------------------------------------

    fn info(&mut self, record: &mut Obj) -> Value {
        let mut info = self
            .root
            .get("info")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut kept = Obj::new();
        if let Some(summary) = info.shift_remove("summary") {
            kept.insert("summary".into(), summary);
        }
        if let Some(Value::Object(license)) = info.get_mut("license") {
            if let Some(id) = license.shift_remove("identifier") {
                kept.insert(
                    "license".into(),
                    Value::Object(Obj::from_iter([("identifier".into(), id)])),
                );
            }
        }
        move_foreign_extensions(&mut info, &mut kept);
        if !kept.is_empty() {
            record.insert("info".into(), Value::Object(kept));
        }
        for field in ["contact", "license"] {
            if let Some(v) = info.get_mut(field) {
                *v = with_foreign_extensions_kept(v);
            }
        }
        if let Some(Value::Array(tags)) = self.root.get("tags") {
            info.insert(
                "tags".into(),
                Value::Array(tags.iter().map(tag_to_asyncapi).collect()),
            );
        }
        if let Some(docs) = self.root.get("externalDocs") {
            info.insert("externalDocs".into(), with_foreign_extensions_kept(docs));
        }
        Value::Object(info)
    }

    // ----- schemas --------------------------------------------------------------------------

    fn dialect(&self) -> Dialect {
        self.version.dialect
    }

    /// A schema in AsyncAPI Schema form (headers, query: the binding requires it).
    fn plain_schema(&self, schema: &Value) -> Value {
        dialect::to_asyncapi(schema, self.dialect())
    }

    /// A payload schema, in the chosen format.
    fn payload_schema_owned(&self, schema: Value) -> Value {
        match self.options.schema_format {
            SchemaFormat::AsyncApi => dialect::to_asyncapi_owned(schema, self.dialect()),
            SchemaFormat::OpenApi => multi_format(schema, true, self.dialect()),
        }
    }

    // ----- walking the document ----------------------------------------------------------

    /// Converts paths (or only their callbacks); returns the Paths Object's extensions.
    fn paths(&mut self, paths: &'a Value) -> Result<Obj, Error> {
        let mut extensions = Obj::new();
        let Some(paths) = paths.as_object() else {
            return Ok(extensions);
        };
        for (path, item) in paths {
            if path.starts_with("x-") {
                extensions.insert(path.clone(), item.clone());
                continue;
            }
            let at = pointer::join(["paths", path.as_str()]);
            if self.options.include_paths {
                self.path_item(Origin::Path { path: path.clone() }, &at, In::Ref(item))?;
            } else {
                self.callbacks_of_path(path, &at, item)?;
            }
        }
        Ok(extensions)
    }

    /// Default scope: paths are not converted, but their callbacks are.
    fn callbacks_of_path(&mut self, path: &str, at: &str, raw: &Value) -> Result<(), Error> {
        let (item, item_ref) = self.deref(raw, at)?;
        let Some(item) = item.as_object() else {
            return Ok(());
        };
        // The operations of a `$ref`'d path item live in the component, which travels whole:
        // name it as the callbacks' parent, so the way back needs no stand-in operation.
        let parent_at = item_ref
            .as_deref()
            .and_then(pointer::from_fragment)
            .unwrap_or_else(|| at.to_string());
        self.enter(item_ref.as_deref(), at)?;
        for method in METHODS {
            if let Some(Value::Object(op)) = item.get(method) {
                if let Some(callbacks) = op.get("callbacks") {
                    let key = operation_key_base(op, method, path);
                    let op_at = pointer::push(&parent_at, method);
                    self.callbacks(&op_at, &key, Some(In::Ref(callbacks)))?;
                }
            }
        }
        self.leave(item_ref.as_deref());
        Ok(())
    }

    fn webhooks<'v>(&mut self, key: &str, webhooks: In<'v>) -> Result<(), Error>
    where
        'a: 'v,
    {
        if key == "webhooks" && self.dialect() == Dialect::Oas30 {
            let msg = "`webhooks` needs OpenAPI 3.1; in 3.0 use `x-webhooks` (converted anyway)"
                .to_string();
            self.warn(codes::WEBHOOKS_IN_30, "/webhooks", msg);
        }
        if !webhooks.value().is_object() {
            let msg = format!(
                "`{key}` must be a mapping of webhook names to Path Items; nothing was converted"
            );
            self.warn(codes::INVALID_STRUCTURE, &pointer::join([key]), msg);
            return Ok(());
        };
        for (name, item) in webhooks.into_entries() {
            let at = pointer::join([key, &*name]);
            let origin = Origin::Webhook {
                key: key.to_string(),
                name: name.into_owned(),
            };
            self.path_item(origin, &at, item)?;
        }
        Ok(())
    }

    /// The callbacks of an operation (its `callbacks` field).
    fn callbacks<'v>(
        &mut self,
        op_pointer: &str,
        op_key: &str,
        callbacks: Option<In<'v>>,
    ) -> Result<(), Error>
    where
        'a: 'v,
    {
        let Some(callbacks) = callbacks.filter(|c| c.value().is_object()) else {
            return Ok(());
        };
        for (name, raw) in callbacks.into_entries() {
            let at = pointer::join_to(op_pointer, ["callbacks", &*name]);
            let (_, callback, cb_ref) = self.resolve(raw, &at)?;
            if !callback.value().is_object() {
                continue;
            }
            self.enter(cb_ref.as_deref(), &at)?;
            let mut extensions = Obj::new();
            let mut expressions = 0;
            for (expression, item) in callback.into_entries() {
                if expression.starts_with("x-") {
                    extensions.insert(expression.into_owned(), item.into_value());
                    continue;
                }
                expressions += 1;
                let mut record = Obj::new();
                record.insert(
                    "parent".into(),
                    Value::String(pointer::to_fragment(op_pointer)),
                );
                record.insert("name".into(), Value::String(name.to_string()));
                record.insert("expression".into(), Value::String(expression.to_string()));
                if let Some(r) = &cb_ref {
                    record.insert("ref".into(), Value::String(r.clone()));
                }
                if expressions == 1 && !extensions.is_empty() && cb_ref.is_none() {
                    record.insert(
                        "extensions".into(),
                        Value::Object(std::mem::take(&mut extensions)),
                    );
                }
                let item_at = pointer::push(&at, &expression);
                let origin = Origin::Callback(CallbackOrigin {
                    parent_key: op_key.to_string(),
                    name: name.to_string(),
                    expression: expression.into_owned(),
                    record,
                });
                self.path_item(origin, &item_at, item)?;
            }
            self.leave(cb_ref.as_deref());
            if expressions == 0 {
                let msg = format!("callback `{name}` has no URL expression, so there is no channel to make; it is left out");
                self.warn(codes::LOSSY, &at, msg);
            } else if !extensions.is_empty() && cb_ref.is_none() {
                // Extensions written after the first expression: attach them to the first channel.
                self.attach_late_callback_extensions(op_pointer, &name, extensions);
            }
        }
        Ok(())
    }

    fn attach_late_callback_extensions(&mut self, op_pointer: &str, name: &str, extensions: Obj) {
        let parent = pointer::to_fragment(op_pointer);
        for channel in self.channels.values_mut() {
            let Some(Value::Object(rec)) = channel.get_mut("x-openapi-callback") else {
                continue;
            };
            if rec.get("parent").and_then(Value::as_str) == Some(&parent)
                && rec.get("name").and_then(Value::as_str) == Some(name)
            {
                let slot = rec
                    .entry("extensions")
                    .or_insert_with(|| Value::Object(Obj::new()));
                if let Value::Object(m) = slot {
                    m.extend(extensions);
                }
                return;
            }
        }
    }

    // ----- path items -> channels ---------------------------------------------------------

    fn path_item<'v>(&mut self, origin: Origin, at: &str, raw: In<'v>) -> Result<(), Error>
    where
        'a: 'v,
    {
        let (raw, target, item_ref) = self.resolve(raw, at)?;
        let Some(target_obj) = target.value().as_object() else {
            let msg = "a Path Item must be a mapping; this one was not converted".to_string();
            self.warn(codes::INVALID_STRUCTURE, at, msg);
            return Ok(());
        };
        self.enter(item_ref.as_deref(), at)?;
        let raw_value = raw.as_ref().map_or(&Value::Null, In::value);
        let mut item = match merged_path_item(raw_value, target_obj, item_ref.is_some()) {
            Some(m) => In::Own(Value::Object(m)),
            None => target,
        };
        let (base_id, action) = self.channel_base(&origin);
        let id = self.channel_ids.unique(&sanitize_id(&base_id));

        let mut channel = Obj::with_capacity(6);
        let mut record = Obj::new();
        if let Some(raw) = raw {
            record.insert("ref".into(), raw.into_value());
        }
        let (address, address_params, callback_query) =
            self.address(&origin, at, item.value().as_object().unwrap_or(&Obj::new()));
        channel.insert("address".into(), address);
        for key in ["summary", "description"] {
            if let Some(v) = item.take(key) {
                channel.insert(key.into(), v.into_value());
            }
        }
        let params = item.take("parameters");
        let shared_params = self.resolve_params(
            params.as_ref().map(In::value),
            &pointer::push(at, "parameters"),
        )?;
        if let Some(v) = &params {
            record.insert("parameters".into(), v.value().clone());
        }
        if !address_params.is_empty() {
            channel.insert("parameters".into(), Value::Object(address_params));
        }
        channel.insert("messages".into(), Value::Object(Obj::new()));
        let ops: Vec<(&str, In<'v>)> = METHODS
            .iter()
            .filter_map(|&method| item.take(method).map(|op| (method, op)))
            .collect();
        for (key, value) in item.into_entries() {
            let known = matches!(&*key, "$ref" | "summary" | "description" | "parameters")
                || METHODS.contains(&&*key);
            if known {
                continue;
            }
            if is_extension_name(&key) && !is_reserved(&key) {
                channel.insert(key.into_owned(), value.into_value());
            } else {
                record.insert(key.into_owned(), value.into_value());
            }
        }
        self.origin_record(&origin, &mut channel);
        if !record.is_empty() {
            channel.insert("x-openapi-path-item".into(), Value::Object(record));
        }
        self.channels.insert(id.clone(), Value::Object(channel));

        let fragment = id_fragment("#", &["channels", &id]);
        let reference = Value::Object(Obj::from_iter([(
            "$ref".to_string(),
            Value::String(fragment.clone()),
        )]));
        let ctx = ChannelCtx {
            id,
            fragment,
            reference,
            action,
            callback_query,
            shared_params,
        };
        for (method, op) in ops {
            let op_at = pointer::push(at, method);
            if !op.value().is_object() {
                self.warn(
                    codes::INVALID_STRUCTURE,
                    &op_at,
                    "an Operation must be a mapping; skipped".into(),
                );
                continue;
            }
            let (key, callbacks) = self.operation(&ctx, method, &op_at, op)?;
            self.callbacks(&op_at, &key, callbacks)?;
        }
        self.leave(item_ref.as_deref());
        Ok(())
    }

    /// Marks the `$ref` target `reference` as being expanded; a cycle when it already is.
    fn enter(&mut self, reference: Option<&str>, at: &str) -> Result<(), Error> {
        let Some(r) = reference else { return Ok(()) };
        if self.expanding.iter().any(|e| e == r) {
            let msg = format!(
                "`{r}` reaches itself through its callbacks: a cycle of callbacks has no finite AsyncAPI form (each callback is a channel)"
            );
            return Err(Diagnostic::error(codes::REF_CYCLE, self.file, at, msg).into());
        }
        self.expanding.push(r.to_string());
        Ok(())
    }

    fn leave(&mut self, reference: Option<&str>) {
        if reference.is_some() {
            self.expanding.pop();
        }
    }

    fn channel_base(&self, origin: &Origin) -> (String, &'static str) {
        let (send, receive) = match self.options.perspective {
            Perspective::Provider => ("send", "receive"),
            Perspective::Consumer => ("receive", "send"),
        };
        match origin {
            Origin::Webhook { name, .. } => (name.clone(), send),
            Origin::Callback(cb) => (format!("{}.{}", cb.parent_key, cb.name), send),
            Origin::Path { path } => (path_id(path), receive),
        }
    }

    fn origin_record(&self, origin: &Origin, channel: &mut Obj) {
        match origin {
            Origin::Webhook { key, name } => {
                channel.insert("x-openapi-webhook".into(), Value::String(name.clone()));
                let primary = if self.dialect() == Dialect::Oas30 {
                    "x-webhooks"
                } else {
                    "webhooks"
                };
                if key != primary {
                    channel.insert("x-openapi-webhook-key".into(), Value::String(key.clone()));
                }
            }
            Origin::Callback(cb) => {
                channel.insert(
                    "x-openapi-callback".into(),
                    Value::Object(cb.record.clone()),
                );
            }
            Origin::Path { path } => {
                channel.insert("x-openapi-path".into(), Value::String(path.clone()));
            }
        }
    }

    /// The channel address, its parameters, and (for callbacks) the query items of the URL.
    fn address(&mut self, origin: &Origin, at: &str, item: &Obj) -> (Value, Obj, Obj) {
        match origin {
            Origin::Webhook { .. } => (Value::Null, Obj::new(), Obj::new()),
            Origin::Path { path } => {
                let params = path_template_params(path, item);
                (Value::String(path.clone()), params, Obj::new())
            }
            Origin::Callback(cb) => self.callback_address(cb, at),
        }
    }

    fn callback_address(&mut self, cb: &CallbackOrigin, at: &str) -> (Value, Obj, Obj) {
        let template = match Template::parse(&cb.expression) {
            Ok(t) => t,
            Err(e) => {
                let msg = format!(
                    "invalid runtime expression `{}` in callback `{}`: {e}; the key is kept verbatim in x-openapi-callback and the channel address is left unknown",
                    cb.expression, cb.name
                );
                self.warn(codes::INVALID_RUNTIME_EXPRESSION, at, msg);
                return (Value::Null, Obj::new(), Obj::new());
            }
        };
        let mut names = Ids::default();
        let mut text = String::new();
        let mut params: Vec<(String, String)> = Vec::new();
        for segment in &template.segments {
            match segment {
                Segment::Literal(s) => text.push_str(s),
                Segment::Expr(e) => {
                    let name = names.unique(&e.suggested_name());
                    text.push('{');
                    text.push_str(&name);
                    text.push('}');
                    params.push((name, e.to_string()));
                }
            }
        }
        let cut = text.find(['?', '#']).unwrap_or(text.len());
        let (address, rest) = text.split_at(cut);
        let in_address = |name: &str| address.contains(&format!("{{{name}}}"));
        let mut channel_params = Obj::new();
        for (name, expr) in &params {
            if in_address(name) {
                channel_params.insert(name.clone(), expression_parameter(expr));
            }
        }
        let query = callback_query_items(rest, &params);
        let address = if address.is_empty() {
            Value::Null
        } else {
            Value::String(address.to_string())
        };
        (address, channel_params, query)
    }

    // ----- operations -----------------------------------------------------------------------

    fn resolve_params<'v>(&self, list: Option<&'v Value>, at: &str) -> Result<Vec<&'v Value>, Error>
    where
        'a: 'v,
    {
        let Some(Value::Array(list)) = list else {
            return Ok(Vec::new());
        };
        let mut out = Vec::with_capacity(list.len());
        for (i, p) in list.iter().enumerate() {
            let (target, _) = if openapi::ref_of(p).is_some() {
                self.deref(p, &pointer::push(at, &i.to_string()))?
            } else {
                (p, None)
            };
            out.push(target);
        }
        Ok(out)
    }

    /// Converts one operation; returns its key and its `callbacks` (for the caller to convert
    /// once the operation is in place).
    fn operation<'v>(
        &mut self,
        ch: &ChannelCtx<'_>,
        method: &str,
        at: &str,
        mut op: In<'v>,
    ) -> Result<(String, Option<In<'v>>), Error>
    where
        'a: 'v,
    {
        let empty = Obj::new();
        let mut record = Obj::new();
        let key = self.operation_key(ch, method, op.as_object().unwrap_or(&empty), &mut record);
        let msg_base = sanitize_id(&key);
        let mut out = Obj::with_capacity(op.as_object().map_or(0, Obj::len) + 4);
        out.insert("action".into(), ch.action.into());
        out.insert("channel".into(), ch.reference.clone());
        for field in ["summary", "description"] {
            if let Some(v) = op.take(field) {
                out.insert(field.into(), v.into_value());
            }
        }
        if let Some(tags) = op.take("tags").filter(|t| t.value().is_array()) {
            if let Value::Array(tags) = tags.into_value() {
                let tags = tags
                    .into_iter()
                    .map(|t| Value::Object(Obj::from_iter([("name".to_string(), t)])));
                out.insert("tags".into(), Value::Array(tags.collect()));
            }
        }
        if let Some(docs) = op.take("externalDocs") {
            out.insert(
                "externalDocs".into(),
                foreign_extensions_kept(docs.into_value()),
            );
        }
        self.operation_security(op.as_object().unwrap_or(&empty), &mut out, &mut record);

        // Path-Item and Operation parameters merged (operation wins on name + location). The
        // schemas of header and query parameters go to the binding and the message headers;
        // owned ones are moved there, and the record keeps each parameter without it.
        let mut list = op.take("parameters");
        let mut own_schemas: Vec<Option<Value>> = match &mut list {
            Some(In::Own(Value::Array(items))) => {
                items.iter_mut().map(take_native_schema).collect()
            }
            _ => Vec::new(),
        };
        let own = self.resolve_params(
            list.as_ref().map(In::value),
            &pointer::push(at, "parameters"),
        )?;
        let mut params: Vec<Param> = Vec::new();
        let shared = ch.shared_params.iter().map(|p| (*p, None));
        for (p, index) in shared.chain(own.iter().enumerate().map(|(i, p)| (*p, Some(i)))) {
            let Some(param) = as_param(p, index) else {
                continue;
            };
            params.retain(|q| !(q.name == param.name && q.location == param.location));
            params.push(param);
        }
        let headers = object_schema(self, &params, "header", &mut own_schemas);
        let mut query = object_schema(self, &params, "query", &mut own_schemas);
        drop(params);
        drop(own);
        let entries = match list {
            Some(In::Own(Value::Array(items))) => Some(items),
            Some(In::Ref(Value::Array(items))) => Some(items.iter().map(param_entry).collect()),
            _ => None,
        };
        if let Some(entries) = entries {
            record.insert("parameters".into(), Value::Array(entries));
        }
        merge_query(&mut query, &ch.callback_query);

        let mut binding = Obj::new();
        binding.insert("method".into(), Value::String(method.to_ascii_uppercase()));
        if !query.is_empty() {
            binding.insert("query".into(), Value::Object(query));
        }
        binding.insert(
            "bindingVersion".into(),
            asyncapi::HTTP_BINDING_VERSION.into(),
        );
        out.insert(
            "bindings".into(),
            Value::Object(Obj::from_iter([("http".into(), Value::Object(binding))])),
        );

        let body = op.take("requestBody");
        let requests = self.request_messages(&msg_base, at, body, headers, &mut record)?;
        out.insert("messages".into(), self.insert_messages(ch, requests));
        if let Some(responses) = op.take("responses") {
            let replies = self.response_messages(
                &msg_base,
                &pointer::push(at, "responses"),
                responses,
                &mut record,
            )?;
            let mut reply = Obj::new();
            reply.insert("channel".into(), ch.reference.clone());
            reply.insert("messages".into(), self.insert_messages(ch, replies));
            out.insert("reply".into(), Value::Object(reply));
        }
        let callbacks = op.take("callbacks");
        for (k, v) in op.into_entries() {
            let native = matches!(
                &*k,
                "operationId"
                    | "summary"
                    | "description"
                    | "tags"
                    | "externalDocs"
                    | "security"
                    | "parameters"
                    | "requestBody"
                    | "responses"
                    | "callbacks"
            );
            if native {
                continue;
            }
            if is_extension_name(&k) && !is_reserved(&k) {
                out.insert(k.into_owned(), v.into_value());
            } else {
                record.insert(k.into_owned(), v.into_value());
            }
        }
        if !record.is_empty() {
            out.insert("x-openapi-operation".into(), Value::Object(record));
        }
        self.operations.insert(key.clone(), Value::Object(out));
        Ok((key, callbacks))
    }

    /// The operation's key: its `operationId`, else `<channel>.<method>`. The record says
    /// when the key is not the `operationId` (`operationId: null` when there was none).
    fn operation_key(
        &mut self,
        ch: &ChannelCtx,
        method: &str,
        op: &Obj,
        record: &mut Obj,
    ) -> String {
        let id = field(op, "operationId");
        let wanted = match id.and_then(Value::as_str) {
            Some(id) => id.to_string(),
            None => format!("{}.{}", ch.id, method),
        };
        let key = self.operation_ids.unique(&wanted);
        match id {
            None => {
                record.insert("operationId".into(), Value::Null);
            }
            Some(Value::String(s)) if *s == key => {}
            Some(other) => {
                record.insert("operationId".into(), other.clone());
            }
        }
        key
    }

    /// Adds messages to a channel; returns the list of references to them.
    fn insert_messages(&mut self, ch: &ChannelCtx, messages: Vec<(String, Value)>) -> Value {
        let mut refs = Vec::with_capacity(messages.len());
        if let Some(Value::Object(channel)) = self.channels.get_mut(&ch.id) {
            if let Some(Value::Object(map)) = channel.get_mut("messages") {
                for (id, message) in messages {
                    let fragment = id_fragment(&ch.fragment, &["messages", &id]);
                    refs.push(Value::Object(Obj::from_iter([(
                        "$ref".to_string(),
                        Value::String(fragment),
                    )])));
                    map.insert(id, message);
                }
            }
        }
        Value::Array(refs)
    }

    fn operation_security(&self, op: &Obj, out: &mut Obj, record: &mut Obj) {
        let Some(security) = field(op, "security") else {
            return;
        };
        match self.security_list(security) {
            Some(list) => {
                out.insert("security".into(), Value::Array(list));
            }
            None => {
                record.insert("security".into(), security.clone());
            }
        }
    }

    /// OpenAPI requirements -> AsyncAPI alternatives, when every requirement names one scheme.
    fn security_list(&self, security: &Value) -> Option<Vec<Value>> {
        let schemes = self
            .root
            .get("components")?
            .get("securitySchemes")
            .and_then(Value::as_object);
        let mut out = Vec::new();
        for requirement in security.as_array()? {
            let req = requirement.as_object()?;
            if req.len() != 1 {
                return None;
            }
            let (name, scopes) = req.iter().next()?;
            let scheme = schemes?.get(name)?;
            let scopes = scopes.as_array()?;
            if scopes.is_empty() {
                out.push(reference(&pointer::join([
                    "components",
                    "securitySchemes",
                    name.as_str(),
                ])));
                continue;
            }
            let ty = scheme.get("type").and_then(Value::as_str);
            if !matches!(ty, Some("oauth2") | Some("openIdConnect")) {
                return None;
            }
            let mut inline = asyncapi::security_scheme_to_asyncapi(scheme)
                .as_object()?
                .clone();
            inline.insert("scopes".into(), Value::Array(scopes.clone()));
            inline.insert(
                "x-openapi-security-scheme-name".into(),
                Value::String(name.clone()),
            );
            out.push(Value::Object(inline));
        }
        Some(out)
    }

    // ----- messages -------------------------------------------------------------------------

    fn request_messages<'v>(
        &mut self,
        base: &str,
        at: &str,
        body: Option<In<'v>>,
        headers: Obj,
        record: &mut Obj,
    ) -> Result<Vec<(String, Value)>, Error>
    where
        'a: 'v,
    {
        let id_base = format!("{base}.request");
        let Some(raw) = body else {
            let mut m = Obj::new();
            insert_headers(&mut m, headers);
            return Ok(vec![(self.message_ids.unique(&id_base), Value::Object(m))]);
        };
        let body_at = pointer::push(at, "requestBody");
        let (raw, body, _) = self.resolve(raw, &body_at)?;
        let mut body = match body.value() {
            Value::Object(_) => body,
            _ => In::Own(Value::Object(Obj::new())),
        };
        let description = body.take("description").map(In::into_value);
        let content = body.take("content");
        let body_record = match raw {
            Some(raw) => match raw.into_value() {
                Value::Object(m) => m,
                _ => Obj::new(),
            },
            None => object_without(body, &["content", "description"]),
        };
        record.insert("requestBody".into(), Value::Object(body_record));
        let media_types: Vec<_> = content
            .filter(|c| c.value().is_object())
            .map(|c| c.into_entries().collect())
            .unwrap_or_default();
        let many = media_types.len() > 1;
        let mut out = Vec::with_capacity(media_types.len().max(1));
        for (media_type, mt) in media_types {
            let id = self
                .message_ids
                .unique(&message_id(&id_base, &media_type, many));
            let mut m = self.media_type_message(&media_type, mt);
            if let Some(d) = &description {
                m.shift_insert(0, "description".into(), d.clone());
            }
            out.push((id, m));
        }
        if out.is_empty() {
            let mut m = Obj::new();
            if let Some(d) = description {
                m.insert("description".into(), d);
            }
            out.push((self.message_ids.unique(&id_base), m));
        }
        // The headers go last in each message; the last one takes them.
        let last = out.len() - 1;
        let mut headers = Some(headers);
        let out = out
            .into_iter()
            .enumerate()
            .map(|(i, (id, mut m))| {
                let h = if i == last {
                    headers.take().unwrap_or_default()
                } else {
                    headers.clone().unwrap_or_default()
                };
                insert_headers(&mut m, h);
                (id, Value::Object(m))
            })
            .collect();
        Ok(out)
    }

    /// One media type of a body: payload, examples, and the rest recorded.
    fn media_type_message(&self, media_type: &str, mut mt: In<'_>) -> Obj {
        let mut m = Obj::new();
        m.insert("contentType".into(), Value::String(media_type.to_string()));
        if !mt.value().is_object() {
            m.insert("x-openapi-media-type".into(), mt.into_value());
            return m;
        }
        if let Some(schema) = mt.take("schema") {
            m.insert(
                "payload".into(),
                self.payload_schema_owned(schema.into_value()),
            );
        }
        let mut record = Obj::new();
        let mut examples = Vec::new();
        for (k, v) in mt.into_entries() {
            match &*k {
                "schema" => {}
                "example" => examples.push(message_example(None, v.into_value())),
                "examples" => self.named_examples(v, &mut examples, &mut record),
                _ => {
                    record.insert(k.into_owned(), v.into_value());
                }
            }
        }
        if !examples.is_empty() {
            m.insert("examples".into(), Value::Array(examples));
        }
        if !record.is_empty() {
            m.insert("x-openapi-media-type".into(), Value::Object(record));
        }
        m
    }

    /// Named Example Objects: `value` + `summary` become message examples; the rest is recorded
    /// per name, in order, so that the map comes back whole.
    fn named_examples(&self, v: In<'_>, out: &mut Vec<Value>, record: &mut Obj) {
        if !v.value().is_object() {
            record.insert("examples".into(), v.into_value());
            return;
        }
        let mut kept = Obj::new();
        for (name, mut ex) in v.into_entries() {
            let native = ex
                .as_object()
                .is_some_and(|e| !e.contains_key("$ref") && e.contains_key("value"));
            if native {
                let summary = ex.take("summary").map(In::into_value);
                let value = ex.take("value").map_or(Value::Null, In::into_value);
                out.push(message_example(Some((name.to_string(), summary)), value));
                let rest = object_without(ex, &["value", "summary"]);
                kept.insert(name.into_owned(), Value::Object(rest));
            } else {
                kept.insert(name.into_owned(), ex.into_value());
            }
        }
        record.insert("examples".into(), Value::Object(kept));
    }

    /// Reply messages, one per status code and media type. Extensions of the Responses
    /// Object itself go to the operation record.
    fn response_messages<'v>(
        &mut self,
        base: &str,
        at: &str,
        responses: In<'v>,
        op_record: &mut Obj,
    ) -> Result<Vec<(String, Value)>, Error>
    where
        'a: 'v,
    {
        let mut out = Vec::new();
        if !responses.value().is_object() {
            return Ok(out);
        }
        let mut extensions = Obj::new();
        for (status, raw) in responses.into_entries() {
            let status_at = pointer::push(at, &status);
            if status.starts_with("x-") {
                extensions.insert(status.into_owned(), raw.into_value());
                continue;
            }
            let (raw, response, response_ref) = self.resolve(raw, &status_at)?;
            let mut response = match response.value() {
                Value::Object(_) => response,
                _ => In::Own(Value::Object(Obj::new())),
            };
            let id_base = format!("{base}.response.{}", sanitize_id(&status));
            // An empty `content: {}` has no message to carry it, so it stays recorded.
            let content_native = response
                .as_object()
                .and_then(|r| field(r, "content"))
                .and_then(Value::as_object)
                .is_some_and(|c| !c.is_empty());
            let mut description = response.take("description").map(In::into_value);
            let headers_node = response.take("headers");
            let content = if content_native {
                response.take("content")
            } else {
                None
            };
            let mut record = match raw {
                Some(raw) => Obj::from_iter([("ref".to_string(), raw.into_value())]),
                None if content_native => object_without(response, &["description", "content"]),
                None => object_without(response, &["description"]),
            };
            let headers = self.response_headers(
                headers_node.as_ref().map(In::value),
                &status_at,
                response_ref.is_none().then_some(&mut record),
            )?;
            if let (None, Some(h)) = (&response_ref, headers_node) {
                // Not a mapping: recorded as it was (an owned one left `null` in its place).
                if !h.value().is_object() {
                    if let Some(slot) = record.get_mut("headers") {
                        *slot = h.into_value();
                    }
                }
            }
            let content: Vec<_> = content
                .map(|c| c.into_entries().collect())
                .unwrap_or_default();
            let many = content.len() > 1;
            let mut messages = Vec::with_capacity(content.len().max(1));
            for (media_type, mt) in content {
                let m = self.media_type_message(&media_type, mt);
                messages.push((message_id(&id_base, &media_type, many), m));
            }
            if messages.is_empty() {
                messages.push((id_base, Obj::new()));
            }
            let last = messages.len() - 1;
            let mut headers = Some(headers);
            for (i, (id, mut m)) in messages.into_iter().enumerate() {
                if let Some(d) = share(&mut description, i == last) {
                    m.shift_insert(0, "description".into(), d);
                }
                insert_headers(&mut m, share(&mut headers, i == last).unwrap_or_default());
                status_binding(&mut m, &status);
                let mut rec = if i == 0 {
                    std::mem::take(&mut record)
                } else {
                    Obj::new()
                };
                if status.parse::<u16>().is_err() || status.len() != 3 {
                    rec.shift_insert(0, "status".into(), Value::String(status.to_string()));
                }
                if !rec.is_empty() {
                    m.insert("x-openapi-response".into(), Value::Object(rec));
                }
                out.push((self.message_ids.unique(&id), Value::Object(m)));
            }
        }
        if !extensions.is_empty() {
            op_record.insert("responses".into(), Value::Object(extensions));
        }
        Ok(out)
    }

    /// Response headers as an object schema; their other fields recorded under `headers`.
    fn response_headers(
        &self,
        headers: Option<&Value>,
        at: &str,
        record: Option<&mut Obj>,
    ) -> Result<Obj, Error> {
        let mut schema = Obj::new();
        let Some(Value::Object(headers)) = headers else {
            return Ok(schema);
        };
        let mut props = Obj::new();
        let mut required = Vec::new();
        let mut kept = Obj::new();
        for (name, raw) in headers {
            let (header, header_ref) =
                self.deref(raw, &pointer::join_to(at, ["headers", name.as_str()]))?;
            let Some(h) = header.as_object() else {
                continue;
            };
            if let Some(s) = param_schema(h) {
                props.insert(name.clone(), self.plain_schema(s));
            }
            if field(h, "required").and_then(Value::as_bool) == Some(true) {
                required.push(Value::String(name.clone()));
            }
            let mut rest = if header_ref.is_some() {
                raw.as_object().cloned().unwrap_or_default()
            } else {
                h.clone()
            };
            if header_ref.is_none() && h.contains_key("schema") {
                rest.shift_remove("schema");
            }
            kept.insert(name.clone(), Value::Object(rest));
        }
        if let Some(record) = record {
            record.insert("headers".into(), Value::Object(kept));
        }
        if props.is_empty() {
            return Ok(schema);
        }
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(props));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        Ok(schema)
    }
}

// ----- helpers without converter state -----------------------------------------------------

/// Our own record names; a user extension with such a name goes into a record too.
fn is_reserved(key: &str) -> bool {
    key.starts_with("x-openapi") || key.starts_with("x-asyncapi")
}

/// Extensions AsyncAPI would reject by name (`x-a/b`) are moved into the record.
fn move_foreign_extensions(obj: &mut Obj, record: &mut Obj) {
    let foreign: Vec<String> = obj
        .keys()
        .filter(|k| k.starts_with("x-") && (!is_extension_name(k) || is_reserved(k)))
        .cloned()
        .collect();
    for k in foreign {
        if let Some(v) = obj.shift_remove(&k) {
            record.insert(k, v);
        }
    }
}

/// A copy of an object whose extensions AsyncAPI rejects by name are kept in
/// `x-openapi-extensions` (nested objects included: tag -> externalDocs, scheme -> flows).
fn with_foreign_extensions_kept(v: &Value) -> Value {
    foreign_extensions_kept(v.clone())
}

/// [`with_foreign_extensions_kept`] of a value that can be moved.
fn foreign_extensions_kept(v: Value) -> Value {
    let Value::Object(obj) = v else {
        return v;
    };
    let mut out = Obj::with_capacity(obj.len());
    let mut kept = Obj::new();
    for (k, child) in obj {
        if k.starts_with("x-") {
            if is_extension_name(&k) && !is_reserved(&k) {
                out.insert(k, child);
            } else {
                kept.insert(k, child);
            }
        } else if asyncapi::holds_nested_extensions(&k) {
            out.insert(k, foreign_extensions_kept(child));
        } else {
            out.insert(k, child);
        }
    }
    if !kept.is_empty() {
        out.insert("x-openapi-extensions".into(), Value::Object(kept));
    }
    Value::Object(out)
}

fn tag_to_asyncapi(tag: &Value) -> Value {
    with_foreign_extensions_kept(tag)
}

/// A `$ref`'d Path Item with sibling fields (3.1): siblings override the target's. `None`
/// when there is nothing to merge (the item is the target itself).
fn merged_path_item(raw: &Value, target: &Obj, is_ref: bool) -> Option<Obj> {
    let siblings = raw.as_object().filter(|raw| is_ref && raw.len() > 1)?;
    let mut item = target.clone();
    for (k, v) in siblings {
        if k != "$ref" {
            item.insert(k.clone(), v.clone());
        }
    }
    Some(item)
}

/// `post` + `/streams/{id}` -> `postStreamsId`, for operations without an `operationId`.
fn operation_key_base(op: &Obj, method: &str, path: &str) -> String {
    if let Some(id) = op.get("operationId").and_then(Value::as_str) {
        return id.to_string();
    }
    let mut out = method.to_string();
    for word in path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}

/// `/pets/{id}` -> `pets_id`; `/` -> `root`.
fn path_id(path: &str) -> String {
    let words: Vec<&str> = path
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '.')
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        "root".to_string()
    } else {
        words.join("_")
    }
}

/// Channel parameters for `{name}` in a path template, from the path parameters.
fn path_template_params(path: &str, item: &Obj) -> Obj {
    let mut out = Obj::new();
    let declared = item.get("parameters").and_then(Value::as_array);
    for name in template_names(path) {
        let mut p = Obj::new();
        let found = declared.and_then(|list| {
            list.iter().find(|p| {
                p.get("in").and_then(Value::as_str) == Some("path")
                    && p.get("name").and_then(Value::as_str) == Some(name)
            })
        });
        if let Some(d) = found.and_then(|f| f.get("description")) {
            p.insert("description".into(), d.clone());
        }
        out.insert(name.to_string(), Value::Object(p));
    }
    out
}

fn template_names(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    out
}

/// A channel parameter standing for a callback runtime expression.
fn expression_parameter(expression: &str) -> Value {
    let mut p = Obj::new();
    p.insert(
        "description".into(),
        Value::String(format!(
            "Value of the OpenAPI runtime expression `{expression}`"
        )),
    );
    p.insert(
        "x-openapi-runtime-expression".into(),
        Value::String(expression.to_string()),
    );
    Value::Object(p)
}

/// `?tx={id}&mode=fast` of a callback URL -> query schema properties, marked as coming
/// from the URL (the reverse direction skips them; the expression is authoritative).
fn callback_query_items(rest: &str, params: &[(String, String)]) -> Obj {
    let mut props = Obj::new();
    let Some(query) = rest.strip_prefix('?') else {
        return props;
    };
    let query = query.split('#').next().unwrap_or_default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let mut expanded = value.to_string();
        for (pname, expr) in params {
            expanded = expanded.replace(&format!("{{{pname}}}"), &format!("{{{expr}}}"));
        }
        let mut p = Obj::new();
        p.insert("type".into(), "string".into());
        p.insert(
            "description".into(),
            Value::String(format!("Set from the callback URL: `{expanded}`")),
        );
        p.insert("x-openapi-callback-query".into(), Value::String(expanded));
        props.insert(name.to_string(), Value::Object(p));
    }
    props
}

fn merge_query(query: &mut Obj, callback_query: &Obj) {
    if callback_query.is_empty() {
        return;
    }
    if query.is_empty() {
        query.insert("type".into(), "object".into());
        query.insert("properties".into(), Value::Object(Obj::new()));
    }
    if let Some(Value::Object(props)) = query.get_mut("properties") {
        for (k, v) in callback_query {
            props.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
}

fn as_param(p: &Value, own: Option<usize>) -> Option<Param<'_>> {
    let o = p.as_object()?;
    Some(Param {
        name: field(o, "name")?.as_str()?,
        location: field(o, "in")?.as_str()?,
        target: p,
        own,
    })
}

/// The schema an operation parameter gives to the header or query schema, taken out of it
/// (what [`param_entry`] leaves out of the record).
fn take_native_schema(raw: &mut Value) -> Option<Value> {
    let obj = raw.as_object_mut()?;
    if field(obj, "$ref").is_some() {
        return None;
    }
    let location = field(obj, "in").and_then(Value::as_str).unwrap_or_default();
    if !matches!(location, "header" | "query") {
        return None;
    }
    obj.shift_remove("schema")
}

/// The record of one operation-level parameter: verbatim, minus a schema that AsyncAPI holds.
fn param_entry(raw: &Value) -> Value {
    let Some(obj) = raw.as_object() else {
        return raw.clone();
    };
    if obj.contains_key("$ref") {
        return raw.clone();
    }
    let location = obj.get("in").and_then(Value::as_str).unwrap_or_default();
    // Channel parameters hold no schema, so only headers and query keep theirs natively.
    let native = matches!(location, "header" | "query");
    let mut entry = obj.clone();
    if native && obj.contains_key("schema") {
        entry.shift_remove("schema");
    }
    Value::Object(entry)
}

/// The schema of a Parameter or Header: `schema`, or the one media type of `content`.
fn param_schema(p: &Obj) -> Option<&Value> {
    if let Some(s) = field(p, "schema") {
        return Some(s);
    }
    field(p, "content")?
        .as_object()?
        .values()
        .next()?
        .get("schema")
}

/// Header or query parameters as one object schema (the AsyncAPI place for them).
/// `own_schemas`: schemas already taken out of the operation's own parameters, by index.
fn object_schema(
    c: &Converter,
    params: &[Param],
    location: &str,
    own_schemas: &mut [Option<Value>],
) -> Obj {
    let mut props = Obj::new();
    let mut required = Vec::new();
    for p in params.iter().filter(|p| p.location == location) {
        let Some(obj) = p.target.as_object() else {
            continue;
        };
        let taken = p.own.and_then(|i| own_schemas.get_mut(i)?.take());
        let schema = match taken {
            Some(s) => dialect::to_asyncapi_owned(s, c.dialect()),
            None => param_schema(obj)
                .map(|s| c.plain_schema(s))
                .unwrap_or_else(|| Value::Object(Obj::new())),
        };
        props.insert(p.name.to_owned(), schema);
        if field(obj, "required").and_then(Value::as_bool) == Some(true) {
            required.push(Value::String(p.name.to_owned()));
        }
    }
    let mut out = Obj::new();
    if props.is_empty() {
        return out;
    }
    out.insert("type".into(), "object".into());
    out.insert("properties".into(), Value::Object(props));
    if !required.is_empty() {
        out.insert("required".into(), Value::Array(required));
    }
    out
}

fn insert_headers(message: &mut Obj, headers: Obj) {
    if !headers.is_empty() {
        message.insert("headers".into(), Value::Object(headers));
    }
}

fn status_binding(message: &mut Obj, status: &str) {
    let mut http = Obj::new();
    if let Ok(code) = status.parse::<u16>() {
        if status.len() == 3 {
            http.insert("statusCode".into(), Value::from(code));
        }
    }
    http.insert(
        "bindingVersion".into(),
        asyncapi::HTTP_BINDING_VERSION.into(),
    );
    message.insert(
        "bindings".into(),
        Value::Object(Obj::from_iter([("http".into(), Value::Object(http))])),
    );
}

/// `application/json` -> `json`, `application/vnd.x+json` -> `vnd.x_json`.
fn message_id(base: &str, media_type: &str, many: bool) -> String {
    if !many {
        return base.to_string();
    }
    let sub = media_type.split(';').next().unwrap_or_default();
    let sub = sub.rsplit('/').next().unwrap_or(sub);
    format!("{base}.{}", sanitize_id(&sub.replace('+', "_")))
}

fn message_example(named: Option<(String, Option<Value>)>, value: Value) -> Value {
    let mut e = Obj::new();
    if let Some((name, summary)) = named {
        e.insert("name".into(), Value::String(name));
        if let Some(s) = summary {
            e.insert("summary".into(), s);
        }
    }
    e.insert("payload".into(), value);
    Value::Object(e)
}

/// Every local `$ref` must resolve before we start. Example values are data, not references.
///
/// With `scan`, also says whether every local `$ref` of the document (data included) points
/// into the components, so that the rest of the document is never looked up.
fn check_local_refs(doc: &Value, file: &str, scan: bool) -> Result<bool, Error> {
    let mut check = RefCheck {
        doc,
        resolved: HashSet::new(),
        stack: Vec::new(),
        outside: false,
    };
    match check.walk(doc) {
        Some(r) => {
            let at = pointer::join(check.stack.iter().map(|(t, _)| t.to_string()));
            let msg = format!("`$ref` target `{r}` does not exist in this document");
            Err(Diagnostic::error(codes::UNRESOLVED_REF, file, &at, msg).into())
        }
        None => Ok(scan && !check.outside),
    }
}

#[derive(Clone, Copy)]
enum Token<'v> {
    Key(&'v str),
    Index(usize),
}

impl std::fmt::Display for Token<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Token::Key(k) => f.write_str(k),
            Token::Index(i) => write!(f, "{i}"),
        }
    }
}

/// Depth-first search for a local `$ref` that does not resolve, outside data. The walk
/// goes everywhere (data included, for `outside`) without looking at keys on the way down:
/// only a reference that does not resolve has its position looked at ([`RefCheck::checked`]).
struct RefCheck<'v> {
    doc: &'v Value,
    /// References already looked up (and found): most are used many times.
    resolved: HashSet<&'v str>,
    /// The way from the root to the current node: each step and the node it leads to.
    stack: Vec<(Token<'v>, &'v Value)>,
    /// A local reference points outside `#/components/`.
    outside: bool,
}

impl<'v> RefCheck<'v> {
    /// The first reference that does not resolve in a checked position; `stack` then leads
    /// to its object.
    fn walk(&mut self, node: &'v Value) -> Option<&'v str> {
        match node {
            Value::Object(m) => {
                // A scan, not a hashed look-up: objects are small, and most have no `$ref`.
                let r = m.iter().find(|(k, _)| *k == "$ref").map(|(_, v)| v);
                if let Some(Value::String(r)) = r {
                    if r.starts_with('#') {
                        self.outside |= !r.starts_with("#/components/");
                        if !self.resolves(r) && self.checked() {
                            return Some(r);
                        }
                    }
                }
                for (k, child) in m {
                    if child.is_object() || child.is_array() {
                        self.stack.push((Token::Key(k), child));
                        if let Some(r) = self.walk(child) {
                            return Some(r);
                        }
                        self.stack.pop();
                    }
                }
                None
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    if child.is_object() || child.is_array() {
                        self.stack.push((Token::Index(i), child));
                        if let Some(r) = self.walk(child) {
                            return Some(r);
                        }
                        self.stack.pop();
                    }
                }
                None
            }
            _ => None,
        }
    }

    /// Whether the `$ref` of the object `stack` leads to is checked: not in data (`example`,
    /// `default`, `enum`, `const`, `x-` values, `examples` lists, the `value` of Example
    /// Objects), and not the `$ref` of a map of Example Objects itself.
    fn checked(&self) -> bool {
        let mut example_map = false;
        let mut i = 0;
        while let Some(&(token, child)) = self.stack.get(i) {
            i += 1;
            let Token::Key(k) = token else {
                example_map = false;
                continue;
            };
            let data = matches!(k, "example" | "default" | "enum" | "const") || k.starts_with("x-");
            if data || (example_map && k == "value") || (k == "examples" && child.is_array()) {
                return false;
            }
            example_map = false;
            if k == "examples" && child.is_object() {
                // A map of Example Objects: its entries are searched, not the map itself.
                if i == self.stack.len() {
                    return false;
                }
                i += 1;
                example_map = true;
            }
        }
        true
    }

    fn resolves(&mut self, r: &'v str) -> bool {
        if self.resolved.contains(r) {
            return true;
        }
        let found = openapi::lookup(self.doc, r).is_some();
        if found {
            self.resolved.insert(r);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn option_sets() -> Vec<Options> {
        let mut sets = Vec::new();
        for perspective in [Perspective::Provider, Perspective::Consumer] {
            for include_paths in [false, true] {
                for schema_format in [SchemaFormat::AsyncApi, SchemaFormat::OpenApi] {
                    sets.push(Options {
                        perspective,
                        include_paths,
                        schema_format,
                    });
                }
            }
        }
        sets
    }

    /// The owned conversion (moving parts of the input) gives exactly what the borrowed one
    /// gives: the same document, key order included, and the same diagnostics or error.
    fn assert_owned_matches(doc: &Value, file: &str) {
        let Ok(openapi::Kind::OpenApi(version)) = openapi::detect(doc, file) else {
            panic!("{file}: not an OpenAPI document");
        };
        for options in option_sets() {
            let borrowed = convert(doc, &version, file, &options);
            let owned = convert_owned(doc.clone(), &version, file, &options);
            match (borrowed, owned) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(
                        a.document.to_string(),
                        b.document.to_string(),
                        "{file} {options:?}"
                    );
                    assert_eq!(
                        format!("{:?}", a.diagnostics),
                        format!("{:?}", b.diagnostics),
                        "{file} {options:?}"
                    );
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{file}"),
                (a, b) => panic!("{file} {options:?}: {a:?} but owned: {b:?}"),
            }
        }
    }

    // ---- the reference check against the implementation it replaced ----

    fn reference_check_local_refs(doc: &Value, file: &str, scan: bool) -> Result<bool, Error> {
        let mut check = OldRefCheck {
            doc,
            resolved: HashSet::new(),
            track: false,
            path: Vec::new(),
            scan,
            outside: false,
        };
        // A first pass without keeping the path; when it finds something, a second one does.
        let found = check.find_broken_ref(doc, false).is_some().then(|| {
            check.track = true;
            check.find_broken_ref(doc, false)
        });
        match found.flatten() {
            Some(r) => {
                let at = pointer::join(check.path.iter().map(|t: &Token| t.to_string()));
                let msg = format!("`$ref` target `{r}` does not exist in this document");
                Err(Diagnostic::error(codes::UNRESOLVED_REF, file, &at, msg).into())
            }
            None => Ok(scan && !check.outside),
        }
    }

    // Depth-first search for a local `$ref` that does not resolve.
    struct OldRefCheck<'v> {
        doc: &'v Value,
        /// References already looked up (and found): most are used many times.
        resolved: HashSet<&'v str>,
        /// Keep `path`.
        track: bool,
        /// Ends at the broken `$ref`'s object once one is found (when `track`).
        path: Vec<Token<'v>>,
        /// Look at the references in data too, for `outside`.
        scan: bool,
        /// A local reference points outside `#/components/`.
        outside: bool,
    }

    impl<'v> OldRefCheck<'v> {
        fn find_broken_ref(&mut self, node: &'v Value, example_map: bool) -> Option<&'v str> {
            match node {
                Value::Object(m) => {
                    // A scan, not a hashed look-up: objects are small, and most have no `$ref`.
                    let r = m.iter().find(|(k, _)| *k == "$ref").map(|(_, v)| v);
                    if let Some(Value::String(r)) = r {
                        if r.starts_with('#') {
                            self.outside |= !r.starts_with("#/components/");
                            if !self.resolves(r) {
                                return Some(r);
                            }
                        }
                    }
                    for (k, child) in m {
                        if !(child.is_object() || child.is_array()) {
                            continue;
                        }
                        let data = matches!(k.as_str(), "example" | "default" | "enum" | "const")
                            || k.starts_with("x-");
                        if data
                            || (example_map && k == "value")
                            || (k == "examples" && child.is_array())
                        {
                            self.scan_data(child);
                            continue;
                        }
                        // A map of Example Objects: their `value`s are data.
                        let examples = k == "examples" && child.is_object();
                        self.push(Token::Key(k));
                        let found = match (examples, child) {
                            (true, Value::Object(entries)) => {
                                entries.iter().find_map(|(name, e)| {
                                    self.push(Token::Key(name));
                                    let r = self.find_broken_ref(e, true);
                                    if r.is_none() {
                                        self.pop();
                                    }
                                    r
                                })
                            }
                            _ => self.find_broken_ref(child, false),
                        };
                        if found.is_some() {
                            return found;
                        }
                        self.pop();
                    }
                    None
                }
                Value::Array(a) => {
                    for (i, child) in a.iter().enumerate() {
                        if !(child.is_object() || child.is_array()) {
                            continue;
                        }
                        self.push(Token::Index(i));
                        if let Some(r) = self.find_broken_ref(child, false) {
                            return Some(r);
                        }
                        self.pop();
                    }
                    None
                }
                _ => None,
            }
        }

        fn push(&mut self, token: Token<'v>) {
            if self.track {
                self.path.push(token);
            }
        }

        fn pop(&mut self) {
            if self.track {
                self.path.pop();
            }
        }

        /// Data is not checked, but with `scan` its local references count for `outside`.
        fn scan_data(&mut self, node: &Value) {
            if !self.scan || self.outside {
                return;
            }
            match node {
                Value::Object(m) => {
                    for (k, child) in m {
                        match child {
                            Value::String(r) if k == "$ref" => {
                                self.outside |=
                                    r.starts_with('#') && !r.starts_with("#/components/");
                            }
                            Value::Object(_) | Value::Array(_) => self.scan_data(child),
                            _ => {}
                        }
                    }
                }
                Value::Array(a) => a.iter().for_each(|c| self.scan_data(c)),
                _ => {}
            }
        }

        fn resolves(&mut self, r: &'v str) -> bool {
            if self.resolved.contains(r) {
                return true;
            }
            let found = openapi::lookup(self.doc, r).is_some();
            if found {
                self.resolved.insert(r);
            }
            found
        }
    }

    /// The same error, and movable only where the previous check said so (it may be more
    /// careful: it also counts the `$ref` of a map of Example Objects).
    fn assert_check_matches(doc: &Value) {
        for scan in [false, true] {
            let got = check_local_refs(doc, "f", scan).map_err(|e| e.to_string());
            let want = reference_check_local_refs(doc, "f", scan).map_err(|e| e.to_string());
            match (&got, &want) {
                (Ok(movable), Ok(was)) => assert!(!movable || *was, "{doc}"),
                _ => assert_eq!(got, want, "{doc}"),
            }
        }
    }

    fn ref_doc() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let refs = prop::sample::select(vec![
            "#/components/schemas/A",
            "#/components/schemas/nope",
            "#/webhooks/w",
            "#/nowhere",
            "#",
            "other.yaml#/x",
            "#/components/examples/E/value",
        ]);
        let keys = prop::sample::select(vec![
            "a",
            "$ref",
            "example",
            "examples",
            "value",
            "default",
            "enum",
            "const",
            "x-e",
            "schemas",
            "properties",
            "items",
        ]);
        let leaf = prop_oneof![
            Just(Value::Null),
            refs.clone().prop_map(|r| json!({"$ref": r})),
            refs.prop_map(|r| Value::String(r.to_string())),
        ];
        leaf.prop_recursive(5, 60, 5, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((keys.clone(), inner), 0..5).prop_map(|entries| {
                    Value::Object(
                        entries
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), v))
                            .collect(),
                    )
                }),
            ]
        })
        .prop_map(|body| {
            json!({
                "openapi": "3.1.0",
                "body": body,
                "webhooks": {"w": {}},
                "components": {"schemas": {"A": {}}, "examples": {"E": {"value": 1}}}
            })
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]
        #[test]
        fn reference_check_matches_the_previous_one(doc in ref_doc()) {
            assert_check_matches(&doc);
        }
    }

    #[test]
    fn reference_check_matches_on_samples() {
        assert_check_matches(&webhook_doc());
        let mut d = webhook_doc();
        d["webhooks"]["example"]["post"]["parameters"][0] = json!({"$ref": "#/nowhere"});
        d["components"]["examples"]["X"] = json!({"$ref": "#/nowhere", "value": {"$ref": "#/no"}});
        assert_check_matches(&d);
        d["paths"] = json!({"/p": {"get": {"responses": {"200": {"content": {"a/b": {"examples": {"$ref": "#/bad", "e": {"value": {"$ref": "#/bad"}, "x": {"$ref": "#/bad2"}}}}}}}}}});
        assert_check_matches(&d);
    }

    #[test]
    fn owned_conversion_matches_on_every_sample() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/openapi");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "json")
                )
            })
            .collect();
        files.push(dir.join("multi-file/openapi.yaml"));
        files.sort();
        assert!(files.len() >= 8);
        for file in files {
            let options = crate::document::refs::BundleOptions {
                root: None,
                limits: Default::default(),
            };
            let doc = crate::document::refs::bundle(&file, &options)
                .unwrap()
                .document;
            assert_owned_matches(&doc.value, &doc.name);
        }
    }

    /// Webhooks that exercise every place the owned walk moves something out of its input.
    fn webhook_doc() -> Value {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1", "x-a/b": 1},
            "webhooks": {
                "full": {
                    "summary": "item summary",
                    "description": "item description",
                    "parameters": [
                        {"name": "X-Shared", "in": "header", "schema": {"type": "string"}},
                        {"name": "q", "in": "query", "schema": {"type": "integer"}}
                    ],
                    "x-item": {"k": [1, 2]},
                    "servers": [{"url": "https://e.com"}],
                    "post": {
                        "operationId": "fullPost",
                        "summary": "s",
                        "description": "d",
                        "tags": ["a", "b"],
                        "externalDocs": {"url": "https://e.com", "x-c/d": 2},
                        "security": [{"missing": []}],
                        "parameters": [
                            {"name": "X-Shared", "in": "header", "required": true,
                             "schema": {"type": "string", "example": "overrides the item's"}},
                            {"name": "X-Dup", "in": "header", "schema": {"type": "string"}},
                            {"name": "X-Dup", "in": "header", "schema": {"type": "number"}},
                            {"name": "X-Content", "in": "header",
                             "content": {"text/plain": {"schema": {"type": "string", "const": "c"}}}},
                            {"name": "X-Both", "in": "header", "schema": {"type": "boolean"},
                             "content": {"text/plain": {"schema": {"type": "string"}}}},
                            {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                            {"name": "id", "in": "path", "schema": {"type": "string"}},
                            {"name": "c", "in": "cookie", "schema": {"type": "string"}},
                            {"in": "header", "schema": {"type": "string"}},
                            {"$ref": "#/components/parameters/Trace"},
                            {"$ref": "#/components/parameters/Trace", "schema": {"type": "string"}},
                            "not a parameter"
                        ],
                        "requestBody": {
                            "description": "the body",
                            "required": true,
                            "x-body": 1,
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "discriminator": {"propertyName": "k"},
                                               "properties": {"k": {"type": "string"}}},
                                    "example": {"k": "v", "$ref": "data"},
                                    "examples": {
                                        "one": {"summary": "first", "value": {"k": "1"}, "x-e": 1},
                                        "two": {"value": {"k": "2"}},
                                        "ref": {"$ref": "#/components/examples/E"},
                                        "bare": {"externalValue": "https://e.com/x"}
                                    },
                                    "encoding": {"k": {"contentType": "text/plain"}}
                                },
                                "application/xml": {"schema": {"$ref": "#/components/schemas/S"}},
                                "text/plain": "not a media type"
                            }
                        },
                        "responses": {
                            "200": {"description": "ok",
                                    "headers": {"X-R": {"schema": {"type": "string"}, "required": true}},
                                    "content": {"application/json": {"schema": {"type": "string"}}}},
                            "4XX": {"$ref": "#/components/responses/Bad"},
                            "x-resp": true
                        },
                        "callbacks": {
                            "onEvent": {
                                "x-before": 1,
                                "{$request.body#/url}": {
                                    "post": {
                                        "requestBody": {"content": {"application/json": {"schema": {"type": "string"}}}},
                                        "responses": {"200": {"description": "ok"}}
                                    }
                                },
                                "x-after": 2
                            },
                            "shared": {"$ref": "#/components/callbacks/CB"}
                        },
                        "deprecated": true,
                        "x-op": {"$ref": "data, not a reference"},
                        "x-openapi-reserved": 1
                    },
                    "get": "not an operation"
                },
                "by-ref": {"$ref": "#/components/pathItems/P", "summary": "sibling wins"},
                "by-ref-alone": {"$ref": "#/components/pathItems/P"},
                "body-ref": {"post": {"requestBody": {"$ref": "#/components/requestBodies/B"}}},
                "no-body": {"put": {"parameters": [{"name": "H", "in": "header", "schema": {"type": "string"}}]}},
                "odd-body": {"post": {"requestBody": "text"}},
                "example": {"post": {"parameters": [{"$ref": "#/components/parameters/Trace"}]}},
                "not-an-item": 5
            },
            "components": {
                "schemas": {"S": {"type": "string", "nullable": true}},
                "parameters": {"Trace": {"name": "X-Trace", "in": "header", "schema": {"type": "string"}}},
                "examples": {"E": {"value": 1}},
                "requestBodies": {"B": {"content": {"application/json": {"schema": {"type": "integer"}}}}},
                "responses": {"Bad": {"description": "bad"}},
                "callbacks": {"CB": {"{$request.query.cb}": {"post": {"responses": {"204": {"description": "no"}}}}}},
                "pathItems": {"P": {"summary": "target", "post": {"responses": {"200": {"description": "ok"}}}}}
            },
            "x-root": 1
        })
    }

    #[test]
    fn owned_conversion_matches_on_edge_cases() {
        let doc = webhook_doc();
        assert_eq!(check_local_refs(&doc, "f", true).ok(), Some(true));
        let version = openapi::Version {
            raw: "3.1.0".into(),
            dialect: Dialect::Oas31,
        };
        let out = convert(&doc, &version, "f", &Options::default()).unwrap();
        assert_eq!(out.document["channels"].as_object().map(Obj::len), Some(9));
        assert_owned_matches(&doc, "webhooks.json");

        // 3.0 with both spellings of webhooks.
        let mut d30 = doc.clone();
        d30["openapi"] = json!("3.0.3");
        d30["x-webhooks"] = d30["webhooks"].clone();
        assert_owned_matches(&d30, "webhooks-30.json");

        // A reference into the webhooks: they cannot be taken out of the document.
        let mut into = doc.clone();
        into["webhooks"]["alias"] = json!({"$ref": "#/webhooks/full"});
        assert_eq!(check_local_refs(&into, "f", true).ok(), Some(false));
        assert_owned_matches(&into, "into.json");
        let mut from_data = doc.clone();
        from_data["components"]["examples"]["F"] = json!({"value": {"$ref": "#/webhooks/full"}});
        assert_eq!(check_local_refs(&from_data, "f", true).ok(), Some(false));
        assert_owned_matches(&from_data, "from-data.json");

        // Errors come out the same.
        let mut broken = doc.clone();
        broken["webhooks"]["full"]["post"]["parameters"][0] = json!({"$ref": "#/nowhere"});
        assert_owned_matches(&broken, "broken.json");
        let mut broken_late = doc.clone();
        broken_late["webhooks"]["example"]["post"]["parameters"][0] = json!({"$ref": "#/nowhere"});
        assert_owned_matches(&broken_late, "broken-late.json");

        let mut not_a_map = doc;
        not_a_map["webhooks"] = json!(["a"]);
        assert_owned_matches(&not_a_map, "not-a-map.json");
    }
}
