//! Input limits, the checks that need no parsing (the size, from a file's metadata and while
//! reading it), and the message for too many values.

use std::io::Read;
use std::path::Path;

use crate::diagnostics::{codes, Diagnostic, Error};

/// Input limits, checked before the expensive work. See `docs/limits.md`.
///
/// The defaults accept GitHub's 4.8 MB, 134 000-value description with room to spare
/// (3x its size, 7x its values, 5x its depth) and keep the loader within a few hundred
/// MiB and a few seconds on any input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes (each file of a multi-file specification).
    pub max_bytes: usize,
    /// Deepest nesting of collections (mappings and sequences; the root collection is level 1).
    /// The YAML and JSON parsers stop at 128 on their own, so larger values act as 127.
    pub max_depth: usize,
    /// Most values (mappings, sequences, scalars and mapping keys) in one document, counted
    /// after YAML aliases are expanded. For YAML it is also estimated before parsing.
    pub max_nodes: usize,
}

impl Limits {
    /// The default [`Limits::max_bytes`]: 16 MiB.
    pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;
    /// The default [`Limits::max_depth`]: 100 levels.
    pub const DEFAULT_MAX_DEPTH: usize = 100;
    /// The default [`Limits::max_nodes`]: one million values.
    pub const DEFAULT_MAX_NODES: usize = 1_000_000;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: Self::DEFAULT_MAX_BYTES,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            max_nodes: Self::DEFAULT_MAX_NODES,
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
        return Err(Diagnostic::error(codes::TOO_LARGE, name, "", msg).into());
    }
    Ok(())
}

pub(super) fn nodes_message(limits: &Limits, expanded: bool) -> String {
    let mut msg = format!(
        "the document holds more than {} values (raise the limit with --max-nodes)",
        limits.max_nodes
    );
    if expanded {
        msg.push_str(
            "; YAML aliases count as often as they are used, since each `*alias` copies its \
             anchored value (an alias bomb?)",
        );
    }
    msg
}
