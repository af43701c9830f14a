//! Line and column for diagnostics. The loader keeps no positions (that would slow every
//! load for the rare diagnostic), so the files diagnostics name are read again, once each, and
//! their pointers located with the [`source_map`](super::source_map).
//!
//! A pointer that names no value in the file (a component bundled in from another file, a
//! member that is missing) gets the position of its deepest ancestor that the file has.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::document::source_map::SourceMap;

/// Largest file read again for positions (the loader refuses larger ones by default).
const MAX_BYTES: u64 = 256 << 20;

/// Sets `line` and `column` of every diagnostic that lacks them and names a readable file.
pub fn add_positions(diagnostics: &mut [Diagnostic]) {
    let missing = diagnostics.iter_mut().filter(|d| d.line.is_none());
    place_all(missing, |d| {
        (&d.file, &d.pointer, &mut d.line, &mut d.column)
    });
}

/// The fields of a finding that [`place_all`] reads and writes: file, pointer, line, column.
pub type Place<'t> = (
    &'t String,
    &'t String,
    &'t mut Option<usize>,
    &'t mut Option<usize>,
);

/// Sets line and column of each item from its file and pointer, reading each file once.
pub fn place_all<T>(items: impl Iterator<Item = T>, place: impl Fn(&mut T) -> Place<'_>) {
    let mut by_file: BTreeMap<String, Vec<T>> = BTreeMap::new();
    for mut item in items {
        let file = place(&mut item).0.clone();
        by_file.entry(file).or_default().push(item);
    }
    for (file, found) in by_file {
        locate_in(&file, found, &place);
    }
}

fn locate_in<T>(file: &str, items: Vec<T>, place: impl Fn(&mut T) -> Place<'_>) {
    // Only a regular file of a size a document can have: never a device (`/dev/zero`), a pipe
    // or standard input, which cannot be read twice.
    let readable = std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.len() <= MAX_BYTES);
    let Some(text) = readable
        .then(|| std::fs::read_to_string(file).ok())
        .flatten()
    else {
        return;
    };
    let map = SourceMap::new(&text);
    for mut item in items {
        let (_, pointer, line, column) = place(&mut item);
        if let Some((l, c, _)) = map.locate_nearest(pointer) {
            (*line, *column) = (Some(l), Some(c));
        }
    }
}
