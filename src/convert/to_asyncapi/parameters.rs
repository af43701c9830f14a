//! Parameters: Path Item and operation parameters resolved and merged, and those in a header
//! or the query made into the object schemas AsyncAPI holds them in.

use serde_json::Value;

use super::input::field;
use super::{Converter, Obj};
use crate::convert::dialect;
use crate::diagnostics::Error;
use crate::document::pointer;
use crate::openapi;

/// A parameter resolved for native placement.
pub(super) struct Param<'v> {
    pub(super) name: &'v str,
    pub(super) location: &'v str,
    pub(super) target: &'v Value,
    /// Its index among the operation's own parameters (`None`: a Path Item parameter).
    pub(super) own: Option<usize>,
}

impl<'a> Converter<'a> {
    pub(super) fn resolve_params<'v>(
        &self,
        list: Option<&'v Value>,
        at: &str,
    ) -> Result<Vec<&'v Value>, Error>
    where
        'a: 'v,
    {
        let Some(Value::Array(list)) = list else {
            return Ok(Vec::new());
        };
        let mut out = Vec::with_capacity(list.len());
        for (i, p) in list.iter().enumerate() {
            let (target, _) = if openapi::ref_of(p).is_some() {
                self.deref(p, &pointer::push(at, &i.to_string()))?
            } else {
                (p, None)
            };
            out.push(target);
        }
        Ok(out)
    }
}

pub(super) fn merge_query(query: &mut Obj, callback_query: &Obj) {
    if callback_query.is_empty() {
        return;
    }
    if query.is_empty() {
        query.insert("type".into(), "object".into());
        query.insert("properties".into(), Value::Object(Obj::new()));
    }
    if let Some(Value::Object(props)) = query.get_mut("properties") {
        for (k, v) in callback_query {
            props.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
}

pub(super) fn as_param(p: &Value, own: Option<usize>) -> Option<Param<'_>> {
    let o = p.as_object()?;
    Some(Param {
        name: field(o, "name")?.as_str()?,
        location: field(o, "in")?.as_str()?,
        target: p,
        own,
    })
}

/// The schema an operation parameter gives to the header or query schema, taken out of it
/// (what [`param_entry`] leaves out of the record).
pub(super) fn take_native_schema(raw: &mut Value) -> Option<Value> {
    let obj = raw.as_object_mut()?;
    if field(obj, "$ref").is_some() {
        return None;
    }
    let location = field(obj, "in").and_then(Value::as_str).unwrap_or_default();
    if !matches!(location, "header" | "query") {
        return None;
    }
    obj.shift_remove("schema")
}

/// The record of one operation-level parameter: verbatim, minus a schema that AsyncAPI holds.
pub(super) fn param_entry(raw: &Value) -> Value {
    let Some(obj) = raw.as_object() else {
        return raw.clone();
    };
    if obj.contains_key("$ref") {
        return raw.clone();
    }
    let location = obj.get("in").and_then(Value::as_str).unwrap_or_default();
    // Channel parameters hold no schema, so only headers and query keep theirs natively.
    let native = matches!(location, "header" | "query");
    let mut entry = obj.clone();
    if native && obj.contains_key("schema") {
        entry.shift_remove("schema");
    }
    Value::Object(entry)
}

/// The schema of a Parameter or Header: `schema`, or the one media type of `content`.
pub(super) fn param_schema(p: &Obj) -> Option<&Value> {
    if let Some(s) = field(p, "schema") {
        return Some(s);
    }
    field(p, "content")?
        .as_object()?
        .values()
        .next()?
        .get("schema")
}

/// Header or query parameters as one object schema (the AsyncAPI place for them).
/// `own_schemas`: schemas already taken out of the operation's own parameters, by index.
pub(super) fn object_schema(
    c: &Converter,
    params: &[Param],
    location: &str,
    own_schemas: &mut [Option<Value>],
) -> Obj {
    let mut props = Obj::new();
    let mut required = Vec::new();
    for p in params.iter().filter(|p| p.location == location) {
        let Some(obj) = p.target.as_object() else {
            continue;
        };
        let taken = p.own.and_then(|i| own_schemas.get_mut(i)?.take());
        let schema = match taken {
            Some(s) => dialect::to_asyncapi_owned(s, c.dialect()),
            None => param_schema(obj)
                .map(|s| c.plain_schema(s))
                .unwrap_or_else(|| Value::Object(Obj::new())),
        };
        props.insert(p.name.to_owned(), schema);
        if field(obj, "required").and_then(Value::as_bool) == Some(true) {
            required.push(Value::String(p.name.to_owned()));
        }
    }
    let mut out = Obj::new();
    if props.is_empty() {
        return out;
    }
    out.insert("type".into(), "object".into());
    out.insert("properties".into(), Value::Object(props));
    if !required.is_empty() {
        out.insert("required".into(), Value::Array(required));
    }
    out
}
