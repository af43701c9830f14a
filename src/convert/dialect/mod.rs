//! Schema Object dialects: OpenAPI 3.0 / 3.1 Schema Objects <-> AsyncAPI 3.0 Schema Objects.
//!
//! The AsyncAPI Schema Object is JSON Schema draft-07 plus `discriminator` (a *string*),
//! `externalDocs`, `deprecated` and `x-` extensions. [`to_asyncapi`] rewrites only what
//! draft-07 reads differently or rejects; whatever it cannot express rides in
//! `x-openapi-<keyword>` markers (raw OpenAPI values), so [`to_openapi`] gives back exactly
//! the input. Every rule and marker is listed in `docs/schema-dialects.md`.
//!
//! Data-valued keywords (`example`, `examples`, `enum`, `const`, `default`, `xml`,
//! `externalDocs`, `discriminator.mapping`, `x-` extensions) are copied, never descended into.
//!
//! Layout: `forward` (OpenAPI -> AsyncAPI, in place) with `facts` (what a key's rewrite depends
//! on in its siblings) and `rebuild` (objects whose keys change); `reverse` (AsyncAPI ->
//! OpenAPI); `keywords` (keyword kinds, marker names) and `validity` (what draft-07 accepts),
//! shared by both directions.

mod facts;
mod forward;
mod keywords;
mod rebuild;
mod reverse;
mod validity;
pub(crate) use keywords::for_each_subschema_mut;
pub(crate) use validity::numeric_key;

#[cfg(test)]
mod tests;

pub use forward::{to_asyncapi, to_asyncapi_in_place, to_asyncapi_owned};
pub(crate) use forward::{to_asyncapi_noting, unchanged_by_forward, Noted};
pub use reverse::to_openapi;

/// The Schema Object dialect of an OpenAPI document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// OpenAPI 3.0.x: extended subset of JSON Schema Wright draft 00 (`nullable`, boolean
    /// `exclusiveMinimum`, `example`).
    Oas30,
    /// OpenAPI 3.1.x and 3.2.x: superset of JSON Schema 2020-12.
    Oas31,
}

impl Dialect {
    /// `"3.0"` / `"3.0.<patch>"` -> `Oas30`, `"3.1"`, `"3.2"` (and patches) -> `Oas31`, else
    /// `None` (Swagger 2.0 and later versions are out of scope).
    pub fn from_openapi_version(v: &str) -> Option<Dialect> {
        let rest = v.trim().strip_prefix("3.")?;
        let (minor, patch) = match rest.split_once('.') {
            Some((minor, patch)) => (minor, Some(patch)),
            None => (rest, None),
        };
        if patch.is_some_and(str::is_empty) {
            return None;
        }
        match minor {
            "0" => Some(Dialect::Oas30),
            // 3.2's Schema Object is 3.1's: JSON Schema 2020-12 with the OAS base vocabulary.
            "1" | "2" => Some(Dialect::Oas31),
            _ => None,
        }
    }
}
