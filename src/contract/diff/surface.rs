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
use crate::openapi;
use crate::openapi::events::{self, Kind, Operation};

pub(super) fn openapi_model(root: &Value) -> Model<'_> {
    let mut reader = OpenApiReader {
        root,
        model: Model::default(),
    };
    reader.read();
    reader.model
}

/// Reads the webhooks and callbacks of an OpenAPI document from its event model;
/// `operation.rs` reads each operation.
pub(super) struct OpenApiReader<'a> {
    pub(super) root: &'a Value,
    model: Model<'a>,
}

impl<'a> OpenApiReader<'a> {
    fn read(&mut self) {
        let events = events::walk(self.root);
        let ops = &events.operations;
        // What each operation is called as the parent of its callbacks.
        let mut parents: Vec<String> = Vec::with_capacity(ops.len());
        for op in ops {
            let method = op.method.to_ascii_uppercase();
            parents.push(match op.parent {
                None if op.kind == Kind::Path => format!("{method} {}", op.name),
                _ => format!("{} {method}", label(op, &parents)),
            });
        }
        for section in ["webhooks", "x-webhooks", "paths"] {
            for op in ops.iter().filter(|o| o.section == section && o.is_event()) {
                if op.depth > MAX_DEPTH + 1 {
                    continue;
                }
                self.add(op, &parents);
            }
        }
    }

    fn add(&mut self, op: &Operation<'a>, parents: &[String]) {
        let (key, callback) = match (op.parent, op.expression) {
            (Some(p), Some(expr)) => (
                format!("callback:{}:{}:{expr}", parents[p], op.name),
                Some((format!("{} {}", parents[p], op.name), expr.to_string())),
            ),
            _ => (format!("webhook:{}", op.name), None),
        };
        let at = op.item_definition().to_string();
        let shared = self.params(&at, op.path_item, BTreeMap::new());
        let read = self.operation(&op.definition, op.operation, shared);
        let event = self.model.events.entry(key).or_insert_with(|| Event {
            label: label(op, parents),
            at,
            callback,
            ops: BTreeMap::new(),
        });
        // The first Path Item of a name wins (a name in both `webhooks` and `x-webhooks`).
        if event.at == op.item_definition() {
            event
                .ops
                .entry(op.method.to_ascii_uppercase())
                .or_insert(read);
        }
    }
}

/// `webhook `name`` or `callback `name` (expression) of PARENT`.
fn label(op: &Operation, parents: &[String]) -> String {
    match (op.parent, op.expression) {
        (Some(p), Some(expr)) => format!("callback `{}` ({expr}) of {}", op.name, parents[p]),
        _ => format!("webhook `{}`", op.name),
    }
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
