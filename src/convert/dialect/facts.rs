//! What one key's rewrite depends on in its siblings ([`Facts`]), and which keys the forward
//! conversion leaves under their own name at their own place.

use serde_json::{Map, Value};

use super::keywords::{draft07_kind, extra_kind, is_reserved, Kind, SIMPLE_TYPES};
use super::validity::{is_schema, is_schema_array, is_simple_type, is_singleton, valid};
use super::Dialect;

/// How a schema object is rewritten, from its own keys: what one key's conversion depends on
/// in its siblings.
pub(super) struct Facts {
    pub(super) dialect: Dialect,
    /// 3.0 `type: T` + `nullable: true` becomes `type: [T, "null"]`.
    pub(super) nullable_merge: bool,
    /// 3.0 `example: v` (without `examples`) becomes `examples: [v]`.
    pub(super) example_merge: bool,
    /// 3.0: the object has an `example`.
    pub(super) has_example: bool,
    /// 3.1 `prefixItems` becomes a draft-07 tuple `items` (and `items` -> `additionalItems`).
    pub(super) tuple: bool,
    /// 3.0 `minimum: n` + `exclusiveMinimum: true` become `exclusiveMinimum: n` (this is `n`).
    pub(super) min_merge: Option<Value>,
    /// Same for `maximum` + `exclusiveMaximum`.
    pub(super) max_merge: Option<Value>,
}

impl Facts {
    /// One pass over the keys (schema objects are small: cheaper than hashed look-ups).
    pub(super) fn of(map: &Map<String, Value>, dialect: Dialect) -> Facts {
        let oas30 = dialect == Dialect::Oas30;
        let mut facts = Facts {
            dialect,
            nullable_merge: false,
            example_merge: false,
            has_example: false,
            tuple: false,
            min_merge: None,
            max_merge: None,
        };
        if !oas30 {
            facts.tuple = map
                .iter()
                .any(|(k, v)| k == "prefixItems" && is_schema_array(v));
            return facts;
        }
        let (mut ty, mut nullable, mut has_examples) = (None, None, false);
        let (mut min, mut max, mut min_excl, mut max_excl) = (None, None, false, false);
        let is_true = |v: &Value| *v == Value::Bool(true);
        for (k, v) in map {
            match k.as_str() {
                "type" => ty = Some(v),
                "nullable" => nullable = Some(v),
                "example" => facts.has_example = true,
                "examples" => has_examples = true,
                "minimum" => min = Some(v),
                "maximum" => max = Some(v),
                "exclusiveMinimum" => min_excl = is_true(v),
                "exclusiveMaximum" => max_excl = is_true(v),
                _ => {}
            }
        }
        let simple_type = ty
            .and_then(Value::as_str)
            .is_some_and(|t| t != "null" && SIMPLE_TYPES.contains(&t));
        facts.nullable_merge = simple_type && nullable.is_some_and(is_true);
        facts.example_merge = facts.has_example && !has_examples;
        facts.min_merge = min.filter(|n| min_excl && n.is_number()).cloned();
        facts.max_merge = max.filter(|n| max_excl && n.is_number()).cloned();
        facts
    }

    /// Whether [`Forward`](super::rebuild::Forward) would write this key back under its own
    /// name at its own place, with at most its subschemas converted: `None` if not, else the
    /// kind of its subschemas, if it has any. Mirrors
    /// [`Forward::key`](super::rebuild::Forward::key).
    pub(super) fn keeps(&self, key: &str, value: &Value) -> Option<Option<Kind>> {
        if key.starts_with("x-") {
            return (!is_reserved(key)).then_some(None);
        }
        let special = match self.dialect {
            Dialect::Oas30 => match key {
                "type" => Some(is_simple_type(value) && !self.nullable_merge),
                "nullable" if self.nullable_merge => Some(false),
                "exclusiveMinimum" | "exclusiveMaximum" => Some(false),
                "minimum" if self.min_merge.is_some() => Some(false),
                "maximum" if self.max_merge.is_some() => Some(false),
                "example" if self.example_merge => Some(false),
                "examples" if !self.has_example && is_singleton(value) => Some(false),
                _ => None,
            },
            Dialect::Oas31 => match key {
                "prefixItems" => Some(false),
                "items" if value.is_array() || (self.tuple && is_schema(value)) => Some(false),
                "additionalItems" if self.tuple => Some(false),
                _ => None,
            },
        };
        if let Some(kept) = special {
            return kept.then_some(None);
        }
        if key == "discriminator" {
            return None;
        }
        match draft07_kind(key) {
            Some(kind) if valid(kind, value) => Some(holds_subschemas(kind).then_some(kind)),
            Some(_) => None,
            None => Some(extra_kind(key)),
        }
    }
}

/// Whether values of this kind hold subschemas (which the conversion visits).
fn holds_subschemas(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Schema | Kind::Items | Kind::SchemaArray | Kind::SchemaMap | Kind::Dependencies
    )
}
