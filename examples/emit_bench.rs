//! Times the output writers on a big document against serde_json / yaml_serde.
//!
//! cargo run --release --example emit_bench -- [FILE.json] [ROUNDS]
//! (default: the 4.8 MB octokit webhooks description)

use hookbridge::document::emit::{to_json_string, to_yaml_string};
use std::time::{Duration, Instant};

fn best_of<T>(rounds: u32, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..rounds {
        let start = Instant::now();
        let out = f();
        best = best.min(start.elapsed());
        last = Some(out);
    }
    match last {
        Some(out) => (best, out),
        None => panic!("rounds must be at least 1"),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| {
        "/work/npm-corpus/octokit-openapi-webhooks/api.github.com.json".to_owned()
    });
    let rounds: u32 = args.next().map(|r| r.parse()).transpose()?.unwrap_or(10);
    let text = std::fs::read_to_string(&path)?;
    let value: serde_json::Value = serde_json::from_str(&text)?;
    println!(
        "{path}: {} bytes of JSON, best of {rounds} runs",
        text.len()
    );

    let (t, ours) = best_of(rounds, || to_yaml_string(&value));
    println!(
        "emit::to_yaml_string        {:>8.2} ms  {:>9} bytes",
        ms(t),
        ours.len()
    );
    let (t, theirs) = best_of(rounds, || serde_yaml::to_string(&value));
    let theirs = theirs?;
    println!(
        "serde_yaml::to_string       {:>8.2} ms  {:>9} bytes",
        ms(t),
        theirs.len()
    );
    let (t, json) = best_of(rounds, || to_json_string(&value));
    println!(
        "emit::to_json_string        {:>8.2} ms  {:>9} bytes",
        ms(t),
        json.len()
    );
    let (t, sj) = best_of(rounds, || serde_json::to_string_pretty(&value));
    let sj = sj?;
    println!(
        "serde_json::to_string_pretty{:>8.2} ms  {:>9} bytes",
        ms(t),
        sj.len()
    );

    let back: serde_json::Value = serde_yaml::from_str(&ours)?;
    let same_order = serde_json::to_string(&back)? == serde_json::to_string(&value)?;
    println!(
        "YAML reads back equal: {}, same key order: {same_order}",
        back == value
    );
    println!("JSON identical to serde_json + \\n: {}", json == sj + "\n");
    if let Some(out) = std::env::var_os("EMIT_BENCH_OUT") {
        std::fs::write(out, &ours)?;
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
