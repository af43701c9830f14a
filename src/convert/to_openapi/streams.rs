//! OpenAPI 3.2 streams on the way back: a media type whose record holds
//! `itemSchema: {x-openapi-stream: <channel id>}` gets its item schema from that channel's
//! message (docs/mapping.md, "Streams"), so edits made to the stream in AsyncAPI carry over.

use serde_json::Value;

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
        match self.stream_message(id) {
            Some(m) => Some(self.item_from_message(&m)),
            None => {
                let at = pointer::join(["channels", id]);
                let msg = format!("the stream channel `{id}` (or its message) is not in the document: the media type it came from gets no `itemSchema`");
                let d = Diagnostic::warning(codes::LOSSY, self.file, &at, msg);
                self.late.borrow_mut().push(d);
                None
            }
        }
    }

    /// The stream's message: the first of its operation's, else the first of its channel.
    fn stream_message(&self, id: &str) -> Option<Obj> {
        let ops = self.operations_of(id);
        if let Some((_, op)) = ops.first() {
            if let Some(m) = self.messages(op.get("messages")).into_iter().next() {
                return Some(m);
            }
        }
        let channel = self.src.get("channels")?.get(id)?;
        let first = channel.get("messages")?.as_object()?.values().next()?;
        let list = Value::Array(vec![first.clone()]);
        self.messages(Some(&list)).into_iter().next()
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

/// The channel id of a stream marker `{x-openapi-stream: id}`.
fn stream_channel(recorded: &Value) -> Option<&str> {
    let m = recorded.as_object().filter(|m| m.len() == 1)?;
    m.get(STREAM)?.as_str()
}
