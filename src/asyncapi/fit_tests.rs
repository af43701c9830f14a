//! One test per row of docs/stricter-fields.md: the value is rewritten into the form AsyncAPI's
//! schema accepts, a finding names it, and [`restore`] gives the original back.

use serde_json::{json, Value};

use super::*;
use crate::asyncapi::{security_scheme_fitted, security_scheme_to_openapi};

fn obj(v: Value) -> Obj {
    v.as_object().cloned().unwrap_or_default()
}

/// Fits `input` as `kind`; checks the result, the finding paths, and the way back.
fn row(kind: Kind, input: Value, field: &str, want: Value, paths: &[&str]) {
    let mut o = obj(input.clone());
    let found = fit(kind, &mut o);
    assert_eq!(o.get(field), Some(&want).filter(|w| !w.is_null()), "{o:?}");
    let got: Vec<&str> = found.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(got, paths);
    restore_deep(&mut o);
    assert_eq!(Value::Object(o), input);
}

/// [`restore`] on the object and the nested ones the way back visits.
fn restore_deep(o: &mut Obj) {
    restore(o);
    for (k, v) in o.iter_mut() {
        if let Value::Object(inner) = v {
            if matches!(k.as_str(), "contact" | "license" | "externalDocs") {
                restore_deep(inner);
            }
        }
        if let (true, Value::Array(tags)) = (k == "tags", v) {
            tags.iter_mut()
                .filter_map(Value::as_object_mut)
                .for_each(restore_deep);
        }
    }
}

#[test]
fn uri_check_follows_ajv_formats() {
    for ok in [
        "https://example.com/a?b=c#d",
        "http://user:pw@host:8080/p",
        "urn:isbn:0451450523",
        "about:blank",
        "mailto:a@b.c",
        "https://relative.invalid/%7Bx%7D/oauth2/token",
    ] {
        assert!(is_uri(ok), "{ok}");
    }
    for bad in [
        "",
        "/token",
        "token",
        "{nrfApiRoot}/oauth2/token",
        "https://{host}/x",
        "https://a b",
        "zeit.co",
        "http://h:port/x",
        "https://a/%zz",
    ] {
        assert!(!is_uri(bad), "{bad}");
    }
    assert!(is_email("a.b+c@example.co.uk"));
    for bad in ["x", "a@b", "a@-b.com", "a b@c.de", "@c.de"] {
        assert!(!is_email(bad), "{bad}");
    }
}

#[test]
fn urls_are_fitted_to_absolute_uris() {
    for (from, to) in [
        (
            "{nrfApiRoot}/oauth2/token",
            "https://relative.invalid/%7BnrfApiRoot%7D/oauth2/token",
        ),
        ("/token", "https://relative.invalid/token"),
        ("//auth.example.com/t", "https://auth.example.com/t"),
        (
            "https://{tenant}.example.com/a b",
            "https://%7Btenant%7D.example.com/a%20b",
        ),
        ("", NO_URL),
        ("a#b#c", "https://relative.invalid/a#b%23c"),
        (
            "http://h:{port}/x",
            "https://relative.invalid/http://h:%7Bport%7D/x",
        ),
        ("100%", "https://relative.invalid/100%25"),
    ] {
        let got = fit_url(from);
        assert_eq!(got, to, "{from}");
        assert!(is_uri(&got), "{got}");
    }
}

#[test]
fn row_info_terms_of_service() {
    let info = json!({"title": "t", "version": "1", "termsOfService": "/terms"});
    let want = json!("https://relative.invalid/terms");
    row(
        Kind::Info,
        info,
        "termsOfService",
        want,
        &["/termsOfService"],
    );
}

#[test]
fn row_info_extensions_x_and_linkedin() {
    let info = json!({"title": "t", "version": "1", "x-x": 3, "x-linkedin": "https://example.com"});
    row(
        Kind::Info,
        info,
        "x-x",
        Value::Null,
        &["/x-x", "/x-linkedin"],
    );
    let fine = json!({"title": "t", "version": "1", "x-x": "a", "x-linkedin": "https://www.linkedin.com/in/a"});
    assert!(fit(Kind::Info, &mut obj(fine)).is_empty());
}

#[test]
fn row_contact_url_and_email() {
    let contact = json!({"name": "n", "url": "example.com", "email": "nope"});
    let want = json!("https://relative.invalid/example.com");
    row(
        Kind::Contact,
        contact.clone(),
        "url",
        want,
        &["/url", "/email"],
    );
    row(
        Kind::Contact,
        contact,
        "email",
        Value::Null,
        &["/url", "/email"],
    );
}

#[test]
fn row_license_url() {
    let license = json!({"name": "MIT", "url": ""});
    row(Kind::License, license, "url", json!(NO_URL), &["/url"]);
}

#[test]
fn row_external_docs_url_root_tags_nested() {
    let docs = json!({"url": "docs/{v}", "description": "d"});
    let want = json!("https://relative.invalid/docs/%7Bv%7D");
    row(Kind::ExternalDocs, docs, "url", want, &["/url"]);
    let info = json!({"title": "t", "version": "1",
        "tags": [{"name": "a", "externalDocs": {"url": "/a"}}],
        "externalDocs": {"url": "/root"}});
    let mut o = obj(info.clone());
    let paths: Vec<String> = fit(Kind::Info, &mut o)
        .into_iter()
        .map(|f| f.path)
        .collect();
    assert_eq!(paths, ["/externalDocs/url", "/tags/0/externalDocs/url"]);
    restore_deep(&mut o);
    assert_eq!(Value::Object(o), info);
}

#[test]
fn row_extension_names_stay_where_asyncapi_takes_them() {
    let tag = json!({"name": "a", "x-ok.1": 1});
    assert!(fit(Kind::Tag, &mut obj(tag)).is_empty());
    // an unknown field (additionalProperties: false) goes to the record
    row(
        Kind::Tag,
        json!({"name": "a", "color": "red"}),
        "color",
        Value::Null,
        &["/color"],
    );
}

#[test]
fn row_info_tags_unique() {
    let info = json!({"title": "t", "version": "1", "tags": [{"name": "a"}, {"name": "a"}, 5]});
    row(Kind::Info, info, "tags", json!([{"name": "a"}]), &["/tags"]);
}

fn scheme_row(input: Value, paths: &[&str], check: impl Fn(&Obj)) {
    let (out, found) = security_scheme_fitted(&input);
    let got: Vec<&str> = found.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(got, paths, "{out}");
    check(out.as_object().expect("object"));
    let mut back = obj(security_scheme_to_openapi(&out));
    restore(&mut back);
    assert_eq!(Value::Object(back), input);
}

#[test]
fn row_security_scheme_types() {
    scheme_row(json!({"type": "mutualTLS"}), &[], |o| {
        assert_eq!(o["type"], "X509")
    });
    scheme_row(
        json!({"type": "basic", "description": "d"}),
        &["/type"],
        |o| {
            assert_eq!(
                (o["type"].as_str(), o["scheme"].as_str()),
                (Some("http"), Some("basic"))
            );
        },
    );
    scheme_row(json!({"description": "no type"}), &["/type"], |o| {
        assert_eq!(o["type"], "http");
    });
}

#[test]
fn row_incomplete_schemes_api_key_http_oauth2() {
    scheme_row(json!({"type": "apiKey"}), &["/name", "/in"], |o| {
        assert_eq!(
            (o["name"].as_str(), o["in"].as_str()),
            (Some(""), Some("header"))
        );
    });
    scheme_row(
        json!({"type": "apiKey", "name": "k", "in": "body"}),
        &["/in"],
        |o| {
            assert_eq!(o["in"], "header");
        },
    );
    scheme_row(json!({"type": "http"}), &["/scheme"], |o| {
        assert_eq!(o["scheme"], "")
    });
    scheme_row(json!({"type": "oauth2"}), &["/flows"], |o| {
        assert_eq!(o["flows"], json!({}))
    });
    scheme_row(
        json!({"type": "oauth2", "flows": {"password": {"tokenUrl": "https://t"}}}),
        &["/flows/password/scopes"],
        |o| {
            assert_eq!(o["flows"]["password"]["availableScopes"], json!({}));
        },
    );
}

#[test]
fn row_open_id_connect_url() {
    scheme_row(
        json!({"type": "openIdConnect", "openIdConnectUrl": "/.well-known"}),
        &["/openIdConnectUrl"],
        |o| {
            assert_eq!(
                o["openIdConnectUrl"],
                "https://relative.invalid/.well-known"
            );
        },
    );
    scheme_row(
        json!({"type": "openIdConnect"}),
        &["/openIdConnectUrl"],
        |o| {
            assert_eq!(o["openIdConnectUrl"], NO_URL);
        },
    );
}

#[test]
fn row_oauth_flow_urls_every_flow() {
    for (flow, fields) in [
        ("implicit", &["authorizationUrl", "refreshUrl"][..]),
        ("password", &["tokenUrl", "refreshUrl"][..]),
        ("clientCredentials", &["tokenUrl", "refreshUrl"][..]),
        (
            "authorizationCode",
            &["authorizationUrl", "tokenUrl", "refreshUrl"][..],
        ),
    ] {
        let mut f = serde_json::Map::new();
        for field in fields {
            f.insert((*field).into(), json!(format!("{{root}}/{field}")));
        }
        f.insert("scopes".into(), json!({"a": "b"}));
        let input = json!({"type": "oauth2", "flows": {flow: f}});
        let paths: Vec<String> = fields
            .iter()
            .map(|x| format!("/flows/{flow}/{x}"))
            .collect();
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        scheme_row(input, &paths, |o| {
            for field in fields {
                let v = o["flows"][flow][field].as_str().unwrap_or_default();
                assert!(is_uri(v), "{v}");
            }
            assert_eq!(o["flows"][flow]["availableScopes"], json!({"a": "b"}));
        });
    }
}

#[test]
fn row_oauth_flows_take_no_extensions() {
    let input = json!({"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a", "scopes": {}}, "x-note": 1}});
    scheme_row(input, &["/flows/x-note"], |o| {
        assert_eq!(o["flows"].as_object().map(|f| f.len()), Some(1));
    });
}
