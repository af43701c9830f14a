//! Edit lists: the difference between two JSON values as a list of edits that turns the
//! first into the second, key order included.
//!
//! The edits are JSON Patch (RFC 6902) `add`, `remove` and `replace` operations, plus one
//! operation of our own, `{"op": "order", "path": P, "keys": [...]}`, which puts the keys of
//! the object at `P` in the given order (JSON Patch appends added keys and cannot say where
//! a key goes; our output promises key order).

use serde_json::{json, Map, Value};

use crate::document::pointer;

/// The edits that turn `from` into `to`: `apply(&mut from, &diff(&from, &to))` gives `to`,
/// key order included.
pub fn diff(from: &Value, to: &Value) -> Vec<Value> {
    let mut edits = Vec::new();
    walk(from, to, "", &mut edits);
    edits
}

fn walk(from: &Value, to: &Value, at: &str, edits: &mut Vec<Value>) {
    match (from, to) {
        (Value::Object(a), Value::Object(b)) => objects(a, b, at, edits),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                walk(x, y, &pointer::push(at, &i.to_string()), edits);
            }
        }
        _ if from == to => {}
        _ => edits.push(json!({"op": "replace", "path": at, "value": to})),
    }
}

fn objects(a: &Map<String, Value>, b: &Map<String, Value>, at: &str, edits: &mut Vec<Value>) {
    for k in a.keys().filter(|k| !b.contains_key(*k)) {
        edits.push(json!({"op": "remove", "path": pointer::push(at, k)}));
    }
    for (k, y) in b {
        let path = pointer::push(at, k);
        match a.get(k) {
            Some(x) => walk(x, y, &path, edits),
            None => edits.push(json!({"op": "add", "path": path, "value": y})),
        }
    }
    // After the edits above, the kept keys are in `a`'s order and the added ones follow.
    let kept = a.keys().filter(|k| b.contains_key(*k));
    let added = b.keys().filter(|k| !a.contains_key(*k));
    if !kept.chain(added).eq(b.keys()) {
        let keys: Vec<Value> = b.keys().map(|k| Value::String(k.clone())).collect();
        edits.push(json!({"op": "order", "path": at, "keys": keys}));
    }
}

/// Applies edits in order. An edit that does not fit the document (its parent is missing,
/// it is malformed) is skipped and reported by its index and a reason; the rest still apply.
pub fn apply(doc: &mut Value, edits: &[Value]) -> Vec<(usize, String)> {
    let mut skipped = Vec::new();
    for (i, edit) in edits.iter().enumerate() {
        if let Err(why) = apply_one(doc, edit) {
            skipped.push((i, why));
        }
    }
    skipped
}

fn apply_one(doc: &mut Value, edit: &Value) -> Result<(), String> {
    let op = edit.get("op").and_then(Value::as_str).unwrap_or_default();
    let path = edit
        .get("path")
        .and_then(Value::as_str)
        .ok_or("no `path`")?;
    let tokens = pointer::split(path).ok_or_else(|| format!("`{path}` is not a JSON pointer"))?;
    let value = || edit.get("value").cloned().ok_or("no `value`".to_string());
    if tokens.is_empty() {
        return match op {
            "replace" => {
                *doc = value()?;
                Ok(())
            }
            "order" => reorder(doc, edit),
            _ => Err(format!("`{op}` cannot apply to the whole document")),
        };
    }
    if op == "order" {
        let target = doc.pointer_mut(path).ok_or("no such object")?;
        return reorder(target, edit);
    }
    let (last, parent_tokens) = tokens.split_last().ok_or("empty path")?;
    let parent = parent_of(doc, parent_tokens).ok_or("its parent does not exist")?;
    match (op, parent) {
        ("add" | "replace", Value::Object(m)) => {
            if op == "replace" && !m.contains_key(last) {
                return Err("nothing to replace".into());
            }
            m.insert(last.clone(), value()?);
            Ok(())
        }
        ("remove", Value::Object(m)) => m
            .shift_remove(last)
            .map(drop)
            .ok_or("nothing to remove".into()),
        (_, Value::Array(list)) => edit_array(list, op, last, value),
        _ => Err(format!("`{op}` does not apply here")),
    }
}

fn edit_array(
    list: &mut Vec<Value>,
    op: &str,
    token: &str,
    value: impl Fn() -> Result<Value, String>,
) -> Result<(), String> {
    let len = list.len();
    let index = match token {
        "-" => len,
        t => t
            .parse::<usize>()
            .map_err(|_| format!("`{t}` is not an index"))?,
    };
    match op {
        "add" if index <= len => list.insert(index, value()?),
        "replace" if index < len => list[index] = value()?,
        "remove" if index < len => drop(list.remove(index)),
        _ => return Err(format!("index {index} is out of range")),
    }
    Ok(())
}

fn parent_of<'v>(doc: &'v mut Value, tokens: &[String]) -> Option<&'v mut Value> {
    let mut node = doc;
    for t in tokens {
        node = match node {
            Value::Object(m) => m.get_mut(t)?,
            Value::Array(list) => list.get_mut(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

fn reorder(target: &mut Value, edit: &Value) -> Result<(), String> {
    let Value::Object(m) = target else {
        return Err("not an object".into());
    };
    let keys = edit
        .get("keys")
        .and_then(Value::as_array)
        .ok_or("no `keys`")?;
    let mut old = std::mem::take(m);
    for k in keys.iter().filter_map(Value::as_str) {
        if let Some(v) = old.shift_remove(k) {
            m.insert(k.to_string(), v);
        }
    }
    // Keys the list does not name (added since the edits were made) keep their place at the end.
    m.extend(old);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same_bytes(a: &Value, b: &Value) -> bool {
        serde_json::to_string(a).ok() == serde_json::to_string(b).ok()
    }

    #[test]
    fn edits_restore_values_and_key_order() {
        let from = json!({"a": 1, "b": {"x": [1, 2], "y": "s"}, "c": null});
        let to = json!({"n": true, "b": {"y": "t", "x": [1, 3], "z": {"$ref": "#/a"}}, "a": 1});
        let edits = diff(&from, &to);
        let mut doc = from.clone();
        assert!(apply(&mut doc, &edits).is_empty());
        assert!(same_bytes(&doc, &to), "{doc}");
        assert!(diff(&to, &to).is_empty());
    }

    #[test]
    fn edits_that_no_longer_fit_are_skipped_not_fatal() {
        let edits = vec![
            json!({"op": "add", "path": "/gone/x", "value": 1}),
            json!({"op": "replace", "path": "/a", "value": 2}),
            json!({"op": "frobnicate", "path": "/a"}),
            json!({"path": 3}),
        ];
        let mut doc = json!({"a": 1});
        let skipped = apply(&mut doc, &edits);
        assert_eq!(doc, json!({"a": 2}));
        assert_eq!(
            skipped.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
            [0, 2, 3]
        );
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (0i64..5).prop_map(|n| json!(n)),
            "[a-c~/]{0,2}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec(("[a-d~/]{1,2}", inner), 0..5)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn apply_of_diff_gives_the_target(from in value(), to in value()) {
            let mut doc = from.clone();
            let skipped = apply(&mut doc, &diff(&from, &to));
            prop_assert!(skipped.is_empty(), "{:?}", skipped);
            prop_assert!(same_bytes(&doc, &to), "{} != {}", doc, to);
        }
    }
}
