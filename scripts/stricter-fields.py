#!/usr/bin/env python3
"""Fields of AsyncAPI 3.0 stricter than their OpenAPI 3.0/3.1 source, derived from the official
JSON Schemas (issue 12, item 1): the AsyncAPI 3.0.0 schema of @asyncapi/specs and the OpenAPI
3.0 / 3.1 schemas Spectral ships, all in tests/js/node_modules (`npm ci --prefix tests/js`).

    python3 scripts/stricter-fields.py            # prints the table (markdown)
    python3 scripts/stricter-fields.py --check    # exit 1 unless docs/stricter-fields.md holds it

For each pair of objects hookbridge maps (OpenAPI object -> AsyncAPI object), every field's
constraints are compared: a row is written where AsyncAPI requires a field OpenAPI does not, a
`format`, `pattern`, `enum`/`const`, `type` or `uniqueItems` of AsyncAPI is not implied by
OpenAPI's, or AsyncAPI closes an object (`additionalProperties: false`) OpenAPI keeps open to
extensions of any name. What hookbridge does with each row is in HANDLING below; a row without
an entry fails the check, so a new row in a new schema version cannot go unnoticed.
"""
import json, pathlib, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
NM = ROOT / "tests/js/node_modules"
ASYNC = json.loads((NM / "@asyncapi/specs/schemas/3.0.0-without-$id.json").read_text())
OAS = NM / "@stoplight/spectral-rulesets/dist/oas/schemas/oas"
OAS30 = json.loads((OAS / "v3.0.json").read_text())
OAS31 = json.loads((OAS / "v3.1/index.json").read_text())
DOC = ROOT / "docs/stricter-fields.md"
BEGIN, END = "<!-- table: scripts/stricter-fields.py -->", "<!-- end of table -->"

# (row label, OpenAPI 3.0 pointer, OpenAPI 3.1 pointer, AsyncAPI pointer, field renames OpenAPI -> AsyncAPI)
PAIRS = [
    ("Info", "/definitions/Info", "/$defs/info", "/definitions/info", {}),
    ("Contact", "/definitions/Contact", "/$defs/contact", "/definitions/contact", {}),
    ("License", "/definitions/License", "/$defs/license", "/definitions/license", {}),
    ("External Documentation", "/definitions/ExternalDocumentation", "/$defs/external-documentation", "/definitions/externalDocs", {}),
    ("Tag", "/definitions/Tag", "/$defs/tag", "/definitions/tag", {}),
    ("Operation", "/definitions/Operation", "/$defs/operation", "/definitions/operation", {}),
    ("Security Scheme apiKey", "/definitions/APIKeySecurityScheme", "/$defs/security-scheme/$defs/type-apikey/then", "/definitions/APIKeyHTTPSecurityScheme", {}),
    ("Security Scheme http", "/definitions/HTTPSecurityScheme", "/$defs/security-scheme/$defs/type-http/then", "/definitions/NonBearerHTTPSecurityScheme", {}),
    ("Security Scheme oauth2", "/definitions/OAuth2SecurityScheme", "/$defs/security-scheme/$defs/type-oauth2/then", "/definitions/oauth2Flows", {}),
    ("Security Scheme openIdConnect", "/definitions/OpenIdConnectSecurityScheme", "/$defs/security-scheme/$defs/type-oidc/then", "/definitions/openIdConnect", {}),
    ("OAuth Flows", "/definitions/OAuthFlows", "/$defs/oauth-flows", "/definitions/oauth2Flows/properties/flows", {}),
    ("OAuth Flow implicit", "/definitions/ImplicitOAuthFlow", "/$defs/oauth-flows/$defs/implicit", "/definitions/oauth2Flows/properties/flows/properties/implicit", {"scopes": "availableScopes"}),
    ("OAuth Flow password", "/definitions/PasswordOAuthFlow", "/$defs/oauth-flows/$defs/password", "/definitions/oauth2Flows/properties/flows/properties/password", {"scopes": "availableScopes"}),
    ("OAuth Flow clientCredentials", "/definitions/ClientCredentialsFlow", "/$defs/oauth-flows/$defs/client-credentials", "/definitions/oauth2Flows/properties/flows/properties/clientCredentials", {"scopes": "availableScopes"}),
    ("OAuth Flow authorizationCode", "/definitions/AuthorizationCodeOAuthFlow", "/$defs/oauth-flows/$defs/authorization-code", "/definitions/oauth2Flows/properties/flows/properties/authorizationCode", {"scopes": "availableScopes"}),
    ("Components (keys)", "/definitions/Components", "/$defs/components", "/definitions/components", {}),
]

# What hookbridge does, and the test that holds it, per (object, field, constraint).
T = "`asyncapi::fit::tests::{}`; fixture: `tests/asyncapi_parser_corpus.rs`"
U = T.format("row_oauth_flow_urls_every_flow")
URL = "a relative or templated URL is percent-encoded and resolved against `https://relative.invalid` (`about:blank` when empty); original in `x-openapi-original`; `stricter-in-asyncapi`"
HANDLING = {
    ("Info", "termsOfService", "format uri"): (URL, T.format("row_info_terms_of_service")),
    ("Info", "(extensions)", "x-x, x-linkedin"): ("a value that does not fit moves to `x-openapi-original`; `stricter-in-asyncapi`", T.format("row_info_extensions_x_and_linkedin")),
    ("Info", "(object)", "extension names"): ("extensions AsyncAPI rejects by name go to `x-openapi-extensions` (and back)", "`tests/samples.rs` (`samples/openapi/extensions-and-security.yaml`); `asyncapi::fit::tests::row_extension_names_stay_where_asyncapi_takes_them`"),
    ("Contact", "url", "format uri"): (URL, T.format("row_contact_url_and_email")),
    ("Contact", "(object)", "extension names"): ("as Info", "as Info"),
    ("License", "url", "format uri"): (URL, T.format("row_license_url")),
    ("License", "(object)", "extension names"): ("as Info", "as Info"),
    ("External Documentation", "url", "format uri"): (URL + " (root, tags, operations)", T.format("row_external_docs_url_root_tags_nested")),
    ("External Documentation", "(object)", "extension names"): ("as Info", "as Info"),
    ("Tag", "(object)", "extension names"): ("as Info", "as Info"),
    ("Operation", "tags", "items: Tag object (from a string)"): ("each name becomes `{name}`; a name that is not a string is left out of AsyncAPI, the list kept in `x-openapi-operation.tags`; `invalid-structure`", U),
    ("Operation", "tags", "uniqueItems"): ("AsyncAPI gets each name once, the list kept in `x-openapi-operation.tags`; `stricter-in-asyncapi`", "fixture: `tests/asyncapi_parser_corpus.rs`"),
    ("Operation", "(object)", "extension names"): ("as Info (into `x-openapi-operation`)", "as Info"),
    ("Security Scheme apiKey", "type", "enum"): ("`apiKey` is written `httpApiKey` (mapping, not a loss)", "`asyncapi::tests::security_schemes_round_trip`"),
    ("Security Scheme", "type", "enum"): ("`mutualTLS` is written `X509`; a type OpenAPI does not have is written `type: http` with the type as `scheme`, the original in `x-openapi-original`; `invalid-structure`", T.format("row_security_scheme_types")),
    ("Security Scheme apiKey", "(object)", "extension names"): ("as Info", "as Info"),
    ("Security Scheme http", "scheme", "not bearer (with bearerFormat: Bearer variant, lower case)"): ("`Bearer` is written `bearer`, the original in `x-openapi-security-scheme`; `bearerFormat` of a non-bearer scheme moves there", "`asyncapi::tests::security_schemes_round_trip`"),
    ("Security Scheme http", "(object)", "extension names"): ("as Info", "as Info"),
    ("Security Scheme oauth2", "(object)", "extension names"): ("as Info", "as Info"),
    ("Security Scheme openIdConnect", "openIdConnectUrl", "format uri"): (URL, T.format("row_open_id_connect_url")),
    ("Security Scheme openIdConnect", "(object)", "extension names"): ("as Info", "as Info"),
    ("OAuth Flows", "(object)", "no extensions"): ("an `x-` key is left out of AsyncAPI, the OpenAPI `flows` kept whole in the scheme's `x-openapi-original`; `stricter-in-asyncapi`", T.format("row_oauth_flows_take_no_extensions")),
    ("OAuth Flow implicit", "authorizationUrl", "format uri"): (URL + "; the OpenAPI `flows` kept whole", U),
    ("OAuth Flow implicit", "refreshUrl", "format uri"): (URL + "; the OpenAPI `flows` kept whole", U),
    ("OAuth Flow implicit", "(object)", "extension names"): ("as Info", "as Info"),
    ("OAuth Flow password", "tokenUrl", "format uri"): (URL + "; the OpenAPI `flows` kept whole", U),
    ("OAuth Flow password", "refreshUrl", "format uri"): (URL + "; the OpenAPI `flows` kept whole", U),
    ("OAuth Flow password", "(object)", "extension names"): ("as Info", "as Info"),
    ("OAuth Flow clientCredentials", "tokenUrl", "format uri"): (URL + "; the OpenAPI `flows` kept whole", U),
    ("OAuth Flow clientCredentials", "refreshUrl", "format uri"): (URL + "; the OpenAPI `flows` kept whole", U),
    ("OAuth Flow clientCredentials", "(object)", "extension names"): ("as Info", "as Info"),
    ("OAuth Flow authorizationCode", "authorizationUrl", "format uri"): (URL + "; the OpenAPI `flows` kept whole", U),
    ("OAuth Flow authorizationCode", "tokenUrl", "format uri"): (URL + "; the OpenAPI `flows` kept whole", U),
    ("OAuth Flow authorizationCode", "refreshUrl", "format uri"): (URL + "; the OpenAPI `flows` kept whole", U),
    ("OAuth Flow authorizationCode", "(object)", "extension names"): ("as Info", "as Info"),
    ("Components (keys)", "(object)", "extension names"): ("as Info (into the root `x-openapi` record)", "as Info"),
}


def lookup(doc, ptr):
    node = doc
    for tok in ptr.strip("/").split("/"):
        node = node[tok.replace("~1", "/").replace("~0", "~")]
    return node


def resolve(doc, node, seen=()):
    """Follows `$ref` and merges `allOf` (properties, required, the rest shallowly)."""
    if not isinstance(node, dict):
        return {}
    out = {k: v for k, v in node.items() if k not in ("$ref", "allOf")}
    parts = list(node.get("allOf", []))
    ref = node.get("$ref")
    if ref and ref.startswith("#/") and ref not in seen:
        parts.insert(0, {"$ref": ref})
    for part in parts:
        r = part.get("$ref") if isinstance(part, dict) else None
        sub = resolve(doc, lookup(doc, r[1:]), seen + (r,)) if r and r.startswith("#/") and r not in seen else resolve(doc, part, seen)
        for k, v in sub.items():
            if k == "properties":
                out.setdefault("properties", {}).update({pk: pv for pk, pv in v.items() if pk not in out.get("properties", {})})
            elif k == "required":
                out["required"] = sorted(set(out.get("required", [])) | set(v))
            else:
                out.setdefault(k, v)
    return out


def facts(doc, field_schema):
    s = resolve(doc, field_schema)
    f = {}
    for k in ("format", "pattern", "uniqueItems"):
        if k in s:
            f[k] = s[k]
    if "const" in s:
        f["enum"] = [s["const"]]
    elif "enum" in s:
        f["enum"] = s["enum"]
    if "type" in s:
        f["type"] = s["type"] if isinstance(s["type"], list) else [s["type"]]
    items = resolve(doc, s.get("items", {}))
    if "$ref" in s.get("items", {}) or "oneOf" in s.get("items", {}):
        f["items"] = "object"
    elif items.get("type"):
        f["items"] = items["type"]
    return f


def same_set(pattern):
    """JavaScript's `\\w` is ASCII: `[\\w\\d...]` and `[a-zA-Z0-9_...]` name the same keys."""
    return pattern.replace("\\w\\d", "a-zA-Z0-9_").replace("_]", "]").replace("_\\.", "\\.").replace("a-zA-Z0-9\\.\\-]", "a-zA-Z0-9_\\.\\-]")


def scheme_types(node, doc=ASYNC):
    s = resolve(doc, node)
    if "oneOf" in s:
        return [t for v in s["oneOf"] for t in scheme_types(v, doc)]
    if "then" in s:  # OpenAPI 3.0: if type then Object else ...
        return sorted(set(scheme_types(s["then"], doc)) | set(scheme_types(s.get("else", {}), doc)))
    t = resolve(doc, s.get("properties", {}).get("type", {}))
    return t.get("enum", [t["const"]] if "const" in t else [])


def ext_pattern(s):
    keys = [k for k in s.get("patternProperties", {}) if k.startswith("^x-")]
    return keys[0] if keys else None


def show(f):
    return ", ".join(f"{k} {json.dumps(v) if not isinstance(v, str) else v}" for k, v in sorted(f.items())) or "—"


def rows():
    out = []
    for label, p30, p31, pa, renames in PAIRS:
        o30, o31, a = (resolve(OAS30, lookup(OAS30, p30)), resolve(OAS31, lookup(OAS31, p31)), resolve(ASYNC, lookup(ASYNC, pa)))
        if label == "Components (keys)":
            o_keys = {same_set(k) for v in o30.get("properties", {}).values() for k in resolve(OAS30, v).get("patternProperties", {})}
            a_keys = {same_set(k) for v in a.get("properties", {}).values() for k in v.get("patternProperties", {})}
            if a_keys - o_keys:
                out.append((label, "(names)", "key pattern", ", ".join(sorted(o_keys)), "—", ", ".join(sorted(a_keys))))
        if label == "Security Scheme apiKey":
            a_types = {t for v in ASYNC["definitions"]["SecurityScheme"]["oneOf"] for t in scheme_types(v)}
            o_types = lookup(OAS31, "/$defs/security-scheme/properties/type")["enum"]
            missing = [t for t in o_types if t not in a_types]
            out.append(("Security Scheme", "type", "enum", "enum " + json.dumps(sorted(scheme_types({"$ref": "#/definitions/SecurityScheme"}, OAS30))), "enum " + json.dumps(o_types), "enum " + json.dumps(sorted(a_types)) + " (no " + ", ".join(missing) + ")"))
        for name, oschema in o30.get("properties", {}).items():
            aname = renames.get(name, name)
            aschema = a.get("properties", {}).get(aname)
            if aschema is None:
                continue
            f30, f31, fa = facts(OAS30, oschema), facts(OAS31, o31.get("properties", {}).get(name, {})), facts(ASYNC, aschema)
            if fa.get("format") and fa.get("format") != f30.get("format"):
                out.append((label, aname, f"format {fa['format']}", show(f30), show(f31), show(fa)))
            if fa.get("pattern") and fa.get("pattern") != f30.get("pattern"):
                out.append((label, aname, "pattern", show(f30), show(f31), show(fa)))
            if fa.get("enum") and not set(f30.get("enum", [object()])) <= set(fa["enum"]):
                out.append((label, aname, "enum", show(f30), show(f31), show(fa)))
            if fa.get("uniqueItems") and not f30.get("uniqueItems"):
                out.append((label, aname, "uniqueItems", show(f30), show(f31), show(fa)))
            if fa.get("items") == "object" and f30.get("items") == "string":
                out.append((label, aname, "items: Tag object (from a string)", show(f30), show(f31), show(fa)))
        for name in a.get("required", []):
            oname = {v: k for k, v in renames.items()}.get(name, name)
            if oname in o30.get("properties", {}) and oname not in o30.get("required", []):
                out.append((label, name, "required", "optional", "optional", "required"))
        if label == "Info":
            for name, s in ASYNC["definitions"]["infoExtensions"]["properties"].items():
                pass
            out.append((label, "(extensions)", "x-x, x-linkedin", "any value", "any value", "x-x: string; x-linkedin: pattern " + lookup(ASYNC, "/definitions/extensions-linkedin-0.1.0-schema")["pattern"]))
        if label == "Security Scheme http":
            out.append((label, "scheme", "not bearer (with bearerFormat: Bearer variant, lower case)", "bearerFormat with any scheme (3.0 Bearer variant: scheme const bearer)", "bearer case-insensitive", "bearerFormat only with `scheme: bearer`"))
        oe, ae = ext_pattern(o30), ext_pattern(a)
        if a.get("additionalProperties") is False and not ae:
            out.append((label, "(object)", "no extensions", f"extensions {oe}", "extensions ^x-", "additionalProperties false, no extensions"))
        elif ae and ae != oe:
            out.append((label, "(object)", "extension names", f"extensions {oe}", "extensions ^x-", f"extensions {ae}"))
    return out


def table():
    lines = ["| OpenAPI object | field | AsyncAPI constraint | OpenAPI 3.0 | OpenAPI 3.1 | AsyncAPI 3.0 | hookbridge | test |", "|---|---|---|---|---|---|---|---|"]
    missing = []
    for label, field, kind, o30, o31, a in rows():
        handling, test = HANDLING.get((label, field, kind), (None, None))
        if handling is None:
            missing.append((label, field, kind))
            handling, test = "**not handled**", "—"
        cell = lambda s: s.replace("|", "\\|")
        lines.append(f"| {label} | `{field}` | {cell(kind)} | {cell(o30)} | {cell(o31)} | {cell(a)} | {handling} | {test} |")
    return "\n".join(lines) + "\n", missing


def main():
    text, missing = table()
    if "--check" in sys.argv:
        doc = DOC.read_text()
        inside = doc.split(BEGIN, 1)[1].split(END, 1)[0].strip() + "\n" if BEGIN in doc else ""
        if inside != text:
            print(f"{DOC} is out of date: run `python3 scripts/stricter-fields.py` and paste the table between the markers", file=sys.stderr)
            return 1
        if missing:
            print(f"rows without handling: {missing}", file=sys.stderr)
            return 1
        return 0
    sys.stdout.write(text)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
