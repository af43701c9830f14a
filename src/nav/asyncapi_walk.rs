//! The AsyncAPI side: channel -> operation -> message.

use indexmap::IndexMap;
use serde_json::Value;

use super::openapi_walk::{component_schema_name, link, resolve};
use super::{str_of, AsyncInfo, Http, Kind, Node};
use crate::convert::to_asyncapi::STREAM;
use crate::document::pointer;

#[derive(Debug, Default)]
pub struct AasOut {
    pub channels: Vec<String>,
}

pub fn channel_id(src: &str, key: &str) -> String {
    format!("{src}:channel:{}", pointer::join(["channels", key]))
}

pub fn operation_id(src: &str, key: &str) -> String {
    format!("{src}:operation:{}", pointer::join(["operations", key]))
}

/// The channel key of an operation's `channel: {$ref: '#/channels/<key>'}`.
pub fn channel_key_of(op: &Value) -> Option<String> {
    let r = crate::openapi::ref_of(op.get("channel")?)?;
    let tokens = pointer::split(&pointer::from_fragment(r)?)?;
    match tokens.as_slice() {
        [c, key] if c == "channels" => Some(key.clone()),
        _ => None,
    }
}

pub fn walk(doc: &Value, src: &str, nodes: &mut IndexMap<String, Node>) -> AasOut {
    let mut out = AasOut::default();
    if let Some(Value::Object(channels)) = doc.get("channels") {
        for (key, ch) in channels {
            let ch = resolve(doc, ch);
            out.channels.push(channel(doc, src, key, ch, nodes));
        }
    }
    if let Some(Value::Object(ops)) = doc.get("operations") {
        for (key, op) in ops {
            operation(doc, src, key, resolve(doc, op), nodes);
        }
    }
    place_orphan_messages(&out, nodes);
    out
}

fn channel(
    doc: &Value,
    src: &str,
    key: &str,
    ch: &Value,
    nodes: &mut IndexMap<String, Node>,
) -> String {
    let id = channel_id(src, key);
    let address = str_of(ch, "address").map(str::to_string);
    let label = str_of(ch, "title")
        .or_else(|| str_of(ch, "summary"))
        .or(address.as_deref())
        .unwrap_or(key);
    let mut node = Node::new(id.clone(), Kind::Channel, label.to_string())
        .at(src, pointer::join(["channels", key]));
    node.summary = str_of(ch, "description").map(super::openapi_walk::first_line);
    node.async_info = Some(AsyncInfo {
        action: None,
        channel: None,
        address,
        protocol: None,
    });
    nodes.insert(id.clone(), node);
    if let Some(Value::Object(messages)) = ch.get("messages") {
        for (mkey, m) in messages {
            let ptr = pointer::join(["channels", key, "messages", mkey.as_str()]);
            message(doc, src, &ptr, mkey, m, nodes);
        }
    }
    id
}

fn message(
    doc: &Value,
    src: &str,
    ptr: &str,
    key: &str,
    m: &Value,
    nodes: &mut IndexMap<String, Node>,
) -> String {
    let id = format!("{src}:message:{ptr}");
    if nodes.contains_key(&id) {
        return id;
    }
    let resolved = resolve(doc, m);
    let label = str_of(resolved, "title")
        .or_else(|| str_of(resolved, "summary"))
        .or_else(|| str_of(resolved, "name"))
        .unwrap_or(key);
    let mut node = Node::new(id.clone(), Kind::Message, label.to_string()).at(src, ptr.to_string());
    node.summary = str_of(resolved, "description").map(super::openapi_walk::first_line);
    if let Some(ct) = str_of(resolved, "contentType") {
        node.content_types.push(ct.to_string());
    }
    let payload = resolved
        .get("payload")
        .map(|p| p.get("schema").unwrap_or(p));
    if let Some(name) = payload.and_then(component_schema_name) {
        node.links.push(link("payload", &format!("schema:{name}")));
    }
    nodes.insert(id.clone(), node);
    id
}

fn operation(doc: &Value, src: &str, key: &str, op: &Value, nodes: &mut IndexMap<String, Node>) {
    let id = operation_id(src, key);
    let ch_key = channel_key_of(op);
    let ch_id = ch_key.as_deref().map(|k| channel_id(src, k));
    let action = str_of(op, "action").map(str::to_string);
    let address = ch_id
        .as_ref()
        .and_then(|c| nodes.get(c))
        .and_then(|c| c.async_info.as_ref())
        .and_then(|a| a.address.clone());
    let label = str_of(op, "title")
        .or_else(|| str_of(op, "summary"))
        .unwrap_or(key);
    let kind = match ch_key.as_deref().and_then(|k| doc.get("channels")?.get(k)) {
        Some(ch) if resolve(doc, ch).get(STREAM).is_some() => Kind::Stream,
        _ => Kind::AsyncOperation,
    };
    let mut node =
        Node::new(id.clone(), kind, label.to_string()).at(src, pointer::join(["operations", key]));
    node.summary = str_of(op, "description").map(super::openapi_walk::first_line);
    node.operation_id = Some(key.to_string());
    node.async_info = Some(AsyncInfo {
        action: action.clone(),
        channel: ch_id.clone(),
        address,
        protocol: op.get("bindings").and_then(first_key),
    });
    if let Some(method) = op.pointer("/bindings/http/method").and_then(Value::as_str) {
        node.http = Some(Http {
            method: method.to_uppercase(),
            path: None,
            name: None,
            expression: None,
        });
    }
    if let Some(c) = &ch_id {
        node.links.push(link("channel", c));
    }
    let rel = if action.as_deref() == Some("receive") {
        "receives"
    } else {
        "sends"
    };
    for m in operation_messages(doc, src, ch_key.as_deref(), op.get("messages"), nodes) {
        node.children.push(m.clone());
        node.links.push(link(rel, &m));
    }
    let replies = op
        .get("reply")
        .map(|r| resolve(doc, r))
        .and_then(|r| r.get("messages"));
    for m in operation_messages(doc, src, ch_key.as_deref(), replies, nodes) {
        node.children.push(m.clone());
        node.links.push(link("reply", &m));
    }
    nodes.insert(id.clone(), node);
    if let Some(ch) = ch_id.and_then(|c| nodes.get_mut(&c)) {
        ch.children.push(id);
    }
}

fn first_key(v: &Value) -> Option<String> {
    v.as_object()?
        .keys()
        .find(|k| !k.starts_with("x-"))
        .cloned()
}

/// Message node ids of an operation's `messages` (all channel messages when it has none).
fn operation_messages(
    doc: &Value,
    src: &str,
    ch_key: Option<&str>,
    refs: Option<&Value>,
    nodes: &mut IndexMap<String, Node>,
) -> Vec<String> {
    let ch_ptr = ch_key.map(|k| pointer::join(["channels", k, "messages"]));
    let Some(Value::Array(refs)) = refs else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for r in refs.iter().filter_map(crate::openapi::ref_of) {
        let Some(ptr) = pointer::from_fragment(r) else {
            continue;
        };
        let id = match &ch_ptr {
            Some(cp) if ptr.starts_with(&format!("{cp}/")) => format!("{src}:message:{ptr}"),
            _ => channel_message_with_ref(doc, ch_ptr.as_deref(), r, src)
                .unwrap_or_else(|| component_message(doc, src, &ptr, nodes)),
        };
        if nodes.contains_key(&id) && !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// The channel message that is itself `{$ref: r}`.
fn channel_message_with_ref(
    doc: &Value,
    ch_ptr: Option<&str>,
    r: &str,
    src: &str,
) -> Option<String> {
    let ch_ptr = ch_ptr?;
    let messages = doc.pointer(ch_ptr)?.as_object()?;
    let (key, _) = messages
        .iter()
        .find(|(_, m)| crate::openapi::ref_of(m) == Some(r))?;
    Some(format!("{src}:message:{}", pointer::push(ch_ptr, key)))
}

fn component_message(
    doc: &Value,
    src: &str,
    ptr: &str,
    nodes: &mut IndexMap<String, Node>,
) -> String {
    let key = pointer::split(ptr)
        .and_then(|t| t.last().cloned())
        .unwrap_or_default();
    match doc.pointer(ptr) {
        Some(m) => message(doc, src, ptr, &key, m, nodes),
        None => String::new(),
    }
}

/// Messages no operation lists stay reachable under their channel.
fn place_orphan_messages(out: &AasOut, nodes: &mut IndexMap<String, Node>) {
    let placed: std::collections::HashSet<String> = nodes
        .values()
        .filter(|n| matches!(n.kind, Kind::AsyncOperation | Kind::Stream))
        .flat_map(|n| n.children.iter().cloned())
        .collect();
    for ch in &out.channels {
        let prefix = format!("{}/messages/", ch.replacen(":channel:", ":message:", 1));
        let orphans: Vec<String> = nodes
            .keys()
            .filter(|k| k.starts_with(&prefix) && !placed.contains(*k))
            .cloned()
            .collect();
        if let Some(c) = nodes.get_mut(ch) {
            c.children.extend(orphans);
        }
    }
}
