//! Unit tests of the lint rules and the configuration.

use super::asyncapi_rules::check_message_location;
use super::openapi_rules::hard_coded_host;
use super::*;
use crate::document::load::Limits;

fn lint(text: &str) -> Vec<Finding> {
    let doc = crate::document::load::parse_str(text, "t.yaml", &Limits::default()).unwrap();
    lint_document(&doc, &LintConfig::default()).unwrap()
}

fn ids(findings: &[Finding]) -> Vec<(&str, &str)> {
    findings
        .iter()
        .map(|f| (f.rule, f.pointer.as_str()))
        .collect()
}

#[test]
fn hosts_and_locations() {
    assert_eq!(
        hard_coded_host("https://a.example/x?y={$url}"),
        Some("a.example")
    );
    assert_eq!(hard_coded_host("//a.example"), Some("a.example"));
    assert_eq!(hard_coded_host("https://{$request.body#/host}/x"), None);
    assert_eq!(hard_coded_host("{$request.body#/url}"), None);
    assert_eq!(hard_coded_host("$request.body#/url"), None);
    assert!(check_message_location("$message.payload#/a~1b").is_ok());
    assert!(check_message_location("$message.header#").is_ok());
    assert!(check_message_location("$message.body#/a").is_err());
    assert!(check_message_location("$message.payload#a").is_err());
    assert!(check_message_location("$message.payload#/a~2").is_err());
}

#[test]
fn openapi_structure_rules() {
    let found = lint(
        r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /subscribe:
    post:
      responses: {"201": {description: ok}}
      callbacks:
        cb:
          "{$request.body#/url": {post: {responses: {"200": {description: ok}}}}
          "https://fixed.example/hook": {$ref: '#/components/pathItems/Hook'}
components:
  pathItems:
    Hook:
      put: {requestBody: {content: {}}, security: [], responses: {"200": {description: ok}}}
webhooks:
  w:
    post: {security: []}
"#,
    );
    let cb = "/paths/~1subscribe/post/callbacks/cb";
    let got = ids(&found);
    assert!(
        got.contains(&(rules::WEBHOOKS_IN_30, "/webhooks")),
        "{got:?}"
    );
    assert!(
        got.contains(&(rules::WEBHOOK_RESPONSES, "/webhooks/w/post")),
        "{got:?}"
    );
    let bad = format!("{cb}/{{$request.body#~1url");
    assert!(
        got.contains(&(rules::RUNTIME_EXPRESSION, bad.as_str())),
        "{got:?}"
    );
    let post = format!("{bad}/post");
    assert!(
        got.contains(&(rules::CALLBACK_REQUEST_BODY, post.as_str())),
        "{got:?}"
    );
    assert!(
        got.contains(&(rules::CALLBACK_SECURITY, post.as_str())),
        "{got:?}"
    );
    let host = format!("{cb}/https:~1~1fixed.example~1hook");
    assert!(
        got.contains(&(rules::CALLBACK_URL_HOST, host.as_str())),
        "{got:?}"
    );
    assert!(!got.iter().any(|(_, p)| p.contains("pathItems")), "{got:?}");
    assert_eq!(found.len(), 6, "{got:?}");
}

#[test]
fn config_levels() {
    let c = LintConfig::from_text(
        "rules: {callback-url-host: error, webhook-security: off}",
        "c",
    )
    .unwrap();
    assert_eq!(c.level(rules::CALLBACK_URL_HOST), Level::Error);
    assert_eq!(c.level(rules::WEBHOOK_SECURITY), Level::Off);
    assert_eq!(c.level(rules::WEBHOOK_RESPONSES), Level::Error);
    assert!(LintConfig::from_text("rules: {nope: off}", "c").is_err());
    assert!(LintConfig::from_text("rules: {webhook-security: loud}", "c").is_err());
}

#[test]
fn openapi_32_operations_and_streams() {
    let doc = r#"
openapi: 3.2.0
info: {title: T, version: '1'}
webhooks:
  w:
    query:
      responses: {'200': {description: ok}}
    additionalOperations:
      LINK:
        security: []
        requestBody:
          content:
            text/event-stream: {schema: {type: array}}
            application/jsonl: {itemSchema: {type: object}}
            application/geo+json-seq; charset=utf-8: {$ref: '#/components/mediaTypes/Seq'}
            application/json: {schema: {type: object}}
        responses: {'200': {$ref: '#/components/responses/Stream'}}
paths:
  /s:
    post:
      callbacks:
        cb:
          '{$request.body#/u}':
            query:
              security: []
components:
  mediaTypes:
    Seq: {schema: {type: array}}
  responses:
    Stream:
      description: s
      content: {application/x-ndjson: {schema: {}}}
"#;
    let found = lint(doc);
    assert_eq!(
        ids(&found),
        [
            ("webhook-security", "/webhooks/w/query"),
            (
                "stream-item-schema",
                "/webhooks/w/additionalOperations/LINK/requestBody/content/text~1event-stream"
            ),
            ("stream-item-schema", "/components/mediaTypes/Seq"),
            (
                "stream-item-schema",
                "/components/responses/Stream/content/application~1x-ndjson"
            ),
            (
                "callback-request-body",
                "/paths/~1s/post/callbacks/cb/{$request.body#~1u}/query"
            ),
        ]
    );
    // Before 3.2 the same keys are not operations, and streams are not looked at.
    let found = lint(&doc.replace("openapi: 3.2.0", "openapi: 3.1.0"));
    assert!(
        found.iter().all(|f| f.rule != "stream-item-schema"),
        "{found:?}"
    );
    assert!(
        found.iter().all(|f| !f.pointer.contains("query")),
        "{found:?}"
    );
}
