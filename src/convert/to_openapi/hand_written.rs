//! What AsyncAPI written by hand may hold that an OpenAPI 3.1 document cannot: security scheme
//! types OpenAPI lacks, and OpenAPI 3.0 / draft-07 schema keywords that 3.1 does not have
//! (`nullable`, `dependencies`, a lone `additionalItems`). The OpenAPI gets the 3.1 spelling or
//! goes without; the root `x-asyncapi` record (made afterwards from the difference) brings the
//! original back. Documents that came from a conversion are left alone: there every value
//! already is what the original OpenAPI had.

use serde_json::Value;

use super::Obj;
use crate::convert::dialect::for_each_subschema_mut;

/// Whether OpenAPI has a Security Scheme for this AsyncAPI one (after `$ref`s are followed):
/// `http`, `oauth2`, `openIdConnect`, `X509` (`mutualTLS`) and `httpApiKey` in the query, a
/// header or a cookie. `userPassword`, `apiKey` (in the user or password), `plain`,
/// `scramSha256`, `scramSha512`, `gssapi`, `symmetricEncryption`, `asymmetricEncryption` and
/// unknown types have none.
pub(super) fn openapi_has_scheme(scheme: &Value) -> bool {
    let Some(s) = scheme.as_object() else {
        return false;
    };
    match s.get("type").and_then(Value::as_str) {
        Some("http" | "oauth2" | "openIdConnect" | "X509") => true,
        Some("httpApiKey") => matches!(
            s.get("in").and_then(Value::as_str),
            Some("query" | "header" | "cookie")
        ),
        _ => false,
    }
}

/// The type named in a warning about a scheme OpenAPI lacks.
pub(super) fn scheme_kind(scheme: &Value) -> String {
    match (
        scheme.get("type").and_then(Value::as_str),
        scheme.get("in").and_then(Value::as_str),
    ) {
        (Some(t @ ("httpApiKey" | "apiKey")), Some(place)) => format!("`{t}` in `{place}`"),
        (Some(t), _) => format!("`{t}`"),
        (None, _) => "without a `type`".into(),
    }
}

/// Re-spells, in place, what OpenAPI 3.1 (JSON Schema 2020-12) does not have, in a schema and
/// its subschemas:
/// * `nullable: true` next to a `type` adds `"null"` to the type (its OpenAPI 3.0 meaning);
///   any other `nullable` means nothing (draft-07 ignores it) and is left out;
/// * `dependencies` splits into `dependentRequired` (string lists) and `dependentSchemas`;
/// * `additionalItems` without a tuple `items` (a tuple became `prefixItems` already) means
///   nothing in draft-07 and is left out.
pub(super) fn schema_to_31(schema: &mut Value) {
    let Value::Object(m) = schema else {
        return;
    };
    if let Some(nullable) = m.shift_remove("nullable") {
        if nullable == Value::Bool(true) {
            add_null_type(m);
        }
    }
    if !m.contains_key("dependentRequired") && !m.contains_key("dependentSchemas") {
        split_dependencies(m);
    }
    if !m.get("items").is_some_and(Value::is_array) {
        m.shift_remove("additionalItems");
    }
    for_each_subschema_mut(m, &mut schema_to_31);
}

fn add_null_type(m: &mut Obj) {
    let null = Value::String("null".into());
    match m.get_mut("type") {
        Some(t @ Value::String(_)) if *t != null => {
            let single = std::mem::take(t);
            *t = Value::Array(vec![single, null]);
        }
        Some(Value::Array(types)) if !types.contains(&null) => types.push(null),
        _ => {}
    }
}

fn split_dependencies(m: &mut Obj) {
    let Some(Value::Object(deps)) = m.get("dependencies") else {
        return;
    };
    let (mut required, mut schemas) = (Obj::new(), Obj::new());
    for (k, v) in deps {
        if v.is_array() {
            required.insert(k.clone(), v.clone());
        } else {
            schemas.insert(k.clone(), v.clone());
        }
    }
    let mut out = Obj::new();
    for (k, v) in std::mem::take(m) {
        if k != "dependencies" {
            out.insert(k, v);
            continue;
        }
        if !required.is_empty() {
            out.insert("dependentRequired".into(), Value::Object(required.clone()));
        }
        if !schemas.is_empty() {
            out.insert("dependentSchemas".into(), Value::Object(schemas.clone()));
        }
    }
    *m = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schemes_openapi_has() {
        for yes in [
            json!({"type": "http", "scheme": "basic"}),
            json!({"type": "X509"}),
            json!({"type": "httpApiKey", "in": "cookie", "name": "k"}),
        ] {
            assert!(openapi_has_scheme(&yes), "{yes}");
        }
        for no in [
            json!({"type": "userPassword"}),
            json!({"type": "apiKey", "in": "user"}),
            json!({"type": "httpApiKey", "in": "user", "name": "k"}),
            json!({"type": "scramSha512"}),
            json!({"type": "gssapi"}),
            json!({"type": "plain"}),
            json!({"type": "asymmetricEncryption"}),
            json!({}),
            json!(3),
        ] {
            assert!(!openapi_has_scheme(&no), "{no}");
        }
    }

    #[test]
    fn schemas_get_the_31_spelling() {
        let mut s = json!({
            "type": "object",
            "properties": {
                "a": {"type": "string", "nullable": true, "maxLength": 3},
                "b": {"nullable": true},
                "c": {"type": ["integer", "string"], "nullable": true},
                "d": {"type": "string", "nullable": false},
                "nullable": {"type": "array", "items": {"type": "null", "nullable": true}, "additionalItems": false}
            },
            "dependencies": {"a": ["b"], "c": {"required": ["d"]}},
            "allOf": [{"type": "number", "nullable": true}]
        });
        schema_to_31(&mut s);
        assert_eq!(
            s,
            json!({
                "type": "object",
                "properties": {
                    "a": {"type": ["string", "null"], "maxLength": 3},
                    "b": {},
                    "c": {"type": ["integer", "string", "null"]},
                    "d": {"type": "string"},
                    "nullable": {"type": "array", "items": {"type": "null"}}
                },
                "dependentRequired": {"a": ["b"]},
                "dependentSchemas": {"c": {"required": ["d"]}},
                "allOf": [{"type": ["number", "null"]}]
            })
        );
    }
}
