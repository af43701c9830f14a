//! One registry of diagnostic codes (issue 18, item 4): every code is defined once
//! (`diagnostics::REGISTRY`, lint's `RULES`), docs/diagnostics.md lists each of them and no
//! other, and no module emits a code that is not in the registry.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use hookbridge::contract::lint::RULES;
use hookbridge::diagnostics::REGISTRY;

fn page() -> String {
    std::fs::read_to_string(common::manifest_dir().join("docs/diagnostics.md")).expect("page")
}

/// The codes in the first column of the page's tables.
fn documented(page: &str) -> BTreeSet<String> {
    page.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_code_is_defined_once_and_documented() {
    let mut defined = BTreeSet::new();
    for info in REGISTRY {
        assert!(defined.insert(info.code), "`{}` defined twice", info.code);
        assert!(
            !info.summary.is_empty() && !info.fix.is_empty(),
            "{}",
            info.code
        );
    }
    let mut all: BTreeSet<String> = defined.iter().map(|c| c.to_string()).collect();
    all.extend(RULES.iter().map(|r| r.id.to_string()));
    let on_page = documented(&page());
    let missing: Vec<_> = all.difference(&on_page).collect();
    let stale: Vec<_> = on_page.difference(&all).collect();
    assert!(
        missing.is_empty(),
        "codes docs/diagnostics.md lacks: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "codes docs/diagnostics.md lists that do not exist: {stale:?}"
    );
}

/// A code written as a string where a diagnostic is made would bypass the registry.
#[test]
fn no_module_makes_a_diagnostic_with_a_code_outside_the_registry() {
    let mut offenders = Vec::new();
    scan(&common::manifest_dir().join("src"), &mut offenders);
    assert!(
        offenders.is_empty(),
        "codes outside the registry: {offenders:#?}"
    );
}

fn scan(dir: &Path, offenders: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            scan(&path, offenders);
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let compact: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for pattern in [
            "Diagnostic::warning( \"",
            "Diagnostic::error( \"",
            "Diagnostic::warning(\"",
            "Diagnostic::error(\"",
            "code: \"",
        ] {
            if compact.contains(pattern) {
                offenders.push(format!("{}: `{pattern}`", path.display()));
            }
        }
        // Codes are defined in the registry only.
        if !path.ends_with("diagnostics.rs") && !path.ends_with("lint/catalog.rs") {
            for line in text.lines() {
                let l = line.trim();
                let value = l
                    .split(": &str = \"")
                    .nth(1)
                    .and_then(|v| v.strip_suffix("\";"));
                let is_code = l.starts_with("pub const ")
                    && value.is_some_and(|v| {
                        v.contains('-')
                            && !v.starts_with("x-")
                            && v.bytes()
                                .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'.')
                    });
                if is_code && !path.to_string_lossy().contains("diff") {
                    offenders.push(format!("{}: {l}", path.display()));
                }
            }
        }
    }
}
