//! Positions (issue 18, item 3): every diagnostic of `convert` and every lint finding names
//! the line and column of the value its pointer names. Over the samples, the shared corpus and
//! the hostile cases, each position of a pointer the file itself holds is checked against the
//! text: the line there holds the key the pointer ends with (a mapping member is located at its
//! key), in YAML and JSON alike.

mod common;

use std::path::{Path, PathBuf};

use hookbridge::document::{load, pointer};
use hookbridge::{ConvertOptions, Diagnostic};

/// Checks one position against the file's text; `Err` says why it is wrong.
fn check(
    text: &str,
    value: &serde_json::Value,
    d_pointer: &str,
    line: usize,
    column: usize,
) -> Result<bool, String> {
    if value.pointer(d_pointer).is_none() {
        return Ok(false); // a pointer into bundled parts: the nearest ancestor is given
    }
    let Some(tokens) = pointer::split(d_pointer) else {
        return Ok(false);
    };
    let Some(src_line) = text.lines().nth(line.saturating_sub(1)) else {
        return Err(format!("line {line} is past the end"));
    };
    let Some(last) = tokens.last() else {
        return Ok(true);
    };
    let parent = &tokens[..tokens.len() - 1];
    let in_array = value
        .pointer(&pointer::join(parent.iter().map(String::as_str)))
        .is_some_and(serde_json::Value::is_array);
    if in_array || last.contains(['"', '\\', '\'']) || !last.is_ascii() {
        return Ok(true); // elements are located at their value; escaped keys are not compared
    }
    let rest: String = src_line.chars().skip(column.saturating_sub(1)).collect();
    let at_key = rest.starts_with(last.as_str())
        || rest.starts_with(&format!("\"{last}\""))
        || rest.starts_with(&format!("'{last}'"))
        || rest.starts_with(&format!("? {last}"));
    if at_key {
        Ok(true)
    } else {
        Err(format!(
            "{line}:{column} is `{}`, not the key `{last}`",
            src_line.trim()
        ))
    }
}

/// The samples, fixtures and hostile cases, or (`corpus`) the shared corpus.
fn inputs(corpus: bool) -> Vec<PathBuf> {
    if corpus {
        return common::openapi_corpus_files(&common::corpus_dir());
    }
    let mut files = common::openapi_corpus_files(&common::manifest_dir().join("samples"));
    files.push(common::manifest_dir().join("tests/fixtures/refs/positions/openapi.yaml"));
    let hostile = common::manifest_dir().join("tests/hostile");
    for entry in std::fs::read_dir(hostile).expect("tests/hostile").flatten() {
        let p = entry.path();
        if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("yaml" | "json")
        ) {
            files.push(p);
        }
    }
    files
}

fn diagnostics_of(path: &Path) -> Vec<Diagnostic> {
    let options = ConvertOptions {
        root: Some(path.parent().unwrap_or(Path::new(".")).to_path_buf()),
        ..Default::default()
    };
    let mut out = match hookbridge::convert_file(path, &options) {
        Ok(c) => c.diagnostics,
        Err(e) => vec![*e.diagnostic],
    };
    hookbridge::document::positions::add_positions(&mut out);
    out
}

/// The text and tree of each file diagnostics name, read once.
#[derive(Default)]
struct Files(std::collections::HashMap<String, Option<(String, serde_json::Value)>>);

impl Files {
    fn get(&mut self, file: &str) -> Option<&(String, serde_json::Value)> {
        self.0
            .entry(file.to_string())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(file).ok()?;
                let doc = load::parse_str(&text, "x", &Default::default()).ok()?;
                Some((text, doc.value))
            })
            .as_ref()
    }
}

#[test]
fn positions_point_at_the_key_their_pointer_names() {
    let (checked, elsewhere) = positions_checked(inputs(false));
    assert!(checked > 50, "too few positions checked: {checked}");
    assert!(
        elsewhere >= 5,
        "too few positions in `$ref`'d files: {elsewhere}"
    );
}

#[test]
fn positions_point_at_the_key_their_pointer_names_in_the_corpus() {
    let (checked, _) = positions_checked(inputs(true));
    assert!(checked > 50, "too few positions checked: {checked}");
}

/// Checks every position of the diagnostics and lint findings of `inputs`: how many were
/// checked against the text, and how many of them in `$ref`'d files.
fn positions_checked(inputs: Vec<PathBuf>) -> (usize, usize) {
    let (mut checked, mut elsewhere, mut failures) = (0, 0, Vec::new());
    let mut files = Files::default();
    for path in inputs {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if load::parse_str(&text, "x", &Default::default()).is_err() {
            for d in diagnostics_of(&path) {
                // Unreadable input: the loader's own position, if any, is inside the text.
                if let Some(line) = d.line {
                    assert!(
                        line <= text.lines().count().max(1),
                        "{}: {d}",
                        path.display()
                    );
                }
            }
            continue;
        }
        let file = path.display().to_string();
        let mut findings = Vec::new();
        for d in diagnostics_of(&path) {
            findings.push((
                d.file.clone(),
                d.pointer.clone(),
                d.line,
                d.column,
                d.to_string(),
            ));
        }
        if let Ok(lint) =
            hookbridge::contract::lint::lint_path(&path, &Default::default(), &Default::default())
        {
            for f in lint {
                findings.push((
                    f.file.clone(),
                    f.pointer.clone(),
                    f.line,
                    f.column,
                    f.to_string(),
                ));
            }
        }
        for (in_file, ptr, line, column, shown) in findings {
            let Some((text, value)) = files.get(&in_file) else {
                continue; // not a file (a URL, standard input)
            };
            let (Some(line), Some(column)) = (line, column) else {
                failures.push(format!("no position: {shown}"));
                continue;
            };
            assert!(
                shown.starts_with(&format!("{in_file}:{line}:{column}: ")),
                "{shown}"
            );
            match check(text, value, &ptr, line, column) {
                Ok(true) => {
                    checked += 1;
                    elsewhere += usize::from(in_file != file);
                }
                Ok(false) => {}
                Err(e) => failures.push(format!("{shown}\n    {e}")),
            }
        }
    }
    eprintln!("positions: {checked} checked against the text, {elsewhere} in `$ref`'d files");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    (checked, elsewhere)
}

/// A diagnostic about a part brought in from another file names that file, the pointer
/// there, and the line and column of the key (issue 18, item 3).
#[test]
fn diagnostics_inside_referenced_files_name_those_files() {
    let root = common::manifest_dir().join("tests/fixtures/refs/positions/openapi.yaml");
    let dir = root.parent().unwrap().display().to_string();
    let shown: Vec<String> = diagnostics_of(&root)
        .iter()
        .map(|d| d.to_string())
        .collect();
    let starts = [
        format!("{dir}/items/ping.yaml:3:1: warning[unknown-path-item-field] #/subscribe: "),
        format!("{dir}/items/ping.yaml:16:7: warning[invalid-runtime-expression] #/post/callbacks/onPing/{{request.body#~1url}}: "),
        format!("{dir}/items/pong.yaml:3:3: warning[unknown-path-item-field] #/PongItem/publish: "),
    ];
    assert_eq!(shown.len(), starts.len(), "{shown:#?}");
    for (line, start) in shown.iter().zip(&starts) {
        assert!(
            line.starts_with(start.as_str()),
            "{line}\nexpected: {start}"
        );
    }
    // A key written beside the `$ref` stays in the referring file.
    let lint =
        hookbridge::contract::lint::lint_path(&root, &Default::default(), &Default::default())
            .expect("lints");
    assert!(
        lint.iter()
            .all(|f| f.file.ends_with("ping.yaml") || f.file.ends_with("pong.yaml")),
        "{lint:#?}"
    );
}

/// The same through the binary, for the commands that relocate on their own (`roundtrip`,
/// `lint`): each line names the `$ref`'d file.
#[test]
fn the_binary_names_referenced_files_in_roundtrip_and_lint() {
    let root = common::manifest_dir().join("tests/fixtures/refs/positions/openapi.yaml");
    for (command, stream) in [("roundtrip", 2), ("lint", 1)] {
        let out = assert_cmd::Command::cargo_bin("hookbridge")
            .unwrap()
            .arg(command)
            .arg(&root)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(if stream == 1 {
            &out.stdout
        } else {
            &out.stderr
        });
        let lines: Vec<&str> = text.lines().filter(|l| l.contains("ping.yaml:")).collect();
        assert!(
            lines.iter().any(|l| l.contains("/items/ping.yaml:16:7: ")),
            "{command}:\n{text}"
        );
        assert!(
            !text.contains("openapi.yaml:6:3: "),
            "{command} points at the `$ref`:\n{text}"
        );
    }
}
