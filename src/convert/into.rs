//! `convert ASYNCAPI --into BASE`: the AsyncAPI document, converted to OpenAPI, merged into an
//! existing OpenAPI document.
//!
//! The AsyncAPI side is the truth for events: the base's webhooks, every callback of its path
//! operations and the components the converted document has are replaced. Everything else in
//! the base (info, servers, tags, paths outside callbacks, other components) stays as it was,
//! in its key order. See docs/mapping.md, "Merging into an existing document".

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::convert::dialect::Dialect;
use crate::convert::version::{retarget, OpenApiVersion};
/// The codes `--into` adds (defined in the registry, `crate::diagnostics::REGISTRY`).
pub use crate::diagnostics::codes::{
    CALLBACK_NOT_ATTACHED, PLACEHOLDER_ADDED, SHARED_COMPONENT_CHANGED, USAGE,
};
use crate::diagnostics::{Diagnostic, Error};
use crate::document::pointer;
use crate::openapi::{self, events, Kind};
use crate::{ConvertOptions, Converted, Document, Target};

type Obj = Map<String, Value>;

const WEBHOOK_KEYS: [&str; 2] = ["webhooks", "x-webhooks"];
const PLACEHOLDER: &str = "x-hookbridge-placeholder";

/// The merged document and what was noticed while merging.
#[derive(Debug, Clone)]
pub struct Merged {
    pub document: Value,
    pub diagnostics: Vec<Diagnostic>,
}

/// Converts the AsyncAPI document `doc` to OpenAPI and merges it into `base` (an OpenAPI
/// document). The result keeps the base's `openapi` version: the conversion is done in the
/// base's schema dialect.
pub fn convert_into(
    doc: &Document,
    base: &Document,
    options: &ConvertOptions,
) -> Result<Converted, Error> {
    let version = base_version(base)?;
    if let Some(v) = options.openapi_version {
        let msg = format!("`--openapi-version {}` does not apply with `--into`: the merged document keeps the version of `{}`", v.minor(), base.name);
        return Err(usage(&doc.name, &msg));
    }
    if options.to == Some(Target::AsyncApi) {
        return Err(usage(
            &doc.name,
            "`--into` writes OpenAPI: it cannot be used with `--to asyncapi`",
        ));
    }
    if let Kind::OpenApi(_) = openapi::detect(&doc.value, &doc.name)? {
        let msg = "`--into` merges an AsyncAPI document into an OpenAPI one, but the input is OpenAPI: convert it to AsyncAPI first, or drop `--into`";
        return Err(usage(&doc.name, msg));
    }
    let adjusted = Document {
        name: doc.name.clone(),
        syntax: doc.syntax,
        value: with_openapi_version(&doc.value, &version.raw),
    };
    let mut converted = crate::convert_document(&adjusted, options)?;
    // What the base's version lacks (a 3.2 `query` operation for a 3.1 base) goes into
    // extensions, as `--openapi-version` does it.
    let came_from = doc
        .value
        .pointer("/x-openapi/openapi")
        .and_then(Value::as_str)
        .and_then(OpenApiVersion::of)
        .unwrap_or(OpenApiVersion::V31);
    if let Some(target) = OpenApiVersion::of(&version.raw).filter(|t| *t != came_from) {
        let notes = retarget(&mut converted.document, (came_from, target), &doc.name);
        converted.diagnostics.extend(notes);
    }
    let merged = merge_into(&base.value, &converted.document, &base.name)?;
    converted.document = merged.document;
    converted.diagnostics.extend(merged.diagnostics);
    Ok(converted)
}

fn base_version(base: &Document) -> Result<openapi::Version, Error> {
    match openapi::detect(&base.value, &base.name)? {
        Kind::OpenApi(v) => Ok(v),
        Kind::AsyncApi(_) => Err(usage(
            &base.name,
            "the `--into` document must be OpenAPI 3.0, 3.1 or 3.2, but it is AsyncAPI",
        )),
    }
}

fn usage(file: &str, msg: &str) -> Error {
    Diagnostic::error(USAGE, file, "", msg).into()
}

/// The AsyncAPI document with its root record claiming the base's OpenAPI version, so the
/// way back writes schemas in the base's dialect (`nullable` for 3.0, type arrays for 3.1).
fn with_openapi_version(asyncapi: &Value, version: &str) -> Value {
    let mut out = asyncapi.clone();
    if let Value::Object(root) = &mut out {
        let record = root
            .entry("x-openapi")
            .or_insert_with(|| Value::Object(Obj::new()));
        if let Value::Object(record) = record {
            record.insert("openapi".into(), Value::String(version.to_string()));
        }
    }
    out
}

/// Merges `converted` (an OpenAPI document from [`crate::convert::to_openapi`]) into `base`.
pub fn merge_into(base: &Value, converted: &Value, base_name: &str) -> Result<Merged, Error> {
    let Kind::OpenApi(version) = openapi::detect(base, base_name)? else {
        return Err(usage(
            base_name,
            "the `--into` document must be OpenAPI 3.0 or 3.1",
        ));
    };
    let empty = Obj::new();
    let base_root = base.as_object().unwrap_or(&empty);
    let conv = converted.as_object().unwrap_or(&empty);
    let shared = shared_components(base);
    let mut out = base_root.clone();
    let mut diagnostics = Vec::new();
    merge_webhooks(&mut out, conv, version.dialect);
    merge_callbacks(&mut out, (base, converted), base_name, &mut diagnostics);
    merge_components(&mut out, conv, &shared, base_name, &mut diagnostics);
    Ok(Merged {
        document: Value::Object(out),
        diagnostics,
    })
}

// ----- webhooks ----------------------------------------------------------------------------

fn merge_webhooks(out: &mut Obj, conv: &Obj, dialect: Dialect) {
    let conv_keys: Vec<&str> = WEBHOOK_KEYS
        .into_iter()
        .filter(|k| conv.contains_key(*k))
        .collect();
    let base_keys: Vec<&str> = WEBHOOK_KEYS
        .into_iter()
        .filter(|k| out.contains_key(*k))
        .collect();
    // Same key(s) on both sides: replaced in place.
    if !conv_keys.is_empty() && conv_keys == base_keys {
        for k in conv_keys {
            if let (Some(new), Some(old)) = (conv.get(k), out.get_mut(k)) {
                *old = ordered_like(new, old);
            }
        }
        return;
    }
    // Otherwise the base's key wins (3.0 documents keep `x-webhooks`).
    let default = match dialect {
        Dialect::Oas30 => "x-webhooks",
        Dialect::Oas31 => "webhooks",
    };
    let target = base_keys.first().copied().unwrap_or(default);
    for k in base_keys.iter().filter(|k| **k != target) {
        out.shift_remove(*k);
    }
    if conv_keys.is_empty() {
        out.shift_remove(target);
        return;
    }
    let mut hooks = Obj::new();
    for k in conv_keys {
        if let Some(Value::Object(m)) = conv.get(k) {
            hooks.extend(m.clone());
        }
    }
    if let Some(old) = out.get_mut(target) {
        *old = ordered_like(&Value::Object(hooks), old);
    } else {
        insert_after(
            out,
            &["paths", "externalDocs", "tags", "info"],
            target,
            Value::Object(hooks),
        );
    }
}

/// Inserts `key` just after the first of `anchors` present, else at the end.
fn insert_after(out: &mut Obj, anchors: &[&str], key: &str, value: Value) {
    let Some(anchor) = anchors.iter().find(|a| out.contains_key(**a)) else {
        out.insert(key.to_string(), value);
        return;
    };
    let mut rebuilt = Obj::new();
    let mut value = Some(value);
    for (k, v) in std::mem::take(out) {
        let at_anchor = k == *anchor;
        rebuilt.insert(k, v);
        if at_anchor {
            if let Some(v) = value.take() {
                rebuilt.insert(key.to_string(), v);
            }
        }
    }
    *out = rebuilt;
}

/// `new`, with the keys it shares with `old` in `old`'s order (its own keys after them):
/// what did not change keeps its text, so a merge shows as a small diff.
fn ordered_like(new: &Value, old: &Value) -> Value {
    match (new, old) {
        (Value::Object(n), Value::Object(o)) => {
            let mut out: Obj = o
                .iter()
                .filter_map(|(k, ov)| Some((k.clone(), ordered_like(n.get(k)?, ov))))
                .collect();
            for (k, nv) in n {
                if !out.contains_key(k) {
                    out.insert(k.clone(), nv.clone());
                }
            }
            Value::Object(out)
        }
        (Value::Array(n), Value::Array(o)) if n.len() == o.len() => Value::Array(
            n.iter()
                .zip(o)
                .map(|(nv, ov)| ordered_like(nv, ov))
                .collect(),
        ),
        _ => new.clone(),
    }
}

// ----- callbacks ---------------------------------------------------------------------------

fn merge_callbacks(
    out: &mut Obj,
    (base, converted): (&Value, &Value),
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let conv = events::walk(converted);
    if let Some(Value::Object(paths)) = out.get_mut("paths") {
        replace_base_callbacks(paths, base, &conv);
    }
    // Only inline path items: a `$ref`'d one's callbacks travel with its component.
    for op in inline_path_operations(&conv) {
        let (Some(item), Some(cb_op)) = (op.path_item.as_object(), op.operation.as_object()) else {
            continue;
        };
        if cb_op.contains_key("callbacks") {
            let field = op.field_tokens();
            add_missing_operation(out, op.name, item, &field, cb_op, file, diagnostics);
        }
    }
}

/// The operations of `paths` written inline (not through a `$ref`'d Path Item), from the
/// event model.
fn inline_path_operations<'e, 'a>(
    events: &'e events::Events<'a>,
) -> impl Iterator<Item = &'e events::Operation<'a>> {
    events
        .operations
        .iter()
        .filter(|o| o.kind == events::Kind::Path && o.item_ref.is_none())
}

/// Every operation of the base's paths gets the converted document's callbacks for it, or
/// none. An existing `callbacks` keeps its place among the operation's fields.
fn replace_base_callbacks(paths: &mut Obj, base: &Value, conv: &events::Events) {
    let mut by_operation: HashMap<(&str, Vec<&str>), &Value> = HashMap::new();
    for o in inline_path_operations(conv) {
        if let Some(cb) = o.operation.get("callbacks") {
            by_operation.entry((o.name, o.field_tokens())).or_insert(cb);
        }
    }
    for op in inline_path_operations(&events::walk(base)) {
        let field = op.field_tokens();
        let mut target = paths.get_mut(op.name);
        for t in &field {
            target = target.and_then(|n| n.get_mut(*t));
        }
        let Some(Value::Object(target)) = target else {
            continue;
        };
        match (
            by_operation.get(&(op.name, field)).copied(),
            target.get_mut("callbacks"),
        ) {
            (Some(new), Some(old)) => *old = ordered_like(new, old),
            (Some(new), None) => {
                target.insert("callbacks".into(), new.clone());
            }
            (None, _) => {
                target.shift_remove("callbacks");
            }
        }
    }
}

/// A converted operation with callbacks that the base does not have: added (the path item
/// too, with its non-operation fields), with a warning when it is only a stand-in.
fn add_missing_operation(
    out: &mut Obj,
    path: &str,
    conv_item: &Obj,
    field: &[&str],
    conv_op: &Obj,
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let at = pointer::join_to(&pointer::join(["paths", path]), field.iter().copied());
    // A `$ref`'d path item: its callbacks travel with `components.pathItems`.
    if let Some(item) = out.get("paths").and_then(|p| p.get(path)) {
        if openapi::ref_of(item).is_some() {
            if !ref_target_has(out, item, field) {
                let msg = format!(
                    "the callbacks of `{}` were not attached: in the base document that path item is a `$ref` to a path item without this operation",
                    pointer::to_fragment(&at)
                );
                diagnostics.push(Diagnostic::warning(CALLBACK_NOT_ATTACHED, file, &at, msg));
            }
            return;
        }
    }
    if !out.contains_key("paths") {
        insert_after(
            out,
            &["externalDocs", "tags", "security", "servers", "info"],
            "paths",
            Value::Object(Obj::new()),
        );
    }
    let Some(Value::Object(paths)) = out.get_mut("paths") else {
        return;
    };
    let item = paths
        .entry(path.to_string())
        .or_insert_with(|| Value::Object(path_item_fields(conv_item)));
    let Value::Object(item) = item else {
        return;
    };
    // `["post"]`, or `["additionalOperations", "LINK"]` (OpenAPI 3.2).
    let (last, parents) = match field.split_last() {
        Some(split) => split,
        None => return,
    };
    let mut owner = item;
    for t in parents {
        let slot = owner
            .entry(t.to_string())
            .or_insert_with(|| Value::Object(Obj::new()));
        let Value::Object(next) = slot else { return };
        owner = next;
    }
    if owner.contains_key(*last) {
        return;
    }
    owner.insert(last.to_string(), Value::Object(conv_op.clone()));
    if conv_op.get(PLACEHOLDER) == Some(&Value::Bool(true)) {
        let msg = format!(
            "the base document has no operation `{}`, which registers callbacks: a stand-in marked `{PLACEHOLDER}` was added; write the real operation there",
            pointer::to_fragment(&at)
        );
        diagnostics.push(Diagnostic::warning(PLACEHOLDER_ADDED, file, &at, msg));
    }
}

/// Whether the local target of the `$ref` path item `item` has the operation at `field`.
fn ref_target_has(root: &Obj, item: &Value, field: &[&str]) -> bool {
    let tokens = openapi::ref_of(item)
        .and_then(pointer::from_fragment)
        .and_then(|p| pointer::split(&p));
    let Some((first, rest)) = tokens.as_deref().and_then(<[String]>::split_first) else {
        return false;
    };
    let mut node = root.get(first);
    for t in rest {
        node = node.and_then(|n| n.get(t.as_str()));
    }
    for t in field {
        node = node.and_then(|n| n.get(*t));
    }
    node.is_some()
}

/// A path item's fields other than its operations (`summary`, `parameters`, `servers`...).
fn path_item_fields(item: &Obj) -> Obj {
    item.iter()
        .filter(|(k, _)| !events::is_path_item_operation_key(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

// ----- components --------------------------------------------------------------------------

fn merge_components(
    out: &mut Obj,
    conv: &Obj,
    shared: &HashSet<String>,
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(Value::Object(conv_components)) = conv.get("components") else {
        return;
    };
    let slot = out
        .entry("components")
        .or_insert_with(|| Value::Object(Obj::new()));
    if !slot.is_object() {
        *slot = Value::Object(Obj::new());
    }
    let Value::Object(components) = slot else {
        return;
    };
    for (kind, conv_map) in conv_components {
        let (Value::Object(conv_map), Some(Value::Object(base_map))) =
            (conv_map, components.get_mut(kind))
        else {
            components.insert(kind.clone(), conv_map.clone());
            continue;
        };
        for (name, value) in conv_map {
            let at = pointer::join(["components", kind.as_str(), name.as_str()]);
            let Some(old) = base_map.get_mut(name) else {
                base_map.insert(name.clone(), value.clone());
                continue;
            };
            if old != value && shared.contains(&at) {
                let msg = format!(
                    "`{}` is replaced by the converted document's and has changed, but the base document's paths use it too",
                    pointer::to_fragment(&at)
                );
                diagnostics.push(Diagnostic::warning(
                    SHARED_COMPONENT_CHANGED,
                    file,
                    &at,
                    msg,
                ));
            }
            *old = ordered_like(value, old);
        }
    }
}

/// The components (as pointers `/components/<kind>/<name>`) that the base's non-event parts
/// use: its paths outside callbacks and its root `security`, followed through the components
/// they reach.
fn shared_components(base: &Value) -> HashSet<String> {
    let mut found = HashSet::new();
    let mut todo = Vec::new();
    if let Some(Value::Object(paths)) = base.get("paths") {
        for item in paths.values() {
            path_item_refs(item, &mut todo);
        }
    }
    if let Some(security) = base.get("security") {
        security_refs(security, &mut todo);
    }
    while let Some(ptr) = todo.pop() {
        if !found.insert(ptr.clone()) {
            continue;
        }
        let Some(target) = openapi::lookup(base, &pointer::to_fragment(&ptr)) else {
            continue;
        };
        if ptr.starts_with("/components/pathItems/") {
            path_item_refs(target, &mut todo);
        } else {
            value_refs(target, &mut todo);
        }
    }
    found
}

/// References in a path item, its operations' callbacks left out.
fn path_item_refs(item: &Value, todo: &mut Vec<String>) {
    let Some(item) = item.as_object() else {
        return;
    };
    for (k, v) in item {
        let ops: Vec<&Value> = match k.as_str() {
            events::ADDITIONAL_OPERATIONS if v.is_object() => {
                v.as_object().into_iter().flat_map(Obj::values).collect()
            }
            key if events::is_path_item_operation_key(key) => vec![v],
            _ => {
                value_refs(v, todo);
                continue;
            }
        };
        for op in ops.into_iter().filter_map(Value::as_object) {
            for (field, fv) in op.iter().filter(|(f, _)| *f != "callbacks") {
                value_refs(fv, todo);
                if field == "security" {
                    security_refs(fv, todo);
                }
            }
        }
    }
    if let Some(r) = item.get("$ref").and_then(Value::as_str) {
        push_component(r, todo);
    }
}

/// Security requirements name their schemes instead of referring to them.
fn security_refs(security: &Value, todo: &mut Vec<String>) {
    for requirement in security.as_array().into_iter().flatten() {
        for name in requirement.as_object().into_iter().flat_map(Obj::keys) {
            todo.push(pointer::join([
                "components",
                "securitySchemes",
                name.as_str(),
            ]));
        }
    }
}

fn value_refs(v: &Value, todo: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                push_component(r, todo);
            }
            m.values().for_each(|c| value_refs(c, todo));
        }
        Value::Array(a) => a.iter().for_each(|c| value_refs(c, todo)),
        _ => {}
    }
}

/// `#/components/schemas/X/properties/a` -> `/components/schemas/X`.
fn push_component(reference: &str, todo: &mut Vec<String>) {
    let Some(tokens) = pointer::from_fragment(reference).and_then(|p| pointer::split(&p)) else {
        return;
    };
    if let [first, kind, name, ..] = tokens.as_slice() {
        if first == "components" {
            todo.push(pointer::join([first, kind, name]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn webhooks_move_to_the_base_key_and_callbacks_are_replaced() {
        let base = json!({
            "openapi": "3.0.3", "info": {"title": "T", "version": "1"},
            "paths": {"/a": {"post": {"callbacks": {"old": {}}, "responses": {}}}, "/b": {"get": {"callbacks": {"x": {}}}}},
            "x-webhooks": {"gone": {}}
        });
        let conv = json!({
            "openapi": "3.0.3", "webhooks": {"new": {"post": {}}},
            "paths": {"/a": {"post": {"x-hookbridge-placeholder": true, "callbacks": {"cb": {"{$url}": {}}}}},
                      "/c": {"put": {"x-hookbridge-placeholder": true, "callbacks": {"d": {}}}}}
        });
        let m = merge_into(&base, &conv, "base.yaml").unwrap();
        let d = &m.document;
        assert_eq!(d["x-webhooks"], json!({"new": {"post": {}}}));
        assert!(d.get("webhooks").is_none());
        assert_eq!(
            d["paths"]["/a"]["post"],
            json!({"callbacks": {"cb": {"{$url}": {}}}, "responses": {}})
        );
        let keys: Vec<_> = d["paths"]["/a"]["post"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys, ["callbacks", "responses"], "in place");
        assert_eq!(d["paths"]["/b"]["get"], json!({}));
        assert_eq!(d["paths"]["/c"]["put"]["x-hookbridge-placeholder"], true);
        assert_eq!(m.diagnostics.len(), 1);
        assert_eq!(m.diagnostics[0].pointer, "/paths/~1c/put");
    }

    #[test]
    fn webhooks_are_placed_after_paths_when_the_base_had_none() {
        let base = json!({"openapi": "3.1.0", "info": {}, "paths": {}, "components": {}});
        let conv = json!({"webhooks": {"a": {}}});
        let d = merge_into(&base, &conv, "b").unwrap().document;
        let keys: Vec<_> = d.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["openapi", "info", "paths", "webhooks", "components"]);
    }

    #[test]
    fn a_changed_component_used_by_paths_is_reported() {
        let base = json!({
            "openapi": "3.1.0", "info": {},
            "security": [{"key": []}],
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"a/b": {"schema": {"$ref": "#/components/schemas/A"}}}}},
                                      "callbacks": {"c": {"$ref": "#/components/callbacks/C"}}}}},
            "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {}, "E": {}},
                           "callbacks": {"C": {}}, "securitySchemes": {"key": {"type": "apiKey"}}}
        });
        let conv = json!({"components": {
            "schemas": {"B": {"type": "string"}, "E": {"type": "string"}, "N": {}},
            "callbacks": {"C": {"x": {}}},
            "securitySchemes": {"key": {"type": "http"}}
        }});
        let m = merge_into(&base, &conv, "b").unwrap();
        let pointers: Vec<_> = m.diagnostics.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/components/schemas/B", "/components/securitySchemes/key"]
        );
        assert!(m.diagnostics[0].message.contains("#/components/schemas/B"));
        let schemas: Vec<_> = m.document["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(schemas, ["A", "B", "E", "N"]);
    }

    #[test]
    fn replaced_values_keep_the_base_key_order() {
        let old = json!({"a": 1, "b": {"x": 1, "y": [{"p": 1, "q": 2}]}, "gone": 0});
        let new = json!({"new": 3, "b": {"y": [{"q": 2, "p": 5}], "x": 1}, "a": 1});
        let got = ordered_like(&new, &old);
        assert_eq!(got, new);
        assert_eq!(
            serde_json::to_string(&got).unwrap(),
            r#"{"a":1,"b":{"x":1,"y":[{"p":5,"q":2}]},"new":3}"#
        );
    }

    #[test]
    fn a_ref_path_item_keeps_its_callbacks_in_the_component() {
        let base = json!({
            "openapi": "3.1.0", "info": {},
            "paths": {"/x": {"$ref": "#/components/pathItems/X"}},
            "components": {"pathItems": {"X": {"post": {"callbacks": {"a": {}}}}}}
        });
        let stand_in = json!({"x-hookbridge-placeholder": true, "callbacks": {"a": {}}});
        let conv = json!({"paths": {"/x": {"post": stand_in, "put": stand_in}}});
        let m = merge_into(&base, &conv, "b").unwrap();
        assert_eq!(m.document, base);
        let found: Vec<_> = m
            .diagnostics
            .iter()
            .map(|d| (d.code, d.pointer.as_str()))
            .collect();
        assert_eq!(found, [(CALLBACK_NOT_ATTACHED, "/paths/~1x/put")]);
    }

    #[test]
    fn the_converted_version_follows_the_base() {
        let v = with_openapi_version(&json!({"asyncapi": "3.0.0"}), "3.0.3");
        assert_eq!(v["x-openapi"]["openapi"], "3.0.3");
    }
}
