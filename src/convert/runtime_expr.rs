//! OpenAPI runtime expressions (OAS 3.0.3 / 3.1.x), as used in callback keys.
//!
//! A callback key is either a *bare* expression (the whole string starts with `$`,
//! e.g. `$request.body#/url`) or a *template*: literal text with zero or more
//! expressions embedded in braces, e.g. `{$request.query.callbackUrl}/data`.
//!
//! Parsing keeps the exact source text, so `Display` reproduces the input byte for
//! byte; converters can rewrite keys without disturbing the parts they do not touch.

use std::fmt;

/// Where a `$request.` / `$response.` expression reads its value from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `header.<token>`
    Header(String),
    /// `query.<name>`
    Query(String),
    /// `path.<name>`
    Path(String),
    /// `body` (`None`) or `body#<json-pointer>` (`Some`, pointer kept escaped as written).
    Body(Option<String>),
}

/// One runtime expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expression {
    Url,
    Method,
    StatusCode,
    Request(Source),
    Response(Source),
}

/// A piece of a template: literal text or an embedded `{expression}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    Expr(Expression),
}

/// A parsed callback key. `bare` means the whole key was one expression without braces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub bare: bool,
    pub segments: Vec<Segment>,
}

/// A parse failure, with the byte offset in the input where the problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub offset: usize,
    pub message: String,
}

impl ExprError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        ExprError {
            offset,
            message: message.into(),
        }
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for ExprError {}

const ROOTS_HINT: &str = "expected one of `$url`, `$method`, `$statusCode`, \
                          `$request.<source>` or `$response.<source>`";
const SOURCES_HINT: &str = "one of `header.`, `query.`, `path.` or `body`";
const TCHAR_PUNCT: &str = "!#$%&'*+-.^_`|~";

impl Expression {
    /// Parses a string that must consist of exactly one expression (no braces).
    pub fn parse(s: &str) -> Result<Expression, ExprError> {
        parse_expr(s, 0)
    }

    /// A short readable name for a channel parameter, restricted to `[A-Za-z0-9_-]`.
    pub fn suggested_name(&self) -> String {
        let raw = match self {
            Expression::Url => "url".to_string(),
            Expression::Method => "method".to_string(),
            Expression::StatusCode => "statusCode".to_string(),
            Expression::Request(src) | Expression::Response(src) => source_name(src),
        };
        sanitize_name(&raw)
    }

    /// The source of a `$request.` / `$response.` expression, if any.
    pub fn source(&self) -> Option<&Source> {
        match self {
            Expression::Request(src) | Expression::Response(src) => Some(src),
            _ => None,
        }
    }
}

/// The raw (unsanitized) name a source suggests.
fn source_name(src: &Source) -> String {
    match src {
        Source::Header(n) | Source::Query(n) | Source::Path(n) => n.clone(),
        // The last non-empty pointer token names the value best; `#/` has none.
        Source::Body(ptr) => ptr
            .as_deref()
            .and_then(|p| p.split('/').rev().find(|t| !t.is_empty()))
            .map(unescape_token)
            .unwrap_or_else(|| "body".to_string()),
    }
}

/// Replaces characters outside `[A-Za-z0-9_-]` with `_`; empty becomes `param`.
fn sanitize_name(raw: &str) -> String {
    let out: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() {
        "param".to_string()
    } else {
        out
    }
}

/// RFC 6901 unescaping of one reference token (`~1` before `~0`, per the RFC).
fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Header(n) => write!(f, "header.{n}"),
            Source::Query(n) => write!(f, "query.{n}"),
            Source::Path(n) => write!(f, "path.{n}"),
            Source::Body(None) => f.write_str("body"),
            Source::Body(Some(p)) => write!(f, "body#{p}"),
        }
    }
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expression::Url => f.write_str("$url"),
            Expression::Method => f.write_str("$method"),
            Expression::StatusCode => f.write_str("$statusCode"),
            Expression::Request(src) => write!(f, "$request.{src}"),
            Expression::Response(src) => write!(f, "$response.{src}"),
        }
    }
}

/// Parses `text` as one expression; `base` is its byte offset in the whole input,
/// so errors point into the string the user wrote.
fn parse_expr(text: &str, base: usize) -> Result<Expression, ExprError> {
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

impl Template {
    /// Parses a callback key: a bare expression, or literal text with `{$expr}` parts.
    pub fn parse(s: &str) -> Result<Template, ExprError> {
        // `${...}` is a misplaced `$`, not a bare expression; let the template
        // parser explain it.
        if s.starts_with('$') && !s.starts_with("${") {
            let expr = parse_expr(s, 0)?;
            return Ok(Template {
                bare: true,
                segments: vec![Segment::Expr(expr)],
            });
        }
        parse_template(s)
    }

    /// The expressions in the key, in order of appearance.
    pub fn expressions(&self) -> impl Iterator<Item = &Expression> {
        self.segments.iter().filter_map(|seg| match seg {
            Segment::Expr(e) => Some(e),
            Segment::Literal(_) => None,
        })
    }
}

/// Parses literal text with embedded `{$expr}` parts.
fn parse_template(s: &str) -> Result<Template, ExprError> {
    let mut segments = Vec::new();
    let mut pos = 0;
    while let Some(i) = s[pos..].find(['{', '}']) {
        let open = pos + i;
        if s[open..].starts_with('}') {
            return Err(ExprError::new(
                open,
                "unmatched `}`: a `}` may only close an expression opened with `{`",
            ));
        }
        let close = find_close(s, open)?;
        let inner = &s[open + 1..close];
        check_braced(s, open, inner)?;
        push_literal(&mut segments, &s[pos..open]);
        segments.push(Segment::Expr(parse_expr(inner, open + 1)?));
        pos = close + 1;
    }
    push_literal(&mut segments, &s[pos..]);
    Ok(Template {
        bare: false,
        segments,
    })
}

fn push_literal(segments: &mut Vec<Segment>, text: &str) {
    if !text.is_empty() {
        segments.push(Segment::Literal(text.to_string()));
    }
}

/// Finds the first `}` after the `{` at `open`; a `{` before it means a `}` is missing.
fn find_close(s: &str, open: usize) -> Result<usize, ExprError> {
    let body_start = open + 1;
    match s[body_start..].find(['{', '}']) {
        Some(j) if s[body_start + j..].starts_with('}') => Ok(body_start + j),
        Some(j) => Err(ExprError::new(
            body_start + j,
            format!(
                "found `{{` inside the expression opened at byte {open}: \
                 close that expression with `}}` first"
            ),
        )),
        None => Err(ExprError::new(
            open,
            format!(
                "missing `}}`: the expression `{}` is never closed; add `}}` after it",
                &s[open..]
            ),
        )),
    }
}

/// Rejects empty braces, a missing `$` inside, and a stray `$` before the `{`.
fn check_braced(s: &str, open: usize, inner: &str) -> Result<(), ExprError> {
    if inner.is_empty() {
        return Err(ExprError::new(
            open,
            "empty braces `{}`: expected an expression such as `{$request.body#/url}`",
        ));
    }
    let has_dollar = inner.starts_with('$');
    let fixed = if has_dollar {
        inner.to_string()
    } else {
        format!("${inner}")
    };
    // `${...}` (shell / JavaScript style) is the usual mistake; point at the `$`.
    if s[..open].ends_with('$') {
        let what = if has_dollar {
            "unexpected `$` before `{` (the `$` belongs inside the braces)"
        } else {
            "expected `$` at the start of an embedded expression, inside the braces \
             rather than before `{`"
        };
        return Err(ExprError::new(
            open - 1,
            format!("{what}: write `{{{fixed}}}`"),
        ));
    }
    if !has_dollar {
        return Err(ExprError::new(
            open + 1,
            format!("expected `$` at the start of an embedded expression: write `{{{fixed}}}`"),
        ));
    }
    Ok(())
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for seg in &self.segments {
            match seg {
                Segment::Literal(text) => f.write_str(text)?,
                Segment::Expr(e) if self.bare => write!(f, "{e}")?,
                Segment::Expr(e) => write!(f, "{{{e}}}")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn req(src: Source) -> Expression {
        Expression::Request(src)
    }

    fn body(p: &str) -> Expression {
        req(Source::Body(Some(p.to_string())))
    }

    fn err(s: &str) -> ExprError {
        match Template::parse(s) {
            Ok(t) => panic!("expected an error for {s:?}, got {t:?}"),
            Err(e) => e,
        }
    }

    fn roundtrip(s: &str) -> Template {
        let t = Template::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        assert_eq!(t.to_string(), s);
        t
    }

    #[test]
    fn spec_examples_parse() {
        let cases = [
            ("$url", Expression::Url),
            ("$method", Expression::Method),
            ("$statusCode", Expression::StatusCode),
            (
                "$request.path.eventType",
                req(Source::Path("eventType".into())),
            ),
            (
                "$request.query.queryUrl",
                req(Source::Query("queryUrl".into())),
            ),
            (
                "$request.header.content-type",
                req(Source::Header("content-type".into())),
            ),
            ("$request.body#/failedUrl", body("/failedUrl")),
            ("$request.body#/successUrls/1", body("/successUrls/1")),
            (
                "$response.header.Location",
                Expression::Response(Source::Header("Location".into())),
            ),
            ("$request.body", req(Source::Body(None))),
            ("$request.body#", body("")),
            ("$request.body#/", body("/")),
            ("$request.body#/a~0b~1c", body("/a~0b~1c")),
            ("$request.query.", req(Source::Query(String::new()))),
            ("$request.path.", req(Source::Path(String::new()))),
            (
                "$request.header.!#$%&'*+-.^_`|~09azAZ",
                req(Source::Header("!#$%&'*+-.^_`|~09azAZ".into())),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(Expression::parse(text), Ok(want.clone()), "{text}");
            assert_eq!(want.to_string(), text);
            let t = roundtrip(text);
            assert!(t.bare, "{text}");
            assert_eq!(t.segments, vec![Segment::Expr(want)]);
        }
    }

    #[test]
    fn bare_names_run_to_end_of_string() {
        assert_eq!(
            Expression::parse("$request.query.a}b{c"),
            Ok(req(Source::Query("a}b{c".into())))
        );
        let t = roundtrip("$request.body#/url}");
        assert_eq!(t.segments, vec![Segment::Expr(body("/url}"))]);
    }

    #[test]
    fn templates_with_expressions() {
        let t = roundtrip("{$request.query.callbackUrl}/data");
        assert!(!t.bare);
        assert_eq!(
            t.segments,
            vec![
                Segment::Expr(req(Source::Query("callbackUrl".into()))),
                Segment::Literal("/data".into()),
            ]
        );

        let s = "http://notificationServer.com?transactionId={$request.body#/id}&email={$request.body#/email}";
        let t = roundtrip(s);
        assert_eq!(
            t.segments,
            vec![
                Segment::Literal("http://notificationServer.com?transactionId=".into()),
                Segment::Expr(body("/id")),
                Segment::Literal("&email=".into()),
                Segment::Expr(body("/email")),
            ]
        );
        let exprs: Vec<_> = t.expressions().cloned().collect();
        assert_eq!(exprs, vec![body("/id"), body("/email")]);

        let t = roundtrip("{$url}{$method}{$statusCode}");
        assert_eq!(t.expressions().count(), 3);
        roundtrip("{$request.header.X-Hook}?m={$response.path.id}#frag");
        roundtrip("{$request.query.}");
        roundtrip("{$request.body}");
        roundtrip("{$request.body#}");
    }

    #[test]
    fn literal_templates() {
        let t = roundtrip("https://example.com/hook");
        assert_eq!(
            t.segments,
            vec![Segment::Literal("https://example.com/hook".into())]
        );
        assert_eq!(t.expressions().count(), 0);
        let t = roundtrip("");
        assert!(t.segments.is_empty() && !t.bare);
        roundtrip("http://x/a$b?c=d&e=:f/~");
    }

    #[test]
    fn stray_dollar_before_brace() {
        let e = err("${request.body#/callbackUrl}");
        assert_eq!(e.offset, 0);
        assert!(e
            .message
            .contains("expected `$` at the start of an embedded expression"));
        assert!(
            e.message.contains("write `{$request.body#/callbackUrl}`"),
            "{e}"
        );
        let e = err("http://x/${$request.body#/id}");
        assert_eq!(e.offset, 9);
        assert!(e.message.starts_with("unexpected `$` before `{`"), "{e}");
        assert!(e.message.contains("write `{$request.body#/id}`"), "{e}");
    }

    #[test]
    fn missing_dollar_in_braces() {
        let e = err("{request.body#/x}");
        assert_eq!(e.offset, 1);
        assert_eq!(
            e.message,
            "expected `$` at the start of an embedded expression: write `{$request.body#/x}`"
        );
    }

    #[test]
    fn unclosed_and_unmatched_braces() {
        let e = err("{$request.body#/url");
        assert_eq!(e.offset, 0);
        assert!(e.message.starts_with("missing `}`"), "{e}");
        let e = err("{$request.body#/a{$url}");
        assert_eq!(e.offset, 17);
        assert!(
            e.message.contains("close that expression with `}` first"),
            "{e}"
        );
        let e = err("http://x/}");
        assert_eq!(e.offset, 9);
        assert!(e.message.starts_with("unmatched `}`"), "{e}");
        let e = err("{$url}}");
        assert_eq!(e.offset, 6);
        let e = err("a{}b");
        assert_eq!(e.offset, 1);
        assert!(e.message.starts_with("empty braces `{}`"), "{e}");
    }

    #[test]
    fn dotted_pointers() {
        let e = Expression::parse("$request.body#.x").unwrap_err();
        assert_eq!(e.offset, 14);
        assert_eq!(
            e.message,
            "a JSON pointer must start with `/`: write `$request.body#/x`"
        );
        let e = err("{$request.body#.x.y}");
        assert_eq!(e.offset, 15);
        assert!(e.message.contains("write `$request.body#/x/y`"), "{e}");
        let e = err("$response.body.x.y");
        assert_eq!(e.offset, 14);
        assert!(e.message.contains("write `$response.body#/x/y`"), "{e}");
        let e = err("$request.body#x");
        assert!(e.message.contains("write `$request.body#/x`"), "{e}");
    }

    #[test]
    fn bad_tilde_escapes() {
        for (s, at) in [
            ("$request.body#/a~2", 16),
            ("$request.body#/a~", 16),
            ("{$request.body#/~x}", 16),
        ] {
            let e = err(s);
            assert_eq!(e.offset, at, "{s}");
            assert!(e.message.starts_with("`~` in a JSON pointer"), "{e}");
        }
    }

    #[test]
    fn bad_header_tokens() {
        let e = err("$request.header.");
        assert_eq!(e.offset, 16);
        assert!(e.message.starts_with("expected a header name"), "{e}");
        let e = err("{$request.header.}");
        assert_eq!(e.offset, 17);
        let e = err("{$request.header.X Hook}");
        assert_eq!(e.offset, 18);
        assert!(e.message.contains("invalid character ' '"), "{e}");
        let e = err("$request.header.a/b");
        assert_eq!(e.offset, 17);
    }

    #[test]
    fn unknown_roots_and_sources() {
        let e = err("$request.cookie.x");
        assert_eq!(e.offset, 9);
        assert!(e.message.starts_with("unknown source `cookie`"), "{e}");
        let e = err("$foo");
        assert_eq!(e.offset, 1);
        assert!(e.message.starts_with("unknown expression `$foo`"), "{e}");
        let e = err("$StatusCode");
        assert!(e.message.contains("did you mean `$statusCode`?"), "{e}");
        let e = err("$");
        assert_eq!(e.offset, 1);
        let e = err("$request");
        assert!(
            e.message
                .starts_with("expected `.` and a source after `$request`"),
            "{e}"
        );
        let e = err("$request.");
        assert!(e.message.starts_with("missing source"), "{e}");
        let e = err("$request.query");
        assert!(e.message.contains("after `query`"), "{e}");
        let e = err("$urlx");
        assert_eq!(e.offset, 1);
        let e = err("$url.x");
        assert!(e.message.contains("takes no name"), "{e}");
        let e = err("$request.bodyx");
        assert_eq!(e.offset, 13);
        let e = err("{$foo}");
        assert_eq!(e.offset, 2);
        let e = Expression::parse("request.body").unwrap_err();
        assert_eq!(e.offset, 0);
    }

    #[test]
    fn error_display_names_offset() {
        let e = err("{$foo}");
        assert!(e.to_string().ends_with("(at byte 2)"), "{e}");
        let _: &dyn std::error::Error = &e;
    }

    #[test]
    fn suggested_names() {
        let cases = [
            ("$request.query.callbackUrl", "callbackUrl"),
            ("$request.body#/a/b", "b"),
            ("$request.body#/a~1b~0c", "a_b_c"),
            ("$request.body#/", "body"),
            ("$request.body#", "body"),
            ("$request.body", "body"),
            ("$request.body#/items/", "items"),
            ("$request.header.X-Hook", "X-Hook"),
            ("$response.header.X.Y", "X_Y"),
            ("$url", "url"),
            ("$method", "method"),
            ("$statusCode", "statusCode"),
            ("$request.query.", "param"),
            ("$request.path.naïve", "na_ve"),
        ];
        for (text, want) in cases {
            let e = Expression::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(e.suggested_name(), want, "{text}");
        }
    }

    /// Characters allowed in a header token.
    fn tchar() -> impl Strategy<Value = char> {
        let all: Vec<char> = TCHAR_PUNCT
            .chars()
            .chain('0'..='9')
            .chain('a'..='z')
            .chain('A'..='Z')
            .collect();
        prop::sample::select(all)
    }

    /// A free-form name; inside braces it may not contain `{` or `}`.
    fn name(braced: bool) -> BoxedStrategy<String> {
        if braced {
            "[^{}]{0,8}".boxed()
        } else {
            any::<String>().boxed()
        }
    }

    /// A valid JSON pointer (possibly empty), with `~0`/`~1` escapes.
    fn pointer(braced: bool) -> impl Strategy<Value = String> {
        let unescaped = if braced { "[^/~{}]" } else { "[^/~]" };
        let piece = prop_oneof![
            4 => unescaped,
            1 => Just("~0".to_string()),
            1 => Just("~1".to_string()),
        ];
        let token = prop::collection::vec(piece, 0..5).prop_map(|v| v.concat());
        prop::collection::vec(token, 0..4)
            .prop_map(|ts| ts.iter().map(|t| format!("/{t}")).collect())
    }

    fn source(braced: bool) -> impl Strategy<Value = Source> {
        prop_oneof![
            prop::collection::vec(tchar(), 1..10)
                .prop_map(|cs| Source::Header(cs.into_iter().collect())),
            name(braced).prop_map(Source::Query),
            name(braced).prop_map(Source::Path),
            proptest::option::of(pointer(braced)).prop_map(Source::Body),
        ]
    }

    fn expression(braced: bool) -> impl Strategy<Value = Expression> {
        prop_oneof![
            Just(Expression::Url),
            Just(Expression::Method),
            Just(Expression::StatusCode),
            source(braced).prop_map(Expression::Request),
            source(braced).prop_map(Expression::Response),
        ]
    }

    /// A non-bare template in canonical form: no empty or adjacent literals, no
    /// leading `$` (that would make it bare), no `$` right before an expression.
    fn template() -> impl Strategy<Value = Template> {
        let seg = prop_oneof![
            "[^{}]{1,10}".prop_map(Segment::Literal),
            expression(true).prop_map(Segment::Expr),
        ];
        prop::collection::vec(seg, 0..6).prop_map(canonical)
    }

    fn canonical(raw: Vec<Segment>) -> Template {
        let mut segments: Vec<Segment> = Vec::new();
        for seg in raw {
            match (segments.last_mut(), seg) {
                (Some(Segment::Literal(prev)), Segment::Literal(next)) => prev.push_str(&next),
                (Some(Segment::Literal(prev)), e @ Segment::Expr(_)) => {
                    if prev.ends_with('$') {
                        prev.push('x');
                    }
                    segments.push(e);
                }
                (_, seg) => segments.push(seg),
            }
        }
        if let Some(Segment::Literal(first)) = segments.first_mut() {
            if first.starts_with('$') {
                first.insert(0, 'x');
            }
        }
        Template {
            bare: false,
            segments,
        }
    }

    proptest! {
        #[test]
        fn expression_roundtrips(e in expression(false)) {
            let text = e.to_string();
            prop_assert_eq!(Expression::parse(&text), Ok(e.clone()));
            let t = Template::parse(&text);
            prop_assert_eq!(t, Ok(Template { bare: true, segments: vec![Segment::Expr(e)] }));
        }

        #[test]
        fn braced_expression_roundtrips(e in expression(true)) {
            let text = format!("{{{e}}}");
            let t = Template::parse(&text);
            prop_assert_eq!(t, Ok(Template { bare: false, segments: vec![Segment::Expr(e)] }));
        }

        #[test]
        fn template_roundtrips(t in template()) {
            let text = t.to_string();
            let parsed = Template::parse(&text);
            prop_assert_eq!(parsed.as_ref(), Ok(&t));
            if let Ok(p) = parsed {
                prop_assert_eq!(p.to_string(), text);
            }
        }

        #[test]
        fn suggested_name_is_safe(e in expression(false)) {
            let n = e.suggested_name();
            prop_assert!(!n.is_empty());
            prop_assert!(n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
        }

        #[test]
        fn arbitrary_strings_never_panic(s in any::<String>()) {
            check_arbitrary(&s)?;
        }

        #[test]
        fn brace_heavy_strings_never_panic(s in "[{}$~/#.a]{0,24}") {
            check_arbitrary(&s)?;
        }

        #[test]
        fn near_valid_strings_never_panic(
            s in "(\\$|\\{\\$|\\{|\\}|request\\.|response\\.|body|#|/|~|header\\.|query\\.|url|x|\\.)*"
        ) {
            check_arbitrary(&s)?;
        }
    }

    /// Parsing must not panic; whatever parses must print back byte for byte,
    /// and error offsets must point inside the input on a char boundary.
    fn check_arbitrary(s: &str) -> Result<(), TestCaseError> {
        for result in [
            Template::parse(s).map(|t| t.to_string()),
            Expression::parse(s).map(|e| e.to_string()),
        ] {
            match result {
                Ok(out) => prop_assert_eq!(out, s),
                Err(e) => {
                    prop_assert!(e.offset <= s.len() && s.is_char_boundary(e.offset));
                    prop_assert!(!e.message.is_empty());
                }
            }
        }
        Ok(())
    }
}
