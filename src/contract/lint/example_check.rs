//! Checking examples: compiles the document's schemas once (per request/response context)
//! and validates every example found by the walk against its schema.

use std::collections::HashMap;

use jsonschema::{Draft, Registry, Validator};
use serde_json::{json, Map, Value};

use super::example_walk::{Context, ExampleWalk, Flavor, Site};
use super::refs::follow;
use super::{rules, Level, Sink};
use crate::convert::dialect::{self, Dialect};
use crate::document::pointer;

/// Validation errors listed per example.
const MAX_ERRORS: usize = 3;

fn base_uri(context: Context) -> &'static str {
    match context {
        Context::Neutral => "urn:hookbridge:document",
        Context::Request => "urn:hookbridge:request",
        Context::Response => "urn:hookbridge:response",
    }
}

pub(super) fn check_examples(root: &Value, flavor: Flavor, sink: &mut Sink) {
    let mut walk = ExampleWalk::new(root, flavor);
    match flavor {
        Flavor::AsyncApi => walk.asyncapi(),
        _ => walk.openapi(),
    }
    if walk.sites.is_empty() {
        return;
    }
    let converted = convert_oas30(root, &walk.oas30_roots);
    let neutral = converted.as_ref().unwrap_or(root);
    let request = without_required(neutral, "readOnly");
    let response = without_required(neutral, "writeOnly");
    let draft = draft_of(root, flavor);
    let mut trees = vec![(Context::Neutral, neutral)];
    trees.extend(request.as_ref().map(|t| (Context::Request, t)));
    trees.extend(response.as_ref().map(|t| (Context::Response, t)));
    let registry = match registry_of(&trees, draft) {
        Ok(r) => r,
        Err(e) => {
            let msg = format!(
                "examples were not checked: the document's schemas cannot be indexed ({e})"
            );
            sink.add(rules::EXAMPLE_UNCHECKED, "", None, msg);
            return;
        }
    };
    let has = |c: Context| trees.iter().any(|(t, _)| *t == c);
    let mut checker = Checker {
        registry: &registry,
        draft,
        flavor,
        formats: sink.config.level(rules::EXAMPLE_FORMAT) != Level::Off,
        contexts: [has(Context::Request), has(Context::Response)],
        validators: HashMap::new(),
    };
    for site in &walk.sites {
        checker.check(site, sink);
    }
}

fn registry_of<'t>(trees: &[(Context, &'t Value)], draft: Draft) -> Result<Registry<'t>, String> {
    let mut builder = Registry::new().draft(draft);
    for (context, tree) in trees {
        builder = builder
            .add(base_uri(*context), draft.create_resource_ref(tree))
            .map_err(|e| e.to_string())?;
    }
    builder.prepare().map_err(|e| e.to_string())
}

/// A copy of the document with its OpenAPI 3.0 schemas in the draft-07 dialect, if any.
fn convert_oas30(root: &Value, roots: &[String]) -> Option<Value> {
    if roots.is_empty() {
        return None;
    }
    let mut copy = root.clone();
    for at in roots {
        if let Some(slot) = copy.pointer_mut(at) {
            *slot = dialect::to_asyncapi(slot, Dialect::Oas30);
        }
    }
    Some(copy)
}

/// A copy of `tree` where no `required` names a property flagged `flag` (`readOnly` or
/// `writeOnly`), or `None` when nothing would change.
fn without_required(tree: &Value, flag: &str) -> Option<Value> {
    let mut edits = Vec::new();
    required_edits(tree, tree, String::new(), flag, &mut edits, 0);
    if edits.is_empty() {
        return None;
    }
    let mut copy = tree.clone();
    for (at, names) in edits {
        if let Some(Value::Array(required)) = copy.pointer_mut(&pointer::push(&at, "required")) {
            required.retain(|n| n.as_str().is_none_or(|n| !names.iter().any(|x| x == n)));
        }
    }
    Some(copy)
}

fn required_edits(
    root: &Value,
    node: &Value,
    at: String,
    flag: &str,
    edits: &mut Vec<(String, Vec<String>)>,
    depth: usize,
) {
    if depth > MAX_WALK_DEPTH {
        return;
    }
    match node {
        Value::Object(map) => {
            let names = flagged_required(root, map, flag);
            if !names.is_empty() {
                edits.push((at.clone(), names));
            }
            for (k, v) in map {
                required_edits(root, v, pointer::push(&at, k), flag, edits, depth + 1);
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                required_edits(
                    root,
                    v,
                    pointer::push(&at, &i.to_string()),
                    flag,
                    edits,
                    depth + 1,
                );
            }
        }
        _ => {}
    }
}

const MAX_WALK_DEPTH: usize = 256;

fn flagged_required(root: &Value, schema: &Map<String, Value>, flag: &str) -> Vec<String> {
    let (Some(Value::Array(required)), Some(Value::Object(props))) =
        (schema.get("required"), schema.get("properties"))
    else {
        return Vec::new();
    };
    required
        .iter()
        .filter_map(Value::as_str)
        .filter(|name| {
            props
                .get(*name)
                .and_then(|p| follow(root, p, "").ok())
                .is_some_and(|(p, _)| p.get(flag) == Some(&Value::Bool(true)))
        })
        .map(str::to_string)
        .collect()
}

fn draft_of(root: &Value, flavor: Flavor) -> Draft {
    match flavor {
        Flavor::Oas30 | Flavor::AsyncApi => Draft::Draft7,
        Flavor::Oas31 => match root.get("jsonSchemaDialect").and_then(Value::as_str) {
            Some(uri) if Draft::from_schema_uri(uri) != Draft::Unknown => {
                Draft::from_schema_uri(uri)
            }
            _ => Draft::Draft202012,
        },
    }
}

type Compiled = Result<Validator, String>;

struct Checker<'r> {
    registry: &'r Registry<'r>,
    draft: Draft,
    flavor: Flavor,
    /// Whether `format` is checked (rule `example-format` on).
    formats: bool,
    /// Whether the request / response variants of the document exist.
    contexts: [bool; 2],
    validators: HashMap<(Context, bool, String), Compiled>,
}

/// How an example fared.
enum Outcome {
    Valid,
    /// Fails with `format` ignored.
    Invalid(Vec<String>),
    /// Fails only on `format`.
    Format(Vec<String>),
    Unchecked(String),
}

impl Checker<'_> {
    fn validator(&mut self, context: Context, formats: bool, schema_at: &str) -> &Compiled {
        let context = match context {
            Context::Request if self.contexts[0] => Context::Request,
            Context::Response if self.contexts[1] => Context::Response,
            _ => Context::Neutral,
        };
        let (registry, draft) = (self.registry, self.draft);
        let key = (context, formats, schema_at.to_string());
        self.validators.entry(key).or_insert_with(|| {
            let target = format!("{}{}", base_uri(context), pointer::to_fragment(schema_at));
            jsonschema::options()
                .with_draft(draft)
                .with_registry(registry)
                .should_validate_formats(formats)
                .build(&json!({ "$ref": target }))
                .map_err(|e| e.to_string())
        })
    }

    /// Error messages of `value`, or `Err` when the schema does not compile.
    fn errors(&mut self, site: &Site, formats: bool, value: &Value) -> Result<Vec<String>, String> {
        let flavor = self.flavor;
        match self.validator(site.context, formats, &site.schema) {
            Ok(v) => Ok(v
                .iter_errors(value)
                .take(MAX_ERRORS + 1)
                .map(|e| describe_error(&e, flavor))
                .collect()),
            Err(e) => Err(e.clone()),
        }
    }

    /// Errors of the value, or none when one of its wire-text readings is valid.
    fn errors_any(&mut self, site: &Site, formats: bool) -> Result<Vec<String>, String> {
        let first = self.errors(site, formats, site.value)?;
        if first.is_empty() || !site.wire_text {
            return Ok(first);
        }
        for alt in wire_readings(site.value) {
            if self.errors(site, formats, &alt)?.is_empty() {
                return Ok(Vec::new());
            }
        }
        Ok(first)
    }

    fn outcome(&mut self, site: &Site) -> Outcome {
        let first = match self.errors_any(site, self.formats) {
            Ok(e) if e.is_empty() => return Outcome::Valid,
            Ok(e) => e,
            Err(e) => return Outcome::Unchecked(e),
        };
        if !self.formats {
            return Outcome::Invalid(first);
        }
        match self.errors_any(site, false) {
            Ok(e) if e.is_empty() => Outcome::Format(first),
            Ok(e) => Outcome::Invalid(e),
            Err(e) => Outcome::Unchecked(e),
        }
    }

    fn check(&mut self, site: &Site, sink: &mut Sink) {
        let (rule, errors) = match self.outcome(site) {
            Outcome::Valid => return,
            Outcome::Invalid(e) => (rules::EXAMPLE_VALID, e),
            Outcome::Format(e) => (rules::EXAMPLE_FORMAT, e),
            Outcome::Unchecked(e) => {
                let msg = format!("the examples of this schema were not checked: the schema does not compile ({e})");
                sink.add(rules::EXAMPLE_UNCHECKED, &site.schema, None, msg);
                return;
            }
        };
        let what = match &site.via {
            Some(via) => format!("example `#{via}`"),
            None => "example".to_string(),
        };
        let mut msg = format!("{what} does not match the schema at #{}: ", site.schema);
        msg.push_str(&errors[..errors.len().min(MAX_ERRORS)].join("; "));
        if errors.len() > MAX_ERRORS {
            msg.push_str("; ...");
        }
        sink.add(rule, &site.at, None, msg);
    }
}

/// Other readings of a scalar sent as text: `123` <-> `"123"`, `true` <-> `"true"`.
fn wire_readings(value: &Value) -> Vec<Value> {
    match value {
        Value::Number(_) | Value::Bool(_) => vec![Value::String(value.to_string())],
        Value::String(s) => serde_json::from_str::<Value>(s)
            .ok()
            .filter(|v| v.is_number() || v.is_boolean())
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

fn describe_error(e: &jsonschema::ValidationError, flavor: Flavor) -> String {
    let mut text = if e.instance().to_string().len() <= 60 {
        e.to_string()
    } else {
        e.masked().to_string()
    };
    if let Some(closest) = closest_branch(e.kind()) {
        text.push_str(&format!(" (closest: {closest})"));
    }
    let path = e.instance_path().as_str();
    let place = if path.is_empty() {
        "the value".to_string()
    } else {
        format!("`{path}`")
    };
    let hint = if flavor == Flavor::Oas31 && e.instance().is_null() {
        " (`nullable` is OpenAPI 3.0 only: in 3.1 write `type: [..., \"null\"]`)"
    } else {
        ""
    };
    format!("{place}: {text}{hint}")
}

/// For `oneOf`/`anyOf` failures: the errors of the branch that came closest.
fn closest_branch(kind: &jsonschema::error::ValidationErrorKind) -> Option<String> {
    use jsonschema::error::ValidationErrorKind as K;
    let (K::OneOfNotValid { context } | K::AnyOf { context }) = kind else {
        return None;
    };
    let best = context
        .iter()
        .filter(|b| !b.is_empty())
        .min_by_key(|b| b.len())?;
    let parts: Vec<String> = best
        .iter()
        .take(2)
        .map(|e| {
            let path = e.instance_path().as_str();
            let text = e.masked().to_string();
            if path.is_empty() {
                text
            } else {
                format!("`{path}`: {text}")
            }
        })
        .collect();
    Some(parts.join("; "))
}
