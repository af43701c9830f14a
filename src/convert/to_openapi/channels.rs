//! Channels -> path items: where each one goes (webhook, callback under its parent operation,
//! path), and the path item with one operation per AsyncAPI operation on the channel.

use serde_json::Value;

use super::{has_records, is_reserved, Converter, Obj, Ops, Place, PointerExt};
use crate::asyncapi::is_extension_name;
use crate::convert::dialect::Dialect;
use crate::convert::to_asyncapi::{ADDITIONAL_OPERATION, METHOD_FIELD, STREAM};
use crate::diagnostics::{codes, Error};
use crate::document::pointer;
use crate::openapi::events::ADDITIONAL_OPERATIONS;
use crate::openapi::METHODS;

impl<'a> Converter<'a> {
    pub(super) fn channel(&mut self, id: &str, channel: &Value) -> Result<(), Error> {
        let Some(ch) = channel.as_object() else {
            return Ok(());
        };
        // A stream goes back into the media type it came from (`streams`), not to a Path Item.
        if let Some(record) = ch.get(STREAM) {
            self.stream_of_unconverted(id, record);
            return Ok(());
        }
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
            Place::Webhook {
                key,
                name,
                expression,
            } => {
                let hooks = self
                    .out
                    .entry(key)
                    .or_insert_with(|| Value::Object(Obj::new()));
                if let Value::Object(h) = hooks {
                    match expression {
                        Some(e) => callback_shaped_entry(h, name, e, item, ch),
                        None => {
                            h.insert(name, item);
                        }
                    }
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
    pub(super) fn operations_of(&self, channel_id: &str) -> Ops<'a> {
        let target = pointer::to_fragment(&pointer::join(["channels", channel_id]));
        self.ops_by_channel
            .get(target.as_str())
            .cloned()
            .unwrap_or_default()
    }

    fn place(&mut self, id: &str, ch: &Obj, ops: &[(&String, &Obj)]) -> Option<Place> {
        if let Some(Value::String(name)) = ch.get("x-openapi-webhook") {
            let key = match ch.get("x-openapi-webhook-key").and_then(Value::as_str) {
                Some(k) => k.to_string(),
                None => self.default_webhook_key(),
            };
            let expression = ch.get("x-openapi-webhook-expression");
            return Some(Place::Webhook {
                key,
                name: name.clone(),
                expression: expression.and_then(Value::as_str).map(str::to_string),
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
    fn hand_written_place(&mut self, id: &str, ch: &Obj, ops: &[(&String, &Obj)]) -> Option<Place> {
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
                    expression: None,
                })
            }
            _ => Some(Place::Webhook {
                key: self.default_webhook_key(),
                name: id.to_string(),
                expression: None,
            }),
        }
    }

    fn path_item(&mut self, ch: &Obj, ops: &[(&String, &Obj)], as_path: bool) -> Option<Value> {
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
            let (method, additional) = self.method_of(key, op);
            let operation = Value::Object(self.operation(ch, key, op));
            if additional {
                let more = item
                    .entry(ADDITIONAL_OPERATIONS)
                    .or_insert_with(|| Value::Object(Obj::new()));
                if let Value::Object(more) = more {
                    more.insert(method, operation);
                }
            } else {
                item.insert(method, operation);
            }
        }
        Some(Value::Object(item))
    }

    /// The Path Item field of an operation (`post`), or its `additionalOperations` key and
    /// `true`: the records of an OpenAPI 3.2 operation first, then the binding's method.
    fn method_of(&mut self, key: &str, op: &Obj) -> (String, bool) {
        if let Some(Value::String(m)) = op.get(ADDITIONAL_OPERATION) {
            return (m.clone(), true);
        }
        if let Some(Value::String(m)) = op.get(METHOD_FIELD) {
            return (m.clone(), false);
        }
        let written = op.pointer_str("/bindings/http/method");
        let method = written.map(str::to_ascii_lowercase);
        match method {
            Some(m) if METHODS.contains(&m.as_str()) => (m, false),
            // CONNECT has no Path Item field; 3.2 names it in `additionalOperations`.
            Some(m) if m == "connect" && crate::openapi::is_v32_version(&self.version) => {
                (written.unwrap_or_default().to_string(), true)
            }
            _ => {
                let msg = "no HTTP method in `bindings.http.method` (or not one OpenAPI has); POST assumed";
                self.warn(
                    codes::LOSSY,
                    &pointer::join(["operations", key]),
                    msg.to_string(),
                );
                ("post".to_string(), false)
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
pub(super) fn parent_operation<'o>(
    out: &'o mut Obj,
    parent: &str,
    dialect: Dialect,
) -> Option<&'o mut Obj> {
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

/// A webhook in the shape of a callback comes back as it was written: the entry maps each
/// runtime expression to its Path Item, with the entry's own extensions.
fn callback_shaped_entry(hooks: &mut Obj, name: String, expression: String, item: Value, ch: &Obj) {
    let entry = hooks
        .entry(name)
        .or_insert_with(|| Value::Object(Obj::new()));
    if let Value::Object(entry) = entry {
        entry.insert(expression, item);
        if let Some(Value::Object(ext)) = ch.get("x-openapi-webhook-extensions") {
            entry.extend(ext.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
}
