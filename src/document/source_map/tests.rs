//! Locating pointers in YAML and JSON samples, and rendering snippets.

use super::*;
use serde_json::Value;

const YAML: &str = "\
# A comment
openapi: 3.1.0
info:
  title: \"T\"   # trailing comment
  version: '1'
webhooks:
  ping:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {a: {type: string}, b: [1, 2]}}
      responses:
        '200':
          description: |
            text: with a colon
            and more
        \"404\": {description: missing}
tags:
- name: one
  description: first
-   name: two
- &t3
  name: three
list:
  - [a, b]
  - key: value
    other: 2
  -
    deep: true
paths/~x:
  a/b: 1
";

#[test]
fn yaml_block_and_flow_collections() {
    let at = |p| locate(YAML, p);
    assert_eq!(at(""), Some((2, 1)));
    assert_eq!(at("/openapi"), Some((2, 1)));
    assert_eq!(at("/info/title"), Some((4, 3)));
    assert_eq!(at("/info/version"), Some((5, 3)));
    assert_eq!(at("/webhooks/ping/post"), Some((8, 5)));
    assert_eq!(
        at("/webhooks/ping/post/requestBody/content/application~1json/schema"),
        Some((12, 13))
    );
    assert_eq!(
        at("/webhooks/ping/post/requestBody/content/application~1json/schema/properties/b/1"),
        Some((12, 75))
    );
    assert_eq!(at("/webhooks/ping/post/responses/200"), Some((14, 9)));
    assert_eq!(
        at("/webhooks/ping/post/responses/200/description"),
        Some((15, 11))
    );
    assert_eq!(
        at("/webhooks/ping/post/responses/404/description"),
        Some((18, 17))
    );
    assert_eq!(at("/tags/0"), Some((20, 3)));
    assert_eq!(at("/tags/0/description"), Some((21, 3)));
    assert_eq!(at("/tags/1/name"), Some((22, 5)));
    assert_eq!(at("/tags/2/name"), Some((24, 3)));
    assert_eq!(at("/list/0/1"), Some((26, 9)));
    assert_eq!(at("/list/1/other"), Some((28, 5)));
    assert_eq!(at("/list/2/deep"), Some((30, 5)));
    assert_eq!(at("/paths~1~0x/a~1b"), Some((32, 3)));
}

#[test]
fn missing_values_are_none_and_nearest_gives_the_ancestor() {
    assert_eq!(locate(YAML, "/info/nope"), None);
    assert_eq!(locate(YAML, "/tags/3"), None);
    assert_eq!(locate(YAML, "/tags/x"), None);
    assert_eq!(locate(YAML, "/openapi/x"), None);
    assert_eq!(locate(YAML, "no-slash"), None);
    assert_eq!(
        locate_nearest(YAML, "/info/nope/deeper"),
        Some((3, 1, false))
    );
    assert_eq!(locate_nearest(YAML, "/info/title"), Some((4, 3, true)));
    // `text:` inside a block scalar is not a key.
    assert_eq!(
        locate(YAML, "/webhooks/ping/post/responses/200/description/text"),
        None
    );
    assert_eq!(locate("", ""), None);
    assert_eq!(locate("# nothing\n", "/a"), None);
}

#[test]
fn json_documents() {
    let text = "{\n  \"openapi\": \"3.1.0\",\n  \"webhooks\": {\"a/b\": {\"post\": [1, {\"x\\\"y\": null}]}},\n  \"k\": \"v\"\n}\n";
    assert_eq!(locate(text, ""), Some((1, 1)));
    assert_eq!(locate(text, "/openapi"), Some((2, 3)));
    assert_eq!(locate(text, "/webhooks/a~1b/post/1/x\"y"), Some((3, 37)));
    assert_eq!(locate(text, "/webhooks/a~1b/post/0"), Some((3, 33)));
    assert_eq!(locate(text, "/k"), Some((4, 3)));
    assert_eq!(locate(text, "/webhooks/a~1b/post/2"), None);
    // Minified, with escapes and brackets inside strings.
    let text = r#"{"a":"[{\"","b":{"c":["]",{"d":1}]}}"#;
    assert_eq!(locate(text, "/b/c/1/d"), Some((1, 28)));
}

#[test]
fn yaml_details() {
    // Document markers, CRLF, anchors and tags, numbers as keys, unicode columns.
    let text =
        "%YAML 1.2\r\n---\r\nresponses:\r\n  200: &ok\r\n    description: ok\r\n  x: !!str é\r\n";
    assert_eq!(locate(text, "/responses/200/description"), Some((5, 5)));
    assert_eq!(locate(text, "/responses/x"), Some((6, 3)));
    let text = "a: {é: 1, b: 2}\n";
    assert_eq!(locate(text, "/a/b"), Some((1, 11)));
    let text = "--- \nk: 0x10\n0x10: a\n1.50: b\n";
    assert_eq!(locate(text, "/16"), Some((3, 1)));
    assert_eq!(locate(text, "/1.5"), Some((4, 1)));
    // A mapping value that is a sequence at the same indentation.
    let text = "a:\n- 1\n- 2\nb: 3\n";
    assert_eq!(locate(text, "/a/1"), Some((3, 3)));
    assert_eq!(locate(text, "/b"), Some((4, 1)));
    // Empty values.
    let text = "a:\nb: 1\n";
    assert_eq!(locate(text, "/a"), Some((1, 1)));
    assert_eq!(locate(text, "/a/x"), None);
    assert_eq!(locate(text, "/b"), Some((2, 1)));
    // Keys in quotes with escapes; a plain key with a colon inside.
    // A quoted value whose lines are not indented (libyaml accepts it).
    let text = "info:\n  d: \"line one\n  [link](http://x)\n  - not: an entry\"\n  license:\n    name: A\n";
    assert_eq!(locate(text, "/info/license/name"), Some((6, 5)));
    let text = "- \"a\n- b\"\n- c\n";
    assert_eq!(locate(text, "/1"), Some((3, 3)));
    let text = "'it''s': 1\n\"tab\\there\": 2\nurl:http: 3\n";
    assert_eq!(locate(text, "/it's"), Some((1, 1)));
    assert_eq!(locate(text, "/tab\there"), Some((2, 1)));
    assert_eq!(locate(text, "/url:http"), Some((3, 1)));
}

fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let p = pointer::push(&at, k);
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        _ => {}
    }
}

/// Every value of every sample and fixture is found, at a place that starts with its key.
#[test]
fn every_value_of_the_samples_is_located() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut dirs = vec![root.join("samples"), root.join("tests/fixtures")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 10);
    let mut checked = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let Ok(doc) = crate::document::load::parse_str(&text, "t", &Default::default()) else {
            continue;
        };
        let map = SourceMap::new(&text);
        let mut all = Vec::new();
        pointers(&doc.value, String::new(), &mut all);
        for p in all {
            let Some((line, column)) = map.locate(&p) else {
                // Values reached through an alias have no place of their own.
                if text.contains('*') {
                    continue;
                }
                panic!("{}: {p} not found", file.display());
            };
            let last = pointer::split(&p).unwrap().pop().unwrap();
            let line_text = text.split('\n').nth(line - 1).unwrap();
            let rest: String = line_text.chars().skip(column - 1).collect();
            if last.parse::<usize>().is_err() {
                let bare = rest.trim_start_matches(['"', '\'']);
                assert!(
                    bare.starts_with(&last)
                        || key_matches(bare.split(':').next().unwrap().trim(), &last),
                    "{}: {p} at {line}:{column}: {rest:?}",
                    file.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked}");
}

#[test]
fn snippets() {
    let text = "a: 1\nwebhooks:\n  ping:\n    post: {}\n";
    assert_eq!(
        render_snippet(text, 4, 5),
        "3 |   ping:\n4 |     post: {}\n  |     ^\n"
    );
    assert_eq!(render_snippet(text, 1, 1), "1 | a: 1\n  | ^\n");
    assert_eq!(render_snippet(text, 5, 1), "");
    assert_eq!(render_snippet(text, 0, 1), "");
    // Past the end of the line: the caret goes after its last character.
    assert_eq!(render_snippet("ab\n", 1, 9), "1 | ab\n  |   ^\n");
    // Line numbers are aligned.
    let many = "x\n".repeat(12);
    assert_eq!(render_snippet(&many, 10, 1), " 9 | x\n10 | x\n   | ^\n");
    // Tabs keep the caret aligned; control characters are neutralised.
    assert_eq!(
        render_snippet("\tk: \u{1b}[31mred\r\n", 1, 2),
        "1 | \tk: \u{fffd}[31mred\n  | \t^\n"
    );
    // A long line is cut around the column.
    let long = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
    let s = render_snippet(&long, 1, 5001);
    let shown = s.lines().next().unwrap();
    assert!(shown.chars().count() < 120, "{shown}");
    assert!(shown.contains('X') && shown.starts_with("1 | …") && shown.ends_with('…'));
    let caret = s.lines().nth(1).unwrap();
    let x_col = shown.chars().position(|c| c == 'X').unwrap();
    assert_eq!(caret.chars().count() - 1, x_col);
}

#[test]
fn locate_and_snippet_together() {
    let (line, column) = locate(YAML, "/webhooks/ping/post/responses/404").unwrap();
    let s = render_snippet(YAML, line, column);
    assert!(
        s.contains("18 |         \"404\": {description: missing}"),
        "{s}"
    );
    assert!(s.ends_with("   |         ^\n"), "{s}");
}
