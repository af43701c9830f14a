//! Multi-file specifications: [`bundle`] pulls every file a document references into one
//! self-contained tree; [`resolve_local`] follows local `$ref`s inside a tree.
//!
//! Bundling walks the OpenAPI structure, so it knows what each `$ref` stands for. A target
//! whose type has a `components` section (schema, parameter, response, request body, header,
//! example, link, callback, security scheme) becomes a component and the `$ref` is pointed at
//! it; path items and anything else are inlined in place. References inside a loaded file are
//! resolved against that file, so its local refs bring its own components along.
//!
//! Example values, `default`, `enum`, `const` and extension values (`x-*`) are data: their
//! `$ref`s are never followed (the one exception is Redocly's `x-codeSamples`, whose `source`
//! may reference a code file). A `$ref` to a file that is not JSON or YAML becomes the file's
//! text. URLs are never fetched: they are kept and reported as warnings.
//!
//! Files are read only inside a sandbox directory (by default the input's directory), checked
//! after symlinks are resolved.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use serde_json::{Map, Value};

use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::load::{load_path, load_path_noting_refs, Document, Limits, RefNotes};
use crate::document::pointer;

/// Most files one bundle reads, the input included.
pub const MAX_FILES: usize = 1000;
/// The files one bundle reads may together hold at most this many times `Limits::max_bytes`.
pub const MAX_TOTAL_BYTES_FACTOR: usize = 4;
/// Longest chain of `$ref`s followed.
pub const MAX_REF_DEPTH: usize = 500;
/// Deepest nesting of inlined references (a reference inside an inlined file, inside ...).
pub const MAX_INLINE_DEPTH: usize = 64;
/// Deepest nesting walked inside one tree (the parsers already stop at 128), and deepest
/// position at which a reference may be inlined in the bundled tree.
const MAX_WALK_DEPTH: usize = 256;

/// How [`bundle`] reads files.
#[derive(Debug, Clone, Default)]
pub struct BundleOptions {
    /// The directory references may read (the sandbox); default: the input file's directory.
    pub root: Option<PathBuf>,
    /// Limits for each file read.
    pub limits: Limits,
}

/// A bundled document and the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Bundled {
    /// One tree: only local `$ref`s are left, plus URL `$ref`s kept verbatim.
    pub document: Document,
    /// Warnings (URL references kept, ...).
    pub diagnostics: Vec<Diagnostic>,
    /// Set when the loader saw that every `$ref` is a sound local reference, so a later
    /// reference check over the whole tree would find nothing.
    pub sound_refs: Option<SoundRefs>,
}

/// What the loader's notes say about a document whose `$ref`s are all local and sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoundRefs {
    /// Every `#` reference (data included) points into `#/components/`.
    pub into_components_only: bool,
}

/// Loads `path` and every file it references and returns one self-contained document.
///
/// A document without file references is returned as loaded: when the references the loader
/// noted are all local and sound ([`no_work`]), without walking the tree; otherwise after one
/// read-only walk, which reports what is wrong where.
pub fn bundle(path: &Path, options: &BundleOptions) -> Result<Bundled, Error> {
    let (doc, notes) = load_path_noting_refs(path, &options.limits)?;
    if options.limits.max_depth <= MAX_WALK_DEPTH && no_work(&doc.value, &notes) {
        let into_components_only = notes
            .refs
            .iter()
            .all(|r| !r.starts_with('#') || r.starts_with("#/components/"));
        return Ok(Bundled {
            document: doc,
            diagnostics: Vec::new(),
            sound_refs: Some(SoundRefs {
                into_components_only,
            }),
        });
    }
    bundle_walked(path, options, doc)
}

/// [`bundle`] of the loaded root `doc` of `path`, walking it for its references.
fn bundle_walked(path: &Path, options: &BundleOptions, doc: Document) -> Result<Bundled, Error> {
    let mut walked = HashSet::new();
    let mut seen_sites = HashSet::new();
    let mut warnings = Vec::new();
    let start = vec![(String::new(), Kind::Root)];
    let sites = collect_root(
        &doc.value,
        &doc.name,
        start,
        &mut walked,
        &mut seen_sites,
        &mut warnings,
    )?;
    if sites.is_empty() {
        return Ok(Bundled {
            document: doc,
            diagnostics: dedup(warnings),
            sound_refs: None,
        });
    }
    let Document {
        name,
        syntax,
        value,
    } = doc;
    let root_file = std::fs::canonicalize(path).map_err(|e| {
        Diagnostic::error(codes::IO, &name, "", format!("cannot read the file: {e}"))
    })?;
    let sandbox = sandbox_dir(&root_file, options)?;
    let root_len = std::fs::metadata(&root_file)
        .map(|m| m.len() as usize)
        .unwrap_or(0);
    let mut bundler = Bundler {
        limits: options.limits,
        sandbox,
        root_file: root_file.clone(),
        files: HashMap::new(),
        total_bytes: root_len,
        placed: HashMap::new(),
        slots: HashSet::new(),
        existing: existing_components(&value),
        new_components: Map::new(),
        queue: VecDeque::new(),
        inline_stack: Vec::new(),
        out_depth: 0,
        pending_root: Vec::new(),
        walked_root: walked,
        root_sites: seen_sites,
        warnings,
    };
    bundler.files.insert(
        root_file,
        Loaded {
            display: name.clone(),
            content: Content::Tree(Rc::new(value)),
        },
    );
    let value = bundler.run(sites)?;
    Ok(Bundled {
        document: Document {
            name,
            syntax,
            value,
        },
        diagnostics: dedup(bundler.warnings),
        sound_refs: None,
    })
}

/// Whether the walk of the root ([`collect_root`]) would find nothing to do: no reference to
/// another file or a URL, and no local reference that fails [`Collector::check_local`]. The
/// notes hold every `$ref` of the document and every string of every `mapping` object, data
/// included, so they are a superset of what the walk looks at; when any of them is not a sound
/// local reference, the walk runs and reports it (or skips it, if it is data) as before.
/// (The walk's own depth limit cannot be reached when the loader's `max_depth` is at most
/// [`MAX_WALK_DEPTH`]: the loader refuses deeper trees; [`bundle`] checks that first.)
fn no_work(root: &Value, notes: &RefNotes) -> bool {
    notes.refs.iter().all(|r| sound_local_ref(root, r))
        && notes
            .mapping_values
            .iter()
            .all(|s| !looks_like_ref(s) || sound_local_ref(root, s))
}

/// A local reference that [`Collector::check_local`] accepts, wherever it is.
fn sound_local_ref(root: &Value, r: &str) -> bool {
    // A URL is never local: [`Collector::on_ref`] warns about those.
    if !is_local(r) {
        return false;
    }
    let Some(target) = fragment_pointer(r) else {
        return false;
    };
    let Some(node) = lookup(root, &target) else {
        return false;
    };
    node.get("$ref").is_none() || chain_fault(root, node, &target).is_none()
}

/// What is wrong with the chain of local `$ref`s from `node` (at `target`), if anything:
/// [`Collector::check_chain`]'s findings, without their position.
fn chain_fault<'v>(root: &'v Value, mut node: &'v Value, target: &str) -> Option<ChainFault> {
    let mut chain = vec![target.to_string()];
    while let Some(Value::String(next)) = node.get("$ref") {
        // Other refs and broken pointers in the chain are reported where they are walked.
        let Some(p) = fragment_pointer(next).filter(|_| is_local(next)) else {
            break;
        };
        let p = p.into_owned();
        if chain.contains(&p) {
            chain.push(p);
            return Some(ChainFault::Cycle(chain));
        }
        if chain.len() >= MAX_REF_DEPTH {
            return Some(ChainFault::TooLong);
        }
        let Some(n) = lookup(root, &p) else { break };
        node = n;
        chain.push(p);
    }
    None
}

enum ChainFault {
    /// The pointers of the chain, the repeated one last.
    Cycle(Vec<String>),
    /// Longer than [`MAX_REF_DEPTH`].
    TooLong,
}

/// Resolves a local `$ref` (`#/components/schemas/X`) against `doc`, following chains of local
/// refs. `None` when the reference is not a local JSON pointer, points at nothing, or the chain
/// loops (or is longer than [`MAX_REF_DEPTH`]). A chain that reaches a non-local `$ref` stops
/// there and returns that node.
pub fn resolve_local<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let mut ptr = fragment_pointer(reference)?;
    let mut seen: Vec<Cow<str>> = Vec::new();
    loop {
        let node = lookup(doc, &ptr)?;
        match node.get("$ref") {
            Some(Value::String(next)) if next.starts_with('#') => {
                if seen.contains(&ptr) || seen.len() >= MAX_REF_DEPTH {
                    return None;
                }
                let next = fragment_pointer(next)?;
                seen.push(std::mem::replace(&mut ptr, next));
            }
            _ => return Some(node),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What a position in an OpenAPI document holds.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Root,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Encoding,
    Header,
    Example,
    Link,
    Callback,
    SecurityScheme,
    Schema,
    Components,
    Discriminator,
    /// Unknown structure: refs are inlined, data keywords skipped.
    Any,
}

/// Component sections and the kind of their entries.
const SECTIONS: [(&str, Kind); 9] = [
    ("schemas", Kind::Schema),
    ("parameters", Kind::Parameter),
    ("responses", Kind::Response),
    ("requestBodies", Kind::RequestBody),
    ("headers", Kind::Header),
    ("examples", Kind::Example),
    ("links", Kind::Link),
    ("callbacks", Kind::Callback),
    ("securitySchemes", Kind::SecurityScheme),
];

const OPERATIONS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Kind {
    fn section(self) -> Option<&'static str> {
        SECTIONS.iter().find(|(_, k)| *k == self).map(|(s, _)| *s)
    }

    fn of_section(name: &str) -> Option<Kind> {
        SECTIONS.iter().find(|(s, _)| *s == name).map(|(_, k)| *k)
    }
}

/// How the value under one key of a typed object is walked. Arrays are walked element by
/// element with the same kind, so `parameters`, `allOf` and friends are `One`.
enum Child {
    Skip,
    One(Kind),
    /// A map from names to values of the kind.
    Entries(Kind),
    /// `discriminator.mapping`: values are schema names or references.
    Mapping,
}

fn child(kind: Kind, key: &str) -> Child {
    use Child::{Entries, Mapping, One, Skip};
    use Kind::*;
    if key.starts_with("x-") {
        return match (kind, key) {
            (Root, "x-webhooks") => Entries(PathItem),
            (Operation, "x-codeSamples" | "x-code-samples") => One(Any),
            _ => Skip,
        };
    }
    match kind {
        Root => match key {
            "paths" => One(Paths),
            "webhooks" => Entries(PathItem),
            "components" => One(Components),
            _ => One(Any),
        },
        Paths | Callback => One(PathItem),
        Responses => One(Response),
        Components => match Kind::of_section(key) {
            Some(k) => Entries(k),
            None if key == "pathItems" => Entries(PathItem),
            None => One(Any),
        },
        PathItem => match key {
            "parameters" => One(Parameter),
            k if OPERATIONS.contains(&k) => One(Operation),
            _ => One(Any),
        },
        Operation => match key {
            "parameters" => One(Parameter),
            "requestBody" => One(RequestBody),
            "responses" => One(Responses),
            "callbacks" => Entries(Callback),
            _ => One(Any),
        },
        Parameter | Header => match key {
            "schema" => One(Schema),
            "content" => Entries(MediaType),
            "examples" => Entries(Example),
            "example" => Skip,
            _ => One(Any),
        },
        RequestBody => match key {
            "content" => Entries(MediaType),
            _ => One(Any),
        },
        Response => match key {
            "headers" => Entries(Header),
            "content" => Entries(MediaType),
            "links" => Entries(Link),
            _ => One(Any),
        },
        MediaType => match key {
            "schema" => One(Schema),
            "examples" => Entries(Example),
            "encoding" => Entries(Encoding),
            "example" => Skip,
            _ => One(Any),
        },
        Encoding => match key {
            "headers" => Entries(Header),
            _ => One(Any),
        },
        Example | Link => match key {
            "summary" | "description" => One(Any),
            _ => Skip,
        },
        SecurityScheme => One(Any),
        Schema => match key {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas"
            | "dependencies" => Entries(Schema),
            "items"
            | "additionalItems"
            | "prefixItems"
            | "additionalProperties"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "allOf"
            | "anyOf"
            | "oneOf"
            | "not"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames"
            | "contentSchema" => One(Schema),
            "discriminator" => One(Discriminator),
            "example" | "examples" | "default" | "enum" | "const" => Skip,
            _ => One(Any),
        },
        Discriminator => match key {
            "mapping" => Mapping,
            _ => Skip,
        },
        Any => match key {
            "example" | "examples" | "default" | "enum" | "const" | "value" => Skip,
            _ => One(Any),
        },
    }
}

/// Whether the typed walk of the root visits the node at `ptr` anyway.
fn naturally_walked(ptr: &str) -> bool {
    let mut tokens = ptr.split('/').skip(1);
    match tokens.next() {
        None | Some("paths" | "webhooks" | "x-webhooks") => true,
        Some("components") => tokens
            .next()
            .is_some_and(|s| s == "pathItems" || Kind::of_section(s).is_some()),
        Some(_) => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Collecting the references of one tree (read-only).

/// A reference to resolve: a `$ref` object, or a `discriminator.mapping` value.
#[derive(Debug, Clone)]
struct Site {
    /// Pointer of the `$ref` object (or mapping value) in its file.
    ptr: String,
    kind: Kind,
    reference: String,
    mapping: bool,
}

enum Tok<'a> {
    Key(&'a str),
    Index(usize),
}

struct Collector<'a> {
    /// The root document when collecting it: its local refs are checked, not collected.
    root: Option<&'a Value>,
    file: String,
    prefix: String,
    path: Vec<Tok<'a>>,
    sites: Vec<Site>,
    /// Root-local targets outside the parts of the document the walk visits anyway.
    pending: Vec<(String, Kind)>,
    /// Root-local references already checked (big documents repeat them a lot).
    checked: HashSet<&'a str>,
    warnings: Vec<Diagnostic>,
}

impl<'a> Collector<'a> {
    fn new(root: Option<&'a Value>, file: &str, prefix: &str) -> Self {
        Collector {
            root,
            file: file.to_string(),
            prefix: prefix.to_string(),
            path: Vec::new(),
            sites: Vec::new(),
            pending: Vec::new(),
            checked: HashSet::new(),
            warnings: Vec::new(),
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

    fn walk(&mut self, v: &'a Value, kind: Kind) -> Result<(), Error> {
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
                    self.check_local(root, r, kind)?;
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
fn collect_root(
    root: &Value,
    file: &str,
    mut todo: Vec<(String, Kind)>,
    walked: &mut HashSet<String>,
    seen_sites: &mut HashSet<String>,
    warnings: &mut Vec<Diagnostic>,
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

// ---------------------------------------------------------------------------------------------
// Resolving and placing.

enum Content {
    Tree(Rc<Value>),
    Text(Rc<str>),
}

struct Loaded {
    display: String,
    content: Content,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Target {
    /// Canonical path.
    file: PathBuf,
    /// JSON pointer in the file.
    ptr: String,
}

enum Action {
    SetRef(String),
    SetString(String),
    Inline(Value),
}

struct Bundler {
    limits: Limits,
    sandbox: PathBuf,
    root_file: PathBuf,
    files: HashMap<PathBuf, Loaded>,
    total_bytes: usize,
    /// Target of a component section -> its component name.
    placed: HashMap<(&'static str, Target), String>,
    /// Root components that are a bare `$ref` to a file: they receive their target in place.
    slots: HashSet<(&'static str, String)>,
    /// Names of the root's own components, per section.
    existing: HashMap<&'static str, HashSet<String>>,
    /// Components brought in, per section, in the order they were first referenced.
    new_components: Map<String, Value>,
    queue: VecDeque<(&'static str, String, Target)>,
    inline_stack: Vec<Target>,
    /// Depth, in the bundled tree, of the reference being resolved.
    out_depth: usize,
    pending_root: Vec<(String, Kind)>,
    walked_root: HashSet<String>,
    root_sites: HashSet<String>,
    warnings: Vec<Diagnostic>,
}

impl Bundler {
    fn run(&mut self, sites: Vec<Site>) -> Result<Value, Error> {
        let root = self.root_file.clone();
        self.register_slots()?;
        let mut actions = Vec::with_capacity(sites.len());
        for site in sites {
            self.out_depth = depth(&site.ptr);
            let action = self.resolve_site(&root, &site)?;
            actions.push((site.ptr, action));
        }
        loop {
            while let Some((section, name, target)) = self.queue.pop_front() {
                let kind = Kind::of_section(section).unwrap_or(Kind::Any);
                self.out_depth = 3;
                let from = (self.display(&target.file), target.ptr.clone());
                let value = self.materialize(&target, kind, (&from.0, &from.1))?;
                if let Some(Value::Object(entries)) = self.new_components.get_mut(section) {
                    entries.insert(name, value);
                }
            }
            let pending = std::mem::take(&mut self.pending_root);
            if pending.is_empty() {
                break;
            }
            for site in self.collect_root_regions(pending)? {
                self.out_depth = depth(&site.ptr);
                let action = self.resolve_site(&root, &site)?;
                actions.push((site.ptr, action));
            }
        }
        let mut value = match self.files.remove(&root).map(|l| l.content) {
            Some(Content::Tree(rc)) => Rc::try_unwrap(rc).unwrap_or_else(|rc| (*rc).clone()),
            _ => Value::Null,
        };
        apply(&mut value, actions);
        self.merge_components(&mut value)?;
        Ok(value)
    }

    fn display(&self, file: &Path) -> String {
        match self.files.get(file) {
            Some(l) => l.display.clone(),
            None => file.display().to_string(),
        }
    }

    fn tree(&self, file: &Path) -> Option<Rc<Value>> {
        match &self.files.get(file)?.content {
            Content::Tree(v) => Some(v.clone()),
            Content::Text(_) => None,
        }
    }

    fn collect_root_regions(&mut self, regions: Vec<(String, Kind)>) -> Result<Vec<Site>, Error> {
        let Some(tree) = self.tree(&self.root_file) else {
            return Ok(Vec::new());
        };
        let file = self.display(&self.root_file);
        collect_root(
            &tree,
            &file,
            regions,
            &mut self.walked_root,
            &mut self.root_sites,
            &mut self.warnings,
        )
    }

    /// Root components that are nothing but a `$ref` to another file (`Device: {$ref:
    /// common.yaml#/components/schemas/Device}`) become the home of their target.
    fn register_slots(&mut self) -> Result<(), Error> {
        let root = self.root_file.clone();
        let Some(tree) = self.tree(&root) else {
            return Ok(());
        };
        let Some(Value::Object(components)) = tree.get("components") else {
            return Ok(());
        };
        let display = self.display(&root);
        for (section, _) in SECTIONS {
            let Some(Value::Object(entries)) = components.get(section) else {
                continue;
            };
            for (name, entry) in entries {
                let Some(Value::String(r)) = entry.get("$ref") else {
                    continue;
                };
                if is_local(r) || is_url(r) || entry.as_object().is_some_and(|m| m.len() != 1) {
                    continue;
                }
                let at = pointer::join(["components", section, name.as_str()]);
                let target = self.locate(&root, &at, r)?;
                let target = self.chase(target, &display, &at, r)?;
                if target.file == root || self.tree(&target.file).is_none() {
                    continue;
                }
                if let std::collections::hash_map::Entry::Vacant(slot) =
                    self.placed.entry((section, target))
                {
                    slot.insert(name.clone());
                    self.slots.insert((section, name.clone()));
                }
            }
        }
        Ok(())
    }

    /// Decides what becomes of one reference found in `file`.
    fn resolve_site(&mut self, file: &Path, site: &Site) -> Result<Action, Error> {
        let at = site.ptr.as_str();
        let r = site.reference.as_str();
        let display = self.display(file);
        let target = self.locate(file, at, r)?;
        let target = self.chase(target, &display, at, r)?;
        let reference = |s: String| {
            if site.mapping {
                Action::SetString(s)
            } else {
                Action::SetRef(s)
            }
        };
        if target.file == self.root_file {
            if !naturally_walked(&target.ptr) && !self.walked_root.contains(&target.ptr) {
                self.pending_root.push((target.ptr.clone(), site.kind));
            }
            return Ok(reference(pointer::to_fragment(&target.ptr)));
        }
        if let Some(Content::Text(text)) = self.files.get(&target.file).map(|l| &l.content) {
            if site.mapping {
                let msg = format!(
                    "the discriminator mapping `{r}` points at a file that is not JSON or YAML"
                );
                return Err(unresolved(&display, at, msg));
            }
            return Ok(Action::Inline(Value::String(text.to_string())));
        }
        let Some(section) = site.kind.section() else {
            return Ok(Action::Inline(self.materialize(
                &target,
                site.kind,
                (&display, at),
            )?));
        };
        if *file == self.root_file && !site.mapping {
            let key = (section, target.clone());
            if let Some(name) = self.placed.get(&key) {
                let slot = pointer::join(["components", section, name.as_str()]);
                if slot == at && self.slots.contains(&(section, name.clone())) {
                    return Ok(Action::Inline(self.materialize(
                        &target,
                        site.kind,
                        (&display, at),
                    )?));
                }
            }
        }
        let name = self.place(section, target);
        Ok(reference(format!("#/components/{section}/{name}")))
    }

    /// The component name of a target, reserving a new one (and queueing the target) if needed.
    fn place(&mut self, section: &'static str, target: Target) -> String {
        let key = (section, target);
        if let Some(name) = self.placed.get(&key) {
            return name.clone();
        }
        let base = component_name(&key.1);
        let mut name = base.clone();
        let mut n = 2;
        while self.name_taken(section, &name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        let entries = self
            .new_components
            .entry(section)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(entries) = entries {
            entries.insert(name.clone(), Value::Null);
        }
        self.queue.push_back((section, name.clone(), key.1.clone()));
        self.placed.insert(key, name.clone());
        name
    }

    fn name_taken(&self, section: &str, name: &str) -> bool {
        self.existing
            .get(section)
            .is_some_and(|names| names.contains(name))
            || matches!(self.new_components.get(section), Some(Value::Object(m)) if m.contains_key(name))
    }

    /// A copy of the target with its own references resolved (relative to its file).
    fn materialize(
        &mut self,
        target: &Target,
        kind: Kind,
        from: (&str, &str),
    ) -> Result<Value, Error> {
        if let Some(i) = self.inline_stack.iter().position(|t| t == target) {
            let mut steps: Vec<String> =
                vec![format!("{}{}", from.0, pointer::to_fragment(from.1))];
            for t in self.inline_stack[i..].iter().chain(std::iter::once(target)) {
                steps.push(self.describe(t));
            }
            let msg = format!(
                "the references inline each other without end: {}",
                steps.join(" -> ")
            );
            return Err(Diagnostic::error(codes::REF_CYCLE, from.0, from.1, msg).into());
        }
        if self.inline_stack.len() >= MAX_INLINE_DEPTH || self.out_depth > MAX_WALK_DEPTH {
            let msg = format!(
                "inlining this reference nests the document too deep (more than {MAX_INLINE_DEPTH} \
                 references inside each other, or deeper than {MAX_WALK_DEPTH} levels)"
            );
            return Err(Diagnostic::error(codes::TOO_DEEP, from.0, from.1, msg).into());
        }
        let display = self.display(&target.file);
        let tree = match self.files.get(&target.file).map(|l| &l.content) {
            Some(Content::Tree(tree)) => tree.clone(),
            Some(Content::Text(text)) => return Ok(Value::String(text.to_string())),
            None => {
                return Err(unresolved(
                    from.0,
                    from.1,
                    format!("{display} was not loaded"),
                ))
            }
        };
        let Some(node) = lookup(&tree, &target.ptr) else {
            let msg = format!(
                "{display} has nothing at {}",
                pointer::to_fragment(&target.ptr)
            );
            return Err(unresolved(from.0, from.1, msg));
        };
        let mut c = Collector::new(None, &display, &target.ptr);
        c.walk(node, kind)?;
        self.warnings.append(&mut c.warnings);
        if c.sites.is_empty() {
            return Ok(node.clone());
        }
        self.inline_stack.push(target.clone());
        let mut actions = Vec::with_capacity(c.sites.len());
        for site in &c.sites {
            let relative = site
                .ptr
                .get(target.ptr.len()..)
                .unwrap_or_default()
                .to_string();
            let extra = depth(&relative);
            self.out_depth += extra;
            let action = self.resolve_site(&target.file, site);
            self.out_depth -= extra;
            actions.push((relative, action?));
        }
        self.inline_stack.pop();
        let mut out = node.clone();
        apply(&mut out, actions);
        Ok(out)
    }

    fn describe(&self, t: &Target) -> String {
        let frag = if t.ptr.is_empty() {
            String::new()
        } else {
            pointer::to_fragment(&t.ptr)
        };
        format!("{}{frag}", self.display(&t.file))
    }

    /// Follows bare `$ref` objects from `start` to the node they stand for. A `$ref` with
    /// siblings is a target of its own, but the chain is still followed to find cycles.
    fn chase(
        &mut self,
        start: Target,
        from_display: &str,
        at: &str,
        r: &str,
    ) -> Result<Target, Error> {
        let mut chain = vec![start.clone()];
        let mut first_with_siblings: Option<Target> = None;
        let (mut ref_file, mut ref_ptr, mut ref_str) =
            (from_display.to_string(), at.to_string(), r.to_string());
        let mut cur = start;
        loop {
            let Some(tree) = self.tree(&cur.file) else {
                if !cur.ptr.is_empty() {
                    let msg = format!(
                        "cannot resolve `$ref: {ref_str}`: {} is not JSON or YAML, so it has no {}",
                        self.display(&cur.file),
                        pointer::to_fragment(&cur.ptr)
                    );
                    return Err(unresolved(&ref_file, &ref_ptr, msg));
                }
                break;
            };
            let Some(node) = lookup(&tree, &cur.ptr) else {
                let msg = format!(
                    "cannot resolve `$ref: {ref_str}`: {} has nothing at {}",
                    self.display(&cur.file),
                    pointer::to_fragment(&cur.ptr)
                );
                return Err(unresolved(&ref_file, &ref_ptr, msg));
            };
            let next_ref = match node.get("$ref") {
                Some(Value::String(s)) if !is_url(s) => s.clone(),
                _ => break,
            };
            if first_with_siblings.is_none() && node.as_object().is_some_and(|m| m.len() > 1) {
                first_with_siblings = Some(cur.clone());
            }
            let next = self.locate(&cur.file, &cur.ptr, &next_ref)?;
            if chain.contains(&next) {
                chain.push(next);
                let mut steps = vec![format!("{from_display}{}", pointer::to_fragment(at))];
                steps.extend(chain.iter().map(|t| self.describe(t)));
                let msg = format!(
                    "the `$ref` chain never reaches a value: {}",
                    steps.join(" -> ")
                );
                return Err(Diagnostic::error(codes::REF_CYCLE, from_display, at, msg).into());
            }
            if chain.len() >= MAX_REF_DEPTH {
                return Err(too_deep(from_display, at));
            }
            ref_file = self.display(&cur.file);
            ref_ptr = cur.ptr.clone();
            ref_str = next_ref;
            chain.push(next.clone());
            cur = next;
        }
        Ok(first_with_siblings.unwrap_or(cur))
    }

    /// The file and pointer a reference found in `from` (at pointer `at`) names; loads the file.
    fn locate(&mut self, from: &Path, at: &str, r: &str) -> Result<Target, Error> {
        let (file_part, fragment) = match r.split_once('#') {
            Some((f, frag)) => (f, Some(frag)),
            None => (r, None),
        };
        let ptr = match fragment {
            None => String::new(),
            Some(frag) => match fragment_pointer(&format!("#{frag}")) {
                Some(p) => p.into_owned(),
                None => {
                    let msg = format!("`$ref: {r}`: the fragment is not a JSON pointer (anchors are not supported)");
                    return Err(unresolved(&self.display(from), at, msg));
                }
            },
        };
        let file = if file_part.is_empty() {
            from.to_path_buf()
        } else {
            self.open(from, at, r, file_part)?
        };
        Ok(Target { file, ptr })
    }

    /// Finds, checks and loads the file part of a reference; returns its canonical path.
    fn open(&mut self, from: &Path, at: &str, r: &str, file_part: &str) -> Result<PathBuf, Error> {
        let from_display = self.display(from);
        let candidates: Vec<String> = match strip_prefix_ignore_case(file_part, "file:") {
            Some(rest) => {
                let path = match rest.strip_prefix("//") {
                    Some(after) => {
                        let (host, path) = after.split_at(after.find('/').unwrap_or(after.len()));
                        if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
                            let msg =
                                format!("`$ref: {r}`: file URLs naming a host are not supported");
                            return Err(unresolved(&from_display, at, msg));
                        }
                        path
                    }
                    None => rest,
                };
                vec![percent_decode(path).unwrap_or_else(|| path.to_string())]
            }
            None => {
                let mut c = vec![file_part.to_string()];
                c.extend(percent_decode(file_part));
                c
            }
        };
        let base = from.parent().unwrap_or_else(|| Path::new("/"));
        let chosen = candidates
            .iter()
            .find(|c| base.join(c).exists())
            .or_else(|| candidates.first())
            .cloned()
            .unwrap_or_default();
        let joined = base.join(&chosen);
        let display_base = Path::new(&from_display)
            .parent()
            .unwrap_or_else(|| Path::new(""));
        let display = normalize(&display_base.join(&chosen)).display().to_string();
        let canonical = match std::fs::canonicalize(&joined) {
            Ok(p) => p,
            Err(_) => {
                let lexical = normalize(&joined);
                if !lexical.starts_with(&self.sandbox) {
                    return Err(self.outside(&from_display, at, r, &lexical, &chosen));
                }
                let msg = format!("cannot resolve `$ref: {r}`: the file {display} does not exist");
                return Err(unresolved(&from_display, at, msg));
            }
        };
        if !canonical.starts_with(&self.sandbox) {
            return Err(self.outside(&from_display, at, r, &canonical, &chosen));
        }
        if !canonical.is_file() {
            let msg = format!("cannot resolve `$ref: {r}`: {display} is not a file");
            return Err(unresolved(&from_display, at, msg));
        }
        self.load(&canonical, display)?;
        Ok(canonical)
    }

    fn outside(&self, file: &str, at: &str, r: &str, resolved: &Path, path: &str) -> Error {
        let how = if Path::new(path).is_absolute() {
            "the absolute path "
        } else {
            ""
        };
        let msg = format!(
            "`$ref: {r}` resolves to {how}{}, outside {} (the directory references may read); \
             pass --root DIR to widen it",
            resolved.display(),
            self.sandbox.display()
        );
        Diagnostic::error(codes::REF_OUTSIDE_ROOT, file, at, msg).into()
    }

    fn load(&mut self, canonical: &Path, display: String) -> Result<(), Error> {
        if self.files.contains_key(canonical) {
            return Ok(());
        }
        if self.files.len() >= MAX_FILES {
            let msg = format!("the specification references more than {MAX_FILES} files");
            return Err(Diagnostic::error(codes::TOO_LARGE, &display, "", msg).into());
        }
        let io = |e: std::io::Error| -> Error {
            Diagnostic::error(
                codes::IO,
                &display,
                "",
                format!("cannot read the file: {e}"),
            )
            .into()
        };
        let len = std::fs::metadata(canonical).map_err(io)?.len() as usize;
        if len > self.limits.max_bytes {
            let msg = format!(
                "the input is {len} bytes, more than the limit of {} bytes (raise it with --max-bytes)",
                self.limits.max_bytes
            );
            return Err(Diagnostic::error(codes::TOO_LARGE, &display, "", msg).into());
        }
        self.total_bytes = self.total_bytes.saturating_add(len);
        let cap = self.limits.max_bytes.saturating_mul(MAX_TOTAL_BYTES_FACTOR);
        if self.total_bytes > cap {
            let msg = format!("the referenced files hold more than {cap} bytes together");
            return Err(Diagnostic::error(codes::TOO_LARGE, &display, "", msg).into());
        }
        let content = if is_tree_file(canonical) {
            let doc = load_path(canonical, &self.limits).map_err(|mut e| {
                e.diagnostic.file = display.clone();
                e
            })?;
            Content::Tree(Rc::new(doc.value))
        } else {
            let bytes = std::fs::read(canonical).map_err(io)?;
            let text = String::from_utf8(bytes).map_err(|e| {
                let msg = format!(
                    "the file is not valid UTF-8 (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                );
                Error::from(Diagnostic::error(codes::PARSE, &display, "", msg))
            })?;
            Content::Text(Rc::from(text))
        };
        self.files
            .insert(canonical.to_path_buf(), Loaded { display, content });
        Ok(())
    }

    fn merge_components(&mut self, value: &mut Value) -> Result<(), Error> {
        let new = std::mem::take(&mut self.new_components);
        if new.is_empty() {
            return Ok(());
        }
        let file = self.display(&self.root_file);
        let Value::Object(root) = value else {
            return Err(Diagnostic::error(
                codes::NOT_A_MAPPING,
                &file,
                "",
                "the document is not a mapping",
            )
            .into());
        };
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(components) = components else {
            let msg = "`components` is not a mapping, so referenced components cannot be added";
            return Err(
                Diagnostic::error(codes::INVALID_STRUCTURE, &file, "/components", msg).into(),
            );
        };
        for (section, entries) in new {
            let slot = components
                .entry(section.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(slot) = slot else {
                let msg = format!("`components.{section}` is not a mapping, so referenced components cannot be added");
                let at = pointer::join(["components", section.as_str()]);
                return Err(Diagnostic::error(codes::INVALID_STRUCTURE, &file, &at, msg).into());
            };
            if let Value::Object(entries) = entries {
                slot.extend(entries);
            }
        }
        Ok(())
    }
}

/// Applies the actions (keyed by pointers relative to `root`), deepest first, so that the
/// siblings of an inlined `$ref` are already resolved when they are merged over its target.
fn apply(root: &mut Value, mut actions: Vec<(String, Action)>) {
    actions.sort_by_key(|(ptr, _)| std::cmp::Reverse(depth(ptr)));
    for (ptr, action) in actions {
        let Some(node) = root.pointer_mut(&ptr) else {
            continue;
        };
        match action {
            Action::SetRef(r) => {
                if let Value::Object(map) = node {
                    map.insert("$ref".to_string(), Value::String(r));
                }
            }
            Action::SetString(s) => *node = Value::String(s),
            Action::Inline(Value::Object(mut target)) if node.is_object() => {
                if let Value::Object(siblings) = node.take() {
                    for (k, v) in siblings {
                        if k != "$ref" {
                            target.insert(k, v);
                        }
                    }
                }
                *node = Value::Object(target);
            }
            Action::Inline(v) => *node = v,
        }
    }
}

fn sandbox_dir(root_file: &Path, options: &BundleOptions) -> Result<PathBuf, Error> {
    let Some(dir) = &options.root else {
        return Ok(root_file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/")));
    };
    let name = dir.display().to_string();
    let canonical = std::fs::canonicalize(dir).map_err(|e| {
        Diagnostic::error(
            codes::IO,
            &name,
            "",
            format!("cannot use it as the root directory: {e}"),
        )
    })?;
    if !canonical.is_dir() {
        return Err(Diagnostic::error(
            codes::IO,
            &name,
            "",
            "the root (--root) must be a directory",
        )
        .into());
    }
    Ok(canonical)
}

fn existing_components(value: &Value) -> HashMap<&'static str, HashSet<String>> {
    let mut out = HashMap::new();
    if let Some(Value::Object(components)) = value.get("components") {
        for (section, _) in SECTIONS {
            if let Some(Value::Object(entries)) = components.get(section) {
                out.insert(section, entries.keys().cloned().collect());
            }
        }
    }
    out
}

/// The name a target gets as a component: the pointer's last token (`#/components/schemas/X`
/// -> `X`, `#/$defs/Tag` -> `Tag`), or the file stem for a whole file; characters a component
/// name may not hold become `_`.
fn component_name(target: &Target) -> String {
    let stem = target
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let last = pointer::split(&target.ptr)
        .and_then(|tokens| tokens.last().cloned())
        .unwrap_or_default();
    let raw = if last.is_empty() {
        stem
    } else if last.bytes().all(|b| b.is_ascii_digit()) {
        format!("{stem}-{last}")
    } else {
        last
    };
    let name: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        "component".to_string()
    } else {
        name
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

fn unresolved(file: &str, at: &str, msg: String) -> Error {
    Diagnostic::error(codes::UNRESOLVED_REF, file, at, msg).into()
}

/// The number of tokens of a pointer.
fn depth(ptr: &str) -> usize {
    ptr.matches('/').count()
}

fn too_deep(file: &str, at: &str) -> Error {
    let msg = format!("the `$ref` chain is longer than {MAX_REF_DEPTH} references");
    Diagnostic::error(codes::TOO_DEEP, file, at, msg).into()
}

fn dedup(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    diagnostics.retain(|d| seen.insert(d.to_string()));
    diagnostics
}

/// `Value::pointer` without its two allocations per token.
fn lookup<'a>(doc: &'a Value, ptr: &str) -> Option<&'a Value> {
    if ptr.is_empty() {
        return Some(doc);
    }
    let mut node = doc;
    for token in ptr.strip_prefix('/')?.split('/') {
        let token: std::borrow::Cow<str> = if token.contains('~') {
            pointer::unescape(token).into()
        } else {
            token.into()
        };
        node = match node {
            Value::Object(map) => map.get(token.as_ref())?,
            Value::Array(items) => {
                if token.len() > 1 && token.starts_with('0') {
                    return None;
                }
                items.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(node)
}

/// `""`, `#` and `#/...` name the current document.
fn is_local(r: &str) -> bool {
    r.is_empty() || r.starts_with('#')
}

/// The pointer of a local reference; `None` unless it is a JSON pointer fragment.
fn fragment_pointer(r: &str) -> Option<Cow<'_, str>> {
    if r.is_empty() {
        return Some(Cow::Borrowed(""));
    }
    let ptr = match r.strip_prefix('#') {
        Some(p) if !p.contains('%') => Cow::Borrowed(p),
        _ => Cow::Owned(pointer::from_fragment(r)?),
    };
    (ptr.is_empty() || ptr.starts_with('/')).then_some(ptr)
}

/// A reference with a URI scheme other than `file:` (one-letter schemes are drive letters).
fn is_url(r: &str) -> bool {
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
fn looks_like_ref(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    s.contains('#')
        || s.contains('/')
        || [".yaml", ".yml", ".json"]
            .iter()
            .any(|e| lower.ends_with(e))
}

fn is_tree_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["yaml", "yml", "json"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Percent-decodes `s`; `None` when there is nothing to decode or the escapes are malformed.
fn percent_decode(s: &str) -> Option<String> {
    if s.contains('%') {
        crate::document::pointer::percent_decode(s)
    } else {
        None
    }
}

/// Removes `.` and `..` components without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "components": {
                "schemas": {
                    "A": {"$ref": "#/components/schemas/B"},
                    "B": {"$ref": "#/components/schemas/C"},
                    "C": {"type": "string"},
                    "Loop1": {"$ref": "#/components/schemas/Loop2"},
                    "Loop2": {"$ref": "#/components/schemas/Loop1"},
                    "Self": {"$ref": "#/components/schemas/Self"},
                    "Ext": {"$ref": "other.yaml#/X"},
                    "a/b": {"type": "integer"},
                    "sp ace": {"type": "boolean"},
                    "Tree": {"properties": {"kids": {"items": {"$ref": "#/components/schemas/Tree"}}}}
                }
            }
        })
    }

    #[test]
    fn resolves_direct_and_chained_refs() {
        let d = doc();
        assert_eq!(
            resolve_local(&d, "#/components/schemas/C"),
            Some(&json!({"type": "string"}))
        );
        assert_eq!(
            resolve_local(&d, "#/components/schemas/A"),
            Some(&json!({"type": "string"}))
        );
        assert_eq!(resolve_local(&d, "#"), Some(&d));
    }

    #[test]
    fn escapes_and_percent_encoding_are_decoded() {
        let d = doc();
        assert_eq!(
            resolve_local(&d, "#/components/schemas/a~1b"),
            Some(&json!({"type": "integer"}))
        );
        assert_eq!(
            resolve_local(&d, "#/components/schemas/sp%20ace"),
            Some(&json!({"type": "boolean"}))
        );
    }

    #[test]
    fn cycles_and_missing_targets_give_none() {
        let d = doc();
        assert_eq!(resolve_local(&d, "#/components/schemas/Loop1"), None);
        assert_eq!(resolve_local(&d, "#/components/schemas/Self"), None);
        assert_eq!(resolve_local(&d, "#/components/schemas/Nope"), None);
        assert_eq!(resolve_local(&d, "other.yaml#/X"), None);
        assert_eq!(resolve_local(&d, "#anchor"), None);
        assert_eq!(resolve_local(&d, "#/a%2"), None);
    }

    #[test]
    fn recursive_schemas_resolve_once_and_external_chains_stop() {
        let d = doc();
        let tree = resolve_local(&d, "#/components/schemas/Tree").unwrap();
        assert!(tree.get("properties").is_some());
        assert_eq!(
            resolve_local(&d, "#/components/schemas/Ext"),
            Some(&json!({"$ref": "other.yaml#/X"}))
        );
    }

    #[test]
    fn helpers() {
        assert!(is_url("https://example.com/a.yaml"));
        assert!(is_url("urn:x:y"));
        assert!(!is_url("file:///etc/passwd"));
        assert!(!is_url("C:/specs/a.yaml"));
        assert!(!is_url("paths/a:b.yaml"));
        assert!(!is_url("#/a:b"));
        assert!(looks_like_ref("./Dog.yaml"));
        assert!(looks_like_ref("#/components/schemas/Dog"));
        assert!(!looks_like_ref("Dog"));
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
        assert_eq!(normalize(Path::new("/../etc")), PathBuf::from("/etc"));
        assert_eq!(normalize(Path::new("a/../../b")), PathBuf::from("../b"));
        assert_eq!(
            percent_decode("users_%7Bid%7D.yaml").as_deref(),
            Some("users_{id}.yaml")
        );
        assert!(naturally_walked("/components/schemas/X"));
        assert!(naturally_walked(""));
        assert!(!naturally_walked("/x-defs/X"));
        let t = |file: &str, ptr: &str| Target {
            file: PathBuf::from(file),
            ptr: ptr.to_string(),
        };
        assert_eq!(
            component_name(&t("/a/common.yaml", "/components/schemas/Error")),
            "Error"
        );
        assert_eq!(component_name(&t("/a/users_{id}.yaml", "")), "users__id_");
        assert_eq!(component_name(&t("/a/r.yaml", "/responses/200")), "r-200");
    }
    /// `bundle` without the walk (when the loader's notes say there is nothing to do) and
    /// with it give the same result, error or warning; and the walk is skipped where it should be.
    #[test]
    fn skipping_the_walk_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("dog.yaml"), "type: object\n").unwrap();
        let head = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";
        let cases: &[(&str, bool, &str)] = &[
            ("sound", true, r##"
webhooks:
  a:
    post:
      requestBody: {$ref: '#/components/requestBodies/B'}
      responses: {'200': {description: ok}}
components:
  requestBodies:
    B: {content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}
  schemas:
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/C'}
    C: {type: object, properties: {s: {$ref: '#/components/schemas/sp%20ace'}, t: {$ref: '#/components/schemas/a~1b'}}}
    sp ace: {type: string}
    a/b: {type: integer}
    P: {oneOf: [{$ref: '#/components/schemas/C'}], discriminator: {propertyName: k, mapping: {c: '#/components/schemas/C', d: Dog}}}
    N: {$ref: 5}
    R: {$ref: ''}
    X: {$ref: '#/x-defs/S'}
x-defs:
  S: {properties: {a: {$ref: '#/components/schemas/C'}}}
"##),
            ("broken", false, "components: {schemas: {A: {properties: {b: {$ref: '#/components/schemas/Nope'}}}}}\n"),
            ("broken in data", false, "components: {schemas: {A: {type: object, example: {$ref: '#/nope'}}}}\n"),
            ("cycle", false, "components: {schemas: {A: {$ref: '#/components/schemas/B'}, B: {$ref: '#/components/schemas/A'}}}\n"),
            ("anchor", false, "components: {schemas: {A: {$ref: '#anchor'}}}\n"),
            ("url", false, "components: {schemas: {A: {$ref: 'https://example.com/a.yaml'}}}\n"),
            ("mapping broken", false, "components: {schemas: {A: {discriminator: {propertyName: k, mapping: {d: '#/components/schemas/Nope'}}}}}\n"),
            ("mapping file", false, "components: {schemas: {A: {discriminator: {propertyName: k, mapping: {d: 'dog.yaml'}}}}}\n"),
            ("file", false, "components: {schemas: {A: {properties: {d: {$ref: 'dog.yaml'}}}}}\n"),
            ("missing file", false, "components: {schemas: {A: {$ref: 'cat.yaml'}}}\n"),
            ("outside region", false, "components: {schemas: {A: {$ref: '#/x-defs/S'}}}\nx-defs: {S: {properties: {a: {$ref: '#/nope'}}}}\n"),
            ("alias", true, "components:\n  schemas:\n    A: &a {properties: {b: {$ref: '#/components/schemas/B'}}}\n    B: {type: string}\n    C: *a\n"),
        ];
        for (i, (name, fast, body)) in cases.iter().enumerate() {
            let path = dir.path().join(format!("case{i}.yaml"));
            std::fs::write(&path, format!("{head}{body}")).unwrap();
            let options = BundleOptions::default();
            let (doc, notes) = load_path_noting_refs(&path, &options.limits).unwrap();
            assert_eq!(no_work(&doc.value, &notes), *fast, "{name}");
            let show = |r: Result<Bundled, Error>| match r {
                Ok(b) => format!("{:?} {:?}", b.document.value, b.diagnostics),
                Err(e) => format!("error {:?}", e.diagnostic),
            };
            let with = show(bundle(&path, &options));
            let without = show(bundle_walked(&path, &options, doc));
            assert_eq!(with, without, "{name}");
            let fails = matches!(
                *name,
                "broken"
                    | "cycle"
                    | "anchor"
                    | "mapping broken"
                    | "missing file"
                    | "outside region"
            );
            assert_eq!(with.starts_with("error"), fails, "{name}: {with}");
        }
    }
}
