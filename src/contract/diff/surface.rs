//! The event surface of a document: its webhooks (`webhooks`, `x-webhooks`) and the callbacks
//! of their operations and of `paths` (OpenAPI), or its `send` operations grouped by channel
//! (AsyncAPI), each read into an `Event`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::model::{Event, Model};
use super::operation::asyncapi_op;
use super::MAX_DEPTH;
use crate::contract::lint::follow;
use crate::document::pointer;
use crate::openapi::{self, METHODS};

pub(super) fn openapi_model(root: &Value) -> Model<'_> {
    let mut reader = OpenApiReader {
        root,
        model: Model::default(),
        depth: 0,
    };
    reader.read();
    reader.model
}

/// Reads the webhooks and callbacks of an OpenAPI document; `operation.rs` reads each
/// operation.
pub(super) struct OpenApiReader<'a> {
    pub(super) root: &'a Value,
    model: Model<'a>,
    depth: usize,
}

impl<'a> OpenApiReader<'a> {
    fn read(&mut self) {
        for key in ["webhooks", "x-webhooks"] {
            if let Some(Value::Object(hooks)) = self.root.get(key) {
                for (name, item) in hooks {
                    let at = pointer::join([key, name.as_str()]);
                    let event = Event {
                        label: format!("webhook `{name}`"),
                        at: at.clone(),
                        callback: None,
                        ops: BTreeMap::new(),
                    };
                    self.path_item(format!("webhook:{name}"), event, &at, item);
                }
            }
        }
        if let Some(Value::Object(paths)) = self.root.get("paths") {
            for (path, item) in paths.iter().filter(|(k, _)| !k.starts_with("x-")) {
                let at = pointer::join(["paths", path.as_str()]);
                let Ok((item, at)) = follow(self.root, item, &at) else {
                    continue;
                };
                for (method, op) in operations(item) {
                    let parent = format!("{} {path}", method.to_ascii_uppercase());
                    self.callbacks(&parent, &pointer::push(&at, method), op);
                }
            }
        }
    }

    fn path_item(&mut self, key: String, mut event: Event<'a>, at: &str, raw: &'a Value) {
        let Ok((item, at)) = follow(self.root, raw, at) else {
            return;
        };
        let shared = self.params(&at, item, BTreeMap::new());
        for (method, op) in operations(item) {
            let op_at = pointer::push(&at, method);
            let method = method.to_ascii_uppercase();
            event
                .ops
                .insert(method.clone(), self.operation(&op_at, op, shared.clone()));
            let parent = format!("{} {method}", event.label);
            self.callbacks(&parent, &op_at, op);
        }
        self.model.events.entry(key).or_insert(event);
    }

    fn callbacks(&mut self, parent: &str, op_at: &str, op: &'a Value) {
        let Some(Value::Object(callbacks)) = op.get("callbacks") else {
            return;
        };
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        for (name, raw) in callbacks {
            let at = pointer::join_to(op_at, ["callbacks", name.as_str()]);
            let Ok((callback, at)) = follow(self.root, raw, &at) else {
                continue;
            };
            let Some(callback) = callback.as_object() else {
                continue;
            };
            for (expr, item) in callback.iter().filter(|(k, _)| !k.starts_with("x-")) {
                let item_at = pointer::push(&at, expr);
                let event = Event {
                    label: format!("callback `{name}` ({expr}) of {parent}"),
                    at: item_at.clone(),
                    callback: Some((format!("{parent} {name}"), expr.clone())),
                    ops: BTreeMap::new(),
                };
                self.path_item(
                    format!("callback:{parent}:{name}:{expr}"),
                    event,
                    &item_at,
                    item,
                );
            }
        }
        self.depth -= 1;
    }
}

fn operations(item: &Value) -> impl Iterator<Item = (&'static str, &Value)> {
    METHODS
        .iter()
        .filter_map(move |m| item.get(*m).filter(|op| op.is_object()).map(|op| (*m, op)))
}

pub(super) fn asyncapi_model(root: &Value) -> Model<'_> {
    let mut model = Model::default();
    let Some(Value::Object(ops)) = root.get("operations") else {
        return model;
    };
    for (id, raw) in ops {
        let at = pointer::join(["operations", id.as_str()]);
        let Ok((op, at)) = follow(root, raw, &at) else {
            continue;
        };
        if op.get("action").and_then(Value::as_str) != Some("send") {
            continue;
        }
        let channel_ref = op.get("channel").and_then(openapi::ref_of).unwrap_or("");
        let channel_id = channel_ref.rsplit('/').next().unwrap_or(id).to_string();
        let method = op
            .pointer("/bindings/http/method")
            .and_then(Value::as_str)
            .map_or_else(|| id.clone(), str::to_ascii_uppercase);
        let event = model
            .events
            .entry(format!("channel:{channel_id}"))
            .or_insert_with(|| Event {
                label: format!("channel `{channel_id}`"),
                at: pointer::from_fragment(channel_ref).unwrap_or_default(),
                callback: None,
                ops: BTreeMap::new(),
            });
        event.ops.insert(method, asyncapi_op(root, &at, op));
    }
    model
}
