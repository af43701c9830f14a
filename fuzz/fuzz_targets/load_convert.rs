//! Load + convert in both directions, then emit and re-read the output.
//!
//! The first byte picks the options (perspective, `include_paths`, schema format,
//! output format); the rest is the document. Errors are fine, panics, hangs and
//! blow-ups are not. Invariant checked: whatever the converter produces, the emitter
//! writes text that the loader reads back to the same tree.

#![no_main]

use hookbridge::document::emit::{self, Format};
use hookbridge::{ConvertOptions, Document, Limits, Perspective, SchemaFormat, Target};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, bytes)) = data.split_first() else {
        return;
    };
    let options = ConvertOptions {
        perspective: if flags & 1 == 0 {
            Perspective::Provider
        } else {
            Perspective::Consumer
        },
        include_paths: flags & 2 != 0,
        schema_format: if flags & 4 == 0 {
            SchemaFormat::AsyncApi
        } else {
            SchemaFormat::OpenApi
        },
        ..Default::default()
    };
    let format = if flags & 8 == 0 {
        Format::Yaml
    } else {
        Format::Json
    };
    // A tenth of the default value count: under AddressSanitizer, expanding an alias bomb
    // to the default million values takes longer than the timeout (0.4 s in a release build;
    // the hostile suite measures that). The output is read back with the defaults.
    let input_limits = Limits {
        max_nodes: 100_000,
        ..Limits::default()
    };
    let limits = Limits::default();
    let Ok(doc) = hookbridge::document::load::parse_bytes(bytes, "fuzz.yaml", &input_limits) else {
        return;
    };
    if let Ok(there) = hookbridge::convert_document(&doc, &options) {
        let text = emit::to_string(&there.document, format);
        let reread = hookbridge::document::load::parse_str(&text, "out", &limits)
            .unwrap_or_else(|e| panic!("the emitted output does not load: {e}\n{text}"));
        assert_eq!(
            reread.value, there.document,
            "emit/load changed the tree:\n{text}"
        );
        if there.target == Target::AsyncApi {
            let middle = Document {
                name: doc.name.clone(),
                syntax: doc.syntax,
                value: there.document,
            };
            if let Ok(back) = hookbridge::convert_document(&middle, &options) {
                let text = emit::to_string(&back.document, format);
                let reread = hookbridge::document::load::parse_str(&text, "back", &limits)
                    .unwrap_or_else(|e| panic!("the emitted output does not load: {e}\n{text}"));
                assert_eq!(
                    reread.value, back.document,
                    "emit/load changed the tree:\n{text}"
                );
            }
        }
    }
    let _ = hookbridge::roundtrip(&doc, &options, flags & 16 != 0);
});
