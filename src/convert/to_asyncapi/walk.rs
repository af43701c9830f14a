//! The walk over the event model (`plan::Plan`): the root's sections, then each Path Item the
//! model read, its operations and their callbacks, in the model's order. The model decides
//! what is an event and follows the `$ref`s; the walk takes each value from the document
//! (moving it when the document was given away) and builds the output.

use serde_json::Value;

use super::channels::{CallbackOrigin, Origin, PathItemChannel};
use super::input::In;
use super::operations::operation_key_base;
use super::{Converter, Obj, Perspective};
use crate::asyncapi;
use crate::convert::dialect::Dialect;
use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::pointer;
use crate::openapi::events::{self, FindingKind, ADDITIONAL_OPERATIONS};

impl<'a> Converter<'a> {
    /// The output up to `operations`, and the record so far.
    pub(super) fn head(&mut self) -> Result<(Obj, Obj), Error> {
        self.model_errors()?;
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
                    let extensions = extension_entries(value, |_| true);
                    record.insert("paths".into(), Value::Object(extensions));
                    self.paths()?;
                }
                "webhooks" | "x-webhooks" => {
                    webhook_keys.push(Value::String(key.clone()));
                    let node = match self.detached.iter().position(|(k, _)| k == key) {
                        Some(i) => In::Own(self.detached.swap_remove(i).1),
                        None => In::Ref(value),
                    };
                    let values = extension_entries(node.value(), |v| !v.is_object());
                    if !values.is_empty() {
                        let slot = record
                            .entry("webhookExtensions")
                            .or_insert_with(|| Value::Object(Obj::new()));
                        if let Value::Object(m) = slot {
                            m.insert(key.clone(), Value::Object(values));
                        }
                    }
                    self.webhooks(key, node)?;
                }
                _ => continue,
            }
            self.report_section(key);
        }
        self.report_findings(usize::MAX);
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

    /// A `$ref` the model could not follow stops the conversion: what it points at may hold
    /// events.
    fn model_errors(&self) -> Result<(), Error> {
        for f in &self.plan.findings {
            let code = match f.kind {
                FindingKind::RefCycle => codes::REF_CYCLE,
                FindingKind::BrokenRef => codes::UNRESOLVED_REF,
                _ => continue,
            };
            let message = f.message.clone();
            return Err(Diagnostic::error(code, self.file, &f.reached, message).into());
        }
        Ok(())
    }

    /// The model's findings made before Path Item `upto`, as warnings, in walk order.
    fn report_findings(&mut self, upto: usize) {
        while let Some(f) = self.plan.findings.get(self.reported) {
            if f.before_item > upto {
                return;
            }
            self.reported += 1;
            self.report_finding(self.reported - 1);
        }
    }

    /// The findings left in the section `key` once it is converted.
    fn report_section(&mut self, key: &str) {
        let section = pointer::join([key]);
        while let Some(f) = self.plan.findings.get(self.reported) {
            let rest = f.reached.strip_prefix(&section);
            if !rest.is_some_and(|r| r.is_empty() || r.starts_with('/')) {
                return;
            }
            self.reported += 1;
            self.report_finding(self.reported - 1);
        }
    }

    fn report_finding(&mut self, index: usize) {
        let f = &self.plan.findings[index];
        let (at, tokens) = (
            f.reached.clone(),
            pointer::split(&f.reached).unwrap_or_default(),
        );
        match f.kind {
            FindingKind::PathItemNotAMapping => {
                // Paths are read for their callbacks only, unless they are converted too.
                if tokens.len() == 2 && tokens[0] == "paths" && !self.options.include_paths {
                    return;
                }
                let msg = "a Path Item must be a mapping; this one was not converted".to_string();
                self.warn(codes::INVALID_STRUCTURE, &at, msg);
            }
            FindingKind::CallbackShapedWebhook => {
                let (key, name) = match &tokens[..] {
                    [key, name] => (key.as_str(), name.as_str()),
                    _ => ("webhooks", ""),
                };
                let msg = format!("webhook `{name}` is written in the shape of a callback (name -> runtime expression -> Path Item), as some vendors write `{key}`: each expression becomes a channel addressed by it, and the shape is kept for the way back");
                self.warn(codes::CALLBACK_SHAPED_WEBHOOK, &at, msg);
            }
            FindingKind::OperationsNotRead => {
                // A path is converted only with `--include-paths`.
                if f.within == Some(events::Kind::Path) && !self.options.include_paths {
                    return;
                }
                let msg = format!("{}: no AsyncAPI operation is made for them; the extension is kept verbatim on the channel for the way back (write the document as OpenAPI 3.2 to convert them)", f.message);
                self.warn(codes::LOSSY, &at, msg);
            }
            FindingKind::TooDeep => {
                let msg = format!("{}; they are left out", f.message);
                self.warn(codes::LOSSY, &at, msg);
            }
            // Cycles and broken references stopped the conversion already; unknown Path Item
            // keys are reported where the channel files them away; the rest is dropped as before.
            _ => {}
        }
    }

    /// The Path Items of `section` that the model read at the top (not inside callbacks).
    fn top_items(&self, section: &str) -> Vec<usize> {
        let items = &self.plan.items;
        (0..items.len())
            .filter(|&i| items[i].callback.is_none() && items[i].section == section)
            .collect()
    }

    /// Converts paths (with `--include-paths`), or only their callbacks.
    fn paths(&mut self) -> Result<(), Error> {
        let root = self.root;
        for i in self.top_items("paths") {
            let path = self.plan.items[i].name.clone();
            let at = pointer::join(["paths", path.as_str()]);
            if self.options.include_paths {
                let Some(item) = root.get("paths").and_then(|p| p.get(&path)) else {
                    continue;
                };
                self.path_item(i, Origin::Path { path }, &at, In::Ref(item))?;
            } else {
                self.callbacks_of_path(i, &path, &at)?;
            }
        }
        Ok(())
    }

    /// Default scope: paths are not converted, but their callbacks are.
    fn callbacks_of_path(&mut self, i: usize, path: &str, at: &str) -> Result<(), Error> {
        self.report_findings(i);
        // The operations of a `$ref`'d path item live in the component, which travels whole:
        // name it as the callbacks' parent, so the way back needs no stand-in operation.
        let parent_at = self.plan.items[i]
            .item_ref
            .as_deref()
            .and_then(pointer::from_fragment)
            .unwrap_or_else(|| at.to_string());
        let doc = self.doc;
        let empty = Obj::new();
        let item = self.plan.items[i].ops.first().and_then(|&o| {
            let op = &self.plan.ops[o];
            let tokens = if op.additional { 2 } else { 1 };
            let mut item_at = pointer::split(&op.definition)?;
            item_at.truncate(item_at.len().checked_sub(tokens)?);
            let item_at = pointer::join(item_at);
            doc.pointer(&item_at)?.as_object()
        });
        for o in self.plan.items[i].ops.clone() {
            let op = &self.plan.ops[o];
            let (method, additional) = (op.method.clone(), op.additional);
            let Some(Value::Object(value)) = doc.pointer(&op.definition) else {
                continue;
            };
            let key = operation_key_base(value, &method, path);
            let op_at = operation_pointer(&parent_at, &method, additional);
            let op_key = (key.as_str(), op_at.as_str());
            self.rest_streams(
                (path, item.unwrap_or(&empty)),
                (&method, additional),
                op_key,
                value,
            )?;
            if self.plan.ops[o].callbacks.is_empty() {
                continue;
            }
            let callbacks = value.get("callbacks").map(In::Ref);
            self.callbacks(o, (&op_at, &key), callbacks, false)?;
        }
        Ok(())
    }

    fn webhooks<'v>(&mut self, key: &str, mut webhooks: In<'v>) -> Result<(), Error>
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
        let tops = self.top_items(key);
        let mut rest = &tops[..];
        while let [i, ..] = *rest {
            let name = self.plan.items[i].name.clone();
            let group = if self.plan.items[i].expression.is_some() {
                let items = &self.plan.items;
                rest.iter()
                    .take_while(|&&j| items[j].name == name && items[j].expression.is_some())
                    .count()
            } else {
                1
            };
            let Some(entry) = webhooks.take(&name) else {
                rest = &rest[group..];
                continue;
            };
            let at = pointer::join([key, &*name]);
            if self.plan.items[i].expression.is_some() {
                self.callback_shaped_webhook(key, &name, &at, &rest[..group], entry)?;
            } else {
                let origin = Origin::Webhook {
                    key: key.to_string(),
                    name,
                    expression: None,
                };
                self.path_item(i, origin, &at, entry)?;
            }
            rest = &rest[group..];
        }
        Ok(())
    }

    /// A webhook in the shape of a callback: one channel per runtime expression (`items`),
    /// addressed by it as a callback's is; the entry's extensions ride on the first channel.
    fn callback_shaped_webhook<'v>(
        &mut self,
        key: &str,
        name: &str,
        at: &str,
        items: &[usize],
        mut entry: In<'v>,
    ) -> Result<(), Error>
    where
        'a: 'v,
    {
        let first = self.channels.len();
        let (mut extensions, late, _) = take_extensions(&mut entry);
        extensions.extend(late);
        for &i in items {
            let expression = self.plan.items[i].expression.clone().unwrap_or_default();
            let Some(item) = entry.take(&expression) else {
                continue;
            };
            let item_at = pointer::push(at, &expression);
            let origin = Origin::Webhook {
                key: key.to_string(),
                name: name.to_string(),
                expression: Some(expression),
            };
            self.path_item(i, origin, &item_at, item)?;
        }
        let first = self.channels.values_mut().nth(first);
        if let (Some(Value::Object(channel)), false) = (first, extensions.is_empty()) {
            let ext = Value::Object(extensions);
            channel.insert("x-openapi-webhook-extensions".into(), ext);
        }
        Ok(())
    }

    /// The callbacks of operation `op` of the model (its `callbacks` field: `callbacks`).
    /// Callbacks that make no channel (no expression, or not a mapping) are kept in the
    /// operation's record when it has one (`recorded`), so the way back has them.
    fn callbacks<'v>(
        &mut self,
        op: usize,
        (op_pointer, op_key): (&str, &str),
        callbacks: Option<In<'v>>,
        recorded: bool,
    ) -> Result<(), Error>
    where
        'a: 'v,
    {
        let Some(mut callbacks) = callbacks else {
            return Ok(());
        };
        let Some(names) = callbacks
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
        else {
            let at = pointer::push(op_pointer, "callbacks");
            let msg = "`callbacks` must be a mapping of callback names to Callback Objects";
            self.keep_callbacks(recorded, op_key, &at, callbacks.into_value(), msg);
            return Ok(());
        };
        let mut kept = Obj::new();
        for name in names {
            let Some(raw) = callbacks.take(&name) else {
                continue;
            };
            let at = pointer::join_to(op_pointer, ["callbacks", &*name]);
            let model = &self.plan;
            let c = model.ops[op]
                .callbacks
                .iter()
                .copied()
                .find(|&c| model.callbacks[c].name == name);
            let Some(c) = c.filter(|&c| !model.callbacks[c].items.is_empty()) else {
                let msg = match c {
                    Some(_) => format!("callback `{name}` has no URL expression that is a Path Item, so there is no channel to make"),
                    None => format!("callback `{name}` is not a mapping (nor a `$ref` to one), so there is no channel to make"),
                };
                self.keep_callbacks(recorded, op_key, &at, Value::Null, &msg);
                kept.insert(name, raw.into_value());
                continue;
            };
            let (_, callback, cb_ref) = self.resolve(raw, &at)?;
            let parent = (op_pointer, op_key);
            self.callback(c, parent, &at, callback, cb_ref.as_deref())?;
        }
        if recorded && (!kept.is_empty() || callbacks.as_object().is_some_and(Obj::is_empty)) {
            self.record_callbacks(op_key, Value::Object(kept));
        }
        Ok(())
    }

    /// Warns about callbacks that make no channel; `value` (unless `null`) goes to the record.
    fn keep_callbacks(&mut self, recorded: bool, op_key: &str, at: &str, value: Value, msg: &str) {
        let whereabouts = if recorded {
            "it is kept verbatim in `x-openapi-operation` for the way back"
        } else {
            "it is left out (its operation is a REST one, converted only with `--include-paths`)"
        };
        self.warn(codes::LOSSY, at, format!("{msg}; {whereabouts}"));
        if recorded && !value.is_null() {
            self.record_callbacks(op_key, value);
        }
    }

    /// `callbacks` in the record of the AsyncAPI operation `op_key`.
    fn record_callbacks(&mut self, op_key: &str, value: Value) {
        let Some(Value::Object(op)) = self.operations.get_mut(op_key) else {
            return;
        };
        let record = op
            .entry("x-openapi-operation")
            .or_insert_with(|| Value::Object(Obj::new()));
        if let Value::Object(record) = record {
            record.insert("callbacks".into(), value);
        }
    }

    /// One callback (model index `c`): a channel per runtime expression.
    fn callback<'v>(
        &mut self,
        c: usize,
        (op_pointer, op_key): (&str, &str),
        at: &str,
        mut callback: In<'v>,
        cb_ref: Option<&str>,
    ) -> Result<(), Error>
    where
        'a: 'v,
    {
        let name = self.plan.callbacks[c].name.clone();
        let (mut extensions, late, expressions) = take_extensions(&mut callback);
        for i in self.plan.callbacks[c].items.clone() {
            let expression = self.plan.items[i].expression.clone().unwrap_or_default();
            let Some(item) = callback.take(&expression) else {
                continue;
            };
            let mut record = Obj::new();
            record.insert(
                "parent".into(),
                Value::String(pointer::to_fragment(op_pointer)),
            );
            record.insert("name".into(), Value::String(name.clone()));
            record.insert("expression".into(), Value::String(expression.clone()));
            if let Some(r) = cb_ref {
                record.insert("ref".into(), Value::String(r.to_string()));
            }
            if !extensions.is_empty() && cb_ref.is_none() {
                let extensions = Value::Object(std::mem::take(&mut extensions));
                record.insert("extensions".into(), extensions);
            }
            let item_at = pointer::push(at, &expression);
            let origin = Origin::Callback(CallbackOrigin {
                parent_key: op_key.to_string(),
                name: name.clone(),
                expression,
                record,
            });
            self.path_item(i, origin, &item_at, item)?;
        }
        if expressions > 0 && !late.is_empty() && cb_ref.is_none() {
            // Extensions written after the first expression: attach them to the first channel.
            self.attach_late_callback_extensions(op_pointer, &name, late);
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

    /// A Path Item of the model (index `i`: a webhook, a callback URL or a path): its channel,
    /// then each operation and that operation's callbacks.
    fn path_item<'v>(
        &mut self,
        i: usize,
        origin: Origin,
        at: &str,
        raw: In<'v>,
    ) -> Result<(), Error>
    where
        'a: 'v,
    {
        self.report_findings(i);
        let (raw, target, item_ref) = self.resolve(raw, at)?;
        let Some(target_obj) = target.value().as_object() else {
            return Ok(()); // the model reported it
        };
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
        for ((method, additional), op) in ops {
            let op_at = operation_pointer(at, &method, additional);
            if !op.value().is_object() {
                self.warn(
                    codes::INVALID_STRUCTURE,
                    &op_at,
                    "an Operation must be a mapping; skipped".into(),
                );
                continue;
            }
            let (key, callbacks) = self.operation(&ctx, (&method, additional), &op_at, op)?;
            if let Some(o) = self.plan.op(i, (&method, additional)) {
                self.callbacks(o, (&op_at, &key), callbacks, true)?;
            }
        }
        Ok(())
    }
}

/// The pointer of an operation in the Path Item at `item`: `<item>/post`, or
/// `<item>/additionalOperations/LINK`.
pub(super) fn operation_pointer(item: &str, method: &str, additional: bool) -> String {
    if additional {
        pointer::join_to(item, [ADDITIONAL_OPERATIONS, method])
    } else {
        pointer::push(item, method)
    }
}

/// The `x-` members of a mapping (copied) whose values pass `keep`.
fn extension_entries(value: &Value, keep: impl Fn(&Value) -> bool) -> Obj {
    value
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, v)| k.starts_with("x-") && keep(v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Takes the `x-` members out of a callback (or a webhook in its shape): those before its
/// first expression, those after, and how many expressions it has.
fn take_extensions(node: &mut In<'_>) -> (Obj, Obj, usize) {
    let keys: Vec<String> = node
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let (mut early, mut late, mut expressions) = (Obj::new(), Obj::new(), 0);
    for key in keys {
        if !key.starts_with("x-") {
            expressions += 1;
            continue;
        }
        if let Some(v) = node.take(&key) {
            let slot = if expressions == 0 {
                &mut early
            } else {
                &mut late
            };
            slot.insert(key, v.into_value());
        }
    }
    (early, late, expressions)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::to_asyncapi::{convert, Options};
    use crate::openapi::Version;
    use serde_json::json;

    fn warnings(doc: &Value, options: &Options) -> Vec<(String, String)> {
        let version = Version {
            raw: "3.1.0".into(),
            dialect: Dialect::Oas31,
        };
        let out = convert(doc, &version, "f", options).unwrap();
        let d = out.diagnostics.iter();
        d.map(|d| (d.code.to_string(), d.pointer.clone())).collect()
    }

    #[test]
    fn what_the_model_cannot_read_is_warned_about_in_document_order() {
        let ok = json!({"post": {"responses": {"200": {"description": "ok"}}}});
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/p": 1, "/q": {"post": {"callbacks": {
                "cb": {"{$url}": 2, "x-late": 1, "{$request.body#/v}": ok}, "none": {"x-only": 1}
            }}}},
            "webhooks": {"a": 3, "b": ok, "shaped": {"{$request.body#/u}": ok}, "z": [4]}
        });
        let codes = |w: Vec<(String, String)>| -> Vec<String> {
            w.into_iter().map(|(c, p)| format!("{c} {p}")).collect()
        };
        assert_eq!(
            codes(warnings(&doc, &Options::default())),
            [
                "invalid-structure /paths/~1q/post/callbacks/cb/{$url}",
                "lossy-mapping /paths/~1q/post/callbacks/none",
                "invalid-structure /webhooks/a",
                "callback-shaped-webhook /webhooks/shaped",
                "invalid-structure /webhooks/z",
            ]
        );
        let all = Options {
            include_paths: true,
            ..Options::default()
        };
        assert_eq!(
            codes(warnings(&doc, &all))[0],
            "invalid-structure /paths/~1p"
        );
    }

    #[test]
    fn a_callback_that_reaches_itself_stops_the_conversion_where_it_is_reached() {
        let doc = json!({
            "openapi": "3.1.0",
            "webhooks": {"w": {"$ref": "#/components/pathItems/X"}},
            "components": {"pathItems": {"X": {"post": {"callbacks": {
                "again": {"{$url}": {"$ref": "#/components/pathItems/X"}}
            }}}}}
        });
        let version = Version {
            raw: "3.1.0".into(),
            dialect: Dialect::Oas31,
        };
        let Err(Error { diagnostic: e }) = convert(&doc, &version, "f", &Options::default()) else {
            panic!("a cycle must stop the conversion");
        };
        assert_eq!(e.code, codes::REF_CYCLE);
        assert_eq!(e.pointer, "/webhooks/w/post/callbacks/again/{$url}");
    }

    #[test]
    fn extensions_before_and_after_the_first_expression_are_told_apart() {
        let mut node = In::Own(json!({"x-a": 1, "{$url}": {}, "x-b": 2, "{$u2}": {}}));
        let (early, late, n) = take_extensions(&mut node);
        assert_eq!(Value::Object(early), json!({"x-a": 1}));
        assert_eq!(Value::Object(late), json!({"x-b": 2}));
        assert_eq!(n, 2);
        assert_eq!(node.value()["{$url}"], json!({}), "expressions stay");
    }
}
