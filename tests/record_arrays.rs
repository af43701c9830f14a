//! Record edits follow their element in every array (issue 18, item 2): the OpenAPI written
//! from each hand-written AsyncAPI sample has every array outside its record rotated, reversed,
//! cut or added to at random (an ordinary edit); converted back, no value the record puts on an array
//! element (tags, security, messages, parameters, servers, examples, ...) lands on an element
//! of another identity (`$ref`, `name`, `url` or `title`, as the record's tests name them).

mod common;

use hookbridge::document::load;
use proptest::prelude::*;
use serde_json::Value;

fn identity(v: &Value) -> Option<String> {
    ["$ref", "name", "url", "title"]
        .iter()
        .find_map(|k| v.get(*k).map(|id| format!("{k}={id}")))
}

/// Rotates, reverses or cuts every array outside `x-asyncapi`, as `bytes` say.
fn perturb(v: &mut Value, bytes: &[u8], at: &mut usize) {
    let mut next = || {
        *at += 1;
        bytes.get(*at % bytes.len().max(1)).copied().unwrap_or(0) as usize
    };
    match v {
        Value::Array(items) => {
            let n = items.len();
            if n > 1 {
                match next() % 5 {
                    0 => items.rotate_left(1 + next() % (n - 1)),
                    1 => items.reverse(),
                    2 => {
                        items.remove(next() % n);
                    }
                    3 => {
                        // A new element of a new identity, at a random place.
                        let mut new = items[next() % n].clone();
                        rename(&mut new);
                        items.insert(next() % (n + 1), new);
                    }
                    _ => {}
                }
            }
            for item in items {
                perturb(item, bytes, at);
            }
        }
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if k != "x-asyncapi" {
                    perturb(x, bytes, at);
                }
            }
        }
        _ => {}
    }
}

/// Gives an element a new identity (a string element a new value).
fn rename(v: &mut Value) {
    match v {
        Value::String(s) => s.push_str("-inserted"),
        Value::Object(m) => {
            for k in ["$ref", "name", "url", "title"] {
                if let Some(Value::String(s)) = m.get_mut(k) {
                    s.push_str("-inserted");
                    return;
                }
            }
        }
        _ => {}
    }
}

/// Values of `result` that the record set (they differ from `native`, the conversion of the
/// same OpenAPI without the record) on an array element must be that element's own in
/// `original` (the element of the same identity); `Err` names the first that is not.
fn check(original: &Value, native: &Value, result: &Value, at: &str) -> Result<(), String> {
    match result {
        Value::Object(m) => {
            for (k, r) in m {
                let o = original.get(k).unwrap_or(&Value::Null);
                let n = native.get(k).unwrap_or(&Value::Null);
                check(o, n, r, &format!("{at}/{k}"))?;
            }
        }
        Value::Array(items) => {
            let find = |side: &Value, id: &str| -> Option<Value> {
                let list = side.as_array()?;
                let same: Vec<&Value> = list
                    .iter()
                    .filter(|e| identity(e).as_deref() == Some(id))
                    .collect();
                (same.len() == 1).then(|| same[0].clone())
            };
            // An element the OpenAPI still has is still there: the record did not turn it into
            // another (by its index).
            for n in native.as_array().into_iter().flatten() {
                let Some(id) = identity(n) else { continue };
                let any = |side: &Value| {
                    let list = side.as_array().into_iter().flatten();
                    list.into_iter()
                        .any(|e| identity(e).as_deref() == Some(id.as_str()))
                };
                if find(original, &id).is_some() && !any(result) {
                    return Err(format!("{at}: the element {id} is gone"));
                }
            }
            for (i, r) in items.iter().enumerate() {
                let Some(id) = identity(r) else { continue };
                let (Some(o), Some(r_obj)) = (find(original, &id), r.as_object()) else {
                    continue;
                };
                let n = find(native, &id).unwrap_or(Value::Null);
                for (k, value) in r_obj {
                    let from_record = n.get(k) != Some(value);
                    if from_record && o.get(k) != Some(value) {
                        return Err(format!(
                            "{at}/{i} ({id}): `{k}` = {value} is not this element's (it had {:?})",
                            o.get(k)
                        ));
                    }
                }
                // And what the record took away was not this element's to lose.
                for (k, value) in n.as_object().into_iter().flatten() {
                    if !r_obj.contains_key(k) && o.get(k) == Some(value) {
                        return Err(format!("{at}/{i} ({id}): `{k}` = {value} was taken away"));
                    }
                }
                check(&o, &n, r, &format!("{at}/{i}"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn doc(name: &str, value: Value) -> load::Document {
    load::Document {
        name: name.into(),
        syntax: load::Syntax::Yaml,
        value,
    }
}

fn samples() -> Vec<(String, Value, Value)> {
    let dir = common::manifest_dir().join("samples/asyncapi");
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("samples")
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    for path in paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
    {
        let name = path.display().to_string();
        let original = load::load_path(&path, &Default::default())
            .expect("loads")
            .value;
        let there =
            hookbridge::convert_document(&doc(&name, original.clone()), &Default::default())
                .expect("converts");
        out.push((name, original, there.document));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn recorded_values_never_land_on_another_element(bytes in prop::collection::vec(any::<u8>(), 8..64)) {
        for (name, original, openapi) in samples() {
            let mut edited = openapi.clone();
            perturb(&mut edited, &bytes, &mut 0);
            let Ok(result) = hookbridge::convert_document(&doc(&name, edited.clone()), &Default::default()) else {
                continue;
            };
            let mut plain = edited;
            if let Some(m) = plain.as_object_mut() {
                m.shift_remove("x-asyncapi");
            }
            let native = hookbridge::convert_document(&doc(&name, plain), &Default::default())
                .map(|c| c.document)
                .unwrap_or(Value::Null);
            let verdict = check(&original, &native, &result.document, "");
            prop_assert!(verdict.is_ok(), "{name}: {}", verdict.unwrap_err());
        }
    }
}
