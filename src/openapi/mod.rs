//! The OpenAPI side: version detection, the shapes we walk, and local `$ref` lookup.

use serde_json::Value;

use crate::convert::dialect::Dialect;
use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::refs::local::{follow, RefError};

pub mod events;

pub use events::{is_v32, is_v32_version, METHODS};

/// The version of an OpenAPI document we can convert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The `openapi` field as written (`3.0.3`).
    pub raw: String,
    pub dialect: Dialect,
}

/// What kind of document a tree is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    OpenApi(Version),
    AsyncApi(String),
}

/// Classifies a document, rejecting what is out of scope with a message that says why.
pub fn detect(doc: &Value, file: &str) -> Result<Kind, Error> {
    let Some(root) = doc.as_object() else {
        let what = match doc {
            Value::Array(_) => "a list",
            Value::String(_) => "a string",
            _ => "a scalar",
        };
        let msg = format!(
            "the document is {what}; an OpenAPI or AsyncAPI document is a mapping at the root"
        );
        return Err(Diagnostic::error(codes::NOT_A_MAPPING, file, "", msg).into());
    };
    if root.contains_key("swagger") {
        let msg = "Swagger 2.0 is not supported: convert it to OpenAPI 3.0 or 3.1 first (for example with swagger2openapi)";
        return Err(Diagnostic::error(codes::UNSUPPORTED_VERSION, file, "/swagger", msg).into());
    }
    if let Some(v) = root.get("asyncapi") {
        return Ok(Kind::AsyncApi(version_text(v)));
    }
    let Some(v) = root.get("openapi") else {
        let msg = "not an OpenAPI or AsyncAPI document: there is no `openapi` or `asyncapi` field at the root";
        return Err(Diagnostic::error(codes::UNKNOWN_DOCUMENT, file, "", msg).into());
    };
    let raw = version_text(v);
    match Dialect::from_openapi_version(&raw) {
        Some(dialect) if v.is_string() => Ok(Kind::OpenApi(Version { raw, dialect })),
        _ => {
            let msg = format!(
                "OpenAPI version `{raw}` is not supported: hookbridge reads OpenAPI 3.0.x, 3.1.x and 3.2.x (write the version as a string, e.g. \"3.1.0\")"
            );
            Err(Diagnostic::error(codes::UNSUPPORTED_VERSION, file, "/openapi", msg).into())
        }
    }
}

fn version_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub use crate::document::refs::local::{lookup_ref as lookup, ref_of};

/// The sequential media types of OpenAPI 3.2 (its media type registry: Server-Sent Events,
/// sequential JSON, sequential multipart), parameters ignored.
pub fn is_sequential(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "text/event-stream"
            | "application/jsonl"
            | "application/x-ndjson"
            | "application/json-seq"
            | "multipart/mixed"
    ) || essence.ends_with("+json-seq")
}

/// Server-Sent Events (`text/event-stream`), parameters ignored.
pub fn is_event_stream(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("text/event-stream")
}

/// Follows a local `$ref` chain from `value` ([`follow`]), as an error that names the file and
/// pointer. Returns the target and the first `$ref` string when `value` was a reference.
pub fn deref<'a>(
    root: &'a Value,
    value: &'a Value,
    file: &str,
    at: &str,
) -> Result<(&'a Value, Option<&'a str>), Error> {
    let target = follow(root, value).map_err(|e| ref_error(&e, file, at))?;
    Ok((target.value, target.first))
}

/// A reference failure as the error that stops a conversion.
pub fn ref_error(e: &RefError, file: &str, at: &str) -> Error {
    let code = match e {
        RefError::Cycle(_) | RefError::TooLong => codes::REF_CYCLE,
        RefError::Dangling(_) | RefError::External(_) => codes::UNRESOLVED_REF,
    };
    Diagnostic::error(code, file, at, e.message()).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn detects_versions_and_rejects_the_rest() {
        let ok = detect(&json!({"openapi": "3.0.3"}), "f").unwrap();
        assert!(matches!(
            ok,
            Kind::OpenApi(Version {
                dialect: Dialect::Oas30,
                ..
            })
        ));
        assert!(matches!(
            detect(&json!({"asyncapi": "3.0.0"}), "f").unwrap(),
            Kind::AsyncApi(_)
        ));
        assert!(matches!(
            detect(&json!({"openapi": "3.2.1"}), "f").unwrap(),
            Kind::OpenApi(Version {
                dialect: Dialect::Oas31,
                ..
            })
        ));
        for bad in [
            json!({"openapi": "3.3.0"}),
            json!({"swagger": "2.0"}),
            json!({"openapi": 3.1}),
            json!({"info": {}}),
            json!([1]),
        ] {
            assert!(detect(&bad, "f").is_err(), "{bad}");
        }
        let msg = detect(&json!({"openapi": "4.0.0"}), "f")
            .unwrap_err()
            .diagnostic
            .message;
        assert!(msg.contains("4.0.0") && msg.contains("3.2.x"), "{msg}");
    }

    #[test]
    fn deref_follows_chains_and_reports_cycles() {
        let doc = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": 1, "x": {"$ref": "#/y"}, "y": {"$ref": "#/x"}});
        let (v, r) = deref(&doc, &doc["a"], "f", "/a").unwrap();
        assert_eq!((v, r), (&json!(1), Some("#/b")));
        assert_eq!(
            deref(&doc, &doc["x"], "f", "/x")
                .unwrap_err()
                .diagnostic
                .code,
            codes::REF_CYCLE
        );
        assert_eq!(
            deref(&doc, &json!({"$ref": "#/nope"}), "f", "")
                .unwrap_err()
                .diagnostic
                .code,
            codes::UNRESOLVED_REF
        );
    }
}
