//! `targets` of every node, and the slug collisions they reveal.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde_json::{json, Value};

use super::openapi_walk::{resolve, OasOut};
use super::slug::kebab;
use super::{AnchorTarget, DocusaurusTarget, Kind, NavDiagnostic, NavOptions, Node};
use crate::document::pointer;

/// What the targets assume of each renderer.
pub fn renderers(options: &NavOptions) -> Value {
    json!({
        "redoc3": {
            "package": "redoc@3.0.1",
            "basePath": "/",
            "instances": "one per source",
            "options": {"schemaDefinitionsTagName": options.redoc_schemas_tag},
        },
        "scalar": {
            "package": "@scalar/workspace-store@0.67.0",
            "documentNames": {
                (options.openapi_id.clone()): options.openapi_id,
                (options.asyncapi_id.clone()): options.asyncapi_id,
            },
        },
        "docusaurus": {
            "plugin": "docusaurus-plugin-openapi-docs@5",
            "outputDirs": {
                (options.openapi_id.clone()): options.openapi_id,
                (options.asyncapi_id.clone()): options.asyncapi_id,
            },
        },
        "asyncapiReact": {"package": "@asyncapi/react-component@3", "schemaID": null},
    })
}

pub fn compute(
    openapi: &Value,
    asyncapi: &Value,
    oas: &OasOut,
    options: &NavOptions,
    nodes: &mut IndexMap<String, Node>,
) -> Vec<NavDiagnostic> {
    super::redoc::openapi(openapi, oas, options, nodes);
    super::redoc::asyncapi(asyncapi, options, nodes);
    super::scalar::openapi(openapi, options, nodes);
    super::scalar::asyncapi(asyncapi, options, nodes);
    docusaurus(options, nodes);
    asyncapi_react(asyncapi, options, nodes);
    let mut found = collisions(options, nodes);
    found.extend(info_page_collision(openapi, options, nodes));
    found
}

/// The plugin also writes an info page, `{dir}/{kebab(info.title)}`; Docusaurus refuses to
/// build when another page has that id ("docs sharing the same id"), as a tag named after the
/// API's title does.
fn info_page_collision(
    openapi: &Value,
    options: &NavOptions,
    nodes: &IndexMap<String, Node>,
) -> Option<NavDiagnostic> {
    let title = openapi.pointer("/info/title").and_then(Value::as_str)?;
    let info = format!("{}/{}", options.openapi_id, kebab(title));
    let ids: Vec<String> = nodes
        .values()
        .filter(|n| {
            n.targets
                .docusaurus
                .as_ref()
                .is_some_and(|d| d.doc_id == info)
        })
        .map(|n| n.id.clone())
        .collect();
    (!ids.is_empty()).then(|| NavDiagnostic {
        level: "warning".into(),
        code: crate::diagnostics::codes::NAV_SLUG_COLLISION.into(),
        renderer: Some("docusaurus".into()),
        message: format!(
            "the plugin's info page (from info.title) and {} other page(s) share the docusaurus id `{info}`: Docusaurus refuses to build",
            ids.len()
        ),
        target: Some(info),
        nodes: ids,
    })
}

/// docusaurus-openapi-docs ids (`{dir}/{kebab(operationId or summary)}`, tags
/// `{dir}/{kebab(tag)}`); callbacks are the `#callbacks` heading of their operation's page;
/// AsyncAPI entries are the pages `hookbridge nav --export docusaurus` writes.
fn docusaurus(options: &NavOptions, nodes: &mut IndexMap<String, Node>) {
    let (odir, adir) = (&options.openapi_id, &options.asyncapi_id);
    let ids: Vec<String> = nodes.keys().cloned().collect();
    // The plugin writes a tag page only for a tag both declared and given to an operation it
    // lists.
    let used_tags: std::collections::HashSet<&str> = nodes
        .values()
        .filter(|n| plugin_lists(n))
        .flat_map(|n| n.tags.iter().map(String::as_str))
        .collect();
    let tag_pages: std::collections::HashSet<String> = nodes
        .values()
        .filter(|n| n.kind == Kind::Tag && n.pointer.as_deref() != Some("/tags"))
        .filter(|n| used_tags.contains(tag_name(n)))
        .map(|n| n.id.clone())
        .collect();
    for id in &ids {
        let Some(n) = nodes.get(id) else { continue };
        let doc_id = match n.kind {
            Kind::Operation | Kind::Webhook if !plugin_lists(n) => None,
            Kind::Operation | Kind::Webhook => {
                let base = n.operation_id.clone().or_else(|| summary_of(n));
                base.map(|b| format!("{odir}/{}", kebab(&b)))
                    .filter(|d| !d.ends_with('/'))
            }
            Kind::Tag if tag_pages.contains(id) => Some(format!("{odir}/{}", kebab(tag_name(n)))),
            Kind::Tag => None,
            // docusaurus-openapi-docs 5.2: kebabCase(title.replace(" ", "-").toLowerCase()),
            // the title defaulting to the component key; lower-casing first drops camel-case breaks.
            Kind::Schema => Some(format!(
                "{}/schemas/{}",
                schema_dir(n, odir, adir),
                kebab(&n.label.replacen(' ', "-", 1).to_lowercase())
            )),
            Kind::Channel => Some(format!("{adir}/channels/{}", kebab(&last_token(n)))),
            Kind::AsyncOperation | Kind::Stream => {
                Some(format!("{adir}/operations/{}", kebab(&last_token(n))))
            }
            Kind::Message => Some(format!("{adir}/messages/{}", kebab(&message_slug_base(n)))),
            Kind::Callback | Kind::Group | Kind::Api => None,
        };
        let target = doc_id.map(|doc_id| DocusaurusTarget {
            doc_id,
            anchor: None,
        });
        if let Some(n) = nodes.get_mut(id) {
            n.targets.docusaurus = target;
        }
    }
    for id in &ids {
        let parent = nodes
            .get(id)
            .filter(|n| n.kind == Kind::Callback)
            .and_then(|n| nodes.get(&n.callback.as_ref()?.registered_by))
            .filter(|p| matches!(p.kind, Kind::Operation | Kind::Webhook))
            .and_then(|p| p.targets.docusaurus.as_ref())
            .map(|t| t.doc_id.clone());
        if let (Some(doc_id), Some(n)) = (parent, nodes.get_mut(id)) {
            n.targets.docusaurus = Some(DocusaurusTarget {
                doc_id,
                anchor: Some("callbacks".into()),
            });
        }
    }
}

/// Whether docusaurus-plugin-openapi-docs 5.2.0 makes a page of an operation or webhook: under
/// `paths` it reads the eight methods of OpenAPI 3.1 only (not 3.2's `query` nor
/// `additionalOperations`); under `webhooks` every Path Item field but `$ref`, `description`,
/// `parameters`, `servers` and `summary` (so `query`, but `additionalOperations` is taken for one
/// operation, the map itself, which is none of ours).
fn plugin_lists(n: &Node) -> bool {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let tokens = n
        .pointer
        .as_deref()
        .and_then(pointer::split)
        .unwrap_or_default();
    match (n.kind, tokens.as_slice()) {
        (Kind::Operation, [p, _, method]) if p == "paths" => {
            METHODS.contains(&method.to_ascii_lowercase().as_str())
        }
        (Kind::Operation, _) => false,
        (Kind::Webhook, [.., additional, _]) => additional != "additionalOperations",
        _ => false,
    }
}

/// The plugin's fallback for operations without operationId: the operation's summary (the
/// label, unless the label is our own fallback; without either the plugin makes no usable id).
/// A tag node's name: its id is `{source}:tag:{name}`.
fn tag_name(n: &Node) -> &str {
    n.id.splitn(3, ':').nth(2).unwrap_or_default()
}

fn summary_of(n: &Node) -> Option<String> {
    let http = n.http.as_ref()?;
    let fallback = match (&http.path, &http.name) {
        (Some(path), _) => format!("{} {path}", http.method),
        (None, Some(name)) => name.clone(),
        _ => String::new(),
    };
    (n.operation_id.is_none() && n.label != fallback && !n.label.trim().is_empty())
        .then(|| n.label.clone())
}

fn schema_dir<'a>(n: &Node, odir: &'a str, adir: &'a str) -> &'a str {
    if n.source.as_deref() == Some(odir) {
        odir
    } else {
        adir
    }
}

fn name_of(n: &Node) -> &str {
    n.id.strip_prefix("schema:").unwrap_or(&n.id)
}

fn last_token(n: &Node) -> String {
    n.pointer
        .as_deref()
        .and_then(pointer::split)
        .and_then(|t| t.last().cloned())
        .unwrap_or_default()
}

/// `{channel}-{message}` for channel messages, the component key otherwise.
fn message_slug_base(n: &Node) -> String {
    let tokens = n
        .pointer
        .as_deref()
        .and_then(pointer::split)
        .unwrap_or_default();
    match tokens.as_slice() {
        [c, ch, _, m] if c == "channels" => format!("{ch}-{m}"),
        _ => tokens.last().cloned().unwrap_or_default(),
    }
}

/// `@asyncapi/react-component` anchors: `operation-{action}-{id}`, `message-{name}`,
/// `schema-{name}`.
fn asyncapi_react(doc: &Value, options: &NavOptions, nodes: &mut IndexMap<String, Node>) {
    let src = options.asyncapi_id.as_str();
    for n in nodes.values_mut() {
        let anchor = match n.kind {
            Kind::AsyncOperation | Kind::Stream if n.source.as_deref() == Some(src) => {
                let action = n.async_info.as_ref().and_then(|a| a.action.clone());
                action.map(|a| format!("operation-{a}-{}", last_token(n)))
            }
            Kind::Message if n.source.as_deref() == Some(src) => {
                Some(format!("message-{}", message_name(doc, n)))
            }
            Kind::Schema if n.occurrences.iter().any(|o| o.source == src) => {
                Some(format!("schema-{}", name_of(n)))
            }
            _ => None,
        };
        n.targets.asyncapi_react = anchor.map(|anchor| AnchorTarget { anchor });
    }
}

/// A message's `name`, else its component key when it is a `$ref`, else its own key.
fn message_name(doc: &Value, n: &Node) -> String {
    let raw = n.pointer.as_deref().and_then(|p| doc.pointer(p));
    if let Some(name) = raw
        .map(|m| resolve(doc, m))
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
    {
        return name.to_string();
    }
    let via_ref = raw
        .and_then(crate::openapi::ref_of)
        .and_then(pointer::from_fragment)
        .and_then(|p| pointer::split(&p))
        .and_then(|t| t.last().cloned());
    via_ref.unwrap_or_else(|| last_token(n))
}

/// Two entries of one source with the same address in one renderer.
fn collisions(options: &NavOptions, nodes: &IndexMap<String, Node>) -> Vec<NavDiagnostic> {
    let mut seen: BTreeMap<(&str, String, String), Vec<String>> = BTreeMap::new();
    for n in nodes.values() {
        let src = n
            .source
            .clone()
            .unwrap_or_else(|| options.openapi_id.clone());
        let t = &n.targets;
        let page = !matches!(n.kind, Kind::Callback | Kind::Message);
        let mut add = |renderer: &'static str, addr: Option<String>| {
            if let Some(a) = addr {
                seen.entry((renderer, src.clone(), a))
                    .or_default()
                    .push(n.id.clone());
            }
        };
        add(
            "redoc3",
            t.redoc3.as_ref().filter(|_| page).map(|r| r.href.clone()),
        );
        add("scalar", t.scalar.as_ref().map(|s| s.id.clone()));
        add(
            "docusaurus",
            t.docusaurus
                .as_ref()
                .filter(|_| n.kind != Kind::Callback)
                .map(|d| d.doc_id.clone()),
        );
        add(
            "asyncapiReact",
            t.asyncapi_react.as_ref().map(|a| a.anchor.clone()),
        );
    }
    seen.into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|((renderer, _, addr), ids)| NavDiagnostic {
            level: "warning".into(),
            code: crate::diagnostics::codes::NAV_SLUG_COLLISION.into(),
            renderer: Some(renderer.into()),
            message: format!(
                "{} entries share the {renderer} address `{addr}`",
                ids.len()
            ),
            target: Some(addr),
            nodes: ids,
        })
        .collect()
}
