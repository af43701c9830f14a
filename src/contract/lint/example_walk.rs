//! Finding examples: every `example`/`examples` of a document and the schema each must
//! match, with the context (request or response) it travels in.

use serde_json::{Map, Value};

use super::refs::follow;
use crate::document::pointer;
use crate::openapi;

/// The schema dialect of the schemas being walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    /// OpenAPI 3.0: `example` only; validated as draft-07 after `dialect::to_asyncapi`.
    Oas30,
    /// OpenAPI 3.1: `example` and `examples` (array); JSON Schema 2020-12.
    Oas31,
    /// AsyncAPI Schema Object: `examples` (array); draft-07.
    AsyncApi,
}

/// Where an example travels: `readOnly` properties are not required in requests, nor
/// `writeOnly` ones in responses (OpenAPI 3.0.3, 4.7.25.1; the common reading for 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Context {
    Neutral,
    Request,
    Response,
}

/// One example and the schema it must match (both JSON pointers into the document).
pub(super) struct Site<'a> {
    pub(super) at: String,
    pub(super) schema: String,
    pub(super) value: &'a Value,
    /// The components example the value came from, when it was a `$ref`.
    pub(super) via: Option<String>,
    pub(super) context: Context,
    /// A parameter or header value: text on the wire, so `123` and `"123"` are the same.
    pub(super) wire_text: bool,
}

/// Finds every example and the schema it belongs to, and the schema subtrees written in the
/// OpenAPI 3.0 dialect (converted before validation).
pub(super) struct ExampleWalk<'a> {
    pub(super) root: &'a Value,
    flavor: Flavor,
    context: Context,
    wire_text: bool,
    pub(super) sites: Vec<Site<'a>>,
    pub(super) oas30_roots: Vec<String>,
}

impl<'a> ExampleWalk<'a> {
    pub(super) fn new(root: &'a Value, flavor: Flavor) -> Self {
        ExampleWalk {
            root,
            flavor,
            context: Context::Neutral,
            wire_text: false,
            sites: Vec::new(),
            oas30_roots: Vec::new(),
        }
    }

    fn site(&mut self, at: String, schema: &str, value: &'a Value, via: Option<String>) {
        self.sites.push(Site {
            at,
            schema: schema.to_string(),
            value,
            via,
            context: self.context,
            wire_text: self.wire_text,
        });
    }

    /// Walks with a context set, restoring the previous one afterwards.
    pub(super) fn within(&mut self, context: Context, f: impl FnOnce(&mut Self)) {
        let saved = self.context;
        self.context = context;
        f(self);
        self.context = saved;
    }

    pub(super) fn components(&mut self, components: &'a Map<String, Value>) {
        for (section, entries) in components {
            let Value::Object(entries) = entries else {
                continue;
            };
            for (name, v) in entries {
                let at = pointer::join(["components", section.as_str(), name.as_str()]);
                match section.as_str() {
                    "schemas" => self.schema_root(&at, v, self.flavor),
                    "parameters" => self.within(Context::Request, |w| w.parameter(&at, v)),
                    "headers" => self.within(Context::Response, |w| w.parameter(&at, v)),
                    "requestBodies" => self.within(Context::Request, |w| w.content_of(&at, v)),
                    "responses" => self.within(Context::Response, |w| w.response(&at, v)),
                    _ => {}
                }
            }
        }
    }

    pub(super) fn operation(&mut self, at: &str, op: &'a Value) {
        self.within(Context::Request, |w| {
            w.parameters(at, op);
            if let Some(body) = op.get("requestBody") {
                w.content_of(&pointer::push(at, "requestBody"), body);
            }
        });
        if let Some(Value::Object(responses)) = op.get("responses") {
            for (code, response) in responses {
                let r_at = pointer::join_to(at, ["responses", code.as_str()]);
                self.within(Context::Response, |w| w.response(&r_at, response));
            }
        }
    }

    pub(super) fn parameters(&mut self, at: &str, owner: &'a Value) {
        if let Some(Value::Array(list)) = owner.get("parameters") {
            for (i, p) in list.iter().enumerate() {
                self.parameter(&pointer::join_to(at, ["parameters", &i.to_string()]), p);
            }
        }
    }

    fn response(&mut self, at: &str, response: &'a Value) {
        if openapi::ref_of(response).is_some() {
            return;
        }
        if let Some(Value::Object(headers)) = response.get("headers") {
            for (name, header) in headers {
                self.parameter(&pointer::join_to(at, ["headers", name.as_str()]), header);
            }
        }
        self.content_of(at, response);
    }

    /// Parameter and Header Objects: `schema` with `example`/`examples`, or `content`.
    fn parameter(&mut self, at: &str, param: &'a Value) {
        if openapi::ref_of(param).is_some() {
            return;
        }
        if let Some(schema) = param.get("schema") {
            let schema_at = pointer::push(at, "schema");
            self.schema_root(&schema_at, schema, self.flavor);
            self.wire_text = true;
            self.examples_of(at, param, &schema_at, false);
            self.wire_text = false;
        }
        self.content_of(at, param);
    }

    fn content_of(&mut self, at: &str, owner: &'a Value) {
        if openapi::ref_of(owner).is_some() {
            return;
        }
        let Some(Value::Object(content)) = owner.get("content") else {
            return;
        };
        for (media_type, mt) in content {
            let mt_at = pointer::join_to(at, ["content", media_type.as_str()]);
            if let Some(schema) = mt.get("schema") {
                let schema_at = pointer::push(&mt_at, "schema");
                self.schema_root(&schema_at, schema, self.flavor);
                self.examples_of(&mt_at, mt, &schema_at, !is_json_like(media_type));
            }
        }
    }

    /// `example` and the Example Objects of `examples` of a media type, parameter or header.
    /// With `serialized`, string examples are the serialized form (XML, CSV, ...): not checked.
    fn examples_of(&mut self, at: &str, owner: &'a Value, schema_at: &str, serialized: bool) {
        let skip = |v: &Value| serialized && v.is_string();
        if let Some(example) = owner.get("example").filter(|v| !skip(v)) {
            self.site(pointer::push(at, "example"), schema_at, example, None);
        }
        let Some(Value::Object(examples)) = owner.get("examples") else {
            return;
        };
        for (name, example) in examples {
            let ex_at = pointer::join_to(at, ["examples", name.as_str()]);
            let Ok((example, def)) = follow(self.root, example, &ex_at) else {
                continue;
            };
            let Some(value) = example.get("value").filter(|v| !skip(v)) else {
                continue;
            };
            if def == ex_at {
                self.site(pointer::push(&ex_at, "value"), schema_at, value, None);
            } else {
                self.site(ex_at, schema_at, value, Some(def));
            }
        }
    }

    fn schema_root(&mut self, at: &str, schema: &'a Value, flavor: Flavor) {
        if flavor == Flavor::Oas30 {
            self.oas30_roots.push(at.to_string());
        }
        let (saved, wire) = (self.context, self.wire_text);
        (self.context, self.wire_text) = (Context::Neutral, false);
        self.schema_examples(at, schema, flavor, 0);
        (self.context, self.wire_text) = (saved, wire);
    }

    /// `example` / `examples` on a schema and its subschemas.
    fn schema_examples(&mut self, at: &str, schema: &'a Value, flavor: Flavor, depth: usize) {
        let Value::Object(map) = schema else {
            return;
        };
        if depth > MAX_SCHEMA_DEPTH {
            return;
        }
        if flavor != Flavor::AsyncApi {
            if let Some(example) = map.get("example") {
                self.site(pointer::push(at, "example"), at, example, None);
            }
        }
        if flavor != Flavor::Oas30 {
            if let Some(Value::Array(examples)) = map.get("examples") {
                for (i, example) in examples.iter().enumerate() {
                    let ex_at = pointer::join_to(at, ["examples", &i.to_string()]);
                    self.site(ex_at, at, example, None);
                }
            }
        }
        for (key, sub) in map {
            for (sub_at, sub) in subschemas(at, key, sub) {
                self.schema_examples(&sub_at, sub, flavor, depth + 1);
            }
        }
    }

    pub(super) fn asyncapi(&mut self) {
        let components = self.root.get("components");
        if let Some(Value::Object(schemas)) = components.and_then(|c| c.get("schemas")) {
            for (name, schema) in schemas {
                let at = pointer::join(["components", "schemas", name.as_str()]);
                self.asyncapi_schema(&at, schema);
            }
        }
        let mut messages: Vec<(String, &'a Value)> = Vec::new();
        if let Some(Value::Object(channels)) = self.root.get("channels") {
            for (id, channel) in channels {
                if let Some(Value::Object(map)) = channel.get("messages") {
                    for (name, m) in map {
                        let at =
                            pointer::join(["channels", id.as_str(), "messages", name.as_str()]);
                        messages.push((at, m));
                    }
                }
            }
        }
        if let Some(Value::Object(map)) = components.and_then(|c| c.get("messages")) {
            for (name, m) in map {
                messages.push((pointer::join(["components", "messages", name.as_str()]), m));
            }
        }
        for (at, message) in messages {
            self.message(&at, message);
        }
    }

    /// A schema position that may hold a Multi Format Schema Object; returns where the
    /// schema itself is, when it is in a dialect we validate.
    fn asyncapi_schema(&mut self, at: &str, schema: &'a Value) -> Option<String> {
        let (schema_at, flavor) = self.schema_slot(at, schema)?;
        let inner = self.root.pointer(&schema_at)?;
        self.schema_root(&schema_at, inner, flavor);
        Some(schema_at)
    }

    fn message(&mut self, at: &str, message: &'a Value) {
        if openapi::ref_of(message).is_some() {
            return;
        }
        let mut slots = Vec::new();
        for part in ["payload", "headers"] {
            if let Some(schema) = message.get(part) {
                if let Some(schema_at) = self.asyncapi_schema(&pointer::push(at, part), schema) {
                    slots.push((part, schema_at));
                }
            }
        }
        let Some(Value::Array(examples)) = message.get("examples") else {
            return;
        };
        for (i, example) in examples.iter().enumerate() {
            for (part, schema_at) in &slots {
                if let Some(value) = example.get(*part) {
                    let ex_at = pointer::join_to(at, ["examples", &i.to_string(), part]);
                    self.site(ex_at, schema_at, value, None);
                }
            }
        }
    }

    /// Where the schema of an AsyncAPI payload or headers sits and in which dialect, or
    /// `None` for formats we do not validate (Avro, Protobuf, RAML, OpenAPI 3.1).
    fn schema_slot(&self, at: &str, schema: &Value) -> Option<(String, Flavor)> {
        let format = schema.get("schemaFormat").and_then(Value::as_str);
        let (Some(format), Some(_)) = (format, schema.get("schema")) else {
            return Some((at.to_string(), Flavor::AsyncApi));
        };
        let schema_at = pointer::push(at, "schema");
        let base = format.split(';').next().unwrap_or("").trim();
        let version = format.split_once("version=").map(|(_, v)| v.trim());
        let flavor = match base {
            "application/vnd.aai.asyncapi"
            | "application/vnd.aai.asyncapi+json"
            | "application/vnd.aai.asyncapi+yaml" => Flavor::AsyncApi,
            "application/schema+json" | "application/schema+yaml"
                if version.is_none_or(|v| v.starts_with("draft-07")) =>
            {
                Flavor::AsyncApi
            }
            "application/vnd.oai.openapi"
            | "application/vnd.oai.openapi+json"
            | "application/vnd.oai.openapi+yaml"
                if version.is_none_or(|v| v.starts_with("3.0")) =>
            {
                Flavor::Oas30
            }
            _ => return None,
        };
        Some((schema_at, flavor))
    }
}

const MAX_SCHEMA_DEPTH: usize = 128;

/// JSON media types (`application/json`, `*/*+json`, `*/*`), whose examples are JSON values.
fn is_json_like(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let Some((kind, sub)) = essence.split_once('/') else {
        return false;
    };
    sub == "json" || sub.ends_with("+json") || sub == "*" && (kind == "*" || kind == "application")
}

/// The subschemas directly under one keyword of a schema (data keywords have none).
fn subschemas<'v>(at: &str, key: &str, value: &'v Value) -> Vec<(String, &'v Value)> {
    match (key, value) {
        (
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas",
            Value::Object(map),
        ) => map
            .iter()
            .map(|(name, s)| (pointer::join_to(at, [key, name.as_str()]), s))
            .collect(),
        ("items" | "prefixItems" | "allOf" | "anyOf" | "oneOf", Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(i, s)| (pointer::join_to(at, [key, &i.to_string()]), s))
            .collect(),
        (
            "items"
            | "additionalProperties"
            | "additionalItems"
            | "not"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "contentSchema",
            Value::Object(_),
        ) => vec![(pointer::push(at, key), value)],
        _ => Vec::new(),
    }
}
