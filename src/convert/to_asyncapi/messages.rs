//! Messages: the request (one per media type of the body, with the header parameters) and
//! the replies (one per status code and media type, with the response headers).

use serde_json::Value;

use super::input::{field, object_without, In};
use super::parameters::param_schema;
use super::root::multi_format;
use super::streams::StreamAt;
use super::{Converter, Obj, SchemaFormat};
use crate::asyncapi::{self, sanitize_id};
use crate::convert::dialect;
use crate::diagnostics::Error;
use crate::document::pointer;

impl<'a> Converter<'a> {
    /// A payload schema, in the chosen format.
    pub(super) fn payload_schema_owned(&self, schema: Value) -> Value {
        match self.options.schema_format {
            SchemaFormat::AsyncApi => dialect::to_asyncapi_owned(schema, self.dialect()),
            SchemaFormat::OpenApi => multi_format(schema, true, self.dialect()),
        }
    }

    /// `stream`: the operation's key when its request may be a stream (an event's).
    pub(super) fn request_messages<'v>(
        &mut self,
        (base, stream): (&str, Option<&str>),
        at: &str,
        body: Option<In<'v>>,
        headers: Obj,
        record: &mut Obj,
    ) -> Result<Vec<(String, Value)>, Error>
    where
        'a: 'v,
    {
        let id_base = format!("{base}.request");
        let Some(raw) = body else {
            let mut m = Obj::new();
            insert_headers(&mut m, headers);
            return Ok(vec![(self.message_ids.unique(&id_base), Value::Object(m))]);
        };
        let body_at = pointer::push(at, "requestBody");
        let (raw, body, _) = self.resolve(raw, &body_at)?;
        let mut body = match body.value() {
            Value::Object(_) => body,
            _ => In::Own(Value::Object(Obj::new())),
        };
        let description = body.take("description").map(In::into_value);
        let content = body.take("content");
        let body_record = match raw {
            Some(raw) => match raw.into_value() {
                Value::Object(m) => m,
                _ => Obj::new(),
            },
            None => object_without(body, &["content", "description"]),
        };
        record.insert("requestBody".into(), Value::Object(body_record));
        let media_types: Vec<_> = content
            .filter(|c| c.value().is_object())
            .map(|c| c.into_entries().collect())
            .unwrap_or_default();
        let many = media_types.len() > 1;
        let mut out = Vec::with_capacity(media_types.len().max(1));
        for (media_type, mt) in media_types {
            let id = self
                .message_ids
                .unique(&message_id(&id_base, &media_type, many));
            let mt_at = pointer::join_to(&body_at, ["content", &*media_type]);
            let stream = stream.map(|op_key| StreamAt {
                op_key,
                status: None,
                at: &mt_at,
            });
            let mut m = self.media_type_message(&media_type, mt, stream);
            if let Some(d) = &description {
                m.shift_insert(0, "description".into(), d.clone());
            }
            out.push((id, m));
        }
        if out.is_empty() {
            let mut m = Obj::new();
            if let Some(d) = description {
                m.insert("description".into(), d);
            }
            out.push((self.message_ids.unique(&id_base), m));
        }
        // The headers go last in each message; the last one takes them.
        let last = out.len() - 1;
        let mut headers = Some(headers);
        let out = out
            .into_iter()
            .enumerate()
            .map(|(i, (id, mut m))| {
                let h = if i == last {
                    headers.take().unwrap_or_default()
                } else {
                    headers.clone().unwrap_or_default()
                };
                insert_headers(&mut m, h);
                (id, Value::Object(m))
            })
            .collect();
        Ok(out)
    }

    /// One media type of a body: payload, examples, and the rest recorded. A stream's
    /// `itemSchema` (`stream`: where the media type is) goes to a stream channel instead.
    fn media_type_message(
        &mut self,
        media_type: &str,
        mut mt: In<'_>,
        stream: Option<StreamAt>,
    ) -> Obj {
        let mut m = Obj::new();
        m.insert("contentType".into(), Value::String(media_type.to_string()));
        if !mt.value().is_object() {
            m.insert("x-openapi-media-type".into(), mt.into_value());
            return m;
        }
        if crate::openapi::ref_of(mt.value()).is_some() {
            // OpenAPI 3.2's `$ref` to `components.mediaTypes`: the message shows the target;
            // the reference itself is the record, which the way back writes instead.
            let doc = self.doc;
            let target = crate::openapi::deref(doc, mt.value(), self.file, "").ok();
            let mut out = match target {
                Some((t, _)) if t.is_object() => {
                    if self.is_stream(stream, media_type) && t.get("itemSchema").is_some() {
                        self.stream_behind_ref(stream);
                    }
                    self.media_type_message(media_type, In::Ref(t), None)
                }
                _ => m,
            };
            out.insert("x-openapi-media-type".into(), mt.into_value());
            return out;
        }
        if let Some(schema) = mt.take("schema") {
            m.insert(
                "payload".into(),
                self.payload_schema_owned(schema.into_value()),
            );
        }
        let stream = stream.filter(|_| self.is_stream(stream, media_type));
        let mut record = Obj::new();
        let mut examples = Vec::new();
        for (k, v) in mt.into_entries() {
            match &*k {
                "schema" => {}
                "example" => examples.push(message_example(None, v.into_value())),
                "examples" => self.named_examples(v, &mut examples, &mut record),
                "itemSchema" if stream.is_some() => {
                    if let Some(at) = stream {
                        let marker = self.take_stream(at, media_type, v.into_value());
                        record.insert(k.into_owned(), marker);
                    }
                }
                _ => {
                    record.insert(k.into_owned(), v.into_value());
                }
            }
        }
        if !examples.is_empty() {
            m.insert("examples".into(), Value::Array(examples));
        }
        if !record.is_empty() {
            m.insert("x-openapi-media-type".into(), Value::Object(record));
        }
        m
    }

    /// Named Example Objects: `value` + `summary` become message examples; the rest is recorded
    /// per name, in order, so that the map comes back whole.
    fn named_examples(&self, v: In<'_>, out: &mut Vec<Value>, record: &mut Obj) {
        if !v.value().is_object() {
            record.insert("examples".into(), v.into_value());
            return;
        }
        let mut kept = Obj::new();
        for (name, mut ex) in v.into_entries() {
            let native = ex
                .as_object()
                .is_some_and(|e| !e.contains_key("$ref") && e.contains_key("value"));
            if native {
                let summary = ex.take("summary").map(In::into_value);
                let value = ex.take("value").map_or(Value::Null, In::into_value);
                out.push(message_example(Some((name.to_string(), summary)), value));
                let rest = object_without(ex, &["value", "summary"]);
                kept.insert(name.into_owned(), Value::Object(rest));
            } else {
                kept.insert(name.into_owned(), ex.into_value());
            }
        }
        record.insert("examples".into(), Value::Object(kept));
    }

    /// Reply messages, one per status code and media type. Extensions of the Responses
    /// Object itself go to the operation record.
    pub(super) fn response_messages<'v>(
        &mut self,
        (base, op_key): (&str, &str),
        at: &str,
        responses: In<'v>,
        op_record: &mut Obj,
    ) -> Result<Vec<(String, Value)>, Error>
    where
        'a: 'v,
    {
        let mut out = Vec::new();
        if !responses.value().is_object() {
            return Ok(out);
        }
        let mut extensions = Obj::new();
        for (status, raw) in responses.into_entries() {
            let status_at = pointer::push(at, &status);
            if status.starts_with("x-") {
                extensions.insert(status.into_owned(), raw.into_value());
                continue;
            }
            let (raw, response, response_ref) = self.resolve(raw, &status_at)?;
            let mut response = match response.value() {
                Value::Object(_) => response,
                _ => In::Own(Value::Object(Obj::new())),
            };
            let id_base = format!("{base}.response.{}", sanitize_id(&status));
            // An empty `content: {}` has no message to carry it, so it stays recorded.
            let content_native = response
                .as_object()
                .and_then(|r| field(r, "content"))
                .and_then(Value::as_object)
                .is_some_and(|c| !c.is_empty());
            let mut description = response.take("description").map(In::into_value);
            let headers_node = response.take("headers");
            let content = if content_native {
                response.take("content")
            } else {
                None
            };
            let mut record = match raw {
                Some(raw) => Obj::from_iter([("ref".to_string(), raw.into_value())]),
                None if content_native => object_without(response, &["description", "content"]),
                None => object_without(response, &["description"]),
            };
            let headers = self.response_headers(
                headers_node.as_ref().map(In::value),
                &status_at,
                response_ref.is_none().then_some(&mut record),
            )?;
            if let (None, Some(h)) = (&response_ref, headers_node) {
                // Not a mapping: recorded as it was (an owned one left `null` in its place).
                if !h.value().is_object() {
                    if let Some(slot) = record.get_mut("headers") {
                        *slot = h.into_value();
                    }
                }
            }
            let content: Vec<_> = content
                .map(|c| c.into_entries().collect())
                .unwrap_or_default();
            let many = content.len() > 1;
            let mut messages = Vec::with_capacity(content.len().max(1));
            for (media_type, mt) in content {
                let mt_at = pointer::join_to(&status_at, ["content", &*media_type]);
                let stream = StreamAt {
                    op_key,
                    status: Some(&status),
                    at: &mt_at,
                };
                let m = self.media_type_message(&media_type, mt, Some(stream));
                messages.push((message_id(&id_base, &media_type, many), m));
            }
            if messages.is_empty() {
                messages.push((id_base, Obj::new()));
            }
            let last = messages.len() - 1;
            let mut headers = Some(headers);
            for (i, (id, mut m)) in messages.into_iter().enumerate() {
                if let Some(d) = share(&mut description, i == last) {
                    m.shift_insert(0, "description".into(), d);
                }
                insert_headers(&mut m, share(&mut headers, i == last).unwrap_or_default());
                status_binding(&mut m, &status);
                let mut rec = if i == 0 {
                    std::mem::take(&mut record)
                } else {
                    Obj::new()
                };
                if status.parse::<u16>().is_err() || status.len() != 3 {
                    rec.shift_insert(0, "status".into(), Value::String(status.to_string()));
                }
                if !rec.is_empty() {
                    m.insert("x-openapi-response".into(), Value::Object(rec));
                }
                out.push((self.message_ids.unique(&id), Value::Object(m)));
            }
        }
        if !extensions.is_empty() {
            op_record.insert("responses".into(), Value::Object(extensions));
        }
        Ok(out)
    }

    /// Response headers as an object schema; their other fields recorded under `headers`.
    fn response_headers(
        &self,
        headers: Option<&Value>,
        at: &str,
        record: Option<&mut Obj>,
    ) -> Result<Obj, Error> {
        let mut schema = Obj::new();
        let Some(Value::Object(headers)) = headers else {
            return Ok(schema);
        };
        let mut props = Obj::new();
        let mut required = Vec::new();
        let mut kept = Obj::new();
        for (name, raw) in headers {
            let (header, header_ref) =
                self.deref(raw, &pointer::join_to(at, ["headers", name.as_str()]))?;
            let Some(h) = header.as_object() else {
                continue;
            };
            if let Some(s) = param_schema(h) {
                props.insert(name.clone(), self.plain_schema(s));
            }
            if field(h, "required").and_then(Value::as_bool) == Some(true) {
                required.push(Value::String(name.clone()));
            }
            let mut rest = if header_ref.is_some() {
                raw.as_object().cloned().unwrap_or_default()
            } else {
                h.clone()
            };
            if header_ref.is_none() && h.contains_key("schema") {
                rest.shift_remove("schema");
            }
            kept.insert(name.clone(), Value::Object(rest));
        }
        if let Some(record) = record {
            record.insert("headers".into(), Value::Object(kept));
        }
        if props.is_empty() {
            return Ok(schema);
        }
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(props));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        Ok(schema)
    }
}

/// A value several messages get: copies for all but the last, which takes it.
fn share<T: Clone>(slot: &mut Option<T>, last: bool) -> Option<T> {
    if last {
        slot.take()
    } else {
        slot.clone()
    }
}

fn insert_headers(message: &mut Obj, headers: Obj) {
    if !headers.is_empty() {
        message.insert("headers".into(), Value::Object(headers));
    }
}

fn status_binding(message: &mut Obj, status: &str) {
    let mut http = Obj::new();
    if let Ok(code) = status.parse::<u16>() {
        if status.len() == 3 {
            http.insert("statusCode".into(), Value::from(code));
        }
    }
    http.insert(
        "bindingVersion".into(),
        asyncapi::HTTP_BINDING_VERSION.into(),
    );
    message.insert(
        "bindings".into(),
        Value::Object(Obj::from_iter([("http".into(), Value::Object(http))])),
    );
}

/// `application/json` -> `json`, `application/vnd.x+json` -> `vnd.x_json`.
fn message_id(base: &str, media_type: &str, many: bool) -> String {
    if !many {
        return base.to_string();
    }
    let sub = media_type.split(';').next().unwrap_or_default();
    let sub = sub.rsplit('/').next().unwrap_or(sub);
    format!("{base}.{}", sanitize_id(&sub.replace('+', "_")))
}

fn message_example(named: Option<(String, Option<Value>)>, value: Value) -> Value {
    let mut e = Obj::new();
    if let Some((name, summary)) = named {
        e.insert("name".into(), Value::String(name));
        if let Some(s) = summary {
            e.insert("summary".into(), s);
        }
    }
    e.insert("payload".into(), value);
    Value::Object(e)
}
