//! The one reference layer: local references (`""`, `#` and `#/...` name a place in the same
//! tree). Reading their JSON pointer (percent-escapes decoded), finding the node, and following
//! chains of them with cycles and dangling targets reported. Every feature that follows a
//! `$ref` in a bundled document calls [`follow`] (or [`follow_ref`]); bundling itself
//! ([`super::bundle`]) brings other files' targets into the tree first.

use std::borrow::Cow;

use serde_json::Value;

use crate::document::pointer;

/// Longest chain of `$ref`s followed.
pub const MAX_REF_DEPTH: usize = 500;

/// The `$ref` string of a Reference Object, if `value` is one.
pub fn ref_of(value: &Value) -> Option<&str> {
    value.as_object()?.get("$ref")?.as_str()
}

/// Where a chain of `$ref`s ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target<'a> {
    /// The node at the end of the chain (the value itself when it is not a reference).
    pub value: &'a Value,
    /// The first `$ref` of the chain, `None` when the value was not a reference.
    pub first: Option<&'a str>,
    /// The last `$ref` of the chain: its pointer is where `value` is defined.
    pub last: Option<&'a str>,
}

impl Target<'_> {
    /// The JSON pointer of the target, or `at` (where the value sits) if there was no `$ref`.
    pub fn location(&self, at: &str) -> String {
        self.last
            .and_then(fragment_pointer)
            .map_or_else(|| at.to_string(), Cow::into_owned)
    }
}

/// Why a chain of `$ref`s could not be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    /// A local target that does not exist.
    Dangling(String),
    /// A reference to another file or a URL, which bundling did not bring in.
    External(String),
    /// The chain comes back to a reference it passed: the `$ref`s in order, the repeated one last.
    Cycle(Vec<String>),
    /// Longer than [`MAX_REF_DEPTH`].
    TooLong,
}

impl RefError {
    pub fn message(&self) -> String {
        match self {
            RefError::Dangling(r) => format!("`$ref` target `{r}` does not exist in this document"),
            RefError::External(r) => {
                format!("`$ref` `{r}` points outside this document and was not bundled")
            }
            RefError::Cycle(chain) => format!("`$ref` cycle: {}", chain.join(" -> ")),
            RefError::TooLong => {
                format!("the `$ref` chain from here is longer than {MAX_REF_DEPTH} references")
            }
        }
    }
}

/// Follows the chain of local `$ref`s from `value`.
pub fn follow<'a>(doc: &'a Value, value: &'a Value) -> Result<Target<'a>, RefError> {
    match ref_of(value) {
        Some(first) => follow_ref(doc, first),
        None => Ok(Target {
            value,
            first: None,
            last: None,
        }),
    }
}

/// Follows the chain of local `$ref`s that starts with the reference `first`.
pub fn follow_ref<'a>(doc: &'a Value, first: &'a str) -> Result<Target<'a>, RefError> {
    let mut seen: Vec<&str> = Vec::new();
    let mut reference = first;
    loop {
        if !is_local(reference) {
            return Err(RefError::External(reference.to_string()));
        }
        let node =
            lookup_ref(doc, reference).ok_or_else(|| RefError::Dangling(reference.to_string()))?;
        let Some(next) = ref_of(node) else {
            return Ok(Target {
                value: node,
                first: Some(first),
                last: Some(reference),
            });
        };
        seen.push(reference);
        if seen.contains(&next) {
            let mut chain: Vec<String> = seen.iter().map(|r| r.to_string()).collect();
            chain.push(next.to_string());
            return Err(RefError::Cycle(chain));
        }
        if seen.len() >= MAX_REF_DEPTH {
            return Err(RefError::TooLong);
        }
        reference = next;
    }
}

/// The node a local reference (`#/a/b`) names, without following further `$ref`s.
pub fn lookup_ref<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    lookup(doc, &fragment_pointer(reference)?)
}

/// Resolves a local `$ref` (`#/components/schemas/X`) against `doc`, following chains of local
/// refs. `None` when the reference is not a local JSON pointer, points at nothing, or the chain
/// loops (or is longer than [`MAX_REF_DEPTH`]). A chain that reaches a non-local `$ref` stops
/// there and returns that node.
pub fn resolve_local<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let mut ptr = fragment_pointer(reference)?;
    let mut seen: Vec<Cow<str>> = Vec::new();
    loop {
        let node = lookup(doc, &ptr)?;
        match node.get("$ref") {
            Some(Value::String(next)) if next.starts_with('#') => {
                if seen.contains(&ptr) || seen.len() >= MAX_REF_DEPTH {
                    return None;
                }
                let next = fragment_pointer(next)?;
                seen.push(std::mem::replace(&mut ptr, next));
            }
            _ => return Some(node),
        }
    }
}

/// `Value::pointer` without its two allocations per token.
pub(crate) fn lookup<'a>(doc: &'a Value, ptr: &str) -> Option<&'a Value> {
    if ptr.is_empty() {
        return Some(doc);
    }
    let mut node = doc;
    for token in ptr.strip_prefix('/')?.split('/') {
        let token: std::borrow::Cow<str> = if token.contains('~') {
            pointer::unescape(token).into()
        } else {
            token.into()
        };
        node = match node {
            Value::Object(map) => map.get(token.as_ref())?,
            Value::Array(items) => {
                if token.len() > 1 && token.starts_with('0') {
                    return None;
                }
                items.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(node)
}

/// `""`, `#` and `#/...` name the current document.
pub(crate) fn is_local(r: &str) -> bool {
    r.is_empty() || r.starts_with('#')
}

/// The pointer of a local reference; `None` unless it is a JSON pointer fragment.
pub(crate) fn fragment_pointer(r: &str) -> Option<Cow<'_, str>> {
    if r.is_empty() {
        return Some(Cow::Borrowed(""));
    }
    let ptr = match r.strip_prefix('#') {
        Some(p) if !p.contains('%') => Cow::Borrowed(p),
        _ => Cow::Owned(pointer::from_fragment(r)?),
    };
    (ptr.is_empty() || ptr.starts_with('/')).then_some(ptr)
}

/// A local reference that [`Collector::check_local`] accepts, wherever it is.
///
/// [`Collector::check_local`]: super::collect::Collector::check_local
pub(crate) fn sound_local_ref(root: &Value, r: &str) -> bool {
    // A URL is never local: [`Collector::on_ref`] warns about those.
    if !is_local(r) {
        return false;
    }
    let Some(target) = fragment_pointer(r) else {
        return false;
    };
    let Some(node) = lookup(root, &target) else {
        return false;
    };
    node.get("$ref").is_none() || chain_fault(root, node, &target).is_none()
}

/// What is wrong with the chain of local `$ref`s from `node` (at `target`), if anything:
/// [`Collector::check_chain`]'s findings, without their position.
///
/// [`Collector::check_chain`]: super::collect::Collector::check_chain
pub(crate) fn chain_fault<'v>(
    root: &'v Value,
    mut node: &'v Value,
    target: &str,
) -> Option<ChainFault> {
    let mut chain = vec![target.to_string()];
    while let Some(Value::String(next)) = node.get("$ref") {
        // Other refs and broken pointers in the chain are reported where they are walked.
        let Some(p) = fragment_pointer(next).filter(|_| is_local(next)) else {
            break;
        };
        let p = p.into_owned();
        if chain.contains(&p) {
            chain.push(p);
            return Some(ChainFault::Cycle(chain));
        }
        if chain.len() >= MAX_REF_DEPTH {
            return Some(ChainFault::TooLong);
        }
        let Some(n) = lookup(root, &p) else { break };
        node = n;
        chain.push(p);
    }
    None
}

pub(crate) enum ChainFault {
    /// The pointers of the chain, the repeated one last.
    Cycle(Vec<String>),
    /// Longer than [`MAX_REF_DEPTH`].
    TooLong,
}
