//! Numbers of any size and form load and come back with their digits (issue 12, item 2): in a
//! webhook's payload schema, through `convert` to AsyncAPI and back, as JSON and as YAML.
//!
//! JSON output writes each number as it was written. YAML output does too, except that a float
//! gets the form YAML 1.1 readers need (a `.` in the mantissa, a signed exponent): `1E5` is
//! written `1.0E+5`, with the same digits; read back, that text is kept.

use hookbridge::document::emit::{to_string, Format};
use hookbridge::document::load::parse_str;
use hookbridge::{convert_document, roundtrip, ConvertOptions, Document, Limits};
use proptest::prelude::*;
use serde_json::Value;

/// An OpenAPI document whose webhook payload schema holds `N` in several places.
const OPENAPI_JSON: &str = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
  "webhooks": {"tick": {"post": {
    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tick"}}}},
    "responses": {"200": {"description": "ok"}}}}},
  "components": {"schemas": {"Tick": {"type": "number", "minimum": N, "enum": [N, "one"],
    "default": N, "examples": [N], "x-limit": {"at": N}}}}}
"##;

const OPENAPI_YAML: &str = "openapi: 3.1.0
info: {title: t, version: '1'}
webhooks:
  tick:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Tick'}
      responses:
        '200': {description: ok}
components:
  schemas:
    Tick:
      type: number
      minimum: N
      enum: [N, one]
      default: N
      examples:
      - N
      x-limit: {at: N}
";

fn openapi_json(n: &str) -> String {
    OPENAPI_JSON.replace('N', n)
}

fn openapi_yaml(n: &str) -> String {
    OPENAPI_YAML.replace('N', n)
}

fn load(text: &str) -> Document {
    match parse_str(text, "t", &Limits::default()) {
        Ok(doc) => doc,
        Err(e) => panic!("{e}\n{text}"),
    }
}

/// The form the YAML writer gives a number: floats get `.0` before a bare exponent and a sign
/// after it (YAML 1.1); everything else as written.
fn yaml_form(n: &str) -> String {
    if !n.contains(['.', 'e', 'E']) {
        return n.to_string();
    }
    match n.find(['e', 'E']) {
        None => n.to_string(),
        Some(e) => {
            let (mantissa, rest) = n.split_at(e);
            let dot = if mantissa.contains('.') { "" } else { ".0" };
            let (mark, exp) = rest.split_at(1);
            let sign = if exp.starts_with(['+', '-']) { "" } else { "+" };
            format!("{mantissa}{dot}{mark}{sign}{exp}")
        }
    }
}

fn number_at<'v>(v: &'v Value, pointer: &str, what: &str) -> &'v serde_json::Number {
    match v.pointer(pointer) {
        Some(Value::Number(n)) => n,
        other => panic!("{what}: {pointer}: {other:?} in {v}"),
    }
}

const TICK: &str = "/components/schemas/Tick";

/// Every place `n` appears, in the input and in the AsyncAPI output, written as `text`.
fn check_places(doc: &Value, text: &str, what: &str) {
    for at in [
        "/minimum",
        "/enum/0",
        "/default",
        "/examples/0",
        "/x-limit/at",
    ] {
        let n = number_at(doc, &format!("{TICK}{at}"), what);
        assert_eq!(n.as_str(), text, "{what}: {TICK}{at}");
    }
}

/// One number, both syntaxes: load, convert there and back, write, read again.
fn check(n: &str) {
    for (syntax, input) in [("json", openapi_json(n)), ("yaml", openapi_yaml(n))] {
        let what = format!("{n} in {syntax}");
        let doc = load(&input);
        check_places(&doc.value, n, &what);

        let options = ConvertOptions::default();
        let trip = roundtrip(&doc, &options, false).unwrap();
        assert!(
            trip.differences.is_empty(),
            "{what}: {:?}",
            trip.differences
        );

        let there = convert_document(&doc, &options).unwrap().document;
        check_places(&there, n, &what);

        // JSON output keeps the text as written; read back, it is the same tree.
        let json = to_string(&there, Format::Json);
        assert!(
            json.contains(&format!("\"minimum\": {n},")),
            "{what}:\n{json}"
        );
        let back = load(&json);
        assert_eq!(back.value, there, "{what}");
        let openapi = convert_document(&back, &options).unwrap().document;
        assert_eq!(openapi, doc.value, "{what}");
        let openapi_json = to_string(&openapi, Format::Json);
        assert!(
            openapi_json.contains(&format!("\"minimum\": {n},")),
            "{what}"
        );

        // YAML output keeps the digits, in YAML 1.1's float form; read back, that text stays.
        let yaml = to_string(&there, Format::Yaml);
        let form = yaml_form(n);
        assert!(
            yaml.contains(&format!("minimum: {form}\n")),
            "{what}:\n{yaml}"
        );
        let back = load(&yaml);
        check_places(&back.value, &form, &what);
        let again = to_string(&back.value, Format::Yaml);
        assert_eq!(again, yaml, "{what}: YAML to YAML");
        let openapi = convert_document(&back, &options).unwrap().document;
        let openapi_yaml = to_string(&openapi, Format::Yaml);
        assert!(
            openapi_yaml.contains(&format!("minimum: {form}\n")),
            "{what}"
        );
    }
}

#[test]
fn numbers_of_any_size_and_form_come_back() {
    for n in [
        "-9223372036854776000",
        "-9223372036854775809",
        "18446744073709551616",
        "340282366920938463463374607431768211456",
        "-170141183460469231731687303715884105729",
        "123456789012345678901234567890123456789012345678901234567890",
        "1e400",
        "-1E400",
        "1e-400",
        "0.1",
        "1.0",
        "1.50",
        "1E5",
        "1e+5",
        "1.0E-7",
        "-0",
        "-0.0",
        "0",
        "5",
        "0.30000000000000000000000001",
        "1.7976931348623157e308",
        "5e-324",
    ] {
        check(n);
    }
}

/// A quoted number-like scalar stays a string; YAML spellings JSON lacks are written in
/// JSON's form of the same value, as before.
#[test]
fn yaml_strings_and_yaml_only_spellings() {
    let doc = load("a: ['1e400', \"1E5\", 1e400, 0x1F, .5, +1.5, 1., -0x0]\nb: &n 1.50\nc: *n\n");
    let out = to_string(&doc.value, Format::Json);
    let expected =
        "{\n  \"a\": [\n    \"1e400\",\n    \"1E5\",\n    1e400,\n    31,\n    0.5,\n    \
                    1.5,\n    1.0,\n    -0\n  ],\n  \"b\": 1.50,\n  \"c\": 1.5";
    assert!(out.starts_with(expected), "{out}");
}

fn digits(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(0u8..10, len)
        .prop_map(|d| d.into_iter().map(|d| char::from(b'0' + d)).collect())
}

/// JSON number texts: integers of up to 60 digits, decimals, exponents of either case and sign.
fn number_text() -> impl Strategy<Value = String> {
    let int = (1u8..10, digits(0..60)).prop_map(|(first, rest)| format!("{first}{rest}"));
    let int = prop_oneof![1 => Just("0".to_string()), 9 => int];
    let frac = prop::option::of(digits(1..25).prop_map(|d| format!(".{d}")));
    let exp = prop::option::of(
        (
            prop::sample::select(vec!["e", "E"]),
            prop::sample::select(vec!["", "+", "-"]),
            1u16..500,
        )
            .prop_map(|(e, s, x)| format!("{e}{s}{x}")),
    );
    (any::<bool>(), int, frac, exp).prop_map(|(neg, i, f, e)| {
        let sign = if neg { "-" } else { "" };
        format!(
            "{sign}{i}{}{}",
            f.unwrap_or_default(),
            e.unwrap_or_default()
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_json_number_text_comes_back(n in number_text()) {
        check(&n);
    }
}
