//! The rest of the root: `info` (with the root tags and docs), the components, the other
//! root fields, and the `x-openapi` record of what AsyncAPI has no place for.

use std::collections::HashSet;

use serde_json::Value;

use super::records::{
    fitted_warnings, is_reserved, move_foreign_extensions, tag_to_asyncapi,
    with_foreign_extensions_kept,
};
use super::{Converter, Obj, Options, Output, SchemaFormat, HEAD_KEYS};
use crate::asyncapi::fit;
use crate::asyncapi::{self, is_extension_name};
use crate::convert::dialect::{self, Dialect, Noted};
use crate::convert::operation_tags;
use crate::diagnostics::Diagnostic;
use crate::document::pointer;
use crate::openapi;

/// What the loader found out about the document that spares [`Head::finish`] work.
pub(super) struct Notes {
    /// References may need pointing into the record (false when the loader saw none).
    pub(super) into_record: bool,
    /// Component schemas (OpenAPI 3.1 or 3.2) the conversion would leave as they are.
    pub(super) unchanged_schemas: HashSet<String>,
}

impl Notes {
    /// Nothing known: every walk runs.
    pub(super) fn none() -> Notes {
        Notes {
            into_record: true,
            unchanged_schemas: HashSet::new(),
        }
    }
}

/// The output up to `operations` and the `x-openapi` record so far.
pub(super) struct Head {
    pub(super) out: Obj,
    pub(super) record: Obj,
    pub(super) file: String,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) options: Options,
    pub(super) dialect: Dialect,
}

impl Head {
    /// Adds the components and the remaining root fields (`root` without the [`HEAD_KEYS`]
    /// is enough), moving them.
    pub(super) fn finish(self, mut root: Obj, notes: Notes) -> Output {
        let Head {
            mut out,
            mut record,
            file,
            mut diagnostics,
            options,
            dialect,
        } = self;
        // The component schemas are most of the document. The whole-document walk below passes
        // them by (their place is kept) when their conversion found nothing it does.
        let mut schemas = Noted::ALL;
        if let Some(Value::Object(src)) = root.get_mut("components") {
            if src.is_empty() {
                // `components: {}` has no AsyncAPI trace: the record keeps it for the way back.
                record.insert("components".into(), Value::Object(Obj::new()));
            }
            let (components, noted) = components(
                std::mem::take(src),
                &mut record,
                (&options, dialect, &notes.unchanged_schemas),
                (&file, &mut diagnostics),
            );
            schemas = noted;
            if !components.is_empty() {
                out.insert("components".into(), Value::Object(components));
            }
        }
        for (key, value) in root {
            match key.as_str() {
                k if HEAD_KEYS.contains(&k) => {}
                "components" => {}
                k if is_extension_name(k) && !is_reserved(k) => {
                    out.insert(key, value);
                }
                _ => {
                    record.insert(key, value);
                }
            }
        }
        // References to components AsyncAPI does not get point into the record instead.
        let into_record = notes.into_record
            && record
                .get("components")
                .is_some_and(|c| c.as_object().is_some_and(|m| !m.is_empty()));
        out.insert("x-openapi".into(), Value::Object(record));
        let mut document = Value::Object(out);
        without_schemas(&mut document, !schemas.data_refs, |d| {
            if into_record {
                asyncapi::escape_data_refs_mapping(d, &asyncapi::ref_into_record);
            } else {
                asyncapi::escape_data_refs(d);
            }
        });
        if into_record && !schemas.data_refs && schemas.record_refs {
            // Passed by above for the escape only.
            if let Some(s) = document.pointer_mut("/components/schemas") {
                asyncapi::map_schema_refs(s, &asyncapi::ref_into_record);
            }
        }
        Output {
            document,
            diagnostics,
        }
    }
}

/// Runs `walk` over `doc`, with `components.schemas` set aside meanwhile if `pass_by`.
fn without_schemas(doc: &mut Value, pass_by: bool, walk: impl FnOnce(&mut Value)) {
    let slot = |d: &mut Value| {
        d.get_mut("components")
            .and_then(|c| c.get_mut("schemas"))
            .map(std::mem::take)
    };
    let set_aside = if pass_by { slot(doc) } else { None };
    walk(doc);
    if let Some(schemas) = set_aside {
        if let Some(place) = doc.get_mut("components").and_then(|c| c.get_mut("schemas")) {
            *place = schemas;
        }
    }
}

/// The Components Object: schemas converted in place, security schemes converted, the rest
/// recorded. Also says what the converted schemas hold (see [`dialect::to_asyncapi_noting`]).
fn components(
    src: Obj,
    record: &mut Obj,
    (options, dialect, unchanged): (&Options, Dialect, &HashSet<String>),
    (file, diagnostics): (&str, &mut Vec<Diagnostic>),
) -> (Obj, Noted) {
    let mut out = Obj::new();
    let mut kept = Obj::new();
    let mut noted = Noted::default();
    for (kind, value) in src {
        match value {
            Value::Object(mut schemas) if kind == "schemas" => {
                for (name, schema) in schemas.iter_mut() {
                    match options.schema_format {
                        // The loader checked it with 3.1's rules while it was in the cache.
                        SchemaFormat::AsyncApi
                            if dialect == Dialect::Oas31 && unchanged.contains(name) => {}
                        SchemaFormat::AsyncApi => {
                            noted |= dialect::to_asyncapi_noting(schema, dialect);
                        }
                        SchemaFormat::OpenApi => {
                            noted = Noted::ALL;
                            let s = std::mem::take(schema);
                            *schema = multi_format(s, false, dialect);
                        }
                    }
                }
                out.insert(kind, Value::Object(schemas));
            }
            Value::Object(schemes) if kind == "securitySchemes" => {
                let mut converted = Obj::with_capacity(schemes.len());
                for (k, s) in schemes {
                    let (scheme, found) =
                        asyncapi::security_scheme_fitted(&with_foreign_extensions_kept(&s));
                    let at = pointer::join(["components", "securitySchemes", k.as_str()]);
                    fitted_warnings(file, &at, found, diagnostics);
                    converted.insert(k, scheme);
                }
                out.insert(kind, Value::Object(converted));
            }
            value => {
                kept.insert(kind, value);
            }
        }
    }
    if !kept.is_empty() {
        record.insert("components".into(), Value::Object(kept));
    }
    (out, noted)
}

/// Wraps a verbatim OpenAPI schema in a Multi Format Schema Object. References to
/// components point at the wrapped `schema` so both sides have the same format.
pub(super) fn multi_format(schema: Value, top_ref_is_plain: bool, dialect: Dialect) -> Value {
    if top_ref_is_plain && openapi::ref_of(&schema).is_some() {
        return schema;
    }
    let format = match dialect {
        Dialect::Oas30 => "application/vnd.oai.openapi+json;version=3.0.0",
        Dialect::Oas31 => "application/vnd.oai.openapi+json;version=3.1.0",
    };
    let mut inner = schema;
    asyncapi::map_schema_refs(&mut inner, &asyncapi::ref_into_wrapped_schema);
    let mut m = Obj::new();
    m.insert("schemaFormat".into(), format.into());
    m.insert("schema".into(), inner);
    Value::Object(m)
}

impl Converter<'_> {
    pub(super) fn info(&mut self, record: &mut Obj) -> Value {
        let mut info = self
            .root
            .get("info")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut kept = Obj::new();
        if let Some(summary) = info.shift_remove("summary") {
            kept.insert("summary".into(), summary);
        }
        if let Some(Value::Object(license)) = info.get_mut("license") {
            if let Some(id) = license.shift_remove("identifier") {
                kept.insert(
                    "license".into(),
                    Value::Object(Obj::from_iter([("identifier".into(), id)])),
                );
            }
        }
        move_foreign_extensions(&mut info, &mut kept);
        if !kept.is_empty() {
            record.insert("info".into(), Value::Object(kept));
        }
        for field in ["contact", "license"] {
            if let Some(v) = info.get_mut(field) {
                *v = with_foreign_extensions_kept(v);
            }
        }
        if let Some(Value::Array(tags)) = self.root.get("tags") {
            // Root tags that describe operation tags are not `info.tags`: the record keeps
            // the list as written for the way back.
            let info_tags = tags.iter().filter(|t| !operation_tags::is_marked(t));
            let info_tags: Vec<Value> = info_tags.map(tag_to_asyncapi).collect();
            if info_tags.len() < tags.len() {
                record.insert("tags".into(), Value::Array(tags.clone()));
            }
            if !info_tags.is_empty() || info_tags.len() == tags.len() {
                info.insert("tags".into(), Value::Array(info_tags));
            }
        }
        if let Some(docs) = self.root.get("externalDocs") {
            info.insert("externalDocs".into(), with_foreign_extensions_kept(docs));
        }
        // `info.tags` and `info.externalDocs` are the root's `tags` and `externalDocs`.
        for f in fit::fit(fit::Kind::Info, &mut info) {
            let root_field = ["/tags", "/externalDocs"]
                .iter()
                .any(|r| f.path == *r || f.path.starts_with(&format!("{r}/")));
            let at = if root_field { "" } else { "/info" };
            fitted_warnings(self.file, at, vec![f], &mut self.diagnostics);
        }
        Value::Object(info)
    }
}
