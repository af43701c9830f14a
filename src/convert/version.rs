//! The OpenAPI version an AsyncAPI -> OpenAPI conversion writes (`--openapi-version`): the
//! conversion itself writes the schemas in the target's dialect; this pass then moves what the
//! target has no field for into extensions, with an `openapi-version-downgrade` warning for
//! each (docs/mapping.md, "Output version"). Names registered by the OpenAPI Initiative for this
//! (`x-oai-additionalOperations`, `x-oai-$self`, `x-oai-deprecated`) are used where they exist.

use serde_json::{Map, Value};

use crate::diagnostics::{codes, Diagnostic};
use crate::document::pointer;
pub use crate::openapi::events::OAI_ADDITIONAL_OPERATIONS;
use crate::openapi::events::{is_path_item_field, ADDITIONAL_OPERATIONS, METHODS, QUERY};

type Obj = Map<String, Value>;

const MEDIA_TYPES: &str = "#/components/mediaTypes/";

/// An OpenAPI minor version hookbridge writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OpenApiVersion {
    V30,
    V31,
    V32,
}

impl OpenApiVersion {
    /// The `openapi` text written for a version the input did not have.
    pub fn text(self) -> &'static str {
        match self {
            OpenApiVersion::V30 => "3.0.4",
            OpenApiVersion::V31 => "3.1.2",
            OpenApiVersion::V32 => "3.2.0",
        }
    }

    /// `3.0`, `3.1`, `3.2`: as `--openapi-version` takes it.
    pub fn minor(self) -> &'static str {
        &self.text()[..3]
    }

    /// `3.0.3` -> `V30`; `None` for anything else.
    pub fn of(version: &str) -> Option<OpenApiVersion> {
        let v = version.trim();
        let minor = |m: &str| v == m || v.starts_with(&format!("{m}."));
        if minor("3.0") {
            Some(OpenApiVersion::V30)
        } else if minor("3.1") {
            Some(OpenApiVersion::V31)
        } else if minor("3.2") {
            Some(OpenApiVersion::V32)
        } else {
            None
        }
    }
}

/// Rewrites a converted OpenAPI document for `target`: what `target` has no field for moves
/// into extensions (warned about); `x-webhooks` becomes `webhooks` from 3.1 on.
pub fn retarget(
    doc: &mut Value,
    (from, target): (OpenApiVersion, OpenApiVersion),
    file: &str,
) -> Vec<Diagnostic> {
    let querystrings = doc
        .pointer("/components/parameters")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter(|(_, p)| is_querystring(Some(p)))
                .map(|(k, _)| format!("#/components/parameters/{}", pointer::escape(k)))
                .collect()
        })
        .unwrap_or_default();
    // OpenAPI 3.0 has no `mutualTLS` scheme type.
    let no_scheme_30 = match (target, doc.pointer("/components/securitySchemes")) {
        (OpenApiVersion::V30, Some(Value::Object(m))) => m
            .iter()
            .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(k, _)| k.clone())
            .collect(),
        _ => Vec::new(),
    };
    let mut r = Retarget {
        file,
        target,
        querystrings,
        no_scheme_30,
        out: Vec::new(),
    };
    if (from == OpenApiVersion::V30) != (target == OpenApiVersion::V30) {
        let to_30 = target == OpenApiVersion::V30;
        let n = crate::convert::version_schemas::retarget_schemas(doc, to_30);
        if n.rewritten + n.moved > 0 {
            let msg = format!("the Schema Object dialect changes ({} -> {}): {} keyword(s) rewritten in the target's terms (type lists, `nullable`, `const`, `examples`, exclusive bounds, boolean schemas) and {} the target lacks moved to `x-hookbridge-<keyword>`", from.minor(), target.minor(), n.rewritten, n.moved);
            r.warn("", msg);
        }
    }
    let Value::Object(root) = doc else {
        return r.out;
    };
    if target >= OpenApiVersion::V31 && !root.contains_key("webhooks") {
        match not_a_path_item(root.get("x-webhooks")) {
            // `webhooks` holds Path Items only: a vendor's callback-shaped entry there would
            // make the document invalid.
            Some(name) => r.warn(
                &pointer::join(["x-webhooks", name.as_str()]),
                format!("`x-webhooks` entry `{name}` is not a Path Item (a vendor's shape), which `webhooks` cannot hold: the entries stay in `x-webhooks`"),
            ),
            None => rename(root, "x-webhooks", "webhooks"),
        }
    }
    if target == OpenApiVersion::V32 {
        return r.out;
    }
    r.moved(root, "", "$self", "x-oai-$self");
    r.media_type_refs(root);
    r.each_path_item(root);
    for (key, value) in root.iter_mut() {
        r.nested(value, key, &pointer::join([key.as_str()]));
    }
    if let Some(Value::Array(tags)) = root.get_mut("tags") {
        for (i, tag) in tags.iter_mut().enumerate() {
            if let Value::Object(tag) = tag {
                let at = format!("/tags/{i}");
                for field in ["summary", "parent", "kind"] {
                    r.moved(tag, &at, field, &format!("x-hookbridge-{field}"));
                }
            }
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        r.moved(
            components,
            "/components",
            "mediaTypes",
            "x-hookbridge-mediaTypes",
        );
        r.querystring_components(components);
        if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
            for (name, scheme) in schemes.iter_mut() {
                let Value::Object(scheme) = scheme else {
                    continue;
                };
                let at = pointer::join(["components", "securitySchemes", name]);
                r.moved(scheme, &at, "deprecated", "x-oai-deprecated");
                r.moved(
                    scheme,
                    &at,
                    "oauth2MetadataUrl",
                    "x-hookbridge-oauth2MetadataUrl",
                );
                if let Some(Value::Object(flows)) = scheme.get_mut("flows") {
                    let at = pointer::push(&at, "flows");
                    let to = "x-hookbridge-deviceAuthorization";
                    r.moved(flows, &at, "deviceAuthorization", to);
                }
            }
        }
    }
    if target == OpenApiVersion::V30 {
        r.down_to_30(root);
    }
    if target == OpenApiVersion::V30 && root.contains_key("webhooks") {
        if root.contains_key("x-webhooks") {
            r.warn("/webhooks", "`webhooks` has no place in OpenAPI 3.0 and `x-webhooks` is taken: kept as `webhooks`, which 3.0 readers reject".into());
        } else {
            r.warn(
                "/webhooks",
                "`webhooks` has no place in OpenAPI 3.0: written as `x-webhooks`".into(),
            );
            rename(root, "webhooks", "x-webhooks");
        }
    }
    r.out
}

struct Retarget<'f> {
    file: &'f str,
    target: OpenApiVersion,
    /// `#/components/parameters/<name>` of the `querystring` parameters.
    querystrings: Vec<String>,
    /// Security schemes of a type OpenAPI 3.0 lacks (`mutualTLS`), when writing 3.0.
    no_scheme_30: Vec<String>,
    out: Vec<Diagnostic>,
}

impl Retarget<'_> {
    /// `at` is a pointer into the OpenAPI output (the input is AsyncAPI).
    fn warn(&mut self, at: &str, message: String) {
        let message = format!("in the OpenAPI output: {message}");
        self.out.push(Diagnostic::warning(
            codes::OPENAPI_VERSION_DOWNGRADE,
            self.file,
            at,
            message,
        ));
    }

    /// `obj[from]` -> `obj[to]`, in place, with a warning.
    fn moved(&mut self, obj: &mut Obj, at: &str, from: &str, to: &str) {
        if obj.contains_key(from) && !obj.contains_key(to) {
            rename(obj, from, to);
            let msg = format!("`{from}` has no place in this OpenAPI version: written as `{to}`");
            self.warn(&pointer::push(at, from), msg);
        }
    }

    /// `$ref`s to `components.mediaTypes` (3.2) replaced by what they point at.
    fn media_type_refs(&mut self, root: &mut Obj) {
        let Some(Value::Object(media)) = root.get("components").and_then(|c| c.get("mediaTypes"))
        else {
            return;
        };
        let media = media.clone();
        let mut count = 0;
        for (key, value) in root.iter_mut() {
            if key != "components" {
                inline_refs(value, MEDIA_TYPES, &media, &mut count);
            }
        }
        if let Some(Value::Object(c)) = root.get_mut("components") {
            for (key, value) in c.iter_mut() {
                if key != "mediaTypes" {
                    inline_refs(value, MEDIA_TYPES, &media, &mut count);
                }
            }
        }
        if count > 0 {
            let msg = format!("{count} `$ref`(s) to `components.mediaTypes`, which this OpenAPI version lacks: replaced by the Media Type they name");
            self.warn("/components/mediaTypes", msg);
        }
    }

    fn each_path_item(&mut self, root: &mut Obj) {
        for section in ["paths", "webhooks", "x-webhooks"] {
            if let Some(Value::Object(items)) = root.get_mut(section) {
                for (name, item) in items.iter_mut() {
                    let at = pointer::join([section, name.as_str()]);
                    self.path_item(item, &at);
                }
            }
        }
        let Some(Value::Object(components)) = root.get_mut("components") else {
            return;
        };
        if let Some(Value::Object(items)) = components.get_mut("pathItems") {
            for (name, item) in items.iter_mut() {
                let at = pointer::join(["components", "pathItems", name.as_str()]);
                self.path_item(item, &at);
            }
        }
        if let Some(Value::Object(callbacks)) = components.get_mut("callbacks") {
            for (name, cb) in callbacks.iter_mut() {
                let at = pointer::join(["components", "callbacks", name.as_str()]);
                self.callback(cb, &at);
            }
        }
    }

    fn callback(&mut self, cb: &mut Value, at: &str) {
        if let Value::Object(cb) = cb {
            for (expression, item) in cb.iter_mut() {
                if !expression.starts_with("x-") {
                    self.path_item(item, &pointer::push(at, expression));
                }
            }
        }
    }

    fn path_item(&mut self, item: &mut Value, at: &str) {
        let Value::Object(item) = item else { return };
        self.querystring(item, at);
        for method in METHODS.iter().chain(&[QUERY]) {
            if let Some(op) = item.get_mut(*method) {
                self.operation(op, &pointer::push(at, method));
            }
        }
        if let Some(Value::Object(more)) = item.get_mut(ADDITIONAL_OPERATIONS) {
            for (method, op) in more.iter_mut() {
                self.operation(op, &pointer::join_to(at, [ADDITIONAL_OPERATIONS, method]));
            }
        }
        let mut moved = Obj::new();
        if let Some(op) = item.shift_remove(QUERY) {
            let msg = format!("a `query` operation has no field in this OpenAPI version: written under `{OAI_ADDITIONAL_OPERATIONS}` as `QUERY`");
            self.warn(&pointer::push(at, QUERY), msg);
            moved.insert("QUERY".into(), op);
        }
        if let Some(Value::Object(more)) = item.shift_remove(ADDITIONAL_OPERATIONS) {
            let msg = format!(
                "`additionalOperations` is OpenAPI 3.2: written as `{OAI_ADDITIONAL_OPERATIONS}`"
            );
            self.warn(&pointer::push(at, ADDITIONAL_OPERATIONS), msg);
            moved.extend(more);
        }
        if !moved.is_empty() {
            item.insert(OAI_ADDITIONAL_OPERATIONS.into(), Value::Object(moved));
        }
    }

    fn operation(&mut self, op: &mut Value, at: &str) {
        let Value::Object(op) = op else { return };
        self.querystring(op, at);
        self.security(op, at);
        if self.target == OpenApiVersion::V30 && !op.contains_key("responses") {
            let response = serde_json::json!({"default": {"description": "Not described: the operation has no responses, which OpenAPI 3.0 requires"}});
            op.insert("responses".into(), response);
            let msg = "OpenAPI 3.0 requires `responses`: a `default` one is added".to_string();
            self.warn(&pointer::push(at, "responses"), msg);
        }
        if let Some(Value::Object(callbacks)) = op.get_mut("callbacks") {
            for (name, cb) in callbacks.iter_mut() {
                self.callback(cb, &pointer::join_to(at, ["callbacks", name.as_str()]));
            }
        }
    }

    /// An inline `in: querystring` parameter (or a `$ref` to one that moved) leaves the list.
    fn querystring(&mut self, owner: &mut Obj, at: &str) {
        let Some(Value::Array(list)) = owner.get_mut("parameters") else {
            return;
        };
        let querystrings = &self.querystrings;
        let Some(i) = list.iter().position(|p| {
            is_querystring(Some(p))
                || p.get("$ref")
                    .and_then(Value::as_str)
                    .is_some_and(|r| querystrings.iter().any(|q| q == r))
        }) else {
            return;
        };
        let p = list.remove(i);
        if list.is_empty() {
            owner.shift_remove("parameters");
        }
        let msg = "a `querystring` parameter has no place before OpenAPI 3.2: moved to `x-hookbridge-querystring`".to_string();
        self.warn(&pointer::join_to(at, ["parameters", &i.to_string()]), msg);
        owner.insert("x-hookbridge-querystring".into(), p);
    }
}

/// Fields of nested objects 3.2 added, found by where they sit: `(parent key, field, name it
/// gets)`. The `x-oai-` names are the OpenAPI Initiative's registered ones.
const NESTED: [(&str, &str, &str); 8] = [
    ("examples", "dataValue", "x-oai-dataValue"),
    ("examples", "serializedValue", "x-oai-serializedValue"),
    ("content", "itemSchema", "x-oai-itemSchema"),
    ("content", "itemEncoding", "x-oai-itemEncoding"),
    ("content", "prefixEncoding", "x-oai-prefixEncoding"),
    ("responses", "summary", "x-hookbridge-summary"),
    ("servers", "name", "x-oai-name"),
    (
        "discriminator",
        "defaultMapping",
        "x-hookbridge-defaultMapping",
    ),
];

impl Retarget<'_> {
    /// The 3.2 fields of Example, Media Type, Response, Server and Discriminator Objects, at
    /// any depth: `parent` is the key the value sits under (a map of them, a list, or itself).
    fn nested(&mut self, v: &mut Value, parent: &str, at: &str) {
        match v {
            Value::Object(m) => {
                if parent == "discriminator" {
                    self.rename_nested(m, parent, at);
                }
                for (key, child) in m.iter_mut() {
                    let child_at = pointer::push(at, key);
                    if matches!(parent, "examples" | "content" | "responses") {
                        if let Value::Object(entry) = child {
                            let is_response =
                                parent != "responses" || entry.contains_key("description");
                            if is_response {
                                self.rename_nested(entry, parent, &child_at);
                            }
                        }
                    }
                    self.nested(child, key, &child_at);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    let child_at = pointer::push(at, &i.to_string());
                    if let (Value::Object(entry), "servers") = (&mut *child, parent) {
                        self.rename_nested(entry, parent, &child_at);
                    }
                    self.nested(child, parent, &child_at);
                }
            }
            _ => {}
        }
    }

    fn rename_nested(&mut self, obj: &mut Obj, parent: &str, at: &str) {
        for (p, from, to) in NESTED {
            if p == parent {
                self.moved(obj, at, from, to);
            }
        }
    }

    /// What 3.1 has and 3.0 lacks, at the places the conversion writes it; schemas are not
    /// rewritten (see docs/mapping.md).
    /// Security requirements naming a scheme 3.0 cannot hold are left out (each is an
    /// alternative the document cannot state any more), with a warning.
    fn security(&mut self, owner: &mut Obj, at: &str) {
        if self.no_scheme_30.is_empty() {
            return;
        }
        let Some(Value::Array(list)) = owner.get_mut("security") else {
            return;
        };
        let names = &self.no_scheme_30;
        let before = list.len();
        list.retain(|req| !names.iter().any(|n| req.get(n).is_some()));
        if list.len() != before {
            let msg = format!("{} security requirement(s) name a `mutualTLS` scheme, which OpenAPI 3.0 lacks: left out (the scheme is in `components.x-hookbridge-securitySchemes`)", before - list.len());
            self.warn(&pointer::push(at, "security"), msg);
        }
    }

    fn down_to_30(&mut self, root: &mut Obj) {
        self.security(root, "");
        if let Some(Value::Object(components)) = root.get_mut("components") {
            let mut moved = Obj::new();
            if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
                for name in &self.no_scheme_30 {
                    if let Some(s) = schemes.shift_remove(name) {
                        moved.insert(name.clone(), s);
                    }
                }
            }
            if !moved.is_empty() {
                let msg = "`mutualTLS` security schemes have no place in OpenAPI 3.0: moved to `components.x-hookbridge-securitySchemes`".to_string();
                self.warn("/components/securitySchemes", msg);
                components.insert("x-hookbridge-securitySchemes".into(), Value::Object(moved));
            }
        }
        self.moved(
            root,
            "",
            "jsonSchemaDialect",
            "x-hookbridge-jsonSchemaDialect",
        );
        if let Some(Value::Object(info)) = root.get_mut("info") {
            self.moved(info, "/info", "summary", "x-hookbridge-summary");
            if let Some(Value::Object(license)) = info.get_mut("license") {
                self.moved(
                    license,
                    "/info/license",
                    "identifier",
                    "x-hookbridge-identifier",
                );
            }
        }
        let items = root
            .get("components")
            .and_then(|c| c.get("pathItems"))
            .and_then(Value::as_object)
            .cloned();
        if let Some(items) = items {
            let mut count = 0;
            let prefix = "#/components/pathItems/";
            for (key, value) in root.iter_mut() {
                if key != "components" {
                    inline_refs(value, prefix, &items, &mut count);
                }
            }
            if let Some(Value::Object(c)) = root.get_mut("components") {
                for (key, value) in c.iter_mut() {
                    if key != "pathItems" {
                        inline_refs(value, prefix, &items, &mut count);
                    }
                }
                rename(c, "pathItems", "x-hookbridge-pathItems");
            }
            let msg = format!("`components.pathItems` has no place in OpenAPI 3.0: moved to `x-hookbridge-pathItems`, its {count} `$ref`(s) replaced by the Path Item they name");
            self.warn("/components/pathItems", msg);
        }
        if !root.contains_key("paths") {
            root.shift_insert(0, "paths".into(), Value::Object(Obj::new()));
            self.warn(
                "/paths",
                "OpenAPI 3.0 requires `paths`: an empty one is added".into(),
            );
        }
    }
}

impl Retarget<'_> {
    /// `components.parameters` of `in: querystring` move to `x-hookbridge-querystring`.
    fn querystring_components(&mut self, components: &mut Obj) {
        let Some(Value::Object(params)) = components.get_mut("parameters") else {
            return;
        };
        let names: Vec<String> = params
            .iter()
            .filter(|(_, p)| is_querystring(Some(p)))
            .map(|(k, _)| k.clone())
            .collect();
        let mut moved = Obj::new();
        for name in names {
            if let Some(p) = params.shift_remove(&name) {
                let at = pointer::join(["components", "parameters", &name]);
                let msg = "a `querystring` parameter has no place before OpenAPI 3.2: moved to `/components/x-hookbridge-querystring`".to_string();
                self.warn(&at, msg);
                moved.insert(name, p);
            }
        }
        if params.is_empty() {
            components.shift_remove("parameters");
        }
        if !moved.is_empty() {
            components.insert("x-hookbridge-querystring".into(), Value::Object(moved));
        }
    }
}

fn is_querystring(p: Option<&Value>) -> bool {
    p.and_then(|p| p.get("in")).and_then(Value::as_str) == Some("querystring")
}

/// Renames a key in place (the object keeps its order).
/// The first `x-webhooks` entry with a field no Path Item has (an extension aside).
fn not_a_path_item(webhooks: Option<&Value>) -> Option<String> {
    let Some(Value::Object(entries)) = webhooks else {
        return None;
    };
    let fits = |entry: &Value| {
        entry.as_object().is_some_and(|fields| {
            fields
                .keys()
                .all(|k| k.starts_with("x-") || is_path_item_field(k, true))
        })
    };
    entries
        .iter()
        .find(|(_, entry)| !fits(entry))
        .map(|(name, _)| name.clone())
}

fn rename(obj: &mut Obj, from: &str, to: &str) {
    if let Some(i) = obj.keys().position(|k| k == from) {
        if let Some(v) = obj.shift_remove(from) {
            obj.shift_insert(i, to.to_string(), v);
        }
    }
}

/// `$ref`s to `<prefix><name>` replaced by `targets[name]` (which may hold more of them).
fn inline_refs(v: &mut Value, prefix: &str, targets: &Obj, count: &mut usize) {
    for _ in 0..8 {
        let target = v
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix(prefix))
            .map(pointer::unescape)
            .and_then(|name| targets.get(&name));
        match target {
            Some(t) => {
                *v = t.clone();
                *count += 1;
            }
            None => break,
        }
    }
    match v {
        Value::Object(m) => m
            .values_mut()
            .for_each(|child| inline_refs(child, prefix, targets, count)),
        Value::Array(a) => a
            .iter_mut()
            .for_each(|child| inline_refs(child, prefix, targets, count)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use OpenApiVersion::{V30, V31, V32};

    #[test]
    fn versions_read_and_written() {
        assert_eq!(OpenApiVersion::of("3.0.3"), Some(V30));
        assert_eq!(OpenApiVersion::of("3.2"), Some(V32));
        assert_eq!(OpenApiVersion::of("3.10.0"), None);
        assert_eq!((V31.text(), V31.minor()), ("3.1.2", "3.1"));
    }

    #[test]
    fn what_31_lacks_moves_into_extensions_with_warnings() {
        let mut doc = json!({
            "openapi": "3.1.2",
            "$self": "https://e.com/a.yaml",
            "webhooks": {"w": {
                "parameters": [{"$ref": "#/components/parameters/Q"}],
                "query": {"callbacks": {"cb": {"{$url}": {"additionalOperations": {"LINK": {}}}}}},
                "additionalOperations": {"PURGE": {"requestBody": {"content": {"a/b": {"$ref": "#/components/mediaTypes/M"}}}}}
            }},
            "components": {
                "parameters": {"Q": {"name": "q", "in": "querystring", "content": {}}},
                "mediaTypes": {"M": {"examples": {"e": {"dataValue": 1}}}}
            }
        });
        let found = retarget(&mut doc, (V32, V31), "f");
        let w = &doc["webhooks"]["w"];
        let moved = &w[OAI_ADDITIONAL_OPERATIONS];
        assert_eq!(
            moved
                .as_object()
                .map(|m| m.keys().cloned().collect::<Vec<_>>()),
            Some(vec!["QUERY".to_string(), "PURGE".to_string()])
        );
        assert!(
            moved["QUERY"]["callbacks"]["cb"]["{$url}"][OAI_ADDITIONAL_OPERATIONS]["LINK"]
                .is_object()
        );
        assert_eq!(
            moved["PURGE"]["requestBody"]["content"]["a/b"],
            json!({"examples": {"e": {"x-oai-dataValue": 1}}})
        );
        assert_eq!(
            w["x-hookbridge-querystring"],
            json!({"$ref": "#/components/parameters/Q"})
        );
        assert!(w.get("parameters").is_none());
        assert!(doc["components"]["x-hookbridge-querystring"]["Q"].is_object());
        assert_eq!(doc["x-oai-$self"], "https://e.com/a.yaml");
        assert!(found
            .iter()
            .all(|d| d.code == codes::OPENAPI_VERSION_DOWNGRADE));
        assert!(found.iter().any(|d| d.pointer == "/webhooks/w/query"));
    }

    #[test]
    fn into_30_and_out_of_it() {
        let mut doc = json!({
            "openapi": "3.0.4", "info": {"summary": "s"},
            "webhooks": {"w": {"$ref": "#/components/pathItems/P"}},
            "components": {"pathItems": {"P": {"post": {}}}, "schemas": {"S": {"const": 1}}}
        });
        let found = retarget(&mut doc, (V31, V30), "f");
        assert_eq!(doc["components"]["schemas"]["S"], json!({"enum": [1]}));
        assert!(doc["x-webhooks"]["w"]["post"]["responses"]["default"]["description"].is_string());
        assert!(doc.get("webhooks").is_none() && doc["paths"] == json!({}));
        assert_eq!(doc["info"]["x-hookbridge-summary"], "s");
        assert!(found
            .iter()
            .any(|d| d.message.contains("Schema Object dialect")));
        let mut doc = json!({"openapi": "3.2.0", "x-webhooks": {"w": {"post": {}}}});
        assert!(retarget(&mut doc, (V30, V32), "f").is_empty());
        assert!(doc["webhooks"]["w"].is_object());
    }

    /// A vendor's callback-shaped `x-webhooks` entry (or one with a field no Path Item has)
    /// cannot go into 3.1's `webhooks`: the entries stay where they are, with a warning.
    #[test]
    fn vendor_shaped_webhooks_stay_extensions() {
        for entry in [
            json!({"{$request.body#/callback}": {"post": {}}}),
            json!({"subscribe": {}, "post": {}}),
        ] {
            let webhooks = json!({"plain": {"post": {}, "x-a": 1}, "odd": entry});
            for target in [V31, V32] {
                let mut doc = json!({"openapi": "3.0.3", "x-webhooks": webhooks.clone()});
                let found = retarget(&mut doc, (V30, target), "f");
                assert_eq!(doc["x-webhooks"], webhooks);
                assert!(doc.get("webhooks").is_none());
                assert_eq!(found.len(), 1, "{found:?}");
                assert_eq!(found[0].pointer, "/x-webhooks/odd");
            }
        }
    }
}
