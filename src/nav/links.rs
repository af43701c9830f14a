//! Cross-document work: shared schemas, `equivalent` links, roots and primary parents.

use std::collections::HashSet;

use indexmap::IndexMap;
use serde_json::Value;

use super::asyncapi_walk::{channel_key_of, AasOut};
use super::openapi_walk::{resolve, OasOut};
use super::{str_of, Kind, Link, NavDiagnostic, NavOptions, Node, Occurrence};
use crate::document::pointer;

pub const GROUP_REST: &str = "group:rest";
pub const GROUP_WEBHOOKS: &str = "group:webhooks";
pub const GROUP_EVENTS: &str = "group:events";
pub const GROUP_SCHEMAS: &str = "group:schemas";

/// One node per component schema name, with its occurrence in each document.
pub fn schemas(
    openapi: &Value,
    asyncapi: &Value,
    options: &NavOptions,
    nodes: &mut IndexMap<String, Node>,
) -> Vec<String> {
    let mut ids = Vec::new();
    for (doc, src) in [
        (openapi, &options.openapi_id),
        (asyncapi, &options.asyncapi_id),
    ] {
        let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
            continue;
        };
        for (name, schema) in schemas {
            let id = format!("schema:{name}");
            let occurrence = Occurrence {
                source: src.clone(),
                pointer: pointer::join(["components", "schemas", name.as_str()]),
            };
            if let Some(node) = nodes.get_mut(&id) {
                node.occurrences.push(occurrence);
                node.shared = Some(true);
                continue;
            }
            let label = str_of(resolve(doc, schema), "title").unwrap_or(name);
            let mut node = Node::new(id.clone(), Kind::Schema, label.to_string())
                .at(src, occurrence.pointer.clone());
            node.summary =
                str_of(resolve(doc, schema), "description").map(super::openapi_walk::first_line);
            node.occurrences.push(occurrence);
            node.shared = Some(false);
            nodes.insert(id.clone(), node);
            ids.push(id);
        }
    }
    ids
}

/// Links every AsyncAPI operation to the OpenAPI webhook or callback it stands for, through
/// the `x-openapi-*` markers of its channel (else the operationId), in both directions.
pub fn equivalents(
    openapi: &Value,
    asyncapi: &Value,
    derived: bool,
    options: &NavOptions,
    nodes: &mut IndexMap<String, Node>,
) -> Vec<NavDiagnostic> {
    let by_op_id = operation_ids(nodes, &options.openapi_id);
    let Some(Value::Object(ops)) = asyncapi.get("operations") else {
        return unmatched(nodes);
    };
    for (key, op) in ops {
        let op = resolve(asyncapi, op);
        let aid = super::asyncapi_walk::operation_id(&options.asyncapi_id, key);
        let found = by_marker(openapi, asyncapi, op, &options.openapi_id)
            .filter(|id| nodes.contains_key(id))
            .map(|id| (id, "x-openapi marker"))
            .or_else(|| {
                by_op_id
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, id)| (id.clone(), "operationId"))
            });
        let Some((oid, how)) = found else { continue };
        let via = if derived { "conversion" } else { how };
        add_link(nodes, &oid, "equivalent", &aid, via);
        add_link(nodes, &aid, "equivalent", &oid, via);
    }
    unmatched(nodes)
}

fn operation_ids(nodes: &IndexMap<String, Node>, src: &str) -> Vec<(String, String)> {
    nodes
        .values()
        .filter(|n| {
            matches!(n.kind, Kind::Webhook | Kind::Callback) && n.source.as_deref() == Some(src)
        })
        .filter_map(|n| n.operation_id.clone().map(|o| (o, n.id.clone())))
        .collect()
}

/// The OpenAPI node id an AsyncAPI operation's channel markers name.
fn by_marker(openapi: &Value, asyncapi: &Value, op: &Value, oid: &str) -> Option<String> {
    let ch_key = channel_key_of(op)?;
    let channel = resolve(asyncapi, asyncapi.get("channels")?.get(&ch_key)?);
    let method = op
        .pointer("/bindings/http/method")?
        .as_str()?
        .to_ascii_lowercase();
    if let Some(name) = channel.get("x-openapi-webhook").and_then(Value::as_str) {
        let primary = match openapi.get("openapi").and_then(Value::as_str) {
            Some(v) if v.starts_with("3.0") => "x-webhooks",
            _ => "webhooks",
        };
        let key = str_of(channel, "x-openapi-webhook-key").unwrap_or(primary);
        return Some(format!(
            "{oid}:webhook:{}",
            pointer::join([key, name, method.as_str()])
        ));
    }
    let rec = channel.get("x-openapi-callback")?;
    let parent = pointer::from_fragment(rec.get("parent")?.as_str()?)?;
    let name = rec.get("name")?.as_str()?;
    let expr = rec.get("expression")?.as_str()?;
    let ptr = pointer::join_to(&parent, ["callbacks", name, expr, method.as_str()]);
    Some(format!("{oid}:callback:{ptr}"))
}

fn add_link(nodes: &mut IndexMap<String, Node>, from: &str, rel: &str, to: &str, via: &str) {
    let link = Link {
        rel: rel.into(),
        target: to.into(),
        via: Some(via.into()),
    };
    if let Some(n) = nodes.get_mut(from) {
        if !n.links.contains(&link) {
            n.links.push(link);
        }
    }
}

fn unmatched(nodes: &IndexMap<String, Node>) -> Vec<NavDiagnostic> {
    nodes
        .values()
        .filter(|n| matches!(n.kind, Kind::Webhook | Kind::Callback))
        .filter(|n| !n.links.iter().any(|l| l.rel == "equivalent"))
        .map(|n| NavDiagnostic {
            level: "warning".into(),
            code: crate::diagnostics::codes::NAV_NO_EQUIVALENT.into(),
            renderer: None,
            target: None,
            nodes: vec![n.id.clone()],
            message: format!(
                "{} `{}` has no AsyncAPI operation",
                kind_word(n.kind),
                n.label
            ),
        })
        .collect()
}

fn kind_word(kind: Kind) -> &'static str {
    if kind == Kind::Webhook {
        "webhook"
    } else {
        "callback"
    }
}

/// Drops links to nodes that do not exist (a payload `$ref` to a missing schema).
pub fn prune(nodes: &mut IndexMap<String, Node>) {
    let ids: HashSet<String> = nodes.keys().cloned().collect();
    for n in nodes.values_mut() {
        n.links.retain(|l| ids.contains(&l.target));
        n.children.retain(|c| ids.contains(c));
    }
}

/// The top-level groups, each present only when it has children.
pub fn roots(
    oas: &OasOut,
    aas: &AasOut,
    schemas: Vec<String>,
    options: &NavOptions,
    nodes: &mut IndexMap<String, Node>,
) -> Vec<String> {
    let rest: Vec<String> = oas.tags.iter().chain(&oas.untagged).cloned().collect();
    let groups = [
        (
            GROUP_REST,
            "paths",
            "REST API",
            Some(&options.openapi_id),
            rest,
        ),
        (
            GROUP_WEBHOOKS,
            "webhooks",
            "Webhooks",
            Some(&options.openapi_id),
            oas.webhooks.clone(),
        ),
        (
            GROUP_EVENTS,
            "channels",
            "Events (AsyncAPI)",
            Some(&options.asyncapi_id),
            aas.channels.clone(),
        ),
        (GROUP_SCHEMAS, "schemas", "Schemas", None, schemas),
    ];
    let mut roots = Vec::new();
    for (id, role, label, src, children) in groups {
        if children.is_empty() {
            continue;
        }
        let mut node = Node::new(id.into(), Kind::Group, label.into());
        node.role = Some(role.into());
        node.source = src.cloned();
        node.children = children;
        nodes.insert(id.into(), node);
        roots.push(id.to_string());
    }
    roots
}

/// The placement that owns breadcrumbs: the Webhooks group for the webhooks it lists (the split
/// layout lists a tagged webhook under its tag too), else the first parent met walking the
/// roots depth first (the merged layout's webhook-only tags, inside Webhooks).
pub fn primary_parents(roots: &[String], nodes: &mut IndexMap<String, Node>) {
    let listed: HashSet<String> = nodes
        .get(GROUP_WEBHOOKS)
        .map(|g| g.children.iter().cloned().collect())
        .unwrap_or_default();
    for n in nodes.values_mut().filter(|n| listed.contains(&n.id)) {
        n.primary_parent = Some(GROUP_WEBHOOKS.into());
    }
    let mut seen = HashSet::new();
    let mut stack: Vec<(String, Option<String>)> =
        roots.iter().rev().map(|r| (r.clone(), None)).collect();
    while let Some((id, parent)) = stack.pop() {
        let Some(node) = nodes.get_mut(&id) else {
            continue;
        };
        if node.primary_parent.is_none() {
            node.primary_parent = parent;
        }
        if !seen.insert(id.clone()) {
            continue;
        }
        for child in node.children.iter().rev() {
            stack.push((child.clone(), Some(id.clone())));
        }
    }
}
