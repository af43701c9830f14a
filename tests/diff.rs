//! `hookbridge::contract::diff` on fixture pairs (tests/fixtures/diff: base.yaml and one variant per
//! kind of change, diffed both ways), on their AsyncAPI conversions, and `hookbridge::contract::check`.

mod common;

use hookbridge::contract::check;
use hookbridge::contract::diff::{self, kinds, Change, OutputFormat};
use hookbridge::Document;
use serde_json::Value;

fn load(name: &str) -> Document {
    let path = common::manifest_dir()
        .join("tests/fixtures/diff")
        .join(name);
    hookbridge::document::load::load_path(&path, &Default::default()).unwrap()
}

/// (kind, breaking) of every change, sorted.
fn summary(changes: &[Change]) -> Vec<(&'static str, bool)> {
    let mut out: Vec<(&str, bool)> = changes.iter().map(|c| (c.kind, c.breaking)).collect();
    out.sort();
    out
}

fn diff_files(old: &str, new: &str) -> Vec<Change> {
    diff::diff(&load(old), &load(new)).unwrap()
}

/// Variant, changes from base to it, changes from it back to base.
type Case = (
    &'static str,
    &'static [(&'static str, bool)],
    &'static [(&'static str, bool)],
);

const B: bool = true;
const NB: bool = false;

const CASES: &[Case] = &[
    (
        "webhook-added",
        &[(kinds::EVENT_ADDED, NB)],
        &[(kinds::EVENT_REMOVED, B)],
    ),
    (
        "operation-added",
        &[(kinds::OPERATION_ADDED, NB)],
        &[(kinds::OPERATION_REMOVED, B)],
    ),
    (
        "callback-url",
        &[(kinds::CALLBACK_URL_CHANGED, B)],
        &[(kinds::CALLBACK_URL_CHANGED, B)],
    ),
    (
        "property-added",
        &[(kinds::PROPERTY_ADDED, NB)],
        &[(kinds::PROPERTY_REMOVED, B)],
    ),
    (
        "required-added",
        &[(kinds::REQUIRED_ADDED, NB)],
        &[(kinds::REQUIRED_REMOVED, B)],
    ),
    (
        "type-widened",
        &[(kinds::TYPE_WIDENED, B)],
        &[(kinds::TYPE_NARROWED, NB)],
    ),
    (
        "type-changed",
        &[(kinds::TYPE_CHANGED, B)],
        &[(kinds::TYPE_CHANGED, B)],
    ),
    (
        "enum-value-added",
        &[(kinds::ENUM_VALUE_ADDED, B)],
        &[(kinds::ENUM_VALUE_REMOVED, NB)],
    ),
    (
        "constraint-loosened",
        &[(kinds::CONSTRAINT_LOOSENED, B)],
        &[(kinds::CONSTRAINT_TIGHTENED, NB)],
    ),
    // The subscriber *sends* the response: a newly required field is breaking for it.
    (
        "response-required",
        &[(kinds::REQUIRED_ADDED, B)],
        &[(kinds::REQUIRED_REMOVED, NB)],
    ),
    (
        "response-added",
        &[(kinds::RESPONSE_ADDED, NB)],
        &[(kinds::RESPONSE_REMOVED, B)],
    ),
    (
        "media-type-added",
        &[(kinds::MEDIA_TYPE_ADDED, B)],
        &[(kinds::MEDIA_TYPE_REMOVED, NB)],
    ),
    (
        "parameter-added",
        &[(kinds::PARAMETER_ADDED, NB)],
        &[(kinds::PARAMETER_REMOVED, B)],
    ),
    (
        "security-added",
        &[(kinds::SECURITY_ADDED, NB)],
        &[(kinds::SECURITY_REMOVED, B)],
    ),
    (
        "payload-removed",
        &[(kinds::PAYLOAD_REMOVED, B)],
        &[(kinds::MEDIA_TYPE_ADDED, B)],
    ),
    (
        "nested-property-removed",
        &[(kinds::PROPERTY_REMOVED, B)],
        &[(kinds::PROPERTY_ADDED, NB)],
    ),
];

#[test]
fn every_kind_of_change_is_classified_both_ways() {
    let mut failures = Vec::new();
    for (variant, forward, backward) in CASES {
        let file = format!("{variant}.yaml");
        for (old, new, expected) in [
            ("base.yaml", file.as_str(), forward),
            (file.as_str(), "base.yaml", backward),
        ] {
            let got = diff_files(old, new);
            if summary(&got) != *expected {
                failures.push(format!(
                    "{old} -> {new}: expected {expected:?}, got {got:#?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let kinds: std::collections::BTreeSet<&str> = CASES
        .iter()
        .flat_map(|(_, f, b)| f.iter().chain(b.iter()).map(|(k, _)| *k))
        .collect();
    assert!(kinds.len() >= 12, "{kinds:?}");
}

#[test]
fn identical_documents_have_no_changes() {
    assert!(diff_files("base.yaml", "base.yaml").is_empty());
    let text = diff::render(&[], OutputFormat::Markdown);
    assert!(
        text.contains("No changes to webhooks or callbacks."),
        "{text}"
    );
}

#[test]
fn changes_name_the_event_operation_and_pointers() {
    let changes = diff_files("base.yaml", "enum-value-added.yaml");
    let c = &changes[0];
    assert_eq!(c.event, "webhook `orderCreated`");
    assert_eq!(c.operation.as_deref(), Some("POST"));
    assert_eq!(
        c.new.as_deref(),
        Some("/components/schemas/Order/properties/status")
    );
    assert!(
        c.message.contains("\"refunded\"") && c.message.contains("`status`"),
        "{}",
        c.message
    );
    assert!(
        c.message.contains("request body `application/json`"),
        "{}",
        c.message
    );
    let removed = diff_files("nested-property-removed.yaml", "base.yaml");
    assert!(
        removed[0].event.starts_with("callback `orderShipped`"),
        "{removed:#?}"
    );
    let url = diff_files("base.yaml", "callback-url.yaml");
    assert!(
        url[0].message.contains("{$request.body#/hooks/shipped}"),
        "{url:#?}"
    );
}

#[test]
fn markdown_and_json_output() {
    let mut changes = diff_files("base.yaml", "enum-value-added.yaml");
    changes.extend(diff_files("base.yaml", "property-added.yaml"));
    let md = diff::render(&changes, OutputFormat::Markdown);
    let breaking = md.find("### Breaking changes for subscribers").unwrap();
    let other = md.find("### Other changes").unwrap();
    assert!(breaking < other, "{md}");
    assert!(
        md.contains("- **webhook `orderCreated`** `POST`: enum value \"refunded\" was added"),
        "{md}"
    );
    let json: Value = serde_json::from_str(&diff::render(&changes, OutputFormat::Json)).unwrap();
    assert_eq!(json["breaking"], 1);
    assert_eq!(json["total"], 2);
    assert_eq!(json["changes"][0]["kind"], "enum-value-added");
    assert!(diff::has_breaking(&changes));
}

fn converted(name: &str) -> Document {
    let doc = load(name);
    let out = hookbridge::convert_document(&doc, &Default::default()).unwrap();
    Document {
        name: format!("{name}.asyncapi"),
        syntax: hookbridge::Syntax::Yaml,
        value: out.document,
    }
}

#[test]
fn asyncapi_conversions_diff_like_their_sources() {
    for variant in [
        "webhook-added",
        "operation-added",
        "property-added",
        "required-added",
        "type-widened",
        "type-changed",
        "enum-value-added",
        "constraint-loosened",
        "response-required",
        "response-added",
        "security-added",
        "nested-property-removed",
    ] {
        let file = format!("{variant}.yaml");
        for (old, new) in [("base.yaml", file.as_str()), (file.as_str(), "base.yaml")] {
            let openapi = diff_files(old, new);
            let asyncapi = diff::diff(&converted(old), &converted(new)).unwrap();
            assert_eq!(
                summary(&asyncapi),
                summary(&openapi),
                "{old} -> {new}: {asyncapi:#?}"
            );
        }
    }
}

#[test]
fn mixed_kinds_are_refused() {
    let err = diff::diff(&load("base.yaml"), &converted("base.yaml")).unwrap_err();
    assert!(
        err.to_string()
            .contains("both be OpenAPI or both be AsyncAPI"),
        "{err}"
    );
}

// ----- check -------------------------------------------------------------------------------

#[test]
fn check_accepts_an_untouched_conversion_and_names_an_edited_summary() {
    let sample = common::manifest_dir().join("samples/openapi/webhooks-multi.yaml");
    let openapi = hookbridge::document::load::load_path(&sample, &Default::default()).unwrap();
    let mut asyncapi = hookbridge::convert_document(&openapi, &Default::default())
        .unwrap()
        .document;
    let as_doc = |value: &Value| Document {
        name: "events.yaml".into(),
        syntax: hookbridge::Syntax::Yaml,
        value: value.clone(),
    };
    let options = hookbridge::ConvertOptions::default();
    assert!(check::check(&openapi, &as_doc(&asyncapi), &options)
        .unwrap()
        .is_empty());
    // Key order is not a difference.
    let reordered: Value = serde_json::from_str(&reverse_keys(&asyncapi)).unwrap();
    assert!(check::check(&openapi, &as_doc(&reordered), &options)
        .unwrap()
        .is_empty());
    asyncapi["operations"]["buildCreated"]["summary"] = "Edited by hand".into();
    let diffs = check::check(&openapi, &as_doc(&asyncapi), &options).unwrap();
    assert_eq!(diffs.len(), 1, "{diffs:#?}");
    assert_eq!(diffs[0].pointer, "/operations/buildCreated/summary");
    assert_eq!(diffs[0].before, Some("Edited by hand".into()));
    assert_eq!(diffs[0].after, Some("A build was created".into()));
    let text = check::render_text("events.yaml", &diffs);
    assert!(
        text.contains("events.yaml#/operations/buildCreated/summary"),
        "{text}"
    );
    let json: Value = serde_json::from_str(&check::render_json(&diffs)).unwrap();
    assert_eq!(json["count"], 1);
}

fn reverse_keys(v: &Value) -> String {
    fn rev(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                Value::Object(m.iter().rev().map(|(k, v)| (k.clone(), rev(v))).collect())
            }
            Value::Array(a) => Value::Array(a.iter().map(rev).collect()),
            other => other.clone(),
        }
    }
    rev(v).to_string()
}

/// OpenAPI 3.2 streams: a change to an event's `itemSchema` is a change to its body.
#[test]
fn a_stream_item_schema_change_is_found() {
    let path = common::manifest_dir().join("samples/openapi/streams-32.yaml");
    let old = hookbridge::document::load::load_path(&path, &Default::default()).unwrap();
    let mut new = old.clone();
    let content = "/webhooks/auditTrail/post/requestBody/content/application~1json-seq";
    let item = new.value.pointer_mut(content).unwrap();
    item["itemSchema"]["properties"]["action"]["type"] = "integer".into();
    let changes = diff::diff(&old, &new).unwrap();
    assert_eq!(summary(&changes), [(kinds::TYPE_CHANGED, B)]);
    assert!(
        changes[0]
            .new
            .as_deref()
            .is_some_and(|p| p.contains("itemSchema")),
        "{changes:?}"
    );
}
