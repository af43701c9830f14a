//! Files the binary writes get the mode a new file gets under the caller's umask, keep the mode
//! of a file they replace, and leave no temporary file behind.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

const WEBHOOK: &str = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\nwebhooks:\n  ping:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object}\n      responses:\n        '200': {description: ok}\n";

/// The binary run by `sh` after `umask UMASK` (the test process's own umask stays untouched).
fn hookbridge_under(umask: &str) -> Command {
    let bin = env!("CARGO_BIN_EXE_hookbridge");
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(bin);
    cmd
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn input(dir: &Path) -> PathBuf {
    let p = dir.join("api.yaml");
    std::fs::write(&p, WEBHOOK).expect("input");
    p
}

fn convert(umask: &str, input: &Path, out: &Path) {
    hookbridge_under(umask)
        .arg("convert")
        .arg(input)
        .arg("-o")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn convert_output_follows_the_umask() {
    for (umask, expected) in [("0022", 0o644), ("0077", 0o600), ("0002", 0o664)] {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = input(dir.path());
        let out = dir.path().join("out.asyncapi.yaml");
        convert(umask, &input, &out);
        assert_eq!(mode(&out), expected, "umask {umask}");
        assert_eq!(files(dir.path()), vec![input, out], "umask {umask}");
    }
}

#[test]
fn convert_overwrite_keeps_the_existing_mode() {
    for umask in ["0022", "0077"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = input(dir.path());
        let out = dir.path().join("out.asyncapi.yaml");
        std::fs::write(&out, "old\n").expect("old output");
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        convert(umask, &input, &out);
        assert_eq!(mode(&out), 0o640, "umask {umask}");
        let text = std::fs::read_to_string(&out).expect("output");
        assert!(text.starts_with("asyncapi:"), "{text}");
        assert_eq!(files(dir.path()), vec![input, out], "umask {umask}");
    }
}

/// `nav` with every output: the manifest, the HTML page and the docusaurus export.
fn nav(umask: &str, dir: &Path, input: &Path) -> Vec<PathBuf> {
    let export = dir.join("site");
    hookbridge_under(umask)
        .arg("nav")
        .arg(input)
        .arg("-o")
        .arg(dir.join("nav.json"))
        .arg("--html")
        .arg(dir.join("nav.html"))
        .args(["--export", "docusaurus"])
        .arg(&export)
        .assert()
        .success();
    let written: Vec<PathBuf> = files(dir).into_iter().filter(|p| p != input).collect();
    assert!(written.contains(&dir.join("nav.json")), "{written:?}");
    assert!(written.contains(&dir.join("nav.html")), "{written:?}");
    assert!(written.contains(&export.join("sidebar.js")), "{written:?}");
    assert!(
        written
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "md")),
        "an AsyncAPI page: {written:?}"
    );
    written
}

fn no_temporary_files(written: &[PathBuf]) {
    for p in written {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        assert!(
            !name.starts_with('.') && !name.ends_with(".tmp"),
            "left behind: {}",
            p.display()
        );
    }
}

#[test]
fn nav_outputs_follow_the_umask() {
    for (umask, expected) in [("0022", 0o644), ("0077", 0o600)] {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = input(dir.path());
        let written = nav(umask, dir.path(), &input);
        for p in &written {
            assert_eq!(mode(p), expected, "umask {umask}: {}", p.display());
        }
        no_temporary_files(&written);
    }
}

#[test]
fn nav_overwrite_keeps_the_existing_modes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = input(dir.path());
    let first = nav("0022", dir.path(), &input);
    for p in &first {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    let second = nav("0077", dir.path(), &input);
    assert_eq!(first, second);
    for p in &second {
        assert_eq!(mode(p), 0o640, "{}", p.display());
    }
    no_temporary_files(&second);
}
