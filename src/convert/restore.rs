//! The way back for AsyncAPI written by hand: AsyncAPI -> OpenAPI -> the same AsyncAPI.
//!
//! OpenAPI made from a hand-written AsyncAPI document holds what OpenAPI can say natively
//! (webhooks, paths, parameters, responses, schemas, security). What it cannot say (message
//! and channel names, titles, non-HTTP channels, servers, traits, ...) rides in the root
//! `x-asyncapi` record as an edit list ([`crate::convert::patch`]) from the forward conversion of that
//! OpenAPI to the original. Converting the OpenAPI forward applies the edits, so the original
//! comes back exactly; edits that no longer fit a changed OpenAPI are skipped with a warning.

use serde_json::{Map, Value};

use crate::asyncapi;
use crate::convert::patch;
use crate::convert::to_asyncapi::{self, Options, Output, Perspective, SchemaFormat};
use crate::diagnostics::{codes, Diagnostic, Error};
use crate::openapi::{self, Kind};

/// The root extension holding the record.
pub const RECORD: &str = "x-asyncapi";

/// Whether an OpenAPI document carries a record of the AsyncAPI it was made from.
pub fn is_recorded(openapi: &Value) -> bool {
    openapi
        .get(RECORD)
        .and_then(|r| r.get("asyncapi"))
        .is_some_and(Value::is_string)
}

/// Adds the `x-asyncapi` record to `openapi`, made from `asyncapi` by [`crate::convert::to_openapi`].
/// When the OpenAPI cannot be converted forward (so no edit list can be based on it), the
/// document is left without a record and a warning says so.
pub fn attach(asyncapi: &Value, openapi: &mut Value, file: &str) -> Vec<Diagnostic> {
    let native = match native(openapi, file) {
        Ok(out) => out.document,
        Err(e) => {
            let msg = format!("no `x-asyncapi` record: the OpenAPI made does not convert back ({e}), so the AsyncAPI-only parts are lost");
            return vec![Diagnostic::warning(codes::LOSSY, file, "", msg)];
        }
    };
    let mut edits = Value::Array(patch::diff(&native, asyncapi));
    asyncapi::escape_all_refs(&mut edits);
    let version = asyncapi.get("asyncapi").cloned().unwrap_or_default();
    let mut record = Map::new();
    record.insert("asyncapi".into(), version);
    record.insert("edits".into(), edits);
    if let Value::Object(root) = openapi {
        root.insert(RECORD.into(), Value::Object(record));
    }
    Vec::new()
}

/// OpenAPI with an `x-asyncapi` record -> the AsyncAPI it was made from (with the OpenAPI's
/// own changes since, where the record does not override them).
pub fn convert(openapi: &Value, file: &str) -> Result<Output, Error> {
    let mut out = native(openapi, file)?;
    let record = openapi.get(RECORD);
    let version = record
        .and_then(|r| r.get("asyncapi"))
        .and_then(Value::as_str);
    if version.and_then(asyncapi::Version::of).is_none() {
        let msg = format!(
            "the `x-asyncapi` record is for AsyncAPI {}, but hookbridge writes 3.0.0 and 3.1.0: the record is ignored",
            version.unwrap_or("?")
        );
        let at = format!("/{RECORD}/asyncapi");
        out.diagnostics
            .push(Diagnostic::warning(codes::LOSSY, file, &at, msg));
        return Ok(out);
    }
    let mut edits = match record.and_then(|r| r.get("edits")) {
        Some(Value::Array(list)) => Value::Array(list.clone()),
        None => Value::Array(Vec::new()),
        Some(_) => {
            let at = format!("/{RECORD}/edits");
            let msg = "the `x-asyncapi` edits must be a list: the record is ignored".to_string();
            out.diagnostics.push(Diagnostic::warning(
                codes::INVALID_STRUCTURE,
                file,
                &at,
                msg,
            ));
            return Ok(out);
        }
    };
    asyncapi::unescape_all_refs(&mut edits);
    let edits = edits.as_array().map(Vec::as_slice).unwrap_or_default();
    for (i, why) in patch::apply(&mut out.document, edits) {
        let at = format!("/{RECORD}/edits/{i}");
        let msg = format!(
            "this edit of the `x-asyncapi` record no longer fits the document ({why}); skipped"
        );
        out.diagnostics
            .push(Diagnostic::warning(codes::LOSSY, file, &at, msg));
    }
    check_result(&out.document, file)?;
    Ok(out)
}

/// Edits may replace anything, the root included: what they give must still be AsyncAPI 3.0.
fn check_result(doc: &Value, file: &str) -> Result<(), Error> {
    let version = doc.get("asyncapi").and_then(Value::as_str);
    let info = doc.get("info").is_some_and(Value::is_object);
    if version.and_then(asyncapi::Version::of).is_some() && info {
        return Ok(());
    }
    let msg = "the edits of the `x-asyncapi` record do not give an AsyncAPI 3.0 or 3.1 document (a mapping with `asyncapi: 3.0.x` or `3.1.x` and `info`): fix the record, or delete it to convert without it";
    Err(Diagnostic::error(codes::INVALID_STRUCTURE, file, &format!("/{RECORD}"), msg).into())
}

/// The forward conversion an edit list is based on: the whole document, paths included,
/// with the defaults, the record itself left out.
fn native(openapi: &Value, file: &str) -> Result<Output, Error> {
    let mut doc = openapi.clone();
    if let Value::Object(root) = &mut doc {
        root.shift_remove(RECORD);
    }
    let Kind::OpenApi(version) = openapi::detect(&doc, file)? else {
        let msg = "an `x-asyncapi` record belongs on an OpenAPI document";
        return Err(Diagnostic::error(codes::UNSUPPORTED_VERSION, file, "", msg).into());
    };
    let options = Options {
        perspective: Perspective::Provider,
        include_paths: true,
        schema_format: SchemaFormat::AsyncApi,
    };
    to_asyncapi::convert_owned(doc, &version, file, &options)
}
