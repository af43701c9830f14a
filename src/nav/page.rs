//! What the HTML page shows beyond the manifest: each entry's payload schema and an example,
//! and the component schemas those refer to. Not part of the manifest's JSON.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::openapi_walk::resolve;
use super::{Kind, Node};
use crate::document::pointer;

/// Deepest nesting of a generated example.
const EXAMPLE_DEPTH: usize = 6;

/// Payloads by node id and component schemas by schema node id.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageData {
    #[serde(serialize_with = "ordered")]
    pub payloads: IndexMap<String, Payload>,
    #[serde(serialize_with = "ordered")]
    pub schemas: IndexMap<String, Value>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Payload {
    /// `request body`, `response 200`, `message payload`.
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    pub schema: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// `document` or `generated`.
    pub example_source: String,
    /// Prefix of the schema node ids its `#/components/schemas/X` refs stand for.
    pub schema_prefix: String,
}

fn ordered<T: Serialize, S: serde::Serializer>(
    map: &IndexMap<String, T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(map.iter())
}

impl PageData {
    pub fn extend(&mut self, other: PageData) {
        self.payloads.extend(other.payloads);
        self.schemas.extend(other.schemas);
    }

    pub fn prefix_ids(&mut self, fix: &dyn Fn(&mut String)) {
        let rekey = |k: &String| {
            let mut k = k.clone();
            fix(&mut k);
            k
        };
        self.payloads = std::mem::take(&mut self.payloads)
            .into_iter()
            .map(|(k, mut p)| {
                fix(&mut p.schema_prefix);
                (rekey(&k), p)
            })
            .collect();
        self.schemas = std::mem::take(&mut self.schemas)
            .into_iter()
            .map(|(k, v)| (rekey(&k), v))
            .collect();
    }
}

/// The page data of one API's nodes (before any portal prefixing: schema ids `schema:X`).
pub fn collect(
    openapi: &Value,
    asyncapi: &Value,
    openapi_id: &str,
    nodes: &IndexMap<String, Node>,
) -> PageData {
    let mut data = PageData::default();
    for n in nodes.values() {
        let doc = if n.source.as_deref() == Some(openapi_id) {
            openapi
        } else {
            asyncapi
        };
        let payload = match n.kind {
            Kind::Operation | Kind::Webhook | Kind::Callback => {
                at(doc, n.pointer.as_deref()).and_then(|op| http_payload(doc, op))
            }
            Kind::Message => at(doc, n.pointer.as_deref()).and_then(|m| message_payload(doc, m)),
            Kind::AsyncOperation => n
                .children
                .first()
                .and_then(|m| nodes.get(m))
                .and_then(|m| at(doc, m.pointer.as_deref()))
                .and_then(|m| message_payload(doc, m)),
            Kind::Schema => {
                let occ = n.occurrences.first();
                let d = match occ {
                    Some(o) if o.source == openapi_id => openapi,
                    _ => asyncapi,
                };
                if let Some(s) = occ.and_then(|o| d.pointer(&o.pointer)) {
                    data.schemas.insert(n.id.clone(), s.clone());
                    Some(payload("schema", None, d, s, None))
                } else {
                    None
                }
            }
            _ => None,
        };
        if let Some(p) = payload {
            data.payloads.insert(n.id.clone(), p);
        }
    }
    data
}

/// The value at a node's pointer, following `$ref`s on the way (pointers keep them as written).
fn at<'a>(doc: &'a Value, ptr: Option<&str>) -> Option<&'a Value> {
    let mut v = doc;
    for token in pointer::split(ptr?)? {
        v = resolve(doc, v);
        v = match v {
            Value::Object(m) => m.get(&token)?,
            Value::Array(a) => a.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(resolve(doc, v))
}

fn payload(
    role: &str,
    ct: Option<&str>,
    doc: &Value,
    schema: &Value,
    ex: Option<Value>,
) -> Payload {
    let example = ex.or_else(|| schema_example(doc, schema));
    let (example, source) = match example {
        Some(e) => (Some(e), "document"),
        None => (Some(generate(doc, schema, 0)), "generated"),
    };
    Payload {
        role: role.into(),
        content_type: ct.map(str::to_string),
        schema: schema.clone(),
        example,
        example_source: source.into(),
        schema_prefix: "schema:".into(),
    }
}

/// The request body, else the first success response with content.
fn http_payload(doc: &Value, op: &Value) -> Option<Payload> {
    let body = op.get("requestBody").map(|b| resolve(doc, b));
    if let Some(p) = body.and_then(|b| media_payload(doc, b, "request body")) {
        return Some(p);
    }
    let responses = op.get("responses")?.as_object()?;
    responses
        .iter()
        .filter(|(code, _)| code.starts_with('2'))
        .find_map(|(code, r)| media_payload(doc, resolve(doc, r), &format!("response {code}")))
}

fn media_payload(doc: &Value, holder: &Value, role: &str) -> Option<Payload> {
    let (ct, media) = holder.get("content")?.as_object()?.iter().next()?;
    let schema = media.get("schema")?;
    let ex = media.get("example").cloned().or_else(|| {
        let first = media.get("examples")?.as_object()?.values().next()?;
        resolve(doc, first).get("value").cloned()
    });
    Some(payload(role, Some(ct), doc, schema, ex))
}

fn message_payload(doc: &Value, m: &Value) -> Option<Payload> {
    let p = m.get("payload")?;
    let schema = match p.get("schemaFormat") {
        Some(_) => p.get("schema")?,
        None => p,
    };
    let ex = m
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|e| e.get("payload"))
        .cloned();
    let ct = m.get("contentType").and_then(Value::as_str);
    Some(payload("message payload", ct, doc, schema, ex))
}

fn schema_example(doc: &Value, schema: &Value) -> Option<Value> {
    let s = resolve(doc, schema);
    s.get("example").cloned().or_else(|| {
        s.get("examples")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .cloned()
    })
}

/// A value shaped like `schema`: its own examples, defaults, enums, else placeholders.
fn generate(doc: &Value, schema: &Value, depth: usize) -> Value {
    let s = resolve(doc, schema);
    if depth > EXAMPLE_DEPTH {
        return Value::Null;
    }
    if let Some(v) = ["example", "default", "const"]
        .iter()
        .find_map(|k| s.get(*k))
    {
        return v.clone();
    }
    if let Some(v) = s
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return v.clone();
    }
    if let Some(v) = s
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return v.clone();
    }
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        let mut out = Map::new();
        for part in all {
            if let Value::Object(m) = generate(doc, part, depth + 1) {
                out.extend(m);
            }
        }
        return Value::Object(out);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = s.get(key).and_then(Value::as_array).and_then(|a| a.first()) {
            return generate(doc, first, depth + 1);
        }
    }
    let ty = match s.get("type") {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null"),
        Some(t) => t.as_str(),
        None if s.get("properties").is_some() => Some("object"),
        None => None,
    };
    match ty {
        Some("object") => {
            let mut out = Map::new();
            if let Some(Value::Object(props)) = s.get("properties") {
                for (k, v) in props.iter().take(40) {
                    out.insert(k.clone(), generate(doc, v, depth + 1));
                }
            }
            Value::Object(out)
        }
        Some("array") => match s.get("items") {
            Some(items) => json!([generate(doc, items, depth + 1)]),
            None => json!([]),
        },
        Some("integer") => json!(0),
        Some("number") => json!(0.0),
        Some("boolean") => json!(true),
        Some("string") => json!(string_for(s.get("format").and_then(Value::as_str))),
        _ => Value::Null,
    }
}

fn string_for(format: Option<&str>) -> &'static str {
    match format {
        Some("date-time") => "2024-01-01T00:00:00Z",
        Some("date") => "2024-01-01",
        Some("email") => "user@example.com",
        Some("uri" | "url") => "https://example.com",
        Some("uuid") => "00000000-0000-0000-0000-000000000000",
        _ => "string",
    }
}
