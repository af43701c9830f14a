//! Collecting the references of one tree (read-only): `$ref` objects and discriminator mapping
//! values, each with the kind of what it stands for. In the root document, local references
//! are checked in place rather than collected.

use std::collections::HashSet;

use serde_json::Value;

use super::kind::{child, naturally_walked, Child, Kind};
use super::local::{chain_fault, fragment_pointer, is_local, lookup, ChainFault};
use super::{kept_as_written, too_deep, unresolved, MAX_WALK_DEPTH};
use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::pointer;

/// A reference to resolve: a `$ref` object, or a `discriminator.mapping` value.
#[derive(Debug, Clone)]
pub(super) struct Site {
    /// Pointer of the `$ref` object (or mapping value) in its file.
    pub(super) ptr: String,
    pub(super) kind: Kind,
    pub(super) reference: String,
    pub(super) mapping: bool,
}

enum Tok<'a> {
    Key(&'a str),
    Index(usize),
}

pub(super) struct Collector<'a> {
    /// The root document when collecting it: its local refs are checked, not collected.
    root: Option<&'a Value>,
    file: String,
    prefix: String,
    path: Vec<Tok<'a>>,
    pub(super) sites: Vec<Site>,
    /// Root-local targets outside the parts of the document the walk visits anyway.
    pending: Vec<(String, Kind)>,
    /// Root-local references already checked (big documents repeat them a lot).
    checked: HashSet<&'a str>,
    pub(super) warnings: Vec<Diagnostic>,
    /// Root-local references that point at nothing are left for the conversion to judge.
    keep_dangling: bool,
    /// The root's OpenAPI 3.2 `$self` (an absolute URI) and the root file's name: a URL
    /// `$ref` under it names the root or a file beside it.
    self_base: Option<(&'a str, String)>,
}

impl<'a> Collector<'a> {
    pub(super) fn new(root: Option<&'a Value>, file: &str, prefix: &str) -> Self {
        Collector {
            root,
            file: file.to_string(),
            prefix: prefix.to_string(),
            path: Vec::new(),
            sites: Vec::new(),
            pending: Vec::new(),
            checked: HashSet::new(),
            warnings: Vec::new(),
            keep_dangling: false,
            self_base: root.and_then(self_uri).zip(
                std::path::Path::new(file)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned()),
            ),
        }
    }

    fn pointer(&self) -> String {
        let mut out = self.prefix.clone();
        for t in &self.path {
            out.push('/');
            match t {
                Tok::Key(k) => out.push_str(&pointer::escape(k)),
                Tok::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }

    pub(super) fn walk(&mut self, v: &'a Value, kind: Kind) -> Result<(), Error> {
        if self.path.len() > MAX_WALK_DEPTH {
            let msg = format!("the document is nested more than {MAX_WALK_DEPTH} levels deep");
            return Err(
                Diagnostic::error(codes::TOO_DEEP, &self.file, &self.pointer(), msg).into(),
            );
        }
        match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.path.push(Tok::Index(i));
                    self.walk(item, kind)?;
                    self.path.pop();
                }
            }
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    if kind != Kind::Discriminator {
                        self.on_ref(r, kind, false)?;
                    }
                }
                for (key, value) in map {
                    if key == "$ref" {
                        continue;
                    }
                    let how = child(kind, key);
                    if matches!(how, Child::Skip) {
                        continue;
                    }
                    self.path.push(Tok::Key(key));
                    match how {
                        Child::Skip => {}
                        Child::One(k) => self.walk(value, k)?,
                        Child::Entries(k) => self.walk_entries(value, k)?,
                        Child::Mapping => self.walk_mapping(value)?,
                    }
                    self.path.pop();
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn walk_entries(&mut self, v: &'a Value, kind: Kind) -> Result<(), Error> {
        let Value::Object(entries) = v else {
            return Ok(());
        };
        if let Some(Value::String(r)) = entries.get("$ref") {
            // The whole map is a reference: its type is not one we track, so it is inlined.
            self.on_ref(r, Kind::Any, false)?;
        }
        for (name, entry) in entries {
            if name == "$ref" && entry.is_string() {
                continue;
            }
            self.path.push(Tok::Key(name));
            self.walk(entry, kind)?;
            self.path.pop();
        }
        Ok(())
    }

    fn walk_mapping(&mut self, v: &'a Value) -> Result<(), Error> {
        let Value::Object(entries) = v else {
            return Ok(());
        };
        for (name, target) in entries {
            if let Value::String(s) = target {
                if looks_like_ref(s) {
                    self.path.push(Tok::Key(name));
                    self.on_ref(s, Kind::Schema, true)?;
                    self.path.pop();
                }
            }
        }
        Ok(())
    }

    fn on_ref(&mut self, r: &'a str, kind: Kind, mapping: bool) -> Result<(), Error> {
        let rebased = match &self.self_base {
            Some((base, name)) if is_url(r) => rebase(r, base, name),
            _ => None,
        };
        if let Some(reference) = rebased {
            // Resolved against the root file as it would be against `$self`.
            self.sites.push(Site {
                ptr: self.pointer(),
                kind,
                reference,
                mapping,
            });
            return Ok(());
        }
        if is_url(r) {
            let what = if mapping {
                "the discriminator mapping"
            } else {
                "the `$ref`"
            };
            let msg = format!("{what} `{r}` is a URL: it is not fetched and is kept as it is");
            self.warnings.push(Diagnostic::warning(
                codes::EXTERNAL_REF,
                &self.file,
                &self.pointer(),
                msg,
            ));
            return Ok(());
        }
        if is_local(r) {
            if let Some(root) = self.root {
                if self.checked.insert(r) {
                    match self.check_local(root, r, kind) {
                        // A mapping value is a name for readers: nothing follows it.
                        Err(e) if mapping && e.diagnostic.code == codes::UNRESOLVED_REF => {
                            let d = kept_as_written(e, "the discriminator mapping");
                            self.warnings.push(d);
                        }
                        Err(e)
                            if self.keep_dangling && e.diagnostic.code == codes::UNRESOLVED_REF => {
                        }
                        other => other?,
                    }
                }
                return Ok(());
            }
        }
        self.sites.push(Site {
            ptr: self.pointer(),
            kind,
            reference: r.to_string(),
            mapping,
        });
        Ok(())
    }

    /// A local ref in the root stays as it is; it must point at something and its chain must end.
    fn check_local(&mut self, root: &Value, r: &str, kind: Kind) -> Result<(), Error> {
        let Some(target) = fragment_pointer(r) else {
            let msg = format!(
                "`$ref: {r}`: the fragment is not a JSON pointer (anchors are not supported)"
            );
            return Err(unresolved(&self.file, &self.pointer(), msg));
        };
        let Some(node) = lookup(root, &target) else {
            let msg = format!(
                "cannot resolve `$ref: {r}`: {} has nothing at {}",
                self.file,
                pointer::to_fragment(&target)
            );
            return Err(unresolved(&self.file, &self.pointer(), msg));
        };
        if node.get("$ref").is_some() {
            self.check_chain(root, node, &target)?;
        }
        if !naturally_walked(&target) {
            self.pending.push((target.into_owned(), kind));
        }
        Ok(())
    }

    fn check_chain(&self, root: &Value, node: &Value, target: &str) -> Result<(), Error> {
        match chain_fault(root, node, target) {
            None => Ok(()),
            Some(ChainFault::Cycle(chain)) => {
                let steps: Vec<String> = chain.iter().map(|p| pointer::to_fragment(p)).collect();
                let msg = format!(
                    "the `$ref` chain never reaches a value: {}",
                    steps.join(" -> ")
                );
                Err(Diagnostic::error(codes::REF_CYCLE, &self.file, &self.pointer(), msg).into())
            }
            Some(ChainFault::TooLong) => Err(too_deep(&self.file, &self.pointer())),
        }
    }
}

/// Collects the sites of the root regions `todo` (and of the root regions their local refs
/// reach that the typed walk would not visit), each region and each site once.
pub(super) fn collect_root(
    root: &Value,
    file: &str,
    mut todo: Vec<(String, Kind)>,
    walked: &mut HashSet<String>,
    seen_sites: &mut HashSet<String>,
    warnings: &mut Vec<Diagnostic>,
    keep_dangling: bool,
) -> Result<Vec<Site>, Error> {
    let mut sites = Vec::new();
    while let Some((ptr, kind)) = todo.pop() {
        if !walked.insert(ptr.clone()) {
            continue;
        }
        let Some(node) = lookup(root, &ptr) else {
            continue;
        };
        let mut c = Collector::new(Some(root), file, &ptr);
        c.keep_dangling = keep_dangling;
        c.walk(node, kind)?;
        warnings.append(&mut c.warnings);
        todo.append(&mut c.pending);
        sites.extend(
            c.sites
                .into_iter()
                .filter(|s| seen_sites.insert(s.ptr.clone())),
        );
    }
    Ok(sites)
}

/// The `$self` of an OpenAPI 3.2 document, when it is an absolute URI: "the self-assigned URI
/// of this document, which also serves as its base URI" (3.2.0, OpenAPI Object). A relative
/// `$self` resolves against where the document was read, which changes nothing here.
pub(super) fn self_uri(root: &Value) -> Option<&str> {
    let v32 = root
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.trim() == "3.2" || v.trim().starts_with("3.2."));
    let uri = root.get("$self")?.as_str()?;
    (v32 && is_url(uri) && !uri.contains('#')).then_some(uri)
}

/// A URL `$ref` identified through `$self`: the root itself (`<self>#/x` -> `<root name>#/x`)
/// or a file beside it (`<self's folder>/pets.yaml#/x` -> `pets.yaml#/x`), as a reference the
/// bundler resolves against the root file. `None`: the URL is elsewhere.
pub(super) fn rebase(r: &str, self_uri: &str, root_name: &str) -> Option<String> {
    let (uri, fragment) = match r.split_once('#') {
        Some((u, f)) => (u, format!("#{f}")),
        None => (r, String::new()),
    };
    if uri == self_uri {
        return (!fragment.is_empty()).then(|| format!("{root_name}{fragment}"));
    }
    let folder = &self_uri[..=self_uri.rfind('/')?];
    let rest = uri.strip_prefix(folder)?;
    let plain = !rest.is_empty() && !rest.starts_with('/') && !rest.contains(['?', ':']);
    plain.then(|| format!("{rest}{fragment}"))
}

/// A reference with a URI scheme other than `file:` (one-letter schemes are drive letters).
pub(super) fn is_url(r: &str) -> bool {
    let Some(colon) = r.find(':') else {
        return false;
    };
    let scheme = &r[..colon];
    let mut chars = scheme.chars();
    let starts_alpha = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    starts_alpha
        && scheme.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !scheme.eq_ignore_ascii_case("file")
}

/// A discriminator mapping value that is a reference rather than a schema name.
pub(super) fn looks_like_ref(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    s.contains('#')
        || s.contains('/')
        || [".yaml", ".yml", ".json"]
            .iter()
            .any(|e| lower.ends_with(e))
}
