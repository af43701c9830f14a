use super::*;
use crate::convert::to_asyncapi;
use serde_json::json;

fn there_and_back(doc: Value, include_paths: bool) -> Value {
    let kind = openapi::detect(&doc, "t").unwrap();
    let openapi::Kind::OpenApi(version) = kind else {
        panic!()
    };
    let opts = to_asyncapi::Options {
        include_paths,
        ..Default::default()
    };
    let a = to_asyncapi::convert(&doc, &version, "t", &opts)
        .unwrap()
        .document;
    convert(&a, "t").unwrap().document
}

#[test]
fn a_webhook_comes_back() {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1", "summary": "s"},
        "webhooks": {"ping": {"post": {
            "operationId": "ping",
            "parameters": [{"name": "X-Sig", "in": "header", "required": true, "schema": {"type": "string"}}],
            "requestBody": {"description": "d", "content": {"application/json": {"schema": {"type": "object"}, "example": {"a": 1}}}},
            "responses": {"200": {"description": "ok"}, "4XX": {"description": "bad"}}
        }}}
    });
    assert_eq!(there_and_back(doc.clone(), false), doc);
}

#[test]
fn a_callback_comes_back_with_its_parent() {
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {"/s": {"post": {
            "responses": {"201": {"description": "created"}},
            "callbacks": {"onData": {"{$request.query.cb}/data": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"type": "string", "nullable": true}}}},
                "responses": {"204": {"description": "ok"}}
            }}}}
        }}}
    });
    assert_eq!(there_and_back(doc.clone(), true), doc);
    let events_only = there_and_back(doc.clone(), false);
    assert_eq!(
        events_only["paths"]["/s"]["post"]["callbacks"],
        doc["paths"]["/s"]["post"]["callbacks"]
    );
}

/// Vendors publish webhook-only 3.0 documents without `paths`.
#[test]
fn a_30_document_without_paths_comes_back_without_them() {
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "x-webhooks": {"ping": {"post": {"responses": {"200": {"description": "ok"}}}}}
    });
    for include_paths in [false, true] {
        assert_eq!(there_and_back(doc.clone(), include_paths), doc);
    }
    let mut with_paths = doc.clone();
    with_paths["paths"] = json!({});
    for include_paths in [false, true] {
        assert_eq!(
            there_and_back(with_paths.clone(), include_paths),
            with_paths
        );
    }
}

#[test]
fn a_30_document_without_a_conversion_record_gets_the_paths_it_requires() {
    // A hand-written root record that only asks for 3.0 (as `--into` a 3.0 base writes one).
    let a = json!({
        "asyncapi": "3.0.0",
        "info": {"title": "T", "version": "1"},
        "x-openapi": {"openapi": "3.0.3"},
        "channels": {"ping": {"address": null, "messages": {"m": {"payload": {"type": "object"}}}}},
        "operations": {"ping": {"action": "send", "channel": {"$ref": "#/channels/ping"},
            "bindings": {"http": {"method": "POST"}}}}
    });
    let out = convert(&a, "t").unwrap().document;
    assert_eq!(out["openapi"], "3.0.3");
    assert_eq!(out["paths"], json!({}));
    assert!(out["x-webhooks"]["ping"]["post"].is_object(), "{out}");
    // No record at all: 3.1, which does not require `paths`.
    let mut bare = a.clone();
    bare.as_object_mut().unwrap().shift_remove("x-openapi");
    let out = convert(&bare, "t").unwrap().document;
    assert_eq!(out["openapi"], "3.1.0");
    assert!(out.get("paths").is_none(), "{out}");
}

#[test]
fn a_hand_written_connect_is_an_additional_operation_in_32_only() {
    let doc = json!({
        "asyncapi": "3.0.0", "info": {"title": "T", "version": "1"},
        "channels": {"tunnel": {"address": null, "messages": {"m": {}}}},
        "operations": {"open": {
            "action": "send", "channel": {"$ref": "#/channels/tunnel"},
            "bindings": {"http": {"method": "CONNECT"}},
            "messages": [{"$ref": "#/channels/tunnel/messages/m"}]
        }}
    });
    let out = convert_owned_as(doc.clone(), "t", Some("3.2.0")).unwrap();
    let item = &out.document["webhooks"]["tunnel"];
    assert!(
        item["additionalOperations"]["CONNECT"].is_object(),
        "{item}"
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let out = convert(&doc, "t").unwrap();
    assert!(out.document["webhooks"]["tunnel"]["post"].is_object());
    assert_eq!(out.diagnostics[0].code, crate::diagnostics::codes::LOSSY);
}

#[test]
fn query_and_additional_operations_come_back_from_their_records() {
    let doc = json!({
        "openapi": "3.2.0", "info": {"title": "T", "version": "1"},
        "webhooks": {"w": {
            "query": {"responses": {"200": {"description": "ok"}}},
            "additionalOperations": {"Get": {}, "a~b": {"callbacks": {"c": {"{$url}": {"query": {}}}}}}
        }}
    });
    assert_eq!(there_and_back(doc.clone(), false), doc);
}
