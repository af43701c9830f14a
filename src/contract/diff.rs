//! `diff OLD NEW`: webhook and callback changes between two OpenAPI (or two AsyncAPI)
//! documents, each classified as breaking or not **for subscribers**.
//!
//! A subscriber receives the request (payload, headers) and sends the response. So for what
//! it receives, the provider sending *more* is compatible (a new property, a property made
//! required, a narrower type) and sending *less or other* is breaking (a removed property, a
//! property no longer required, a wider type, a new enum value); for what it sends back the
//! rules are mirrored. `docs/diff.md` lists every kind of change.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::{Map, Value};

use crate::contract::lint::follow;
use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::load::Document;
use crate::document::pointer;
use crate::openapi::{self, Kind, METHODS};

/// The stable change kinds.
pub mod kinds {
    pub const EVENT_REMOVED: &str = "event-removed";
    pub const EVENT_ADDED: &str = "event-added";
    pub const CALLBACK_URL_CHANGED: &str = "callback-url-changed";
    pub const OPERATION_REMOVED: &str = "operation-removed";
    pub const OPERATION_ADDED: &str = "operation-added";
    pub const PAYLOAD_REMOVED: &str = "payload-removed";
    pub const MEDIA_TYPE_REMOVED: &str = "media-type-removed";
    pub const MEDIA_TYPE_ADDED: &str = "media-type-added";
    pub const RESPONSE_REMOVED: &str = "response-removed";
    pub const RESPONSE_ADDED: &str = "response-added";
    pub const PARAMETER_REMOVED: &str = "parameter-removed";
    pub const PARAMETER_ADDED: &str = "parameter-added";
    pub const SECURITY_REMOVED: &str = "security-removed";
    pub const SECURITY_ADDED: &str = "security-added";
    pub const PROPERTY_REMOVED: &str = "property-removed";
    pub const PROPERTY_ADDED: &str = "property-added";
    pub const REQUIRED_ADDED: &str = "required-added";
    pub const REQUIRED_REMOVED: &str = "required-removed";
    pub const TYPE_NARROWED: &str = "type-narrowed";
    pub const TYPE_WIDENED: &str = "type-widened";
    pub const TYPE_CHANGED: &str = "type-changed";
    pub const ENUM_VALUE_ADDED: &str = "enum-value-added";
    pub const ENUM_VALUE_REMOVED: &str = "enum-value-removed";
    pub const CONSTRAINT_TIGHTENED: &str = "constraint-tightened";
    pub const CONSTRAINT_LOOSENED: &str = "constraint-loosened";
}

/// One change between OLD and NEW.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// Stable kind, one of [`kinds`].
    pub kind: &'static str,
    /// Breaking for subscribers.
    pub breaking: bool,
    /// The webhook or callback (`webhook \`newPet\``).
    pub event: String,
    /// The operation (`POST`), when the change is inside one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// JSON pointer in OLD, where the changed thing is there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// JSON pointer in NEW, where the changed thing is there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    pub message: String,
}

/// Who produces the data a schema describes, seen from the subscriber.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    /// The subscriber receives it (request payload, headers, parameters).
    Receives,
    /// The subscriber sends it (responses).
    Sends,
}

/// Whether a kind of change breaks subscribers, for data flowing in `dir`.
fn is_breaking(kind: &str, dir: Dir) -> bool {
    use kinds::*;
    let receives = dir == Dir::Receives;
    match kind {
        EVENT_REMOVED | CALLBACK_URL_CHANGED | OPERATION_REMOVED | PAYLOAD_REMOVED
        | RESPONSE_REMOVED | PARAMETER_REMOVED | SECURITY_REMOVED | TYPE_CHANGED => true,
        EVENT_ADDED | OPERATION_ADDED | RESPONSE_ADDED | PARAMETER_ADDED | SECURITY_ADDED
        | PROPERTY_ADDED => false,
        MEDIA_TYPE_ADDED | REQUIRED_REMOVED | TYPE_WIDENED | ENUM_VALUE_ADDED
        | CONSTRAINT_LOOSENED | PROPERTY_REMOVED => receives,
        MEDIA_TYPE_REMOVED | REQUIRED_ADDED | TYPE_NARROWED | ENUM_VALUE_REMOVED
        | CONSTRAINT_TIGHTENED => !receives,
        _ => true,
    }
}

/// Compares the webhooks and callbacks of two documents of the same kind.
pub fn diff(old: &Document, new: &Document) -> Result<Vec<Change>, Error> {
    let old_kind = openapi::detect(&old.value, &old.name)?;
    let new_kind = openapi::detect(&new.value, &new.name)?;
    let (old_model, new_model) = match (&old_kind, &new_kind) {
        (Kind::OpenApi(_), Kind::OpenApi(_)) => {
            (openapi_model(&old.value), openapi_model(&new.value))
        }
        (Kind::AsyncApi(_), Kind::AsyncApi(_)) => {
            (asyncapi_model(&old.value), asyncapi_model(&new.value))
        }
        _ => {
            let msg = "OLD and NEW must both be OpenAPI or both be AsyncAPI documents";
            return Err(Diagnostic::error(codes::UNKNOWN_DOCUMENT, &new.name, "", msg).into());
        }
    };
    let mut differ = Differ {
        old: &old.value,
        new: &new.value,
        out: Vec::new(),
        stack: Vec::new(),
    };
    differ.models(&old_model, &new_model);
    Ok(differ.out)
}

/// True when any change breaks subscribers (`hookbridge diff` then exits 1).
pub fn has_breaking(changes: &[Change]) -> bool {
    changes.iter().any(|c| c.breaking)
}

// ----- the model both document kinds are read into ----------------------------------------------

/// A schema and where it is.
#[derive(Debug, Clone, Copy)]
struct Node<'v, 's> {
    value: &'v Value,
    at: &'s str,
}

#[derive(Debug, Default)]
struct Model<'a> {
    events: BTreeMap<String, Event<'a>>,
}

#[derive(Debug)]
struct Event<'a> {
    label: String,
    at: String,
    /// For callbacks: (parent operation and callback name, URL expression).
    callback: Option<(String, String)>,
    ops: BTreeMap<String, Op<'a>>,
}

#[derive(Debug, Default)]
struct Op<'a> {
    at: String,
    /// Media type (or message) -> payload schema; `None` schema when not described.
    request: BTreeMap<String, Owned<'a>>,
    /// `in:name` -> (required, schema).
    params: BTreeMap<String, Param<'a>>,
    /// Status code -> media type -> schema.
    responses: BTreeMap<String, (String, BTreeMap<String, Owned<'a>>)>,
    security: BTreeSet<String>,
}

/// A schema (if any) and the pointer of the object holding it.
#[derive(Debug, Clone)]
struct Owned<'a> {
    at: String,
    schema: Option<(&'a Value, String)>,
}

#[derive(Debug, Clone)]
struct Param<'a> {
    at: String,
    required: bool,
    schema: Option<(&'a Value, String)>,
}

// ----- OpenAPI -----------------------------------------------------------------------------------

fn openapi_model(root: &Value) -> Model<'_> {
    let mut reader = OpenApiReader {
        root,
        model: Model::default(),
        depth: 0,
    };
    reader.read();
    reader.model
}

struct OpenApiReader<'a> {
    root: &'a Value,
    model: Model<'a>,
    depth: usize,
}

/// Deepest nesting of callbacks (and of schemas compared) followed.
const MAX_DEPTH: usize = 32;

impl<'a> OpenApiReader<'a> {
    fn read(&mut self) {
        for key in ["webhooks", "x-webhooks"] {
            if let Some(Value::Object(hooks)) = self.root.get(key) {
                for (name, item) in hooks {
                    let at = pointer::join([key, name.as_str()]);
                    let event = Event {
                        label: format!("webhook `{name}`"),
                        at: at.clone(),
                        callback: None,
                        ops: BTreeMap::new(),
                    };
                    self.path_item(format!("webhook:{name}"), event, &at, item);
                }
            }
        }
        if let Some(Value::Object(paths)) = self.root.get("paths") {
            for (path, item) in paths.iter().filter(|(k, _)| !k.starts_with("x-")) {
                let at = pointer::join(["paths", path.as_str()]);
                let Ok((item, at)) = follow(self.root, item, &at) else {
                    continue;
                };
                for (method, op) in operations(item) {
                    let parent = format!("{} {path}", method.to_ascii_uppercase());
                    self.callbacks(&parent, &pointer::push(&at, method), op);
                }
            }
        }
    }

    fn path_item(&mut self, key: String, mut event: Event<'a>, at: &str, raw: &'a Value) {
        let Ok((item, at)) = follow(self.root, raw, at) else {
            return;
        };
        let shared = self.params(&at, item, BTreeMap::new());
        for (method, op) in operations(item) {
            let op_at = pointer::push(&at, method);
            let method = method.to_ascii_uppercase();
            event
                .ops
                .insert(method.clone(), self.operation(&op_at, op, shared.clone()));
            let parent = format!("{} {method}", event.label);
            self.callbacks(&parent, &op_at, op);
        }
        self.model.events.entry(key).or_insert(event);
    }

    fn callbacks(&mut self, parent: &str, op_at: &str, op: &'a Value) {
        let Some(Value::Object(callbacks)) = op.get("callbacks") else {
            return;
        };
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        for (name, raw) in callbacks {
            let at = pointer::join_to(op_at, ["callbacks", name.as_str()]);
            let Ok((callback, at)) = follow(self.root, raw, &at) else {
                continue;
            };
            let Some(callback) = callback.as_object() else {
                continue;
            };
            for (expr, item) in callback.iter().filter(|(k, _)| !k.starts_with("x-")) {
                let item_at = pointer::push(&at, expr);
                let event = Event {
                    label: format!("callback `{name}` ({expr}) of {parent}"),
                    at: item_at.clone(),
                    callback: Some((format!("{parent} {name}"), expr.clone())),
                    ops: BTreeMap::new(),
                };
                self.path_item(
                    format!("callback:{parent}:{name}:{expr}"),
                    event,
                    &item_at,
                    item,
                );
            }
        }
        self.depth -= 1;
    }

    fn operation(&self, at: &str, op: &'a Value, shared: BTreeMap<String, Param<'a>>) -> Op<'a> {
        let mut out = Op {
            at: at.to_string(),
            params: self.params(at, op, shared),
            security: security_names(op.get("security")),
            ..Op::default()
        };
        if let Some(body) = op.get("requestBody") {
            let body_at = pointer::push(at, "requestBody");
            if let Ok((body, body_at)) = follow(self.root, body, &body_at) {
                out.request = self.content(&body_at, body);
            }
        }
        if let Some(Value::Object(responses)) = op.get("responses") {
            for (code, response) in responses.iter().filter(|(k, _)| !k.starts_with("x-")) {
                let r_at = pointer::join_to(at, ["responses", code.as_str()]);
                if let Ok((response, r_at)) = follow(self.root, response, &r_at) {
                    let content = self.content(&r_at, response);
                    out.responses.insert(code.clone(), (r_at, content));
                }
            }
        }
        out
    }

    fn content(&self, at: &str, owner: &'a Value) -> BTreeMap<String, Owned<'a>> {
        let mut out = BTreeMap::new();
        if let Some(Value::Object(content)) = owner.get("content") {
            for (media, mt) in content {
                let mt_at = pointer::join_to(at, ["content", media.as_str()]);
                let schema = mt
                    .get("schema")
                    .map(|s| (s, pointer::push(&mt_at, "schema")));
                out.insert(media.to_ascii_lowercase(), Owned { at: mt_at, schema });
            }
        }
        out
    }

    /// Parameters of `owner` over `inherited` (an operation's override its path item's).
    fn params(
        &self,
        at: &str,
        owner: &'a Value,
        mut inherited: BTreeMap<String, Param<'a>>,
    ) -> BTreeMap<String, Param<'a>> {
        let Some(Value::Array(list)) = owner.get("parameters") else {
            return inherited;
        };
        for (i, p) in list.iter().enumerate() {
            let p_at = pointer::join_to(at, ["parameters", &i.to_string()]);
            let Ok((p, p_at)) = follow(self.root, p, &p_at) else {
                continue;
            };
            let (Some(name), Some(loc)) = (
                p.get("name").and_then(Value::as_str),
                p.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let name = if loc == "header" {
                name.to_ascii_lowercase()
            } else {
                name.to_string()
            };
            let param = Param {
                required: p.get("required") == Some(&Value::Bool(true)),
                schema: p.get("schema").map(|s| (s, pointer::push(&p_at, "schema"))),
                at: p_at,
            };
            inherited.insert(format!("{loc} `{name}`"), param);
        }
        inherited
    }
}

fn operations(item: &Value) -> impl Iterator<Item = (&'static str, &Value)> {
    METHODS
        .iter()
        .filter_map(move |m| item.get(*m).filter(|op| op.is_object()).map(|op| (*m, op)))
}

/// The scheme names of a Security Requirement list (OpenAPI) or of AsyncAPI security refs.
fn security_names(security: Option<&Value>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for req in security.and_then(Value::as_array).into_iter().flatten() {
        match req {
            Value::Object(m) if m.contains_key("$ref") => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                    names.insert(r.rsplit('/').next().unwrap_or(r).to_string());
                }
            }
            Value::Object(m) if m.contains_key("type") => {
                names.extend(m.get("type").and_then(Value::as_str).map(str::to_string));
            }
            Value::Object(m) => names.extend(m.keys().cloned()),
            _ => {}
        }
    }
    names
}

// ----- AsyncAPI ----------------------------------------------------------------------------------

fn asyncapi_model(root: &Value) -> Model<'_> {
    let mut model = Model::default();
    let Some(Value::Object(ops)) = root.get("operations") else {
        return model;
    };
    for (id, raw) in ops {
        let at = pointer::join(["operations", id.as_str()]);
        let Ok((op, at)) = follow(root, raw, &at) else {
            continue;
        };
        if op.get("action").and_then(Value::as_str) != Some("send") {
            continue;
        }
        let channel_ref = op.get("channel").and_then(openapi::ref_of).unwrap_or("");
        let channel_id = channel_ref.rsplit('/').next().unwrap_or(id).to_string();
        let method = op
            .pointer("/bindings/http/method")
            .and_then(Value::as_str)
            .map_or_else(|| id.clone(), str::to_ascii_uppercase);
        let event = model
            .events
            .entry(format!("channel:{channel_id}"))
            .or_insert_with(|| Event {
                label: format!("channel `{channel_id}`"),
                at: pointer::from_fragment(channel_ref).unwrap_or_default(),
                callback: None,
                ops: BTreeMap::new(),
            });
        event.ops.insert(method, asyncapi_op(root, &at, op));
    }
    model
}

fn asyncapi_op<'a>(root: &'a Value, at: &str, op: &'a Value) -> Op<'a> {
    let mut out = Op {
        at: at.to_string(),
        security: security_names(op.get("security")),
        ..Op::default()
    };
    for (id, m_at, message) in asyncapi_messages(root, op.get("messages"), at) {
        out.request
            .insert(format!("message `{id}`"), payload(&m_at, message));
        if let Some(h) = message.get("headers") {
            let schema = Some((h, pointer::push(&m_at, "headers")));
            out.params.insert(
                format!("headers of message `{id}`"),
                Param {
                    at: m_at.clone(),
                    required: true,
                    schema,
                },
            );
        }
    }
    if let Some(Ok((reply, r_at))) = op
        .get("reply")
        .map(|r| follow(root, r, &pointer::push(at, "reply")))
    {
        for (id, m_at, message) in asyncapi_messages(root, reply.get("messages"), &r_at) {
            let status = message.pointer("/bindings/http/statusCode").map_or_else(
                || id.clone(),
                |s| s.as_str().map_or_else(|| s.to_string(), str::to_string),
            );
            let mut content = BTreeMap::new();
            content.insert(format!("message `{id}`"), payload(&m_at, message));
            out.responses.insert(status, (m_at, content));
        }
    }
    out
}

fn asyncapi_messages<'a>(
    root: &'a Value,
    list: Option<&'a Value>,
    at: &str,
) -> Vec<(String, String, &'a Value)> {
    let mut out = Vec::new();
    for (i, m) in list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let m_at = pointer::join_to(at, ["messages", &i.to_string()]);
        let id = openapi::ref_of(m)
            .and_then(|r| r.rsplit('/').next())
            .map_or_else(|| i.to_string(), str::to_string);
        if let Ok((message, m_at)) = follow(root, m, &m_at) {
            out.push((pointer::unescape(&id), m_at, message));
        }
    }
    out
}

/// A message's payload schema (inside a Multi Format Schema Object when there is one).
fn payload<'a>(at: &str, message: &'a Value) -> Owned<'a> {
    let schema = message.get("payload").map(|p| match p.get("schema") {
        Some(inner) if p.get("schemaFormat").is_some() => {
            (inner, pointer::join_to(at, ["payload", "schema"]))
        }
        _ => (p, pointer::push(at, "payload")),
    });
    Owned {
        at: at.to_string(),
        schema,
    }
}

// ----- comparing ---------------------------------------------------------------------------------

struct Differ<'o, 'n> {
    old: &'o Value,
    new: &'n Value,
    out: Vec<Change>,
    /// Schema pairs being compared, outermost first: a recursive schema stops here.
    stack: Vec<(String, String)>,
}

/// Where in an event a change is: the event, the operation and the place within it.
#[derive(Clone)]
struct Ctx {
    event: String,
    operation: Option<String>,
    place: String,
}

impl<'o, 'n> Differ<'o, 'n> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: &'static str,
        dir: Dir,
        ctx: &Ctx,
        old: Option<&str>,
        new: Option<&str>,
        what: String,
    ) {
        let message = if ctx.place.is_empty() {
            what
        } else {
            format!("{what} in {}", ctx.place)
        };
        self.out.push(Change {
            kind,
            breaking: is_breaking(kind, dir),
            event: ctx.event.clone(),
            operation: ctx.operation.clone(),
            old: old.map(str::to_string),
            new: new.map(str::to_string),
            message,
        });
    }

    fn models(&mut self, old: &Model<'o>, new: &Model<'n>) {
        let renamed = url_changes(old, new);
        for (key, o) in &old.events {
            let ctx = Ctx {
                event: o.label.clone(),
                operation: None,
                place: String::new(),
            };
            match (new.events.get(key), renamed.get(key.as_str())) {
                (Some(n), _) => self.event(o, n),
                (None, Some(new_key)) => {
                    let n = &new.events[*new_key];
                    let (old_url, new_url) = (url_of(o), url_of(n));
                    let what = format!("the callback URL changed from `{old_url}` to `{new_url}`");
                    self.push(
                        kinds::CALLBACK_URL_CHANGED,
                        Dir::Receives,
                        &ctx,
                        Some(&o.at),
                        Some(&n.at),
                        what,
                    );
                    self.event(o, n);
                }
                (None, None) => {
                    self.push(
                        kinds::EVENT_REMOVED,
                        Dir::Receives,
                        &ctx,
                        Some(&o.at),
                        None,
                        format!("{} was removed", o.label),
                    );
                }
            }
        }
        let renamed_to: HashSet<&str> = renamed.values().copied().collect();
        let added = new
            .events
            .iter()
            .filter(|(k, _)| !old.events.contains_key(*k) && !renamed_to.contains(k.as_str()));
        for (_, n) in added {
            let ctx = Ctx {
                event: n.label.clone(),
                operation: None,
                place: String::new(),
            };
            self.push(
                kinds::EVENT_ADDED,
                Dir::Receives,
                &ctx,
                None,
                Some(&n.at),
                format!("{} was added", n.label),
            );
        }
    }

    fn event(&mut self, o: &Event<'o>, n: &Event<'n>) {
        for (method, o_op) in &o.ops {
            let ctx = Ctx {
                event: n.label.clone(),
                operation: Some(method.clone()),
                place: String::new(),
            };
            match n.ops.get(method) {
                Some(n_op) => self.operation(&ctx, o_op, n_op),
                None => self.push(
                    kinds::OPERATION_REMOVED,
                    Dir::Receives,
                    &ctx,
                    Some(&o_op.at),
                    None,
                    format!("operation `{method}` was removed"),
                ),
            }
        }
        for (method, n_op) in n.ops.iter().filter(|(m, _)| !o.ops.contains_key(*m)) {
            let ctx = Ctx {
                event: n.label.clone(),
                operation: Some(method.clone()),
                place: String::new(),
            };
            self.push(
                kinds::OPERATION_ADDED,
                Dir::Receives,
                &ctx,
                None,
                Some(&n_op.at),
                format!("operation `{method}` was added"),
            );
        }
    }

    fn operation(&mut self, ctx: &Ctx, o: &Op<'o>, n: &Op<'n>) {
        if !o.request.is_empty() && n.request.is_empty() {
            self.push(
                kinds::PAYLOAD_REMOVED,
                Dir::Receives,
                ctx,
                Some(&o.at),
                Some(&n.at),
                "the request body was removed".into(),
            );
        } else {
            self.contents(ctx, "request body", Dir::Receives, &o.request, &n.request);
        }
        self.params(ctx, &o.params, &n.params);
        self.responses(ctx, o, n);
        self.security(ctx, o, n);
    }

    fn responses(&mut self, ctx: &Ctx, o: &Op<'o>, n: &Op<'n>) {
        for (code, (o_at, o_content)) in &o.responses {
            let Some((_, n_content)) = n.responses.get(code) else {
                let what = format!("response `{code}` was removed: subscribers answering with it are no longer understood as documented");
                self.push(
                    kinds::RESPONSE_REMOVED,
                    Dir::Sends,
                    ctx,
                    Some(o_at),
                    None,
                    what,
                );
                continue;
            };
            self.contents(
                ctx,
                &format!("response `{code}`"),
                Dir::Sends,
                o_content,
                n_content,
            );
        }
        for (code, (n_at, _)) in n
            .responses
            .iter()
            .filter(|(c, _)| !o.responses.contains_key(*c))
        {
            self.push(
                kinds::RESPONSE_ADDED,
                Dir::Sends,
                ctx,
                None,
                Some(n_at),
                format!("response `{code}` was added"),
            );
        }
    }

    fn security(&mut self, ctx: &Ctx, o: &Op<'o>, n: &Op<'n>) {
        for name in o.security.difference(&n.security) {
            self.push(kinds::SECURITY_REMOVED, Dir::Receives, ctx, Some(&o.at), Some(&n.at), format!("security scheme `{name}` was removed: subscribers verifying it will reject the calls"));
        }
        for name in n.security.difference(&o.security) {
            self.push(
                kinds::SECURITY_ADDED,
                Dir::Receives,
                ctx,
                Some(&o.at),
                Some(&n.at),
                format!("security scheme `{name}` was added"),
            );
        }
    }

    fn contents(
        &mut self,
        ctx: &Ctx,
        place: &str,
        dir: Dir,
        o: &BTreeMap<String, Owned<'o>>,
        n: &BTreeMap<String, Owned<'n>>,
    ) {
        for (media, o_mt) in o {
            let ctx = Ctx {
                place: format!("{place} `{media}`"),
                ..ctx.clone()
            };
            match n.get(media) {
                Some(n_mt) => {
                    if let (Some((os, oa)), Some((ns, na))) = (&o_mt.schema, &n_mt.schema) {
                        self.schema(
                            &ctx,
                            dir,
                            Node { value: os, at: oa },
                            Node { value: ns, at: na },
                            "",
                            0,
                        );
                    }
                }
                None => self.push(
                    kinds::MEDIA_TYPE_REMOVED,
                    dir,
                    &ctx,
                    Some(&o_mt.at),
                    None,
                    format!("`{media}` was removed"),
                ),
            }
        }
        for (media, n_mt) in n.iter().filter(|(m, _)| !o.contains_key(*m)) {
            let ctx = Ctx {
                place: format!("{place} `{media}`"),
                ..ctx.clone()
            };
            self.push(
                kinds::MEDIA_TYPE_ADDED,
                dir,
                &ctx,
                None,
                Some(&n_mt.at),
                format!("`{media}` was added"),
            );
        }
    }

    fn params(
        &mut self,
        ctx: &Ctx,
        o: &BTreeMap<String, Param<'o>>,
        n: &BTreeMap<String, Param<'n>>,
    ) {
        for (name, op) in o {
            let pctx = Ctx {
                place: name.clone(),
                ..ctx.clone()
            };
            let Some(np) = n.get(name) else {
                self.push(
                    kinds::PARAMETER_REMOVED,
                    Dir::Receives,
                    ctx,
                    Some(&op.at),
                    None,
                    format!("{name} was removed"),
                );
                continue;
            };
            if op.required && !np.required {
                self.push(
                    kinds::REQUIRED_REMOVED,
                    Dir::Receives,
                    ctx,
                    Some(&op.at),
                    Some(&np.at),
                    format!("{name} is no longer required"),
                );
            }
            if let (Some((os, oa)), Some((ns, na))) = (&op.schema, &np.schema) {
                self.schema(
                    &pctx,
                    Dir::Receives,
                    Node { value: os, at: oa },
                    Node { value: ns, at: na },
                    "",
                    0,
                );
            }
        }
        for (name, np) in n.iter().filter(|(k, _)| !o.contains_key(*k)) {
            self.push(
                kinds::PARAMETER_ADDED,
                Dir::Receives,
                ctx,
                None,
                Some(&np.at),
                format!("{name} was added"),
            );
        }
    }

    /// Compares two schemas; `field` is the dotted path of the property being compared.
    fn schema(
        &mut self,
        ctx: &Ctx,
        dir: Dir,
        o: Node<'o, '_>,
        n: Node<'n, '_>,
        field: &str,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let (Ok((ov, oa)), Ok((nv, na))) = (
            follow(self.old, o.value, o.at),
            follow(self.new, n.value, n.at),
        ) else {
            return;
        };
        let pair = (oa.clone(), na.clone());
        if self.stack.contains(&pair) {
            return;
        }
        self.stack.push(pair);
        let (o, n) = (Flat::of(self.old, ov, &oa), Flat::of(self.new, nv, &na));
        let here = Sites {
            field,
            old: &oa,
            new: &na,
        };
        self.types(ctx, dir, &here, &o, &n);
        self.enums(ctx, dir, &here, &o, &n);
        self.bounds(ctx, dir, &here, &o, &n);
        self.properties(ctx, dir, &here, &o, &n, depth);
        if let (Some(oi), Some(ni)) = (o.items, n.items) {
            let sub = format!("{field}[]");
            self.schema(
                ctx,
                dir,
                Node {
                    value: oi.0,
                    at: &oi.1,
                },
                Node {
                    value: ni.0,
                    at: &ni.1,
                },
                &sub,
                depth + 1,
            );
        }
        self.stack.pop();
    }

    fn types(&mut self, ctx: &Ctx, dir: Dir, s: &Sites, o: &Flat<'o>, n: &Flat<'n>) {
        let kind = match (&o.types, &n.types) {
            (a, b) if a == b => return,
            (None, Some(_)) => kinds::TYPE_NARROWED,
            (Some(_), None) => kinds::TYPE_WIDENED,
            (Some(a), Some(b)) if types_within(b, a) => kinds::TYPE_NARROWED,
            (Some(a), Some(b)) if types_within(a, b) => kinds::TYPE_WIDENED,
            _ => kinds::TYPE_CHANGED,
        };
        let what = format!(
            "the type of {} changed from {} to {}",
            s.name(),
            show_types(&o.types),
            show_types(&n.types)
        );
        self.push(kind, dir, ctx, Some(s.old), Some(s.new), what);
    }

    fn enums(&mut self, ctx: &Ctx, dir: Dir, s: &Sites, o: &Flat<'o>, n: &Flat<'n>) {
        let (Some(oe), Some(ne)) = (&o.enumeration, &n.enumeration) else {
            if o.enumeration.is_some() != n.enumeration.is_some() {
                let (kind, what) = match &n.enumeration {
                    Some(_) => (
                        kinds::CONSTRAINT_TIGHTENED,
                        format!("{} is now limited to an enum", s.name()),
                    ),
                    None => (
                        kinds::CONSTRAINT_LOOSENED,
                        format!("{} is no longer limited to an enum", s.name()),
                    ),
                };
                self.push(kind, dir, ctx, Some(s.old), Some(s.new), what);
            }
            return;
        };
        for v in ne.difference(oe) {
            let what = format!("enum value {v} was added to {}: subscribers that switch on it meet an unknown value", s.name());
            self.push(
                kinds::ENUM_VALUE_ADDED,
                dir,
                ctx,
                Some(s.old),
                Some(s.new),
                what,
            );
        }
        for v in oe.difference(ne) {
            self.push(
                kinds::ENUM_VALUE_REMOVED,
                dir,
                ctx,
                Some(s.old),
                Some(s.new),
                format!("enum value {v} was removed from {}", s.name()),
            );
        }
    }

    fn bounds(&mut self, ctx: &Ctx, dir: Dir, s: &Sites, o: &Flat<'o>, n: &Flat<'n>) {
        for (keyword, lower) in BOUNDS {
            let (ob, nb) = (bound(o.node, keyword), bound(n.node, keyword));
            let tighter = match (ob, nb) {
                (None, None) => continue,
                (Some(a), Some(b)) if a == b => continue,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => {
                    if lower {
                        b > a
                    } else {
                        b < a
                    }
                }
            };
            let kind = if tighter {
                kinds::CONSTRAINT_TIGHTENED
            } else {
                kinds::CONSTRAINT_LOOSENED
            };
            let what = format!(
                "`{keyword}` of {} changed from {} to {}",
                s.name(),
                show_bound(ob),
                show_bound(nb)
            );
            self.push(kind, dir, ctx, Some(s.old), Some(s.new), what);
        }
        for keyword in ["pattern", "format"] {
            let (a, b) = (o.node.get(keyword), n.node.get(keyword));
            if a != b {
                let kind = if b.is_some() {
                    kinds::CONSTRAINT_TIGHTENED
                } else {
                    kinds::CONSTRAINT_LOOSENED
                };
                let what = format!(
                    "`{keyword}` of {} changed from {} to {}",
                    s.name(),
                    show(a),
                    show(b)
                );
                self.push(kind, dir, ctx, Some(s.old), Some(s.new), what);
            }
        }
    }

    fn properties(
        &mut self,
        ctx: &Ctx,
        dir: Dir,
        s: &Sites,
        o: &Flat<'o>,
        n: &Flat<'n>,
        depth: usize,
    ) {
        for (name, (ov, oa)) in &o.properties {
            let field = join_field(s.field, name);
            let Some((nv, na)) = n.properties.get(name) else {
                let what = format!("property `{field}` was removed");
                let kind = kinds::PROPERTY_REMOVED;
                // Sending it to a schema that now forbids unknown properties fails.
                let closed = dir == Dir::Sends && n.closed;
                self.push_forced(kind, dir, closed, ctx, Some(oa), None, what);
                continue;
            };
            if o.required.contains(name) && !n.required.contains(name) {
                self.push(
                    kinds::REQUIRED_REMOVED,
                    dir,
                    ctx,
                    Some(oa),
                    Some(na),
                    format!("property `{field}` is no longer required"),
                );
            }
            if !o.required.contains(name) && n.required.contains(name) {
                self.push(
                    kinds::REQUIRED_ADDED,
                    dir,
                    ctx,
                    Some(oa),
                    Some(na),
                    format!("property `{field}` is now required"),
                );
            }
            self.schema(
                ctx,
                dir,
                Node { value: ov, at: oa },
                Node { value: nv, at: na },
                &field,
                depth + 1,
            );
        }
        self.added_properties(ctx, dir, s, o, n);
    }

    fn added_properties(&mut self, ctx: &Ctx, dir: Dir, s: &Sites, o: &Flat<'o>, n: &Flat<'n>) {
        for (name, (_, na)) in n
            .properties
            .iter()
            .filter(|(k, _)| !o.properties.contains_key(*k))
        {
            let field = join_field(s.field, name);
            if n.required.contains(name) {
                self.push(
                    kinds::REQUIRED_ADDED,
                    dir,
                    ctx,
                    None,
                    Some(na),
                    format!("required property `{field}` was added"),
                );
            } else {
                // A receiver promised "no other properties" may reject the new one.
                let closed = dir == Dir::Receives && o.closed;
                self.push_forced(
                    kinds::PROPERTY_ADDED,
                    dir,
                    closed,
                    ctx,
                    None,
                    Some(na),
                    format!("property `{field}` was added"),
                );
            }
        }
    }

    /// `push`, breaking also when `force`.
    #[allow(clippy::too_many_arguments)]
    fn push_forced(
        &mut self,
        kind: &'static str,
        dir: Dir,
        force: bool,
        ctx: &Ctx,
        old: Option<&str>,
        new: Option<&str>,
        what: String,
    ) {
        self.push(kind, dir, ctx, old, new, what);
        if let Some(last) = self.out.last_mut() {
            last.breaking |= force;
        }
    }
}

/// Callback events whose URL expression alone changed: same parent and callback name, one
/// expression removed and one added. Old key -> new key.
fn url_changes<'m>(old: &'m Model, new: &'m Model) -> BTreeMap<&'m str, &'m str> {
    let only = |a: &'m Model, b: &Model| -> BTreeMap<&'m str, Vec<&'m str>> {
        let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (key, e) in a.events.iter().filter(|(k, _)| !b.events.contains_key(*k)) {
            if let Some((name, _)) = &e.callback {
                by_name.entry(name.as_str()).or_default().push(key.as_str());
            }
        }
        by_name
    };
    let (removed, added) = (only(old, new), only(new, old));
    let mut out = BTreeMap::new();
    for (name, keys) in &removed {
        if let (1, Some(new_keys)) = (keys.len(), added.get(name)) {
            if new_keys.len() == 1 {
                out.insert(keys[0], new_keys[0]);
            }
        }
    }
    out
}

fn url_of(e: &Event) -> String {
    e.callback
        .as_ref()
        .map(|(_, u)| u.clone())
        .unwrap_or_default()
}

/// Pointers of the schemas compared and the field they describe.
struct Sites<'s> {
    field: &'s str,
    old: &'s str,
    new: &'s str,
}

impl Sites<'_> {
    fn name(&self) -> String {
        if self.field.is_empty() {
            "the payload".to_string()
        } else {
            format!("`{}`", self.field)
        }
    }
}

fn join_field(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

/// A schema with its `allOf` branches merged: what a payload must look like.
struct Flat<'a> {
    node: &'a Map<String, Value>,
    types: Option<BTreeSet<String>>,
    enumeration: Option<BTreeSet<String>>,
    properties: BTreeMap<String, (&'a Value, String)>,
    required: BTreeSet<String>,
    items: Option<(&'a Value, String)>,
    /// `additionalProperties: false`.
    closed: bool,
}

static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();

impl<'a> Flat<'a> {
    fn of(root: &'a Value, schema: &'a Value, at: &str) -> Flat<'a> {
        let node = schema
            .as_object()
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new));
        let mut flat = Flat {
            node,
            types: type_set(node),
            enumeration: enum_set(node),
            properties: BTreeMap::new(),
            required: BTreeSet::new(),
            items: node
                .get("items")
                .filter(|i| i.is_object())
                .map(|i| (i, pointer::push(at, "items"))),
            closed: node.get("additionalProperties") == Some(&Value::Bool(false)),
        };
        flat.merge(root, node, at, 0);
        flat
    }

    fn merge(&mut self, root: &'a Value, node: &'a Map<String, Value>, at: &str, depth: usize) {
        if let Some(Value::Object(props)) = node.get("properties") {
            for (name, p) in props {
                let p_at = pointer::join_to(at, ["properties", name.as_str()]);
                self.properties.entry(name.clone()).or_insert((p, p_at));
            }
        }
        if let Some(Value::Array(required)) = node.get("required") {
            self.required.extend(
                required
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string),
            );
        }
        let Some(Value::Array(all)) = node.get("allOf") else {
            return;
        };
        if depth > MAX_DEPTH {
            return;
        }
        for (i, branch) in all.iter().enumerate() {
            let b_at = pointer::join_to(at, ["allOf", &i.to_string()]);
            let Ok((branch, b_at)) = follow(root, branch, &b_at) else {
                continue;
            };
            let Some(branch) = branch.as_object() else {
                continue;
            };
            if self.types.is_none() {
                self.types = type_set(branch);
            }
            if self.enumeration.is_none() {
                self.enumeration = enum_set(branch);
            }
            self.merge(root, branch, &b_at, depth + 1);
        }
    }
}

/// `type` as a set, `null` added for OpenAPI 3.0 `nullable: true`; `None` means any type.
fn type_set(node: &Map<String, Value>) -> Option<BTreeSet<String>> {
    let mut set: BTreeSet<String> = match node.get("type")? {
        Value::String(t) => BTreeSet::from([t.clone()]),
        Value::Array(list) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => return None,
    };
    if node.get("nullable") == Some(&Value::Bool(true)) {
        set.insert("null".to_string());
    }
    Some(set)
}

fn enum_set(node: &Map<String, Value>) -> Option<BTreeSet<String>> {
    if let Some(c) = node.get("const") {
        return Some(BTreeSet::from([c.to_string()]));
    }
    let list = node.get("enum")?.as_array()?;
    Some(list.iter().map(Value::to_string).collect())
}

/// Every type of `inner` is allowed by `outer` (`integer` is a `number`).
fn types_within(inner: &BTreeSet<String>, outer: &BTreeSet<String>) -> bool {
    inner
        .iter()
        .all(|t| outer.contains(t) || (t == "integer" && outer.contains("number")))
}

fn show_types(t: &Option<BTreeSet<String>>) -> String {
    match t {
        None => "any".to_string(),
        Some(set) => set.iter().cloned().collect::<Vec<_>>().join(" | "),
    }
}

/// Numeric keywords and whether they are lower bounds (raising them tightens).
const BOUNDS: [(&str, bool); 10] = [
    ("minimum", true),
    ("exclusiveMinimum", true),
    ("minLength", true),
    ("minItems", true),
    ("minProperties", true),
    ("maximum", false),
    ("exclusiveMaximum", false),
    ("maxLength", false),
    ("maxItems", false),
    ("maxProperties", false),
];

/// A numeric bound; OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` are not.
fn bound(node: &Map<String, Value>, keyword: &str) -> Option<f64> {
    node.get(keyword).and_then(Value::as_f64)
}

fn show_bound(b: Option<f64>) -> String {
    b.map_or_else(|| "none".to_string(), |v| v.to_string())
}

fn show(v: Option<&Value>) -> String {
    v.map_or_else(|| "none".to_string(), Value::to_string)
}

// ----- output ------------------------------------------------------------------------------------

/// Output formats of `hookbridge diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Markdown,
    Json,
}

pub fn render(changes: &[Change], format: OutputFormat) -> String {
    match format {
        OutputFormat::Markdown => render_markdown(changes),
        OutputFormat::Json => render_json(changes),
    }
}

/// A changelog section: breaking changes first, each line naming the event and operation.
pub fn render_markdown(changes: &[Change]) -> String {
    let mut out = String::from("## Webhook and callback changes\n\n");
    if changes.is_empty() {
        out.push_str("No changes to webhooks or callbacks.\n");
        return out;
    }
    for (title, breaking) in [
        ("Breaking changes for subscribers", true),
        ("Other changes", false),
    ] {
        let list: Vec<&Change> = changes.iter().filter(|c| c.breaking == breaking).collect();
        if list.is_empty() {
            continue;
        }
        out.push_str(&format!("### {title}\n\n"));
        for c in list {
            let op = c
                .operation
                .as_deref()
                .map(|m| format!(" `{m}`"))
                .unwrap_or_default();
            out.push_str(&format!(
                "- **{}**{op}: {} (`{}`)\n",
                c.event, c.message, c.kind
            ));
        }
        out.push('\n');
    }
    out
}

/// `{"changes": [...], "breaking": n, "total": n}`.
pub fn render_json(changes: &[Change]) -> String {
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let doc =
        serde_json::json!({ "changes": changes, "breaking": breaking, "total": changes.len() });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaking_is_mirrored_for_what_subscribers_send() {
        for kind in [
            kinds::REQUIRED_ADDED,
            kinds::TYPE_NARROWED,
            kinds::ENUM_VALUE_REMOVED,
            kinds::CONSTRAINT_TIGHTENED,
            kinds::MEDIA_TYPE_REMOVED,
        ] {
            assert!(!is_breaking(kind, Dir::Receives), "{kind}");
            assert!(is_breaking(kind, Dir::Sends), "{kind}");
        }
        for kind in [
            kinds::PROPERTY_REMOVED,
            kinds::REQUIRED_REMOVED,
            kinds::TYPE_WIDENED,
            kinds::ENUM_VALUE_ADDED,
            kinds::CONSTRAINT_LOOSENED,
            kinds::MEDIA_TYPE_ADDED,
        ] {
            assert!(is_breaking(kind, Dir::Receives), "{kind}");
            assert!(!is_breaking(kind, Dir::Sends), "{kind}");
        }
        let ints = BTreeSet::from(["integer".to_string()]);
        let nums = BTreeSet::from(["number".to_string(), "null".to_string()]);
        assert!(types_within(&ints, &nums) && !types_within(&nums, &ints));
    }

    fn doc(text: &str) -> Document {
        crate::document::load::parse_str(text, "t.yaml", &Default::default()).unwrap()
    }

    fn hook(schema: &str) -> Document {
        doc(&format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx-webhooks:\n  e:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {schema}\n      responses: {{'200': {{description: ok}}}}\n"
        ))
    }

    fn kinds_of(old: &str, new: &str) -> Vec<(&'static str, bool)> {
        let changes = diff(&hook(old), &hook(new)).unwrap();
        changes.iter().map(|c| (c.kind, c.breaking)).collect()
    }

    #[test]
    fn closed_schemas_and_the_30_dialect() {
        // A receiver promised "no other properties" may reject a new one.
        let closed = "{type: object, additionalProperties: false, properties: {a: {type: string}}}";
        let opened = "{type: object, additionalProperties: false, properties: {a: {type: string}, b: {type: string}}}";
        assert_eq!(kinds_of(closed, opened), [(kinds::PROPERTY_ADDED, true)]);
        // OpenAPI 3.0 `nullable` widens the type.
        let plain = "{type: object, properties: {a: {type: string}}}";
        let nullable = "{type: object, properties: {a: {type: string, nullable: true}}}";
        assert_eq!(kinds_of(plain, nullable), [(kinds::TYPE_WIDENED, true)]);
        // allOf branches are merged before comparing.
        let all_of = "{allOf: [{type: object, properties: {a: {type: string}}}, {required: [a]}]}";
        assert_eq!(kinds_of(plain, all_of), [(kinds::REQUIRED_ADDED, false)]);
    }

    #[test]
    fn recursive_schemas_end() {
        let tree = |extra: &str| {
            format!("{{$ref: '#/components/schemas/Node'}}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        left: {{$ref: '#/components/schemas/Node'}}\n        right: {{$ref: '#/components/schemas/Node'}}{extra}")
        };
        let old = hook(&tree(""));
        let new = hook(&tree("\n        label: {type: string}"));
        let changes = diff(&old, &new).unwrap();
        assert_eq!(changes.len(), 1, "{changes:#?}");
        assert_eq!(changes[0].kind, kinds::PROPERTY_ADDED);
    }
}
