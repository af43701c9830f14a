//! The check, before converting, that every local `$ref` resolves (data aside), and whether
//! all of them point into the components.

use std::collections::HashSet;

use serde_json::Value;

use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::pointer;
use crate::openapi;

/// Every local `$ref` must resolve before we start. Example values are data, not references.
///
/// With `scan`, also says whether every local `$ref` of the document (data included) points
/// into the components, so that the rest of the document is never looked up.
pub(super) fn check_local_refs(doc: &Value, file: &str, scan: bool) -> Result<bool, Error> {
    let mut check = RefCheck {
        doc,
        resolved: HashSet::new(),
        stack: Vec::new(),
        outside: false,
    };
    match check.walk(doc) {
        Some(r) => {
            let at = pointer::join(check.stack.iter().map(|(t, _)| t.to_string()));
            let msg = format!("`$ref` target `{r}` does not exist in this document");
            Err(Diagnostic::error(codes::UNRESOLVED_REF, file, &at, msg).into())
        }
        None => Ok(scan && !check.outside),
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

/// Depth-first search for a local `$ref` that does not resolve, outside data. The walk
/// goes everywhere (data included, for `outside`) without looking at keys on the way down:
/// only a reference that does not resolve has its position looked at ([`RefCheck::checked`]).
struct RefCheck<'v> {
    doc: &'v Value,
    /// References already looked up (and found): most are used many times.
    resolved: HashSet<&'v str>,
    /// The way from the root to the current node: each step and the node it leads to.
    stack: Vec<(Token<'v>, &'v Value)>,
    /// A local reference points outside `#/components/`.
    outside: bool,
}

impl<'v> RefCheck<'v> {
    /// The first reference that does not resolve in a checked position; `stack` then leads
    /// to its object.
    fn walk(&mut self, node: &'v Value) -> Option<&'v str> {
        match node {
            Value::Object(m) => {
                // A scan, not a hashed look-up: objects are small, and most have no `$ref`.
                let r = m.iter().find(|(k, _)| *k == "$ref").map(|(_, v)| v);
                if let Some(Value::String(r)) = r {
                    if r.starts_with('#') {
                        self.outside |= !r.starts_with("#/components/");
                        if !self.resolves(r) && self.checked() {
                            return Some(r);
                        }
                    }
                }
                for (k, child) in m {
                    if child.is_object() || child.is_array() {
                        self.stack.push((Token::Key(k), child));
                        if let Some(r) = self.walk(child) {
                            return Some(r);
                        }
                        self.stack.pop();
                    }
                }
                None
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    if child.is_object() || child.is_array() {
                        self.stack.push((Token::Index(i), child));
                        if let Some(r) = self.walk(child) {
                            return Some(r);
                        }
                        self.stack.pop();
                    }
                }
                None
            }
            _ => None,
        }
    }

    /// Whether the `$ref` of the object `stack` leads to is checked: not in data (`example`,
    /// `default`, `enum`, `const`, `x-` values, `examples` lists, the `value` of Example
    /// Objects), and not the `$ref` of a map of Example Objects itself.
    fn checked(&self) -> bool {
        let mut example_map = false;
        let mut i = 0;
        while let Some(&(token, child)) = self.stack.get(i) {
            i += 1;
            let Token::Key(k) = token else {
                example_map = false;
                continue;
            };
            let data = matches!(k, "example" | "default" | "enum" | "const") || k.starts_with("x-");
            if data || (example_map && k == "value") || (k == "examples" && child.is_array()) {
                return false;
            }
            example_map = false;
            if k == "examples" && child.is_object() {
                // A map of Example Objects: its entries are searched, not the map itself.
                if i == self.stack.len() {
                    return false;
                }
                i += 1;
                example_map = true;
            }
        }
        true
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
