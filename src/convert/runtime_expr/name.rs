//! Channel-parameter names derived from an expression's source.

use super::Source;

/// The raw (unsanitized) name a source suggests.
pub(super) fn source_name(src: &Source) -> String {
    match src {
        Source::Header(n) | Source::Query(n) | Source::Path(n) => n.clone(),
        // The last non-empty pointer token names the value best; `#/` has none.
        Source::Body(ptr) => ptr
            .as_deref()
            .and_then(|p| p.split('/').rev().find(|t| !t.is_empty()))
            .map(unescape_token)
            .unwrap_or_else(|| "body".to_string()),
    }
}

/// Replaces characters outside `[A-Za-z0-9_-]` with `_`; empty becomes `param`.
pub(super) fn sanitize_name(raw: &str) -> String {
    let out: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() {
        "param".to_string()
    } else {
        out
    }
}

/// RFC 6901 unescaping of one reference token (`~1` before `~0`, per the RFC).
fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
