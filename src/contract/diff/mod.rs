//! `diff OLD NEW`: webhook and callback changes between two OpenAPI (or two AsyncAPI)
//! documents, each classified as breaking or not **for subscribers**.
//!
//! A subscriber receives the request (payload, headers) and sends the response. So for what
//! it receives, the provider sending *more* is compatible (a new property, a property made
//! required, a narrower type) and sending *less or other* is breaking (a removed property, a
//! property no longer required, a wider type, a new enum value); for what it sends back the
//! rules are mirrored. `docs/diff.md` lists every kind of change.

mod differ;
mod model;
mod operation;
mod output;
mod schema;
mod surface;

use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::load::Document;
use crate::openapi::{self, Kind};

use differ::Differ;
use surface::{asyncapi_model, openapi_model};

pub use output::{render, render_json, render_markdown, OutputFormat};

/// The stable change kinds.
pub mod kinds {
    pub const EVENT_REMOVED: &str = "event-removed";
    pub const EVENT_ADDED: &str = "event-added";
    pub const CALLBACK_URL_CHANGED: &str = "callback-url-changed";
    pub const OPERATION_REMOVED: &str = "operation-removed";
    pub const OPERATION_ADDED: &str = "operation-added";
    pub const PAYLOAD_REMOVED: &str = "payload-removed";
    pub const MEDIA_TYPE_REMOVED: &str = "media-type-removed";
    pub const MEDIA_TYPE_ADDED: &str = "media-type-added";
    pub const RESPONSE_REMOVED: &str = "response-removed";
    pub const RESPONSE_ADDED: &str = "response-added";
    pub const PARAMETER_REMOVED: &str = "parameter-removed";
    pub const PARAMETER_ADDED: &str = "parameter-added";
    pub const SECURITY_REMOVED: &str = "security-removed";
    pub const SECURITY_ADDED: &str = "security-added";
    pub const PROPERTY_REMOVED: &str = "property-removed";
    pub const PROPERTY_ADDED: &str = "property-added";
    pub const REQUIRED_ADDED: &str = "required-added";
    pub const REQUIRED_REMOVED: &str = "required-removed";
    pub const TYPE_NARROWED: &str = "type-narrowed";
    pub const TYPE_WIDENED: &str = "type-widened";
    pub const TYPE_CHANGED: &str = "type-changed";
    pub const ENUM_VALUE_ADDED: &str = "enum-value-added";
    pub const ENUM_VALUE_REMOVED: &str = "enum-value-removed";
    pub const CONSTRAINT_TIGHTENED: &str = "constraint-tightened";
    pub const CONSTRAINT_LOOSENED: &str = "constraint-loosened";
}

/// One change between OLD and NEW.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// Stable kind, one of [`kinds`].
    pub kind: &'static str,
    /// Breaking for subscribers.
    pub breaking: bool,
    /// The webhook or callback (`webhook \`newPet\``).
    pub event: String,
    /// The operation (`POST`), when the change is inside one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// JSON pointer in OLD, where the changed thing is there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// JSON pointer in NEW, where the changed thing is there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    pub message: String,
}

/// Who produces the data a schema describes, seen from the subscriber.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    /// The subscriber receives it (request payload, headers, parameters).
    Receives,
    /// The subscriber sends it (responses).
    Sends,
}

/// Whether a kind of change breaks subscribers, for data flowing in `dir`.
fn is_breaking(kind: &str, dir: Dir) -> bool {
    use kinds::*;
    let receives = dir == Dir::Receives;
    match kind {
        EVENT_REMOVED | CALLBACK_URL_CHANGED | OPERATION_REMOVED | PAYLOAD_REMOVED
        | RESPONSE_REMOVED | PARAMETER_REMOVED | SECURITY_REMOVED | TYPE_CHANGED => true,
        EVENT_ADDED | OPERATION_ADDED | RESPONSE_ADDED | PARAMETER_ADDED | SECURITY_ADDED
        | PROPERTY_ADDED => false,
        MEDIA_TYPE_ADDED | REQUIRED_REMOVED | TYPE_WIDENED | ENUM_VALUE_ADDED
        | CONSTRAINT_LOOSENED | PROPERTY_REMOVED => receives,
        MEDIA_TYPE_REMOVED | REQUIRED_ADDED | TYPE_NARROWED | ENUM_VALUE_REMOVED
        | CONSTRAINT_TIGHTENED => !receives,
        _ => true,
    }
}

/// Compares the webhooks and callbacks of two documents of the same kind.
pub fn diff(old: &Document, new: &Document) -> Result<Vec<Change>, Error> {
    let old_kind = openapi::detect(&old.value, &old.name)?;
    let new_kind = openapi::detect(&new.value, &new.name)?;
    let (old_model, new_model) = match (&old_kind, &new_kind) {
        (Kind::OpenApi(_), Kind::OpenApi(_)) => {
            (openapi_model(&old.value), openapi_model(&new.value))
        }
        (Kind::AsyncApi(_), Kind::AsyncApi(_)) => {
            (asyncapi_model(&old.value), asyncapi_model(&new.value))
        }
        _ => {
            let msg = "OLD and NEW must both be OpenAPI or both be AsyncAPI documents";
            return Err(Diagnostic::error(codes::UNKNOWN_DOCUMENT, &new.name, "", msg).into());
        }
    };
    let mut differ = Differ {
        old: &old.value,
        new: &new.value,
        out: Vec::new(),
        stack: Vec::new(),
    };
    differ.models(&old_model, &new_model);
    Ok(differ.out)
}

/// True when any change breaks subscribers (`hookbridge diff` then exits 1).
pub fn has_breaking(changes: &[Change]) -> bool {
    changes.iter().any(|c| c.breaking)
}

/// Deepest nesting of callbacks (and of schemas compared) followed.
const MAX_DEPTH: usize = 32;

#[cfg(test)]
mod tests;
