//! Tests of loading: syntax detection, errors and their positions, the limits, the YAML
//! pre-scan's estimate, and noting references.

use std::path::Path;

use serde_json::Value;

use super::prescan::prescan_yaml;
use super::*;
use crate::diagnostics::codes;

fn parse(text: &str) -> Result<Document, Error> {
    parse_str(text, "t.yaml", &Limits::default())
}

fn parse_with(text: &str, limits: Limits) -> Result<Document, Box<Diagnostic>> {
    parse_str(text, "t.yaml", &limits).map_err(|e| e.diagnostic)
}

fn limits(max_depth: usize, max_nodes: usize) -> Limits {
    Limits {
        max_depth,
        max_nodes,
        ..Limits::default()
    }
}

#[test]
fn noting_refs_builds_the_same_tree_and_notes_every_ref() {
    let text = "a: {$ref: '#/b'}\nb: [{$ref: x.yaml}, {$ref: 5}, {c: {$ref: '#/b'}}]\n\
                d: {discriminator: {mapping: {x: Dog, y: '#/b'}}}\ne: &e {$ref: '#/e2'}\nf: *e\n";
    for text in [
        text.to_string(),
        serde_json::to_string(&parse(text).unwrap().value).unwrap(),
    ] {
        let plain = parse(&text).unwrap();
        let (doc, notes) =
            parse_bytes_noting::<true>(text.as_bytes(), "t.yaml", &Limits::default(), false)
                .unwrap();
        assert_eq!(doc.value, plain.value);
        assert_eq!(doc.syntax, plain.syntax);
        let mut refs: Vec<_> = notes.refs.iter().map(String::as_str).collect();
        refs.sort();
        assert_eq!(refs, ["#/b", "#/e2", "x.yaml"]);
        let mut mapping: Vec<_> = notes.mapping_values.iter().map(String::as_str).collect();
        mapping.sort();
        assert_eq!(mapping, ["#/b", "Dog"]);
    }
    let (_, notes) =
        parse_bytes_noting::<false>(text.as_bytes(), "t", &Limits::default(), false).unwrap();
    assert!(notes.refs.is_empty() && notes.mapping_values.is_empty());
}

#[test]
fn integer_keys_become_strings_and_order_is_kept() {
    let doc =
        parse("responses:\n  200: {description: ok}\n  404: {description: no}\n  default: {}\n")
            .unwrap();
    let keys: Vec<_> = doc.value["responses"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["200", "404", "default"]);
    assert_eq!(doc.syntax, Syntax::Yaml);
}

#[test]
fn json_is_detected() {
    let doc = parse("  {\"b\": 1, \"a\": [true, null, 1.5]}").unwrap();
    assert_eq!(doc.syntax, Syntax::Json);
    assert_eq!(
        serde_json::to_string(&doc.value).unwrap(),
        r#"{"b":1,"a":[true,null,1.5]}"#
    );
}

#[test]
fn duplicate_keys_are_errors_with_position() {
    let err = parse("a: 1\nb:\n  c: 1\n  c: 2\n").unwrap_err().diagnostic;
    assert_eq!(err.code, codes::DUPLICATE_KEY);
    assert_eq!(err.message, "duplicate key `c`");
    assert_eq!(err.pointer, "/b/c");
    assert!(err.line.is_some());
    let err = parse("p:\n  /a~b:\n  - x: 1\n    x: 2\n")
        .unwrap_err()
        .diagnostic;
    assert_eq!(err.pointer, "/p/~1a~0b/0/x");
    let err = parse("{\"a\": 1, \"a\": 2}").unwrap_err().diagnostic;
    assert_eq!(err.code, codes::DUPLICATE_KEY);
    assert_eq!(err.line, Some(1));
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let err = parse("a: 1\nb: [1, 2\n").unwrap_err().diagnostic;
    assert_eq!(err.code, codes::PARSE);
    assert!(err.line.is_some(), "{err}");
}

#[test]
fn empty_and_binary_inputs_are_rejected() {
    assert_eq!(parse("").unwrap_err().diagnostic.code, codes::EMPTY);
    assert_eq!(
        parse("# only a comment\n").unwrap_err().diagnostic.code,
        codes::EMPTY
    );
    let err = parse("a: 1\nb\0").unwrap_err().diagnostic;
    assert_eq!(err.code, codes::PARSE);
    assert_eq!((err.line, err.column), (Some(2), Some(2)));
    let err = parse_bytes(b"a: 1\nb: \xff\xfe", "t", &Limits::default()).unwrap_err();
    assert!(err.diagnostic.message.contains("UTF-8"));
    assert_eq!(err.diagnostic.line, Some(2));
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    let err = parse_bytes(png, "t", &Limits::default()).unwrap_err();
    assert!(err.diagnostic.message.contains("binary"), "{err}");
    for utf16 in [
        &b"\xff\xfea\x00:\x00"[..],
        b"a\x00:\x00 \x001\x00",
        b"\x00a\x00:\x00 ",
    ] {
        let err = parse_bytes(utf16, "t", &Limits::default()).unwrap_err();
        assert!(err.diagnostic.message.contains("UTF-16"), "{err}");
    }
}

#[test]
fn deep_flow_nesting_is_rejected_before_parsing() {
    let text = "a: ".to_string() + &"{a: ".repeat(100_000);
    let err = parse(&text).unwrap_err().diagnostic;
    assert_eq!(err.code, codes::TOO_DEEP);
    assert_eq!(err.line, Some(1));
    assert!(err.message.contains("flow collections"), "{err}");
    // One bracket per line is no way around it.
    let text = "a:\n".to_string() + &"  [\n".repeat(100_000);
    assert_eq!(parse(&text).unwrap_err().diagnostic.code, codes::TOO_DEEP);
    // Brackets inside quoted strings, comments and plain scalars do not count.
    let ok = format!(
        "a: '{}'\n# {}\nb: [[1]]\nc: \"{}\"\nd: see [1 {}\n",
        "[".repeat(500),
        "{".repeat(500),
        "{".repeat(500),
        "[".repeat(500)
    );
    assert!(parse(&ok).is_ok(), "{:?}", parse(&ok).err());
    let mut many = String::new();
    for i in 0..300 {
        many.push_str(&format!("k{i}: see [{i} and {{ too\n"));
    }
    assert!(parse(&many).is_ok(), "{:?}", parse(&many).err());
}

#[test]
fn quotes_do_not_hide_flow_collections_from_the_prescan() {
    let deep = "[".repeat(5000);
    // An apostrophe inside a flow plain scalar does not open a quote.
    let text = format!("a: [it's, {deep}\n");
    assert_eq!(parse(&text).unwrap_err().diagnostic.code, codes::TOO_DEEP);
    // Nor on the continuation line of a plain scalar.
    let text = format!("a: b\n  'c\nd: {deep}\n");
    assert_eq!(parse(&text).unwrap_err().diagnostic.code, codes::TOO_DEEP);
    // Nor inside a block scalar that has ended.
    let text = format!("- - |\n  'x\n  - {deep}\n");
    assert_eq!(parse(&text).unwrap_err().diagnostic.code, codes::TOO_DEEP);
    // A multi-line quoted scalar is skipped.
    let text = format!("a: \"x\n  {deep}\n  y\"\nb: 1\n");
    assert_eq!(parse(&text).unwrap().value["b"], 1);
}

#[test]
fn block_scalars_are_skipped_by_the_prescan() {
    let code = "  [[[[[[[[[[\n".repeat(20);
    let text = format!(
        "a: |\n{code}b: >-\n{code}c: |2\n{code}d:\n- |\n  {}\ne: 1\n",
        "- ".repeat(200)
    );
    let doc = parse_with(&text, limits(5, 1000)).unwrap();
    assert_eq!(doc.value["e"], 1);
    assert!(doc.value["d"][0].as_str().unwrap().starts_with("- - - "));
}

#[test]
fn deep_block_nesting_is_rejected_before_parsing() {
    let text = "- ".repeat(100_000) + "x\n";
    let err = parse(&text).unwrap_err().diagnostic;
    assert_eq!(err.code, codes::TOO_DEEP);
    assert!(err.message.contains("block collections"), "{err}");
    let text = "a:\n".to_string() + &"  ? ".repeat(100_000) + "x\n";
    assert_eq!(parse(&text).unwrap_err().diagnostic.code, codes::TOO_DEEP);
}

#[test]
fn depth_limit_is_exact_while_building_the_tree() {
    let nested = |d: usize| "[".repeat(d) + &"]".repeat(d);
    assert!(parse(&format!("a: {}", nested(99))).is_ok());
    let err = parse(&format!("a: {}", nested(100)))
        .unwrap_err()
        .diagnostic;
    assert_eq!(err.code, codes::TOO_DEEP);
    // JSON, which has no pre-scan.
    assert!(parse(&nested(100)).is_ok());
    let err = parse(&nested(101)).unwrap_err().diagnostic;
    assert_eq!(err.code, codes::TOO_DEEP);
    assert!(err.message.contains("100 levels"), "{err}");
    assert_eq!(err.line, Some(1));
    // Block nesting over several lines: the parser sees it, the tree builder stops it.
    let mut text = String::new();
    for d in 0..12 {
        text.push_str(&format!("{}k{d}:\n", "  ".repeat(d)));
    }
    text.push_str(&format!("{}x: 1\n", "  ".repeat(12)));
    assert!(parse_with(&text, limits(13, 1000)).is_ok());
    let err = parse_with(&text, limits(12, 1000)).unwrap_err();
    assert_eq!(err.code, codes::TOO_DEEP);
    assert!(err.line.is_some(), "{err}");
    // Beyond the parsers' own limit of 128, their message is made readable.
    let err = parse_with(&nested(200), limits(1000, 1000)).unwrap_err();
    assert_eq!(err.code, codes::TOO_DEEP);
    assert!(err.message.contains("127"), "{err}");
    // YAML stops there too.
    let err = parse_with(&format!("a: {}", nested(200)), limits(1000, 1000)).unwrap_err();
    assert_eq!(err.code, codes::TOO_DEEP);
    assert!(err.message.contains("127"), "{err}");
    assert_eq!((err.line, err.column), (Some(1), Some(130)));
}

#[test]
fn node_limit_is_checked_before_and_while_parsing() {
    let list = format!("a: [{}]\n", vec!["1"; 2000].join(", "));
    assert!(parse_with(&list, limits(100, 2003)).is_ok());
    let err = parse_with(&list, limits(100, 1000)).unwrap_err();
    assert_eq!(err.code, codes::TOO_LARGE);
    assert!(err.message.contains("--max-nodes"), "{err}");
    let block = "- x\n".repeat(2000);
    assert!(parse_with(&block, limits(100, 1000)).is_err());
    let json = format!("[{}]", vec!["1"; 2000].join(","));
    assert!(parse_with(&json, limits(100, 2001)).is_ok());
    let err = parse_with(&json, limits(100, 2000)).unwrap_err();
    assert_eq!(err.code, codes::TOO_LARGE);
    assert_eq!(err.line, Some(1));
}

#[test]
fn size_limit_is_checked() {
    let limits = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    let err = parse_str("a: 12345678901", "t", &limits)
        .unwrap_err()
        .diagnostic;
    assert_eq!(err.code, codes::TOO_LARGE);
    assert!(err.message.contains("--max-bytes"), "{err}");
}

#[test]
fn reading_is_capped_for_pipes_and_devices() {
    let limits = Limits {
        max_bytes: 1000,
        ..Limits::default()
    };
    if Path::new("/dev/zero").exists() {
        let err = load_path(Path::new("/dev/zero"), &limits).unwrap_err();
        assert_eq!(err.diagnostic.code, codes::TOO_LARGE);
    }
    let err = load_path(Path::new("."), &limits).unwrap_err();
    assert_eq!(err.diagnostic.code, codes::IO);
}

fn bomb(width: usize, levels: usize) -> String {
    let mut text = format!("a0: &a0 [{}]\n", vec!["x"; width].join(", "));
    for i in 1..levels {
        let refs = vec![format!("*a{}", i - 1); width].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    text
}

#[test]
fn alias_bombs_are_refused() {
    // Billion laughs: the value limit stops it (an alias counts the values it copies).
    let err = parse(&bomb(9, 10)).unwrap_err().diagnostic;
    assert_eq!(err.code, codes::TOO_LARGE, "{err}");
    assert!(err.message.contains("alias"), "{err}");
    // Wide anchors: the same.
    let err = parse(&bomb(1000, 3)).unwrap_err().diagnostic;
    assert_eq!(err.code, codes::TOO_LARGE, "{err}");
    assert!(err.message.contains("alias"), "{err}");
    // Aliases in moderation are fine.
    let doc = parse("a: &x {type: string}\nb: *x\n").unwrap();
    assert_eq!(doc.value["b"]["type"], "string");
}

#[test]
fn tags_and_non_scalar_keys_are_errors() {
    assert!(parse("a: !foo bar\n").is_err());
    assert!(parse("? [a]\n: b\n").is_err());
}

#[test]
fn prescan_estimates_values_closely() {
    // The estimate never refuses a document whose real count fits.
    for text in [
        "a: 1\nb: [1, 2, {c: d}]\n",
        "- a: 1\n  b: 2\n- 'x'\n- \"y\"\n",
        "a: |\n  text\n  more\nb: >\n  folded\n",
        "? a\n: b\n",
    ] {
        let doc = parse(text).unwrap();
        let real = count(&doc.value);
        assert!(parse_with(text, limits(100, real)).is_ok(), "{text}");
    }
}

/// The pre-scan's estimate of the number of values: the smallest limit it accepts.
fn estimate(text: &str) -> usize {
    let (mut lo, mut hi) = (0, 10_000_000);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if prescan_yaml(text, "t", &limits(100, mid)).is_ok() {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

#[test]
fn prescan_estimate_is_close_below_the_real_count() {
    let lines = |f: &dyn Fn(usize) -> String| (0..500).map(f).collect::<String>();
    let texts = [
        lines(&|i| format!("k{i}:\n")),
        format!(
            "m: {{{}}}\n",
            (0..500)
                .map(|i| format!("k{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        lines(&|i| format!("- a: {i}\n")),
        lines(&|i| format!("- a: {i}\n  b: x\n")),
        lines(&|i| format!("k{i}:\n  a:\n    b: 1\n  c:\n  - 1\n  - [2, {{d: e}}]\n")),
        lines(&|i| format!("- - {i}\n")),
        format!("s: [{}]\n", lines(&|i| format!("a{i}: b, "))),
        lines(&|i| format!("k{i}:\n  plain text\n  continued\n")),
        lines(&|i| format!("k{i}: |\n  text: not a key\n  - nor an entry\n")),
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/openapi/callbacks-31.yaml"),
        )
        .unwrap(),
    ];
    for text in &texts {
        let real = count(&parse(text).unwrap().value);
        let est = estimate(text);
        assert!(
            est <= real,
            "{est} > {real}:\n{}",
            &text[..200.min(text.len())]
        );
        assert!(
            est * 10 >= real * 9,
            "{est} too far below {real}:\n{}",
            &text[..200.min(text.len())]
        );
    }
}

fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(m) => m.values().map(|v| 1 + count(v)).sum(),
        _ => 0,
    }
}

#[test]
fn prescan_accepts_the_samples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/openapi");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let doc = parse(&text).unwrap();
            let real = count(&doc.value);
            let tight = limits(depth(&doc.value), real);
            assert!(
                parse_with(&text, tight).is_ok(),
                "{}: {:?}",
                path.display(),
                parse_with(&text, tight).err()
            );
        }
    }
}

fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(m) => 1 + m.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

#[test]
fn large_json_may_hold_one_value_per_8_bytes_yaml_may_not() {
    let limits = Limits {
        max_nodes: 100,
        json_bytes_per_node: 8,
        ..Limits::default()
    };
    // 201 values (the list and 200 strings of 10 bytes each with the comma): 11 bytes a value.
    let sparse = format!("[{}\"x\"]", "\"abcdefgh\",".repeat(199));
    assert!(sparse.len() / 8 > 201);
    assert!(parse_with(&sparse, limits).is_ok());
    let exact = Limits {
        json_bytes_per_node: 0,
        ..limits
    };
    let err = parse_with(&sparse, exact).unwrap_err();
    assert!(err.message.contains("more than 100 values"), "{err}");
    // The same values as YAML: the YAML limit holds whatever the size.
    let yaml = format!("- {}x\n", "abcdefgh\n- ".repeat(199));
    let err = parse_with(&yaml, limits).unwrap_err();
    assert!(err.message.contains("more than 100 values"), "{err}");
    // Dense JSON over `max_nodes`: refused before the parser builds anything.
    let dense = format!("[{}0]", "0,".repeat(99 + sparse.len() / 2));
    let err = parse_with(&dense, limits).unwrap_err();
    assert_eq!(err.code, codes::TOO_LARGE);
    assert!(err.message.contains("one per 8 bytes"), "{err}");
    assert_eq!(err.pointer, "");
}

#[test]
fn the_json_count_before_parsing_is_the_tree_builder_s() {
    let texts = [
        r#"{"a": [1, {}, [], {"b": "x,:[{\"]"}], "c": [ ], "d": { }, "e": [[1], {"f": null}]}"#,
        "[]",
        "{\"a\": 1}",
    ];
    for text in texts {
        let mut real = 1;
        while parse_with(text, limits(100, real)).is_err() {
            real += 1;
        }
        let named = |allowed| super::prescan::prescan_json(text, "t", &Limits::default(), allowed);
        assert!(named(real).is_ok(), "{text}: {real}");
        assert!(named(real - 1).is_err(), "{text}: {real}");
    }
}

#[test]
fn comment_lines_indented_with_tabs_read_as_yaml_reads_them() {
    // js-yaml (Redocly, Spectral, the AsyncAPI parser) reads these; YAML allows them.
    let doc = parse("info:\n  title: t\n\t# a note\n  \t # another\n  version: '1'\n").unwrap();
    assert_eq!(
        doc.value,
        serde_json::json!({"info": {"title": "t", "version": "1"}})
    );
    // In a block scalar the line is content, and its tab stays.
    let doc = parse("a: |\n  x\n  \t# kept\nb: 1\n").unwrap();
    assert_eq!(doc.value["a"], "x\n\t# kept\n");
    // A tab elsewhere is still the parser's business, with its position.
    let err = parse("a:\n\tb: 1\n").unwrap_err();
    assert_eq!(err.diagnostic.line, Some(2));
}

#[test]
fn flow_collections_at_the_start_are_yaml_when_they_are_not_json() {
    let doc = parse("{foo: you, bar: far}\n").unwrap();
    assert_eq!(doc.value, serde_json::json!({"foo": "you", "bar": "far"}));
    assert_eq!(doc.syntax, Syntax::Yaml);
    // Broken JSON keeps its JSON error; a `.json` file is never read as YAML.
    let err = parse("{\"a\": 1,,}").unwrap_err();
    assert!(
        err.diagnostic.message.contains("key must be a string"),
        "{}",
        err.diagnostic
    );
    let err = parse_bytes(b"{a: 1}", "x.json", &Limits::default()).unwrap_err();
    assert_eq!(err.diagnostic.code, codes::PARSE);
    // Flow edge cases read as YAML reads them (libyaml, the parser before, misread both).
    let doc = parse("[?x, {?y: z}]\n").unwrap();
    assert_eq!(doc.value, serde_json::json!(["?x", {"?y": "z"}]));
    let err = parse("a: [-]\n").unwrap_err();
    assert_eq!(err.diagnostic.code, codes::PARSE);
    assert_eq!(
        (err.diagnostic.line, err.diagnostic.column),
        (Some(1), Some(5))
    );
}

#[test]
fn scalars_read_as_yaml_serde_read_them() {
    // Compared with yaml_serde (the reader before) on these and on every YAML document of the
    // corpora: the same JSON.
    let doc = parse(
        "a: [~, null, Null, NULL, nUll, '', true, True, TRUE, tRue, false, yes, on]\n\
         b: [0x1F, 0o17, 0b101, +5, -0, 007, 1_000, .5, 1., +1.5, 1e5, 1E5, 1.50, -0.0, 1e400, \
         12345678901234567890123, -9223372036854775809, inf, nan, 0x, 1e]\n\
         c: {200: a, 1.50: b, true: c, ~: d, 0x1F: e, 1e400: f, -0: g, '007': h, 1e5: i}\n",
    )
    .unwrap();
    let json = serde_json::to_string(&doc.value).unwrap();
    assert_eq!(
        json,
        r#"{"a":[null,null,null,null,"nUll","",true,true,true,"tRue",false,"yes","on"],"b":[31,15,5,5,-0,"007","1_000",0.5,1.0,1.5,1e5,1E5,1.50,-0.0,1e400,12345678901234567890123,-9223372036854775809,"inf","nan","0x","1e"],"c":{"200":"a","1.5":"b","true":"c","null":"d","31":"e","1e400":"f","0":"g","007":"h","100000":"i"}}"#
    );
    for text in ["a: .inf\n", "a: [-.Inf]\n", "a: .nan\n"] {
        let err = parse(text).unwrap_err().diagnostic;
        assert!(
            err.message.contains("cannot be represented in JSON"),
            "{err}"
        );
        assert!(err.line.is_some(), "{err}");
    }
}

#[test]
fn core_schema_tags_are_read_and_other_tags_refused() {
    let doc = parse("a: [!!str 123, !!int '5', !!float '1.5', !!bool 'true', !!null '', ! 12]\n")
        .unwrap();
    assert_eq!(
        doc.value["a"],
        serde_json::json!(["123", 5, 1.5, true, null, "12"])
    );
    let doc = parse("--- !!map\na: !!seq [1]\n").unwrap();
    assert_eq!(doc.value, serde_json::json!({"a": [1]}));
    let err = parse("a: !!int x\n").unwrap_err().diagnostic;
    assert!(err.message.contains("expected an integer"), "{err}");
    for (text, at) in [
        ("a: !foo bar\n", (1, 4)),
        ("a:\n  b: !!binary aGk=\n", (2, 6)),
        ("a: !!set {x}\n", (1, 4)),
        ("%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n", (3, 4)),
    ] {
        let err = parse(text).unwrap_err().diagnostic;
        let msg = "YAML tags (`!tag`) are not supported in OpenAPI or AsyncAPI documents";
        assert_eq!(err.message, msg, "{text}");
        assert_eq!((err.line, err.column), (Some(at.0), Some(at.1)), "{text}");
    }
}

#[test]
fn aliases_copy_their_values_and_count_as_they_copy() {
    let doc = parse("a: &x 1.50\nb: *x\nc: {&k key: 1, other: *k}\n").unwrap();
    assert_eq!(
        serde_json::to_string(&doc.value).unwrap(),
        r#"{"a":1.50,"b":1.50,"c":{"key":1,"other":"key"}}"#
    );
    // An anchored key JSON cannot hold as a value is a key still; its alias as a value is not.
    let doc = parse("&i .inf : 1\n*i : 2\n");
    assert_eq!(doc.unwrap_err().diagnostic.message, "duplicate key `inf`");
    let err = parse("&i .inf : 1\nb: *i\n").unwrap_err().diagnostic;
    assert!(
        err.message.contains("cannot be represented in JSON"),
        "{err}"
    );
    assert_eq!((err.line, err.column), (Some(2), Some(4)));
    let err = parse("a: &a [1]\n*a : 2\n").unwrap_err().diagnostic;
    assert_eq!(
        err.message,
        "a mapping key must be a scalar, not a sequence"
    );
    assert_eq!((err.line, err.column), (Some(2), Some(1)));
    // Values: the root, `a`, [1, 2, 3], `b` and the copy of [1, 2, 3] make 11.
    let text = "a: &a [1, 2, 3]\nb: *a\n";
    assert!(parse_with(text, limits(100, 11)).is_ok());
    let err = parse_with(text, limits(100, 10)).unwrap_err();
    assert_eq!(err.code, codes::TOO_LARGE);
    assert_eq!(
        (err.line, err.column, err.pointer.as_str()),
        (Some(2), Some(4), "/b")
    );
    // Depth: a copy is as deep as what it copies.
    assert!(parse_with("a: &a [[1]]\nb: *a\n", limits(3, 100)).is_ok());
    let err = parse_with("a: &a [[1]]\nb: [*a]\n", limits(3, 100)).unwrap_err();
    assert_eq!(err.code, codes::TOO_DEEP);
    assert_eq!(err.pointer, "/b/0");
}

#[test]
fn several_documents_are_refused_at_the_second() {
    let err = parse("a: 1\n---\nb: 2\n").unwrap_err().diagnostic;
    assert_eq!(err.code, codes::PARSE);
    assert!(err.message.contains("more than one document"), "{err}");
    assert_eq!((err.line, err.column), (Some(2), Some(1)));
    assert_eq!(parse("--- \na: 1\n...\n# end\n").unwrap().value["a"], 1);
}

/// Limits that read quoted scalars continued at their key's column (`--yaml-lenient`).
fn lenient() -> Limits {
    Limits {
        yaml_lenient: true,
        ..Limits::default()
    }
}

#[test]
fn quoted_scalars_continued_at_their_key_s_column_are_refused_with_position_and_the_way_out() {
    // YAML 1.2 wants the lines indented more than the key (the suite's QB6E).
    let err = parse("info:\n  title: x\n  description: \"a\n  b\"\n")
        .unwrap_err()
        .diagnostic;
    assert_eq!(err.code, codes::PARSE);
    assert_eq!(
        (err.line, err.column),
        (Some(3), Some(16)),
        "the opening quote"
    );
    assert_eq!(err.pointer, "/info/description");
    assert!(err
        .message
        .starts_with("invalid indentation in quoted scalar: "));
    assert!(err.message.contains("--yaml-lenient"), "{err}");
}

#[test]
fn quoted_scalars_continued_at_their_key_s_column_read_as_js_yaml_reads_them_when_lenient() {
    // libyaml and js-yaml read them at any indentation.
    let text =
        "info:\n  description: \"a \\\"b\\\"\n  c\n\n  d\"\n  title: 'it''s\n  x'\nz: \"e\nf\"\n";
    let parse = |text: &str| parse_str(text, "t.yaml", &lenient());
    let doc = parse(text).unwrap();
    assert_eq!(
        doc.value,
        serde_json::json!({"info": {"description": "a \"b\" c\nd", "title": "it's x"}, "z": "e f"})
    );
    // Each such scalar parses the document again: 16 are mended, then the error stands.
    let many = |n: usize| {
        (0..n)
            .map(|i| format!("k{i}: \"a\nb\"\n"))
            .collect::<String>()
    };
    assert_eq!(parse(&many(16)).unwrap().value["k15"], "a b");
    let err = parse(&many(17)).unwrap_err().diagnostic;
    assert_eq!(err.message, "invalid indentation in quoted scalar");
    assert_eq!((err.line, err.column), (Some(33), Some(6)));
}

#[test]
fn quoted_scalars_read_leniently_are_each_a_warning_with_position_and_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lenient.yaml");
    let text = "info:\n  description: \"a\n  b\"\n  title: ok\nz: 'e\nf'\n";
    std::fs::write(&path, text).unwrap();
    let (doc, warnings) = load_path_with_warnings(&path, &lenient()).unwrap();
    assert_eq!(doc.value["info"]["description"], "a b");
    // Line and column come later, from the pointer (the key, as for every diagnostic).
    let found: Vec<_> = warnings
        .iter()
        .map(|w| (w.code, w.pointer.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (codes::YAML_LENIENT, "/info/description"),
            (codes::YAML_LENIENT, "/z"),
        ]
    );
    assert!(warnings
        .iter()
        .all(|w| w.file == path.display().to_string()));
    // A document YAML allows gives none.
    std::fs::write(&path, "info:\n  description: \"a\n    b\"\n").unwrap();
    assert!(load_path_with_warnings(&path, &lenient())
        .unwrap()
        .1
        .is_empty());
}
