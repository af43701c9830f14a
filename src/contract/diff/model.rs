//! The model both document kinds are read into: events (webhooks, callbacks, AsyncAPI
//! channels), their operations, and the payloads, parameters, responses and security of each.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

#[derive(Debug, Default)]
pub(super) struct Model<'a> {
    pub(super) events: BTreeMap<String, Event<'a>>,
}

#[derive(Debug)]
pub(super) struct Event<'a> {
    pub(super) label: String,
    pub(super) at: String,
    /// For callbacks: (parent operation and callback name, URL expression).
    pub(super) callback: Option<(String, String)>,
    pub(super) ops: BTreeMap<String, Op<'a>>,
}

#[derive(Debug, Default)]
pub(super) struct Op<'a> {
    pub(super) at: String,
    /// Media type (or message) -> payload schema; `None` schema when not described.
    pub(super) request: BTreeMap<String, Owned<'a>>,
    /// `in:name` -> (required, schema).
    pub(super) params: BTreeMap<String, Param<'a>>,
    /// Status code -> media type -> schema.
    pub(super) responses: BTreeMap<String, (String, BTreeMap<String, Owned<'a>>)>,
    pub(super) security: BTreeSet<String>,
}

/// A schema (if any) and the pointer of the object holding it.
#[derive(Debug, Clone)]
pub(super) struct Owned<'a> {
    pub(super) at: String,
    pub(super) schema: Option<(&'a Value, String)>,
}

#[derive(Debug, Clone)]
pub(super) struct Param<'a> {
    pub(super) at: String,
    pub(super) required: bool,
    pub(super) schema: Option<(&'a Value, String)>,
}
