//! Issue 12, item 4 (the `$ref` half): a local `$ref` that points at nothing is an error only
//! where the conversion needs it (webhooks, callbacks, paths with `--include-paths`, what they
//! reach, the security schemes). Anywhere else (a REST response left out, a component nobody
//! uses, an extension) it is an `unresolved-ref` warning at its pointer, kept as written: the
//! conversion goes on and the round trip gives the document back exactly. Both the file path
//! (bundled, `convert_file`) and the in-memory path (`convert_document`) are checked.

mod common;

use std::path::PathBuf;

use hookbridge::document::load;
use hookbridge::{ConvertOptions, Diagnostic, Severity, Target};
use serde_json::{json, Value};

const EXAMPLES: &str = r##"
openapi: 3.1.0
info: {title: Dangling, version: '1'}
paths:
  /things:
    get:
      responses:
        '200':
          description: a REST response, not converted without --include-paths
          content:
            application/json:
              schema: {$ref: '#/components/schemas/RestOnly'}
    post:
      callbacks:
        done:
          '{$request.body#/callbackUrl}':
            post:
              requestBody:
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/Used'}
              responses:
                '204': {description: ok}
      responses:
        '201': {description: created}
webhooks:
  thingCreated:
    post:
      x-vendor:
        note: {$ref: '#/components/schemas/InAnExtension'}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Used'}
      responses:
        '200': {description: ok}
components:
  schemas:
    Used:
      type: object
      properties:
        id: {type: string}
    Lonely:
      type: object
      properties:
        gone: {$ref: '#/components/schemas/Gone', description: nobody uses Lonely}
        list:
          type: array
          items: {$ref: '#/components/schemas/AlsoGone'}
  responses:
    Unused:
      description: nobody uses it
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Missing'}
"##;

/// The warnings expected for [`EXAMPLES`] in the default scope, in document order.
const NOT_NEEDED: [&str; 5] = [
    "/paths/~1things/get/responses/200/content/application~1json/schema",
    "/webhooks/thingCreated/post/x-vendor/note",
    "/components/schemas/Lonely/properties/gone",
    "/components/schemas/Lonely/properties/list/items",
    "/components/responses/Unused/content/application~1json/schema",
];

fn value(yaml: &str) -> Value {
    load::parse_bytes(yaml.as_bytes(), "d.yaml", &Default::default())
        .expect("parses")
        .value
}

fn doc(v: Value) -> load::Document {
    load::Document {
        name: "d.yaml".into(),
        syntax: load::Syntax::Yaml,
        value: v,
    }
}

fn write(dir: &tempfile::TempDir, v: &Value) -> PathBuf {
    let path = dir.path().join("d.yaml");
    std::fs::write(&path, hookbridge::document::emit::to_yaml_string(v)).expect("write");
    path
}

fn unresolved(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter(|d| d.code == "unresolved-ref")
        .inspect(|d| assert_eq!(d.severity, Severity::Warning, "{d}"))
        .map(|d| d.pointer.as_str())
        .collect()
}

/// Both ways in: a file (bundled first) and a loaded document.
fn convert_both(v: &Value, options: &ConvertOptions) -> [Result<hookbridge::Converted, String>; 2] {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = hookbridge::convert_file(&write(&dir, v), options).map_err(|e| e.to_string());
    let memory = hookbridge::convert_document(&doc(v.clone()), options).map_err(|e| e.to_string());
    [file, memory]
}

#[test]
fn dangling_refs_the_conversion_does_not_need_are_warnings() {
    let v = value(EXAMPLES);
    for out in convert_both(&v, &ConvertOptions::default()) {
        let out = out.expect("converts");
        assert_eq!(out.target, Target::AsyncApi);
        assert_eq!(unresolved(&out.diagnostics), NOT_NEEDED);
        // AsyncAPI tools follow every `$ref`: the unused schema's go into the marker.
        let gone = &out.document["components"]["schemas"]["Lonely"]["properties"]["gone"];
        assert_eq!(
            gone,
            &json!({"x-openapi-$ref": "#/components/schemas/Gone", "description": "nobody uses Lonely"})
        );
    }
}

#[test]
fn dangling_refs_the_conversion_does_not_need_come_back_as_written() {
    let original = value(EXAMPLES);
    let trip = hookbridge::roundtrip(&doc(original.clone()), &Default::default(), true)
        .expect("round trip");
    assert_eq!(trip.differences, [], "events only");
    // The whole document: with --include-paths the REST response is needed.
    let err = hookbridge::roundtrip(&doc(original.clone()), &Default::default(), false)
        .expect_err("the REST response's reference is needed with paths");
    assert!(
        err.to_string()
            .contains("/paths/~1things/get/responses/200/content/application~1json/schema"),
        "{err}"
    );
    let mut without_rest = original.clone();
    without_rest["paths"]["/things"]
        .as_object_mut()
        .expect("path item")
        .shift_remove("get");
    let trip = hookbridge::roundtrip(&doc(without_rest.clone()), &Default::default(), false)
        .expect("round trip");
    assert_eq!(trip.differences, [], "whole document");
    // The references come back as written (the differences above are of values; this is the
    // one that travelled in the `x-openapi-$ref` marker).
    assert_eq!(
        trip.back["components"]["schemas"]["Lonely"]["properties"]["gone"],
        json!({"$ref": "#/components/schemas/Gone", "description": "nobody uses Lonely"})
    );
}

/// Every AsyncAPI document the warnings leave is one `@asyncapi/parser` accepts.
#[test]
fn the_asyncapi_written_around_dangling_refs_is_valid() {
    let v = value(EXAMPLES);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = hookbridge::convert_file(&write(&dir, &v), &Default::default()).expect("converts");
    let path = dir.path().join("d.asyncapi.yaml");
    std::fs::write(
        &path,
        hookbridge::document::emit::to_yaml_string(&out.document),
    )
    .expect("write");
    common::assert_asyncapi_valid(&common::validate_asyncapi(&[path]));
}

#[test]
fn dangling_refs_the_conversion_needs_are_errors_with_their_pointer() {
    let base = value(EXAMPLES);
    let mut cases: Vec<(Value, ConvertOptions, &str)> = Vec::new();
    let defaults = ConvertOptions::default;
    // In a webhook.
    let mut v = base.clone();
    v["webhooks"]["thingCreated"]["post"]["requestBody"]["content"]["application/json"]["schema"] =
        json!({"$ref": "#/components/schemas/Nope"});
    cases.push((
        v,
        defaults(),
        "/webhooks/thingCreated/post/requestBody/content/application~1json/schema",
    ));
    // In a callback.
    let mut v = base.clone();
    v["paths"]["/things"]["post"]["callbacks"]["done"]["{$request.body#/callbackUrl}"]["post"]
        ["requestBody"]["content"]["application/json"]["schema"] = json!({"$ref": "#/nope"});
    cases.push((v, defaults(), "/paths/~1things/post/callbacks/done/{$request.body#~1callbackUrl}/post/requestBody/content/application~1json/schema"));
    // In a component schema a webhook uses.
    let mut v = base.clone();
    v["components"]["schemas"]["Used"]["properties"]["id"] =
        json!({"$ref": "#/components/schemas/Nope"});
    cases.push((v, defaults(), "/components/schemas/Used/properties/id"));
    // In a REST response, with --include-paths.
    let with_paths = ConvertOptions {
        include_paths: true,
        ..Default::default()
    };
    cases.push((
        base.clone(),
        with_paths,
        "/paths/~1things/get/responses/200/content/application~1json/schema",
    ));
    // An unused component schema, written verbatim with `--schema-format openapi`.
    let verbatim = ConvertOptions {
        schema_format: hookbridge::SchemaFormat::OpenApi,
        ..Default::default()
    };
    cases.push((
        base.clone(),
        verbatim,
        "/components/schemas/Lonely/properties/gone",
    ));
    // A Path Item's own reference (followed to look for callbacks).
    let mut v = base.clone();
    v["paths"]["/elsewhere"] = json!({"$ref": "#/components/pathItems/Nope"});
    cases.push((v, defaults(), "/paths/~1elsewhere"));
    // A security scheme.
    let mut v = base;
    v["components"]["securitySchemes"] =
        json!({"s": {"$ref": "#/components/securitySchemes/Nope"}});
    cases.push((v, defaults(), "/components/securitySchemes/s"));
    for (v, options, at) in cases {
        for out in convert_both(&v, &options) {
            let err = out.expect_err(at);
            assert!(err.contains("unresolved-ref"), "{err}");
            assert!(err.contains(&format!("#{at}")), "{at}: {err}");
        }
    }
}
