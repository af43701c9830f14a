//! Operations: one per method of a Path Item, with its key, action, HTTP binding, and the
//! request and reply messages put in its channel.

use serde_json::Value;

use super::channels::{id_fragment, ChannelCtx};
use super::input::{field, In};
use super::parameters::{
    as_param, merge_query, object_schema, param_entry, take_native_schema, Param,
};
use super::records::{fitted_warnings, foreign_extensions_kept, is_reserved};
use super::{Converter, Obj};
use crate::asyncapi::{self, fit, is_extension_name, sanitize_id};
use crate::convert::operation_tags;
use crate::diagnostics::{codes, Error};
use crate::document::pointer;
use crate::openapi::events::QUERY;

impl<'a> Converter<'a> {
    /// Converts one operation; returns its key and its `callbacks` (for the caller to convert
    /// once the operation is in place).
    pub(super) fn operation<'v>(
        &mut self,
        ch: &ChannelCtx<'_>,
        (method, additional): (&str, bool),
        at: &str,
        mut op: In<'v>,
    ) -> Result<(String, Option<In<'v>>), Error>
    where
        'a: 'v,
    {
        let empty = Obj::new();
        let mut record = Obj::new();

        let key = self.operation_key(ch, method, op.as_object().unwrap_or(&empty), &mut record);
        let msg_base = sanitize_id(&key);
        let mut out = Obj::with_capacity(op.as_object().map_or(0, Obj::len) + 4);
        out.insert("action".into(), ch.action.into());
        out.insert("channel".into(), ch.reference.clone());
        for field in ["summary", "description"] {
            if let Some(v) = op.take(field) {
                out.insert(field.into(), v.into_value());
            }
        }
        if let Some(tags) = op.take("tags") {
            self.operation_tags(at, tags.into_value(), &mut out, &mut record);
        }
        if let Some(docs) = op.take("externalDocs") {
            let mut docs = foreign_extensions_kept(docs.into_value());
            let found = match &mut docs {
                Value::Object(d) => fit::fit(fit::Kind::ExternalDocs, d),
                _ => Vec::new(),
            };
            let at = pointer::push(at, "externalDocs");
            fitted_warnings(self.file, &at, found, &mut self.diagnostics);
            if docs.is_object() {
                out.insert("externalDocs".into(), docs);
            } else {
                let msg = "`externalDocs` is not an object: left out of AsyncAPI, kept in `x-openapi-operation`".to_string();
                self.warn(codes::INVALID_STRUCTURE, &at, msg);
                record.insert("externalDocs".into(), docs);
            }
        }
        self.operation_security(op.as_object().unwrap_or(&empty), &mut out, &mut record);

        // Path-Item and Operation parameters merged (operation wins on name + location). The
        // schemas of header and query parameters go to the binding and the message headers;
        // owned ones are moved there, and the record keeps each parameter without it.
        let mut list = op.take("parameters");
        let mut own_schemas: Vec<Option<Value>> = match &mut list {
            Some(In::Own(Value::Array(items))) => {
                items.iter_mut().map(take_native_schema).collect()
            }
            _ => Vec::new(),
        };
        let own = self.resolve_params(
            list.as_ref().map(In::value),
            &pointer::push(at, "parameters"),
        )?;
        let mut params: Vec<Param> = Vec::new();
        let shared = ch.shared_params.iter().map(|p| (*p, None));
        for (p, index) in shared.chain(own.iter().enumerate().map(|(i, p)| (*p, Some(i)))) {
            let Some(param) = as_param(p, index) else {
                continue;
            };
            params.retain(|q| !(q.name == param.name && q.location == param.location));
            params.push(param);
        }
        let headers = object_schema(self, &params, "header", &mut own_schemas);
        let mut query = object_schema(self, &params, "query", &mut own_schemas);
        if query.is_empty() {
            query = querystring_schema(self, &params);
        }
        drop(params);
        drop(own);
        let entries = match list {
            Some(In::Own(Value::Array(items))) => Some(items),
            Some(In::Ref(Value::Array(items))) => Some(items.iter().map(param_entry).collect()),
            _ => None,
        };
        if let Some(entries) = entries {
            record.insert("parameters".into(), Value::Array(entries));
        }
        merge_query(&mut query, &ch.callback_query);

        self.http_binding((method, additional), at, query, &mut out);

        let body = op.take("requestBody");
        let stream = ch.event.then_some(key.as_str());
        let requests =
            self.request_messages((&msg_base, stream), at, body, headers, &mut record)?;
        out.insert("messages".into(), self.insert_messages(ch, requests));
        if let Some(responses) = op.take("responses") {
            let replies = self.response_messages(
                (&msg_base, &key),
                &pointer::push(at, "responses"),
                responses,
                &mut record,
            )?;
            let mut reply = Obj::new();
            reply.insert("channel".into(), ch.reference.clone());
            reply.insert("messages".into(), self.insert_messages(ch, replies));
            out.insert("reply".into(), Value::Object(reply));
        }
        let callbacks = op.take("callbacks");
        for (k, v) in op.into_entries() {
            let native = matches!(
                &*k,
                "operationId"
                    | "summary"
                    | "description"
                    | "tags"
                    | "externalDocs"
                    | "security"
                    | "parameters"
                    | "requestBody"
                    | "responses"
                    | "callbacks"
            );
            if native {
                continue;
            }
            if is_extension_name(&k) && !is_reserved(&k) {
                out.insert(k.into_owned(), v.into_value());
            } else {
                record.insert(k.into_owned(), v.into_value());
            }
        }
        if !record.is_empty() {
            out.insert("x-openapi-operation".into(), Value::Object(record));
        }
        self.operations.insert(key.clone(), Value::Object(out));
        self.finish_streams(ch, &key);
        Ok((key, callbacks))
    }

    /// The operation's HTTP binding (method, query) and, for an OpenAPI 3.2 operation whose
    /// binding method does not say where it sits, the record of it.
    fn http_binding(
        &mut self,
        (method, additional): (&str, bool),
        at: &str,
        query: Obj,
        out: &mut Obj,
    ) {
        let mut binding = Obj::new();
        match binding_method(method, additional) {
            Some(m) => {
                binding.insert("method".into(), Value::String(m));
            }
            None => {
                let msg = format!("AsyncAPI's HTTP binding has no method `{method}` (its `method` is one of GET, PUT, POST, PATCH, DELETE, HEAD, OPTIONS, CONNECT, TRACE): the binding gets no `method`; `{}` keeps it for the way back", if additional { ADDITIONAL_OPERATION } else { METHOD_FIELD });
                self.warn(codes::METHOD_NOT_IN_BINDING, at, msg);
            }
        }
        if !query.is_empty() {
            binding.insert("query".into(), Value::Object(query));
        }
        binding.insert(
            "bindingVersion".into(),
            asyncapi::HTTP_BINDING_VERSION.into(),
        );
        out.insert(
            "bindings".into(),
            Value::Object(Obj::from_iter([("http".into(), Value::Object(binding))])),
        );
        // Where an OpenAPI 3.2 operation sits, when its binding method does not say it.
        if additional {
            out.insert(ADDITIONAL_OPERATION.into(), method.into());
        } else if method == QUERY {
            out.insert(METHOD_FIELD.into(), method.into());
        }
    }

    /// Tag names -> AsyncAPI tags. A list AsyncAPI rejects (a name that is not a string, the
    /// same name twice) is kept in the record, AsyncAPI getting each string name once.
    fn operation_tags(&mut self, at: &str, tags: Value, out: &mut Obj, record: &mut Obj) {
        let at = pointer::push(at, "tags");
        let Value::Array(list) = &tags else {
            let msg = "`tags` is not a list: left out of AsyncAPI, kept in `x-openapi-operation`";
            self.warn(codes::INVALID_STRUCTURE, &at, msg.to_string());
            record.insert("tags".into(), tags);
            return;
        };
        let names = fit::unique(list.iter().filter(|t| t.is_string()).cloned());
        if names.len() != list.len() {
            let msg = "`tags` holds a name that is not a string or the same name twice, which AsyncAPI rejects: AsyncAPI gets each name once, the list kept in `x-openapi-operation`";
            let code = if list.iter().all(Value::is_string) {
                codes::STRICTER
            } else {
                codes::INVALID_STRUCTURE
            };
            self.warn(code, &at, msg.to_string());
            record.insert("tags".into(), tags.clone());
        }
        let defs = &self.tag_definitions;
        let names = names
            .into_iter()
            .map(|t| operation_tags::with_definition(t, defs));
        out.insert("tags".into(), Value::Array(names.collect()));
    }

    /// The operation's key: its `operationId`, else `<channel>.<method>`. The record says
    /// when the key is not the `operationId` (`operationId: null` when there was none).
    fn operation_key(
        &mut self,
        ch: &ChannelCtx,
        method: &str,
        op: &Obj,
        record: &mut Obj,
    ) -> String {
        let id = field(op, "operationId");
        let wanted = match id.and_then(Value::as_str) {
            Some(id) => id.to_string(),
            None => format!("{}.{}", ch.id, sanitize_id(method)),
        };
        let key = self.operation_ids.unique(&wanted);
        match id {
            None => {
                record.insert("operationId".into(), Value::Null);
            }
            Some(Value::String(s)) if *s == key => {}
            Some(other) => {
                record.insert("operationId".into(), other.clone());
            }
        }
        key
    }

    /// Adds messages to a channel; returns the list of references to them.
    fn insert_messages(&mut self, ch: &ChannelCtx, messages: Vec<(String, Value)>) -> Value {
        let mut refs = Vec::with_capacity(messages.len());
        if let Some(Value::Object(channel)) = self.channels.get_mut(&ch.id) {
            if let Some(Value::Object(map)) = channel.get_mut("messages") {
                for (id, message) in messages {
                    let fragment = id_fragment(&ch.fragment, &["messages", &id]);
                    refs.push(Value::Object(Obj::from_iter([(
                        "$ref".to_string(),
                        Value::String(fragment),
                    )])));
                    map.insert(id, message);
                }
            }
        }
        Value::Array(refs)
    }
}

/// OpenAPI 3.2's `in: querystring` parameter, when its one media type is a form
/// (`application/x-www-form-urlencoded`) of an object: that object is the query the HTTP
/// binding describes. The parameter stays whole in the record (the way back takes it there).
fn querystring_schema(c: &Converter, params: &[Param]) -> Obj {
    let found = params.iter().find(|p| p.location == "querystring");
    let content = found.and_then(|p| p.target.get("content")?.as_object());
    let Some((media_type, mt)) = content
        .filter(|m| m.len() == 1)
        .and_then(|m| m.iter().next())
    else {
        return Obj::new();
    };
    let form = media_type.split(';').next().is_some_and(|t| {
        t.trim()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    });
    let schema = mt.get("schema").filter(|s| {
        s.get("type").and_then(Value::as_str) == Some("object") && s.get("properties").is_some()
    });
    match (form, schema.map(|s| c.plain_schema(s))) {
        (true, Some(Value::Object(m))) => m,
        _ => Obj::new(),
    }
}

/// The AsyncAPI operation's record of an OpenAPI 3.2 `query` operation (`x-openapi-method:
/// query`), and of an `additionalOperations` entry (its key).
pub(crate) const METHOD_FIELD: &str = "x-openapi-method";
pub(crate) const ADDITIONAL_OPERATION: &str = "x-openapi-additional-operation";

/// The HTTP binding's `method` for an OpenAPI method: upper case for a method field, the
/// `additionalOperations` key as written (methods are case-sensitive), when the binding's enum
/// has it.
pub(super) fn binding_method(method: &str, additional: bool) -> Option<String> {
    let upper = method.to_ascii_uppercase();
    let name = if additional { method } else { upper.as_str() };
    asyncapi::HTTP_BINDING_METHODS
        .contains(&name)
        .then(|| name.to_string())
}

/// `post` + `/streams/{id}` -> `postStreamsId`, for operations without an `operationId`.
pub(super) fn operation_key_base(op: &Obj, method: &str, path: &str) -> String {
    if let Some(id) = op.get("operationId").and_then(Value::as_str) {
        return id.to_string();
    }
    let mut out = method.to_string();
    for word in path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}
