//! The one model of a document's operations: every REST operation, webhook and callback
//! (nested callbacks, `$ref`'d path items and callbacks, `x-webhooks`) in document order, with
//! where it was found and what it hangs from. Conversion, contract checks and navigation read
//! this instead of walking `paths`, `webhooks` and `callbacks` themselves.
//!
//! The walk is lenient: what it cannot follow (a broken or cyclic `$ref`, a Path Item that is
//! not a mapping, a key a Path Item does not have) becomes a [`Finding`] and the walk goes on,
//! so every operation of the input is either an [`Operation`] here or named in a finding.

use serde_json::{Map, Value};

use crate::document::pointer;
use crate::document::refs::local::{follow, RefError};

/// Path Item fields that hold operations, in specification order (OpenAPI 3.0 and 3.1).
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The Path Item field OpenAPI 3.2 adds for the HTTP QUERY method.
pub const QUERY: &str = "query";

/// The OpenAPI 3.2 Path Item field that maps any other method name to an operation.
pub const ADDITIONAL_OPERATIONS: &str = "additionalOperations";

/// Where 3.2's `query` and `additionalOperations` go before 3.2 (OAI extension registry);
/// the walk does not read operations from it ([`FindingKind::OperationsNotRead`]).
pub const OAI_ADDITIONAL_OPERATIONS: &str = "x-oai-additionalOperations";

/// Path Item fields that are not operations (OpenAPI 3.0 and 3.1).
pub const PATH_ITEM_FIELDS: [&str; 5] = ["$ref", "summary", "description", "servers", "parameters"];

/// Whether a document's `openapi` field says 3.2 (`query` and `additionalOperations` hold
/// operations there; in 3.0 and 3.1 they are unknown Path Item keys).
pub fn is_v32(doc: &Value) -> bool {
    doc.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(is_v32_version)
}

/// `3.2`, `3.2.<patch>`: the `openapi` text of a 3.2 document.
pub fn is_v32_version(v: &str) -> bool {
    let v = v.trim();
    v == "3.2" || v.starts_with("3.2.")
}

/// The operation fields of a Path Item in a document of this version, in specification order.
pub fn method_fields(v32: bool) -> &'static [&'static str] {
    const WITH_QUERY: [&str; 9] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace", QUERY,
    ];
    if v32 {
        &WITH_QUERY
    } else {
        &METHODS
    }
}

/// Whether `key` holds operations in a Path Item of any version (a method field, `query` or
/// `additionalOperations`).
pub fn is_path_item_operation_key(key: &str) -> bool {
    method_fields(true).contains(&key) || key == ADDITIONAL_OPERATIONS
}

/// Whether `key` is a Path Item field (an operation or not) in a document of this version.
pub fn is_path_item_field(key: &str, v32: bool) -> bool {
    method_fields(v32).contains(&key)
        || PATH_ITEM_FIELDS.contains(&key)
        || (v32 && key == ADDITIONAL_OPERATIONS)
}

/// Deepest nesting of callbacks followed (real documents nest two or three).
pub const MAX_CALLBACK_DEPTH: usize = 16;

/// Where an operation sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An operation of `paths`.
    Path,
    /// An operation of a `webhooks` or `x-webhooks` entry.
    Webhook,
    /// An operation of a callback of another operation.
    Callback,
}

/// One operation of the document.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    pub kind: Kind,
    /// The path (`/pets`), webhook name, or callback name.
    pub name: &'a str,
    /// `paths`, `webhooks` or `x-webhooks`: the root section the operation is reached from.
    pub section: &'a str,
    /// The callback's runtime expression (the key under the callback name).
    pub expression: Option<&'a str>,
    /// The Path Item field (`get`, `post`, `query`, ...), or the key in `additionalOperations`
    /// (`LINK`, as written) when [`Operation::additional`].
    pub method: &'a str,
    /// An entry of OpenAPI 3.2's `additionalOperations` rather than a field of its own.
    pub additional: bool,
    /// Pointer of the operation as reached from the root, through `$ref`s as written
    /// (`/paths/~1jobs/post/callbacks/onDone/{$request.body#~1url}/post`).
    pub pointer: String,
    /// Pointer of the Path Item as reached from the root.
    pub item_pointer: String,
    /// Where the operation is defined: [`Operation::pointer`] with every `$ref` on the way
    /// followed (`/components/pathItems/Ping/post`). Positions and de-duplication use it.
    pub definition: String,
    /// The `$ref` the Path Item was reached through, if it was one.
    pub item_ref: Option<&'a str>,
    /// The `$ref` the callback was reached through, if it was one.
    pub callback_ref: Option<&'a str>,
    /// Index into [`Events::operations`] of the operation that registers this callback.
    pub parent: Option<usize>,
    /// Index into [`Events::items`] of the Path Item the operation is in.
    pub item: usize,
    /// Callback nesting: 0 for paths and webhooks.
    pub depth: usize,
    /// The resolved Path Item (a mapping) and the operation in it.
    pub path_item: &'a Value,
    pub operation: &'a Value,
}

impl Operation<'_> {
    /// Webhooks and callbacks: the operations the asynchronous half is about.
    pub fn is_event(&self) -> bool {
        self.kind != Kind::Path
    }

    /// Where the Path Item is defined: [`Operation::definition`] without the method.
    pub fn item_definition(&self) -> &str {
        let mut cut = self.definition.len() - pointer::escape(self.method).len() - 1;
        if self.additional {
            cut -= ADDITIONAL_OPERATIONS.len() + 1;
        }
        &self.definition[..cut]
    }

    /// The pointer tokens from the Path Item to the operation: `["post"]`, or
    /// `["additionalOperations", "LINK"]`.
    pub fn field_tokens(&self) -> Vec<&str> {
        if self.additional {
            vec![ADDITIONAL_OPERATIONS, self.method]
        } else {
            vec![self.method]
        }
    }
}

/// What the walk could not take as an operation, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub pointer: String,
    pub message: String,
    /// What the Path Item the finding is in was read as, when it is in one.
    pub within: Option<Kind>,
    /// The place as reached from the root, through `$ref`s as written (`pointer` is where it
    /// is defined, where the two differ).
    pub reached: String,
    /// How many Path Items the walk had read when it made the finding: where the finding
    /// falls among [`Events::items`], for a reader that reports in walk order.
    pub before_item: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    /// A `$ref` that does not resolve.
    BrokenRef,
    /// A chain of `$ref`s that comes back to itself, or a Path Item or callback that
    /// reaches itself again through its callbacks.
    RefCycle,
    /// A Path Item that is not a mapping.
    PathItemNotAMapping,
    /// A section, callback map, callback or operation that is not a mapping.
    NotAMapping,
    /// A Path Item key that is neither a method, a known field nor an extension.
    UnknownPathItemKey,
    /// Callbacks nested deeper than [`MAX_CALLBACK_DEPTH`].
    TooDeep,
    /// A webhook written in the shape of a callback ([`is_callback_shaped`]): read as one.
    CallbackShapedWebhook,
    /// Operations in a place this version does not read them from: a non-empty
    /// [`OAI_ADDITIONAL_OPERATIONS`] before 3.2.
    OperationsNotRead,
}

fn holds_entries(v: &Value) -> bool {
    v.as_object().is_some_and(|m| !m.is_empty())
}

/// A `webhooks`/`x-webhooks` entry written in the shape of a callback (name -> runtime
/// expression -> Path Item), as some vendors publish them: every key but extensions is a
/// runtime expression (it holds `{$` or starts with `$`) whose value is a mapping.
pub fn is_callback_shaped(entry: &Value) -> bool {
    let Some(fields) = entry.as_object() else {
        return false;
    };
    let mut expressions = fields
        .iter()
        .filter(|(k, _)| !k.starts_with("x-"))
        .peekable();
    expressions.peek().is_some()
        && expressions.all(|(k, v)| {
            let known = is_path_item_field(k, true);
            !known && v.is_object() && (k.starts_with('$') || k.contains("{$"))
        })
}

/// A Path Item the walk read: a path, a webhook, or one runtime expression of a callback.
#[derive(Debug, Clone)]
pub struct PathItem<'a> {
    pub kind: Kind,
    /// `paths`, `webhooks`, `x-webhooks`, or `components` (see [`walk_with_components`]).
    pub section: &'a str,
    /// The path, webhook name, or callback name.
    pub name: &'a str,
    pub expression: Option<&'a str>,
    /// Index into [`Events::operations`] of the operation that registers this callback.
    pub parent: Option<usize>,
    /// Pointer as reached from the root, and where it is defined (`$ref`s followed).
    pub pointer: String,
    pub definition: String,
    /// Where the Path Item, or the `$ref` to it, is written: the key's own place (for a
    /// callback, inside the callback's definition).
    pub written: String,
    /// Index into [`Events::callbacks`] of the callback it is an expression of.
    pub callback: Option<usize>,
    /// The `$ref` the Path Item was reached through, if it was one.
    pub item_ref: Option<&'a str>,
    /// The resolved Path Item: a mapping.
    pub value: &'a Value,
}

/// A callback of an operation (or of `components.callbacks`): a map of runtime expressions
/// to Path Items.
#[derive(Debug, Clone)]
pub struct Callback<'a> {
    pub name: &'a str,
    /// Index into [`Events::operations`] of the operation that registers it.
    pub parent: Option<usize>,
    /// Pointer as reached from the root, and where it is defined (`$ref`s followed).
    pub pointer: String,
    pub definition: String,
    /// The `$ref` it was reached through, if it was one.
    pub callback_ref: Option<&'a str>,
    /// The resolved callback: a mapping.
    pub value: &'a Value,
}

/// Every operation of a document and what the walk could not follow.
#[derive(Debug, Clone, Default)]
pub struct Events<'a> {
    pub operations: Vec<Operation<'a>>,
    /// The Path Items the operations are in, each once per place it is reached from.
    pub items: Vec<PathItem<'a>>,
    /// The callbacks read, in walk order (one with no Path Item in it is here too).
    pub callbacks: Vec<Callback<'a>>,
    pub findings: Vec<Finding>,
}

impl<'a> Events<'a> {
    /// Webhook and callback operations, in document order.
    pub fn events(&self) -> impl Iterator<Item = &Operation<'a>> {
        self.operations.iter().filter(|o| o.is_event())
    }

    /// The operations registered by `self.operations[index]` as callbacks.
    pub fn callbacks_of(&self, index: usize) -> impl Iterator<Item = &Operation<'a>> {
        self.operations
            .iter()
            .filter(move |o| o.parent == Some(index))
    }
}

/// Walks `doc` (a bundled OpenAPI document: only local `$ref`s are followed).
pub fn walk(doc: &Value) -> Events<'_> {
    let mut w = Walker {
        doc,
        v32: is_v32(doc),
        out: Events::default(),
        stack: Vec::new(),
    };
    let Some(root) = doc.as_object() else {
        return w.out;
    };
    for (key, section) in root {
        if matches!(key.as_str(), "paths" | "webhooks" | "x-webhooks") {
            w.section(key, section);
        }
    }
    w.out
}

/// [`walk`], then `components.callbacks` (callbacks without a parent) and
/// `components.pathItems` (as [`Kind::Path`]), all in section `components`: for checks that
/// read every definition, whether anything uses it or not.
pub fn walk_with_components(doc: &Value) -> Events<'_> {
    let mut events = walk(doc);
    let callbacks = doc
        .pointer("/components/callbacks")
        .and_then(Value::as_object)
        .into_iter()
        .flatten();
    let mut w = Walker {
        doc,
        v32: is_v32(doc),
        out: std::mem::take(&mut events),
        stack: Vec::new(),
    };
    let place = Place {
        kind: Kind::Callback,
        section: "components",
        name: "",
        expression: None,
        callback_ref: None,
        parent: None,
        callback: None,
        depth: 0,
        item: 0,
    };
    for (name, raw) in callbacks {
        let at = pointer::join(["components", "callbacks", name.as_str()]);
        w.callback(place, None, 1, (at.clone(), at), name, raw);
    }
    if let Some(Value::Object(items)) = doc.pointer("/components/pathItems") {
        for (name, raw) in items {
            let at = pointer::join(["components", "pathItems", name.as_str()]);
            let place = Place {
                kind: Kind::Path,
                name,
                ..place
            };
            w.path_item(place, &at, &at, raw);
        }
    }
    w.out
}

struct Walker<'a> {
    doc: &'a Value,
    /// An OpenAPI 3.2 document: `query` and `additionalOperations` hold operations.
    v32: bool,
    out: Events<'a>,
    /// `$ref`s being followed, to stop at a cycle of callbacks.
    stack: Vec<&'a str>,
}

/// Where a Path Item hangs: its section, name and (for callbacks) parent and expression.
#[derive(Clone, Copy)]
struct Place<'a> {
    kind: Kind,
    section: &'a str,
    name: &'a str,
    expression: Option<&'a str>,
    callback_ref: Option<&'a str>,
    parent: Option<usize>,
    /// Index into [`Events::callbacks`] of the callback the Path Item is in.
    callback: Option<usize>,
    depth: usize,
    /// Index of the Path Item in [`Events::items`], once it is pushed.
    item: usize,
}

impl<'a> Walker<'a> {
    fn finding(&mut self, kind: FindingKind, pointer: &str, message: String) {
        self.finding_within(kind, (pointer, pointer), message, None);
    }

    /// `(reached, defined)`: the place as reached from the root, and where it is defined.
    fn finding_within(
        &mut self,
        kind: FindingKind,
        (reached, defined): (&str, &str),
        message: String,
        within: Option<Kind>,
    ) {
        self.out.findings.push(Finding {
            kind,
            pointer: defined.to_string(),
            message,
            within,
            reached: reached.to_string(),
            before_item: self.out.items.len(),
        });
    }

    /// Follows a local `$ref` chain from `value` (reached at `at`, written at `defined`): the
    /// target, the first `$ref` and where the target is defined. A chain that cannot be
    /// followed, or that comes back to a Path Item or callback being read, is a finding and
    /// `None`.
    fn resolve(
        &mut self,
        value: &'a Value,
        (at, defined): (&str, &str),
    ) -> Option<(&'a Value, Option<&'a str>, String)> {
        let (kind, failure) = match follow(self.doc, value) {
            Ok(t) => match t.first {
                Some(r) if self.stack.contains(&r) => {
                    let msg = format!("`{r}` reaches itself through its callbacks: a cycle of callbacks has no finite AsyncAPI form (each callback is a channel)");
                    (FindingKind::RefCycle, msg)
                }
                _ => return Some((t.value, t.first, t.location(defined))),
            },
            Err(e @ (RefError::Cycle(_) | RefError::TooLong)) => {
                (FindingKind::RefCycle, e.message())
            }
            Err(e) => (FindingKind::BrokenRef, e.message()),
        };
        self.finding_within(kind, (at, defined), failure, None);
        None
    }

    fn section(&mut self, key: &'a str, section: &'a Value) {
        let Some(entries) = section.as_object() else {
            let msg = format!("`{key}` is not a mapping: no operation in it is read");
            self.finding(FindingKind::NotAMapping, &pointer::join([key]), msg);
            return;
        };
        let kind = if key == "paths" {
            Kind::Path
        } else {
            Kind::Webhook
        };
        for (name, item) in entries {
            // The Paths Object is extensible; `webhooks` is a plain map of names, but vendors
            // put extension values there too (`x-sdk-exclude: true`).
            if name.starts_with("x-") && (kind == Kind::Path || !item.is_object()) {
                continue;
            }
            let place = Place {
                kind,
                section: key,
                name,
                expression: None,
                callback_ref: None,
                parent: None,
                callback: None,
                depth: 0,
                item: 0,
            };
            let at = pointer::join([key, name.as_str()]);
            if kind == Kind::Webhook && is_callback_shaped(item) {
                self.callback_shaped(place, &at, item);
            } else {
                self.path_item(place, &at, &at, item);
            }
        }
    }

    /// A webhook in the shape of a callback: one Path Item per runtime expression.
    fn callback_shaped(&mut self, place: Place<'a>, at: &str, entry: &'a Value) {
        let msg = "a webhook in the shape of a callback (name -> runtime expression -> Path Item), as some vendors write `x-webhooks`: read as a callback without a parent operation".to_string();
        self.finding(FindingKind::CallbackShapedWebhook, at, msg);
        for (expression, item) in entry.as_object().into_iter().flatten() {
            if !expression.starts_with("x-") {
                let inner = Place {
                    expression: Some(expression),
                    ..place
                };
                let item_at = pointer::push(at, expression);
                self.path_item(inner, &item_at, &item_at, item);
            }
        }
    }

    fn path_item(&mut self, place: Place<'a>, at: &str, written: &str, raw: &'a Value) {
        let Some((item, item_ref, defined)) = self.resolve(raw, (at, written)) else {
            return;
        };
        let Some(fields) = item.as_object() else {
            let msg = "a Path Item must be a mapping: no operation in it is read".to_string();
            self.finding(FindingKind::PathItemNotAMapping, at, msg);
            return;
        };
        self.unknown_keys(fields, &defined, place.kind);
        let place = Place {
            item: self.out.items.len(),
            ..place
        };
        self.out.items.push(PathItem {
            kind: place.kind,
            section: place.section,
            name: place.name,
            expression: place.expression,
            parent: place.parent,
            pointer: at.to_string(),
            definition: defined.clone(),
            written: written.to_string(),
            callback: place.callback,
            item_ref,
            value: item,
        });
        if let Some(r) = item_ref {
            self.stack.push(r);
        }
        let loc = (at, defined.as_str());
        for &method in method_fields(self.v32) {
            if let Some(op) = fields.get(method) {
                self.operation(place, loc, item_ref, item, (method, false), op);
            }
        }
        match fields.get(ADDITIONAL_OPERATIONS) {
            Some(Value::Object(more)) if self.v32 => {
                for (method, op) in more {
                    self.operation(place, loc, item_ref, item, (method, true), op);
                }
            }
            Some(_) if self.v32 => {
                let msg = "`additionalOperations` is not a mapping: no operation in it is read";
                let at = pointer::push(&defined, ADDITIONAL_OPERATIONS);
                self.finding(FindingKind::NotAMapping, &at, msg.to_string());
            }
            _ => {}
        }
        if item_ref.is_some() {
            self.stack.pop();
        }
    }

    fn unknown_keys(&mut self, fields: &Map<String, Value>, at: &str, kind: Kind) {
        for key in fields.keys() {
            let (finding, msg) = if !is_path_item_field(key, self.v32) && !key.starts_with("x-") {
                let msg = format!(
                    "`{key}` is not a field of a Path Item (nor a method of this OpenAPI version): it is not an operation"
                );
                (FindingKind::UnknownPathItemKey, msg)
            } else if key == OAI_ADDITIONAL_OPERATIONS && !self.v32 && holds_entries(&fields[key]) {
                // hookbridge writes it for 3.2 operations (`--openapi-version 3.1`).
                let msg = format!("`{key}` (the OAI registry's extension for operations OpenAPI 3.2 names in `additionalOperations`) is not read as operations before OpenAPI 3.2: its operations are not events here");
                (FindingKind::OperationsNotRead, msg)
            } else {
                continue;
            };
            let at = pointer::push(at, key);
            let place = (at.as_str(), at.as_str());
            self.finding_within(finding, place, msg, Some(kind));
        }
    }

    fn operation(
        &mut self,
        place: Place<'a>,
        (item_at, item_defined): (&str, &str),
        item_ref: Option<&'a str>,
        path_item: &'a Value,
        (method, additional): (&'a str, bool),
        op: &'a Value,
    ) {
        let (at, definition) = if additional {
            let tokens = [ADDITIONAL_OPERATIONS, method];
            let at = pointer::join_to(item_at, tokens);
            (at, pointer::join_to(item_defined, tokens))
        } else {
            (
                pointer::push(item_at, method),
                pointer::push(item_defined, method),
            )
        };
        if !op.is_object() {
            let msg = format!("the `{method}` operation is not a mapping: it is not read");
            self.finding(FindingKind::NotAMapping, &definition, msg);
            return;
        }
        let index = self.out.operations.len();
        self.out.operations.push(Operation {
            kind: place.kind,
            name: place.name,
            section: place.section,
            expression: place.expression,
            method,
            additional,
            pointer: at.clone(),
            item_pointer: item_at.to_string(),
            definition: definition.clone(),
            item_ref,
            callback_ref: place.callback_ref,
            parent: place.parent,
            item: place.item,
            depth: place.depth,
            path_item,
            operation: op,
        });
        if let Some(callbacks) = op.get("callbacks") {
            self.callbacks(place, index, (&at, &definition), callbacks);
        }
    }

    fn callbacks(
        &mut self,
        place: Place<'a>,
        parent: usize,
        (op_at, op_defined): (&str, &str),
        callbacks: &'a Value,
    ) {
        let at = pointer::push(op_at, "callbacks");
        let defined = pointer::push(op_defined, "callbacks");
        let Some(callbacks) = callbacks.as_object() else {
            let msg = "`callbacks` is not a mapping: no callback in it is read".to_string();
            self.finding(FindingKind::NotAMapping, &defined, msg);
            return;
        };
        let depth = place.depth + 1;
        if depth > MAX_CALLBACK_DEPTH {
            let msg = format!("callbacks nested deeper than {MAX_CALLBACK_DEPTH}: not read");
            self.finding(FindingKind::TooDeep, &at, msg);
            return;
        }
        // The operation's `callbacks` map is not extensible: an `x-` name is a callback name.
        for (name, raw) in callbacks {
            let loc = (pointer::push(&at, name), pointer::push(&defined, name));
            self.callback(place, Some(parent), depth, loc, name, raw);
        }
    }

    fn callback(
        &mut self,
        place: Place<'a>,
        parent: Option<usize>,
        depth: usize,
        (at, defined): (String, String),
        name: &'a str,
        raw: &'a Value,
    ) {
        let Some((callback, callback_ref, defined)) = self.resolve(raw, (&at, &defined)) else {
            return;
        };
        let Some(expressions) = callback.as_object() else {
            let msg = format!("callback `{name}` is not a mapping: it is not read");
            self.finding(FindingKind::NotAMapping, &defined, msg);
            return;
        };
        let index = self.out.callbacks.len();
        self.out.callbacks.push(Callback {
            name,
            parent,
            pointer: at.clone(),
            definition: defined.clone(),
            callback_ref,
            value: callback,
        });
        if let Some(r) = callback_ref {
            self.stack.push(r);
        }
        for (expression, item) in expressions {
            if expression.starts_with("x-") {
                continue;
            }
            let inner = Place {
                kind: Kind::Callback,
                section: place.section,
                name,
                expression: Some(expression),
                callback_ref,
                parent,
                callback: Some(index),
                depth,
                item: 0,
            };
            let item_at = pointer::push(&at, expression);
            self.path_item(inner, &item_at, &pointer::push(&defined, expression), item);
        }
        if callback_ref.is_some() {
            self.stack.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn summary(events: &Events) -> Vec<String> {
        events
            .operations
            .iter()
            .map(|o| {
                let parent = o.parent.map(|p| events.operations[p].pointer.clone());
                format!("{:?} {} {} <- {:?}", o.kind, o.method, o.pointer, parent)
            })
            .collect()
    }

    #[test]
    fn walks_paths_webhooks_and_nested_callbacks_in_document_order() {
        let doc = json!({
            "openapi": "3.1.0",
            "webhooks": {"a": {"post": {}, "x-y": 1}},
            "paths": {"/s": {"post": {"callbacks": {"cb": {"{$request.body#/u}": {"put": {
                "callbacks": {"inner": {"{$request.body#/v}": {"get": {}}}}
            }}}}}, "delete": {}}},
            "x-webhooks": {"b": {"$ref": "#/components/pathItems/B"}},
            "components": {"pathItems": {"B": {"delete": {}}}}
        });
        let events = walk(&doc);
        assert_eq!(
            summary(&events),
            [
                "Webhook post /webhooks/a/post <- None",
                "Path post /paths/~1s/post <- None",
                "Callback put /paths/~1s/post/callbacks/cb/{$request.body#~1u}/put <- Some(\"/paths/~1s/post\")",
                "Callback get /paths/~1s/post/callbacks/cb/{$request.body#~1u}/put/callbacks/inner/{$request.body#~1v}/get <- Some(\"/paths/~1s/post/callbacks/cb/{$request.body#~1u}/put\")",
                "Path delete /paths/~1s/delete <- None",
                "Webhook delete /x-webhooks/b/delete <- None",
            ]
        );
        let b = &events.operations[5];
        assert_eq!(b.item_ref, Some("#/components/pathItems/B"));
        assert_eq!(b.definition, "/components/pathItems/B/delete");
        assert_eq!(b.item_definition(), "/components/pathItems/B");
        assert_eq!(b.section, "x-webhooks");
        assert_eq!(events.events().count(), 4);
        let items: Vec<usize> = events.operations.iter().map(|o| o.item).collect();
        assert_eq!(items, [0, 1, 2, 3, 1, 4]);
        assert_eq!(events.items[2].expression, Some("{$request.body#/u}"));
        assert!(events.findings.is_empty(), "{:?}", events.findings);
    }

    #[test]
    fn reads_query_and_additional_operations_in_32_only() {
        let item = json!({
            "query": {"callbacks": {"cb": {"{$url}": {"additionalOperations": {"a~b": {}}}}}},
            "additionalOperations": {"LINK": {}, "CONNECT": {}},
            "post": {}
        });
        let doc = json!({"openapi": "3.2.0", "webhooks": {"w": item}});
        let events = walk(&doc);
        assert_eq!(
            summary(&events),
            [
                "Webhook post /webhooks/w/post <- None",
                "Webhook query /webhooks/w/query <- None",
                "Callback a~b /webhooks/w/query/callbacks/cb/{$url}/additionalOperations/a~0b <- Some(\"/webhooks/w/query\")",
                "Webhook LINK /webhooks/w/additionalOperations/LINK <- None",
                "Webhook CONNECT /webhooks/w/additionalOperations/CONNECT <- None",
            ]
        );
        assert!(events.findings.is_empty(), "{:?}", events.findings);
        let inner = &events.operations[2];
        assert!(inner.additional);
        assert_eq!(inner.field_tokens(), ["additionalOperations", "a~b"]);
        assert_eq!(
            inner.item_definition(),
            "/webhooks/w/query/callbacks/cb/{$url}"
        );
        // In 3.1 the same keys are not operations: findings, as before.
        let doc = json!({"openapi": "3.1.0", "webhooks": {"w": item}});
        let events = walk(&doc);
        assert_eq!(events.operations.len(), 1);
        let unknown: Vec<&str> = events.findings.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(
            unknown,
            ["/webhooks/w/query", "/webhooks/w/additionalOperations"]
        );
        let bad = json!({"openapi": "3.2.1", "webhooks": {"w": {"additionalOperations": [1]}}});
        let events = walk(&bad);
        assert_eq!(events.findings[0].kind, FindingKind::NotAMapping);
    }

    #[test]
    fn what_cannot_be_read_is_a_finding_not_a_loss() {
        let doc = json!({
            "webhooks": {
                "broken": {"$ref": "#/nope"},
                "list": [1],
                "odd": {"post": 3, "subscribe": {}},
                "cycle": {"post": {"callbacks": {"c": {"$ref": "#/components/callbacks/C"}}}}
            },
            "components": {"callbacks": {"C": {"{$url}": {"post": {
                "callbacks": {"again": {"$ref": "#/components/callbacks/C"}}
            }}}}}
        });
        let events = walk(&doc);
        let kinds: Vec<(FindingKind, &str)> = events
            .findings
            .iter()
            .map(|f| (f.kind, f.pointer.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (FindingKind::BrokenRef, "/webhooks/broken"),
                (FindingKind::PathItemNotAMapping, "/webhooks/list"),
                (FindingKind::UnknownPathItemKey, "/webhooks/odd/subscribe"),
                (FindingKind::NotAMapping, "/webhooks/odd/post"),
                (
                    FindingKind::RefCycle,
                    "/components/callbacks/C/{$url}/post/callbacks/again"
                ),
            ]
        );
        assert_eq!(events.operations.len(), 2);
        let cycle = &events.findings[4];
        assert_eq!(
            cycle.reached,
            "/webhooks/cycle/post/callbacks/c/{$url}/post/callbacks/again"
        );
        assert_eq!(cycle.before_item, 3);
        assert_eq!(
            events.callbacks.len(),
            1,
            "the cycle's second visit is not read"
        );
        assert_eq!(events.callbacks[0].parent, Some(0));
    }
}
