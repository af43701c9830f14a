//! Property tests: exact, valid round trips on generated schemas, no panics on any JSON, and the
//! in-place conversion matching the reference rebuild.

use proptest::prelude::*;
use serde_json::json;

use super::in_place::assert_matches_reference;
use super::strategies::{asyncapi_schema, data, keyword_soup, oas_schema};
use super::{check, D30, D31};
use crate::convert::dialect::{
    to_asyncapi, to_asyncapi_noting, to_openapi, unchanged_by_forward, Noted,
};

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn oas30_round_trip_is_exact_and_valid(s in oas_schema()) {
        let a = to_asyncapi(&s, D30);
        prop_assert!(check(&a, "#").is_ok(), "{:?}\n{}", check(&a, "#"), a);
        prop_assert_eq!(to_openapi(&a, D30), s);
    }

    #[test]
    fn oas31_round_trip_is_exact_and_valid(s in oas_schema()) {
        let a = to_asyncapi(&s, D31);
        prop_assert!(check(&a, "#").is_ok(), "{:?}\n{}", check(&a, "#"), a);
        prop_assert_eq!(to_openapi(&a, D31), s);
    }

    #[test]
    fn any_json_round_trips_without_panicking(v in keyword_soup()) {
        for d in [D30, D31] {
            prop_assert_eq!(to_openapi(&to_asyncapi(&v, d), d), v.clone());
            let _ = to_asyncapi(&to_openapi(&v, d), d);
        }
    }

    #[test]
    fn hand_written_asyncapi_round_trips_through_oas31(a in asyncapi_schema()) {
        prop_assert!(check(&a, "#").is_ok(), "generator made an invalid schema: {:?}", check(&a, "#"));
        let o = to_openapi(&a, D31);
        prop_assert_eq!(to_asyncapi(&o, D31), a);
    }

    #[test]
    fn in_place_matches_the_rebuild(s in oas_schema()) {
        assert_matches_reference(&s);
    }

    #[test]
    fn in_place_matches_the_rebuild_on_any_json(v in keyword_soup()) {
        assert_matches_reference(&v);
    }

    #[test]
    fn in_place_matches_the_rebuild_on_asyncapi_shaped_input(a in asyncapi_schema()) {
        assert_matches_reference(&a);
    }

    #[test]
    fn data_values_survive_verbatim(d in data()) {
        let s = json!({"enum": [d.clone()], "const": d.clone(), "default": d.clone(), "x-d": d.clone(),
                       "example": d.clone(), "xml": d.clone()});
        for dialect in [D30, D31] {
            let a = to_asyncapi(&s, dialect);
            for k in ["enum", "const", "default", "x-d", "xml"] {
                prop_assert_eq!(&a[k], &s[k]);
            }
        }
    }

    /// The loader's look ahead never lets a conversion pass by a schema it would change or
    /// note something in.
    #[test]
    fn a_schema_said_unchanged_is_unchanged(
        s in prop_oneof![oas_schema(), keyword_soup(), asyncapi_schema()]
    ) {
        for dialect in [D30, D31] {
            if unchanged_by_forward(&s, dialect) {
                let mut converted = s.clone();
                let noted = to_asyncapi_noting(&mut converted, dialect);
                prop_assert_eq!(&converted, &s);
                prop_assert_eq!(noted, Noted::default());
            }
        }
    }
}

/// And it says so of the schemas real documents are mostly made of, with references into the
/// components or not, and not of those that change or hold a `$ref` to be noted.
#[test]
fn plain_schemas_are_said_unchanged() {
    let plain = json!({"type": "object", "description": "d", "required": ["a"],
        "properties": {"a": {"type": ["string", "null"], "enum": ["x", "y", null]},
                       "b": {"$ref": "#/components/schemas/B"},
                       "c": {"type": "array", "items": {"anyOf": [{"type": "integer"}, {"$ref": "#/components/schemas/C"}]}}},
        "additionalProperties": false, "x-v": 1, "examples": [{"a": "x"}]});
    assert!(unchanged_by_forward(&plain, D31));
    for changed in [
        json!({"discriminator": {"propertyName": "k"}}),
        json!({"prefixItems": [{"type": "string"}]}),
        json!({"properties": {"a": {"minLength": -1}}}),
        json!({"properties": {"a": {"$ref": "#/components/parameters/P/schema"}}}),
        json!({"examples": [{"$ref": "data"}]}),
        json!({"x-openapi-type": "string"}),
        json!({"type": "string", "nullable": true}),
    ] {
        let d = if changed.get("nullable").is_some() {
            D30
        } else {
            D31
        };
        assert!(!unchanged_by_forward(&changed, d), "{changed}");
    }
}
