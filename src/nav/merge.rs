//! The merged layout: one entry per event. A webhook or callback with an AsyncAPI equivalent
//! carries both views (`views`); its AsyncAPI operation leaves the Events group, which keeps the
//! channels with no OpenAPI counterpart. Runs after the targets, which follow the renderers'
//! own placement.

use std::collections::HashSet;

use indexmap::IndexMap;

use super::links::{primary_parents, GROUP_EVENTS, GROUP_REST, GROUP_WEBHOOKS};
use super::{Kind, Node, View};

/// Restructures the split tree (`roots`, `children`, `primaryParent`) into the merged one.
pub fn merge(roots: &mut Vec<String>, nodes: &mut IndexMap<String, Node>) {
    let merged = views(nodes);
    untag_webhooks(nodes);
    if nodes.get(GROUP_REST).is_some_and(|g| g.children.is_empty()) {
        // Its tags held only webhooks (and their parent tags), which moved to Webhooks.
        nodes.shift_remove(GROUP_REST);
        roots.retain(|r| r != GROUP_REST);
    }
    events(roots, &merged, nodes);
    for n in nodes.values_mut() {
        n.primary_parent = None;
    }
    primary_parents(roots, nodes);
    view_parents(nodes);
}

/// Sets `views` on both ends of every `equivalent` pair; returns the AsyncAPI operations.
fn views(nodes: &mut IndexMap<String, Node>) -> HashSet<String> {
    let pairs: Vec<(String, String)> = nodes
        .values()
        .filter(|n| matches!(n.kind, Kind::Webhook | Kind::Callback))
        .filter_map(|n| {
            let eq = n.links.iter().find(|l| l.rel == "equivalent")?;
            Some((n.id.clone(), eq.target.clone()))
        })
        .collect();
    let mut merged = HashSet::new();
    for (entry, aop) in pairs {
        if !merged.insert(aop.clone()) {
            continue;
        }
        let v = vec![
            View {
                format: "openapi".into(),
                node: entry.clone(),
            },
            View {
                format: "asyncapi".into(),
                node: aop.clone(),
            },
        ];
        for id in [&entry, &aop] {
            if let Some(n) = nodes.get_mut(id) {
                n.views = v.clone();
            }
        }
    }
    merged
}

/// Webhooks leave the tags that hold anything else: an event is listed once, under Webhooks.
/// A tag left holding only webhooks, and a parent tag (OpenAPI 3.2 `parent`) holding only such
/// tags, moves with its hierarchy into the Webhooks group, where it takes the place of its first
/// webhook; the webhooks under it are no longer listed flat there.
fn untag_webhooks(nodes: &mut IndexMap<String, Node>) {
    let webhooks: HashSet<String> = nodes
        .values()
        .filter(|n| n.kind == Kind::Webhook)
        .map(|n| n.id.clone())
        .collect();
    let only = webhook_only_tags(nodes, &webhooks);
    for n in nodes.values_mut().filter(|n| n.kind == Kind::Tag) {
        if only.contains(&n.id) {
            continue;
        }
        n.children
            .retain(|c| !webhooks.contains(c) && !only.contains(c));
    }
    for n in nodes.values_mut().filter(|n| n.kind == Kind::Group) {
        n.children.retain(|c| !only.contains(c));
    }
    let roots = tag_roots(nodes, &only);
    if let Some(g) = nodes.get_mut(GROUP_WEBHOOKS) {
        g.children = webhook_group(&g.children, &roots);
    }
}

/// Navigation tags whose children are all webhooks or such tags (a tag nothing carries is not
/// one: it holds nothing to move).
fn webhook_only_tags(
    nodes: &IndexMap<String, Node>,
    webhooks: &HashSet<String>,
) -> HashSet<String> {
    let mut only = HashSet::new();
    loop {
        let found: Vec<String> = nodes
            .values()
            .filter(|n| n.kind == Kind::Tag && !n.children.is_empty() && !only.contains(&n.id))
            .filter(|n| {
                n.children
                    .iter()
                    .all(|c| webhooks.contains(c) || only.contains(c))
            })
            .map(|n| n.id.clone())
            .collect();
        if found.is_empty() {
            return only;
        }
        only.extend(found);
    }
}

/// For each webhook under a moved tag, the outermost moved tags above it (two when it carries
/// webhook-only tags of two hierarchies), in node order.
fn tag_roots(
    nodes: &IndexMap<String, Node>,
    only: &HashSet<String>,
) -> IndexMap<String, Vec<String>> {
    let inner: HashSet<&String> = only
        .iter()
        .filter_map(|t| nodes.get(t))
        .flat_map(|t| t.children.iter())
        .filter(|c| only.contains(*c))
        .collect();
    let mut roots: IndexMap<String, Vec<String>> = IndexMap::new();
    for top in nodes
        .keys()
        .filter(|t| only.contains(*t) && !inner.contains(t))
    {
        let mut stack = vec![top.clone()];
        let mut seen = HashSet::new();
        while let Some(id) = stack.pop() {
            let Some(n) = nodes.get(&id).filter(|_| seen.insert(id.clone())) else {
                continue;
            };
            if n.kind == Kind::Webhook {
                let tops = roots.entry(id).or_default();
                if !tops.contains(top) {
                    tops.push(top.clone());
                }
            } else {
                stack.extend(n.children.iter().rev().cloned());
            }
        }
    }
    roots
}

/// The Webhooks group's children: a moved tag where its first webhook was, the webhooks under
/// moved tags left out, the others in place.
fn webhook_group(children: &[String], roots: &IndexMap<String, Vec<String>>) -> Vec<String> {
    let placed = children
        .iter()
        .flat_map(|c| roots.get(c).cloned().unwrap_or_else(|| vec![c.clone()]));
    // Every webhook is in the group, so the tail adds nothing; it keeps a moved tag from being
    // dropped if one ever were not.
    let tail = roots.values().flatten().cloned();
    let mut seen = HashSet::new();
    placed
        .chain(tail)
        .filter(|id| seen.insert(id.clone()))
        .collect()
}

/// The Events group keeps channels that still hold something once merged operations leave.
fn events(roots: &mut Vec<String>, merged: &HashSet<String>, nodes: &mut IndexMap<String, Node>) {
    let Some(channels) = nodes.get(GROUP_EVENTS).map(|g| g.children.clone()) else {
        return;
    };
    let mut kept = Vec::new();
    for ch in channels {
        let Some(n) = nodes.get_mut(&ch) else {
            continue;
        };
        let rest: Vec<String> = n
            .children
            .iter()
            .filter(|c| !merged.contains(*c))
            .cloned()
            .collect();
        if n.children.is_empty() || !rest.is_empty() {
            n.children = rest;
            kept.push(ch);
        }
    }
    if kept.is_empty() {
        nodes.shift_remove(GROUP_EVENTS);
        roots.retain(|r| r != GROUP_EVENTS);
    } else if let Some(g) = nodes.get_mut(GROUP_EVENTS) {
        g.children = kept;
    }
}

/// An AsyncAPI view that is not placed hangs from its entry: the operation, its messages and
/// its channel take the entry as breadcrumb parent.
fn view_parents(nodes: &mut IndexMap<String, Node>) {
    let pairs: Vec<(String, String)> = nodes
        .values()
        .filter(|n| n.kind != Kind::AsyncOperation && n.views.len() == 2)
        .map(|n| (n.id.clone(), n.views[1].node.clone()))
        .collect();
    for (entry, aop) in pairs {
        let mut stack = vec![(aop.clone(), entry.clone())];
        let channel = nodes
            .get(&aop)
            .and_then(|n| n.async_info.as_ref())
            .and_then(|a| a.channel.clone());
        stack.extend(channel.map(|c| (c, entry.clone())));
        let mut seen = HashSet::new();
        while let Some((id, parent)) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let Some(n) = nodes.get_mut(&id) else {
                continue;
            };
            if n.primary_parent.is_none() {
                n.primary_parent = Some(parent);
            }
            if n.kind == Kind::AsyncOperation {
                stack.extend(n.children.iter().map(|c| (c.clone(), id.clone())));
            }
        }
    }
}
