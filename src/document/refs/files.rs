//! Reading referenced files: from a reference's file part to a canonical path inside the
//! sandbox, then loading it (a tree for JSON or YAML, text otherwise) within the limits.

use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use super::bundler::{Bundler, Content, Loaded, Target};
use super::local::fragment_pointer;
use super::{unresolved, BundleOptions, MAX_FILES, MAX_TOTAL_BYTES_FACTOR};
use crate::diagnostics::{codes, Diagnostic, Error};
use crate::document::load::load_path_with_warnings;

impl Bundler {
    /// The file and pointer a reference found in `from` (at pointer `at`) names; loads the file.
    pub(super) fn locate(&mut self, from: &Path, at: &str, r: &str) -> Result<Target, Error> {
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
            let (doc, warnings) =
                load_path_with_warnings(canonical, &self.limits).map_err(|mut e| {
                    e.diagnostic.file = display.clone();
                    e
                })?;
            self.warnings.extend(warnings.into_iter().map(|mut w| {
                w.file = display.clone();
                w
            }));
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
}

pub(super) fn sandbox_dir(root_file: &Path, options: &BundleOptions) -> Result<PathBuf, Error> {
    let Some(dir) = &options.root else {
        let folder = root_file.parent().unwrap_or(Path::new("/"));
        return Ok(repository_root(folder).unwrap_or(folder).to_path_buf());
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

/// The nearest folder at or above `folder` that holds `.git` (a folder, or the file of a
/// worktree): shared files of a specification often sit beside its folder
/// (`code/API_definitions/api.yaml` -> `../common/common.yaml`).
fn repository_root(folder: &Path) -> Option<&Path> {
    folder.ancestors().find(|d| d.join(".git").exists())
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
pub(super) fn percent_decode(s: &str) -> Option<String> {
    if s.contains('%') {
        crate::document::pointer::percent_decode(s)
    } else {
        None
    }
}

/// Removes `.` and `..` components without touching the file system.
pub(super) fn normalize(path: &Path) -> PathBuf {
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
