//! Building the tree of a JSON document: a serde seed that turns serde_json's input into a
//! `Value` with no duplicate keys, spending a [`Budget`] of depth and values as it goes (YAML
//! has its own builder, `yaml`). When noting (`REFS`), it also checks each component schema
//! right after building it, while it is in the cache, for the conversion to pass by
//! ([`RefNotes::unchanged_schemas`]).

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::limits::{nodes_message, Limits};
use super::notes::RefNotes;
use super::numbers::{NumberTexts, NUMBER_TOKEN};
use crate::convert::dialect::{unchanged_by_forward, Dialect};
use crate::diagnostics::codes;
use crate::document::pointer;

/// What building one tree may still spend, and why it stopped.
pub(super) struct Budget<'t> {
    nodes_left: Cell<usize>,
    /// The values this document may hold ([`Limits::node_allowance`]).
    allowed: usize,
    max_depth: usize,
    limits: Limits,
    /// Set when the tree builder stopped the parse: the code and message to report (the
    /// parser's rendering of it would add its own path and position).
    pub(super) failure: RefCell<Option<(&'static str, String)>>,
    /// On an error, the keys and indexes from the failing value up to the root, filled in
    /// while the error travels up (so the happy path pays nothing for it).
    path: RefCell<Vec<String>>,
    /// What `TreeSeed::<true>` noted of references (left empty by `TreeSeed::<false>`).
    pub(super) notes: RefCell<RefNotes>,
    /// The text numbers are read from (see `numbers`): they arrive as text under
    /// [`NUMBER_TOKEN`].
    numbers: NumberTexts<'t>,
    /// Whether to check component schemas for [`RefNotes::unchanged_schemas`].
    look_ahead: bool,
    /// Where the value being read sits, for that check.
    section: Cell<Section>,
    /// The root's `openapi` names a version whose schemas are OpenAPI 3.1's.
    oas31: Cell<bool>,
}

/// The part of an OpenAPI document the tree builder is in, as far as the schema look-ahead
/// cares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Other,
    /// The root's `components`.
    Components,
    /// `components.schemas`.
    Schemas,
}

impl<'t> Budget<'t> {
    pub(super) fn new(limits: &Limits, text: &'t str, look_ahead: bool) -> Self {
        let allowed = limits.node_allowance(text.len(), true);
        Budget {
            nodes_left: Cell::new(allowed),
            allowed,
            max_depth: limits.max_depth,
            limits: *limits,
            failure: RefCell::new(None),
            path: RefCell::new(Vec::new()),
            notes: RefCell::new(RefNotes::default()),
            numbers: NumberTexts::new(text),
            look_ahead,
            section: Cell::new(Section::Other),
            oas31: Cell::new(false),
        }
    }

    /// The section of the value of `key` in a mapping at `depth` (the root is 0); returns the
    /// section to restore after it.
    #[inline]
    fn enter_value(&self, depth: usize, key: &str) -> Section {
        let before = self.section.get();
        let inside = match (depth, before) {
            (0, _) if key == "components" => Section::Components,
            (0, _) => Section::Other,
            (1, Section::Components) if key == "schemas" => Section::Schemas,
            (1, Section::Components) => Section::Other,
            _ => before,
        };
        self.section.set(inside);
        before
    }

    /// After the value of `key` at `depth` is built: notes the document's version, and a
    /// component schema no forward conversion changes, checked while it is in the cache.
    #[inline]
    fn leave_value(&self, before: Section, depth: usize, key: &str, value: &Value) {
        self.section.set(before);
        if depth == 0 && key == "openapi" {
            let v31 = value.as_str().and_then(Dialect::from_openapi_version);
            self.oas31.set(v31 == Some(Dialect::Oas31));
        } else if depth == 2
            && before == Section::Schemas
            && self.oas31.get()
            && unchanged_by_forward(value, Dialect::Oas31)
        {
            self.notes
                .borrow_mut()
                .unchanged_schemas
                .insert(key.to_string());
        }
    }

    /// A number serde_json kept as text (`text`, the value under [`NUMBER_TOKEN`]).
    fn json_number<E: de::Error>(&self, text: &str) -> Result<Value, E> {
        match self.numbers.json(text) {
            Some(n) => Ok(Value::Number(n)),
            None => {
                let msg = format!(
                    "`{}` is not a number (the key `{NUMBER_TOKEN}` is reserved)",
                    text.escape_debug()
                );
                Err(self.fail(codes::PARSE, msg))
            }
        }
    }

    fn fail<E: de::Error>(&self, code: &'static str, msg: String) -> E {
        let err = E::custom(&msg);
        *self.failure.borrow_mut() = Some((code, msg));
        err
    }

    /// Records one level of the failing value's location, innermost first.
    fn unwind(&self, token: String) {
        self.path.borrow_mut().push(token);
    }

    /// The JSON pointer of the value being read when the parse failed.
    pub(super) fn pointer(&self) -> String {
        let path = self.path.borrow();
        pointer::join(path.iter().rev())
    }

    #[inline]
    fn take<E: de::Error>(&self) -> Result<(), E> {
        match self.nodes_left.get().checked_sub(1) {
            Some(left) => {
                self.nodes_left.set(left);
                Ok(())
            }
            None => {
                let msg = nodes_message(&self.limits, self.allowed, false);
                Err(self.fail(codes::TOO_LARGE, msg))
            }
        }
    }

    #[inline]
    fn enter<E: de::Error>(&self, depth: usize) -> Result<(), E> {
        if depth > self.max_depth {
            let msg = format!(
                "collections are nested more than {} levels deep (raise the limit with \
                 --max-depth)",
                self.max_depth
            );
            return Err(self.fail(codes::TOO_DEEP, msg));
        }
        Ok(())
    }
}

/// Deserializes JSON into a `Value` with no duplicate keys, within the budget's depth and
/// value count.
/// With `REFS`, it also notes references ([`Budget::note`]).
#[derive(Clone, Copy)]
pub(super) struct TreeSeed<'b, const REFS: bool> {
    budget: &'b Budget<'b>,
    /// Collections enclosing the value to read.
    depth: usize,
}

impl<'b, const REFS: bool> TreeSeed<'b, REFS> {
    pub(super) fn root(budget: &'b Budget<'b>) -> Self {
        TreeSeed { budget, depth: 0 }
    }
}

impl<'de, const REFS: bool> DeserializeSeed<'de> for TreeSeed<'_, REFS> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.budget.take::<D::Error>()?;
        d.deserialize_any(TreeVisitor(self))
    }
}

struct TreeVisitor<'b, const REFS: bool>(TreeSeed<'b, REFS>);

impl<'de, const REFS: bool> Visitor<'de> for TreeVisitor<'_, REFS> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML or JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Value, E> {
        self.0.budget.numbers.seen(v);
        Ok(Value::String(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = TreeSeed::<REFS> {
            budget: self.0.budget,
            depth: self.0.depth + 1,
        };
        inner.budget.enter::<A::Error>(inner.depth)?;
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        loop {
            match seq.next_element_seed(inner) {
                Ok(Some(v)) => out.push(v),
                Ok(None) => return Ok(Value::Array(out)),
                Err(e) => {
                    inner.budget.unwind(out.len().to_string());
                    return Err(e);
                }
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = TreeSeed::<REFS> {
            budget: self.0.budget,
            depth: self.0.depth + 1,
        };
        let mut next = map.next_key_seed(KeySeed(inner.budget, false))?;
        if next.as_deref() == Some(NUMBER_TOKEN) {
            // Not a mapping: serde_json's way of handing over a number as its text.
            let text: String = map.next_value()?;
            return inner.budget.json_number(&text);
        }
        if next.is_some() {
            inner.budget.take::<A::Error>()?;
        }
        inner.budget.enter::<A::Error>(inner.depth)?;
        let mut out = Map::new();
        while let Some(key) = next.take() {
            if out.contains_key(&key) {
                let msg = format!("duplicate key `{}`", key.escape_debug());
                inner.budget.unwind(key);
                return Err(inner.budget.fail(codes::DUPLICATE_KEY, msg));
            }
            let look_ahead = REFS && inner.budget.look_ahead;
            let before = if look_ahead {
                inner.budget.enter_value(self.0.depth, &key)
            } else {
                Section::Other
            };
            match map.next_value_seed(inner) {
                Ok(value) => {
                    if look_ahead {
                        inner.budget.leave_value(before, self.0.depth, &key, &value);
                    }
                    if REFS && RefNotes::may_note(&key) {
                        inner.budget.notes.borrow_mut().note(&key, &value);
                    }
                    out.insert(key, value);
                }
                Err(e) => {
                    inner.budget.unwind(key);
                    return Err(e);
                }
            }
            next = map.next_key_seed(KeySeed(inner.budget, true))?;
        }
        Ok(Value::Object(out))
    }
}

/// Mapping keys. With `.1`, the key is counted against the budget.
struct KeySeed<'b>(&'b Budget<'b>, bool);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = String;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        if self.1 {
            self.0.take::<D::Error>()?;
        }
        d.deserialize_any(KeyVisitor(self.0))
    }
}

struct KeyVisitor<'b>(&'b Budget<'b>);

impl<'de> Visitor<'de> for KeyVisitor<'_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<String, E> {
        self.0.numbers.seen(v);
        Ok(v.to_string())
    }
    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
}
