//! The slug rules of each renderer, reproduced so the manifest can name their entries.
//!
//! Each function cites the renderer code it follows; `tests/js/check-nav-targets.mjs` checks
//! the results against the renderers themselves.

use super::charmap::CHARMAP;

/// Redoc 3 `Ss`: npm `slugify` with its defaults, falling back to a plain lower-case form when
/// that leaves nothing. Callers lower-case the result, as Redoc does.
pub fn redoc_slug(text: &str) -> String {
    let slug = simov_slugify(text);
    if !slug.is_empty() {
        return slug;
    }
    redoc_fallback(text)
}

/// npm `slugify` (simov) with default options: map characters, drop the ones outside
/// `[\w\s$*_+~.()'"!\-:@]`, trim, and join whitespace runs with `-`.
fn simov_slugify(text: &str) -> String {
    let mut mapped = String::with_capacity(text.len());
    for c in text.chars() {
        let replacement = CHARMAP
            .binary_search_by(|(k, _)| k.cmp(&c))
            .ok()
            .map(|i| CHARMAP[i].1);
        match replacement {
            Some("-") => mapped.push(' '),
            Some(r) => mapped.extend(r.chars().filter(|&c| simov_keeps(c))),
            None if c == '-' => mapped.push(' '),
            None if simov_keeps(c) => mapped.push(c),
            None => {}
        }
    }
    join_whitespace(mapped.trim_matches(js_whitespace), "-")
}

fn simov_keeps(c: char) -> bool {
    c.is_ascii_alphanumeric() || js_whitespace(c) || "_$*+~.()'\"!-:@".contains(c)
}

/// JavaScript's `\s` (and `String.prototype.trim`).
fn js_whitespace(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

fn join_whitespace(text: &str, sep: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if js_whitespace(c) {
            if !in_space {
                out.push_str(sep);
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// The second half of Redoc's `Ss`, used when slugify returns an empty string.
fn redoc_fallback(text: &str) -> String {
    let lower = join_whitespace(&text.to_lowercase(), "-").replace('&', "-and-");
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    let trimmed = out.trim_start_matches('-');
    // `(?<!-)-+$` never matches after the collapse above, except a lone trailing `-`.
    match trimmed.strip_suffix('-') {
        Some(rest) if !rest.ends_with('-') && !rest.is_empty() => rest.to_string(),
        _ => trimmed.to_string(),
    }
}

/// Redoc 3 `Os`: joins two route parts with one `/`.
pub fn redoc_join(a: &str, b: &str) -> String {
    let a = if a.ends_with('/') && a != "/" {
        &a[..a.len() - 1]
    } else {
        a
    };
    let b = b.strip_prefix('/').unwrap_or(b);
    if a.is_empty() || b.is_empty() || a == "/" {
        format!("{a}{b}")
    } else {
        format!("{a}/{b}")
    }
}

/// Redoc 3 `ks`: a leading `/`, no trailing one.
pub fn redoc_route(path: &str) -> String {
    let mut p = path.to_string();
    if p.len() > 1 && p.ends_with('/') {
        p.pop();
    }
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    p
}

/// Redoc 3 `bs`: backslashes are percent-encoded.
pub fn redoc_backslash(text: &str) -> String {
    text.replace('\\', "%5C")
}

/// Redoc 3 `ye`: joins URL segments, trimming the slashes between them (AsyncAPI routes).
pub fn redoc_url_join(parts: &[&str]) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            out.push_str(part);
            continue;
        }
        if part.is_empty() {
            continue;
        }
        trim_trailing_separators(&mut out);
        out.push('/');
        out.push_str(part.trim_start_matches(['/', '\\']));
    }
    out
}

/// `(?<![/\\])[/\\]+$`: a trailing run of separators, unless the run is preceded by one
/// (which cannot happen for a maximal run), so the whole run goes.
fn trim_trailing_separators(s: &mut String) {
    while s.ends_with(['/', '\\']) {
        s.pop();
    }
}

/// Scalar's `slugify` (`@scalar/helpers/string/slugify`): letters, marks, numbers, spaces,
/// `_` and `-` survive (plus `allowed`), runs of spaces, `_` and `-` become one `-`.
pub fn scalar_slug(text: &str, allowed: &str, preserve_case: bool) -> String {
    let head: String = text.chars().take(255).collect();
    let trimmed = head.trim_matches(js_whitespace);
    let cased = if preserve_case {
        trimmed.to_string()
    } else {
        trimmed.to_lowercase()
    };
    let mut out = String::with_capacity(cased.len());
    let mut pending_dash = false;
    for c in cased.chars() {
        let separator = js_whitespace(c) || c == '_' || c == '-';
        if separator {
            pending_dash = true;
            continue;
        }
        if !(c.is_alphanumeric() || allowed.contains(c) || is_combining_mark(c)) {
            continue;
        }
        if pending_dash && !out.is_empty() {
            out.push('-');
        }
        pending_dash = false;
        out.push(c);
    }
    out
}

/// The common combining-mark blocks (`\p{M}` without a Unicode table).
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36f | 0x1ab0..=0x1aff | 0x1dc0..=0x1dff | 0x20d0..=0x20ff | 0xfe20..=0xfe2f)
}

/// lodash `kebabCase` (docusaurus-openapi-docs doc ids): words split at case changes,
/// digit runs and anything that is not a letter or digit, lower-cased, joined with `-`.
pub fn kebab(text: &str) -> String {
    words(text)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("-")
}

fn words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().filter(|c| *c != '\'' && *c != '’').collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            flush(&mut cur, &mut out);
            continue;
        }
        if let Some(&prev) = i.checked_sub(1).and_then(|j| chars.get(j)) {
            if word_break(prev, c, chars.get(i + 1).copied()) {
                flush(&mut cur, &mut out);
            }
        }
        cur.push(c);
    }
    flush(&mut cur, &mut out);
    out
}

fn word_break(prev: char, c: char, next: Option<char>) -> bool {
    let digit_change = prev.is_numeric() != c.is_numeric();
    let lower_to_upper = prev.is_lowercase() && c.is_uppercase();
    let acronym_end =
        prev.is_uppercase() && c.is_uppercase() && next.is_some_and(char::is_lowercase);
    prev.is_alphanumeric() && (digit_change || lower_to_upper || acronym_end)
}

fn flush(cur: &mut String, out: &mut Vec<String>) {
    if !cur.is_empty() {
        out.push(std::mem::take(cur));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redoc_slugs_match_observed_routes() {
        assert_eq!(
            redoc_slug("Pets & Owners").to_lowercase(),
            "pets-and-owners"
        );
        assert_eq!(redoc_slug("Émile Zola").to_lowercase(), "emile-zola");
        assert_eq!(redoc_slug("order-events"), "order-events");
        assert_eq!(redoc_slug("Ünïcode Name").to_lowercase(), "unicode-name");
        assert_eq!(redoc_slug("Pet_Thing").to_lowercase(), "pet_thing");
        assert_eq!(redoc_join("/", "orders"), "/orders");
        assert_eq!(redoc_join("/orders", "listorders"), "/orders/listorders");
        assert_eq!(redoc_route("other/x"), "/other/x");
        assert_eq!(
            redoc_url_join(&["/", "channels", "orderCreated"]),
            "/channels/orderCreated"
        );
    }

    #[test]
    fn scalar_slugs_match_observed_ids() {
        assert_eq!(scalar_slug("Pets & Owners", "", false), "pets-owners");
        assert_eq!(scalar_slug("Émile Zola", "", false), "émile-zola");
        assert_eq!(scalar_slug("pet.created", ".", false), "pet.created");
        assert_eq!(scalar_slug("pet/updated", ".", false), "petupdated");
        assert_eq!(scalar_slug("Pet_Thing", "", true), "Pet-Thing");
        assert_eq!(scalar_slug("Ünïcode Name", "", true), "Ünïcode-Name");
    }

    #[test]
    fn kebab_follows_lodash() {
        assert_eq!(kebab("createSubscription"), "create-subscription");
        assert_eq!(kebab("XMLHttpRequest"), "xml-http-request");
        assert_eq!(kebab("order.created v2"), "order-created-v-2");
        assert_eq!(kebab("Orders API"), "orders-api");
    }
}
