//! Property tests: random documents and strings round-trip.

use super::*;
use proptest::prelude::*;
use serde_json::json;

#[rustfmt::skip]
const PIECES: &[&str] = &[
    "\n", " ", "a", "b c", "#", ":", "- ", "? ", "'", "\"", "\\", "\t", "\r", "\u{85}",
    "\u{2028}", "\u{feff}", "\u{a0}", "yes", "on", "1", "0", "_", ".", "e", "x", "+", "...",
    "---", "  x", "é", "😀", "\u{1}", "\u{7f}", "|", ">", "&", "*", "!", "%", "@", "`", ",",
    "[", "]", "{", "}", "~", "<<", "=", "2026-03-01", "12:30", "inf", "nan", "T", "Z",
];

fn arb_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(TRICKY).prop_map(str::to_owned),
        3 => any::<String>(),
        4 => prop::collection::vec(prop::sample::select(PIECES), 0..8).prop_map(|v| v.concat()),
        2 => prop::collection::vec(
            prop::sample::select(&b"0123456789._:+- eExob"[..]), 1..8)
            .prop_map(|v| v.into_iter().map(char::from).collect()),
        1 => prop::collection::vec(prop::sample::select(TRICKY), 0..4).prop_map(|v| v.concat()),
    ]
}

fn arb_f64() -> impl Strategy<Value = f64> {
    use prop::num::f64 as F;
    prop_oneof![
        F::POSITIVE | F::NEGATIVE | F::NORMAL | F::SUBNORMAL | F::ZERO,
        any::<i32>().prop_map(f64::from),
        (any::<i16>(), -320i32..300).prop_map(|(m, e)| f64::from(m) * 10f64.powi(e)),
    ]
}

pub(super) fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        2 => arb_f64().prop_map(Value::from),
        3 => arb_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 96, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((arb_string(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn yaml_round_trips_through_yaml_serde(v in arb_value()) {
        if let Err(e) = yaml_serde_round_trip(&v) {
            return Err(TestCaseError::fail(e));
        }
    }

    #[test]
    fn strings_round_trip_as_keys_and_values(s in arb_string()) {
        let v = json!({ s.clone(): [s.clone(), { "k": s }] });
        if let Err(e) = yaml_serde_round_trip(&v) {
            return Err(TestCaseError::fail(e));
        }
    }

    #[test]
    fn json_matches_serde_json(v in arb_value()) {
        prop_assert_eq!(to_json_string(&v), serde_json::to_string_pretty(&v).unwrap() + "\n");
    }
}
