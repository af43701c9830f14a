//! `--openapi-version` across the Schema Object dialects: a converted document's schemas keep
//! the keywords the conversion restores from its records, so a 3.1/3.2 document written as 3.0
//! (or a 3.0 one as 3.1/3.2) is rewritten here, schema by schema.

use serde_json::{Map, Value};

use crate::convert::dialect::for_each_subschema_mut;

type Obj = Map<String, Value>;

/// The keywords of an OpenAPI 3.0 Schema Object (3.0.4, "Properties"), `$ref` included.
const OAS30_KEYWORDS: [&str; 36] = [
    "$ref",
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
];

/// What a pass changed: keywords rewritten in 3.0's terms, and moved into extensions.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Rewritten {
    /// Keywords (and boolean schemas) said in the target's terms.
    pub rewritten: usize,
    pub moved: usize,
}

/// Rewrites every Schema Object of `doc` for the dialect of 3.0 (`to_30`) or of 3.1 and 3.2.
pub fn retarget_schemas(doc: &mut Value, to_30: bool) -> Rewritten {
    let mut count = Rewritten::default();
    walk(doc, to_30, &mut count, false);
    if to_30 {
        // References into the definitions that moved follow them.
        for_each_ref(doc, &mut |r| {
            for defs in ["/$defs/", "/definitions/"] {
                if r.contains(defs) {
                    *r = r.replace(
                        defs,
                        &format!("/x-hookbridge-{}/", &defs[1..defs.len() - 1]),
                    );
                }
            }
        });
    }
    count
}

fn for_each_ref(v: &mut Value, f: &mut impl FnMut(&mut String)) {
    match v {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                match child {
                    Value::String(r) if k == "$ref" => f(r),
                    _ => for_each_ref(child, f),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|c| for_each_ref(c, f)),
        _ => {}
    }
}

/// Finds the schemas of a document: `components.schemas` entries and the values of `schema`
/// and `itemSchema`; data (examples, defaults, extensions) is not entered.
fn walk(v: &mut Value, to_30: bool, count: &mut Rewritten, schemas: bool) {
    match v {
        Value::Object(m) => {
            for (key, child) in m.iter_mut() {
                if schemas || matches!(key.as_str(), "schema" | "itemSchema") {
                    schema(child, to_30, count);
                } else if !is_data(key) {
                    walk(child, to_30, count, key == "schemas");
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|child| walk(child, to_30, count, false)),
        _ => {}
    }
}

fn is_data(key: &str) -> bool {
    key.starts_with("x-")
        || matches!(
            key,
            "example" | "examples" | "default" | "enum" | "const" | "value" | "dataValue"
        )
}

fn schema(v: &mut Value, to_30: bool, count: &mut Rewritten) {
    if let (true, Value::Bool(b)) = (to_30, &*v) {
        // 3.0 has no boolean schemas: the same meaning as objects.
        *v = if *b {
            Value::Object(Obj::new())
        } else {
            serde_json::json!({"not": {}})
        };
        count.rewritten += 1;
        return;
    }
    let Value::Object(m) = v else { return };
    // The one place 3.0 takes a boolean, `additionalProperties`, sits the walk out (as null).
    let additional = m
        .get_mut("additionalProperties")
        .filter(|a| a.is_boolean())
        .map(std::mem::take);
    for_each_subschema_mut(m, &mut |child| schema(child, to_30, count));
    if let Some(a) = additional {
        m.insert("additionalProperties".into(), a);
    }
    if to_30 {
        down_to_30(m, count);
    } else {
        up_from_30(m, count);
    }
}

fn down_to_30(m: &mut Obj, count: &mut Rewritten) {
    if m.get("type").and_then(Value::as_str) == Some("null") {
        // Only null: 3.0 says it with `nullable` and an enum of null.
        m.shift_remove("type");
        m.insert("nullable".into(), Value::Bool(true));
        m.entry("enum")
            .or_insert_with(|| Value::Array(vec![Value::Null]));
        count.rewritten += 1;
    }
    if let Some(Value::Array(types)) = m.get("type").cloned() {
        let null = Value::String("null".into());
        let rest: Vec<Value> = types.iter().filter(|t| **t != null).cloned().collect();
        if types.contains(&null) {
            m.insert("nullable".into(), Value::Bool(true));
        }
        match rest.as_slice() {
            [one] => {
                m.insert("type".into(), one.clone());
            }
            _ if !m.contains_key("anyOf") && !rest.is_empty() => {
                m.shift_remove("type");
                let each = rest
                    .iter()
                    .map(|t| Value::Object(Obj::from_iter([("type".to_string(), t.clone())])));
                m.insert("anyOf".into(), Value::Array(each.collect()));
            }
            _ => {
                m.shift_remove("type");
                m.insert("x-hookbridge-type".into(), Value::Array(types));
            }
        }
        count.rewritten += 1;
    }
    if let Some(c) = m.shift_remove("const") {
        if m.contains_key("enum") {
            m.insert("x-hookbridge-const".into(), c);
            count.moved += 1;
        } else {
            m.insert("enum".into(), Value::Array(vec![c]));
            count.rewritten += 1;
        }
    }
    if let Some(Value::Array(examples)) = m.get("examples").cloned() {
        m.shift_remove("examples");
        if let (Some(first), false) = (examples.first(), m.contains_key("example")) {
            m.insert("example".into(), first.clone());
        }
        m.insert("x-hookbridge-examples".into(), Value::Array(examples));
        count.rewritten += 1;
    }
    for (bound, plain) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n @ Value::Number(_)) = m.get(bound).cloned() {
            if !m.contains_key(plain) {
                m.insert(plain.into(), n);
                m.insert(bound.into(), Value::Bool(true));
            } else {
                m.shift_remove(bound);
                m.insert(format!("x-hookbridge-{bound}"), n);
            }
            count.rewritten += 1;
        }
    }
    let foreign: Vec<String> = m
        .keys()
        .filter(|k| !k.starts_with("x-") && !OAS30_KEYWORDS.contains(&k.as_str()))
        .cloned()
        .collect();
    for key in foreign {
        if let Some(v) = m.shift_remove(&key) {
            m.insert(format!("x-hookbridge-{key}"), v);
            count.moved += 1;
        }
    }
}

fn up_from_30(m: &mut Obj, count: &mut Rewritten) {
    for (bound, plain) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match m.get(bound) {
            Some(Value::Bool(true)) => {
                if let Some(n) = m.shift_remove(plain) {
                    m.insert(bound.into(), n);
                } else {
                    m.shift_remove(bound);
                }
                count.rewritten += 1;
            }
            Some(Value::Bool(false)) => {
                m.shift_remove(bound);
                count.rewritten += 1;
            }
            _ => {}
        }
    }
    if let Some(nullable) = m.shift_remove("nullable") {
        let null = Value::String("null".into());
        match (nullable, m.get_mut("type")) {
            (Value::Bool(true), Some(t @ Value::String(_))) if *t != null => {
                let single = std::mem::take(t);
                *t = Value::Array(vec![single, null]);
            }
            (Value::Bool(true), Some(Value::Array(types))) if !types.contains(&null) => {
                types.push(null)
            }
            _ => {}
        }
        count.rewritten += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schemas_are_rewritten_for_30_and_back_up() {
        let mut doc = json!({
            "components": {"schemas": {"A": {
                "type": ["string", "null"], "const": "on", "examples": ["on"],
                "$defs": {"B": {"type": "integer"}},
                "properties": {"n": {"type": "number", "exclusiveMinimum": 0}}
            }}},
            "webhooks": {"w": {"post": {"requestBody": {"content": {"a/b": {
                "schema": {"type": ["integer", "string"]},
                "example": {"schema": {"const": 1}}
            }}}}}}
        });
        let n = retarget_schemas(&mut doc, true);
        assert_eq!(
            doc["components"]["schemas"]["A"],
            json!({"type": "string", "nullable": true, "enum": ["on"], "example": "on",
                   "x-hookbridge-examples": ["on"], "x-hookbridge-$defs": {"B": {"type": "integer"}},
                   "properties": {"n": {"type": "number", "minimum": 0, "exclusiveMinimum": true}}})
        );
        let body = &doc["webhooks"]["w"]["post"]["requestBody"]["content"]["a/b"];
        assert_eq!(
            body["schema"],
            json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})
        );
        assert_eq!(
            body["example"],
            json!({"schema": {"const": 1}}),
            "data is not a schema"
        );
        assert_eq!(
            n,
            Rewritten {
                rewritten: 5,
                moved: 1
            }
        );
        let mut up = json!({"schema": {"type": "integer", "minimum": 1, "exclusiveMinimum": true, "nullable": true}});
        retarget_schemas(&mut up, false);
        assert_eq!(
            up["schema"],
            json!({"type": ["integer", "null"], "exclusiveMinimum": 1})
        );
    }

    /// Boolean schemas (3.1) become the objects that mean the same for 3.0, but where 3.0 takes
    /// a boolean (`additionalProperties`); data stays as it is.
    #[test]
    fn boolean_schemas_become_objects_for_30() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"properties": {"no": false, "any": true, "x": {"items": false}},
                  "additionalProperties": false, "default": {"p": true}},
            "B": true,
            "C": {"additionalProperties": true, "allOf": [{"additionalProperties": false}, false]}
        }}});
        let n = retarget_schemas(&mut doc, true);
        assert_eq!(
            doc["components"]["schemas"],
            json!({
                "A": {"properties": {"no": {"not": {}}, "any": {}, "x": {"items": {"not": {}}}},
                      "additionalProperties": false, "default": {"p": true}},
                "B": {},
                "C": {"additionalProperties": true, "allOf": [{"additionalProperties": false}, {"not": {}}]}
            })
        );
        assert_eq!(n.rewritten, 5);
        let mut up = doc.clone();
        retarget_schemas(&mut up, false);
        assert_eq!(up, doc, "nothing to undo going up");
    }
}
