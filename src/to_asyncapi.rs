//! OpenAPI 3.0/3.1 -> AsyncAPI 3.0 with HTTP bindings.
//!
//! Native AsyncAPI fields carry everything AsyncAPI can express; the rest of each OpenAPI
//! object rides in an `x-openapi-*` record beside it (see docs/mapping.md), so that
//! the reverse direction rebuilds the original exactly.

use serde_json::{Map, Value};

use crate::asyncapi::{self, is_extension_name, reference, sanitize_id, Ids};
use crate::diagnostics::{codes, Diagnostic, Error};
use crate::dialect::{self, Dialect};
use crate::openapi::{self, Version, METHODS};
use crate::pointer;
use crate::runtime_expr::{Segment, Template};

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
    let empty = Map::new();
    let root = doc.as_object().unwrap_or(&empty);
    let mut c = Converter {
        doc,
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
    };
    let document = c.document()?;
    Ok(Output {
        document,
        diagnostics: c.diagnostics,
    })
}

type Obj = Map<String, Value>;

struct Converter<'a> {
    doc: &'a Value,
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
struct ChannelCtx {
    id: String,
    action: &'static str,
    /// Path parameters become channel parameters only where the address holds them.
    // (path parameters are not native: channel parameters hold no schema)
    /// Query items of a callback URL, added to every operation's query schema.
    callback_query: Obj,
    /// Path-Item-level parameters, already resolved.
    shared_params: Vec<Value>,
}

/// A parameter resolved for native placement.
struct Param {
    name: String,
    location: String,
    target: Value,
}

impl<'a> Converter<'a> {
    fn document(&mut self) -> Result<Value, Error> {
        check_local_refs(self.doc, self.file)?;
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
                    self.webhooks(key, value)?;
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
        let components = self.components(&mut record);
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        for (key, value) in self.root {
            match key.as_str() {
                "openapi" | "info" | "paths" | "webhooks" | "x-webhooks" | "components"
                | "tags" | "externalDocs" => {}
                k if is_extension_name(k) && !is_reserved(k) => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {
                    record.insert(key.clone(), value.clone());
                }
            }
        }
        out.insert("x-openapi".into(), Value::Object(record));
        let mut doc = Value::Object(out);
        asyncapi::escape_data_refs(&mut doc);
        Ok(doc)
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

    fn components(&mut self, record: &mut Obj) -> Obj {
        let mut out = Obj::new();
        let Some(src) = self.root.get("components").and_then(Value::as_object) else {
            return out;
        };
        let mut kept = Obj::new();
        for (kind, value) in src {
            match (kind.as_str(), value) {
                ("schemas", Value::Object(schemas)) => {
                    let converted = schemas
                        .iter()
                        .map(|(k, s)| (k.clone(), self.component_schema(s)))
                        .collect();
                    out.insert(kind.clone(), Value::Object(converted));
                }
                ("securitySchemes", Value::Object(schemes)) => {
                    let converted = schemes
                        .iter()
                        .map(|(k, s)| {
                            (
                                k.clone(),
                                asyncapi::security_scheme_to_asyncapi(
                                    &with_foreign_extensions_kept(s),
                                ),
                            )
                        })
                        .collect();
                    out.insert(kind.clone(), Value::Object(converted));
                }
                _ => {
                    kept.insert(kind.clone(), value.clone());
                }
            }
        }
        if !kept.is_empty() {
            record.insert("components".into(), Value::Object(kept));
        }
        out
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
    fn payload_schema(&self, schema: &Value) -> Value {
        match self.options.schema_format {
            SchemaFormat::AsyncApi => self.plain_schema(schema),
            SchemaFormat::OpenApi => self.multi_format(schema, true),
        }
    }

    fn component_schema(&self, schema: &Value) -> Value {
        match self.options.schema_format {
            SchemaFormat::AsyncApi => self.plain_schema(schema),
            SchemaFormat::OpenApi => self.multi_format(schema, false),
        }
    }

    /// Wraps a verbatim OpenAPI schema in a Multi Format Schema Object. References to
    /// components point at the wrapped `schema` so both sides have the same format.
    fn multi_format(&self, schema: &Value, top_ref_is_plain: bool) -> Value {
        if top_ref_is_plain && openapi::ref_of(schema).is_some() {
            return schema.clone();
        }
        let format = match self.dialect() {
            Dialect::Oas30 => "application/vnd.oai.openapi+json;version=3.0.0",
            Dialect::Oas31 => "application/vnd.oai.openapi+json;version=3.1.0",
        };
        let mut inner = schema.clone();
        rewrite_schema_refs(&mut inner);
        let mut m = Obj::new();
        m.insert("schemaFormat".into(), format.into());
        m.insert("schema".into(), inner);
        Value::Object(m)
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
                self.path_item(Origin::Path { path: path.clone() }, &at, item)?;
            } else {
                self.callbacks_of_path(path, &at, item)?;
            }
        }
        Ok(extensions)
    }

    /// Default scope: paths are not converted, but their callbacks are.
    fn callbacks_of_path(&mut self, path: &str, at: &str, raw: &Value) -> Result<(), Error> {
        let (item, _) = self.deref(raw, at)?;
        let Some(item) = item.as_object() else {
            return Ok(());
        };
        for method in METHODS {
            if let Some(Value::Object(op)) = item.get(method) {
                if op.contains_key("callbacks") {
                    let key = operation_key_base(op, method, path);
                    self.callbacks(&pointer::push(at, method), &key, op)?;
                }
            }
        }
        Ok(())
    }

    fn webhooks(&mut self, key: &str, webhooks: &'a Value) -> Result<(), Error> {
        if key == "webhooks" && self.dialect() == Dialect::Oas30 {
            let msg = "`webhooks` needs OpenAPI 3.1; in 3.0 use `x-webhooks` (converted anyway)"
                .to_string();
            self.warn(codes::WEBHOOKS_IN_30, "/webhooks", msg);
        }
        let Some(webhooks) = webhooks.as_object() else {
            let msg = format!(
                "`{key}` must be a mapping of webhook names to Path Items; nothing was converted"
            );
            self.warn(codes::INVALID_STRUCTURE, &pointer::join([key]), msg);
            return Ok(());
        };
        for (name, item) in webhooks {
            let at = pointer::join([key, name.as_str()]);
            let origin = Origin::Webhook {
                key: key.to_string(),
                name: name.clone(),
            };
            self.path_item(origin, &at, item)?;
        }
        Ok(())
    }

    fn callbacks(&mut self, op_pointer: &str, op_key: &str, op: &Obj) -> Result<(), Error> {
        let Some(Value::Object(callbacks)) = op.get("callbacks") else {
            return Ok(());
        };
        for (name, raw) in callbacks {
            let at = pointer::join_to(op_pointer, ["callbacks", name.as_str()]);
            let (callback, cb_ref) = self.deref(raw, &at)?;
            let Some(callback) = callback.as_object() else {
                continue;
            };
            let mut extensions = Obj::new();
            let mut expressions = 0;
            for (expression, item) in callback {
                if expression.starts_with("x-") {
                    extensions.insert(expression.clone(), item.clone());
                    continue;
                }
                expressions += 1;
                let mut record = Obj::new();
                record.insert(
                    "parent".into(),
                    Value::String(pointer::to_fragment(op_pointer)),
                );
                record.insert("name".into(), Value::String(name.clone()));
                record.insert("expression".into(), Value::String(expression.clone()));
                if let Some(r) = &cb_ref {
                    record.insert("ref".into(), Value::String(r.clone()));
                }
                if expressions == 1 && !extensions.is_empty() && cb_ref.is_none() {
                    record.insert(
                        "extensions".into(),
                        Value::Object(std::mem::take(&mut extensions)),
                    );
                }
                let origin = Origin::Callback(CallbackOrigin {
                    parent_key: op_key.to_string(),
                    name: name.clone(),
                    expression: expression.clone(),
                    record,
                });
                let item_at = pointer::push(&at, expression);
                self.path_item(origin, &item_at, item)?;
            }
            if expressions == 0 {
                let msg = format!("callback `{name}` has no URL expression, so there is no channel to make; it is left out");
                self.warn(codes::LOSSY, &at, msg);
            } else if !extensions.is_empty() && cb_ref.is_none() {
                // Extensions written after the first expression: attach them to the first channel.
                self.attach_late_callback_extensions(op_pointer, name, extensions);
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

    fn path_item(&mut self, origin: Origin, at: &str, raw: &Value) -> Result<(), Error> {
        let (target, item_ref) = self.deref(raw, at)?;
        let Some(target) = target.as_object() else {
            let msg = "a Path Item must be a mapping; this one was not converted".to_string();
            self.warn(codes::INVALID_STRUCTURE, at, msg);
            return Ok(());
        };
        let item = merged_path_item(raw, target, item_ref.is_some());
        let (base_id, action) = self.channel_base(&origin);
        let id = self.channel_ids.unique(&sanitize_id(&base_id));

        let mut channel = Obj::new();
        let mut record = Obj::new();
        if item_ref.is_some() {
            record.insert("ref".into(), raw.clone());
        }
        let (address, address_params, callback_query) = self.address(&origin, at, &item);
        channel.insert("address".into(), address);
        for key in ["summary", "description"] {
            if let Some(v) = item.get(key) {
                channel.insert(key.into(), v.clone());
            }
        }
        let shared_params =
            self.resolve_params(item.get("parameters"), &pointer::push(at, "parameters"))?;
        if let Some(v) = item.get("parameters") {
            record.insert("parameters".into(), v.clone());
        }
        if !address_params.is_empty() {
            channel.insert("parameters".into(), Value::Object(address_params));
        }
        channel.insert("messages".into(), Value::Object(Obj::new()));
        for (key, value) in &item {
            let known = matches!(
                key.as_str(),
                "$ref" | "summary" | "description" | "parameters"
            ) || METHODS.contains(&key.as_str());
            if known {
                continue;
            }
            if is_extension_name(key) && !is_reserved(key) {
                channel.insert(key.clone(), value.clone());
            } else {
                record.insert(key.clone(), value.clone());
            }
        }
        self.origin_record(&origin, &mut channel);
        if !record.is_empty() {
            channel.insert("x-openapi-path-item".into(), Value::Object(record));
        }
        self.channels.insert(id.clone(), Value::Object(channel));

        let ctx = ChannelCtx {
            id,
            action,
            callback_query,
            shared_params,
        };
        let op_pointer_base = at.to_string();
        for method in METHODS {
            if let Some(op) = item.get(method) {
                let op_at = pointer::push(&op_pointer_base, method);
                let Some(op) = op.as_object() else {
                    self.warn(
                        codes::INVALID_STRUCTURE,
                        &op_at,
                        "an Operation must be a mapping; skipped".into(),
                    );
                    continue;
                };
                let key = self.operation(&ctx, method, &op_at, op)?;
                self.callbacks(&op_at, &key, op)?;
            }
        }
        Ok(())
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

    fn resolve_params(&self, list: Option<&Value>, at: &str) -> Result<Vec<Value>, Error> {
        let Some(Value::Array(list)) = list else {
            return Ok(Vec::new());
        };
        let mut out = Vec::with_capacity(list.len());
        for (i, p) in list.iter().enumerate() {
            let (target, _) = self.deref(p, &pointer::push(at, &i.to_string()))?;
            out.push(target.clone());
        }
        Ok(out)
    }

    fn operation(
        &mut self,
        ch: &ChannelCtx,
        method: &str,
        at: &str,
        op: &Obj,
    ) -> Result<String, Error> {
        let mut record = Obj::new();
        let key = self.operation_key(ch, method, op, &mut record);
        let msg_base = sanitize_id(&key);
        let mut out = Obj::new();
        out.insert("action".into(), ch.action.into());
        out.insert(
            "channel".into(),
            reference(&pointer::join(["channels", ch.id.as_str()])),
        );
        for field in ["summary", "description"] {
            if let Some(v) = op.get(field) {
                out.insert(field.into(), v.clone());
            }
        }
        if let Some(Value::Array(tags)) = op.get("tags") {
            let tags = tags
                .iter()
                .map(|t| Value::Object(Obj::from_iter([("name".to_string(), t.clone())])));
            out.insert("tags".into(), Value::Array(tags.collect()));
        }
        if let Some(docs) = op.get("externalDocs") {
            out.insert("externalDocs".into(), with_foreign_extensions_kept(docs));
        }
        self.operation_security(op, &mut out, &mut record);

        let params = self.effective_params(ch, op, at, &mut record)?;
        let headers = object_schema(self, &params, "header");
        let mut query = object_schema(self, &params, "query");
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

        let requests = self.request_messages(&msg_base, at, op, &headers, &mut record)?;
        out.insert("messages".into(), self.insert_messages(&ch.id, requests));
        if let Some(responses) = op.get("responses") {
            let replies = self.response_messages(
                &msg_base,
                &pointer::push(at, "responses"),
                responses,
                &mut record,
            )?;
            let mut reply = Obj::new();
            reply.insert(
                "channel".into(),
                reference(&pointer::join(["channels", ch.id.as_str()])),
            );
            reply.insert("messages".into(), self.insert_messages(&ch.id, replies));
            out.insert("reply".into(), Value::Object(reply));
        }
        for (k, v) in op {
            let native = matches!(
                k.as_str(),
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
            if is_extension_name(k) && !is_reserved(k) {
                out.insert(k.clone(), v.clone());
            } else {
                record.insert(k.clone(), v.clone());
            }
        }
        if !record.is_empty() {
            out.insert("x-openapi-operation".into(), Value::Object(record));
        }
        self.operations.insert(key.clone(), Value::Object(out));
        Ok(key)
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
        let id = op.get("operationId");
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
    fn insert_messages(&mut self, channel_id: &str, messages: Vec<(String, Value)>) -> Value {
        let mut refs = Vec::with_capacity(messages.len());
        if let Some(Value::Object(channel)) = self.channels.get_mut(channel_id) {
            if let Some(Value::Object(map)) = channel.get_mut("messages") {
                for (id, message) in messages {
                    refs.push(reference(&pointer::join([
                        "channels",
                        channel_id,
                        "messages",
                        id.as_str(),
                    ])));
                    map.insert(id, message);
                }
            }
        }
        Value::Array(refs)
    }

    /// Path-Item and Operation parameters merged (operation wins on name + location).
    /// Operation-level parameters are recorded without the schema placed natively.
    fn effective_params(
        &self,
        ch: &ChannelCtx,
        op: &Obj,
        at: &str,
        record: &mut Obj,
    ) -> Result<Vec<Param>, Error> {
        let own = self.resolve_params(op.get("parameters"), &pointer::push(at, "parameters"))?;
        let mut params: Vec<Param> = Vec::new();
        for p in ch.shared_params.iter().chain(own.iter()) {
            let Some(param) = as_param(p) else { continue };
            params.retain(|q| !(q.name == param.name && q.location == param.location));
            params.push(param);
        }
        if let Some(Value::Array(list)) = op.get("parameters") {
            let entries = list.iter().map(|raw| self.param_entry(raw)).collect();
            record.insert("parameters".into(), Value::Array(entries));
        }
        Ok(params)
    }

    /// The record of one operation-level parameter: verbatim, minus a schema that AsyncAPI holds.
    fn param_entry(&self, raw: &Value) -> Value {
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

    fn operation_security(&self, op: &Obj, out: &mut Obj, record: &mut Obj) {
        let Some(security) = op.get("security") else {
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

    fn request_messages(
        &mut self,
        base: &str,
        at: &str,
        op: &Obj,
        headers: &Obj,
        record: &mut Obj,
    ) -> Result<Vec<(String, Value)>, Error> {
        let id_base = format!("{base}.request");
        let Some(raw) = op.get("requestBody") else {
            let mut m = Obj::new();
            insert_headers(&mut m, headers);
            return Ok(vec![(self.message_ids.unique(&id_base), Value::Object(m))]);
        };
        let body_at = pointer::push(at, "requestBody");
        let (body, body_ref) = self.deref(raw, &body_at)?;
        let empty = Obj::new();
        let body = body.as_object().unwrap_or(&empty);
        let mut body_record = match body_ref {
            Some(_) => raw.as_object().cloned().unwrap_or_default(),
            None => body.clone(),
        };
        if body_ref.is_none() {
            body_record.shift_remove("content");
            body_record.shift_remove("description");
        }
        record.insert("requestBody".into(), Value::Object(body_record));
        let description = body.get("description");
        let content = body.get("content").and_then(Value::as_object);
        let mut out = Vec::new();
        let media_types: Vec<_> = content.map(|c| c.iter().collect()).unwrap_or_default();
        let many = media_types.len() > 1;
        for (media_type, mt) in media_types {
            let id = self
                .message_ids
                .unique(&message_id(&id_base, media_type, many));
            let mut m = self.media_type_message(media_type, mt);
            if let Some(d) = description {
                m.shift_insert(0, "description".into(), d.clone());
            }
            insert_headers(&mut m, headers);
            out.push((id, Value::Object(m)));
        }
        if out.is_empty() {
            let mut m = Obj::new();
            if let Some(d) = description {
                m.insert("description".into(), d.clone());
            }
            insert_headers(&mut m, headers);
            out.push((self.message_ids.unique(&id_base), Value::Object(m)));
        }
        Ok(out)
    }

    /// One media type of a body: payload, examples, and the rest recorded.
    fn media_type_message(&self, media_type: &str, mt: &Value) -> Obj {
        let mut m = Obj::new();
        m.insert("contentType".into(), Value::String(media_type.to_string()));
        let Some(mt) = mt.as_object() else {
            m.insert("x-openapi-media-type".into(), mt.clone());
            return m;
        };
        if let Some(schema) = mt.get("schema") {
            m.insert("payload".into(), self.payload_schema(schema));
        }
        let mut record = Obj::new();
        let mut examples = Vec::new();
        for (k, v) in mt {
            match k.as_str() {
                "schema" => {}
                "example" => examples.push(message_example(None, v)),
                "examples" => self.named_examples(v, &mut examples, &mut record),
                _ => {
                    record.insert(k.clone(), v.clone());
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
    fn named_examples(&self, v: &Value, out: &mut Vec<Value>, record: &mut Obj) {
        let Some(map) = v.as_object() else {
            record.insert("examples".into(), v.clone());
            return;
        };
        let mut kept = Obj::new();
        for (name, ex) in map {
            let native = ex
                .as_object()
                .filter(|e| !e.contains_key("$ref") && e.contains_key("value"));
            match native {
                Some(e) => {
                    out.push(message_example(
                        Some((name, e.get("summary"))),
                        e.get("value").unwrap_or(&Value::Null),
                    ));
                    let mut rest = e.clone();
                    rest.shift_remove("value");
                    rest.shift_remove("summary");
                    kept.insert(name.clone(), Value::Object(rest));
                }
                None => {
                    kept.insert(name.clone(), ex.clone());
                }
            }
        }
        record.insert("examples".into(), Value::Object(kept));
    }

    /// Reply messages, one per status code and media type. Extensions of the Responses
    /// Object itself go to the operation record.
    fn response_messages(
        &mut self,
        base: &str,
        at: &str,
        responses: &Value,
        op_record: &mut Obj,
    ) -> Result<Vec<(String, Value)>, Error> {
        let mut out = Vec::new();
        let Some(responses) = responses.as_object() else {
            return Ok(out);
        };
        let mut extensions = Obj::new();
        for (status, raw) in responses {
            let status_at = pointer::push(at, status);
            if status.starts_with("x-") {
                extensions.insert(status.clone(), raw.clone());
                continue;
            }
            let (response, response_ref) = self.deref(raw, &status_at)?;
            let empty = Obj::new();
            let response = response.as_object().unwrap_or(&empty);
            let id_base = format!("{base}.response.{}", sanitize_id(status));
            let mut record = match &response_ref {
                Some(_) => Obj::from_iter([("ref".to_string(), raw.clone())]),
                None => response.clone(),
            };
            if response_ref.is_none() {
                record.shift_remove("description");
                // An empty `content: {}` has no message to carry it, so it stays recorded.
                if response
                    .get("content")
                    .and_then(Value::as_object)
                    .is_some_and(|c| !c.is_empty())
                {
                    record.shift_remove("content");
                }
            }
            let headers = self.response_headers(
                response,
                &status_at,
                response_ref.is_none().then_some(&mut record),
            )?;
            let content: Vec<_> = response
                .get("content")
                .and_then(Value::as_object)
                .map(|c| c.iter().collect())
                .unwrap_or_default();
            let many = content.len() > 1;
            let mut messages = Vec::new();
            for (media_type, mt) in content {
                let m = self.media_type_message(media_type, mt);
                messages.push((message_id(&id_base, media_type, many), m));
            }
            if messages.is_empty() {
                messages.push((id_base.clone(), Obj::new()));
            }
            for (i, (id, mut m)) in messages.into_iter().enumerate() {
                if let Some(d) = response.get("description") {
                    m.shift_insert(0, "description".into(), d.clone());
                }
                insert_headers(&mut m, &headers);
                status_binding(&mut m, status);
                let mut rec = if i == 0 {
                    std::mem::take(&mut record)
                } else {
                    Obj::new()
                };
                if status.parse::<u16>().is_err() || status.len() != 3 {
                    rec.shift_insert(0, "status".into(), Value::String(status.clone()));
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
        response: &Obj,
        at: &str,
        record: Option<&mut Obj>,
    ) -> Result<Obj, Error> {
        let mut schema = Obj::new();
        let Some(Value::Object(headers)) = response.get("headers") else {
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
            if h.get("required").and_then(Value::as_bool) == Some(true) {
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
    let Some(obj) = v.as_object() else {
        return v.clone();
    };
    let mut out = Obj::new();
    let mut kept = Obj::new();
    for (k, child) in obj {
        if k.starts_with("x-") {
            if is_extension_name(k) && !is_reserved(k) {
                out.insert(k.clone(), child.clone());
            } else {
                kept.insert(k.clone(), child.clone());
            }
        } else if matches!(
            k.as_str(),
            "externalDocs"
                | "flows"
                | "implicit"
                | "password"
                | "clientCredentials"
                | "authorizationCode"
        ) {
            out.insert(k.clone(), with_foreign_extensions_kept(child));
        } else {
            out.insert(k.clone(), child.clone());
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

/// A `$ref`'d Path Item with sibling fields (3.1): siblings override the target's.
fn merged_path_item(raw: &Value, target: &Obj, is_ref: bool) -> Obj {
    let mut item = target.clone();
    if is_ref {
        if let Some(raw) = raw.as_object() {
            for (k, v) in raw {
                if k != "$ref" {
                    item.insert(k.clone(), v.clone());
                }
            }
        }
    }
    item
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

fn as_param(p: &Value) -> Option<Param> {
    let o = p.as_object()?;
    Some(Param {
        name: o.get("name")?.as_str()?.to_string(),
        location: o.get("in")?.as_str()?.to_string(),
        target: p.clone(),
    })
}

/// The schema of a Parameter or Header: `schema`, or the one media type of `content`.
fn param_schema(p: &Obj) -> Option<&Value> {
    if let Some(s) = p.get("schema") {
        return Some(s);
    }
    p.get("content")?
        .as_object()?
        .values()
        .next()?
        .get("schema")
}

/// Header or query parameters as one object schema (the AsyncAPI place for them).
fn object_schema(c: &Converter, params: &[Param], location: &str) -> Obj {
    let mut props = Obj::new();
    let mut required = Vec::new();
    for p in params.iter().filter(|p| p.location == location) {
        let Some(obj) = p.target.as_object() else {
            continue;
        };
        let schema = param_schema(obj)
            .map(|s| c.plain_schema(s))
            .unwrap_or_else(|| Value::Object(Obj::new()));
        props.insert(p.name.clone(), schema);
        if obj.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(Value::String(p.name.clone()));
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

fn insert_headers(message: &mut Obj, headers: &Obj) {
    if !headers.is_empty() {
        message.insert("headers".into(), Value::Object(headers.clone()));
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

fn message_example(named: Option<(&String, Option<&Value>)>, value: &Value) -> Value {
    let mut e = Obj::new();
    if let Some((name, summary)) = named {
        e.insert("name".into(), Value::String(name.clone()));
        if let Some(s) = summary {
            e.insert("summary".into(), s.clone());
        }
    }
    e.insert("payload".into(), value.clone());
    Value::Object(e)
}

/// `#/components/schemas/X` -> `#/components/schemas/X/schema` inside wrapped schemas.
fn rewrite_schema_refs(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                if k == "$ref" {
                    if let Value::String(s) = child {
                        if let Some(rest) = s.strip_prefix("#/components/schemas/") {
                            if !rest.contains('/') {
                                *s = format!("{s}/schema");
                            }
                        }
                    }
                } else if !matches!(
                    k.as_str(),
                    "example" | "examples" | "enum" | "const" | "default"
                ) && !k.starts_with("x-")
                {
                    rewrite_schema_refs(child);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(rewrite_schema_refs),
        _ => {}
    }
}

/// Every local `$ref` must resolve before we start. Example values are data, not references.
fn check_local_refs(doc: &Value, file: &str) -> Result<(), Error> {
    let mut path = Vec::new();
    match find_broken_ref(doc, doc, &mut path, false) {
        Some(r) => {
            let at = pointer::join(path.iter().map(|t: &Token| t.to_string()));
            let msg = format!("`$ref` target `{r}` does not exist in this document");
            Err(Diagnostic::error(codes::UNRESOLVED_REF, file, &at, msg).into())
        }
        None => Ok(()),
    }
}

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

/// Depth-first search for a local `$ref` that does not resolve; `path` ends at it.
fn find_broken_ref<'v>(
    doc: &Value,
    node: &'v Value,
    path: &mut Vec<Token<'v>>,
    example_map: bool,
) -> Option<&'v str> {
    match node {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                if r.starts_with('#') && openapi::lookup(doc, r).is_none() {
                    return Some(r);
                }
            }
            for (k, child) in m {
                let data = matches!(k.as_str(), "example" | "default" | "enum" | "const")
                    || k.starts_with("x-");
                if data || (example_map && k == "value") || !(child.is_object() || child.is_array())
                {
                    continue;
                }
                // A map of Example Objects: their `value`s are data.
                let examples = k == "examples" && child.is_object();
                if k == "examples" && child.is_array() {
                    continue;
                }
                path.push(Token::Key(k));
                let found = match (examples, child) {
                    (true, Value::Object(entries)) => entries.iter().find_map(|(name, e)| {
                        path.push(Token::Key(name));
                        let r = find_broken_ref(doc, e, path, true);
                        if r.is_none() {
                            path.pop();
                        }
                        r
                    }),
                    _ => find_broken_ref(doc, child, path, false),
                };
                if found.is_some() {
                    return found;
                }
                path.pop();
            }
            None
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                path.push(Token::Index(i));
                if let Some(r) = find_broken_ref(doc, child, path, false) {
                    return Some(r);
                }
                path.pop();
            }
            None
        }
        _ => None,
    }
}
