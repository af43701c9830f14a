//! The official YAML test suite (`../shared/corpus/yaml-test-suite`, see its README) through
//! the loader (issue 12, item 3): every case is classified, the counts are printed, and the
//! cases that behave otherwise on purpose (`docs/yaml.md`) are listed in
//! `tests/yaml_suite_known.txt` with their reason, whose message a refusal must carry. The test
//! fails when a case behaves otherwise than that list says, either way: a new failure, or a
//! listed case that now behaves (take it off the list).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hookbridge::document::load;
use hookbridge::Limits;

/// What the loader did with one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// A valid case read to the value of its `in.json`.
    Equal,
    /// A valid case read to another value: the worst outcome.
    Different,
    /// A valid case refused.
    Refused,
    /// A valid case JSON cannot hold (no `in.json`) or of several documents: refused or not.
    OutOfScope,
    /// An invalid case refused, with a line and column.
    ErrorRefused,
    /// An invalid case refused without a position.
    ErrorRefusedNoPosition,
    /// An invalid case accepted.
    ErrorAccepted,
}

impl Outcome {
    const ALL: [Outcome; 7] = [
        Outcome::Equal,
        Outcome::Different,
        Outcome::Refused,
        Outcome::OutOfScope,
        Outcome::ErrorRefused,
        Outcome::ErrorRefusedNoPosition,
        Outcome::ErrorAccepted,
    ];

    fn name(self) -> &'static str {
        match self {
            Outcome::Equal => "equal",
            Outcome::Different => "different",
            Outcome::Refused => "refused",
            Outcome::OutOfScope => "out-of-scope",
            Outcome::ErrorRefused => "error-refused",
            Outcome::ErrorRefusedNoPosition => "error-refused-without-position",
            Outcome::ErrorAccepted => "error-accepted",
        }
    }

    /// Outcomes the issue accepts.
    fn good(self) -> bool {
        matches!(
            self,
            Outcome::Equal | Outcome::OutOfScope | Outcome::ErrorRefused
        )
    }
}

/// Every case folder (`ID` or `ID/NN`) holding an `in.yaml`.
fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "in.yaml") {
                out.push(d.clone());
            }
        }
    }
    out.sort();
    out
}

/// The JSON texts of `in.json`, one per document.
fn json_documents(text: &str) -> Vec<serde_json::Value> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<serde_json::Value>()
        .filter_map(Result::ok)
        .collect()
}

/// The outcome of a case, and the message it was refused with.
fn classify(case: &Path, limits: &Limits) -> (Outcome, String) {
    let yaml = std::fs::read(case.join("in.yaml")).unwrap_or_default();
    let loaded = load::parse_bytes(&yaml, "in.yaml", limits);
    let message = loaded
        .as_ref()
        .err()
        .map_or_else(String::new, |e| e.diagnostic.message.clone());
    if case.join("error").exists() {
        let outcome = match loaded {
            Ok(_) => Outcome::ErrorAccepted,
            Err(e) if e.diagnostic.line.is_some() && e.diagnostic.column.is_some() => {
                Outcome::ErrorRefused
            }
            Err(_) => Outcome::ErrorRefusedNoPosition,
        };
        return (outcome, message);
    }
    let Ok(json) = std::fs::read_to_string(case.join("in.json")) else {
        return (Outcome::OutOfScope, message);
    };
    let docs = json_documents(&json);
    if docs.len() != 1 {
        return (Outcome::OutOfScope, message);
    }
    let outcome = match loaded {
        Ok(doc) if same(&doc.value, &docs[0]) => Outcome::Equal,
        Ok(_) => Outcome::Different,
        Err(_) => Outcome::Refused,
    };
    (outcome, message)
}

/// What a refusal for a listed reason must say (the messages of `docs/yaml.md`).
fn reason_message(reason: &str) -> Option<&'static str> {
    match reason {
        "tag" => Some("YAML tags (`!tag`) are not supported in OpenAPI or AsyncAPI documents"),
        "empty" => Some("the document is empty"),
        _ => None,
    }
}

/// Equal as data: numbers by value (the loader keeps a number's text, `450.00`; `in.json`
/// writes `450`).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// The listed cases: id -> (outcome, reason).
fn known() -> BTreeMap<String, (String, String)> {
    let path = common::manifest_dir().join("tests/yaml_suite_known.txt");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let id = parts.next()?.to_string();
            let outcome = parts.next()?.to_string();
            Some((id, (outcome, parts.next().unwrap_or("").to_string())))
        })
        .collect()
}

#[test]
fn yaml_test_suite_corpus_cases_behave_as_listed() {
    let dir = common::corpus_dir().join("yaml-test-suite");
    let root = dir.display().to_string();
    let mut counts: BTreeMap<Outcome, usize> = BTreeMap::new();
    let mut not_good = BTreeMap::new();
    for case in cases(&dir) {
        let (outcome, message) = classify(&case, &Limits::default());
        *counts.entry(outcome).or_default() += 1;
        let id = case.display().to_string();
        let id = id
            .trim_start_matches(&root)
            .trim_start_matches('/')
            .to_string();
        if !outcome.good() {
            not_good.insert(id, (outcome.name().to_string(), message));
        }
    }
    // Every outcome, zeros included: the item's three counts (equal, different, and invalid
    // accepted) always show.
    let shown: Vec<String> = Outcome::ALL
        .iter()
        .map(|o| format!("{}: {}", o.name(), counts.get(o).copied().unwrap_or(0)))
        .collect();
    eprintln!("yaml-test-suite: {}", shown.join(", "));
    let known = known();
    let mut changed = Vec::new();
    for (id, (o, message)) in &not_good {
        let Some((listed, reason)) = known.get(id) else {
            changed.push(format!("{id}: {o} (not listed): {message}"));
            continue;
        };
        if listed != o {
            changed.push(format!("{id}: {o} (listed as {listed}): {message}"));
        } else if let Some(expected) = reason_message(reason) {
            if message != expected {
                changed.push(format!(
                    "{id}: refused with `{message}`, not for `{reason}`"
                ));
            }
        }
    }
    for (id, (o, _)) in &known {
        if !not_good.contains_key(id) {
            changed.push(format!(
                "{id}: behaves now (listed as {o}): take it off the list"
            ));
        }
    }
    assert!(changed.is_empty(), "{}", changed.join("\n"));
    assert!(counts.values().sum::<usize>() > 300, "{counts:?}");
}

/// The invalid cases `--yaml-lenient` reads (docs/yaml.md, "Read only when asked").
const READ_WHEN_LENIENT: &[&str] = &["QB6E"];

#[test]
fn yaml_lenient_departs_from_the_suite_corpus_on_exactly_the_documented_cases() {
    let dir = common::corpus_dir().join("yaml-test-suite");
    let lenient = Limits {
        yaml_lenient: true,
        ..Limits::default()
    };
    let mut departs = Vec::new();
    for case in cases(&dir) {
        let strict = classify(&case, &Limits::default()).0;
        let read = classify(&case, &lenient).0;
        if strict != read {
            let id = case
                .strip_prefix(&dir)
                .unwrap_or(&case)
                .display()
                .to_string();
            departs.push(format!("{id}: {} -> {}", strict.name(), read.name()));
        }
    }
    let expected: Vec<String> = READ_WHEN_LENIENT
        .iter()
        .map(|id| format!("{id}: error-refused -> error-accepted"))
        .collect();
    assert_eq!(departs, expected);
}
