//! hookbridge: bridges OpenAPI webhooks and callbacks to AsyncAPI 3.0 with HTTP bindings.
//!
//! Data flows one way: [`load`] reads a document into an order-preserving tree,
//! [`to_asyncapi`] converts it, [`emit`] writes it. Nothing here prints or exits.

pub mod diagnostics;
pub mod dialect;
pub mod emit;
pub mod load;
pub mod pointer;
pub mod runtime_expr;
