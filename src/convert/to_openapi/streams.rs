//! OpenAPI 3.2 streams on the way back: a media type whose record holds
//! `itemSchema: {x-openapi-stream: <channel id>}` gets its item schema from that channel's
//! message (docs/mapping.md, "Streams"), so edits made to the stream in AsyncAPI carry over.

use serde_json::Value;

use super::channels::parent_operation;
use super::{Converter, Obj};
use crate::convert::to_asyncapi::{ITEM_SCHEMA, SSE_FIELDS, STREAM};
use crate::diagnostics::{codes, Diagnostic};
use crate::document::pointer;

impl<'a> Converter<'a> {
    /// The recorded `itemSchema` of a media type: a stream's is rebuilt from its channel;
    /// `None` when that channel is gone (warned about).
    pub(super) fn item_schema(&self, recorded: Value) -> Option<Value> {
        let Some(id) = stream_channel(&recorded) else {
            return Some(recorded);
        };
        let messages = self.stream_messages(id);
        let outer = self
            .src
            .get("channels")
            .and_then(|c| c.get(id))
            .and_then(|c| c.get(STREAM))
            .and_then(|r| r.get("itemSchema"));
        match (outer, messages.first()) {
            (Some(outer), Some(_)) => Some(self.events_back(outer, &messages)),
            (None, Some(first)) => Some(self.item_from_message(first)),
            (_, None) => {
                let at = pointer::join(["channels", id]);
                let msg = format!("the stream channel `{id}` (or its message) is not in the document: the media type it came from gets no `itemSchema`");
                let d = Diagnostic::warning(codes::LOSSY, self.file, &at, msg);
                self.late.borrow_mut().push(d);
                None
            }
        }
    }

    /// Server-Sent Events written as a `oneOf`/`anyOf` of events: each `null` branch of the
    /// recorded schema is the next message's event; messages left over are added.
    fn events_back(&self, outer: &Value, messages: &[Obj]) -> Value {
        let mut item = outer.clone();
        let mut next = messages.iter();
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = item.get_mut(key) {
                let mut out = Vec::with_capacity(branches.len());
                for b in branches.drain(..) {
                    if !b.is_null() {
                        out.push(b);
                    } else if let Some(m) = next.next() {
                        out.push(self.item_from_message(m));
                    }
                }
                out.extend(next.by_ref().map(|m| self.item_from_message(m)));
                *branches = out;
            }
        }
        item
    }

    /// The stream's messages: its operation's, else its channel's.
    fn stream_messages(&self, id: &str) -> Vec<Obj> {
        let ops = self.operations_of(id);
        if let Some((_, op)) = ops.first() {
            let listed = self.messages(op.get("messages"));
            if !listed.is_empty() {
                return listed;
            }
        }
        let channel = self.src.get("channels").and_then(|c| c.get(id));
        let all = channel
            .and_then(|c| c.get("messages"))
            .and_then(Value::as_object)
            .map(|m| Value::Array(m.values().cloned().collect()));
        self.messages(all.as_ref())
    }

    /// The item schema: the payload, or (Server-Sent Events) the recorded event schema with
    /// `data` taken from the payload and the other fields from the headers.
    fn item_from_message(&self, m: &Obj) -> Value {
        let payload = m.get("payload").map(|p| self.schema_back(p, true));
        let Some(Value::Object(skeleton)) = m.get(ITEM_SCHEMA) else {
            return payload.unwrap_or_else(|| Value::Object(Obj::new()));
        };
        let headers = m
            .get("headers")
            .and_then(|h| h.get("properties"))
            .and_then(Value::as_object);
        let mut item = skeleton.clone();
        if let Some(Value::Object(props)) = item.get_mut("properties") {
            let mut filled = Obj::with_capacity(props.len());
            for (k, v) in std::mem::take(props) {
                let native = match (k.as_str(), v.is_null()) {
                    (_, false) => Some(v),
                    ("data", true) => payload.clone(),
                    (field, true) if SSE_FIELDS.contains(&field) => headers
                        .and_then(|h| h.get(field))
                        .map(|s| self.schema_back(s, false)),
                    _ => Some(v),
                };
                if let Some(schema) = native {
                    filled.insert(k, schema);
                }
            }
            *props = filled;
        }
        Value::Object(item)
    }
}

impl Converter<'_> {
    /// A stream whose operation is not in the document (a REST operation in the default
    /// scope): its item schema goes to the media type under that operation, made (a stand-in,
    /// as for callbacks) where the document has none.
    pub(super) fn stream_of_unconverted(&mut self, id: &str, record: &Value) {
        let (Some(parent), Some(status), Some(media_type)) = (
            record
                .get("parent")
                .and_then(Value::as_str)
                .and_then(pointer::from_fragment),
            record.get("response").and_then(Value::as_str),
            record.get("mediaType").and_then(Value::as_str),
        ) else {
            return; // its operation is converted: the media type's marker names the channel
        };
        let marker = Value::Object(Obj::from_iter([(STREAM.to_string(), id.into())]));
        let Some(item) = self.item_schema(marker) else {
            return;
        };
        let dialect = self.dialect;
        let Some(op) = parent_operation(&mut self.out, &parent, dialect) else {
            let at = pointer::join(["channels", id]);
            let msg = format!("the stream's operation `{parent}` is behind a `$ref`'d Path Item: the stream is not put back (the component has it)");
            self.warn(codes::LOSSY, &at, msg);
            return;
        };
        if put_item(op, (status, media_type), item).is_none() {
            let at = pointer::join(["channels", id]);
            let msg = format!("the stream's operation `{parent}` has a `responses`, response or `content` that is not a mapping: the stream is not put back");
            self.warn(codes::LOSSY, &at, msg);
        }
    }
}

/// `responses.<status>.content.<media type>.itemSchema` of an operation, made where missing
/// (a made response gets the `description` OpenAPI requires). `None` when a part on the way
/// is not a mapping.
fn put_item(op: &mut Obj, (status, media_type): (&str, &str), item: Value) -> Option<()> {
    let responses = entry(op, "responses")?;
    let response = entry(responses, status)?;
    if !response.contains_key("description") {
        response.insert("description".into(), Value::String(String::new()));
    }
    let mt = entry(entry(response, "content")?, media_type)?;
    mt.insert("itemSchema".into(), item);
    Some(())
}

/// The mapping at `key` of `obj`, made when missing.
fn entry<'o>(obj: &'o mut Obj, key: &str) -> Option<&'o mut Obj> {
    obj.entry(key.to_string())
        .or_insert_with(|| Value::Object(Obj::new()))
        .as_object_mut()
}

/// The channel id of a stream marker `{x-openapi-stream: id}`.
fn stream_channel(recorded: &Value) -> Option<&str> {
    let m = recorded.as_object().filter(|m| m.len() == 1)?;
    m.get(STREAM)?.as_str()
}
