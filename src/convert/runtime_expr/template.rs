//! Callback keys: a bare expression, or literal text with `{$expr}` parts; parsing and
//! printing back byte for byte.

use std::fmt;

use super::grammar::parse_expr;
use super::{ExprError, Expression, Segment, Template};

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
