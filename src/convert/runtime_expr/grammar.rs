//! The grammar of one runtime expression (`$url`, `$request.body#/a`, ...), with errors
//! that say what to write instead.

use super::{ExprError, Expression, Source};

const ROOTS_HINT: &str = "expected one of `$url`, `$method`, `$statusCode`, \
                          `$request.<source>` or `$response.<source>`";
const SOURCES_HINT: &str = "one of `header.`, `query.`, `path.` or `body`";
pub(super) const TCHAR_PUNCT: &str = "!#$%&'*+-.^_`|~";

/// Parses `text` as one expression; `base` is its byte offset in the whole input,
/// so errors point into the string the user wrote.
pub(super) fn parse_expr(text: &str, base: usize) -> Result<Expression, ExprError> {
    let Some(rest) = text.strip_prefix('$') else {
        return Err(ExprError::new(
            base,
            format!("expected `$` at the start of an expression, found `{text}`"),
        ));
    };
    match rest {
        "url" => return Ok(Expression::Url),
        "method" => return Ok(Expression::Method),
        "statusCode" => return Ok(Expression::StatusCode),
        _ => {}
    }
    if let Some(src) = rest.strip_prefix("request.") {
        return parse_source(text, src, base + 9).map(Expression::Request);
    }
    if let Some(src) = rest.strip_prefix("response.") {
        return parse_source(text, src, base + 10).map(Expression::Response);
    }
    Err(root_error(text, rest, base))
}

/// Explains why the part after `$` is not a known expression root.
fn root_error(text: &str, rest: &str, base: usize) -> ExprError {
    let word_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let (word, after) = rest.split_at(word_len);
    let at = base + 1;
    if word.is_empty() {
        return ExprError::new(
            at,
            format!("missing expression name after `$`: {ROOTS_HINT}"),
        );
    }
    if word == "request" || word == "response" {
        return ExprError::new(
            at + word_len,
            format!("expected `.` and a source after `${word}`: {SOURCES_HINT}"),
        );
    }
    if matches!(word, "url" | "method" | "statusCode") {
        return ExprError::new(
            at + word_len,
            format!("unexpected `{after}` after `${word}`: `${word}` takes no name or pointer"),
        );
    }
    let known = ["url", "method", "statusCode", "request", "response"];
    let case_hint = match known.iter().find(|k| k.eq_ignore_ascii_case(word)) {
        Some(k) => format!(" (names are case-sensitive: did you mean `${k}`?)"),
        None => String::new(),
    };
    ExprError::new(
        at,
        format!("unknown expression `{text}`: {ROOTS_HINT}{case_hint}"),
    )
}

/// Parses the part after `$request.` / `$response.`; `at` is its offset in the input.
fn parse_source(text: &str, src: &str, at: usize) -> Result<Source, ExprError> {
    if let Some(tok) = src.strip_prefix("header.") {
        return parse_header(tok, at + 7).map(Source::Header);
    }
    if let Some(name) = src.strip_prefix("query.") {
        return Ok(Source::Query(name.to_string()));
    }
    if let Some(name) = src.strip_prefix("path.") {
        return Ok(Source::Path(name.to_string()));
    }
    if let Some(after) = src.strip_prefix("body") {
        return parse_body(text, after, at + 4).map(Source::Body);
    }
    Err(source_error(src, at))
}

/// Explains why `src` does not start with a known source.
fn source_error(src: &str, at: usize) -> ExprError {
    let word_len = src.find(['.', '#']).unwrap_or(src.len());
    let word = &src[..word_len];
    if matches!(word, "header" | "query" | "path") {
        let what = if word == "header" {
            "a header name"
        } else {
            "a parameter name"
        };
        return ExprError::new(
            at + word_len,
            format!("expected `.` and {what} after `{word}`, e.g. `{word}.name`"),
        );
    }
    if word.is_empty() {
        return ExprError::new(at, format!("missing source: expected {SOURCES_HINT}"));
    }
    ExprError::new(
        at,
        format!("unknown source `{word}`: expected {SOURCES_HINT}"),
    )
}

/// Checks a header name: `token = 1*tchar` (RFC 7230).
fn parse_header(tok: &str, at: usize) -> Result<String, ExprError> {
    if tok.is_empty() {
        return Err(ExprError::new(
            at,
            "expected a header name after `header.`, e.g. `header.X-Callback-Url`",
        ));
    }
    let is_tchar = |c: char| c.is_ascii_alphanumeric() || TCHAR_PUNCT.contains(c);
    if let Some((i, c)) = tok.char_indices().find(|&(_, c)| !is_tchar(c)) {
        return Err(ExprError::new(
            at + i,
            format!(
                "invalid character {c:?} in header name `{tok}`: a header name may only \
                 contain letters, digits and {TCHAR_PUNCT}"
            ),
        ));
    }
    Ok(tok.to_string())
}

/// Parses what follows `body`: nothing, or `#` and a JSON pointer.
fn parse_body(text: &str, after: &str, at: usize) -> Result<Option<String>, ExprError> {
    if after.is_empty() {
        return Ok(None);
    }
    let prefix = &text[..text.len() - after.len()];
    let Some(ptr) = after.strip_prefix('#') else {
        return Err(ExprError::new(
            at,
            format!(
                "expected `#` and a JSON pointer after `body`: write `{prefix}#{}`",
                pointer_fix(after)
            ),
        ));
    };
    check_pointer(ptr, at + 1).map_err(|mut e| {
        if e.message.is_empty() {
            e.message = format!(
                "a JSON pointer must start with `/`: write `{prefix}#{}`",
                pointer_fix(ptr)
            );
        }
        e
    })?;
    Ok(Some(ptr.to_string()))
}

/// Turns a dotted path (`.a.b`) or a slash-less one (`a`) into a JSON pointer.
fn pointer_fix(bad: &str) -> String {
    match bad.strip_prefix('.') {
        Some(dotted) => format!("/{}", dotted.replace('.', "/")),
        None => format!("/{bad}"),
    }
}

/// Validates a JSON pointer. A missing leading `/` yields an empty message,
/// which the caller fills in because only it knows the whole expression.
fn check_pointer(ptr: &str, at: usize) -> Result<(), ExprError> {
    if !ptr.is_empty() && !ptr.starts_with('/') {
        return Err(ExprError::new(at, String::new()));
    }
    let mut chars = ptr.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '~' && !matches!(chars.peek(), Some((_, '0' | '1'))) {
            return Err(ExprError::new(
                at + i,
                "`~` in a JSON pointer must be followed by `0` (for a literal `~`) \
                 or `1` (for a literal `/`)",
            ));
        }
    }
    Ok(())
}
