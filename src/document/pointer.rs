//! JSON Pointers (RFC 6901) and `$ref` fragments.

/// Escapes one reference token: `~` -> `~0`, `/` -> `~1`.
pub fn escape(token: &str) -> String {
    if !token.contains(['~', '/']) {
        return token.to_string();
    }
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one reference token.
pub fn unescape(token: &str) -> String {
    if !token.contains('~') {
        return token.to_string();
    }
    token.replace("~1", "/").replace("~0", "~")
}

/// Builds a pointer from raw tokens: `["paths", "/a"]` -> `/paths/~1a`.
pub fn join<I, S>(tokens: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for t in tokens {
        out.push('/');
        out.push_str(&escape(t.as_ref()));
    }
    out
}

/// Appends one raw token to a pointer.
pub fn push(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    out.push_str(&escape(token));
    out
}

/// Appends several raw tokens to a pointer.
pub fn join_to<I, S>(pointer: &str, tokens: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = pointer.to_string();
    out.push_str(&join(tokens));
    out
}

/// Splits a pointer into raw tokens; `None` when it does not start with `/` (and is not empty).
pub fn split(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(rest.split('/').map(unescape).collect())
}

/// Percent-encodes the characters a URI fragment may not hold, so a pointer can follow `#`.
pub fn to_fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + 1);
    out.push('#');
    for c in pointer.chars() {
        if c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Decodes a `#...` fragment (percent-decoding) into a pointer; `None` if not a local pointer.
pub fn from_fragment(reference: &str) -> Option<String> {
    let frag = reference.strip_prefix('#')?;
    percent_decode(frag)
}

/// Percent-decodes `s`; `None` when an escape is malformed or the result is not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_joins() {
        assert_eq!(join(["paths", "/a/{b}", "x~y"]), "/paths/~1a~1{b}/x~0y");
        assert_eq!(
            split("/paths/~1a~1{b}/x~0y").unwrap(),
            ["paths", "/a/{b}", "x~y"]
        );
        assert_eq!(split("").unwrap(), Vec::<String>::new());
        assert!(split("paths").is_none());
    }

    #[test]
    fn fragments_round_trip() {
        let p = "/paths/~1a~1{b}/post/callbacks/on data";
        let f = to_fragment(p);
        assert_eq!(f, "#/paths/~1a~1%7Bb%7D/post/callbacks/on%20data");
        assert_eq!(from_fragment(&f).unwrap(), p);
        assert!(from_fragment("#/a%2").is_none());
        assert!(from_fragment("other.yaml#/a").is_none());
    }
}
