//! The merged layout: one entry per event. A webhook or callback with an AsyncAPI equivalent
//! carries both views (`views`); its AsyncAPI operation leaves the Events group, which keeps the
//! channels with no OpenAPI counterpart. Runs after the targets, which follow the renderers'
//! own placement.

use std::collections::HashSet;

use indexmap::IndexMap;

use super::links::{primary_parents, GROUP_EVENTS, GROUP_REST};
use super::{Kind, Node, View};

/// Restructures the split tree (`roots`, `children`, `primaryParent`) into the merged one.
pub fn merge(roots: &mut Vec<String>, nodes: &mut IndexMap<String, Node>) {
    let merged = views(nodes);
    untag_webhooks(nodes);
    if nodes.get(GROUP_REST).is_some_and(|g| g.children.is_empty()) {
        // Its tags held only webhooks (and their parent tags): nothing left to list.
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

/// Webhooks are listed once, under Webhooks; tags emptied by that leave the REST group, and a
/// parent tag (OpenAPI 3.2 `parent`) emptied in turn leaves it too.
fn untag_webhooks(nodes: &mut IndexMap<String, Node>) {
    let mut gone: HashSet<String> = nodes
        .values()
        .filter(|n| n.kind == Kind::Webhook)
        .map(|n| n.id.clone())
        .collect();
    let mut tags = HashSet::new();
    loop {
        let mut emptied = HashSet::new();
        for n in nodes.values_mut().filter(|n| n.kind == Kind::Tag) {
            let before = n.children.len();
            n.children.retain(|c| !gone.contains(c));
            if before > 0 && n.children.is_empty() {
                emptied.insert(n.id.clone());
            }
        }
        if emptied.is_empty() {
            break;
        }
        gone.extend(emptied.iter().cloned());
        tags.extend(emptied);
    }
    for n in nodes.values_mut().filter(|n| n.kind == Kind::Group) {
        n.children.retain(|c| !tags.contains(c));
    }
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
