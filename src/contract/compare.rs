//! Semantic comparison of two documents: every difference as a JSON pointer with the
//! value before and after. Object key order is not a difference; array order is.

use serde::Serialize;
use serde_json::Value;

use crate::convert::dialect::numeric_key;

use crate::document::pointer;

/// One difference; `before`/`after` are absent where the value does not exist on that side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub pointer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

/// All differences between `before` and `after`, in document order.
pub fn differences(before: &Value, after: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    walk(before, after, String::new(), &mut out);
    out
}

fn walk(a: &Value, b: &Value, at: String, out: &mut Vec<Difference>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                let p = pointer::push(&at, k);
                match y.get(k) {
                    Some(vb) => walk(va, vb, p, out),
                    None => out.push(Difference {
                        pointer: p,
                        before: Some(va.clone()),
                        after: None,
                    }),
                }
            }
            for (k, vb) in y.iter().filter(|(k, _)| !x.contains_key(*k)) {
                out.push(Difference {
                    pointer: pointer::push(&at, k),
                    before: None,
                    after: Some(vb.clone()),
                });
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                walk(va, vb, pointer::push(&at, &i.to_string()), out);
            }
        }
        _ if a == b => {}
        (Value::Number(x), Value::Number(y)) if same_number(x, y) => {}
        _ => out.push(Difference {
            pointer: at,
            before: Some(a.clone()),
            after: Some(b.clone()),
        }),
    }
}

/// The same number written two ways (`1.5e12`, `1.5e+12`; `1.0`, `1`): the YAML writer spells
/// some floats for YAML 1.1 readers, which is not a change.
fn same_number(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    let (mut kx, mut ky) = (String::new(), String::new());
    numeric_key(&x.to_string(), &mut kx);
    numeric_key(&y.to_string(), &mut ky);
    kx == ky
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_are_compared_by_value() {
        let a: Value = serde_json::from_str(r#"[1.5e12, 1.0, 18446744073709551616]"#).unwrap();
        let b: Value = serde_json::from_str(r#"[1.5e+12, 1, 18446744073709551616]"#).unwrap();
        assert!(differences(&a, &b).is_empty());
        let c: Value = serde_json::from_str(r#"[1.5e12, 1.0, 18446744073709551617]"#).unwrap();
        assert_eq!(differences(&a, &c)[0].pointer, "/2");
    }

    #[test]
    fn reports_changes_additions_and_removals_but_not_key_order() {
        let a = json!({"a": 1, "b": {"c": [1, 2], "d": "x"}, "e/f": true});
        let b = json!({"b": {"d": "y", "c": [1, 2]}, "a": 1, "g": null});
        let d = differences(&a, &b);
        let pointers: Vec<_> = d.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(pointers, ["/b/d", "/e~1f", "/g"]);
        assert_eq!(d[1].after, None);
        assert_eq!(d[2].before, None);
        assert!(differences(&a, &a).is_empty());
        assert_eq!(differences(&json!([1, 2]), &json!([2, 1])).len(), 2);
        assert_eq!(differences(&json!([1]), &json!([1, 2]))[0].pointer, "");
    }
}
