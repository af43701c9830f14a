//! Operations: fields, parameters (from message headers and `bindings.http.query`) and
//! security, with the `x-openapi-operation` record.

use serde_json::Value;

use super::{
    hand_written, has_records, is_reserved, restore_extensions, Converter, Obj, PointerExt,
};
use crate::asyncapi::{self, is_extension_name};
use crate::document::pointer;
use crate::openapi;

impl<'a> Converter<'a> {
    pub(super) fn operation(&mut self, ch: &Obj, key: &str, op: &Obj) -> Obj {
        let record = op
            .get("x-openapi-operation")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut out = Obj::new();
        if let Some(Value::Array(tags)) = op.get("tags") {
            let names = tags
                .iter()
                .filter_map(|t| self.resolved(t).get("name"))
                .cloned()
                .collect();
            out.insert("tags".into(), Value::Array(names));
            if self.hand_written {
                // What a tag says beyond its name goes to the root `tags`.
                let described = tags.iter().map(|t| self.resolved(t).clone());
                let described: Vec<Value> = described.collect();
                self.operation_tags.extend(described);
            }
        }
        for field in ["summary", "description"] {
            if let Some(v) = op.get(field) {
                out.insert(field.into(), v.clone());
            }
        }
        if let Some(docs) = op.get("externalDocs") {
            out.insert("externalDocs".into(), restore_extensions(docs));
        }
        match record.get("operationId") {
            Some(Value::Null) => {}
            Some(id) => {
                out.insert("operationId".into(), id.clone());
            }
            None => {
                out.insert("operationId".into(), Value::String(key.to_string()));
            }
        }
        let requests = self.messages(op.get("messages"));
        let hand_written = !op.contains_key("x-openapi-operation") && !has_records(ch);
        if let Some(params) = self.parameters(op, &record, &requests, hand_written) {
            out.insert("parameters".into(), params);
        }
        if let Some(body) = self.request_body(&record, &requests) {
            out.insert("requestBody".into(), body);
        }
        if let Some(reply) = op.get("reply").and_then(Value::as_object) {
            let replies = self.messages(reply.get("messages"));
            out.insert("responses".into(), self.responses(&record, &replies));
        }
        if let Some(security) = self.security(key, op, &record) {
            out.insert("security".into(), security);
        }
        for (k, v) in op {
            if is_extension_name(k) && !is_reserved(k) {
                out.insert(k.clone(), v.clone());
            }
        }
        for (k, v) in record {
            if !matches!(
                k.as_str(),
                "operationId" | "parameters" | "requestBody" | "responses" | "security"
            ) {
                out.insert(k, v);
            }
        }
        out
    }

    fn parameters(
        &self,
        op: &Obj,
        record: &Obj,
        requests: &[Obj],
        hand_written: bool,
    ) -> Option<Value> {
        let headers = requests
            .first()
            .and_then(|m| m.get("headers"))
            .and_then(|h| h.get("properties"));
        let query = op.pointer_str_value("/bindings/http/query/properties");
        if let Some(Value::Array(entries)) = record.get("parameters") {
            let list = entries
                .iter()
                .map(|e| self.parameter(e, headers, query))
                .collect();
            return Some(Value::Array(list));
        }
        if !hand_written {
            return None;
        }
        let mut list = Vec::new();
        let header_required = requests
            .first()
            .and_then(|m| m.get("headers"))
            .and_then(|h| h.get("required"));
        let query_required = op.pointer_str_value("/bindings/http/query/required");
        for (location, props, required) in [
            ("header", headers, header_required),
            ("query", query, query_required),
        ] {
            let Some(Value::Object(props)) = props else {
                continue;
            };
            for (name, schema) in props {
                if schema.get("x-openapi-callback-query").is_some() {
                    continue;
                }
                let mut p = Obj::new();
                p.insert("name".into(), Value::String(name.clone()));
                p.insert("in".into(), location.into());
                if required
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|x| x == name))
                {
                    p.insert("required".into(), Value::Bool(true));
                }
                p.insert("schema".into(), self.schema_back(schema, false));
                list.push(Value::Object(p));
            }
        }
        (!list.is_empty()).then_some(Value::Array(list))
    }

    /// A recorded parameter, its schema taken back from where AsyncAPI holds it.
    fn parameter(&self, entry: &Value, headers: Option<&Value>, query: Option<&Value>) -> Value {
        let Some(e) = entry.as_object() else {
            return entry.clone();
        };
        if e.contains_key("$ref") || e.contains_key("schema") || e.contains_key("content") {
            return entry.clone();
        }
        let name = e.get("name").and_then(Value::as_str).unwrap_or_default();
        let native = match e.get("in").and_then(Value::as_str) {
            Some("header") => headers.and_then(|h| h.get(name)),
            Some("query") => query.and_then(|q| q.get(name)),
            _ => None,
        };
        let mut out = e.clone();
        if let Some(schema) = native {
            out.insert("schema".into(), self.schema_back(schema, false));
        }
        Value::Object(out)
    }

    /// An inline AsyncAPI scheme (hand-written) becomes a named OpenAPI component.
    fn inline_scheme(&mut self, op_key: &str, index: usize, scheme: &Value) -> String {
        let name = asyncapi::sanitize_id(&format!("{op_key}-security-{index}"));
        let mut scheme = asyncapi::security_scheme_to_openapi(scheme);
        if let Value::Object(m) = &mut scheme {
            m.shift_remove("scopes");
        }
        self.inline_schemes.insert(name.clone(), scheme);
        name
    }

    fn security(&mut self, key: &str, op: &Obj, record: &Obj) -> Option<Value> {
        if let Some(s) = record.get("security") {
            return Some(s.clone());
        }
        let list = op.get("security")?.as_array()?;
        let mut out = Vec::new();
        for (i, entry) in list.iter().enumerate() {
            if self.hand_written && !hand_written::openapi_has_scheme(self.resolved(entry)) {
                // Named: the warning is at the component. Inline: here.
                if openapi::ref_of(entry).is_none() {
                    let at = pointer::join(["operations", key, "security", &i.to_string()]);
                    self.scheme_left_out(&at, entry);
                }
                continue;
            }
            let (name, scopes) = if let Some(r) = openapi::ref_of(entry) {
                let name = r
                    .rsplit('/')
                    .next()
                    .map(pointer::unescape)
                    .unwrap_or_default();
                (name, Vec::new())
            } else {
                let scopes = entry
                    .get("scopes")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let name = match entry
                    .get("x-openapi-security-scheme-name")
                    .and_then(Value::as_str)
                {
                    Some(n) => n.to_string(),
                    None => self.inline_scheme(key, out.len(), entry),
                };
                (name, scopes)
            };
            out.push(Value::Object(Obj::from_iter([(
                name,
                Value::Array(scopes),
            )])));
        }
        // Every scheme left out: OpenAPI then says nothing about this operation's security.
        (!out.is_empty() || list.is_empty()).then_some(Value::Array(out))
    }
}
