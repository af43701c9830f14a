//! Tests of the dialect conversion. Shared here: the round trip every rule test goes through
//! (exact both ways, valid AsyncAPI in between); one file per concern beside it.

mod asyncapi_check;
mod draft07_markers;
mod in_place;
mod keyword_rules;
mod properties;
mod recursion;
mod reverse;
mod strategies;

use serde_json::Value;

use super::{to_asyncapi, to_openapi, Dialect};
use asyncapi_check::check;

const D30: Dialect = Dialect::Oas30;
const D31: Dialect = Dialect::Oas31;

/// Round trip both ways and return the AsyncAPI form (after checking it is valid).
fn there_and_back(s: &Value, d: Dialect) -> Value {
    let a = to_asyncapi(s, d);
    if let Err(e) = check(&a, "#") {
        panic!("invalid AsyncAPI schema: {e}\ninput: {s}\noutput: {a}");
    }
    let back = to_openapi(&a, d);
    assert_eq!(&back, s, "round trip failed; AsyncAPI form: {a}");
    a
}

/// Serialized key order is preserved as well (stronger than `==`).
fn assert_same_order(s: &Value, d: Dialect) {
    let back = to_openapi(&to_asyncapi(s, d), d);
    assert_eq!(back.to_string(), s.to_string());
}

// ---- version ----

#[test]
fn version_detection() {
    assert_eq!(Dialect::from_openapi_version("3.0.0"), Some(D30));
    assert_eq!(Dialect::from_openapi_version("3.0.3"), Some(D30));
    assert_eq!(Dialect::from_openapi_version("3.0"), Some(D30));
    assert_eq!(Dialect::from_openapi_version("3.1.0"), Some(D31));
    assert_eq!(Dialect::from_openapi_version("3.1.1-rc1"), Some(D31));
    assert_eq!(Dialect::from_openapi_version("3.2.0"), Some(D31));
    for bad in [
        "2.0", "3", "3.", "3.0.", "3.3.0", "3.10.0", "", "v3.0.0", "4.0.0",
    ] {
        assert_eq!(Dialect::from_openapi_version(bad), None, "{bad}");
    }
}
