//! AsyncAPI 3.0 -> OpenAPI 3.1 (or 3.0 when the document came from 3.0).
//!
//! Native AsyncAPI fields are authoritative; the `x-openapi-*` records written by
//! [`crate::convert::to_asyncapi`] restore whatever AsyncAPI cannot hold (see docs/mapping.md).
//! Documents written by hand (no records) map HTTP-bound `send` operations to webhooks and
//! `receive` operations on an address to paths.

use serde_json::{Map, Value};

use crate::asyncapi::{self, is_extension_name};
use crate::convert::dialect::{self, Dialect};
use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::pointer;
use crate::openapi::{self, METHODS};

type Obj = Map<String, Value>;

/// A converted document and what was noticed on the way.
#[derive(Debug, Clone)]
pub struct Output {
    pub document: Value,
    pub diagnostics: Vec<Diagnostic>,
}

/// Converts an AsyncAPI 3.0 document.
pub fn convert(doc: &Value, file: &str) -> Result<Output, Error> {
    let mut src = doc.clone();
    asyncapi::unescape_data_refs(&mut src);
    let empty = Obj::new();
    let root = src.as_object().unwrap_or(&empty);
    let record = root
        .get("x-openapi")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let version = record
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or("3.1.0")
        .to_string();
    let dialect = Dialect::from_openapi_version(&version).unwrap_or(Dialect::Oas31);
    let mut c = Converter {
        doc: &src,
        src: root,
        file,
        record,
        dialect,
        out: Obj::new(),
        inline_schemes: Obj::new(),
        diagnostics: Vec::new(),
    };
    c.document(&version)?;
    Ok(Output {
        document: Value::Object(c.out),
        diagnostics: c.diagnostics,
    })
}

struct Converter<'a> {
    doc: &'a Value,
    src: &'a Obj,
    file: &'a str,
    /// The root `x-openapi` record (empty for documents written by hand).
    record: Obj,
    dialect: Dialect,
    out: Obj,
    /// Security schemes written inline in operations (documents written by hand).
    inline_schemes: Obj,
    diagnostics: Vec<Diagnostic>,
}

/// What an AsyncAPI channel stands for in OpenAPI.
enum Place {
    Webhook { key: String, name: String },
    Callback(Obj),
    Path(String),
}

impl<'a> Converter<'a> {
    fn document(&mut self, version: &str) -> Result<(), Error> {
        self.out
            .insert("openapi".into(), Value::String(version.to_string()));
        self.info();
        for (k, v) in self.record.clone() {
            if !matches!(
                k.as_str(),
                "openapi" | "perspective" | "webhooks" | "info" | "components" | "paths"
            ) {
                self.out.insert(k, v);
            }
        }
        if !self.record.contains_key("servers") {
            if let Some(servers) = hand_written_servers(self.src) {
                self.out.insert("servers".into(), servers);
            }
        }
        self.prepare_containers();
        let channels = self
            .src
            .get("channels")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for (id, channel) in &channels {
            self.channel(id, channel)?;
        }
        self.components();
        for (k, v) in self.src {
            if is_extension_name(k) && !is_reserved(k) {
                self.out.insert(k.clone(), v.clone());
            }
        }
        self.finish_paths();
        Ok(())
    }

    fn warn(&mut self, code: &'static str, at: &str, message: String) {
        self.diagnostics
            .push(Diagnostic::warning(code, self.file, at, message));
    }

    fn info(&mut self) {
        let mut info = self
            .src
            .get("info")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let tags = info.shift_remove("tags");
        let docs = info.shift_remove("externalDocs");
        if let Some(Value::Object(kept)) = self.record.get("info") {
            for (k, v) in kept {
                match (k.as_str(), v, info.get_mut("license")) {
                    ("license", Value::Object(extra), Some(Value::Object(license))) => {
                        license.extend(extra.clone());
                    }
                    _ => {
                        info.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        for field in ["contact", "license"] {
            if let Some(v) = info.get_mut(field) {
                *v = restore_extensions(v);
            }
        }
        self.out.insert("info".into(), Value::Object(info));
        if let Some(Value::Array(tags)) = tags {
            self.out.insert(
                "tags".into(),
                Value::Array(tags.iter().map(restore_extensions).collect()),
            );
        }
        if let Some(docs) = docs {
            self.out
                .insert("externalDocs".into(), restore_extensions(&docs));
        }
    }

    /// `paths` and `webhooks` exist in the output where the original had them.
    fn prepare_containers(&mut self) {
        let mut paths = Obj::new();
        if let Some(Value::Object(ext)) = self.record.get("paths") {
            paths.extend(ext.clone());
        }
        self.out.insert("paths".into(), Value::Object(paths));
        for key in self.webhook_keys() {
            self.out.insert(key, Value::Object(Obj::new()));
        }
    }

    fn webhook_keys(&self) -> Vec<String> {
        match self.record.get("webhooks") {
            Some(Value::String(k)) => vec![k.clone()],
            Some(Value::Array(ks)) => ks
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        }
    }

    fn default_webhook_key(&self) -> String {
        if let Some(first) = self.webhook_keys().into_iter().next() {
            return first;
        }
        match self.dialect {
            Dialect::Oas30 => "x-webhooks".into(),
            Dialect::Oas31 => "webhooks".into(),
        }
    }

    /// An empty `paths` stays only where the original had one: a record written by a conversion
    /// (it always states the perspective) records `paths` whenever there was one. Without such a
    /// record, 3.0, which requires `paths`, keeps an empty one.
    fn finish_paths(&mut self) {
        let empty = self
            .out
            .get("paths")
            .and_then(Value::as_object)
            .is_some_and(Obj::is_empty);
        let from_conversion = self.record.contains_key("perspective");
        let required = self.dialect == Dialect::Oas30 && !from_conversion;
        if empty && !required && !self.record.contains_key("paths") {
            self.out.shift_remove("paths");
        }
        let order = [
            "openapi",
            "info",
            "jsonSchemaDialect",
            "servers",
            "security",
            "tags",
            "externalDocs",
            "paths",
        ];
        let mut sorted = Obj::new();
        for k in order {
            if let Some(v) = self.out.shift_remove(k) {
                sorted.insert(k.into(), v);
            }
        }
        sorted.extend(std::mem::take(&mut self.out));
        self.out = sorted;
    }

    fn components(&mut self) {
        let mut out = Obj::new();
        if let Some(Value::Object(src)) = self.src.get("components") {
            if let Some(Value::Object(schemas)) = src.get("schemas") {
                let converted = schemas
                    .iter()
                    .map(|(k, s)| (k.clone(), self.schema_back(s, false)))
                    .collect();
                out.insert("schemas".into(), Value::Object(converted));
            }
            if let Some(Value::Object(schemes)) = src.get("securitySchemes") {
                let converted = schemes
                    .iter()
                    .map(|(k, s)| {
                        (
                            k.clone(),
                            restore_extensions(&asyncapi::security_scheme_to_openapi(s)),
                        )
                    })
                    .collect();
                out.insert("securitySchemes".into(), Value::Object(converted));
            }
        }
        if !self.inline_schemes.is_empty() {
            let slot = out
                .entry("securitySchemes")
                .or_insert_with(|| Value::Object(Obj::new()));
            if let Value::Object(m) = slot {
                m.extend(std::mem::take(&mut self.inline_schemes));
            }
        }
        if let Some(Value::Object(kept)) = self.record.get("components") {
            for (k, v) in kept {
                out.insert(k.clone(), v.clone());
            }
        }
        if !out.is_empty() {
            self.out.insert("components".into(), Value::Object(out));
        }
    }

    // ----- schemas --------------------------------------------------------------------------

    /// AsyncAPI schema (or Multi Format Schema Object) -> OpenAPI schema.
    fn schema_back(&self, schema: &Value, _payload: bool) -> Value {
        if let Some(obj) = schema.as_object() {
            if let (Some(Value::String(format)), Some(inner)) =
                (obj.get("schemaFormat"), obj.get("schema"))
            {
                if format.starts_with("application/vnd.oai.openapi") {
                    let mut inner = inner.clone();
                    asyncapi::map_schema_refs(&mut inner, &asyncapi::ref_out_of_wrapped_schema);
                    return inner;
                }
                if is_json_schema_format(format) {
                    return dialect::to_openapi(inner, self.dialect);
                }
                // Avro, RAML, Protobuf...: OpenAPI has no place for them; carried whole.
                return Value::Object(Obj::from_iter([(
                    "x-asyncapi-schema".into(),
                    schema.clone(),
                )]));
            }
        }
        dialect::to_openapi(schema, self.dialect)
    }

    // ----- channels -> path items -----------------------------------------------------------

    fn channel(&mut self, id: &str, channel: &Value) -> Result<(), Error> {
        let Some(ch) = channel.as_object() else {
            return Ok(());
        };
        let ops = self.operations_of(id);
        let Some(place) = self.place(id, ch, &ops) else {
            return Ok(());
        };
        let as_path = matches!(place, Place::Path(_));
        let item = match self.path_item(ch, &ops, as_path) {
            Some(item) => item,
            None => return Ok(()),
        };
        match place {
            Place::Webhook { key, name } => {
                let hooks = self
                    .out
                    .entry(key)
                    .or_insert_with(|| Value::Object(Obj::new()));
                if let Value::Object(h) = hooks {
                    h.insert(name, item);
                }
            }
            Place::Path(path) => {
                if let Some(Value::Object(paths)) = self.out.get_mut("paths") {
                    paths.insert(path, item);
                }
            }
            Place::Callback(rec) => self.attach_callback(&rec, item),
        }
        Ok(())
    }

    /// The operations on a channel, in document order.
    fn operations_of(&self, channel_id: &str) -> Vec<(String, Obj)> {
        let target = pointer::to_fragment(&pointer::join(["channels", channel_id]));
        let Some(Value::Object(ops)) = self.src.get("operations") else {
            return Vec::new();
        };
        ops.iter()
            .filter_map(|(k, op)| {
                let op = op.as_object()?;
                (openapi::ref_of(op.get("channel")?) == Some(target.as_str()))
                    .then(|| (k.clone(), op.clone()))
            })
            .collect()
    }

    fn place(&mut self, id: &str, ch: &Obj, ops: &[(String, Obj)]) -> Option<Place> {
        if let Some(Value::String(name)) = ch.get("x-openapi-webhook") {
            let key = match ch.get("x-openapi-webhook-key").and_then(Value::as_str) {
                Some(k) => k.to_string(),
                None => self.default_webhook_key(),
            };
            return Some(Place::Webhook {
                key,
                name: name.clone(),
            });
        }
        if let Some(Value::Object(rec)) = ch.get("x-openapi-callback") {
            return Some(Place::Callback(rec.clone()));
        }
        if let Some(Value::String(path)) = ch.get("x-openapi-path") {
            return Some(Place::Path(path.clone()));
        }
        self.hand_written_place(id, ch, ops)
    }

    /// A channel written by hand: HTTP-bound `send` -> webhook, `receive` on an address -> path.
    fn hand_written_place(&mut self, id: &str, ch: &Obj, ops: &[(String, Obj)]) -> Option<Place> {
        let at = pointer::join(["channels", id]);
        let http = ops
            .iter()
            .any(|(_, op)| op.get("bindings").and_then(|b| b.get("http")).is_some())
            || ch.get("bindings").and_then(|b| b.get("http")).is_some();
        let other = ch
            .get("bindings")
            .and_then(Value::as_object)
            .map(|b| b.keys().any(|k| k != "http"))
            .unwrap_or(false)
            || ops.iter().any(|(_, op)| {
                op.get("bindings")
                    .and_then(Value::as_object)
                    .is_some_and(|b| b.keys().any(|k| k != "http"))
            });
        if !http || other {
            let msg = "the channel is not bound to HTTP (no `bindings.http`), so it has no OpenAPI equivalent: it is not in the OpenAPI, only in its `x-asyncapi` record";
            self.warn(codes::LOSSY, &at, msg.to_string());
            return None;
        }
        let receives = ops
            .iter()
            .all(|(_, op)| op.get("action").and_then(Value::as_str) == Some("receive"));
        match ch.get("address").and_then(Value::as_str) {
            Some(address) if receives => Some(Place::Path(path_from_address(address))),
            Some(address) => {
                let msg = format!("a `send` channel becomes a webhook, whose key is a name: its address `{address}` has no OpenAPI place (it is kept in the `x-asyncapi` record)");
                self.warn(codes::LOSSY, &at, msg);
                Some(Place::Webhook {
                    key: self.default_webhook_key(),
                    name: id.to_string(),
                })
            }
            _ => Some(Place::Webhook {
                key: self.default_webhook_key(),
                name: id.to_string(),
            }),
        }
    }

    fn path_item(&mut self, ch: &Obj, ops: &[(String, Obj)], as_path: bool) -> Option<Value> {
        let record = ch
            .get("x-openapi-path-item")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if let Some(raw) = record.get("ref") {
            return Some(raw.clone());
        }
        let mut item = Obj::new();
        for key in ["summary", "description"] {
            if let Some(v) = ch.get(key) {
                item.insert(key.into(), v.clone());
            }
        }
        for (k, v) in &record {
            item.insert(k.clone(), v.clone());
        }
        // Path parameters only mean something on a path; a webhook's address is not its key.
        if !has_records(ch) && as_path {
            if let Some(params) = channel_path_params(ch, |p| self.resolved(p)) {
                item.insert("parameters".into(), params);
            }
        }
        for (k, v) in ch {
            if is_extension_name(k) && !is_reserved(k) {
                item.insert(k.clone(), v.clone());
            }
        }
        for (key, op) in ops {
            let method = self.method_of(key, op);
            let operation = self.operation(ch, key, op);
            item.insert(method, Value::Object(operation));
        }
        Some(Value::Object(item))
    }

    fn method_of(&mut self, key: &str, op: &Obj) -> String {
        let method = op
            .pointer_str("/bindings/http/method")
            .map(str::to_ascii_lowercase);
        match method {
            Some(m) if METHODS.contains(&m.as_str()) => m,
            _ => {
                let msg = "no HTTP method in `bindings.http.method` (or not one OpenAPI has); POST assumed";
                self.warn(
                    codes::LOSSY,
                    &pointer::join(["operations", key]),
                    msg.to_string(),
                );
                "post".to_string()
            }
        }
    }

    /// Nests a callback path item under its parent operation, making the parent if needed.
    fn attach_callback(&mut self, rec: &Obj, item: Value) {
        let (Some(parent), Some(name), Some(expression)) = (
            rec.get("parent")
                .and_then(Value::as_str)
                .and_then(pointer::from_fragment),
            rec.get("name").and_then(Value::as_str),
            rec.get("expression").and_then(Value::as_str),
        ) else {
            return;
        };
        let dialect = self.dialect;
        let Some(op) = parent_operation(&mut self.out, &parent, dialect) else {
            return;
        };
        let callbacks = op
            .entry("callbacks")
            .or_insert_with(|| Value::Object(Obj::new()));
        let Value::Object(callbacks) = callbacks else {
            return;
        };
        if let Some(r) = rec.get("ref") {
            callbacks.insert(
                name.to_string(),
                Value::Object(Obj::from_iter([("$ref".into(), r.clone())])),
            );
            return;
        }
        let cb = callbacks
            .entry(name.to_string())
            .or_insert_with(|| Value::Object(Obj::new()));
        if let Value::Object(cb) = cb {
            cb.insert(expression.to_string(), item);
            if let Some(Value::Object(ext)) = rec.get("extensions") {
                cb.extend(ext.clone());
            }
        }
    }

    // ----- operations -----------------------------------------------------------------------

    fn operation(&mut self, ch: &Obj, key: &str, op: &Obj) -> Obj {
        let record = op
            .get("x-openapi-operation")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut out = Obj::new();
        if let Some(Value::Array(tags)) = op.get("tags") {
            let names = tags
                .iter()
                .filter_map(|t| self.resolved(t).get("name"))
                .cloned()
                .collect();
            out.insert("tags".into(), Value::Array(names));
        }
        for field in ["summary", "description"] {
            if let Some(v) = op.get(field) {
                out.insert(field.into(), v.clone());
            }
        }
        if let Some(docs) = op.get("externalDocs") {
            out.insert("externalDocs".into(), restore_extensions(docs));
        }
        match record.get("operationId") {
            Some(Value::Null) => {}
            Some(id) => {
                out.insert("operationId".into(), id.clone());
            }
            None => {
                out.insert("operationId".into(), Value::String(key.to_string()));
            }
        }
        let requests = self.messages(op.get("messages"));
        let hand_written = !op.contains_key("x-openapi-operation") && !has_records(ch);
        if let Some(params) = self.parameters(op, &record, &requests, hand_written) {
            out.insert("parameters".into(), params);
        }
        if let Some(body) = self.request_body(&record, &requests) {
            out.insert("requestBody".into(), body);
        }
        if let Some(reply) = op.get("reply").and_then(Value::as_object) {
            let replies = self.messages(reply.get("messages"));
            out.insert("responses".into(), self.responses(&record, &replies));
        }
        if let Some(security) = self.security(key, op, &record) {
            out.insert("security".into(), security);
        }
        for (k, v) in op {
            if is_extension_name(k) && !is_reserved(k) {
                out.insert(k.clone(), v.clone());
            }
        }
        for (k, v) in record {
            if !matches!(
                k.as_str(),
                "operationId" | "parameters" | "requestBody" | "responses" | "security"
            ) {
                out.insert(k, v);
            }
        }
        out
    }

    /// The messages an operation (or its reply) lists, resolved (their `headers` too).
    fn messages(&self, list: Option<&Value>) -> Vec<Obj> {
        let Some(Value::Array(list)) = list else {
            return Vec::new();
        };
        list.iter()
            .filter_map(|r| {
                let mut m = self.resolved(r).as_object()?.clone();
                if let Some(h) = m.get("headers").map(|h| self.resolved(h).clone()) {
                    m.insert("headers".into(), h);
                }
                Some(m)
            })
            .collect()
    }

    /// The target of a local `$ref` (chains followed), or the value itself.
    fn resolved<'v>(&self, v: &'v Value) -> &'v Value
    where
        'a: 'v,
    {
        openapi::deref(self.doc, v, self.file, "")
            .map(|(t, _)| t)
            .unwrap_or(v)
    }

    fn parameters(
        &self,
        op: &Obj,
        record: &Obj,
        requests: &[Obj],
        hand_written: bool,
    ) -> Option<Value> {
        let headers = requests
            .first()
            .and_then(|m| m.get("headers"))
            .and_then(|h| h.get("properties"));
        let query = op.pointer_str_value("/bindings/http/query/properties");
        if let Some(Value::Array(entries)) = record.get("parameters") {
            let list = entries
                .iter()
                .map(|e| self.parameter(e, headers, query))
                .collect();
            return Some(Value::Array(list));
        }
        if !hand_written {
            return None;
        }
        let mut list = Vec::new();
        let header_required = requests
            .first()
            .and_then(|m| m.get("headers"))
            .and_then(|h| h.get("required"));
        let query_required = op.pointer_str_value("/bindings/http/query/required");
        for (location, props, required) in [
            ("header", headers, header_required),
            ("query", query, query_required),
        ] {
            let Some(Value::Object(props)) = props else {
                continue;
            };
            for (name, schema) in props {
                if schema.get("x-openapi-callback-query").is_some() {
                    continue;
                }
                let mut p = Obj::new();
                p.insert("name".into(), Value::String(name.clone()));
                p.insert("in".into(), location.into());
                if required
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|x| x == name))
                {
                    p.insert("required".into(), Value::Bool(true));
                }
                p.insert("schema".into(), self.schema_back(schema, false));
                list.push(Value::Object(p));
            }
        }
        (!list.is_empty()).then_some(Value::Array(list))
    }

    /// A recorded parameter, its schema taken back from where AsyncAPI holds it.
    fn parameter(&self, entry: &Value, headers: Option<&Value>, query: Option<&Value>) -> Value {
        let Some(e) = entry.as_object() else {
            return entry.clone();
        };
        if e.contains_key("$ref") || e.contains_key("schema") || e.contains_key("content") {
            return entry.clone();
        }
        let name = e.get("name").and_then(Value::as_str).unwrap_or_default();
        let native = match e.get("in").and_then(Value::as_str) {
            Some("header") => headers.and_then(|h| h.get(name)),
            Some("query") => query.and_then(|q| q.get(name)),
            _ => None,
        };
        let mut out = e.clone();
        if let Some(schema) = native {
            out.insert("schema".into(), self.schema_back(schema, false));
        }
        Value::Object(out)
    }

    fn request_body(&self, record: &Obj, requests: &[Obj]) -> Option<Value> {
        let recorded = record.get("requestBody");
        if let Some(Value::Object(r)) = recorded {
            if r.contains_key("$ref") {
                return recorded.cloned();
            }
        }
        let with_body: Vec<&Obj> = requests
            .iter()
            .filter(|m| m.contains_key("contentType") || m.contains_key("payload"))
            .collect();
        if recorded.is_none() && with_body.is_empty() {
            return None;
        }
        let mut body = Obj::new();
        if let Some(d) = requests.first().and_then(|m| m.get("description")) {
            body.insert("description".into(), d.clone());
        }
        body.insert("content".into(), Value::Object(self.content(&with_body)));
        if let Some(Value::Object(r)) = recorded {
            body.extend(r.clone());
        }
        Some(Value::Object(body))
    }

    /// Media types from messages: payload -> schema, message examples -> examples.
    fn content(&self, messages: &[&Obj]) -> Obj {
        let default_type = self
            .src
            .get("defaultContentType")
            .and_then(Value::as_str)
            .unwrap_or("application/json");
        let mut content = Obj::new();
        for m in messages {
            let media_type = m
                .get("contentType")
                .and_then(Value::as_str)
                .unwrap_or(default_type);
            content.insert(media_type.to_string(), self.media_type(m));
        }
        content
    }

    fn media_type(&self, m: &Obj) -> Value {
        let record = m.get("x-openapi-media-type");
        if let Some(r) = record.filter(|r| !r.is_object()) {
            return r.clone();
        }
        let record = record
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut mt = Obj::new();
        if let Some(payload) = m.get("payload") {
            mt.insert("schema".into(), self.schema_back(payload, true));
        }
        let examples = m
            .get("examples")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let recorded_names = record.get("examples").and_then(Value::as_object);
        let mut named = Obj::new();
        for ex in &examples {
            match ex.get("name").and_then(Value::as_str) {
                Some(name) => {
                    let mut e = Obj::new();
                    if let Some(s) = ex.get("summary") {
                        e.insert("summary".into(), s.clone());
                    }
                    e.insert(
                        "value".into(),
                        ex.get("payload").cloned().unwrap_or(Value::Null),
                    );
                    named.insert(name.to_string(), Value::Object(e));
                }
                None if !mt.contains_key("example") => {
                    mt.insert(
                        "example".into(),
                        ex.get("payload").cloned().unwrap_or(Value::Null),
                    );
                }
                None => {}
            }
        }
        if let Some(recorded) = recorded_names {
            let mut merged = Obj::new();
            for (name, rest) in recorded {
                let mut e = named
                    .shift_remove(name)
                    .and_then(|v| v.as_object().cloned())
                    .unwrap_or_default();
                if let Some(rest) = rest.as_object() {
                    e.extend(rest.clone());
                } else {
                    merged.insert(name.clone(), rest.clone());
                    continue;
                }
                merged.insert(name.clone(), Value::Object(e));
            }
            merged.extend(named);
            mt.insert("examples".into(), Value::Object(merged));
        } else if !named.is_empty() {
            mt.insert("examples".into(), Value::Object(named));
        }
        for (k, v) in record {
            if k != "examples" {
                mt.insert(k, v);
            }
        }
        Value::Object(mt)
    }

    fn responses(&self, record: &Obj, replies: &[Obj]) -> Value {
        let mut groups: Vec<(String, Vec<&Obj>)> = Vec::new();
        for m in replies {
            let status = reply_status(m);
            match groups.iter_mut().find(|(s, _)| *s == status) {
                Some((_, list)) => list.push(m),
                None => groups.push((status, vec![m])),
            }
        }
        let mut out = Obj::new();
        for (status, messages) in groups {
            out.insert(status, self.response(&messages));
        }
        if let Some(Value::Object(ext)) = record.get("responses") {
            out.extend(ext.clone());
        }
        Value::Object(out)
    }

    fn response(&self, messages: &[&Obj]) -> Value {
        let first = messages.first().copied();
        let mut record = first
            .and_then(|m| m.get("x-openapi-response"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        record.shift_remove("status");
        if let Some(raw) = record.get("ref") {
            return raw.clone();
        }
        let mut r = Obj::new();
        let description = first.and_then(|m| m.get("description")).cloned();
        r.insert(
            "description".into(),
            description.unwrap_or_else(|| Value::String(String::new())),
        );
        let headers = first.and_then(|m| m.get("headers"));
        if let Some(h) = self.response_headers(headers, record.get("headers")) {
            r.insert("headers".into(), h);
        }
        let with_body: Vec<&Obj> = messages
            .iter()
            .copied()
            .filter(|m| m.contains_key("contentType") || m.contains_key("payload"))
            .collect();
        if !with_body.is_empty() {
            r.insert("content".into(), Value::Object(self.content(&with_body)));
        }
        for (k, v) in record {
            if k != "headers" {
                r.insert(k, v);
            }
        }
        Value::Object(r)
    }

    fn response_headers(&self, schema: Option<&Value>, recorded: Option<&Value>) -> Option<Value> {
        let props = schema
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object);
        let required = schema
            .and_then(|s| s.get("required"))
            .and_then(Value::as_array);
        if let Some(Value::Object(recorded)) = recorded {
            let mut out = Obj::new();
            for (name, rest) in recorded {
                let mut h = rest.as_object().cloned().unwrap_or_default();
                let native = props.and_then(|p| p.get(name));
                if !h.contains_key("$ref")
                    && !h.contains_key("content")
                    && !h.contains_key("schema")
                {
                    if let Some(s) = native {
                        h.insert("schema".into(), self.schema_back(s, false));
                    }
                }
                out.insert(name.clone(), Value::Object(h));
            }
            return Some(Value::Object(out));
        }
        let props = props?;
        let mut out = Obj::new();
        for (name, s) in props {
            let mut h = Obj::new();
            if required.is_some_and(|r| r.iter().any(|x| x == name)) {
                h.insert("required".into(), Value::Bool(true));
            }
            h.insert("schema".into(), self.schema_back(s, false));
            out.insert(name.clone(), Value::Object(h));
        }
        Some(Value::Object(out))
    }

    /// An inline AsyncAPI scheme (hand-written) becomes a named OpenAPI component.
    fn inline_scheme(&mut self, op_key: &str, index: usize, scheme: &Value) -> String {
        let name = asyncapi::sanitize_id(&format!("{op_key}-security-{index}"));
        let mut scheme = asyncapi::security_scheme_to_openapi(scheme);
        if let Value::Object(m) = &mut scheme {
            m.shift_remove("scopes");
        }
        self.inline_schemes.insert(name.clone(), scheme);
        name
    }

    fn security(&mut self, key: &str, op: &Obj, record: &Obj) -> Option<Value> {
        if let Some(s) = record.get("security") {
            return Some(s.clone());
        }
        let list = op.get("security")?.as_array()?;
        let mut out = Vec::new();
        for entry in list {
            let (name, scopes) = if let Some(r) = openapi::ref_of(entry) {
                let name = r
                    .rsplit('/')
                    .next()
                    .map(pointer::unescape)
                    .unwrap_or_default();
                (name, Vec::new())
            } else {
                let scopes = entry
                    .get("scopes")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let name = match entry
                    .get("x-openapi-security-scheme-name")
                    .and_then(Value::as_str)
                {
                    Some(n) => n.to_string(),
                    None => self.inline_scheme(key, out.len(), entry),
                };
                (name, scopes)
            };
            out.push(Value::Object(Obj::from_iter([(
                name,
                Value::Array(scopes),
            )])));
        }
        Some(Value::Array(out))
    }
}

// ----- helpers -----------------------------------------------------------------------------

fn is_reserved(key: &str) -> bool {
    key.starts_with("x-openapi") || key.starts_with("x-asyncapi")
}

fn has_records(ch: &Obj) -> bool {
    ch.keys().any(|k| k.starts_with("x-openapi"))
}

/// Puts back extensions that AsyncAPI could not hold by name.
fn restore_extensions(v: &Value) -> Value {
    let Some(obj) = v.as_object() else {
        return v.clone();
    };
    let mut out = Obj::new();
    for (k, child) in obj {
        if k == "x-openapi-extensions" {
            if let Value::Object(kept) = child {
                out.extend(kept.clone());
            }
        } else if asyncapi::holds_nested_extensions(k) {
            out.insert(k.clone(), restore_extensions(child));
        } else {
            out.insert(k.clone(), child.clone());
        }
    }
    Value::Object(out)
}

/// AsyncAPI servers (`host`, `pathname`, `protocol`) as OpenAPI Server Objects (`url`).
fn hand_written_servers(src: &Obj) -> Option<Value> {
    let servers = src.get("servers")?.as_object()?;
    let list: Vec<Value> = servers
        .values()
        .filter_map(Value::as_object)
        .filter(|s| {
            s.get("protocol")
                .and_then(Value::as_str)
                .is_some_and(|p| p.starts_with("http"))
        })
        .map(|s| {
            let protocol = s.get("protocol").and_then(Value::as_str).unwrap_or("https");
            let host = s.get("host").and_then(Value::as_str).unwrap_or("");
            let pathname = s.get("pathname").and_then(Value::as_str).unwrap_or("");
            let mut out = Obj::new();
            out.insert(
                "url".into(),
                Value::String(format!("{protocol}://{host}{pathname}")),
            );
            if let Some(d) = s.get("description") {
                out.insert("description".into(), d.clone());
            }
            if let Some(Value::Object(vars)) = s.get("variables") {
                out.insert("variables".into(), Value::Object(server_variables(vars)));
            }
            Value::Object(out)
        })
        .collect();
    (!list.is_empty()).then_some(Value::Array(list))
}

/// OpenAPI requires a `default` for every server variable; AsyncAPI does not.
fn server_variables(vars: &Obj) -> Obj {
    vars.iter()
        .map(|(k, v)| {
            let mut var = v.as_object().cloned().unwrap_or_default();
            var.shift_remove("examples");
            if !var.contains_key("default") {
                let first = var.get("enum").and_then(|e| e.get(0)).cloned();
                var.insert(
                    "default".into(),
                    first.unwrap_or_else(|| Value::String(String::new())),
                );
            }
            (k.clone(), Value::Object(var))
        })
        .collect()
}

/// Schema formats that are JSON Schema (draft-07) or AsyncAPI Schema.
fn is_json_schema_format(format: &str) -> bool {
    format.starts_with("application/schema+") || format.starts_with("application/vnd.aai.asyncapi")
}

fn reply_status(m: &Obj) -> String {
    if let Some(s) = m
        .get("x-openapi-response")
        .and_then(|r| r.get("status"))
        .and_then(Value::as_str)
    {
        return s.to_string();
    }
    match m
        .get("bindings")
        .and_then(|b| b.get("http"))
        .and_then(|h| h.get("statusCode"))
    {
        Some(Value::Number(n)) => n.to_string(),
        _ => "default".to_string(),
    }
}

/// An AsyncAPI address as an OpenAPI path (which must start with `/`).
fn path_from_address(address: &str) -> String {
    if address.starts_with('/') {
        address.to_string()
    } else {
        format!("/{address}")
    }
}

/// Channel parameters of a hand-written channel as OpenAPI path parameters.
fn channel_path_params<'v>(ch: &'v Obj, resolve: impl Fn(&'v Value) -> &'v Value) -> Option<Value> {
    let params = ch.get("parameters")?.as_object()?;
    let list: Vec<Value> = params
        .iter()
        .map(|(name, p)| {
            let p = resolve(p);
            let mut schema = Obj::new();
            schema.insert("type".into(), "string".into());
            for k in ["enum", "default"] {
                if let Some(v) = p.get(k) {
                    schema.insert(k.into(), v.clone());
                }
            }
            if let Some(v) = p.get("examples") {
                schema.insert("examples".into(), v.clone());
            }
            let mut out = Obj::new();
            out.insert("name".into(), Value::String(name.clone()));
            out.insert("in".into(), "path".into());
            out.insert("required".into(), Value::Bool(true));
            if let Some(d) = p.get("description") {
                out.insert("description".into(), d.clone());
            }
            out.insert("schema".into(), Value::Object(schema));
            Value::Object(out)
        })
        .collect();
    (!list.is_empty()).then_some(Value::Array(list))
}

/// The operation a callback belongs to, made (minimal) where the document has none yet.
/// `None` when the parent lives behind a `$ref` (its callbacks come back with the component).
fn parent_operation<'o>(out: &'o mut Obj, parent: &str, dialect: Dialect) -> Option<&'o mut Obj> {
    let tokens = pointer::split(parent)?;
    let (last, path) = tokens.split_last()?;
    let mut node = out;
    for t in path {
        let child = node
            .entry(t.clone())
            .or_insert_with(|| Value::Object(Obj::new()));
        let Value::Object(m) = child else { return None };
        if m.contains_key("$ref") {
            return None;
        }
        node = m;
    }
    let op = node
        .entry(last.clone())
        .or_insert_with(|| Value::Object(placeholder_operation(dialect)));
    match op {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// In the default (events only) scope the parent operation of a callback is not in the
/// AsyncAPI document; OpenAPI 3.0 requires `responses`, so the stand-in has one.
fn placeholder_operation(dialect: Dialect) -> Obj {
    let mut op = Obj::new();
    op.insert("x-hookbridge-placeholder".into(), Value::Bool(true));
    if dialect == Dialect::Oas30 {
        let mut response = Obj::new();
        response.insert(
            "description".into(),
            "Not converted: only this operation's callbacks were in the AsyncAPI document".into(),
        );
        op.insert(
            "responses".into(),
            Value::Object(Obj::from_iter([(
                "default".into(),
                Value::Object(response),
            )])),
        );
    }
    op
}

/// Small lookups by JSON pointer on a map.
trait PointerExt {
    fn pointer_str(&self, ptr: &str) -> Option<&str>;
    fn pointer_str_value(&self, ptr: &str) -> Option<&Value>;
}

impl PointerExt for Obj {
    fn pointer_str(&self, ptr: &str) -> Option<&str> {
        self.pointer_str_value(ptr)?.as_str()
    }
    fn pointer_str_value(&self, ptr: &str) -> Option<&Value> {
        let mut tokens = ptr.strip_prefix('/')?.split('/');
        let mut node = self.get(tokens.next()?)?;
        for t in tokens {
            node = node.get(t)?;
        }
        Some(node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::to_asyncapi;
    use serde_json::json;

    fn there_and_back(doc: Value, include_paths: bool) -> Value {
        let kind = openapi::detect(&doc, "t").unwrap();
        let openapi::Kind::OpenApi(version) = kind else {
            panic!()
        };
        let opts = to_asyncapi::Options {
            include_paths,
            ..Default::default()
        };
        let a = to_asyncapi::convert(&doc, &version, "t", &opts)
            .unwrap()
            .document;
        convert(&a, "t").unwrap().document
    }

    #[test]
    fn a_webhook_comes_back() {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "T", "version": "1", "summary": "s"},
            "webhooks": {"ping": {"post": {
                "operationId": "ping",
                "parameters": [{"name": "X-Sig", "in": "header", "required": true, "schema": {"type": "string"}}],
                "requestBody": {"description": "d", "content": {"application/json": {"schema": {"type": "object"}, "example": {"a": 1}}}},
                "responses": {"200": {"description": "ok"}, "4XX": {"description": "bad"}}
            }}}
        });
        assert_eq!(there_and_back(doc.clone(), false), doc);
    }

    #[test]
    fn a_callback_comes_back_with_its_parent() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {"/s": {"post": {
                "responses": {"201": {"description": "created"}},
                "callbacks": {"onData": {"{$request.query.cb}/data": {"post": {
                    "requestBody": {"content": {"application/json": {"schema": {"type": "string", "nullable": true}}}},
                    "responses": {"204": {"description": "ok"}}
                }}}}
            }}}
        });
        assert_eq!(there_and_back(doc.clone(), true), doc);
        let events_only = there_and_back(doc.clone(), false);
        assert_eq!(
            events_only["paths"]["/s"]["post"]["callbacks"],
            doc["paths"]["/s"]["post"]["callbacks"]
        );
    }

    /// Vendors publish webhook-only 3.0 documents without `paths`.
    #[test]
    fn a_30_document_without_paths_comes_back_without_them() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "x-webhooks": {"ping": {"post": {"responses": {"200": {"description": "ok"}}}}}
        });
        for include_paths in [false, true] {
            assert_eq!(there_and_back(doc.clone(), include_paths), doc);
        }
        let mut with_paths = doc.clone();
        with_paths["paths"] = json!({});
        for include_paths in [false, true] {
            assert_eq!(
                there_and_back(with_paths.clone(), include_paths),
                with_paths
            );
        }
    }

    #[test]
    fn a_30_document_without_a_conversion_record_gets_the_paths_it_requires() {
        // A hand-written root record that only asks for 3.0 (as `--into` a 3.0 base writes one).
        let a = json!({
            "asyncapi": "3.0.0",
            "info": {"title": "T", "version": "1"},
            "x-openapi": {"openapi": "3.0.3"},
            "channels": {"ping": {"address": null, "messages": {"m": {"payload": {"type": "object"}}}}},
            "operations": {"ping": {"action": "send", "channel": {"$ref": "#/channels/ping"},
                "bindings": {"http": {"method": "POST"}}}}
        });
        let out = convert(&a, "t").unwrap().document;
        assert_eq!(out["openapi"], "3.0.3");
        assert_eq!(out["paths"], json!({}));
        assert!(out["x-webhooks"]["ping"]["post"].is_object(), "{out}");
        // No record at all: 3.1, which does not require `paths`.
        let mut bare = a.clone();
        bare.as_object_mut().unwrap().shift_remove("x-openapi");
        let out = convert(&bare, "t").unwrap().document;
        assert_eq!(out["openapi"], "3.1.0");
        assert!(out.get("paths").is_none(), "{out}");
    }
}
