//! OpenAPI structure rules: what webhook and callback operations must declare, and
//! callback URLs (keys) that must parse and should not hard-code a host.

use std::collections::HashSet;

use serde_json::Value;

use super::events::Role;
use super::{rules, Sink};
use crate::convert::dialect::Dialect;
use crate::convert::runtime_expr::Template;
use crate::document::pointer;
use crate::document::refs::local::follow;

/// Where a node is used (the path through `$ref`s) and where it is defined.
#[derive(Debug, Clone)]
pub(super) struct At {
    pub(super) usage: String,
    pub(super) def: String,
}

pub(super) struct OpenApiRules<'a, 's, 'c> {
    pub(super) root: &'a Value,
    pub(super) sink: &'s mut Sink<'c>,
    /// Path items already walked in a role: shared definitions are walked once (and cycles end).
    pub(super) walked: HashSet<(String, Role)>,
}

impl<'a, 's, 'c> OpenApiRules<'a, 's, 'c> {
    pub(super) fn new(root: &'a Value, sink: &'s mut Sink<'c>) -> Self {
        OpenApiRules {
            root,
            sink,
            walked: HashSet::new(),
        }
    }

    pub(super) fn run(&mut self, dialect: Dialect) {
        let Some(root) = self.root.as_object() else {
            return;
        };
        if dialect == Dialect::Oas30 && root.contains_key("webhooks") {
            let msg = "`webhooks` needs OpenAPI 3.1: change `openapi` to 3.1.x, or rename the field to `x-webhooks` to stay on 3.0";
            self.sink
                .add(rules::WEBHOOKS_IN_30, "/webhooks", None, msg.into());
        }
        self.walk_events();
    }

    pub(super) fn operation(&mut self, role: Role, method: &str, op: &Value, at: &At) {
        let from = Some(at.usage.as_str());
        let has_security = op.get("security").is_some();
        match role {
            Role::Webhook => {
                if !is_truthy(op.get("responses")) {
                    let msg = format!("webhook operation `{method}` defines no `responses`: say which status codes the subscriber answers with (for example `2XX`), so the provider knows when delivery succeeded");
                    self.sink.add(rules::WEBHOOK_RESPONSES, &at.def, from, msg);
                }
                if !has_security {
                    self.sink.add(
                        rules::WEBHOOK_SECURITY,
                        &at.def,
                        from,
                        no_security("webhook", method),
                    );
                }
            }
            Role::Callback => {
                // QUERY (3.2) carries its query in the body.
                let needs_body = matches!(method, "post" | "put" | "patch" | "query");
                if needs_body && !is_truthy(op.get("requestBody")) {
                    let msg = format!("callback operation `{method}` defines no `requestBody`: describe the payload the subscriber receives");
                    self.sink
                        .add(rules::CALLBACK_REQUEST_BODY, &at.def, from, msg);
                }
                if !has_security {
                    self.sink.add(
                        rules::CALLBACK_SECURITY,
                        &at.def,
                        from,
                        no_security("callback", method),
                    );
                }
            }
        }
        if crate::openapi::is_v32(self.root) {
            self.streams(op, at);
        }
    }

    /// OpenAPI 3.2: each sequential media type of the request body and the responses says what
    /// one item is (`itemSchema`); `schema` alone describes the whole stream as one array.
    fn streams(&mut self, op: &Value, at: &At) {
        let mut bodies: Vec<(String, &Value)> = Vec::new();
        if let Some(body) = op.get("requestBody") {
            bodies.push((pointer::push(&at.def, "requestBody"), body));
        }
        if let Some(Value::Object(responses)) = op.get("responses") {
            for (code, r) in responses {
                bodies.push((pointer::join_to(&at.def, ["responses", code.as_str()]), r));
            }
        }
        for (place, raw) in bodies {
            let Ok(body) = follow(self.root, raw) else {
                continue;
            };
            let place = body.location(&place);
            let Some(Value::Object(content)) = body.value.get("content") else {
                continue;
            };
            for (media_type, raw) in content {
                let Ok(mt) = follow(self.root, raw) else {
                    continue;
                };
                let mt_at =
                    mt.location(&pointer::join_to(&place, ["content", media_type.as_str()]));
                if crate::openapi::is_sequential(media_type) && mt.value.get("itemSchema").is_none()
                {
                    let msg = format!("`{media_type}` is a sequential media type (a stream of items) without `itemSchema`: describe one item with `itemSchema` (`schema` describes the whole stream as one array)");
                    self.sink
                        .add(rules::STREAM_ITEM_SCHEMA, &mt_at, Some(&at.usage), msg);
                }
            }
        }
    }
}

fn no_security(what: &str, method: &str) -> String {
    format!("{what} operation `{method}` declares no `security`: declare how the receiver authenticates the call (signature header, mutual TLS or key). The root `security` covers the API's own endpoints, not calls to subscribers; write `security: []` to state that there is none")
}

/// A callback key must parse, and should take its host from the subscription.
pub(super) fn check_callback_key(sink: &mut Sink, at: &str, key: &str) {
    if let Err(e) = Template::parse(key) {
        let msg = format!("callback URL `{key}` is not a valid runtime expression: {e}");
        sink.add(rules::RUNTIME_EXPRESSION, at, None, msg);
    }
    if let Some(host) = hard_coded_host(key) {
        let msg = format!("callback URL `{key}` hard-codes the host `{host}`: take the URL from the subscription (for example `{{$request.body#/callbackUrl}}`) so each subscriber receives its own calls");
        sink.add(rules::CALLBACK_URL_HOST, at, None, msg);
    }
}

/// The literal host of an absolute URL (`https://host/...`); `None` when the host is an
/// expression (`https://{$request.body#/host}/x`) or the URL is not absolute.
pub(super) fn hard_coded_host(url: &str) -> Option<&str> {
    let rest = match url.find("://") {
        Some(i) if is_scheme(&url[..i]) => &url[i + 3..],
        _ => url.strip_prefix("//")?,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    (!host.is_empty() && !host.contains(['{', '$'])).then_some(host)
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

fn is_truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(_) => true,
    }
}
