//! The root of the OpenAPI document: `info`, the `paths` and webhook containers the root
//! `x-openapi` record asks for, `components`, and servers of documents written by hand.

use serde_json::Value;

use super::{hand_written, restore_extensions, Converter, Obj};
use crate::asyncapi;
use crate::convert::dialect::Dialect;
use crate::diagnostics::codes;
use crate::document::pointer;

impl<'a> Converter<'a> {
    pub(super) fn info(&mut self) {
        let mut info = self
            .src
            .get("info")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        asyncapi::fit::restore(&mut info);
        let tags = info.shift_remove("tags");
        let docs = info.shift_remove("externalDocs");
        if let Some(Value::Object(kept)) = self.record.get("info") {
            for (k, v) in kept {
                match (k.as_str(), v, info.get_mut("license")) {
                    ("license", Value::Object(extra), Some(Value::Object(license))) => {
                        license.extend(extra.clone());
                    }
                    _ => {
                        info.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        for field in ["contact", "license"] {
            if let Some(v) = info.get_mut(field) {
                *v = restore_extensions(v);
            }
        }
        self.out.insert("info".into(), Value::Object(info));
        if let Some(Value::Array(tags)) = tags {
            self.out.insert(
                "tags".into(),
                Value::Array(tags.iter().map(restore_extensions).collect()),
            );
        }
        if let Some(docs) = docs {
            self.out
                .insert("externalDocs".into(), restore_extensions(&docs));
        }
    }

    /// `paths` and `webhooks` exist in the output where the original had them.
    pub(super) fn prepare_containers(&mut self) {
        let mut paths = Obj::new();
        if let Some(Value::Object(ext)) = self.record.get("paths") {
            paths.extend(ext.clone());
        }
        self.out.insert("paths".into(), Value::Object(paths));
        for key in self.webhook_keys() {
            // Extension values written among the webhooks (`x-sdk-exclude: true`) come back.
            let values = self
                .record
                .get("webhookExtensions")
                .and_then(|e| e.get(&key));
            let map = values
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            self.out.insert(key, Value::Object(map));
        }
    }

    fn webhook_keys(&self) -> Vec<String> {
        match self.record.get("webhooks") {
            Some(Value::String(k)) => vec![k.clone()],
            Some(Value::Array(ks)) => ks
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        }
    }

    pub(super) fn default_webhook_key(&self) -> String {
        if let Some(first) = self.webhook_keys().into_iter().next() {
            return first;
        }
        match self.dialect {
            Dialect::Oas30 => "x-webhooks".into(),
            Dialect::Oas31 => "webhooks".into(),
        }
    }

    /// An empty `paths` stays only where the original had one: a record written by a conversion
    /// (it always states the perspective) records `paths` whenever there was one. Without such a
    /// record, 3.0, which requires `paths`, keeps an empty one.
    pub(super) fn finish_paths(&mut self) {
        let empty = self
            .out
            .get("paths")
            .and_then(Value::as_object)
            .is_some_and(Obj::is_empty);
        let from_conversion = self.record.contains_key("perspective");
        let required = self.dialect == Dialect::Oas30 && !from_conversion;
        if empty && !required && !self.record.contains_key("paths") {
            self.out.shift_remove("paths");
        }
        let order = [
            "openapi",
            "info",
            "jsonSchemaDialect",
            "servers",
            "security",
            "tags",
            "externalDocs",
            "paths",
        ];
        let mut sorted = Obj::new();
        for k in order {
            if let Some(v) = self.out.shift_remove(k) {
                sorted.insert(k.into(), v);
            }
        }
        sorted.extend(std::mem::take(&mut self.out));
        self.out = sorted;
    }

    /// A hand-written scheme OpenAPI has no Security Scheme for (at `at`): left out.
    pub(super) fn scheme_left_out(&mut self, at: &str, scheme: &Value) {
        let kind = hand_written::scheme_kind(self.resolved(scheme));
        let msg = format!("OpenAPI has no security scheme of type {kind}: it is not in the OpenAPI (nor in the security requirements naming it), only in its `x-asyncapi` record");
        self.warn(codes::LOSSY, at, msg);
    }

    pub(super) fn components(&mut self) {
        let mut out = Obj::new();
        if let Some(Value::Object(src)) = self.src.get("components") {
            if let Some(Value::Object(schemas)) = src.get("schemas") {
                let converted = schemas
                    .iter()
                    .map(|(k, s)| (k.clone(), self.schema_back(s, false)))
                    .collect();
                out.insert("schemas".into(), Value::Object(converted));
            }
            if let Some(Value::Object(schemes)) = src.get("securitySchemes") {
                let mut converted = Obj::new();
                for (k, s) in schemes {
                    if self.hand_written && !hand_written::openapi_has_scheme(self.resolved(s)) {
                        self.scheme_left_out(
                            &pointer::join(["components", "securitySchemes", k]),
                            s,
                        );
                        continue;
                    }
                    let s = restore_extensions(&asyncapi::security_scheme_to_openapi(s));
                    converted.insert(k.clone(), s);
                }
                if !converted.is_empty() || !self.hand_written {
                    out.insert("securitySchemes".into(), Value::Object(converted));
                }
            }
        }
        if !self.inline_schemes.is_empty() {
            let slot = out
                .entry("securitySchemes")
                .or_insert_with(|| Value::Object(Obj::new()));
            if let Value::Object(m) = slot {
                m.extend(std::mem::take(&mut self.inline_schemes));
            }
        }
        let recorded = match self.record.get("components") {
            Some(Value::Object(kept)) => {
                out.extend(kept.iter().map(|(k, v)| (k.clone(), v.clone())));
                true
            }
            _ => false,
        };
        if !out.is_empty() || recorded {
            self.out.insert("components".into(), Value::Object(out));
        }
    }
}

/// AsyncAPI servers (`host`, `pathname`, `protocol`) as OpenAPI Server Objects (`url`).
pub(super) fn hand_written_servers(src: &Obj) -> Option<Value> {
    let servers = src.get("servers")?.as_object()?;
    let list: Vec<Value> = servers
        .values()
        .filter_map(Value::as_object)
        .filter(|s| {
            s.get("protocol")
                .and_then(Value::as_str)
                .is_some_and(|p| p.starts_with("http"))
        })
        .map(|s| {
            let protocol = s.get("protocol").and_then(Value::as_str).unwrap_or("https");
            let host = s.get("host").and_then(Value::as_str).unwrap_or("");
            let pathname = s.get("pathname").and_then(Value::as_str).unwrap_or("");
            let mut out = Obj::new();
            out.insert(
                "url".into(),
                Value::String(format!("{protocol}://{host}{pathname}")),
            );
            if let Some(d) = s.get("description") {
                out.insert("description".into(), d.clone());
            }
            if let Some(Value::Object(vars)) = s.get("variables") {
                out.insert("variables".into(), Value::Object(server_variables(vars)));
            }
            Value::Object(out)
        })
        .collect();
    (!list.is_empty()).then_some(Value::Array(list))
}

/// OpenAPI requires a `default` for every server variable; AsyncAPI does not.
fn server_variables(vars: &Obj) -> Obj {
    vars.iter()
        .map(|(k, v)| {
            let mut var = v.as_object().cloned().unwrap_or_default();
            var.shift_remove("examples");
            if !var.contains_key("default") {
                let first = var.get("enum").and_then(|e| e.get(0)).cloned();
                var.insert(
                    "default".into(),
                    first.unwrap_or_else(|| Value::String(String::new())),
                );
            }
            (k.clone(), Value::Object(var))
        })
        .collect()
}
