//! Where the parts of a bundled document came from: a part brought in from another file (a
//! component, or a target inlined in place) is located in that file, so that a diagnostic
//! about it names the file, pointer, line and column the user can open.

use crate::diagnostics::{Diagnostic, Error};
use crate::document::pointer;

/// One part of the bundled document that another file (or another place) holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Pointer of the part in the bundled document.
    pub at: String,
    /// The file it came from (as diagnostics name it) and its pointer there.
    pub file: String,
    pub pointer: String,
    /// Members written beside the `$ref` in the referring file (they override the target's),
    /// which are not the other file's.
    pub local: Vec<String>,
}

/// The origins of a bundled document's parts; empty for a document of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins {
    parts: Vec<Origin>,
}

impl Origins {
    pub(super) fn new(mut parts: Vec<Origin>) -> Origins {
        // The deepest part first: a target inlined inside a component is found before it.
        parts.sort_by_key(|o| std::cmp::Reverse(o.at.matches('/').count()));
        Origins { parts }
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Where `at` (a pointer into the bundled document) is written: the file and pointer, or
    /// `None` when the bundled document's own file holds it.
    pub fn locate(&self, at: &str) -> Option<(&str, String)> {
        self.parts.iter().find_map(|o| {
            let rest = at.strip_prefix(o.at.as_str())?;
            if !(rest.is_empty() || rest.starts_with('/')) {
                return None;
            }
            let first = pointer::split(rest).and_then(|t| t.into_iter().next());
            if first.is_some_and(|k| o.local.contains(&k)) {
                return None;
            }
            Some((o.file.as_str(), format!("{}{rest}", o.pointer)))
        })
    }

    /// Points a diagnostic about the bundled document `bundled` at the file and place its
    /// pointer was brought in from, if it was.
    pub fn relocate(&self, bundled: &str, d: &mut Diagnostic) {
        if self.relocate_place(bundled, (&mut d.file, &mut d.pointer)) {
            (d.line, d.column) = (None, None);
        }
    }

    /// [`Origins::relocate`] of each diagnostic.
    pub fn relocate_all(&self, bundled: &str, diagnostics: &mut [Diagnostic]) {
        diagnostics
            .iter_mut()
            .for_each(|d| self.relocate(bundled, d));
    }

    /// [`Origins::relocate`] of an error's diagnostic.
    pub fn relocate_error(&self, bundled: &str, mut e: Error) -> Error {
        self.relocate(bundled, &mut e.diagnostic);
        e
    }

    /// [`Origins::relocate`] of any finding's file and pointer; true when they changed.
    pub fn relocate_place(&self, bundled: &str, (file, at): (&mut String, &mut String)) -> bool {
        if *file != bundled || self.parts.is_empty() {
            return false;
        }
        let Some((origin, inside)) = self.locate(at) else {
            return false;
        };
        (*file, *at) = (origin.to_string(), inside);
        true
    }
}

/// `origins` (relative to a node) as origins relative to the node's parent, the node being at
/// `prefix` under it.
pub(super) fn under(prefix: &str, origins: Vec<Origin>) -> impl Iterator<Item = Origin> + '_ {
    origins.into_iter().map(move |o| Origin {
        at: format!("{prefix}{}", o.at),
        ..o
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(at: &str, file: &str, pointer: &str, local: &[&str]) -> Origin {
        Origin {
            at: at.into(),
            file: file.into(),
            pointer: pointer.into(),
            local: local.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn the_deepest_part_names_the_file() {
        let origins = Origins::new(vec![
            origin("/components/schemas/Pet", "pet.yaml", "/Pet", &[]),
            origin(
                "/components/schemas/Pet/properties/tag",
                "tag.yaml",
                "",
                &[],
            ),
            origin("/webhooks/a", "item.yaml", "", &["summary"]),
        ]);
        let at = |p: &str| origins.locate(p).map(|(f, p)| format!("{f}#{p}"));
        assert_eq!(
            at("/components/schemas/Pet/type").as_deref(),
            Some("pet.yaml#/Pet/type")
        );
        assert_eq!(
            at("/components/schemas/Pet/properties/tag/enum").as_deref(),
            Some("tag.yaml#/enum")
        );
        assert_eq!(
            at("/components/schemas/Pets"),
            None,
            "a prefix of a name is no parent"
        );
        assert_eq!(at("/webhooks/a/summary"), None, "written beside the `$ref`");
        assert_eq!(at("/webhooks/a/post").as_deref(), Some("item.yaml#/post"));
        let code = crate::diagnostics::codes::LOSSY;
        let mut d = Diagnostic::warning(code, "root.yaml", "/webhooks/a/post", "m").at(3, 4);
        origins.relocate("root.yaml", &mut d);
        assert_eq!(
            (d.file.as_str(), d.pointer.as_str(), d.line),
            ("item.yaml", "/post", None)
        );
    }
}
