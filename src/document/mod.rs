//! Documents as text and trees: reading YAML/JSON with limits ([`load`]), positions
//! ([`source_map`]), JSON pointers ([`pointer`](mod@pointer)), `$ref` bundling and following ([`refs`]) and
//! writing ([`emit`], [`write`](mod@write)), finding documents on disk ([`discover`]). Nothing
//! here knows OpenAPI or AsyncAPI beyond where `$ref`s may point and their root keys.

pub mod discover;
pub mod emit;
pub mod load;
pub mod pointer;
pub mod positions;
pub mod refs;
pub mod source_map;
pub mod write;
