//! What AsyncAPI cannot hold goes into `x-openapi-*` records: our own record names, and
//! extensions whose names AsyncAPI rejects.

use serde_json::Value;

use super::Obj;
use crate::asyncapi::fit::{Cause, Fitted};
use crate::asyncapi::{self, is_extension_name};
use crate::diagnostics::{codes, Diagnostic};

/// Our own record names; a user extension with such a name goes into a record too.
pub(super) fn is_reserved(key: &str) -> bool {
    key.starts_with("x-openapi") || key.starts_with("x-asyncapi")
}

/// Extensions AsyncAPI would reject by name (`x-a/b`) are moved into the record.
pub(super) fn move_foreign_extensions(obj: &mut Obj, record: &mut Obj) {
    let foreign: Vec<String> = obj
        .keys()
        .filter(|k| k.starts_with("x-") && (!is_extension_name(k) || is_reserved(k)))
        .cloned()
        .collect();
    for k in foreign {
        if let Some(v) = obj.shift_remove(&k) {
            record.insert(k, v);
        }
    }
}

/// A copy of an object whose extensions AsyncAPI rejects by name are kept in
/// `x-openapi-extensions` (nested objects included: tag -> externalDocs, scheme -> flows).
pub(super) fn with_foreign_extensions_kept(v: &Value) -> Value {
    foreign_extensions_kept(v.clone())
}

/// [`with_foreign_extensions_kept`] of a value that can be moved.
pub(super) fn foreign_extensions_kept(v: Value) -> Value {
    let Value::Object(obj) = v else {
        return v;
    };
    let mut out = Obj::with_capacity(obj.len());
    let mut kept = Obj::new();
    for (k, child) in obj {
        if k.starts_with("x-") {
            if is_extension_name(&k) && !is_reserved(&k) {
                out.insert(k, child);
            } else {
                kept.insert(k, child);
            }
        } else if asyncapi::holds_nested_extensions(&k) {
            out.insert(k, foreign_extensions_kept(child));
        } else {
            out.insert(k, child);
        }
    }
    if !kept.is_empty() {
        out.insert("x-openapi-extensions".into(), Value::Object(kept));
    }
    Value::Object(out)
}

pub(super) fn tag_to_asyncapi(tag: &Value) -> Value {
    with_foreign_extensions_kept(tag)
}

/// Warnings for the values [`crate::asyncapi::fit`] rewrote in the object at `at`.
pub(super) fn fitted_warnings(file: &str, at: &str, found: Vec<Fitted>, out: &mut Vec<Diagnostic>) {
    for f in found {
        let code = match f.cause {
            Cause::Stricter => codes::STRICTER,
            Cause::Invalid => codes::INVALID_STRUCTURE,
            Cause::Carried => continue,
        };
        out.push(Diagnostic::warning(
            code,
            file,
            &format!("{at}{}", f.path),
            f.message,
        ));
    }
}
