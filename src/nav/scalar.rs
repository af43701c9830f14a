//! Scalar navigation ids (`@scalar/workspace-store@0.67.0`, `getNavigationOptions`).
//!
//! `{doc}/tag/{slug}`; operations `{tag id|doc}/{METHOD}{path}`; webhooks
//! `{tag id|doc}/webhook/{METHOD}/{slug(name, keeping dots)}`; models `{doc}/models/{Name}`;
//! AsyncAPI `{doc}/channel/{slug}/operation/{slug}/message/{slug}`. Entries marked
//! `x-internal` or `x-scalar-ignore` are left out, as Scalar does; callbacks have no entry.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::Value;

use super::links::{GROUP_EVENTS, GROUP_REST, GROUP_SCHEMAS, GROUP_WEBHOOKS};
use super::openapi_walk::resolve;
use super::slug::scalar_slug;
use super::{Kind, NavOptions, Node, ScalarTarget};
use crate::document::pointer;

fn hidden(v: &Value) -> bool {
    let on = |k: &str| {
        v.get(k)
            .is_some_and(|x| !matches!(x, Value::Null | Value::Bool(false)))
    };
    on("x-internal") || on("x-scalar-ignore")
}

fn set(nodes: &mut IndexMap<String, Node>, id: &str, target: Option<String>) {
    if let Some(n) = nodes.get_mut(id) {
        n.targets.scalar = target.map(|id| ScalarTarget { id });
    }
}

/// Tag ids of the tags Scalar shows (all, or those of `x-tagGroups`), minus hidden ones.
struct Tags {
    doc: String,
    shown: Option<Vec<String>>,
    hidden: Vec<String>,
}

impl Tags {
    fn new(doc: &Value, doc_id: &str) -> Tags {
        // OpenAPI 3.2 nesting (`parent`) takes precedence over `x-tagGroups` in Scalar
        // (`traverseTags`); nested tags keep their `{doc}/tag/{slug}` ids.
        let shown = doc
            .get("x-tagGroups")
            .filter(|_| !nests_tags(doc))
            .and_then(Value::as_array)
            .map(|groups| {
                groups
                    .iter()
                    .filter_map(|g| g.get("tags").and_then(Value::as_array))
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            });
        let hidden = doc
            .get("tags")
            .and_then(Value::as_array)
            .map(|t| {
                t.iter()
                    .filter(|t| hidden(t))
                    .filter_map(|t| t.get("name").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        Tags {
            doc: doc_id.to_string(),
            shown,
            hidden,
        }
    }

    fn id(&self, tag: &str) -> Option<String> {
        let shown = self
            .shown
            .as_ref()
            .is_none_or(|s| s.iter().any(|t| t == tag));
        let hidden = self.hidden.iter().any(|t| t == tag);
        (shown && !hidden).then(|| format!("{}/tag/{}", self.doc, scalar_slug(tag, "", false)))
    }
}

/// Scalar's `hasNestedTags`: a declared tag whose `parent` names another declared tag, outside
/// a cycle (self-parents and unknown names do not count).
fn nests_tags(doc: &Value) -> bool {
    let Some(Value::Array(tags)) = doc.get("tags") else {
        return false;
    };
    let names: Vec<&str> = tags
        .iter()
        .filter_map(|t| t.get("name").and_then(Value::as_str))
        .collect();
    let parent_of = |name: &str| -> Option<&str> {
        let t = tags
            .iter()
            .find(|t| t.get("name").and_then(Value::as_str) == Some(name))?;
        let p = t.get("parent").and_then(Value::as_str)?;
        (p != name && names.contains(&p)).then_some(p)
    };
    names.iter().any(|name| {
        let mut seen = vec![*name];
        let mut cur = parent_of(name);
        while let Some(p) = cur {
            if seen.contains(&p) {
                return false;
            }
            seen.push(p);
            cur = parent_of(p);
        }
        parent_of(name).is_some()
    })
}

/// The manifest's method: a Path Item field upper-cased, an OpenAPI 3.2 `additionalOperations`
/// key as written, which is what Scalar's ids hold (`openapi/webhook/x-lock/...`).
fn method_id(method: &str) -> String {
    method.to_string()
}

pub fn openapi(doc: &Value, options: &NavOptions, nodes: &mut IndexMap<String, Node>) {
    let doc_id = scalar_slug(&options.openapi_id, "", false);
    let tags = Tags::new(doc, &doc_id);
    let hooks = webhooks_key(doc);
    let mut untagged_hooks = false;
    let ids: Vec<String> = nodes.keys().cloned().collect();
    for id in ids {
        let Some(n) = nodes.get(&id) else { continue };
        if n.source.as_deref() != Some(options.openapi_id.as_str()) {
            continue;
        }
        let target = match n.kind {
            Kind::Operation => operation(doc, n, &tags),
            Kind::Webhook if Some(webhook_key(n)) == hooks => {
                let t = webhook(doc, n, &tags);
                untagged_hooks |= t
                    .as_ref()
                    .is_some_and(|t| t.starts_with(&format!("{doc_id}/webhook/")));
                t
            }
            Kind::Tag => n.id.splitn(3, ':').nth(2).and_then(|t| tags.id(t)),
            _ => None,
        };
        set(nodes, &id, target);
    }
    set(nodes, GROUP_REST, Some(doc_id.clone()));
    set(
        nodes,
        GROUP_WEBHOOKS,
        untagged_hooks.then(|| format!("{doc_id}/webhook/undefined/")),
    );
    models(doc, &options.openapi_id, &doc_id, Some(&tags), nodes);
}

/// Scalar reads `webhooks`, and `x-webhooks` of OpenAPI 3.0 documents (upgraded to 3.1).
fn webhooks_key(doc: &Value) -> Option<&'static str> {
    if doc.get("webhooks").is_some() {
        return Some("webhooks");
    }
    let is30 = doc
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.0"));
    (is30 && doc.get("x-webhooks").is_some()).then_some("x-webhooks")
}

fn webhook_key(n: &Node) -> &'static str {
    match n.pointer.as_deref() {
        Some(p) if p.starts_with("/x-webhooks/") => "x-webhooks",
        _ => "webhooks",
    }
}

/// The operation object behind a node (through `$ref`s), to honour `x-internal`.
fn op_value<'a>(doc: &'a Value, n: &Node) -> Option<&'a Value> {
    let tokens = pointer::split(n.pointer.as_deref()?)?;
    let mut v = doc;
    for t in &tokens {
        v = resolve(doc, v).get(t.as_str())?;
    }
    Some(resolve(doc, v))
}

fn first_tag(n: &Node, tags: &Tags) -> Option<Option<String>> {
    if n.tags.is_empty() {
        return Some(None);
    }
    n.tags.iter().find_map(|t| tags.id(t)).map(Some)
}

fn operation(doc: &Value, n: &Node, tags: &Tags) -> Option<String> {
    if op_value(doc, n).is_none_or(hidden) {
        return None;
    }
    let http = n.http.as_ref()?;
    let prefix = first_tag(n, tags)?.unwrap_or_else(|| tags.doc.clone());
    Some(format!(
        "{prefix}/{}{}",
        method_id(&http.method),
        http.path.as_deref()?
    ))
}

fn webhook(doc: &Value, n: &Node, tags: &Tags) -> Option<String> {
    if op_value(doc, n).is_none_or(hidden) {
        return None;
    }
    let http = n.http.as_ref()?;
    let prefix = first_tag(n, tags)?.unwrap_or_else(|| tags.doc.clone());
    let name = scalar_slug(http.name.as_deref()?, ".", false);
    Some(format!(
        "{prefix}/webhook/{}/{name}",
        method_id(&http.method)
    ))
}

/// `{doc}/models/{Name}` (or under the first `x-tags` tag); the group is `{doc}/models`.
fn models(
    doc: &Value,
    src: &str,
    doc_id: &str,
    tags: Option<&Tags>,
    nodes: &mut IndexMap<String, Node>,
) {
    let Some(Value::Object(schemas)) =
        resolve(doc, doc.get("components").unwrap_or(&Value::Null)).get("schemas")
    else {
        return;
    };
    let mut untagged = false;
    for (name, schema) in schemas {
        let schema = resolve(doc, schema);
        if hidden(schema) {
            continue;
        }
        let slug = scalar_slug(name, "", true);
        let x_tags: Vec<&str> = schema
            .get("x-tags")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let id = match (x_tags.first(), tags) {
            (Some(t), Some(tags)) => tags.id(t).map(|tid| format!("{tid}/models/{slug}")),
            _ => {
                untagged = true;
                Some(format!("{doc_id}/models/{slug}"))
            }
        };
        let node_id = format!("schema:{name}");
        if nodes.get(&node_id).and_then(|n| n.source.as_deref()) == Some(src) {
            set(nodes, &node_id, id);
        }
    }
    if untagged
        && nodes
            .get(GROUP_SCHEMAS)
            .is_some_and(|g| g.targets.scalar.is_none())
    {
        set(nodes, GROUP_SCHEMAS, Some(format!("{doc_id}/models")));
    }
}

pub fn asyncapi(doc: &Value, options: &NavOptions, nodes: &mut IndexMap<String, Node>) {
    let src = options.asyncapi_id.as_str();
    let doc_id = scalar_slug(src, "", false);
    let Some(Value::Object(channels)) = doc.get("channels") else {
        set(nodes, GROUP_EVENTS, Some(doc_id.clone()));
        models(doc, src, &doc_id, None, nodes);
        return;
    };
    let mut channel_ids: HashMap<String, String> = HashMap::new();
    if let Some(Value::Object(ops)) = doc.get("operations") {
        for (key, op) in ops {
            let op = resolve(doc, op);
            let Some(ch_key) = channel_name(op).filter(|k| channels.contains_key(k)) else {
                continue;
            };
            let ch = resolve(doc, &channels[&ch_key]);
            if hidden(op) || hidden(ch) {
                continue;
            }
            let ch_id = channel_ids
                .entry(ch_key.clone())
                .or_insert_with(|| channel_scalar_id(doc, &doc_id, &ch_key, ch))
                .clone();
            let op_id = format!("{ch_id}/operation/{}", scalar_slug(key, "", false));
            set(
                nodes,
                &super::asyncapi_walk::operation_id(src, key),
                Some(op_id.clone()),
            );
            for m in message_names(op, ch, &ch_key) {
                let mid = format!(
                    "{src}:message:{}",
                    pointer::join(["channels", ch_key.as_str(), "messages", m.as_str()])
                );
                if nodes.get(&mid).is_some_and(|n| n.targets.scalar.is_none()) {
                    set(
                        nodes,
                        &mid,
                        Some(format!("{op_id}/message/{}", scalar_slug(&m, "", false))),
                    );
                }
            }
        }
    }
    for (key, id) in channel_ids {
        set(
            nodes,
            &super::asyncapi_walk::channel_id(src, &key),
            Some(id),
        );
    }
    set(nodes, GROUP_EVENTS, Some(doc_id.clone()));
    models(doc, src, &doc_id, None, nodes);
}

fn channel_name(op: &Value) -> Option<String> {
    let r = op.get("channel")?.get("$ref")?.as_str()?;
    let name = r.strip_prefix("#/channels/")?;
    (!name.contains('/')).then(|| name.to_string())
}

fn channel_scalar_id(doc: &Value, doc_id: &str, key: &str, ch: &Value) -> String {
    let tag = ch
        .get("tags")
        .and_then(Value::as_array)
        .and_then(|t| t.first())
        .map(|t| resolve(doc, t))
        .and_then(|t| t.get("name").and_then(Value::as_str));
    let prefix = match tag {
        Some(t) => format!("{doc_id}/tag/{}", scalar_slug(t, "", false)),
        None => doc_id.to_string(),
    };
    format!("{prefix}/channel/{}", scalar_slug(key, "", false))
}

/// The channel message keys an operation lists (all of them when it lists none), visible ones.
fn message_names(op: &Value, ch: &Value, ch_key: &str) -> Vec<String> {
    let Some(Value::Object(msgs)) = ch.get("messages") else {
        return Vec::new();
    };
    let names: Vec<String> = match op.get("messages") {
        None => msgs.keys().cloned().collect(),
        Some(Value::Array(refs)) => {
            let prefix = format!("#/channels/{ch_key}/messages/");
            let mut out = Vec::new();
            for r in refs
                .iter()
                .filter_map(|r| r.get("$ref").and_then(Value::as_str))
            {
                match r.strip_prefix(&prefix).filter(|c| msgs.contains_key(*c)) {
                    Some(c) => out.push(c.to_string()),
                    None => out.extend(
                        msgs.iter()
                            .filter(|(_, m)| m.get("$ref").and_then(Value::as_str) == Some(r))
                            .map(|(k, _)| k.clone()),
                    ),
                }
            }
            out
        }
        Some(_) => Vec::new(),
    };
    names
        .into_iter()
        .filter(|n| !msgs.get(n).is_some_and(hidden))
        .collect()
}
