//! Operation tags that say more than a name (a `description`, `externalDocs`). AsyncAPI writes
//! them on each operation; OpenAPI names a tag on the operation and describes it once, in the
//! root `tags`. Those of a hand-written AsyncAPI document go there, marked [`MARKER`] (they are
//! not the AsyncAPI document's `info.tags`), where OpenAPI renderers show them; the way back
//! gives each operation tag of that name the root tag's fields again.

use serde_json::{Map, Value};

type Obj = Map<String, Value>;

/// Marks a root tag that describes operation tags (not one of AsyncAPI's `info.tags`).
pub const MARKER: &str = "x-asyncapi-operation-tag";

/// A root tag that describes operation tags.
pub fn is_marked(tag: &Value) -> bool {
    tag.get(MARKER) == Some(&Value::Bool(true))
}

/// The marked root tags by name, without the marker: what an operation tag of that name says.
pub fn definitions(root_tags: Option<&Value>) -> Obj {
    let tags = root_tags.and_then(Value::as_array).into_iter().flatten();
    tags.filter(|t| is_marked(t))
        .filter_map(|t| {
            let mut fields = t.as_object()?.clone();
            fields.shift_remove(MARKER);
            let name = fields.get("name")?.as_str()?.to_string();
            Some((name, Value::Object(fields)))
        })
        .collect()
}

/// An operation tag (a name) with the fields of the marked root tag of that name, if any.
pub fn with_definition(name: Value, definitions: &Obj) -> Value {
    let def = name.as_str().and_then(|n| definitions.get(n));
    match def {
        Some(Value::Object(fields)) => Value::Object(fields.clone()),
        _ => Value::Object(Obj::from_iter([("name".to_string(), name)])),
    }
}

/// Adds to the root `tags` of `out` a marked tag for each of `op_tags` (in order) that says
/// more than its name and whose name the root does not describe yet. The first description of
/// a name wins; an operation that says otherwise keeps its own in the `x-asyncapi` record.
pub fn add_to_root(out: &mut Obj, op_tags: &[Value]) {
    let mut added = Vec::new();
    for tag in op_tags {
        let Some(fields) = tag.as_object().filter(|t| t.len() > 1) else {
            continue;
        };
        let Some(name) = fields.get("name").and_then(Value::as_str) else {
            continue;
        };
        let root = out.get("tags").and_then(Value::as_array);
        let known = root.into_iter().flatten().chain(&added);
        if known
            .into_iter()
            .any(|t| t.get("name").and_then(Value::as_str) == Some(name))
        {
            continue;
        }
        let mut marked = fields.clone();
        marked.insert(MARKER.into(), Value::Bool(true));
        added.push(Value::Object(marked));
    }
    if added.is_empty() {
        return;
    }
    if let Some(Value::Array(tags)) = out.get_mut("tags") {
        tags.extend(added);
        return;
    }
    // Right after `info`, where OpenAPI documents have them.
    let mut rebuilt = Obj::with_capacity(out.len() + 1);
    for (k, v) in std::mem::take(out) {
        let after = k == "info";
        rebuilt.insert(k, v);
        if after {
            rebuilt.insert("tags".into(), Value::Array(std::mem::take(&mut added)));
        }
    }
    if !added.is_empty() {
        rebuilt.insert("tags".into(), Value::Array(added));
    }
    *out = rebuilt;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn described_operation_tags_go_to_the_root_once_and_come_back() {
        let mut out = json!({"openapi": "3.1.0", "info": {}, "webhooks": {}});
        let Value::Object(out_map) = &mut out else {
            unreachable!()
        };
        let op_tags = [
            json!({"name": "payments", "description": "Money moved"}),
            json!({"name": "orders"}),
            json!({"name": "payments", "description": "said otherwise"}),
        ];
        add_to_root(out_map, &op_tags);
        let keys: Vec<&String> = out_map.keys().collect();
        assert_eq!(keys, ["openapi", "info", "tags", "webhooks"]);
        assert_eq!(
            out_map["tags"],
            json!([{"name": "payments", "description": "Money moved", MARKER: true}])
        );
        let defs = definitions(out_map.get("tags"));
        assert_eq!(
            with_definition(json!("payments"), &defs),
            json!({"name": "payments", "description": "Money moved"})
        );
        assert_eq!(
            with_definition(json!("orders"), &defs),
            json!({"name": "orders"})
        );
    }
}
