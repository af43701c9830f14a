//! `check`: is an AsyncAPI document what `convert` makes of an OpenAPI document?
//!
//! The OpenAPI document is converted with the given options and compared with the AsyncAPI
//! document as JSON values ([`crate::contract::compare`]): object key order is not a difference, array
//! order is. Each difference names a JSON pointer; `before` is the AsyncAPI document's value
//! and `after` the value `convert` produces (absent on the side that lacks it).

use serde_json::Value;

use crate::contract::compare::{differences, Difference};
use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::load::Document;
use crate::openapi::{self, Kind};
use crate::{convert_document, ConvertOptions, Target};

/// Differences between `asyncapi` and the conversion of `openapi`; empty when they match.
pub fn check(
    openapi: &Document,
    asyncapi: &Document,
    options: &ConvertOptions,
) -> Result<Vec<Difference>, Error> {
    if !matches!(
        openapi::detect(&asyncapi.value, &asyncapi.name)?,
        Kind::AsyncApi(_)
    ) {
        let msg =
            "the second document must be AsyncAPI (the one to check against the OpenAPI document)";
        return Err(Diagnostic::error(codes::UNKNOWN_DOCUMENT, &asyncapi.name, "", msg).into());
    }
    let options = ConvertOptions {
        to: Some(Target::AsyncApi),
        ..options.clone()
    };
    let converted = convert_document(openapi, &options)?;
    Ok(differences(&asyncapi.value, &converted.document))
}

/// Longest rendering of a value in text output; longer values are cut with `...`.
const MAX_VALUE_CHARS: usize = 200;

/// One line per difference: `#/pointer: ASYNCAPI has X; convert gives Y`.
pub fn render_text(asyncapi_name: &str, diffs: &[Difference]) -> String {
    let mut out = String::new();
    for d in diffs {
        let line = match (&d.before, &d.after) {
            (Some(b), Some(a)) => format!(
                "{} has {}; convert gives {}",
                asyncapi_name,
                short(b),
                short(a)
            ),
            (Some(b), None) => format!(
                "{} has {}; convert gives nothing here",
                asyncapi_name,
                short(b)
            ),
            (None, Some(a)) => format!("{} lacks {}, which convert gives", asyncapi_name, short(a)),
            (None, None) => continue,
        };
        out.push_str(&format!("{}#{}: {line}\n", asyncapi_name, d.pointer));
    }
    out.push_str(&format!("{} difference(s)\n", diffs.len()));
    out
}

/// `{"differences": [{"pointer", "before", "after"}], "count": n}`.
pub fn render_json(diffs: &[Difference]) -> String {
    let doc = serde_json::json!({ "differences": diffs, "count": diffs.len() });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() <= MAX_VALUE_CHARS {
        return text;
    }
    let cut: String = text.chars().take(MAX_VALUE_CHARS).collect();
    format!("{cut}...")
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPENAPI: &str = r#"
openapi: 3.1.0
info: {title: Pets, version: "1"}
webhooks:
  newPet:
    post:
      summary: A pet was added
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        "200": {description: ok}
"#;

    fn doc(text: &str, name: &str) -> Document {
        crate::document::load::parse_str(text, name, &Default::default()).unwrap()
    }

    #[test]
    fn untouched_conversion_matches_and_edits_are_named() {
        let openapi = doc(OPENAPI, "o.yaml");
        let converted = convert_document(&openapi, &Default::default()).unwrap();
        let mut asyncapi = Document {
            name: "a.yaml".into(),
            syntax: crate::Syntax::Yaml,
            value: converted.document,
        };
        assert!(check(&openapi, &asyncapi, &Default::default())
            .unwrap()
            .is_empty());
        asyncapi.value["operations"]["newPet.post"]["summary"] = "edited".into();
        let diffs = check(&openapi, &asyncapi, &Default::default()).unwrap();
        assert_eq!(diffs.len(), 1);
        assert_eq!(diffs[0].pointer, "/operations/newPet.post/summary");
        let text = render_text("a.yaml", &diffs);
        assert!(text.starts_with("a.yaml#/operations/newPet.post/summary: a.yaml has \"edited\"; convert gives \"A pet was added\""), "{text}");
        assert!(check(&openapi, &openapi, &Default::default()).is_err());
    }
}
