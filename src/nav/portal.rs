//! Many APIs in one tree: a portal file (the `apis:` map of Redocly's configuration) or
//! repeated `--api NAME=OPENAPI[,ASYNCAPI]`. Each API is built on its own with source ids
//! `NAME` and `NAME-asyncapi`, its groups and schemas take the API name as prefix
//! (`NAME:group:rest`, `NAME:schema:Pet`), and it hangs under an `api:NAME` node, itself under
//! `apigroup:GROUP` when the API has a group.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::{Built, Kind, Manifest, NavOptions, Node};
use crate::diagnostics::codes;
use crate::{Diagnostic, Error};

/// One API of a portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalApi {
    pub name: String,
    pub openapi: PathBuf,
    pub asyncapi: Option<PathBuf>,
    pub group: Option<String>,
}

fn invalid(at: &str, message: impl Into<String>) -> Error {
    Diagnostic::error(codes::NAV_INVALID_PORTAL, at, "", message).into()
}

/// Names become source ids, folder names and id prefixes: keep them plain.
fn check_name(name: &str, at: &str) -> Result<(), Error> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-'));
    if ok {
        Ok(())
    } else {
        Err(invalid(
            at,
            format!("API name `{name}`: use letters, digits, `.`, `_`, `@`, `-`"),
        ))
    }
}

/// `NAME=OPENAPI[,ASYNCAPI]`.
pub fn parse_api_arg(arg: &str) -> Result<PortalApi, Error> {
    let at = "--api";
    let Some((name, paths)) = arg.split_once('=') else {
        return Err(invalid(
            at,
            format!("`{arg}`: expected NAME=OPENAPI[,ASYNCAPI]"),
        ));
    };
    check_name(name, at)?;
    let mut parts = paths.splitn(2, ',');
    let openapi = parts.next().filter(|p| !p.is_empty());
    let Some(openapi) = openapi else {
        return Err(invalid(at, format!("`{arg}`: no OpenAPI path")));
    };
    Ok(PortalApi {
        name: name.to_string(),
        openapi: PathBuf::from(openapi),
        asyncapi: parts.next().filter(|p| !p.is_empty()).map(PathBuf::from),
        group: None,
    })
}

/// Reads a portal file: `apis: {NAME: {openapi|root: PATH, asyncapi: PATH, group: TEXT}}`,
/// paths relative to the file. Other keys (Redocly's `rules`, `theme`, ...) are ignored.
pub fn read_portal(path: &Path, limits: &crate::Limits) -> Result<Vec<PortalApi>, Error> {
    let doc = crate::document::load::load_path(path, limits)?;
    let at = doc.name.as_str();
    let base = path.parent().unwrap_or(Path::new(""));
    let Some(Value::Object(apis)) = doc.value.get("apis") else {
        return Err(invalid(at, "no `apis:` map"));
    };
    let mut out = Vec::new();
    for (name, api) in apis {
        check_name(name, at)?;
        let field = |key: &str| {
            api.get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let Some(openapi) = field("openapi").or_else(|| field("root")) else {
            return Err(invalid(
                at,
                format!("API `{name}`: no `openapi` (or `root`) path"),
            ));
        };
        out.push(PortalApi {
            name: name.clone(),
            openapi: base.join(openapi),
            asyncapi: field("asyncapi").map(|p| base.join(p)),
            group: field("group").map(str::to_string),
        });
    }
    check_unique(&out, at)?;
    Ok(out)
}

/// Names must differ, also from every `NAME-asyncapi` source id.
pub fn check_unique(apis: &[PortalApi], at: &str) -> Result<(), Error> {
    if apis.is_empty() {
        return Err(invalid(at, "no API"));
    }
    let mut ids = std::collections::HashSet::new();
    for a in apis {
        if !ids.insert(a.name.clone()) || !ids.insert(format!("{}-asyncapi", a.name)) {
            return Err(invalid(at, format!("API name `{}` is used twice", a.name)));
        }
    }
    Ok(())
}

/// Builds every API ([`super::build_from_paths`]) and joins them into one manifest.
pub fn build_portal(apis: &[PortalApi], options: &NavOptions) -> Result<Built, Error> {
    check_unique(apis, "nav")?;
    let mut parts = Vec::new();
    let mut diagnostics = Vec::new();
    for api in apis {
        let opts = NavOptions {
            openapi_id: api.name.clone(),
            asyncapi_id: format!("{}-asyncapi", api.name),
            openapi_uri: None,
            asyncapi_uri: None,
            ..options.clone()
        };
        let mut built = super::build_from_paths(&api.openapi, api.asyncapi.as_deref(), &opts)?;
        diagnostics.append(&mut built.diagnostics);
        parts.push((api, built.manifest));
    }
    Ok(Built {
        manifest: join(parts),
        derived_asyncapi: None,
        diagnostics,
    })
}

fn join(parts: Vec<(&PortalApi, Manifest)>) -> Manifest {
    let mut nodes: IndexMap<String, Node> = IndexMap::new();
    let mut roots: Vec<String> = Vec::new();
    let mut sources = Vec::new();
    let mut renderers = Value::Null;
    let mut diagnostics = Vec::new();
    let mut page = super::page::PageData::default();
    let (schema, version, generator) = match parts.first() {
        Some((_, m)) => (
            m.schema.clone(),
            m.manifest_version.clone(),
            m.generator.clone(),
        ),
        None => (
            super::SCHEMA_ID.into(),
            super::MANIFEST_VERSION.into(),
            super::generator(),
        ),
    };
    for (api, mut m) in parts {
        prefix_ids(&mut m, &api.name);
        let api_id = format!("api:{}", api.name);
        // Titles repeat across an API's editions (GitHub's two): the name labels, the title sums up.
        let title = m.sources.first().map(|s| s.title.clone());
        let mut node = Node::new(api_id.clone(), Kind::Api, api.name.clone());
        node.summary = title.filter(|t| !t.is_empty());
        node.source = Some(api.name.clone());
        node.children = std::mem::take(&mut m.roots);
        for c in &node.children {
            if let Some(g) = m.nodes.get_mut(c) {
                g.primary_parent = Some(api_id.clone());
            }
        }
        match &api.group {
            Some(g) => {
                let gid = format!("apigroup:{g}");
                let group = nodes.entry(gid.clone()).or_insert_with(|| {
                    let mut n = Node::new(gid.clone(), Kind::Group, g.clone());
                    n.role = Some("apis".into());
                    n
                });
                group.children.push(api_id.clone());
                node.primary_parent = Some(gid.clone());
                if !roots.contains(&gid) {
                    roots.push(gid);
                }
            }
            None => roots.push(api_id.clone()),
        }
        nodes.insert(api_id, node);
        nodes.extend(m.nodes);
        sources.append(&mut m.sources);
        diagnostics.append(&mut m.diagnostics);
        merge_renderers(&mut renderers, m.renderers);
        page.extend(m.page);
    }
    Manifest {
        schema,
        manifest_version: version,
        generator,
        sources,
        renderers,
        roots,
        nodes,
        diagnostics,
        page,
    }
}

/// The per-document maps of `renderers` (Scalar document names, docusaurus folders) gather
/// every API's entries; the rest is the same for all.
fn merge_renderers(into: &mut Value, from: Value) {
    if into.is_null() {
        *into = from;
        return;
    }
    for path in ["/scalar/documentNames", "/docusaurus/outputDirs"] {
        let add: Map<String, Value> = from
            .pointer(path)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if let Some(Value::Object(map)) = into.pointer_mut(path) {
            map.extend(add);
        }
    }
}

/// The ids that are not already unique per API (`group:*`, `schema:*`) take `NAME:`.
fn prefix_ids(m: &mut Manifest, name: &str) {
    let fix = |id: &mut String| {
        if id.starts_with("group:") || id.starts_with("schema:") {
            *id = format!("{name}:{id}");
        }
    };
    m.roots.iter_mut().for_each(fix);
    let nodes = std::mem::take(&mut m.nodes);
    for (_, mut n) in nodes {
        fix(&mut n.id);
        n.children.iter_mut().for_each(fix);
        n.links.iter_mut().for_each(|l| fix(&mut l.target));
        n.primary_parent.iter_mut().for_each(fix);
        n.views.iter_mut().for_each(|v| fix(&mut v.node));
        if let Some(cb) = &mut n.callback {
            fix(&mut cb.registered_by);
        }
        m.nodes.insert(n.id.clone(), n);
    }
    for d in &mut m.diagnostics {
        d.nodes.iter_mut().for_each(fix);
    }
    m.page.prefix_ids(&fix);
}
