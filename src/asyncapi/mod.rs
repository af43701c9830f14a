//! The AsyncAPI side: constants, ids, extension names and security schemes.

use std::collections::HashSet;

use serde_json::{Map, Value};

pub mod fit;

pub const VERSION: &str = "3.0.0";

/// The AsyncAPI versions hookbridge writes (and reads: any 3.0.x or 3.1.x).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Version {
    /// 3.0.0, the default: what most renderers read today (docs/mapping.md).
    #[default]
    V3_0,
    /// 3.1.0: the same objects; its JSON Schema allows a little more (docs/mapping.md).
    V3_1,
}

impl Version {
    /// The value of the root `asyncapi` field.
    pub fn text(self) -> &'static str {
        match self {
            Version::V3_0 => VERSION,
            Version::V3_1 => "3.1.0",
        }
    }

    /// The version of a document's `asyncapi` field, when hookbridge reads it.
    pub fn of(text: &str) -> Option<Version> {
        if text.starts_with("3.0.") {
            Some(Version::V3_0)
        } else if text.starts_with("3.1.") {
            Some(Version::V3_1)
        } else {
            None
        }
    }
}

/// The HTTP operation binding's `method` enum (0.3.0): no QUERY, and CONNECT, which OpenAPI
/// names only in 3.2's `additionalOperations`.
pub const HTTP_BINDING_METHODS: [&str; 9] = [
    "GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE",
];
pub const HTTP_BINDING_VERSION: &str = "0.3.0";

/// AsyncAPI's extension pattern `^x-[\w\d\.\x2d_]+$` (JavaScript `\w` is ASCII).
pub fn is_extension_name(key: &str) -> bool {
    key.strip_prefix("x-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    })
}

/// Makes an id safe for `$ref` fragments and readable: `[A-Za-z0-9_.-]`, never empty.
pub fn sanitize_id(raw: &str) -> String {
    let out: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() {
        "_".to_string()
    } else {
        out
    }
}

/// Hands out unique ids in a namespace, suffixing `_2`, `_3`, ... on collisions.
#[derive(Debug, Default)]
pub struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    pub fn unique(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let mut n = 2usize;
        loop {
            let candidate = format!("{base}_{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// `{ "$ref": "#/..." }` for a pointer made of already-safe tokens.
pub fn reference(pointer: &str) -> Value {
    let mut m = Map::new();
    m.insert(
        "$ref".into(),
        Value::String(crate::document::pointer::to_fragment(pointer)),
    );
    Value::Object(m)
}

/// OpenAPI Security Scheme -> AsyncAPI Security Scheme. What AsyncAPI cannot hold goes to
/// `x-openapi-security-scheme` so [`security_scheme_to_openapi`] restores it exactly; values
/// AsyncAPI's schema rejects are rewritten ([`fit::security_scheme`]).
pub fn security_scheme_to_asyncapi(scheme: &Value) -> Value {
    security_scheme_fitted(scheme).0
}

/// [`security_scheme_to_asyncapi`], with what was rewritten (pointers relative to the scheme).
pub fn security_scheme_fitted(scheme: &Value) -> (Value, Vec<fit::Fitted>) {
    let Some(src) = scheme.as_object() else {
        let msg = format!("a security scheme must be an object, not {scheme}: written as `type: http` with `scheme: \"\"` in AsyncAPI");
        let mut out = Map::new();
        let mut found = fit::security_scheme(&Map::new(), &mut out);
        out.insert(
            fit::ORIGINAL.into(),
            Value::Object(Map::from_iter([("$self".to_string(), scheme.clone())])),
        );
        found.truncate(0);
        found.push(fit::Fitted {
            path: String::new(),
            cause: fit::Cause::Invalid,
            message: msg,
        });
        return (Value::Object(out), found);
    };
    if src.contains_key("$ref") {
        return (scheme.clone(), Vec::new());
    }
    let mut out = src.clone();
    let mut kept = Map::new();
    match src.get("type").and_then(Value::as_str) {
        Some("apiKey") => {
            out.insert("type".into(), "httpApiKey".into());
        }
        Some("mutualTLS") => {
            out.insert("type".into(), "X509".into());
        }
        Some("http") => http_scheme_to_asyncapi(&mut out, &mut kept),
        Some("oauth2") => rename_flow_scopes(&mut out, "scopes", "availableScopes"),
        _ => {}
    }
    if !kept.is_empty() {
        out.insert("x-openapi-security-scheme".into(), Value::Object(kept));
    }
    let found = fit::security_scheme(src, &mut out);
    (Value::Object(out), found)
}

/// AsyncAPI only accepts `bearerFormat` with the lowercase `bearer` scheme.
fn http_scheme_to_asyncapi(out: &mut Map<String, Value>, kept: &mut Map<String, Value>) {
    if !out.contains_key("bearerFormat") {
        return;
    }
    let scheme = out
        .get("scheme")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if scheme == "bearer" {
        return;
    }
    if scheme.eq_ignore_ascii_case("bearer") {
        kept.insert("scheme".into(), Value::String(scheme));
        out.insert("scheme".into(), "bearer".into());
    } else if let Some(bf) = out.shift_remove("bearerFormat") {
        kept.insert("bearerFormat".into(), bf);
    }
}

fn rename_flow_scopes(out: &mut Map<String, Value>, from: &str, to: &str) {
    let Some(Value::Object(flows)) = out.get_mut("flows") else {
        return;
    };
    for flow in flows.values_mut() {
        if let Value::Object(f) = flow {
            rename_key(f, from, to);
        }
    }
}

/// Renames a key in place, keeping its position.
pub fn rename_key(map: &mut Map<String, Value>, from: &str, to: &str) {
    if !map.contains_key(from) {
        return;
    }
    let old = std::mem::take(map);
    *map = old
        .into_iter()
        .map(|(k, v)| {
            if k == from {
                (to.to_string(), v)
            } else {
                (k, v)
            }
        })
        .collect();
}

/// AsyncAPI Security Scheme -> OpenAPI Security Scheme (inverse of the above).
pub fn security_scheme_to_openapi(scheme: &Value) -> Value {
    let Some(src) = scheme.as_object() else {
        return scheme.clone();
    };
    if let Some(whole) = src.get(fit::ORIGINAL).and_then(|o| o.get("$self")) {
        return whole.clone();
    }
    let mut out = src.clone();
    match src.get("type").and_then(Value::as_str) {
        Some("httpApiKey") => {
            out.insert("type".into(), "apiKey".into());
        }
        Some("X509") => {
            out.insert("type".into(), "mutualTLS".into());
        }
        Some("oauth2") => rename_flow_scopes(&mut out, "availableScopes", "scopes"),
        _ => {}
    }
    if let Some(Value::Object(kept)) = out.shift_remove("x-openapi-security-scheme") {
        for (k, v) in kept {
            out.insert(k, v);
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn extension_names_follow_the_asyncapi_pattern() {
        assert!(is_extension_name("x-foo.bar_baz-1"));
        for bad in ["x-", "x-foo:bar", "x-a/b", "x-ü", "foo"] {
            assert!(!is_extension_name(bad), "{bad}");
        }
    }

    #[test]
    fn ids_are_sanitized_and_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.unique(&sanitize_id("a/b c")), "a_b_c");
        assert_eq!(ids.unique("a_b_c"), "a_b_c_2");
        assert_eq!(sanitize_id(""), "_");
    }

    #[test]
    fn security_schemes_round_trip() {
        for s in [
            json!({"type": "apiKey", "name": "X-Signature", "in": "header", "x-a": 1}),
            json!({"type": "http", "scheme": "Bearer", "bearerFormat": "JWT"}),
            json!({"type": "http", "scheme": "basic", "bearerFormat": "odd"}),
            json!({"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}),
            json!({"type": "mutualTLS", "description": "client certificate"}),
            json!({"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {"a": "b"}}}}),
            json!({"type": "openIdConnect", "openIdConnectUrl": "https://o"}),
        ] {
            let a = security_scheme_to_asyncapi(&s);
            assert_eq!(security_scheme_to_openapi(&a), s, "{a}");
        }
        let a = security_scheme_to_asyncapi(
            &json!({"type": "http", "scheme": "Bearer", "bearerFormat": "JWT"}),
        );
        assert_eq!(a["scheme"], "bearer");
        let a = security_scheme_to_asyncapi(
            &json!({"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "u", "scopes": {}}}}),
        );
        assert_eq!(a["flows"]["implicit"]["availableScopes"], json!({}));
    }
}

/// AsyncAPI parsers follow every `$ref` in a document, data and extensions included. So in
/// data (examples, defaults, enums, consts) and in every `x-` value, `$ref` keys are escaped
/// by one more `$` (`$ref` -> `$$ref`, `$$ref` -> `$$$ref`); [`unescape_data_refs`] undoes it.
pub fn escape_data_refs(doc: &mut Value) {
    data_walk(doc, true, false, None);
}

/// [`escape_data_refs`] and [`map_schema_refs`] with `f` in one walk: a whole document's last
/// pass costs one visit of each node instead of two. Both rewrite what they did alone (`f`
/// changes `$ref` strings outside data, the escape renames keys inside it).
pub fn escape_data_refs_mapping(doc: &mut Value, f: &RefMap) {
    data_walk(doc, true, false, Some(f));
}

/// A rewrite of `$ref` strings (`None`: left as it is).
pub type RefMap = dyn Fn(&str) -> Option<String>;

/// Renames the `$ref` keys of every object inside data positions (`escape`: one `$` more, else
/// one less), and rewrites `$ref` strings with `f` where [`map_schema_refs`] would: not under a
/// data key (by name, even a property's), nor inside a `$ref` value. `names` is true when the
/// keys of `node` are user-chosen names.
fn data_walk(node: &mut Value, escape: bool, names: bool, f: Option<&RefMap>) {
    match node {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                let data = is_data_key(k);
                if !names && data {
                    every_object(child, &mut |m| rename_ref_keys(m, escape));
                    continue;
                }
                let mut inner = f;
                if k == "$ref" {
                    if let Some(new) = f.zip(child.as_str()).and_then(|(f, r)| f(r)) {
                        *child = Value::String(new);
                    }
                    inner = None;
                } else if data {
                    inner = None;
                }
                if child.is_object() || child.is_array() {
                    let child_names = !names && NAMED_MAPS.contains(&k.as_str());
                    data_walk(child, escape, child_names, inner);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| data_walk(c, escape, false, f)),
        _ => {}
    }
}

/// Inverse of [`escape_data_refs`].
pub fn unescape_data_refs(doc: &mut Value) {
    data_walk(doc, false, false, None);
}

/// [`escape_data_refs`] for a value that is data all through (a record): every `$ref` key.
pub fn escape_all_refs(v: &mut Value) {
    every_object(v, &mut |m| rename_ref_keys(m, true));
}

/// Inverse of [`escape_all_refs`].
pub fn unescape_all_refs(v: &mut Value) {
    every_object(v, &mut |m| rename_ref_keys(m, false));
}

/// Keys whose values are maps keyed by user-chosen names (never keywords).
const NAMED_MAPS: [&str; 15] = [
    "channels",
    "operations",
    "messages",
    "schemas",
    "securitySchemes",
    "servers",
    "parameters",
    "variables",
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "dependentSchemas",
    "dependencies",
    "availableScopes",
];

/// Fields of tags, security schemes and flows whose objects may carry extensions of their own
/// (the places where extension names AsyncAPI rejects are kept aside and put back).
pub fn holds_nested_extensions(key: &str) -> bool {
    matches!(
        key,
        "externalDocs"
            | "flows"
            | "implicit"
            | "password"
            | "clientCredentials"
            | "authorizationCode"
    )
}

/// Keys whose values are data (examples, defaults, enums, consts, extensions), never schemas.
#[inline]
pub fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

fn every_object(node: &mut Value, f: &mut impl FnMut(&mut Map<String, Value>)) {
    match node {
        Value::Object(m) => {
            f(m);
            m.values_mut().for_each(|c| every_object(c, f));
        }
        Value::Array(a) => a.iter_mut().for_each(|c| every_object(c, f)),
        _ => {}
    }
}

fn rename_ref_keys(m: &mut Map<String, Value>, escape: bool) {
    // Most keys do not start with `$`: the first byte rejects them.
    let is_ref_key = |k: &str| {
        k.starts_with('$') && k.ends_with("ref") && {
            let dollars = k.len() - k.trim_start_matches('$').len();
            k.len() == dollars + 3 && dollars >= if escape { 1 } else { 2 }
        }
    };
    if !m.keys().any(|k| is_ref_key(k)) {
        return;
    }
    let old = std::mem::take(m);
    *m = old
        .into_iter()
        .map(|(k, v)| match (is_ref_key(&k), escape) {
            (true, true) => (format!("${k}"), v),
            (true, false) => (k[1..].to_string(), v),
            _ => (k, v),
        })
        .collect();
}

#[cfg(test)]
mod escape_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn data_refs_are_escaped_and_restored() {
        let doc = json!({
            "components": {"schemas": {
                "default": {"$ref": "#/components/schemas/B"},
                "A": {"properties": {"example": {"$ref": "#/components/schemas/B"}},
                      "example": {"$ref": "data", "$$ref": "more", "n": [{"$ref": "x"}]}}
            }},
            "x-openapi": {"p": {"$ref": "#/components/parameters/P"}},
            "channels": {"c": {"messages": {"m": {"examples": [{"payload": {"$ref": "d"}}]}}}}
        });
        let mut escaped = doc.clone();
        escape_data_refs(&mut escaped);
        assert_eq!(
            escaped["components"]["schemas"]["default"]["$ref"],
            "#/components/schemas/B"
        );
        assert_eq!(
            escaped["components"]["schemas"]["A"]["properties"]["example"]["$ref"],
            "#/components/schemas/B"
        );
        assert_eq!(
            escaped["components"]["schemas"]["A"]["example"],
            json!({"$$ref": "data", "$$$ref": "more", "n": [{"$$ref": "x"}]})
        );
        assert_eq!(
            escaped["x-openapi"]["p"]["$$ref"],
            "#/components/parameters/P"
        );
        assert_eq!(
            escaped["channels"]["c"]["messages"]["m"]["examples"][0]["payload"]["$$ref"],
            "d"
        );
        unescape_data_refs(&mut escaped);
        assert_eq!(escaped, doc);
        assert_eq!(
            serde_json::to_string(&escaped).unwrap(),
            serde_json::to_string(&doc).unwrap()
        );
    }

    /// The one-walk escape and mapping rewrites what the two walks did, one after the other:
    /// `$ref`s under data keys used as names, a `$ref` property whose value holds references,
    /// references in extensions and in named maps.
    #[test]
    fn one_walk_escapes_and_maps_like_two() {
        let tricky = json!({
            "components": {"schemas": {
                "A": {"properties": {
                    "example": {"$ref": "#/components/parameters/P"},
                    "$ref": {"items": {"$ref": "#/components/parameters/P"}},
                    "x-p": {"$ref": "#/components/headers/H"},
                    "b": {"$ref": "#/components/parameters/P", "default": {"$ref": "d"}},
                    "c": {"allOf": [{"$ref": "#/components/responses/R"}, {"$ref": "#/components/schemas/B"}]}
                }, "enum": [{"$ref": "#/components/parameters/P"}]},
                "default": {"$ref": "#/components/parameters/P"}
            }},
            "channels": {"c": {"parameters": {"example": {"$ref": "#/components/parameters/P"}},
                "messages": {"m": {"headers": {"$ref": "#/components/headers/H"},
                    "examples": [{"payload": {"$ref": "#/components/parameters/P"}}]}}}},
            "x-openapi": {"components": {"parameters": {"P": {"$ref": "#/components/parameters/Q"}}}}
        });
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/openapi");
        let mut docs = vec![tricky];
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let doc = crate::document::load::load_path(&path, &Default::default()).unwrap();
                docs.push(doc.value);
            }
        }
        for doc in docs {
            let mut two = doc.clone();
            map_schema_refs(&mut two, &ref_into_record);
            escape_data_refs(&mut two);
            let mut one = doc.clone();
            escape_data_refs_mapping(&mut one, &ref_into_record);
            assert_eq!(one.to_string(), two.to_string());
        }
    }
}

/// Rewrites every `$ref` string in a schema tree with `f` (data positions are skipped).
/// Used to point references into, and back out of, Multi Format Schema Objects.
pub fn map_schema_refs(v: &mut Value, f: &impl Fn(&str) -> Option<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                if k == "$ref" {
                    if let Some(new) = child.as_str().and_then(f) {
                        *child = Value::String(new);
                    }
                } else if !is_data_key(k) {
                    map_schema_refs(child, f);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| map_schema_refs(c, f)),
        _ => {}
    }
}

/// `#/components/schemas/X` -> `#/components/schemas/X/schema` (the wrapped schema).
/// A reference to a component AsyncAPI does not get (parameters, responses, ...: the root
/// `x-openapi` record keeps them) points into the record, where the parser finds it.
pub fn ref_into_record(r: &str) -> Option<String> {
    let rest = r.strip_prefix("#/components/")?;
    points_into_record(r).then(|| format!("#/x-openapi/components/{rest}"))
}

/// Whether [`ref_into_record`] rewrites `r`.
pub fn points_into_record(r: &str) -> bool {
    r.strip_prefix("#/components/").is_some_and(|rest| {
        let kind = rest.split('/').next().unwrap_or_default();
        !matches!(kind, "schemas" | "securitySchemes")
    })
}

/// Inverse of [`ref_into_record`].
pub fn ref_out_of_record(r: &str) -> Option<String> {
    let rest = r.strip_prefix("#/x-openapi/components/")?;
    Some(format!("#/components/{rest}"))
}

pub fn ref_into_wrapped_schema(r: &str) -> Option<String> {
    let name = r.strip_prefix("#/components/schemas/")?;
    (!name.contains('/')).then(|| format!("{r}/schema"))
}

/// Inverse of [`ref_into_wrapped_schema`].
pub fn ref_out_of_wrapped_schema(r: &str) -> Option<String> {
    let name = r
        .strip_prefix("#/components/schemas/")?
        .strip_suffix("/schema")?;
    (!name.contains('/')).then(|| format!("#/components/schemas/{name}"))
}

#[cfg(test)]
mod wrapped_ref_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schema_refs_go_into_wrapped_schemas_and_back() {
        let doc = json!({"properties": {"a": {"$ref": "#/components/schemas/A"}, "x": {"$ref": "#/components/schemas/A/properties/b"}},
                         "example": {"$ref": "#/components/schemas/A"}});
        let mut v = doc.clone();
        map_schema_refs(&mut v, &ref_into_wrapped_schema);
        assert_eq!(
            v["properties"]["a"]["$ref"],
            "#/components/schemas/A/schema"
        );
        assert_eq!(
            v["properties"]["x"]["$ref"],
            "#/components/schemas/A/properties/b"
        );
        assert_eq!(v["example"]["$ref"], "#/components/schemas/A");
        map_schema_refs(&mut v, &ref_out_of_wrapped_schema);
        assert_eq!(v, doc);
    }
}
