//! Walking the webhooks and callbacks of an OpenAPI document (`webhooks`, `x-webhooks`,
//! the callbacks of `paths` operations and of `components`), for the structure rules and the
//! example walk alike.

use serde_json::{Map, Value};

use super::example_walk::{Context, ExampleWalk};
use super::openapi_rules::{check_callback_key, At, OpenApiRules};
use crate::document::pointer;
use crate::openapi::{self, METHODS};

/// Whether a path item is walked as a webhook or as a callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Role {
    Webhook,
    Callback,
}

/// The operations of a Path Item, in specification order.
pub(super) fn operations(item: &Value) -> impl Iterator<Item = (&'static str, &Value)> {
    METHODS
        .iter()
        .filter_map(move |m| item.get(*m).filter(|op| op.is_object()).map(|op| (*m, op)))
}

impl<'a> OpenApiRules<'a, '_, '_> {
    /// Webhooks as webhooks, then the callbacks of paths and of components.
    pub(super) fn walk_events(&mut self, root: &'a Map<String, Value>) {
        for key in ["webhooks", "x-webhooks"] {
            if let Some(Value::Object(hooks)) = root.get(key) {
                for (name, item) in hooks {
                    let at = At::same(pointer::join([key, name.as_str()]));
                    self.path_item(Role::Webhook, &at, item);
                }
            }
        }
        if let Some(Value::Object(paths)) = root.get("paths") {
            for (path, item) in paths.iter().filter(|(k, _)| !k.starts_with("x-")) {
                let at = At::same(pointer::join(["paths", path.as_str()]));
                self.path_callbacks(&at, item);
            }
        }
        let callbacks = root.get("components").and_then(|c| c.get("callbacks"));
        if let Some(Value::Object(callbacks)) = callbacks {
            for (name, callback) in callbacks {
                let at = At::same(pointer::join(["components", "callbacks", name.as_str()]));
                self.callback(&at, callback);
            }
        }
    }

    /// An ordinary path: only the callbacks of its operations concern us.
    fn path_callbacks(&mut self, at: &At, raw: &'a Value) {
        let Some((item, at)) = self.resolve(at, raw) else {
            return;
        };
        for (method, op) in operations(item) {
            self.callbacks_of(&at.push(method), op);
        }
    }

    fn path_item(&mut self, role: Role, at: &At, raw: &'a Value) {
        let Some((item, at)) = self.resolve(at, raw) else {
            return;
        };
        if !self.walked.insert((at.def.clone(), role)) {
            return;
        }
        for (method, op) in operations(item) {
            let op_at = at.push(method);
            self.operation(role, method, op, &op_at);
            self.callbacks_of(&op_at, op);
        }
    }

    fn callbacks_of(&mut self, op_at: &At, op: &'a Value) {
        if let Some(Value::Object(callbacks)) = op.get("callbacks") {
            for (name, callback) in callbacks {
                self.callback(&op_at.push("callbacks").push(name), callback);
            }
        }
    }

    fn callback(&mut self, at: &At, raw: &'a Value) {
        let Some((callback, at)) = self.resolve(at, raw) else {
            return;
        };
        let Some(callback) = callback.as_object() else {
            return;
        };
        for (expression, item) in callback.iter().filter(|(k, _)| !k.starts_with("x-")) {
            let item_at = at.push(expression);
            check_callback_key(self.sink, &item_at.def, expression);
            self.path_item(Role::Callback, &item_at, item);
        }
    }
}

impl<'a> ExampleWalk<'a> {
    pub(super) fn openapi(&mut self) {
        let Some(root) = self.root.as_object() else {
            return;
        };
        if let Some(Value::Object(paths)) = root.get("paths") {
            for (path, item) in paths.iter().filter(|(k, _)| !k.starts_with("x-")) {
                self.path_item(&pointer::join(["paths", path.as_str()]), item);
            }
        }
        for key in ["webhooks", "x-webhooks"] {
            if let Some(Value::Object(hooks)) = root.get(key) {
                for (name, item) in hooks {
                    self.path_item(&pointer::join([key, name.as_str()]), item);
                }
            }
        }
        if let Some(Value::Object(components)) = root.get("components") {
            self.components(components);
        }
    }

    pub(super) fn path_item(&mut self, at: &str, item: &'a Value) {
        if openapi::ref_of(item).is_some() {
            return;
        }
        self.within(Context::Request, |w| w.parameters(at, item));
        for (method, op) in operations(item) {
            let op_at = pointer::push(at, method);
            self.operation(&op_at, op);
        }
    }

    pub(super) fn callback(&mut self, at: &str, callback: &'a Value) {
        let Some(callback) = callback.as_object().filter(|c| !c.contains_key("$ref")) else {
            return;
        };
        for (expression, item) in callback.iter().filter(|(k, _)| !k.starts_with("x-")) {
            self.path_item(&pointer::push(at, expression), item);
        }
    }

    pub(super) fn callbacks_of(&mut self, at: &str, op: &'a Value) {
        if let Some(Value::Object(callbacks)) = op.get("callbacks") {
            for (name, callback) in callbacks {
                self.callback(
                    &pointer::join_to(at, ["callbacks", name.as_str()]),
                    callback,
                );
            }
        }
    }
}
