//! Messages -> request bodies and responses: payloads become media types, examples come back
//! named or as `example`, replies are grouped by status code.

use serde_json::Value;

use super::{Converter, Obj};

impl<'a> Converter<'a> {
    /// The messages an operation (or its reply) lists, resolved (their `headers` too).
    pub(super) fn messages(&self, list: Option<&Value>) -> Vec<Obj> {
        let Some(Value::Array(list)) = list else {
            return Vec::new();
        };
        list.iter()
            .filter_map(|r| {
                let mut m = self.resolved(r).as_object()?.clone();
                if let Some(h) = m.get("headers").map(|h| self.resolved(h).clone()) {
                    m.insert("headers".into(), h);
                }
                Some(m)
            })
            .collect()
    }

    pub(super) fn request_body(&self, record: &Obj, requests: &[Obj]) -> Option<Value> {
        let recorded = record.get("requestBody");
        if let Some(Value::Object(r)) = recorded {
            if r.contains_key("$ref") {
                return recorded.cloned();
            }
        }
        let with_body: Vec<&Obj> = requests
            .iter()
            .filter(|m| m.contains_key("contentType") || m.contains_key("payload"))
            .collect();
        if recorded.is_none() && with_body.is_empty() {
            return None;
        }
        let mut body = Obj::new();
        if let Some(d) = requests.first().and_then(|m| m.get("description")) {
            body.insert("description".into(), d.clone());
        }
        body.insert("content".into(), Value::Object(self.content(&with_body)));
        if let Some(Value::Object(r)) = recorded {
            body.extend(r.clone());
        }
        Some(Value::Object(body))
    }

    /// Media types from messages: payload -> schema, message examples -> examples.
    fn content(&self, messages: &[&Obj]) -> Obj {
        let default_type = self
            .src
            .get("defaultContentType")
            .and_then(Value::as_str)
            .unwrap_or("application/json");
        let mut content = Obj::new();
        for m in messages {
            let media_type = m
                .get("contentType")
                .and_then(Value::as_str)
                .unwrap_or(default_type);
            content.insert(media_type.to_string(), self.media_type(m));
        }
        content
    }

    fn media_type(&self, m: &Obj) -> Value {
        let record = m.get("x-openapi-media-type");
        // Not a Media Type Object, or a `$ref` to one (3.2): written back as it was.
        if let Some(r) = record.filter(|r| !r.is_object() || crate::openapi::ref_of(r).is_some()) {
            return r.clone();
        }
        let record = record
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut mt = Obj::new();
        if let Some(payload) = m.get("payload") {
            mt.insert("schema".into(), self.schema_back(payload, true));
        }
        let examples = m
            .get("examples")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let recorded_names = record.get("examples").and_then(Value::as_object);
        let mut named = Obj::new();
        for ex in &examples {
            match ex.get("name").and_then(Value::as_str) {
                Some(name) => {
                    let mut e = Obj::new();
                    if let Some(s) = ex.get("summary") {
                        e.insert("summary".into(), s.clone());
                    }
                    e.insert(
                        "value".into(),
                        ex.get("payload").cloned().unwrap_or(Value::Null),
                    );
                    named.insert(name.to_string(), Value::Object(e));
                }
                None if !mt.contains_key("example") => {
                    mt.insert(
                        "example".into(),
                        ex.get("payload").cloned().unwrap_or(Value::Null),
                    );
                }
                None => {}
            }
        }
        if let Some(recorded) = recorded_names {
            let mut merged = Obj::new();
            for (name, rest) in recorded {
                let mut e = named
                    .shift_remove(name)
                    .and_then(|v| v.as_object().cloned())
                    .unwrap_or_default();
                if let Some(rest) = rest.as_object() {
                    e.extend(rest.clone());
                } else {
                    merged.insert(name.clone(), rest.clone());
                    continue;
                }
                merged.insert(name.clone(), Value::Object(e));
            }
            merged.extend(named);
            mt.insert("examples".into(), Value::Object(merged));
        } else if !named.is_empty() {
            mt.insert("examples".into(), Value::Object(named));
        }
        for (k, v) in record {
            if k == "itemSchema" {
                if let Some(item) = self.item_schema(v) {
                    mt.insert(k, item);
                }
            } else if k != "examples" {
                mt.insert(k, v);
            }
        }
        Value::Object(mt)
    }

    pub(super) fn responses(&self, record: &Obj, replies: &[Obj]) -> Value {
        let mut groups: Vec<(String, Vec<&Obj>)> = Vec::new();
        for m in replies {
            let status = reply_status(m);
            match groups.iter_mut().find(|(s, _)| *s == status) {
                Some((_, list)) => list.push(m),
                None => groups.push((status, vec![m])),
            }
        }
        let mut out = Obj::new();
        for (status, messages) in groups {
            out.insert(status, self.response(&messages));
        }
        if let Some(Value::Object(ext)) = record.get("responses") {
            out.extend(ext.clone());
        }
        Value::Object(out)
    }

    fn response(&self, messages: &[&Obj]) -> Value {
        let first = messages.first().copied();
        let mut record = first
            .and_then(|m| m.get("x-openapi-response"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        record.shift_remove("status");
        if let Some(raw) = record.get("ref") {
            return raw.clone();
        }
        let mut r = Obj::new();
        let description = first.and_then(|m| m.get("description")).cloned();
        r.insert(
            "description".into(),
            description.unwrap_or_else(|| Value::String(String::new())),
        );
        let headers = first.and_then(|m| m.get("headers"));
        if let Some(h) = self.response_headers(headers, record.get("headers")) {
            r.insert("headers".into(), h);
        }
        let with_body: Vec<&Obj> = messages
            .iter()
            .copied()
            .filter(|m| m.contains_key("contentType") || m.contains_key("payload"))
            .collect();
        if !with_body.is_empty() {
            r.insert("content".into(), Value::Object(self.content(&with_body)));
        }
        for (k, v) in record {
            if k != "headers" {
                r.insert(k, v);
            }
        }
        Value::Object(r)
    }

    fn response_headers(&self, schema: Option<&Value>, recorded: Option<&Value>) -> Option<Value> {
        let props = schema
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object);
        let required = schema
            .and_then(|s| s.get("required"))
            .and_then(Value::as_array);
        if let Some(Value::Object(recorded)) = recorded {
            let mut out = Obj::new();
            for (name, rest) in recorded {
                let mut h = rest.as_object().cloned().unwrap_or_default();
                let native = props.and_then(|p| p.get(name));
                if !h.contains_key("$ref")
                    && !h.contains_key("content")
                    && !h.contains_key("schema")
                {
                    if let Some(s) = native {
                        h.insert("schema".into(), self.schema_back(s, false));
                    }
                }
                out.insert(name.clone(), Value::Object(h));
            }
            return Some(Value::Object(out));
        }
        let props = props?;
        let mut out = Obj::new();
        for (name, s) in props {
            let mut h = Obj::new();
            if required.is_some_and(|r| r.iter().any(|x| x == name)) {
                h.insert("required".into(), Value::Bool(true));
            }
            h.insert("schema".into(), self.schema_back(s, false));
            out.insert(name.clone(), Value::Object(h));
        }
        Some(Value::Object(out))
    }
}

fn reply_status(m: &Obj) -> String {
    if let Some(s) = m
        .get("x-openapi-response")
        .and_then(|r| r.get("status"))
        .and_then(Value::as_str)
    {
        return s.to_string();
    }
    match m
        .get("bindings")
        .and_then(|b| b.get("http"))
        .and_then(|h| h.get("statusCode"))
    {
        Some(Value::Number(n)) => n.to_string(),
        _ => "default".to_string(),
    }
}
