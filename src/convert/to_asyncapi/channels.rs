//! Path Items -> channels: ids, addresses (a path template or a callback URL expression),
//! channel parameters, and the record of where each channel came from.

use serde_json::Value;

use super::input::In;
use super::records::is_reserved;
use super::{Converter, Obj, Perspective};
use crate::asyncapi::{is_extension_name, sanitize_id, Ids};
use crate::convert::dialect::Dialect;
use crate::convert::runtime_expr::{Segment, Template};
use crate::diagnostics::codes;
use crate::document::pointer;
use crate::document::refs::local::follow;
use crate::openapi;
use crate::openapi::events::{is_path_item_field, method_fields, ADDITIONAL_OPERATIONS};

/// Where a channel comes from in the OpenAPI document.
pub(super) enum Origin {
    /// `expression`: a webhook written in the shape of a callback (name -> expression -> item).
    Webhook {
        key: String,
        name: String,
        expression: Option<String>,
    },
    Callback(CallbackOrigin),
    Path {
        path: String,
    },
}

pub(super) struct CallbackOrigin {
    pub(super) parent_key: String,
    pub(super) name: String,
    pub(super) expression: String,
    pub(super) record: Obj,
}

/// The channel an operation belongs to, as the operation sees it.
pub(super) struct ChannelCtx<'v> {
    pub(super) id: String,
    /// `#/channels/<id>`, and the reference to it.
    pub(super) fragment: String,
    pub(super) reference: Value,
    pub(super) action: &'static str,
    /// A webhook's or callback's channel (not a path's): its requests may be streams.
    pub(super) event: bool,
    /// Path parameters become channel parameters only where the address holds them.
    // (path parameters are not native: channel parameters hold no schema)
    /// Query items of a callback URL, added to every operation's query schema.
    pub(super) callback_query: Obj,
    /// Path-Item-level parameters, already resolved.
    pub(super) shared_params: Vec<&'v Value>,
}

/// A Path Item made a channel: what is left for the walk.
pub(super) struct PathItemChannel<'v> {
    /// `shared_params` empty: they are resolved from `params`, which they borrow.
    pub(super) ctx: ChannelCtx<'v>,
    /// The Path Item's own `parameters`.
    pub(super) params: Option<In<'v>>,
    /// Its operations: the method fields in specification order, then `additionalOperations`
    /// (OpenAPI 3.2) in document order, each with whether it is one of those.
    pub(super) ops: Vec<((String, bool), In<'v>)>,
}

impl<'a> Converter<'a> {
    /// The channel of a Path Item (`item`, resolved; `raw`: the reference to it, if any), put
    /// in place; returns what its operations need.
    pub(super) fn channel<'v>(
        &mut self,
        origin: &Origin,
        at: &str,
        raw: Option<In<'v>>,
        mut item: In<'v>,
    ) -> PathItemChannel<'v> {
        let (base_id, action) = self.channel_base(origin);
        let id = self.channel_ids.unique(&sanitize_id(&base_id));
        let defined = match &raw {
            Some(r) => self.defined_at(r.value(), at),
            None => at.to_string(),
        };

        let mut channel = Obj::with_capacity(6);
        let mut record = Obj::new();
        if let Some(raw) = raw {
            record.insert("ref".into(), raw.into_value());
        }
        let (address, address_params, callback_query) =
            self.address(origin, at, item.value().as_object().unwrap_or(&Obj::new()));
        channel.insert("address".into(), address);
        for key in ["summary", "description"] {
            if let Some(v) = item.take(key) {
                channel.insert(key.into(), v.into_value());
            }
        }
        let params = item.take("parameters");
        if let Some(v) = &params {
            record.insert("parameters".into(), v.value().clone());
        }
        if !address_params.is_empty() {
            channel.insert("parameters".into(), Value::Object(address_params));
        }
        channel.insert("messages".into(), Value::Object(Obj::new()));
        let v32 = self.v32();
        let mut ops: Vec<((String, bool), In<'v>)> = method_fields(v32)
            .iter()
            .filter_map(|&method| {
                item.take(method)
                    .map(|op| ((method.to_string(), false), op))
            })
            .collect();
        let more = item
            .as_object()
            .is_some_and(|m| v32 && m.get(ADDITIONAL_OPERATIONS).is_some_and(Value::is_object));
        if more {
            if let Some(entries) = item.take(ADDITIONAL_OPERATIONS) {
                ops.extend(
                    entries
                        .into_entries()
                        .map(|(k, op)| ((k.into_owned(), true), op)),
                );
            }
        }
        for (key, value) in item.into_entries() {
            let known = matches!(&*key, "$ref" | "summary" | "description" | "parameters")
                || method_fields(v32).contains(&&*key)
                || (more && key == ADDITIONAL_OPERATIONS);
            if known {
                continue;
            }
            if key == ADDITIONAL_OPERATIONS && v32 {
                let msg = "`additionalOperations` is not a mapping of method names to operations: no operation is read from it; it is kept verbatim in `x-openapi-path-item` for the way back".to_string();
                let at = pointer::push(&defined, &key);
                self.warn(codes::INVALID_STRUCTURE, &at, msg);
            } else if !key.starts_with("x-") && !is_path_item_field(&key, v32) {
                // An event in a shape nobody reads would vanish quietly.
                let msg = format!("`{key}` is not a field of a Path Item (nor a method of this OpenAPI version): it is not an operation; it is kept verbatim in `x-openapi-path-item` for the way back");
                self.warn(
                    codes::UNKNOWN_PATH_ITEM_FIELD,
                    &pointer::push(&defined, &key),
                    msg,
                );
            }
            if is_extension_name(&key) && !is_reserved(&key) {
                channel.insert(key.into_owned(), value.into_value());
            } else {
                record.insert(key.into_owned(), value.into_value());
            }
        }
        self.origin_record(origin, &mut channel);
        if !record.is_empty() {
            channel.insert("x-openapi-path-item".into(), Value::Object(record));
        }
        self.channels.insert(id.clone(), Value::Object(channel));

        let fragment = id_fragment("#", &["channels", &id]);
        let reference = Value::Object(Obj::from_iter([(
            "$ref".to_string(),
            Value::String(fragment.clone()),
        )]));
        let ctx = ChannelCtx {
            id,
            fragment,
            reference,
            action,
            event: !matches!(origin, Origin::Path { .. }),
            callback_query,
            shared_params: Vec::new(),
        };
        PathItemChannel { ctx, params, ops }
    }

    /// Where a Path Item reached through `raw` (a `$ref`) is defined, for diagnostics.
    fn defined_at(&self, raw: &Value, at: &str) -> String {
        let Some(first) = openapi::ref_of(raw) else {
            return at.to_string();
        };
        let fallback = pointer::from_fragment(first).unwrap_or_else(|| at.to_string());
        openapi::lookup(self.doc, first)
            .and_then(|node| follow(self.doc, node).ok())
            .map_or_else(|| fallback.clone(), |t| t.location(&fallback))
    }

    fn channel_base(&self, origin: &Origin) -> (String, &'static str) {
        let (send, receive) = match self.options.perspective {
            Perspective::Provider => ("send", "receive"),
            Perspective::Consumer => ("receive", "send"),
        };
        match origin {
            Origin::Webhook { name, .. } => (name.clone(), send),
            Origin::Callback(cb) => (format!("{}.{}", cb.parent_key, cb.name), send),
            Origin::Path { path } => (path_id(path), receive),
        }
    }

    fn origin_record(&self, origin: &Origin, channel: &mut Obj) {
        match origin {
            Origin::Webhook {
                key,
                name,
                expression,
            } => {
                channel.insert("x-openapi-webhook".into(), Value::String(name.clone()));
                if let Some(e) = expression {
                    let e = Value::String(e.clone());
                    channel.insert("x-openapi-webhook-expression".into(), e);
                }
                let primary = if self.dialect() == Dialect::Oas30 {
                    "x-webhooks"
                } else {
                    "webhooks"
                };
                if key != primary {
                    channel.insert("x-openapi-webhook-key".into(), Value::String(key.clone()));
                }
            }
            Origin::Callback(cb) => {
                channel.insert(
                    "x-openapi-callback".into(),
                    Value::Object(cb.record.clone()),
                );
            }
            Origin::Path { path } => {
                channel.insert("x-openapi-path".into(), Value::String(path.clone()));
            }
        }
    }

    /// The channel address, its parameters, and (for callbacks) the query items of the URL.
    fn address(&mut self, origin: &Origin, at: &str, item: &Obj) -> (Value, Obj, Obj) {
        match origin {
            Origin::Webhook {
                name,
                expression: Some(e),
                ..
            } => self.expression_address(e, name, "webhook", at),
            Origin::Webhook { .. } => (Value::Null, Obj::new(), Obj::new()),
            Origin::Path { path } => {
                let params = path_template_params(path, item);
                (Value::String(path.clone()), params, Obj::new())
            }
            Origin::Callback(cb) => {
                self.expression_address(&cb.expression, &cb.name, "callback", at)
            }
        }
    }

    /// The address a callback URL expression (also of a callback-shaped webhook) gives.
    fn expression_address(
        &mut self,
        expression: &str,
        name: &str,
        what: &str,
        at: &str,
    ) -> (Value, Obj, Obj) {
        let record = match what {
            "webhook" => "x-openapi-webhook-expression",
            _ => "x-openapi-callback",
        };
        let template = match Template::parse(expression) {
            Ok(t) => t,
            Err(e) => {
                let msg = format!(
                    "invalid runtime expression `{expression}` in {what} `{name}`: {e}; the key is kept verbatim in {record} and the channel address is left unknown"
                );
                self.warn(codes::INVALID_RUNTIME_EXPRESSION, at, msg);
                return (Value::Null, Obj::new(), Obj::new());
            }
        };
        let mut names = Ids::default();
        let mut text = String::new();
        let mut params: Vec<(String, String)> = Vec::new();
        for segment in &template.segments {
            match segment {
                Segment::Literal(s) => text.push_str(s),
                Segment::Expr(e) => {
                    let name = names.unique(&e.suggested_name());
                    text.push('{');
                    text.push_str(&name);
                    text.push('}');
                    params.push((name, e.to_string()));
                }
            }
        }
        let cut = text.find(['?', '#']).unwrap_or(text.len());
        let (address, rest) = text.split_at(cut);
        let in_address = |name: &str| address.contains(&format!("{{{name}}}"));
        let mut channel_params = Obj::new();
        for (name, expr) in &params {
            if in_address(name) {
                channel_params.insert(name.clone(), expression_parameter(expr));
            }
        }
        let query = callback_query_items(rest, &params);
        let address = if address.is_empty() {
            Value::Null
        } else {
            Value::String(address.to_string())
        };
        (address, channel_params, query)
    }
}

/// `#/channels/<id>...`: the fragment of a pointer made of ids. Ids are sanitized (see
/// [`sanitize_id`]), so they need no escaping; anything else goes through `to_fragment`.
pub(super) fn id_fragment(prefix: &str, tokens: &[&str]) -> String {
    let safe = |t: &&str| {
        t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    };
    if !tokens.iter().all(safe) {
        let tail = pointer::to_fragment(&pointer::join(tokens));
        return format!("{prefix}{}", &tail[1..]);
    }
    let mut out =
        String::with_capacity(prefix.len() + tokens.iter().map(|t| t.len() + 1).sum::<usize>());
    out.push_str(prefix);
    for t in tokens {
        out.push('/');
        out.push_str(t);
    }
    out
}

/// `/pets/{id}` -> `pets_id`; `/` -> `root`.
fn path_id(path: &str) -> String {
    let words: Vec<&str> = path
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '.')
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        "root".to_string()
    } else {
        words.join("_")
    }
}

/// Channel parameters for `{name}` in a path template, from the path parameters.
pub(super) fn path_template_params(path: &str, item: &Obj) -> Obj {
    let mut out = Obj::new();
    let declared = item.get("parameters").and_then(Value::as_array);
    for name in template_names(path) {
        let mut p = Obj::new();
        let found = declared.and_then(|list| {
            list.iter().find(|p| {
                p.get("in").and_then(Value::as_str) == Some("path")
                    && p.get("name").and_then(Value::as_str) == Some(name)
            })
        });
        if let Some(d) = found.and_then(|f| f.get("description")) {
            p.insert("description".into(), d.clone());
        }
        out.insert(name.to_string(), Value::Object(p));
    }
    out
}

fn template_names(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    out
}

/// A channel parameter standing for a callback runtime expression.
fn expression_parameter(expression: &str) -> Value {
    let mut p = Obj::new();
    p.insert(
        "description".into(),
        Value::String(format!(
            "Value of the OpenAPI runtime expression `{expression}`"
        )),
    );
    p.insert(
        "x-openapi-runtime-expression".into(),
        Value::String(expression.to_string()),
    );
    Value::Object(p)
}

/// `?tx={id}&mode=fast` of a callback URL -> query schema properties, marked as coming
/// from the URL (the reverse direction skips them; the expression is authoritative).
fn callback_query_items(rest: &str, params: &[(String, String)]) -> Obj {
    let mut props = Obj::new();
    let Some(query) = rest.strip_prefix('?') else {
        return props;
    };
    let query = query.split('#').next().unwrap_or_default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let mut expanded = value.to_string();
        for (pname, expr) in params {
            expanded = expanded.replace(&format!("{{{pname}}}"), &format!("{{{expr}}}"));
        }
        let mut p = Obj::new();
        p.insert("type".into(), "string".into());
        p.insert(
            "description".into(),
            Value::String(format!("Set from the callback URL: `{expanded}`")),
        );
        p.insert("x-openapi-callback-query".into(), Value::String(expanded));
        props.insert(name.to_string(), Value::Object(p));
    }
    props
}
