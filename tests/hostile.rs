//! Hostile input through the real binary: every case must end with the expected exit code and
//! one clear message naming the file (and the JSON pointer where there is one), without a
//! panic, without leaving an output file (or a temporary one) behind, and without touching
//! the input.
//!
//! Small inputs are checked in under `tests/hostile/`; large ones are generated here, into a
//! temporary directory. Timings are not asserted (a loaded CI machine would make that flaky):
//! each run only has a generous 60-second cap so that a hang fails instead of blocking.
//! To measure time and peak memory per case, run `tests/hostile/measure.sh`: it sets
//! `HOOKBRIDGE_HOSTILE_TABLE` and this test then also runs every case under `/usr/bin/time`
//! and writes a Markdown table there (see `docs/limits.md`).

use std::io::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;

/// How long one run may take before it counts as a hang (not a timing assertion).
const HANG: Duration = Duration::from_secs(60);

fn hostile_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

/// What a case is expected to do.
enum Expect {
    /// Exit 2 with one error: its code, a fragment of its message, and its JSON pointer
    /// (`Some("")` asserts that there is none).
    Refused {
        code: &'static str,
        message: &'static str,
        pointer: Option<&'static str>,
    },
    /// Exit 0, an AsyncAPI output, optionally a warning (code, pointer), and text the output
    /// must contain.
    Converted {
        warning: Option<(&'static str, &'static str)>,
        output_contains: &'static [&'static str],
    },
}

/// An input ready to run: the path given on the command line, extra arguments, standard
/// input, and the file whose name the message must show.
struct Input {
    path: PathBuf,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    shown_as: String,
}

impl Input {
    fn file(path: PathBuf) -> Self {
        let shown_as = path.file_name().unwrap().to_string_lossy().into_owned();
        Input {
            path,
            args: Vec::new(),
            stdin: None,
            shown_as,
        }
    }

    fn checked_in(rel: &str) -> Self {
        Input::file(hostile_dir().join(rel))
    }
}

struct Case {
    name: &'static str,
    input: fn(&Path) -> Input,
    expect: Expect,
}

fn write(dir: &Path, name: &str, data: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, data).unwrap();
    path
}

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: Hostile, version: '1'}\n";

/// A valid OpenAPI document of about `size` bytes: many webhooks.
fn big_document(size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + 1024);
    out.extend_from_slice(HEAD.as_bytes());
    out.extend_from_slice(b"webhooks:\n");
    let mut i = 0;
    while out.len() < size {
        write!(
            out,
            "  event{i}:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                id: {{type: integer}}\n                name: {{type: string, description: 'The name of the thing that happened'}}\n      responses:\n        '200': {{description: ok}}\n"
        )
        .unwrap();
        i += 1;
    }
    out
}

fn refused(code: &'static str, message: &'static str, pointer: Option<&'static str>) -> Expect {
    Expect::Refused {
        code,
        message,
        pointer,
    }
}

fn cases() -> Vec<Case> {
    vec![
        // ---- expansion, nesting, size ----
        Case {
            name: "alias bomb (billion laughs, 1 KB)",
            input: |_| Input::checked_in("alias-bomb.yaml"),
            expect: refused("input-too-large", "(an alias bomb?)", None),
        },
        Case {
            name: "alias bomb (wide anchors, 1000 aliases of 1000)",
            input: |dir| {
                let row = |item: &str| vec![item; 1000].join(", ");
                let text = format!(
                    "{HEAD}x-a0: &a0 [{}]\nx-a1: &a1 [{}]\nx-a2: [{}]\nwebhooks: {{}}\n",
                    row("x"),
                    row("*a0"),
                    row("*a1")
                );
                Input::file(write(dir, "wide-alias-bomb.yaml", text))
            },
            expect: refused("input-too-large", "(an alias bomb?)", None),
        },
        Case {
            name: "alias bomb of numbers (floats and 30-digit integers, whose text is looked for)",
            input: |dir| {
                let row = |item: &str| vec![item; 1000].join(", ");
                let text = format!(
                    "{HEAD}x-a0: &a0 [{}, {}]\nx-a1: &a1 [{}]\nx-a2: [{}]\nwebhooks: {{}}\n",
                    row("1.50"),
                    row("123456789012345678901234567890"),
                    row("*a0"),
                    row("*a1")
                );
                Input::file(write(dir, "number-alias-bomb.yaml", text))
            },
            expect: refused("input-too-large", "(an alias bomb?)", None),
        },
        Case {
            // Its `*a6` has no anchor (`&a6` became `&2`): libyaml expanded the aliases before
            // it noticed; the reader now stops at the unknown alias, before expanding it.
            name: "alias bomb found by the fuzzer (4 KB)",
            input: |_| Input::checked_in("fuzz-alias-expansion.yaml"),
            expect: refused("parse", "found unknown anchor", Some("/components/a7/0")),
        },
        Case {
            name: "100k-deep block nesting (- - - ...)",
            input: |dir| {
                let text = format!("{HEAD}webhooks:\n  x: {}\n", "- ".repeat(100_000));
                let text = text.replacen("  x: ", "  x:\n  ", 1);
                Input::file(write(dir, "deep-block.yaml", text))
            },
            expect: refused("input-too-deep", "block collections", Some("")),
        },
        Case {
            name: "100k-deep block nesting (? ? ? ...)",
            input: |dir| {
                let text = format!("{HEAD}webhooks:\n  {}x\n", "? ".repeat(100_000));
                Input::file(write(dir, "deep-explicit-keys.yaml", text))
            },
            expect: refused("input-too-deep", "nested more than 100", Some("")),
        },
        Case {
            name: "100k-deep flow nesting on one line ({a: {a: ...)",
            input: |dir| {
                let text = format!("{HEAD}webhooks: {}\n", "{a: ".repeat(100_000));
                Input::file(write(dir, "deep-flow.yaml", text))
            },
            expect: refused("input-too-deep", "flow collections", Some("")),
        },
        Case {
            name: "100k-deep flow nesting, one bracket per line",
            input: |dir| {
                let text = format!("{HEAD}webhooks:\n{}", "  [\n".repeat(100_000));
                Input::file(write(dir, "deep-flow-lines.yaml", text))
            },
            expect: refused("input-too-deep", "flow collections", Some("")),
        },
        Case {
            name: "100k-deep flow nesting behind an apostrophe ([it's, [[[...)",
            input: |dir| {
                let text = format!("{HEAD}webhooks: [it's, {}\n", "[".repeat(100_000));
                Input::file(write(dir, "deep-flow-quote.yaml", text))
            },
            expect: refused("input-too-deep", "flow collections", Some("")),
        },
        Case {
            name: "100k-deep JSON nesting",
            input: |dir| {
                let text = format!(
                    "{{\"openapi\": \"3.1.0\", \"webhooks\": {}",
                    "{\"a\": ".repeat(100_000)
                );
                Input::file(write(dir, "deep.json", text))
            },
            expect: refused("input-too-deep", "nested more than 100", None),
        },
        Case {
            name: "200 MB input",
            input: |dir| {
                let path = write(dir, "huge.yaml", big_document(1_000_000));
                let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
                // Sparse: refused from its size, before a byte is read.
                file.set_len(200_000_000).unwrap();
                Input::file(path)
            },
            expect: refused("input-too-large", "--max-bytes", Some("")),
        },
        Case {
            name: "140 MB on standard input",
            input: |_| Input {
                path: PathBuf::from("-"),
                args: Vec::new(),
                stdin: Some(big_document(140_000_000)),
                shown_as: "<stdin>".into(),
            },
            expect: refused("input-too-large", "--max-bytes", Some("")),
        },
        Case {
            name: "50 MB of YAML, 3.8 million values (within --max-bytes)",
            input: |dir| Input::file(write(dir, "huge.yaml", big_document(50_000_000))),
            expect: refused("input-too-large", "--max-nodes", Some("")),
        },
        Case {
            name: "10 MB, 3 million values in YAML (within --max-bytes)",
            input: |dir| {
                let text = format!(
                    "{HEAD}x-list: [{}0]\nwebhooks: {{}}\n",
                    "0, ".repeat(3_000_000)
                );
                Input::file(write(dir, "many-values.yaml", text))
            },
            expect: refused("input-too-large", "--max-nodes", Some("")),
        },
        Case {
            name: "12 MB, 6 million values in JSON (within --max-bytes)",
            input: |dir| {
                let text = format!(
                    "{{\"openapi\": \"3.1.0\", \"x-list\": [{}0]}}",
                    "0,".repeat(6_000_000)
                );
                Input::file(write(dir, "many-values.json", text))
            },
            expect: refused("input-too-large", "one per 8 bytes", Some("")),
        },
        Case {
            name: "endless input (/dev/zero)",
            input: |_| Input::file(PathBuf::from("/dev/zero")),
            expect: refused("input-too-large", "--max-bytes", Some("")),
        },
        // ---- encodings and shapes ----
        Case {
            name: "invalid UTF-8",
            input: |_| Input::checked_in("invalid-utf8.yaml"),
            expect: refused("parse", "not valid UTF-8", Some("")),
        },
        Case {
            name: "UTF-16",
            input: |_| Input::checked_in("utf16.yaml"),
            expect: refused("parse", "save it as UTF-8", Some("")),
        },
        Case {
            name: "binary (a PNG image)",
            input: |_| Input::checked_in("binary.yaml"),
            expect: refused("parse", "the file is binary", Some("")),
        },
        Case {
            name: "empty file",
            input: |_| Input::checked_in("empty.yaml"),
            expect: refused("empty-document", "the document is empty", Some("")),
        },
        Case {
            name: "a list at the root",
            input: |_| Input::checked_in("root-list.yaml"),
            expect: refused("root-not-a-mapping", "the document is a list", Some("")),
        },
        Case {
            name: "duplicate keys (YAML)",
            input: |_| Input::checked_in("duplicate-keys.yaml"),
            expect: refused(
                "duplicate-key",
                "duplicate key `post`",
                Some("/webhooks/ping/post"),
            ),
        },
        Case {
            name: "duplicate keys (JSON)",
            input: |_| Input::checked_in("duplicate-keys.json"),
            expect: refused(
                "duplicate-key",
                "duplicate key `post`",
                Some("/webhooks/ping/post"),
            ),
        },
        Case {
            name: "YAML tag (!include)",
            input: |_| Input::checked_in("yaml-tag.yaml"),
            expect: refused(
                "parse",
                "YAML tags (`!tag`) are not supported",
                Some("/webhooks/ping/description"),
            ),
        },
        Case {
            name: "several YAML documents",
            input: |_| Input::checked_in("multi-document.yaml"),
            expect: refused("parse", "more than one document", None),
        },
        Case {
            name: "NaN (not representable in JSON)",
            input: |_| Input::checked_in("nan.yaml"),
            expect: refused(
                "parse",
                "NaN",
                Some("/webhooks/ping/post/requestBody/content/application~1json/schema/maximum"),
            ),
        },
        // ---- versions ----
        Case {
            name: "OpenAPI 3.3 (not yet published)",
            input: |_| Input::checked_in("openapi-3.3.yaml"),
            expect: refused("unsupported-version", "3.3.0", Some("/openapi")),
        },
        Case {
            name: "Swagger 2.0",
            input: |_| Input::checked_in("swagger-2.0.yaml"),
            expect: refused("unsupported-version", "Swagger 2.0", Some("/swagger")),
        },
        Case {
            name: "webhooks in OpenAPI 3.0 (converted with a warning)",
            input: |_| Input::checked_in("webhooks-in-3.0.yaml"),
            expect: Expect::Converted {
                warning: Some(("webhooks-in-openapi-3.0", "/webhooks")),
                output_contains: &["ping.post"],
            },
        },
        // ---- references ----
        Case {
            name: "$ref path traversal (../../etc/passwd, target exists)",
            input: |dir| {
                write(dir, "project/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
                let spec = format!(
                    "{HEAD}webhooks:\n  ping:\n    post:\n      description:\n        $ref: ../../etc/passwd\n      responses: {{'200': {{description: ok}}}}\n"
                );
                Input::file(write(dir, "project/api/v1/openapi.yaml", spec))
            },
            expect: refused(
                "ref-outside-root",
                "../../etc/passwd",
                Some("/webhooks/ping/post/description"),
            ),
        },
        Case {
            name: "$ref path traversal (checked in)",
            input: |_| Input::checked_in("refs/traversal.yaml"),
            expect: refused(
                "ref-outside-root",
                "outside",
                Some("/webhooks/ping/post/description"),
            ),
        },
        Case {
            name: "$ref absolute path (/etc/passwd)",
            input: |_| Input::checked_in("refs/absolute.yaml"),
            expect: refused(
                "ref-outside-root",
                "/etc/passwd",
                Some("/webhooks/ping/post/description"),
            ),
        },
        Case {
            name: "$ref file:// URL",
            input: |_| Input::checked_in("refs/file-url.yaml"),
            expect: refused(
                "ref-outside-root",
                "/etc/passwd",
                Some("/webhooks/ping/post/description"),
            ),
        },
        Case {
            name: "$ref through a symbolic link leaving the root",
            input: |dir| {
                write(dir, "outside.yaml", "description: secret\n");
                let spec = format!("{HEAD}webhooks:\n  ping:\n    $ref: ./link.yaml\n");
                let input = write(dir, "root/openapi.yaml", spec);
                #[cfg(unix)]
                std::os::unix::fs::symlink(dir.join("outside.yaml"), dir.join("root/link.yaml"))
                    .unwrap();
                Input::file(input)
            },
            expect: refused("ref-outside-root", "outside", Some("/webhooks/ping")),
        },
        Case {
            name: "$ref to a URL (never fetched: a warning, kept)",
            input: |dir| {
                // The URL points at a listener of ours: the test checks that nothing connected.
                let spec = format!(
                    "{HEAD}webhooks:\n  ping:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              $ref: 'http://{}/schemas/pet.yaml#/Pet'\n      responses: {{'200': {{description: ok}}}}\n",
                    listener_address()
                );
                Input::file(write(dir, "url-ref.yaml", spec))
            },
            expect: Expect::Converted {
                warning: Some((
                    "external-ref",
                    "/webhooks/ping/post/requestBody/content/application~1json/schema",
                )),
                output_contains: &["/schemas/pet.yaml#/Pet"],
            },
        },
        Case {
            name: "$ref cycle through path items",
            input: |_| Input::checked_in("refs/cycle-path-item/openapi.yaml"),
            expect: refused("ref-cycle", "a.yaml -> ", Some("/webhooks/ping")),
        },
        Case {
            name: "$ref cycle through a callback",
            input: |_| Input {
                // The cycle is reported where it closes, in the referenced file.
                shown_as: "cycle-callback/item.yaml".into(),
                ..Input::checked_in("refs/cycle-callback/openapi.yaml")
            },
            expect: refused("ref-cycle", "item.yaml -> ", Some("/post/callbacks/again")),
        },
        Case {
            name: "$ref cycle through a callback in one file",
            input: |dir| {
                let spec = format!(
                    "{HEAD}webhooks:\n  hook:\n    $ref: '#/components/pathItems/X'\ncomponents:\n  pathItems:\n    X:\n      post:\n        responses: {{'200': {{description: ok}}}}\n        callbacks:\n          again:\n            '{{$request.body#/url}}':\n              $ref: '#/components/pathItems/X'\n"
                );
                Input::file(write(dir, "local-callback-cycle.yaml", spec))
            },
            expect: refused(
                "ref-cycle",
                "`#/components/pathItems/X` reaches itself",
                Some("/webhooks/hook/post/callbacks/again"),
            ),
        },
        Case {
            name: "$ref schema that is only itself",
            input: |_| Input::checked_in("refs/self-schema.yaml"),
            expect: refused(
                "ref-cycle",
                "#/components/schemas/Me -> ",
                Some("/components/schemas/Me"),
            ),
        },
        Case {
            name: "recursive schema across files (legal: converts)",
            input: |_| Input::checked_in("refs/recursive/openapi.yaml"),
            expect: Expect::Converted {
                warning: None,
                output_contains: &["#/components/schemas/Node"],
            },
        },
        Case {
            name: "$ref to a missing file",
            input: |_| Input::checked_in("refs/missing-file.yaml"),
            expect: refused(
                "unresolved-ref",
                "does not exist",
                Some("/webhooks/ping/post/requestBody/content/application~1json/schema"),
            ),
        },
        Case {
            name: "$ref to a missing pointer in an existing file",
            input: |_| Input::checked_in("refs/missing-pointer.yaml"),
            expect: refused(
                "unresolved-ref",
                "#/Nope",
                Some("/webhooks/ping/post/requestBody/content/application~1json/schema"),
            ),
        },
        Case {
            name: "$ref to a directory",
            input: |_| Input::checked_in("refs/directory.yaml"),
            expect: refused(
                "unresolved-ref",
                "not a file",
                Some("/webhooks/ping/post/description"),
            ),
        },
        Case {
            name: "$ref to a Markdown file as a description (becomes a string)",
            input: |_| Input::checked_in("refs/markdown/openapi.yaml"),
            expect: Expect::Converted {
                warning: None,
                output_contains: &["This text comes from a **Markdown** file"],
            },
        },
        Case {
            name: "$ref-looking keys inside examples are data",
            input: |_| Input::checked_in("refs/example-ref.yaml"),
            expect: Expect::Converted {
                warning: None,
                output_contains: &["/etc/passwd", "../../etc/shadow"],
            },
        },
    ]
}

/// A TCP listener that must never see a connection; see [`assert_no_connection`].
static LISTENER: std::sync::OnceLock<TcpListener> = std::sync::OnceLock::new();

fn listener_address() -> String {
    let l = LISTENER.get_or_init(|| {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.set_nonblocking(true).unwrap();
        l
    });
    l.local_addr().unwrap().to_string()
}

fn assert_no_connection() -> Result<(), String> {
    if let Some(l) = LISTENER.get() {
        match l.accept() {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Ok((_, peer)) => return Err(format!("the URL $ref was fetched (from {peer})")),
            Err(e) => return Err(format!("listener: {e}")),
        }
    }
    Ok(())
}

/// A fingerprint of a file: its length, modification time and content.
fn fingerprint(path: &Path) -> Option<(u64, std::time::SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    // FNV-1a: enough to notice a change.
    let hash = bytes.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    });
    Some((meta.len(), meta.modified().ok()?, hash))
}

fn command(input: &Input, out: &Path) -> Command {
    let mut cmd = Command::cargo_bin("hookbridge").expect("binary builds");
    cmd.arg("convert")
        .arg(&input.path)
        .arg("-o")
        .arg(out)
        .args(&input.args)
        .timeout(HANG);
    if let Some(stdin) = &input.stdin {
        cmd.write_stdin(stdin.clone());
    }
    cmd
}

/// Runs one case and returns what went wrong, if anything.
fn check(case: &Case, work: &Path) -> Result<(), String> {
    let input = (case.input)(work);
    let out_dir = work.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let out = out_dir.join("events.asyncapi.yaml");
    let before = fingerprint(&input.path);

    let output: Output = command(&input, &out).output().map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let status = output.status.code();
    if stderr.contains("panicked") || status == Some(101) {
        return Err(format!("panic:\n{stderr}"));
    }
    if status.is_none() {
        return Err(format!("killed (a hang past {HANG:?}?):\n{stderr}"));
    }
    if fingerprint(&input.path) != before {
        return Err("the input was modified".into());
    }
    assert_no_connection()?;
    let left: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();

    match &case.expect {
        Expect::Refused {
            code,
            message,
            pointer,
        } => {
            if status != Some(2) {
                return Err(format!("exit {status:?}, expected 2:\n{stderr}"));
            }
            if !left.is_empty() {
                return Err(format!("files left in the output directory: {left:?}"));
            }
            let lines = without_positions(&stderr);
            let errors: Vec<&str> = lines
                .iter()
                .map(String::as_str)
                .filter(|l| l.starts_with("error"))
                .collect();
            let [line] = errors[..] else {
                return Err(format!("one error expected:\n{stderr}"));
            };
            let head = format!("error[{code}] ");
            let Some(rest) = line.strip_prefix(&head) else {
                return Err(format!("expected code {code}:\n{line}"));
            };
            if !rest.contains(&input.shown_as) {
                return Err(format!("the message must name {}:\n{line}", input.shown_as));
            }
            // The message proper follows the location (`file#pointer:line:column: `).
            let text = rest.split_once(": ").map_or("", |(_, m)| m);
            if !text.contains(message) {
                return Err(format!("the message must contain {message:?}:\n{line}"));
            }
            match pointer {
                Some("") if rest.split(": ").next().unwrap_or("").contains('#') => {
                    return Err(format!("no pointer expected:\n{line}"))
                }
                Some(p) if !p.is_empty() && !rest.contains(&format!("#{p}")) => {
                    return Err(format!("the message must show the pointer {p}:\n{line}"))
                }
                _ => {}
            }
        }
        Expect::Converted {
            warning,
            output_contains,
        } => {
            if status != Some(0) {
                return Err(format!("exit {status:?}, expected 0:\n{stderr}"));
            }
            let text = std::fs::read_to_string(&out).map_err(|e| format!("no output: {e}"))?;
            if left.len() != 1 {
                return Err(format!("only the output expected: {left:?}"));
            }
            let doc = hookbridge::document::load::parse_str(&text, "out", &Default::default())
                .map_err(|e| format!("the output does not load: {e}"))?;
            if doc.value["asyncapi"] != "3.0.0" {
                return Err(format!("not AsyncAPI 3.0.0:\n{text}"));
            }
            for s in *output_contains {
                if !text.contains(s) {
                    return Err(format!("the output must contain {s:?}:\n{text}"));
                }
            }
            match warning {
                Some((code, pointer)) => {
                    let head = format!("warning[{code}] ");
                    let want = format!("{}#{pointer}:", input.shown_as);
                    if !without_positions(&stderr)
                        .iter()
                        .any(|l| l.starts_with(&head) && l.contains(&want))
                    {
                        return Err(format!("expected {head}...{want}:\n{stderr}"));
                    }
                }
                None if !stderr.trim().is_empty() => {
                    return Err(format!("no diagnostics expected:\n{stderr}"))
                }
                None => {}
            }
        }
    }
    Ok(())
}

/// Diagnostic lines as `severity[code] FILE#POINTER: message`: a line that starts with its
/// position (`FILE:LINE:COL: severity[code] #POINTER: message`) is rewritten so, after checking
/// that the position is two numbers.
fn without_positions(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .map(|l| {
            let Some(at) = l.find(": error[").or_else(|| l.find(": warning[")) else {
                return l.to_string();
            };
            let (place, rest) = (&l[..at], &l[at + 2..]);
            let mut parts = place.rsplitn(3, ':');
            let (column, line, file) = (parts.next(), parts.next(), parts.next());
            let numbers = [column, line]
                .iter()
                .all(|n| n.is_some_and(|n| n.parse::<usize>().is_ok()));
            let (Some(file), true) = (file, numbers) else {
                return l.to_string();
            };
            let Some((head, tail)) = rest.split_once(']') else {
                return l.to_string();
            };
            match tail.strip_prefix(" #") {
                Some(tail) => format!("{head}] {file}#{tail}"),
                None => format!("{head}] {file}{tail}"),
            }
        })
        .collect()
}

#[test]
fn hostile_inputs_are_refused_cleanly() {
    let cases = cases();
    assert!(cases.len() >= 20);
    let table = std::env::var_os("HOOKBRIDGE_HOSTILE_TABLE").map(PathBuf::from);
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for case in &cases {
        let work = tempfile::tempdir().unwrap();
        if let Err(e) = check(case, work.path()) {
            failures.push(format!("--- {}: {e}", case.name));
        }
        if table.is_some() {
            let work = tempfile::tempdir().unwrap();
            rows.push(measure(case, work.path()));
        }
    }
    if let Some(path) = table {
        write_table(&path, &rows);
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// An existing output file survives a failed conversion, and so does the input when `-o`
/// names it.
#[test]
fn existing_files_are_untouched_on_error() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let previous = "previous output\n";
    let out = write(dir, "events.yaml", previous);
    for input in [
        hostile_dir().join("duplicate-keys.yaml"),
        hostile_dir().join("refs/cycle-path-item/openapi.yaml"),
    ] {
        let output = Command::cargo_bin("hookbridge")
            .unwrap()
            .arg("convert")
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .timeout(HANG)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), previous);
    }
    // `-o` naming the (bad) input itself.
    let bad = write(dir, "bad.yaml", "openapi: 3.1.0\nopenapi: 3.1.0\n");
    let output = Command::cargo_bin("hookbridge")
        .unwrap()
        .arg("convert")
        .arg(&bad)
        .arg("-o")
        .arg(&bad)
        .timeout(HANG)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&bad).unwrap(),
        "openapi: 3.1.0\nopenapi: 3.1.0\n"
    );
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["bad.yaml", "events.yaml"], "no temporary file left");
}

// ---- measuring (tests/hostile/measure.sh) ----

struct Row {
    name: &'static str,
    exit: String,
    seconds: String,
    max_rss_mib: String,
}

/// Runs the case once more under `/usr/bin/time` for its wall time and peak memory.
fn measure(case: &Case, work: &Path) -> Row {
    let input = (case.input)(work);
    let out = work.join("out.yaml");
    let times = work.join("time.txt");
    let mut cmd = std::process::Command::new("/usr/bin/time");
    cmd.arg("-o")
        .arg(&times)
        .arg("-f")
        .arg("%e %M")
        .arg(assert_cmd::cargo::cargo_bin("hookbridge"))
        .arg("convert")
        .arg(&input.path)
        .arg("-o")
        .arg(&out)
        .args(&input.args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let status = match &input.stdin {
        Some(data) => {
            let mut child = cmd.stdin(std::process::Stdio::piped()).spawn().unwrap();
            let mut stdin = child.stdin.take().unwrap();
            let _ = stdin.write_all(data); // the binary stops reading at the limit
            drop(stdin);
            child.wait().unwrap()
        }
        None => cmd.status().unwrap(),
    };
    let text = std::fs::read_to_string(&times).unwrap_or_default();
    let last = text.lines().last().unwrap_or("").to_string();
    let mut parts = last.split_whitespace();
    let seconds = parts.next().unwrap_or("?").to_string();
    let max_rss_mib = parts
        .next()
        .and_then(|k| k.parse::<f64>().ok())
        .map_or("?".into(), |k| format!("{:.1}", k / 1024.0));
    Row {
        name: case.name,
        exit: status.code().map_or("signal".into(), |c| c.to_string()),
        seconds,
        max_rss_mib,
    }
}

fn write_table(path: &Path, rows: &[Row]) {
    let mut out = String::from("| case | exit | wall s | max RSS MiB |\n|---|---|---|---|\n");
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.name.replace('|', "\\|"),
            r.exit,
            r.seconds,
            r.max_rss_mib
        ));
    }
    std::fs::write(path, out).unwrap();
}
