//! The check, before converting, that the local `$ref`s the conversion needs resolve (data
//! aside), and whether all of them point into the components.
//!
//! Needed are the references in what the conversion follows or writes as live AsyncAPI: the
//! webhooks (`webhooks`, `x-webhooks`), the callbacks of path operations (all of `paths` with
//! `--include-paths`) and a Path Item's own `$ref`, the security schemes, and everything those
//! reach through references (component schemas included). A dangling reference anywhere else
//! (a component nobody uses, a REST response left out, an extension) is a warning: it is kept
//! as written, and a component schema that holds one is written with the reference in an
//! `x-openapi-$ref` marker, so that AsyncAPI tools do not follow it and the way back restores
//! it. With `--schema-format openapi` the component schemas are written verbatim, with no room
//! for a marker: they are needed. Data (examples, defaults, ...) holds no references. See
//! docs/mapping.md.

use std::collections::HashSet;

use serde_json::Value;

use super::{Options, Output, SchemaFormat};
use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::pointer;
use crate::document::refs::local::{fragment_pointer, lookup as lookup_pointer};
use crate::openapi::{self, METHODS};

/// Every local `$ref` must resolve. Example values are data, not references.
///
/// With `scan`, also says whether every local `$ref` of the document (data included) points
/// into the components, so that the rest of the document is never looked up.
#[cfg(test)]
pub(super) fn check_local_refs(doc: &Value, file: &str, scan: bool) -> Result<bool, Error> {
    let (movable, dangling) = scan_refs(doc, scan);
    match dangling.iter().find(|d| !d.extension) {
        Some(d) => Err(needed_error(file, d).into()),
        None => Ok(movable),
    }
}

/// What [`check_needed_refs`] found: whether the document is movable (see
/// [`check_local_refs`]) and the dangling references the conversion does not need.
pub(super) struct Checked {
    pub(super) movable: bool,
    pub(super) warnings: Vec<Diagnostic>,
}

/// The check the conversion runs: a dangling local `$ref` it needs (see the module docs) is an
/// error at its pointer; the others are warnings, in document order.
pub(super) fn check_needed_refs(
    doc: &Value,
    file: &str,
    scan: bool,
    options: &Options,
) -> Result<Checked, Error> {
    let (movable, dangling) = scan_refs(doc, scan);
    if dangling.is_empty() {
        return Ok(Checked {
            movable,
            warnings: Vec::new(),
        });
    }
    let regions = needed_regions(doc, options);
    // A Path Item's own `$ref` is followed to look for callbacks.
    let path_item = |at: &str| pointer::split(at).is_some_and(|t| t.len() == 2 && t[0] == "paths");
    let needed = |at: &str| path_item(at) || covered(&regions, at);
    if let Some(d) = dangling.iter().find(|d| !d.extension && needed(&d.at)) {
        return Err(needed_error(file, d).into());
    }
    let warnings = dangling
        .iter()
        .map(|d| {
            let why = if d.extension {
                "it is inside an extension, which no conversion follows"
            } else {
                "the conversion does not need it"
            };
            let msg = format!("`$ref` target `{}` does not exist in this document; {why}, so it is kept as written", d.target);
            Diagnostic::warning(codes::UNRESOLVED_REF, file, &d.at, msg)
        })
        .collect();
    Ok(Checked { movable, warnings })
}

impl Checked {
    /// The warnings go first; in AsyncAPI Schema output, a component schema's reference that
    /// does not resolve moves into the `x-openapi-$ref` marker (AsyncAPI tools follow every
    /// `$ref`; the way back puts it back, see docs/schema-dialects.md).
    pub(super) fn finish(self, mut out: Output, options: &Options) -> Output {
        if self.warnings.is_empty() {
            return out;
        }
        if options.schema_format == SchemaFormat::AsyncApi {
            mark_dangling_schema_refs(&mut out.document);
        }
        let mut diagnostics = self.warnings;
        diagnostics.append(&mut out.diagnostics);
        out.diagnostics = diagnostics;
        out
    }
}

fn mark_dangling_schema_refs(doc: &mut Value) {
    let mut marks = Vec::new();
    if let Some(schemas) = doc.pointer("/components/schemas") {
        let mut stack = vec![String::from("/components/schemas")];
        find_dangling(doc, schemas, &mut stack, &mut marks);
    }
    for at in marks {
        if let Some(Value::Object(m)) = doc.pointer_mut(&at) {
            crate::asyncapi::rename_key(m, "$ref", "x-openapi-$ref");
        }
    }
}

/// Objects under `node` (at the pointer `at` joins) whose `$ref` is local and resolves to nothing.
fn find_dangling(doc: &Value, node: &Value, at: &mut Vec<String>, out: &mut Vec<String>) {
    if let Some(Value::String(r)) = node.get("$ref") {
        if r.starts_with('#') && openapi::lookup(doc, r).is_none() {
            out.push(at.join("/"));
        }
    }
    let mut visit = |token: String, child: &Value, at: &mut Vec<String>| {
        if child.is_object() || child.is_array() {
            at.push(pointer::escape(&token));
            find_dangling(doc, child, at, out);
            at.pop();
        }
    };
    match node {
        Value::Object(m) => {
            for (k, child) in m {
                visit(k.clone(), child, at);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                visit(i.to_string(), child, at);
            }
        }
        _ => {}
    }
}

/// A local `$ref` that does not resolve: the pointer of its object, and the reference.
struct Dangling {
    at: String,
    target: String,
    /// Inside an extension: no conversion follows it.
    extension: bool,
}

fn needed_error(file: &str, d: &Dangling) -> Diagnostic {
    let msg = format!(
        "`$ref` target `{}` does not exist in this document",
        d.target
    );
    Diagnostic::error(codes::UNRESOLVED_REF, file, &d.at, msg)
}

/// Whether the document is movable (with `scan`), and every dangling local reference outside
/// data, in document order.
fn scan_refs(doc: &Value, scan: bool) -> (bool, Vec<Dangling>) {
    let mut check = RefCheck {
        doc,
        resolved: HashSet::new(),
        stack: Vec::new(),
        outside: false,
        dangling: Vec::new(),
    };
    check.walk(doc);
    (scan && !check.outside, check.dangling)
}

/// The parts of the document (pointers) whose references the conversion needs: the roots
/// named in the module docs and, transitively, the targets of the references in them.
fn needed_regions(doc: &Value, options: &Options) -> HashSet<String> {
    let mut todo: Vec<String> = ["/webhooks", "/x-webhooks", "/components/securitySchemes"]
        .map(String::from)
        .to_vec();
    if options.schema_format == SchemaFormat::OpenApi {
        // Written verbatim, where no marker can hold a reference (see [`Checked::finish`]).
        todo.push("/components/schemas".into());
    }
    if options.include_paths {
        todo.push("/paths".into());
    } else if let Some(Value::Object(paths)) = doc.get("paths") {
        for (path, item) in paths {
            // A `$ref`'d Path Item: its callbacks are converted where it is defined.
            let base = match openapi::ref_of(item).and_then(fragment_pointer) {
                Some(target) => target.into_owned(),
                None => pointer::join(["paths", path.as_str()]),
            };
            let Some(Value::Object(node)) = lookup_pointer(doc, &base) else {
                continue;
            };
            for m in METHODS.iter().filter(|m| node.contains_key(**m)) {
                todo.push(pointer::join_to(&base, [*m, "callbacks"]));
            }
        }
    }
    let mut regions = HashSet::new();
    while let Some(region) = todo.pop() {
        if !covered(&regions, &region) {
            todo.extend(references_in(doc, &region));
            regions.insert(region);
        }
    }
    regions
}

/// Whether one of `regions` holds the pointer `at` (is `at` or one of its ancestors).
fn covered(regions: &HashSet<String>, at: &str) -> bool {
    let mut p = at;
    loop {
        if regions.contains(p) {
            return true;
        }
        match p.rfind('/') {
            Some(i) => p = &p[..i],
            None => return false,
        }
    }
}

/// The targets (pointers) of the resolving local references of the subtree at `region`,
/// outside data.
fn references_in(doc: &Value, region: &str) -> Vec<String> {
    let Some(tokens) = pointer::split(region) else {
        return Vec::new();
    };
    let mut stack = Vec::new();
    let mut node = doc;
    for t in &tokens {
        let next = match node {
            Value::Object(m) => m.get_key_value(t.as_str()).map(|(k, v)| (Token::Key(k), v)),
            Value::Array(a) => t
                .parse::<usize>()
                .ok()
                .and_then(|i| a.get(i).map(|v| (Token::Index(i), v))),
            _ => None,
        };
        let Some((token, child)) = next else {
            return Vec::new();
        };
        stack.push((token, child));
        node = child;
    }
    let mut out = Vec::new();
    collect_targets(doc, node, &mut stack, &mut out);
    out
}

fn collect_targets<'v>(
    doc: &'v Value,
    node: &'v Value,
    stack: &mut Vec<(Token<'v>, &'v Value)>,
    out: &mut Vec<String>,
) {
    match node {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                if r.starts_with('#') && checked(stack) && openapi::lookup(doc, r).is_some() {
                    out.extend(fragment_pointer(r).map(|p| p.into_owned()));
                }
            }
            for (k, child) in m {
                if child.is_object() || child.is_array() {
                    stack.push((Token::Key(k), child));
                    collect_targets(doc, child, stack, out);
                    stack.pop();
                }
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                if child.is_object() || child.is_array() {
                    stack.push((Token::Index(i), child));
                    collect_targets(doc, child, stack, out);
                    stack.pop();
                }
            }
        }
        _ => {}
    }
}

#[derive(Clone, Copy)]
pub(super) enum Token<'v> {
    Key(&'v str),
    Index(usize),
}

impl std::fmt::Display for Token<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Token::Key(k) => f.write_str(k),
            Token::Index(i) => write!(f, "{i}"),
        }
    }
}

/// Depth-first search for local `$ref`s that do not resolve, outside data. The walk goes
/// everywhere (data included, for `outside`) without looking at keys on the way down: only a
/// reference that does not resolve has its position looked at ([`checked`]).
struct RefCheck<'v> {
    doc: &'v Value,
    /// References already looked up (and found): most are used many times.
    resolved: HashSet<&'v str>,
    /// The way from the root to the current node: each step and the node it leads to.
    stack: Vec<(Token<'v>, &'v Value)>,
    /// A local reference points outside `#/components/`.
    outside: bool,
    dangling: Vec<Dangling>,
}

impl<'v> RefCheck<'v> {
    fn walk(&mut self, node: &'v Value) {
        match node {
            Value::Object(m) => {
                // A scan, not a hashed look-up: objects are small, and most have no `$ref`.
                let r = m.iter().find(|(k, _)| *k == "$ref").map(|(_, v)| v);
                if let Some(Value::String(r)) = r {
                    if r.starts_with('#') {
                        self.outside |= !r.starts_with("#/components/");
                        if !self.resolves(r) {
                            let place = place(&self.stack);
                            if place != Place::Data {
                                let tokens = self.stack.iter().map(|(t, _)| t.to_string());
                                self.dangling.push(Dangling {
                                    at: pointer::join(tokens),
                                    target: r.clone(),
                                    extension: place == Place::Extension,
                                });
                            }
                        }
                    }
                }
                for (k, child) in m {
                    if child.is_object() || child.is_array() {
                        self.stack.push((Token::Key(k), child));
                        self.walk(child);
                        self.stack.pop();
                    }
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    if child.is_object() || child.is_array() {
                        self.stack.push((Token::Index(i), child));
                        self.walk(child);
                        self.stack.pop();
                    }
                }
            }
            _ => {}
        }
    }

    fn resolves(&mut self, r: &'v str) -> bool {
        if self.resolved.contains(r) {
            return true;
        }
        let found = openapi::lookup(self.doc, r).is_some();
        if found {
            self.resolved.insert(r);
        }
        found
    }
}

/// What the `$ref` of the object `stack` leads to is: data (`example`, `default`, `enum`,
/// `const`, `examples` lists, the `value` of Example Objects, and the `$ref` of a map of Example
/// Objects itself), inside an extension (an `x-` value, the root `x-webhooks` aside), or a
/// reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Ref,
    Extension,
    Data,
}

fn checked(stack: &[(Token<'_>, &Value)]) -> bool {
    place(stack) == Place::Ref
}

fn place(stack: &[(Token<'_>, &Value)]) -> Place {
    let mut example_map = false;
    let mut i = 0;
    while let Some(&(token, child)) = stack.get(i) {
        i += 1;
        let Token::Key(k) = token else {
            example_map = false;
            continue;
        };
        if k.starts_with("x-") && !(i == 1 && k == "x-webhooks") {
            return Place::Extension;
        }
        let data = matches!(k, "example" | "default" | "enum" | "const");
        if data || (example_map && k == "value") || (k == "examples" && child.is_array()) {
            return Place::Data;
        }
        example_map = false;
        if k == "examples" && child.is_object() {
            // A map of Example Objects: its entries are searched, not the map itself.
            if i == stack.len() {
                return Place::Data;
            }
            i += 1;
            example_map = true;
        }
    }
    Place::Ref
}
