//! The reverse direction on hand-written AsyncAPI (no markers): draft-07 renderings become the
//! dialect's own keywords, and converting forward again gives the input back.

use serde_json::json;

use super::{D30, D31};
use crate::convert::dialect::{to_asyncapi, to_openapi};

#[test]
fn reverse_of_hand_written_asyncapi() {
    let a = json!({"type": "object", "discriminator": "kind", "required": ["kind"],
        "properties": {"kind": {"type": ["string", "null"]}, "n": {"exclusiveMinimum": 0},
                       "t": {"items": [{"type": "string"}], "additionalItems": false},
                       "e": {"examples": ["x"]}}});
    let o31 = to_openapi(&a, D31);
    assert_eq!(o31["discriminator"], json!({"propertyName": "kind"}));
    assert_eq!(
        o31["properties"]["t"],
        json!({"prefixItems": [{"type": "string"}], "items": false})
    );
    assert_eq!(
        o31["properties"]["kind"],
        json!({"type": ["string", "null"]})
    );
    assert_eq!(to_asyncapi(&o31, D31), a);

    let o30 = to_openapi(&a, D30);
    assert_eq!(
        o30["properties"]["kind"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(
        o30["properties"]["n"],
        json!({"minimum": 0, "exclusiveMinimum": true})
    );
    assert_eq!(o30["properties"]["e"], json!({"example": "x"}));
    assert_eq!(o30["properties"]["t"], a["properties"]["t"]);
    assert_eq!(to_asyncapi(&o30, D30), a);
    assert_eq!(
        to_openapi(&json!({"type": ["null", "integer"]}), D30),
        json!({"type": "integer", "nullable": true})
    );
}

#[test]
fn reverse_never_overwrites_an_existing_nullable() {
    // Hand-written: a type array next to a literal `nullable` stays as written.
    let a = json!({"type": ["string", "null"], "nullable": false});
    assert_eq!(to_openapi(&a, D30), a);
}
