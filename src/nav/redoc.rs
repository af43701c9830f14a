//! Redoc 3 routes (`prepareApiDocs` item links), one Redoc instance per document at `/`.
//!
//! Follows redoc@3.0.1: tags are groups at `/{slug(tag)}`; an operation's route is
//! `{tag route}/{operationId}` (untagged: `/other/{operationId}`), or its JSON pointer
//! `paths/{path}/{method}` when it has no operationId, lower-cased; webhooks are operations
//! under their tags or `webhooks`; callbacks are a section (`callbacks`) of their operation's
//! page; AsyncAPI channels are `/channels/{key}` with operations under them.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use serde_json::Value;

use super::links::{GROUP_EVENTS, GROUP_REST, GROUP_SCHEMAS, GROUP_WEBHOOKS};
use super::openapi_walk::OasOut;
use super::slug::{redoc_backslash, redoc_join, redoc_route, redoc_slug, redoc_url_join};
use super::{Kind, NavOptions, Node, Redoc3Target};
use crate::document::pointer;

const WEBHOOKS_TAG: &str = "webhooks";

/// The tags Redoc renders as groups, with their routes.
struct Tags {
    routes: HashMap<String, String>,
    traits: HashSet<String>,
}

impl Tags {
    fn route(&self, tag: &str) -> Option<&str> {
        self.routes.get(tag).map(String::as_str)
    }
}

fn tag_route(tag: &str) -> String {
    redoc_join("/", &redoc_backslash(&redoc_slug(tag).to_lowercase()))
}

fn target(href: String) -> Option<Redoc3Target> {
    Some(Redoc3Target {
        href,
        deep_link: None,
    })
}

pub fn openapi(
    doc: &Value,
    oas: &OasOut,
    options: &NavOptions,
    nodes: &mut IndexMap<String, Node>,
) {
    let hook_key = if doc.get("x-webhooks").is_some() {
        "x-webhooks"
    } else {
        "webhooks"
    };
    let src = options.openapi_id.as_str();
    let rendered = |n: &Node| {
        n.source.as_deref() == Some(src)
            && match n.kind {
                Kind::Operation => true,
                Kind::Webhook => webhook_key(n) == Some(hook_key),
                _ => false,
            }
    };
    let ops: Vec<String> = nodes
        .values()
        .filter(|n| rendered(n))
        .map(|n| n.id.clone())
        .collect();
    let tags = tags(doc, &ops, options, nodes);
    for id in &ops {
        let href = nodes.get(id).and_then(|n| operation_route(n, &tags));
        if let Some(n) = nodes.get_mut(id) {
            n.targets.redoc3 = href.and_then(target);
        }
    }
    callbacks(oas, nodes);
    tag_nodes(src, &tags, nodes);
    schemas(doc, options, &tags, nodes);
    let webhooks = tags
        .route(WEBHOOKS_TAG)
        .filter(|_| has_items(WEBHOOKS_TAG, &ops, nodes))
        .map(str::to_string);
    set(nodes, GROUP_WEBHOOKS, webhooks);
    set(nodes, GROUP_REST, Some("/".into()));
    let schemas = options
        .redoc_schemas_tag
        .as_deref()
        .and_then(|t| tags.route(t))
        .map(str::to_string);
    set(nodes, GROUP_SCHEMAS, schemas);
}

fn set(nodes: &mut IndexMap<String, Node>, id: &str, href: Option<String>) {
    if let Some(n) = nodes.get_mut(id) {
        n.targets.redoc3 = href.and_then(target);
    }
}

fn webhook_key(n: &Node) -> Option<&str> {
    let ptr = n.pointer.as_deref()?;
    let first = ptr.strip_prefix('/')?.split('/').next()?;
    Some(if first == "x-webhooks" {
        "x-webhooks"
    } else {
        "webhooks"
    })
}

/// The tags Redoc shows under its default order (declared, `webhooks`, the schemas tag, then
/// tags met on operations), restricted to `x-tagGroups` when the document has them.
fn tags(doc: &Value, ops: &[String], options: &NavOptions, nodes: &IndexMap<String, Node>) -> Tags {
    let mut known: Vec<String> = Vec::new();
    let mut traits = HashSet::new();
    if let Some(Value::Array(declared)) = doc.get("tags") {
        for t in declared {
            let Some(name) = t.get("name").and_then(Value::as_str) else {
                continue;
            };
            if t.get("x-traitTag").is_some_and(truthy) {
                traits.insert(name.to_string());
            }
            known.push(name.to_string());
        }
    }
    if let Some(s) = &options.redoc_schemas_tag {
        push_unique(&mut known, s);
    }
    for n in ops.iter().filter_map(|id| nodes.get(id)) {
        for t in effective_tags(n) {
            push_unique(&mut known, &t);
        }
    }
    let groups: Vec<String> = match doc.get("x-tagGroups") {
        Some(Value::Array(g)) if !g.is_empty() => g
            .iter()
            .filter_map(|g| g.get("tags").and_then(Value::as_array))
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => known.clone(),
    };
    let routes = known
        .iter()
        .filter(|t| groups.contains(t))
        .map(|t| {
            (
                t.clone(),
                if t.is_empty() {
                    "/".to_string()
                } else {
                    tag_route(t)
                },
            )
        })
        .collect();
    Tags { routes, traits }
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

fn truthy(v: &Value) -> bool {
    !matches!(v, Value::Null | Value::Bool(false))
        && v.as_str() != Some("")
        && v.as_f64() != Some(0.0)
}

/// The tags an operation is listed under: its own, else `webhooks` or the untagged `""`.
fn effective_tags(n: &Node) -> Vec<String> {
    if !n.tags.is_empty() {
        return n.tags.clone();
    }
    let fallback = if n.kind == Kind::Webhook {
        WEBHOOKS_TAG
    } else {
        ""
    };
    vec![fallback.to_string()]
}

fn has_items(tag: &str, ops: &[String], nodes: &IndexMap<String, Node>) -> bool {
    ops.iter()
        .filter_map(|id| nodes.get(id))
        .any(|n| effective_tags(n).iter().any(|t| t == tag))
}

fn operation_route(n: &Node, tags: &Tags) -> Option<String> {
    let eff = effective_tags(n);
    let untagged = eff == [""];
    let base = eff
        .iter()
        .filter(|t| !tags.traits.contains(*t))
        .find_map(|t| tags.route(t))?;
    let http = n.http.as_ref()?;
    let path = http.path.as_deref().or(http.name.as_deref())?;
    let method = http.method.to_lowercase();
    let part = match n.operation_id.as_deref() {
        Some(id) if untagged => redoc_join("other", &redoc_backslash(id)),
        Some(id) => redoc_backslash(id),
        None => {
            let ptr = pointer::join(["paths", path, method.as_str()]);
            ptr.strip_prefix('/').unwrap_or(&ptr).replace('#', "_")
        }
    };
    Some(redoc_route(&redoc_join(base, &part.to_lowercase())))
}

/// A callback is the `callbacks` section of its operation's page (first level only: Redoc
/// does not render callbacks of callbacks, nor callback Path Items given as `$ref`).
fn callbacks(oas: &OasOut, nodes: &mut IndexMap<String, Node>) {
    let found: Vec<(String, String)> = nodes
        .values()
        .filter(|n| n.kind == Kind::Callback && !oas.ref_callback_items.contains(&n.id))
        .filter_map(|n| {
            let parent = nodes.get(&n.callback.as_ref()?.registered_by)?;
            if !matches!(parent.kind, Kind::Operation | Kind::Webhook) {
                return None;
            }
            Some((n.id.clone(), parent.targets.redoc3.as_ref()?.href.clone()))
        })
        .collect();
    for (id, href) in found {
        let rel = redoc_backslash(&href).trim_start_matches('/').to_string();
        let deep = format!("/{rel}#{}", redoc_join(&rel, "callbacks")).to_lowercase();
        if let Some(n) = nodes.get_mut(&id) {
            n.targets.redoc3 = Some(Redoc3Target {
                href,
                deep_link: Some(redoc_route(&redoc_join("/", &deep))),
            });
        }
    }
}

fn tag_nodes(src: &str, tags: &Tags, nodes: &mut IndexMap<String, Node>) {
    for n in nodes
        .values_mut()
        .filter(|n| n.kind == Kind::Tag && n.source.as_deref() == Some(src))
    {
        let name = n.id.splitn(3, ':').nth(2).unwrap_or_default();
        let empty_webhooks = name == WEBHOOKS_TAG && n.children.is_empty();
        n.targets.redoc3 = tags
            .route(name)
            .filter(|_| !name.is_empty() && !empty_webhooks)
            .map(str::to_string)
            .and_then(target);
    }
}

/// Schemas are listed under their `x-tags`, else under the `schemaDefinitionsTagName` tag.
fn schemas(doc: &Value, options: &NavOptions, tags: &Tags, nodes: &mut IndexMap<String, Node>) {
    let Some(Value::Object(all)) = doc.pointer("/components/schemas") else {
        return;
    };
    for (name, schema) in all {
        let own: Vec<String> = schema
            .get("x-tags")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let listed = if own.is_empty() {
            options.redoc_schemas_tag.iter().cloned().collect()
        } else {
            own
        };
        let Some(base) = listed.iter().find_map(|t| tags.route(t)) else {
            continue;
        };
        let slug = redoc_slug(name).to_lowercase();
        let slug = if slug.is_empty() {
            name.to_lowercase()
        } else {
            slug
        };
        let href = redoc_route(&redoc_join(base, &redoc_backslash(&slug)));
        if let Some(n) = nodes.get_mut(&format!("schema:{name}")) {
            if n.source.as_deref() == Some(options.openapi_id.as_str()) {
                n.targets.redoc3 = target(href);
            }
        }
    }
}

/// AsyncAPI: `/{channels}/{key}` and `/{channels}/{key}/operations/{operation}`, lower-cased,
/// under the first channel tag when there is one.
pub fn asyncapi(doc: &Value, options: &NavOptions, nodes: &mut IndexMap<String, Node>) {
    let src = options.asyncapi_id.as_str();
    let protocol = first_binding(doc, 0);
    let groups = tag_group_names(doc);
    let mut routes: HashMap<String, Vec<String>> = HashMap::new();
    let mut by_address: HashMap<String, String> = HashMap::new();
    if let Some(Value::Object(channels)) = doc.get("channels") {
        for (key, ch) in channels {
            if let Some(a) = ch
                .get("address")
                .and_then(Value::as_str)
                .filter(|a| !a.is_empty())
            {
                by_address.insert(a.to_string(), key.clone());
            }
            let Some(parts) = channel_parts(protocol.as_deref(), key, ch, groups.as_deref()) else {
                continue;
            };
            let href = redoc_url_join(&refs(&parts)).to_lowercase();
            let id = super::asyncapi_walk::channel_id(src, key);
            if let Some(n) = nodes.get_mut(&id) {
                n.targets.redoc3 = target(href.clone());
                let msgs: Vec<String> = n.children.clone();
                messages(nodes, &msgs, &href);
            }
            routes.insert(key.clone(), parts);
        }
    }
    if let Some(Value::Object(ops)) = doc.get("operations") {
        for (key, op) in ops {
            let Some(ch) = op_channel(op, &by_address) else {
                continue;
            };
            let Some(parts) = routes.get(&ch) else {
                continue;
            };
            let mut parts = parts.clone();
            parts.extend(["operations".to_string(), key.clone()]);
            let href = redoc_url_join(&refs(&parts)).to_lowercase();
            if let Some(n) = nodes.get_mut(&super::asyncapi_walk::operation_id(src, key)) {
                n.targets.redoc3 = target(href);
            }
        }
    }
    set(nodes, GROUP_EVENTS, Some("/".into()));
}

fn refs(parts: &[String]) -> Vec<&str> {
    parts.iter().map(String::as_str).collect()
}

/// Messages are shown on their channel's page.
fn messages(nodes: &mut IndexMap<String, Node>, ids: &[String], href: &str) {
    for id in ids {
        if let Some(n) = nodes.get_mut(id).filter(|n| n.kind == Kind::Message) {
            n.targets.redoc3 = target(href.to_string());
        }
    }
}

/// The tag names of `x-tagGroups`, when the document has some.
fn tag_group_names(doc: &Value) -> Option<Vec<String>> {
    let groups = doc
        .get("x-tagGroups")?
        .as_array()
        .filter(|g| !g.is_empty())?;
    let names = groups
        .iter()
        .filter_map(|g| g.get("tags").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    Some(names)
}

/// The route parts of a channel: under its first shown tag; with `x-tagGroups`, untagged
/// channels are shown only when their label is listed there (Redoc matches items by label).
fn channel_parts(
    protocol: Option<&str>,
    key: &str,
    ch: &Value,
    groups: Option<&[String]>,
) -> Option<Vec<String>> {
    let word = match protocol {
        Some("kafka") => "topic",
        Some("amqp")
            if ch.pointer("/bindings/amqp/is").and_then(Value::as_str) == Some("routingKey") =>
        {
            "exch"
        }
        Some("amqp") => "queue",
        _ => "channel",
    };
    let shown = |t: &str| groups.is_none_or(|g| g.iter().any(|x| x == t));
    let tags: Vec<&str> = ch
        .get("tags")
        .and_then(Value::as_array)
        .map(|t| {
            t.iter()
                .filter_map(|t| t.get("name").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    let mut parts = vec!["/".to_string()];
    if tags.is_empty() {
        let label = ["title", "summary", "address"]
            .iter()
            .find_map(|k| ch.get(*k).and_then(Value::as_str).filter(|s| !s.is_empty()))
            .unwrap_or(key);
        if !shown(label) {
            return None;
        }
    } else {
        parts.push(redoc_slug(tags.into_iter().find(|t| shown(t))?).to_lowercase());
    }
    parts.push(format!("{word}s"));
    parts.push(key.to_string());
    Some(parts)
}

fn op_channel(op: &Value, by_address: &HashMap<String, String>) -> Option<String> {
    let ch = op.get("channel")?;
    if let Some(r) = ch.get("$ref").and_then(Value::as_str) {
        let ptr = pointer::from_fragment(r).unwrap_or_else(|| r.to_string());
        return pointer::split(&ptr)?.last().cloned();
    }
    by_address.get(ch.get("address")?.as_str()?).cloned()
}

/// Redoc's protocol sniff: the first key of the first `bindings` met depth first.
fn first_binding(v: &Value, depth: usize) -> Option<String> {
    if depth > 64 {
        return None;
    }
    let children: Vec<&Value> = match v {
        Value::Object(m) => m.values().collect(),
        Value::Array(a) => a.iter().collect(),
        _ => return None,
    };
    for child in children {
        if let Some(b) = child.get("bindings").filter(|b| truthy(b)) {
            return b.as_object().and_then(|m| m.keys().next().cloned());
        }
        if let Some(found) = first_binding(child, depth + 1) {
            return Some(found);
        }
    }
    None
}
