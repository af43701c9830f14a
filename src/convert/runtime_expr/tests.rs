//! Parsing, printing back and error messages, by example and by property.

use super::grammar::TCHAR_PUNCT;
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
    prop::collection::vec(token, 0..4).prop_map(|ts| ts.iter().map(|t| format!("/{t}")).collect())
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
