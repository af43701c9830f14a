//! Edit lists: the difference between two JSON values as a list of edits that turns the
//! first into the second, key order included.
//!
//! The edits are JSON Patch (RFC 6902) `add`, `remove` and `replace` operations, plus one
//! operation of our own, `{"op": "order", "path": P, "keys": [...]}`, which puts the keys of
//! the object at `P` in the given order (JSON Patch appends added keys and cannot say where
//! a key goes; our output promises key order).

use std::collections::HashMap;

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
                let element = pointer::push(at, &i.to_string());
                let start = edits.len();
                walk(x, y, &element, edits);
                // Edits inside an element say which element they meant, so they follow it
                // when the array is reordered, and are skipped when it is gone.
                if let (true, Some((key, id))) = (edits.len() > start, identity(x)) {
                    let test =
                        json!({"op": "test", "path": pointer::push(&element, key), "value": id});
                    edits.insert(start, test);
                }
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

/// The field that names an array element (a tag's `name`, a message's `$ref`, a server's
/// `url`), and its value.
fn identity(element: &Value) -> Option<(&'static str, &Value)> {
    ["$ref", "name", "url", "title"]
        .into_iter()
        .find_map(|k| element.get(k).filter(|v| v.is_string()).map(|v| (k, v)))
}

/// Applies edits in order. An edit that does not fit the document (its parent is missing,
/// it is malformed) is skipped and reported by its index and a reason; the rest still apply.
///
/// A `test` of an array element's identity (see [`diff`]) that fails looks for the element
/// elsewhere in its array: the edits after it that address the element follow it there, or
/// are skipped when no element has that identity any more.
pub fn apply(doc: &mut Value, edits: &[Value]) -> Vec<(usize, String)> {
    let mut skipped = Vec::new();
    let mut moved: Option<Moved> = None;
    for (i, edit) in edits.iter().enumerate() {
        let retargeted = moved.as_ref().and_then(|m| m.retarget(edit));
        if retargeted.is_none() {
            moved = None;
        }
        let result = match (&retargeted, edit.get("op").and_then(Value::as_str)) {
            (Some(Retarget::Gone(why)), _) => Err(why.clone()),
            (Some(Retarget::To(e)), _) => apply_one(doc, e),
            (None, Some("test")) => match follow_element(doc, edit) {
                Ok(m) => {
                    moved = m;
                    Ok(())
                }
                Err(why) => Err(why),
            },
            (None, _) => apply_one(doc, edit),
        };
        if let Err(why) = result {
            skipped.push((i, why));
        }
    }
    skipped
}

/// An element whose identity test failed: where its edits go instead.
struct Moved {
    /// The element's pointer as the edits write it.
    from: String,
    /// Where it is now, or `None` when it is gone (and why).
    to: Result<String, String>,
}

enum Retarget {
    To(Value),
    Gone(String),
}

impl Moved {
    fn retarget(&self, edit: &Value) -> Option<Retarget> {
        let path = edit.get("path").and_then(Value::as_str)?;
        let rest = path.strip_prefix(&self.from)?;
        if !rest.is_empty() && !rest.starts_with('/') {
            return None;
        }
        Some(match &self.to {
            Ok(to) => {
                let mut e = edit.clone();
                e["path"] = Value::String(format!("{to}{rest}"));
                Retarget::To(e)
            }
            Err(why) => Retarget::Gone(why.clone()),
        })
    }
}

/// A `test` edit: `Ok(None)` when it holds, `Ok(Some(moved))` when the element it names is
/// elsewhere in its array or gone; `Err` only when the test itself is malformed.
fn follow_element(doc: &Value, edit: &Value) -> Result<Option<Moved>, String> {
    let path = edit
        .get("path")
        .and_then(Value::as_str)
        .ok_or("no `path`")?;
    let want = edit.get("value").ok_or("no `value`")?;
    if doc.pointer(path) == Some(want) {
        return Ok(None);
    }
    let tokens = pointer::split(path).ok_or("not a JSON pointer")?;
    let [array_tokens @ .., _, key] = tokens.as_slice() else {
        return Err("a test names an element's field".into());
    };
    let array_at = pointer::join(array_tokens.iter().map(String::as_str));
    let element = path[..path.len() - pointer::escape(key).len() - 1].to_string();
    let found = doc
        .pointer(&array_at)
        .and_then(Value::as_array)
        .and_then(|list| list.iter().position(|e| e.get(key) == Some(want)));
    let to = match found {
        Some(j) => Ok(pointer::push(&array_at, &j.to_string())),
        None => Err(format!(
            "the element with `{key}: {want}` it was made for is gone from `{array_at}`"
        )),
    };
    Ok(Some(Moved { from: element, to }))
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
    if op == "test" {
        // An identity test inside an element that moved: nested moves are not followed.
        return Ok(());
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
    // One pass (removing each named key from the map would shift the rest: quadratic).
    let mut place: HashMap<&str, usize> = HashMap::new();
    for k in keys.iter().filter_map(Value::as_str) {
        let next = place.len();
        place.entry(k).or_insert(next);
    }
    let mut named: Vec<Option<(String, Value)>> = vec![None; place.len()];
    let mut rest = Vec::new();
    for (k, v) in std::mem::take(m) {
        match place.get(k.as_str()) {
            Some(&i) => named[i] = Some((k, v)),
            None => rest.push((k, v)),
        }
    }
    // Keys the list does not name (added since the edits were made) keep their place at the end.
    m.extend(named.into_iter().flatten().chain(rest));
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

    #[test]
    fn edits_follow_their_element_when_an_array_is_reordered() {
        let native = json!({"tags": [{"name": "payments"}, {"name": "orders"}]});
        let original = json!({"tags": [{"name": "payments", "description": "Money moved"}, {"name": "orders"}]});
        let edits = diff(&native, &original);
        assert_eq!(
            edits[0],
            json!({"op": "test", "path": "/tags/0/name", "value": "payments"})
        );
        // The tags swapped in between: the description still lands on `payments`.
        let mut swapped = json!({"tags": [{"name": "orders"}, {"name": "payments"}]});
        assert!(apply(&mut swapped, &edits).is_empty());
        assert_eq!(
            swapped,
            json!({"tags": [{"name": "orders"}, {"name": "payments", "description": "Money moved"}]})
        );
        // `payments` is gone: its edits are skipped with a reason, never put on `orders`.
        let mut gone = json!({"tags": [{"name": "orders"}, {"name": "refunds"}]});
        let skipped = apply(&mut gone, &edits);
        assert_eq!(
            gone,
            json!({"tags": [{"name": "orders"}, {"name": "refunds"}]})
        );
        assert_eq!(skipped.len(), 1);
        assert!(skipped[0].1.contains("payments"), "{}", skipped[0].1);
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
