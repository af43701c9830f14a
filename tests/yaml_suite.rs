//! The official YAML test suite (`../shared/corpus/yaml-test-suite`, see its README) through
//! the loader (issue 12, item 3): every case is classified, the counts are printed, and the
//! cases that do not behave yet are listed in `tests/yaml_suite_known.txt`. The test fails when
//! a case behaves otherwise than that list says, either way: a new failure, or a listed case
//! that now behaves (take it off the list).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hookbridge::document::load;

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

fn classify(case: &Path) -> Outcome {
    let yaml = std::fs::read(case.join("in.yaml")).unwrap_or_default();
    let loaded = load::parse_bytes(&yaml, "in.yaml", &Default::default());
    if case.join("error").exists() {
        return match loaded {
            Ok(_) => Outcome::ErrorAccepted,
            Err(e) if e.diagnostic.line.is_some() => Outcome::ErrorRefused,
            Err(_) => Outcome::ErrorRefusedNoPosition,
        };
    }
    let Ok(json) = std::fs::read_to_string(case.join("in.json")) else {
        return Outcome::OutOfScope;
    };
    let docs = json_documents(&json);
    if docs.len() != 1 {
        return Outcome::OutOfScope;
    }
    match loaded {
        Ok(doc) if same(&doc.value, &docs[0]) => Outcome::Equal,
        Ok(_) => Outcome::Different,
        Err(_) => Outcome::Refused,
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

fn known() -> BTreeMap<String, String> {
    let path = common::manifest_dir().join("tests/yaml_suite_known.txt");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            Some((parts.next()?.to_string(), parts.next()?.to_string()))
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
        let outcome = classify(&case);
        *counts.entry(outcome).or_default() += 1;
        let id = case.display().to_string();
        let id = id
            .trim_start_matches(&root)
            .trim_start_matches('/')
            .to_string();
        if !outcome.good() {
            not_good.insert(id, outcome.name().to_string());
        }
    }
    let shown: Vec<String> = counts
        .iter()
        .map(|(o, n)| format!("{}: {n}", o.name()))
        .collect();
    eprintln!("yaml-test-suite: {}", shown.join(", "));
    if std::env::var_os("HOOKBRIDGE_WRITE_YAML_KNOWN").is_some() {
        let mut text = String::from(
            "# tests/yaml_suite.rs: YAML test suite cases that do not behave yet, and how\n",
        );
        for (id, o) in &not_good {
            text.push_str(&format!("{id} {o}\n"));
        }
        let path = common::manifest_dir().join("tests/yaml_suite_known.txt");
        std::fs::write(path, text).expect("write the list");
    }
    let known = known();
    let mut changed = Vec::new();
    for (id, o) in &not_good {
        if known.get(id) != Some(o) {
            changed.push(format!("{id}: {o} (listed: {:?})", known.get(id)));
        }
    }
    for (id, o) in &known {
        if !not_good.contains_key(id) {
            changed.push(format!(
                "{id}: behaves now (listed as {o}): take it off the list"
            ));
        }
    }
    assert!(changed.is_empty(), "{}", changed.join("\n"));
    assert!(counts.values().sum::<usize>() > 300, "{counts:?}");
}
