//! Following local `$ref`s to the object they name and where it is defined.

use serde_json::Value;

use crate::document::pointer;
use crate::openapi;

/// Longest `$ref` chain followed; longer chains are cycles in practice.
const MAX_REF_HOPS: usize = 64;

/// Follows local `$ref`s from `value` (found at `at`): the target and where it is defined.
pub(crate) fn follow<'a>(
    root: &'a Value,
    value: &'a Value,
    at: &str,
) -> Result<(&'a Value, String), String> {
    let (mut current, mut location) = (value, at.to_string());
    for _ in 0..MAX_REF_HOPS {
        let Some(reference) = openapi::ref_of(current) else {
            return Ok((current, location));
        };
        let target = pointer::from_fragment(reference).zip(openapi::lookup(root, reference));
        let Some((ptr, node)) = target else {
            return Err(unresolved_message(reference));
        };
        (current, location) = (node, ptr);
    }
    Err(format!(
        "the `$ref` chain from here is a cycle or longer than {MAX_REF_HOPS} references"
    ))
}

fn unresolved_message(reference: &str) -> String {
    if reference.starts_with('#') {
        format!("`$ref` target `{reference}` does not exist in this document")
    } else {
        format!("`$ref` `{reference}` points to another file: lint the file that references it, so hookbridge bundles it")
    }
}
