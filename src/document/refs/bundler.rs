//! Resolving and placing: the [`Bundler`] decides for each collected reference whether its
//! target becomes a component (named once, queued, materialized) or is inlined in place, then
//! applies the edits and merges the new components into the root.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde_json::{Map, Value};

use super::collect::{collect_root, is_url, Collector, Site};
use super::files::sandbox_dir;
use super::kind::{naturally_walked, Kind, SECTIONS};
use super::local::{is_local, lookup};
use super::origins::{under, Origin, Origins};
use super::{
    dedup, kept_as_written, too_deep, unresolved, BundleOptions, Bundled, MAX_INLINE_DEPTH,
    MAX_REF_DEPTH, MAX_WALK_DEPTH,
};
use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::load::{Document, Limits};
use crate::document::pointer;

/// [`bundle`](super::bundle) of the loaded root `doc` of `path`, walking it for its references.
/// `keep_dangling`: see [`bundle_for_conversion`](super::bundle_for_conversion).
pub(super) fn bundle_walked(
    path: &Path,
    options: &BundleOptions,
    doc: Document,
    keep_dangling: bool,
) -> Result<Bundled, Error> {
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
        keep_dangling,
    )?;
    if sites.is_empty() {
        return Ok(Bundled {
            document: doc,
            diagnostics: dedup(warnings),
            sound_refs: None,
            origins: Origins::default(),
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
        origins: Vec::new(),
        walked_root: walked,
        root_sites: seen_sites,
        warnings,
        keep_dangling,
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
        origins: Origins::new(bundler.origins),
    })
}

pub(super) enum Content {
    Tree(Rc<Value>),
    Text(Rc<str>),
}

pub(super) struct Loaded {
    pub(super) display: String,
    pub(super) content: Content,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Target {
    /// Canonical path.
    pub(super) file: PathBuf,
    /// JSON pointer in the file.
    pub(super) ptr: String,
}

enum Action {
    SetRef(String),
    SetString(String),
    /// The target, and where its parts come from (relative to it).
    Inline(Value, Vec<Origin>),
}

pub(super) struct Bundler {
    pub(super) limits: Limits,
    pub(super) sandbox: PathBuf,
    root_file: PathBuf,
    pub(super) files: HashMap<PathBuf, Loaded>,
    pub(super) total_bytes: usize,
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
    /// Where the parts brought into the root came from (pointers into the bundled document).
    origins: Vec<Origin>,
    walked_root: HashSet<String>,
    root_sites: HashSet<String>,
    pub(super) warnings: Vec<Diagnostic>,
    /// See [`bundle_for_conversion`](super::bundle_for_conversion).
    keep_dangling: bool,
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
                let (value, origins) = self.materialize(&target, kind, (&from.0, &from.1))?;
                let at = pointer::join(["components", section, name.as_str()]);
                self.origins.extend(under(&at, origins));
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
        let origins = apply(&mut value, actions);
        self.origins.extend(origins);
        self.merge_components(&mut value)?;
        Ok(value)
    }

    pub(super) fn display(&self, file: &Path) -> String {
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
            self.keep_dangling,
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

    /// Decides what becomes of one reference found in `file`. What no conversion follows and
    /// cannot be resolved is kept as written, with a warning: a discriminator mapping (a name
    /// readers may look up) and a reference inside an extension (Redocly's `x-codeSamples`
    /// pointing at a code file that is not there).
    fn resolve_site(&mut self, file: &Path, site: &Site) -> Result<Action, Error> {
        let in_extension = || site.ptr.split('/').any(|t| t.starts_with("x-"));
        match self.resolve_site_strictly(file, site) {
            Err(e)
                if e.diagnostic.code == codes::UNRESOLVED_REF
                    && (site.mapping || in_extension()) =>
            {
                let (what, action) = if site.mapping {
                    (
                        "the discriminator mapping",
                        Action::SetString(site.reference.clone()),
                    )
                } else {
                    (
                        "the `$ref` in an extension",
                        Action::SetRef(site.reference.clone()),
                    )
                };
                let d = kept_as_written(e, what);
                self.warnings.push(d);
                Ok(action)
            }
            other => other,
        }
    }

    fn resolve_site_strictly(&mut self, file: &Path, site: &Site) -> Result<Action, Error> {
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
            let origin = self.origin(&target);
            return Ok(Action::Inline(
                Value::String(text.to_string()),
                vec![origin],
            ));
        }
        let Some(section) = site.kind.section() else {
            let (value, origins) = self.materialize(&target, site.kind, (&display, at))?;
            return Ok(Action::Inline(value, origins));
        };
        if *file == self.root_file && !site.mapping {
            let key = (section, target.clone());
            if let Some(name) = self.placed.get(&key) {
                let slot = pointer::join(["components", section, name.as_str()]);
                if slot == at && self.slots.contains(&(section, name.clone())) {
                    let (value, origins) = self.materialize(&target, site.kind, (&display, at))?;
                    return Ok(Action::Inline(value, origins));
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

    /// Where `target` is, as diagnostics name it: the whole of the part it becomes.
    fn origin(&self, target: &Target) -> Origin {
        Origin {
            at: String::new(),
            file: self.display(&target.file),
            pointer: target.ptr.clone(),
            local: Vec::new(),
        }
    }

    /// A copy of the target with its own references resolved (relative to its file), and
    /// where its parts come from.
    fn materialize(
        &mut self,
        target: &Target,
        kind: Kind,
        from: (&str, &str),
    ) -> Result<(Value, Vec<Origin>), Error> {
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
            Some(Content::Text(text)) => {
                return Ok((Value::String(text.to_string()), vec![self.origin(target)]))
            }
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
        let mut origins = vec![self.origin(target)];
        if c.sites.is_empty() {
            return Ok((node.clone(), origins));
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
        origins.extend(apply(&mut out, actions));
        Ok((out, origins))
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
/// siblings of an inlined `$ref` are already resolved when they are merged over its target;
/// returns where the inlined parts come from (relative to `root`).
fn apply(root: &mut Value, mut actions: Vec<(String, Action)>) -> Vec<Origin> {
    actions.sort_by_key(|(ptr, _)| std::cmp::Reverse(depth(ptr)));
    let mut origins = Vec::new();
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
            Action::Inline(Value::Object(mut target), mut parts) if node.is_object() => {
                if let Value::Object(siblings) = node.take() {
                    for (k, v) in siblings {
                        if k != "$ref" {
                            if let Some(whole) = parts.first_mut() {
                                whole.local.push(k.clone());
                            }
                            target.insert(k, v);
                        }
                    }
                }
                *node = Value::Object(target);
                origins.extend(under(&ptr, parts));
            }
            Action::Inline(v, parts) => {
                *node = v;
                origins.extend(under(&ptr, parts));
            }
        }
    }
    origins
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
pub(super) fn component_name(target: &Target) -> String {
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
/// The number of tokens of a pointer.
fn depth(ptr: &str) -> usize {
    ptr.matches('/').count()
}
