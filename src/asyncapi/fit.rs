//! Values AsyncAPI 3.0's JSON Schema rejects where OpenAPI allows (or tolerates) them, written
//! in a form AsyncAPI accepts (docs/stricter-fields.md). The original stays beside them:
//! `x-openapi-original` holds each value replaced or removed, `x-openapi-added` names each field
//! AsyncAPI requires that the original lacked. [`restore`] undoes both.

use serde_json::{Map, Value};

use super::is_extension_name;
use crate::document::pointer;

/// Values replaced or removed, by field name.
pub const ORIGINAL: &str = "x-openapi-original";
/// Fields added (AsyncAPI requires them; the original had none).
pub const ADDED: &str = "x-openapi-added";
/// What a relative URL is resolved against: `.invalid` never resolves (RFC 6761).
pub const RELATIVE_BASE: &str = "https://relative.invalid";
/// A required URL that is missing or empty.
pub const NO_URL: &str = "about:blank";

type Obj = Map<String, Value>;

/// Whether a value is valid OpenAPI that AsyncAPI is stricter about, or invalid in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    Stricter,
    Invalid,
    /// A field OpenAPI has (3.2's tag `summary`, a scheme's `deprecated`) and AsyncAPI has
    /// no place for: carried in the record, as `info.summary` is, without a warning.
    Carried,
}

/// One value written differently; `path` is a JSON pointer relative to the object fitted.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub path: String,
    pub cause: Cause,
    pub message: String,
}

/// The objects of the AsyncAPI side whose shape this module knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Info,
    Contact,
    License,
    ExternalDocs,
    Tag,
}

/// Fits an object of `kind` (already converted, extensions AsyncAPI rejects by name moved
/// aside) and its nested objects; returns what was rewritten.
pub fn fit(kind: Kind, obj: &mut Obj) -> Vec<Fitted> {
    let mut f = Fitter::default();
    match kind {
        Kind::Contact => {
            f.string(obj, "name", None);
            f.url(obj, "url", false);
            f.email(obj, "email");
            f.only(obj, &["name", "url", "email"]);
        }
        Kind::License => {
            f.string(obj, "name", Some(""));
            f.url(obj, "url", false);
            f.only(obj, &["name", "url"]);
        }
        Kind::ExternalDocs => {
            f.string(obj, "description", None);
            f.url(obj, "url", true);
            f.only(obj, &["description", "url"]);
        }
        Kind::Tag => {
            f.string(obj, "name", Some(""));
            f.string(obj, "description", None);
            f.nested(obj, "externalDocs", Kind::ExternalDocs);
            f.carry(obj, &["summary", "parent", "kind"]);
            f.only(obj, &["name", "description", "externalDocs"]);
        }
        Kind::Info => {
            f.string(obj, "title", Some(""));
            f.string(obj, "version", Some(""));
            f.string(obj, "description", None);
            f.url(obj, "termsOfService", false);
            for (field, kind) in [
                ("contact", Kind::Contact),
                ("license", Kind::License),
                ("externalDocs", Kind::ExternalDocs),
            ] {
                f.nested(obj, field, kind);
            }
            f.tags(obj);
            f.info_extensions(obj);
            f.only(
                obj,
                &[
                    "title",
                    "version",
                    "description",
                    "termsOfService",
                    "contact",
                    "license",
                    "tags",
                    "externalDocs",
                ],
            );
        }
    }
    f.finish(obj)
}

/// Collects the originals of one object while its fields are fitted.
#[derive(Default)]
pub(super) struct Fitter {
    original: Obj,
    added: Vec<Value>,
    found: Vec<Fitted>,
}

impl Fitter {
    pub(super) fn note(&mut self, path: &str, cause: Cause, message: String) {
        self.found.push(Fitted {
            path: path.to_string(),
            cause,
            message,
        });
    }

    /// Keeps the original of `field` (once: the first rewrite wins).
    fn keep(&mut self, field: &str, original: Option<Value>) {
        match original {
            Some(v) => {
                self.original.entry(field.to_string()).or_insert(v);
            }
            None => {
                let name = Value::String(field.to_string());
                if !self.added.contains(&name) && !self.original.contains_key(field) {
                    self.added.push(name);
                }
            }
        }
    }

    /// Replaces (or, with `None`, removes) a field, keeping its original.
    pub(super) fn set(&mut self, obj: &mut Obj, field: &str, value: Option<Value>) {
        let original = match value {
            Some(v) => obj.insert(field.to_string(), v),
            None => obj.shift_remove(field),
        };
        self.keep(field, original);
    }

    /// A string field; a value of another type is removed (`required`: replaced by it).
    pub(super) fn string(&mut self, obj: &mut Obj, field: &str, required: Option<&str>) {
        match (obj.get(field), required) {
            (Some(Value::String(_)), _) | (None, None) => {}
            (None, Some(fill)) => {
                self.set(obj, field, Some(Value::String(fill.to_string())));
                let msg = format!("`{field}` is missing, and AsyncAPI requires it: written `{fill:?}`, the absence recorded in `{ADDED}`");
                self.note(&pointer::push("", field), Cause::Invalid, msg);
            }
            (Some(v), fill) => {
                let msg = format!(
                    "`{field}` is {v}, not a string; {}, the original kept in `{ORIGINAL}`",
                    match fill {
                        Some(fill) => format!("written `{fill:?}` in AsyncAPI"),
                        None => "left out of AsyncAPI".to_string(),
                    }
                );
                self.set(obj, field, fill.map(|s| Value::String(s.to_string())));
                self.note(&pointer::push("", field), Cause::Invalid, msg);
            }
        }
    }

    /// A field AsyncAPI wants as an absolute URI (`format: uri`).
    pub(super) fn url(&mut self, obj: &mut Obj, field: &str, required: bool) {
        let at = pointer::push("", field);
        match obj.get(field) {
            Some(Value::String(s)) if is_uri(s) => {}
            Some(Value::String(s)) => {
                let fitted = fit_url(s);
                let what = if s.is_empty() {
                    "the empty string".to_string()
                } else {
                    format!("`{s}`")
                };
                let msg = format!("{what} is not an absolute URI, which AsyncAPI requires here: written `{fitted}`, the original kept in `{ORIGINAL}`");
                self.set(obj, field, Some(Value::String(fitted)));
                self.note(&at, Cause::Stricter, msg);
            }
            None if !required => {}
            None => {
                self.set(obj, field, Some(Value::String(NO_URL.into())));
                let msg = format!("`{field}` is missing, and AsyncAPI requires it: written `{NO_URL}`, the absence recorded in `{ADDED}`");
                self.note(&at, Cause::Invalid, msg);
            }
            Some(v) => {
                let msg = format!("`{field}` is {v}, not a URL: written `{NO_URL}` in AsyncAPI, the original kept in `{ORIGINAL}`");
                self.set(obj, field, Some(Value::String(NO_URL.into())));
                self.note(&at, Cause::Invalid, msg);
            }
        }
    }

    /// An e-mail address (`format: email` on both sides); one that is not is left out.
    fn email(&mut self, obj: &mut Obj, field: &str) {
        match obj.get(field) {
            None => {}
            Some(Value::String(s)) if is_email(s) => {}
            Some(v) => {
                let msg = format!("`{field}` {v} is not an e-mail address: left out of AsyncAPI, the original kept in `{ORIGINAL}`");
                self.set(obj, field, None);
                self.note(&pointer::push("", field), Cause::Invalid, msg);
            }
        }
    }

    /// A string that must be one of `allowed` (`fill` otherwise).
    pub(super) fn one_of(&mut self, obj: &mut Obj, field: &str, allowed: &[&str], fill: &str) {
        let ok = obj
            .get(field)
            .and_then(Value::as_str)
            .is_some_and(|s| allowed.contains(&s));
        if ok {
            return;
        }
        let was = match obj.get(field) {
            Some(v) => format!("{v}"),
            None => "missing".to_string(),
        };
        let msg = format!("`{field}` is {was}; AsyncAPI requires one of {allowed:?} here: written `{fill}`, the original kept in `{ORIGINAL}`/`{ADDED}`");
        self.set(obj, field, Some(Value::String(fill.to_string())));
        self.note(&pointer::push("", field), Cause::Invalid, msg);
    }

    /// A nested object of a known kind: fitted in place (its originals stay in it).
    fn nested(&mut self, obj: &mut Obj, field: &str, kind: Kind) {
        match obj.get_mut(field) {
            None => {}
            Some(Value::Object(inner)) => {
                for mut f in fit(kind, inner) {
                    f.path = format!("{}{}", pointer::push("", field), f.path);
                    self.found.push(f);
                }
            }
            Some(v) => {
                let msg = format!("`{field}` is {v}, not an object: left out of AsyncAPI, the original kept in `{ORIGINAL}`");
                self.set(obj, field, None);
                self.note(&pointer::push("", field), Cause::Invalid, msg);
            }
        }
    }

    /// `info.tags`: tag objects, no two equal (`uniqueItems`).
    fn tags(&mut self, obj: &mut Obj) {
        let before = obj.get("tags").cloned();
        let Some(Value::Array(tags)) = obj.get_mut("tags") else {
            if obj.get("tags").is_some() {
                let msg = format!(
                    "`tags` is not a list: left out of AsyncAPI, the original kept in `{ORIGINAL}`"
                );
                self.set(obj, "tags", None);
                self.note("/tags", Cause::Invalid, msg);
            }
            return;
        };
        let mut bad = false;
        for (i, tag) in tags.iter_mut().enumerate() {
            match tag {
                Value::Object(t) => {
                    for mut f in fit(Kind::Tag, t) {
                        f.path = format!("/tags/{i}{}", f.path);
                        self.found.push(f);
                    }
                }
                _ => bad = true,
            }
        }
        let mut seen: Vec<&Value> = Vec::new();
        let duplicate = tags.iter().any(|t| {
            let dup = seen.contains(&t);
            seen.push(t);
            dup
        });
        if bad || duplicate {
            let kept = unique(tags.iter().filter(|t| t.is_object()).cloned());
            let msg = format!("`tags` holds a tag that is not an object or the same tag twice, which AsyncAPI rejects: AsyncAPI gets each tag once, the list kept in `{ORIGINAL}`");
            obj.insert("tags".into(), Value::Array(kept));
            self.original
                .insert("tags".into(), before.unwrap_or_default());
            self.note("/tags", Cause::Invalid, msg);
        }
    }

    /// `x-x` and `x-linkedin` have schemas of their own in AsyncAPI's Info Object.
    fn info_extensions(&mut self, obj: &mut Obj) {
        let linkedin = |v: &Value| {
            v.as_str().is_some_and(|s| {
                let rest = s
                    .strip_prefix("https://")
                    .or_else(|| s.strip_prefix("http://"));
                rest.is_some_and(|r| {
                    r.strip_prefix("www.")
                        .unwrap_or(r)
                        .starts_with("linkedin.com")
                })
            })
        };
        for (field, ok) in [
            ("x-x", obj.get("x-x").is_none_or(Value::is_string)),
            ("x-linkedin", obj.get("x-linkedin").is_none_or(linkedin)),
        ] {
            if !ok {
                let msg = format!("AsyncAPI defines `{field}` on the Info Object (a string; for `x-linkedin` a linkedin.com URL), which this value is not: left out of AsyncAPI, the original kept in `{ORIGINAL}`");
                self.set(obj, field, None);
                self.note(&pointer::push("", field), Cause::Stricter, msg);
            }
        }
    }

    /// OpenAPI fields AsyncAPI has no place for here: removed, kept in the record, no warning.
    pub(super) fn carry(&mut self, obj: &mut Obj, fields: &[&str]) {
        for k in fields {
            if obj.contains_key(*k) {
                self.set(obj, k, None);
                let msg = format!("`{k}` has no AsyncAPI field: kept in `{ORIGINAL}`");
                self.note(&pointer::push("", k), Cause::Carried, msg);
            }
        }
    }

    /// Fields AsyncAPI does not have here (`additionalProperties: false`) are removed.
    pub(super) fn only(&mut self, obj: &mut Obj, allowed: &[&str]) {
        let extra: Vec<String> = obj
            .keys()
            .filter(|k| !allowed.contains(&k.as_str()) && !is_extension_name(k))
            .cloned()
            .collect();
        for k in extra {
            let msg = format!("`{k}` is not a field of this object: left out of AsyncAPI, the original kept in `{ORIGINAL}`");
            self.set(obj, &k, None);
            self.note(&pointer::push("", &k), Cause::Invalid, msg);
        }
    }

    /// Writes the records into the object and returns what was found.
    pub(super) fn finish(self, obj: &mut Obj) -> Vec<Fitted> {
        if !self.original.is_empty() {
            obj.insert(ORIGINAL.into(), Value::Object(self.original));
        }
        if !self.added.is_empty() {
            obj.insert(ADDED.into(), Value::Array(self.added));
        }
        self.found
    }
}

pub(crate) fn unique(items: impl Iterator<Item = Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for v in items {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Undoes [`fit`] on one object (nested objects have their own records): the originals take
/// their places back, added fields go.
pub fn restore(obj: &mut Obj) {
    let original = match obj.shift_remove(ORIGINAL) {
        Some(Value::Object(m)) => m,
        _ => Obj::new(),
    };
    if let Some(Value::Array(added)) = obj.shift_remove(ADDED) {
        for name in added.iter().filter_map(Value::as_str) {
            obj.shift_remove(name);
        }
    }
    for (k, v) in original {
        obj.insert(k, v);
    }
}

// ----- formats, as ajv-formats (full mode) checks them for @asyncapi/parser -------------------

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn is_sub_delim(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
    )
}

/// `s` made of `ok` bytes and `%XX` escapes only.
fn chars_ok(s: &str, ok: impl Fn(u8) -> bool) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |j: usize| b.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
        } else if ok(b[i]) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

fn is_pchar(b: u8) -> bool {
    is_unreserved(b) || is_sub_delim(b) || matches!(b, b':' | b'@')
}

/// An absolute URI as ajv-formats' `uri` accepts it (RFC 3986: a scheme, then an authority and
/// path, or a path; query and fragment). IP literals in brackets are not accepted here (a
/// stricter check only rewrites a few more values).
pub fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut sc = scheme.bytes();
    let scheme_ok = sc.next().is_some_and(|b| b.is_ascii_alphabetic())
        && sc.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return false;
    }
    let (rest, fragment) = match rest.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (rest, None),
    };
    let (hier, query) = match rest.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (rest, None),
    };
    let tail_ok = |t: &str| chars_ok(t, |b| is_pchar(b) || matches!(b, b'/' | b'?'));
    if !query.is_none_or(tail_ok) || !fragment.is_none_or(tail_ok) {
        return false;
    }
    let path_ok = |p: &str| chars_ok(p, |b| is_pchar(b) || b == b'/');
    let Some(after) = hier.strip_prefix("//").or_else(|| hier.strip_prefix('/')) else {
        // path-rootless (or empty): `urn:x`, `about:blank`
        return path_ok(hier);
    };
    if hier.starts_with("//") || !after.is_empty() {
        let (authority, path) = match after.find('/') {
            Some(i) => after.split_at(i),
            None => (after, ""),
        };
        let host_port = match authority.rsplit_once('@') {
            Some((user, hp)) => {
                if !chars_ok(user, |b| is_unreserved(b) || is_sub_delim(b) || b == b':') {
                    return false;
                }
                hp
            }
            None => authority,
        };
        let (host, port) = match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        };
        let host_ok = chars_ok(host, |b| is_unreserved(b) || is_sub_delim(b));
        let port_ok = port.is_none_or(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if host_ok && port_ok && path_ok(path) {
            return true;
        }
        // `/a:b/c` reads as a path too
        return !hier.starts_with("//") && path_ok(hier);
    }
    true
}

/// Percent-encodes every byte outside `keep` (and every `%` not starting an escape).
fn encode(s: &str, mut keep: impl FnMut(u8) -> bool) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in b.iter().enumerate() {
        let escape = c == b'%'
            && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if escape || (c != b'%' && keep(c)) {
            out.push(char::from(c));
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

/// A form of `s` AsyncAPI accepts as `format: uri`: characters URIs do not have
/// percent-encoded; a reference without a scheme resolved against [`RELATIVE_BASE`];
/// [`NO_URL`] for an empty one.
pub fn fit_url(s: &str) -> String {
    if s.trim().is_empty() {
        return NO_URL.to_string();
    }
    let mut fragment_seen = false;
    let encoded = encode(s, |b| {
        if b == b'#' {
            let first = !fragment_seen;
            fragment_seen = true;
            return first;
        }
        is_pchar(b) || matches!(b, b'/' | b'?')
    });
    if is_uri(&encoded) {
        return encoded;
    }
    let candidate = if encoded.starts_with("//") {
        format!("https:{encoded}")
    } else if encoded.starts_with('/') {
        format!("{RELATIVE_BASE}{encoded}")
    } else {
        format!("{RELATIVE_BASE}/{encoded}")
    };
    if is_uri(&candidate) {
        return candidate;
    }
    format!(
        "{RELATIVE_BASE}/{}",
        encode(s, |b| is_unreserved(b) || b == b'/')
    )
}

/// An e-mail address as ajv-formats' `email` accepts it.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    let atext = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&b);
    let local_ok = local
        .split('.')
        .all(|part| !part.is_empty() && part.bytes().all(atext));
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    local_ok && labels.len() >= 2 && labels.iter().all(|l| label_ok(l))
}

// ----- security schemes ----------------------------------------------------------------------

/// The scheme types OpenAPI has; AsyncAPI gets any other as `http` with the type as `scheme`.
const OPENAPI_SCHEME_TYPES: [&str; 5] = ["apiKey", "http", "mutualTLS", "oauth2", "openIdConnect"];

/// Fits a converted security scheme `out`; `src` is the OpenAPI scheme it was made from.
pub fn security_scheme(src: &Obj, out: &mut Obj) -> Vec<Fitted> {
    let mut f = Fitter::default();
    let src_type = src.get("type");
    let known = src_type
        .and_then(Value::as_str)
        .is_some_and(|t| OPENAPI_SCHEME_TYPES.contains(&t));
    if !known {
        let scheme = src_type
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let was = src_type.map_or("missing".to_string(), |t| t.to_string());
        let msg = format!("`type` is {was}, not a security scheme type of OpenAPI: written as `type: http` with `scheme: {scheme:?}` in AsyncAPI, the original kept in `{ORIGINAL}`/`{ADDED}`");
        f.set(out, "type", Some(Value::String("http".into())));
        f.set(out, "scheme", Some(Value::String(scheme)));
        f.note("/type", Cause::Invalid, msg);
    }
    f.string(out, "description", None);
    // OpenAPI 3.2 additions.
    f.carry(out, &["deprecated", "oauth2MetadataUrl"]);
    match out.get("type").and_then(Value::as_str).unwrap_or_default() {
        "httpApiKey" => {
            f.string(out, "name", Some(""));
            f.one_of(out, "in", &["query", "header", "cookie"], "header");
            f.only(out, &["type", "name", "in", "description"]);
        }
        "http" => {
            f.string(out, "scheme", Some(""));
            f.string(out, "bearerFormat", None);
            if out.get("scheme").and_then(Value::as_str) == Some("bearer") {
                f.only(out, &["type", "scheme", "bearerFormat", "description"]);
            } else {
                f.only(out, &["type", "scheme", "description"]);
            }
        }
        "oauth2" => {
            f.flows(src, out);
            f.scopes(out);
            f.only(out, &["type", "flows", "scopes", "description"]);
        }
        "openIdConnect" => {
            f.url(out, "openIdConnectUrl", true);
            f.scopes(out);
            f.only(out, &["type", "openIdConnectUrl", "scopes", "description"]);
        }
        _ => f.only(out, &["type", "description"]),
    }
    f.finish(out)
}

/// What each OAuth flow requires (AsyncAPI: and what it must not have).
fn flow_rules(name: &str) -> Option<(&'static [&'static str], Option<&'static str>)> {
    match name {
        "implicit" => Some((&["authorizationUrl"], Some("tokenUrl"))),
        "password" | "clientCredentials" => Some((&["tokenUrl"], Some("authorizationUrl"))),
        "authorizationCode" => Some((&["authorizationUrl", "tokenUrl"], None)),
        _ => None,
    }
}

impl Fitter {
    /// `flows`: when anything in it is rewritten, the OpenAPI `flows` is kept whole.
    fn flows(&mut self, src: &Obj, out: &mut Obj) {
        let mut found = Vec::new();
        let mut flows = match out.get("flows") {
            Some(Value::Object(m)) => m.clone(),
            Some(v) => {
                found.push(Fitted {
                    path: "/flows".into(),
                    cause: Cause::Invalid,
                    message: format!("`flows` is {v}, not an object: written `flows: {{}}` in AsyncAPI, the original kept in `{ORIGINAL}`"),
                });
                Obj::new()
            }
            None => {
                let msg = format!("an `oauth2` scheme without `flows`, which OpenAPI and AsyncAPI require: written `flows: {{}}` in AsyncAPI, the absence recorded in `{ADDED}`");
                self.set(out, "flows", Some(Value::Object(Obj::new())));
                self.note("/flows", Cause::Invalid, msg);
                return;
            }
        };
        let names: Vec<String> = flows.keys().cloned().collect();
        for name in names {
            let at = pointer::push("/flows", &name);
            let Some((required, forbidden)) = flow_rules(&name) else {
                flows.shift_remove(&name);
                let (cause, what) = if name.starts_with("x-") {
                    (
                        Cause::Stricter,
                        "an extension, which AsyncAPI's OAuth Flows Object does not take",
                    )
                } else if name == "deviceAuthorization" {
                    (
                        Cause::Carried,
                        "OpenAPI 3.2's device flow, which AsyncAPI lacks",
                    )
                } else {
                    (Cause::Invalid, "not an OAuth flow")
                };
                found.push(Fitted {
                    path: at,
                    cause,
                    message: format!("`{name}` is {what}: left out of AsyncAPI, the original `flows` kept in `{ORIGINAL}`"),
                });
                continue;
            };
            let mut flow = match flows.get(&name) {
                Some(Value::Object(m)) => m.clone(),
                _ => Obj::new(),
            };
            let mut ff = Fitter::default();
            if let Some(field) = forbidden {
                if flow.contains_key(field) {
                    let msg = format!(
                        "`{field}` is not a field of the `{name}` flow: left out of AsyncAPI"
                    );
                    ff.set(&mut flow, field, None);
                    ff.note(&pointer::push("", field), Cause::Invalid, msg);
                }
            }
            for field in ["authorizationUrl", "tokenUrl", "refreshUrl"] {
                if Some(field) != forbidden {
                    ff.url(&mut flow, field, required.contains(&field));
                }
            }
            ff.available_scopes(&mut flow);
            ff.only(
                &mut flow,
                &[
                    "authorizationUrl",
                    "tokenUrl",
                    "refreshUrl",
                    "availableScopes",
                ],
            );
            for mut x in ff.found {
                x.path = format!("{at}{}", x.path);
                x.message = x.message.replace(
                    &format!("the original kept in `{ORIGINAL}`"),
                    &format!("the OpenAPI `flows` kept whole in `{ORIGINAL}`"),
                );
                found.push(x);
            }
            flows.insert(name, Value::Object(flow));
        }
        if !found.is_empty() {
            out.insert("flows".into(), Value::Object(flows));
            self.original
                .entry("flows".to_string())
                .or_insert_with(|| src.get("flows").cloned().unwrap_or_default());
            self.found.extend(found);
        }
    }

    /// `availableScopes` (OpenAPI `scopes`, required by both): a map of strings.
    fn available_scopes(&mut self, flow: &mut Obj) {
        match flow.get_mut("availableScopes") {
            Some(Value::Object(m)) => {
                let bad: Vec<String> = m
                    .iter()
                    .filter(|(_, v)| !v.is_string())
                    .map(|(k, _)| k.clone())
                    .collect();
                for k in bad {
                    if let Some(v) = m.get_mut(&k) {
                        *v = Value::String(v.to_string());
                    }
                    let msg = format!("the description of scope `{k}` is not a string: written as its JSON text in AsyncAPI");
                    self.note(&pointer::push("/scopes", &k), Cause::Invalid, msg);
                }
            }
            other => {
                let msg = match other {
                    None => "`scopes` is missing, and OpenAPI and AsyncAPI require it: written `availableScopes: {}` in AsyncAPI".to_string(),
                    Some(v) => format!("`scopes` is {v}, not a map: written `availableScopes: {{}}` in AsyncAPI"),
                };
                flow.insert("availableScopes".into(), Value::Object(Obj::new()));
                self.note("/scopes", Cause::Invalid, msg);
            }
        }
    }

    /// The scheme-level `scopes` of AsyncAPI: a list of strings.
    fn scopes(&mut self, out: &mut Obj) {
        let ok = match out.get("scopes") {
            None => true,
            Some(Value::Array(items)) => items.iter().all(Value::is_string),
            Some(_) => false,
        };
        if !ok {
            let msg = format!("`scopes` is not a list of strings: left out of AsyncAPI, the original kept in `{ORIGINAL}`");
            self.set(out, "scopes", None);
            self.note("/scopes", Cause::Invalid, msg);
        }
    }
}

#[cfg(test)]
#[path = "fit_tests.rs"]
mod tests;
