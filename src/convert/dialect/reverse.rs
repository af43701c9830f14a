//! AsyncAPI -> OpenAPI (the undo): [`Reverse`] rebuilds each schema object, markers giving back
//! the raw OpenAPI values and draft-07 renderings turned back into the dialect's own.

use serde_json::{Map, Value};

use super::keywords::{
    children, draft07_kind, extra_kind, marker_keyword, override_marker, Kind, ESCAPED,
    SIMPLE_TYPES,
};
use super::Dialect;

/// AsyncAPI Schema Object -> OpenAPI Schema Object of `dialect`. Exact inverse of
/// [`to_asyncapi`](super::to_asyncapi): `to_openapi(&to_asyncapi(s, d), d) == s`.
pub fn to_openapi(schema: &Value, dialect: Dialect) -> Value {
    match schema {
        Value::Object(map) => Value::Object(Reverse::new(map, dialect).run()),
        other => other.clone(),
    }
}

/// One AsyncAPI Schema Object -> OpenAPI, key by key, in input order.
struct Reverse<'a> {
    src: &'a Map<String, Value>,
    dialect: Dialect,
    out: Map<String, Value>,
    /// 3.1: a draft-07 tuple `items` becomes `prefixItems` (and `additionalItems` -> `items`).
    tuple: bool,
}

impl<'a> Reverse<'a> {
    fn new(src: &'a Map<String, Value>, dialect: Dialect) -> Self {
        let tuple = dialect == Dialect::Oas31
            && src.get("items").is_some_and(Value::is_array)
            && !src.contains_key("prefixItems");
        Reverse {
            src,
            dialect,
            out: Map::with_capacity(src.len()),
            tuple,
        }
    }

    fn run(mut self) -> Map<String, Value> {
        let src = self.src;
        for (key, value) in src {
            self.key(key, value);
        }
        self.out
    }

    fn key(&mut self, key: &str, value: &Value) {
        let src = self.src;
        if key == ESCAPED {
            return self.unescape(value);
        }
        if let Some(keyword) = marker_keyword(key) {
            return self.marker(keyword, value);
        }
        if let Some(marker) = override_marker(key).and_then(|m| src.get(m)) {
            return self.overridden(key, value, marker);
        }
        let handled = match self.dialect {
            Dialect::Oas30 => self.oas30_key(key, value),
            Dialect::Oas31 => self.oas31_key(key, value),
        };
        if !handled {
            self.common_key(key, value);
        }
    }

    fn emit(&mut self, key: &str, value: Value) {
        self.out.insert(key.to_owned(), value);
    }

    fn convert(&self, value: &Value) -> Value {
        to_openapi(value, self.dialect)
    }

    fn unescape(&mut self, value: &Value) {
        match value {
            Value::Object(escaped) => {
                for (k, v) in escaped {
                    self.emit(k, v.clone());
                }
            }
            other => self.emit(ESCAPED, other.clone()),
        }
    }

    /// A marker restores its keyword, at the keyword's own position when that is present.
    fn marker(&mut self, keyword: &str, value: &Value) {
        if override_marker(keyword).is_none() || !self.src.contains_key(keyword) {
            self.emit(keyword, value.clone());
        }
    }

    fn overridden(&mut self, key: &str, value: &Value, marker: &Value) {
        match (key, value, marker) {
            ("discriminator", Value::String(name), Value::Object(rest)) => {
                self.emit(key, discriminator_object(name, Some(rest)));
            }
            _ => self.emit(key, marker.clone()),
        }
    }

    fn oas30_key(&mut self, key: &str, value: &Value) -> bool {
        let src = self.src;
        match key {
            "type" if !src.contains_key("nullable") => match nullable_split(value) {
                Some(single) => {
                    self.emit("type", single);
                    self.emit("nullable", Value::Bool(true));
                }
                None => return false,
            },
            "exclusiveMinimum" => return self.unbound30("minimum", key, value),
            "exclusiveMaximum" => return self.unbound30("maximum", key, value),
            "examples" if !src.contains_key("example") => match value.as_array().map(Vec::as_slice)
            {
                Some([only]) => self.emit("example", only.clone()),
                _ => return false,
            },
            _ => return false,
        }
        true
    }

    /// Numeric draft-07 bound -> 3.0 `minimum: n` + `exclusiveMinimum: true`.
    fn unbound30(&mut self, bound: &str, key: &str, value: &Value) -> bool {
        if !value.is_number() || self.src.contains_key(bound) {
            return false;
        }
        self.emit(bound, value.clone());
        self.emit(key, Value::Bool(true));
        true
    }

    fn oas31_key(&mut self, key: &str, value: &Value) -> bool {
        match key {
            "items" if self.tuple => {
                let prefix = children(Kind::SchemaArray, value, &|v| self.convert(v));
                self.emit("prefixItems", prefix);
            }
            "additionalItems" if self.tuple => {
                let rest = self.convert(value);
                self.emit("items", rest);
            }
            _ => return false,
        }
        true
    }

    fn common_key(&mut self, key: &str, value: &Value) {
        let converted = match (key, value) {
            ("discriminator", Value::String(name)) => discriminator_object(name, None),
            _ => match draft07_kind(key).or_else(|| extra_kind(key)) {
                Some(kind) => children(kind, value, &|v| self.convert(v)),
                None => value.clone(),
            },
        };
        self.emit(key, converted);
    }
}

fn discriminator_object(name: &str, rest: Option<&Map<String, Value>>) -> Value {
    let mut object = Map::with_capacity(1 + rest.map_or(0, Map::len));
    object.insert("propertyName".to_owned(), Value::String(name.to_owned()));
    for (k, v) in rest.into_iter().flatten() {
        object.insert(k.clone(), v.clone());
    }
    Value::Object(object)
}

/// `[T, "null"]` or `["null", T]` with a simple non-null `T` -> `T`.
fn nullable_split(value: &Value) -> Option<Value> {
    let [a, b] = value.as_array()?.as_slice() else {
        return None;
    };
    let single = match (a.as_str(), b.as_str()) {
        (Some(t), Some("null")) | (Some("null"), Some(t)) => t,
        _ => return None,
    };
    (single != "null" && SIMPLE_TYPES.contains(&single)).then(|| Value::String(single.to_owned()))
}
