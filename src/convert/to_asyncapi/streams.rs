//! OpenAPI 3.2 streams: a sequential media type with `itemSchema` in a response (of any
//! operation) or in the request of a webhook or callback becomes an AsyncAPI operation on a
//! channel of its own, whose message is one item of the stream (docs/mapping.md, "Streams").
//!
//! The media type's record keeps `itemSchema: {x-openapi-stream: <channel id>}` in the place
//! the item schema had, so that the way back puts the item schema (rebuilt from the stream's
//! message) where it was, key order included.

use serde_json::Value;

use super::channels::{id_fragment, path_template_params, ChannelCtx};
use super::operations::binding_method;
use super::{Converter, Obj, Perspective};
use crate::asyncapi::{self, sanitize_id};
use crate::diagnostics::{codes, Error};
use crate::document::pointer;

/// The record of a stream: on its channel, and (with the channel id) in place of the
/// `itemSchema` of the media type it came from.
pub(crate) const STREAM: &str = "x-openapi-stream";
/// A Server-Sent Events item schema with what AsyncAPI holds natively set to `null`.
pub(crate) const ITEM_SCHEMA: &str = "x-openapi-item-schema";
/// The fields of a Server-Sent Event besides `data` (OpenAPI 3.2, "Special Considerations
/// for Server-Sent Events"), which go to the message `headers`.
pub(crate) const SSE_FIELDS: [&str; 3] = ["event", "id", "retry"];

/// What a stream's channel and operation take from the operation it belongs to.
pub(super) struct StreamOf {
    op_key: String,
    action: &'static str,
    address: Option<Value>,
    params: Option<Value>,
    /// The HTTP binding's method.
    method: Option<Value>,
    /// The operation's pointer, when the operation itself is not converted (a REST
    /// operation in the default scope): the way back puts the stream there.
    parent: Option<String>,
}

/// Where a media type is, for deciding whether it is a stream.
#[derive(Clone, Copy)]
pub(super) struct StreamAt<'s> {
    /// The AsyncAPI operation's key.
    pub(super) op_key: &'s str,
    /// The response status, or `None` for the request body.
    pub(super) status: Option<&'s str>,
    /// Where the media type is, for warnings.
    pub(super) at: &'s str,
}

/// A stream found while converting an operation's messages, made once the operation is in.
pub(super) struct Pending {
    channel: String,
    media_type: String,
    status: Option<String>,
    item_schema: Value,
}

impl<'a> Converter<'a> {
    /// Whether a media type at `at` is converted as a stream: an OpenAPI 3.2 document, a
    /// sequential media type, a response or an event's request.
    pub(super) fn is_stream(&self, at: Option<StreamAt>, media_type: &str) -> bool {
        at.is_some() && self.v32() && crate::openapi::is_sequential(media_type)
    }

    /// Takes `itemSchema` for a stream; returns the marker the media type's record keeps.
    pub(super) fn take_stream(
        &mut self,
        at: StreamAt,
        media_type: &str,
        item_schema: Value,
    ) -> Value {
        let base = match at.status {
            Some(status) => format!("{}.stream.{}", at.op_key, sanitize_id(status)),
            None => format!("{}.stream.request", at.op_key),
        };
        let channel = self.channel_ids.unique(&sanitize_id(&base));
        if crate::openapi::is_event_stream(media_type) && events_of(&item_schema).is_none() {
            let msg = "a Server-Sent Events `itemSchema` without a `data` property (nor a `oneOf`/`anyOf` of inline events that each have one): the stream's message payload is the whole event".to_string();
            self.warn(codes::STREAM_NOT_SPLIT, at.at, msg);
        }
        self.streams.push(Pending {
            channel: channel.clone(),
            media_type: media_type.to_string(),
            status: at.status.map(str::to_string),
            item_schema,
        });
        Value::Object(Obj::from_iter([(
            STREAM.to_string(),
            Value::String(channel),
        )]))
    }

    /// A stream behind a `$ref` to `components.mediaTypes`: the reference is the record, so
    /// the item schema stays in the component, converted as a media type.
    pub(super) fn stream_behind_ref(&mut self, at: Option<StreamAt>) {
        if let Some(at) = at {
            let msg = "a stream (sequential media type with `itemSchema`) behind a `$ref` to `components.mediaTypes`: not made a stream channel; converted as a media type, the reference kept for the way back".to_string();
            self.warn(codes::STREAM_NOT_SPLIT, at.at, msg);
        }
    }

    /// The stream channels and operations of operation `op_key` (on channel `ch`), once it
    /// is in place: the same address and parameters, the same action and HTTP method.
    pub(super) fn finish_streams(&mut self, ch: &ChannelCtx, op_key: &str) {
        let parent = self.channels.get(&ch.id).and_then(Value::as_object);
        let method = self
            .operations
            .get(op_key)
            .and_then(|o| o.pointer("/bindings/http/method"))
            .cloned();
        let of = StreamOf {
            op_key: op_key.to_string(),
            action: ch.action,
            address: parent.and_then(|c| c.get("address")).cloned(),
            params: parent.and_then(|c| c.get("parameters")).cloned(),
            method,
            parent: None,
        };
        self.make_streams(&of);
    }

    /// The pending streams as channels and operations.
    pub(super) fn make_streams(&mut self, of: &StreamOf) {
        for p in std::mem::take(&mut self.streams) {
            let (messages, outer) = self.stream_messages(&p);
            let mut map = Obj::new();
            let mut refs = Vec::with_capacity(messages.len());
            let fragment = id_fragment("#", &["channels", &p.channel]);
            for (suffix, message) in messages {
                let id = self.message_ids.unique(&format!("{}.{suffix}", p.channel));
                refs.push(reference(id_fragment(&fragment, &["messages", &id])));
                map.insert(id, message);
            }
            let mut channel = Obj::new();
            channel.insert("address".into(), of.address.clone().unwrap_or(Value::Null));
            if let Some(params) = &of.params {
                channel.insert("parameters".into(), params.clone());
            }
            channel.insert("messages".into(), Value::Object(map));
            channel.insert(STREAM.into(), stream_record(of, &p, outer));
            self.channels
                .insert(p.channel.clone(), Value::Object(channel));
            let mut op = Obj::new();
            op.insert("action".into(), of.action.into());
            op.insert("channel".into(), reference(fragment));
            let mut http = Obj::new();
            if let Some(m) = &of.method {
                http.insert("method".into(), m.clone());
            }
            http.insert(
                "bindingVersion".into(),
                asyncapi::HTTP_BINDING_VERSION.into(),
            );
            op.insert("bindings".into(), binding(http));
            op.insert("messages".into(), Value::Array(refs));
            let key = self.operation_ids.unique(&p.channel);
            self.operations.insert(key, Value::Object(op));
        }
    }

    /// Default scope: the response streams of a REST operation that is not converted (`op`,
    /// at `op_at`, on `path`). Its channel is the path's; the record names the operation.
    pub(super) fn rest_streams(
        &mut self,
        (path, item): (&str, &Obj),
        (method, additional): (&str, bool),
        (op_key, op_at): (&str, &str),
        op: &Obj,
    ) -> Result<(), Error> {
        let Some(Value::Object(responses)) = op.get("responses").filter(|_| self.v32()) else {
            return Ok(());
        };
        for (status, raw) in responses.iter().filter(|(k, _)| !k.starts_with("x-")) {
            let status_at = pointer::join_to(op_at, ["responses", status.as_str()]);
            let (response, _) = self.deref(raw, &status_at)?;
            let Some(Value::Object(content)) = response.get("content") else {
                continue;
            };
            for (media_type, mt) in content {
                let at = pointer::join_to(&status_at, ["content", media_type.as_str()]);
                let here = StreamAt {
                    op_key,
                    status: Some(status),
                    at: &at,
                };
                let Some(item) = mt.get("itemSchema") else {
                    if crate::openapi::ref_of(mt).is_some()
                        && self.is_stream(Some(here), media_type)
                    {
                        self.stream_behind_ref(Some(here));
                    }
                    continue;
                };
                if self.is_stream(Some(here), media_type) {
                    self.take_stream(here, media_type, item.clone());
                }
            }
        }
        if self.streams.is_empty() {
            return Ok(());
        }
        let binding = binding_method(method, additional);
        if binding.is_none() {
            let msg = format!("AsyncAPI's HTTP binding has no method `{method}`: the stream's binding gets no `method`; `x-openapi-stream.parent` names the operation for the way back");
            self.warn(codes::METHOD_NOT_IN_BINDING, op_at, msg);
        }
        let params = path_template_params(path, item);
        let perspective_receive = match self.options.perspective {
            Perspective::Provider => "receive",
            Perspective::Consumer => "send",
        };
        let of = StreamOf {
            op_key: op_key.to_string(),
            action: perspective_receive,
            address: Some(Value::String(path.to_string())),
            params: (!params.is_empty()).then_some(Value::Object(params)),
            method: binding.map(Value::String),
            parent: Some(pointer::to_fragment(op_at)),
        };
        self.make_streams(&of);
        Ok(())
    }

    /// The messages of a stream, each with the suffix of its id, and (for Server-Sent Events
    /// written as a `oneOf`/`anyOf` of events) the item schema with each event `null`.
    fn stream_messages(&mut self, p: &Pending) -> (Vec<(String, Value)>, Option<Value>) {
        let item = p.item_schema.clone();
        if !crate::openapi::is_event_stream(&p.media_type) {
            let payload = self.payload_schema_owned(item);
            return (vec![("item".into(), self.item_message(p, payload))], None);
        }
        match events_of(&item) {
            Some(None) => (vec![("item".into(), self.event_message(p, item))], None),
            Some(Some(key)) => {
                let mut outer = item;
                let mut out = Vec::new();
                if let Some(Value::Array(branches)) = outer.get_mut(key) {
                    for (i, branch) in branches.iter_mut().enumerate() {
                        let branch = std::mem::take(branch);
                        let suffix = event_name(&branch).unwrap_or_else(|| format!("item.{i}"));
                        out.push((suffix, self.event_message(p, branch)));
                    }
                }
                (out, Some(outer))
            }
            // Warned about when the stream was found: the whole event is the payload.
            None => {
                let payload = self.payload_schema_owned(item);
                (vec![("item".into(), self.item_message(p, payload))], None)
            }
        }
    }

    /// An event with `properties.data`: `data` is the payload, `event`, `id`, `retry` the
    /// headers, the rest recorded with those `null`.
    fn event_message(&mut self, p: &Pending, mut event: Value) -> Value {
        let mut headers = Obj::new();
        let mut data = None;
        if let Some(Value::Object(props)) = event.get_mut("properties") {
            data = props.get_mut("data").map(std::mem::take);
            for field in SSE_FIELDS {
                if let Some(v) = props.get_mut(field) {
                    headers.insert(field.to_string(), self.plain_schema(&std::mem::take(v)));
                }
            }
        }
        let payload = data.map_or(Value::Null, |d| self.payload_schema_owned(d));
        let mut m = self.item_message(p, payload);
        if let Value::Object(m) = &mut m {
            // Before the binding, which goes last.
            let bindings = m.shift_remove("bindings");
            if !headers.is_empty() {
                let mut h = Obj::new();
                h.insert("type".into(), "object".into());
                h.insert("properties".into(), Value::Object(headers));
                m.insert("headers".into(), Value::Object(h));
            }
            m.insert(ITEM_SCHEMA.into(), event);
            if let Some(b) = bindings {
                m.insert("bindings".into(), b);
            }
        }
        m
    }

    /// A message of one item: its content type, payload (none when `null`) and, for a
    /// response, the status code binding.
    fn item_message(&self, p: &Pending, payload: Value) -> Value {
        let mut m = Obj::new();
        m.insert("contentType".into(), Value::String(p.media_type.clone()));
        if !payload.is_null() {
            m.insert("payload".into(), payload);
        }
        if let Some(status) = &p.status {
            let mut http = Obj::new();
            if let (Ok(code), 3) = (status.parse::<u16>(), status.len()) {
                http.insert("statusCode".into(), Value::from(code));
            }
            http.insert(
                "bindingVersion".into(),
                asyncapi::HTTP_BINDING_VERSION.into(),
            );
            m.insert("bindings".into(), binding(http));
        }
        Value::Object(m)
    }
}

/// How a Server-Sent Events item schema splits: `Some(None)`, one event (`properties.data`);
/// `Some(Some(key))`, one event per branch of its `oneOf` or `anyOf` (inline branches that
/// each have `properties.data`); `None`, not at all.
fn events_of(item: &Value) -> Option<Option<&'static str>> {
    if item.pointer("/properties/data").is_some() {
        return Some(None);
    }
    ["oneOf", "anyOf"].into_iter().find_map(|key| {
        let branches = item.get(key)?.as_array()?;
        let events = !branches.is_empty()
            && branches
                .iter()
                .all(|b| b.get("$ref").is_none() && b.pointer("/properties/data").is_some());
        events.then_some(Some(key))
    })
}

/// The `event` an SSE branch is for: its `const`, or an `enum` of one.
fn event_name(branch: &Value) -> Option<String> {
    let event = branch.pointer("/properties/event")?;
    let name = match event.get("const") {
        Some(c) => c.as_str(),
        None => match event.get("enum")?.as_array()?.as_slice() {
            [one] => one.as_str(),
            _ => None,
        },
    }?;
    Some(sanitize_id(name))
}

fn stream_record(of: &StreamOf, p: &Pending, outer: Option<Value>) -> Value {
    let mut r = Obj::new();
    r.insert("operation".into(), Value::String(of.op_key.clone()));
    if let Some(parent) = &of.parent {
        r.insert("parent".into(), Value::String(parent.clone()));
    }
    match &p.status {
        Some(s) => r.insert("response".into(), Value::String(s.clone())),
        None => r.insert("request".into(), Value::Bool(true)),
    };
    r.insert("mediaType".into(), Value::String(p.media_type.clone()));
    if let Some(outer) = outer {
        r.insert("itemSchema".into(), outer);
    }
    Value::Object(r)
}

fn reference(fragment: String) -> Value {
    Value::Object(Obj::from_iter([(
        "$ref".to_string(),
        Value::String(fragment),
    )]))
}

fn binding(http: Obj) -> Value {
    Value::Object(Obj::from_iter([("http".into(), Value::Object(http))]))
}
