//! Input limits, the checks that need no parsing (the size, from a file's metadata and while
//! reading it), and the message for too many values.

use std::io::Read;
use std::path::Path;

use crate::diagnostics::{codes, Diagnostic, Error};

/// Input limits, checked before the expensive work. See `docs/limits.md`.
///
/// They bound what is dangerous rather than what real documents reach: a huge or endless
/// input (`max_bytes`, 128 MiB: 2.7x Microsoft Graph's 47 MB beta description), nesting
/// (`max_depth`), YAML's value count (`max_nodes`: aliases multiply values without bytes, and a
/// value can take two bytes of text), and JSON's values per
/// byte (`json_bytes_per_node`: JSON streams, so only density amplifies memory).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes (each file of a multi-file specification).
    pub max_bytes: usize,
    /// Deepest nesting of collections (mappings and sequences; the root collection is level 1).
    /// The JSON parser stops at 128 on its own and YAML is held to the same, so larger values
    /// act as 127.
    pub max_depth: usize,
    /// Most values (mappings, sequences, scalars and mapping keys) in one YAML document,
    /// counted after aliases are expanded (also estimated before parsing), and in a JSON
    /// document of up to `max_nodes * json_bytes_per_node` bytes.
    pub max_nodes: usize,
    /// A larger JSON document may hold one value per this many bytes of its size (0: no
    /// allowance, `max_nodes` holds for every size).
    pub json_bytes_per_node: usize,
    /// Read what YAML 1.2 forbids but js-yaml and libyaml read (a multi-line quoted scalar
    /// continued at its key's column), a `yaml-lenient` warning each. Off by default: a
    /// `parse` error with its position, like every other YAML error (docs/yaml.md).
    pub yaml_lenient: bool,
}

impl Limits {
    /// The default [`Limits::max_bytes`]: 128 MiB.
    pub const DEFAULT_MAX_BYTES: usize = 128 * 1024 * 1024;
    /// The default [`Limits::max_depth`]: 100 levels.
    pub const DEFAULT_MAX_DEPTH: usize = 100;
    /// The default [`Limits::max_nodes`]: one million values.
    pub const DEFAULT_MAX_NODES: usize = 1_000_000;
    /// The default [`Limits::json_bytes_per_node`]: 8 (Microsoft Graph has 15 to 18).
    pub const DEFAULT_JSON_BYTES_PER_NODE: usize = 8;

    /// The most values a document of `len` bytes may hold.
    pub fn node_allowance(&self, len: usize, json: bool) -> usize {
        match (json, len.checked_div(self.json_bytes_per_node)) {
            (true, Some(by_size)) => self.max_nodes.max(by_size),
            _ => self.max_nodes,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: Self::DEFAULT_MAX_BYTES,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            max_nodes: Self::DEFAULT_MAX_NODES,
            json_bytes_per_node: Self::DEFAULT_JSON_BYTES_PER_NODE,
            yaml_lenient: false,
        }
    }
}

/// Reads a file, refusing it when it holds more than `limits.max_bytes`: first from its
/// metadata, without reading it, then while reading, so that a growing file, a pipe or a
/// device (`/dev/zero`) cannot exhaust memory.
pub fn read_capped(path: &Path, name: &str, limits: &Limits) -> Result<Vec<u8>, Error> {
    let io = |e: std::io::Error| -> Error {
        Diagnostic::error(codes::IO, name, "", format!("cannot read the file: {e}")).into()
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        let msg = "cannot read the file: it is a directory";
        return Err(Diagnostic::error(codes::IO, name, "", msg).into());
    }
    let len = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    check_size(name, len, limits)?;
    let cap = limits.max_bytes.saturating_add(1);
    let mut bytes = Vec::with_capacity(if meta.is_file() { len } else { 0 });
    file.take(cap as u64).read_to_end(&mut bytes).map_err(io)?;
    check_size(name, bytes.len(), limits)?;
    Ok(bytes)
}

pub(super) fn check_size(name: &str, len: usize, limits: &Limits) -> Result<(), Error> {
    if len > limits.max_bytes {
        let msg = if len == limits.max_bytes.saturating_add(1) {
            // A capped read: the real size is unknown.
            format!(
                "the input is larger than the limit of {} bytes (raise it with --max-bytes)",
                limits.max_bytes
            )
        } else {
            format!(
                "the input is {len} bytes, more than the limit of {} bytes (raise it with \
                 --max-bytes)",
                limits.max_bytes
            )
        };
        // At 1:1 already: the diagnostics' positions would otherwise read the file again.
        return Err(Diagnostic::error(codes::TOO_LARGE, name, "", msg)
            .at(1, 1)
            .into());
    }
    Ok(())
}

pub(super) fn nodes_message(limits: &Limits, allowed: usize, expanded: bool) -> String {
    let mut msg = format!("the document holds more than {allowed} values");
    if allowed > limits.max_nodes {
        msg.push_str(&format!(
            " (a JSON document may hold {} values, or one per {} bytes of its size)",
            limits.max_nodes, limits.json_bytes_per_node
        ));
    }
    msg.push_str(" (raise the limit with --max-nodes)");
    if expanded {
        msg.push_str(
            "; YAML aliases count as often as they are used, since each `*alias` copies its \
             anchored value (an alias bomb?)",
        );
    }
    msg
}
