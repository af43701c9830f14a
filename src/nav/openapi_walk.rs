//! The OpenAPI side: tags, operations, webhooks and the callbacks they register.

use indexmap::IndexMap;
use serde_json::Value;

use super::{str_of, CallbackInfo, Http, Kind, Label, Link, NavDiagnostic, Node};
use crate::document::pointer;
use crate::document::refs::local::follow;
use crate::openapi::events;

/// What the walk found, for placement.
#[derive(Debug, Default)]
pub struct OasOut {
    /// Tag nodes: declared tags first, then tags only used by operations.
    pub tags: Vec<String>,
    /// REST operations without tags.
    pub untagged: Vec<String>,
    /// Every webhook operation, in document order.
    pub webhooks: Vec<String>,
    /// Callback nodes whose Path Item is a `$ref` (Redoc 3 does not render those).
    pub ref_callback_items: std::collections::HashSet<String>,
    /// Tag `parent`s that cannot nest (unknown, self, cycle, a label tag).
    pub diagnostics: Vec<NavDiagnostic>,
}

/// A declared tag as OpenAPI 3.2 describes it.
#[derive(Debug)]
struct DeclaredTag {
    name: String,
    index: usize,
    parent: Option<String>,
    /// `kind`, when present and not `nav`: the tag labels entries instead of holding them.
    label_kind: Option<String>,
}

/// Follows local `$ref`s; a chain that cannot be followed leaves `v` as it is.
pub fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    follow(doc, v).map_or(v, |t| t.value)
}

struct Walk<'a, 'n> {
    doc: &'a Value,
    src: &'a str,
    nodes: &'n mut IndexMap<String, Node>,
    out: OasOut,
    declared: Vec<DeclaredTag>,
}

pub fn walk(doc: &Value, src: &str, nodes: &mut IndexMap<String, Node>) -> OasOut {
    let mut w = Walk {
        doc,
        src,
        nodes,
        out: OasOut::default(),
        declared: Vec::new(),
    };
    w.declared_tags();
    let events = events::walk(doc);
    let ids: Vec<String> = events.operations.iter().map(|o| w.node_id(o)).collect();
    // Paths first, then webhooks: the tree's order, whatever the document's.
    for section in ["paths", "webhooks", "x-webhooks"] {
        for (i, op) in events.operations.iter().enumerate() {
            // Redoc and Scalar do not render a webhook in the shape of a callback: it has no
            // OpenAPI view to link to, and appears through its AsyncAPI channel only.
            let vendor_shape = op.kind == events::Kind::Webhook && op.expression.is_some();
            if op.section == section && !vendor_shape {
                let parent = op.parent.map(|p| ids[p].as_str());
                w.operation(&ids[i], op, parent);
            }
        }
    }
    w.nest_tags();
    w.out
}

/// Node id of a tag.
pub fn tag_id(src: &str, name: &str) -> String {
    format!("{src}:tag:{name}")
}

impl Walk<'_, '_> {
    fn declared_tags(&mut self) {
        let Some(Value::Array(tags)) = self.doc.get("tags") else {
            return;
        };
        for (i, tag) in tags.iter().enumerate() {
            let Some(name) = str_of(tag, "name") else {
                continue;
            };
            // OpenAPI 3.2 `summary` is the tag's display name; `x-displayName` (Redoc's) comes
            // first, as in Scalar.
            let label = str_of(tag, "x-displayName")
                .or_else(|| str_of(tag, "summary"))
                .unwrap_or(name);
            let mut node = Node::new(tag_id(self.src, name), Kind::Tag, label.to_string())
                .at(self.src, format!("/tags/{i}"));
            node.summary = str_of(tag, "description").map(first_line);
            let label_kind = str_of(tag, "kind")
                .filter(|k| *k != "nav")
                .map(str::to_string);
            if self.declared.iter().any(|d| d.name == name) {
                continue;
            }
            self.declared.push(DeclaredTag {
                name: name.to_string(),
                index: i,
                parent: str_of(tag, "parent").map(str::to_string),
                label_kind: label_kind.clone(),
            });
            match label_kind {
                // Not a tree node: kept, unplaced, for the pages the portals still make of it.
                Some(_) => {
                    node.role = Some("label".into());
                    self.nodes.entry(node.id.clone()).or_insert(node);
                }
                None => self.add_tag(node),
            }
        }
    }

    fn label_kind(&self, name: &str) -> Option<&str> {
        let d = self.declared.iter().find(|d| d.name == name)?;
        d.label_kind.as_deref()
    }

    /// The declared nav tag `d.parent` names, when `d` may nest under it (as Scalar and
    /// docusaurus-plugin-openapi-docs decide: a declared tag, not itself, no cycle); else why not.
    fn nav_parent(&self, d: &DeclaredTag) -> Result<Option<&DeclaredTag>, String> {
        let Some(parent) = d.parent.as_deref() else {
            return Ok(None);
        };
        let find = |n: &str| self.declared.iter().find(|t| t.name == n);
        let Some(p) = find(parent).filter(|_| parent != d.name) else {
            return Err(format!("names no other declared tag (`{parent}`)"));
        };
        if let Some(kind) = &p.label_kind {
            return Err(format!(
                "names a tag of kind `{kind}`, not a navigation tag"
            ));
        }
        // Up the chain: back to a tag already met is a cycle (the spec forbids them), which
        // both portals leave at the top; a self-parent further up ends the chain, as Scalar
        // reads it.
        let mut seen = vec![d.name.as_str()];
        let mut cur = Some(p);
        while let Some(t) = cur {
            if seen.contains(&t.name.as_str()) {
                return Err("leads into a cycle".into());
            }
            seen.push(&t.name);
            cur = t
                .parent
                .as_deref()
                .filter(|up| *up != t.name)
                .and_then(find);
        }
        Ok(Some(p))
    }

    /// Nav tags with a `parent` become children of that tag (after its operations, as in both
    /// portals) and leave the top level; a `parent` that cannot nest is reported.
    fn nest_tags(&mut self) {
        let mut moves = Vec::new();
        for d in self.declared.iter().filter(|d| d.label_kind.is_none()) {
            match self.nav_parent(d) {
                Ok(Some(p)) => moves.push((tag_id(self.src, &d.name), tag_id(self.src, &p.name))),
                Ok(None) => {}
                Err(why) => self
                    .out
                    .diagnostics
                    .push(tag_parent_diagnostic(self.src, d, &why)),
            }
        }
        for (child, parent) in moves {
            self.out.tags.retain(|t| t != &child);
            if let Some(p) = self.nodes.get_mut(&parent) {
                p.children.push(child.clone());
            }
            if let Some(c) = self.nodes.get_mut(&child) {
                c.links.push(link("parentTag", &parent));
            }
        }
    }

    fn add_tag(&mut self, node: Node) {
        if !self.nodes.contains_key(&node.id) {
            self.out.tags.push(node.id.clone());
            self.nodes.insert(node.id.clone(), node);
        }
    }

    fn node_id(&self, op: &events::Operation) -> String {
        let kind = match op.kind {
            events::Kind::Path => "operation",
            events::Kind::Webhook => "webhook",
            events::Kind::Callback => "callback",
        };
        format!("{}:{kind}:{}", self.src, op.pointer)
    }

    fn operation(&mut self, id: &str, op: &events::Operation, parent: Option<&str>) {
        let (method, ptr) = (http_method(op), op.pointer.as_str());
        match (op.kind, parent, op.expression) {
            (events::Kind::Callback, Some(parent), Some(expr)) => {
                self.callback(id, op, parent, expr);
            }
            (events::Kind::Webhook, _, _) => {
                let mut node = self.operation_node(id, Kind::Webhook, op.operation, ptr);
                node.label = label_of(op.operation, op.name);
                node.http = Some(http(&method, None, Some(op.name), None));
                self.place_by_tags(&node, true);
                self.out.webhooks.push(id.to_string());
                self.nodes.insert(id.to_string(), node);
            }
            _ => {
                let mut node = self.operation_node(id, Kind::Operation, op.operation, ptr);
                let fallback = format!("{method} {}", op.name);
                node.label = label_of(op.operation, &fallback);
                node.http = Some(http(&method, Some(op.name), None, None));
                self.place_by_tags(&node, false);
                self.nodes.insert(id.to_string(), node);
            }
        }
    }

    fn operation_node(&self, id: &str, kind: Kind, op: &Value, ptr: &str) -> Node {
        let mut node = Node::new(id.to_string(), kind, String::new()).at(self.src, ptr.to_string());
        node.operation_id = str_of(op, "operationId").map(str::to_string);
        node.summary = str_of(op, "description").map(first_line).or_else(|| {
            let long =
                str_of(op, "summary").filter(|s| s.contains('\n') || s.chars().count() > 100)?;
            Some(first_line(
                &long.split("\n\n").next().unwrap_or(long).replace('\n', " "),
            ))
        });
        node.deprecated = op.get("deprecated") == Some(&Value::Bool(true));
        node.tags = string_list(op.get("tags"));
        node.labels = node
            .tags
            .iter()
            .filter_map(|t| {
                let kind = self.label_kind(t)?;
                Some(Label {
                    name: t.clone(),
                    kind: kind.to_string(),
                })
            })
            .collect();
        node.content_types = request_media_types(self.doc, op);
        for name in request_schema_names(self.doc, op) {
            node.links.push(link("payload", &format!("schema:{name}")));
        }
        node
    }

    /// Tagged operations and webhooks go under their nav tags (label tags only label them);
    /// operations without nav tags to the REST root.
    fn place_by_tags(&mut self, node: &Node, webhook: bool) {
        let nav: Vec<&String> = node
            .tags
            .iter()
            .filter(|t| self.label_kind(t).is_none())
            .collect();
        if nav.is_empty() && !webhook {
            self.out.untagged.push(node.id.clone());
        }
        for tag in nav {
            let tid = tag_id(self.src, tag);
            if !self.nodes.contains_key(&tid) {
                let tag_node = Node::new(tid.clone(), Kind::Tag, tag.clone());
                self.add_tag(tag_node.at(self.src, "/tags".into()));
            }
            if let Some(t) = self.nodes.get_mut(&tid) {
                if !t.children.contains(&node.id) {
                    t.children.push(node.id.clone());
                }
            }
        }
    }

    /// One callback node per (name, expression, method), nested under `parent`.
    fn callback(&mut self, id: &str, op: &events::Operation, parent: &str, expr: &str) {
        let (name, method) = (op.name, http_method(op));
        let mut node = self.operation_node(id, Kind::Callback, op.operation, &op.pointer);
        node.label = label_of(op.operation, &format!("{name} ({method})"));
        node.http = Some(http(&method, None, None, Some(expr)));
        node.callback = Some(CallbackInfo {
            name: name.to_string(),
            expression: expr.to_string(),
            registered_by: parent.to_string(),
        });
        node.links.push(link("registeredBy", parent));
        if op.item_ref.is_some() {
            self.out.ref_callback_items.insert(id.to_string());
        }
        if let Some(p) = self.nodes.get_mut(parent) {
            p.children.push(id.to_string());
            p.links.push(link("registers", id));
        }
        self.nodes.insert(id.to_string(), node);
    }
}

fn tag_parent_diagnostic(src: &str, d: &DeclaredTag, why: &str) -> NavDiagnostic {
    NavDiagnostic {
        level: "warning".into(),
        code: crate::diagnostics::codes::NAV_TAG_PARENT.into(),
        renderer: None,
        target: None,
        nodes: vec![tag_id(src, &d.name)],
        message: format!(
            "tag `{}`: `parent` at /tags/{}/parent {why}; the tag stays at the top level",
            d.name, d.index
        ),
    }
}

pub fn link(rel: &str, target: &str) -> Link {
    Link {
        rel: rel.to_string(),
        target: target.to_string(),
        via: None,
    }
}

/// The HTTP method of an operation: its field upper-cased, or an OpenAPI 3.2
/// `additionalOperations` key as written (methods are case-sensitive).
fn http_method(op: &events::Operation) -> String {
    if op.additional {
        op.method.to_string()
    } else {
        op.method.to_uppercase()
    }
}

fn http(method: &str, path: Option<&str>, name: Option<&str>, expr: Option<&str>) -> Http {
    Http {
        method: method.to_string(),
        path: path.map(str::to_string),
        name: name.map(str::to_string),
        expression: expr.map(str::to_string),
    }
}

/// The summary, else the operationId; a paragraph-long summary (GitHub's webhooks) gives way
/// to the operationId when there is one, and shows in the details as `summary`.
fn label_of(op: &Value, fallback: &str) -> String {
    let long = |s: &&str| s.contains('\n') || s.chars().count() > 100;
    let summary = str_of(op, "summary");
    let short = summary.filter(|s| !long(s) || str_of(op, "operationId").is_none());
    short
        .or_else(|| str_of(op, "operationId"))
        .unwrap_or(fallback)
        .trim()
        .to_string()
}

pub fn first_line(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or("").trim();
    if line.chars().count() > 160 {
        let cut: String = line.chars().take(157).collect();
        format!("{cut}...")
    } else {
        line.to_string()
    }
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    let Some(Value::Array(items)) = v else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for s in items.iter().filter_map(Value::as_str) {
        if !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    }
    out
}

fn request_media_types(doc: &Value, op: &Value) -> Vec<String> {
    let body = op.get("requestBody").map(|b| resolve(doc, b));
    match body.and_then(|b| b.get("content")) {
        Some(Value::Object(content)) => content.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// `#/components/schemas/X` names referenced directly by the request bodies of `op`.
pub fn request_schema_names(doc: &Value, op: &Value) -> Vec<String> {
    let body = op.get("requestBody").map(|b| resolve(doc, b));
    let Some(Value::Object(content)) = body.and_then(|b| b.get("content")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for media in content.values() {
        if let Some(name) = media.get("schema").and_then(component_schema_name) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// `X` of a `{$ref: '#/components/schemas/X'}` schema.
pub fn component_schema_name(schema: &Value) -> Option<String> {
    let r = crate::openapi::ref_of(schema)?;
    let ptr = pointer::from_fragment(r)?;
    let tokens = pointer::split(&ptr)?;
    match tokens.as_slice() {
        [c, s, name] if c == "components" && s == "schemas" => Some(name.clone()),
        _ => None,
    }
}
