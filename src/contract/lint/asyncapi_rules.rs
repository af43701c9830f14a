//! AsyncAPI structure rules: HTTP `send` operations (the AsyncAPI form of a webhook) must
//! define replies, payloads and security, and parameter locations must parse.

use serde_json::Value;

use super::openapi_rules::hard_coded_host;
use super::refs::follow;
use super::{rules, Sink};
use crate::convert::to_asyncapi::STREAM;
use crate::document::pointer;

pub(super) struct AsyncApiRules<'a, 's, 'c> {
    root: &'a Value,
    sink: &'s mut Sink<'c>,
}

impl<'a, 's, 'c> AsyncApiRules<'a, 's, 'c> {
    pub(super) fn new(root: &'a Value, sink: &'s mut Sink<'c>) -> Self {
        AsyncApiRules { root, sink }
    }

    pub(super) fn run(&mut self) {
        if let Some(Value::Object(channels)) = self.root.get("channels") {
            for (id, channel) in channels {
                let at = pointer::join(["channels", id.as_str()]);
                if let Some((channel, def)) = self.resolve(&at, channel) {
                    self.parameter_locations(&def, channel);
                }
            }
        }
        if let Some(Value::Object(ops)) = self.root.get("operations") {
            for (id, op) in ops {
                let at = pointer::join(["operations", id.as_str()]);
                if let Some((op, def)) = self.resolve(&at, op) {
                    self.operation(&def, op);
                }
            }
        }
    }

    fn resolve(&mut self, at: &str, raw: &'a Value) -> Option<(&'a Value, String)> {
        match follow(self.root, raw, at) {
            Ok(found) => Some(found),
            Err(msg) => {
                self.sink.add(rules::UNRESOLVED_REF, at, None, msg);
                None
            }
        }
    }

    fn parameter_locations(&mut self, at: &str, channel: &'a Value) {
        let Some(Value::Object(params)) = channel.get("parameters") else {
            return;
        };
        for (name, param) in params {
            let p_at = pointer::join_to(at, ["parameters", name.as_str()]);
            let Some((param, def)) = self.resolve(&p_at, param) else {
                continue;
            };
            if let Some(location) = param.get("location").and_then(Value::as_str) {
                if let Err(msg) = check_message_location(location) {
                    let msg = format!(
                        "parameter location `{location}` is not a valid runtime expression: {msg}"
                    );
                    self.sink.add(
                        rules::RUNTIME_EXPRESSION,
                        &pointer::push(&def, "location"),
                        None,
                        msg,
                    );
                }
            }
        }
    }

    fn operation(&mut self, at: &str, op: &'a Value) {
        if op.get("action").and_then(Value::as_str) != Some("send") {
            return;
        }
        let channel = op
            .get("channel")
            .and_then(|c| self.resolve(&pointer::push(at, "channel"), c));
        let messages = self.messages(at, op, channel.as_ref().map(|(c, _)| *c));
        if !self.http_bound(op, channel.as_ref().map(|(c, _)| *c), &messages) {
            return;
        }
        // Requirements AsyncAPI cannot express (`{}`, AND-ed schemes) ride in the converter's
        // `x-openapi-operation`: declared all the same.
        let kept = op
            .get("x-openapi-operation")
            .and_then(|x| x.get("security"));
        // An OpenAPI 3.2 stream's operation is part of the exchange of the operation it comes
        // from (its record names it), whose security and reply are checked there.
        let stream = channel
            .as_ref()
            .is_some_and(|(c, _)| c.get(STREAM).is_some());
        if op.get("security").is_none() && kept.is_none() && !stream {
            let msg = "HTTP `send` operation declares no `security`: declare how the receiver authenticates the call (signature header, mutual TLS or key); server security covers connections to the servers, not calls to subscribers; write `security: []` to state that there is none";
            self.sink.add(rules::SEND_SECURITY, at, None, msg.into());
        }
        if !stream {
            self.reply(at, op);
        }
        if matches!(
            http_method(op, self.root).as_str(),
            "POST" | "PUT" | "PATCH"
        ) {
            for (message, def) in &messages {
                if message.get("payload").is_none() && !streamed(message) {
                    let msg = "message of an HTTP `send` operation defines no `payload`: describe the body the subscriber receives".to_string();
                    self.sink.add(rules::SEND_PAYLOAD, def, Some(at), msg);
                }
            }
        }
        if let Some((channel, def)) = channel {
            if let Some(host) = channel
                .get("address")
                .and_then(Value::as_str)
                .and_then(hard_coded_host)
            {
                let msg = format!("channel address hard-codes the host `{host}`: take the subscriber's URL from a channel parameter so each subscriber receives its own calls");
                self.sink.add(
                    rules::CALLBACK_URL_HOST,
                    &pointer::push(&def, "address"),
                    Some(at),
                    msg,
                );
            }
        }
    }

    /// The operation's messages, else every message of its channel.
    fn messages(
        &mut self,
        at: &str,
        op: &'a Value,
        channel: Option<&'a Value>,
    ) -> Vec<(&'a Value, String)> {
        let listed: Vec<(String, &'a Value)> = match (op.get("messages"), channel) {
            (Some(Value::Array(list)), _) => list
                .iter()
                .enumerate()
                .map(|(i, m)| (pointer::join_to(at, ["messages", &i.to_string()]), m))
                .collect(),
            (_, Some(channel)) => match channel.get("messages") {
                Some(Value::Object(map)) => map
                    .iter()
                    .map(|(k, m)| (pointer::join_to(at, ["channel", "messages", k.as_str()]), m))
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        listed
            .into_iter()
            .filter_map(|(m_at, m)| self.resolve(&m_at, m))
            .collect()
    }

    fn reply(&mut self, at: &str, op: &'a Value) {
        let Some(reply) = op.get("reply") else {
            let msg = "HTTP `send` operation has no `reply`: describe the responses the subscriber answers with (reply messages with `bindings.http.statusCode`)";
            self.sink.add(rules::SEND_REPLY, at, None, msg.into());
            return;
        };
        let Some((reply, def)) = self.resolve(&pointer::push(at, "reply"), reply) else {
            return;
        };
        let own = reply
            .get("messages")
            .and_then(Value::as_array)
            .is_some_and(|m| !m.is_empty());
        let from_channel = reply
            .get("channel")
            .and_then(|c| follow(self.root, c, &def).ok())
            .and_then(|(c, _)| c.get("messages"))
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty());
        if !own && !from_channel {
            let msg = "the reply of this HTTP `send` operation has no messages: list the responses the subscriber answers with".to_string();
            self.sink.add(rules::SEND_REPLY, &def, Some(at), msg);
        }
    }

    /// HTTP bindings on the operation or a message, or only HTTP servers for the channel.
    fn http_bound(
        &self,
        op: &Value,
        channel: Option<&Value>,
        messages: &[(&Value, String)],
    ) -> bool {
        let has_http = |v: &Value| {
            v.get("bindings")
                .and_then(|b| follow(self.root, b, "").ok())
                .is_some_and(|(b, _)| b.get("http").is_some())
        };
        if has_http(op) || messages.iter().any(|(m, _)| has_http(m)) {
            return true;
        }
        let servers: Vec<&Value> = match channel.and_then(|c| c.get("servers")) {
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|s| follow(self.root, s, "").ok().map(|(s, _)| s))
                .collect(),
            _ => match self.root.get("servers") {
                Some(Value::Object(map)) => map
                    .values()
                    .filter_map(|s| follow(self.root, s, "").ok().map(|(s, _)| s))
                    .collect(),
                _ => Vec::new(),
            },
        };
        !servers.is_empty()
            && servers.iter().all(|s| {
                matches!(
                    s.get("protocol").and_then(Value::as_str),
                    Some("http" | "https")
                )
            })
    }
}

/// `bindings.http.method` of an operation, upper case; POST (the webhook default) when absent.
fn http_method(op: &Value, root: &Value) -> String {
    op.get("bindings")
        .and_then(|b| follow(root, b, "").ok())
        .and_then(|(b, _)| b.get("http"))
        .and_then(|h| h.get("method"))
        .and_then(Value::as_str)
        .unwrap_or("POST")
        .to_ascii_uppercase()
}

/// AsyncAPI runtime expression: `$message.header#/ptr` or `$message.payload#/ptr`.
pub(super) fn check_message_location(location: &str) -> Result<(), String> {
    let rest = location
        .strip_prefix("$message.header#")
        .or_else(|| location.strip_prefix("$message.payload#"))
        .ok_or("expected `$message.header#<json-pointer>` or `$message.payload#<json-pointer>`")?;
    if !rest.is_empty() && !rest.starts_with('/') {
        return Err("the JSON pointer after `#` must be empty or start with `/`".into());
    }
    let bad_tilde = rest
        .split('~')
        .skip(1)
        .any(|after| !after.starts_with(['0', '1']));
    if bad_tilde {
        return Err("`~` in a JSON pointer must be followed by `0` or `1`".into());
    }
    Ok(())
}

/// A message whose body is an OpenAPI 3.2 stream: its items, with their payload, are the
/// messages of the stream's channel (`x-openapi-media-type.itemSchema` names it).
fn streamed(message: &Value) -> bool {
    message
        .pointer("/x-openapi-media-type/itemSchema")
        .is_some_and(|i| i.get(STREAM).is_some())
}
