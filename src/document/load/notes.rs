//! [`RefNotes`]: the `$ref` values the tree builder notes on the way, when asked to (the
//! `REFS` tree seeds), for the bundler.

use std::collections::HashSet;

use serde_json::Value;

/// What [`load_path_noting_refs`] saw of references while it built the tree, so that the
/// bundler can tell a document that references no other file without walking the tree again.
/// It holds every candidate, wherever it is (data included); what they mean is up to the caller.
///
/// [`load_path_noting_refs`]: super::load_path_noting_refs
#[derive(Debug, Clone, Default)]
pub struct RefNotes {
    /// Every distinct string value of a `$ref` key.
    pub refs: HashSet<String>,
    /// Every distinct string value inside an object under a `mapping` key (where a
    /// discriminator's mapping may hold references).
    pub mapping_values: HashSet<String>,
    /// Constructs read though YAML forbids them (`codes::YAML_LENIENT`), with their positions.
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
    /// The names of the component schemas (`components.schemas`) of an OpenAPI 3.1 or 3.2
    /// document that the forward conversion would leave as they are
    /// (`dialect::unchanged_by_forward`), checked by the JSON tree builder right after building
    /// each one. Empty when unknown (YAML, `openapi` after `components`, other versions).
    pub unchanged_schemas: HashSet<String>,
}

impl RefNotes {
    /// Whether [`RefNotes::note`] may note something under `key`: a cheap first look, since
    /// it runs for every key.
    #[inline(always)]
    pub(super) fn may_note(key: &str) -> bool {
        matches!(
            (key.len(), key.as_bytes().first()),
            (4, Some(b'$')) | (7, Some(b'm'))
        )
    }

    /// Notes a member of a mapping (see [`RefNotes`]).
    #[inline(never)]
    pub(super) fn note(&mut self, key: &str, value: &Value) {
        match (key, value) {
            ("$ref", Value::String(r)) if !self.refs.contains(r.as_str()) => {
                self.refs.insert(r.clone());
            }
            ("mapping", Value::Object(m)) => {
                for v in m.values() {
                    if let Value::String(s) = v {
                        if !self.mapping_values.contains(s.as_str()) {
                            self.mapping_values.insert(s.clone());
                        }
                    }
                }
            }
            _ => {}
        }
    }
}
