//! Emitter tests: string styles, layout, numbers, JSON.

use super::yaml::MAX_IMPLICIT_KEY_LEN;
use super::*;
use serde_json::json;

mod props;
mod readers;

/// Strings that some YAML reader could misread, or that need care.
#[rustfmt::skip]
const TRICKY: &[&str] = &[
    "", " ", "y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON",
    "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null",
    "NULL", "~", "<<", "=", ".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN",
    "nan", "NaN", "inf", "Infinity", "-Infinity", "0", "12", "-1", "+1", "1_000", "0x1F",
    "0o17", "017", "0b101", "1e3", "1E3", "1e+3", "1.", ".5", "+.5", "-.5", "1.5", "0.16001e0",
    "685.230_15e+03", "1:30", "12:30", "190:20:30.15", "2026-03-01",
    "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-12-15T02:59:43.1Z",
    "._5", "1.2.3", " a", "a ", "-", "- a", "-a", "?", "? a", "?a", ":", ": a", ":a", "a: b",
    "a:", "a #b", "a#b", "#", "#/components/schemas/Pet", "&a", "*a", "!tag", "|", ">", "'",
    "'q'", "\"", "%YAML", "@x", "`x`", ",", "[a]", "{a}", "]", "}", "...", "... x", "---",
    "--- x", "\u{a0}x", "x\u{a0}", "\t", "a\tb", "\r", "a\r\nb", "\0", "\u{7}", "\u{1b}",
    "\u{7f}", "\u{85}", "a\u{85}b", "\u{2028}", "\u{2029}", "\u{feff}x", "\u{fffe}",
    "\u{ffff}", "\\", "a\\nb", "\n", "\n\n", "a\nb", "a\nb\n", "a\nb\n\n", "\na", "a\n\nb",
    " a\nb", "a \nb", "a\n b", "a\nb ", "a\n\tb", "a\n# c\n- d\n---\n...\nkey: v",
    "application/json", "$request.body#/url", "http://example.com/a?b=c#d", "it's",
    "say \"hi\"", "日本語", "😀", "é", "v1.0", "nullable", "yess", "onion", "1,000", "+_1", "+1_",
    "_links",
];

/// Top-level YAML for a string scalar.
fn emit_str(s: &str) -> String {
    to_yaml_string(&Value::String(s.to_owned()))
}

fn yaml_serde_round_trip(v: &Value) -> Result<(), String> {
    let yaml = to_yaml_string(v);
    let back: Value =
        serde_yaml::from_str(&yaml).map_err(|e| format!("yaml_serde: {e}\n--- yaml:\n{yaml}"))?;
    let (a, b) = (
        serde_json::to_string(&back).unwrap(),
        serde_json::to_string(v).unwrap(),
    );
    if back != *v || a != b {
        return Err(format!("read back {a}\nexpected {b}\n--- yaml:\n{yaml}"));
    }
    Ok(())
}

#[track_caller]
fn assert_rt(v: &Value) {
    if let Err(e) = yaml_serde_round_trip(v) {
        panic!("{e}");
    }
}

/// `s` is written as `expected` both as a value and as a key.
#[track_caller]
fn assert_scalar(s: &str, expected: &str) {
    assert_eq!(emit_str(s), format!("{expected}\n"), "value {s:?}");
    let doc = json!({ s: s });
    assert_eq!(
        to_yaml_string(&doc),
        format!("{expected}: {expected}\n"),
        "key {s:?}"
    );
    assert_rt(&doc);
    assert_rt(&Value::String(s.to_owned()));
}

#[test]
fn plain_strings() {
    for s in [
        "application/json",
        "$request.body#/url",
        "{$request.body#/callbackUrl}x",
        "http://example.com/a?b=c#d",
        "a:b",
        "a#b",
        "hello world",
        "Pet",
        "x-foo",
        "foo-",
        "a, b",
        "a[0]",
        "it's",
        "say \"hi\"",
        "日本語",
        "😀",
        "v1.0",
        "nullable",
        "yess",
        "onion",
        "~a",
        "<<a",
        "a=b",
        "x.inf",
        "..5",
        "e5",
        "1 + 1 = 2",
        "a...",
        "C:\\path",
        "_links",
        "_1",
    ] {
        // `{` is an indicator; this one only checks it is quoted.
        if s.starts_with('{') {
            assert_scalar(s, &format!("'{s}'"));
        } else {
            assert_scalar(s, s);
        }
    }
}

#[test]
fn reserved_words_quoted_in_all_case_variants() {
    for w in ["y", "n", "yes", "no", "on", "off", "true", "false", "null"] {
        let mut upper_first = w.to_owned();
        upper_first[..1].make_ascii_uppercase();
        for s in [w.to_owned(), upper_first, w.to_ascii_uppercase()] {
            assert_scalar(&s, &format!("'{s}'"));
        }
    }
    for s in [
        "~",
        "<<",
        "=",
        ".inf",
        ".Inf",
        ".INF",
        "+.inf",
        ".nan",
        ".NaN",
        ".NAN",
        "nan",
        "NaN",
        "inf",
        "Infinity",
        "+Infinity",
        "tRuE",
    ] {
        assert_scalar(s, &format!("'{s}'"));
    }
    assert_scalar("-.inf", "'-.inf'");
}

#[test]
fn number_like_strings_quoted() {
    for s in [
        "0",
        "12",
        "1_000",
        "0x1F",
        "0X1F",
        "0o17",
        "017",
        "0b101",
        "+1",
        "-1",
        "-0",
        "1e3",
        "1E3",
        "1e+3",
        "1.",
        ".5",
        "+.5",
        "-.5",
        "1.5",
        "0.16001e0",
        "6.8523015e+5",
        "685.230_15e+03",
        "1:30",
        "12:30",
        "190:20:30.15",
        "._5",
        "1.2.3",
        "2026-03-01",
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.10 -5",
        "2001-12-15T02:59:43.1Z",
        "18446744073709551616",
        "1 2",
        "1,000",
        "+_1",
        "+1_",
    ] {
        assert_scalar(s, &format!("'{s}'"));
    }
}

#[test]
fn syntax_characters_quoted() {
    for s in [
        "",
        " ",
        " a",
        "a ",
        "-",
        "- a",
        "-a",
        "--- x",
        "?",
        "? a",
        "?a",
        ":",
        ": a",
        ":a",
        "a: b",
        "a:",
        "key:",
        "a #b",
        "#",
        "#/components/schemas/Pet",
        "&a",
        "*a",
        "!tag",
        "|",
        ">",
        "\"",
        "%YAML",
        "@x",
        "`x`",
        ",",
        "[a]",
        "{a}",
        "]",
        "}",
        "...",
        "... x",
        "\u{a0}x",
        "x\u{3000}",
    ] {
        assert_scalar(s, &format!("'{s}'"));
    }
    assert_scalar("'", "''''");
    assert_scalar("'q' it's", "'''q'' it''s'");
}

#[test]
fn escapes_double_quoted() {
    for (s, expected) in [
        ("\t", r#""\t""#),
        ("a\tb", r#""a\tb""#),
        ("\r", r#""\r""#),
        ("a\r\nb", r#""a\r\nb""#),
        ("\0", r#""\0""#),
        ("\u{7}\u{8}\u{b}\u{c}\u{1b}", r#""\a\b\v\f\e""#),
        ("\u{1}\u{1f}", r#""\u0001\u001F""#),
        ("\u{7f}", r#""\u007F""#),
        ("a\u{85}b", r#""a\u0085b""#),
        ("\u{9f}", r#""\u009F""#),
        ("\u{2028}\u{2029}", r#""\u2028\u2029""#),
        ("\u{feff}x", r#""\uFEFFx""#),
        ("\u{fffe}\u{ffff}", r#""\uFFFE\uFFFF""#),
        ("tab\t\"q\" \\ 'x'", r#""tab\t\"q\" \\ 'x'""#),
        ("yes\t", r#""yes\t""#),
    ] {
        assert_scalar(s, expected);
    }
    // Backslashes need no quoting on their own.
    assert_scalar("\\", "\\");
    assert_scalar("a\\nb", "a\\nb");
}

#[test]
fn keys_follow_the_same_rules() {
    let doc = json!({
        "200": { "description": "OK" },
        "on": 1,
        "<<": 2,
        "#/x": 3,
        "a: b": 4,
        "line\nbreak": "multi\nline",
        "tab\t": 6,
        "": 7,
        "plain key": 8,
    });
    let expected = "\
'200':
  description: OK
'on': 1
'<<': 2
'#/x': 3
'a: b': 4
\"line\\nbreak\": |-
  multi
  line
\"tab\\t\": 6
'': 7
plain key: 8
";
    assert_eq!(to_yaml_string(&doc), expected);
    assert_rt(&doc);
}

#[test]
fn literal_block_scalars() {
    for (s, expected) in [
        ("a\nb", "|-\n  a\n  b\n"),
        ("a\nb\n", "|\n  a\n  b\n"),
        ("a\nb\n\n", "|+\n  a\n  b\n\n"),
        ("a\nb\n\n\n", "|+\n  a\n  b\n\n\n"),
        ("\na", "|-\n\n  a\n"),
        ("a\n\nb", "|-\n  a\n\n  b\n"),
        ("a\n  b\n\tc", "\"a\\n  b\\n\\tc\"\n"),
        ("a\n b", "|-\n  a\n   b\n"),
        (
            "x: y\n# c\n- d\n---\n...\n'q' \"r\" \\",
            "|-\n  x: y\n  # c\n  - d\n  ---\n  ...\n  'q' \"r\" \\\n",
        ),
        // not representable as literal blocks:
        (" a\nb", "\" a\\nb\"\n"),
        ("\n a", "\"\\n a\"\n"),
        ("a \nb", "\"a \\nb\"\n"),
        ("a\nb ", "\"a\\nb \"\n"),
        ("a\n \nb", "\"a\\n \\nb\"\n"),
        ("\n", "\"\\n\"\n"),
        ("\n\n", "\"\\n\\n\"\n"),
        ("a\r\nb", "\"a\\r\\nb\"\n"),
        ("a\n\u{85}", "\"a\\n\\u0085\"\n"),
    ] {
        assert_eq!(emit_str(s), expected, "{s:?}");
        assert_rt(&json!(s));
    }
    let doc = json!({
        "d": "x\n  y\n",
        "keep": "k\n\n",
        "list": ["a\nb", { "k": "c\nd", "z": "e\n" }, ["f\ng"]],
        "nested": { "deeper": "1\n2" },
        "after": "end",
    });
    let expected = "\
d: |
  x
    y
keep: |+
  k

list:
- |-
  a
  b
- k: |-
    c
    d
  z: |
    e
- - |-
    f
    g
nested:
  deeper: |-
    1
    2
after: end
";
    assert_eq!(to_yaml_string(&doc), expected);
    assert_rt(&doc);
}

#[test]
fn numbers_and_literals() {
    let cases: &[(Value, &str)] = &[
        (json!(0), "0"),
        (json!(-7), "-7"),
        (json!(u64::MAX), "18446744073709551615"),
        (json!(i64::MIN), "-9223372036854775808"),
        (json!(1.0), "1.0"),
        (json!(-0.0), "-0.0"),
        (json!(0.1), "0.1"),
        (json!(1.5e300), "1.5e+300"),
        (json!(1e16), "1.0e+16"),
        (json!(-1e16), "-1.0e+16"),
        (json!(1e-7), "1.0e-7"),
        (json!(5e-324), "5.0e-324"),
        (json!(123456.789), "123456.789"),
        (json!(true), "true"),
        (json!(false), "false"),
        (json!(null), "null"),
        (json!({}), "{}"),
        (json!([]), "[]"),
    ];
    for (v, expected) in cases {
        assert_eq!(to_yaml_string(v), format!("{expected}\n"));
        assert_eq!(
            to_yaml_string(&json!({ "k": v })),
            format!("k: {expected}\n")
        );
        assert_eq!(to_yaml_string(&json!([v])), format!("- {expected}\n"));
        assert_rt(v);
        // Floats stay floats.
        let back: Value = serde_yaml::from_str(&to_yaml_string(v)).unwrap();
        assert_eq!(back.is_f64(), v.is_f64(), "{expected}");
    }
}

#[test]
fn layout() {
    let doc = json!({
        "openapi": "3.1.0",
        "info": { "title": "T", "version": "1" },
        "tags": [],
        "x": {},
        "list": ["a", 1, 1.5, true, null, { "k": "v", "k2": ["x", "y"] },
                 ["n1", ["n2"]], {}, [], [{ "a": { "b": 1 } }]],
        "webhooks": { "newPet": { "post": { "responses": { "200": { "description": "OK" } } } } },
    });
    let expected = "\
openapi: '3.1.0'
info:
  title: T
  version: '1'
tags: []
x: {}
list:
- a
- 1
- 1.5
- true
- null
- k: v
  k2:
  - x
  - 'y'
- - n1
  - - n2
- {}
- []
- - a:
      b: 1
webhooks:
  newPet:
    post:
      responses:
        '200':
          description: OK
";
    assert_eq!(to_yaml_string(&doc), expected);
    assert_rt(&doc);
    assert_eq!(to_yaml_string(&json!(["a", ["b"]])), "- a\n- - b\n");
    assert_eq!(to_yaml_string(&json!("x")), "x\n");
    assert_eq!(to_yaml_string(&json!("")), "''\n");
}

#[test]
fn long_keys_are_explicit() {
    let long = "k".repeat(1500);
    let long_quoted = format!("{}\n", "q".repeat(1200));
    let doc = json!({
        "short": 1,
        long.clone(): "v",
        long_quoted.clone(): { "a": [1, { long.clone(): [2] }] },
        "z": [{ long.clone(): "x\ny" }],
    });
    let yaml = to_yaml_string(&doc);
    assert!(yaml.contains(&format!("\n? {long}\n: v\n")), "{yaml}");
    assert!(yaml.contains("\n? \"qqq"), "{yaml}");
    assert!(
        yaml.contains(&format!("\n- ? {long}\n  : |-\n    x\n    y\n")),
        "{yaml}"
    );
    assert_rt(&doc);
    let at_limit = "k".repeat(MAX_IMPLICIT_KEY_LEN);
    assert_eq!(
        to_yaml_string(&json!({ at_limit.clone(): 1 })),
        format!("{at_limit}: 1\n")
    );
}

fn nested(depth: usize) -> Value {
    let mut v = json!("leaf\nlines");
    for i in 0..depth {
        v = match i % 3 {
            0 => json!([v, 1]),
            1 => json!({ "k": v, "s": "x" }),
            _ => json!([{ "m": v }]),
        };
    }
    v
}

#[test]
fn deep_documents() {
    // `nested(n)` is 4n/3 collections deep; yaml_serde refuses to read
    // past depth 128.
    assert_rt(&nested(90));
    let yaml = to_yaml_string(&nested(300));
    assert!(yaml.lines().count() > 250);
    // Depth 200 is checked against PyYAML in `pyyaml_reads_the_same`.
}

#[test]
fn json_format() {
    let doc = json!({
        "a": [1, 1.5, -0.0, 1e16, true, null, "s\"\\\n\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f}é😀"],
        "e": {},
        "l": [],
        "o": { "x": { "y": [[]] } },
    });
    let expected = r#"{
  "a": [
    1,
    1.5,
    -0.0,
    1e+16,
    true,
    null,
    "s\"\\\n\t\r\b\f\u0001\u001f"#
        .to_owned()
        + "\u{7f}é😀"
        + r#""
  ],
  "e": {},
  "l": [],
  "o": {
    "x": {
      "y": [
        []
      ]
    }
  }
}
"#;
    assert_eq!(to_json_string(&doc), expected);
    assert_eq!(to_json_string(&json!(1)), "1\n");
    assert_eq!(to_json_string(&json!({})), "{}\n");
    assert_eq!(
        to_json_string(&doc),
        serde_json::to_string_pretty(&doc).unwrap() + "\n"
    );
}

#[test]
fn format_dispatch() {
    let doc = json!({ "a": [1] });
    assert_eq!(to_string(&doc, Format::Yaml), to_yaml_string(&doc));
    assert_eq!(to_string(&doc, Format::Json), to_json_string(&doc));
    assert_ne!(Format::Yaml, Format::Json);
}
