//! What the HTML page shows beyond the manifest: each entry's payload schema and an example,
//! and the component schemas those refer to. Not part of the manifest's JSON.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

use super::openapi_walk::resolve;
use super::{Kind, Node};
use crate::document::pointer;

/// Payloads by node id; a schema node's payload is the component schema itself.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageData {
    #[serde(serialize_with = "ordered")]
    pub payloads: IndexMap<String, Payload>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Payload {
    /// `request body`, `response 200`, `message payload`.
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(skip_serializing_if = "Value::is_null")]
    pub schema: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// `document` when the example comes from the document.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub example_source: String,
    /// The node whose payload has the same schema and example (not repeated here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
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
                if let Some(same) = &mut p.same_as {
                    fix(same);
                }
                (rekey(&k), p)
            })
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
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
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
                occ.and_then(|o| d.pointer(&o.pointer))
                    .map(|s| payload("schema", None, d, s, None))
            }
            _ => None,
        };
        if let Some(mut p) = payload {
            // An event's OpenAPI body, AsyncAPI operation and message usually coincide.
            let key = serde_json::to_string(&(&p.schema, &p.example)).unwrap_or_default();
            match seen.get(&key) {
                Some(first) => {
                    p.same_as = Some(first.clone());
                    p.schema = Value::Null;
                    p.example = None;
                    p.example_source.clear();
                }
                None => {
                    seen.insert(key, n.id.clone());
                }
            }
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
    // Without one, the page generates an example from the schema (smaller pages).
    let example = ex.or_else(|| schema_example(doc, schema));
    let source = if example.is_some() { "document" } else { "" };
    Payload {
        role: role.into(),
        content_type: ct.map(str::to_string),
        schema: schema.clone(),
        example,
        example_source: source.into(),
        schema_prefix: "schema:".into(),
        same_as: None,
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
