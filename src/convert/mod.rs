//! The two directions of conversion and what makes them exact: OpenAPI -> AsyncAPI
//! ([`to_asyncapi`]), AsyncAPI -> OpenAPI ([`to_openapi`]), the schema dialects ([`dialect`]),
//! runtime expressions ([`runtime_expr`]), the `x-asyncapi` record ([`restore`], [`patch`]) and
//! merging into an existing document ([`into`]).

pub mod dialect;
pub mod into;
pub mod operation_tags;
pub mod patch;
pub mod restore;
pub mod runtime_expr;
pub mod to_asyncapi;
pub mod to_openapi;
pub mod version;
pub mod version_schemas;
