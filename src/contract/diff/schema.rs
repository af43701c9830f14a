//! Comparing two schemas: types, enums, bounds and properties, with `allOf` branches merged
//! and `$ref`s followed; recursive schemas are compared once.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::differ::{Ctx, Differ};
use super::{kinds, Dir, MAX_DEPTH};
use crate::contract::lint::follow;
use crate::document::pointer;

/// A schema and where it is.
#[derive(Debug, Clone, Copy)]
pub(super) struct Node<'v, 's> {
    pub(super) value: &'v Value,
    pub(super) at: &'s str,
}

impl<'o, 'n> Differ<'o, 'n> {
    /// Compares two schemas; `field` is the dotted path of the property being compared.
    pub(super) fn schema(
        &mut self,
        ctx: &Ctx,
        dir: Dir,
        o: Node<'o, '_>,
        n: Node<'n, '_>,
        field: &str,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let (Ok((ov, oa)), Ok((nv, na))) = (
            follow(self.old, o.value, o.at),
            follow(self.new, n.value, n.at),
        ) else {
            return;
        };
        let pair = (oa.clone(), na.clone());
        if self.stack.contains(&pair) {
            return;
        }
        self.stack.push(pair);
        let (o, n) = (Flat::of(self.old, ov, &oa), Flat::of(self.new, nv, &na));
        let here = Sites {
            field,
            old: &oa,
            new: &na,
        };
        self.types(ctx, dir, &here, &o, &n);
        self.enums(ctx, dir, &here, &o, &n);
        self.bounds(ctx, dir, &here, &o, &n);
        self.properties(ctx, dir, &here, &o, &n, depth);
        if let (Some(oi), Some(ni)) = (o.items, n.items) {
            let sub = format!("{field}[]");
            self.schema(
                ctx,
                dir,
                Node {
                    value: oi.0,
                    at: &oi.1,
                },
                Node {
                    value: ni.0,
                    at: &ni.1,
                },
                &sub,
                depth + 1,
            );
        }
        self.stack.pop();
    }

    fn types(&mut self, ctx: &Ctx, dir: Dir, s: &Sites, o: &Flat<'o>, n: &Flat<'n>) {
        let kind = match (&o.types, &n.types) {
            (a, b) if a == b => return,
            (None, Some(_)) => kinds::TYPE_NARROWED,
            (Some(_), None) => kinds::TYPE_WIDENED,
            (Some(a), Some(b)) if types_within(b, a) => kinds::TYPE_NARROWED,
            (Some(a), Some(b)) if types_within(a, b) => kinds::TYPE_WIDENED,
            _ => kinds::TYPE_CHANGED,
        };
        let what = format!(
            "the type of {} changed from {} to {}",
            s.name(),
            show_types(&o.types),
            show_types(&n.types)
        );
        self.push(kind, dir, ctx, Some(s.old), Some(s.new), what);
    }

    fn enums(&mut self, ctx: &Ctx, dir: Dir, s: &Sites, o: &Flat<'o>, n: &Flat<'n>) {
        let (Some(oe), Some(ne)) = (&o.enumeration, &n.enumeration) else {
            if o.enumeration.is_some() != n.enumeration.is_some() {
                let (kind, what) = match &n.enumeration {
                    Some(_) => (
                        kinds::CONSTRAINT_TIGHTENED,
                        format!("{} is now limited to an enum", s.name()),
                    ),
                    None => (
                        kinds::CONSTRAINT_LOOSENED,
                        format!("{} is no longer limited to an enum", s.name()),
                    ),
                };
                self.push(kind, dir, ctx, Some(s.old), Some(s.new), what);
            }
            return;
        };
        for v in ne.difference(oe) {
            let what = format!("enum value {v} was added to {}: subscribers that switch on it meet an unknown value", s.name());
            self.push(
                kinds::ENUM_VALUE_ADDED,
                dir,
                ctx,
                Some(s.old),
                Some(s.new),
                what,
            );
        }
        for v in oe.difference(ne) {
            self.push(
                kinds::ENUM_VALUE_REMOVED,
                dir,
                ctx,
                Some(s.old),
                Some(s.new),
                format!("enum value {v} was removed from {}", s.name()),
            );
        }
    }

    fn bounds(&mut self, ctx: &Ctx, dir: Dir, s: &Sites, o: &Flat<'o>, n: &Flat<'n>) {
        for (keyword, lower) in BOUNDS {
            let (ob, nb) = (bound(o.node, keyword), bound(n.node, keyword));
            let tighter = match (ob, nb) {
                (None, None) => continue,
                (Some(a), Some(b)) if a == b => continue,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => {
                    if lower {
                        b > a
                    } else {
                        b < a
                    }
                }
            };
            let kind = if tighter {
                kinds::CONSTRAINT_TIGHTENED
            } else {
                kinds::CONSTRAINT_LOOSENED
            };
            let what = format!(
                "`{keyword}` of {} changed from {} to {}",
                s.name(),
                show_bound(ob),
                show_bound(nb)
            );
            self.push(kind, dir, ctx, Some(s.old), Some(s.new), what);
        }
        for keyword in ["pattern", "format"] {
            let (a, b) = (o.node.get(keyword), n.node.get(keyword));
            if a != b {
                let kind = if b.is_some() {
                    kinds::CONSTRAINT_TIGHTENED
                } else {
                    kinds::CONSTRAINT_LOOSENED
                };
                let what = format!(
                    "`{keyword}` of {} changed from {} to {}",
                    s.name(),
                    show(a),
                    show(b)
                );
                self.push(kind, dir, ctx, Some(s.old), Some(s.new), what);
            }
        }
    }

    fn properties(
        &mut self,
        ctx: &Ctx,
        dir: Dir,
        s: &Sites,
        o: &Flat<'o>,
        n: &Flat<'n>,
        depth: usize,
    ) {
        for (name, (ov, oa)) in &o.properties {
            let field = join_field(s.field, name);
            let Some((nv, na)) = n.properties.get(name) else {
                let what = format!("property `{field}` was removed");
                let kind = kinds::PROPERTY_REMOVED;
                // Sending it to a schema that now forbids unknown properties fails.
                let closed = dir == Dir::Sends && n.closed;
                self.push_forced(kind, dir, closed, ctx, Some(oa), None, what);
                continue;
            };
            if o.required.contains(name) && !n.required.contains(name) {
                self.push(
                    kinds::REQUIRED_REMOVED,
                    dir,
                    ctx,
                    Some(oa),
                    Some(na),
                    format!("property `{field}` is no longer required"),
                );
            }
            if !o.required.contains(name) && n.required.contains(name) {
                self.push(
                    kinds::REQUIRED_ADDED,
                    dir,
                    ctx,
                    Some(oa),
                    Some(na),
                    format!("property `{field}` is now required"),
                );
            }
            self.schema(
                ctx,
                dir,
                Node { value: ov, at: oa },
                Node { value: nv, at: na },
                &field,
                depth + 1,
            );
        }
        self.added_properties(ctx, dir, s, o, n);
    }

    fn added_properties(&mut self, ctx: &Ctx, dir: Dir, s: &Sites, o: &Flat<'o>, n: &Flat<'n>) {
        for (name, (_, na)) in n
            .properties
            .iter()
            .filter(|(k, _)| !o.properties.contains_key(*k))
        {
            let field = join_field(s.field, name);
            if n.required.contains(name) {
                self.push(
                    kinds::REQUIRED_ADDED,
                    dir,
                    ctx,
                    None,
                    Some(na),
                    format!("required property `{field}` was added"),
                );
            } else {
                // A receiver promised "no other properties" may reject the new one.
                let closed = dir == Dir::Receives && o.closed;
                self.push_forced(
                    kinds::PROPERTY_ADDED,
                    dir,
                    closed,
                    ctx,
                    None,
                    Some(na),
                    format!("property `{field}` was added"),
                );
            }
        }
    }
}

/// Pointers of the schemas compared and the field they describe.
struct Sites<'s> {
    field: &'s str,
    old: &'s str,
    new: &'s str,
}

impl Sites<'_> {
    fn name(&self) -> String {
        if self.field.is_empty() {
            "the payload".to_string()
        } else {
            format!("`{}`", self.field)
        }
    }
}

fn join_field(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

/// A schema with its `allOf` branches merged: what a payload must look like.
struct Flat<'a> {
    node: &'a Map<String, Value>,
    types: Option<BTreeSet<String>>,
    enumeration: Option<BTreeSet<String>>,
    properties: BTreeMap<String, (&'a Value, String)>,
    required: BTreeSet<String>,
    items: Option<(&'a Value, String)>,
    /// `additionalProperties: false`.
    closed: bool,
}

static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();

impl<'a> Flat<'a> {
    fn of(root: &'a Value, schema: &'a Value, at: &str) -> Flat<'a> {
        let node = schema
            .as_object()
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new));
        let mut flat = Flat {
            node,
            types: type_set(node),
            enumeration: enum_set(node),
            properties: BTreeMap::new(),
            required: BTreeSet::new(),
            items: node
                .get("items")
                .filter(|i| i.is_object())
                .map(|i| (i, pointer::push(at, "items"))),
            closed: node.get("additionalProperties") == Some(&Value::Bool(false)),
        };
        flat.merge(root, node, at, 0);
        flat
    }

    fn merge(&mut self, root: &'a Value, node: &'a Map<String, Value>, at: &str, depth: usize) {
        if let Some(Value::Object(props)) = node.get("properties") {
            for (name, p) in props {
                let p_at = pointer::join_to(at, ["properties", name.as_str()]);
                self.properties.entry(name.clone()).or_insert((p, p_at));
            }
        }
        if let Some(Value::Array(required)) = node.get("required") {
            self.required.extend(
                required
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string),
            );
        }
        let Some(Value::Array(all)) = node.get("allOf") else {
            return;
        };
        if depth > MAX_DEPTH {
            return;
        }
        for (i, branch) in all.iter().enumerate() {
            let b_at = pointer::join_to(at, ["allOf", &i.to_string()]);
            let Ok((branch, b_at)) = follow(root, branch, &b_at) else {
                continue;
            };
            let Some(branch) = branch.as_object() else {
                continue;
            };
            if self.types.is_none() {
                self.types = type_set(branch);
            }
            if self.enumeration.is_none() {
                self.enumeration = enum_set(branch);
            }
            self.merge(root, branch, &b_at, depth + 1);
        }
    }
}

/// `type` as a set, `null` added for OpenAPI 3.0 `nullable: true`; `None` means any type.
fn type_set(node: &Map<String, Value>) -> Option<BTreeSet<String>> {
    let mut set: BTreeSet<String> = match node.get("type")? {
        Value::String(t) => BTreeSet::from([t.clone()]),
        Value::Array(list) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => return None,
    };
    if node.get("nullable") == Some(&Value::Bool(true)) {
        set.insert("null".to_string());
    }
    Some(set)
}

fn enum_set(node: &Map<String, Value>) -> Option<BTreeSet<String>> {
    if let Some(c) = node.get("const") {
        return Some(BTreeSet::from([c.to_string()]));
    }
    let list = node.get("enum")?.as_array()?;
    Some(list.iter().map(Value::to_string).collect())
}

/// Every type of `inner` is allowed by `outer` (`integer` is a `number`).
pub(super) fn types_within(inner: &BTreeSet<String>, outer: &BTreeSet<String>) -> bool {
    inner
        .iter()
        .all(|t| outer.contains(t) || (t == "integer" && outer.contains("number")))
}

fn show_types(t: &Option<BTreeSet<String>>) -> String {
    match t {
        None => "any".to_string(),
        Some(set) => set.iter().cloned().collect::<Vec<_>>().join(" | "),
    }
}

/// Numeric keywords and whether they are lower bounds (raising them tightens).
const BOUNDS: [(&str, bool); 10] = [
    ("minimum", true),
    ("exclusiveMinimum", true),
    ("minLength", true),
    ("minItems", true),
    ("minProperties", true),
    ("maximum", false),
    ("exclusiveMaximum", false),
    ("maxLength", false),
    ("maxItems", false),
    ("maxProperties", false),
];

/// A numeric bound; OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` are not.
fn bound(node: &Map<String, Value>, keyword: &str) -> Option<f64> {
    node.get(keyword).and_then(Value::as_f64)
}

fn show_bound(b: Option<f64>) -> String {
    b.map_or_else(|| "none".to_string(), |v| v.to_string())
}

fn show(v: Option<&Value>) -> String {
    v.map_or_else(|| "none".to_string(), Value::to_string)
}
