//! Reading one operation: its request payloads, parameters, responses and security, from
//! an OpenAPI Operation Object or an AsyncAPI `send` operation and its messages.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::model::{Op, Owned, Param};
use super::surface::OpenApiReader;
use crate::contract::lint::follow;
use crate::document::pointer;
use crate::openapi;

impl<'a> OpenApiReader<'a> {
    pub(super) fn operation(
        &self,
        at: &str,
        op: &'a Value,
        shared: BTreeMap<String, Param<'a>>,
    ) -> Op<'a> {
        let mut out = Op {
            at: at.to_string(),
            params: self.params(at, op, shared),
            security: security_names(op.get("security")),
            ..Op::default()
        };
        if let Some(body) = op.get("requestBody") {
            let body_at = pointer::push(at, "requestBody");
            if let Ok((body, body_at)) = follow(self.root, body, &body_at) {
                out.request = self.content(&body_at, body);
            }
        }
        if let Some(Value::Object(responses)) = op.get("responses") {
            for (code, response) in responses.iter().filter(|(k, _)| !k.starts_with("x-")) {
                let r_at = pointer::join_to(at, ["responses", code.as_str()]);
                if let Ok((response, r_at)) = follow(self.root, response, &r_at) {
                    let content = self.content(&r_at, response);
                    out.responses.insert(code.clone(), (r_at, content));
                }
            }
        }
        out
    }

    fn content(&self, at: &str, owner: &'a Value) -> BTreeMap<String, Owned<'a>> {
        let mut out = BTreeMap::new();
        if let Some(Value::Object(content)) = owner.get("content") {
            for (media, mt) in content {
                let mt_at = pointer::join_to(at, ["content", media.as_str()]);
                // An OpenAPI 3.2 stream's items are what each side reads, one at a time.
                let schema = ["schema", "itemSchema"]
                    .into_iter()
                    .find_map(|k| Some((mt.get(k)?, pointer::push(&mt_at, k))));
                out.insert(media.to_ascii_lowercase(), Owned { at: mt_at, schema });
            }
        }
        out
    }

    /// Parameters of `owner` over `inherited` (an operation's override its path item's).
    pub(super) fn params(
        &self,
        at: &str,
        owner: &'a Value,
        mut inherited: BTreeMap<String, Param<'a>>,
    ) -> BTreeMap<String, Param<'a>> {
        let Some(Value::Array(list)) = owner.get("parameters") else {
            return inherited;
        };
        for (i, p) in list.iter().enumerate() {
            let p_at = pointer::join_to(at, ["parameters", &i.to_string()]);
            let Ok((p, p_at)) = follow(self.root, p, &p_at) else {
                continue;
            };
            let (Some(name), Some(loc)) = (
                p.get("name").and_then(Value::as_str),
                p.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let name = if loc == "header" {
                name.to_ascii_lowercase()
            } else {
                name.to_string()
            };
            let param = Param {
                required: p.get("required") == Some(&Value::Bool(true)),
                schema: p.get("schema").map(|s| (s, pointer::push(&p_at, "schema"))),
                at: p_at,
            };
            inherited.insert(format!("{loc} `{name}`"), param);
        }
        inherited
    }
}

/// The scheme names of a Security Requirement list (OpenAPI) or of AsyncAPI security refs.
fn security_names(security: Option<&Value>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for req in security.and_then(Value::as_array).into_iter().flatten() {
        match req {
            Value::Object(m) if m.contains_key("$ref") => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                    names.insert(r.rsplit('/').next().unwrap_or(r).to_string());
                }
            }
            Value::Object(m) if m.contains_key("type") => {
                names.extend(m.get("type").and_then(Value::as_str).map(str::to_string));
            }
            Value::Object(m) => names.extend(m.keys().cloned()),
            _ => {}
        }
    }
    names
}

pub(super) fn asyncapi_op<'a>(root: &'a Value, at: &str, op: &'a Value) -> Op<'a> {
    let mut out = Op {
        at: at.to_string(),
        security: security_names(op.get("security")),
        ..Op::default()
    };
    for (id, m_at, message) in asyncapi_messages(root, op.get("messages"), at) {
        out.request
            .insert(format!("message `{id}`"), payload(&m_at, message));
        if let Some(h) = message.get("headers") {
            let schema = Some((h, pointer::push(&m_at, "headers")));
            out.params.insert(
                format!("headers of message `{id}`"),
                Param {
                    at: m_at.clone(),
                    required: true,
                    schema,
                },
            );
        }
    }
    if let Some(Ok((reply, r_at))) = op
        .get("reply")
        .map(|r| follow(root, r, &pointer::push(at, "reply")))
    {
        for (id, m_at, message) in asyncapi_messages(root, reply.get("messages"), &r_at) {
            let status = message.pointer("/bindings/http/statusCode").map_or_else(
                || id.clone(),
                |s| s.as_str().map_or_else(|| s.to_string(), str::to_string),
            );
            let mut content = BTreeMap::new();
            content.insert(format!("message `{id}`"), payload(&m_at, message));
            out.responses.insert(status, (m_at, content));
        }
    }
    out
}

fn asyncapi_messages<'a>(
    root: &'a Value,
    list: Option<&'a Value>,
    at: &str,
) -> Vec<(String, String, &'a Value)> {
    let mut out = Vec::new();
    for (i, m) in list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let m_at = pointer::join_to(at, ["messages", &i.to_string()]);
        let id = openapi::ref_of(m)
            .and_then(|r| r.rsplit('/').next())
            .map_or_else(|| i.to_string(), str::to_string);
        if let Ok((message, m_at)) = follow(root, m, &m_at) {
            out.push((pointer::unescape(&id), m_at, message));
        }
    }
    out
}

/// A message's payload schema (inside a Multi Format Schema Object when there is one).
fn payload<'a>(at: &str, message: &'a Value) -> Owned<'a> {
    let schema = message.get("payload").map(|p| match p.get("schema") {
        Some(inner) if p.get("schemaFormat").is_some() => {
            (inner, pointer::join_to(at, ["payload", "schema"]))
        }
        _ => (p, pointer::push(at, "payload")),
    });
    Owned {
        at: at.to_string(),
        schema,
    }
}
