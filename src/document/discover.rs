//! Finding documents on disk without reading them whole: the files under a folder that may
//! hold YAML or JSON, and a sniff of a root key's value (`openapi: 3.1.0`). Batch conversion
//! and the test corpora use the same rules.

use std::io::Read as _;
use std::path::{Path, PathBuf};

/// How much of a file a sniff reads at most; the first chunk is usually enough.
const SNIFF_BYTES: u64 = 256 * 1024;
const FIRST_CHUNK: u64 = 8 * 1024;

/// `.yaml`, `.yml` and `.json` files under `dir`, recursively and sorted; hidden entries,
/// `node_modules` and symbolic links to folders are left out.
pub fn document_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "node_modules" {
            continue;
        }
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            walk(&path, out);
        } else if (ft.is_file() || (ft.is_symlink() && path.is_file()))
            && has_document_extension(&path)
        {
            out.push(path);
        }
    }
}

pub fn has_document_extension(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// A root document: a document file with a top-level `openapi` or `asyncapi` key. A file that
/// does not parse but has such a key is one, and its conversion says what is wrong with it.
pub fn is_root_document(path: &Path) -> bool {
    has_document_extension(path) && sniff(path, &["openapi", "asyncapi"]).is_some()
}

/// The value of the top-level `key` of the document at `path` (`"3.1.0"`), or `None`.
pub fn top_level_value(path: &Path, key: &str) -> Option<String> {
    sniff(path, &[key])
}

/// The value of the first of `keys` found at the top of the document: a cheap sniff of the
/// first 256 KiB, not a parse. For JSON (text starting with `{`) a key at depth 1; for YAML a
/// line starting with the key (quoted or not). The first 8 KiB are tried alone.
fn sniff(path: &Path, keys: &[&str]) -> Option<String> {
    let mut reader = std::fs::File::open(path).ok()?.take(SNIFF_BYTES);
    let mut buf = Vec::new();
    for chunk in [FIRST_CHUNK, SNIFF_BYTES] {
        let read = (&mut reader)
            .take(chunk - buf.len() as u64)
            .read_to_end(&mut buf)
            .ok()?;
        if let Some(v) = keys.iter().find_map(|k| top_level_scalar(&buf, k)) {
            return Some(v);
        }
        if read == 0 {
            break;
        }
    }
    None
}

fn top_level_scalar(buf: &[u8], key: &str) -> Option<String> {
    let text = String::from_utf8_lossy(buf);
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        json_top_level_scalar(text.as_bytes(), key)
    } else {
        yaml_top_level_scalar(text, key)
    }
}

fn yaml_top_level_scalar(text: &str, key: &str) -> Option<String> {
    let spellings = [
        format!("{key}:"),
        format!("\"{key}\":"),
        format!("'{key}':"),
    ];
    text.lines().find_map(|line| {
        let rest = spellings
            .iter()
            .find_map(|k| line.strip_prefix(k.as_str()))?;
        let value = rest.split(" #").next().unwrap_or("").trim();
        Some(value.trim_matches(|c| c == '"' || c == '\'').to_owned())
    })
}

/// `"key": <scalar>` at depth 1 of a JSON text (possibly cut): the string's contents, or the
/// raw token of another scalar.
fn json_top_level_scalar(bytes: &[u8], key: &str) -> Option<String> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let (s, end) = json_string(bytes, i)?;
                i = end;
                let mut j = i;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if depth == 1 && s == key && bytes.get(j) == Some(&b':') {
                    return Some(json_value_after(bytes, j + 1));
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn json_value_after(bytes: &[u8], mut j: usize) -> String {
    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
        j += 1;
    }
    if bytes.get(j) == Some(&b'"') {
        return json_string(bytes, j).map(|(v, _)| v).unwrap_or_default();
    }
    let end = bytes[j..]
        .iter()
        .position(|b| matches!(b, b',' | b'}' | b'\n' | b'\r' | b' '))
        .map_or(bytes.len(), |p| j + p);
    String::from_utf8_lossy(&bytes[j..end]).into_owned()
}

/// The (unescaped enough for keys) contents of the JSON string starting at `bytes[start]`, and
/// the index just past its closing quote.
fn json_string(bytes: &[u8], start: usize) -> Option<(String, usize)> {
    let mut i = start + 1;
    let mut s = Vec::new();
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                if let Some(&c) = bytes.get(i + 1) {
                    s.push(c);
                }
                i += 2;
            }
            b'"' => return Some((String::from_utf8_lossy(&s).into_owned(), i + 1)),
            c => {
                s.push(c);
                i += 1;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str, key: &str) -> Option<String> {
        json_top_level_scalar(text.as_bytes(), key)
    }

    #[test]
    fn json_keys_count_only_at_the_top() {
        let doc = r#"{"info": {"x": 1}, "openapi" : "3.1.0"}"#;
        assert_eq!(json(doc, "openapi").as_deref(), Some("3.1.0"));
        assert_eq!(
            json(r#"{"asyncapi":"3.0.0"}"#, "asyncapi").as_deref(),
            Some("3.0.0")
        );
        assert_eq!(json(r#"{"info": {"openapi": "3.1.0"}}"#, "openapi"), None);
        assert_eq!(
            json(r#"{"a": "openapi", "b": ["openapi"]}"#, "openapi"),
            None
        );
        assert_eq!(json(r#"{"a\"openapi": 1}"#, "openapi"), None);
        assert_eq!(
            json(r#"{"openapi": 3.1, "x": 1}"#, "openapi").as_deref(),
            Some("3.1")
        );
    }

    #[test]
    fn yaml_keys_at_the_start_of_a_line() {
        let y = |t: &str| yaml_top_level_scalar(t, "openapi");
        assert_eq!(
            y("info: {}\nopenapi: 3.0.3 # c\n").as_deref(),
            Some("3.0.3")
        );
        assert_eq!(y("'openapi': \"3.1.0\"\n").as_deref(), Some("3.1.0"));
        assert_eq!(y("info:\n  openapi: 3.1.0\n"), None);
    }

    #[test]
    fn a_key_past_the_first_chunk_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("late.yaml");
        let padding = "x-pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n".repeat(400);
        std::fs::write(&path, format!("{padding}asyncapi: 3.0.0\n")).unwrap();
        assert!(is_root_document(&path));
        assert_eq!(top_level_value(&path, "openapi"), None);
    }
}
