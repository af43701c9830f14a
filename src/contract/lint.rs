//! Lint: the rules that keep webhook and callback contracts honest, for OpenAPI 3.0/3.1 and
//! AsyncAPI 3.0 documents.
//!
//! Every finding has a stable rule id ([`rules`]), a severity, the file and a JSON pointer to
//! the object to fix. Operations reached through `$ref` are reported where they are defined,
//! once, with the first path that reached them in `reached_from`. A `.hookbridge.yaml`
//! ([`LintConfig`]) sets a rule to `off`, `warn` or `error`. `docs/lint.md` explains each rule.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::Path;

use jsonschema::{Draft, Registry, Validator};
use serde_json::{json, Map, Value};

use crate::convert::dialect::{self, Dialect};
use crate::convert::runtime_expr::Template;
use crate::diagnostics::{Diagnostic, Error, Severity};
use crate::document::load::{Document, Limits};
use crate::document::pointer;
use crate::openapi::{self, Kind, METHODS};

/// The stable rule ids.
pub mod rules {
    pub const WEBHOOK_RESPONSES: &str = "webhook-responses";
    pub const WEBHOOK_SECURITY: &str = "webhook-security";
    pub const CALLBACK_REQUEST_BODY: &str = "callback-request-body";
    pub const CALLBACK_SECURITY: &str = "callback-security";
    pub const WEBHOOKS_IN_30: &str = crate::diagnostics::codes::WEBHOOKS_IN_30;
    pub const RUNTIME_EXPRESSION: &str = crate::diagnostics::codes::INVALID_RUNTIME_EXPRESSION;
    pub const CALLBACK_URL_HOST: &str = "callback-url-host";
    pub const EXAMPLE_VALID: &str = "example-valid";
    pub const EXAMPLE_FORMAT: &str = "example-format";
    pub const EXAMPLE_UNCHECKED: &str = "example-unchecked";
    pub const UNRESOLVED_REF: &str = crate::diagnostics::codes::UNRESOLVED_REF;
    pub const SEND_REPLY: &str = "send-reply";
    pub const SEND_PAYLOAD: &str = "send-payload";
    pub const SEND_SECURITY: &str = "send-security";
}

/// How a rule is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    Warn,
    Error,
}

impl Level {
    fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Warn => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }

    fn parse(text: &str) -> Option<Level> {
        match text {
            "off" => Some(Level::Off),
            "warn" | "warning" => Some(Level::Warn),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

/// One rule: its id, default level and a one-line description (SARIF `shortDescription`).
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    pub id: &'static str,
    pub level: Level,
    pub summary: &'static str,
}

/// Every rule, in documentation order.
pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        id: rules::WEBHOOK_RESPONSES,
        level: Level::Error,
        summary: "Webhook operations must define responses.",
    },
    RuleInfo {
        id: rules::WEBHOOK_SECURITY,
        level: Level::Error,
        summary: "Webhook operations must declare their own security (signature, mTLS or key).",
    },
    RuleInfo {
        id: rules::CALLBACK_REQUEST_BODY,
        level: Level::Error,
        summary: "Callback operations (post, put, patch) must define a request body.",
    },
    RuleInfo {
        id: rules::CALLBACK_SECURITY,
        level: Level::Error,
        summary: "Callback operations must declare their own security (signature, mTLS or key).",
    },
    RuleInfo {
        id: rules::WEBHOOKS_IN_30,
        level: Level::Error,
        summary: "`webhooks` needs OpenAPI 3.1; OpenAPI 3.0 documents use `x-webhooks`.",
    },
    RuleInfo {
        id: rules::RUNTIME_EXPRESSION,
        level: Level::Error,
        summary: "Runtime expressions (callback keys, AsyncAPI parameter locations) must parse.",
    },
    RuleInfo {
        id: rules::CALLBACK_URL_HOST,
        level: Level::Warn,
        summary: "Callback URLs should not hard-code a host.",
    },
    RuleInfo {
        id: rules::EXAMPLE_VALID,
        level: Level::Error,
        summary: "Every example validates against its schema.",
    },
    RuleInfo {
        id: rules::EXAMPLE_FORMAT,
        level: Level::Warn,
        summary: "Examples match the `format` of their schema (date-time, uri, email, ...).",
    },
    RuleInfo {
        id: rules::EXAMPLE_UNCHECKED,
        level: Level::Warn,
        summary: "A schema with examples could not be compiled, so its examples were not checked.",
    },
    RuleInfo {
        id: rules::UNRESOLVED_REF,
        level: Level::Error,
        summary: "A `$ref` to a webhook, callback, operation or message resolves.",
    },
    RuleInfo {
        id: rules::SEND_REPLY,
        level: Level::Error,
        summary: "HTTP `send` operations (AsyncAPI) must define reply messages.",
    },
    RuleInfo {
        id: rules::SEND_PAYLOAD,
        level: Level::Error,
        summary:
            "Messages of HTTP POST/PUT/PATCH `send` operations (AsyncAPI) must define a payload.",
    },
    RuleInfo {
        id: rules::SEND_SECURITY,
        level: Level::Error,
        summary: "HTTP `send` operations (AsyncAPI) must declare their own security.",
    },
];

fn rule_info(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}

/// Rule levels set by a `.hookbridge.yaml` (`rules: {rule-id: off|warn|error}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintConfig {
    levels: BTreeMap<&'static str, Level>,
}

/// The configuration file `hookbridge lint` reads from the working directory by default.
pub const CONFIG_FILE: &str = ".hookbridge.yaml";

impl LintConfig {
    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<LintConfig, Error> {
        let doc = crate::document::load::load_path(path, &Limits::default())?;
        LintConfig::from_value(&doc.value, &doc.name)
    }

    /// Parses configuration text (YAML or JSON).
    pub fn from_text(text: &str, name: &str) -> Result<LintConfig, Error> {
        let doc = crate::document::load::parse_str(text, name, &Limits::default())?;
        LintConfig::from_value(&doc.value, name)
    }

    /// Reads the `rules` mapping; other top-level keys are left to other commands.
    pub fn from_value(value: &Value, name: &str) -> Result<LintConfig, Error> {
        let mut config = LintConfig::default();
        let Some(rules) = value.get("rules") else {
            return Ok(config);
        };
        let Some(rules) = rules.as_object() else {
            return Err(config_error(
                name,
                "/rules",
                "`rules` must be a mapping of rule ids to off, warn or error".into(),
            ));
        };
        for (id, level) in rules {
            let at = pointer::join(["rules", id.as_str()]);
            let Some(info) = rule_info(id) else {
                let known: Vec<&str> = RULES.iter().map(|r| r.id).collect();
                let msg = format!("unknown rule `{id}`; the rules are: {}", known.join(", "));
                return Err(config_error(name, &at, msg));
            };
            let level = level.as_str().and_then(Level::parse).ok_or_else(|| {
                config_error(
                    name,
                    &at,
                    format!("the level of `{id}` must be off, warn or error"),
                )
            })?;
            config.levels.insert(info.id, level);
        }
        Ok(config)
    }

    /// Sets one rule's level (unknown ids are ignored).
    pub fn set(&mut self, id: &str, level: Level) {
        if let Some(info) = rule_info(id) {
            self.levels.insert(info.id, level);
        }
    }

    /// The level in force for a rule.
    pub fn level(&self, id: &str) -> Level {
        match self.levels.get(id) {
            Some(level) => *level,
            None => rule_info(id).map_or(Level::Error, |r| r.level),
        }
    }
}

fn config_error(name: &str, at: &str, msg: String) -> Error {
    Diagnostic::error("invalid-config", name, at, msg).into()
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Stable rule id, one of [`rules`].
    pub rule: &'static str,
    pub severity: Severity,
    pub file: String,
    /// JSON Pointer to the object to fix (where it is defined, after `$ref`s).
    pub pointer: String,
    /// The path that reached `pointer` through `$ref`s, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reached_from: Option<String>,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{severity}[{}] {}#{}: {}",
            self.rule, self.file, self.pointer, self.message
        )?;
        if let Some(from) = &self.reached_from {
            write!(f, " (reached from #{from})")?;
        }
        Ok(())
    }
}

/// True when a finding has severity error: `hookbridge lint` then exits 1.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// Lints a file, bundled first (`refs::bundle`, as `convert` reads its input), so findings in
/// a multi-file specification point into the bundled tree.
pub fn lint_path(
    path: &Path,
    config: &LintConfig,
    options: &crate::document::refs::BundleOptions,
) -> Result<Vec<Finding>, Error> {
    let bundled = crate::document::refs::bundle(path, options)?;
    lint_document(&bundled.document, config)
}

/// Lints a loaded document (local `$ref`s only: bundle multi-file specifications first).
pub fn lint_document(doc: &Document, config: &LintConfig) -> Result<Vec<Finding>, Error> {
    let kind = openapi::detect(&doc.value, &doc.name)?;
    let mut sink = Sink::new(&doc.name, config);
    let flavor = match &kind {
        Kind::OpenApi(version) => {
            OpenApiRules::new(&doc.value, &mut sink).run(version.dialect);
            match version.dialect {
                Dialect::Oas30 => Flavor::Oas30,
                Dialect::Oas31 => Flavor::Oas31,
            }
        }
        Kind::AsyncApi(_) => {
            AsyncApiRules::new(&doc.value, &mut sink).run();
            Flavor::AsyncApi
        }
    };
    let examples = [rules::EXAMPLE_VALID, rules::EXAMPLE_FORMAT];
    if examples.iter().any(|r| config.level(r) != Level::Off) {
        check_examples(&doc.value, flavor, &mut sink);
    }
    Ok(sink.out)
}

/// Collects findings: applies the configured levels and keeps one per (rule, pointer).
struct Sink<'c> {
    file: String,
    config: &'c LintConfig,
    seen: HashSet<(&'static str, String)>,
    out: Vec<Finding>,
}

impl<'c> Sink<'c> {
    fn new(file: &str, config: &'c LintConfig) -> Self {
        Sink {
            file: file.to_string(),
            config,
            seen: HashSet::new(),
            out: Vec::new(),
        }
    }

    fn add(&mut self, rule: &'static str, at: &str, from: Option<&str>, message: String) {
        let Some(severity) = self.config.level(rule).severity() else {
            return;
        };
        if !self.seen.insert((rule, at.to_string())) {
            return;
        }
        self.out.push(Finding {
            rule,
            severity,
            file: self.file.clone(),
            pointer: at.to_string(),
            reached_from: from.filter(|f| *f != at).map(str::to_string),
            message,
        });
    }
}

// ----- `$ref`s ------------------------------------------------------------------------------

/// Longest `$ref` chain followed; longer chains are cycles in practice.
const MAX_REF_HOPS: usize = 64;

/// Follows local `$ref`s from `value` (found at `at`): the target and where it is defined.
pub(crate) fn follow<'a>(
    root: &'a Value,
    value: &'a Value,
    at: &str,
) -> Result<(&'a Value, String), String> {
    let (mut current, mut location) = (value, at.to_string());
    for _ in 0..MAX_REF_HOPS {
        let Some(reference) = openapi::ref_of(current) else {
            return Ok((current, location));
        };
        let target = pointer::from_fragment(reference).zip(openapi::lookup(root, reference));
        let Some((ptr, node)) = target else {
            return Err(unresolved_message(reference));
        };
        (current, location) = (node, ptr);
    }
    Err(format!(
        "the `$ref` chain from here is a cycle or longer than {MAX_REF_HOPS} references"
    ))
}

fn unresolved_message(reference: &str) -> String {
    if reference.starts_with('#') {
        format!("`$ref` target `{reference}` does not exist in this document")
    } else {
        format!("`$ref` `{reference}` points to another file: lint the file that references it, so hookbridge bundles it")
    }
}

fn is_truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(_) => true,
    }
}

// ----- OpenAPI structure rules -----------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    Webhook,
    Callback,
}

/// Where a node is used (the path through `$ref`s) and where it is defined.
#[derive(Debug, Clone)]
struct At {
    usage: String,
    def: String,
}

impl At {
    fn same(p: String) -> At {
        At {
            usage: p.clone(),
            def: p,
        }
    }

    fn push(&self, token: &str) -> At {
        At {
            usage: pointer::push(&self.usage, token),
            def: pointer::push(&self.def, token),
        }
    }
}

struct OpenApiRules<'a, 's, 'c> {
    root: &'a Value,
    sink: &'s mut Sink<'c>,
    /// Path items already walked in a role: shared definitions are walked once (and cycles end).
    walked: HashSet<(String, Role)>,
}

impl<'a, 's, 'c> OpenApiRules<'a, 's, 'c> {
    fn new(root: &'a Value, sink: &'s mut Sink<'c>) -> Self {
        OpenApiRules {
            root,
            sink,
            walked: HashSet::new(),
        }
    }

    fn run(&mut self, dialect: Dialect) {
        let Some(root) = self.root.as_object() else {
            return;
        };
        if dialect == Dialect::Oas30 && root.contains_key("webhooks") {
            let msg = "`webhooks` needs OpenAPI 3.1: change `openapi` to 3.1.x, or rename the field to `x-webhooks` to stay on 3.0";
            self.sink
                .add(rules::WEBHOOKS_IN_30, "/webhooks", None, msg.into());
        }
        for key in ["webhooks", "x-webhooks"] {
            if let Some(Value::Object(hooks)) = root.get(key) {
                for (name, item) in hooks {
                    let at = At::same(pointer::join([key, name.as_str()]));
                    self.path_item(Role::Webhook, &at, item);
                }
            }
        }
        if let Some(Value::Object(paths)) = root.get("paths") {
            for (path, item) in paths.iter().filter(|(k, _)| !k.starts_with("x-")) {
                let at = At::same(pointer::join(["paths", path.as_str()]));
                self.path_callbacks(&at, item);
            }
        }
        let callbacks = root.get("components").and_then(|c| c.get("callbacks"));
        if let Some(Value::Object(callbacks)) = callbacks {
            for (name, callback) in callbacks {
                let at = At::same(pointer::join(["components", "callbacks", name.as_str()]));
                self.callback(&at, callback);
            }
        }
    }

    fn resolve(&mut self, at: &At, raw: &'a Value) -> Option<(&'a Value, At)> {
        match follow(self.root, raw, &at.def) {
            Ok((node, def)) => Some((
                node,
                At {
                    usage: at.usage.clone(),
                    def,
                },
            )),
            Err(msg) => {
                self.sink
                    .add(rules::UNRESOLVED_REF, &at.def, Some(&at.usage), msg);
                None
            }
        }
    }

    /// An ordinary path: only the callbacks of its operations concern us.
    fn path_callbacks(&mut self, at: &At, raw: &'a Value) {
        let Some((item, at)) = self.resolve(at, raw) else {
            return;
        };
        for (method, op) in operations(item) {
            self.callbacks_of(&at.push(method), op);
        }
    }

    fn path_item(&mut self, role: Role, at: &At, raw: &'a Value) {
        let Some((item, at)) = self.resolve(at, raw) else {
            return;
        };
        if !self.walked.insert((at.def.clone(), role)) {
            return;
        }
        for (method, op) in operations(item) {
            let op_at = at.push(method);
            self.operation(role, method, op, &op_at);
            self.callbacks_of(&op_at, op);
        }
    }

    fn callbacks_of(&mut self, op_at: &At, op: &'a Value) {
        if let Some(Value::Object(callbacks)) = op.get("callbacks") {
            for (name, callback) in callbacks {
                self.callback(&op_at.push("callbacks").push(name), callback);
            }
        }
    }

    fn callback(&mut self, at: &At, raw: &'a Value) {
        let Some((callback, at)) = self.resolve(at, raw) else {
            return;
        };
        let Some(callback) = callback.as_object() else {
            return;
        };
        for (expression, item) in callback.iter().filter(|(k, _)| !k.starts_with("x-")) {
            let item_at = at.push(expression);
            check_callback_key(self.sink, &item_at.def, expression);
            self.path_item(Role::Callback, &item_at, item);
        }
    }

    fn operation(&mut self, role: Role, method: &str, op: &Value, at: &At) {
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
                let needs_body = matches!(method, "post" | "put" | "patch");
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
    }
}

fn no_security(what: &str, method: &str) -> String {
    format!("{what} operation `{method}` declares no `security`: declare how the receiver authenticates the call (signature header, mutual TLS or key). The root `security` covers the API's own endpoints, not calls to subscribers; write `security: []` to state that there is none")
}

/// The operations of a Path Item, in specification order.
fn operations(item: &Value) -> impl Iterator<Item = (&'static str, &Value)> {
    METHODS
        .iter()
        .filter_map(move |m| item.get(*m).filter(|op| op.is_object()).map(|op| (*m, op)))
}

/// A callback key must parse, and should take its host from the subscription.
fn check_callback_key(sink: &mut Sink, at: &str, key: &str) {
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
fn hard_coded_host(url: &str) -> Option<&str> {
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

// ----- AsyncAPI structure rules ----------------------------------------------------------------

struct AsyncApiRules<'a, 's, 'c> {
    root: &'a Value,
    sink: &'s mut Sink<'c>,
}

impl<'a, 's, 'c> AsyncApiRules<'a, 's, 'c> {
    fn new(root: &'a Value, sink: &'s mut Sink<'c>) -> Self {
        AsyncApiRules { root, sink }
    }

    fn run(&mut self) {
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
        if op.get("security").is_none() && kept.is_none() {
            let msg = "HTTP `send` operation declares no `security`: declare how the receiver authenticates the call (signature header, mutual TLS or key); server security covers connections to the servers, not calls to subscribers; write `security: []` to state that there is none";
            self.sink.add(rules::SEND_SECURITY, at, None, msg.into());
        }
        self.reply(at, op);
        if matches!(
            http_method(op, self.root).as_str(),
            "POST" | "PUT" | "PATCH"
        ) {
            for (message, def) in &messages {
                if message.get("payload").is_none() {
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
fn check_message_location(location: &str) -> Result<(), String> {
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

// ----- examples ------------------------------------------------------------------------------

/// The schema dialect of the schemas being walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    /// OpenAPI 3.0: `example` only; validated as draft-07 after `dialect::to_asyncapi`.
    Oas30,
    /// OpenAPI 3.1: `example` and `examples` (array); JSON Schema 2020-12.
    Oas31,
    /// AsyncAPI Schema Object: `examples` (array); draft-07.
    AsyncApi,
}

/// Where an example travels: `readOnly` properties are not required in requests, nor
/// `writeOnly` ones in responses (OpenAPI 3.0.3, 4.7.25.1; the common reading for 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Context {
    Neutral,
    Request,
    Response,
}

/// One example and the schema it must match (both JSON pointers into the document).
struct Site<'a> {
    at: String,
    schema: String,
    value: &'a Value,
    /// The components example the value came from, when it was a `$ref`.
    via: Option<String>,
    context: Context,
    /// A parameter or header value: text on the wire, so `123` and `"123"` are the same.
    wire_text: bool,
}

/// Finds every example and the schema it belongs to, and the schema subtrees written in the
/// OpenAPI 3.0 dialect (converted before validation).
struct ExampleWalk<'a> {
    root: &'a Value,
    flavor: Flavor,
    context: Context,
    wire_text: bool,
    sites: Vec<Site<'a>>,
    oas30_roots: Vec<String>,
}

impl<'a> ExampleWalk<'a> {
    fn new(root: &'a Value, flavor: Flavor) -> Self {
        ExampleWalk {
            root,
            flavor,
            context: Context::Neutral,
            wire_text: false,
            sites: Vec::new(),
            oas30_roots: Vec::new(),
        }
    }

    fn site(&mut self, at: String, schema: &str, value: &'a Value, via: Option<String>) {
        self.sites.push(Site {
            at,
            schema: schema.to_string(),
            value,
            via,
            context: self.context,
            wire_text: self.wire_text,
        });
    }

    /// Walks with a context set, restoring the previous one afterwards.
    fn within(&mut self, context: Context, f: impl FnOnce(&mut Self)) {
        let saved = self.context;
        self.context = context;
        f(self);
        self.context = saved;
    }

    fn openapi(&mut self) {
        let Some(root) = self.root.as_object() else {
            return;
        };
        if let Some(Value::Object(paths)) = root.get("paths") {
            for (path, item) in paths.iter().filter(|(k, _)| !k.starts_with("x-")) {
                self.path_item(&pointer::join(["paths", path.as_str()]), item);
            }
        }
        for key in ["webhooks", "x-webhooks"] {
            if let Some(Value::Object(hooks)) = root.get(key) {
                for (name, item) in hooks {
                    self.path_item(&pointer::join([key, name.as_str()]), item);
                }
            }
        }
        if let Some(Value::Object(components)) = root.get("components") {
            self.components(components);
        }
    }

    fn components(&mut self, components: &'a Map<String, Value>) {
        for (section, entries) in components {
            let Value::Object(entries) = entries else {
                continue;
            };
            for (name, v) in entries {
                let at = pointer::join(["components", section.as_str(), name.as_str()]);
                match section.as_str() {
                    "schemas" => self.schema_root(&at, v, self.flavor),
                    "parameters" => self.within(Context::Request, |w| w.parameter(&at, v)),
                    "headers" => self.within(Context::Response, |w| w.parameter(&at, v)),
                    "requestBodies" => self.within(Context::Request, |w| w.content_of(&at, v)),
                    "responses" => self.within(Context::Response, |w| w.response(&at, v)),
                    "callbacks" => self.callback(&at, v),
                    "pathItems" => self.path_item(&at, v),
                    _ => {}
                }
            }
        }
    }

    fn path_item(&mut self, at: &str, item: &'a Value) {
        if openapi::ref_of(item).is_some() {
            return;
        }
        self.within(Context::Request, |w| w.parameters(at, item));
        for (method, op) in operations(item) {
            let op_at = pointer::push(at, method);
            self.operation(&op_at, op);
        }
    }

    fn operation(&mut self, at: &str, op: &'a Value) {
        self.within(Context::Request, |w| {
            w.parameters(at, op);
            if let Some(body) = op.get("requestBody") {
                w.content_of(&pointer::push(at, "requestBody"), body);
            }
        });
        if let Some(Value::Object(responses)) = op.get("responses") {
            for (code, response) in responses {
                let r_at = pointer::join_to(at, ["responses", code.as_str()]);
                self.within(Context::Response, |w| w.response(&r_at, response));
            }
        }
        if let Some(Value::Object(callbacks)) = op.get("callbacks") {
            for (name, callback) in callbacks {
                self.callback(
                    &pointer::join_to(at, ["callbacks", name.as_str()]),
                    callback,
                );
            }
        }
    }

    fn parameters(&mut self, at: &str, owner: &'a Value) {
        if let Some(Value::Array(list)) = owner.get("parameters") {
            for (i, p) in list.iter().enumerate() {
                self.parameter(&pointer::join_to(at, ["parameters", &i.to_string()]), p);
            }
        }
    }

    fn callback(&mut self, at: &str, callback: &'a Value) {
        let Some(callback) = callback.as_object().filter(|c| !c.contains_key("$ref")) else {
            return;
        };
        for (expression, item) in callback.iter().filter(|(k, _)| !k.starts_with("x-")) {
            self.path_item(&pointer::push(at, expression), item);
        }
    }

    fn response(&mut self, at: &str, response: &'a Value) {
        if openapi::ref_of(response).is_some() {
            return;
        }
        if let Some(Value::Object(headers)) = response.get("headers") {
            for (name, header) in headers {
                self.parameter(&pointer::join_to(at, ["headers", name.as_str()]), header);
            }
        }
        self.content_of(at, response);
    }

    /// Parameter and Header Objects: `schema` with `example`/`examples`, or `content`.
    fn parameter(&mut self, at: &str, param: &'a Value) {
        if openapi::ref_of(param).is_some() {
            return;
        }
        if let Some(schema) = param.get("schema") {
            let schema_at = pointer::push(at, "schema");
            self.schema_root(&schema_at, schema, self.flavor);
            self.wire_text = true;
            self.examples_of(at, param, &schema_at, false);
            self.wire_text = false;
        }
        self.content_of(at, param);
    }

    fn content_of(&mut self, at: &str, owner: &'a Value) {
        if openapi::ref_of(owner).is_some() {
            return;
        }
        let Some(Value::Object(content)) = owner.get("content") else {
            return;
        };
        for (media_type, mt) in content {
            let mt_at = pointer::join_to(at, ["content", media_type.as_str()]);
            if let Some(schema) = mt.get("schema") {
                let schema_at = pointer::push(&mt_at, "schema");
                self.schema_root(&schema_at, schema, self.flavor);
                self.examples_of(&mt_at, mt, &schema_at, !is_json_like(media_type));
            }
        }
    }

    /// `example` and the Example Objects of `examples` of a media type, parameter or header.
    /// With `serialized`, string examples are the serialized form (XML, CSV, ...): not checked.
    fn examples_of(&mut self, at: &str, owner: &'a Value, schema_at: &str, serialized: bool) {
        let skip = |v: &Value| serialized && v.is_string();
        if let Some(example) = owner.get("example").filter(|v| !skip(v)) {
            self.site(pointer::push(at, "example"), schema_at, example, None);
        }
        let Some(Value::Object(examples)) = owner.get("examples") else {
            return;
        };
        for (name, example) in examples {
            let ex_at = pointer::join_to(at, ["examples", name.as_str()]);
            let Ok((example, def)) = follow(self.root, example, &ex_at) else {
                continue;
            };
            let Some(value) = example.get("value").filter(|v| !skip(v)) else {
                continue;
            };
            if def == ex_at {
                self.site(pointer::push(&ex_at, "value"), schema_at, value, None);
            } else {
                self.site(ex_at, schema_at, value, Some(def));
            }
        }
    }

    fn schema_root(&mut self, at: &str, schema: &'a Value, flavor: Flavor) {
        if flavor == Flavor::Oas30 {
            self.oas30_roots.push(at.to_string());
        }
        let (saved, wire) = (self.context, self.wire_text);
        (self.context, self.wire_text) = (Context::Neutral, false);
        self.schema_examples(at, schema, flavor, 0);
        (self.context, self.wire_text) = (saved, wire);
    }

    /// `example` / `examples` on a schema and its subschemas.
    fn schema_examples(&mut self, at: &str, schema: &'a Value, flavor: Flavor, depth: usize) {
        let Value::Object(map) = schema else {
            return;
        };
        if depth > MAX_SCHEMA_DEPTH {
            return;
        }
        if flavor != Flavor::AsyncApi {
            if let Some(example) = map.get("example") {
                self.site(pointer::push(at, "example"), at, example, None);
            }
        }
        if flavor != Flavor::Oas30 {
            if let Some(Value::Array(examples)) = map.get("examples") {
                for (i, example) in examples.iter().enumerate() {
                    let ex_at = pointer::join_to(at, ["examples", &i.to_string()]);
                    self.site(ex_at, at, example, None);
                }
            }
        }
        for (key, sub) in map {
            for (sub_at, sub) in subschemas(at, key, sub) {
                self.schema_examples(&sub_at, sub, flavor, depth + 1);
            }
        }
    }

    fn asyncapi(&mut self) {
        let components = self.root.get("components");
        if let Some(Value::Object(schemas)) = components.and_then(|c| c.get("schemas")) {
            for (name, schema) in schemas {
                let at = pointer::join(["components", "schemas", name.as_str()]);
                self.asyncapi_schema(&at, schema);
            }
        }
        let mut messages: Vec<(String, &'a Value)> = Vec::new();
        if let Some(Value::Object(channels)) = self.root.get("channels") {
            for (id, channel) in channels {
                if let Some(Value::Object(map)) = channel.get("messages") {
                    for (name, m) in map {
                        let at =
                            pointer::join(["channels", id.as_str(), "messages", name.as_str()]);
                        messages.push((at, m));
                    }
                }
            }
        }
        if let Some(Value::Object(map)) = components.and_then(|c| c.get("messages")) {
            for (name, m) in map {
                messages.push((pointer::join(["components", "messages", name.as_str()]), m));
            }
        }
        for (at, message) in messages {
            self.message(&at, message);
        }
    }

    /// A schema position that may hold a Multi Format Schema Object; returns where the
    /// schema itself is, when it is in a dialect we validate.
    fn asyncapi_schema(&mut self, at: &str, schema: &'a Value) -> Option<String> {
        let (schema_at, flavor) = self.schema_slot(at, schema)?;
        let inner = self.root.pointer(&schema_at)?;
        self.schema_root(&schema_at, inner, flavor);
        Some(schema_at)
    }

    fn message(&mut self, at: &str, message: &'a Value) {
        if openapi::ref_of(message).is_some() {
            return;
        }
        let mut slots = Vec::new();
        for part in ["payload", "headers"] {
            if let Some(schema) = message.get(part) {
                if let Some(schema_at) = self.asyncapi_schema(&pointer::push(at, part), schema) {
                    slots.push((part, schema_at));
                }
            }
        }
        let Some(Value::Array(examples)) = message.get("examples") else {
            return;
        };
        for (i, example) in examples.iter().enumerate() {
            for (part, schema_at) in &slots {
                if let Some(value) = example.get(*part) {
                    let ex_at = pointer::join_to(at, ["examples", &i.to_string(), part]);
                    self.site(ex_at, schema_at, value, None);
                }
            }
        }
    }

    /// Where the schema of an AsyncAPI payload or headers sits and in which dialect, or
    /// `None` for formats we do not validate (Avro, Protobuf, RAML, OpenAPI 3.1).
    fn schema_slot(&self, at: &str, schema: &Value) -> Option<(String, Flavor)> {
        let format = schema.get("schemaFormat").and_then(Value::as_str);
        let (Some(format), Some(_)) = (format, schema.get("schema")) else {
            return Some((at.to_string(), Flavor::AsyncApi));
        };
        let schema_at = pointer::push(at, "schema");
        let base = format.split(';').next().unwrap_or("").trim();
        let version = format.split_once("version=").map(|(_, v)| v.trim());
        let flavor = match base {
            "application/vnd.aai.asyncapi"
            | "application/vnd.aai.asyncapi+json"
            | "application/vnd.aai.asyncapi+yaml" => Flavor::AsyncApi,
            "application/schema+json" | "application/schema+yaml"
                if version.is_none_or(|v| v.starts_with("draft-07")) =>
            {
                Flavor::AsyncApi
            }
            "application/vnd.oai.openapi"
            | "application/vnd.oai.openapi+json"
            | "application/vnd.oai.openapi+yaml"
                if version.is_none_or(|v| v.starts_with("3.0")) =>
            {
                Flavor::Oas30
            }
            _ => return None,
        };
        Some((schema_at, flavor))
    }
}

const MAX_SCHEMA_DEPTH: usize = 128;

/// JSON media types (`application/json`, `*/*+json`, `*/*`), whose examples are JSON values.
fn is_json_like(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let Some((kind, sub)) = essence.split_once('/') else {
        return false;
    };
    sub == "json" || sub.ends_with("+json") || sub == "*" && (kind == "*" || kind == "application")
}

/// The subschemas directly under one keyword of a schema (data keywords have none).
fn subschemas<'v>(at: &str, key: &str, value: &'v Value) -> Vec<(String, &'v Value)> {
    match (key, value) {
        (
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas",
            Value::Object(map),
        ) => map
            .iter()
            .map(|(name, s)| (pointer::join_to(at, [key, name.as_str()]), s))
            .collect(),
        ("items" | "prefixItems" | "allOf" | "anyOf" | "oneOf", Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(i, s)| (pointer::join_to(at, [key, &i.to_string()]), s))
            .collect(),
        (
            "items"
            | "additionalProperties"
            | "additionalItems"
            | "not"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "contentSchema",
            Value::Object(_),
        ) => vec![(pointer::push(at, key), value)],
        _ => Vec::new(),
    }
}

/// Validation errors listed per example.
const MAX_ERRORS: usize = 3;

fn base_uri(context: Context) -> &'static str {
    match context {
        Context::Neutral => "urn:hookbridge:document",
        Context::Request => "urn:hookbridge:request",
        Context::Response => "urn:hookbridge:response",
    }
}

fn check_examples(root: &Value, flavor: Flavor, sink: &mut Sink) {
    let mut walk = ExampleWalk::new(root, flavor);
    match flavor {
        Flavor::AsyncApi => walk.asyncapi(),
        _ => walk.openapi(),
    }
    if walk.sites.is_empty() {
        return;
    }
    let converted = convert_oas30(root, &walk.oas30_roots);
    let neutral = converted.as_ref().unwrap_or(root);
    let request = without_required(neutral, "readOnly");
    let response = without_required(neutral, "writeOnly");
    let draft = draft_of(root, flavor);
    let mut trees = vec![(Context::Neutral, neutral)];
    trees.extend(request.as_ref().map(|t| (Context::Request, t)));
    trees.extend(response.as_ref().map(|t| (Context::Response, t)));
    let registry = match registry_of(&trees, draft) {
        Ok(r) => r,
        Err(e) => {
            let msg = format!(
                "examples were not checked: the document's schemas cannot be indexed ({e})"
            );
            sink.add(rules::EXAMPLE_UNCHECKED, "", None, msg);
            return;
        }
    };
    let has = |c: Context| trees.iter().any(|(t, _)| *t == c);
    let mut checker = Checker {
        registry: &registry,
        draft,
        flavor,
        formats: sink.config.level(rules::EXAMPLE_FORMAT) != Level::Off,
        contexts: [has(Context::Request), has(Context::Response)],
        validators: HashMap::new(),
    };
    for site in &walk.sites {
        checker.check(site, sink);
    }
}

fn registry_of<'t>(trees: &[(Context, &'t Value)], draft: Draft) -> Result<Registry<'t>, String> {
    let mut builder = Registry::new().draft(draft);
    for (context, tree) in trees {
        builder = builder
            .add(base_uri(*context), draft.create_resource_ref(tree))
            .map_err(|e| e.to_string())?;
    }
    builder.prepare().map_err(|e| e.to_string())
}

/// A copy of the document with its OpenAPI 3.0 schemas in the draft-07 dialect, if any.
fn convert_oas30(root: &Value, roots: &[String]) -> Option<Value> {
    if roots.is_empty() {
        return None;
    }
    let mut copy = root.clone();
    for at in roots {
        if let Some(slot) = copy.pointer_mut(at) {
            *slot = dialect::to_asyncapi(slot, Dialect::Oas30);
        }
    }
    Some(copy)
}

/// A copy of `tree` where no `required` names a property flagged `flag` (`readOnly` or
/// `writeOnly`), or `None` when nothing would change.
fn without_required(tree: &Value, flag: &str) -> Option<Value> {
    let mut edits = Vec::new();
    required_edits(tree, tree, String::new(), flag, &mut edits, 0);
    if edits.is_empty() {
        return None;
    }
    let mut copy = tree.clone();
    for (at, names) in edits {
        if let Some(Value::Array(required)) = copy.pointer_mut(&pointer::push(&at, "required")) {
            required.retain(|n| n.as_str().is_none_or(|n| !names.iter().any(|x| x == n)));
        }
    }
    Some(copy)
}

fn required_edits(
    root: &Value,
    node: &Value,
    at: String,
    flag: &str,
    edits: &mut Vec<(String, Vec<String>)>,
    depth: usize,
) {
    if depth > MAX_WALK_DEPTH {
        return;
    }
    match node {
        Value::Object(map) => {
            let names = flagged_required(root, map, flag);
            if !names.is_empty() {
                edits.push((at.clone(), names));
            }
            for (k, v) in map {
                required_edits(root, v, pointer::push(&at, k), flag, edits, depth + 1);
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                required_edits(
                    root,
                    v,
                    pointer::push(&at, &i.to_string()),
                    flag,
                    edits,
                    depth + 1,
                );
            }
        }
        _ => {}
    }
}

const MAX_WALK_DEPTH: usize = 256;

fn flagged_required(root: &Value, schema: &Map<String, Value>, flag: &str) -> Vec<String> {
    let (Some(Value::Array(required)), Some(Value::Object(props))) =
        (schema.get("required"), schema.get("properties"))
    else {
        return Vec::new();
    };
    required
        .iter()
        .filter_map(Value::as_str)
        .filter(|name| {
            props
                .get(*name)
                .and_then(|p| follow(root, p, "").ok())
                .is_some_and(|(p, _)| p.get(flag) == Some(&Value::Bool(true)))
        })
        .map(str::to_string)
        .collect()
}

fn draft_of(root: &Value, flavor: Flavor) -> Draft {
    match flavor {
        Flavor::Oas30 | Flavor::AsyncApi => Draft::Draft7,
        Flavor::Oas31 => match root.get("jsonSchemaDialect").and_then(Value::as_str) {
            Some(uri) if Draft::from_schema_uri(uri) != Draft::Unknown => {
                Draft::from_schema_uri(uri)
            }
            _ => Draft::Draft202012,
        },
    }
}

type Compiled = Result<Validator, String>;

struct Checker<'r> {
    registry: &'r Registry<'r>,
    draft: Draft,
    flavor: Flavor,
    /// Whether `format` is checked (rule `example-format` on).
    formats: bool,
    /// Whether the request / response variants of the document exist.
    contexts: [bool; 2],
    validators: HashMap<(Context, bool, String), Compiled>,
}

/// How an example fared.
enum Outcome {
    Valid,
    /// Fails with `format` ignored.
    Invalid(Vec<String>),
    /// Fails only on `format`.
    Format(Vec<String>),
    Unchecked(String),
}

impl Checker<'_> {
    fn validator(&mut self, context: Context, formats: bool, schema_at: &str) -> &Compiled {
        let context = match context {
            Context::Request if self.contexts[0] => Context::Request,
            Context::Response if self.contexts[1] => Context::Response,
            _ => Context::Neutral,
        };
        let (registry, draft) = (self.registry, self.draft);
        let key = (context, formats, schema_at.to_string());
        self.validators.entry(key).or_insert_with(|| {
            let target = format!("{}{}", base_uri(context), pointer::to_fragment(schema_at));
            jsonschema::options()
                .with_draft(draft)
                .with_registry(registry)
                .should_validate_formats(formats)
                .build(&json!({ "$ref": target }))
                .map_err(|e| e.to_string())
        })
    }

    /// Error messages of `value`, or `Err` when the schema does not compile.
    fn errors(&mut self, site: &Site, formats: bool, value: &Value) -> Result<Vec<String>, String> {
        let flavor = self.flavor;
        match self.validator(site.context, formats, &site.schema) {
            Ok(v) => Ok(v
                .iter_errors(value)
                .take(MAX_ERRORS + 1)
                .map(|e| describe_error(&e, flavor))
                .collect()),
            Err(e) => Err(e.clone()),
        }
    }

    /// Errors of the value, or none when one of its wire-text readings is valid.
    fn errors_any(&mut self, site: &Site, formats: bool) -> Result<Vec<String>, String> {
        let first = self.errors(site, formats, site.value)?;
        if first.is_empty() || !site.wire_text {
            return Ok(first);
        }
        for alt in wire_readings(site.value) {
            if self.errors(site, formats, &alt)?.is_empty() {
                return Ok(Vec::new());
            }
        }
        Ok(first)
    }

    fn outcome(&mut self, site: &Site) -> Outcome {
        let first = match self.errors_any(site, self.formats) {
            Ok(e) if e.is_empty() => return Outcome::Valid,
            Ok(e) => e,
            Err(e) => return Outcome::Unchecked(e),
        };
        if !self.formats {
            return Outcome::Invalid(first);
        }
        match self.errors_any(site, false) {
            Ok(e) if e.is_empty() => Outcome::Format(first),
            Ok(e) => Outcome::Invalid(e),
            Err(e) => Outcome::Unchecked(e),
        }
    }

    fn check(&mut self, site: &Site, sink: &mut Sink) {
        let (rule, errors) = match self.outcome(site) {
            Outcome::Valid => return,
            Outcome::Invalid(e) => (rules::EXAMPLE_VALID, e),
            Outcome::Format(e) => (rules::EXAMPLE_FORMAT, e),
            Outcome::Unchecked(e) => {
                let msg = format!("the examples of this schema were not checked: the schema does not compile ({e})");
                sink.add(rules::EXAMPLE_UNCHECKED, &site.schema, None, msg);
                return;
            }
        };
        let what = match &site.via {
            Some(via) => format!("example `#{via}`"),
            None => "example".to_string(),
        };
        let mut msg = format!("{what} does not match the schema at #{}: ", site.schema);
        msg.push_str(&errors[..errors.len().min(MAX_ERRORS)].join("; "));
        if errors.len() > MAX_ERRORS {
            msg.push_str("; ...");
        }
        sink.add(rule, &site.at, None, msg);
    }
}

/// Other readings of a scalar sent as text: `123` <-> `"123"`, `true` <-> `"true"`.
fn wire_readings(value: &Value) -> Vec<Value> {
    match value {
        Value::Number(_) | Value::Bool(_) => vec![Value::String(value.to_string())],
        Value::String(s) => serde_json::from_str::<Value>(s)
            .ok()
            .filter(|v| v.is_number() || v.is_boolean())
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

fn describe_error(e: &jsonschema::ValidationError, flavor: Flavor) -> String {
    let mut text = if e.instance().to_string().len() <= 60 {
        e.to_string()
    } else {
        e.masked().to_string()
    };
    if let Some(closest) = closest_branch(e.kind()) {
        text.push_str(&format!(" (closest: {closest})"));
    }
    let path = e.instance_path().as_str();
    let place = if path.is_empty() {
        "the value".to_string()
    } else {
        format!("`{path}`")
    };
    let hint = if flavor == Flavor::Oas31 && e.instance().is_null() {
        " (`nullable` is OpenAPI 3.0 only: in 3.1 write `type: [..., \"null\"]`)"
    } else {
        ""
    };
    format!("{place}: {text}{hint}")
}

/// For `oneOf`/`anyOf` failures: the errors of the branch that came closest.
fn closest_branch(kind: &jsonschema::error::ValidationErrorKind) -> Option<String> {
    use jsonschema::error::ValidationErrorKind as K;
    let (K::OneOfNotValid { context } | K::AnyOf { context }) = kind else {
        return None;
    };
    let best = context
        .iter()
        .filter(|b| !b.is_empty())
        .min_by_key(|b| b.len())?;
    let parts: Vec<String> = best
        .iter()
        .take(2)
        .map(|e| {
            let path = e.instance_path().as_str();
            let text = e.masked().to_string();
            if path.is_empty() {
                text
            } else {
                format!("`{path}`: {text}")
            }
        })
        .collect();
    Some(parts.join("; "))
}

// ----- output ----------------------------------------------------------------------------------

/// Output formats of `hookbridge lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
    Sarif,
}

/// Renders findings (of one or more files) in a format.
pub fn render(findings: &[Finding], format: OutputFormat) -> String {
    match format {
        OutputFormat::Text => render_text(findings),
        OutputFormat::Json => render_json(findings),
        OutputFormat::Sarif => render_sarif(findings),
    }
}

fn counts(findings: &[Finding]) -> (usize, usize) {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    (errors, findings.len() - errors)
}

/// One line per finding, then a count.
pub fn render_text(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&f.to_string());
        out.push('\n');
    }
    let (errors, warnings) = counts(findings);
    out.push_str(&format!("{errors} error(s), {warnings} warning(s)\n"));
    out
}

/// `{"findings": [...], "errors": n, "warnings": n}`.
pub fn render_json(findings: &[Finding]) -> String {
    let (errors, warnings) = counts(findings);
    let doc = json!({ "findings": findings, "errors": errors, "warnings": warnings });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// SARIF 2.1.0: one run, every rule described, one result per finding. The JSON pointer is
/// the result's logical location (the loader keeps no line numbers).
pub fn render_sarif(findings: &[Finding]) -> String {
    let rules: Vec<Value> = RULES.iter().map(sarif_rule).collect();
    let results: Vec<Value> = findings.iter().map(sarif_result).collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "hookbridge",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Off => "none",
        Level::Warn => "warning",
        Level::Error => "error",
    }
}

fn sarif_rule(rule: &RuleInfo) -> Value {
    json!({
        "id": rule.id,
        "shortDescription": {"text": rule.summary},
        "help": {"text": format!("See docs/lint.md, rule `{}`.", rule.id)},
        "defaultConfiguration": {"level": sarif_level(rule.level)},
    })
}

fn sarif_result(f: &Finding) -> Value {
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let index = RULES.iter().position(|r| r.id == f.rule).unwrap_or(0);
    let mut result = json!({
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": level,
        "message": {"text": f.message},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": file_uri(&f.file)}},
            "logicalLocations": [{"fullyQualifiedName": f.pointer, "kind": "object"}],
        }],
        "partialFingerprints": {"jsonPointer/v1": format!("{}:{}", f.rule, f.pointer)},
    });
    if let Some(from) = &f.reached_from {
        result["properties"] = json!({ "reachedFrom": from });
    }
    result
}

/// A relative URI reference for a file path (`/` separators, percent-encoded).
fn file_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:@!$&'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint(text: &str) -> Vec<Finding> {
        let doc = crate::document::load::parse_str(text, "t.yaml", &Limits::default()).unwrap();
        lint_document(&doc, &LintConfig::default()).unwrap()
    }

    fn ids(findings: &[Finding]) -> Vec<(&str, &str)> {
        findings
            .iter()
            .map(|f| (f.rule, f.pointer.as_str()))
            .collect()
    }

    #[test]
    fn hosts_and_locations() {
        assert_eq!(
            hard_coded_host("https://a.example/x?y={$url}"),
            Some("a.example")
        );
        assert_eq!(hard_coded_host("//a.example"), Some("a.example"));
        assert_eq!(hard_coded_host("https://{$request.body#/host}/x"), None);
        assert_eq!(hard_coded_host("{$request.body#/url}"), None);
        assert_eq!(hard_coded_host("$request.body#/url"), None);
        assert!(check_message_location("$message.payload#/a~1b").is_ok());
        assert!(check_message_location("$message.header#").is_ok());
        assert!(check_message_location("$message.body#/a").is_err());
        assert!(check_message_location("$message.payload#a").is_err());
        assert!(check_message_location("$message.payload#/a~2").is_err());
    }

    #[test]
    fn openapi_structure_rules() {
        let found = lint(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /subscribe:
    post:
      responses: {"201": {description: ok}}
      callbacks:
        cb:
          "{$request.body#/url": {post: {responses: {"200": {description: ok}}}}
          "https://fixed.example/hook": {$ref: '#/components/pathItems/Hook'}
components:
  pathItems:
    Hook:
      put: {requestBody: {content: {}}, security: [], responses: {"200": {description: ok}}}
webhooks:
  w:
    post: {security: []}
"#,
        );
        let cb = "/paths/~1subscribe/post/callbacks/cb";
        let got = ids(&found);
        assert!(
            got.contains(&(rules::WEBHOOKS_IN_30, "/webhooks")),
            "{got:?}"
        );
        assert!(
            got.contains(&(rules::WEBHOOK_RESPONSES, "/webhooks/w/post")),
            "{got:?}"
        );
        let bad = format!("{cb}/{{$request.body#~1url");
        assert!(
            got.contains(&(rules::RUNTIME_EXPRESSION, bad.as_str())),
            "{got:?}"
        );
        let post = format!("{bad}/post");
        assert!(
            got.contains(&(rules::CALLBACK_REQUEST_BODY, post.as_str())),
            "{got:?}"
        );
        assert!(
            got.contains(&(rules::CALLBACK_SECURITY, post.as_str())),
            "{got:?}"
        );
        let host = format!("{cb}/https:~1~1fixed.example~1hook");
        assert!(
            got.contains(&(rules::CALLBACK_URL_HOST, host.as_str())),
            "{got:?}"
        );
        assert!(!got.iter().any(|(_, p)| p.contains("pathItems")), "{got:?}");
        assert_eq!(found.len(), 6, "{got:?}");
    }

    #[test]
    fn config_levels() {
        let c = LintConfig::from_text(
            "rules: {callback-url-host: error, webhook-security: off}",
            "c",
        )
        .unwrap();
        assert_eq!(c.level(rules::CALLBACK_URL_HOST), Level::Error);
        assert_eq!(c.level(rules::WEBHOOK_SECURITY), Level::Off);
        assert_eq!(c.level(rules::WEBHOOK_RESPONSES), Level::Error);
        assert!(LintConfig::from_text("rules: {nope: off}", "c").is_err());
        assert!(LintConfig::from_text("rules: {webhook-security: loud}", "c").is_err());
    }
}
