//! An independent validity checker for the tests: what the AsyncAPI 3.0.0 schema.json
//! (draft-07 based) demands of a Schema Object, written apart from the converter's own checks.

use serde_json::{json, Value};

pub(super) fn check(v: &Value, at: &str) -> Result<(), String> {
    match v {
        Value::Bool(_) => Ok(()),
        Value::Object(m) => m
            .iter()
            .try_for_each(|(k, x)| check_kw(k, x, &format!("{at}/{k}"))),
        _ => Err(format!("{at}: schema must be an object or boolean")),
    }
}

fn check_all<'a>(items: impl Iterator<Item = &'a Value>, at: &str) -> Result<(), String> {
    items
        .enumerate()
        .try_for_each(|(i, x)| check(x, &format!("{at}/{i}")))
}

fn fail(at: &str, what: &str) -> Result<(), String> {
    Err(format!("{at}: {what}"))
}

fn unique(a: &[Value]) -> bool {
    let mut seen = Vec::new();
    for x in a {
        let norm = normalize(x);
        if seen.contains(&norm) {
            return false;
        }
        seen.push(norm);
    }
    true
}

/// Numbers as f64 so that 1 and 1.0 compare equal (JSON Schema equality).
fn normalize(v: &Value) -> Value {
    match v {
        Value::Number(n) => json!(n.as_f64()),
        Value::Array(a) => Value::Array(a.iter().map(normalize).collect()),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, x)| (k.clone(), normalize(x))).collect())
        }
        other => other.clone(),
    }
}

pub(super) const TYPES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

fn check_kw(k: &str, x: &Value, at: &str) -> Result<(), String> {
    let is_str_set = |x: &Value| {
        x.as_array()
            .is_some_and(|a| a.iter().all(Value::is_string) && unique(a))
    };
    match k {
        "type" => {
            let simple = |t: &Value| t.as_str().is_some_and(|t| TYPES.contains(&t));
            let ok = simple(x)
                || x.as_array()
                    .is_some_and(|a| !a.is_empty() && a.iter().all(simple) && unique(a));
            if ok {
                Ok(())
            } else {
                fail(at, "bad type")
            }
        }
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
            if x.is_number() {
                Ok(())
            } else {
                fail(at, "not a number")
            }
        }
        "multipleOf" => {
            if x.as_f64().is_some_and(|n| n > 0.0) {
                Ok(())
            } else {
                fail(at, "multipleOf")
            }
        }
        "maxLength" | "minLength" | "maxItems" | "minItems" | "maxProperties" | "minProperties" => {
            let ok = x.as_f64().is_some_and(|n| n >= 0.0 && n.fract() == 0.0);
            if ok {
                Ok(())
            } else {
                fail(at, "not a non-negative integer")
            }
        }
        "discriminator" | "$id" | "$schema" | "$ref" | "$comment" | "title" | "description"
        | "pattern" | "format" | "contentMediaType" | "contentEncoding" => {
            if x.is_string() {
                Ok(())
            } else {
                fail(at, "not a string")
            }
        }
        "readOnly" | "writeOnly" | "uniqueItems" | "deprecated" => {
            if x.is_boolean() {
                Ok(())
            } else {
                fail(at, "not a boolean")
            }
        }
        "examples" => {
            if x.is_array() {
                Ok(())
            } else {
                fail(at, "examples not an array")
            }
        }
        "enum" => match x.as_array() {
            Some(a) if !a.is_empty() && unique(a) => Ok(()),
            _ => fail(at, "bad enum"),
        },
        "required" => {
            if is_str_set(x) {
                Ok(())
            } else {
                fail(at, "bad required")
            }
        }
        "items" => match x {
            Value::Array(a) if !a.is_empty() => check_all(a.iter(), at),
            Value::Array(_) => fail(at, "empty items array"),
            _ => check(x, at),
        },
        "additionalItems"
        | "additionalProperties"
        | "contains"
        | "propertyNames"
        | "if"
        | "then"
        | "else"
        | "not" => check(x, at),
        "allOf" | "anyOf" | "oneOf" => match x {
            Value::Array(a) if !a.is_empty() => check_all(a.iter(), at),
            _ => fail(at, "not a non-empty schema array"),
        },
        "properties" | "patternProperties" | "definitions" => match x {
            Value::Object(m) => check_all(m.values(), at),
            _ => fail(at, "not an object"),
        },
        "dependencies" => match x {
            Value::Object(m) => {
                m.values()
                    .try_for_each(|d| if is_str_set(d) { Ok(()) } else { check(d, at) })
            }
            _ => fail(at, "not an object"),
        },
        "externalDocs" => check_external_docs(x, at),
        _ => Ok(()),
    }
}

fn check_external_docs(x: &Value, at: &str) -> Result<(), String> {
    let Some(m) = x.as_object() else {
        return fail(at, "externalDocs not an object");
    };
    if m.get("$ref").is_some_and(Value::is_string) {
        return Ok(());
    }
    let url_ok = m.get("url").and_then(Value::as_str).is_some_and(|u| {
        let scheme = u.split(':').next().unwrap_or("");
        u.contains(':')
            && !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !u.contains(' ')
    });
    let keys_ok = m.iter().all(|(k, v)| match k.as_str() {
        "url" => true,
        "description" => v.is_string(),
        k => {
            k.len() > 2
                && k.starts_with("x-")
                && k[2..]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        }
    });
    if url_ok && keys_ok {
        Ok(())
    } else {
        fail(at, "bad externalDocs")
    }
}
