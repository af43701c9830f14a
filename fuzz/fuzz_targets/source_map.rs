//! `source_map::locate` and `render_snippet` on arbitrary text and pointers: no panic, and
//! every position found is inside the text. For text that loads, every pointer into the
//! loaded tree that `locate` finds must be on a line of the text.
//!
//! Until `src/lib.rs` declares `pub mod source_map`, the module is compiled in from its file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

mod pointer {
    pub use hookbridge::document::pointer::*;
}
#[path = "../../src/source_map.rs"]
#[allow(dead_code)]
mod source_map;

fn check(text: &str, pointer: &str) {
    let lines = text.split('\n').count();
    if let Some((line, column)) = source_map::locate(text, pointer) {
        assert!(
            line >= 1 && line <= lines,
            "{pointer}: line {line} of {lines}"
        );
        assert!(column >= 1);
        assert!(!source_map::render_snippet(text, line, column).is_empty() || text.ends_with('\n'));
    }
    let _ = source_map::locate_nearest(text, pointer);
}

fn walk(text: &str, v: &Value, at: String, budget: &mut usize) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    check(text, &at);
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                walk(text, v, hookbridge::document::pointer::push(&at, k), budget);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                walk(text, v, format!("{at}/{i}"), budget);
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    // Text, then an optional pointer after the last 0xff byte.
    let (text, pointer) = match data.iter().rposition(|&b| b == 0xff) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    if let Ok(pointer) = std::str::from_utf8(pointer) {
        check(text, pointer);
        for line in 0..4 {
            let _ = source_map::render_snippet(text, line, pointer.len());
        }
    }
    if let Ok(doc) = hookbridge::document::load::parse_str(text, "fuzz", &Default::default()) {
        let mut budget = 200;
        walk(text, &doc.value, String::new(), &mut budget);
    }
});
