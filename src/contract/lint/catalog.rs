//! The rule catalogue: stable rule ids, how each is reported by default and a one-line
//! summary of each.

use crate::diagnostics::Severity;

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
    pub const STREAM_ITEM_SCHEMA: &str = "stream-item-schema";
}

/// How a rule is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    Warn,
    Error,
}

impl Level {
    pub(super) fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Warn => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }

    pub(super) fn parse(text: &str) -> Option<Level> {
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
        summary: "Callback operations (post, put, patch, query) must define a request body.",
    },
    RuleInfo {
        id: rules::CALLBACK_SECURITY,
        level: Level::Error,
        summary: "Callback operations must declare their own security (signature, mTLS or key).",
    },
    RuleInfo {
        id: rules::STREAM_ITEM_SCHEMA,
        level: Level::Warn,
        summary: "OpenAPI 3.2: a sequential media type (event stream, JSON Lines, ...) of a webhook or callback has an `itemSchema`.",
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

pub(super) fn rule_info(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}
