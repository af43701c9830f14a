//! A terminal rendering of a position: the source line with a caret under the column.

/// A source snippet for a terminal: the line before, the line, and a caret under the column.
///
/// ```text
///   4 |   ping:
///   5 |     post:
///     |     ^
/// ```
///
/// Long lines are cut to a window around the column, and control characters (terminal escape
/// sequences in a hostile document) are shown as `\u{fffd}`. Empty when `line` is not in the text.
pub fn render_snippet(text: &str, line: usize, column: usize) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    if line == 0 || line > lines.len() {
        return String::new();
    }
    // A text ending with a newline has no line after it.
    if line == lines.len() && lines[line - 1].is_empty() && line > 1 {
        return String::new();
    }
    let width = line.to_string().len();
    let mut out = String::new();
    if line > 1 {
        let (shown, _) = window(lines[line - 2], column);
        out.push_str(&format!("{:>width$} | {}\n", line - 1, shown));
    }
    let (shown, caret) = window(lines[line - 1], column);
    out.push_str(&format!("{:>width$} | {}\n", line, shown));
    out.push_str(&format!("{:>width$} | {}^\n", "", caret));
    out
}

/// Widest part of a line shown by [`render_snippet`], in characters.
const SNIPPET_WIDTH: usize = 100;

/// The visible part of `line` around `column` and the padding that puts a caret under it.
fn window(line: &str, column: usize) -> (String, String) {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let chars: Vec<char> = line.chars().collect();
    let col = column.max(1) - 1; // 0-based
    let col = col.min(chars.len());
    let (start, end) = if chars.len() <= SNIPPET_WIDTH {
        (0, chars.len())
    } else {
        let start = col
            .saturating_sub(SNIPPET_WIDTH / 2)
            .min(chars.len() - SNIPPET_WIDTH);
        (start, start + SNIPPET_WIDTH)
    };
    let clean = |c: char| {
        if c.is_control() && c != '\t' {
            '\u{fffd}'
        } else {
            c
        }
    };
    let mut shown = String::new();
    let mut caret = String::new();
    if start > 0 {
        shown.push('…');
        caret.push(' ');
    }
    for (i, &c) in chars[start..end].iter().enumerate() {
        shown.push(clean(c));
        if start + i < col {
            caret.push(if c == '\t' { '\t' } else { ' ' });
        }
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}
