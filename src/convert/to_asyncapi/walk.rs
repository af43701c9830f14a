//! The walk over the document: the root, paths, webhooks and callbacks, down to each Path
//! Item and its operations, with the guard against `$ref` cycles through callbacks.

use serde_json::Value;

use super::channels::{CallbackOrigin, Origin, PathItemChannel};
use super::input::In;
use super::operations::operation_key_base;
use super::{Converter, Obj, Perspective};
use crate::asyncapi;
use crate::convert::dialect::Dialect;
use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::pointer;
use crate::openapi::{events, METHODS};

impl<'a> Converter<'a> {
    /// The output up to `operations`, and the record so far.
    pub(super) fn head(&mut self) -> Result<(Obj, Obj), Error> {
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
                    let values = webhook_extension_values(value, &self.detached, key);
                    if !values.is_empty() {
                        let slot = record
                            .entry("webhookExtensions")
                            .or_insert_with(|| Value::Object(Obj::new()));
                        if let Value::Object(m) = slot {
                            m.insert(key.clone(), Value::Object(values));
                        }
                    }
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
            if is_extension_value(&name, item.value()) {
                continue; // kept in the root record (`webhookExtensions`)
            }
            let at = pointer::join([key, &*name]);
            if events::is_callback_shaped(item.value()) {
                self.callback_shaped_webhook(key, &name, &at, item)?;
                continue;
            }
            let origin = Origin::Webhook {
                key: key.to_string(),
                name: name.into_owned(),
                expression: None,
            };
            self.path_item(origin, &at, item)?;
        }
        Ok(())
    }

    /// A webhook in the shape of a callback: one channel per runtime expression, addressed by
    /// it as a callback's is; the entry's extensions ride on the first channel.
    fn callback_shaped_webhook<'v>(
        &mut self,
        key: &str,
        name: &str,
        at: &str,
        entry: In<'v>,
    ) -> Result<(), Error>
    where
        'a: 'v,
    {
        let msg = format!("webhook `{name}` is written in the shape of a callback (name -> runtime expression -> Path Item), as some vendors write `{key}`: each expression becomes a channel addressed by it, and the shape is kept for the way back");
        self.warn(codes::CALLBACK_SHAPED_WEBHOOK, at, msg);
        let first = self.channels.len();
        let mut extensions = Obj::new();
        for (expression, item) in entry.into_entries() {
            if expression.starts_with("x-") {
                extensions.insert(expression.into_owned(), item.into_value());
                continue;
            }
            let item_at = pointer::push(at, &expression);
            let origin = Origin::Webhook {
                key: key.to_string(),
                name: name.to_string(),
                expression: Some(expression.into_owned()),
            };
            self.path_item(origin, &item_at, item)?;
        }
        let first = self.channels.values_mut().nth(first);
        if let (Some(Value::Object(channel)), false) = (first, extensions.is_empty()) {
            let ext = Value::Object(extensions);
            channel.insert("x-openapi-webhook-extensions".into(), ext);
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

    /// A Path Item (of a webhook, a callback URL or a path): its channel, then each operation
    /// and that operation's callbacks.
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
        let item = match merged_path_item(raw_value, target_obj, item_ref.is_some()) {
            Some(m) => In::Own(Value::Object(m)),
            None => target,
        };
        let PathItemChannel {
            mut ctx,
            params,
            ops,
        } = self.channel(&origin, at, raw, item);
        // Resolved here: the context borrows them from `params`.
        ctx.shared_params = self.resolve_params(
            params.as_ref().map(In::value),
            &pointer::push(at, "parameters"),
        )?;
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
}

/// An `x-` entry of `webhooks` whose value is no Path Item (`x-sdk-exclude: true`): vendors
/// put extensions there, though the map is not extensible.
fn is_extension_value(name: &str, value: &Value) -> bool {
    name.starts_with("x-") && !value.is_object()
}

/// The extension values of a webhooks map (in the document, or detached for moving).
fn webhook_extension_values(value: &Value, detached: &[(String, Value)], key: &str) -> Obj {
    let map = detached
        .iter()
        .find(|(k, _)| k == key)
        .map_or(value, |(_, v)| v);
    map.as_object()
        .into_iter()
        .flatten()
        .filter(|(k, v)| is_extension_value(k, v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
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
