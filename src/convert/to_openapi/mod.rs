//! AsyncAPI 3.0 -> OpenAPI 3.1 (or 3.0 when the document came from 3.0).
//!
//! Native AsyncAPI fields are authoritative; the `x-openapi-*` records written by
//! [`crate::convert::to_asyncapi`] restore whatever AsyncAPI cannot hold (see docs/mapping.md).
//! Documents written by hand (no records) map HTTP-bound `send` operations to webhooks and
//! `receive` operations on an address to paths.

use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::asyncapi::{self, is_extension_name};
use crate::convert::dialect::{self, Dialect};
use crate::convert::operation_tags;
use crate::diagnostics::{Diagnostic, Error};
use crate::openapi;

mod channels;
mod hand_written;
mod messages;
mod operations;
mod root;
mod streams;
#[cfg(test)]
mod tests;

type Obj = Map<String, Value>;

/// A converted document and what was noticed on the way.
#[derive(Debug, Clone)]
pub struct Output {
    pub document: Value,
    pub diagnostics: Vec<Diagnostic>,
}

/// Converts an AsyncAPI 3.0 document.
pub fn convert(doc: &Value, file: &str) -> Result<Output, Error> {
    convert_owned(doc.clone(), file)
}

/// [`convert`] of a document the caller gives away (no copy of it is made).
pub fn convert_owned(src: Value, file: &str) -> Result<Output, Error> {
    convert_owned_as(src, file, None)
}

/// [`convert_owned`] writing OpenAPI `version` (`3.0.4`, ...) instead of the version the
/// document came from (its root record) or 3.1.0; see [`crate::convert::version`].
pub fn convert_owned_as(
    mut src: Value,
    file: &str,
    version: Option<&str>,
) -> Result<Output, Error> {
    asyncapi::unescape_data_refs(&mut src);
    if src
        .get("x-openapi")
        .and_then(|r| r.get("components"))
        .is_some()
    {
        asyncapi::map_schema_refs(&mut src, &asyncapi::ref_out_of_record);
    }
    let empty = Obj::new();
    let root = src.as_object().unwrap_or(&empty);
    let record = root
        .get("x-openapi")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let version = version
        .or_else(|| record.get("openapi").and_then(Value::as_str))
        .unwrap_or("3.1.0")
        .to_string();
    let dialect = Dialect::from_openapi_version(&version).unwrap_or(Dialect::Oas31);
    let mut c = Converter {
        doc: &src,
        src: root,
        hand_written: !root.contains_key("x-openapi"),
        file,
        record,
        dialect,
        version: version.clone(),
        out: Obj::new(),
        inline_schemes: Obj::new(),
        operation_tags: Vec::new(),
        diagnostics: Vec::new(),
        ops_by_channel: operations_by_channel(root),
        late: RefCell::new(Vec::new()),
    };
    c.document(&version)?;
    let mut diagnostics = c.diagnostics;
    diagnostics.extend(c.late.into_inner());
    Ok(Output {
        document: Value::Object(c.out),
        diagnostics,
    })
}

struct Converter<'a> {
    doc: &'a Value,
    src: &'a Obj,
    /// No root `x-openapi` record: the document did not come from a conversion, and what
    /// OpenAPI cannot hold is left to the `x-asyncapi` record (see [`hand_written`]).
    hand_written: bool,
    file: &'a str,
    /// The root `x-openapi` record (empty for documents written by hand).
    record: Obj,
    dialect: Dialect,
    /// The `openapi` version written.
    version: String,
    out: Obj,
    /// Security schemes written inline in operations (documents written by hand).
    inline_schemes: Obj,
    /// Operation tags of a document written by hand, in order (`convert::operation_tags`).
    operation_tags: Vec<Value>,
    diagnostics: Vec<Diagnostic>,
    /// The operations of each channel by the `$ref` their `channel` holds, in document order
    /// (built once: looking them up per channel made the conversion quadratic).
    ops_by_channel: HashMap<&'a str, Ops<'a>>,
    /// Warnings of the parts that read the document without changing the converter (the
    /// media types of messages), in the order they were found.
    late: RefCell<Vec<Diagnostic>>,
}

/// Operations (key, object) of one channel.
type Ops<'a> = Vec<(&'a String, &'a Obj)>;

fn operations_by_channel(root: &Obj) -> HashMap<&str, Ops<'_>> {
    let mut by: HashMap<&str, Ops<'_>> = HashMap::new();
    if let Some(Value::Object(ops)) = root.get("operations") {
        for (k, op) in ops {
            let Some(op) = op.as_object() else { continue };
            if let Some(target) = op.get("channel").and_then(openapi::ref_of) {
                by.entry(target).or_default().push((k, op));
            }
        }
    }
    by
}

/// What an AsyncAPI channel stands for in OpenAPI.
enum Place {
    /// `expression`: a webhook in the shape of a callback (name -> expression -> item).
    Webhook {
        key: String,
        name: String,
        expression: Option<String>,
    },
    Callback(Obj),
    Path(String),
}

impl<'a> Converter<'a> {
    fn document(&mut self, version: &str) -> Result<(), Error> {
        self.out
            .insert("openapi".into(), Value::String(version.to_string()));
        self.info();
        for (k, v) in &self.record {
            if !matches!(
                k.as_str(),
                "openapi"
                    | "perspective"
                    | "webhooks"
                    | "webhookExtensions"
                    | "info"
                    | "components"
                    | "paths"
            ) {
                self.out.insert(k.clone(), v.clone());
            }
        }
        if !self.record.contains_key("servers") {
            if let Some(servers) = root::hand_written_servers(self.src) {
                self.out.insert("servers".into(), servers);
            }
        }
        self.prepare_containers();
        let src = self.src;
        if let Some(Value::Object(channels)) = src.get("channels") {
            for (id, channel) in channels {
                self.channel(id, channel)?;
            }
        }
        self.components();
        for (k, v) in self.src {
            if is_extension_name(k) && !is_reserved(k) {
                self.out.insert(k.clone(), v.clone());
            }
        }
        self.finish_paths();
        if self.hand_written {
            operation_tags::add_to_root(&mut self.out, &self.operation_tags);
        }
        Ok(())
    }

    fn warn(&mut self, code: &'static str, at: &str, message: String) {
        self.diagnostics
            .push(Diagnostic::warning(code, self.file, at, message));
    }

    // ----- schemas --------------------------------------------------------------------------

    /// AsyncAPI schema (or Multi Format Schema Object) -> OpenAPI schema.
    fn schema_back(&self, schema: &Value, payload: bool) -> Value {
        let mut out = self.schema_back_as_written(schema, payload);
        if self.hand_written && self.dialect == Dialect::Oas31 {
            hand_written::schema_to_31(&mut out);
        }
        out
    }

    fn schema_back_as_written(&self, schema: &Value, _payload: bool) -> Value {
        if let Some(obj) = schema.as_object() {
            if let (Some(Value::String(format)), Some(inner)) =
                (obj.get("schemaFormat"), obj.get("schema"))
            {
                if format.starts_with("application/vnd.oai.openapi") {
                    let mut inner = inner.clone();
                    asyncapi::map_schema_refs(&mut inner, &asyncapi::ref_out_of_wrapped_schema);
                    return inner;
                }
                if is_json_schema_format(format) {
                    return dialect::to_openapi(inner, self.dialect);
                }
                // Avro, RAML, Protobuf...: OpenAPI has no place for them; carried whole.
                return Value::Object(Obj::from_iter([(
                    "x-asyncapi-schema".into(),
                    schema.clone(),
                )]));
            }
        }
        dialect::to_openapi(schema, self.dialect)
    }

    /// The target of a local `$ref` (chains followed), or the value itself.
    fn resolved<'v>(&self, v: &'v Value) -> &'v Value
    where
        'a: 'v,
    {
        openapi::deref(self.doc, v, self.file, "")
            .map(|(t, _)| t)
            .unwrap_or(v)
    }
}

// ----- helpers -----------------------------------------------------------------------------

fn is_reserved(key: &str) -> bool {
    key.starts_with("x-openapi") || key.starts_with("x-asyncapi")
}

fn has_records(ch: &Obj) -> bool {
    ch.keys().any(|k| k.starts_with("x-openapi"))
}

/// Puts back extensions that AsyncAPI could not hold by name.
fn restore_extensions(v: &Value) -> Value {
    let Some(obj) = v.as_object() else {
        return v.clone();
    };
    let mut obj = obj.clone();
    asyncapi::fit::restore(&mut obj);
    let mut out = Obj::new();
    for (k, child) in &obj {
        if k == "x-openapi-extensions" {
            if let Value::Object(kept) = child {
                out.extend(kept.clone());
            }
        } else if asyncapi::holds_nested_extensions(k) {
            out.insert(k.clone(), restore_extensions(child));
        } else {
            out.insert(k.clone(), child.clone());
        }
    }
    Value::Object(out)
}

/// Schema formats that are JSON Schema (draft-07) or AsyncAPI Schema.
fn is_json_schema_format(format: &str) -> bool {
    format.starts_with("application/schema+") || format.starts_with("application/vnd.aai.asyncapi")
}

/// Small lookups by JSON pointer on a map.
trait PointerExt {
    fn pointer_str(&self, ptr: &str) -> Option<&str>;
    fn pointer_str_value(&self, ptr: &str) -> Option<&Value>;
}

impl PointerExt for Obj {
    fn pointer_str(&self, ptr: &str) -> Option<&str> {
        self.pointer_str_value(ptr)?.as_str()
    }
    fn pointer_str_value(&self, ptr: &str) -> Option<&Value> {
        let mut tokens = ptr.strip_prefix('/')?.split('/');
        let mut node = self.get(tokens.next()?)?;
        for t in tokens {
            node = node.get(t)?;
        }
        Some(node)
    }
}
